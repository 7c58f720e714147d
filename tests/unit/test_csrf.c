/* Unit tests for src/core/csrf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "core/csrf.h"
#include "unit_pool.h"

static const char KEY[] = "an-example-shop-secret-of-32+bytes!";
#define KLEN (sizeof KEY - 1)
#define SID "4f9a1c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19"

static void test_token_shape(void **state)
{
    apr_pool_t *p = *state;
    const char *t = shop_csrf_token(p, KEY, KLEN, SID);
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *c;

    assert_non_null(t);
    assert_int_equal(strlen(t), SHOP_CSRF_TOKEN_LEN);
    for (c = t; *c; c++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *c));
    /* the documented construction */
    assert_int_equal(shop_hmac_sha256(KEY, KLEN, "csrf|" SID, strlen("csrf|" SID), mac), APR_SUCCESS);
    assert_string_equal(t, shop_base64url_encode(p, mac, sizeof mac));
    /* stable per session, different across sessions and keys */
    assert_string_equal(t, shop_csrf_token(p, KEY, KLEN, SID));
    assert_string_not_equal(t, shop_csrf_token(p, KEY, KLEN, SID "0"));
    assert_string_not_equal(t, shop_csrf_token(p, KEY, KLEN - 1, SID));
}

static void test_check(void **state)
{
    apr_pool_t *p = *state;
    const char *t = shop_csrf_token(p, KEY, KLEN, SID);
    char *m;
    apr_size_t i;

    assert_true(shop_csrf_check(p, KEY, KLEN, SID, t));
    assert_false(shop_csrf_check(p, KEY, KLEN, SID, NULL));
    assert_false(shop_csrf_check(p, KEY, KLEN, SID, ""));
    assert_false(shop_csrf_check(p, KEY, KLEN, SID, apr_pstrndup(p, t, SHOP_CSRF_TOKEN_LEN - 1)));
    assert_false(shop_csrf_check(p, KEY, KLEN, SID, apr_pstrcat(p, t, "A", NULL)));
    assert_false(shop_csrf_check(p, KEY, KLEN, SID, apr_pstrcat(p, t, "=", NULL)));
    assert_false(shop_csrf_check(p, KEY, KLEN, "other-session", t));
    assert_false(shop_csrf_check(p, KEY, KLEN, NULL, t));
    assert_false(shop_csrf_check(p, KEY, KLEN, "", t));
    assert_false(shop_csrf_check(p, NULL, 0, SID, t));
    for (i = 0; i < SHOP_CSRF_TOKEN_LEN; i++) {
        m = apr_pstrdup(p, t);
        m[i] = m[i] == 'A' ? 'B' : 'A';
        assert_false(shop_csrf_check(p, KEY, KLEN, SID, m));
    }
    /* a session id that is a prefix of another does not share its token */
    assert_false(shop_csrf_check(p, KEY, KLEN, "abc", shop_csrf_token(p, KEY, KLEN, "abcd")));
}

static void test_bad_args(void **state)
{
    apr_pool_t *p = *state;
    assert_null(shop_csrf_token(p, KEY, KLEN, NULL));
    assert_null(shop_csrf_token(p, KEY, KLEN, ""));
    assert_null(shop_csrf_token(p, NULL, 0, SID));
    assert_null(shop_csrf_token(p, KEY, 31, SID));
    assert_non_null(shop_csrf_token(p, KEY, 32, SID));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_shape),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_bad_args),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
