/* services/env.h from the server configuration; shop_actor_t from the
 * request's identity. */
#include "web/services_env.h"
#include "web/router.h"


const shop_env_t *shop_req_env(shop_req_t *req)
{
    const shop_env_t *cached = NULL;
    apr_pool_userdata_get((void **)&cached, "shop_env", req->r->pool);
    if (cached) return cached;
    shop_env_t *env = apr_pcalloc(req->r->pool, sizeof(*env));
    env->templates = req->rt->templates;
    env->i18n = req->rt->i18n;
    env->data_dir = req->conf->data_dir;
    env->font_dir = SHOP_DEFAULT_FONT_DIR;
    env->public_url = req->conf->public_url;     /* config.c stores both without a trailing '/' */
    env->moodle_url = req->conf->moodle_url;
    env->smtp_url = req->conf->smtp_url;
    env->mail_from = req->conf->mail_from;
    env->secret = req->conf->secret;
    env->secret_len = req->conf->secret_len;
    env->sales_role = req->conf->sales_role;
    env->default_lang = shop_conf_language(req->dconf);
    apr_pool_userdata_setn(env, "shop_env", NULL, req->r->pool);
    return env;
}

shop_actor_t shop_req_actor(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    shop_actor_t a = { 0 };
    a.userid = id->userid;
    a.source = req->is_api ? "api" : "web";
    a.is_staff = id->role >= SHOP_ROLE_STAFF;
    a.is_admin = id->role == SHOP_ROLE_ADMIN;
    return a;
}

typedef struct after_response {
    shop_req_t *req;
    void (*fn)(shop_req_t *req, void *baton);
    void *baton;
} after_response_t;

static apr_status_t run_after_response(void *data)
{
    after_response_t *a = data;
    a->fn(a->req, a->baton);
    return APR_SUCCESS;
}

void shop_req_after_response(shop_req_t *req, void (*fn)(shop_req_t *req, void *baton), void *baton)
{
    shop_req_db(req);     /* acquired now: released after fn (cleanups run last registered first) */
    after_response_t *a = apr_palloc(req->r->pool, sizeof(*a));
    a->req = req;
    a->fn = fn;
    a->baton = baton;
    apr_pool_cleanup_register(req->r->pool, a, run_after_response, apr_pool_cleanup_null);
}
