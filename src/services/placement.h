/* Placing an order (local_shop "payment?what=place", §4.3): the priced cart
 * becomes a PLACED bill with its lines, and the stock it needs is held.
 *
 * shop_order_place() runs INSIDE the caller's transaction (the caller has
 * also recorded the customer in it) and either writes everything or returns
 * a refusal, after which the caller rolls back:
 *   1. the catalogue's version is read from the database: if it moved since
 *      the cart was priced (the per-child model, checked through memcached,
 *      may lag), PRICES_CHANGED (the buyer sees the new prices before paying
 *      them; no price older than the catalogue at placement time is placed);
 *   2. the cart's bill (order->transid) is locked: an unpaid one (PLACED or
 *      PENDING, nothing paid, no invoice number) is refreshed — its lines
 *      deleted, its stock holds given back, its offer-code uses undone — and
 *      keeps its transid; a paid one is never touched: ALREADY_PAID; a
 *      closed one (cancelled, failed, refused) is left alone and a new bill
 *      is made;
 *   3. stock: products are taken in id order (no deadlock between buyers),
 *      each with one conditional UPDATE (stock - reserved >= quantity), so
 *      concurrent buyers of the last units get exactly the units there are;
 *      the first that cannot be served is SOLD_OUT naming its code.  Each hold
 *      is a stock_reservation row expiring after order->hold_seconds;
 *   4. offer codes with a use limit are counted with a conditional UPDATE:
 *      CODE_EXHAUSTED when the limit was reached meanwhile;
 *   5. the bill (status PLACED, a new transid of 192 random bits when not
 *      refreshing), its lines in order and the audit row (NULL -> PLACED, or
 *      PLACED -> PLACED "refreshed") are written.
 * Amounts are the caller's (the pricing engine's); nothing is recomputed
 * here, so what the buyer saw is what is placed.
 *
 * Release (shop_stock_release_*): a hold is given back exactly once — the
 * reservation row is flagged with a conditional UPDATE (released = 0) and
 * only the caller that flipped it gives the units back. */
#ifndef SHOP_SERVICES_PLACEMENT_H
#define SHOP_SERVICES_PLACEMENT_H

#include "data/db.h"
#include "core/pricing.h"

typedef struct shop_order_line {
    shop_line_type_t type;              /* PRODUCT, DISCOUNT, SHIPPING */
    const char *code, *label, *description;
    apr_int64_t quantity;               /* >= 1 */
    apr_int64_t unit_minor, untaxed_minor, tax_minor, total_minor;
    apr_int64_t tax_id;                 /* 0 = untaxed */
    const char *tax_rate;               /* exact decimal text, "0" when untaxed */
    apr_int64_t product_id;             /* PRODUCT (0 otherwise) */
    int hold_stock;                     /* PRODUCT with limited stock */
    apr_int64_t discount_id;            /* DISCOUNT */
    /* JSON texts (NULL = none) */
    const char *snapshot, *required_data, *seats, *discount_data;
} shop_order_line_t;

typedef struct shop_order_code {
    apr_int64_t discount_id;
    const char *code;
} shop_order_code_t;

typedef struct shop_order {
    apr_int64_t shop_id, catalogue_id, catalogue_version;
    apr_int64_t customer_id;
    apr_int64_t userid;                 /* 0 = anonymous */
    const char *transid;                /* the cart's bill to refresh, or NULL */
    const char *currency, *lang, *title, *paymode;
    const char *invoicing_identity;     /* JSON text frozen for documents */
    const char *engagement_number;      /* public buyers' purchase order (bill.engagement_number), or NULL */
    const char *terms_hash, *terms_ip;  /* hex SHA-256 of the terms accepted, client address */
    const char *partner_key;            /* the partner of a prefill link or partner code, or NULL */
    const char *partner_tag;
    int test;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor, discount_minor, shipping_minor, to_pay_minor;
    const shop_order_line_t *lines;
    int nlines;
    const shop_order_code_t *codes;     /* offer codes used (counted) */
    int ncodes;
    apr_int64_t now;
    apr_int64_t hold_seconds;           /* stock hold before cron releases it */
    const char *source;                 /* audit: "web" | "api" */
} shop_order_t;

typedef enum {
    SHOP_PLACE_OK = 0,
    SHOP_PLACE_PRICES_CHANGED,
    SHOP_PLACE_ALREADY_PAID,
    SHOP_PLACE_SOLD_OUT,
    SHOP_PLACE_CODE_EXHAUSTED
} shop_place_status_t;

typedef struct shop_place_result {
    shop_place_status_t status;
    apr_int64_t bill_id;
    const char *transid;                /* OK and ALREADY_PAID */
    int refreshed;                      /* OK: an unpaid bill was refreshed */
    const char *code;                   /* SOLD_OUT / CODE_EXHAUSTED: which */
} shop_place_result_t;

/* Place (above).  0 with out->status, or a database error (the caller rolls
 * back).  Strings of out live in db->pool. */
int shop_order_place(shop_db_t *db, const shop_order_t *order, shop_place_result_t *out);

/* Give back the unreleased holds of one bill (refresh, cancellation), inside
 * the caller's transaction.  *released (may be NULL) counts the rows. */
int shop_stock_release_bill(shop_db_t *db, apr_int64_t bill_id, apr_int64_t now, int *released);

/* The unreleased holds of one bill become sales (the bill is paid or
 * trusted): the units leave the stock and the reservation, inside the
 * caller's transaction. */
int shop_stock_sell_bill(shop_db_t *db, apr_int64_t bill_id, apr_int64_t now);

/* Give back the holds of unpaid bills (PLACED, PENDING) expired at `now`,
 * each in its own transaction (cron).  *released counts the rows this call
 * released; running it twice, or twice at once, releases each hold once. */
int shop_stock_release_expired(shop_db_t *db, apr_int64_t now, int *released);

#endif
