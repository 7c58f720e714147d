/*
 * csrf.h -- per-session CSRF tokens.
 *
 *     token = base64url(HMAC-SHA256(key, "csrf|" session_id))   (43 chars)
 *
 * The token is stable for the life of a session (so several tabs work) and
 * changes when the session id is rotated (login).  It is sent in pages as a
 * hidden field and to the API as X-CSRF-Token; the web layer compares what
 * it gets with shop_csrf_check on every state-changing request.
 *
 * Key: the shop secret, at least SHOP_MIN_SECRET_LEN bytes; the "csrf|"
 * prefix separates these MACs from tickets made with the same key.
 *
 * Memory: the token is allocated in p.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_CSRF_H
#define SHOP_CORE_CSRF_H

#include <apr_pools.h>

/* length of a token in chars */
#define SHOP_CSRF_TOKEN_LEN 43

/* The token for session_id, NUL-terminated in p.  NULL if session_id is
 * NULL or empty, the key is NULL or shorter than SHOP_MIN_SECRET_LEN, or
 * HMAC fails. */
const char *shop_csrf_token(apr_pool_t *p, const void *key, apr_size_t keylen,
                            const char *session_id);

/* 1 if presented is the token of session_id, else 0.  0 as well for NULL
 * or empty arguments, a short key, and a presented string that is not
 * exactly SHOP_CSRF_TOKEN_LEN chars.  The comparison is constant-time. */
int shop_csrf_check(apr_pool_t *p, const void *key, apr_size_t keylen,
                    const char *session_id, const char *presented);

#endif /* SHOP_CORE_CSRF_H */
