/* libFuzzer target: urlencoded form / query decoder (src/core/form.c).
 * Oracle: no crash or sanitizer report; on success every name and value is
 * well-formed UTF-8 without NUL, names are non-empty, bounded and free of
 * control characters, and the field count respects the limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_tables.h>

#include "core/form.h"
#include "core/limits.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void check(apr_table_t *t, int max_fields, apr_size_t max_name)
{
    const apr_array_header_t *a = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;
    int i;

    if (a->nelts > max_fields)
        abort();
    for (i = 0; i < a->nelts; i++) {
        apr_size_t kl = strlen(e[i].key), k;
        if (kl == 0 || kl > max_name || !shop_utf8_valid(e[i].key, kl, NULL))
            abort();
        for (k = 0; k < kl; k++)
            if ((unsigned char)e[i].key[k] < 0x20 || e[i].key[k] == 0x7f)
                abort();
        if (!shop_utf8_valid(e[i].val, strlen(e[i].val), NULL))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_table_t *t = NULL;
    const char *err = NULL;
    shop_form_limits_t lim = { 3, 8, 64 };
    apr_size_t bad;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    if (shop_form_parse(p, (const char *)data, size, &t, &err) == APR_SUCCESS) {
        if (t == NULL)
            abort();
        check(t, SHOP_MAX_FORM_FIELDS, SHOP_MAX_FIELD_NAME);
    }
    else if (t != NULL || err == NULL)
        abort();
    t = NULL;
    if (shop_form_parse_ex(p, (const char *)data, size, &lim, &t, &err) == APR_SUCCESS)
        check(t, 3, 8);
    if (!shop_utf8_valid((const char *)data, size, &bad) && bad >= size)
        abort();
    apr_pool_destroy(p);
    return 0;
}
