/* Seats, roles, participants and assignments (seats.h). */
#include "core/seats.h"
#include "core/validate.h"

#include <string.h>
#include <apr_strings.h>

apr_int64_t shop_seats_count(const char *seat_mode, apr_int64_t quantity)
{
    if (!seat_mode || quantity < 1) return 0;
    if (strcmp(seat_mode, "one") == 0) return 1;
    if (strcmp(seat_mode, "per_unit") == 0) return quantity;
    return 0;
}

static int good_role(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SHOP_SEATS_ROLE_MAX) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static void add_role(apr_array_header_t *roles, const char *role)
{
    if (roles->nelts >= SHOP_SEATS_MAX_ROLES || !good_role(role)) return;
    for (int i = 0; i < roles->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(roles, i, const char *), role) == 0) return;
    APR_ARRAY_PUSH(roles, const char *) = role;
}

apr_array_header_t *shop_seats_roles(apr_pool_t *p, const char *action_params)
{
    apr_array_header_t *roles = apr_array_make(p, 4, sizeof(const char *));
    APR_ARRAY_PUSH(roles, const char *) = "student";
    if (!action_params || !*action_params) return roles;
    json_object *o = json_tokener_parse(action_params), *v;
    if (o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "requiredroles", &v)
        && json_object_is_type(v, json_type_string)) {
        char *list = apr_pstrdup(p, json_object_get_string(v)), *last = NULL;
        for (char *t = apr_strtok(list, ",", &last); t; t = apr_strtok(NULL, ",", &last)) {
            while (*t == ' ' || *t == '\t') t++;
            char *e = t + strlen(t);
            while (e > t && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
            for (char *c = t; *c; c++) if (*c >= 'A' && *c <= 'Z') *c += 'a' - 'A';
            add_role(roles, strcmp(t, "_supervisor") == 0 ? "supervisor" : t);
        }
    }
    if (o) json_object_put(o);
    return roles;
}

apr_int64_t shop_seats_role_cap(const char *role, apr_int64_t seats, apr_int64_t quantity)
{
    return strcmp(role, "student") == 0 ? seats : quantity;
}

/* ---- case mapping: ASCII, Latin-1 Supplement, Latin Extended-A.  Every
 * pair keeps its UTF-8 length (1 or 2 bytes), so mapping works in place. */

static unsigned cp_upper(unsigned c)
{
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c & 1 ? c - 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c & 1 ? c : c - 1;
    return c;
}

static unsigned cp_lower(unsigned c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c & 1 ? c : c + 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c & 1 ? c + 1 : c;
    return c;
}

/* Decode the character at s: its code point and length; bytes that are not
 * ASCII nor a well-formed 2-byte sequence come back as themselves (len 1,
 * cp 0xFFFFFFFF), so they are never mapped. */
static unsigned decode(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) { *len = 1; return s[0]; }
    if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
        *len = 2;
        return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    *len = 1;
    return 0xFFFFFFFFu;
}

static void put(unsigned char *s, unsigned c, int len)
{
    if (len == 1) s[0] = (unsigned char)c;
    else { s[0] = (unsigned char)(0xC0 | (c >> 6)); s[1] = (unsigned char)(0x80 | (c & 0x3F)); }
}

enum { CASE_UPPER, CASE_LOWER, CASE_TITLE };

static int word_break(unsigned c)
{
    return c == ' ' || c == '-' || c == '\'';
}

static void map_case(char *str, int mode)
{
    unsigned char *s = (unsigned char *)str;
    int start = 1, len;
    while (*s) {
        unsigned c = decode(s, &len);
        if (c != 0xFFFFFFFFu) {
            unsigned m = mode == CASE_UPPER || (mode == CASE_TITLE && start) ? cp_upper(c) : cp_lower(c);
            int mlen = m < 0x80 ? 1 : 2;
            if (mlen == len) put(s, m, len);
        }
        /* U+2019 (right single quotation mark) also starts a word: O’Neil */
        start = word_break(c) || (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99);
        if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99) len = 3;
        s += len;
    }
}

