/*
 * pricing.h -- the pricing engine: from cart lines, discount rules, the
 * buyer's context and a shipping quote to the exact lines and totals of a
 * bill (local_shop Bill::recalculate §4.5, discounts §5.3), in int64 minor
 * units of one currency.  Pure: no database, no httpd, no binary floating point.
 *
 * ---- Product lines (one per input line, in input order)
 *   unit    = shop_tiers_unit_price(tiers, quantity): the tier price of the
 *             WHOLE quantity is the price of every unit (§2.5);
 *   amounts = shop_tax_line(tax, unit, quantity): untaxed = unit * q,
 *             taxed = formula(unit) * q rounded half-up ONCE per line,
 *             tax = taxed - untaxed (tax.h).  NULL tax = untaxed.
 *   A line whose taxed amount comes out negative (a hostile formula) is
 *   refused (APR_EINVAL): goods are never worth less than nothing.
 *   Kind "set" does not exist here (sets are never in a cart).
 *
 * ---- Discounts: which apply (shop_discount_applies)
 *   Rules are evaluated in (ordering, id) order, whatever their order in
 *   the input.  A rule that is disabled, outside [valid_from, valid_until]
 *   (0 = unbounded, checked against ctx->now), whose amount is in another
 *   currency, or whose scope holds no cart line is skipped as if absent
 *   (its operator does not act).  The others "apply" when their condition
 *   holds (ctx NULL = anonymous, nothing known):
 *     UNCONDITIONAL        always
 *     USER_INSTITUTION     logged in and ctx->institution equals one of
 *                          values[] (ASCII case-insensitive, trimmed)
 *     LONG_TIME_CUSTOMER   logged in, customer_since > 0 and
 *                          now - customer_since > number days (86400 s)
 *     ORDER_COUNT          paid_orders > number (local_shop "more than N")
 *     ORDER_AMOUNT         the goods' taxed total (before discounts and
 *                          shipping) > number (minor units)
 *     MOODLE_ROLE          logged in and one of ctx->roles equals one of
 *                          values[] (role shortnames, case-sensitive as
 *                          Moodle's); local_shop's UserCapability
 *     OFFER_CODE           one of ctx->offer_codes equals codes[0].code
 *     MULTIPLE_OFFER_CODE  one of ctx->offer_codes equals one of codes[]:
 *                          the first of codes[] (rule order) that was
 *                          entered wins, and its ratio (if set) replaces
 *                          the rule's
 *     PARTNER              ctx->partner_key equals one of codes[].partner_key
 *                          and ctx->partner_source ('E' partner URL, 'I'
 *                          partner's customer, 'A' internal products) is in
 *                          that entry's sources (NULL/"" = any source);
 *                          the entry's ratio (if set) replaces the rule's
 *     PARTNER_MULTIPLE_CODE one of ctx->offer_codes equals one of codes[]
 *                          (first in rule order wins; its ratio replaces
 *                          the rule's): the result then names the partner
 *                          (codes[i].partner_key) and the tag (the code) to
 *                          record on the bill
 *   Offer codes and partner keys compare ASCII case-insensitively, trimmed
 *   (the columns' collation).
 *
 * ---- Operators (§5.3), over the applicable rules in evaluation order
 *   ACCUMULATE             applies: its discount is added to the previous
 *                          ones, continue; does not apply: continue.
 *   TAKEOVER               applies: every discount applied so far is
 *                          discarded, this one alone applies and the chain
 *                          STOPS; does not apply: continue.  (§5.3 literally;
 *                          §11 lists no defect here.)
 *   STOP_IF_APPLIES        applies: added to the previous ones, then the
 *                          chain stops; does not apply: continue.
 *   STOP_IF_NOT_APPLIES    applies: added, continue; does not apply: the
 *                          chain stops (later rules are not evaluated).
 *
 * ---- Discount amounts
 *   Scope: BILL = every product line; ITEMLIST = the product lines whose
 *   code (case-insensitive) is in items[].  Shipping is never discounted.
 *   Several discounts are additive on the ORIGINAL amounts (10 % + 10 % =
 *   20 %, never 19 % compounded), as local_shop.
 *     ratio r (0 < r <= 100):  D = round_half_up(untaxed(scope) * r / 100)
 *     amount A (taxed, minor): D = round_half_up(A * untaxed(scope) /
 *                              taxed(scope)), i.e. A taken off at the
 *                              scope's average tax (the discount's taxed
 *                              total is A within the per-line rounding);
 *                              A >= taxed(scope) takes the whole scope.
 *   Cap: D is capped at what is left of its scope after the discounts
 *   before it (per line, in untaxed minor units): a discount larger than
 *   the goods takes the goods to exactly zero and no further, so every
 *   product line's net is >= 0 and to_pay >= 0.  A discount whose (capped)
 *   amount is 0 gives no line.
 *   Spread: D is split over the tax rates of its scope in proportion to
 *   each rate's (remaining) untaxed base, floor shares, the residue (at most
 *   one unit per rate) put on the largest base first; each rate's share is
 *   split over that rate's lines the same way.  Tax share: for each product
 *   line, the discount's tax is the exact cumulative proportion of the
 *   line's own tax: taken_tax = round_half_up(line tax * taken_untaxed /
 *   line untaxed); a fully discounted line gives back exactly its tax.
 *   This is local_shop's "tax part = Σ(tax) × ratio/100" with q counted
 *   (§11.3 #5 fixed: the tax share is of the LINE's tax, not the unit's).
 *   Ties (equal bases) break on (code, quantity, unit price), so the
 *   result does not depend on the order of the cart lines.
 *
 * ---- Shipping
 *   When given (a deliverable shop_ship_compute result) and at least one
 *   line requires shipping, one SHIPPING line: its untaxed amount and tax
 *   as computed there, its tax the zone's.  Otherwise no shipping line.
 *
 * ---- Totals (all exact sums; every addition overflow-checked)
 *   lines: PRODUCT lines (input order), DISCOUNT lines (evaluation order,
 *   untaxed and tax <= 0, with per-rate shares), the SHIPPING line.
 *   untaxed = Σ lines' untaxed; taxes = Σ lines' tax; taxed = untaxed +
 *   taxes = Σ lines' taxed; to_pay = taxed (>= 0 by the cap).
 *   taxlines: one per tax (by id, ascending; id 0 = untaxed lines, tax
 *   NULL, shown or skipped by the caller) with base = Σ untaxed and amount
 *   = Σ tax of the product lines, discount shares and shipping of that tax.
 *   goods_* = product lines only; discount_* = discount lines (<= 0);
 *   shipping_* = the shipping line (0 without one).
 *
 * Taxes are told apart by id: a tax must have an id > 0 (0 means "no
 * tax"), and two tax objects with one id are one rate.
 *
 * Errors: APR_EINVAL (err->key and err->index say which input: a line, a
 * rule), APR_ERANGE on int64 overflow anywhere (never undefined behaviour).
 * Memory: the result is allocated in p and points into the inputs (codes,
 * taxes, rules): keep them alive as long as the result.  Nothing is
 * modified; thread-safe, any phase.
 */
