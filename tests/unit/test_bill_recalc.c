/* Unit tests for src/core/bill_recalc.c: bill totals and manual line amounts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/bill_recalc.h"

#include "unit_pool.h"

static shop_tax_t *tax(apr_pool_t *p, apr_int64_t id, const char *rate, const char *formula)
{
    shop_dec_t r;
    shop_tax_t *t = NULL;
    shop_formula_error_t e;
    assert_int_equal(shop_dec_parse(rate, &r), APR_SUCCESS);
    assert_int_equal(shop_tax_make(p, id, "VAT", "FR", r, formula, &t, &e), APR_SUCCESS);
    return t;
}

static shop_dec_t dec(const char *s)
{
    shop_dec_t d;
    assert_int_equal(shop_dec_parse(s, &d), APR_SUCCESS);
    return d;
}

static shop_recalc_line_t manual(apr_int64_t q, apr_int64_t unit, const shop_tax_t *t)
{
    shop_recalc_line_t l;
    memset(&l, 0, sizeof(l));
    l.type = SHOP_BL_MANUAL;
    l.quantity = q;
    l.unit_minor = unit;
    l.tax = t;
    /* garbage that must be overwritten */
    l.untaxed_minor = 999;
    l.tax_minor = 999;
    l.tax_id = 77;
    return l;
}

static void test_manual_lines_rounded_once_per_line(void **state)
{
    apr_pool_t *p = *state;
    const shop_currency_t *eur = shop_currency_get("EUR");
    shop_tax_t *vat20 = tax(p, 1, "20", NULL), *vat55 = tax(p, 2, "5.5", NULL);
    /* 7 x 0.33 at 5.5 %: 0.34815 * 7 = 2.43705 -> 2.44 (per-unit rounding would give 7 x 0.35 = 2.45) */
    shop_recalc_line_t l[] = { manual(2, 125000, vat20), manual(7, 33, vat55), manual(1, 1000, NULL) };
    shop_recalc_totals_t t;
    assert_int_equal(shop_bill_recalc(p, l, 3, eur, &t), APR_SUCCESS);
    assert_int_equal(l[0].untaxed_minor, 250000);
    assert_int_equal(l[0].tax_minor, 50000);
    assert_int_equal(l[0].tax_id, 1);
    assert_int_equal(l[1].untaxed_minor, 231);
    assert_int_equal(l[1].tax_minor, 244 - 231);
    assert_int_equal(l[2].untaxed_minor, 1000);
    assert_int_equal(l[2].tax_minor, 0);
    assert_int_equal(l[2].tax_id, 0);
    assert_int_equal(t.untaxed_minor, 250000 + 231 + 1000);
    assert_int_equal(t.taxes_minor, 50000 + 13);
    assert_int_equal(t.taxed_minor, 251231 + 50013);
    assert_int_equal(t.to_pay_minor, t.taxed_minor);
    assert_int_equal(t.discount_minor, 0);
    assert_int_equal(t.shipping_minor, 0);
    assert_int_equal(t.bad_line, -1);
    /* per rate, sorted by rate: 0 %, 5.5 %, 20 % */
    assert_int_equal(t.ntaxes, 3);
    assert_int_equal(t.taxes[0].tax_id, 0);
    assert_int_equal(t.taxes[0].base_minor, 1000);
    assert_int_equal(t.taxes[1].tax_id, 2);
    assert_int_equal(t.taxes[1].base_minor, 231);
    assert_int_equal(t.taxes[1].amount_minor, 13);
    assert_int_equal(t.taxes[2].tax_id, 1);
    assert_int_equal(t.taxes[2].amount_minor, 50000);
}

static void test_stored_lines_kept_and_totals_as_placement(void **state)
{
    apr_pool_t *p = *state;
    const shop_currency_t *eur = shop_currency_get("EUR");
    shop_recalc_line_t l[4];
    memset(l, 0, sizeof(l));
    l[0].type = SHOP_BL_PRODUCT; l[0].quantity = 2; l[0].unit_minor = 5000; l[0].tax_id = 1; l[0].rate = dec("20");
    l[0].untaxed_minor = 10000; l[0].tax_minor = 2000;
    l[1].type = SHOP_BL_DISCOUNT; l[1].quantity = 1; l[1].tax_id = 1; l[1].rate = dec("20");
    l[1].untaxed_minor = -1000; l[1].tax_minor = -200;
    l[2].type = SHOP_BL_SHIPPING; l[2].quantity = 1; l[2].tax_id = 1; l[2].rate = dec("20");
    l[2].untaxed_minor = 1500; l[2].tax_minor = 300;
    l[3] = manual(1, 500, NULL);
    shop_recalc_totals_t t;
    assert_int_equal(shop_bill_recalc(p, l, 4, eur, &t), APR_SUCCESS);
    assert_int_equal(l[0].untaxed_minor, 10000);         /* untouched */
    assert_int_equal(t.untaxed_minor, 10000 - 1000 + 500);
    assert_int_equal(t.taxes_minor, 2000 - 200);
    assert_int_equal(t.taxed_minor, 9500 + 1800);
    assert_int_equal(t.discount_minor, -1200);
    assert_int_equal(t.shipping_minor, 1800);
    assert_int_equal(t.to_pay_minor, 11300 + 1800);
    assert_int_equal(t.ntaxes, 2);
    assert_int_equal(t.taxes[1].tax_id, 1);
    assert_int_equal(t.taxes[1].base_minor, 10000 - 1000 + 1500);
    assert_int_equal(t.taxes[1].amount_minor, 2000 - 200 + 300);
}

