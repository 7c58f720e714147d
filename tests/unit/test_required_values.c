/* Unit tests for src/core/required_values.c: a buyer's values checked
 * against the product's widgets, one unit at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/required_values.h"

static apr_pool_t *pool;

static const char *widgets_json =
    "[{\"field\": \"jobtitle\", \"label\": \"Fonction\", \"type\": \"text\", \"required\": true,"
    "  \"attrs\": {\"size\": \"40\", \"maxlength\": \"10\", \"minlength\": 2}},"
    " {\"field\": \"funding\", \"label\": \"Financement\", \"type\": \"select\", \"required\": true,"
    "  \"options\": {\"company\": \"Entreprise\", \"opco\": \"OPCO\"}},"
    " {\"field\": \"notes\", \"label\": \"Notes\", \"type\": \"textarea\", \"desc\": \"Optional\"},"
    " {\"field\": \"consent\", \"label\": \"I agree\", \"type\": \"checkbox\", \"required\": true},"
    " {\"field\": \"newsletter\", \"label\": \"News\", \"type\": \"checkbox\"},"
    " {\"field\": \"code\", \"label\": \"Code\", \"type\": \"textfield\"}]";

static shop_rv_widget_t *widgets(int *n)
{
    shop_rv_widget_t *w;
    *n = shop_rv_widgets(pool, widgets_json, &w);
    return w;
}

static const char *check(const shop_rv_widget_t *w, const char *json_value, json_object **norm)
{
    json_object *v = json_value ? json_tokener_parse(json_value) : NULL;
    const char *k = shop_rv_check_value(pool, w, v, norm);
    if (v) json_object_put(v);
    return k;
}

static void test_widgets_read(void **state)
{
    (void)state;
    int n;
    shop_rv_widget_t *w = widgets(&n);
    assert_int_equal(n, 6);
    assert_string_equal(w[0].field, "jobtitle");
    assert_int_equal(w[0].maxlength, 10);
    assert_int_equal(w[0].minlength, 2);
    assert_int_equal(w[0].nattrs, 3);
    assert_int_equal(w[1].noptions, 2);
    assert_string_equal(w[1].options[1].label, "OPCO");
    assert_int_equal(w[2].maxlength, SHOP_RV_TEXTAREA_MAX);
    assert_string_equal(w[2].desc, "Optional");
    assert_null(w[3].desc);
    assert_string_equal(w[5].type, "text");          /* local_shop's "textfield" */
    assert_int_equal(w[5].maxlength, SHOP_RV_TEXT_MAX);
    shop_rv_widget_t *none;
    assert_int_equal(shop_rv_widgets(pool, NULL, &none), 0);
    assert_int_equal(shop_rv_widgets(pool, "  ", &none), 0);
    assert_int_equal(shop_rv_widgets(pool, "{\"a\": 1}", &none), -1);
    assert_int_equal(shop_rv_widgets(pool, "[{\"label\": \"x\"}]", &none), -1);
}