#ifndef SHOP_CORE_PRICING_H
#define SHOP_CORE_PRICING_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/shipping.h"
#include "core/tax.h"
#include "core/tiers.h"

#define SHOP_PRICING_MAX_LINES      1000    /* cart lines (the cart caps at 100) */
#define SHOP_PRICING_MAX_DISCOUNTS  256     /* rules of one shop */
#define SHOP_PRICING_MAX_ITEMS      1000    /* values / items / codes of one rule */
#define SHOP_DISCOUNT_DAY_SECONDS   86400

typedef enum {
    SHOP_PRICING_PRODUCT = 0,       /* a product (or a set's element) */
    SHOP_PRICING_BUNDLE = 1         /* a bundle, priced as one product */
} shop_pricing_kind_t;

typedef enum {
    SHOP_LINE_PRODUCT = 0,
    SHOP_LINE_DISCOUNT = 1,
    SHOP_LINE_SHIPPING = 2
} shop_line_type_t;

typedef enum {
    SHOP_DISCOUNT_UNCONDITIONAL = 0,
    SHOP_DISCOUNT_USER_INSTITUTION,
    SHOP_DISCOUNT_LONG_TIME_CUSTOMER,
    SHOP_DISCOUNT_ORDER_COUNT,
    SHOP_DISCOUNT_ORDER_AMOUNT,
    SHOP_DISCOUNT_MOODLE_ROLE,
    SHOP_DISCOUNT_OFFER_CODE,
    SHOP_DISCOUNT_MULTIPLE_OFFER_CODE,
    SHOP_DISCOUNT_PARTNER,
    SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE,
    SHOP_DISCOUNT_NTYPES
} shop_discount_type_t;

