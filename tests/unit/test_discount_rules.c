/* Unit tests for src/core/discount_rules.c: {shop}discount rows decoded
 * into pricing rules (every type's rule_data, ratio or amount, scope,
 * codes), refusals (bad JSON, wrong types, values over limits), spent codes,
 * and the offer-code lookup as the engine compares. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "core/discount_rules.h"

#include "unit_group_pool.h"

static shop_discount_row_t row(const char *type, const char *rule_data, const char *ratio)
{
    shop_discount_row_t r;
    memset(&r, 0, sizeof(r));
    r.id = 7;
    r.name = "Rule";
    r.type = type;
    r.op = "accumulate";
    r.rule_data = rule_data;
    r.ratio = ratio;
    r.apply_on = "bill";
    r.enabled = 1;
    r.ordering = 3;
    return r;
}

/* Decode and expect success. */
static shop_discount_t ok(const shop_discount_row_t *r, const shop_discount_code_row_t *codes, int n)
{
    shop_discount_t d;
    const char *why = NULL;
    apr_status_t rv = shop_discount_decode(pool, r, codes, n, &d, NULL, &why);
    if (rv != APR_SUCCESS) fail_msg("refused: %s", why);
    return d;
}

/* Decode and expect a refusal whose reason contains `part`. */
static void refused(const shop_discount_row_t *r, const shop_discount_code_row_t *codes, int n, const char *part)
{
    shop_discount_t d;
    const char *why = NULL;
    assert_int_equal(shop_discount_decode(pool, r, codes, n, &d, NULL, &why), APR_EINVAL);
    assert_non_null(why);
    if (!strstr(why, part)) fail_msg("reason '%s' does not mention '%s'", why, part);
}

static void test_unconditional_ratio_and_columns(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Unconditional", NULL, "12.5000");
    r.op = "stopchainifapplies";
    r.valid_from = 100;
    r.valid_until = 200;
    shop_discount_t d = ok(&r, NULL, 0);
    assert_int_equal(d.id, 7);
    assert_string_equal(d.name, "Rule");
    assert_int_equal(d.type, SHOP_DISCOUNT_UNCONDITIONAL);
    assert_int_equal(d.op, SHOP_DISCOUNT_STOP_IF_APPLIES);
    assert_int_equal(d.ordering, 3);
    assert_int_equal(d.enabled, 1);
    assert_int_equal(d.valid_from, 100);
    assert_int_equal(d.valid_until, 200);
    assert_int_equal(d.has_ratio, 1);
    assert_string_equal(shop_dec_pstr(pool, d.ratio), "12.5");
    assert_int_equal(d.scope, SHOP_DISCOUNT_ON_BILL);
    assert_int_equal(d.ncodes, 0);
}

static void test_amount_instead_of_ratio(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Unconditional", NULL, NULL);
    r.amount_minor = "1500";
    r.currency = "EUR";
    shop_discount_t d = ok(&r, NULL, 0);
    assert_int_equal(d.has_ratio, 0);
    assert_int_equal(d.amount_minor, 1500);
    assert_string_equal(d.amount_currency, "EUR");

    r.currency = NULL;
    refused(&r, NULL, 0, "currency");
    r.currency = "EUR";
    r.amount_minor = "0";
    refused(&r, NULL, 0, "amount_minor");
    r.amount_minor = "12x";
    refused(&r, NULL, 0, "amount_minor");
    r.ratio = "10";
    r.amount_minor = "100";
    refused(&r, NULL, 0, "only one");
    r.ratio = r.amount_minor = NULL;
    refused(&r, NULL, 0, "ratio");
}

static void test_ratio_limits(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Unconditional", NULL, "100");
    assert_int_equal(ok(&r, NULL, 0).has_ratio, 1);
    r.ratio = "100.0001";
    refused(&r, NULL, 0, "ratio");
    r.ratio = "0";
    refused(&r, NULL, 0, "ratio");
    r.ratio = "-5";
    refused(&r, NULL, 0, "ratio");
    r.ratio = "ten";
    refused(&r, NULL, 0, "ratio");
}

static void test_unknown_names(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Lottery", NULL, "10");
    refused(&r, NULL, 0, "type");
    r = row("Unconditional", NULL, "10");
    r.op = "sometimes";
    refused(&r, NULL, 0, "operator");
    r = row("Unconditional", NULL, "10");
    r.apply_on = "shipping";
    refused(&r, NULL, 0, "apply_on");
    r = row("Unconditional", NULL, "10");
    r.name = "";
    refused(&r, NULL, 0, "name");
}

