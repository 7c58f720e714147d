/* Unit tests for src/core/money.c: display by language and currency,
 * machine format, and exact parsing of typed amounts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/money.h"

#define NBSP  "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define EURO  "\xE2\x82\xAC"
#define YEN   "\xC2\xA5"

static const char *fmt(apr_int64_t amount, const char *code, const char *lang,
                       char *buf)
{
    assert_int_equal(shop_money_format(buf, SHOP_MONEY_TEXT_SIZE, amount,
                                       shop_currency_get(code), lang),
                     APR_SUCCESS);
    return buf;
}

static void test_format_table(void **state)
{
    static const struct {
        apr_int64_t amount;
        const char *code, *lang, *want;
    } t[] = {
        { 123456, "EUR", "fr", "1" NNBSP "234,56" NBSP EURO },
        { 123456, "EUR", "en", EURO "1,234.56" },
        { -123456, "EUR", "fr", "-1" NNBSP "234,56" NBSP EURO },
        { -123456, "EUR", "en", "-" EURO "1,234.56" },
        { 1235, "JPY", "en", YEN "1,235" },
        { 1235, "JPY", "fr", "1" NNBSP "235" NBSP YEN },
        { 1234567, "TND", "en", "DT" NBSP "1,234.567" },
        { 1234567, "TND", "fr", "1" NNBSP "234,567" NBSP "DT" },
        { 5, "TND", "fr", "0,005" NBSP "DT" },
        { 123456, "CHF", "en", "CHF" NBSP "1,234.56" },
        { 123456, "CHF", "fr_ch", "1" NNBSP "234,56" NBSP "CHF" },
        { 0, "EUR", "en", EURO "0.00" },
        { 0, "EUR", "fr", "0,00" NBSP EURO },
        { 5, "EUR", "en", EURO "0.05" },
        { -5, "EUR", "en", "-" EURO "0.05" },
        { 99, "USD", "en", "$0.99" },
        { 100000, "USD", "fr", "1" NNBSP "000,00" NBSP "$US" },
        { 100, "USD", "de", "$1.00" },
        { 123456789, "KRW", "en", "\xE2\x82\xA9" "123,456,789" },
        { 100000000, "GBP", NULL, "\xC2\xA3" "1,000,000.00" },
        { 999, "EUR", "en", EURO "9.99" },
        { 100000, "EUR", "en", EURO "1,000.00" },
        { 99999, "EUR", "en", EURO "999.99" },
        { APR_INT64_MAX, "EUR", "en", EURO "92,233,720,368,547,758.07" },
        { APR_INT64_MIN, "EUR", "en", "-" EURO "92,233,720,368,547,758.08" },
        { APR_INT64_MIN, "JPY", "fr",
          "-9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP "808" NBSP YEN },
    };
    char buf[SHOP_MONEY_TEXT_SIZE];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(fmt(t[i].amount, t[i].code, t[i].lang, buf), t[i].want) != 0)
            fail_msg("%lld %s %s: got '%s' want '%s'", (long long)t[i].amount,
                     t[i].code, t[i].lang ? t[i].lang : "NULL", buf, t[i].want);
}

static void test_format_every_currency(void **state)
{
    char buf[SHOP_MONEY_TEXT_SIZE];
    int i;
    (void)state;
    /* the longest amounts fit SHOP_MONEY_TEXT_SIZE in every currency */
    for (i = 0; i < shop_currency_count(); i++) {
        const shop_currency_t *c = shop_currency_at(i);
        assert_int_equal(shop_money_format(buf, sizeof buf, APR_INT64_MIN, c, "fr"), APR_SUCCESS);
        assert_int_equal(shop_money_format(buf, sizeof buf, APR_INT64_MIN, c, "en"), APR_SUCCESS);
    }
}

static void test_format_errors(void **state)
{
    char buf[8];
    apr_pool_t *p;
    (void)state;
    assert_int_equal(shop_money_format(buf, sizeof buf, 123456,
                                       shop_currency_get("EUR"), "en"), APR_ENOSPC);
    assert_string_equal(buf, "");
    assert_int_equal(shop_money_format(buf, sizeof buf, 1, NULL, "en"), APR_EINVAL);
    assert_int_equal(shop_money_format(buf, 0, 1, shop_currency_get("EUR"), "en"),
                     APR_ENOSPC);
    apr_pool_create(&p, NULL);
    assert_string_equal(shop_money_pformat(p, 150, shop_currency_get("EUR"), "en"),
                        EURO "1.50");
    assert_string_equal(shop_money_pformat(p, 150, NULL, "en"), "");
    apr_pool_destroy(p);
}

