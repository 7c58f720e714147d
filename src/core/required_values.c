/* Values typed for required data, judged by widget type (required_values.h). */
#include "core/required_values.h"
#include "core/required_data.h"
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

static const char *str_of(apr_pool_t *p, json_object *o, const char *k)
{
    json_object *v;
    if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    return apr_pstrdup(p, json_object_get_string(v));
}

/* A positive length attribute (number or digits), else 0. */
static apr_size_t length_attr(json_object *attrs, const char *name)
{
    json_object *v;
    if (!attrs || !json_object_object_get_ex(attrs, name, &v)) return 0;
    if (json_object_is_type(v, json_type_int)) {
        int64_t n = json_object_get_int64(v);
        return n > 0 && n < 1000000 ? (apr_size_t)n : 0;
    }
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 6) return 0;
        return (apr_size_t)atoi(s);
    }
    return 0;
}

int shop_rv_widgets(apr_pool_t *p, const char *required_data, shop_rv_widget_t **out)
{
    *out = NULL;
    if (!required_data || strspn(required_data, " \t\r\n") == strlen(required_data)) return 0;
    json_object *doc = json_tokener_parse(required_data);
    if (!doc || !json_object_is_type(doc, json_type_array)
        || json_object_array_length(doc) > SHOP_RD_MAX_FIELDS) {
        if (doc) json_object_put(doc);
        return -1;
    }
    int n = (int)json_object_array_length(doc), ok = 1;
    shop_rv_widget_t *w = apr_pcalloc(p, sizeof(*w) * (n ? n : 1));
    for (int i = 0; i < n && ok; i++) {
        json_object *el = json_object_array_get_idx(doc, i), *v, *attrs = NULL;
        if (!json_object_is_type(el, json_type_object)) { ok = 0; break; }
        w[i].field = str_of(p, el, "field");
        w[i].label = str_of(p, el, "label");
        w[i].type = str_of(p, el, "type");
        w[i].desc = str_of(p, el, "desc");
        if (!w[i].field || !w[i].type) { ok = 0; break; }
        if (!w[i].label) w[i].label = w[i].field;
        w[i].required = json_object_object_get_ex(el, "required", &v) && json_object_get_boolean(v);
        if (strcmp(w[i].type, "textfield") == 0) w[i].type = "text";     /* local_shop's other spelling */
        if (json_object_object_get_ex(el, "attrs", &attrs) && json_object_is_type(attrs, json_type_object)) {
            w[i].attrs = apr_pcalloc(p, sizeof(*w[i].attrs) * (json_object_object_length(attrs) + 1));
            json_object_object_foreach(attrs, an, av) {
                w[i].attrs[w[i].nattrs].name = apr_pstrdup(p, an);
                w[i].attrs[w[i].nattrs++].value = apr_pstrdup(p, json_object_get_string(av));
            }
        } else attrs = NULL;
        apr_size_t cap = strcmp(w[i].type, "textarea") == 0 ? SHOP_RV_TEXTAREA_MAX : SHOP_RV_TEXT_MAX;
        apr_size_t ml = length_attr(attrs, "maxlength");
        w[i].maxlength = ml && ml < cap ? ml : cap;
        w[i].minlength = length_attr(attrs, "minlength");
        if (json_object_object_get_ex(el, "options", &v) && json_object_is_type(v, json_type_object)) {
            w[i].options = apr_pcalloc(p, sizeof(*w[i].options) * (json_object_object_length(v) + 1));
            json_object_object_foreach(v, ov, ol) {
                w[i].options[w[i].noptions].value = apr_pstrdup(p, ov);
                w[i].options[w[i].noptions++].label = apr_pstrdup(p, json_object_get_string(ol));
            }
        }
    }
    json_object_put(doc);
    if (!ok) return -1;
    *out = w;
    return n;
}

