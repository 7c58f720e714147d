/* Unit tests for src/core/jsonbody.c: strict parsing, depth, numbers,
 * UTF-8, repeated keys, pool ownership, typed getters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/jsonbody.h"
#include "core/limits.h"
#include "unit_pool.h"

static json_object *ok(apr_pool_t *p, const char *s)
{
    json_object *o = NULL;
    const char *err = NULL;
    if (shop_json_parse_body(p, s, strlen(s), &o, &err) != APR_SUCCESS)
        fail_msg("refused '%s': %s", s, err);
    assert_non_null(o);
    return o;
}

static const char *bad_len(apr_pool_t *p, const char *s, apr_size_t len)
{
    json_object *o = (json_object *)1;
    const char *err = NULL;
    if (shop_json_parse_body(p, s, len, &o, &err) == APR_SUCCESS)
        fail_msg("accepted '%s'", s);
    assert_null(o);
    assert_non_null(err);
    return err;
}

static const char *bad(apr_pool_t *p, const char *s)
{
    return bad_len(p, s, strlen(s));
}

static void test_basic(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = ok(p, " {\"quantity\": 3, \"code\": \"ABC\", \"ok\": true,"
                           " \"n\": null, \"d\": 1.5, \"arr\": [1, \"x\", {}], \"nested\": {\"k\": \"v\"}} \r\n\t");
    const char *s;
    apr_int64_t i;
    int b;

    assert_int_equal(shop_json_get_int64(o, "quantity", &i), APR_SUCCESS);
    assert_int_equal(i, 3);
    assert_int_equal(shop_json_get_string(p, o, "code", 0, &s), APR_SUCCESS);
    assert_string_equal(s, "ABC");
    assert_int_equal(shop_json_get_bool(o, "ok", &b), APR_SUCCESS);
    assert_int_equal(b, 1);
    assert_string_equal(shop_json_to_string(p, o),
        "{\"quantity\":3,\"code\":\"ABC\",\"ok\":true,\"n\":null,\"d\":1.5,"
        "\"arr\":[1,\"x\",{}],\"nested\":{\"k\":\"v\"}}");
    ok(p, "{}");
    ok(p, "{\"\":\"\"}");
}

static void test_top_level(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(bad(p, "[1,2]"), "invalid JSON: top-level value must be an object at byte 0");
    bad(p, "\"str\"");
    bad(p, "42");
    bad(p, "true");
    bad(p, "null");
    assert_string_equal(bad(p, "   "), "invalid JSON: unexpected end of input at byte 3");
    assert_string_equal(bad_len(p, "", 0), "empty JSON body");
    assert_string_equal(bad_len(p, NULL, 0), "empty JSON body");
}

static void test_trailing(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(bad(p, "{\"a\":1} x"), "invalid JSON: trailing data at byte 8");
    bad(p, "{}{}");
    bad(p, "{},");
    bad(p, "{}\x01");
    bad_len(p, "{}\0", 3);
    bad_len(p, "{\"a\":\"x\0y\"}", 11);
    bad(p, "{\"a\":1}}");
}

static void test_syntax(void **state)
{
    apr_pool_t *p = *state;
    static const char *cases[] = {
        "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}",
        "{'a':1}", "{\"a\":'x'}", "{a:1}", "{1:1}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":[1 2]}",
        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":nan}", "{\"a\":01}",
        "{\"a\":-01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":1e+}",
        "{\"a\":-}", "{\"a\":0x10}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":undefined}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\\"}",
        "{\"a\":\"unterminated}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}",
        "{\"a\":\"\x1f\"}", "/* c */{}", "{}// c", "{\"a\":1 /* c */}", "{\"a\":\"\\U0041\"}",
        "{\"a\":\"\\'\"}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        bad(p, cases[i]);
    assert_string_equal(bad(p, "{\"a\":[1,]}"), "invalid JSON: unexpected character at byte 8");
}

