/*
 * discount_rules.h -- a {shop}discount row and its {shop}discount_code rows
 * decoded into the pricing engine's rule (core/pricing.h shop_discount_t),
 * and the lookup of a typed offer code among decoded rules.  Pure: the
 * repository (data/discount_repo.c) reads the rows, this checks them.
 *
 * ---- Columns
 *   type, operator   the stored names (shop_discount_type_parse / _op_parse)
 *   ratio            decimal text in (0, 100], or NULL
 *   amount_minor     integer > 0 (taxed, minor units of `currency`), or NULL
 *                    A rule has a ratio or an amount.  A code type whose
 *                    every code carries its own ratio may have neither: the
 *                    first code's ratio stands in (never used, each code's
 *                    replaces it).
 *   apply_on         "bill" or "itemlist"; itemlist needs apply_codes, a JSON
 *                    array of 1..SHOP_PRICING_MAX_ITEMS product codes
 *                    (strings of 1..32 bytes)
 *   valid_from/until unix seconds, 0 = unbounded
 *
 * ---- rule_data (JSON object or NULL; keys other than the type's are ignored)
 *   Unconditional, OfferCode, MultipleOfferCode, PartnerMultipleOfferCode:
 *                    nothing (the codes are {shop}discount_code rows)
 *   UserInstitution  {"institutions": ["Name", ...]}  1..MAX strings
 *   LongTimeCustomer {"days": N}                       0 <= N <= 36500
 *   OrderNum         {"count": N}                      0 <= N <= 1000000
 *   OrderAmountThreshold {"threshold_minor": N}       0 <= N <= 10^15, in the
 *                                                      cart's currency
 *   UserCapability   {"roles": ["shortname", ...]}    1..MAX Moodle role
 *                    shortnames (local_shop named a capability; the shop
 *                    reads role assignments, not capabilities)
 *   Partner          {"partners": [{"partner_key": "K", "sources": "EIA",
 *                     "ratio": "15" | 15}, ...]}      1..MAX entries;
 *                    sources a subset of "EIA" (absent = any), ratio optional
 *   Integers are JSON integers (no fraction, no exponent); ratios a decimal
 *   string or a JSON integer; strings 1..255 bytes.
 *
 * ---- Codes (code types only)
 *   OfferCode needs exactly one code; MultipleOfferCode and
 *   PartnerMultipleOfferCode 1..MAX codes (PartnerMultipleOfferCode: each
 *   with a partner key).  Codes are 1..64 bytes; a code's ratio (decimal
 *   text) is in (0, 100] or NULL.  A code marked `spent` (max_uses reached)
 *   is checked like the others but left out of the rule's codes: it no
 *   longer discounts.
 *
 * Errors: APR_EINVAL with *why a short English reason naming the column
 * ("rule_data: days must be an integer"), for the log line of a skipped
 * rule.  Memory: everything in p (strings copied).
 */
#ifndef SHOP_CORE_DISCOUNT_RULES_H
#define SHOP_CORE_DISCOUNT_RULES_H

#include <apr_pools.h>
#include <apr_errno.h>

#include "core/pricing.h"

#define SHOP_DISCOUNT_MAX_RULE_DATA     65536   /* bytes of rule_data / apply_codes */
#define SHOP_DISCOUNT_MAX_CODE          64      /* bytes of an offer code */
#define SHOP_DISCOUNT_MAX_TEXT          255     /* institutions, roles, keys */
#define SHOP_DISCOUNT_MAX_DAYS          36500
#define SHOP_DISCOUNT_MAX_COUNT         1000000
#define SHOP_DISCOUNT_MAX_THRESHOLD     APR_INT64_C(1000000000000000)

/* A {shop}discount row as text (NULL = SQL NULL). */
typedef struct shop_discount_row {
    apr_int64_t id;
    const char *name, *type, *op;
    const char *rule_data, *ratio, *amount_minor, *currency, *apply_on, *apply_codes;
    int enabled, ordering;
    apr_int64_t valid_from, valid_until;
} shop_discount_row_t;

/* A {shop}discount_code row (partner_key: the joined partner's, or NULL). */
typedef struct shop_discount_code_row {
    const char *code, *ratio, *partner_key;
    int spent;                      /* max_uses reached */
} shop_discount_code_row_t;

/* Decode one rule.  APR_SUCCESS with *out filled (and *spent_out, if not
 * NULL, a copy of *out whose codes are the spent ones only); APR_EINVAL with
 * *why. */
apr_status_t shop_discount_decode(apr_pool_t *p, const shop_discount_row_t *row,
                                  const shop_discount_code_row_t *codes, int ncodes,
                                  shop_discount_t *out, shop_discount_t *spent_out,
                                  const char **why);

/* Is `code` (trimmed, ASCII case-insensitive) an offer code of an enabled
 * rule valid at `now` among rules[0..n)?  OfferCode: its code;
 * MultipleOfferCode, PartnerMultipleOfferCode: any of its codes.  Returns
 * the first matching rule of the array with *index its codes[] entry, or
 * NULL. */
const shop_discount_t *shop_offer_code_find(const shop_discount_t *rules, int n, const char *code,
                                            apr_int64_t now, int *index);

/* A typed code as it may be stored: trimmed, 1..SHOP_DISCOUNT_MAX_CODE
 * bytes of printable ASCII without spaces inside.  The trimmed copy (in p),
 * or NULL when it cannot be a code. */
const char *shop_offer_code_clean(apr_pool_t *p, const char *typed);

#endif /* SHOP_CORE_DISCOUNT_RULES_H */