/* Trimmed copy with runs of whitespace made one space (NULL gives ""). */
static char *squeeze(apr_pool_t *p, const char *in, int keep_inner)
{
    if (!in) return apr_pstrdup(p, "");
    char *out = apr_palloc(p, strlen(in) + 1), *o = out;
    int space = 0;
    while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n') in++;
    for (; *in; in++) {
        int ws = *in == ' ' || *in == '\t' || *in == '\r' || *in == '\n';
        if (ws && !keep_inner) { space = 1; continue; }
        if (space) { *o++ = ' '; space = 0; }
        *o++ = *in;
    }
    *o = '\0';
    while (o > out && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\r' || o[-1] == '\n')) *--o = '\0';
    return out;
}

const char *shop_seats_email_key(apr_pool_t *p, const char *email)
{
    char *e = squeeze(p, email, 1);
    for (char *c = e; *c; c++) if (*c >= 'A' && *c <= 'Z') *c += 'a' - 'A';
    return e;
}

void shop_participant_normalise(apr_pool_t *p, shop_participant_t *pt)
{
    char *s;
    s = squeeze(p, pt->lastname, 0); map_case(s, CASE_UPPER); pt->lastname = s;
    s = squeeze(p, pt->firstname, 0); map_case(s, CASE_TITLE); pt->firstname = s;
    s = squeeze(p, pt->city, 0); map_case(s, CASE_UPPER); pt->city = s;
    pt->email = shop_seats_email_key(p, pt->email);
    pt->phone = squeeze(p, pt->phone, 0);
    pt->institution = squeeze(p, pt->institution, 0);
}

/* validate.h's keys, as participant_error_* keys of templates/lang. */
static const char *our_key(const char *k)
{
    static const char *const map[][2] = {
        { "error_required", "participant_error_required" },
        { "error_email_invalid", "participant_error_email_invalid" },
        { "error_email_too_long", "participant_error_email_too_long" },
        { "error_name_invalid", "participant_error_name_invalid" },
        { "error_name_too_long", "participant_error_name_too_long" },
        { "error_phone_invalid", "participant_error_phone_invalid" },
        { "error_text_invalid", "participant_error_text_invalid" },
        { "error_text_too_long", "participant_error_text_too_long" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], k) == 0) return map[i][1];
    return "participant_error_text_invalid";
}

static int check(shop_seats_error_t *errs, int n, const char *field, const char *value, int required,
                 const char *(*fn)(const char *))
{
    const char *k = NULL;
    if (!value || !*value) k = required ? "error_required" : NULL;
    else k = fn(value);
    if (!k) return n;
    errs[n].field = field;
    errs[n].key = our_key(k);
    return n + 1;
}

static const char *city_check(const char *s) { return shop_validate_text(s, SHOP_PARTICIPANT_CITY_MAX, 0); }
static const char *org_check(const char *s) { return shop_validate_text(s, SHOP_PARTICIPANT_ORG_MAX, 0); }

int shop_participant_validate(const shop_participant_t *pt, int phone_required, int org_required,
                              shop_seats_error_t errs[SHOP_PARTICIPANT_NFIELDS])
{
    int n = 0;
    n = check(errs, n, "lastname", pt->lastname, 1, shop_validate_person_name);
    n = check(errs, n, "firstname", pt->firstname, 1, shop_validate_person_name);
    n = check(errs, n, "email", pt->email, 1, shop_validate_email);
    n = check(errs, n, "city", pt->city, 0, city_check);
    n = check(errs, n, "phone", pt->phone, phone_required, shop_validate_phone);
    n = check(errs, n, "institution", pt->institution, org_required, org_check);
    return n;
}

static void add_str(json_object *o, const char *k, const char *v)
{
    json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

json_object *shop_participant_json(const shop_participant_t *pt)
{
    json_object *o = json_object_new_object();
    add_str(o, "lastname", pt->lastname);
    add_str(o, "firstname", pt->firstname);
    add_str(o, "email", pt->email);
    add_str(o, "city", pt->city);
    add_str(o, "phone", pt->phone);
    add_str(o, "institution", pt->institution);
    json_object_object_add(o, "userid", json_object_new_int64(pt->userid));
    return o;
}

static const char *get_str(apr_pool_t *p, json_object *o, const char *k)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string)) return "";
    return apr_pstrdup(p, json_object_get_string(v));
}

