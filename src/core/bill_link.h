/* Signed links to a bill, for mails: /bill/TRANSID?sig=EXPIRES.MAC where
 * MAC = base64url(HMAC-SHA256(key, "shop-bill-v1|" TRANSID "|" EXPIRES)).
 * Whoever holds the link may read that bill (page, PDF, API) until EXPIRES;
 * nothing else.  Pure: no I/O. */
#ifndef SHOP_CORE_BILL_LINK_H
#define SHOP_CORE_BILL_LINK_H

#include <apr_pools.h>

#define SHOP_BILL_LINK_TTL (90 * 86400)   /* links in mails last 90 days */

/* The value of the sig parameter for transid, valid until `expires`. */
const char *shop_bill_link_sign(apr_pool_t *p, const void *key, apr_size_t keylen, const char *transid,
                                apr_int64_t expires);

/* 1 when sig is genuine for transid and now < its expiry, else 0 (constant
 * time MAC comparison). */
int shop_bill_link_verify(apr_pool_t *p, const void *key, apr_size_t keylen, const char *transid,
                          const char *sig, apr_int64_t now);

#endif
