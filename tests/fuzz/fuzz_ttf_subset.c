/* A font file is read by core/ttf_subset.c at startup-time of every PDF
 * (ShopDataDir/fonts, the font directory): whatever the bytes, the subset
 * is refused with a reason or made, never read out of bounds; a subset it
 * made is a font it can read and cut again, mapping the same characters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "core/ttf_subset.h"

static const unsigned CPS[] = { 0x20, 'A', 'a', 'z', 0xE9, 0x152, 0x20AC, 0xFFFF };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        apr_initialize();
        init = 1;
    }
    apr_pool_t *p;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS) return 0;
    unsigned char *out, *again;
    apr_size_t len, len2;
    const char *error;
    int n = (int)(sizeof(CPS) / sizeof(CPS[0]));
    if (shop_ttf_subset(p, data, size, CPS, n, "-F", &out, &len, &error) == APR_SUCCESS) {
        if (!out || error) abort();
        if (shop_ttf_subset(p, out, len, CPS, n, NULL, &again, &len2, &error) != APR_SUCCESS) abort();
        for (int i = 0; i < n; i++) {
            int a = shop_ttf_glyph_of(data, size, CPS[i]), b = shop_ttf_glyph_of(out, len, CPS[i]);
            if (a < 0 || b < 0 || (a == 0) != (b == 0)) abort();
        }
    } else if (!error || out) {
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
