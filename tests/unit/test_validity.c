/* Unit tests for src/core/validity.c: start and end of product instances
 * from action parameters, and the refusal of malformed ones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/validity.h"

#define NOW APR_INT64_C(1767225600)     /* 2026-01-01 */
#define DAY 86400

static void expect(const char *st, const char *et, const char *dur, int renewable, apr_int64_t start,
                   apr_int64_t end)
{
    apr_int64_t s = -1, e = -1;
    const char *err = "unset";
    assert_int_equal(shop_validity_compute(st, et, dur, renewable, NOW, &s, &e, &err), 0);
    assert_null(err);
    assert_int_equal(s, start);
    assert_int_equal(e, end);
}

static void refused(const char *st, const char *et, const char *dur, const char *why)
{
    apr_int64_t s, e;
    const char *err = NULL;
    assert_int_equal(shop_validity_compute(st, et, dur, 0, NOW, &s, &e, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, why));
}

static void test_defaults(void **state)
{
    (void)state;
    expect(NULL, NULL, NULL, 0, NOW, 0);
    expect("", "", "", 0, NOW, 0);
    expect(NULL, NULL, NULL, 1, NOW, NOW + 365 * DAY);
}

static void test_duration_and_endtime(void **state)
{
    (void)state;
    expect(NULL, NULL, "30", 0, NOW, NOW + 30 * DAY);
    expect(NULL, NULL, "90", 1, NOW, NOW + 90 * DAY);            /* duration wins over the year */
    expect("1800000000", NULL, "10", 0, 1800000000, 1800000000 + 10 * DAY);
    expect(NULL, "1800000000", "10", 0, NOW, 1800000000);        /* endtime wins over duration */
    expect(NULL, "+7D", NULL, 0, NOW, NOW + 7 * DAY);
    expect(NULL, "+7d", NULL, 0, NOW, NOW + 7 * DAY);
    expect(NULL, "+48H", NULL, 1, NOW, NOW + 48 * 3600);
    expect(NULL, "0", NULL, 1, NOW, 0);                           /* explicit unlimited */
}

static void test_malformed(void **state)
{
    (void)state;
    refused("soon", NULL, NULL, "starttime");
    refused("-5", NULL, NULL, "starttime");
    refused(NULL, "+D", NULL, "endtime");
    refused(NULL, "+7W", NULL, "endtime");
    refused(NULL, "+99999999D", NULL, "endtime");
    refused(NULL, "+1234567890123456789D", NULL, "endtime");
    refused(NULL, "tomorrow", NULL, "endtime");
    refused(NULL, "1000", NULL, "before the start");
    refused(NULL, NULL, "1.5", "duration");
    refused(NULL, NULL, "-3", "duration");
    refused(NULL, NULL, "99999999999999999999", "duration");
    refused("99999999999", NULL, NULL, "starttime");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_duration_and_endtime),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
