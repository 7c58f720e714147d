/* Unit tests for src/core/bill_link.c: signed read links to a bill. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/bill_link.h"
#include "core/crypto.h"
#include "unit_pool.h"

static const char KEY[] = "0123456789abcdef0123456789abcdef-test-key";
static const char KEY2[] = "0123456789abcdef0123456789abcdef-other-key";
#define KL (sizeof KEY - 1)

static void test_roundtrip(void **state)
{
    apr_pool_t *p = *state;
    const char *sig = shop_bill_link_sign(p, KEY, KL, "AbC-123_x", 1700000000);

    assert_non_null(sig);
    assert_true(strncmp(sig, "1700000000.", 11) == 0);
    assert_int_equal(strlen(sig), 11 + SHOP_B64URL_LEN(SHOP_HMAC_SHA256_LEN));
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "AbC-123_x", sig, 1699999999), 1);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "AbC-123_x", sig, 0), 1);
    /* the same input signs the same way (links in several mails agree) */
    assert_string_equal(sig, shop_bill_link_sign(p, KEY, KL, "AbC-123_x", 1700000000));
}

static void test_known_value(void **state)
{
    apr_pool_t *p = *state;
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *msg = "shop-bill-v1|T1|42";
    const char *want;

    assert_int_equal(shop_hmac_sha256(KEY, KL, msg, strlen(msg), mac), APR_SUCCESS);
    want = apr_pstrcat(p, "42.", shop_base64url_encode(p, mac, sizeof mac), NULL);
    assert_string_equal(shop_bill_link_sign(p, KEY, KL, "T1", 42), want);
}

static void test_expiry(void **state)
{
    apr_pool_t *p = *state;
    const char *sig = shop_bill_link_sign(p, KEY, KL, "T1", 1000);

    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", sig, 999), 1);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", sig, 1000), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", sig, 5000), 0);
}

static void test_wrong_bill_or_key(void **state)
{
    apr_pool_t *p = *state;
    const char *sig = shop_bill_link_sign(p, KEY, KL, "T1", 1000);

    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T2", sig, 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1x", sig, 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY2, sizeof KEY2 - 1, "T1", sig, 1), 0);
}

static void test_tampered(void **state)
{
    apr_pool_t *p = *state;
    const char *sig = shop_bill_link_sign(p, KEY, KL, "T1", 1000);
    const char *mac = strchr(sig, '.') + 1;
    char *t;
    apr_size_t i;

    /* a later expiry with the old MAC */
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", apr_pstrcat(p, "2000.", mac, NULL), 1), 0);
    /* the same expiry spelled with a leading zero or a sign */
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", apr_pstrcat(p, "01000.", mac, NULL), 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", apr_pstrcat(p, "+1000.", mac, NULL), 1), 0);
    /* every single character changed */
    for (i = 0; sig[i]; i++) {
        t = apr_pstrdup(p, sig);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        if (strcmp(t, sig) != 0)
            assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", t, 1), 0);
    }
    /* truncated, extended */
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", apr_pstrndup(p, sig, strlen(sig) - 1), 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", apr_pstrcat(p, sig, "A", NULL), 1), 0);
}

static void test_malformed(void **state)
{
    apr_pool_t *p = *state;
    const char *bad[] = { "", ".", "1000", "1000.", ".abc", "abc.def", "-5.abc",
                          "9999999999999999999999.abc", "10 00.abc" };
    apr_size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", bad[i], 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, "T1", NULL, 1), 0);
}

static void test_refusals(void **state)
{
    apr_pool_t *p = *state;
    const char *sig = shop_bill_link_sign(p, KEY, KL, "T1", 1000);

    assert_null(shop_bill_link_sign(p, KEY, 16, "T1", 1000));        /* key too short */
    assert_null(shop_bill_link_sign(p, NULL, 0, "T1", 1000));
    assert_null(shop_bill_link_sign(p, KEY, KL, "", 1000));
    assert_null(shop_bill_link_sign(p, KEY, KL, NULL, 1000));
    assert_null(shop_bill_link_sign(p, KEY, KL, "T|1", 1000));
    assert_null(shop_bill_link_sign(p, KEY, KL, "T 1", 1000));
    assert_null(shop_bill_link_sign(p, KEY, KL, "T1", 0));
    assert_null(shop_bill_link_sign(p, KEY, KL, "T1", -1));
    assert_int_equal(shop_bill_link_verify(p, KEY, 16, "T1", sig, 1), 0);
    assert_int_equal(shop_bill_link_verify(p, NULL, 0, "T1", sig, 1), 0);
    assert_int_equal(shop_bill_link_verify(p, KEY, KL, NULL, sig, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_known_value),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_wrong_bill_or_key),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_refusals),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
