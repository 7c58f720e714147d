/* libFuzzer target: Cookie header parser and Set-Cookie builder
 * (src/core/cookie.c).  Oracles: parsed pairs are bounded and free of
 * control characters; whatever shop_cookie_format builds holds no CR, LF
 * or control character, starts with exactly "name=value" and reads back
 * through the parser as the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/cookie.h"
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

static void check_built(apr_pool_t *p, const char *sc, const char *name, const char *value)
{
    const char *c, *got;
    apr_size_t nl = strlen(name), vl = strlen(value);

    for (c = sc; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            abort();
    if (strncmp(sc, name, nl) != 0 || sc[nl] != '=' || strncmp(sc + nl + 1, value, vl) != 0
        || (sc[nl + 1 + vl] != '\0' && sc[nl + 1 + vl] != ';'))
        abort();
    got = shop_cookie_find(p, apr_pstrndup(p, sc, nl + 1 + vl), name);
    if (got == NULL || strcmp(got, value) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *hdr;
    apr_array_header_t *jar;
    int i;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    hdr = apr_pstrmemdup(p, (const char *)data, size);

    jar = shop_cookie_parse(p, hdr);
    if (jar->nelts > SHOP_MAX_COOKIES)
        abort();
    for (i = 0; i < jar->nelts; i++) {
        const shop_cookie_t *ck = &APR_ARRAY_IDX(jar, i, shop_cookie_t);
        const char *c, *sc;
        if (*ck->name == '\0' || strlen(ck->name) > SHOP_MAX_COOKIE_NAME
            || strlen(ck->value) > SHOP_MAX_COOKIE_VALUE)
            abort();
        for (c = ck->value; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                abort();
        if (shop_cookie_get(jar, ck->name) == NULL)
            abort();
        sc = shop_cookie_format(p, ck->name, ck->value, "/", 60,
                                SHOP_COOKIE_SECURE | SHOP_COOKIE_HTTPONLY, "Lax");
        if (sc)
            check_built(p, sc, ck->name, ck->value);
    }

    /* the input split on NUL bytes as raw format arguments */
    {
        const char *f[4] = { "", "", NULL, NULL };
        const char *s = hdr, *end = hdr + size;
        int n = 0;
        while (n < 4 && s <= end) {
            f[n++] = s;
            s += strlen(s) + 1;
        }
        if (n >= 2) {
            unsigned flags = size ? (unsigned)data[size - 1] & 3u : 0;
            long age = size > 1 ? (long)data[size - 2] - 2 : -1;
            const char *sc = shop_cookie_format(p, f[0], f[1], n > 2 ? f[2] : NULL,
                                                age, flags, n > 3 ? f[3] : NULL);
            if (sc)
                check_built(p, sc, f[0], f[1]);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
