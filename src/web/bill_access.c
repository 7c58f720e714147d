/* Who may read a bill: see bill_access.h. */
#include "web/bill_access.h"
#include "web/session.h"
#include "web/render.h"

#include <string.h>

#include "core/bill_link.h"
#include "data/customer_repo.h"

/* The session's "orders": transids it placed whose checkout state is gone. */
static int remembered(json_object *data, const char *transid)
{
    json_object *orders;
    if (!json_object_object_get_ex(data, "orders", &orders) || !json_object_is_type(orders, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(orders); i++) {
        json_object *t = json_object_array_get_idx(orders, i);
        if (json_object_is_type(t, json_type_string) && !strcmp(json_object_get_string(t), transid)) return 1;
    }
    return 0;
}

void shop_bill_remember_placed(shop_req_t *req, const char *transid)
{
    shop_session_t *s = shop_req_session(req);
    json_object *orders;
    if (!transid || remembered(s->data, transid)) return;
    if (!json_object_object_get_ex(s->data, "orders", &orders) || !json_object_is_type(orders, json_type_array)) {
        orders = json_object_new_array();
        json_object_object_add(s->data, "orders", orders);
    }
    json_object_array_add(orders, json_object_new_string(transid));
    if (json_object_array_length(orders) > SHOP_SESSION_ORDERS_MAX) json_object_array_del_idx(orders, 0, 1);
    shop_session_touch(s);
}

int shop_bill_placed_here(shop_req_t *req, const char *transid)
{
    json_object *all, *t;
    if (!transid) return 0;
    if (remembered(shop_req_session(req)->data, transid)) return 1;
    if (!json_object_object_get_ex(shop_req_session(req)->data, "checkout", &all)
        || !json_object_is_type(all, json_type_object))
        return 0;
    json_object_object_foreach(all, shop, state) {
        (void)shop;
        if (json_object_is_type(state, json_type_object) && json_object_object_get_ex(state, "transid", &t)
            && json_object_is_type(t, json_type_string) && !strcmp(json_object_get_string(t), transid))
            return 1;
    }
    return 0;
}

/* Is the logged-in user the account bound to the bill's customer?  The
 * customer table binds at most one account to a customer and one customer
 * to an account (UNIQUE userid). */
static int customer_account(shop_req_t *req, const shop_bill_t *b, apr_int64_t userid, int *yes)
{
    shop_customer_t *c = NULL;
    *yes = 0;
    if (b->customer_id <= 0) return 0;
    if (shop_customer_get_for_user(shop_req_db(req), userid, &c) != 0) return -1;
    *yes = c && c->id == b->customer_id;
    return 0;
}

int shop_bill_access(shop_req_t *req, const shop_bill_t *b, shop_bill_access_t *how)
{
    shop_identity_t *who = shop_req_identity(req);
    const char *sig = shop_req_param(req, "sig");
    int mine = 0;

    *how = SHOP_BILL_NO_ACCESS;
    if (who->role >= SHOP_ROLE_STAFF) {
        *how = SHOP_BILL_BY_STAFF;
        return 0;
    }
    if (who->userid > 0) {
        if (who->userid == b->userid) mine = 1;
        else if (customer_account(req, b, who->userid, &mine) != 0) return -1;
        if (mine) {
            *how = SHOP_BILL_BY_OWNER;
            return 0;
        }
    }
    if (shop_bill_placed_here(req, b->transid))
        *how = SHOP_BILL_BY_SESSION;
    else if (sig && req->conf->secret
             && shop_bill_link_verify(req->r->pool, req->conf->secret, req->conf->secret_len, b->transid, sig, req->now))
        *how = SHOP_BILL_BY_LINK;
    return 0;
}

shop_bill_t *shop_bill_open_readable(shop_req_t *req, const char *transid, shop_bill_access_t *how)
{
    shop_db_t *db = shop_req_db(req);
    shop_bill_t *b = NULL;
    shop_bill_access_t access;

    if (!db || shop_bill_by_transid(db, transid, &b) != 0) {
        shop_render_unavailable(req);
        return NULL;
    }
    if (!b) {
        shop_render_not_found(req);
        return NULL;
    }
    if (shop_bill_access(req, b, &access) != 0) {
        shop_render_unavailable(req);
        return NULL;
    }
    if (access == SHOP_BILL_NO_ACCESS) {
        shop_render_not_found(req);
        return NULL;
    }
    if (how) *how = access;
    return b;
}

const char *shop_bill_link_for(shop_req_t *req, const char *transid)
{
    if (!req->conf->secret) return NULL;
    return shop_bill_link_sign(req->r->pool, req->conf->secret, req->conf->secret_len, transid,
                               req->now + SHOP_BILL_LINK_TTL);
}
