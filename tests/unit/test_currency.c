/* Unit tests for src/core/currency.c: the ISO 4217 table, lookup, and the
 * symbol style per language. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/currency.h"
#include "core/form.h"

static void test_local_shop_codes(void **state)
{
    static const struct { const char *code; int exp; int num; } t[] = {
        { "EUR", 2, 978 }, { "CHF", 2, 756 }, { "USD", 2, 840 }, { "CAD", 2, 124 },
        { "AUD", 2, 36 }, { "GBP", 2, 826 }, { "TRY", 2, 949 }, { "PLN", 2, 985 },
        { "RON", 2, 946 }, { "ILS", 2, 376 }, { "KRW", 0, 410 }, { "JPY", 0, 392 },
        { "TND", 3, 788 }, { "MAD", 2, 504 },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        const shop_currency_t *c = shop_currency_get(t[i].code);
        assert_non_null(c);
        assert_string_equal(c->code, t[i].code);
        assert_int_equal(c->exponent, t[i].exp);
        assert_int_equal(c->numeric, t[i].num);
        /* local_shop's list comes first, in its order */
        assert_ptr_equal(shop_currency_at((int)i), c);
    }
}

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(shop_currency_get("eur")->code, "EUR");
    assert_string_equal(shop_currency_get("jPy")->code, "JPY");
    /* local_shop's misspelling of the pound */
    assert_string_equal(shop_currency_get("GPB")->code, "GBP");
    assert_string_equal(shop_currency_get("gpb")->code, "GBP");
    assert_null(shop_currency_get(NULL));
    assert_null(shop_currency_get(""));
    assert_null(shop_currency_get("EU"));
    assert_null(shop_currency_get("EURO"));
    assert_null(shop_currency_get("XXX"));
    assert_null(shop_currency_get("E R"));
    assert_null(shop_currency_get("E\xc3\xa9"));
    assert_null(shop_currency_get("12 "));
    assert_string_equal(shop_currency_get(SHOP_CURRENCY_DEFAULT)->code, "EUR");
    assert_null(shop_currency_at(-1));
    assert_null(shop_currency_at(shop_currency_count()));
}

static void test_table_sane(void **state)
{
    int i, j, n = shop_currency_count();
    (void)state;
    assert_true(n >= 14);
    for (i = 0; i < n; i++) {
        const shop_currency_t *c = shop_currency_at(i);
        assert_int_equal(strlen(c->code), 3);
        for (j = 0; j < 3; j++)
            assert_true(c->code[j] >= 'A' && c->code[j] <= 'Z');
        assert_true(c->exponent >= 0 && c->exponent <= SHOP_CURRENCY_MAX_EXPONENT);
        assert_true(c->numeric > 0 && c->numeric < 1000);
        assert_true(c->name[0] != '\0');
        assert_true(c->symbol_en[0] != '\0' && strlen(c->symbol_en) <= 8);
        assert_true(c->symbol_fr[0] != '\0' && strlen(c->symbol_fr) <= 8);
        assert_true(shop_utf8_valid(c->symbol_en, strlen(c->symbol_en), NULL));
        assert_true(shop_utf8_valid(c->symbol_fr, strlen(c->symbol_fr), NULL));
        assert_ptr_equal(shop_currency_get(c->code), c);
        for (j = 0; j < i; j++) {
            assert_string_not_equal(shop_currency_at(j)->code, c->code);
            assert_int_not_equal(shop_currency_at(j)->numeric, c->numeric);
        }
    }
}

static void test_lang(void **state)
{
    (void)state;
    assert_true(shop_currency_lang_is_fr("fr"));
    assert_true(shop_currency_lang_is_fr("FR"));
    assert_true(shop_currency_lang_is_fr("fr_ca"));
    assert_true(shop_currency_lang_is_fr("fr-CH"));
    assert_false(shop_currency_lang_is_fr("fred"));
    assert_false(shop_currency_lang_is_fr("en"));
    assert_false(shop_currency_lang_is_fr(""));
    assert_false(shop_currency_lang_is_fr("f"));
    assert_false(shop_currency_lang_is_fr(NULL));
}

static void test_style(void **state)
{
    shop_currency_style_t s;
    (void)state;
    s = shop_currency_style(shop_currency_get("EUR"), "en");
    assert_string_equal(s.symbol, "\xE2\x82\xAC");
    assert_true(s.before);
    assert_string_equal(s.space, "");
    s = shop_currency_style(shop_currency_get("EUR"), "fr");
    assert_false(s.before);
    assert_string_equal(s.space, "\xC2\xA0");
    s = shop_currency_style(shop_currency_get("CHF"), "en");
    assert_string_equal(s.symbol, "CHF");
    assert_true(s.before);
    assert_string_equal(s.space, "\xC2\xA0");
    s = shop_currency_style(shop_currency_get("USD"), "fr");
    assert_string_equal(s.symbol, "$US");
    s = shop_currency_style(shop_currency_get("USD"), NULL);
    assert_string_equal(s.symbol, "$");
    assert_true(s.before);
    s = shop_currency_style(shop_currency_get("JPY"), "de");   /* unknown: en */
    assert_string_equal(s.symbol, "\xC2\xA5");
    assert_true(s.before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_shop_codes),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_table_sane),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_style),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