static void test_format_plain(void **state)
{
    char buf[SHOP_MONEY_TEXT_SIZE];
    (void)state;
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, 123456, 2), APR_SUCCESS);
    assert_string_equal(buf, "1234.56");
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, -5, 2), APR_SUCCESS);
    assert_string_equal(buf, "-0.05");
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, 1235, 0), APR_SUCCESS);
    assert_string_equal(buf, "1235");
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, 7, 3), APR_SUCCESS);
    assert_string_equal(buf, "0.007");
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, APR_INT64_MIN, 18), APR_SUCCESS);
    assert_string_equal(buf, "-9.223372036854775808");
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, 1, 19), APR_EINVAL);
    assert_int_equal(shop_money_format_plain(buf, sizeof buf, 1, -1), APR_EINVAL);
    assert_int_equal(shop_money_format_plain(buf, 3, 1234, 0), APR_ENOSPC);
}

static void parse_ok(const char *s, const char *code, apr_int64_t want)
{
    apr_int64_t v = -999;
    const char *key = NULL;
    if (shop_money_parse(s, shop_currency_get(code), &v, &key) != APR_SUCCESS)
        fail_msg("'%s' %s refused: %s", s, code, key);
    if (v != want)
        fail_msg("'%s' %s: got %lld want %lld", s, code, (long long)v, (long long)want);
}

static void parse_bad(const char *s, const char *code, const char *want_key)
{
    apr_int64_t v = -999;
    const char *key = NULL;
    if (shop_money_parse(s, shop_currency_get(code), &v, &key) != APR_EINVAL)
        fail_msg("'%s' %s accepted as %lld", s, code, (long long)v);
    assert_int_equal(v, -999);
    if (key == NULL || strcmp(key, want_key) != 0)
        fail_msg("'%s' %s: key %s, want %s", s, code, key ? key : "NULL", want_key);
}

static void test_parse_ok(void **state)
{
    (void)state;
    parse_ok("12,50", "EUR", 1250);
    parse_ok("12.5", "EUR", 1250);
    parse_ok("12", "EUR", 1200);
    parse_ok("0", "EUR", 0);
    parse_ok("0,01", "EUR", 1);
    parse_ok(".5", "EUR", 50);
    parse_ok(",05", "EUR", 5);
    parse_ok("1 234,56", "EUR", 123456);
    parse_ok("1" NBSP "234,56", "EUR", 123456);
    parse_ok("1" NNBSP "234,56", "EUR", 123456);
    parse_ok("1,234.56", "EUR", 123456);
    parse_ok("1.234,56", "EUR", 123456);
    parse_ok("1'234.50", "CHF", 123450);
    parse_ok("1\xE2\x80\x99" "234.50", "CHF", 123450);
    parse_ok("1,234,567", "EUR", 123456700);
    parse_ok("1.234.567", "EUR", 123456700);
    parse_ok("1 234 567,8", "EUR", 123456780);
    parse_ok("  12,50  ", "EUR", 1250);
    parse_ok(NBSP "12,50" NNBSP, "EUR", 1250);
    parse_ok("-12,50", "EUR", -1250);
    parse_ok("+12,50", "EUR", 1250);
    parse_ok("007", "EUR", 700);
    parse_ok("1235", "JPY", 1235);
    parse_ok("1,000", "JPY", 1000);            /* no decimals: a grouping */
    parse_ok("1.000.000", "KRW", 1000000);
    parse_ok("1,234", "TND", 1234);            /* one mark: decimal, 1.234 TND */
    parse_ok("1 234,567", "TND", 1234567);
    parse_ok("0.5", "TND", 500);
    parse_ok("92233720368547758.07", "EUR", APR_INT64_MAX);
    parse_ok("9223372036854775807", "JPY", APR_INT64_MAX);
    parse_ok("-9223372036854775807", "JPY", -APR_INT64_MAX);
}

