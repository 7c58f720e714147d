/* Unit tests for src/core/cookie.c: lenient Cookie parsing, first-wins
 * lookup, and Set-Cookie building that refuses header injection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/cookie.h"
#include "core/limits.h"
#include "unit_pool.h"

static void test_parse_basic(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *jar = shop_cookie_parse(p, "a=b; c=\"d\";e=f ;  g = h  ; empty=; q=\"\"");

    assert_int_equal(jar->nelts, 6);
    assert_string_equal(shop_cookie_get(jar, "a"), "b");
    assert_string_equal(shop_cookie_get(jar, "c"), "d");
    assert_string_equal(shop_cookie_get(jar, "e"), "f");
    assert_string_equal(shop_cookie_get(jar, "g"), "h");
    assert_string_equal(shop_cookie_get(jar, "empty"), "");
    assert_string_equal(shop_cookie_get(jar, "q"), "");
    assert_null(shop_cookie_get(jar, "missing"));
    assert_null(shop_cookie_get(jar, "A"));           /* case-sensitive */
    assert_null(shop_cookie_get(NULL, "a"));
    assert_null(shop_cookie_get(jar, NULL));
}

static void test_parse_empty(void **state)
{
    apr_pool_t *p = *state;
    assert_int_equal(shop_cookie_parse(p, NULL)->nelts, 0);
    assert_int_equal(shop_cookie_parse(p, "")->nelts, 0);
    assert_int_equal(shop_cookie_parse(p, " ; ;; ")->nelts, 0);
    assert_null(shop_cookie_find(p, NULL, "a"));
}

static void test_first_wins(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *jar = shop_cookie_parse(p, "sid=specific; x=1; sid=general");
    apr_array_header_t *all = shop_cookie_all(p, jar, "sid");

    assert_string_equal(shop_cookie_get(jar, "sid"), "specific");
    assert_int_equal(all->nelts, 2);
    assert_string_equal(APR_ARRAY_IDX(all, 0, const char *), "specific");
    assert_string_equal(APR_ARRAY_IDX(all, 1, const char *), "general");
    assert_int_equal(shop_cookie_all(p, jar, "nope")->nelts, 0);
    assert_string_equal(shop_cookie_find(p, "a=1; a=2", "a"), "1");
}

static void test_parse_lenient_skips(void **state)
{
    apr_pool_t *p = *state;
    /* bad pairs are skipped, good ones around them kept */
    apr_array_header_t *jar = shop_cookie_parse(p,
        "noequals; =novalue; bad name=1; ba\"d=2; ok1=v1; ctl=a\x01" "b; del=a\x7f; "
        "ok2=has space inside; ok3=a=b=c; ok4=\"unbalanced; ok5=é");

    assert_null(shop_cookie_get(jar, "noequals"));
    assert_null(shop_cookie_get(jar, ""));
    assert_null(shop_cookie_get(jar, "bad name"));
    assert_null(shop_cookie_get(jar, "ctl"));
    assert_null(shop_cookie_get(jar, "del"));
    assert_string_equal(shop_cookie_get(jar, "ok1"), "v1");
    assert_string_equal(shop_cookie_get(jar, "ok2"), "has space inside");
    assert_string_equal(shop_cookie_get(jar, "ok3"), "a=b=c");
    assert_string_equal(shop_cookie_get(jar, "ok4"), "\"unbalanced");
    assert_string_equal(shop_cookie_get(jar, "ok5"), "é");
    /* a CR/LF inside the header (cannot come from httpd, but still) */
    jar = shop_cookie_parse(p, "a=1\r\nSet-Cookie: x=y; b=2");
    assert_null(shop_cookie_get(jar, "a"));
    assert_string_equal(shop_cookie_get(jar, "b"), "2");
}

static void test_parse_limits(void **state)
{
    apr_pool_t *p = *state;
    char *h = "";
    char *big;
    apr_array_header_t *jar;
    int i;

    for (i = 0; i < SHOP_MAX_COOKIES + 10; i++)
        h = apr_psprintf(p, "%sc%d=%d; ", h, i, i);
    jar = shop_cookie_parse(p, h);
    assert_int_equal(jar->nelts, SHOP_MAX_COOKIES);
    assert_string_equal(shop_cookie_get(jar, "c0"), "0");
    assert_null(shop_cookie_get(jar, apr_psprintf(p, "c%d", SHOP_MAX_COOKIES)));

    big = apr_palloc(p, SHOP_MAX_COOKIE_HEADER + 2);
    memset(big, 'x', SHOP_MAX_COOKIE_HEADER + 1);
    memcpy(big, "a=1; b=", 7);
    big[SHOP_MAX_COOKIE_HEADER + 1] = '\0';
    assert_int_equal(shop_cookie_parse(p, big)->nelts, 0);
    big[SHOP_MAX_COOKIE_HEADER] = '\0';
    jar = shop_cookie_parse(p, big);
    assert_string_equal(shop_cookie_get(jar, "a"), "1");
    assert_null(shop_cookie_get(jar, "b"));           /* value over SHOP_MAX_COOKIE_VALUE */
}

