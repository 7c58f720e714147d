/* Lazy parts of the request context: database, session, identity, language.
 * See request.h. */
#include "web/request.h"
#include "web/session.h"
#include "web/log.h"
#include "web/module.h"

#include "http_log.h"
#include "mod_dbd.h"
#include <apr_optional.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "core/csrf.h"
#include "core/i18n.h"
#include "data/moodle_repo.h"

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire;

void shop_request_init_dbd(void)
{
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
}

int shop_request_have_dbd(void)
{
    return dbd_acquire != NULL;
}

static void count_reconnect(shop_db_t *db, int error)
{
    shop_req_t *req = db->baton;
    shop_metrics_add(req->rt->metrics, SHOP_M_DB_RECONNECTS, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0201)
                  "database connection lost (MySQL error %d): statements prepared again", error);
}

static void log_db_error(shop_db_t *db, const char *statement, int error, const char *message)
{
    shop_req_t *req = db->baton;
    shop_metrics_add(req->rt->metrics, SHOP_M_DB_ERRORS, 1);
    /* Lost connections are retried and reported by count_reconnect; a
     * duplicate key is an answer the caller expects (a used ticket, a
     * replayed event) and handles; a deadlock victim is run again by the
     * transactions that may meet one (placement, customer records), which
     * log themselves if they still fail. */
    int level = shop_db_error_is_connection(error) || error == SHOP_DB_ER_DUP_ENTRY
                || error == SHOP_DB_ER_DEADLOCK ? APLOG_INFO : APLOG_ERR;
    ap_log_rerror(APLOG_MARK, level, 0, req->r, SHOPLOGNO(0203) "statement %s failed: MySQL error %d: %s",
                  statement, error, message);
}

shop_db_t *shop_req_db(shop_req_t *req)
{
    if (req->db_state == 1) return req->db;
    if (req->db_state == -1) return NULL;
    ap_dbd_t *dbd = dbd_acquire ? dbd_acquire(req->r) : NULL;
    if (!dbd) {
        req->db_state = -1;
        shop_metrics_add(req->rt->metrics, SHOP_M_DB_UNAVAILABLE, 1);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(0202)
                      "no database connection (is MariaDB up? see mod_dbd's message above)");
        return NULL;
    }
    req->db = apr_pcalloc(req->r->pool, sizeof(*req->db));
    shop_db_init(req->db, dbd->driver, dbd->handle, req->r->pool, dbd->pool, dbd->prepared,
                 req->conf->table_prefix, req->conf->moodle_prefix);
    req->db->on_reconnect = count_reconnect;
    req->db->on_error = log_db_error;
    req->db->baton = req;
    req->db_state = 1;
    return req->db;
}

shop_session_t *shop_req_session(shop_req_t *req)
{
    if (!req->session) req->session = shop_session_load(req);
    return req->session;
}

const char *shop_req_csrf_token(shop_req_t *req)
{
    shop_session_t *s = shop_req_session(req);
    return shop_csrf_token(req->r->pool, req->conf->secret, req->conf->secret_len, s->id);
}

apr_int64_t shop_parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18) return 0;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9') return 0;
    return apr_atoi64(s);
}

apr_int64_t shop_req_capture_id(shop_req_t *req, int i)
{
    return i >= 0 && i < (int)(sizeof(req->captures) / sizeof(req->captures[0])) ? shop_parse_id(req->captures[i]) : 0;
}

const char *shop_req_text(shop_req_t *req, const char *key)
{
    return shop_i18n_get(req->rt->i18n, shop_req_lang(req), key);
}

const shop_upload_t *shop_req_upload(shop_req_t *req, const char *field)
{
    for (int i = 0; req->uploads && i < req->uploads->nelts; i++) {
        const shop_upload_t *u = &APR_ARRAY_IDX(req->uploads, i, shop_upload_t);
        if (strcmp(u->field, field) == 0 && u->len > 0) return u;
    }
    return NULL;
}

const char *shop_req_param(shop_req_t *req, const char *name)
{
    return req->params ? apr_table_get(req->params, name) : NULL;
}

const char *shop_req_lang(shop_req_t *req)
{
    if (req->lang) return req->lang;
    /* An explicit choice kept in the session, then the Moodle user's language. */
    const char *user_lang = NULL;
    shop_identity_t *id = shop_req_identity(req);
    json_object *chosen;
    if (req->session && json_object_object_get_ex(req->session->data, "lang", &chosen))
        user_lang = json_object_get_string(chosen);
    else if (id->lang && *id->lang)
        user_lang = id->lang;
    req->lang = shop_i18n_negotiate(req->rt->i18n, user_lang,
                                    apr_table_get(req->r->headers_in, "Accept-Language"),
                                    shop_conf_language(req->dconf));
    return req->lang;
}
