/* Unit tests for src/core/form.c: urlencoded decoding, limits, hostile input,
 * and the UTF-8 validator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/form.h"
#include "core/limits.h"
#include "unit_pool.h"

static apr_table_t *ok(apr_pool_t *p, const char *s)
{
    apr_table_t *t = NULL;
    const char *err = NULL;
    apr_status_t rv = shop_form_parse(p, s, strlen(s), &t, &err);
    if (rv != APR_SUCCESS)
        fail_msg("'%s' refused: %s", s, err);
    assert_non_null(t);
    return t;
}

static apr_status_t bad(apr_pool_t *p, const char *s, apr_size_t len)
{
    apr_table_t *t = (apr_table_t *)1;
    const char *err = NULL;
    apr_status_t rv = shop_form_parse(p, s, len, &t, &err);
    if (rv == APR_SUCCESS)
        fail_msg("'%s' accepted", s);
    assert_null(t);
    assert_non_null(err);
    return rv;
}

static int count_cb(void *rec, const char *k, const char *v)
{
    (void)k; (void)v;
    (*(int *)rec)++;
    return 1;
}

static int count(apr_table_t *t, const char *name)
{
    int n = 0;
    apr_table_do(count_cb, &n, t, name, NULL);
    return n;
}

static void test_basic(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = ok(p, "a=1&b=two&c=x+y%20z&d%5B0%5D=%2B%26%3D");

    assert_int_equal(apr_table_elts(t)->nelts, 4);
    assert_string_equal(apr_table_get(t, "a"), "1");
    assert_string_equal(apr_table_get(t, "b"), "two");
    assert_string_equal(apr_table_get(t, "c"), "x y z");
    assert_string_equal(apr_table_get(t, "d[0]"), "+&=");
}

static void test_repeated_and_order(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = ok(p, "id=3&x=0&id=1&id=2");
    const apr_array_header_t *a = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;

    assert_int_equal(count(t, "id"), 3);
    assert_string_equal(apr_table_get(t, "id"), "3");   /* first */
    assert_string_equal(e[0].val, "3");
    assert_string_equal(e[2].val, "1");
    assert_string_equal(e[3].val, "2");
}

static void test_shapes(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t;

    t = ok(p, "");
    assert_int_equal(apr_table_elts(t)->nelts, 0);
    t = NULL;
    assert_int_equal(shop_form_parse(p, NULL, 0, &t, NULL), APR_SUCCESS);
    assert_int_equal(apr_table_elts(t)->nelts, 0);

    t = ok(p, "&&a=1&&&b&c=&");
    assert_int_equal(apr_table_elts(t)->nelts, 3);
    assert_string_equal(apr_table_get(t, "a"), "1");
    assert_string_equal(apr_table_get(t, "b"), "");
    assert_string_equal(apr_table_get(t, "c"), "");

    t = ok(p, "q=a=b==c");
    assert_string_equal(apr_table_get(t, "q"), "a=b==c");

    /* ';' is not a separator */
    t = ok(p, "a=1;b=2");
    assert_string_equal(apr_table_get(t, "a"), "1;b=2");

    /* textarea line breaks and tabs survive in values */
    t = ok(p, "msg=line1%0D%0Aline2%09end");
    assert_string_equal(apr_table_get(t, "msg"), "line1\r\nline2\tend");
}

static void test_not_nul_terminated(void **state)
{
    apr_pool_t *p = *state;
    const char buf[] = { 'a', '=', '1', '&', 'b', '=', '2', '%' };
    apr_table_t *t = NULL;

    /* only the first 7 bytes are the form: the trailing '%' is outside */
    assert_int_equal(shop_form_parse(p, buf, 7, &t, NULL), APR_SUCCESS);
    assert_string_equal(apr_table_get(t, "b"), "2");
    assert_int_equal(shop_form_parse(p, buf, 8, &t, NULL), APR_EINVAL);
}

static void test_bad_escapes(void **state)
{
    apr_pool_t *p = *state;
    static const char *cases[] = {
        "%", "%4", "a=%", "a=%4", "a=1%", "a=%zz", "a=%G1", "a=%%41", "a=%4g", "%x1=1",
        "a=%+1", "a=% 1", "a=%-1",
    };
    apr_size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(bad(p, cases[i], strlen(cases[i])), APR_EINVAL);
}

static void test_error_message(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t;
    const char *err = NULL;

    assert_int_equal(shop_form_parse(p, "ab=1&cd=x%zz", 12, &t, &err), APR_EINVAL);
    assert_string_equal(err, "invalid percent escape in value of 'cd' at byte 9");
    assert_int_equal(shop_form_parse(p, "a=1&%4", 6, &t, &err), APR_EINVAL);
    assert_string_equal(err, "invalid percent escape in field name at byte 4");
}