static void test_itemlist(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Unconditional", NULL, "10");
    r.apply_on = "itemlist";
    r.apply_codes = "[\"EXCEL101\", \"PM200\"]";
    shop_discount_t d = ok(&r, NULL, 0);
    assert_int_equal(d.scope, SHOP_DISCOUNT_ON_ITEMLIST);
    assert_int_equal(d.nitems, 2);
    assert_string_equal(d.items[1], "PM200");

    r.apply_codes = NULL;
    refused(&r, NULL, 0, "apply_codes");
    r.apply_codes = "[]";
    refused(&r, NULL, 0, "apply_codes");
    r.apply_codes = "[\"A\", 3]";
    refused(&r, NULL, 0, "apply_codes");
    r.apply_codes = "[\"A\",";
    refused(&r, NULL, 0, "apply_codes");
    r.apply_codes = "{\"a\": 1}";
    refused(&r, NULL, 0, "apply_codes");
    r.apply_codes = "[\"A-CODE-LONGER-THAN-THIRTY-TWO-BYTES\"]";
    refused(&r, NULL, 0, "apply_codes");
}

static void test_condition_data(void **state)
{
    (void)state;
    shop_discount_row_t r = row("UserInstitution", "{\"institutions\": [\"Acme\", \"Globex\"], \"note\": 1}", "10");
    shop_discount_t d = ok(&r, NULL, 0);
    assert_int_equal(d.type, SHOP_DISCOUNT_USER_INSTITUTION);
    assert_int_equal(d.nvalues, 2);
    assert_string_equal(d.values[0], "Acme");

    r = row("UserCapability", "{\"roles\": [\"sales\"]}", "10");
    d = ok(&r, NULL, 0);
    assert_int_equal(d.type, SHOP_DISCOUNT_MOODLE_ROLE);
    assert_string_equal(d.values[0], "sales");

    r = row("LongTimeCustomer", "{\"days\": 365}", "10");
    assert_int_equal(ok(&r, NULL, 0).number, 365);
    r = row("OrderNum", "{\"count\": 2}", "10");
    assert_int_equal(ok(&r, NULL, 0).number, 2);
    r = row("OrderAmountThreshold", "{\"threshold_minor\": 200000}", "5");
    d = ok(&r, NULL, 0);
    assert_int_equal(d.type, SHOP_DISCOUNT_ORDER_AMOUNT);
    assert_int_equal(d.number, 200000);
}

static void test_condition_data_refused(void **state)
{
    (void)state;
    shop_discount_row_t r = row("UserInstitution", NULL, "10");
    refused(&r, NULL, 0, "institutions");
    r.rule_data = "{\"institutions\": \"Acme\"}";
    refused(&r, NULL, 0, "institutions");
    r.rule_data = "{\"institutions\": [\"\"]}";
    refused(&r, NULL, 0, "institutions");
    r.rule_data = "{\"institutions\": [\"Acme\"";             /* bad JSON */
    refused(&r, NULL, 0, "rule_data");
    r.rule_data = "[\"Acme\"]";                               /* not an object */
    refused(&r, NULL, 0, "rule_data");
    r.rule_data = "{\"institutions\": [\"A\"], \"institutions\": [\"B\"]}";   /* repeated key */
    refused(&r, NULL, 0, "rule_data");

    r = row("LongTimeCustomer", "{\"days\": \"365\"}", "10");
    refused(&r, NULL, 0, "days");
    r.rule_data = "{\"days\": 36501}";
    refused(&r, NULL, 0, "days");
    r.rule_data = "{\"days\": -1}";
    refused(&r, NULL, 0, "days");
    r.rule_data = "{\"days\": 1.5}";
    refused(&r, NULL, 0, "days");
    r.rule_data = NULL;
    refused(&r, NULL, 0, "days");

    r = row("OrderNum", "{\"count\": 1000001}", "10");
    refused(&r, NULL, 0, "count");
    r = row("OrderAmountThreshold", "{\"threshold_minor\": 1000000000000001}", "10");
    refused(&r, NULL, 0, "threshold_minor");
    r = row("OrderAmountThreshold", "{\"threshold\": 2000}", "10");
    refused(&r, NULL, 0, "threshold_minor");

    /* over the count limit of a list */
    char *big = apr_pstrdup(pool, "{\"roles\": [");
    for (int i = 0; i <= SHOP_PRICING_MAX_ITEMS; i++) big = apr_pstrcat(pool, big, i ? ",\"r\"" : "\"r\"", NULL);
    big = apr_pstrcat(pool, big, "]}", NULL);
    r = row("UserCapability", big, "10");
    refused(&r, NULL, 0, "roles");
}