static void test_same_tax_two_rates_apart(void **state)
{
    apr_pool_t *p = *state;
    shop_recalc_line_t l[2];
    memset(l, 0, sizeof(l));
    /* a rate changed since the first line was placed: the frozen rates stay apart */
    l[0].type = SHOP_BL_PRODUCT; l[0].tax_id = 1; l[0].rate = dec("19.6"); l[0].untaxed_minor = 100; l[0].tax_minor = 20;
    l[1].type = SHOP_BL_PRODUCT; l[1].tax_id = 1; l[1].rate = dec("20"); l[1].untaxed_minor = 100; l[1].tax_minor = 20;
    shop_recalc_totals_t t;
    assert_int_equal(shop_bill_recalc(p, l, 2, shop_currency_get("EUR"), &t), APR_SUCCESS);
    assert_int_equal(t.ntaxes, 2);
}

static void test_yen_and_dinar(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *vat = tax(p, 3, "10", NULL);
    shop_recalc_line_t l[] = { manual(3, 105, vat) };
    shop_recalc_totals_t t;
    assert_int_equal(shop_bill_recalc(p, l, 1, shop_currency_get("JPY"), &t), APR_SUCCESS);
    assert_int_equal(l[0].untaxed_minor, 315);
    assert_int_equal(l[0].tax_minor, 32);                 /* 346.5 -> 347 */
    l[0] = manual(3, 1005, vat);
    assert_int_equal(shop_bill_recalc(p, l, 1, shop_currency_get("TND"), &t), APR_SUCCESS);
    assert_int_equal(l[0].tax_minor, 3 * 1005 / 10 + 1);  /* 3316.5 -> 3317 */
}

static void test_refusals(void **state)
{
    apr_pool_t *p = *state;
    const shop_currency_t *eur = shop_currency_get("EUR");
    shop_recalc_totals_t t;
    shop_recalc_line_t l[] = { manual(1, 100, NULL), manual(0, 100, NULL) };
    assert_int_equal(shop_bill_recalc(p, l, 2, eur, &t), APR_EINVAL);
    assert_int_equal(t.bad_line, 1);
    l[1] = manual(1, -1, NULL);
    assert_int_equal(shop_bill_recalc(p, l, 2, eur, &t), APR_EINVAL);
    assert_int_equal(t.bad_line, 1);
    /* a formula that fails */
    shop_recalc_line_t d[] = { manual(1, 100, tax(p, 4, "0", "$ttc = $ht / $tr")) };
    assert_int_equal(shop_bill_recalc(p, d, 1, eur, &t), APR_EINVAL);
    assert_int_equal(t.bad_line, 0);
    /* a formula giving a negative price */
    shop_recalc_line_t n[] = { manual(1, 100, tax(p, 5, "10", "$ttc = 0 - $ht")) };
    assert_int_equal(shop_bill_recalc(p, n, 1, eur, &t), APR_EINVAL);
    /* overflow */
    shop_recalc_line_t o[] = { manual(INT32_MAX, INT64_MAX / 2, NULL) };
    assert_int_equal(shop_bill_recalc(p, o, 1, eur, &t), APR_ERANGE);
    shop_recalc_line_t s[2];
    memset(s, 0, sizeof(s));
    s[0].type = s[1].type = SHOP_BL_PRODUCT;
    s[0].untaxed_minor = s[1].untaxed_minor = INT64_MAX / 2 + 1;
    assert_int_equal(shop_bill_recalc(p, s, 2, eur, &t), APR_ERANGE);
    assert_int_equal(shop_bill_recalc(p, NULL, 1, eur, &t), APR_EINVAL);
    assert_int_equal(shop_bill_recalc(p, l, 1, NULL, &t), APR_EINVAL);
    /* nothing at all: zero totals */
    assert_int_equal(shop_bill_recalc(p, NULL, 0, eur, &t), APR_SUCCESS);
    assert_int_equal(t.to_pay_minor, 0);
    assert_int_equal(t.ntaxes, 0);
}

static void test_type_names(void **state)
{
    shop_bill_line_type_t ty;
    assert_int_equal(shop_bill_line_type_parse("MANUAL", &ty), 0);
    assert_int_equal(ty, SHOP_BL_MANUAL);
    assert_int_equal(shop_bill_line_type_parse("SHIPPING", &ty), 0);
    assert_int_equal(ty, SHOP_BL_SHIPPING);
    assert_int_equal(shop_bill_line_type_parse("manual", &ty), -1);
    assert_int_equal(shop_bill_line_type_parse(NULL, &ty), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_manual_lines_rounded_once_per_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_lines_kept_and_totals_as_placement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_tax_two_rates_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yen_and_dinar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_names, setup, teardown),
    };
    apr_initialize();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
