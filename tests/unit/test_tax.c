/* Unit tests for src/core/tax.c: default, custom and empty formulas,
 * per-line half-up rounding in every exponent, discounts, overflow, and the
 * back-office validation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/tax.h"
#include "unit_pool.h"

static shop_tax_t *tax(apr_pool_t *p, const char *rate, const char *formula)
{
    shop_tax_t *t = NULL;
    shop_dec_t r;
    shop_formula_error_t e;
    assert_int_equal(shop_dec_parse(rate, &r), APR_SUCCESS);
    if (shop_tax_make(p, 1, "VAT", "FR", r, formula, &t, &e) != APR_SUCCESS)
        fail_msg("tax '%s' refused: %s", formula ? formula : "NULL", e.msg);
    return t;
}

static void line(const shop_tax_t *t, apr_int64_t unit, apr_int64_t q, const char *cur,
                 apr_int64_t untaxed, apr_int64_t tx, apr_int64_t taxed)
{
    shop_tax_amounts_t a;
    shop_formula_error_t e;
    assert_int_equal(shop_tax_line(t, unit, q, shop_currency_get(cur), &a, &e), APR_SUCCESS);
    if (a.untaxed_minor != untaxed || a.tax_minor != tx || a.taxed_minor != taxed)
        fail_msg("%lld x %lld %s: got %lld + %lld = %lld, want %lld + %lld = %lld",
                 (long long)unit, (long long)q, cur, (long long)a.untaxed_minor,
                 (long long)a.tax_minor, (long long)a.taxed_minor, (long long)untaxed,
                 (long long)tx, (long long)taxed);
    assert_int_equal(a.untaxed_minor + a.tax_minor, a.taxed_minor);
}

/* Appendix B scenario 6: ratio 20, HT 90 -> TTC 108; line q=2 -> tax 36 */
static void test_scenario_b6(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "20", "$ttc = $ht * (1 + $tr/100)");
    apr_int64_t u;
    line(t, 9000, 1, "EUR", 9000, 1800, 10800);
    line(t, 9000, 2, "EUR", 18000, 3600, 21600);
    assert_int_equal(shop_tax_unit_taxed(t, 9000, shop_currency_get("EUR"), &u, NULL),
                     APR_SUCCESS);
    assert_int_equal(u, 10800);
}

static void test_default_formula(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "20", NULL);
    assert_null(t->formula_src);
    assert_non_null(t->formula);
    line(t, 9000, 2, "EUR", 18000, 3600, 21600);
    /* the documented alternative spelling gives the same */
    line(tax(p, "20", "$TTC = $HT + ($HT*$TR/100)"), 9000, 2, "EUR", 18000, 3600, 21600);
}

static void test_empty_formula_and_null_tax(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "20", "");
    assert_null(t->formula);
    line(t, 1234, 3, "EUR", 3702, 0, 3702);
    line(tax(p, "20", "  \n"), 1234, 3, "EUR", 3702, 0, 3702);
    line(NULL, 1234, 3, "EUR", 3702, 0, 3702);
    line(NULL, -500, 2, "EUR", -1000, 0, -1000);
}

static void test_rounding_per_line(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t196 = tax(p, "19.6", NULL);
    shop_tax_t *t20 = tax(p, "20", NULL);
    shop_tax_t *t55 = tax(p, "5.5", NULL);
    shop_tax_t *t21 = tax(p, "21", NULL);
    /* 0.05 * 1.196 = 0.0598 -> 0.06 */
    line(t196, 5, 1, "EUR", 5, 1, 6);
    /* 0.01 * 1.2 = 0.012; per line x3 = 0.036 -> 0.04 (per-unit rounding would give 0.03) */
    line(t20, 1, 3, "EUR", 3, 1, 4);
    /* half-up: 0.10 * 1.055 = 0.1055 -> 0.11; 0.30 * 1.055 = 0.3165 -> 0.32 */
    line(t55, 10, 1, "EUR", 10, 1, 11);
    line(t55, 30, 1, "EUR", 30, 2, 32);
    /* an exact tie: 0.50 * 1.21 = 0.605 -> 0.61 */
    line(t21, 50, 1, "EUR", 50, 11, 61);
    /* 9.99 * 1.196 = 11.94804 -> 11.95; x7 = 83.63628 -> 83.64 */
    line(t196, 999, 1, "EUR", 999, 196, 1195);
    line(t196, 999, 7, "EUR", 6993, 1371, 8364);
    /* zero quantity */
    line(t196, 999, 0, "EUR", 0, 0, 0);
}

