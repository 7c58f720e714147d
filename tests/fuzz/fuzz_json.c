/* libFuzzer target: JSON request bodies (src/core/jsonbody.c).
 * Oracles: a body we accept is an object that serialises to text we accept
 * again, and that text is a fixed point (parse(to_string(x)) prints the
 * same); the typed getters never crash on any member. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>

#include "core/jsonbody.h"

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
    json_object *o = NULL, *o2 = NULL;
    const char *err = NULL, *s1, *s2;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    if (shop_json_parse_body(p, (const char *)data, size, &o, &err) == APR_SUCCESS) {
        if (o == NULL || !json_object_is_type(o, json_type_object))
            abort();
        s1 = shop_json_to_string(p, o);
        if (s1 == NULL)
            abort();
        if (shop_json_parse_body(p, s1, strlen(s1), &o2, &err) != APR_SUCCESS)
            abort();
        s2 = shop_json_to_string(p, o2);
        if (strcmp(s1, s2) != 0)
            abort();
        json_object_object_foreach(o, key, val) {
            const char *str;
            apr_int64_t i;
            int b;
            (void)val;
            (void)shop_json_get_string(p, o, key, 16, &str);
            (void)shop_json_get_int64(o, key, &i);
            (void)shop_json_get_int64_range(o, key, 0, 1000, &i);
            (void)shop_json_get_bool(o, key, &b);
        }
    }
    else if (o != NULL || err == NULL)
        abort();
    apr_pool_destroy(p);
    return 0;
}
