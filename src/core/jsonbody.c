/*
 * jsonbody.c -- see jsonbody.h.
 */
#include "core/jsonbody.h"
#include "core/form.h"
#include "core/limits.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <apr_strings.h>

/* ---- strict validator: json-c is too lenient to be the judge */

typedef struct jv_t {
    const unsigned char *s;
    apr_size_t len, pos;
    apr_size_t members;         /* object members seen, to detect repeated keys */
    const char *err;
} jv_t;

static int jv_fail(jv_t *v, const char *err)
{
    v->err = err;
    return 0;
}

static void jv_ws(jv_t *v)
{
    while (v->pos < v->len) {
        unsigned char c = v->s[v->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        v->pos++;
    }
}

static int jv_hex4(jv_t *v, unsigned *cu)
{
    unsigned x = 0;
    int i;

    if (v->len - v->pos < 4)
        return jv_fail(v, "truncated \\u escape");
    for (i = 0; i < 4; i++) {
        unsigned char c = v->s[v->pos++];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else {
            v->pos--;
            return jv_fail(v, "invalid \\u escape");
        }
    }
    *cu = x;
    return 1;
}

static int jv_string(jv_t *v)
{
    v->pos++;                               /* opening quote */
    for (;;) {
        unsigned char c;

        if (v->pos >= v->len)
            return jv_fail(v, "unterminated string");
        c = v->s[v->pos];
        if (c == '"') {
            v->pos++;
            return 1;
        }
        if (c < 0x20)
            return jv_fail(v, "control character in string");
        if (c != '\\') {
            v->pos++;                       /* UTF-8 was checked up front */
            continue;
        }
        if (++v->pos >= v->len)
            return jv_fail(v, "unterminated string");
        c = v->s[v->pos];
        if (c == 'u') {
            unsigned cu, lo;
            v->pos++;
            if (!jv_hex4(v, &cu))
                return 0;
            if (cu == 0) {
                v->pos -= 6;
                return jv_fail(v, "\\u0000 not allowed");
            }
            if (cu >= 0xDC00 && cu <= 0xDFFF) {
                v->pos -= 6;
                return jv_fail(v, "unpaired surrogate");
            }
            if (cu >= 0xD800 && cu <= 0xDBFF) {
                if (v->len - v->pos < 2 || v->s[v->pos] != '\\' || v->s[v->pos + 1] != 'u')
                    return jv_fail(v, "unpaired surrogate");
                v->pos += 2;
                if (!jv_hex4(v, &lo))
                    return 0;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    v->pos -= 6;
                    return jv_fail(v, "unpaired surrogate");
                }
            }
            continue;
        }
        if (!strchr("\"\\/bfnrt", c) || c == '\0')
            return jv_fail(v, "invalid escape");
        v->pos++;
    }
}

static int jv_digits(jv_t *v)
{
    apr_size_t start = v->pos;

    while (v->pos < v->len && v->s[v->pos] >= '0' && v->s[v->pos] <= '9')
        v->pos++;
    return v->pos > start;
}

static int jv_number(jv_t *v)
{
    apr_size_t start = v->pos, istart;
    int neg = 0, integral = 1;

    if (v->s[v->pos] == '-') {
        neg = 1;
        v->pos++;
    }
    istart = v->pos;
    if (v->pos < v->len && v->s[v->pos] == '0')
        v->pos++;
    else if (!jv_digits(v))
        return jv_fail(v, "invalid number");
    if (v->pos < v->len && v->s[v->pos] >= '0' && v->s[v->pos] <= '9')
        return jv_fail(v, "leading zero in number");
    if (v->pos < v->len && v->s[v->pos] == '.') {
        integral = 0;
        v->pos++;
        if (!jv_digits(v))
            return jv_fail(v, "invalid number");
    }
    if (v->pos < v->len && (v->s[v->pos] == 'e' || v->s[v->pos] == 'E')) {
        integral = 0;
        v->pos++;
        if (v->pos < v->len && (v->s[v->pos] == '+' || v->s[v->pos] == '-'))
            v->pos++;
        if (!jv_digits(v))
            return jv_fail(v, "invalid number");
    }
    if (integral) {
        /* json-c would clamp silently: refuse what int64 cannot hold */
        uint64_t mag = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        apr_size_t i;
        for (i = istart; i < v->pos; i++) {
            unsigned d = (unsigned)(v->s[i] - '0');
            if (mag > (lim - d) / 10) {
                v->pos = start;
                return jv_fail(v, "integer out of range");
            }
            mag = mag * 10 + d;
        }
    }
    return 1;
}

