/* Back-office forms and paging: see admin_form.h. */
#include "web/admin_form.h"

#include <errno.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/i18n.h"
#include "core/form.h"

struct shop_form {
    shop_req_t *req;
    json_object *values;       /* owned by `root` */
    json_object *errors;
    json_object *root;
    int nerrors;
};

static apr_status_t put_json(void *obj)
{
    json_object_put(obj);
    return APR_SUCCESS;
}

shop_form_t *shop_form_create(shop_req_t *req)
{
    shop_form_t *f = apr_pcalloc(req->r->pool, sizeof(*f));
    f->req = req;
    f->root = json_object_new_object();
    f->values = json_object_new_object();
    f->errors = json_object_new_object();
    json_object_object_add(f->root, "values", f->values);
    json_object_object_add(f->root, "errors", f->errors);
    apr_pool_cleanup_register(req->r->pool, f->root, put_json, apr_pool_cleanup_null);
    return f;
}

void shop_form_value(shop_form_t *f, const char *field, const char *value)
{
    if (value) json_object_object_add(f->values, field, json_object_new_string(value));
}

void shop_form_error(shop_form_t *f, const char *field, const char *key, const char *detail)
{
    if (json_object_object_get_ex(f->errors, field, NULL)) return;
    const char *text = shop_i18n_get(f->req->rt->i18n, shop_req_lang(f->req), key);
    if (detail) text = apr_pstrcat(f->req->r->pool, text, ": ", detail, NULL);
    json_object_object_add(f->errors, field, json_object_new_string(text));
    f->nerrors++;
}

int shop_form_has_errors(const shop_form_t *f)
{
    return f->nerrors > 0;
}

static const char *raw(shop_form_t *f, const char *field)
{
    return f->req->params ? apr_table_get(f->req->params, field) : NULL;
}

static char *trimmed(apr_pool_t *pool, const char *v)
{
    while (apr_isspace(*v)) v++;
    size_t n = strlen(v);
    while (n > 0 && apr_isspace(v[n - 1])) n--;
    return apr_pstrndup(pool, v, n);
}

const char *shop_form_text(shop_form_t *f, const char *field, int required, apr_size_t maxlen, int multiline)
{
    const char *given = raw(f, field);
    char *v = trimmed(f->req->r->pool, given ? given : "");
    shop_form_value(f, field, v);
    if (!*v) {
        if (!required) return v;
        shop_form_error(f, field, "error_required", NULL);
        return NULL;
    }
    if (strlen(v) > maxlen) {
        shop_form_error(f, field, "error_too_long", apr_psprintf(f->req->r->pool, "%" APR_SIZE_T_FMT, maxlen));
        return NULL;
    }
    int ok = shop_utf8_valid(v, strlen(v), NULL);
    for (const unsigned char *c = (const unsigned char *)v; ok && *c; c++)
        if ((*c < 0x20 && !(multiline && (*c == '\n' || *c == '\r' || *c == '\t'))) || *c == 0x7f) ok = 0;
    if (!ok) {
        shop_form_error(f, field, "error_bad_value", NULL);
        return NULL;
    }
    return v;
}

/* Code points a printed line must not hold (v is valid UTF-8 already). */
static int hidden_control(const unsigned char *c)
{
    if (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) return 1;                      /* C1 */
    if (c[0] == 0xe2 && c[1] == 0x80 && c[2] >= 0xa8 && c[2] <= 0xae) return 1;      /* U+2028..U+202E */
    if (c[0] == 0xe2 && c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9) return 1;      /* U+2066..U+2069 */
    return 0;
}

const char *shop_form_line(shop_form_t *f, const char *field, int required, apr_size_t max_chars)
{
    const char *v = shop_form_text(f, field, required, APR_SIZE_MAX, 0);
    if (!v || !*v) return v;
    apr_size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if ((*c & 0xc0) == 0x80) continue;
        if (hidden_control(c)) {
            shop_form_error(f, field, "error_bad_value", NULL);
            return NULL;
        }
        chars++;
    }
    if (chars > max_chars) {
        shop_form_error(f, field, "error_too_many_chars", apr_psprintf(f->req->r->pool, "%" APR_SIZE_T_FMT, max_chars));
        return NULL;
    }
    return v;
}

