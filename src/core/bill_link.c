/*
 * bill_link.c -- see bill_link.h.
 *
 * sig = EXPIRES "." base64url(HMAC-SHA256(key, "shop-bill-v1|" TRANSID "|" EXPIRES))
 * EXPIRES is plain decimal seconds since the epoch, without sign or leading
 * zero, so one value has one spelling and the last '|' of the MAC input
 * always ends the transid.
 */
#include "core/bill_link.h"
#include "core/crypto.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

#define LINK_DOMAIN     "shop-bill-v1|"
#define LINK_MAX_TRANSID 64
#define LINK_MAX_DIGITS 18   /* fits apr_int64_t without overflow checks */

/* A transid as the shop writes them (base64url, a few dashes): printable,
 * no separator of the MAC input, bounded. */
static int transid_ok(const char *t)
{
    apr_size_t n = 0;

    if (t == NULL || *t == '\0')
        return 0;
    for (; *t; t++, n++) {
        unsigned char c = (unsigned char)*t;
        if (n >= LINK_MAX_TRANSID || c <= 0x20 || c >= 0x7f || c == '|')
            return 0;
    }
    return 1;
}

static const char *link_mac(apr_pool_t *p, const void *key, apr_size_t keylen, const char *transid,
                            const char *expires)
{
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *msg = apr_pstrcat(p, LINK_DOMAIN, transid, "|", expires, NULL);

    if (shop_hmac_sha256(key, keylen, msg, strlen(msg), mac) != APR_SUCCESS)
        return NULL;
    return shop_base64url_encode(p, mac, sizeof mac);
}

const char *shop_bill_link_sign(apr_pool_t *p, const void *key, apr_size_t keylen, const char *transid,
                                apr_int64_t expires)
{
    const char *exp, *mac;

    if (key == NULL || keylen < SHOP_MIN_SECRET_LEN || !transid_ok(transid) || expires <= 0)
        return NULL;
    exp = apr_psprintf(p, "%" APR_INT64_T_FMT, expires);
    if (strlen(exp) > LINK_MAX_DIGITS)
        return NULL;
    mac = link_mac(p, key, keylen, transid, exp);
    return mac ? apr_pstrcat(p, exp, ".", mac, NULL) : NULL;
}

int shop_bill_link_verify(apr_pool_t *p, const void *key, apr_size_t keylen, const char *transid,
                          const char *sig, apr_int64_t now)
{
    const char *dot, *c, *mac;
    apr_int64_t expires = 0;
    apr_size_t ndigits;

    if (key == NULL || keylen < SHOP_MIN_SECRET_LEN || !transid_ok(transid) || sig == NULL)
        return 0;
    dot = strchr(sig, '.');
    if (dot == NULL)
        return 0;
    ndigits = (apr_size_t)(dot - sig);
    if (ndigits == 0 || ndigits > LINK_MAX_DIGITS || sig[0] == '0')
        return 0;
    for (c = sig; c < dot; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        expires = expires * 10 + (*c - '0');
    }
    if (now >= expires)
        return 0;
    mac = link_mac(p, key, keylen, transid, apr_pstrmemdup(p, sig, ndigits));
    return mac != NULL && shop_ct_streq(mac, dot + 1);
}
