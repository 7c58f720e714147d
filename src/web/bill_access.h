/* Who may read a bill (its page, its PDF, the bill API): staff (sales role,
 * site admins); its Moodle owner (bill.userid, or the Moodle account bound
 * to its customer); the shop session that placed it; or whoever holds a
 * signed link to it (core/bill_link.h) in the `sig` parameter — a route
 * that accepts links must whitelist { "sig", SHOP_P_TOKEN, 128 }.
 * Anyone else gets the same 404 as an unknown transid, so a transid cannot
 * be probed. */
#ifndef SHOP_WEB_BILL_ACCESS_H
#define SHOP_WEB_BILL_ACCESS_H

#include "web/request.h"
#include "data/bill_repo.h"

typedef enum {
    SHOP_BILL_NO_ACCESS = 0,
    SHOP_BILL_BY_LINK,         /* a valid, unexpired signed link for this transid */
    SHOP_BILL_BY_SESSION,      /* this shop session placed it */
    SHOP_BILL_BY_OWNER,        /* its Moodle owner is logged in */
    SHOP_BILL_BY_STAFF         /* sales staff or site admin */
} shop_bill_access_t;

/* Did this session place the bill `transid` (checkout state of any shop, or
 * the orders it remembers)? */
int shop_bill_placed_here(shop_req_t *req, const char *transid);

/* Remember that this session placed `transid`, so its pages stay readable
 * once the cart and checkout state are gone (an order completed at once).
 * The session keeps the last SHOP_SESSION_ORDERS_MAX. */
#define SHOP_SESSION_ORDERS_MAX 20
void shop_bill_remember_placed(shop_req_t *req, const char *transid);

/* How this request may read bill b (the strongest reason first: staff,
 * owner, session, link).  0 with *how, or -1 when the database failed. */
int shop_bill_access(shop_req_t *req, const shop_bill_t *b, shop_bill_access_t *how);

/* The bill of `transid` with its lines when this request may read it, and
 * *how (may be NULL).  NULL after an answer was sent: 404 for an unknown
 * transid and for a bill this request may not read (the same answer), 503
 * when the database failed. */
shop_bill_t *shop_bill_open_readable(shop_req_t *req, const char *transid, shop_bill_access_t *how);

/* A signed link's `sig` value for transid, valid SHOP_BILL_LINK_TTL from
 * now (mails, the bill page's "share" link); NULL without a secret. */
const char *shop_bill_link_for(shop_req_t *req, const char *transid);

#endif