int shop_form_int(shop_form_t *f, const char *field, int required, apr_int64_t min, apr_int64_t max,
                  apr_int64_t dflt, apr_int64_t *out)
{
    const char *given = raw(f, field);
    char *v = trimmed(f->req->r->pool, given ? given : "");
    shop_form_value(f, field, v);
    if (!*v) {
        if (required) {
            shop_form_error(f, field, "error_required", NULL);
            return -1;
        }
        *out = dflt;
        return 0;
    }
    char *end;
    errno = 0;
    apr_int64_t n = apr_strtoi64(v, &end, 10);
    if (*end || errno) {
        shop_form_error(f, field, "error_not_a_number", NULL);
        return -1;
    }
    if (n < min || n > max) {
        shop_form_error(f, field, "error_out_of_range", apr_psprintf(f->req->r->pool,
                        "%" APR_INT64_T_FMT " – %" APR_INT64_T_FMT, min, max));
        return -1;
    }
    *out = n;
    return 0;
}

int shop_form_checkbox(shop_form_t *f, const char *field)
{
    int on = raw(f, field) != NULL;
    if (on) json_object_object_add(f->values, field, json_object_new_boolean(1));
    return on;
}

const char *shop_form_choice(shop_form_t *f, const char *field, const char *const *choices, const char *dflt)
{
    const char *given = raw(f, field);
    if (!given || !*given) {
        shop_form_value(f, field, dflt);
        return dflt;
    }
    shop_form_value(f, field, given);
    for (const char *const *c = choices; *c; c++)
        if (strcmp(*c, given) == 0) return *c;
    shop_form_error(f, field, "error_bad_choice", NULL);
    return NULL;
}

json_object *shop_form_json(shop_form_t *f)
{
    json_object_object_add(f->root, "has_errors", json_object_new_boolean(f->nerrors > 0));
    return json_object_get(f->root);
}

shop_pager_t shop_pager_make(shop_req_t *req, apr_int64_t total, apr_int64_t per_page)
{
    shop_pager_t pg = { 1, 1, total, per_page > 0 ? per_page : 50, 0 };
    pg.pages = total > 0 ? (total + pg.per_page - 1) / pg.per_page : 1;
    const char *given = shop_req_param(req, "page");
    if (given) pg.page = apr_atoi64(given);
    if (pg.page < 1) pg.page = 1;
    if (pg.page > pg.pages) pg.page = pg.pages;
    pg.offset = (pg.page - 1) * pg.per_page;
    return pg;
}

json_object *shop_pager_json(shop_req_t *req, const shop_pager_t *pg, const char *path, const char *query)
{
    apr_pool_t *pool = req->r->pool;
    const char *sep = query && *query ? "&" : "";
    json_object *o = json_object_new_object();
    json_object_object_add(o, "page", json_object_new_int64(pg->page));
    json_object_object_add(o, "pages", json_object_new_int64(pg->pages));
    json_object_object_add(o, "total", json_object_new_int64(pg->total));
    if (pg->page > 1)
        json_object_object_add(o, "prev_url", json_object_new_string(apr_psprintf(pool, "%s%s?%s%spage=%" APR_INT64_T_FMT,
            req->conf->public_path, path, query ? query : "", sep, pg->page - 1)));
    if (pg->page < pg->pages)
        json_object_object_add(o, "next_url", json_object_new_string(apr_psprintf(pool, "%s%s?%s%spage=%" APR_INT64_T_FMT,
            req->conf->public_path, path, query ? query : "", sep, pg->page + 1)));
    return o;
}

const char *shop_url_escape(apr_pool_t *pool, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(pool, strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (apr_isalnum(*c) || *c == '-' || *c == '_' || *c == '.' || *c == '~') *o++ = (char)*c;
        else {
            *o++ = '%';
            *o++ = hex[*c >> 4];
            *o++ = hex[*c & 15];
        }
    }
    *o = '\0';
    return out;
}
