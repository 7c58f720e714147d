/* Unit tests for src/core/passcode.c: SHA-512 crypt hashes with random
 * salts, verification, refusal of bad passcodes and bad hashes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "core/passcode.h"

#include "unit_group_pool.h"

static void test_hash_format_and_verify(void **state)
{
    const char *h = NULL;
    (void)state;
    assert_int_equal(shop_passcode_hash(pool, "DEMO2026", &h), APR_SUCCESS);
    assert_non_null(h);
    assert_memory_equal(h, "$6$", 3);
    assert_int_equal(h[3 + SHOP_PASSCODE_SALT_LEN], '$');
    assert_null(strstr(h, "DEMO2026"));
    assert_true(strlen(h) > 3 + SHOP_PASSCODE_SALT_LEN + 80);
    assert_int_equal(shop_passcode_verify(h, "DEMO2026"), 1);
    assert_int_equal(shop_passcode_verify(h, "demo2026"), 0);
    assert_int_equal(shop_passcode_verify(h, "DEMO2027"), 0);
    assert_int_equal(shop_passcode_verify(h, "DEMO20261"), 0);
}

static void test_salt_is_random(void **state)
{
    const char *a, *b;
    (void)state;
    assert_int_equal(shop_passcode_hash(pool, "same", &a), APR_SUCCESS);
    assert_int_equal(shop_passcode_hash(pool, "same", &b), APR_SUCCESS);
    assert_string_not_equal(a, b);
    assert_memory_not_equal(a + 3, b + 3, SHOP_PASSCODE_SALT_LEN);
    assert_true(shop_passcode_verify(a, "same") && shop_passcode_verify(b, "same"));
}

/* the demo catalogue's hash (sql/demo/catalogue.sql, made by another tool) */
static void test_known_hash(void **state)
{
    (void)state;
    const char *demo = "$6$shopdemo2026$Y2ZMIVQqGQkw6Gxso.hsdlJ8AQKIsP1IlTGSQ6DA2rttm4eLyAiXB7r.8q22r3zWyQbuffSkYMm5i51/dIvDs1";
    assert_int_equal(shop_passcode_verify(demo, "DEMO2026"), 1);
    assert_int_equal(shop_passcode_verify(demo, "DEMO2025"), 0);
}

static void test_refused_passcodes(void **state)
{
    const char *h = "unchanged";
    char longer[SHOP_PASSCODE_MAX + 2];
    (void)state;
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(shop_passcode_hash(pool, "", &h), APR_EINVAL);
    assert_int_equal(shop_passcode_hash(pool, NULL, &h), APR_EINVAL);
    assert_int_equal(shop_passcode_hash(pool, "a\nb", &h), APR_EINVAL);
    assert_int_equal(shop_passcode_hash(pool, "\xff\xfe", &h), APR_EINVAL);
    assert_int_equal(shop_passcode_hash(pool, longer, &h), APR_EINVAL);
    assert_string_equal(h, "unchanged");
    longer[SHOP_PASSCODE_MAX] = '\0';
    assert_int_equal(shop_passcode_hash(pool, longer, &h), APR_SUCCESS);
    assert_int_equal(shop_passcode_verify(h, longer), 1);
    assert_int_equal(shop_passcode_hash(pool, "code d'accès é", &h), APR_SUCCESS);
    assert_int_equal(shop_passcode_verify(h, "code d'accès é"), 1);
}

static void test_bad_hashes_never_verify(void **state)
{
    (void)state;
    assert_int_equal(shop_passcode_verify(NULL, "x"), 0);
    assert_int_equal(shop_passcode_verify("$6$abc$def", NULL), 0);
    assert_int_equal(shop_passcode_verify("", ""), 0);
    assert_int_equal(shop_passcode_verify("DEMO2026", "DEMO2026"), 0);     /* clear text stored */
    assert_int_equal(shop_passcode_verify("$1$abc$q1zS3oGbnzA4Gbx1vWE1W.", "x"), 0);  /* MD5 crypt refused */
    assert_int_equal(shop_passcode_verify("$6$", "x"), 0);
    assert_int_equal(shop_passcode_verify("$6$salt$truncated", "x"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_format_and_verify),
        cmocka_unit_test(test_salt_is_random),
        cmocka_unit_test(test_known_hash),
        cmocka_unit_test(test_refused_passcodes),
        cmocka_unit_test(test_bad_hashes_never_verify),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
