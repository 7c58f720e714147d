/* libFuzzer target: multipart/form-data (src/core/multipart.c) and content
 * sniffing (src/core/sniff.c).  Input: a Content-Type line, '\n', then the
 * body.  When the line yields no boundary the body is split with "b".
 * Oracles: every part lies inside the body buffer, counts respect the
 * limits, names are non-empty, and merging plain fields never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/limits.h"
#include "core/multipart.h"
#include "core/sniff.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const uint8_t *nl = memchr(data, '\n', size);
    const char *ct, *boundary = NULL, *err = NULL;
    const char *body;
    apr_size_t blen;
    apr_array_header_t *parts = NULL;
    shop_multipart_limits_t small = { 4, 2, 64, 16, 512 };
    int i, files = 0;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    if (nl) {
        ct = apr_pstrmemdup(p, (const char *)data, (apr_size_t)(nl - data));
        body = (const char *)nl + 1;
        blen = size - (apr_size_t)(nl - data) - 1;
    }
    else {
        ct = NULL;
        body = (const char *)data;
        blen = size;
    }
    if (shop_multipart_boundary(p, ct, &boundary, &err) != APR_SUCCESS) {
        if (boundary != NULL || err == NULL)
            abort();
        boundary = "b";
    }
    else if (boundary == NULL || strlen(boundary) == 0 || strlen(boundary) > SHOP_MAX_BOUNDARY)
        abort();

    if (shop_multipart_parse(p, body, blen, boundary, NULL, &parts, &err) == APR_SUCCESS) {
        apr_table_t *fields = apr_table_make(p, 4);
        if (parts == NULL || parts->nelts > SHOP_MAX_MULTIPART_PARTS)
            abort();
        for (i = 0; i < parts->nelts; i++) {
            const shop_part_t *pt = &APR_ARRAY_IDX(parts, i, shop_part_t);
            if (pt->data < body || pt->len > blen
                || pt->data + pt->len > body + blen || pt->name == NULL
                || *pt->name == '\0' || pt->content_type == NULL)
                abort();
            if (pt->filename) {
                files++;
                if (strchr(pt->filename, '/') || strchr(pt->filename, '\\'))
                    abort();
            }
            (void)shop_sniff_mime(pt->data, pt->len);
        }
        if (files > SHOP_MAX_UPLOAD_PARTS)
            abort();
        (void)shop_multipart_fields(p, parts, fields, &err);
    }
    else if (parts != NULL || err == NULL)
        abort();

    parts = NULL;
    if (shop_multipart_parse(p, body, blen, boundary, &small, &parts, &err) == APR_SUCCESS) {
        if (parts->nelts > 4)
            abort();
        for (i = 0; i < parts->nelts; i++) {
            const shop_part_t *pt = &APR_ARRAY_IDX(parts, i, shop_part_t);
            if (pt->len > (pt->filename ? 64u : 16u))
                abort();
        }
    }
    apr_pool_destroy(p);
    return 0;
}
