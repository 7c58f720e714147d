/* Unit tests for src/core/formula.c: the grammar, exact evaluation, error
 * messages with positions, limits, hostile input, and concurrent evaluation
 * of one compiled formula. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include "core/formula.h"
#include "unit_pool.h"

static const char *const tax_vars[] = { "ht", "tr" };
static const char *const ship_vars[] = { "a", "b", "c", "ht", "ttc", "q" };

static shop_dec_t D(const char *s)
{
    shop_dec_t d;
    if (shop_dec_parse(s, &d) != APR_SUCCESS)
        fail_msg("bad test decimal %s", s);
    return d;
}

static shop_formula_t *compile_n(apr_pool_t *p, const char *src, apr_size_t len,
                                 const char *const *vars, int nvars, const char *target)
{
    shop_formula_t *f = NULL;
    shop_formula_error_t e;
    memset(&e, 0, sizeof e);
    if (shop_formula_compile(p, src, len, vars, nvars, target, &f, &e) != APR_SUCCESS)
        fail_msg("'%s' refused: %s", src, e.msg);
    assert_non_null(f);
    return f;
}

/* evaluate a tax-style formula with ht, tr */
static const char *tax_eval(apr_pool_t *p, const char *src, const char *ht,
                            const char *tr)
{
    shop_formula_t *f = compile_n(p, src, strlen(src), tax_vars, 2, "ttc");
    shop_dec_t v[2], r;
    shop_formula_error_t e;
    v[0] = D(ht);
    v[1] = D(tr);
    if (shop_formula_eval(f, v, 2, &r, &e) != APR_SUCCESS)
        fail_msg("'%s' eval failed: %s", src, e.msg);
    return shop_dec_pstr(p, r);
}

static void refused(apr_pool_t *p, const char *src, apr_size_t len,
                    const char *msg, apr_size_t pos)
{
    shop_formula_t *f = (shop_formula_t *)1;
    shop_formula_error_t e;
    memset(&e, 0, sizeof e);
    if (shop_formula_compile(p, src, len, tax_vars, 2, "ttc", &f, &e) == APR_SUCCESS)
        fail_msg("'%.*s' accepted", (int)(len > 60 ? 60 : len), src);
    assert_ptr_equal(f, (shop_formula_t *)1);       /* untouched */
    if (msg != NULL && strcmp(e.msg, msg) != 0)
        fail_msg("'%.*s': message '%s', want '%s'", (int)(len > 60 ? 60 : len), src,
                 e.msg, msg);
    if (e.pos != pos)
        fail_msg("'%.*s': pos %u, want %u", (int)(len > 60 ? 60 : len), src,
                 (unsigned)e.pos, (unsigned)pos);
}

#define REFUSED(p, s, msg, pos) refused((p), (s), strlen(s), (msg), (pos))

static void test_tax_formulas(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(tax_eval(p, "$ttc = $ht * (1 + $tr / 100)", "90", "20"), "108");
    assert_string_equal(tax_eval(p, "$TTC = $HT + ($HT*$TR/100)", "90", "20"), "108");
    assert_string_equal(tax_eval(p, "$ttc = $ht * (1 + $tr / 100);", "0.05", "19.6"), "0.0598");
    assert_string_equal(tax_eval(p, "  $ttc=$ht*1.2 ;  ", "10", "0"), "12");
    assert_string_equal(tax_eval(p, "$ht * (1 + $tr / 100)", "100", "5.5"), "105.5");
    assert_string_equal(tax_eval(p, "$ttc = $ht", "12.34", "20"), "12.34");
    assert_string_equal(tax_eval(p, "\n$ttc\t=\r\n$ht\n", "1", "20"), "1");
    assert_string_equal(tax_eval(p, "$ttc = $ht * 1 / 3", "1", "0"), "0.333333333333333333");
}