static void test_nul(void **state)
{
    apr_pool_t *p = *state;
    const char raw[] = "a=x\0y";

    assert_int_equal(bad(p, "a=%00", 5), APR_EINVAL);
    assert_int_equal(bad(p, "a%00b=1", 7), APR_EINVAL);
    assert_int_equal(bad(p, "a=abc%00def", 11), APR_EINVAL);
    assert_int_equal(bad(p, raw, sizeof raw - 1), APR_EINVAL);
}

static void test_utf8_in_forms(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = ok(p, "n=%C3%A9t%C3%A9&e=%F0%9F%98%80&r=\xc3\xa9&%E2%82%AC=euro");
    static const char *cases[] = {
        "a=%C3",                /* truncated 2-byte */
        "a=%C3%28",             /* bad continuation */
        "a=%C0%AF",             /* overlong '/' */
        "a=%C1%BF",             /* overlong */
        "a=%E0%80%AF",          /* overlong 3-byte */
        "a=%F0%80%80%AF",       /* overlong 4-byte */
        "a=%ED%A0%80",          /* surrogate D800 */
        "a=%ED%BF%BF",          /* surrogate DFFF */
        "a=%F4%90%80%80",       /* above U+10FFFF */
        "a=%F5%80%80%80",
        "a=%FF",
        "a=%80",
        "a=\xc3",               /* raw truncated */
        "a=\xe2\x82",           /* raw truncated 3-byte at end */
        "%C3=1",                /* in a name */
    };
    apr_size_t i;

    assert_string_equal(apr_table_get(t, "n"), "\xc3\xa9t\xc3\xa9");
    assert_string_equal(apr_table_get(t, "e"), "\xf0\x9f\x98\x80");
    assert_string_equal(apr_table_get(t, "r"), "\xc3\xa9");
    assert_string_equal(apr_table_get(t, "\xe2\x82\xac"), "euro");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(bad(p, cases[i], strlen(cases[i])), APR_EINVAL);
}

static void test_names(void **state)
{
    apr_pool_t *p = *state;
    char name[SHOP_MAX_FIELD_NAME + 2];
    char *s;

    assert_int_equal(bad(p, "=x", 2), APR_EINVAL);
    assert_int_equal(bad(p, "a=1&=", 5), APR_EINVAL);
    assert_int_equal(bad(p, "%01a=1", 6), APR_EINVAL);
    assert_int_equal(bad(p, "a%0Ab=1", 7), APR_EINVAL);
    assert_int_equal(bad(p, "a%7Fb=1", 7), APR_EINVAL);

    memset(name, 'n', SHOP_MAX_FIELD_NAME);
    name[SHOP_MAX_FIELD_NAME] = '\0';
    s = apr_pstrcat(p, name, "=1", NULL);
    ok(p, s);
    s = apr_pstrcat(p, name, "n=1", NULL);
    assert_int_equal(bad(p, s, strlen(s)), APR_ENOSPC);
    /* the limit is on decoded bytes: 128 escapes are 128 bytes */
    s = "";
    for (int i = 0; i < SHOP_MAX_FIELD_NAME; i++)
        s = apr_pstrcat(p, s, "%41", NULL);
    ok(p, apr_pstrcat(p, s, "=1", NULL));
}

static void test_field_count(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t i;
    char *big = apr_palloc(p, 10000 * 4 + 1), *o = big;
    apr_table_t *t;

    for (i = 0; i < SHOP_MAX_FORM_FIELDS; i++)
        o += sprintf(o, "%s%c=", i ? "&" : "", 'a' + (int)(i % 26));
    t = ok(p, big);
    assert_int_equal(apr_table_elts(t)->nelts, SHOP_MAX_FORM_FIELDS);
    strcpy(o, "&z=");
    assert_int_equal(bad(p, big, strlen(big)), APR_ENOSPC);

    /* 10k fields */
    o = big;
    for (i = 0; i < 10000; i++) {
        memcpy(o, "&a=1", 4);
        o += 4;
    }
    *o = '\0';
    assert_int_equal(bad(p, big + 1, strlen(big + 1)), APR_ENOSPC);
    /* 10k empty pairs are not fields */
    memset(big, '&', 10000);
    big[10000] = '\0';
    t = ok(p, big);
    assert_int_equal(apr_table_elts(t)->nelts, 0);
}

