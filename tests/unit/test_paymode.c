/* Unit tests for src/core/paymode.c: which payment modes a buyer is offered
 * (local_shop §6.1 visibility rules). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/paymode.h"

static int only_paypal(const char *name, void *baton)
{
    (void)baton;
    return strcmp(name, "paypal") == 0;
}

#define ALL "{\"check\":true,\"transfer\":true,\"funder\":false,\"freeorder\":true,\"test\":true," \
            "\"paypal\":true,\"stripe\":true}"

static const char *offered(shop_paymode_rules_t *r)
{
    static char buf[256];
    const char *list[SHOP_PAYMODE_MAX];
    int n = shop_paymode_offered(r, list);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i) strcat(buf, ",");
        strcat(buf, list[i]);
    }
    return buf;
}

static void test_anonymous_sees_online_only(void **state)
{
    (void)state;
    shop_paymode_rules_t r = { .enabled_json = ALL, .gateway_configured = only_paypal };
    assert_string_equal(offered(&r), "paypal");      /* stripe enabled but not configured */
    r.offline_anonymous = 1;                          /* the shop lets guests pay offline */
    assert_string_equal(offered(&r), "check,transfer,paypal");
}

static void test_logged_in_sees_offline_default_first(void **state)
{
    (void)state;
    shop_paymode_rules_t r = { .enabled_json = ALL, .default_mode = "transfer", .logged_in = 1,
                               .gateway_configured = only_paypal };
    assert_string_equal(offered(&r), "transfer,check,paypal");
    assert_true(shop_paymode_allowed(&r, "check"));
    assert_false(shop_paymode_allowed(&r, "funder"));      /* disabled in the shop */
    assert_false(shop_paymode_allowed(&r, "freeorder"));   /* never chosen */
    assert_false(shop_paymode_allowed(&r, "test"));        /* admins only */
    assert_false(shop_paymode_allowed(&r, "nope"));
    assert_false(shop_paymode_allowed(&r, NULL));
}

static void test_admin_sees_test(void **state)
{
    (void)state;
    shop_paymode_rules_t r = { .enabled_json = ALL, .logged_in = 1, .site_admin = 1 };
    assert_string_equal(offered(&r), "check,transfer,test");
}

static void test_test_mode_hides_online_from_anonymous(void **state)
{
    (void)state;
    shop_paymode_rules_t r = { .enabled_json = ALL, .test_mode = 1, .gateway_configured = only_paypal };
    assert_string_equal(offered(&r), "");
    r.test_override = 1;                                   /* testoverride shows everything */
    assert_string_equal(offered(&r), "check,transfer,test,paypal");
}

static void test_bad_json_offers_nothing(void **state)
{
    (void)state;
    shop_paymode_rules_t r = { .enabled_json = "[true]", .logged_in = 1 };
    assert_string_equal(offered(&r), "");
    r.enabled_json = "{\"check\":1}";                      /* booleans only */
    assert_string_equal(offered(&r), "");
    r.enabled_json = NULL;
    assert_string_equal(offered(&r), "");
}

static void test_kinds(void **state)
{
    (void)state;
    assert_int_equal(shop_paymode_kind("mandate"), SHOP_PAYMODE_OFFLINE);
    assert_int_equal(shop_paymode_kind("ogone"), SHOP_PAYMODE_ONLINE);
    assert_int_equal(shop_paymode_kind("freeorder"), SHOP_PAYMODE_FREE);
    assert_int_equal(shop_paymode_kind("test"), SHOP_PAYMODE_TEST);
    assert_int_equal(shop_paymode_kind("card"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymous_sees_online_only),
        cmocka_unit_test(test_logged_in_sees_offline_default_first),
        cmocka_unit_test(test_admin_sees_test),
        cmocka_unit_test(test_test_mode_hides_online_from_anonymous),
        cmocka_unit_test(test_bad_json_offers_nothing),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