static void test_exponents(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "10", NULL);
    shop_tax_t *t8 = tax(p, "8", NULL);
    /* JPY: 1235 * 1.1 = 1358.5 -> 1359 */
    line(t, 1235, 1, "JPY", 1235, 124, 1359);
    line(t8, 1000, 3, "KRW", 3000, 240, 3240);
    /* TND: 1.235 * 1.1 = 1.3585 -> 1.359 */
    line(t, 1235, 1, "TND", 1235, 124, 1359);
    line(tax(p, "19", NULL), 1001, 1, "TND", 1001, 190, 1191);    /* 1.19119 -> 1.191 */
}

static void test_discount_mirrors(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "21", NULL);
    /* a discount line is the exact negative of the line it cancels */
    line(t, 50, 1, "EUR", 50, 11, 61);
    line(t, -50, 1, "EUR", -50, -11, -61);
    line(t, 999, 7, "EUR", 6993, 1469, 8462);
    line(t, -999, 7, "EUR", -6993, -1469, -8462);
}

static void test_custom_formulas(void **state)
{
    apr_pool_t *p = *state;
    /* a per-unit minimum tax of 1.00 */
    shop_tax_t *t = tax(p, "5", "$ttc = $ht + max($ht * $tr / 100, 1)");
    line(t, 1000, 2, "EUR", 2000, 200, 2200);         /* 0.50 -> 1.00 per unit */
    line(t, 10000, 2, "EUR", 20000, 1000, 21000);     /* 5 % */
    /* rounding inside the formula */
    line(tax(p, "19.6", "$ttc = round($ht * (1 + $tr / 100), 1)"), 999, 1, "EUR", 999, 191, 1190);
}

static void test_errors(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t = tax(p, "20", NULL), *bad = NULL;
    shop_tax_amounts_t a;
    shop_formula_error_t e;
    shop_dec_t r = shop_dec_from_int(20);

    assert_int_equal(shop_tax_line(t, 1, 1, NULL, &a, &e), APR_EINVAL);
    assert_int_equal(shop_tax_line(t, 1, -1, shop_currency_get("EUR"), &a, &e), APR_EINVAL);
    assert_int_equal(shop_tax_line(t, APR_INT64_MAX, 2, shop_currency_get("EUR"), &a, &e),
                     APR_ERANGE);
    /* untaxed fits but taxed does not */
    assert_int_equal(shop_tax_line(t, APR_INT64_MAX / 10 * 9, 1, shop_currency_get("EUR"), &a, &e),
                     APR_ERANGE);
    assert_int_equal(shop_tax_line(NULL, APR_INT64_MAX, 1, shop_currency_get("EUR"), &a, &e),
                     APR_SUCCESS);
    /* a formula failing at evaluation */
    t = tax(p, "20", "$ttc = $ht / ($tr - 20)");
    assert_int_equal(shop_tax_line(t, 100, 1, shop_currency_get("EUR"), &a, &e), APR_EINVAL);
    assert_string_equal(e.msg, "division by zero at 11");
    /* a stored formula that does not compile */
    assert_int_equal(shop_tax_make(p, 3, "X", NULL, r, "$ttc = `id`", &bad, &e), APR_EINVAL);
    assert_null(bad);
    assert_string_equal(e.msg, "unexpected character '`' at 7");
}