static void test_arithmetic(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(tax_eval(p, "1 + 2 * 3", "0", "0"), "7");
    assert_string_equal(tax_eval(p, "(1 + 2) * 3", "0", "0"), "9");
    assert_string_equal(tax_eval(p, "10 - 4 - 3", "0", "0"), "3");         /* left assoc */
    assert_string_equal(tax_eval(p, "100 / 10 / 5", "0", "0"), "2");
    assert_string_equal(tax_eval(p, "-2 * -3", "0", "0"), "6");
    assert_string_equal(tax_eval(p, "--2", "0", "0"), "2");
    assert_string_equal(tax_eval(p, "+2 - +3", "0", "0"), "-1");
    assert_string_equal(tax_eval(p, "-$ht", "4.5", "0"), "-4.5");
    assert_string_equal(tax_eval(p, "2 * -(3 + 1)", "0", "0"), "-8");
    assert_string_equal(tax_eval(p, "0.1 + 0.2", "0", "0"), "0.3");          /* exact */
    assert_string_equal(tax_eval(p, ".5 + 5.", "0", "0"), "5.5");
}

static void test_functions(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(tax_eval(p, "min(3, 1, 2)", "0", "0"), "1");
    assert_string_equal(tax_eval(p, "MAX($ht, 5)", "3", "0"), "5");
    assert_string_equal(tax_eval(p, "max(7)", "0", "0"), "7");
    assert_string_equal(tax_eval(p, "min(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,-16)", "0", "0"), "-16");
    assert_string_equal(tax_eval(p, "round(2.345, 2)", "0", "0"), "2.35");
    assert_string_equal(tax_eval(p, "round(-2.5)", "0", "0"), "-3");
    assert_string_equal(tax_eval(p, "round($ht * 1.196, 2)", "9.99", "0"), "11.95");
    assert_string_equal(tax_eval(p, "round(1.23456, 1 + 1)", "0", "0"), "1.23");
    assert_string_equal(tax_eval(p, "floor(-1.5) + ceil(1.2)", "0", "0"), "0");
    assert_string_equal(tax_eval(p, "abs(-3) * 2", "0", "0"), "6");
    assert_string_equal(tax_eval(p, "max(min(1, 2), min(3, 4))", "0", "0"), "3");
}

static void test_shipping_vars(void **state)
{
    apr_pool_t *p = *state;
    shop_formula_t *f = compile_n(p, "$shp = $a + $b * $q + max($c, $ttc - $ht)", 41,
                                  ship_vars, 6, "shp");
    shop_dec_t v[6], r;
    shop_formula_error_t e;
    v[0] = D("5"); v[1] = D("0.5"); v[2] = D("1"); v[3] = D("10"); v[4] = D("12"); v[5] = D("4");
    assert_int_equal(shop_formula_eval(f, v, 6, &r, &e), APR_SUCCESS);
    assert_string_equal(shop_dec_pstr(p, r), "9");
    assert_true(shop_formula_assigns(f));
    assert_true(shop_formula_uses(f, 0));
    assert_true(shop_formula_uses(f, 5));
    assert_false(shop_formula_uses(f, 6));
    assert_false(shop_formula_uses(f, -1));
    /* fewer values than variables is refused */
    assert_int_equal(shop_formula_eval(f, v, 5, &r, &e), APR_EINVAL);
}

static void test_compile_once_eval_many(void **state)
{
    apr_pool_t *p = *state;
    shop_formula_t *f = compile_n(p, "$ttc = $ht * (1 + $tr / 100)", 28, tax_vars, 2, "ttc");
    int i;
    assert_false(shop_formula_uses(f, 2));
    assert_true(shop_formula_uses(f, 1));
    for (i = 0; i < 1000; i++) {
        shop_dec_t v[2], r, want;
        shop_formula_error_t e;
        v[0] = shop_dec_from_minor(i * 100, 2);
        v[1] = shop_dec_from_int(20);
        assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_SUCCESS);
        want = shop_dec_from_minor(i * 120, 2);
        assert_int_equal(shop_dec_cmp(r, want), 0);
    }
}

