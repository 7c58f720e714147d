/* Unit tests for src/core/shipping.c: zip patterns, zone applicability
 * (countries, zips, '&', '|', groups, errors with positions), zone choice
 * with the "00" fallback, and the amount (fixed, formula, bill scope, tax,
 * one rounding, errors). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/shipping.h"
#include "unit_pool.h"

/* ---- zip patterns */

static shop_ship_zip_t *zip(apr_pool_t *p, const char *pat)
{
    shop_ship_zip_t *z = NULL;
    shop_formula_error_t e;
    if (shop_ship_zip_compile(p, pat, strlen(pat), &z, &e) != APR_SUCCESS)
        fail_msg("pattern '%s' refused: %s", pat, e.msg);
    return z;
}

static void zip_yes(apr_pool_t *p, const char *pat, const char *z)
{
    if (!shop_ship_zip_match(zip(p, pat), z))
        fail_msg("'%s' should match '%s'", pat, z);
}

static void zip_no(apr_pool_t *p, const char *pat, const char *z)
{
    if (shop_ship_zip_match(zip(p, pat), z))
        fail_msg("'%s' should not match '%s'", pat, z);
}

static void zip_bad(apr_pool_t *p, const char *pat, apr_size_t len, const char *msg)
{
    shop_ship_zip_t *z = NULL;
    shop_formula_error_t e;
    if (shop_ship_zip_compile(p, pat, len, &z, &e) == APR_SUCCESS)
        fail_msg("pattern '%s' accepted", pat);
    if (strcmp(e.msg, msg) != 0)
        fail_msg("pattern '%s': '%s', want '%s'", pat, e.msg, msg);
}

