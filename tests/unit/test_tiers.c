/* Unit tests for src/core/tiers.c: local_shop's whole-quantity tier rule
 * (§2.5, scenario B5), equivalence with get_price(q) on legacy columns,
 * validation, line totals and price-list ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/tiers.h"

static apr_int64_t price_at(const shop_tier_t *t, int n, apr_int64_t q)
{
    apr_int64_t u = -1;
    assert_int_equal(shop_tiers_unit_price(t, n, q, &u), APR_SUCCESS);
    return u;
}

/* Appendix B scenario 5: range1=10 price1=100, range2=50 price2=90, price3=80 */
static void test_scenario_b5(void **state)
{
    const shop_tier_t t[] = { { 10, 10000 }, { 50, 9000 }, { SHOP_TIER_UNLIMITED, 8000 } };
    apr_int64_t total;
    (void)state;
    assert_int_equal(price_at(t, 3, 1), 10000);
    assert_int_equal(price_at(t, 3, 10), 10000);
    assert_int_equal(price_at(t, 3, 11), 9000);       /* all eleven units */
    assert_int_equal(price_at(t, 3, 50), 9000);
    assert_int_equal(price_at(t, 3, 51), 8000);
    assert_int_equal(price_at(t, 3, 1000000), 8000);
    assert_int_equal(shop_tiers_line_total(price_at(t, 3, 11), 11, &total), APR_SUCCESS);
    assert_int_equal(total, 99000);                   /* not 10x100 + 1x90 */
}

static void test_single_and_first_unlimited(void **state)
{
    const shop_tier_t one[] = { { SHOP_TIER_UNLIMITED, 500 } };
    const shop_tier_t first_open[] = { { SHOP_TIER_UNLIMITED, 500 }, { 10, 400 } };
    const shop_tier_t bounded[] = { { 10, 300 } };
    int idx = -1;
    (void)state;
    assert_int_equal(price_at(one, 1, 1), 500);
    assert_int_equal(price_at(one, 1, 999), 500);
    /* range1 = 0: price1 for every quantity, whatever follows */
    assert_int_equal(price_at(first_open, 2, 1), 500);
    assert_int_equal(price_at(first_open, 2, 50), 500);
    /* the last tier's own bound is not a cap (local_shop's range5) */
    assert_int_equal(price_at(bounded, 1, 11), 300);
    assert_int_equal(shop_tiers_index(first_open, 2, 50, &idx), APR_SUCCESS);
    assert_int_equal(idx, 0);
}

static void test_five_tiers(void **state)
{
    const shop_tier_t t[] = { { 1, 500 }, { 2, 400 }, { 5, 300 }, { 10, 200 }, { 20, 100 } };
    (void)state;
    assert_int_equal(price_at(t, 5, 1), 500);
    assert_int_equal(price_at(t, 5, 2), 400);
    assert_int_equal(price_at(t, 5, 3), 300);
    assert_int_equal(price_at(t, 5, 5), 300);
    assert_int_equal(price_at(t, 5, 6), 200);
    assert_int_equal(price_at(t, 5, 10), 200);
    assert_int_equal(price_at(t, 5, 11), 100);
    assert_int_equal(price_at(t, 5, 20), 100);
    assert_int_equal(price_at(t, 5, 21), 100);         /* range5 never used */
}

static void test_bad_arguments(void **state)
{
    const shop_tier_t t[] = { { 10, 100 }, { SHOP_TIER_UNLIMITED, 90 } };
    shop_tier_t six[6];
    apr_int64_t u = 7;
    (void)state;
    memset(six, 0, sizeof six);
    assert_int_equal(shop_tiers_unit_price(t, 2, 0, &u), APR_EINVAL);
    assert_int_equal(shop_tiers_unit_price(t, 2, -5, &u), APR_EINVAL);
    assert_int_equal(shop_tiers_unit_price(t, 0, 1, &u), APR_EINVAL);
    assert_int_equal(shop_tiers_unit_price(six, 6, 1, &u), APR_EINVAL);
    assert_int_equal(shop_tiers_unit_price(NULL, 1, 1, &u), APR_EINVAL);
    assert_int_equal(u, 7);
}