static void test_syntax_errors(void **state)
{
    apr_pool_t *p = *state;
    REFUSED(p, "", "empty formula at 0", 0);
    REFUSED(p, "   ", "empty formula at 3", 3);
    REFUSED(p, ";", "unexpected ';' at 0", 0);
    REFUSED(p, "$ttc =", "expected an expression at 6", 6);
    REFUSED(p, "$ttc = ;", "expected an expression at 7", 7);
    REFUSED(p, "1 +", "unexpected end of formula at 3", 3);
    REFUSED(p, "(1 + 2", "missing ')' at 6", 6);
    REFUSED(p, "1 + 2)", "unexpected ')' at 5", 5);
    REFUSED(p, "1 2", "unexpected '2' at 2", 2);
    REFUSED(p, "$ht $tr", "unexpected '$tr' at 4", 4);
    REFUSED(p, "$ht ** 2", "unexpected '*' at 5", 5);
    REFUSED(p, "$ht ^ 2", "unexpected character '^' at 4", 4);
    REFUSED(p, "$ht % 2", "unexpected character '%' at 4", 4);
    REFUSED(p, "$ht; $x = 1", "unexpected '$x' at 5", 5);
    REFUSED(p, "$ht;;", "unexpected ';' at 4", 4);
    REFUSED(p, "$$ht", "expected a variable name after '$' at 1", 1);
    REFUSED(p, "$", "expected a variable name after '$' at 1", 1);
    REFUSED(p, "$1", "expected a variable name after '$' at 1", 1);
    REFUSED(p, "$foo", "unknown variable $foo at 0", 0);
    REFUSED(p, "$ttc = $ttc + 1", "unknown variable $ttc at 7", 7);
    REFUSED(p, "$ht = 1", "only $ttc can be assigned, not $ht at 0", 0);
    REFUSED(p, "$ttc = $ht = 1", "unexpected '=' at 11", 11);
    REFUSED(p, "$ttc == $ht", "unexpected '=' at 6", 6);
    REFUSED(p, "1 = 2", "unexpected '=' at 2", 2);
    REFUSED(p, "min()", "unexpected ')' at 4", 4);
    REFUSED(p, "min", "expected '(' after 'min' at 3", 3);
    REFUSED(p, "round(1, 2, 3)", "round() takes at most 2 arguments at 12", 12);
    REFUSED(p, "abs(1, 2)", "abs() takes at most 1 argument at 7", 7);
    REFUSED(p, "min(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17)",
            "min() takes at most 16 arguments at 43", 43);
    REFUSED(p, "min(1,)", "unexpected ')' at 6", 6);
    REFUSED(p, "min(1 2)", "unexpected '2' at 6", 6);
    REFUSED(p, "sqrt(4)", "unknown function 'sqrt' at 0", 0);
    REFUSED(p, "ht * 2", "unknown function 'ht' at 0", 0);
    REFUSED(p, "1.2.3", "malformed number at 0", 0);
    REFUSED(p, "1e3", "malformed number at 0", 0);
    REFUSED(p, "1e400", "malformed number at 0", 0);
    REFUSED(p, "0x1F", "malformed number at 0", 0);
    REFUSED(p, "12abc", "malformed number at 0", 0);
    REFUSED(p, ".", "malformed number at 0", 0);
    REFUSED(p, "2 * 100000000000000000000", "number out of range at 4", 4);
    REFUSED(p, "0.0000000000000000001", "number out of range at 0", 0);
    REFUSED(p, "1/0", "division by zero at 1", 1);
    REFUSED(p, "$ht / (0.000)", "division by zero at 4", 4);
}

