/*
 * shipping.h -- shipping zones and per-product shipping rules (§5.2,
 * local_shop_catalogshipzone / local_shop_catalogshipping; our shipzone and
 * shipping tables), and the one pure function that prices shipping for a
 * cart, a country and a zip.
 *
 * ---- Zone applicability (the `applicability` column)
 *
 *   applic   := or
 *   or       := and { '|' and }               '|' binds looser than '&'
 *   and      := primary { '&' primary }
 *   primary  := rule | '(' or ')'              grouping, at most
 *                                              SHOP_SHIP_MAX_DEPTH deep
 *   rule     := '(' '[' countries ']' '[' zips ']' ')'
 *   countries:= '*' | code { ',' code }        code: 2 or 3 ASCII letters
 *   zips     := '*' | pattern { ',' pattern }
 * Spaces may surround every token, and each country code or zip pattern
 * (they are trimmed).  Examples: ([*][*]) everywhere; ([fr,uk][*]);
 * ([*][000$]) zips ending with 000; ([fr][^9.....$]) six-character French
 * zips starting with 9; ([fr][06...,83...]) ; ([fr][*]) | ([be,lu][*]) ;
 * ([fr][*]) & ([*][^2[AB]]) Corsica.
 *
 * A rule holds when the buyer's country is in the list (case-insensitive,
 * whole code; '*' is any country, even none; "uk" also names GB) AND the
 * buyer's zip matches at least one pattern ('*' is any zip, even none).
 * A blank applicability compiles to NULL, which matches nothing.
 *
 * Zip patterns are regular expressions, searched anywhere in the zip like
 * local_shop's preg_match, ASCII case-insensitive, in a deliberately small
 * subset implemented here (no backtracking blow-up, no libc regex state):
 *   literals       letters, digits, space, '-'; '\' + any punctuation for
 *                  the punctuation itself
 *   .              any character        \d   a digit
 *   [...] [^...]   a class of literals and ranges (0-9, A-Z)
 *   ? * + {n} {n,} {n,m}   after an atom, n <= m <= SHOP_SHIP_MAX_REPEAT
 *   ^ first, $ last        anchors
 * No groups, no alternation inside a pattern (list patterns with ','
 * instead), no back-references.  A ',' inside {n,m} does not split the list;
 * '[' ']' inside a pattern must balance.  A pattern longer than
 * SHOP_SHIP_MAX_PATTERN bytes, or more than SHOP_SHIP_MAX_ZIPS of them in a
 * rule, is refused.  A zip longer than SHOP_SHIP_MAX_ZIP bytes matches no
 * pattern (only '*').
 * Beware (as in local_shop): "75*" is a regex ('7' then any number of '5'),
 * not a prefix glob; write "^75".
 *
 * ---- Choosing the zone (first match wins)
 *   1. no zone at all                    -> deliverable, shipping 0, zone NULL;
 *   2. the zones in the caller's order (sortorder), skipping code "00": the
 *      first whose applicability matches;
 *   3. else the zone "00" (the fallback; its applicability is not
 *      evaluated) if there is one;
 *   4. else not deliverable.
 * (local_shop's code picked the fallback after the first non-matching zone
 * and tokenised '&'/'|' wrongly, §11.3 #3: not reproduced.)
 *
 * ---- Amount in the chosen zone
 *   - bill_scope_minor != 0: that amount for the whole bill (when at least
 *     one line has a quantity > 0; an empty cart ships for 0);
 *   - otherwise, for each rule of the zone and each cart line with the
 *     rule's product code (case-insensitive) and quantity > 0:
 *       value_minor > 0   -> value_minor (per line, whatever the quantity)
 *       else formula      -> its value, variables $a $b $c (the rule's
 *                            coefficients), $ht and $ttc (the product's
 *                            untaxed and taxed first-tier unit price, major
 *                            units) and $q (the quantity); target $shp;
 *                            a negative value is an error
 *       else              -> 0;
 *     the exact sum is rounded half-up ONCE to the minor unit (shipping is
 *     one SHIPPING bill line).
 *   The untaxed amount is then taxed with the zone's tax as a line of
 *   quantity 1 (tax.h); NULL tax = untaxed.
 *
 * Memory: compile functions allocate in p; compiled objects are immutable
 * and shareable between threads.  shop_ship_compute allocates nothing and
 * keeps no pointer but the chosen zone (the caller's).  Thread-safe, any
 * phase.  Errors use formula.h's {pos, msg} type.
 */
#ifndef SHOP_CORE_SHIPPING_H
#define SHOP_CORE_SHIPPING_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/formula.h"
#include "core/tax.h"

