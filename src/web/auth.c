/* Who is asking: the Moodle session first, then a ticket login kept in the
 * shop session.  See request.h (shop_req_identity) and README "Identity".
 *
 * Rules:
 *  - a valid Moodle session of user U makes the shopper U; if the shop
 *    session belonged to someone else (or to nobody), its id is rotated;
 *  - a shop session opened by Moodle whose Moodle session ended falls back to
 *    anonymous (and rotates), as the user logged out of Moodle;
 *  - a shop session opened by a signed ticket lasts until the shop session
 *    ends, as long as the account stays active;
 *  - role: site admin (Moodle siteadmins), staff (ShopSalesRole at system
 *    context), customer (any other active user), anonymous. */
#include "web/request.h"
#include "web/session.h"
#include "web/log.h"

#include "http_log.h"
#include <apr_strings.h>

#include "core/cookie.h"
#include "data/moodle_repo.h"

/* Moodle's settings, cached per child for SHOP_MOODLE_CFG_TTL. */
int shop_req_moodle_cfg(shop_req_t *req, shop_moodle_cfg_t *out)
{
    shop_runtime_t *rt = req->rt;
    apr_time_t now = req->r->request_time;
    int fresh = 0;
    apr_thread_mutex_lock(rt->lock);
    if (rt->moodle_cfg_loaded && now - rt->moodle_cfg_loaded < SHOP_MOODLE_CFG_TTL) {
        *out = rt->moodle_cfg;
        fresh = 1;
    }
    apr_thread_mutex_unlock(rt->lock);
    if (fresh) return 0;

    shop_db_t *db = shop_req_db(req);
    if (!db || shop_moodle_cfg_load(db, out) != 0) return -1;
    apr_thread_mutex_lock(rt->lock);
    rt->moodle_cfg = *out;
    rt->moodle_cfg_loaded = now;
    apr_thread_mutex_unlock(rt->lock);
    return 0;
}

static void take_user(shop_req_t *req, shop_identity_t *id, const shop_moodle_user_t *u,
                      const shop_moodle_cfg_t *cfg, const char *source)
{
    id->userid = u->id;
    id->firstname = u->firstname;
    id->lastname = u->lastname;
    id->email = u->email;
    id->lang = u->lang;
    id->source = source;
    id->role = shop_moodle_is_site_admin(cfg, u->id) ? SHOP_ROLE_ADMIN
             : u->is_sales ? SHOP_ROLE_STAFF : SHOP_ROLE_CUSTOMER;
}

static const char *session_source(shop_session_t *s)
{
    json_object *src;
    return json_object_object_get_ex(s->data, "source", &src) ? json_object_get_string(src) : NULL;
}

/* Make the shop session belong to `userid` (0: nobody), rotating its id. */
static void bind_session(shop_req_t *req, int64_t userid, const char *source)
{
    shop_session_t *s = shop_req_session(req);
    shop_session_rotate(req);
    s->userid = userid;
    if (source) json_object_object_add(s->data, "source", json_object_new_string(source));
    else json_object_object_del(s->data, "source");
    shop_session_touch(s);
}

shop_identity_t *shop_req_identity(shop_req_t *req)
{
    if (req->identity) return req->identity;
    shop_identity_t *id = apr_pcalloc(req->r->pool, sizeof(*id));
    req->identity = id;

    const char *cookies = apr_table_get(req->r->headers_in, "Cookie");
    const char *shop_cookie = cookies ? shop_cookie_find(req->r->pool, cookies, SHOP_SESSION_COOKIE) : NULL;
    shop_moodle_cfg_t cfg;
    /* Nothing to look up: the cheap and common anonymous case. */
    if (!cookies || (!shop_cookie && !strstr(cookies, "MoodleSession"))) return id;
    if (shop_req_moodle_cfg(req, &cfg) != 0) return id;

    shop_db_t *db = shop_req_db(req);
    const char *moodle_name = apr_pstrcat(req->r->pool, "MoodleSession", cfg.session_cookie, NULL);
    const char *moodle_sid = shop_cookie_find(req->r->pool, cookies, moodle_name);
    shop_moodle_user_t *user = NULL;
    /* A failed lookup leaves this request anonymous but keeps the session
     * bound: a database blip must not log anybody out. */
    if (moodle_sid && *moodle_sid && strlen(moodle_sid) <= 128
        && shop_moodle_session_user(db, &cfg, moodle_sid, req->conf->sales_role, req->now, &user) != 0)
        return id;

    shop_session_t *s = shop_cookie ? shop_req_session(req) : NULL;
    const char *source = s ? session_source(s) : NULL;
    if (user) {
        if (!s || s->userid != user->id) {
            bind_session(req, user->id, "moodle");
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0501)
                          "shop session bound to Moodle user %" APR_INT64_T_FMT, user->id);
        }
        take_user(req, id, user, &cfg, "moodle");
        return id;
    }
    if (!s || s->userid <= 0) return id;
    if (source && strcmp(source, "ticket") == 0) {
        if (shop_moodle_user_get(db, s->userid, req->conf->sales_role, &user) != 0) return id;
        if (user) {
            take_user(req, id, user, &cfg, "ticket");
            return id;
        }
    }
    /* Logged out of Moodle, or the account was suspended or deleted. */
    bind_session(req, 0, NULL);
    return id;
}
