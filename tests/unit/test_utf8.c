/* core/utf8: clipping to a byte budget between characters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/utf8.h"
#include "unit_pool.h"

static void test_short_text_is_itself(void **state)
{
    const char *s = "déjà";
    assert_ptr_equal(shop_utf8_clip(*state, s, 6), s);
    assert_string_equal(shop_utf8_clip(*state, "", 0), "");
}

static void test_cut_between_characters(void **state)
{
    /* "é" is 2 bytes, "€" 3, "😀" 4: a cut inside one drops it whole */
    assert_string_equal(shop_utf8_clip(*state, "abcdef", 3), "abc");
    assert_string_equal(shop_utf8_clip(*state, "aé", 2), "a");
    assert_string_equal(shop_utf8_clip(*state, "a€b", 3), "a");
    assert_string_equal(shop_utf8_clip(*state, "a€b", 4), "a€");
    assert_string_equal(shop_utf8_clip(*state, "😀x", 3), "");
    assert_string_equal(shop_utf8_clip(*state, "😀x", 4), "😀");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_short_text_is_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_between_characters, setup, teardown),
    };
    apr_initialize();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
