/* PUT /api/v1/checkout/participants {"participants":[{"lastname","firstname",
 * "email","city","phone","institution"}],"assignments":{"CODE":{"student":
 * ["email",...],"ROLE":[...]}}}: replaces both, checked as a whole (400
 * invalid_participants with fields "participants.N.FIELD", "participants",
 * "assignments.CODE", "assignments.CODE.ROLE"; N from 0).  Participants are
 * normalised (core/seats.h) and recognised by email (userid of the Moodle
 * account, a client's userid is ignored); the answer lists them as stored. */
#include "web/checkout.h"
#include "web/checkout_seats.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_strings.h>

#define MAX_FIELD_ERRORS 100

static void fail(json_object *fields, apr_pool_t *pool, const char *name, const char *key)
{
    if (json_object_object_length(fields) < MAX_FIELD_ERRORS && !json_object_object_get_ex(fields, name, NULL))
        json_object_object_add(fields, apr_pstrdup(pool, name), json_object_new_string(key));
}

/* The participants array checked; *out holds the normalised people. */
static void read_people(shop_req_t *req, const shop_storefront_t *sf, json_object *in, json_object *fields,
                        apr_array_header_t *out)
{
    apr_pool_t *pool = req->r->pool;
    if (!in || !json_object_is_type(in, json_type_array)) {
        fail(fields, pool, "participants", "participants_error_list");
        return;
    }
    size_t n = json_object_array_length(in);
    if (n > SHOP_SEATS_MAX_PARTICIPANTS) {
        fail(fields, pool, "participants", "participants_error_max");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_array_get_idx(in, i);
        shop_participant_t *pt = apr_array_push(out);
        if (!json_object_is_type(o, json_type_object)) {
            fail(fields, pool, apr_psprintf(pool, "participants.%d", (int)i), "participants_error_object");
            shop_participant_from_json(pool, NULL, pt);     /* all "": never matches an email */
            continue;
        }
        json_object_object_foreach(o, key, val) {
            (void)val;
            static const char *const known[] = { "lastname", "firstname", "email", "city", "phone", "institution",
                                                 "userid", "has_account" };
            int ok = 0;
            for (size_t k = 0; k < sizeof(known) / sizeof(known[0]) && !ok; k++) ok = strcmp(known[k], key) == 0;
            if (!ok) fail(fields, pool, apr_psprintf(pool, "participants.%d.%s", (int)i, key), "participants_error_unknown_field");
            else if (strcmp(key, "userid") && strcmp(key, "has_account") && !json_object_is_type(val, json_type_string)
                     && !json_object_is_type(val, json_type_null))
                fail(fields, pool, apr_psprintf(pool, "participants.%d.%s", (int)i, key), "rv_error_type");
        }
        shop_participant_from_json(pool, o, pt);
        pt->userid = 0;
        shop_participant_normalise(pool, pt);
        shop_seats_error_t errs[SHOP_PARTICIPANT_NFIELDS];
        int ne = shop_participant_validate(pt, sf->enduser_phone_required, sf->enduser_org_required, errs);
        for (int e = 0; e < ne; e++)
            fail(fields, pool, apr_psprintf(pool, "participants.%d.%s", (int)i, errs[e].field), errs[e].key);
        for (size_t j = 0; j < i && ne == 0; j++)
            if (*pt->email && strcmp(APR_ARRAY_IDX(out, j, shop_participant_t).email, pt->email) == 0) {
                fail(fields, pool, apr_psprintf(pool, "participants.%d.email", (int)i), "participant_error_duplicate");
                break;
            }
    }
}

static int known(apr_array_header_t *people, const char *email)
{
    for (int i = 0; *email && i < people->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(people, i, shop_participant_t).email, email) == 0) return 1;
    return 0;
}

/* The assignments checked against the seat lines; returns the object to store. */
static json_object *read_assignments(shop_req_t *req, const shop_storefront_t *sf, json_object *in,
                                     apr_array_header_t *people, json_object *fields)
{
    apr_pool_t *pool = req->r->pool;
    json_object *out = json_object_new_object();
    shop_json_own(pool, out);
    if (!in) return out;
    if (!json_object_is_type(in, json_type_object)) {
        fail(fields, pool, "assignments", "assign_error_object");
        return out;
    }
    apr_array_header_t *lines = shop_checkout_seat_lines(req, sf);
    json_object_object_foreach(in, code, roles) {
        const char *where = apr_psprintf(pool, "assignments.%s", code);
        const shop_checkout_seat_line_t *sl = shop_checkout_seat_line(lines, code);
        if (!sl) { fail(fields, pool, where, "assign_error_product"); continue; }
        if (!json_object_is_type(roles, json_type_object)) { fail(fields, pool, where, "assign_error_object"); continue; }
        json_object *a = json_object_new_object();
        json_object_object_add(out, sl->s.code, a);
        json_object_object_foreach(roles, role, list) {
            const char *rwhere = apr_psprintf(pool, "%s.%s", where, role);
            if (!shop_seats_role_required(&sl->s, role)) { fail(fields, pool, rwhere, "assign_error_role"); continue; }
            if (!json_object_is_type(list, json_type_array)) { fail(fields, pool, rwhere, "assign_error_list"); continue; }
            json_object *held = json_object_new_array();
            json_object_object_add(a, role, held);
            for (size_t i = 0; i < json_object_array_length(list); i++) {
                json_object *v = json_object_array_get_idx(list, i);
                if (!json_object_is_type(v, json_type_string)) { fail(fields, pool, rwhere, "assign_error_list"); break; }
                const char *email = shop_seats_email_key(pool, json_object_get_string(v));
                const char *k = shop_seats_assign_check(&sl->s, a, role, email, known(people, email));
                if (k) { fail(fields, pool, rwhere, k); break; }
                json_object_array_add(held, json_object_new_string(email));
            }
        }
    }
    return out;
}

int shop_api_checkout_participants(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_PARTICIPANTS)) return OK;
    apr_pool_t *pool = req->r->pool;
    json_object *fields = json_object_new_object(), *in_people = NULL, *in_assign = NULL;
    json_object_object_get_ex(req->json, "participants", &in_people);
    json_object_object_get_ex(req->json, "assignments", &in_assign);
    apr_array_header_t *people = apr_array_make(pool, 8, sizeof(shop_participant_t));
    read_people(req, sf, in_people, fields, people);
    json_object *assignments = read_assignments(req, sf, in_assign, people, fields);
    if (json_object_object_length(fields) > 0)
        return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_participants", "participants_error_invalid", fields);
    json_object_put(fields);

    json_object *list = json_object_new_array();
    shop_json_own(pool, list);
    for (int i = 0; i < people->nelts; i++) {
        shop_participant_t *pt = &APR_ARRAY_IDX(people, i, shop_participant_t);
        if (shop_checkout_recognise(req, pt) != 0) return shop_render_unavailable(req);
        json_object_array_add(list, shop_participant_json(pt));
    }
    shop_checkout_seats_store(req, sf, json_object_get(list), json_object_get(assignments));
    json_object *extra = json_object_new_object();
    json_object_object_add(extra, "participants", shop_checkout_participants_view(req, list));
    json_object_object_add(extra, "seats_left", json_object_new_int64(shop_checkout_seats_remaining(req, sf)));
    return shop_checkout_api_done(req, sf, SHOP_STEP_PARTICIPANTS, extra);
}
