/* Answers: HTML pages through templates, JSON documents, errors in the
 * user's language, and the security headers every response carries.
 * Each function sends the body itself and returns OK (the handler's return
 * value), setting r->status. */
#ifndef SHOP_WEB_RENDER_H
#define SHOP_WEB_RENDER_H

#include "web/request.h"

/* Content-Security-Policy, nosniff, frame-ancestors, referrer policy: on every
 * response, errors included. */
void shop_security_headers(request_rec *r);

/* Render template `tpl` (a page that extends "layout") with `data` (may be
 * NULL; released with the request) plus the common fields: str (strings of
 * the language), lang, base (shop path), csrf_token, user, moodle_url. */
int shop_render_page(shop_req_t *req, int status, const char *tpl, json_object *data);

/* The same page as text, not sent: `csrf_token` NULL puts the session's
 * token, anything else is used as is (a marker for cached pages). */
apr_status_t shop_render_page_text(shop_req_t *req, const char *tpl, json_object *data, const char *csrf_token,
                                   const char **out, apr_size_t *len);

/* Send rendered HTML (no-store, like every page). */
int shop_send_html(shop_req_t *req, int status, const char *html, apr_size_t len);

/* Send `body` as application/json (released with the request). */
int shop_render_json(shop_req_t *req, int status, json_object *body);

/* An error: JSON {"error":{"code","message","fields"}} for API routes, an HTML
 * page otherwise.  `message_key` names a string of templates/lang (falls back
 * to the code); `fields` (may be NULL) maps field names to message keys. */
int shop_render_error(shop_req_t *req, int status, const char *code, const char *message_key,
                      json_object *fields);

/* The two commonest errors: 503 (no database, a statement failed) and 404. */
int shop_render_unavailable(shop_req_t *req);
int shop_render_not_found(shop_req_t *req);

/* A plain body of the given type. */
int shop_send_body(shop_req_t *req, int status, const char *content_type, const char *body,
                   apr_size_t len);

/* 303 to a same-site path below the shop (path must start with '/'). */
int shop_redirect_local(shop_req_t *req, const char *path);

/* A JSON string, or JSON null for NULL. */
json_object *shop_json_string_or_null(const char *s);

/* Tie a json-c object's release to a pool. Returns obj. */
json_object *shop_json_own(apr_pool_t *pool, json_object *obj);

#endif