void shop_participant_from_json(apr_pool_t *p, json_object *o, shop_participant_t *pt)
{
    json_object *v;
    pt->lastname = get_str(p, o, "lastname");
    pt->firstname = get_str(p, o, "firstname");
    pt->email = get_str(p, o, "email");
    pt->city = get_str(p, o, "city");
    pt->phone = get_str(p, o, "phone");
    pt->institution = get_str(p, o, "institution");
    pt->userid = o && json_object_object_get_ex(o, "userid", &v) && json_object_is_type(v, json_type_int)
                 ? json_object_get_int64(v) : 0;
}

int shop_participants_find(json_object *participants, const char *email)
{
    if (!participants || !email || !json_object_is_type(participants, json_type_array)) return -1;
    size_t n = json_object_array_length(participants);
    for (size_t i = 0; i < n; i++) {
        json_object *v, *o = json_object_array_get_idx(participants, i);
        if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "email", &v)
            && json_object_is_type(v, json_type_string) && strcasecmp(json_object_get_string(v), email) == 0)
            return (int)i;
    }
    return -1;
}

int shop_seats_role_required(const shop_seat_line_t *line, const char *role)
{
    for (int i = 0; role && line->roles && i < line->roles->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(line->roles, i, const char *), role) == 0) return 1;
    return 0;
}

static int list_has(json_object *list, const char *email)
{
    size_t n = list && json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(list, i);
        if (json_object_is_type(v, json_type_string) && strcasecmp(json_object_get_string(v), email) == 0) return 1;
    }
    return 0;
}

int shop_seats_held(json_object *assign, const char *role)
{
    json_object *list;
    if (!assign || !json_object_object_get_ex(assign, role, &list) || !json_object_is_type(list, json_type_array))
        return 0;
    return (int)json_object_array_length(list);
}

const char *shop_seats_assign_check(const shop_seat_line_t *line, json_object *assign, const char *role,
                                    const char *email, int known)
{
    if (!known) return "participant_error_unknown";
    if (!shop_seats_role_required(line, role)) return "assign_error_role";
    if (assign) {
        json_object_object_foreach(assign, r, list) {
            (void)r;
            if (list_has(list, email)) return "assign_error_duplicate";
        }
    }
    if (shop_seats_held(assign, role) >= shop_seats_role_cap(role, line->seats, line->quantity))
        return "assign_error_full";
    return NULL;
}

int shop_seats_prune(const shop_seat_line_t *line, json_object *assign, json_object *participants)
{
    int dropped = 0;
    if (!assign || !json_object_is_type(assign, json_type_object)) return 0;
    /* roles first: deleting while iterating is not allowed by json-c */
    json_object *gone = json_object_new_array();
    json_object *seen = json_object_new_array();
    json_object_object_foreach(assign, role, list) {
        if (!shop_seats_role_required(line, role) || !json_object_is_type(list, json_type_array)) {
            json_object_array_add(gone, json_object_new_string(role));
            dropped += list && json_object_is_type(list, json_type_array) ? (int)json_object_array_length(list) : 1;
            continue;
        }
        apr_int64_t cap = shop_seats_role_cap(role, line->seats, line->quantity);
        json_object *kept = json_object_new_array();
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n; i++) {
            json_object *v = json_object_array_get_idx(list, i);
            const char *e = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
            if (!e || shop_participants_find(participants, e) < 0 || list_has(seen, e)
                || (apr_int64_t)json_object_array_length(kept) >= cap) {
                dropped++;
                continue;
            }
            json_object_array_add(kept, json_object_new_string(e));
            json_object_array_add(seen, json_object_new_string(e));
        }
        if ((size_t)json_object_array_length(kept) != n) json_object_object_add(assign, role, kept);
        else json_object_put(kept);
    }
    json_object_put(seen);
    for (size_t i = 0; i < json_object_array_length(gone); i++)
        json_object_object_del(assign, json_object_get_string(json_object_array_get_idx(gone, i)));
    json_object_put(gone);
    return dropped;
}

int shop_seats_line_complete(const shop_seat_line_t *line, json_object *assign)
{
    if (shop_seats_held(assign, "student") != line->seats) return 0;
    for (int i = 1; line->roles && i < line->roles->nelts; i++)
        if (shop_seats_held(assign, APR_ARRAY_IDX(line->roles, i, const char *)) < 1) return 0;
    return 1;
}
