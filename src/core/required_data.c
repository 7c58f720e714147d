/* Required-data descriptor validation: see required_data.h. */
#include "core/required_data.h"

#include <string.h>
#include <json.h>

#include "core/form.h"

static const char *const types[] = { "text", "textarea", "checkbox", "select", NULL };
/* attributes that would let a descriptor change what the form posts or how it looks */
static const char *const bad_attrs[] = { "style", "class", "id", "name", "type", "value", "src", "href", NULL };

static apr_status_t fail(shop_rd_error_t *err, int index, const char *key, const char *message_key,
                         apr_size_t offset)
{
    if (err) {
        err->index = index;
        err->key = key;
        err->message_key = message_key;
        err->offset = offset;
    }
    return APR_EINVAL;
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

static int good_text(json_object *v, int nonempty)
{
    if (!json_object_is_type(v, json_type_string)) return 0;
    size_t n = (size_t)json_object_get_string_len(v);
    return (!nonempty || n > 0) && n <= SHOP_RD_MAX_TEXT;
}

static int good_field_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SHOP_RD_MAX_NAME) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

static int good_attr_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z') || strncmp(s, "on", 2) == 0 || strncmp(s, "form", 4) == 0
        || one_of(s, bad_attrs) || strlen(s) > SHOP_RD_MAX_NAME)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '-')) return 0;
    return 1;
}

/* Only the key names of the static table leave this function, never
 * pointers into the parsed document (it is released by the caller). */
static const char *static_key(const char *k)
{
    static const char *const keys[] = { "field", "label", "type", "required", "options", "desc", "attrs", NULL };
    for (const char *const *c = keys; *c; c++)
        if (strcmp(*c, k) == 0) return *c;
    return NULL;
}

static apr_status_t check_element(json_object *el, int i, json_object *seen, shop_rd_error_t *err)
{
    if (!json_object_is_type(el, json_type_object)) return fail(err, i, NULL, "rd_error_not_object", 0);
    json_object_object_foreach(el, k, kv) {
        (void)kv;
        if (!static_key(k)) {
            fail(err, i, NULL, "rd_error_unknown_key", 0);
            if (err) {
                apr_size_t n = strlen(k) < SHOP_RD_MAX_NAME ? strlen(k) : SHOP_RD_MAX_NAME;
                memcpy(err->unknown, k, n);
                err->unknown[n] = '\0';
                err->key = err->unknown;
            }
            return APR_EINVAL;
        }
    }
    json_object *v;
    if (!json_object_object_get_ex(el, "field", &v)) return fail(err, i, "field", "rd_error_missing", 0);
    if (!json_object_is_type(v, json_type_string) || !good_field_name(json_object_get_string(v)))
        return fail(err, i, "field", "rd_error_field", 0);
    if (json_object_object_get_ex(seen, json_object_get_string(v), NULL))
        return fail(err, i, "field", "rd_error_duplicate", 0);
    json_object_object_add(seen, json_object_get_string(v), NULL);

    if (!json_object_object_get_ex(el, "label", &v)) return fail(err, i, "label", "rd_error_missing", 0);
    if (!good_text(v, 1)) return fail(err, i, "label", "rd_error_text", 0);

    if (!json_object_object_get_ex(el, "type", &v)) return fail(err, i, "type", "rd_error_missing", 0);
    if (!json_object_is_type(v, json_type_string) || !one_of(json_object_get_string(v), types))
        return fail(err, i, "type", "rd_error_type", 0);
    int is_select = strcmp(json_object_get_string(v), "select") == 0;

    if (json_object_object_get_ex(el, "required", &v) && !json_object_is_type(v, json_type_boolean))
        return fail(err, i, "required", "rd_error_boolean", 0);

    if (json_object_object_get_ex(el, "options", &v)) {
        if (!is_select) return fail(err, i, "options", "rd_error_options_not_select", 0);
        if (!json_object_is_type(v, json_type_object) || json_object_object_length(v) == 0)
            return fail(err, i, "options", "rd_error_options", 0);
        json_object_object_foreach(v, ok, ov) {
            if (!*ok || strlen(ok) > SHOP_RD_MAX_TEXT || !good_text(ov, 1))
                return fail(err, i, "options", "rd_error_options", 0);
        }
    } else if (is_select) {
        return fail(err, i, "options", "rd_error_missing", 0);
    }

    if (json_object_object_get_ex(el, "desc", &v) && !good_text(v, 0))
        return fail(err, i, "desc", "rd_error_text", 0);

    if (json_object_object_get_ex(el, "attrs", &v)) {
        if (!json_object_is_type(v, json_type_object)) return fail(err, i, "attrs", "rd_error_attrs", 0);
        json_object_object_foreach(v, an, av) {
            int scalar = json_object_is_type(av, json_type_int) || json_object_is_type(av, json_type_double)
                      || good_text(av, 0);
            if (!good_attr_name(an) || !scalar) return fail(err, i, "attrs", "rd_error_attrs", 0);
        }
    }
    return APR_SUCCESS;
}

apr_status_t shop_required_data_validate(const char *text, apr_size_t len, int *nfields,
                                         shop_rd_error_t *err)
{
    if (nfields) *nfields = 0;
    if (!text) text = "";
    apr_size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\n' || text[start] == '\r' || text[start] == '\t'))
        start++;
    if (start == len) return APR_SUCCESS;
    if (len > SHOP_RD_MAX_INPUT) return fail(err, -1, NULL, "rd_error_too_long", 0);
    if (!shop_utf8_valid(text, len, NULL) || memchr(text, '\0', len)) return fail(err, -1, NULL, "rd_error_syntax", 0);

    json_tokener *tok = json_tokener_new();
    if (!tok) return fail(err, -1, NULL, "rd_error_syntax", 0);
    json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    apr_size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!doc || jerr != json_tokener_success) {
        json_object_put(doc);
        return fail(err, -1, NULL, "rd_error_syntax", used);
    }
    for (apr_size_t i = used; i < len; i++)
        if (!(text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) {
            json_object_put(doc);
            return fail(err, -1, NULL, "rd_error_syntax", i);
        }

    apr_status_t rv = APR_SUCCESS;
    json_object *seen = json_object_new_object();
    if (!json_object_is_type(doc, json_type_array)) {
        rv = fail(err, -1, NULL, "rd_error_not_array", 0);
    } else if (json_object_array_length(doc) > SHOP_RD_MAX_FIELDS) {
        rv = fail(err, SHOP_RD_MAX_FIELDS, NULL, "rd_error_too_many", 0);
    } else {
        int n = (int)json_object_array_length(doc);
        for (int i = 0; rv == APR_SUCCESS && i < n; i++)
            rv = check_element(json_object_array_get_idx(doc, (size_t)i), i, seen, err);
        if (rv == APR_SUCCESS && nfields) *nfields = n;
    }
    json_object_put(seen);
    json_object_put(doc);
    return rv;
}