static void test_partner_entries(void **state)
{
    (void)state;
    shop_discount_row_t r = row("Partner",
        "{\"partners\": [{\"partner_key\": \"ACME\", \"sources\": \"EI\", \"ratio\": \"7.5\"},"
        " {\"partner_key\": \"GLOBEX\", \"ratio\": 20}, {\"partner_key\": \"INITECH\"}]}", "10");
    shop_discount_t d = ok(&r, NULL, 0);
    assert_int_equal(d.ncodes, 3);
    assert_string_equal(d.codes[0].partner_key, "ACME");
    assert_string_equal(d.codes[0].sources, "EI");
    assert_int_equal(d.codes[0].has_ratio, 1);
    assert_string_equal(shop_dec_pstr(pool, d.codes[0].ratio), "7.5");
    assert_null(d.codes[1].sources);
    assert_string_equal(shop_dec_pstr(pool, d.codes[1].ratio), "20");
    assert_int_equal(d.codes[2].has_ratio, 0);

    r.rule_data = "{\"partners\": [{\"partner_key\": \"ACME\", \"sources\": \"X\"}]}";
    refused(&r, NULL, 0, "sources");
    r.rule_data = "{\"partners\": [{\"partner_key\": \"ACME\", \"ratio\": 150}]}";
    refused(&r, NULL, 0, "ratio");
    r.rule_data = "{\"partners\": [{\"partner_key\": \"ACME\", \"ratio\": 1.5}]}";   /* a float, not exact */
    refused(&r, NULL, 0, "ratio");
    r.rule_data = "{\"partners\": [{\"sources\": \"E\"}]}";
    refused(&r, NULL, 0, "partner_key");
    r.rule_data = "{\"partners\": []}";
    refused(&r, NULL, 0, "partners");
    r.rule_data = "{\"partners\": [\"ACME\"]}";
    refused(&r, NULL, 0, "partners");
}

static void test_offer_codes(void **state)
{
    (void)state;
    shop_discount_code_row_t one[] = { { "BIENVENUE10", NULL, NULL, 0 } };
    shop_discount_row_t r = row("OfferCode", NULL, "10");
    shop_discount_t d = ok(&r, one, 1);
    assert_int_equal(d.ncodes, 1);
    assert_string_equal(d.codes[0].code, "BIENVENUE10");
    refused(&r, NULL, 0, "code");
    shop_discount_code_row_t two[] = { { "A1", NULL, NULL, 0 }, { "B2", NULL, NULL, 0 } };
    refused(&r, two, 2, "exactly one");
    shop_discount_code_row_t spaced[] = { { "BAD CODE", NULL, NULL, 0 } };
    refused(&r, spaced, 1, "code");

    /* every code carries its ratio: the rule needs none */
    shop_discount_code_row_t many[] = { { "PARTNER15", "15.0000", NULL, 0 }, { "VIP20", "20", NULL, 0 } };
    r = row("MultipleOfferCode", NULL, NULL);
    d = ok(&r, many, 2);
    assert_int_equal(d.ncodes, 2);
    assert_int_equal(d.has_ratio, 1);
    assert_string_equal(shop_dec_pstr(pool, d.codes[1].ratio), "20");
    shop_discount_code_row_t partial[] = { { "PARTNER15", "15", NULL, 0 }, { "PLAIN", NULL, NULL, 0 } };
    refused(&r, partial, 2, "ratio");
    shop_discount_code_row_t over[] = { { "X", "101", NULL, 0 } };
    r.ratio = "10";
    refused(&r, over, 1, "ratio");

    shop_discount_code_row_t tagged[] = { { "ACME-2026", "12", "ACME", 0 } };
    r = row("PartnerMultipleOfferCode", NULL, "10");
    d = ok(&r, tagged, 1);
    assert_string_equal(d.codes[0].partner_key, "ACME");
    shop_discount_code_row_t untagged[] = { { "ACME-2026", "12", NULL, 0 } };
    refused(&r, untagged, 1, "partner");
}

static void test_spent_codes_left_out(void **state)
{
    (void)state;
    shop_discount_code_row_t codes[] = { { "A1", "10", NULL, 1 }, { "B2", "20", NULL, 0 } };
    shop_discount_row_t r = row("MultipleOfferCode", NULL, "10");
    shop_discount_t d, spent;
    const char *why;
    assert_int_equal(shop_discount_decode(pool, &r, codes, 2, &d, &spent, &why), APR_SUCCESS);
    assert_int_equal(d.ncodes, 1);
    assert_string_equal(d.codes[0].code, "B2");
    assert_int_equal(spent.ncodes, 1);
    assert_string_equal(spent.codes[0].code, "A1");
    assert_int_equal(spent.id, d.id);

    int index;
    assert_null(shop_offer_code_find(&d, 1, "a1", 0, &index));
    assert_ptr_equal(shop_offer_code_find(&spent, 1, "a1", 0, &index), &spent);
    assert_ptr_equal(shop_offer_code_find(&d, 1, " b2 ", 0, &index), &d);
    assert_int_equal(index, 0);
}