typedef enum {
    SHOP_DISCOUNT_ACCUMULATE = 0,
    SHOP_DISCOUNT_TAKEOVER,
    SHOP_DISCOUNT_STOP_IF_APPLIES,
    SHOP_DISCOUNT_STOP_IF_NOT_APPLIES,
    SHOP_DISCOUNT_NOPS
} shop_discount_op_t;

typedef enum {
    SHOP_DISCOUNT_ON_BILL = 0,
    SHOP_DISCOUNT_ON_ITEMLIST = 1
} shop_discount_scope_t;

/* One cart line. */
typedef struct shop_pricing_line_t {
    const char *code;               /* product code, required */
    apr_int64_t quantity;           /* >= 1 */
    const shop_tier_t *tiers;       /* untaxed price tiers (tiers.h) */
    int ntiers;
    const shop_tax_t *tax;          /* NULL = untaxed */
    shop_pricing_kind_t kind;
    int requires_shipping;
} shop_pricing_line_t;

/* An offer code / partner entry of a rule ({shop}discount_code). */
typedef struct shop_discount_code_t {
    const char *code;               /* offer code; NULL for PARTNER entries */
    const char *partner_key;        /* PARTNER, PARTNER_MULTIPLE_CODE */
    const char *sources;            /* PARTNER: "EIA" subset; NULL/"" = any */
    int has_ratio;                  /* 1: ratio replaces the rule's */
    shop_dec_t ratio;               /* percent, 0 < ratio <= 100 */
} shop_discount_code_t;

/* A rule, as the {shop}discount row (rule_data decoded by the caller).
 * An enabled rule must be well formed (known type, operator and scope; a
 * ratio in (0, 100] or an amount > 0; arrays present for their counts):
 * otherwise the whole computation is APR_EINVAL naming it.  Disabled rules
 * are not looked at. */
typedef struct shop_discount_t {
    apr_int64_t id;
    const char *name;               /* the line label */
    shop_discount_type_t type;
    shop_discount_op_t op;
    int ordering;
    int enabled;
    apr_int64_t valid_from, valid_until;    /* unix seconds, 0 = unbounded */
    int has_ratio;                  /* 1: ratio; 0: amount_minor */
    shop_dec_t ratio;               /* percent, 0 < ratio <= 100 */
    apr_int64_t amount_minor;       /* > 0, taxed, in amount_currency */
    const char *amount_currency;    /* NULL = the cart's */
    shop_discount_scope_t scope;
    const char *const *items;       /* ITEMLIST: product codes */
    int nitems;
    const char *const *values;      /* institutions, role shortnames */
    int nvalues;
    apr_int64_t number;             /* days, order count, threshold minor */
    const shop_discount_code_t *codes;
    int ncodes;
} shop_discount_t;

/* Who buys (all optional: zero = unknown / none). */
typedef struct shop_discount_context_t {
    int logged_in;
    const char *institution;        /* Moodle user.institution */
    apr_int64_t customer_since;     /* unix seconds, 0 = unknown */
    apr_int64_t now;                /* unix seconds (validity, seniority) */
    apr_int64_t paid_orders;        /* earlier bills SOLDOUT or COMPLETE */
    const char *const *offer_codes; /* codes the buyer entered */
    int noffer_codes;
    const char *partner_key;        /* the bill's partner, NULL = none */
    char partner_source;            /* 'E', 'I', 'A' or 0 */
    const char *const *roles;       /* Moodle role shortnames held */
    int nroles;
} shop_discount_context_t;

typedef struct shop_pricing_input_t {
    const shop_currency_t *currency;
    const shop_pricing_line_t *lines;
    int nlines;                     /* 0..SHOP_PRICING_MAX_LINES */
    const shop_discount_t *discounts;
    int ndiscounts;
    const shop_discount_context_t *ctx;     /* NULL = anonymous */
    const shop_ship_result_t *shipping;     /* NULL = no shipping */
} shop_pricing_input_t;

