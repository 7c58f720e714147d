/* Unit tests for src/core/numbering.c: legal numbers from series formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/numbering.h"
#include "unit_pool.h"

static void test_format(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, 123), "F2026-000123");
    assert_string_equal(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, 1), "F2026-000001");
    assert_string_equal(shop_numbering_format(p, "AV{YYYY}-{NNNNNN}", 2027, 999999), "AV2027-999999");
    assert_string_equal(shop_numbering_format(p, "{YY}{NNNN}", 2026, 42), "260042");
    assert_string_equal(shop_numbering_format(p, "{YY}.{N}", 2009, 7), "09.7");
    assert_string_equal(shop_numbering_format(p, "INV_{NNN}", 2026, 5), "INV_005");
    assert_string_equal(shop_numbering_format(p, "{NNNNNN}-{YYYY}", 2026, 12), "000012-2026");
    assert_string_equal(shop_numbering_format(p, "{YYYY}", 2026, 1) ? "x" : "null", "null");
    /* early years are padded */
    assert_string_equal(shop_numbering_format(p, "F{YYYY}-{NN}", 987, 3), "F0987-03");
}

static void test_wider_than_width(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, 1000000), "F2026-1000000");
    assert_string_equal(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, 123456789012LL), "F2026-123456789012");
    assert_string_equal(shop_numbering_format(p, "{N}", 2026, 12345), "12345");
    assert_string_equal(shop_numbering_format(p, "{NNNNNNNNNNNN}", 2026, 1), "000000000001");
    /* a number that would not fit the column is refused, never cut */
    assert_null(shop_numbering_format(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ{NNNN}", 2026, 1234567));
    assert_string_equal(shop_numbering_format(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ{NNNN}", 2026, 123456),
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456");
}

static void test_bad_arguments(void **state)
{
    apr_pool_t *p = *state;
    assert_null(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, 0));
    assert_null(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 2026, -5));
    assert_null(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 0, 1));
    assert_null(shop_numbering_format(p, "F{YYYY}-{NNNNNN}", 10000, 1));
    assert_null(shop_numbering_format(p, NULL, 2026, 1));
    assert_null(shop_numbering_format(p, "", 2026, 1));
    assert_null(shop_numbering_format(p, "F/{NNNN}", 2026, 1));
}

static void test_validate(void **state)
{
    (void)state;
    assert_int_equal(shop_numbering_validate("F{YYYY}-{NNNNNN}", 1), SHOP_NUMFMT_OK);
    assert_int_equal(shop_numbering_validate("AV{YY}{NNN}", 1), SHOP_NUMFMT_OK);
    assert_int_equal(shop_numbering_validate("F-{NNNNNN}", 0), SHOP_NUMFMT_OK);
    assert_int_equal(shop_numbering_validate("F-{NNNNNN}", 1), SHOP_NUMFMT_NO_YEAR);
    assert_int_equal(shop_numbering_validate("", 0), SHOP_NUMFMT_EMPTY);
    assert_int_equal(shop_numbering_validate(NULL, 0), SHOP_NUMFMT_EMPTY);
    assert_int_equal(shop_numbering_validate("F{YYYY}", 1), SHOP_NUMFMT_NO_COUNTER);
    assert_int_equal(shop_numbering_validate("F{NN}{NNN}", 0), SHOP_NUMFMT_MANY_COUNTERS);
    assert_int_equal(shop_numbering_validate("F {NNN}", 0), SHOP_NUMFMT_BAD_CHAR);
    assert_int_equal(shop_numbering_validate("F/{NNN}", 0), SHOP_NUMFMT_BAD_CHAR);
    assert_int_equal(shop_numbering_validate("F\xc3\xa9{NNN}", 0), SHOP_NUMFMT_BAD_CHAR);
    assert_int_equal(shop_numbering_validate("F{MM}{NNN}", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F{yyyy}{NNN}", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F{nnn}", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F{NNN", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F}{NNN}", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F{}{NNN}", 0), SHOP_NUMFMT_BAD_TOKEN);
    assert_int_equal(shop_numbering_validate("F{NNNNNNNNNNNNN}", 0), SHOP_NUMFMT_BAD_TOKEN);  /* 13 N */
    assert_int_equal(shop_numbering_validate("F{NNNNNNNNNNNN}", 0), SHOP_NUMFMT_OK);          /* 12 N */
    assert_int_equal(shop_numbering_validate("F{{NNN}}", 0), SHOP_NUMFMT_BAD_TOKEN);
    /* numbers longer than the column */
    assert_int_equal(shop_numbering_validate("ABCDEFGHIJKLMNOPQRST{YYYY}{NNNNNNNNN}", 1), SHOP_NUMFMT_TOO_LONG);
    assert_int_equal(shop_numbering_validate("ABCDEFGHIJKLMNOPQRS{YYYY}{NNNNNNNNN}", 1), SHOP_NUMFMT_OK);
    /* the format itself too long */
    assert_int_equal(shop_numbering_validate(
        "{NNN}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0), SHOP_NUMFMT_TOO_LONG);
}

static void test_keys(void **state)
{
    (void)state;
    assert_null(shop_numbering_status_key(SHOP_NUMFMT_OK));
    assert_string_equal(shop_numbering_status_key(SHOP_NUMFMT_NO_YEAR), "numbering_error_no_year");
    assert_string_equal(shop_numbering_status_key(SHOP_NUMFMT_BAD_CHAR), "numbering_error_bad_char");
    for (int st = SHOP_NUMFMT_EMPTY; st <= SHOP_NUMFMT_NO_YEAR; st++)
        assert_true(strncmp(shop_numbering_status_key(st), "numbering_error_", 16) == 0);
}

/* B-YYYYMMDD-id on the UTC day of creation: 1735689599 is 2024-12-31 23:59:59 UTC. */
static void test_order_number(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(shop_order_number(p, 42, 1735689599), "B-20241231-42");
    assert_string_equal(shop_order_number(p, 990103, 1735689600), "B-20250101-990103");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_wider_than_width),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_keys),
        cmocka_unit_test_setup_teardown(test_order_number, setup, teardown),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
