/*
 * decimal.c -- exact fixed-point decimals (see decimal.h for the contract).
 *
 * Products and quotients of two 128-bit raws need up to 253 bits before
 * they are scaled back, so they are computed in a small unsigned 256-bit
 * type and rounded there; only the final, range-checked result becomes a
 * value again.  All arithmetic is on unsigned magnitudes with the sign
 * applied last, so no signed operation can overflow.
 */
#include <string.h>

#include <apr_strings.h>

#include "core/decimal.h"

typedef unsigned __int128 u128;

typedef struct {
    u128 hi, lo;
} u256;

#define M64 ((u128)0xFFFFFFFFFFFFFFFFULL)
#define ONE ((u128)1000000000000000000ULL)
#define RAW_MAX (ONE * ONE * 100 - 1)

static const apr_uint64_t pow10_64[19] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
    10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL
};

static int isneg(shop_dec_t a)
{
    return a.hi < 0;
}

/* the raw value, as an unsigned two's complement pattern */
static u128 bits(shop_dec_t a)
{
    return ((u128)(apr_uint64_t)a.hi << 64) | a.lo;
}

static shop_dec_t from_bits(u128 v)
{
    shop_dec_t r;
    r.lo = (apr_uint64_t)(v & M64);
    r.hi = (apr_int64_t)(apr_uint64_t)(v >> 64);
    return r;
}

static u128 mag(shop_dec_t a)
{
    return isneg(a) ? (u128)0 - bits(a) : bits(a);
}

/* magnitude (<= RAW_MAX, checked by callers) with a sign */
static shop_dec_t make(u128 m, int neg)
{
    return from_bits(neg && m != 0 ? (u128)0 - m : m);
}

