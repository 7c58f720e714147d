/*
 * crypto.c -- see crypto.h.
 */
#include "core/crypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <apr_strings.h>

static const char hexdigits[] = "0123456789abcdef";
static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

apr_status_t shop_hmac_sha256(const void *key, apr_size_t keylen,
                              const void *data, apr_size_t len,
                              unsigned char out[SHOP_HMAC_SHA256_LEN])
{
    /* OpenSSL wants non-NULL pointers even for empty inputs */
    static const unsigned char empty[1] = { 0 };
    unsigned int outlen = 0;

    if (keylen > INT_MAX || (key == NULL && keylen) || (data == NULL && len))
        return APR_EINVAL;
    if (HMAC(EVP_sha256(), key ? key : empty, (int)keylen,
             data ? data : empty, len, out, &outlen) == NULL
        || outlen != SHOP_HMAC_SHA256_LEN)
        return APR_EGENERAL;
    return APR_SUCCESS;
}

apr_status_t shop_sha256(const void *data, apr_size_t len,
                         unsigned char out[SHOP_SHA256_LEN])
{
    static const unsigned char empty[1] = { 0 };
    unsigned int outlen = 0;

    if (data == NULL && len)
        return APR_EINVAL;
    if (!EVP_Digest(data ? data : empty, len, out, &outlen, EVP_sha256(), NULL)
        || outlen != SHOP_SHA256_LEN)
        return APR_EGENERAL;
    return APR_SUCCESS;
}

const char *shop_sha256_hex(apr_pool_t *p, const void *data, apr_size_t len)
{
    unsigned char md[SHOP_SHA256_LEN];

    if (shop_sha256(data, len, md) != APR_SUCCESS)
        return NULL;
    return shop_hex_encode(p, md, sizeof md);
}

apr_status_t shop_random_bytes(void *buf, apr_size_t len)
{
    unsigned char *b = buf;

    /* RAND_bytes takes an int: feed it in slices */
    while (len > 0) {
        int n = len > (1u << 20) ? (1 << 20) : (int)len;
        if (RAND_bytes(b, n) != 1)
            return APR_EGENERAL;
        b += n;
        len -= (apr_size_t)n;
    }
    return APR_SUCCESS;
}

const char *shop_random_id(apr_pool_t *p, apr_size_t nbytes)
{
    unsigned char raw[1024];
    const char *id;

    if (nbytes == 0 || nbytes > sizeof raw)
        return NULL;
    if (shop_random_bytes(raw, nbytes) != APR_SUCCESS)
        return NULL;
    id = shop_hex_encode(p, raw, nbytes);
    OPENSSL_cleanse(raw, nbytes);
    return id;
}

const char *shop_hex_encode(apr_pool_t *p, const void *data, apr_size_t len)
{
    const unsigned char *s = data;
    char *out;
    apr_size_t i;

    if (len > SHOP_CRYPTO_MAX_INPUT || (data == NULL && len))
        return NULL;
    out = apr_palloc(p, len * 2 + 1);
    for (i = 0; i < len; i++) {
        out[2 * i] = hexdigits[s[i] >> 4];
        out[2 * i + 1] = hexdigits[s[i] & 0x0f];
    }
    out[2 * len] = '\0';
    return out;
}

int shop_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