#define SHOP_SHIP_FALLBACK_ZONE     "00"
#define SHOP_SHIP_MAX_ZONE_CODE     4       /* zone code: 1-4 [A-Za-z0-9] */
#define SHOP_SHIP_MAX_APPLIC        1024    /* bytes of an applicability */
#define SHOP_SHIP_MAX_DEPTH         16      /* nested '(' groups */
#define SHOP_SHIP_MAX_RULES         64      /* ([..][..]) rules in one applicability */
#define SHOP_SHIP_MAX_COUNTRIES     64      /* codes in one rule */
#define SHOP_SHIP_MAX_ZIPS          16      /* patterns in one rule */
#define SHOP_SHIP_MAX_PATTERN       64      /* bytes of one zip pattern */
#define SHOP_SHIP_MAX_REPEAT        32      /* largest n, m of {n,m} */
#define SHOP_SHIP_MAX_ZIP           32      /* bytes of a zip that can match */
#define SHOP_SHIP_MAX_FORMULA       255     /* the shipping formula column */

/* shipping formula variables, in the order shop_ship_compute passes them */
#define SHOP_SHIP_VAR_A             0
#define SHOP_SHIP_VAR_B             1
#define SHOP_SHIP_VAR_C             2
#define SHOP_SHIP_VAR_HT            3
#define SHOP_SHIP_VAR_TTC           4
#define SHOP_SHIP_VAR_Q             5
#define SHOP_SHIP_NVARS             6
#define SHOP_SHIP_TARGET            "shp"

typedef struct shop_ship_applic_t shop_ship_applic_t;
typedef struct shop_ship_zip_t shop_ship_zip_t;

typedef struct shop_ship_rule_t {
    const char *product_code;
    apr_int64_t value_minor;            /* > 0: fixed untaxed amount */
    const shop_formula_t *formula;      /* used when value_minor <= 0; NULL = 0 */
    shop_dec_t a, b, c;
} shop_ship_rule_t;

typedef struct shop_ship_zone_t {
    const char *code;                   /* "00" = the fallback zone */
    const char *description;
    apr_int64_t bill_scope_minor;       /* != 0: flat untaxed amount per bill */
    const shop_tax_t *tax;              /* NULL = untaxed */
    const shop_ship_applic_t *applicability;    /* NULL matches nothing */
    const shop_ship_rule_t *rules;
    int nrules;
} shop_ship_zone_t;

typedef struct shop_ship_line_t {
    const char *product_code;
    apr_int64_t quantity;
    apr_int64_t ht_minor;               /* $ht: untaxed first-tier unit price */
    apr_int64_t ttc_minor;              /* $ttc: taxed first-tier unit price */
} shop_ship_line_t;

typedef struct shop_ship_result_t {
    int deliverable;                    /* 0: no zone applies */
    const shop_ship_zone_t *zone;       /* the zone used, NULL if none */
    int bill_scope;                     /* 1: the zone's flat amount was used */
    apr_int64_t untaxed_minor;
    apr_int64_t tax_minor;
    apr_int64_t taxed_minor;
    const shop_ship_rule_t *failed_rule;    /* on a formula error: which rule */
} shop_ship_result_t;

/* Compile an applicability (text[0..len), need not be NUL-terminated).
 * Blank text gives APR_SUCCESS and *out NULL.  APR_EINVAL with err filled
 * (message and byte offset) when refused. */
apr_status_t shop_ship_applic_compile(apr_pool_t *p, const char *text,
                                      apr_size_t len,
                                      shop_ship_applic_t **out,
                                      shop_formula_error_t *err);

/* 1 if a (NULL: never) matches the buyer's country (ISO code, NULL = none)
 * and zip (NULL = none). */
int shop_ship_applic_match(const shop_ship_applic_t *a, const char *country,
                           const char *zip);

/* One zip pattern (the subset above), for tests and the admin form. */
apr_status_t shop_ship_zip_compile(apr_pool_t *p, const char *pat,
                                   apr_size_t len, shop_ship_zip_t **out,
                                   shop_formula_error_t *err);
int shop_ship_zip_match(const shop_ship_zip_t *z, const char *zip);

/* Compile a shipping formula (variables a b c ht ttc q, target shp).  A
 * blank or NULL formula gives APR_SUCCESS and *out NULL. */
apr_status_t shop_ship_formula_compile(apr_pool_t *p, const char *formula,
                                       const shop_formula_t **out,
                                       shop_formula_error_t *err);

/* 1 if code is a valid zone code (1..4 of [A-Za-z0-9]). */
int shop_ship_zone_code_valid(const char *code);

/* The zone for country/zip by the choice rules above: its index, or -1
 * (no zone applies).  With nzones 0 this is -1 too; shop_ship_compute tells
 * the two apart. */
int shop_ship_choose_zone(const shop_ship_zone_t *zones, int nzones,
                          const char *country, const char *zip);

/* Shipping for the cart lines[0..nlines) delivered to country/zip, in
 * currency c (zones, amounts and prices all in c).  APR_SUCCESS with *res
 * filled -- check res->deliverable.  APR_EINVAL for bad arguments, a
 * negative bill-scope amount or quantity, or a formula that fails or gives a
 * negative amount (err filled, res->failed_rule set); APR_ERANGE on
 * overflow. */
apr_status_t shop_ship_compute(const shop_ship_zone_t *zones, int nzones,
                               const shop_ship_line_t *lines, int nlines,
                               const char *country, const char *zip,
                               const shop_currency_t *c,
                               shop_ship_result_t *res,
                               shop_formula_error_t *err);

#endif /* SHOP_CORE_SHIPPING_H */