static void test_strings(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = ok(p, "{\"e\":\"\\ud83d\\ude00\",\"r\":\"caf\xc3\xa9 \xe2\x82\xac\","
                           "\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uFFFF\"}");
    const char *s;

    assert_int_equal(shop_json_get_string(p, o, "e", 0, &s), APR_SUCCESS);
    assert_string_equal(s, "\xf0\x9f\x98\x80");
    assert_int_equal(shop_json_get_string(p, o, "r", 0, &s), APR_SUCCESS);
    assert_string_equal(s, "caf\xc3\xa9 \xe2\x82\xac");
    assert_int_equal(shop_json_get_string(p, o, "esc", 0, &s), APR_SUCCESS);
    assert_string_equal(s, "\"\\/\b\f\n\r\tA\xc3\xa9\xef\xbf\xbf");

    assert_string_equal(bad(p, "{\"a\":\"\\u0000\"}"),
                        "invalid JSON: \\u0000 not allowed at byte 6");
    bad(p, "{\"a\":\"x\\u0000y\"}");
    assert_string_equal(bad(p, "{\"a\":\"\\ud800\"}"), "invalid JSON: unpaired surrogate at byte 12");
    bad(p, "{\"a\":\"\\udc00\"}");
    bad(p, "{\"a\":\"\\ud800\\u0041\"}");
    bad(p, "{\"a\":\"\\ud800\\ud800\"}");
    bad(p, "{\"a\":\"\\ud800x\"}");
    bad(p, "{\"a\":\"\\ude00\\ud83d\"}");
}

static void test_utf8(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(bad(p, "{\"a\":\"\xc0\xaf\"}"), "invalid JSON: invalid UTF-8 at byte 6");
    bad(p, "{\"a\":\"\xed\xa0\x80\"}");          /* CESU surrogate */
    bad(p, "{\"a\":\"\xf4\x90\x80\x80\"}");
    bad(p, "{\"a\":\"\xe2\x82\"}");
    bad(p, "{\"a\":\"\xff\"}");
    bad(p, "{\"\xc3\":1}");
    assert_string_equal(bad(p, "\xef\xbb\xbf{}"),
                        "invalid JSON: top-level value must be an object at byte 0");
    bad(p, "{\"a\":1}\xc3\xa9");
}

static void test_numbers(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = ok(p, "{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
                           "\"z\":0,\"nz\":-0,\"f\":1.0,\"e\":1e2,\"E\":2E-3,\"tiny\":1e-999,"
                           "\"big\":1.5e308,\"s\":\"12\",\"b\":false,\"neg\":-17}");
    apr_int64_t i = 0;

    assert_int_equal(shop_json_get_int64(o, "max", &i), APR_SUCCESS);
    assert_true(i == INT64_MAX);
    assert_int_equal(shop_json_get_int64(o, "min", &i), APR_SUCCESS);
    assert_true(i == INT64_MIN);
    assert_int_equal(shop_json_get_int64(o, "z", &i), APR_SUCCESS);
    assert_int_equal(i, 0);
    assert_int_equal(shop_json_get_int64(o, "nz", &i), APR_SUCCESS);
    assert_int_equal(i, 0);
    assert_int_equal(shop_json_get_int64(o, "neg", &i), APR_SUCCESS);
    assert_int_equal(i, -17);
    i = 99;
    assert_int_equal(shop_json_get_int64(o, "f", &i), APR_EINVAL);
    assert_int_equal(shop_json_get_int64(o, "e", &i), APR_EINVAL);
    assert_int_equal(shop_json_get_int64(o, "s", &i), APR_EINVAL);
    assert_int_equal(shop_json_get_int64(o, "b", &i), APR_EINVAL);
    assert_int_equal(i, 99);

    assert_string_equal(bad(p, "{\"a\":9223372036854775808}"),
                        "invalid JSON: integer out of range at byte 5");
    bad(p, "{\"a\":-9223372036854775809}");
    bad(p, "{\"a\":18446744073709551616}");
    bad(p, "{\"a\":100000000000000000000000000000000000000000}");
    assert_string_equal(bad(p, "{\"a\":1e999}"), "invalid JSON: number out of range");
    bad(p, "{\"a\":-1e999}");
    bad(p, "{\"a\":[1,{\"b\":1e400}]}");
    bad(p, "{\"a\":1.8e308}");
}