apr_status_t shop_hex_decode(apr_pool_t *p, const char *hex, apr_size_t hexlen,
                             unsigned char **out, apr_size_t *outlen)
{
    unsigned char *buf;
    apr_size_t i;

    if ((hex == NULL && hexlen) || hexlen % 2 || hexlen / 2 > SHOP_CRYPTO_MAX_INPUT)
        return APR_EINVAL;
    buf = apr_palloc(p, hexlen / 2 + 1);
    for (i = 0; i < hexlen; i += 2) {
        int hi = shop_hex_digit((unsigned char)hex[i]);
        int lo = shop_hex_digit((unsigned char)hex[i + 1]);
        if (hi < 0 || lo < 0)
            return APR_EINVAL;
        buf[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    buf[hexlen / 2] = '\0';
    *out = buf;
    if (outlen)
        *outlen = hexlen / 2;
    return APR_SUCCESS;
}

const char *shop_base64url_encode(apr_pool_t *p, const void *data, apr_size_t len)
{
    const unsigned char *s = data;
    char *out, *o;
    apr_size_t i;

    if (len > SHOP_CRYPTO_MAX_INPUT || (data == NULL && len))
        return NULL;
    o = out = apr_palloc(p, SHOP_B64URL_LEN(len) + 1);
    for (i = 0; i + 2 < len; i += 3) {
        *o++ = b64url_alphabet[s[i] >> 2];
        *o++ = b64url_alphabet[(s[i] & 0x03) << 4 | s[i + 1] >> 4];
        *o++ = b64url_alphabet[(s[i + 1] & 0x0f) << 2 | s[i + 2] >> 6];
        *o++ = b64url_alphabet[s[i + 2] & 0x3f];
    }
    if (len - i == 1) {
        *o++ = b64url_alphabet[s[i] >> 2];
        *o++ = b64url_alphabet[(s[i] & 0x03) << 4];
    }
    else if (len - i == 2) {
        *o++ = b64url_alphabet[s[i] >> 2];
        *o++ = b64url_alphabet[(s[i] & 0x03) << 4 | s[i + 1] >> 4];
        *o++ = b64url_alphabet[(s[i + 1] & 0x0f) << 2];
    }
    *o = '\0';
    return out;
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

apr_status_t shop_base64url_decode(apr_pool_t *p, const char *s, apr_size_t slen,
                                   unsigned char **out, apr_size_t *outlen)
{
    unsigned char *buf, *o;
    apr_size_t i, rest;
    int v[4];

    if ((s == NULL && slen) || slen % 4 == 1 || slen / 4 * 3 > SHOP_CRYPTO_MAX_INPUT)
        return APR_EINVAL;
    o = buf = apr_palloc(p, slen / 4 * 3 + 3);
    for (i = 0; i + 4 <= slen; i += 4) {
        int k;
        for (k = 0; k < 4; k++)
            if ((v[k] = b64val((unsigned char)s[i + k])) < 0)
                return APR_EINVAL;
        *o++ = (unsigned char)(v[0] << 2 | v[1] >> 4);
        *o++ = (unsigned char)((v[1] & 0x0f) << 4 | v[2] >> 2);
        *o++ = (unsigned char)((v[2] & 0x03) << 6 | v[3]);
    }
    rest = slen - i;
    if (rest >= 2) {
        apr_size_t k;
        for (k = 0; k < rest; k++)
            if ((v[k] = b64val((unsigned char)s[i + k])) < 0)
                return APR_EINVAL;
        *o++ = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (rest == 2) {
            /* non-zero leftover bits would give a second spelling */
            if (v[1] & 0x0f)
                return APR_EINVAL;
        }
        else {
            *o++ = (unsigned char)((v[1] & 0x0f) << 4 | v[2] >> 2);
            if (v[2] & 0x03)
                return APR_EINVAL;
        }
    }
    *o = '\0';
    *out = buf;
    if (outlen)
        *outlen = (apr_size_t)(o - buf);
    return APR_SUCCESS;
}

int shop_ct_equal(const void *a, const void *b, apr_size_t len)
{
    if (len == 0)
        return 1;
    if (a == NULL || b == NULL)
        return 0;
    return CRYPTO_memcmp(a, b, len) == 0;
}

int shop_ct_streq(const char *a, const char *b)
{
    apr_size_t la, lb;

    if (a == NULL || b == NULL)
        return 0;
    la = strlen(a);
    lb = strlen(b);
    if (la != lb)
        return 0;
    return shop_ct_equal(a, b, la);
}
