/* The content handler: one path for every request, in this order —
 * route → security headers → schema → role → body → parameters → CSRF →
 * route handler → session write-back → metrics.  See handler.h. */
#include "web/handler.h"
#include "web/body.h"
#include "web/log.h"
#include "web/module.h"
#include "web/render.h"
#include "web/router.h"
#include "web/session.h"

#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include <apr_strings.h>

#include "core/csrf.h"
#include "core/form.h"
#include "data/schema_repo.h"

#define SHOP_HANDLER_NAME "shop"

/* Is the shop's schema recent enough?  Once it is, a child never asks again;
 * while it is behind, it asks again every SHOP_SCHEMA_RECHECK. */
static int schema_ready(shop_req_t *req)
{
    shop_runtime_t *rt = req->rt;
    apr_time_t now = req->r->request_time;
    apr_thread_mutex_lock(rt->lock);
    int known = rt->schema_version;
    int recent = rt->schema_checked && now - rt->schema_checked < SHOP_SCHEMA_RECHECK;
    apr_thread_mutex_unlock(rt->lock);
    if (known >= SHOP_SCHEMA_REQUIRED || recent) return known >= SHOP_SCHEMA_REQUIRED;

    shop_db_t *db = shop_req_db(req);
    int version = 0;
    if (!db || shop_schema_current(db, &version) != 0) return 0;
    apr_thread_mutex_lock(rt->lock);
    rt->schema_version = version;
    rt->schema_checked = now;
    apr_thread_mutex_unlock(rt->lock);
    if (version < SHOP_SCHEMA_REQUIRED)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(0101)
                      "the shop schema is at version %d, this module needs %d: run "
                      "`shopctl schema upgrade` (see README, Upgrading)", version, SHOP_SCHEMA_REQUIRED);
    return version >= SHOP_SCHEMA_REQUIRED;
}

/* The path below the shop: r->uri without the path of ShopPublicURL (the
 * <Location> the shop is served at; httpd does not tell a handler which
 * section matched). */
static const char *shop_path(request_rec *r, const shop_srv_conf_t *conf)
{
    size_t n = strlen(conf->public_path);
    const char *rest = r->uri;
    if (n && strncmp(r->uri, conf->public_path, n) == 0 && (r->uri[n] == '/' || r->uri[n] == '\0'))
        rest = r->uri + n;
    return *rest ? rest : "/";
}

/* Query parameters, then body fields, filtered by the route's whitelist and
 * checked by type.  A bad value is a 400 naming the field. */
static int filter_params(shop_req_t *req, json_object **fields)
{
    request_rec *r = req->r;
    apr_table_t *given = apr_table_make(r->pool, 8);
    if (r->args && *r->args) {
        apr_table_t *query = NULL;
        const char *error;
        if (shop_form_parse(r->pool, r->args, strlen(r->args), &query, &error) != APR_SUCCESS) {
            *fields = json_object_new_object();
            json_object_object_add(*fields, "query", json_object_new_string("error_bad_query"));
            return HTTP_BAD_REQUEST;
        }
        given = apr_table_overlay(r->pool, given, query);
    }
    if (req->params) given = apr_table_overlay(r->pool, given, req->params);
    req->raw_params = given;

    apr_table_t *kept = apr_table_make(r->pool, 8);
    for (const shop_param_t *p = req->route->params; p && p->name; p++) {
        const char *v = apr_table_get(given, p->name);
        if (!v) continue;
        if (shop_param_check(p, v)) {
            if (!*fields) *fields = json_object_new_object();
            json_object_object_add(*fields, p->name, json_object_new_string("error_bad_value"));
            continue;
        }
        apr_table_setn(kept, p->name, v);
    }
    /* Keep the CSRF form field for the check, never for the handler. */
    const char *token = req->params ? apr_table_get(req->params, SHOP_CSRF_FIELD) : NULL;
    if (token) apr_table_setn(kept, SHOP_CSRF_FIELD, token);
    req->params = kept;
    return *fields ? HTTP_BAD_REQUEST : OK;
}

