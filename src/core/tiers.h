/*
 * tiers.h -- quantity price tiers of a product (local_shop range1..5 /
 * price1..5, our product_price rows).
 *
 * A product has 1 to SHOP_TIERS_MAX tiers, in order.  Tier i says "for an
 * ordered quantity up to up_to (inclusive), every unit costs price_minor";
 * up_to SHOP_TIER_UNLIMITED (0, local_shop's "range not defined") means "any
 * larger quantity".  Prices are untaxed, in minor units of one currency.
 *
 * Unit price at quantity q (local_shop CatalogItem::get_price, §2.5):
 *   walk the tiers in order; the first tier that is unlimited, or whose
 *   up_to >= q, gives the price; if q is above every bound, the LAST tier
 *   gives the price.
 * The price of ALL units is the price of the tier the whole quantity falls
 * in -- no mixed per-tier pricing: (10 -> 100, 50 -> 90, unlimited -> 80)
 * gives 100 for q = 10, 90 for q = 11 (all eleven units), 80 for q = 51.
 * This is local_shop's rule exactly, including "range5 is never used": with
 * five tiers the fifth applies beyond range4 whatever its own bound.  The one
 * reading we choose where local_shop has none: with fewer than five tiers
 * all bounded, local_shop would fall into an undefined tier priced 0 (a free
 * product); here the last tier applies instead.  shop_tiers_validate() keeps
 * new data unambiguous anyway.
 *
 * Validation (shop_tiers_validate), each failure naming the field:
 *   1..5 tiers                                    tiers_error_count
 *   up_to > 0 or SHOP_TIER_UNLIMITED              tiers_error_up_to
 *   only the last tier may be unlimited           tiers_error_unlimited_not_last
 *   bounds strictly increasing                    tiers_error_not_ascending
 *   0 <= price_minor <= SHOP_TIERS_MAX_PRICE      tiers_error_price
 * Bounds above SHOP_TIERS_MAX_UP_TO are tiers_error_up_to.  The field is
 * "tiers" for the count, else "tiers[i].up_to" / "tiers[i].price_minor"
 * (i from 0), a static string; keys are i18n string keys.
 *
 * Quantities are apr_int64_t counts >= 1 (the cart caps them at
 * SHOP_MAX_QUANTITY; nothing here relies on that).  No memory, no state:
 * thread-safe, any phase.
 */
#ifndef SHOP_CORE_TIERS_H
#define SHOP_CORE_TIERS_H

#include <apr.h>
#include <apr_errno.h>

#define SHOP_TIERS_MAX          5
#define SHOP_TIER_UNLIMITED     0
/* a bound must fit the INT product_price.up_to column */
#define SHOP_TIERS_MAX_UP_TO    2147483647
/* a unit price above 10^15 minor units is a typing error */
#define SHOP_TIERS_MAX_PRICE    APR_INT64_C(1000000000000000)

typedef struct shop_tier_t {
    apr_int64_t up_to;          /* inclusive bound, or SHOP_TIER_UNLIMITED */
    apr_int64_t price_minor;    /* untaxed unit price, >= 0 */
} shop_tier_t;

typedef struct shop_tier_error_t {
    int index;                  /* offending tier, -1 for the count */
    const char *field;          /* "tiers", "tiers[2].up_to", ... */
    const char *key;            /* "tiers_error_..." */
} shop_tier_error_t;

/* Index (0-based) of the tier that prices quantity q, by the rule above.
 * APR_EINVAL if t is NULL, n is not 1..SHOP_TIERS_MAX, or q < 1. */
apr_status_t shop_tiers_index(const shop_tier_t *t, int n, apr_int64_t q,
                              int *index);

/* The unit price at quantity q (the price of every unit of the line). */
apr_status_t shop_tiers_unit_price(const shop_tier_t *t, int n, apr_int64_t q,
                                   apr_int64_t *unit_minor);

/* unit_minor * q exactly; APR_ERANGE on int64 overflow, APR_EINVAL if
 * q < 0. */
apr_status_t shop_tiers_line_total(apr_int64_t unit_minor, apr_int64_t q,
                                   apr_int64_t *total_minor);

/* APR_SUCCESS if t[0..n) is a valid tier list; else APR_EINVAL and, if err
 * is not NULL, the first problem found (tiers in order, up_to before
 * price). */
apr_status_t shop_tiers_validate(const shop_tier_t *t, int n,
                                 shop_tier_error_t *err);

/* The quantity range tier i covers, for price lists: *from (>= 1) and *to
 * (SHOP_TIER_UNLIMITED for the last tier or an unlimited one).  local_shop
 * prints "0-range1" for the first; we start at 1.  For a list that passed
 * shop_tiers_validate; APR_EINVAL for a bad index. */
apr_status_t shop_tiers_range(const shop_tier_t *t, int n, int i,
                              apr_int64_t *from, apr_int64_t *to);

/* Build a tier list from local_shop's columns range1..5 / price1..5
 * (prices already in minor units): tiers are taken in order up to and
 * including the first range that is 0 (which becomes unlimited); the fifth
 * is always unlimited (range5 is never used).  out must hold SHOP_TIERS_MAX
 * tiers; returns the count (1..5).  Pricing the result with
 * shop_tiers_unit_price gives exactly local_shop's get_price(q). */
int shop_tiers_from_legacy(const apr_int64_t range[SHOP_TIERS_MAX],
                           const apr_int64_t price[SHOP_TIERS_MAX],
                           shop_tier_t out[SHOP_TIERS_MAX]);

#endif /* SHOP_CORE_TIERS_H */
