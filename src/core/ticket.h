/*
 * ticket.h -- signed login tickets, and the same-site redirect check.
 *
 * A ticket lets a mailed or generated link ("shopctl ticket USERID --url
 * PATH") log a user in once.  Token format:
 *
 *     base64url(payload) "." base64url(HMAC-SHA256(key, "shop-ticket-v1|" payload))
 *     payload = USERID "|" EXPIRES "|" NONCE "|" PATH
 *
 * USERID and EXPIRES are canonical decimals (no sign, no leading zero),
 * NONCE is 32 lowercase hex chars (128 random bits), PATH is empty or a
 * path accepted by shop_safe_local_path.  base64url has no padding and is
 * decoded strictly, so a ticket has exactly one spelling.
 *
 * Single use is the caller's job: after SHOP_TICKET_OK, store nonce_hex
 * (with the expiry, e.g. a UNIQUE key in the database or memcached add)
 * and refuse a nonce seen before.
 *
 * Key: the shop secret (ShopSecretFile), at least SHOP_MIN_SECRET_LEN
 * bytes; the "shop-ticket-v1|" prefix keeps tickets apart from every other
 * MAC made with the same key (csrf.h uses "csrf|").
 *
 * Memory: the token and the strings of shop_ticket_t are allocated in p.
 * Thread-safe, any phase.
 */
#ifndef SHOP_CORE_TICKET_H
#define SHOP_CORE_TICKET_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef enum shop_ticket_status_e {
    SHOP_TICKET_OK = 0,
    SHOP_TICKET_MALFORMED,      /* not a ticket: bad structure or encoding */
    SHOP_TICKET_BAD_SIGNATURE,  /* well-formed, but the MAC does not match */
    SHOP_TICKET_EXPIRED,        /* genuine, but now >= expires */
    SHOP_TICKET_ERROR           /* bad arguments (short key) or crypto failure */
} shop_ticket_status_e;

typedef struct shop_ticket_t {
    apr_int64_t userid;         /* > 0 */
    apr_int64_t expires;        /* unix seconds; valid while now < expires */
    const char *nonce_hex;      /* 32 lowercase hex chars: the single-use key */
    const char *path;           /* same-site path to go to after login, or NULL */
} shop_ticket_t;

/* Issue a ticket for userid (> 0), valid for ttl_seconds (1 ..
 * SHOP_MAX_TICKET_TTL) from now (unix seconds, >= 0), with an optional
 * target path (NULL or "" for none; otherwise it must pass
 * shop_safe_local_path).  *token is NUL-terminated base64url text safe in a
 * URL query without further escaping.  APR_SUCCESS; APR_EINVAL for a bad
 * argument (short key included); APR_EGENERAL if the RNG or HMAC failed. */
apr_status_t shop_ticket_issue(apr_pool_t *p, const void *key, apr_size_t keylen,
                               apr_int64_t userid, apr_int64_t ttl_seconds,
                               apr_int64_t now, const char *path,
                               const char **token);

/* Verify token at time now.  The MAC is checked first (in constant time)
 * and the payload read only if it matches.  Fills *ticket on OK and on
 * EXPIRED (so the caller can log who); leaves it untouched otherwise.
 * A token over SHOP_MAX_TICKET_LEN chars is MALFORMED. */
shop_ticket_status_e shop_ticket_verify(apr_pool_t *p, const void *key,
                                        apr_size_t keylen, const char *token,
                                        apr_int64_t now, shop_ticket_t *ticket);

/* Short English name of a status ("ok", "malformed", ...), for logs. */
const char *shop_ticket_status_name(shop_ticket_status_e st);

/* 1 if path is a safe same-site redirect target, else 0.  Safe means: at
 * most SHOP_MAX_REDIRECT_PATH bytes, starts with exactly one '/' (so not
 * "//host" nor "/\host"), holds no '\' at all, and only printable ASCII
 * (0x21..0x7E: no space, CR, LF, TAB -- browsers drop TAB/CR/LF inside URLs,
 * turning "/\t/evil" into "//evil" -- nor any byte >= 0x80).  This rules out
 * schemes ("https:", "javascript:") as they cannot start with '/'.
 * Percent-escapes are left alone: a browser does not decode "%2F" before
 * resolving.  NULL and "" are not safe.  Use it on every return, cancel and
 * redirect parameter before it reaches a Location header. */
int shop_safe_local_path(const char *path);

#endif /* SHOP_CORE_TICKET_H */