static int csrf_ok(shop_req_t *req)
{
    const char *token = apr_table_get(req->r->headers_in, "X-CSRF-Token");
    if (!token) token = apr_table_get(req->params, SHOP_CSRF_FIELD);
    shop_session_t *s = shop_req_session(req);
    /* A session the browser has never seen cannot have a token yet. */
    return !s->is_new && shop_csrf_check(req->r->pool, req->conf->secret, req->conf->secret_len, s->id, token);
}

/* 1 when the shopper's role is below the route's, after answering 401/403. */
static int role_denied(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    if (id->role >= req->route->role) return 0;
    if (id->userid <= 0)
        shop_render_error(req, HTTP_UNAUTHORIZED, "login_required", "error_login_required", NULL);
    else
        shop_render_error(req, HTTP_FORBIDDEN, "forbidden", "error_403_message", NULL);
    return 1;
}

static int run(shop_req_t *req)
{
    request_rec *r = req->r;
    int path_known = 0;
    const char *allow = NULL;
    req->route = shop_route_match(r->pool, r->method, req->path, req->captures, &path_known, &allow);
    if (!req->route) {
        if (path_known) {
            apr_table_setn(r->err_headers_out, "Allow", allow);
            return shop_render_error(req, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "error_405_message", NULL);
        }
        return shop_render_not_found(req);
    }
    req->is_api = req->is_api || (req->route->flags & SHOP_ROUTE_API);

    if (!(req->route->flags & SHOP_ROUTE_NO_DB)) {
        if (!schema_ready(req)) {
            apr_table_setn(r->err_headers_out, "Retry-After", "30");
            return shop_render_unavailable(req);
        }
    }
    if (req->route->role > SHOP_ROLE_ANONYMOUS && role_denied(req)) return OK;

    if (req->route->body != SHOP_BODY_NONE) {
        const char *error = NULL;
        switch (shop_body_read(req, &error)) {
        case SHOP_BODY_OK: break;
        case SHOP_BODY_WRONG_TYPE:
            return shop_render_error(req, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "error_415_message", NULL);
        case SHOP_BODY_TOO_LARGE:
            return shop_render_error(req, HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", "error_413_message", NULL);
        case SHOP_BODY_BAD:
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SHOPLOGNO(0102) "bad request body: %s", error);
            return shop_render_error(req, HTTP_BAD_REQUEST, "bad_request", "error_400_message", NULL);
        }
    }
    json_object *fields = NULL;
    if (filter_params(req, &fields) != OK)
        return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_parameters", "error_400_message", fields);

    if (req->route->csrf && !csrf_ok(req)) {
        shop_metrics_add(req->rt->metrics, SHOP_M_CSRF_REJECTED, 1);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SHOPLOGNO(0103) "CSRF token missing or wrong for %s %s",
                      r->method, req->path);
        return shop_render_error(req, HTTP_FORBIDDEN, "csrf_failed", "csrf_failed", NULL);
    }
    return req->route->handler(req);
}

static void count(shop_req_t *req, apr_time_t started)
{
    int s = req->r->status;
    shop_metric_t m = s < 300 ? SHOP_M_REQ_2XX : s < 400 ? SHOP_M_REQ_3XX : s < 500 ? SHOP_M_REQ_4XX : SHOP_M_REQ_5XX;
    shop_metrics_add(req->rt->metrics, m, 1);
    shop_metrics_add(req->rt->metrics, SHOP_M_REQ_MICROS, (apr_uint64_t)(apr_time_now() - started));
}

int shop_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, SHOP_HANDLER_NAME) != 0) return DECLINED;
    apr_time_t started = apr_time_now();

    shop_req_t *req = apr_pcalloc(r->pool, sizeof(*req));
    req->r = r;
    req->conf = ap_get_module_config(r->server->module_config, &shop_module);
    req->dconf = ap_get_module_config(r->per_dir_config, &shop_module);
    req->rt = req->conf->rt;
    req->now = apr_time_sec(r->request_time);
    req->path = shop_path(r, req->conf);
    req->is_api = strncmp(req->path, "/api/", 5) == 0;
    shop_security_headers(r);
    if (!req->rt) return HTTP_INTERNAL_SERVER_ERROR;   /* post_config refused to start; unreachable */

    int rv = run(req);
    /* A handler that answered without a body (a bare status) still owes the
     * session its write-back and cookie; answers with a body did it already. */
    if (rv != OK) shop_session_finish(req);
    count(req, started);
    return rv;
}