static void test_values_by_type(void **state)
{
    (void)state;
    int n;
    shop_rv_widget_t *w = widgets(&n);
    json_object *norm;
    /* text: trimmed, required, lengths, controls, type */
    assert_null(check(&w[0], "\"  Manager \"", &norm));
    assert_string_equal(json_object_get_string(norm), "Manager");
    json_object_put(norm);
    assert_string_equal(check(&w[0], NULL, &norm), "rv_error_required");
    assert_null(norm);
    assert_string_equal(check(&w[0], "\"   \"", &norm), "rv_error_required");
    assert_string_equal(check(&w[0], "null", &norm), "rv_error_required");
    assert_string_equal(check(&w[0], "\"ABCDEFGHIJK\"", &norm), "rv_error_too_long");   /* attrs.maxlength 10 */
    assert_null(check(&w[0], "\"éééééééééé\"", &norm));                               /* 10 characters, 20 bytes */
    json_object_put(norm);
    assert_string_equal(check(&w[0], "\"A\"", &norm), "rv_error_too_short");
    assert_string_equal(check(&w[0], "\"a\\u0007b\"", &norm), "rv_error_invalid");
    assert_string_equal(check(&w[0], "\"a\\nb\"", &norm), "rv_error_invalid");          /* no newline in text */
    assert_string_equal(check(&w[0], "42", &norm), "rv_error_type");
    /* select */
    assert_null(check(&w[1], "\"opco\"", &norm));
    assert_string_equal(json_object_get_string(norm), "opco");
    json_object_put(norm);
    assert_string_equal(check(&w[1], "\"OPCO\"", &norm), "rv_error_bad_choice");
    assert_string_equal(check(&w[1], "\"\"", &norm), "rv_error_required");
    /* textarea: optional, newlines (CRLF -> LF), 4000 characters */
    assert_null(check(&w[2], NULL, &norm));
    assert_string_equal(json_object_get_string(norm), "");
    json_object_put(norm);
    assert_null(check(&w[2], "\"line 1\\r\\nline 2\"", &norm));
    assert_string_equal(json_object_get_string(norm), "line 1\nline 2");
    json_object_put(norm);
    char big[4100 + 3];
    big[0] = '"';
    memset(big + 1, 'x', 4001);
    strcpy(big + 4002, "\"");
    assert_string_equal(check(&w[2], big, &norm), "rv_error_too_long");
    /* checkbox */
    assert_null(check(&w[3], "true", &norm));
    assert_true(json_object_get_boolean(norm));
    json_object_put(norm);
    assert_null(check(&w[3], "\"on\"", &norm));
    json_object_put(norm);
    assert_string_equal(check(&w[3], "false", &norm), "rv_error_must_check");
    assert_string_equal(check(&w[3], NULL, &norm), "rv_error_must_check");
    assert_string_equal(check(&w[3], "\"maybe\"", &norm), "rv_error_type");
    assert_null(check(&w[4], NULL, &norm));
    assert_false(json_object_get_boolean(norm));
    json_object_put(norm);
    assert_null(check(&w[4], "\"0\"", &norm));
    json_object_put(norm);
    assert_string_equal(check(&w[4], "3", &norm), "rv_error_type");
}

static void test_unit(void **state)
{
    (void)state;
    int n;
    shop_rv_widget_t *w = widgets(&n);
    shop_rv_error_t errs[8];
    json_object *out;
    json_object *in = json_tokener_parse("{\"jobtitle\": \"Chef\", \"funding\": \"company\", \"consent\": true}");
    assert_int_equal(shop_rv_check_unit(pool, w, n, in, &out, errs, 8), 0);
    assert_string_equal(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN),
                        "{\"jobtitle\":\"Chef\",\"funding\":\"company\",\"notes\":\"\",\"consent\":true,"
                        "\"newsletter\":false,\"code\":\"\"}");
    json_object_put(out);
    json_object_put(in);

    in = json_tokener_parse("{\"jobtitle\": \"Chef\", \"funding\": \"bank\", \"hack\": 1}");
    assert_int_equal(shop_rv_check_unit(pool, w, n, in, &out, errs, 8), 3);
    assert_string_equal(errs[0].field, "funding");
    assert_string_equal(errs[0].key, "rv_error_bad_choice");
    assert_string_equal(errs[1].field, "consent");
    assert_string_equal(errs[2].field, "hack");
    assert_string_equal(errs[2].key, "rv_error_unknown_field");
    /* the good values are kept */
    assert_true(json_object_object_get_ex(out, "jobtitle", NULL));
    assert_false(json_object_object_get_ex(out, "funding", NULL));
    json_object_put(out);
    json_object_put(in);

    /* nothing typed; errors beyond maxerrs are counted, not written */
    assert_int_equal(shop_rv_check_unit(pool, w, n, NULL, NULL, errs, 1), 3);
    in = json_tokener_parse("[1]");
    assert_int_equal(shop_rv_check_unit(pool, w, n, in, NULL, errs, 8), 4);
    assert_string_equal(errs[0].key, "rv_error_unit");
    json_object_put(in);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widgets_read),
        cmocka_unit_test(test_values_by_type),
        cmocka_unit_test(test_unit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
