/* Unit tests for src/core/decimal.c: parsing, formatting, exact arithmetic,
 * half-up rounding, range limits and conversions, with randomised checks
 * against an independent 128-bit reference. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/decimal.h"

static shop_dec_t D(const char *s)
{
    shop_dec_t d;
    apr_status_t rv = shop_dec_parse(s, &d);
    if (rv != APR_SUCCESS)
        fail_msg("'%s' refused (%d)", s, rv);
    return d;
}

static const char *S(shop_dec_t d, char *buf)
{
    assert_int_equal(shop_dec_format(d, 0, buf, SHOP_DEC_TEXT_SIZE), APR_SUCCESS);
    return buf;
}

#define assert_dec(d, text) do { \
        char b_[SHOP_DEC_TEXT_SIZE]; \
        assert_string_equal(S((d), b_), (text)); \
    } while (0)

/* independent reference: an exact raw (value * 10^18) as text */
static const char *raw_text(__int128 raw, char *buf)
{
    unsigned __int128 m = raw < 0 ? (unsigned __int128)0 - (unsigned __int128)raw
                                  : (unsigned __int128)raw;
    char d[64];
    int n = 0, k = 0, i;

    do {
        d[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m != 0 || n < 19);
    if (raw < 0)
        buf[k++] = '-';
    for (i = n - 1; i >= 18; i--)
        buf[k++] = d[i];
    buf[k++] = '.';
    for (i = 17; i >= 0; i--)
        buf[k++] = d[i];
    buf[k] = '\0';
    return buf;
}

/* deterministic generator (tests must not use rand()) */
static apr_uint64_t rng(apr_uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_parse_ok(void **state)
{
    static const struct { const char *in, *out; } t[] = {
        { "20", "20" }, { "5.5", "5.5" }, { "-0.125", "-0.125" },
        { ".5", "0.5" }, { "5.", "5" }, { "+3", "3" }, { "007", "7" },
        { "-0", "0" }, { "0.000", "0" }, { "100.0000", "100" },
        { "0.000000000000000001", "0.000000000000000001" },
        { "99999999999999999999.999999999999999999",
          "99999999999999999999.999999999999999999" },
        { "-99999999999999999999.999999999999999999",
          "-99999999999999999999.999999999999999999" },
        { "0.1000000000000000000000", "0.1" },
        { "00000000000000000000000000000000000000000000000000000000000001", "1" },
        { "19.6", "19.6" }, { "0.055", "0.055" },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_dec(D(t[i].in), t[i].out);
}

static void test_parse_refused(void **state)
{
    static const char *einval[] = {
        "", "-", "+", ".", "-.", "1e3", "1E3", "1e400", " 1", "1 ", "1,5",
        "0x10", "inf", "nan", "1.2.3", "--1", "+-1", "1-", "$1", "1_000",
        "\xc2\xbd", "\xd9\xa1", "١", "1\n",
    };
    static const char *erange[] = {
        "100000000000000000000", "-100000000000000000000",
        "123456789012345678901.5",
        "0.0000000000000000001", "1.0000000000000000005",
        "00000000000000000000000000000000000000000000000000000000000000001",
        "99999999999999999999999999999999999999999999999999999999999999999999",
    };
    shop_dec_t d = D("7");
    size_t i;
    (void)state;
    for (i = 0; i < sizeof einval / sizeof einval[0]; i++)
        if (shop_dec_parse(einval[i], &d) != APR_EINVAL)
            fail_msg("'%s' not refused as EINVAL", einval[i]);
    for (i = 0; i < sizeof erange / sizeof erange[0]; i++)
        if (shop_dec_parse(erange[i], &d) != APR_ERANGE)
            fail_msg("'%s' not refused as ERANGE", erange[i]);
    assert_dec(d, "7");                 /* untouched on failure */
    assert_int_equal(shop_dec_parse(NULL, &d), APR_EINVAL);
    assert_int_equal(shop_dec_parse_n("12\0003", 4, &d), APR_EINVAL);
    assert_int_equal(shop_dec_parse_n("12\0003", 2, &d), APR_SUCCESS);
    assert_dec(d, "12");
}

static void test_format(void **state)
{
    char buf[SHOP_DEC_TEXT_SIZE];
    char tiny[4];
    (void)state;
    assert_int_equal(shop_dec_format(D("12.5"), 2, buf, sizeof buf), APR_SUCCESS);
    assert_string_equal(buf, "12.50");
    assert_int_equal(shop_dec_format(D("3"), 0, buf, sizeof buf), APR_SUCCESS);
    assert_string_equal(buf, "3");
    assert_int_equal(shop_dec_format(D("3"), 4, buf, sizeof buf), APR_SUCCESS);
    assert_string_equal(buf, "3.0000");
    assert_int_equal(shop_dec_format(D("-0.001"), 2, buf, sizeof buf), APR_SUCCESS);
    assert_string_equal(buf, "-0.001");
    assert_int_equal(shop_dec_format(D("1.5"), 99, buf, sizeof buf), APR_SUCCESS);
    assert_string_equal(buf, "1.500000000000000000");
    assert_int_equal(shop_dec_format(D("1234"), 0, tiny, sizeof tiny), APR_ENOSPC);
    assert_string_equal(tiny, "");
    assert_int_equal(shop_dec_format(D("123"), 0, tiny, sizeof tiny), APR_SUCCESS);
    assert_string_equal(tiny, "123");
    {
        apr_pool_t *p;
        apr_pool_create(&p, NULL);
        assert_string_equal(shop_dec_pstr(p, D("-42.4200")), "-42.42");
        apr_pool_destroy(p);
    }
}

static void test_add_sub(void **state)
{
    shop_dec_t r;
    shop_dec_t max = D("99999999999999999999.999999999999999999");
    shop_dec_t tiny = D("0.000000000000000001");
    (void)state;
    assert_int_equal(shop_dec_add(D("0.1"), D("0.2"), &r), APR_SUCCESS);
    assert_dec(r, "0.3");
    assert_int_equal(shop_dec_sub(D("0.1"), D("0.3"), &r), APR_SUCCESS);
    assert_dec(r, "-0.2");
    assert_int_equal(shop_dec_add(D("-5"), D("5"), &r), APR_SUCCESS);
    assert_dec(r, "0");
    assert_int_equal(shop_dec_add(max, tiny, &r), APR_ERANGE);
    assert_int_equal(shop_dec_add(max, max, &r), APR_ERANGE);
    assert_int_equal(shop_dec_sub(shop_dec_neg(max), tiny, &r), APR_ERANGE);
    assert_int_equal(shop_dec_sub(shop_dec_neg(max), max, &r), APR_ERANGE);
    assert_int_equal(shop_dec_add(max, shop_dec_neg(max), &r), APR_SUCCESS);
    assert_dec(r, "0");
    assert_int_equal(shop_dec_sub(max, tiny, &r), APR_SUCCESS);
    assert_dec(r, "99999999999999999999.999999999999999998");
}

static void test_mul(void **state)
{
    shop_dec_t r;
    (void)state;
    assert_int_equal(shop_dec_mul(D("1.5"), D("1.5"), &r), APR_SUCCESS);
    assert_dec(r, "2.25");
    assert_int_equal(shop_dec_mul(D("0.1"), D("0.1"), &r), APR_SUCCESS);
    assert_dec(r, "0.01");
    assert_int_equal(shop_dec_mul(D("-3"), D("0.5"), &r), APR_SUCCESS);
    assert_dec(r, "-1.5");
    assert_int_equal(shop_dec_mul(D("-3"), D("-0.5"), &r), APR_SUCCESS);
    assert_dec(r, "1.5");
    assert_int_equal(shop_dec_mul(D("90"), D("1.2"), &r), APR_SUCCESS);
    assert_dec(r, "108");
    /* the 19th digit is rounded half-up, ties away from zero */
    assert_int_equal(shop_dec_mul(D("0.000000000000000001"), D("0.5"), &r), APR_SUCCESS);
    assert_dec(r, "0.000000000000000001");
    assert_int_equal(shop_dec_mul(D("-0.000000000000000001"), D("0.5"), &r), APR_SUCCESS);
    assert_dec(r, "-0.000000000000000001");
    assert_int_equal(shop_dec_mul(D("0.000000000000000001"), D("0.49"), &r), APR_SUCCESS);
    assert_dec(r, "0");
    assert_int_equal(shop_dec_mul(D("0.333333333333333333"), D("3"), &r), APR_SUCCESS);
    assert_dec(r, "0.999999999999999999");
    /* range */
    assert_int_equal(shop_dec_mul(D("10000000000"), D("10000000000"), &r), APR_ERANGE);
    assert_int_equal(shop_dec_mul(D("9999999999"), D("10000000000"), &r), APR_SUCCESS);
    assert_dec(r, "99999999990000000000");
    assert_int_equal(shop_dec_mul(D("99999999999999999999.999999999999999999"),
                                  D("99999999999999999999.999999999999999999"), &r),
                     APR_ERANGE);
    assert_int_equal(shop_dec_mul(D("99999999999999999999.999999999999999999"),
                                  D("-1"), &r), APR_SUCCESS);
    assert_dec(r, "-99999999999999999999.999999999999999999");
    assert_int_equal(shop_dec_mul(D("0"), D("-99999999999999999999"), &r), APR_SUCCESS);
    assert_dec(r, "0");
}

static void test_div(void **state)
{
    shop_dec_t r = D("7");
    (void)state;
    assert_int_equal(shop_dec_div(D("1"), D("3"), &r), APR_SUCCESS);
    assert_dec(r, "0.333333333333333333");
    assert_int_equal(shop_dec_div(D("2"), D("3"), &r), APR_SUCCESS);
    assert_dec(r, "0.666666666666666667");
    assert_int_equal(shop_dec_div(D("-2"), D("3"), &r), APR_SUCCESS);
    assert_dec(r, "-0.666666666666666667");
    assert_int_equal(shop_dec_div(D("2"), D("-3"), &r), APR_SUCCESS);
    assert_dec(r, "-0.666666666666666667");
    assert_int_equal(shop_dec_div(D("20"), D("100"), &r), APR_SUCCESS);
    assert_dec(r, "0.2");
    assert_int_equal(shop_dec_div(D("10"), D("4"), &r), APR_SUCCESS);
    assert_dec(r, "2.5");
    assert_int_equal(shop_dec_div(D("1"), D("0.000000000000000001"), &r), APR_SUCCESS);
    assert_dec(r, "1000000000000000000");
    assert_int_equal(shop_dec_div(D("0.000000000000000001"), D("2"), &r), APR_SUCCESS);
    assert_dec(r, "0.000000000000000001");          /* 0.5e-18 rounds up */
    assert_int_equal(shop_dec_div(D("0.000000000000000001"), D("3"), &r), APR_SUCCESS);
    assert_dec(r, "0");
    assert_int_equal(shop_dec_div(D("99999999999999999999"), D("0.5"), &r), APR_ERANGE);
    assert_int_equal(shop_dec_div(D("100"), D("0.000000000000000001"), &r), APR_ERANGE);
    r = D("7");
    assert_int_equal(shop_dec_div(D("1"), D("0"), &r), APR_EINVAL);
    assert_int_equal(shop_dec_div(D("0"), D("-0"), &r), APR_EINVAL);
    assert_dec(r, "7");
    assert_int_equal(shop_dec_div(D("99999999999999999999.999999999999999999"),
                                  D("99999999999999999999.999999999999999999"), &r),
                     APR_SUCCESS);
    assert_dec(r, "1");
}

static void test_round(void **state)
{
    static const struct { const char *in; int digits; const char *out; } t[] = {
        { "2.345", 2, "2.35" }, { "2.344", 2, "2.34" }, { "-2.345", 2, "-2.35" },
        { "-2.344", 2, "-2.34" }, { "0.5", 0, "1" }, { "-0.5", 0, "-1" },
        { "1.5", 0, "2" }, { "2.5", 0, "3" }, { "0.49999", 0, "0" },
        { "1.0005", 3, "1.001" }, { "7", 2, "7" }, { "0.000000000000000001", 18,
          "0.000000000000000001" }, { "0.000000000000000001", 17, "0" },
        { "0.000000000000000005", 17, "0.00000000000000001" },
    };
    shop_dec_t r;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        char b[SHOP_DEC_TEXT_SIZE];
        assert_int_equal(shop_dec_round(D(t[i].in), t[i].digits, &r), APR_SUCCESS);
        if (strcmp(S(r, b), t[i].out) != 0)
            fail_msg("round(%s, %d) = %s, expected %s", t[i].in, t[i].digits, b,
                     t[i].out);
    }
    assert_int_equal(shop_dec_round(D("1"), 19, &r), APR_EINVAL);
    assert_int_equal(shop_dec_round(D("1"), -1, &r), APR_EINVAL);
    assert_int_equal(shop_dec_round(D("99999999999999999999.5"), 0, &r), APR_ERANGE);
    assert_int_equal(shop_dec_round(D("-99999999999999999999.5"), 0, &r), APR_ERANGE);
    assert_int_equal(shop_dec_round(D("99999999999999999999.4"), 0, &r), APR_SUCCESS);
    assert_dec(r, "99999999999999999999");
}

static void test_floor_ceil(void **state)
{
    shop_dec_t r;
    (void)state;
    assert_int_equal(shop_dec_floor(D("1.5"), &r), APR_SUCCESS);
    assert_dec(r, "1");
    assert_int_equal(shop_dec_floor(D("-1.5"), &r), APR_SUCCESS);
    assert_dec(r, "-2");
    assert_int_equal(shop_dec_floor(D("-2"), &r), APR_SUCCESS);
    assert_dec(r, "-2");
    assert_int_equal(shop_dec_ceil(D("1.0000001"), &r), APR_SUCCESS);
    assert_dec(r, "2");
    assert_int_equal(shop_dec_ceil(D("-1.5"), &r), APR_SUCCESS);
    assert_dec(r, "-1");
    assert_int_equal(shop_dec_ceil(D("3"), &r), APR_SUCCESS);
    assert_dec(r, "3");
    assert_int_equal(shop_dec_ceil(D("99999999999999999999.1"), &r), APR_ERANGE);
    assert_int_equal(shop_dec_floor(D("-99999999999999999999.1"), &r), APR_ERANGE);
}

static void test_compare(void **state)
{
    (void)state;
    assert_int_equal(shop_dec_cmp(D("1"), D("2")), -1);
    assert_int_equal(shop_dec_cmp(D("2"), D("1")), 1);
    assert_int_equal(shop_dec_cmp(D("1.0"), D("1")), 0);
    assert_int_equal(shop_dec_cmp(D("-1"), D("0.5")), -1);
    assert_int_equal(shop_dec_cmp(D("-1"), D("-2")), 1);
    assert_int_equal(shop_dec_cmp(D("-0.000000000000000001"), D("0")), -1);
    assert_int_equal(shop_dec_sign(D("-3")), -1);
    assert_int_equal(shop_dec_sign(D("0")), 0);
    assert_int_equal(shop_dec_sign(D("0.000000000000000001")), 1);
    assert_true(shop_dec_is_zero(D("-0.000")));
    assert_true(shop_dec_is_int(D("-12.000")));
    assert_false(shop_dec_is_int(D("12.001")));
    assert_dec(shop_dec_abs(D("-4.5")), "4.5");
    assert_dec(shop_dec_neg(D("0")), "0");
    {
        shop_dec_t z = SHOP_DEC_ZERO;
        assert_true(shop_dec_is_zero(z));
    }
}

static void test_conversions(void **state)
{
    apr_int64_t m = 7;
    (void)state;
    assert_dec(shop_dec_from_int(APR_INT64_MIN), "-9223372036854775808");
    assert_dec(shop_dec_from_int(APR_INT64_MAX), "9223372036854775807");
    assert_dec(shop_dec_from_minor(1234, 2), "12.34");
    assert_dec(shop_dec_from_minor(-5, 3), "-0.005");
    assert_dec(shop_dec_from_minor(1235, 0), "1235");
    assert_dec(shop_dec_from_minor(APR_INT64_MIN, 18), "-9.223372036854775808");
    assert_int_equal(shop_dec_to_minor(D("12.345"), 2, &m), APR_SUCCESS);
    assert_int_equal(m, 1235);
    assert_int_equal(shop_dec_to_minor(D("-12.345"), 2, &m), APR_SUCCESS);
    assert_int_equal(m, -1235);
    assert_int_equal(shop_dec_to_minor(D("12.344"), 2, &m), APR_SUCCESS);
    assert_int_equal(m, 1234);
    assert_int_equal(shop_dec_to_minor(D("1234.5"), 0, &m), APR_SUCCESS);
    assert_int_equal(m, 1235);
    assert_int_equal(shop_dec_to_minor(D("1.2345"), 3, &m), APR_SUCCESS);
    assert_int_equal(m, 1235);
    assert_int_equal(shop_dec_to_minor(shop_dec_from_int(APR_INT64_MIN), 0, &m), APR_SUCCESS);
    assert_true(m == APR_INT64_MIN);
    assert_int_equal(shop_dec_to_minor(shop_dec_from_int(APR_INT64_MAX), 0, &m), APR_SUCCESS);
    assert_true(m == APR_INT64_MAX);
    m = 7;
    assert_int_equal(shop_dec_to_minor(D("9223372036854775807.5"), 0, &m), APR_ERANGE);
    assert_int_equal(shop_dec_to_minor(D("-9223372036854775808.5"), 0, &m), APR_ERANGE);
    assert_int_equal(shop_dec_to_minor(D("92233720368547758.08"), 2, &m), APR_ERANGE);
    assert_int_equal(shop_dec_to_minor(D("1"), 19, &m), APR_EINVAL);
    assert_int_equal(shop_dec_to_minor(D("1"), -1, &m), APR_EINVAL);
    assert_int_equal(m, 7);
}

/* random products of values with <= 9 integer and 9 fractional digits are
 * exact: a = xa / 10^9, b = xb / 10^9, raw(a*b) = xa * xb */
static void test_random_mul_exact(void **state)
{
    apr_uint64_t s = 0x9E3779B97F4A7C15ULL;
    int i;
    (void)state;
    for (i = 0; i < 20000; i++) {
        apr_int64_t xa = (apr_int64_t)(rng(&s) % 1000000000000000000ULL);
        apr_int64_t xb = (apr_int64_t)(rng(&s) % 1000000000000000000ULL);
        char want[64], got[SHOP_DEC_TEXT_SIZE];
        shop_dec_t r, w;
        if (rng(&s) & 1)
            xa = -xa;
        if (rng(&s) & 1)
            xb = -xb;
        assert_int_equal(shop_dec_mul(shop_dec_from_minor(xa, 9),
                                      shop_dec_from_minor(xb, 9), &r), APR_SUCCESS);
        assert_int_equal(shop_dec_parse(raw_text((__int128)xa * xb, want), &w),
                         APR_SUCCESS);
        if (shop_dec_cmp(r, w) != 0)
            fail_msg("%lld * %lld (1e-9): got %s want %s", (long long)xa,
                     (long long)xb, S(r, got), want);
    }
}

/* random quotients of integers against a reference rounding */
static void test_random_div(void **state)
{
    apr_uint64_t s = 12345;
    int i;
    (void)state;
    for (i = 0; i < 20000; i++) {
        apr_int64_t a = (apr_int64_t)(rng(&s) % 2000000000ULL) - 1000000000;
        apr_int64_t b = (apr_int64_t)(rng(&s) % 2000000000ULL) - 1000000000;
        __int128 n, q, r;
        char want[64], got[SHOP_DEC_TEXT_SIZE];
        shop_dec_t res, w;
        if (b == 0)
            continue;
        n = (__int128)(a < 0 ? -a : a) * 1000000000000000000LL;
        q = n / (b < 0 ? -b : b);
        r = n % (b < 0 ? -b : b);
        if (2 * r >= (b < 0 ? -b : b))
            q++;
        if ((a < 0) != (b < 0))
            q = -q;
        assert_int_equal(shop_dec_div(shop_dec_from_int(a), shop_dec_from_int(b), &res),
                         APR_SUCCESS);
        assert_int_equal(shop_dec_parse(raw_text(q, want), &w), APR_SUCCESS);
        if (shop_dec_cmp(res, w) != 0)
            fail_msg("%lld / %lld: got %s want %s", (long long)a, (long long)b,
                     S(res, got), want);
    }
}

/* format then parse gives the same value, for random raws over the range */
static void test_random_roundtrip(void **state)
{
    apr_uint64_t s = 777;
    int i;
    (void)state;
    for (i = 0; i < 20000; i++) {
        apr_int64_t hi = (apr_int64_t)(rng(&s) % 5000000000000000000ULL);
        apr_int64_t lo = (apr_int64_t)(rng(&s) % 1000000000000000000ULL);
        shop_dec_t a, b, sum;
        char t[SHOP_DEC_TEXT_SIZE];
        assert_int_equal(shop_dec_add(shop_dec_from_int(hi),
                                      shop_dec_from_minor(lo, 18), &a), APR_SUCCESS);
        if (rng(&s) & 1)
            a = shop_dec_neg(a);
        assert_int_equal(shop_dec_format(a, 0, t, sizeof t), APR_SUCCESS);
        assert_int_equal(shop_dec_parse(t, &b), APR_SUCCESS);
        assert_int_equal(shop_dec_cmp(a, b), 0);
        /* a - a = 0 and a + (-a) = 0 */
        assert_int_equal(shop_dec_sub(a, b, &sum), APR_SUCCESS);
        assert_true(shop_dec_is_zero(sum));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul),
        cmocka_unit_test(test_div),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_floor_ceil),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_random_mul_exact),
        cmocka_unit_test(test_random_div),
        cmocka_unit_test(test_random_roundtrip),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
