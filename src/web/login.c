/* Ticket login (/login?ticket=…) and logout.  A ticket is signed with the
 * site secret, expires, and is single use: its nonce is recorded in the
 * database the first time it opens a session. */
#include "web/pages.h"
#include "web/render.h"
#include "web/session.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"

#include "core/ticket.h"
#include "data/moodle_repo.h"
#include "data/session_repo.h"

static int refuse(shop_req_t *req, const char *why, const char *message_key)
{
    shop_metrics_add(req->rt->metrics, SHOP_M_LOGINS_REFUSED, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0601) "login ticket refused: %s", why);
    return shop_render_error(req, HTTP_FORBIDDEN, "login_ticket_invalid", message_key, NULL);
}

int shop_page_login(shop_req_t *req)
{
    const char *token = shop_req_param(req, "ticket");
    if (!token) return shop_render_error(req, HTTP_BAD_REQUEST, "ticket_missing", "login_ticket_invalid", NULL);

    shop_ticket_t ticket;
    switch (shop_ticket_verify(req->r->pool, req->conf->secret, req->conf->secret_len, token, req->now, &ticket)) {
    case SHOP_TICKET_OK: break;
    case SHOP_TICKET_EXPIRED: return refuse(req, "expired", "login_ticket_expired");
    case SHOP_TICKET_BAD_SIGNATURE: return refuse(req, "bad signature", "login_ticket_invalid");
    default: return refuse(req, "malformed", "login_ticket_invalid");
    }
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    shop_moodle_user_t *user = NULL;
    if (shop_moodle_user_get(db, ticket.userid, req->conf->sales_role, &user) != 0)
        return shop_render_unavailable(req);
    if (!user) return refuse(req, "account not active", "login_ticket_invalid");

    int rv = shop_nonce_consume(db, ticket.nonce_hex, user->id, req->now, ticket.expires);
    if (rv == SHOP_DB_ER_DUP_ENTRY) return refuse(req, "already used", "login_ticket_used");
    if (rv != 0) return shop_render_unavailable(req);

    /* A new id for the new identity: a session planted before login is worthless. */
    shop_session_t *s = shop_req_session(req);
    shop_session_rotate(req);
    s->userid = user->id;
    json_object_object_add(s->data, "source", json_object_new_string("ticket"));
    shop_session_touch(s);
    shop_metrics_add(req->rt->metrics, SHOP_M_LOGINS, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0602) "user %" APR_INT64_T_FMT
                  " logged in by ticket", user->id);
    return shop_redirect_local(req, ticket.path && *ticket.path ? ticket.path : "/");
}

int shop_page_logout(shop_req_t *req)
{
    shop_session_t *s = shop_req_session(req);
    shop_session_rotate(req);
    s->userid = 0;
    json_object_object_del(s->data, "source");
    shop_session_touch(s);
    return shop_redirect_local(req, "/");
}
