/* Product instance references (product_ref.h). */
#include "core/product_ref.h"
#include "core/crypto.h"

#include <string.h>
#include <apr_strings.h>

static const char alphabet[] = SHOP_PRODUCT_REF_ALPHABET;

static int value_of(int c)
{
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at ? (int)(at - alphabet) : -1;
}

/* chars: the 14 values; the two checksum values into cc. */
static void checksum(const int *chars, int cc[2])
{
    unsigned s = 0;
    for (int i = 0; i < SHOP_PRODUCT_REF_CHARS; i++) s += (unsigned)(i + 1) * (unsigned)chars[i];
    s %= 1024;
    cc[0] = (int)(s % 32);
    cc[1] = (int)(s / 32);
}

/* 16 values (14 + checksum) laid out with dashes into out[SHOP_PRODUCT_REF_LEN + 1]. */
static void format(const int *values, char *out)
{
    int o = 0;
    for (int i = 0; i < SHOP_PRODUCT_REF_CHARS + 2; i++) {
        if (i > 0 && i % 4 == 0) out[o++] = '-';
        out[o++] = alphabet[values[i]];
    }
    out[o] = '\0';
}

const char *shop_product_ref_from_bytes(apr_pool_t *p, const unsigned char *bytes)
{
    int v[SHOP_PRODUCT_REF_CHARS + 2];
    for (int i = 0; i < SHOP_PRODUCT_REF_CHARS; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned window = (unsigned)bytes[byte] << 8 | (byte + 1 < SHOP_PRODUCT_REF_BYTES ? bytes[byte + 1] : 0);
        v[i] = (int)((window >> (11 - shift)) & 31);
    }
    checksum(v, v + SHOP_PRODUCT_REF_CHARS);
    char *out = apr_palloc(p, SHOP_PRODUCT_REF_LEN + 1);
    format(v, out);
    return out;
}

apr_status_t shop_product_ref_generate(apr_pool_t *p, const char **out)
{
    unsigned char bytes[SHOP_PRODUCT_REF_BYTES];
    *out = NULL;
    if (shop_random_bytes(bytes, sizeof(bytes)) != APR_SUCCESS) return APR_EGENERAL;
    *out = shop_product_ref_from_bytes(p, bytes);
    return APR_SUCCESS;
}

int shop_product_ref_valid(const char *ref)
{
    if (!ref || strlen(ref) != SHOP_PRODUCT_REF_LEN) return 0;
    int v[SHOP_PRODUCT_REF_CHARS + 2], n = 0;
    for (int i = 0; i < SHOP_PRODUCT_REF_LEN; i++) {
        if (i % 5 == 4) {
            if (ref[i] != '-') return 0;
            continue;
        }
        if ((v[n++] = value_of((unsigned char)ref[i])) < 0) return 0;
    }
    int cc[2];
    checksum(v, cc);
    return cc[0] == v[SHOP_PRODUCT_REF_CHARS] && cc[1] == v[SHOP_PRODUCT_REF_CHARS + 1];
}

const char *shop_product_ref_normalize(apr_pool_t *p, const char *typed)
{
    if (!typed) return NULL;
    int v[SHOP_PRODUCT_REF_CHARS + 2], n = 0;
    for (const char *c = typed; *c; c++) {
        if (*c == ' ' || *c == '-' || *c == '\t') continue;
        int ch = *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : (unsigned char)*c;
        if (n == SHOP_PRODUCT_REF_CHARS + 2 || (v[n] = value_of(ch)) < 0) return NULL;
        n++;
    }
    if (n != SHOP_PRODUCT_REF_CHARS + 2) return NULL;
    char out[SHOP_PRODUCT_REF_LEN + 1];
    format(v, out);
    return shop_product_ref_valid(out) ? apr_pstrmemdup(p, out, SHOP_PRODUCT_REF_LEN) : NULL;
}
