/*
 * decimal.h -- exact decimal numbers for tax rates, formula arithmetic and
 * shipping coefficients.  Exact: no binary fractions anywhere.
 *
 * Representation: a signed fixed-point number with SHOP_DEC_FRAC_DIGITS (18)
 * fractional digits, held in a 128-bit integer: value = raw / 10^18.  The
 * magnitude is bounded by SHOP_DEC_INT_DIGITS (20) integer digits:
 * |value| < 10^20, i.e. |raw| <= 10^38 - 1 (< 2^127).
 * The range is symmetric, so negation never overflows, and every int64
 * (hence every minor-unit amount, at any exponent 0..18) converts exactly.
 *
 * Exactness and rounding:
 *   - parse, +, -, comparison, negation, int64 and minor-unit conversions
 *     are exact;
 *   - * and / compute the exact result and round it to 18 fractional
 *     digits, half-up (ties away from zero: 0.5 -> 1, -0.5 -> -1, as PHP's
 *     round());
 *   - shop_dec_round() and shop_dec_to_minor() round half-up the same way,
 *     so a discount (negative) mirrors the amount it discounts.
 *   Multiplication and division go through a 256-bit intermediate, so no
 *   step ever overflows silently.
 *
 * Errors (apr_status_t):
 *   APR_SUCCESS  *out set
 *   APR_ERANGE   result (or literal) outside +-(10^20 - 10^-18), or an
 *                int64 conversion that does not fit; *out untouched
 *   APR_EINVAL   syntax error in text, division by zero, digits out of
 *                range; *out untouched
 * Never undefined behaviour, whatever the inputs.
 *
 * Text syntax accepted by shop_dec_parse(): optional '+' or '-', then
 * decimal digits with at most one '.', at least one digit in all ("5",
 * "5.5", ".5", "5.", "-0.125", "007").  Refused with APR_EINVAL: exponents
 * ("1e3" -- a rate or coefficient is typed in plain decimals, and this keeps
 * "1e400" out), whitespace, thousands separators, hex, "inf"/"nan".
 * Refused with APR_ERANGE: more than SHOP_DEC_MAX_TEXT bytes (even of
 * leading zeros), more than 20 significant integer digits, and more than 18
 * fractional digits unless the extra ones are all zero
 * ("0.1000000000000000000000" is exact and accepted; a digit that would be
 * lost is APR_ERANGE: nothing is rounded silently on input).  The length is
 * checked first, then the syntax, then the magnitude.
 *
 * Values are plain structs passed by value: no memory, no pools, no state;
 * every function is thread-safe and may run in any phase.
 */
#ifndef SHOP_CORE_DECIMAL_H
#define SHOP_CORE_DECIMAL_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

/* fractional digits kept by every value */
#define SHOP_DEC_FRAC_DIGITS    18
/* integer digits allowed: |value| < 10^SHOP_DEC_INT_DIGITS */
#define SHOP_DEC_INT_DIGITS     20
/* longest text shop_dec_parse() reads (leading zeros included) */
#define SHOP_DEC_MAX_TEXT       64
/* buffer size that always holds shop_dec_format() output:
 * sign + 20 digits + '.' + 18 digits + NUL = 41 */
#define SHOP_DEC_TEXT_SIZE      48

/* raw = value * 10^18, a 128-bit two's complement integer kept as two
 * 64-bit halves (raw = hi * 2^64 + lo), so the struct needs only 8-byte
 * alignment and is safe in pool memory (apr_palloc aligns to 8; a bare
 * __int128 member wants 16).  Read and build values with the functions
 * below; { 0, 0 } is zero. */
typedef struct shop_dec_t {
    apr_uint64_t lo;
    apr_int64_t hi;
} shop_dec_t;

#define SHOP_DEC_ZERO   { 0, 0 }

/* ---- construction and conversion */

/* n exactly (every int64 fits). */
shop_dec_t shop_dec_from_int(apr_int64_t n);

/* minor / 10^exponent exactly, e.g. (1234, 2) -> 12.34; exponent 0..18
 * (other values give APR_EINVAL from the functions that take one; here a
 * bad exponent is clamped to 0..18 -- check it before). */
shop_dec_t shop_dec_from_minor(apr_int64_t minor, int exponent);

/* x rounded half-up to `exponent` fractional digits, as an integer count of
 * 10^-exponent units: (12.345, 2) -> 1235, (-12.345, 2) -> -1235,
 * (12.5, 0) -> 13.  APR_EINVAL if exponent is outside 0..18, APR_ERANGE if
 * the result does not fit in int64. */
apr_status_t shop_dec_to_minor(shop_dec_t x, int exponent, apr_int64_t *out);

/* Parse s[0..len) entirely (syntax above).  s need not be NUL-terminated;
 * an embedded NUL is a syntax error. */
apr_status_t shop_dec_parse_n(const char *s, apr_size_t len, shop_dec_t *out);

/* Parse a NUL-terminated string (NULL is APR_EINVAL). */
apr_status_t shop_dec_parse(const char *s, shop_dec_t *out);

/* ---- arithmetic (see the rounding rules above) */
apr_status_t shop_dec_add(shop_dec_t a, shop_dec_t b, shop_dec_t *out);
apr_status_t shop_dec_sub(shop_dec_t a, shop_dec_t b, shop_dec_t *out);
apr_status_t shop_dec_mul(shop_dec_t a, shop_dec_t b, shop_dec_t *out);
/* APR_EINVAL when b is zero. */
apr_status_t shop_dec_div(shop_dec_t a, shop_dec_t b, shop_dec_t *out);

shop_dec_t shop_dec_neg(shop_dec_t a);
shop_dec_t shop_dec_abs(shop_dec_t a);

/* Round half-up (ties away from zero) to `digits` fractional digits,
 * 0..18 (APR_EINVAL otherwise).  APR_ERANGE if rounding up leaves the
 * range (only possible within 10^-digits of the bound). */
apr_status_t shop_dec_round(shop_dec_t a, int digits, shop_dec_t *out);

/* Largest integer <= a / smallest integer >= a (APR_ERANGE as above). */
apr_status_t shop_dec_floor(shop_dec_t a, shop_dec_t *out);
apr_status_t shop_dec_ceil(shop_dec_t a, shop_dec_t *out);

/* ---- comparison */
int shop_dec_cmp(shop_dec_t a, shop_dec_t b);   /* -1, 0, 1 */
int shop_dec_sign(shop_dec_t a);                /* -1, 0, 1 */
int shop_dec_is_zero(shop_dec_t a);
int shop_dec_is_int(shop_dec_t a);              /* no fractional part */

/* ---- text */

/* Plain decimal text: '-' when negative, integer digits (at least "0"), and
 * the fractional digits without trailing zeros but at least min_frac of
 * them (0..18): (12.5, 0) -> "12.5", (12.5, 2) -> "12.50", (3, 0) -> "3".
 * Never an exponent, never "-0".  The result parses back to the same value.
 * APR_ENOSPC (buf holding "" if size > 0) when size is too small;
 * SHOP_DEC_TEXT_SIZE always suffices.  min_frac outside 0..18 is clamped. */
apr_status_t shop_dec_format(shop_dec_t a, int min_frac, char *buf,
                             apr_size_t size);

/* The same (min_frac 0) as a string allocated in p. */
const char *shop_dec_pstr(apr_pool_t *p, shop_dec_t a);

#endif /* SHOP_CORE_DECIMAL_H */
