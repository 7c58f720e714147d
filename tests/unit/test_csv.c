/* Unit tests for src/core/csv.c: separator detection, quoting, line endings,
 * BOM, limits, errors with line numbers, the writer and formula defusing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/csv.h"

#include "unit_pool.h"

static shop_csv_t *ok(apr_pool_t *p, const char *s, apr_size_t len)
{
    shop_csv_t *csv = NULL;
    const char *err = NULL;
    int line = -1;
    if (shop_csv_parse(p, s, len, NULL, &csv, &err, &line) != APR_SUCCESS)
        fail_msg("refused at line %d: %s", line, err);
    assert_non_null(csv);
    return csv;
}

static apr_status_t bad(apr_pool_t *p, const char *s, apr_size_t len, const shop_csv_limits_t *lim,
                        int want_line)
{
    shop_csv_t *csv = (shop_csv_t *)1;
    const char *err = NULL;
    int line = -1;
    apr_status_t rv = shop_csv_parse(p, s, len, lim, &csv, &err, &line);
    if (rv == APR_SUCCESS) fail_msg("'%s' accepted", s);
    assert_null(csv);
    assert_non_null(err);
    assert_int_equal(line, want_line);
    return rv;
}

#define OK(p, s) ok(p, s, sizeof(s) - 1)
#define BAD(p, s, line) bad(p, s, sizeof(s) - 1, NULL, line)

static void test_semicolon_and_comma(void **state)
{
    shop_csv_t *c = OK(*state, "id;name;alias\n1;A, b;x\n");
    assert_int_equal(c->sep, ';');
    assert_int_equal(c->nrows, 2);
    assert_int_equal(c->rows[1].nfields, 3);
    assert_string_equal(c->rows[1].fields[1], "A, b");

    c = OK(*state, "id,name,alias\r\n1,A; b,x\r\n");
    assert_int_equal(c->sep, ',');
    assert_string_equal(c->rows[1].fields[1], "A; b");

    /* separators inside quotes of the header do not count */
    c = OK(*state, "\"a,b,c\";d\n1;2\n");
    assert_int_equal(c->sep, ';');
    assert_string_equal(c->rows[0].fields[0], "a,b,c");

    /* one column, and a tie, give ';' */
    c = OK(*state, "name\nx\n");
    assert_int_equal(c->sep, ';');
    assert_int_equal(c->rows[1].nfields, 1);
    c = OK(*state, "a;b,c\n");
    assert_int_equal(c->sep, ';');
    /* the header is the first non-empty line */
    c = OK(*state, "\r\n\na,b\n1,2\n");
    assert_int_equal(c->sep, ',');
    assert_int_equal(c->rows[0].line, 3);
}

static void test_quotes(void **state)
{
    shop_csv_t *c = OK(*state, "a;b;c\n\"x \"\"quoted\"\" y\";\"multi\r\nline\";\"\"\n");
    assert_int_equal(c->nrows, 2);
    assert_string_equal(c->rows[1].fields[0], "x \"quoted\" y");
    assert_string_equal(c->rows[1].fields[1], "multi\r\nline");
    assert_string_equal(c->rows[1].fields[2], "");

    /* a row after a multi-line field starts on the right physical line */
    c = OK(*state, "a\n\"1\n2\n3\"\nnext\n");
    assert_int_equal(c->nrows, 3);
    assert_int_equal(c->rows[1].line, 2);
    assert_int_equal(c->rows[2].line, 5);
    assert_string_equal(c->rows[2].fields[0], "next");
}

static void test_line_endings_and_empty(void **state)
{
    shop_csv_t *c = OK(*state, "a;b\r\n1;2\r3;4\n\n\r\n5;\n;\n6;7");
    assert_int_equal(c->nrows, 6);
    assert_int_equal(c->rows[1].line, 2);
    assert_int_equal(c->rows[2].line, 3);
    assert_int_equal(c->rows[3].line, 6);
    assert_int_equal(c->rows[3].nfields, 2);
    assert_string_equal(c->rows[3].fields[1], "");
    assert_int_equal(c->rows[4].nfields, 2);
    assert_string_equal(c->rows[5].fields[1], "7");
    assert_string_equal(shop_csv_field(&c->rows[5], 5), "");

    c = ok(*state, NULL, 0);
    assert_int_equal(c->nrows, 0);
    c = OK(*state, "\n\r\n");
    assert_int_equal(c->nrows, 0);
}

static void test_bom(void **state)
{
    shop_csv_t *c = OK(*state, "\xEF\xBB\xBFid;name\n1;Caf\xC3\xA9\n");
    assert_string_equal(c->rows[0].fields[0], "id");
    assert_string_equal(c->rows[1].fields[1], "Caf\xC3\xA9");
    c = OK(*state, "\xEF\xBB\xBF");
    assert_int_equal(c->nrows, 0);
}

static void test_errors_with_lines(void **state)
{
    apr_pool_t *p = *state;
    assert_int_equal(BAD(p, "a;b\n1;x\"y\n", 2), APR_EINVAL);
    assert_int_equal(BAD(p, "a;b\n1;2\n\"open;3\n4\n", 3), APR_EINVAL);
    assert_int_equal(BAD(p, "a;b\n\n\"x\"y;2\n", 3), APR_EINVAL);
    assert_int_equal(BAD(p, "a;b\n1;2\n3;\xC3\n", 3), APR_EINVAL);
    assert_int_equal(BAD(p, "a;b\r\n1;\xFF\r\n", 2), APR_EINVAL);
    assert_int_equal(BAD(p, "a;b\n1;2\r\n3;\0\n", 3), APR_EINVAL);
    assert_int_equal(BAD(p, "a\n\"x\ny\"\n\"z\"q\n", 4), APR_EINVAL);
    /* an overlong encoding and a surrogate */
    assert_int_equal(BAD(p, "a\n\xC0\xAF\n", 2), APR_EINVAL);
    assert_int_equal(BAD(p, "a\n\xED\xA0\x80\n", 2), APR_EINVAL);
}