static void test_hostile(void **state)
{
    apr_pool_t *p = *state;
    char *deep, *long_num, *many, *huge;
    int i;

    REFUSED(p, "system('rm -rf /')", "unknown function 'system' at 0", 0);
    REFUSED(p, "$ttc = system('rm')", "unknown function 'system' at 7", 7);
    REFUSED(p, "exec(\"ls\")", "unknown function 'exec' at 0", 0);
    REFUSED(p, "`rm -rf /`", "unexpected character '`' at 0", 0);
    REFUSED(p, "$ttc = $ht * `id`", "unexpected character '`' at 13", 13);
    REFUSED(p, "<?php echo 1; ?>", "unexpected character '<' at 0", 0);
    REFUSED(p, "$ttc = $ht; ?>", "unexpected character '?' at 12", 12);
    REFUSED(p, "${'ht'}", "expected a variable name after '$' at 1", 1);
    REFUSED(p, "$ht->x", "unexpected character '>' at 4", 4);
    REFUSED(p, "$ht['x']", "unexpected character '[' at 3", 3);
    REFUSED(p, "$ht . 'x'", "malformed number at 4", 4);
    REFUSED(p, "$ht # comment", "unexpected character '#' at 4", 4);
    REFUSED(p, "$ht // c", "unexpected '/' at 5", 5);
    REFUSED(p, "$ht /* c */", "unexpected '*' at 5", 5);
    REFUSED(p, "$ht\\x", "unexpected character '\\' at 3", 3);
    REFUSED(p, "$GLOBALS", "unknown variable $GLOBALS at 0", 0);
    REFUSED(p, "$_SERVER", "unknown variable $_SERVER at 0", 0);
    REFUSED(p, "$ht & 1", "unexpected character '&' at 4", 4);
    REFUSED(p, "$ht | 1", "unexpected character '|' at 4", 4);
    REFUSED(p, "$ht ? 1 : 2", "unexpected character '?' at 4", 4);
    REFUSED(p, "\xc3\xa9", "unexpected character '\\xc3' at 0", 0);
    REFUSED(p, "$ht \xe2\x88\x92 1", "unexpected character '\\xe2' at 4", 4);   /* U+2212 */
    REFUSED(p, "1\xc2\xa0+ 1", "unexpected character '\\xc2' at 1", 1);       /* NBSP */
    REFUSED(p, "$h\xc3\xa9", "unexpected character '\\xc3' at 2", 2);
    refused(p, "$ht\0 + 1", 8, "unexpected character '\\x00' at 3", 3);
    refused(p, "\0", 1, "unexpected character '\\x00' at 0", 0);
    REFUSED(p, "\x01", "unexpected character '\\x01' at 0", 0);
    REFUSED(p, "$ht\x7f", "unexpected character '\\x7f' at 3", 3);

    /* 10k-deep parentheses: the length limit stops it */
    deep = apr_palloc(p, 10002);
    memset(deep, '(', 10001);
    deep[10001] = '\0';
    REFUSED(p, deep, "formula longer than 1024 bytes at 1024", 1024);
    /* within the length, the depth limit */
    deep[1000] = '\0';
    REFUSED(p, deep, "nesting deeper than 32 at 33", 33);
    memset(deep, '-', 1000);
    REFUSED(p, deep, "nesting deeper than 32 at 33", 33);
    memset(deep, 0, 1000);
    for (i = 0; i < 40; i++)
        memcpy(deep + i * 4, "min(", 4);
    REFUSED(p, deep, "nesting deeper than 32 at 132", 132);
    /* exactly 32 levels are fine */
    memset(deep, 0, 1000);
    memset(deep, '(', 32);
    deep[32] = '1';
    memset(deep + 33, ')', 32);
    assert_string_equal(tax_eval(p, deep, "0", "0"), "1");

    /* extremely long numbers */
    long_num = apr_palloc(p, 1001);
    memset(long_num, '9', 1000);
    long_num[1000] = '\0';
    REFUSED(p, long_num, "number out of range at 0", 0);
    memset(long_num, '0', 1000);
    REFUSED(p, long_num, "number out of range at 0", 0);    /* > 64 bytes of zeros */
    long_num[0] = '1';
    long_num[1] = '.';
    long_num[500] = '\0';
    REFUSED(p, long_num, "number out of range at 0", 0);
    /* 2^64 is a valid literal; its square overflows at evaluation, no wrap */
    {
        shop_formula_t *f = compile_n(p, "18446744073709551616 * 18446744073709551616",
                                      43, NULL, 0, NULL);
        shop_dec_t r;
        shop_formula_error_t e;
        assert_int_equal(shop_formula_eval(f, NULL, 0, &r, &e), APR_ERANGE);
        assert_string_equal(e.msg, "overflow at 21");
    }

    /* token limit: 1+1+...+1 (257+ tokens) within 1024 bytes */
    many = apr_palloc(p, 1024);
    for (i = 0; i < 300; i++)
        memcpy(many + i * 2, "1+", 2);
    many[599] = '\0';
    REFUSED(p, many, "more than 256 tokens at 256", 256);
    many[255] = '\0';                       /* 1+1+...+1: 255 tokens */
    assert_string_equal(tax_eval(p, many, "0", "0"), "128");

    /* a long name */
    huge = apr_pstrcat(p, "$", "abcdefghijklmnopqrstuvwxyzabcdefgh", NULL);
    REFUSED(p, huge, "name too long at 0", 0);
    huge = apr_pstrcat(p, "abcdefghijklmnopqrstuvwxyzabcdefgh", "(1)", NULL);
    REFUSED(p, huge, "name too long at 0", 0);
}