static u256 mul128(u128 a, u128 b)
{
    u128 a0 = a & M64, a1 = a >> 64, b0 = b & M64, b1 = b >> 64;
    u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    u128 mid = (p00 >> 64) + (p01 & M64) + (p10 & M64);
    u256 r;

    r.lo = (p00 & M64) | (mid << 64);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

/* n / d for a 64-bit d, limb by limb; *rem gets the remainder */
static u256 div_small(u256 n, apr_uint64_t d, apr_uint64_t *rem)
{
    u128 limbs[4] = { n.hi >> 64, n.hi & M64, n.lo >> 64, n.lo & M64 };
    u128 q[4], r = 0;
    u256 out;
    int i;

    for (i = 0; i < 4; i++) {
        u128 cur = (r << 64) | limbs[i];
        q[i] = cur / d;
        r = cur % d;
    }
    out.hi = (q[0] << 64) | q[1];
    out.lo = (q[2] << 64) | q[3];
    *rem = (apr_uint64_t)r;
    return out;
}

/* n / d for d < 2^127, bit by bit (r < d keeps r << 1 inside 128 bits) */
static u256 div_big(u256 n, u128 d, u128 *rem)
{
    u256 q = { 0, 0 };
    u128 r = 0;
    int i;

    for (i = 255; i >= 0; i--) {
        u128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
        r = (r << 1) | bit;
        if (r >= d) {
            r -= d;
            if (i >= 128)
                q.hi |= (u128)1 << (i - 128);
            else
                q.lo |= (u128)1 << i;
        }
    }
    *rem = r;
    return q;
}

/* q + inc (inc 0 or 1) fits the decimal range? */
static apr_status_t finish(u256 q, int inc, int neg, shop_dec_t *out)
{
    if (q.hi != 0 || q.lo > RAW_MAX || (inc && q.lo == RAW_MAX))
        return APR_ERANGE;
    *out = make(q.lo + (u128)(inc ? 1 : 0), neg);
    return APR_SUCCESS;
}

shop_dec_t shop_dec_from_int(apr_int64_t n)
{
    u128 m = n < 0 ? (u128)0 - (u128)n : (u128)n;
    return make(m * ONE, n < 0);
}

shop_dec_t shop_dec_from_minor(apr_int64_t minor, int exponent)
{
    u128 m = minor < 0 ? (u128)0 - (u128)minor : (u128)minor;
    if (exponent < 0)
        exponent = 0;
    if (exponent > SHOP_DEC_FRAC_DIGITS)
        exponent = SHOP_DEC_FRAC_DIGITS;
    return make(m * pow10_64[SHOP_DEC_FRAC_DIGITS - exponent], minor < 0);
}

apr_status_t shop_dec_to_minor(shop_dec_t x, int exponent, apr_int64_t *out)
{
    shop_dec_t r;
    apr_status_t rv;
    u128 m;

    if (exponent < 0 || exponent > SHOP_DEC_FRAC_DIGITS)
        return APR_EINVAL;
    if ((rv = shop_dec_round(x, exponent, &r)) != APR_SUCCESS)
        return rv;
    m = mag(r) / pow10_64[SHOP_DEC_FRAC_DIGITS - exponent];
    if (isneg(r)) {
        if (m > (u128)1 << 63)
            return APR_ERANGE;
        *out = m == (u128)1 << 63 ? APR_INT64_MIN : -(apr_int64_t)m;
    }
    else {
        if (m > (u128)APR_INT64_MAX)
            return APR_ERANGE;
        *out = (apr_int64_t)m;
    }
    return APR_SUCCESS;
}

apr_status_t shop_dec_parse_n(const char *s, apr_size_t len, shop_dec_t *out)
{
    apr_size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
    int neg = 0, have_dot = 0, digits = 0;
    u128 ip = 0, fp = 0;
    apr_size_t k, nfrac;

    if (s == NULL)
        return APR_EINVAL;
    if (len > SHOP_DEC_MAX_TEXT)
        return APR_ERANGE;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    int_end = i;
    if (i < len && s[i] == '.') {
        have_dot = 1;
        frac_start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
        frac_end = i;
    }
    if (i != len || digits == 0)
        return APR_EINVAL;

    /* integer part: at most 20 significant digits */
    for (k = int_start; k < int_end && s[k] == '0'; k++)
        ;
    if (int_end - k > SHOP_DEC_INT_DIGITS)
        return APR_ERANGE;
    for (; k < int_end; k++)
        ip = ip * 10 + (u128)(s[k] - '0');

    /* fraction: 18 digits kept, the rest must be zeros */
    nfrac = have_dot ? frac_end - frac_start : 0;
    for (k = 0; k < nfrac; k++) {
        char c = s[frac_start + k];
        if (k < SHOP_DEC_FRAC_DIGITS)
            fp = fp * 10 + (u128)(c - '0');
        else if (c != '0')
            return APR_ERANGE;
    }
    if (nfrac < SHOP_DEC_FRAC_DIGITS)
        fp *= pow10_64[SHOP_DEC_FRAC_DIGITS - nfrac];
    *out = make(ip * ONE + fp, neg);
    return APR_SUCCESS;
}

apr_status_t shop_dec_parse(const char *s, shop_dec_t *out)
{
    if (s == NULL)
        return APR_EINVAL;
    return shop_dec_parse_n(s, strlen(s), out);
}

apr_status_t shop_dec_add(shop_dec_t a, shop_dec_t b, shop_dec_t *out)
{
    u128 ma = mag(a), mb = mag(b);

    if (isneg(a) == isneg(b)) {
        if (ma > RAW_MAX - mb)
            return APR_ERANGE;
        *out = make(ma + mb, isneg(a));
    }
    else if (ma >= mb)
        *out = make(ma - mb, isneg(a));
    else
        *out = make(mb - ma, isneg(b));
    return APR_SUCCESS;
}

apr_status_t shop_dec_sub(shop_dec_t a, shop_dec_t b, shop_dec_t *out)
{
    return shop_dec_add(a, shop_dec_neg(b), out);
}

apr_status_t shop_dec_mul(shop_dec_t a, shop_dec_t b, shop_dec_t *out)
{
    apr_uint64_t rem;
    u256 q = div_small(mul128(mag(a), mag(b)), pow10_64[18],
                       &rem);
    int neg = isneg(a) != isneg(b);

    return finish(q, rem >= pow10_64[18] - rem, neg, out);
}

apr_status_t shop_dec_div(shop_dec_t a, shop_dec_t b, shop_dec_t *out)
{
    u128 d = mag(b), rem;
    u256 q;
    int neg;

    if (d == 0)
        return APR_EINVAL;
    q = div_big(mul128(mag(a), ONE), d, &rem);
    neg = isneg(a) != isneg(b);
    return finish(q, rem >= d - rem, neg, out);
}

shop_dec_t shop_dec_neg(shop_dec_t a)
{
    return make(mag(a), !isneg(a));
}

shop_dec_t shop_dec_abs(shop_dec_t a)
{
    return make(mag(a), 0);
}

apr_status_t shop_dec_round(shop_dec_t a, int digits, shop_dec_t *out)
{
    u128 unit, m, r;

    if (digits < 0 || digits > SHOP_DEC_FRAC_DIGITS)
        return APR_EINVAL;
    unit = pow10_64[SHOP_DEC_FRAC_DIGITS - digits];
    m = mag(a);
    r = m % unit;
    m -= r;
    if (r != 0 && r >= unit - r) {
        if (m + unit > RAW_MAX)
            return APR_ERANGE;
        m += unit;
    }
    *out = make(m, isneg(a));
    return APR_SUCCESS;
}

apr_status_t shop_dec_floor(shop_dec_t a, shop_dec_t *out)
{
    u128 m = mag(a), r = m % ONE;

    m -= r;
    if (isneg(a) && r != 0) {
        if (m + ONE > RAW_MAX)
            return APR_ERANGE;
        m += ONE;
    }
    *out = make(m, isneg(a));
    return APR_SUCCESS;
}

apr_status_t shop_dec_ceil(shop_dec_t a, shop_dec_t *out)
{
    apr_status_t rv = shop_dec_floor(shop_dec_neg(a), out);
    if (rv == APR_SUCCESS)
        *out = shop_dec_neg(*out);
    return rv;
}

int shop_dec_cmp(shop_dec_t a, shop_dec_t b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    return a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0;
}

int shop_dec_sign(shop_dec_t a)
{
    return isneg(a) ? -1 : (a.hi != 0 || a.lo != 0) ? 1 : 0;
}

int shop_dec_is_zero(shop_dec_t a)
{
    return a.hi == 0 && a.lo == 0;
}

int shop_dec_is_int(shop_dec_t a)
{
    return mag(a) % ONE == 0;
}

apr_status_t shop_dec_format(shop_dec_t a, int min_frac, char *buf,
                             apr_size_t size)
{
    char tmp[SHOP_DEC_TEXT_SIZE];
    char digits[SHOP_DEC_INT_DIGITS + 2];
    u128 m = mag(a), ip = m / ONE;
    apr_uint64_t fp = (apr_uint64_t)(m % ONE);
    apr_size_t n = 0, nd = 0, nf;
    int k;

    if (min_frac < 0)
        min_frac = 0;
    if (min_frac > SHOP_DEC_FRAC_DIGITS)
        min_frac = SHOP_DEC_FRAC_DIGITS;
    if (isneg(a))
        tmp[n++] = '-';
    do {
        digits[nd++] = (char)('0' + (int)(ip % 10));
        ip /= 10;
    } while (ip != 0);
    while (nd > 0)
        tmp[n++] = digits[--nd];
    nf = SHOP_DEC_FRAC_DIGITS;
    while (nf > (apr_size_t)min_frac && fp % 10 == 0) {
        fp /= 10;
        nf--;
    }
    if (nf > 0) {
        tmp[n++] = '.';
        for (k = (int)nf - 1; k >= 0; k--) {
            tmp[n + (apr_size_t)k] = (char)('0' + (int)(fp % 10));
            fp /= 10;
        }
        n += nf;
    }
    tmp[n] = '\0';
    if (n + 1 > size) {
        if (size > 0)
            buf[0] = '\0';
        return APR_ENOSPC;
    }
    memcpy(buf, tmp, n + 1);
    return APR_SUCCESS;
}

const char *shop_dec_pstr(apr_pool_t *p, shop_dec_t a)
{
    char buf[SHOP_DEC_TEXT_SIZE];
    shop_dec_format(a, 0, buf, sizeof buf);
    return apr_pstrdup(p, buf);
}