static void test_limits(void **state)
{
    apr_pool_t *p = *state;
    shop_csv_limits_t lim = { 0, 4, 3, 3 };
    const char *s = "a;b;c\n1;2;3\n";
    shop_csv_t *c = NULL;
    const char *err;
    int line;
    assert_int_equal(shop_csv_parse(p, s, strlen(s), &lim, &c, &err, &line), APR_SUCCESS);
    assert_int_equal(bad(p, "a;b;c;d\n", 8, &lim, 1), APR_ENOSPC);
    assert_int_equal(bad(p, "a\nbbbbb\n", 8, &lim, 2), APR_ENOSPC);
    assert_int_equal(bad(p, "a\n\"bb\"\"bb\"\n", 11, &lim, 2), APR_ENOSPC);
    assert_int_equal(bad(p, "a\n1\n2\n3\n", 8, &lim, 4), APR_ENOSPC);
    shop_csv_limits_t small = { 4, 0, 0, 0 };
    assert_int_equal(bad(p, "abcde", 5, &small, 0), APR_ENOSPC);
    /* exactly at the limits passes: "bb""b" is 4 bytes once unescaped */
    s = "a\n\"bb\"\"b\"\n";
    assert_int_equal(shop_csv_parse(p, s, strlen(s), &lim, &c, &err, &line), APR_SUCCESS);
    assert_string_equal(c->rows[1].fields[0], "bb\"b");
}

static const char *written(apr_pool_t *p, shop_csv_writer_t *w)
{
    apr_size_t len;
    const char *d = shop_csv_writer_data(w, &len);
    return apr_pstrmemdup(p, d, len);
}

static void test_writer(void **state)
{
    apr_pool_t *p = *state;
    shop_csv_writer_t *w = shop_csv_writer_create(p, ';', SHOP_CSV_BOM | SHOP_CSV_DEFUSE);
    const char *h[] = { "id", "name", "note" };
    const char *r1[] = { "1", "a;b", "say \"hi\"" };
    const char *r2[] = { NULL, " pad", "multi\nline" };
    const char *r3[] = { "=1+2", "-3", "@SUM(A1)" };
    const char *r4[] = { "+x;y", "\tz", "ok" };
    shop_csv_write_row(w, 3, h);
    shop_csv_write_row(w, 3, r1);
    shop_csv_write_row(w, 3, r2);
    shop_csv_write_row(w, 3, r3);
    shop_csv_write_row(w, 3, r4);
    assert_string_equal(written(p, w),
        "\xEF\xBB\xBFid;name;note\r\n"
        "1;\"a;b\";\"say \"\"hi\"\"\"\r\n"
        ";\" pad\";\"multi\nline\"\r\n"
        "'=1+2;'-3;'@SUM(A1)\r\n"
        "\"'+x;y\";'\tz;ok\r\n");

    /* read back: same cells once un-defused */
    apr_size_t len;
    const char *d = shop_csv_writer_data(w, &len);
    shop_csv_t *c = ok(p, d, len);
    assert_int_equal(c->nrows, 5);
    assert_string_equal(c->rows[1].fields[1], "a;b");
    assert_string_equal(c->rows[1].fields[2], "say \"hi\"");
    assert_string_equal(c->rows[2].fields[1], " pad");
    assert_string_equal(c->rows[2].fields[2], "multi\nline");
    assert_string_equal(shop_csv_undefuse(c->rows[3].fields[0]), "=1+2");
    assert_string_equal(shop_csv_undefuse(c->rows[3].fields[1]), "-3");
    assert_string_equal(shop_csv_undefuse(c->rows[4].fields[0]), "+x;y");
    assert_string_equal(shop_csv_undefuse(c->rows[4].fields[1]), "\tz");
    assert_string_equal(shop_csv_undefuse("'plain"), "'plain");
    assert_string_equal(shop_csv_undefuse("'"), "'");

    /* no flags: no BOM, formulas as they are, comma separator */
    w = shop_csv_writer_create(p, ',', 0);
    const char *r5[] = { "=x", "a,b", "c;d" };
    shop_csv_write_row(w, 3, r5);
    assert_string_equal(written(p, w), "=x,\"a,b\",\"c;d\"\r\n");
    w = shop_csv_writer_create(p, ';', 0);
    assert_string_equal(written(p, w), "");
}

static void test_writer_large(void **state)
{
    apr_pool_t *p = *state;
    shop_csv_writer_t *w = shop_csv_writer_create(p, ';', 0);
    char cell[3000];
    memset(cell, 'x', sizeof(cell) - 1);
    cell[sizeof(cell) - 1] = '\0';
    const char *row[] = { cell, "\"" };
    for (int i = 0; i < 100; i++) shop_csv_write_row(w, 2, row);
    apr_size_t len;
    const char *d = shop_csv_writer_data(w, &len);
    assert_int_equal(len, 100 * (2999 + 1 + 4 + 2));
    shop_csv_t *c = ok(p, d, len);
    assert_int_equal(c->nrows, 100);
    assert_string_equal(c->rows[99].fields[1], "\"");
    assert_int_equal(strlen(c->rows[99].fields[0]), 2999);
}

int main(void)
{
    apr_initialize();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_semicolon_and_comma, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_endings_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_with_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_large, setup, teardown),
    };
    int rv = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rv;
}