static int jv_literal(jv_t *v, const char *word)
{
    apr_size_t n = strlen(word);

    if (v->len - v->pos < n || memcmp(v->s + v->pos, word, n) != 0)
        return jv_fail(v, "unexpected character");
    v->pos += n;
    return 1;
}

static int jv_value(jv_t *v, int depth);

static int jv_container(jv_t *v, int depth, unsigned char close)
{
    int first = 1;

    if (depth > SHOP_MAX_JSON_DEPTH)
        return jv_fail(v, "nesting too deep");
    v->pos++;                               /* '{' or '[' */
    for (;;) {
        jv_ws(v);
        if (v->pos >= v->len)
            return jv_fail(v, "unexpected end of input");
        if (v->s[v->pos] == close && first) {
            v->pos++;
            return 1;
        }
        if (!first) {
            if (v->s[v->pos] == close) {
                v->pos++;
                return 1;
            }
            if (v->s[v->pos] != ',')
                return jv_fail(v, close == '}' ? "expected ',' or '}'"
                                               : "expected ',' or ']'");
            v->pos++;
            jv_ws(v);
        }
        first = 0;
        if (close == '}') {
            if (v->pos >= v->len || v->s[v->pos] != '"')
                return jv_fail(v, v->pos >= v->len ? "unexpected end of input"
                                                   : "expected a quoted key");
            if (!jv_string(v))
                return 0;
            v->members++;
            jv_ws(v);
            if (v->pos >= v->len || v->s[v->pos] != ':')
                return jv_fail(v, v->pos >= v->len ? "unexpected end of input"
                                                   : "expected ':'");
            v->pos++;
        }
        if (!jv_value(v, depth))
            return 0;
    }
}

static int jv_value(jv_t *v, int depth)
{
    jv_ws(v);
    if (v->pos >= v->len)
        return jv_fail(v, "unexpected end of input");
    switch (v->s[v->pos]) {
    case '{':
        return jv_container(v, depth + 1, '}');
    case '[':
        return jv_container(v, depth + 1, ']');
    case '"':
        return jv_string(v);
    case 't':
        return jv_literal(v, "true");
    case 'f':
        return jv_literal(v, "false");
    case 'n':
        return jv_literal(v, "null");
    default:
        if (v->s[v->pos] == '-' || (v->s[v->pos] >= '0' && v->s[v->pos] <= '9'))
            return jv_number(v);
        return jv_fail(v, "unexpected character");
    }
}

/* Count object members in the built tree, and check every double is
 * finite.  Depth is bounded by the validator. */
static int tree_check(json_object *o, apr_size_t *members)
{
    switch (json_object_get_type(o)) {
    case json_type_object: {
        struct json_object_iterator it = json_object_iter_begin(o);
        struct json_object_iterator end = json_object_iter_end(o);
        for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
            (*members)++;
            if (!tree_check(json_object_iter_peek_value(&it), members))
                return 0;
        }
        return 1;
    }
    case json_type_array: {
        size_t i, n = json_object_array_length(o);
        for (i = 0; i < n; i++)
            if (!tree_check(json_object_array_get_idx(o, i), members))
                return 0;
        return 1;
    }
    case json_type_double:
        return isfinite(json_object_get_double(o));
    default:
        return 1;
    }
}