static void test_eval_errors(void **state)
{
    apr_pool_t *p = *state;
    shop_formula_t *f;
    shop_dec_t v[2], r = SHOP_DEC_ZERO;
    shop_formula_error_t e;

    f = compile_n(p, "$ttc = 100 / ($tr - 20)", 23, tax_vars, 2, "ttc");
    v[0] = D("1");
    v[1] = D("20");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    assert_string_equal(e.msg, "division by zero at 11");
    assert_int_equal(e.pos, 11);
    assert_true(shop_dec_is_zero(r));
    v[1] = D("-0");
    f = compile_n(p, "1 / -0", 6, tax_vars, 2, "ttc");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    assert_string_equal(e.msg, "division by zero at 2");

    f = compile_n(p, "$ht * $ht * $ht", 15, tax_vars, 2, "ttc");
    v[0] = D("10000000");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_ERANGE);
    assert_string_equal(e.msg, "overflow at 10");

    f = compile_n(p, "round($ht, $tr)", 15, tax_vars, 2, "ttc");
    v[0] = D("1.5");
    v[1] = D("19");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    assert_string_equal(e.msg, "round() digits must be an integer from 0 to 18 at 0");
    v[1] = D("1.5");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    v[1] = D("-1");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    v[1] = D("99999999999999999999");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_EINVAL);
    v[1] = D("0");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_SUCCESS);
    assert_string_equal(shop_dec_pstr(p, r), "2");

    f = compile_n(p, "ceil($ht)", 9, tax_vars, 2, "ttc");
    v[0] = D("99999999999999999999.5");
    assert_int_equal(shop_formula_eval(f, v, 2, &r, &e), APR_ERANGE);
    assert_string_equal(e.msg, "overflow at 0");

    /* errors without an error struct do not crash */
    assert_int_equal(shop_formula_eval(f, v, 2, &r, NULL), APR_ERANGE);
    assert_int_equal(shop_formula_eval(NULL, v, 2, &r, NULL), APR_EINVAL);
}