static apr_size_t utf8_chars(const char *s)
{
    apr_size_t n = 0;
    for (; *s; s++) if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Trimmed copy; CRLF and lone CR become LF when multiline. */
static char *clean(apr_pool_t *p, const char *in, int multiline)
{
    char *out = apr_palloc(p, strlen(in) + 1), *o = out;
    while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n') in++;
    for (; *in; in++) {
        if (multiline && *in == '\r') {
            *o++ = '\n';
            if (in[1] == '\n') in++;
            continue;
        }
        *o++ = *in;
    }
    *o = '\0';
    while (o > out && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\r' || o[-1] == '\n')) *--o = '\0';
    return out;
}

static const char *check_checkbox(const shop_rv_widget_t *w, json_object *value, json_object **norm)
{
    int on;
    if (!value) on = 0;
    else if (json_object_is_type(value, json_type_boolean)) on = json_object_get_boolean(value);
    else if (json_object_is_type(value, json_type_string)) {
        const char *s = json_object_get_string(value);
        if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true")) on = 1;
        else if (!*s || !strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "false")) on = 0;
        else return "rv_error_type";
    } else return "rv_error_type";
    if (w->required && !on) return "rv_error_must_check";
    *norm = json_object_new_boolean(on);
    return NULL;
}

const char *shop_rv_check_value(apr_pool_t *p, const shop_rv_widget_t *w, json_object *value, json_object **norm)
{
    *norm = NULL;
    if (value && json_object_is_type(value, json_type_null)) value = NULL;
    if (strcmp(w->type, "checkbox") == 0) return check_checkbox(w, value, norm);
    if (value && !json_object_is_type(value, json_type_string)) return "rv_error_type";
    int multiline = strcmp(w->type, "textarea") == 0;
    const char *s = clean(p, value ? json_object_get_string(value) : "", multiline);
    if (!*s) {
        if (w->required) return "rv_error_required";
        *norm = json_object_new_string("");
        return NULL;
    }
    if (strcmp(w->type, "select") == 0) {
        for (int i = 0; i < w->noptions; i++)
            if (strcmp(w->options[i].value, s) == 0) {
                *norm = json_object_new_string(w->options[i].value);
                return NULL;
            }
        return "rv_error_bad_choice";
    }
    if (strcmp(w->type, "text") && !multiline) return "rv_error_type";
    const char *k = shop_validate_text(s, w->maxlength, multiline);
    if (k) return strcmp(k, "error_text_too_long") == 0 ? "rv_error_too_long" : "rv_error_invalid";
    if (w->minlength && utf8_chars(s) < w->minlength) return "rv_error_too_short";
    *norm = json_object_new_string(s);
    return NULL;
}

static int add_error(shop_rv_error_t *errs, int n, int maxerrs, const char *field, const char *key)
{
    if (n < maxerrs) {
        errs[n].field = field;
        errs[n].key = key;
    }
    return n + 1;
}

int shop_rv_check_unit(apr_pool_t *p, const shop_rv_widget_t *w, int n, json_object *in, json_object **out,
                       shop_rv_error_t *errs, int maxerrs)
{
    int nerr = 0;
    if (in && !json_object_is_type(in, json_type_object)) {
        nerr = add_error(errs, nerr, maxerrs, "", "rv_error_unit");
        in = NULL;
    }
    json_object *good = json_object_new_object();
    for (int i = 0; i < n; i++) {
        json_object *v = NULL, *norm = NULL;
        if (in) json_object_object_get_ex(in, w[i].field, &v);
        const char *k = shop_rv_check_value(p, &w[i], v, &norm);
        if (k) nerr = add_error(errs, nerr, maxerrs, w[i].field, k);
        else json_object_object_add(good, w[i].field, norm);
    }
    if (in) {
        json_object_object_foreach(in, key, val) {
            (void)val;
            int known = 0;
            for (int i = 0; i < n && !known; i++) known = strcmp(w[i].field, key) == 0;
            if (!known) nerr = add_error(errs, nerr, maxerrs, apr_pstrdup(p, key), "rv_error_unknown_field");
        }
    }
    if (out) *out = good;
    else json_object_put(good);
    return nerr;
}