static void test_depth(void **state)
{
    apr_pool_t *p = *state;
    char *s;
    apr_size_t d, n = 100000;
    const char *err;

    /* SHOP_MAX_JSON_DEPTH levels of objects: fine; one more: refused */
    for (d = SHOP_MAX_JSON_DEPTH; d <= SHOP_MAX_JSON_DEPTH + 1; d++) {
        apr_size_t i;
        s = "";
        for (i = 1; i < d; i++)
            s = apr_pstrcat(p, s, "{\"a\":", NULL);
        s = apr_pstrcat(p, s, "{}", NULL);
        for (i = 1; i < d; i++)
            s = apr_pstrcat(p, s, "}", NULL);
        if (d == SHOP_MAX_JSON_DEPTH)
            ok(p, s);
        else
            assert_string_equal(bad(p, s), apr_psprintf(p,
                "invalid JSON: nesting too deep at byte %d", 5 * SHOP_MAX_JSON_DEPTH));
    }
    /* arrays count too: the object plus DEPTH-1 arrays is the limit */
    for (d = SHOP_MAX_JSON_DEPTH - 1; d <= SHOP_MAX_JSON_DEPTH; d++) {
        s = apr_palloc(p, 2 * d + 8);
        strcpy(s, "{\"a\":");
        memset(s + 5, '[', d);
        memset(s + 5 + d, ']', d);
        strcpy(s + 5 + 2 * d, "}");
        if (d < SHOP_MAX_JSON_DEPTH)
            ok(p, s);
        else
            bad(p, s);
    }

    /* 100k open brackets: refused fast, no stack exhaustion */
    s = apr_palloc(p, n + 1);
    s[0] = '{';
    s[1] = '"';
    s[2] = 'a';
    s[3] = '"';
    s[4] = ':';
    memset(s + 5, '[', n - 5);
    s[n] = '\0';
    err = bad(p, s);
    assert_non_null(strstr(err, "nesting too deep"));
}

static void test_repeated_keys(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(bad(p, "{\"a\":1,\"a\":2}"), "invalid JSON: repeated key in an object");
    bad(p, "{\"x\":{\"a\":1,\"b\":2,\"a\":{\"c\":3}}}");
    bad(p, "{\"x\":[{\"k\":1},{\"k\":1,\"k\":1}]}");
    /* same key in different objects is fine */
    ok(p, "{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}");
}

static void test_size(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t n = SHOP_MAX_BODY_JSON;
    char *s = apr_palloc(p, n + 2);
    json_object *o;
    const char *err;

    memset(s, ' ', n + 1);
    s[0] = '{';
    s[n - 1] = '}';
    assert_int_equal(shop_json_parse_body(p, s, n, &o, &err), APR_SUCCESS);
    assert_int_equal(shop_json_parse_body(p, s, n + 1, &o, &err), APR_ENOSPC);
    assert_string_equal(err, "JSON body too large");
}

static void test_getters(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = ok(p, "{\"s\":\"hello\",\"n\":null,\"i\":5,\"b\":false,\"arr\":[],\"o\":{}}");
    json_object *arr;
    const char *s = "unset";
    apr_int64_t i = -1;
    int b = -1;

    assert_int_equal(shop_json_get_string(p, o, "s", 5, &s), APR_SUCCESS);
    assert_string_equal(s, "hello");
    s = "unset";
    assert_int_equal(shop_json_get_string(p, o, "s", 4, &s), APR_ENOSPC);
    assert_int_equal(shop_json_get_string(p, o, "n", 0, &s), APR_NOTFOUND);
    assert_int_equal(shop_json_get_string(p, o, "missing", 0, &s), APR_NOTFOUND);
    assert_int_equal(shop_json_get_string(p, o, "i", 0, &s), APR_EINVAL);
    assert_int_equal(shop_json_get_string(p, o, "arr", 0, &s), APR_EINVAL);
    assert_int_equal(shop_json_get_string(p, o, "o", 0, &s), APR_EINVAL);
    assert_string_equal(s, "unset");

    assert_int_equal(shop_json_get_int64(o, "n", &i), APR_NOTFOUND);
    assert_int_equal(shop_json_get_int64(o, "missing", &i), APR_NOTFOUND);
    assert_int_equal(shop_json_get_int64_range(o, "i", 1, 5, &i), APR_SUCCESS);
    assert_int_equal(i, 5);
    i = -1;
    assert_int_equal(shop_json_get_int64_range(o, "i", 6, 10, &i), APR_ERANGE);
    assert_int_equal(shop_json_get_int64_range(o, "i", 0, 4, &i), APR_ERANGE);
    assert_int_equal(i, -1);

    assert_int_equal(shop_json_get_bool(o, "b", &b), APR_SUCCESS);
    assert_int_equal(b, 0);
    assert_int_equal(shop_json_get_bool(o, "i", &b), APR_EINVAL);
    assert_int_equal(shop_json_get_bool(o, "s", &b), APR_EINVAL);
    assert_int_equal(shop_json_get_bool(o, "n", &b), APR_NOTFOUND);

    /* not an object */
    assert_true(json_object_object_get_ex(o, "arr", &arr));
    assert_int_equal(shop_json_get_int64(arr, "x", &i), APR_EINVAL);
    assert_int_equal(shop_json_get_bool(NULL, "x", &b), APR_EINVAL);
    assert_int_equal(shop_json_get_string(p, o, NULL, 0, &s), APR_EINVAL);
}