/* local_shop's CatalogItem::get_price(q), written as §2.5 states it */
static apr_int64_t legacy_get_price(const apr_int64_t r[5], const apr_int64_t p[5],
                                    apr_int64_t q)
{
    if (r[0] == 0) return p[0];
    if (q <= r[0]) return p[0];
    if (r[1] == 0) return p[1];
    if (q <= r[1]) return p[1];
    if (r[2] == 0) return p[2];
    if (q <= r[2]) return p[2];
    if (r[3] == 0) return p[3];
    if (q <= r[3]) return p[3];
    return p[4];
}

static apr_uint64_t rng(apr_uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* converted legacy columns price exactly like get_price, even for unordered
 * or negative legacy ranges */
static void test_legacy_equivalence(void **state)
{
    apr_uint64_t s = 42;
    int i, k;
    (void)state;
    for (i = 0; i < 20000; i++) {
        apr_int64_t r[5], p[5], q;
        shop_tier_t t[SHOP_TIERS_MAX];
        int n;
        for (k = 0; k < 5; k++) {
            apr_uint64_t x = rng(&s);
            r[k] = (x % 4 == 0) ? 0 : (apr_int64_t)(x % 60) - 5;
            p[k] = (apr_int64_t)(rng(&s) % 100000);
        }
        n = shop_tiers_from_legacy(r, p, t);
        assert_true(n >= 1 && n <= 5);
        for (q = 1; q <= 70; q++)
            if (price_at(t, n, q) != legacy_get_price(r, p, q))
                fail_msg("legacy ranges %lld,%lld,%lld,%lld,%lld q=%lld",
                         (long long)r[0], (long long)r[1], (long long)r[2],
                         (long long)r[3], (long long)r[4], (long long)q);
    }
}

static void test_from_legacy(void **state)
{
    const apr_int64_t r[5] = { 10, 50, 0, 0, 0 };
    const apr_int64_t p[5] = { 100, 90, 80, 0, 0 };
    const apr_int64_t r5[5] = { 1, 2, 3, 4, 5 };
    shop_tier_t t[SHOP_TIERS_MAX];
    (void)state;
    assert_int_equal(shop_tiers_from_legacy(r, p, t), 3);
    assert_int_equal(t[0].up_to, 10);
    assert_int_equal(t[1].up_to, 50);
    assert_int_equal(t[2].up_to, SHOP_TIER_UNLIMITED);
    assert_int_equal(t[2].price_minor, 80);
    assert_int_equal(shop_tiers_validate(t, 3, NULL), APR_SUCCESS);
    assert_int_equal(shop_tiers_from_legacy(r5, p, t), 5);
    assert_int_equal(t[4].up_to, SHOP_TIER_UNLIMITED);
}

static void expect_invalid(const shop_tier_t *t, int n, int index, const char *field,
                           const char *key)
{
    shop_tier_error_t e;
    memset(&e, 0, sizeof e);
    assert_int_equal(shop_tiers_validate(t, n, &e), APR_EINVAL);
    assert_int_equal(e.index, index);
    assert_string_equal(e.field, field);
    assert_string_equal(e.key, key);
}

static void test_validate(void **state)
{
    const shop_tier_t ok1[] = { { SHOP_TIER_UNLIMITED, 0 } };
    const shop_tier_t ok2[] = { { 10, 100 }, { 20, 90 } };
    const shop_tier_t ok5[] = { { 1, 5 }, { 2, 4 }, { 3, 3 }, { 4, 2 }, { SHOP_TIER_UNLIMITED, 1 } };
    const shop_tier_t six[] = { { 1, 5 }, { 2, 4 }, { 3, 3 }, { 4, 2 }, { 5, 1 }, { 0, 1 } };
    const shop_tier_t neg_up[] = { { -1, 5 } };
    const shop_tier_t huge_up[] = { { APR_INT64_C(3000000000), 5 } };
    const shop_tier_t mid_open[] = { { 10, 5 }, { SHOP_TIER_UNLIMITED, 4 }, { 30, 3 } };
    const shop_tier_t equal[] = { { 10, 5 }, { 10, 4 } };
    const shop_tier_t desc[] = { { 10, 5 }, { 20, 4 }, { 15, 3 } };
    const shop_tier_t neg_price[] = { { 10, 5 }, { SHOP_TIER_UNLIMITED, -1 } };
    const shop_tier_t huge_price[] = { { SHOP_TIER_UNLIMITED, SHOP_TIERS_MAX_PRICE + 1 } };
    (void)state;
    assert_int_equal(shop_tiers_validate(ok1, 1, NULL), APR_SUCCESS);
    assert_int_equal(shop_tiers_validate(ok2, 2, NULL), APR_SUCCESS);
    assert_int_equal(shop_tiers_validate(ok5, 5, NULL), APR_SUCCESS);
    expect_invalid(ok1, 0, -1, "tiers", "tiers_error_count");
    expect_invalid(six, 6, -1, "tiers", "tiers_error_count");
    expect_invalid(NULL, 1, -1, "tiers", "tiers_error_count");
    expect_invalid(neg_up, 1, 0, "tiers[0].up_to", "tiers_error_up_to");
    expect_invalid(huge_up, 1, 0, "tiers[0].up_to", "tiers_error_up_to");
    expect_invalid(mid_open, 3, 1, "tiers[1].up_to", "tiers_error_unlimited_not_last");
    expect_invalid(equal, 2, 1, "tiers[1].up_to", "tiers_error_not_ascending");
    expect_invalid(desc, 3, 2, "tiers[2].up_to", "tiers_error_not_ascending");
    expect_invalid(neg_price, 2, 1, "tiers[1].price_minor", "tiers_error_price");
    expect_invalid(huge_price, 1, 0, "tiers[0].price_minor", "tiers_error_price");
}

static void test_line_total(void **state)
{
    apr_int64_t t = 0;
    (void)state;
    assert_int_equal(shop_tiers_line_total(9000, 11, &t), APR_SUCCESS);
    assert_int_equal(t, 99000);
    assert_int_equal(shop_tiers_line_total(-500, 3, &t), APR_SUCCESS);   /* discount line */
    assert_int_equal(t, -1500);
    assert_int_equal(shop_tiers_line_total(123, 0, &t), APR_SUCCESS);
    assert_int_equal(t, 0);
    t = 7;
    assert_int_equal(shop_tiers_line_total(APR_INT64_MAX / 2 + 1, 2, &t), APR_ERANGE);
    assert_int_equal(shop_tiers_line_total(APR_INT64_MIN, 2, &t), APR_ERANGE);
    assert_int_equal(shop_tiers_line_total(APR_INT64_C(4611686018427387904), 3, &t), APR_ERANGE);
    assert_int_equal(shop_tiers_line_total(1, -1, &t), APR_EINVAL);
    assert_int_equal(t, 7);
    assert_int_equal(shop_tiers_line_total(APR_INT64_MAX, 1, &t), APR_SUCCESS);
    assert_true(t == APR_INT64_MAX);
}

static void test_range(void **state)
{
    const shop_tier_t t[] = { { 10, 100 }, { 50, 90 }, { SHOP_TIER_UNLIMITED, 80 } };
    const shop_tier_t b[] = { { 10, 100 }, { 50, 90 } };
    apr_int64_t from, to;
    (void)state;
    assert_int_equal(shop_tiers_range(t, 3, 0, &from, &to), APR_SUCCESS);
    assert_int_equal(from, 1);
    assert_int_equal(to, 10);
    assert_int_equal(shop_tiers_range(t, 3, 1, &from, &to), APR_SUCCESS);
    assert_int_equal(from, 11);
    assert_int_equal(to, 50);
    assert_int_equal(shop_tiers_range(t, 3, 2, &from, &to), APR_SUCCESS);
    assert_int_equal(from, 51);
    assert_int_equal(to, SHOP_TIER_UNLIMITED);
    /* a bounded last tier is still open-ended */
    assert_int_equal(shop_tiers_range(b, 2, 1, &from, &to), APR_SUCCESS);
    assert_int_equal(from, 11);
    assert_int_equal(to, SHOP_TIER_UNLIMITED);
    assert_int_equal(shop_tiers_range(t, 3, 3, &from, &to), APR_EINVAL);
    assert_int_equal(shop_tiers_range(t, 3, -1, &from, &to), APR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_b5),
        cmocka_unit_test(test_single_and_first_unlimited),
        cmocka_unit_test(test_five_tiers),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_legacy_equivalence),
        cmocka_unit_test(test_from_legacy),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_line_total),
        cmocka_unit_test(test_range),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