static apr_status_t json_put_cleanup(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

apr_status_t shop_json_parse_body(apr_pool_t *p, const char *data, apr_size_t len,
                                  json_object **out, const char **error)
{
    jv_t v;
    struct json_tokener *tok = NULL;
    json_object *obj = NULL;
    apr_size_t bad = 0, members = 0;
    const char *msg = NULL;
    apr_status_t rv = APR_EINVAL;

    *out = NULL;
    if (data == NULL || len == 0) {
        msg = "empty JSON body";
        goto done;
    }
    if (len > SHOP_MAX_BODY_JSON) {
        msg = "JSON body too large";
        rv = APR_ENOSPC;
        goto done;
    }
    if (!shop_utf8_valid(data, len, &bad)) {
        msg = apr_psprintf(p, "invalid JSON: invalid UTF-8 at byte %" APR_SIZE_T_FMT, bad);
        goto done;
    }
    memset(&v, 0, sizeof v);
    v.s = (const unsigned char *)data;
    v.len = len;
    jv_ws(&v);
    if (v.pos < len && v.s[v.pos] != '{') {
        msg = apr_psprintf(p, "invalid JSON: top-level value must be an object"
                           " at byte %" APR_SIZE_T_FMT, v.pos);
        goto done;
    }
    if (!jv_value(&v, 0)) {
        msg = apr_psprintf(p, "invalid JSON: %s at byte %" APR_SIZE_T_FMT, v.err, v.pos);
        goto done;
    }
    jv_ws(&v);
    if (v.pos != len) {
        msg = apr_psprintf(p, "invalid JSON: trailing data at byte %" APR_SIZE_T_FMT, v.pos);
        goto done;
    }

    tok = json_tokener_new_ex(SHOP_MAX_JSON_DEPTH);
    if (tok == NULL) {
        msg = "out of memory";
        rv = APR_ENOMEM;
        goto done;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, data, (int)len);
    if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success) {
        msg = apr_psprintf(p, "invalid JSON: %s at byte %" APR_SIZE_T_FMT,
                           json_tokener_error_desc(json_tokener_get_error(tok)),
                           json_tokener_get_parse_end(tok));
        goto done;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        msg = "invalid JSON: top-level value must be an object";
        goto done;
    }
    if (!tree_check(obj, &members)) {
        msg = "invalid JSON: number out of range";
        goto done;
    }
    if (members != v.members) {
        msg = "invalid JSON: repeated key in an object";
        goto done;
    }
    apr_pool_cleanup_register(p, obj, json_put_cleanup, apr_pool_cleanup_null);
    *out = obj;
    obj = NULL;
    rv = APR_SUCCESS;

done:
    if (obj)
        json_object_put(obj);
    if (tok)
        json_tokener_free(tok);
    if (rv != APR_SUCCESS && error)
        *error = msg;
    return rv;
}

const char *shop_json_to_string(apr_pool_t *p, json_object *obj)
{
    size_t n = 0;
    const char *s;

    if (obj == NULL)
        return "null";
    s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN
                                               | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    return s ? apr_pstrmemdup(p, s, n) : NULL;
}

/* The value of key in obj; APR_NOTFOUND for absent or null. */
static apr_status_t field(json_object *obj, const char *key, json_object **val)
{
    if (obj == NULL || key == NULL || !json_object_is_type(obj, json_type_object))
        return APR_EINVAL;
    if (!json_object_object_get_ex(obj, key, val) || *val == NULL)
        return APR_NOTFOUND;
    return APR_SUCCESS;
}

apr_status_t shop_json_get_string(apr_pool_t *p, json_object *obj, const char *key,
                                  apr_size_t maxlen, const char **out)
{
    json_object *val;
    const char *s;
    apr_size_t n;
    apr_status_t rv;

    if ((rv = field(obj, key, &val)) != APR_SUCCESS)
        return rv;
    if (!json_object_is_type(val, json_type_string))
        return APR_EINVAL;
    s = json_object_get_string(val);
    n = (apr_size_t)json_object_get_string_len(val);
    if (n > (maxlen ? maxlen : SHOP_MAX_JSON_STRING))
        return APR_ENOSPC;
    if (memchr(s, '\0', n) != NULL || !shop_utf8_valid(s, n, NULL))
        return APR_EINVAL;
    *out = apr_pstrmemdup(p, s, n);
    return APR_SUCCESS;
}

apr_status_t shop_json_get_int64(json_object *obj, const char *key, apr_int64_t *out)
{
    json_object *val;
    apr_int64_t i;
    apr_status_t rv;

    if ((rv = field(obj, key, &val)) != APR_SUCCESS)
        return rv;
    if (!json_object_is_type(val, json_type_int))
        return APR_EINVAL;
    i = json_object_get_int64(val);
    /* a uint64 beyond INT64_MAX reads back clamped */
    if (i == INT64_MAX && json_object_get_uint64(val) != (uint64_t)INT64_MAX)
        return APR_EINVAL;
    *out = i;
    return APR_SUCCESS;
}

apr_status_t shop_json_get_int64_range(json_object *obj, const char *key,
                                       apr_int64_t min, apr_int64_t max,
                                       apr_int64_t *out)
{
    apr_int64_t i;
    apr_status_t rv;

    if ((rv = shop_json_get_int64(obj, key, &i)) != APR_SUCCESS)
        return rv;
    if (i < min || i > max)
        return APR_ERANGE;
    *out = i;
    return APR_SUCCESS;
}

apr_status_t shop_json_get_bool(json_object *obj, const char *key, int *out)
{
    json_object *val;
    apr_status_t rv;

    if ((rv = field(obj, key, &val)) != APR_SUCCESS)
        return rv;
    if (!json_object_is_type(val, json_type_boolean))
        return APR_EINVAL;
    *out = json_object_get_boolean(val) ? 1 : 0;
    return APR_SUCCESS;
}
