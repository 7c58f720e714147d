/* libFuzzer target: shipping zone applicability and zip patterns
 * (src/core/shipping.c).  Input: "APPLICABILITY\nCOUNTRY\nZIP" (missing
 * parts are empty); the first part is also compiled as one zip pattern.
 * Oracles: no crash, hang or sanitizer report; errors point inside the
 * input; matching is deterministic; an accepted zip pattern that POSIX ERE
 * can express the same way matches exactly like regexec(3) (differential);
 * shop_ship_compute agrees with shop_ship_choose_zone and its amounts add
 * up. */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/shipping.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static int alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 if the pattern means the same in POSIX ERE: no escapes (our '\' is
 * not ERE's inside brackets), and every '-' inside a class is a plain range
 * between two alphanumerics */
static int ere_compatible(const char *pat, size_t len)
{
    size_t i;
    int in_class = 0;
    for (i = 0; i < len; i++) {
        char c = pat[i];
        if (c == '\\' || c == '\0')
            return 0;
        if (!in_class && c == '[') {
            in_class = 1;
            if (i + 1 < len && pat[i + 1] == '^')
                i++;
        }
        else if (in_class && c == ']')
            in_class = 0;
        else if (in_class && c == '-') {
            if (i < 1 || i + 1 >= len || !alnum(pat[i - 1]) || !alnum(pat[i + 1])
                || (i >= 2 && pat[i - 2] == '-'))
                return 0;
        }
    }
    return 1;
}

static void differential(apr_pool_t *p, const char *pat, size_t plen, const char *zip)
{
    shop_ship_zip_t *z;
    shop_formula_error_t e;
    regex_t re;
    char *cpat;
    size_t zl;
    const char *t;
    char *tz;
    int ours, theirs;

    if (shop_ship_zip_compile(p, pat, plen, &z, &e) != APR_SUCCESS) {
        if (e.pos > plen)
            abort();
        return;
    }
    ours = shop_ship_zip_match(z, zip);
    if (ours != shop_ship_zip_match(z, zip))
        abort();
    if (!ere_compatible(pat, plen))
        return;
    /* our matcher trims the zip and refuses long ones: compare on that */
    for (t = zip; *t == ' ' || *t == '\t'; t++)
        ;
    zl = strlen(t);
    while (zl > 0 && (t[zl - 1] == ' ' || t[zl - 1] == '\t'))
        zl--;
    if (zl > SHOP_SHIP_MAX_ZIP)
        return;
    tz = apr_pstrmemdup(p, t, zl);
    cpat = apr_pstrmemdup(p, pat, plen);
    if (regcomp(&re, cpat, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
        return;
    theirs = regexec(&re, tz, 0, NULL, 0) == 0;
    regfree(&re);
    if (ours != theirs) {
        fprintf(stderr, "pattern '%s' zip '%s': ours %d, regexec %d\n", cpat, tz,
                ours, theirs);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *parts[3] = { "", "", "" };
    size_t lens[3] = { 0, 0, 0 };
    size_t start = 0, i;
    int n = 0;
    shop_ship_applic_t *a = NULL;
    shop_formula_error_t e;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    for (i = 0; i <= size && n < 3; i++) {
        if (i == size || (n < 2 && data[i] == '\n')) {
            parts[n] = apr_pstrmemdup(p, (const char *)data + start, i - start);
            lens[n] = i - start;
            n++;
            start = i + 1;
        }
    }

    differential(p, parts[0], lens[0], parts[2]);

    if (shop_ship_applic_compile(p, parts[0], lens[0], &a, &e) != APR_SUCCESS) {
        if (e.pos > lens[0] && e.pos != SHOP_SHIP_MAX_APPLIC)
            abort();
    }
    else {
        static const char *const countries[] = { "FR", "gb", "", "USA" };
        static const char *const zips[] = { "75001", "", "SW1A 1AA", "20000" };
        shop_ship_zone_t zones[2];
        shop_ship_line_t line = { "P", 2, 1000, 1200 };
        shop_ship_rule_t rule;
        shop_ship_result_t r;
        int m = shop_ship_applic_match(a, parts[1], parts[2]), k, idx;

        if (m != shop_ship_applic_match(a, parts[1], parts[2]))
            abort();
        for (k = 0; k < 4; k++)
            (void)shop_ship_applic_match(a, countries[k], zips[k]);

        memset(zones, 0, sizeof zones);
        memset(&rule, 0, sizeof rule);
        rule.product_code = "p";
        rule.value_minor = 250;
        zones[0].code = "Z1";
        zones[0].applicability = a;
        zones[0].rules = &rule;
        zones[0].nrules = 1;
        zones[1].code = "00";
        zones[1].bill_scope_minor = 999;
        for (k = 1; k <= 2; k++) {
            idx = shop_ship_choose_zone(zones, k, parts[1], parts[2]);
            if (idx != (m ? 0 : (k == 2 ? 1 : -1)))
                abort();
            if (shop_ship_compute(zones, k, &line, 1, parts[1], parts[2],
                                  shop_currency_get("EUR"), &r, &e) != APR_SUCCESS)
                abort();
            if (r.deliverable != (idx >= 0)
                || (idx >= 0 && r.zone != &zones[idx])
                || r.untaxed_minor + r.tax_minor != r.taxed_minor
                || r.untaxed_minor != (idx < 0 ? 0 : idx == 0 ? 250 : 999))
                abort();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
