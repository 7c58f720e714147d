/* libFuzzer target: form validators (src/core/validate.c).
 * Oracle: no crash or sanitizer report; every validator returns NULL or an
 * "error_" key; what is accepted has the promised shape (email without
 * space, CR or LF; names and texts well-formed UTF-8 within their length;
 * slugs and codes in their alphabet); normalising is idempotent; an RF
 * reference that shop_rf_create() builds validates; an accepted IBAN
 * survives formatting and normalising. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/form.h"
#include "core/validate.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void key(const char *e)
{
    if (e && strncmp(e, "error_", 6) != 0)
        abort();
}

static size_t chars(const char *s)
{
    size_t c = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            c++;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const cc[] = { "FR", "BE", "DE", "CH", "GB", "US", "CA", "NL", NULL };
    apr_pool_t *p;
    char *s;
    const char *n, *e, *out;
    size_t i, len, maxlen;
    int nl;

    if (size < 1 || apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    maxlen = data[0] % 64;
    nl = data[0] & 1;
    s = apr_pstrmemdup(p, (const char *)data + 1, size - 1);   /* stops at a NUL */
    len = strlen(s);

    e = shop_validate_email(s);
    key(e);
    if (!e && (len > SHOP_EMAIL_MAX || !strchr(s, '@') || strpbrk(s, " \r\n\t")))
        abort();
    key(shop_validate_country(s));
    if (!shop_validate_country(s) && (len != 2 || s[0] < 'A' || s[0] > 'Z'))
        abort();

    n = shop_vat_normalise(p, s);
    if (strcmp(n, shop_vat_normalise(p, n)) != 0)
        abort();
    key(shop_validate_vat(s));
    key(shop_validate_vat(n));
    if (!shop_validate_vat(n) && (strlen(n) < 4 || n[0] < 'A' || n[0] > 'Z'))
        abort();
    n = shop_code_normalise(p, s);
    if (strcmp(n, shop_code_normalise(p, n)) != 0)
        abort();
    key(shop_validate_siren(n));
    key(shop_validate_siret(n));
    key(shop_validate_bic(n));
    key(shop_validate_rf(n));
    e = shop_validate_iban(n);
    key(e);
    if (!e && strcmp(shop_code_normalise(p, shop_iban_format(p, n)), n) != 0)
        abort();
    if (shop_rf_create(p, s, &out) == APR_SUCCESS) {
        if (shop_validate_rf(out) != NULL)
            abort();
    }
    else if (out != NULL)
        abort();

    for (i = 0; cc[i]; i++)
        key(shop_validate_postcode(cc[i], s));
    key(shop_validate_postcode(NULL, s));
    key(shop_validate_phone(s));

    if (!shop_validate_product_code(s))
        for (i = 0; i < len; i++)
            if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", s[i])
                || len > 32)
                abort();
    if (!shop_validate_alias(s))
        for (i = 0; i < len; i++)
            if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", s[i]) || len > 64 || s[0] == '-'
                || s[0] == '_')
                abort();
    e = shop_validate_person_name(s);
    key(e);
    if (!e && (!shop_utf8_valid(s, len, NULL) || strpbrk(s, "<>\n\r\t")
               || chars(s) > SHOP_PERSON_NAME_MAX))
        abort();
    e = shop_validate_text(s, maxlen, nl);
    key(e);
    if (!e && (!shop_utf8_valid(s, len, NULL) || chars(s) > maxlen
               || (!nl && strpbrk(s, "\n\r\t"))))
        abort();
    apr_pool_destroy(p);
    return 0;
}
