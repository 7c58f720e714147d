/* fuzz_mustache.c — compile and render arbitrary templates over arbitrary
 * JSON data.  Must never crash, leak or run away.
 *
 * Input: TEMPLATES [ '\0' JSON ]
 *   TEMPLATES is one or more chunks separated by '\x01'; a chunk is
 *   [NAME '\x02'] SOURCE, unnamed chunks being "t0", "t1", ... so that
 *   {{>t1}} and {{<t1}} reach them.  The first chunk is rendered, with the
 *   JSON (or null when it does not parse) as the data, then again with the
 *   data over a second layer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <json.h>

#include "core/mustache.h"

static apr_pool_t *root;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&root, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nul = memchr(in, '\0', size);
    size_t tlen = nul ? (size_t)(nul - in) : size;
    struct json_object *json = NULL, *layers[2];
    const char *first = NULL, *out, *err;
    shop_tpl_set_t *set;
    apr_size_t out_len;
    apr_pool_t *p;
    size_t pos = 0;
    int i = 0;

    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    while (pos <= tlen) {
        const char *chunk = in + pos;
        const char *end = memchr(chunk, '\x01', tlen - pos);
        size_t clen = end ? (size_t)(end - chunk) : tlen - pos;
        const char *sep = memchr(chunk, '\x02', clen);
        const char *name;

        pos += clen + 1;
        if (sep) {
            name = apr_pstrmemdup(p, chunk, (size_t)(sep - chunk));
            clen -= (size_t)(sep - chunk) + 1;
            chunk = sep + 1;
        }
        else {
            name = apr_psprintf(p, "t%d", i);
        }
        err = NULL;
        if (shop_tpl_set_add(set, name, chunk, clen, &err) != APR_SUCCESS
            && (err == NULL || strstr(err, ": ") == NULL)) {
            __builtin_trap();   /* an error must say where */
        }
        if (first == NULL) {
            first = name;
        }
        i++;
    }
    if (nul) {
        struct json_tokener *tok = json_tokener_new_ex(32);

        json = json_tokener_parse_ex(tok, nul + 1, (int)(size - tlen - 1));
        json_tokener_free(tok);
    }
    if (shop_tpl_render(set, first, json, p, &out, &out_len) == APR_SUCCESS) {
        if (out == NULL || strlen(out) > out_len) {
            __builtin_trap();
        }
    }
    layers[0] = json;
    layers[1] = json_object_new_object();
    shop_tpl_render_layers(set, first, layers, 2, p, &out, &out_len);
    json_object_put(layers[1]);
    json_object_put(json);
    shop_tpl_escape_html(p, in, tlen);
    apr_pool_destroy(p);
    return 0;
}