static void test_code_lookup(void **state)
{
    (void)state;
    shop_discount_code_row_t one[] = { { "BIENVENUE10", NULL, NULL, 0 } };
    shop_discount_code_row_t many[] = { { "PARTNER15", "15", NULL, 0 }, { "VIP20", "20", NULL, 0 } };
    shop_discount_row_t r1 = row("OfferCode", NULL, "10"), r2 = row("MultipleOfferCode", NULL, NULL);
    shop_discount_row_t r3 = row("Unconditional", NULL, "5");
    shop_discount_t rules[3];
    rules[0] = ok(&r1, one, 1);
    rules[1] = ok(&r2, many, 2);
    rules[2] = ok(&r3, NULL, 0);
    int index = -2;
    assert_ptr_equal(shop_offer_code_find(rules, 3, "bienvenue10", 1000, &index), &rules[0]);
    assert_int_equal(index, 0);
    assert_ptr_equal(shop_offer_code_find(rules, 3, "Vip20", 1000, &index), &rules[1]);
    assert_int_equal(index, 1);
    assert_null(shop_offer_code_find(rules, 3, "VIP21", 1000, &index));
    assert_int_equal(index, -1);
    assert_null(shop_offer_code_find(rules, 3, "", 1000, &index));
    assert_null(shop_offer_code_find(rules, 3, NULL, 1000, &index));

    /* a disabled rule, or one outside its dates, knows no code */
    rules[0].enabled = 0;
    assert_null(shop_offer_code_find(rules, 3, "BIENVENUE10", 1000, &index));
    rules[0].enabled = 1;
    rules[0].valid_from = 2000;
    assert_null(shop_offer_code_find(rules, 3, "BIENVENUE10", 1000, &index));
    rules[0].valid_from = 0;
    rules[0].valid_until = 999;
    assert_null(shop_offer_code_find(rules, 3, "BIENVENUE10", 1000, &index));
    assert_non_null(shop_offer_code_find(rules, 3, "BIENVENUE10", 999, &index));
}

static void test_code_clean(void **state)
{
    (void)state;
    assert_string_equal(shop_offer_code_clean(pool, "  vip20\t"), "vip20");
    assert_null(shop_offer_code_clean(pool, NULL));
    assert_null(shop_offer_code_clean(pool, "   "));
    assert_null(shop_offer_code_clean(pool, "two words"));
    assert_null(shop_offer_code_clean(pool, "caf\xc3\xa9"));
    char long_code[SHOP_DISCOUNT_MAX_CODE + 2];
    memset(long_code, 'A', sizeof(long_code) - 1);
    long_code[sizeof(long_code) - 1] = '\0';
    assert_null(shop_offer_code_clean(pool, long_code));
    long_code[SHOP_DISCOUNT_MAX_CODE] = '\0';
    assert_non_null(shop_offer_code_clean(pool, long_code));
}

/* The decoded rules drive the engine: a bill of 100.00 untaxed with a 10 %
 * code entered in lower case gives a 10.00 discount. */
static void test_decoded_rule_prices(void **state)
{
    (void)state;
    shop_discount_code_row_t one[] = { { "BIENVENUE10", NULL, NULL, 0 } };
    shop_discount_row_t r = row("OfferCode", NULL, "10.0000");
    shop_discount_t d = ok(&r, one, 1);
    shop_tier_t tier = { 0, 10000 };
    shop_pricing_line_t line = { "X", 1, &tier, 1, NULL, SHOP_PRICING_PRODUCT, 0 };
    const char *entered[] = { "bienvenue10" };
    shop_discount_context_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.offer_codes = entered;
    ctx.noffer_codes = 1;
    shop_pricing_input_t in = { shop_currency_get("EUR"), &line, 1, &d, 1, &ctx, NULL };
    shop_pricing_result_t *res;
    shop_pricing_error_t err;
    assert_int_equal(shop_pricing_compute(pool, &in, &res, &err), APR_SUCCESS);
    assert_int_equal(res->discount_minor, -1000);
    assert_int_equal(res->to_pay_minor, 9000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unconditional_ratio_and_columns),
        cmocka_unit_test(test_amount_instead_of_ratio),
        cmocka_unit_test(test_ratio_limits),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_itemlist),
        cmocka_unit_test(test_condition_data),
        cmocka_unit_test(test_condition_data_refused),
        cmocka_unit_test(test_partner_entries),
        cmocka_unit_test(test_offer_codes),
        cmocka_unit_test(test_spent_codes_left_out),
        cmocka_unit_test(test_code_lookup),
        cmocka_unit_test(test_code_clean),
        cmocka_unit_test(test_decoded_rule_prices),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
