/* Pages, JSON and errors: see render.h. */
#include "web/render.h"
#include "web/log.h"
#include "web/module.h"
#include "web/session.h"

#include "http_protocol.h"
#include "http_request.h"
#include <apr_strings.h>

#include "core/mustache.h"
#include "core/i18n.h"

/* Scripts and styles come from the shop itself; nothing may frame it. */
#define SHOP_CSP "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " \
                 "script-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; " \
                 "frame-ancestors 'self'"

void shop_security_headers(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Content-Security-Policy", SHOP_CSP);
    apr_table_setn(r->err_headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->err_headers_out, "X-Frame-Options", "SAMEORIGIN");
    apr_table_setn(r->err_headers_out, "Referrer-Policy", "same-origin");
}

static apr_status_t json_put(void *obj)
{
    json_object_put(obj);
    return APR_SUCCESS;
}

json_object *shop_json_string_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

json_object *shop_json_own(apr_pool_t *pool, json_object *obj)
{
    if (obj) apr_pool_cleanup_register(pool, obj, json_put, apr_pool_cleanup_null);
    return obj;
}

int shop_send_body(shop_req_t *req, int status, const char *content_type, const char *body,
                   apr_size_t len)
{
    request_rec *r = req->r;
    /* The session is written back, and its cookie set, before any byte of
     * the answer leaves.  If the change cannot be kept, say so. */
    if (shop_session_finish(req) != 0) {
        status = HTTP_SERVICE_UNAVAILABLE;
        content_type = "text/plain; charset=utf-8";
        body = shop_i18n_get(req->rt->i18n, shop_req_lang(req), "error_503_message");
        len = strlen(body);
    }
    r->status = status;
    ap_set_content_type(r, content_type);
    ap_set_content_length(r, len);
    if (!r->header_only && len) ap_rwrite(body, (int)len, r);
    return OK;
}

int shop_render_json(shop_req_t *req, int status, json_object *body)
{
    shop_json_own(req->r->pool, body);
    apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
    size_t len = 0;
    const char *text = json_object_to_json_string_length(
        body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    return shop_send_body(req, status, "application/json; charset=utf-8", text, len);
}

static json_object *user_json(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    if (id->userid <= 0) return NULL;
    json_object *u = json_object_new_object();
    json_object_object_add(u, "id", json_object_new_int64(id->userid));
    json_object_object_add(u, "fullname", json_object_new_string(
        apr_pstrcat(req->r->pool, id->firstname ? id->firstname : "", " ",
                    id->lastname ? id->lastname : "", NULL)));
    json_object_object_add(u, "is_staff", json_object_new_boolean(id->role >= SHOP_ROLE_STAFF));
    return u;
}

apr_status_t shop_render_page_text(shop_req_t *req, const char *tpl, json_object *data, const char *csrf_token,
                                   const char **out, apr_size_t *len)
{
    request_rec *r = req->r;
    json_object *root = data ? data : json_object_new_object();
    shop_json_own(r->pool, root);
    const char *lang = shop_req_lang(req);
    json_object_object_add(root, "lang", json_object_new_string(lang));
    json_object_object_add(root, apr_pstrcat(r->pool, "lang_", lang, NULL), json_object_new_boolean(1));
    json_object_object_add(root, "base", json_object_new_string(req->conf->public_path));
    json_object_object_add(root, "moodle_url", json_object_new_string(req->conf->moodle_url));
    json_object_object_add(root, "csrf_token", json_object_new_string(csrf_token ? csrf_token : shop_req_csrf_token(req)));
    json_object_object_add(root, "user", user_json(req));

    /* The language's strings are shared by every thread: they are offered as
     * the bottom of the context stack, never linked into the request's tree. */
    json_object *layers[] = { shop_i18n_context(req->rt->i18n, lang), root };
    apr_status_t rv = shop_tpl_render_layers(req->rt->templates, tpl, layers, 2, r->pool, out, len);
    if (rv != APR_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, SHOPLOGNO(0301) "rendering template %s failed", tpl);
    return rv;
}

int shop_send_html(shop_req_t *req, int status, const char *html, apr_size_t len)
{
    apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
    return shop_send_body(req, status, "text/html; charset=utf-8", html, len);
}

int shop_render_page(shop_req_t *req, int status, const char *tpl, json_object *data)
{
    const char *out = NULL;
    apr_size_t len = 0;
    if (shop_render_page_text(req, tpl, data, NULL, &out, &len) != APR_SUCCESS)
        return shop_send_body(req, HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "Internal error\n", 15);
    return shop_send_html(req, status, out, len);
}

int shop_render_error(shop_req_t *req, int status, const char *code, const char *message_key,
                      json_object *fields)
{
    const char *lang = shop_req_lang(req);
    const char *message = shop_i18n_get(req->rt->i18n, lang, message_key ? message_key : code);
    if (req->is_api) {
        json_object *err = json_object_new_object();
        json_object_object_add(err, "code", json_object_new_string(code));
        json_object_object_add(err, "message", json_object_new_string(message));
        if (fields) {
            json_object *translated = json_object_new_object();
            json_object_object_foreach(fields, name, key) {
                json_object_object_add(translated, name, json_object_new_string(
                    shop_i18n_get(req->rt->i18n, lang, json_object_get_string(key))));
            }
            json_object_object_add(err, "fields", translated);
            json_object_put(fields);
        }
        json_object *body = json_object_new_object();
        json_object_object_add(body, "error", err);
        return shop_render_json(req, status, body);
    }
    if (fields) json_object_put(fields);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "status", json_object_new_int(status));
    json_object_object_add(data, "code", json_object_new_string(code));
    json_object_object_add(data, "message", json_object_new_string(message));
    json_object_object_add(data, "title", json_object_new_string(
        shop_i18n_get(req->rt->i18n, lang, apr_psprintf(req->r->pool, "error_%d_title", status))));
    return shop_render_page(req, status, "error", data);
}

int shop_render_unavailable(shop_req_t *req)
{
    return shop_render_error(req, HTTP_SERVICE_UNAVAILABLE, "unavailable", "error_503_message", NULL);
}

int shop_render_not_found(shop_req_t *req)
{
    return shop_render_error(req, HTTP_NOT_FOUND, "not_found", "error_404_message", NULL);
}

int shop_redirect_local(shop_req_t *req, const char *path)
{
    request_rec *r = req->r;
    apr_table_setn(r->headers_out, "Location", apr_pstrcat(r->pool, req->conf->public_url, path, NULL));
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return shop_send_body(req, HTTP_SEE_OTHER, "text/plain; charset=utf-8", "", 0);
}
