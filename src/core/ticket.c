/*
 * ticket.c -- see ticket.h.
 */
#include "core/ticket.h"
#include "core/crypto.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

#define TICKET_DOMAIN     "shop-ticket-v1|"
#define NONCE_HEX_LEN     (SHOP_TICKET_NONCE_BYTES * 2)

int shop_safe_local_path(const char *path)
{
    const unsigned char *c;

    if (path == NULL || path[0] != '/' || path[1] == '/' || path[1] == '\\')
        return 0;
    for (c = (const unsigned char *)path; *c; c++) {
        if (*c < 0x21 || *c > 0x7e || *c == '\\')
            return 0;
        if ((apr_size_t)(c - (const unsigned char *)path) >= SHOP_MAX_REDIRECT_PATH)
            return 0;
    }
    return 1;
}

/* MAC of TICKET_DOMAIN + payload into mac. */
static apr_status_t ticket_mac(apr_pool_t *p, const void *key, apr_size_t keylen,
                               const unsigned char *payload, apr_size_t len,
                               unsigned char mac[SHOP_HMAC_SHA256_LEN])
{
    apr_size_t dlen = sizeof TICKET_DOMAIN - 1;
    unsigned char *msg = apr_palloc(p, dlen + len);

    memcpy(msg, TICKET_DOMAIN, dlen);
    memcpy(msg + dlen, payload, len);
    return shop_hmac_sha256(key, keylen, msg, dlen + len, mac);
}

apr_status_t shop_ticket_issue(apr_pool_t *p, const void *key, apr_size_t keylen,
                               apr_int64_t userid, apr_int64_t ttl_seconds,
                               apr_int64_t now, const char *path,
                               const char **token)
{
    unsigned char nonce[SHOP_TICKET_NONCE_BYTES], mac[SHOP_HMAC_SHA256_LEN];
    const char *payload, *nonce_hex, *b64p, *b64m;
    apr_status_t rv;

    *token = NULL;
    if (key == NULL || keylen < SHOP_MIN_SECRET_LEN || userid <= 0 || now < 0
        || ttl_seconds <= 0 || ttl_seconds > SHOP_MAX_TICKET_TTL
        || now > APR_INT64_MAX - ttl_seconds)
        return APR_EINVAL;
    if (path && *path == '\0')
        path = NULL;
    if (path && !shop_safe_local_path(path))
        return APR_EINVAL;
    if ((rv = shop_random_bytes(nonce, sizeof nonce)) != APR_SUCCESS)
        return rv;
    nonce_hex = shop_hex_encode(p, nonce, sizeof nonce);
    payload = apr_psprintf(p, "%" APR_INT64_T_FMT "|%" APR_INT64_T_FMT "|%s|%s",
                           userid, now + ttl_seconds, nonce_hex, path ? path : "");
    if ((rv = ticket_mac(p, key, keylen, (const unsigned char *)payload,
                         strlen(payload), mac)) != APR_SUCCESS)
        return rv;
    b64p = shop_base64url_encode(p, payload, strlen(payload));
    b64m = shop_base64url_encode(p, mac, sizeof mac);
    if (b64p == NULL || b64m == NULL)
        return APR_EGENERAL;
    *token = apr_pstrcat(p, b64p, ".", b64m, NULL);
    return APR_SUCCESS;
}

/* Canonical positive decimal s[0..len) into *out (0 allowed only if zero_ok). */
static int parse_dec(const char *s, apr_size_t len, int zero_ok, apr_int64_t *out)
{
    apr_int64_t v = 0;
    apr_size_t i;

    if (len == 0 || len > 19 || (s[0] == '0' && (len > 1 || !zero_ok)))
        return 0;
    for (i = 0; i < len; i++) {
        int d;
        if (s[i] < '0' || s[i] > '9')
            return 0;
        d = s[i] - '0';
        if (v > (APR_INT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* Read payload[0..len) (NUL-terminated one past) into t. */
static int parse_payload(apr_pool_t *p, const char *payload, apr_size_t len,
                         shop_ticket_t *t)
{
    const char *f1, *f2, *f3, *end = payload + len;
    apr_size_t i;

    if (memchr(payload, '\0', len) != NULL)
        return 0;
    if ((f1 = memchr(payload, '|', len)) == NULL
        || (f2 = memchr(f1 + 1, '|', (apr_size_t)(end - f1 - 1))) == NULL
        || (f3 = memchr(f2 + 1, '|', (apr_size_t)(end - f2 - 1))) == NULL)
        return 0;
    if (!parse_dec(payload, (apr_size_t)(f1 - payload), 0, &t->userid)
        || !parse_dec(f1 + 1, (apr_size_t)(f2 - f1 - 1), 1, &t->expires))
        return 0;
    if (f3 - f2 - 1 != NONCE_HEX_LEN)
        return 0;
    for (i = 1; i <= NONCE_HEX_LEN; i++)
        if (!((f2[i] >= '0' && f2[i] <= '9') || (f2[i] >= 'a' && f2[i] <= 'f')))
            return 0;
    t->nonce_hex = apr_pstrmemdup(p, f2 + 1, NONCE_HEX_LEN);
    if (f3 + 1 == end)
        t->path = NULL;
    else if (shop_safe_local_path(f3 + 1))
        t->path = apr_pstrdup(p, f3 + 1);
    else
        return 0;
    return 1;
}

shop_ticket_status_e shop_ticket_verify(apr_pool_t *p, const void *key,
                                        apr_size_t keylen, const char *token,
                                        apr_int64_t now, shop_ticket_t *ticket)
{
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    unsigned char *payload, *sig;
    apr_size_t tlen, plen, slen;
    const char *dot;
    shop_ticket_t t;

    if (key == NULL || keylen < SHOP_MIN_SECRET_LEN)
        return SHOP_TICKET_ERROR;
    if (token == NULL || (tlen = strlen(token)) == 0 || tlen > SHOP_MAX_TICKET_LEN)
        return SHOP_TICKET_MALFORMED;
    if ((dot = strchr(token, '.')) == NULL || dot == token || dot[1] == '\0')
        return SHOP_TICKET_MALFORMED;
    if (shop_base64url_decode(p, token, (apr_size_t)(dot - token), &payload, &plen)
            != APR_SUCCESS
        || shop_base64url_decode(p, dot + 1, tlen - (apr_size_t)(dot + 1 - token),
                                 &sig, &slen) != APR_SUCCESS
        || slen != SHOP_HMAC_SHA256_LEN)
        return SHOP_TICKET_MALFORMED;
    if (ticket_mac(p, key, keylen, payload, plen, mac) != APR_SUCCESS)
        return SHOP_TICKET_ERROR;
    if (!shop_ct_equal(mac, sig, SHOP_HMAC_SHA256_LEN))
        return SHOP_TICKET_BAD_SIGNATURE;
    if (!parse_payload(p, (const char *)payload, plen, &t))
        return SHOP_TICKET_MALFORMED;
    if (ticket)
        *ticket = t;
    if (now >= t.expires)
        return SHOP_TICKET_EXPIRED;
    return SHOP_TICKET_OK;
}

const char *shop_ticket_status_name(shop_ticket_status_e st)
{
    switch (st) {
    case SHOP_TICKET_OK:            return "ok";
    case SHOP_TICKET_MALFORMED:     return "malformed";
    case SHOP_TICKET_BAD_SIGNATURE: return "bad signature";
    case SHOP_TICKET_EXPIRED:       return "expired";
    case SHOP_TICKET_ERROR:         return "error";
    default:                        return "unknown";
    }
}
