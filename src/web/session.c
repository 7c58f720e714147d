/* Shop sessions: see session.h. */
#include "web/session.h"
#include "web/log.h"
#include "web/module.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/cookie.h"
#include "core/crypto.h"
#include "data/session_repo.h"

#define ID_BYTES 32            /* 256-bit ids, 64 hex characters */

static const char *sign_id(shop_req_t *req, const char *id)
{
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *msg = apr_pstrcat(req->r->pool, "session|", id, NULL);
    shop_hmac_sha256(req->conf->secret, req->conf->secret_len, msg, strlen(msg), mac);
    return shop_base64url_encode(req->r->pool, mac, sizeof(mac));
}

/* The id inside a cookie value, when its signature holds. */
static const char *verified_id(shop_req_t *req, const char *cookie)
{
    const char *dot = cookie ? strchr(cookie, '.') : NULL;
    if (!dot || dot - cookie != ID_BYTES * 2) return NULL;
    const char *id = apr_pstrndup(req->r->pool, cookie, dot - cookie);
    for (const char *c = id; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return NULL;
    const char *expected = sign_id(req, id);
    const char *given = dot + 1;
    if (!shop_ct_streq(given, expected))
        return NULL;
    return id;
}

static shop_session_t *fresh(shop_req_t *req)
{
    shop_session_t *s = apr_pcalloc(req->r->pool, sizeof(*s));
    s->id = shop_random_id(req->r->pool, ID_BYTES);
    s->cookie = apr_pstrcat(req->r->pool, s->id, ".", sign_id(req, s->id), NULL);
    s->data = json_object_new_object();
    s->is_new = 1;
    return s;
}

static apr_status_t release_data(void *data)
{
    shop_session_t *s = data;
    if (s->data) json_object_put(s->data);
    s->data = NULL;
    return APR_SUCCESS;
}

static json_object *parse_data(const char *text)
{
    json_object *obj = text ? json_tokener_parse(text) : NULL;
    if (obj && !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        obj = NULL;
    }
    return obj;
}

static const char *cache_key(shop_req_t *req, const char *id)
{
    return apr_pstrcat(req->r->pool, "s:", id, NULL);
}

shop_session_t *shop_session_load(shop_req_t *req)
{
    request_rec *r = req->r;
    const char *header = apr_table_get(r->headers_in, "Cookie");
    const char *id = verified_id(req, header ? shop_cookie_find(r->pool, header, SHOP_SESSION_COOKIE) : NULL);
    shop_session_t *s = NULL;

    if (id) {
        const char *text = NULL;
        apr_size_t len;
        json_object *data = NULL;
        if (shop_cache_get(req->rt->cache, r->pool, cache_key(req, id), &text, &len) == APR_SUCCESS)
            data = parse_data(text);
        if (!data) {
            shop_db_t *db = shop_req_db(req);
            if (db && shop_session_repo_load(db, id, req->now, &text) == 0) {
                shop_metrics_add(req->rt->metrics, SHOP_M_SESSIONS_DB_READS, 1);
                /* Put it back in the cache so the next request is cheap; a
                 * session that holds nothing yet is cached as "{}" so that
                 * browsing never asks the database again.  `add` never
                 * overwrites what a concurrent write has just stored. */
                if (!text) text = "{}";
                data = parse_data(text);
                shop_cache_add(req->rt->cache, r->pool, cache_key(req, id), text, strlen(text), SHOP_SESSION_TTL);
            }
        }
        s = apr_pcalloc(r->pool, sizeof(*s));
        s->id = id;
        s->cookie = apr_pstrcat(r->pool, id, ".", sign_id(req, id), NULL);
        s->stored = data != NULL;
        s->data = data ? data : json_object_new_object();
        json_object *uid;
        if (json_object_object_get_ex(s->data, "userid", &uid)) s->userid = json_object_get_int64(uid);
    } else {
        s = fresh(req);
    }
    apr_pool_cleanup_register(r->pool, s, release_data, apr_pool_cleanup_null);
    return s;
}

void shop_session_touch(shop_session_t *s)
{
    s->dirty = 1;
}

void shop_session_rotate(shop_req_t *req)
{
    shop_session_t *s = shop_req_session(req);
    if (s->stored) {
        shop_db_t *db = shop_req_db(req);
        if (db) shop_session_repo_delete(db, s->id);
        shop_cache_delete(req->rt->cache, req->r->pool, cache_key(req, s->id));
    }
    s->id = shop_random_id(req->r->pool, ID_BYTES);
    s->cookie = apr_pstrcat(req->r->pool, s->id, ".", sign_id(req, s->id), NULL);
    s->is_new = 1;
    s->stored = 0;
    s->dirty = 1;
    shop_metrics_add(req->rt->metrics, SHOP_M_SESSIONS_ROTATED, 1);
}

static void send_cookie(shop_req_t *req, shop_session_t *s)
{
    request_rec *r = req->r;
    int secure = shop_conf_cookie_secure(req->dconf, req->conf, ap_http_scheme(r) && !strcmp(ap_http_scheme(r), "https"));
    const char *path = *req->conf->public_path ? req->conf->public_path : "/";
    const char *value = shop_cookie_format(r->pool, SHOP_SESSION_COOKIE, s->cookie, path, -1,
                                           SHOP_COOKIE_HTTPONLY | (secure ? SHOP_COOKIE_SECURE : 0), "Lax");
    if (value) apr_table_addn(r->err_headers_out, "Set-Cookie", value);
}

int shop_session_finish(shop_req_t *req)
{
    shop_session_t *s = req->session;
    if (!s) return 0;
    if (s->dirty) {
        request_rec *r = req->r;
        json_object_object_add(s->data, "userid", json_object_new_int64(s->userid));
        const char *text = json_object_to_json_string_ext(s->data, JSON_C_TO_STRING_PLAIN);
        shop_db_t *db = shop_req_db(req);
        /* The database copy first: it is the one that must survive. */
        if (!db || shop_session_repo_save(db, s->id, s->userid, text, req->now,
                                          req->now + SHOP_SESSION_TTL) != 0) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SHOPLOGNO(0401) "session %.8s… could not be saved: %s",
                          s->id, db ? db->last_message : "no database connection");
            return -1;
        }
        if (!s->stored) shop_metrics_add(req->rt->metrics, SHOP_M_SESSIONS_CREATED, 1);
        if (shop_cache_set(req->rt->cache, r->pool, cache_key(req, s->id), text, strlen(text),
                           SHOP_SESSION_TTL) != APR_SUCCESS) {
            /* A stale cached copy would be worse than none. */
            shop_cache_delete(req->rt->cache, r->pool, cache_key(req, s->id));
            shop_metrics_add(req->rt->metrics, SHOP_M_MC_ERRORS, 1);
        }
        s->stored = 1;
        s->dirty = 0;
    }
    if (s->is_new) {
        send_cookie(req, s);
        s->is_new = 0;
    }
    return 0;
}