static void validate_bad(apr_pool_t *p, const char *title, const char *country,
                         const char *rate, const char *formula, const char *field,
                         const char *detail)
{
    shop_tax_field_error_t e;
    shop_tax_t *t = NULL;
    if (shop_tax_validate(p, title, country, rate, formula, &t, &e) != APR_EINVAL)
        fail_msg("accepted: %s / %s / %s / %s", title, country, rate, formula);
    assert_null(t);
    assert_string_equal(e.field, field);
    assert_true(strncmp(e.key, "tax_error_", 10) == 0);
    assert_string_equal(e.key + 10, field);
    if (detail != NULL)
        assert_string_equal(e.detail.msg, detail);
}

static void test_validate(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_field_error_t e;
    shop_tax_t *t = NULL;
    char long_title[SHOP_TAX_MAX_TITLE + 2];
    char long_formula[SHOP_TAX_MAX_FORMULA + 2];

    assert_int_equal(shop_tax_validate(p, "TVA 20%", "fr", "20", NULL, &t, &e), APR_SUCCESS);
    assert_string_equal(t->title, "TVA 20%");
    line(t, 9000, 2, "EUR", 18000, 3600, 21600);
    assert_int_equal(shop_tax_validate(p, "TVA 5,5", "", " 5,5 ", "$ttc = $ht * (1 + $tr / 100)",
                                       &t, &e), APR_SUCCESS);
    line(t, 10000, 1, "EUR", 10000, 550, 10550);
    assert_int_equal(shop_tax_validate(p, "none", NULL, "0", "", NULL, &e), APR_SUCCESS);
    assert_int_equal(shop_tax_validate(p, "max", NULL, "100", NULL, NULL, &e), APR_SUCCESS);
    assert_int_equal(shop_tax_validate(p, "fine", NULL, "19.6000", NULL, NULL, &e), APR_SUCCESS);

    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    validate_bad(p, "", "FR", "20", NULL, "title", NULL);
    validate_bad(p, "  ", "FR", "20", NULL, "title", NULL);
    validate_bad(p, NULL, "FR", "20", NULL, "title", NULL);
    validate_bad(p, long_title, "FR", "20", NULL, "title", NULL);
    validate_bad(p, "T", "FRA", "20", NULL, "country", NULL);
    validate_bad(p, "T", "F1", "20", NULL, "country", NULL);
    validate_bad(p, "T", "\xc3\xa9\xc3\xa9", "20", NULL, "country", NULL);
    validate_bad(p, "T", "F", "20", NULL, "country", NULL);
    validate_bad(p, "T", NULL, "-1", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "100.0001", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "101", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "5.55555", NULL, "rate", NULL);      /* > 4 decimals */
    validate_bad(p, "T", NULL, "", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, NULL, NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "abc", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "1e1", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "20%", NULL, "rate", NULL);
    validate_bad(p, "T", NULL, "20", "$ttc = $ht *", "formula",
                 "unexpected end of formula at 12");
    validate_bad(p, "T", NULL, "20", "$ht = 1", "formula",
                 "only $ttc can be assigned, not $ht at 0");
    validate_bad(p, "T", NULL, "20", "$ttc = 12", "formula", "the formula must use $ht at 0");
    validate_bad(p, "T", NULL, "20", "$ttc = $ht * $tr / ($tr - 20)", "formula",
                 "division by zero at 17");
    validate_bad(p, "T", NULL, "20", "$ttc = $ht / ($ht - 1)", "formula",
                 "division by zero at 11");                 /* caught by a sample price */
    validate_bad(p, "T", NULL, "20", "file_put_contents('x', 1)", "formula",
                 "unknown function 'file_put_contents' at 0");
    memset(long_formula, ' ', sizeof long_formula - 1);
    memcpy(long_formula, "$ht", 3);
    long_formula[sizeof long_formula - 1] = '\0';
    validate_bad(p, "T", NULL, "20", long_formula, "formula", "formula longer than 255 bytes at 255");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scenario_b6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_formula, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_formula_and_null_tax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rounding_per_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exponents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discount_mirrors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
