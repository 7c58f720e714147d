/* libFuzzer target: the formula compiler and evaluator (src/core/formula.c),
 * and the two number readers beneath it: decimal text (decimal.c) and typed
 * money amounts (money.c).
 * Oracles: no crash, hang or sanitizer report; a refused formula has a
 * message ending in " at <pos>" with pos <= len; a compiled formula
 * evaluates the same twice, and its result prints and parses back to
 * itself; an accepted decimal or amount prints and parses back to itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/decimal.h"
#include "core/formula.h"
#include "core/money.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vars[] = { "a", "b", "c", "ht", "ttc", "q" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void check_error(const shop_formula_error_t *e, size_t size)
{
    char tail[40];
    size_t ml = strlen(e->msg), tl;

    if (e->pos > size && e->pos != SHOP_FORMULA_MAX_LEN)
        abort();
    snprintf(tail, sizeof tail, " at %lu", (unsigned long)e->pos);
    tl = strlen(tail);
    if (ml < tl || strcmp(e->msg + ml - tl, tail) != 0)
        abort();
}

static void check_roundtrip(shop_dec_t v)
{
    char buf[SHOP_DEC_TEXT_SIZE];
    shop_dec_t back;
    if (shop_dec_format(v, 0, buf, sizeof buf) != APR_SUCCESS)
        abort();
    if (shop_dec_parse(buf, &back) != APR_SUCCESS || shop_dec_cmp(v, back) != 0)
        abort();
}

static void fuzz_formula(apr_pool_t *p, const char *s, size_t size)
{
    shop_formula_t *f = NULL;
    shop_formula_error_t e;
    static const char *const sets[][6] = {
        { "0", "0", "0", "0", "0", "0" },
        { "1", "2", "3", "90", "108", "2" },
        { "-0.5", "0.000000000000000001", "99999999999999999999", "12.34", "14.81", "1000" },
    };
    size_t k;
    int i;

    memset(&e, 0, sizeof e);
    if (shop_formula_compile(p, s, size, vars, 6, "shp", &f, &e) != APR_SUCCESS) {
        check_error(&e, size);
        return;
    }
    for (k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        shop_dec_t v[6], r1, r2;
        apr_status_t a, b;
        for (i = 0; i < 6; i++)
            if (shop_dec_parse(sets[k][i], &v[i]) != APR_SUCCESS)
                abort();
        a = shop_formula_eval(f, v, 6, &r1, &e);
        if (a != APR_SUCCESS)
            check_error(&e, size);
        b = shop_formula_eval(f, v, 6, &r2, NULL);
        if (a != b || (a == APR_SUCCESS && shop_dec_cmp(r1, r2) != 0))
            abort();
        if (a == APR_SUCCESS)
            check_roundtrip(r1);
    }
}

static void fuzz_numbers(const char *s, size_t size)
{
    static const char *const codes[] = { "EUR", "JPY", "TND" };
    shop_dec_t d;
    size_t k;

    if (shop_dec_parse_n(s, size, &d) == APR_SUCCESS)
        check_roundtrip(d);
    if (memchr(s, '\0', size) != NULL)
        return;
    for (k = 0; k < sizeof codes / sizeof codes[0]; k++) {
        const shop_currency_t *c = shop_currency_get(codes[k]);
        char buf[SHOP_MONEY_TEXT_SIZE];
        apr_int64_t v, back;
        const char *key = NULL;
        if (shop_money_parse(s, c, &v, &key) != APR_SUCCESS) {
            if (key == NULL || strncmp(key, "money_error_", 12) != 0)
                abort();
            continue;
        }
        if (shop_money_format_plain(buf, sizeof buf, v, c->exponent) != APR_SUCCESS
            || shop_money_parse(buf, c, &back, &key) != APR_SUCCESS || back != v)
            abort();
        if (shop_money_format(buf, sizeof buf, v, c, "fr") != APR_SUCCESS
            || shop_money_format(buf, sizeof buf, v, c, "en") != APR_SUCCESS)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *s;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    /* a NUL-terminated copy; the compiler is given the exact length */
    s = apr_palloc(p, size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_formula(p, s, size);
    fuzz_numbers(s, size);
    apr_pool_destroy(p);
    return 0;
}
