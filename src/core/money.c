/*
 * money.c -- formatting and parsing of minor-unit amounts (see money.h).
 *
 * Magnitudes are handled as apr_uint64_t so INT64_MIN needs no special case.
 * The parser first cuts the input into digit runs and separators, then
 * decides which separator (if any) is the decimal mark, then checks the
 * grouping; only then are digits accumulated, with an overflow check.
 */
#include <string.h>

#include <apr_strings.h>

#include "core/money.h"

#define NBSP    "\xC2\xA0"      /* U+00A0 no-break space */
#define NNBSP   "\xE2\x80\xAF"  /* U+202F narrow no-break space */
#define RSQUO   "\xE2\x80\x99"  /* U+2019 right single quotation mark */

#define MAX_TOKENS (SHOP_MONEY_MAX_INPUT + 1)

static const apr_uint64_t pow10_u64[19] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
    10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL
};

static apr_uint64_t magnitude(apr_int64_t v)
{
    return v < 0 ? (apr_uint64_t)0 - (apr_uint64_t)v : (apr_uint64_t)v;
}

/* append s to out (cap bytes), tracking the length even past the cap */
static void put(char *out, apr_size_t cap, apr_size_t *n, const char *s)
{
    apr_size_t l = strlen(s);
    if (*n + l < cap)
        memcpy(out + *n, s, l);
    *n += l;
}