static void test_targets_and_args(void **state)
{
    apr_pool_t *p = *state;
    shop_formula_t *f = NULL;
    shop_formula_error_t e;
    const char *const bad_vars[] = { "HT" };
    const char *const null_var[] = { NULL };

    /* no target: assignments refused, bare expressions fine */
    assert_int_equal(shop_formula_compile(p, "$ttc = 1", 8, tax_vars, 2, NULL, &f, &e),
                     APR_EINVAL);
    assert_string_equal(e.msg, "assignment not allowed at 0");
    assert_int_equal(shop_formula_compile(p, "$ht + 1", 7, tax_vars, 2, NULL, &f, &e),
                     APR_SUCCESS);
    assert_false(shop_formula_assigns(f));
    /* no variables at all */
    assert_int_equal(shop_formula_compile(p, "1 + 1", 5, NULL, 0, NULL, &f, &e), APR_SUCCESS);
    assert_int_equal(shop_formula_compile(p, "$x", 2, NULL, 0, NULL, &f, &e), APR_EINVAL);
    /* bad arguments */
    assert_int_equal(shop_formula_compile(p, NULL, 0, tax_vars, 2, "ttc", &f, &e), APR_EINVAL);
    assert_int_equal(shop_formula_compile(p, "1", 1, tax_vars, -1, "ttc", &f, &e), APR_EINVAL);
    assert_int_equal(shop_formula_compile(p, "1", 1, tax_vars, SHOP_FORMULA_MAX_VARS + 1,
                                          "ttc", &f, &e), APR_EINVAL);
    assert_int_equal(shop_formula_compile(p, "1", 1, bad_vars, 1, "ttc", &f, &e), APR_EINVAL);
    assert_int_equal(shop_formula_compile(p, "1", 1, null_var, 1, "ttc", &f, &e), APR_EINVAL);
    assert_int_equal(shop_formula_compile(p, "1", 1, tax_vars, 2, "T T", &f, &e), APR_EINVAL);
    assert_string_equal(e.msg, "bad arguments at 0");
    assert_int_equal(shop_formula_compile(p, "1", 1, tax_vars, 2, "ttc", NULL, &e), APR_EINVAL);
    /* errors without an error struct */
    assert_int_equal(shop_formula_compile(p, "`", 1, tax_vars, 2, "ttc", &f, NULL), APR_EINVAL);
    /* the source need not be NUL-terminated: only len bytes are read */
    assert_int_equal(shop_formula_compile(p, "1+2garbage", 3, NULL, 0, NULL, &f, &e), APR_SUCCESS);
}

/* ---- many threads evaluate one compiled formula */

typedef struct {
    const shop_formula_t *f;
    int id;
    int failures;
} worker_t;

static void *APR_THREAD_FUNC worker(apr_thread_t *t, void *data)
{
    worker_t *w = data;
    int i;
    for (i = 0; i < 20000; i++) {
        shop_dec_t v[2], r, want;
        apr_int64_t cents = (apr_int64_t)w->id * 100000 + i;
        v[0] = shop_dec_from_minor(cents, 2);
        v[1] = shop_dec_from_int(25);
        if (shop_formula_eval(w->f, v, 2, &r, NULL) != APR_SUCCESS) {
            w->failures++;
            continue;
        }
        want = shop_dec_from_minor(cents * 125, 4);
        if (shop_dec_cmp(r, want) != 0)
            w->failures++;
    }
    /* a plain return: apr_thread_exit() unwinds in a way ASan misreads */
    (void)t;
    return NULL;
}

static void test_threads(void **state)
{
    apr_pool_t *p = *state;
    shop_formula_t *f = compile_n(p, "$ttc = $ht * (1 + $tr / 100)", 28, tax_vars, 2, "ttc");
    apr_thread_t *th[8];
    worker_t w[8];
    int i;
    for (i = 0; i < 8; i++) {
        w[i].f = f;
        w[i].id = i;
        w[i].failures = 0;
        assert_int_equal(apr_thread_create(&th[i], NULL, worker, &w[i], p), APR_SUCCESS);
    }
    for (i = 0; i < 8; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, th[i]);
        assert_int_equal(w[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tax_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipping_vars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compile_once_eval_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_and_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