static void test_getters_foreign_objects(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = json_object_new_object();
    const char *s;
    apr_int64_t i;

    /* objects not built by our parser: embedded NUL, uint64 beyond int64 */
    json_object_object_add(o, "nul", json_object_new_string_len("a\0b", 3));
    json_object_object_add(o, "bad", json_object_new_string("\xc0\xaf"));
    json_object_object_add(o, "u", json_object_new_uint64(UINT64_MAX));
    json_object_object_add(o, "m", json_object_new_int64(INT64_MAX));
    assert_int_equal(shop_json_get_string(p, o, "nul", 0, &s), APR_EINVAL);
    assert_int_equal(shop_json_get_string(p, o, "bad", 0, &s), APR_EINVAL);
    assert_int_equal(shop_json_get_int64(o, "u", &i), APR_EINVAL);
    assert_int_equal(shop_json_get_int64(o, "m", &i), APR_SUCCESS);
    assert_true(i == INT64_MAX);
    json_object_put(o);
}

static void test_to_string(void **state)
{
    apr_pool_t *p = *state;
    json_object *o = ok(p, "{\"url\":\"/shop/a\",\"t\":\"caf\xc3\xa9\",\"c\":\"\\u0001\\\"<\"}");

    assert_string_equal(shop_json_to_string(p, o),
                        "{\"url\":\"/shop/a\",\"t\":\"caf\xc3\xa9\",\"c\":\"\\u0001\\\"<\"}");
    assert_string_equal(shop_json_to_string(p, NULL), "null");
}

static void test_pool_ownership(void **state)
{
    apr_pool_t *p = *state, *sub;
    json_object *o, *kept;
    const char *s;

    /* destroyed with its pool (ASan's leak check would flag a miss) */
    assert_int_equal(apr_pool_create(&sub, p), APR_SUCCESS);
    o = ok(sub, "{\"a\":[1,2,3],\"b\":{\"c\":\"d\"}}");
    apr_pool_destroy(sub);

    /* a caller that takes a reference keeps the tree alive */
    assert_int_equal(apr_pool_create(&sub, p), APR_SUCCESS);
    kept = json_object_get(ok(sub, "{\"k\":\"v\"}"));
    apr_pool_clear(sub);
    assert_int_equal(shop_json_get_string(p, kept, "k", 0, &s), APR_SUCCESS);
    assert_string_equal(s, "v");
    json_object_put(kept);
    apr_pool_destroy(sub);

    /* failed parses leave nothing behind either */
    assert_int_equal(apr_pool_create(&sub, p), APR_SUCCESS);
    assert_int_equal(shop_json_parse_body(sub, "{\"a\":1,\"a\":2}", 13, &o, NULL), APR_EINVAL);
    assert_int_equal(shop_json_parse_body(sub, "{\"a\":1e999}", 11, &o, NULL), APR_EINVAL);
    apr_pool_destroy(sub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_trailing),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_repeated_keys),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_getters_foreign_objects),
        cmocka_unit_test(test_to_string),
        cmocka_unit_test(test_pool_ownership),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
