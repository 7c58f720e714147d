/* The price of this shop's cart for the current buyer, as the cart page, the
 * order step and placement all show and charge it: catalogue prices (tier
 * price of the whole quantity, tax per line), the shop's discount rules (read
 * with the catalogue into the storefront model) with the session's offer
 * codes and partner and the buyer's Moodle context, and shipping to the country and zip of the
 * checkout's customer (invoicing) identity when one is known.  One function,
 * so the cart never shows a total that the order would not charge. */
#ifndef SHOP_WEB_QUOTE_H
#define SHOP_WEB_QUOTE_H

#include "web/request.h"
#include "web/storefront.h"

#include "core/cart.h"
#include "core/pricing.h"

/* One cart line, priced or refused. */
typedef struct shop_quote_line {
    const char *code;                   /* the catalogue's spelling when known */
    apr_int64_t quantity;
    const shop_product_t *product;      /* NULL when unknown to this buyer */
    shop_cart_status_t status;          /* SHOP_CART_OK = priced */
    const shop_pricing_out_line_t *priced;  /* its PRODUCT line, NULL when refused */
} shop_quote_line_t;

typedef struct shop_quote {
    const shop_currency_t *currency;
    shop_quote_line_t *lines;           /* in cart order */
    int nlines;
    int npriced;                        /* lines with status OK */
    shop_pricing_result_t *pricing;     /* the priced lines, discounts, shipping */
    const shop_discount_t *rules;       /* the shop's rules as loaded (ids for bill lines) */
    int nrules;
    const char *partner_key;            /* the bill's partner (prefill link or partner code), or NULL */
    const char *partner_tag;
    int shipping_needed;                /* a priced line requires shipping */
    int shipping_known;                 /* a destination country is known */
    int deliverable;                    /* 0: shipping needed, known, and no zone covers it */
} shop_quote_t;

/* For bill lines: pricing->lines[] holds the PRODUCT lines (cart order),
 * then the DISCOUNT lines (evaluation order: ->discount->id is the rule id,
 * ->offer_code the code that triggered it (the stored spelling) or NULL,
 * ->has_ratio/->ratio the ratio used, ->shares the per-rate parts), then the
 * SHIPPING line when priced.  At placement, count each offer code used with
 * shop_discount_code_count_use() (data/discount_repo.h): 0 counted means its
 * max_uses was reached since the quote.  Offer codes come from the checkout
 * state's "offer_codes" (web/cart_discount.c); codes whose max_uses is
 * reached, and rules disabled or outside their dates, no longer discount.
 * Destination for shipping: the state's invoicing country/zip, else the
 * customer's, else unknown (shipping_known 0: no SHIPPING line). */

/* Price the cart.  0 with *out set (an empty cart gives a quote of no
 * lines), or a database error (MySQL errno, -1 no connection: answer 503).
 * Everything lives in the request pool. */
int shop_quote_cart(shop_req_t *req, const shop_storefront_t *sf, shop_quote_t **out);

/* The quote as the API's cart object (CONTRACT §4 GET /api/v1/cart) plus
 * what pages need: formatted amounts ("*_text"), per-line "problem", the
 * discount lines {"label","amount_minor","amount_text","code"}, the offer
 * codes in use, "empty". */
json_object *shop_quote_json(shop_req_t *req, const shop_storefront_t *sf, const shop_quote_t *q);

#endif