static void test_size_and_limits(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t n = SHOP_MAX_BODY_FORM + 1;
    char *s = apr_palloc(p, n + 1);
    shop_form_limits_t lim = { 2, 4, 16 };
    apr_table_t *t;
    const char *err;

    memset(s, 'x', n);
    s[0] = 'a';
    s[1] = '=';
    s[n] = '\0';
    assert_int_equal(bad(p, s, n), APR_ENOSPC);
    /* exactly the limit is fine */
    assert_int_equal(shop_form_parse(p, s, n - 1, &t, &err), APR_SUCCESS);
    assert_int_equal(strlen(apr_table_get(t, "a")), n - 3);
    assert_int_equal(shop_form_parse_ex(p, "a=1&b=2", 7, &lim, &t, &err), APR_SUCCESS);
    assert_int_equal(shop_form_parse_ex(p, "a=1&b=2&c=3", 11, &lim, &t, &err), APR_ENOSPC);
    assert_int_equal(shop_form_parse_ex(p, "abcde=1", 7, &lim, &t, &err), APR_ENOSPC);
    assert_int_equal(shop_form_parse_ex(p, "a=12345678901234", 16, &lim, &t, &err), APR_SUCCESS);
    assert_int_equal(shop_form_parse_ex(p, "a=123456789012345", 17, &lim, &t, &err), APR_ENOSPC);
}

static void test_query(void **state)
{
    apr_pool_t *p = *state;
    apr_table_t *t = NULL;
    const char *err;
    char *q = apr_palloc(p, SHOP_MAX_QUERY_STRING + 2);

    assert_int_equal(shop_form_parse_query(p, NULL, &t, &err), APR_SUCCESS);
    assert_int_equal(apr_table_elts(t)->nelts, 0);
    assert_int_equal(shop_form_parse_query(p, "shop=2&category=a+b", &t, &err), APR_SUCCESS);
    assert_string_equal(apr_table_get(t, "category"), "a b");
    assert_int_equal(shop_form_parse_query(p, "x=%2", &t, &err), APR_EINVAL);
    memset(q, 'a', SHOP_MAX_QUERY_STRING + 1);
    q[SHOP_MAX_QUERY_STRING + 1] = '\0';
    assert_int_equal(shop_form_parse_query(p, q, &t, &err), APR_ENOSPC);
    q[SHOP_MAX_FIELD_NAME] = '\0';
    assert_int_equal(shop_form_parse_query(p, q, &t, &err), APR_SUCCESS);
}

static void test_utf8_validator(void **state)
{
    apr_size_t bad_at = 99;
    (void)state;

    assert_true(shop_utf8_valid("", 0, NULL));
    assert_true(shop_utf8_valid("plain ascii", 11, NULL));
    assert_true(shop_utf8_valid("a\0b", 3, NULL));
    assert_true(shop_utf8_valid("\xc2\x80", 2, NULL));              /* U+0080 */
    assert_true(shop_utf8_valid("\xdf\xbf", 2, NULL));              /* U+07FF */
    assert_true(shop_utf8_valid("\xe0\xa0\x80", 3, NULL));          /* U+0800 */
    assert_true(shop_utf8_valid("\xed\x9f\xbf", 3, NULL));          /* U+D7FF */
    assert_true(shop_utf8_valid("\xee\x80\x80", 3, NULL));          /* U+E000 */
    assert_true(shop_utf8_valid("\xef\xbf\xbf", 3, NULL));          /* U+FFFF */
    assert_true(shop_utf8_valid("\xf0\x90\x80\x80", 4, NULL));      /* U+10000 */
    assert_true(shop_utf8_valid("\xf4\x8f\xbf\xbf", 4, NULL));      /* U+10FFFF */

    assert_false(shop_utf8_valid("\xc0\x80", 2, NULL));             /* overlong NUL */
    assert_false(shop_utf8_valid("\xe0\x80\x80", 3, NULL));
    assert_false(shop_utf8_valid("\xe0\x9f\xbf", 3, NULL));
    assert_false(shop_utf8_valid("\xf0\x8f\xbf\xbf", 4, NULL));
    assert_false(shop_utf8_valid("\xed\xa0\x80", 3, NULL));
    assert_false(shop_utf8_valid("\xf4\x90\x80\x80", 4, NULL));
    assert_false(shop_utf8_valid("\xf8\x88\x80\x80\x80", 5, NULL)); /* 5-byte form */
    assert_false(shop_utf8_valid("\xfe", 1, NULL));
    assert_false(shop_utf8_valid("\xe2\x82\xac", 2, NULL));         /* cut by len */
    assert_false(shop_utf8_valid("\xe2\x28\xac", 3, NULL));

    assert_false(shop_utf8_valid("ab\xc3\xa9\xe2\x82x", 7, &bad_at));
    assert_int_equal(bad_at, 4);
    assert_false(shop_utf8_valid("abc\x80", 4, &bad_at));
    assert_int_equal(bad_at, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_repeated_and_order),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_utf8_in_forms),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_field_count),
        cmocka_unit_test(test_size_and_limits),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_utf8_validator),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