static void test_zip_match(void **state)
{
    apr_pool_t *p = *state;
    char many[80];
    int i;

    /* the examples of §5.2 */
    zip_yes(p, "000$", "75000");
    zip_no(p, "000$", "75001");
    zip_yes(p, "^9.....$", "912345");
    zip_no(p, "^9.....$", "91234");
    zip_no(p, "^9.....$", "9123456");
    zip_no(p, "^9.....$", "812345");
    zip_yes(p, "06...", "06000");
    zip_yes(p, "06...", "x06abc");          /* searched anywhere, like preg_match */
    zip_no(p, "06...", "0600");
    zip_no(p, "06...", "07000");
    /* anchors, classes, repeats */
    zip_yes(p, "^[0-9]{5}$", "75001");
    zip_no(p, "^[0-9]{5}$", "7500");
    zip_no(p, "^[0-9]{5}$", "750011");
    zip_yes(p, "^\\d{4,5}$", "1000");
    zip_yes(p, "^\\d{4,5}$", "10000");
    zip_no(p, "^\\d{4,5}$", "100");
    zip_yes(p, "^\\d{2,}$", "123456789");
    zip_yes(p, "^2[AB]", "2A004");
    zip_yes(p, "^2[ab]", "2B200");          /* ASCII case-insensitive */
    zip_no(p, "^2[AB]", "20000");
    zip_yes(p, "^[^0-4]", "75001");
    zip_no(p, "^[^0-4]", "35000");
    zip_no(p, "^[^a]", "A1");               /* negation folds case too */
    zip_yes(p, "^SW1A ?1AA$", "sw1a 1aa");
    zip_yes(p, "^SW1A ?1AA$", "SW1A1AA");
    zip_no(p, "^SW1A ?1AA$", "SW1A  1AA");
    zip_yes(p, "^H3Z-?2Y7$", "h3z-2y7");
    zip_yes(p, "^[A-Z]\\d[A-Z]", "K1A 0B1");
    zip_yes(p, "^1+2*3?$", "1112");
    zip_yes(p, "^1+2*3?$", "13");
    zip_no(p, "^1+2*3?$", "233");
    zip_yes(p, "^a{0}b", "b");
    zip_yes(p, "^75\\.", "75.1");
    zip_no(p, "^75\\.", "7501");
    zip_yes(p, "^[-0-9]+$", "12-34");
    zip_yes(p, "^", "");                    /* empty patterns of atoms match all */
    zip_yes(p, "$", "anything");
    zip_yes(p, "^$", "");
    zip_no(p, "^$", "1");
    /* the buyer's zip is trimmed; NULL is the empty zip */
    zip_yes(p, "^75001$", "  75001 ");
    assert_false(shop_ship_zip_match(zip(p, "1"), NULL));
    assert_true(shop_ship_zip_match(zip(p, "^$"), NULL));
    assert_false(shop_ship_zip_match(NULL, "1"));
    /* a zip longer than the limit matches nothing */
    zip_no(p, ".", "123456789012345678901234567890123");
    zip_yes(p, ".", "12345678901234567890123456789012");
    /* many stars stay fast (dynamic programming, no backtracking) */
    for (i = 0; i < 30; i++)
        memcpy(many + i * 2, ".*", 2);
    strcpy(many + 60, "x");
    zip_no(p, many, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    zip_yes(p, many, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaax");
}

static void test_zip_errors(void **state)
{
    apr_pool_t *p = *state;
    char big[80];
    memset(big, '1', 65);
    big[65] = '\0';
    zip_bad(p, "", 0, "empty zip pattern at 0");
    zip_bad(p, big, 65, "zip pattern longer than 64 bytes at 0");
    zip_bad(p, "*", 1, "nothing to repeat at 0");
    zip_bad(p, "+1", 2, "nothing to repeat at 0");
    zip_bad(p, "^*", 2, "nothing to repeat at 1");
    zip_bad(p, "1**", 3, "repeated quantifier at 2");
    zip_bad(p, "1{2}+", 5, "repeated quantifier at 4");
    zip_bad(p, "1{33}", 5, "bad repeat count (0 to 32) at 1");
    zip_bad(p, "1{999999999999}", 15, "bad repeat count (0 to 32) at 1");
    zip_bad(p, "1{}", 3, "bad repeat count (0 to 32) at 1");
    zip_bad(p, "1{,3}", 5, "bad repeat count (0 to 32) at 1");
    zip_bad(p, "1{3,2}", 6, "bad repeat range at 1");
    zip_bad(p, "1{3", 3, "missing '}' at 1");
    zip_bad(p, "1{3,4", 5, "missing '}' at 1");
    zip_bad(p, "[0-9", 4, "missing ']' at 0");
    zip_bad(p, "[]", 2, "empty class at 0");
    zip_bad(p, "[^]", 3, "empty class at 0");
    zip_bad(p, "[9-0]", 5, "bad range in class at 1");
    zip_bad(p, "[0-z]", 5, "bad range in class at 1");
    zip_bad(p, "[A-z]", 5, "bad range in class at 1");
    zip_bad(p, "[.]", 3, "unsupported character '.' at 1");
    zip_bad(p, "(75)", 4, "unsupported character '(' at 0");
    zip_bad(p, "75|92", 5, "unsupported character '|' at 2");
    zip_bad(p, "7$5", 3, "'$' only at the end at 1");
    zip_bad(p, "7^", 2, "'^' only at the start at 1");
    zip_bad(p, "\\1", 2, "unsupported escape at 0");        /* no back-references */
    zip_bad(p, "\\w", 2, "unsupported escape at 0");
    zip_bad(p, "7\\", 2, "unsupported escape at 1");
    zip_bad(p, "7\xc3\xa9", 3, "unsupported character '\\xc3' at 1");
    zip_bad(p, "7\0" "5", 3, "unsupported character '\\x00' at 1");
    zip_bad(p, "7`", 2, "unsupported character '`' at 1");
}

/* ---- applicability */

static shop_ship_applic_t *applic(apr_pool_t *p, const char *text)
{
    shop_ship_applic_t *a = (shop_ship_applic_t *)1;
    shop_formula_error_t e;
    if (shop_ship_applic_compile(p, text, strlen(text), &a, &e) != APR_SUCCESS)
        fail_msg("applicability '%s' refused: %s", text, e.msg);
    return a;
}

static void yes(apr_pool_t *p, const char *text, const char *country, const char *z)
{
    if (!shop_ship_applic_match(applic(p, text), country, z))
        fail_msg("'%s' should match %s/%s", text, country ? country : "NULL",
                 z ? z : "NULL");
}

static void no(apr_pool_t *p, const char *text, const char *country, const char *z)
{
    if (shop_ship_applic_match(applic(p, text), country, z))
        fail_msg("'%s' should not match %s/%s", text, country ? country : "NULL",
                 z ? z : "NULL");
}

static void applic_bad(apr_pool_t *p, const char *text, apr_size_t len, const char *msg,
                       apr_size_t pos)
{
    shop_ship_applic_t *a = (shop_ship_applic_t *)1;
    shop_formula_error_t e;
    if (shop_ship_applic_compile(p, text, len, &a, &e) == APR_SUCCESS)
        fail_msg("applicability '%.60s' accepted", text);
    assert_ptr_equal(a, (shop_ship_applic_t *)1);
    if (msg != NULL && strcmp(e.msg, msg) != 0)
        fail_msg("'%.60s': '%s', want '%s'", text, e.msg, msg);
    if (e.pos != pos)
        fail_msg("'%.60s': pos %u, want %u", text, (unsigned)e.pos, (unsigned)pos);
}

#define BAD(p, t, m, pos) applic_bad((p), (t), strlen(t), (m), (pos))

static void test_applic_countries(void **state)
{
    apr_pool_t *p = *state;
    yes(p, "([*][*])", "FR", "75001");
    yes(p, "([*][*])", NULL, NULL);
    yes(p, "([*][*])", "", "");
    yes(p, "([fr,uk][*])", "FR", "75001");
    yes(p, "([fr,uk][*])", "fr", NULL);
    yes(p, "([fr,uk][*])", "GB", "SW1A 1AA");       /* uk names GB */
    yes(p, "([fr,uk][*])", "UK", "x");
    yes(p, "([FR, GB][*])", "uk", "x");
    no(p, "([fr,uk][*])", "DE", "75001");
    no(p, "([fr,uk][*])", "", "75001");
    no(p, "([fr,uk][*])", NULL, "75001");
    no(p, "([fr,uk][*])", "FRA", "75001");          /* whole codes only */
    no(p, "([fr,uk][*])", "F", "75001");
    no(p, "([fr,uk][*])", "FR1", "75001");
    yes(p, "([fra,deu][*])", "FRA", "1");
    no(p, "([fra][*])", "FR", "1");
    yes(p, "([fr][*])", " FR ", "1");
}

static void test_applic_zips(void **state)
{
    apr_pool_t *p = *state;
    yes(p, "([*][000$])", "DE", "10000");
    no(p, "([*][000$])", "DE", "10001");
    yes(p, "([fr][^9.....$])", "FR", "912345");
    no(p, "([fr][^9.....$])", "FR", "91234");
    no(p, "([fr][^9.....$])", "BE", "912345");
    yes(p, "([fr][06...,83...,04...,05...])", "FR", "83200");
    yes(p, "([fr][06...,83...,04...,05...])", "FR", "06000");
    no(p, "([fr][06...,83...,04...,05...])", "FR", "75001");
    no(p, "([fr][06...,83...,04...,05...])", "BE", "06000");
    no(p, "([fr][06...])", "FR", NULL);
    /* commas inside {n,m} and brackets inside classes do not split the list */
    yes(p, "([*][^7{2,3}$, ^8])", "FR", "777");
    yes(p, "([*][^7{2,3}$, ^8])", "FR", "81");
    no(p, "([*][^7{2,3}$, ^8])", "FR", "7777");
    yes(p, "([*][^75[0-9]{3}$])", "FR", "75011");
    no(p, "([*][^75[0-9]{3}$])", "FR", "7501");
    yes(p, "([*][^2[AB]])", "FR", "2A004");
    yes(p, "([*][^\\]])", "FR", "]x");
    /* spaces are trimmed around codes and patterns */
    yes(p, " ( [ fr , be ] [ ^75 , ^92 ] ) ", "BE", "9200");
}

static void test_applic_logic(void **state)
{
    apr_pool_t *p = *state;
    const char *and_ = "([fr][*]) & ([*][^75])";
    const char *or_ = "([fr][*]) | ([be][*])";
    const char *prec = "([de][*]) | ([fr][*]) & ([*][^75])";
    const char *grp = "(([de][*]) | ([fr][*])) & ([*][^75])";

    yes(p, and_, "FR", "75001");
    no(p, and_, "FR", "69000");
    no(p, and_, "DE", "75001");
    yes(p, or_, "FR", "1");
    yes(p, or_, "BE", "1");
    no(p, or_, "LU", "1");
    /* '&' binds tighter than '|' */
    yes(p, prec, "DE", "10115");
    yes(p, prec, "FR", "75001");
    no(p, prec, "FR", "69000");
    /* parentheses group */
    no(p, grp, "DE", "10115");
    yes(p, grp, "DE", "75000");
    yes(p, grp, "FR", "75001");
    no(p, grp, "BE", "75001");
    /* longer chains, no spaces */
    yes(p, "([aa][*])|([bb][*])|([fr][*])&([*][1])&([*][2])", "FR", "12");
    no(p, "([aa][*])|([bb][*])|([fr][*])&([*][1])&([*][2])", "FR", "13");
    yes(p, "(((([fr][*]))))", "FR", "1");
    /* blank: NULL, which matches nothing */
    assert_null(applic(p, ""));
    assert_null(applic(p, " \t\r\n"));
    assert_false(shop_ship_applic_match(NULL, "FR", "1"));
}

static void test_applic_errors(void **state)
{
    apr_pool_t *p = *state;
    char *s;

    BAD(p, "fr", "expected '(', found 'f' at 0", 0);
    BAD(p, "*", "expected '(', found '*' at 0", 0);
    BAD(p, "([fr])", "expected '[', found ')' at 5", 5);
    BAD(p, "([fr][*]", "expected ')', found the end at 8", 8);
    BAD(p, "([fr][*]) &", "expected '(', found the end at 11", 11);
    BAD(p, "([fr][*]) && ([be][*])", "expected '(', found '&' at 11", 11);
    BAD(p, "([fr][*]) ([be][*])", "unexpected character '(' at 10", 10);
    BAD(p, "([fr][*]))", "unbalanced ')' at 9", 9);
    BAD(p, "([fr][*]) x", "unexpected character 'x' at 10", 10);
    BAD(p, "([f1][*])", "unexpected character '1' at 3", 3);
    BAD(p, "([fr;][*])", "unexpected character ';' at 4", 4);
    BAD(p, "([fr][*", "missing ']' at 5", 5);
    BAD(p, "([fr", "missing ']' at 1", 1);
    BAD(p, "([][*])", "empty country code at 2", 2);
    BAD(p, "([fr,][*])", "empty country code at 5", 5);
    BAD(p, "([,fr][*])", "empty country code at 2", 2);
    BAD(p, "([france][*])", "a country code has 2 or 3 letters at 2", 2);
    BAD(p, "([f][*])", "a country code has 2 or 3 letters at 2", 2);
    BAD(p, "([*,fr][*])", "'*' must be alone at 2", 2);
    BAD(p, "([fr,*][*])", "'*' must be alone at 5", 5);
    BAD(p, "([fr][*,75])", "'*' must be alone at 6", 6);
    BAD(p, "([fr][75,*])", "'*' must be alone at 9", 9);
    BAD(p, "([fr][75,])", "empty zip pattern at 9", 9);
    BAD(p, "([fr][])", "empty zip pattern at 6", 6);
    BAD(p, "([fr][(75)])", "unsupported character '(' at 6", 6);
    BAD(p, "([fr][^7{40}])", "bad repeat count (0 to 32) at 8", 8);
    BAD(p, "([fr][75\\1])", "unsupported escape at 8", 8);
    BAD(p, "([fr][*]) | ([fr][`])", "unsupported character '`' at 18", 18);
    applic_bad(p, "([fr][*])\0", 10, "unexpected character '\\x00' at 9", 9);
    applic_bad(p, "(\0[fr][*])", 10, "expected '(', found '\\x00' at 1", 1);
    BAD(p, "([fr][*]) \xc3\xa9", "unexpected character '\\xc3' at 10", 10);

    /* nesting limit */
    s = apr_palloc(p, 64);
    memset(s, '(', 17);
    strcpy(s + 17, "([fr][*])))))))))))))))))");
    BAD(p, s, "nesting deeper than 16 at 16", 16);
    memset(s, '(', 16);
    strcpy(s + 16, "([fr][*])");
    memset(s + 25, ')', 16);
    s[41] = '\0';
    yes(p, s, "FR", "1");

}

static void test_applic_limits(void **state)
{
    apr_pool_t *p = *state;
    char *s = apr_palloc(p, 4000);
    int i;
    /* 64 rules within 1024 bytes are fine, the 65th is refused */
    s[0] = '\0';
    for (i = 0; i < 64; i++)
        strcat(s, i ? "|([aa][*])" : "([aa][*])");
    assert_true(strlen(s) <= SHOP_SHIP_MAX_APPLIC);
    yes(p, s, "AA", "1");
    strcat(s, "|([aa][*])");
    BAD(p, s, "more than 64 rules at 641", 641);
    /* length */
    memset(s, ' ', 1100);
    memcpy(s, "([aa][*])", 9);
    s[1100] = '\0';
    BAD(p, s, "applicability longer than 1024 bytes at 1024", 1024);
    /* too many countries and zip patterns in one rule */
    strcpy(s, "([");
    for (i = 0; i < 65; i++)
        strcat(s, i ? ",ab" : "ab");
    strcat(s, "][*])");
    BAD(p, s, "more than 64 countries in a rule at 194", 194);
    strcpy(s, "([*][");
    for (i = 0; i < 17; i++)
        strcat(s, i ? ",1" : "1");
    strcat(s, "])");
    BAD(p, s, "more than 16 zip patterns in a rule at 37", 37);
}

/* ---- formulas and zone codes */

static void test_formula_and_codes(void **state)
{
    apr_pool_t *p = *state;
    const shop_formula_t *f = (const shop_formula_t *)1;
    shop_formula_error_t e;
    char big[300];

    assert_int_equal(shop_ship_formula_compile(p, NULL, &f, &e), APR_SUCCESS);
    assert_null(f);
    assert_int_equal(shop_ship_formula_compile(p, "  ", &f, &e), APR_SUCCESS);
    assert_null(f);
    assert_int_equal(shop_ship_formula_compile(p, "$shp = $a + $b * $q + $c * ($ttc - $ht)",
                                               &f, &e), APR_SUCCESS);
    assert_non_null(f);
    assert_int_equal(shop_ship_formula_compile(p, "$SHP = $A", &f, &e), APR_SUCCESS);
    assert_int_equal(shop_ship_formula_compile(p, "$ttc = $a", &f, &e), APR_EINVAL);
    assert_string_equal(e.msg, "only $shp can be assigned, not $ttc at 0");
    assert_int_equal(shop_ship_formula_compile(p, "$shp = $tr", &f, &e), APR_EINVAL);
    assert_string_equal(e.msg, "unknown variable $tr at 7");
    assert_int_equal(shop_ship_formula_compile(p, "$shp = $shp", &f, &e), APR_EINVAL);
    memset(big, ' ', sizeof big - 1);
    big[0] = '1';
    big[sizeof big - 1] = '\0';
    assert_int_equal(shop_ship_formula_compile(p, big, &f, &e), APR_EINVAL);
    assert_string_equal(e.msg, "formula longer than 255 bytes at 255");

    assert_true(shop_ship_zone_code_valid("00"));
    assert_true(shop_ship_zone_code_valid("FR"));
    assert_true(shop_ship_zone_code_valid("EU1"));
    assert_true(shop_ship_zone_code_valid("ABCD"));
    assert_false(shop_ship_zone_code_valid("ABCDE"));
    assert_false(shop_ship_zone_code_valid(""));
    assert_false(shop_ship_zone_code_valid(NULL));
    assert_false(shop_ship_zone_code_valid("A-B"));
    assert_false(shop_ship_zone_code_valid("\xc3\xa9"));
}

/* ---- the amount */

typedef struct {
    shop_ship_zone_t zones[6];
    shop_ship_rule_t fr_rules[6];
    shop_tax_t *vat20;
} fixture_t;

static shop_dec_t D(const char *s)
{
    shop_dec_t d;
    assert_int_equal(shop_dec_parse(s, &d), APR_SUCCESS);
    return d;
}

static const shop_formula_t *F(apr_pool_t *p, const char *src)
{
    const shop_formula_t *f = NULL;
    shop_formula_error_t e;
    if (shop_ship_formula_compile(p, src, &f, &e) != APR_SUCCESS)
        fail_msg("formula '%s' refused: %s", src, e.msg);
    return f;
}

/* zones, in order: CORS (Corsica), FR, EU (bill scope 15.00), 00 (30.00) */
static void make_fixture(apr_pool_t *p, fixture_t *fx)
{
    shop_formula_error_t e;
    memset(fx, 0, sizeof *fx);
    assert_int_equal(shop_tax_make(p, 7, "VAT", "FR", D("20"), NULL, &fx->vat20, &e),
                     APR_SUCCESS);

    fx->fr_rules[0].product_code = "BOOK";
    fx->fr_rules[0].value_minor = 500;                 /* fixed 5.00 per line */
    fx->fr_rules[1].product_code = "MUG";
    fx->fr_rules[1].formula = F(p, "$shp = $a + $b * $q");
    fx->fr_rules[1].a = D("2");
    fx->fr_rules[1].b = D("0.5");
    fx->fr_rules[2].product_code = "BOX";
    fx->fr_rules[2].formula = F(p, "$shp = $ttc * $c / 100");
    fx->fr_rules[2].c = D("10");
    fx->fr_rules[3].product_code = "PEN";              /* no value, no formula: 0 */
    fx->fr_rules[4].product_code = "PIN1";
    fx->fr_rules[4].formula = F(p, "$a");
    fx->fr_rules[4].a = D("0.005");
    fx->fr_rules[5].product_code = "PIN2";
    fx->fr_rules[5].formula = F(p, "$a");
    fx->fr_rules[5].a = D("0.005");

    fx->zones[0].code = "CORS";
    fx->zones[0].applicability = applic(p, "([fr][^20])");
    fx->zones[0].bill_scope_minor = 4000;
    fx->zones[1].code = "FR";
    fx->zones[1].applicability = applic(p, "([fr,mc][*])");
    fx->zones[1].tax = fx->vat20;
    fx->zones[1].rules = fx->fr_rules;
    fx->zones[1].nrules = 6;
    fx->zones[2].code = "EU";
    fx->zones[2].applicability = applic(p, "([be,lu,de][*])");
    fx->zones[2].bill_scope_minor = 1500;
    fx->zones[2].rules = fx->fr_rules;                 /* ignored: bill scope wins */
    fx->zones[2].nrules = 6;
    fx->zones[3].code = "00";
    fx->zones[3].bill_scope_minor = 3000;
    fx->zones[3].tax = fx->vat20;
}

static shop_ship_result_t ship(const fixture_t *fx, int nzones, const shop_ship_line_t *l,
                               int nl, const char *country, const char *zipc,
                               const char *cur)
{
    shop_ship_result_t r;
    shop_formula_error_t e;
    memset(&r, 0x5a, sizeof r);
    if (shop_ship_compute(fx->zones, nzones, l, nl, country, zipc,
                          shop_currency_get(cur), &r, &e) != APR_SUCCESS)
        fail_msg("shipping failed: %s", e.msg);
    return r;
}

static void test_compute_rules(void **state)
{
    apr_pool_t *p = *state;
    fixture_t fx;
    shop_ship_result_t r;
    const shop_ship_line_t cart[] = {
        { "BOOK", 2, 1000, 1200 },      /* fixed 5.00, whatever the quantity */
        { "MUG", 4, 800, 960 },         /* 2 + 0.5 x 4 = 4.00 */
        { "BOX", 1, 10000, 12000 },     /* 120.00 x 10 / 100 = 12.00 */
        { "PEN", 3, 100, 120 },         /* 0 */
        { "OTHER", 9, 100, 120 },       /* no rule: 0 */
    };
    make_fixture(p, &fx);

    r = ship(&fx, 4, cart, 5, "FR", "75001", "EUR");
    assert_true(r.deliverable);
    assert_ptr_equal(r.zone, &fx.zones[1]);
    assert_false(r.bill_scope);
    assert_int_equal(r.untaxed_minor, 2100);
    assert_int_equal(r.tax_minor, 420);
    assert_int_equal(r.taxed_minor, 2520);
    assert_null(r.failed_rule);

    /* product codes compare case-insensitively; zero quantities are ignored */
    {
        const shop_ship_line_t c2[] = { { "book", 1, 0, 0 }, { "MUG", 0, 800, 960 } };
        r = ship(&fx, 4, c2, 2, "mc", "98000", "EUR");
        assert_ptr_equal(r.zone, &fx.zones[1]);
        assert_int_equal(r.untaxed_minor, 500);
        assert_int_equal(r.taxed_minor, 600);
    }
    /* the exact sum is rounded once: 0.005 + 0.005 = 0.01 (not 0.01 + 0.01) */
    {
        const shop_ship_line_t c3[] = { { "PIN1", 1, 0, 0 }, { "PIN2", 1, 0, 0 } };
        r = ship(&fx, 4, c3, 2, "FR", "75001", "EUR");
        assert_int_equal(r.untaxed_minor, 1);
        const shop_ship_line_t c4[] = { { "PIN1", 1, 0, 0 } };
        r = ship(&fx, 4, c4, 1, "FR", "75001", "EUR");
        assert_int_equal(r.untaxed_minor, 1);          /* 0.005 half-up */
    }
    /* an empty cart in a per-product zone ships for 0 */
    r = ship(&fx, 4, NULL, 0, "FR", "75001", "EUR");
    assert_true(r.deliverable);
    assert_int_equal(r.taxed_minor, 0);
}

static void test_compute_zones(void **state)
{
    apr_pool_t *p = *state;
    fixture_t fx;
    shop_ship_result_t r;
    const shop_ship_line_t cart[] = { { "BOOK", 1, 1000, 1200 } };
    int idx;
    make_fixture(p, &fx);

    /* Corsica comes first and wins over FR */
    r = ship(&fx, 4, cart, 1, "FR", "20000", "EUR");
    assert_ptr_equal(r.zone, &fx.zones[0]);
    assert_true(r.bill_scope);
    assert_int_equal(r.untaxed_minor, 4000);
    assert_int_equal(r.taxed_minor, 4000);            /* zone without tax */
    /* bill scope: flat, whatever the products */
    r = ship(&fx, 4, cart, 1, "BE", "1000", "EUR");
    assert_ptr_equal(r.zone, &fx.zones[2]);
    assert_true(r.bill_scope);
    assert_int_equal(r.untaxed_minor, 1500);
    /* bill scope on an empty cart: 0 */
    r = ship(&fx, 4, NULL, 0, "BE", "1000", "EUR");
    assert_ptr_equal(r.zone, &fx.zones[2]);
    assert_int_equal(r.untaxed_minor, 0);
    /* nothing matches: the "00" fallback, taxed */
    r = ship(&fx, 4, cart, 1, "US", "10001", "EUR");
    assert_true(r.deliverable);
    assert_ptr_equal(r.zone, &fx.zones[3]);
    assert_int_equal(r.untaxed_minor, 3000);
    assert_int_equal(r.tax_minor, 600);
    assert_int_equal(r.taxed_minor, 3600);
    /* no fallback: not deliverable */
    r = ship(&fx, 3, cart, 1, "US", "10001", "EUR");
    assert_false(r.deliverable);
    assert_null(r.zone);
    assert_int_equal(r.taxed_minor, 0);
    /* no zone at all: deliverable for free */
    r = ship(&fx, 0, cart, 1, "US", "10001", "EUR");
    assert_true(r.deliverable);
    assert_null(r.zone);
    assert_int_equal(r.taxed_minor, 0);
    /* "00" is never matched in order, even listed first with a rule that matches */
    {
        shop_ship_zone_t z[2];
        z[0] = fx.zones[3];
        z[0].applicability = applic(p, "([*][*])");
        z[1] = fx.zones[1];
        assert_int_equal(shop_ship_choose_zone(z, 2, "FR", "1"), 1);
        assert_int_equal(shop_ship_choose_zone(z, 2, "DE", "1"), 0);
    }
    /* local_shop's defect: the fallback after the first non-matching zone */
    {
        shop_ship_zone_t z[3];
        z[0] = fx.zones[2];             /* EU: does not match FR */
        z[1] = fx.zones[3];             /* 00 */
        z[2] = fx.zones[1];             /* FR */
        assert_int_equal(shop_ship_choose_zone(z, 3, "FR", "75001"), 2);
    }
    idx = shop_ship_choose_zone(fx.zones, 4, "LU", "L-1234");
    assert_int_equal(idx, 2);
    assert_int_equal(shop_ship_choose_zone(NULL, 0, "FR", "1"), -1);
    assert_int_equal(shop_ship_choose_zone(fx.zones, 3, "US", "1"), -1);
    /* a zone without applicability never matches */
    {
        shop_ship_zone_t z = fx.zones[1];
        z.applicability = NULL;
        assert_int_equal(shop_ship_choose_zone(&z, 1, "FR", "1"), -1);
    }
}

static void test_compute_currencies(void **state)
{
    apr_pool_t *p = *state;
    fixture_t fx;
    shop_ship_result_t r;
    const shop_ship_line_t cart[] = { { "MUG", 3, 1000, 1200 }, { "BOX", 1, 1235, 1359 } };
    make_fixture(p, &fx);
    /* JPY: MUG 2 + 0.5 x 3 = 3.5 yen, BOX 1359 x 0.1 = 135.9: 139.4 -> 139 */
    r = ship(&fx, 4, cart, 2, "FR", "75001", "JPY");
    assert_int_equal(r.untaxed_minor, 139);
    assert_int_equal(r.taxed_minor, 167);             /* 166.8 -> 167 */
    /* TND: 3.5 + 0.1359 = 3.6359 -> 3.636 */
    r = ship(&fx, 4, cart, 2, "FR", "75001", "TND");
    assert_int_equal(r.untaxed_minor, 3636);
}

static void test_compute_errors(void **state)
{
    apr_pool_t *p = *state;
    fixture_t fx;
    shop_ship_result_t r;
    shop_formula_error_t e;
    const shop_ship_line_t cart[] = { { "MUG", 1, 1000, 1200 } };
    const shop_ship_line_t neg[] = { { "MUG", -1, 1000, 1200 } };
    const shop_ship_line_t big[] = { { "BOOK", 1, 0, 0 }, { "BOOK", 1, 0, 0 } };
    const shop_currency_t *eur = shop_currency_get("EUR");
    make_fixture(p, &fx);

    /* negative formula result */
    fx.fr_rules[1].b = D("-10");
    assert_int_equal(shop_ship_compute(fx.zones, 4, cart, 1, "FR", "1", eur, &r, &e),
                     APR_EINVAL);
    assert_string_equal(e.msg, "the shipping formula gave a negative amount at 0");
    assert_ptr_equal(r.failed_rule, &fx.fr_rules[1]);
    /* division by zero in a formula */
    fx.fr_rules[1].formula = F(p, "$shp = $a / ($q - 1)");
    assert_int_equal(shop_ship_compute(fx.zones, 4, cart, 1, "FR", "1", eur, &r, &e),
                     APR_EINVAL);
    assert_string_equal(e.msg, "division by zero at 10");
    assert_ptr_equal(r.failed_rule, &fx.fr_rules[1]);
    /* bad arguments */
    assert_int_equal(shop_ship_compute(fx.zones, 4, neg, 1, "FR", "1", eur, &r, &e),
                     APR_EINVAL);
    assert_int_equal(shop_ship_compute(fx.zones, 4, cart, 1, "FR", "1", NULL, &r, &e),
                     APR_EINVAL);
    assert_int_equal(shop_ship_compute(fx.zones, 4, cart, 1, "FR", "1", eur, NULL, &e),
                     APR_EINVAL);
    assert_int_equal(shop_ship_compute(NULL, 2, cart, 1, "FR", "1", eur, &r, &e),
                     APR_EINVAL);
    assert_int_equal(shop_ship_compute(fx.zones, 4, NULL, 1, "FR", "1", eur, &r, NULL),
                     APR_EINVAL);
    fx.zones[2].bill_scope_minor = -1;
    assert_int_equal(shop_ship_compute(fx.zones, 4, cart, 1, "BE", "1", eur, &r, &e),
                     APR_EINVAL);
    /* overflow: two fixed amounts near INT64_MAX */
    fx.fr_rules[0].value_minor = APR_INT64_MAX;
    assert_int_equal(shop_ship_compute(fx.zones, 4, big, 2, "FR", "1", eur, &r, &e),
                     APR_ERANGE);
    /* one of them fits, but not taxed at 20 % */
    assert_int_equal(shop_ship_compute(fx.zones, 4, big, 1, "FR", "1", eur, &r, &e),
                     APR_ERANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_zip_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applic_countries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applic_zips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applic_logic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applic_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_applic_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formula_and_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compute_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compute_zones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compute_currencies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compute_errors, setup, teardown),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