static void test_parse_refused(void **state)
{
    apr_int64_t v = 0;
    const char *key = NULL;
    (void)state;
    parse_bad("", "EUR", "money_error_empty");
    parse_bad("   ", "EUR", "money_error_empty");
    parse_bad(NBSP, "EUR", "money_error_empty");
    parse_bad("12.500", "EUR", "money_error_decimals");
    parse_bad("1,000", "EUR", "money_error_decimals");   /* ambiguous: refused */
    parse_bad("0.001", "EUR", "money_error_decimals");
    parse_bad("1.5", "JPY", "money_error_decimals");
    parse_bad("1,50", "KRW", "money_error_decimals");
    parse_bad("1.2345", "TND", "money_error_decimals");
    parse_bad("abc", "EUR", "money_error_invalid");
    parse_bad("12abc", "EUR", "money_error_invalid");
    parse_bad("12,50 " "\xE2\x82\xAC", "EUR", "money_error_invalid");
    parse_bad("$12", "USD", "money_error_invalid");
    parse_bad("1e3", "EUR", "money_error_invalid");
    parse_bad("12.", "EUR", "money_error_invalid");
    parse_bad(".", "EUR", "money_error_invalid");
    parse_bad("-", "EUR", "money_error_invalid");
    parse_bad("--1", "EUR", "money_error_invalid");
    parse_bad("1..2", "EUR", "money_error_invalid");
    parse_bad("1,,2", "EUR", "money_error_invalid");
    parse_bad("1.2.3", "EUR", "money_error_invalid");
    parse_bad("1,234.567.8", "EUR", "money_error_invalid");
    parse_bad("1.234,5,6", "EUR", "money_error_invalid");
    parse_bad("12 34,56", "EUR", "money_error_invalid");
    parse_bad("1234 567", "EUR", "money_error_invalid");
    parse_bad("1 2345", "EUR", "money_error_invalid");
    parse_bad("1 234.567,89", "EUR", "money_error_invalid");    /* mixed groupings */
    parse_bad("1  234", "EUR", "money_error_invalid");
    parse_bad("1,234 56", "EUR", "money_error_invalid");
    parse_bad("- 12", "EUR", "money_error_invalid");
    parse_bad("12-", "EUR", "money_error_invalid");
    parse_bad("0x10", "EUR", "money_error_invalid");
    parse_bad("١٢", "EUR", "money_error_invalid");
    parse_bad("1\t\t2", "EUR", "money_error_invalid");
    parse_bad("1,5.3", "EUR", "money_error_invalid");
    parse_bad("92233720368547758.08", "EUR", "money_error_too_large");
    parse_bad("9223372036854775808", "JPY", "money_error_too_large");
    parse_bad("99999999999999999999999", "EUR", "money_error_too_large");
    parse_bad("1111111111111111111111111111111111111111111111111111111111111111111",
              "EUR", "money_error_too_large");
    assert_int_equal(shop_money_parse(NULL, shop_currency_get("EUR"), &v, &key), APR_EINVAL);
    assert_string_equal(key, "money_error_invalid");
    assert_int_equal(shop_money_parse("1", NULL, &v, NULL), APR_EINVAL);
}

/* machine format then parse is the identity, for every currency */
static void test_roundtrip(void **state)
{
    static const apr_int64_t amounts[] = {
        0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, 12345, -12345, 1000000,
        123456789012LL, APR_INT64_MAX, -APR_INT64_MAX
    };
    char buf[SHOP_MONEY_TEXT_SIZE];
    int i;
    size_t k;
    (void)state;
    for (i = 0; i < shop_currency_count(); i++) {
        const shop_currency_t *c = shop_currency_at(i);
        for (k = 0; k < sizeof amounts / sizeof amounts[0]; k++) {
            apr_int64_t v;
            const char *key;
            assert_int_equal(shop_money_format_plain(buf, sizeof buf, amounts[k],
                                                     c->exponent), APR_SUCCESS);
            if (shop_money_parse(buf, c, &v, &key) != APR_SUCCESS || v != amounts[k])
                fail_msg("%s '%s' did not round-trip", c->code, buf);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_format_every_currency),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_format_plain),
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_roundtrip),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
