/* Unit tests for src/core/required_data.c: the widgets local_shop's
 * products ask for (§2.6), and every refusal pointing at its element and key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/required_data.h"

static apr_status_t check(const char *json, shop_rd_error_t *err)
{
    memset(err, 0, sizeof(*err));
    return shop_required_data_validate(json, strlen(json), NULL, err);
}

static void expect_error(const char *json, int index, const char *key, const char *message_key)
{
    shop_rd_error_t err;
    assert_int_equal(check(json, &err), APR_EINVAL);
    assert_int_equal(err.index, index);
    if (key) assert_string_equal(err.key, key);
    else assert_null(err.key);
    assert_string_equal(err.message_key, message_key);
}

static void test_valid_documents(void **state)
{
    int n = -1;
    (void)state;
    const char *demo = "[{\"field\": \"jobtitle\", \"label\": \"Fonction\", \"type\": \"text\", \"required\": true,"
                       " \"attrs\": {\"size\": \"40\", \"maxlength\": 19}},"
                       " {\"field\": \"funding\", \"label\": \"Financement\", \"type\": \"select\", \"required\": true,"
                       " \"options\": {\"company\": \"Entreprise\", \"opco\": \"OPCO\"}},"
                       " {\"field\": \"accessibility\", \"label\": \"Besoins\", \"type\": \"textarea\", \"required\": false,"
                       " \"desc\": \"Notre référent vous recontacte.\"},"
                       " {\"field\": \"agree\", \"label\": \"J'accepte\", \"type\": \"checkbox\"}]";
    assert_int_equal(shop_required_data_validate(demo, strlen(demo), &n, NULL), APR_SUCCESS);
    assert_int_equal(n, 4);
    assert_int_equal(shop_required_data_validate("", 0, &n, NULL), APR_SUCCESS);
    assert_int_equal(n, 0);
    assert_int_equal(shop_required_data_validate(" \n ", 3, &n, NULL), APR_SUCCESS);
    assert_int_equal(shop_required_data_validate(NULL, 0, &n, NULL), APR_SUCCESS);
    assert_int_equal(shop_required_data_validate("[]", 2, &n, NULL), APR_SUCCESS);
    assert_int_equal(n, 0);
}

static void test_syntax_errors_with_offset(void **state)
{
    shop_rd_error_t err;
    (void)state;
    assert_int_equal(check("[{\"field\": \"a\",}", &err), APR_EINVAL);
    assert_int_equal(err.index, -1);
    assert_string_equal(err.message_key, "rd_error_syntax");
    assert_int_equal(check("[] x", &err), APR_EINVAL);
    assert_string_equal(err.message_key, "rd_error_syntax");
    assert_int_equal(err.offset, 3);
    expect_error("[{\"field\": \"a\"", -1, NULL, "rd_error_syntax");
    expect_error("{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\"}", -1, NULL, "rd_error_not_array");
    expect_error("\"text\"", -1, NULL, "rd_error_not_array");
    expect_error("[1]", 0, NULL, "rd_error_not_object");
}

static void test_element_errors_name_index_and_key(void **state)
{
    (void)state;
    const char *ok = "{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\"}";
    char buf[512];
    snprintf(buf, sizeof(buf), "[%s, {\"field\": \"b\", \"label\": \"B\", \"type\": \"radio\"}]", ok);
    expect_error(buf, 1, "type", "rd_error_type");
    snprintf(buf, sizeof(buf), "[%s, %s]", ok, ok);
    expect_error(buf, 1, "field", "rd_error_duplicate");
    expect_error("[{\"label\": \"A\", \"type\": \"text\"}]", 0, "field", "rd_error_missing");
    expect_error("[{\"field\": \"Bad Name\", \"label\": \"A\", \"type\": \"text\"}]", 0, "field", "rd_error_field");
    expect_error("[{\"field\": 3, \"label\": \"A\", \"type\": \"text\"}]", 0, "field", "rd_error_field");
    expect_error("[{\"field\": \"a\", \"label\": \"\", \"type\": \"text\"}]", 0, "label", "rd_error_text");
    expect_error("[{\"field\": \"a\", \"type\": \"text\"}]", 0, "label", "rd_error_missing");
    expect_error("[{\"field\": \"a\", \"label\": \"A\"}]", 0, "type", "rd_error_missing");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"required\": \"yes\"}]", 0, "required",
                 "rd_error_boolean");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"select\"}]", 0, "options", "rd_error_missing");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"select\", \"options\": {}}]", 0, "options",
                 "rd_error_options");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"select\", \"options\": [\"x\"]}]", 0, "options",
                 "rd_error_options");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"options\": {\"x\": \"X\"}}]", 0, "options",
                 "rd_error_options_not_select");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"desc\": 5}]", 0, "desc", "rd_error_text");
}

static void test_attrs_cannot_script_or_restyle(void **state)
{
    (void)state;
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"attrs\": {\"onfocus\": \"alert(1)\"}}]",
                 0, "attrs", "rd_error_attrs");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"attrs\": {\"style\": \"x\"}}]",
                 0, "attrs", "rd_error_attrs");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"attrs\": {\"formaction\": \"//evil\"}}]",
                 0, "attrs", "rd_error_attrs");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"attrs\": {\"size\": {\"x\": 1}}}]",
                 0, "attrs", "rd_error_attrs");
    expect_error("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"attrs\": \"size=3\"}]",
                 0, "attrs", "rd_error_attrs");
}

static void test_unknown_key_is_named(void **state)
{
    shop_rd_error_t err;
    (void)state;
    assert_int_equal(check("[{\"field\": \"a\", \"label\": \"A\", \"type\": \"text\", \"onclick\": \"x\"}]", &err),
                     APR_EINVAL);
    assert_int_equal(err.index, 0);
    assert_string_equal(err.message_key, "rd_error_unknown_key");
    assert_string_equal(err.key, "onclick");
}

static void test_limits(void **state)
{
    char buf[4096] = "[";
    (void)state;
    for (int i = 0; i <= SHOP_RD_MAX_FIELDS; i++) {
        char el[96];
        snprintf(el, sizeof(el), "%s{\"field\": \"f%d\", \"label\": \"L\", \"type\": \"text\"}", i ? "," : "", i);
        strcat(buf, el);
    }
    strcat(buf, "]");
    expect_error(buf, SHOP_RD_MAX_FIELDS, NULL, "rd_error_too_many");
    expect_error("[{\"field\": \"a\", \"label\": \"A\xff\", \"type\": \"text\"}]", -1, NULL, "rd_error_syntax");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_documents),
        cmocka_unit_test(test_syntax_errors_with_offset),
        cmocka_unit_test(test_element_errors_name_index_and_key),
        cmocka_unit_test(test_attrs_cannot_script_or_restyle),
        cmocka_unit_test(test_unknown_key_is_named),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
