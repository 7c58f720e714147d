/*
 * cookie.h -- Cookie request header parsing and Set-Cookie building.
 *
 * Parsing is lenient, as browsers send (RFC 6265 section 5.4 syntax, read
 * liberally): pairs separated by ';', blanks around names and values
 * trimmed, one pair of surrounding double quotes removed from a value.
 * A pair that cannot be a cookie is skipped, not fatal: no '=', an empty
 * name, a name that is not an RFC 7230 token, a name or value with a
 * control character (CTL, DEL) or over SHOP_MAX_COOKIE_NAME /
 * SHOP_MAX_COOKIE_VALUE bytes.  Only the first SHOP_MAX_COOKIES pairs of a
 * header are looked at and a header over SHOP_MAX_COOKIE_HEADER bytes is
 * treated as empty: a browser never sends that, so dropping (not refusing)
 * is the safe reading.  Names are case-sensitive.
 *
 * Lookup: when a name occurs more than once (cookies for several paths or
 * domains), the FIRST occurrence wins.  Browsers put longer paths first,
 * so the first is the most specific; a caller that cares (session id) may
 * try every value with shop_cookie_all.
 *
 * Memory: everything returned is allocated in p (the request pool); the
 * input header is not kept.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_COOKIE_H
#define SHOP_CORE_COOKIE_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct shop_cookie_t {
    const char *name;   /* token chars, NUL-terminated */
    const char *value;  /* quotes removed, may be "" */
} shop_cookie_t;

/* Parse a Cookie header (NULL or "" gives an empty array) into an array of
 * shop_cookie_t in header order.  Never NULL. */
apr_array_header_t *shop_cookie_parse(apr_pool_t *p, const char *header);

/* The value of the first cookie called name in jar (from shop_cookie_parse),
 * or NULL when absent (or jar/name NULL). */
const char *shop_cookie_get(const apr_array_header_t *jar, const char *name);

/* All values of the cookie called name, in header order, as an array of
 * const char * in p (empty when absent).  Never NULL. */
apr_array_header_t *shop_cookie_all(apr_pool_t *p, const apr_array_header_t *jar,
                                    const char *name);

/* Parse header and return the first value of name: shop_cookie_get over
 * shop_cookie_parse, for a single lookup. */
const char *shop_cookie_find(apr_pool_t *p, const char *header, const char *name);

/* Set-Cookie flags */
#define SHOP_COOKIE_SECURE    0x01
#define SHOP_COOKIE_HTTPONLY  0x02

/* Build a Set-Cookie header value in p:
 *   name=value[; Path=path][; Max-Age=n][; Secure][; HttpOnly][; SameSite=s]
 * name: 1..SHOP_MAX_COOKIE_NAME RFC 7230 token chars.
 * value: 0..SHOP_MAX_COOKIE_VALUE RFC 6265 cookie-octets (printable ASCII
 *   except space, '"', ',', ';', '\\'); encode anything else first (hex or
 *   base64url).  "" with max_age 0 deletes the cookie.
 * path: NULL (no attribute) or starting with '/', printable ASCII without
 *   space, ';' or ','.
 * max_age: -1 for a session cookie (no attribute), 0 deletes, > 0 seconds.
 * flags: SHOP_COOKIE_SECURE | SHOP_COOKIE_HTTPONLY.
 * samesite: NULL (no attribute), "Lax", "Strict" or "None" (any case);
 *   "None" requires SHOP_COOKIE_SECURE.
 * Cookie prefixes are honoured: a "__Secure-" name requires SECURE, a
 * "__Host-" name requires SECURE and path "/".
 * Returns NULL (nothing built) when any argument breaks these rules: no
 * input can smuggle CR, LF, ';' or another attribute into the header. */
const char *shop_cookie_format(apr_pool_t *p, const char *name, const char *value,
                               const char *path, long max_age, unsigned flags,
                               const char *samesite);

#endif /* SHOP_CORE_COOKIE_H */