static void test_format(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(shop_cookie_format(p, "sid", "abc123", "/shop", -1,
                                           SHOP_COOKIE_SECURE | SHOP_COOKIE_HTTPONLY, "Lax"),
                        "sid=abc123; Path=/shop; Secure; HttpOnly; SameSite=Lax");
    assert_string_equal(shop_cookie_format(p, "a", "b", NULL, -1, 0, NULL), "a=b");
    assert_string_equal(shop_cookie_format(p, "sid", "", "/", 0, SHOP_COOKIE_HTTPONLY, "strict"),
                        "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    assert_string_equal(shop_cookie_format(p, "t", "x", "/", 3600, SHOP_COOKIE_SECURE, "NONE"),
                        "t=x; Path=/; Max-Age=3600; Secure; SameSite=None");
    assert_string_equal(shop_cookie_format(p, "__Host-sid", "v", "/", -1, SHOP_COOKIE_SECURE, NULL),
                        "__Host-sid=v; Path=/; Secure");
    assert_string_equal(shop_cookie_format(p, "__Secure-x", "v", "/a", -1, SHOP_COOKIE_SECURE, NULL),
                        "__Secure-x=v; Path=/a; Secure");
    /* every cookie-octet is accepted */
    assert_non_null(shop_cookie_format(p, "v", "!#$%&'()*+-./0123456789:<=>?@AZ[]^_`az{|}~",
                                       NULL, -1, 0, NULL));
}

static void test_format_refuses(void **state)
{
    apr_pool_t *p = *state;
    static const char *bad_values[] = {
        "a\r\nSet-Cookie: evil=1", "a\nb", "a\rb", "a;b", "a,b", "a b", "a\"b", "a\\b",
        "a\tb", "\x01", "\x7f", "é",
    };
    static const char *bad_names[] = {
        "", "a b", "a=b", "a;b", "a,b", "a\r\nb", "a\"b", "a(b)", "a/b", "a@b", "é", "a\tb",
    };
    static const char *bad_paths[] = {
        "", "shop", "/a;b", "/a b", "/a\r\nX: y", "/a,b", "/a\x7f", "/é", "/a\tb",
    };
    char longname[SHOP_MAX_COOKIE_NAME + 2];
    char *longval = apr_palloc(p, SHOP_MAX_COOKIE_VALUE + 2);
    apr_size_t i;

    for (i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
        assert_null(shop_cookie_format(p, "a", bad_values[i], "/", -1, 0, NULL));
    for (i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++)
        assert_null(shop_cookie_format(p, bad_names[i], "v", "/", -1, 0, NULL));
    for (i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++)
        assert_null(shop_cookie_format(p, "a", "v", bad_paths[i], -1, 0, NULL));
    assert_null(shop_cookie_format(p, NULL, "v", "/", -1, 0, NULL));
    assert_null(shop_cookie_format(p, "a", NULL, "/", -1, 0, NULL));
    assert_null(shop_cookie_format(p, "a", "v", "/", -2, 0, NULL));
    assert_null(shop_cookie_format(p, "a", "v", "/", -1, 0x80, NULL));
    assert_null(shop_cookie_format(p, "a", "v", "/", -1, 0, "Lax; Domain=evil"));
    assert_null(shop_cookie_format(p, "a", "v", "/", -1, 0, "bogus"));
    assert_null(shop_cookie_format(p, "a", "v", "/", -1, 0, ""));
    /* SameSite=None needs Secure */
    assert_null(shop_cookie_format(p, "a", "v", "/", -1, SHOP_COOKIE_HTTPONLY, "None"));
    /* prefixes */
    assert_null(shop_cookie_format(p, "__Secure-a", "v", "/", -1, 0, NULL));
    assert_null(shop_cookie_format(p, "__Host-a", "v", "/", -1, 0, NULL));
    assert_null(shop_cookie_format(p, "__Host-a", "v", "/shop", -1, SHOP_COOKIE_SECURE, NULL));
    assert_null(shop_cookie_format(p, "__Host-a", "v", NULL, -1, SHOP_COOKIE_SECURE, NULL));
    /* sizes */
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_null(shop_cookie_format(p, longname, "v", "/", -1, 0, NULL));
    longname[sizeof longname - 2] = '\0';
    assert_non_null(shop_cookie_format(p, longname, "v", "/", -1, 0, NULL));
    memset(longval, 'v', SHOP_MAX_COOKIE_VALUE + 1);
    longval[SHOP_MAX_COOKIE_VALUE + 1] = '\0';
    assert_null(shop_cookie_format(p, "a", longval, "/", -1, 0, NULL));
    longval[SHOP_MAX_COOKIE_VALUE] = '\0';
    assert_non_null(shop_cookie_format(p, "a", longval, "/", -1, 0, NULL));
}

static void test_roundtrip(void **state)
{
    apr_pool_t *p = *state;
    const char *sc = shop_cookie_format(p, "sid", "0123abcd", "/", 60, SHOP_COOKIE_SECURE, "Lax");
    /* what a browser sends back is the name=value part */
    const char *pair = apr_pstrndup(p, sc, (apr_size_t)(strchr(sc, ';') - sc));
    assert_string_equal(shop_cookie_find(p, pair, "sid"), "0123abcd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_first_wins),
        cmocka_unit_test(test_parse_lenient_skips),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_refuses),
        cmocka_unit_test(test_roundtrip),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
