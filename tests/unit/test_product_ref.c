/* Unit tests for src/core/product_ref.c: the reference format, the
 * checksum catching every single wrong character and every swap, random
 * references, normalisation of typed references. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_hash.h>

#include "core/product_ref.h"

#include "unit_group_pool.h"

static void test_known_bytes(void **state)
{
    (void)state;
    unsigned char zero[SHOP_PRODUCT_REF_BYTES] = { 0 };
    /* every value 0 ('2'), checksum 0 */
    assert_string_equal(shop_product_ref_from_bytes(pool, zero), "2222-2222-2222-2222");
    unsigned char ones[SHOP_PRODUCT_REF_BYTES];
    memset(ones, 0xff, sizeof(ones));
    /* every value 31 ('Z'); S = 31 * 105 = 3255 = 183 mod 1024: 183 % 32 = 23 ('R'), 183 / 32 = 5 ('7') */
    assert_string_equal(shop_product_ref_from_bytes(pool, ones), "ZZZZ-ZZZZ-ZZZZ-ZZR7");
    /* 0x08 0x00...: first value 00001 = 1 ('3'); S = 1 -> '3', '2' */
    unsigned char first[SHOP_PRODUCT_REF_BYTES] = { 0x08 };
    assert_string_equal(shop_product_ref_from_bytes(pool, first), "3222-2222-2222-2232");
    /* the 14th value takes bits 65..69: byte 8 = 0x7c -> 11111 */
    unsigned char last[SHOP_PRODUCT_REF_BYTES] = { 0, 0, 0, 0, 0, 0, 0, 0, 0x7c };
    const char *r = shop_product_ref_from_bytes(pool, last);
    assert_int_equal(r[17 - 1], 'Z');
    assert_true(shop_product_ref_valid(r));
}

static void test_generated_are_valid_and_distinct(void **state)
{
    (void)state;
    apr_hash_t *seen = apr_hash_make(pool);
    for (int i = 0; i < 2000; i++) {
        const char *r = NULL;
        assert_int_equal(shop_product_ref_generate(pool, &r), APR_SUCCESS);
        assert_non_null(r);
        assert_int_equal(strlen(r), SHOP_PRODUCT_REF_LEN);
        assert_true(shop_product_ref_valid(r));
        for (int c = 0; c < SHOP_PRODUCT_REF_LEN; c++) {
            if (c % 5 == 4) assert_int_equal(r[c], '-');
            else assert_non_null(strchr(SHOP_PRODUCT_REF_ALPHABET, r[c]));
            assert_true(r[c] != '0' && r[c] != 'O' && r[c] != '1' && r[c] != 'I');
        }
        assert_null(apr_hash_get(seen, r, APR_HASH_KEY_STRING));
        apr_hash_set(seen, r, APR_HASH_KEY_STRING, r);
    }
}

/* positions of the 16 characters in the 19-character text */
static int pos(int i)
{
    return i + i / 4;
}

static void test_every_single_error_is_caught(void **state)
{
    (void)state;
    for (int k = 0; k < 50; k++) {
        const char *r;
        assert_int_equal(shop_product_ref_generate(pool, &r), APR_SUCCESS);
        char buf[SHOP_PRODUCT_REF_LEN + 1];
        for (int i = 0; i < 16; i++)
            for (const char *a = SHOP_PRODUCT_REF_ALPHABET; *a; a++) {
                if (*a == r[pos(i)]) continue;
                memcpy(buf, r, sizeof(buf));
                buf[pos(i)] = *a;
                assert_false(shop_product_ref_valid(buf));
            }
    }
}

static void test_every_swap_is_caught(void **state)
{
    (void)state;
    for (int k = 0; k < 50; k++) {
        const char *r;
        assert_int_equal(shop_product_ref_generate(pool, &r), APR_SUCCESS);
        char buf[SHOP_PRODUCT_REF_LEN + 1];
        for (int i = 0; i < 14; i++)
            for (int j = i + 1; j < 14; j++) {
                if (r[pos(i)] == r[pos(j)]) continue;
                memcpy(buf, r, sizeof(buf));
                buf[pos(i)] = r[pos(j)];
                buf[pos(j)] = r[pos(i)];
                assert_false(shop_product_ref_valid(buf));
            }
    }
}

static void test_malformed_refused(void **state)
{
    (void)state;
    assert_false(shop_product_ref_valid(NULL));
    assert_false(shop_product_ref_valid(""));
    assert_true(shop_product_ref_valid("2222-2222-2222-2222"));
    assert_false(shop_product_ref_valid("2222-2222-2222-22222"));
    assert_false(shop_product_ref_valid("2222-2222-2222-222"));
    assert_false(shop_product_ref_valid("22222-222-2222-2222"));
    assert_false(shop_product_ref_valid("2222 2222 2222 2222"));
    assert_false(shop_product_ref_valid("zzzz-zzzz-zzzz-zzr7"));       /* lower case: normalise first */
    assert_true(shop_product_ref_valid("ZZZZ-ZZZZ-ZZZZ-ZZR7"));
    assert_false(shop_product_ref_valid("0000-0000-0000-0000"));       /* 0 is not in the alphabet */
    assert_false(shop_product_ref_valid("2222-2222-2222-22\0002"));
}

static void test_normalize(void **state)
{
    (void)state;
    assert_string_equal(shop_product_ref_normalize(pool, "zzzz zzzz-zzzzzzr7"), "ZZZZ-ZZZZ-ZZZZ-ZZR7");
    assert_string_equal(shop_product_ref_normalize(pool, " 3222-2222-2222-2232 "), "3222-2222-2222-2232");
    assert_null(shop_product_ref_normalize(pool, "3222-2222-2222-2233"));   /* checksum */
    assert_null(shop_product_ref_normalize(pool, "3222-2222-2222-22"));
    assert_null(shop_product_ref_normalize(pool, "3222-2222-2222-2232-2"));
    assert_null(shop_product_ref_normalize(pool, "3222-2222-2222-223é"));
    assert_null(shop_product_ref_normalize(pool, NULL));
    assert_null(shop_product_ref_normalize(pool, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_bytes),
        cmocka_unit_test(test_generated_are_valid_and_distinct),
        cmocka_unit_test(test_every_single_error_is_caught),
        cmocka_unit_test(test_every_swap_is_caught),
        cmocka_unit_test(test_malformed_refused),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
