/*
 * csrf.c -- see csrf.h.
 */
#include "core/csrf.h"
#include "core/crypto.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

#define CSRF_DOMAIN "csrf|"

const char *shop_csrf_token(apr_pool_t *p, const void *key, apr_size_t keylen,
                            const char *session_id)
{
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *msg;

    if (key == NULL || keylen < SHOP_MIN_SECRET_LEN || session_id == NULL
        || *session_id == '\0')
        return NULL;
    msg = apr_pstrcat(p, CSRF_DOMAIN, session_id, NULL);
    if (shop_hmac_sha256(key, keylen, msg, strlen(msg), mac) != APR_SUCCESS)
        return NULL;
    return shop_base64url_encode(p, mac, sizeof mac);
}

int shop_csrf_check(apr_pool_t *p, const void *key, apr_size_t keylen,
                    const char *session_id, const char *presented)
{
    const char *expected;

    if (presented == NULL
        || strnlen(presented, SHOP_CSRF_TOKEN_LEN + 1) != SHOP_CSRF_TOKEN_LEN)
        return 0;
    expected = shop_csrf_token(p, key, keylen, session_id);
    if (expected == NULL)
        return 0;
    return shop_ct_equal(expected, presented, SHOP_CSRF_TOKEN_LEN);
}