/* digits of v, grouped by three with sep ("" for none) */
static void put_int(char *out, apr_size_t cap, apr_size_t *n, apr_uint64_t v,
                    const char *sep)
{
    char d[24];
    int nd = 0, i;
    char one[2] = { 0, 0 };

    do {
        d[nd++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (i = nd - 1; i >= 0; i--) {
        one[0] = d[i];
        put(out, cap, n, one);
        if (i > 0 && i % 3 == 0)
            put(out, cap, n, sep);
    }
}

static void put_frac(char *out, apr_size_t cap, apr_size_t *n, apr_uint64_t v,
                     int digits)
{
    char d[20];
    int i;

    for (i = digits - 1; i >= 0; i--) {
        d[i] = (char)('0' + (int)(v % 10));
        v /= 10;
    }
    d[digits] = '\0';
    put(out, cap, n, d);
}

static apr_status_t emit(char *buf, apr_size_t size, const char *tmp,
                         apr_size_t n)
{
    if (n + 1 > size) {
        if (size > 0)
            buf[0] = '\0';
        return APR_ENOSPC;
    }
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return APR_SUCCESS;
}

apr_status_t shop_money_format(char *buf, apr_size_t size, apr_int64_t amount,
                               const shop_currency_t *c, const char *lang)
{
    char tmp[128];
    apr_size_t n = 0;
    apr_uint64_t m = magnitude(amount), unit;
    shop_currency_style_t st;
    int fr;

    if (c == NULL || buf == NULL || c->exponent < 0 || c->exponent > 18)
        return APR_EINVAL;
    fr = shop_currency_lang_is_fr(lang);
    st = shop_currency_style(c, lang);
    unit = pow10_u64[c->exponent];
    if (amount < 0)
        put(tmp, sizeof tmp, &n, "-");
    if (st.before) {
        put(tmp, sizeof tmp, &n, st.symbol);
        put(tmp, sizeof tmp, &n, st.space);
    }
    put_int(tmp, sizeof tmp, &n, m / unit, fr ? NNBSP : ",");
    if (c->exponent > 0) {
        put(tmp, sizeof tmp, &n, fr ? "," : ".");
        put_frac(tmp, sizeof tmp, &n, m % unit, c->exponent);
    }
    if (!st.before) {
        put(tmp, sizeof tmp, &n, st.space);
        put(tmp, sizeof tmp, &n, st.symbol);
    }
    if (n >= sizeof tmp) {       /* cannot happen with the table's symbols */
        if (size > 0)
            buf[0] = '\0';
        return APR_ENOSPC;
    }
    return emit(buf, size, tmp, n);
}

const char *shop_money_pformat(apr_pool_t *p, apr_int64_t amount,
                               const shop_currency_t *c, const char *lang)
{
    char buf[SHOP_MONEY_TEXT_SIZE];
    if (shop_money_format(buf, sizeof buf, amount, c, lang) != APR_SUCCESS)
        return "";
    return apr_pstrdup(p, buf);
}

apr_status_t shop_money_format_plain(char *buf, apr_size_t size,
                                     apr_int64_t amount, int exponent)
{
    char tmp[64];
    apr_size_t n = 0;
    apr_uint64_t m = magnitude(amount);

    if (buf == NULL || exponent < 0 || exponent > 18)
        return APR_EINVAL;
    if (amount < 0)
        put(tmp, sizeof tmp, &n, "-");
    put_int(tmp, sizeof tmp, &n, m / pow10_u64[exponent], "");
    if (exponent > 0) {
        put(tmp, sizeof tmp, &n, ".");
        put_frac(tmp, sizeof tmp, &n, m % pow10_u64[exponent], exponent);
    }
    return emit(buf, size, tmp, n);
}

/* ---- parsing */

enum tok_kind { T_DIGITS, T_DOT, T_COMMA, T_SPACE, T_APOS };

typedef struct {
    enum tok_kind kind;
    apr_size_t start, len;          /* T_DIGITS: the run in the input */
} tok_t;

/* length of a space-like separator at s (ASCII space or tab, U+00A0,
 * U+202F), 0 if none */
static apr_size_t space_at(const char *s, apr_size_t left)
{
    if (left >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (left >= 2 && memcmp(s, NBSP, 2) == 0)
        return 2;
    if (left >= 3 && memcmp(s, NNBSP, 3) == 0)
        return 3;
    return 0;
}

static apr_status_t refuse(const char **error_key, const char *key)
{
    if (error_key)
        *error_key = key;
    return APR_EINVAL;
}

/* 1 if the integer tokens t[0..n) are one run, or runs of 1-3 then 3
 * digits joined by separators all of one kind */
static int grouping_ok(const tok_t *t, int n)
{
    int i;

    if (n == 0)
        return 1;
    if (t[0].kind != T_DIGITS || t[n - 1].kind != T_DIGITS)
        return 0;
    if (n == 1)
        return 1;
    if (t[0].len > 3)
        return 0;
    for (i = 1; i < n; i += 2) {
        if (t[i].kind == T_DIGITS || t[i].kind != t[1].kind)
            return 0;
        if (t[i + 1].kind != T_DIGITS || t[i + 1].len != 3)
            return 0;
    }
    return 1;
}

apr_status_t shop_money_parse(const char *s, const shop_currency_t *c,
                              apr_int64_t *out, const char **error_key)
{
    tok_t t[MAX_TOKENS];
    int nt = 0, i, dec = -1, ndot = 0, ncomma = 0, nint;
    apr_size_t len, b, e, k, sl;
    int neg = 0;
    apr_uint64_t v = 0;
    int frac_digits = 0;

    if (s == NULL || c == NULL || c->exponent < 0 || c->exponent > 18)
        return refuse(error_key, "money_error_invalid");
    len = strlen(s);
    if (len > SHOP_MONEY_MAX_INPUT)
        return refuse(error_key, "money_error_too_large");

    b = 0;
    e = len;
    while (b < e && (sl = space_at(s + b, e - b)) > 0)
        b += sl;
    for (;;) {
        if (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            e -= 1;
        else if (e - b >= 2 && memcmp(s + e - 2, NBSP, 2) == 0)
            e -= 2;
        else if (e - b >= 3 && memcmp(s + e - 3, NNBSP, 3) == 0)
            e -= 3;
        else
            break;
    }
    if (b == e)
        return refuse(error_key, "money_error_empty");
    if (s[b] == '-' || s[b] == '+')
        neg = s[b++] == '-';

    /* cut into digit runs and separators; adjacent separators are refused */
    for (k = b; k < e;) {
        tok_t tk;
        if (s[k] >= '0' && s[k] <= '9') {
            tk.kind = T_DIGITS;
            tk.start = k;
            while (k < e && s[k] >= '0' && s[k] <= '9')
                k++;
            tk.len = k - tk.start;
        }
        else {
            tk.start = k;
            tk.len = 0;
            if (s[k] == '.')
                tk.kind = T_DOT, k++;
            else if (s[k] == ',')
                tk.kind = T_COMMA, k++;
            else if (s[k] == '\'')
                tk.kind = T_APOS, k++;
            else if (e - k >= 3 && memcmp(s + k, RSQUO, 3) == 0)
                tk.kind = T_APOS, k += 3;
            else if ((sl = space_at(s + k, e - k)) > 0)
                tk.kind = T_SPACE, k += sl;
            else
                return refuse(error_key, "money_error_invalid");
            if (nt > 0 && t[nt - 1].kind != T_DIGITS)
                return refuse(error_key, "money_error_invalid");
            if (tk.kind == T_DOT)
                ndot++;
            else if (tk.kind == T_COMMA)
                ncomma++;
        }
        t[nt++] = tk;
    }
    if (nt == 0)
        return refuse(error_key, "money_error_invalid");

    /* which separator is the decimal mark */
    if (c->exponent > 0) {
        if (ndot > 0 && ncomma > 0) {
            for (i = nt - 1; t[i].kind != T_DOT && t[i].kind != T_COMMA; i--)
                ;
            if ((t[i].kind == T_DOT ? ndot : ncomma) != 1)
                return refuse(error_key, "money_error_invalid");
            dec = i;
        }
        else if (ndot + ncomma == 1) {
            for (i = 0; t[i].kind != T_DOT && t[i].kind != T_COMMA; i++)
                ;
            dec = i;
        }
    }

    nint = dec >= 0 ? dec : nt;
    if (dec >= 0) {
        /* exactly one digit run after the mark */
        if (dec != nt - 2 || t[nt - 1].kind != T_DIGITS)
            return refuse(error_key, "money_error_invalid");
        if (t[nt - 1].len > (apr_size_t)c->exponent)
            return refuse(error_key, "money_error_decimals");
        frac_digits = (int)t[nt - 1].len;
    }
    if (!grouping_ok(t, nint)) {
        /* "1.5" yen: a lone mark that cannot be a grouping is a decimal */
        if (c->exponent == 0 && ndot + ncomma == 1 && nt >= 3
            && (t[nt - 2].kind == T_DOT || t[nt - 2].kind == T_COMMA)
            && t[nt - 1].kind == T_DIGITS && t[nt - 1].len != 3
            && grouping_ok(t, nt - 2))
            return refuse(error_key, "money_error_decimals");
        return refuse(error_key, "money_error_invalid");
    }
    if (nint == 0 && dec < 0)
        return refuse(error_key, "money_error_invalid");

    for (i = 0; i < nt; i++) {
        if (t[i].kind != T_DIGITS)
            continue;
        for (k = t[i].start; k < t[i].start + t[i].len; k++) {
            apr_uint64_t d = (apr_uint64_t)(s[k] - '0');
            if (v > ((apr_uint64_t)APR_INT64_MAX - d) / 10)
                return refuse(error_key, "money_error_too_large");
            v = v * 10 + d;
        }
    }
    for (i = frac_digits; i < c->exponent; i++) {
        if (v > (apr_uint64_t)APR_INT64_MAX / 10)
            return refuse(error_key, "money_error_too_large");
        v *= 10;
    }
    *out = neg ? -(apr_int64_t)v : (apr_int64_t)v;
    return APR_SUCCESS;
}