/* A discount's part on one tax. */
typedef struct shop_pricing_share_t {
    const shop_tax_t *tax;          /* NULL = untaxed lines */
    apr_int64_t tax_id;             /* 0 for NULL */
    apr_int64_t untaxed_minor;      /* <= 0 */
    apr_int64_t tax_minor;
} shop_pricing_share_t;

typedef struct shop_pricing_out_line_t {
    shop_line_type_t type;
    const char *code;               /* product code, "D<id>", "SHIP_" */
    shop_pricing_kind_t kind;       /* PRODUCT lines */
    apr_int64_t quantity;           /* 1 for discount and shipping */
    apr_int64_t unit_minor;         /* untaxed unit price (= untaxed for others) */
    apr_int64_t untaxed_minor, tax_minor, taxed_minor;
    const shop_tax_t *tax;          /* PRODUCT, SHIPPING; NULL for DISCOUNT */
    apr_int64_t tax_id;             /* 0 = untaxed */
    shop_dec_t rate;                /* the tax's rate, 0 if none */
    /* PRODUCT: the discounts taken off this line (<= 0) */
    apr_int64_t discount_untaxed_minor, discount_tax_minor;
    /* DISCOUNT: */
    const shop_discount_t *discount;
    const char *offer_code;         /* the code that triggered it, or NULL */
    int has_ratio;
    shop_dec_t ratio;               /* the ratio used (the code's, if any) */
    const shop_pricing_share_t *shares;     /* per tax, ascending id */
    int nshares;
} shop_pricing_out_line_t;

typedef struct shop_pricing_taxline_t {
    const shop_tax_t *tax;          /* NULL for id 0 */
    apr_int64_t tax_id;
    shop_dec_t rate;
    apr_int64_t base_minor;
    apr_int64_t amount_minor;
} shop_pricing_taxline_t;

typedef struct shop_pricing_result_t {
    const shop_currency_t *currency;
    shop_pricing_out_line_t *lines;
    int nlines;
    shop_pricing_taxline_t *taxlines;
    int ntaxlines;
    apr_int64_t item_count;                 /* Σ quantities */
    apr_int64_t goods_untaxed_minor, goods_tax_minor, goods_taxed_minor;
    apr_int64_t discount_untaxed_minor, discount_tax_minor, discount_minor;
    apr_int64_t shipping_untaxed_minor, shipping_tax_minor, shipping_minor;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor;
    apr_int64_t to_pay_minor;
    const char *partner_key;        /* PARTNER_MULTIPLE_CODE: tag the bill */
    const char *partner_tag;
} shop_pricing_result_t;

typedef struct shop_pricing_error_t {
    const char *key;        /* "pricing_error_line", "pricing_error_tax",
                               "pricing_error_discount", "pricing_error_shipping",
                               "pricing_error_overflow", "pricing_error_input" */
    int index;              /* the line or rule (input index), -1 if none */
    shop_formula_error_t formula;   /* a failing tax formula */
} shop_pricing_error_t;

/* Price a cart (rules above).  APR_SUCCESS with *out allocated in p;
 * APR_EINVAL / APR_ERANGE with err (if not NULL) filled and *out untouched. */
apr_status_t shop_pricing_compute(apr_pool_t *p, const shop_pricing_input_t *in,
                                  shop_pricing_result_t **out,
                                  shop_pricing_error_t *err);

/* Does rule d's condition hold (the type table above, not validity, scope
 * nor operator)?  goods_taxed_minor is the order amount for ORDER_AMOUNT.
 * *code_index (if not NULL) receives the codes[] entry used, or -1. */
int shop_discount_condition(const shop_discount_t *d,
                            const shop_discount_context_t *ctx,
                            apr_int64_t goods_taxed_minor, int *code_index);

/* Type and operator names as stored ({shop}discount.type / .operator):
 * "Unconditional" ... "PartnerMultipleOfferCode", "accumulate" ...
 * From text: 0 and *out set, or -1 for an unknown name. */
const char *shop_discount_type_name(shop_discount_type_t t);
int shop_discount_type_parse(const char *s, shop_discount_type_t *out);
const char *shop_discount_op_name(shop_discount_op_t op);
int shop_discount_op_parse(const char *s, shop_discount_op_t *out);

#endif /* SHOP_CORE_PRICING_H */
