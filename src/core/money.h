/*
 * money.h -- amounts in minor units: writing them for people and machines,
 * and reading what people type.
 *
 * An amount is an apr_int64_t count of the currency's minor unit (cents for
 * EUR, yen for JPY, millimes for TND) next to a shop_currency_t: an exact
 * integer, never a binary fraction.
 *
 * Display (shop_money_format), by language (see currency.h for the symbol
 * and for which codes mean French):
 *   en   "€1,234.56"   "-€1,234.56"   "¥1,235"   "CHF 1,234.56"   "DT 1,234.567"
 *   fr   "1 234,56 €"  "-1 234,56 €"  "1 235 ¥"  "1 234,56 CHF"   "1 234,567 DT"
 * en groups thousands with ',' and marks decimals with '.'; fr groups with
 * the narrow no-break space U+202F and marks decimals with ','; the symbol
 * is separated by the no-break space U+00A0 where one is shown.  Exactly
 * `exponent` decimals are always written; the sign is an ASCII '-' first.
 * Every int64, INT64_MIN included, is written exactly.
 *
 * Parsing (shop_money_parse) of a typed amount, exactly, into minor units:
 *   - surrounding spaces (ASCII, U+00A0, U+202F) are ignored; an optional
 *     '-' or '+' comes first (callers that refuse negatives check the sign);
 *   - thousands may be grouped by spaces (ASCII, U+00A0, U+202F), an
 *     apostrophe (' or U+2019), ',' or '.': groups after the first must be
 *     exactly three digits, the first one to three, one kind of separator;
 *   - the decimal mark is '.' or ',': when both appear, the last one is the
 *     decimal mark and must appear once; when only one of them appears, once,
 *     it is the decimal mark ("12,50" "12.5" "1 234,56" "1,234.56"
 *     "1.234,56" "1'234.50"), several times it is a grouping ("1,234,567");
 *   - for a currency without decimals (exponent 0: JPY, KRW) '.' and ','
 *     are only groupings, so "1,000" yen is 1000 and "1.5" yen is refused;
 *   - more decimals than the currency has are refused, zeros included
 *     ("12.500" EUR, and the ambiguous "1,000" EUR); nothing is rounded;
 *   - no currency symbol or code, no exponent, no other character.
 * Errors come as a message key (an i18n string key, snake_case):
 *   money_error_empty          nothing but spaces
 *   money_error_invalid        not an amount (garbage, misplaced separator)
 *   money_error_decimals       more decimals than the currency has
 *   money_error_too_large      beyond int64 minor units, or longer than
 *                              SHOP_MONEY_MAX_INPUT bytes
 *
 * Memory: shop_money_format writes into the caller's buffer;
 * shop_money_pformat allocates in the pool given.  No state: thread-safe,
 * any phase.
 */
#ifndef SHOP_CORE_MONEY_H
#define SHOP_CORE_MONEY_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/currency.h"

/* bytes that always hold a formatted amount and its NUL: '-', 19 digits,
 * 6 group marks of 3 bytes, a mark, 2 spaces of 2 bytes, a symbol (<= 8) */
#define SHOP_MONEY_TEXT_SIZE    64
/* longest typed amount accepted by shop_money_parse */
#define SHOP_MONEY_MAX_INPUT    64

/* Write amount (minor units of c) for people in lang into buf (size bytes,
 * SHOP_MONEY_TEXT_SIZE always suffices).  APR_SUCCESS; APR_EINVAL if c or
 * buf is NULL; APR_ENOSPC if size is too small (buf holds "" when size >
 * 0). */
apr_status_t shop_money_format(char *buf, apr_size_t size, apr_int64_t amount,
                               const shop_currency_t *c, const char *lang);

/* The same into a string allocated in p ("" if c is NULL). */
const char *shop_money_pformat(apr_pool_t *p, apr_int64_t amount,
                               const shop_currency_t *c, const char *lang);

/* Write amount for machines: '-' when negative, digits, '.' and exactly
 * `exponent` (0..18) decimals, no grouping, no symbol ("1234.56", "-0.05",
 * "1235").  What PayPal's amount field, JSON exports and spreadsheets want.
 * APR_EINVAL for a bad exponent, APR_ENOSPC as above (SHOP_MONEY_TEXT_SIZE
 * suffices). */
apr_status_t shop_money_format_plain(char *buf, apr_size_t size,
                                     apr_int64_t amount, int exponent);

/* Read a typed amount (NUL-terminated) for currency c (rules above).
 * APR_SUCCESS with *out set; APR_EINVAL with *error_key set (if error_key is
 * not NULL) and *out untouched; APR_EINVAL with key money_error_invalid if s
 * or c is NULL. */
apr_status_t shop_money_parse(const char *s, const shop_currency_t *c,
                              apr_int64_t *out, const char **error_key);

#endif /* SHOP_CORE_MONEY_H */
