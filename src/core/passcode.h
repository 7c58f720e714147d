/* Purchase passcodes of products (local_shop `password`, kept in clear there,
 * §11 defect 26): stored as a SHA-512 crypt hash "$6$<salt>$<digest>" with a
 * fresh random salt, checked by hashing the typed passcode again and
 * comparing the results in constant time.
 *
 * A passcode is 1..SHOP_PASSCODE_MAX bytes of printable UTF-8 (no control
 * character); crypt's own limits are far above.
 *
 * Memory: results are allocated in the pool given; the crypt work area
 * (about 32 KiB) is malloc'd per call and freed before returning.
 * Thread-safe (crypt_r), any phase. */
#ifndef SHOP_CORE_PASSCODE_H
#define SHOP_CORE_PASSCODE_H

#include <apr_pools.h>
#include <apr_errno.h>

#define SHOP_PASSCODE_MAX       64
#define SHOP_PASSCODE_SALT_LEN  16      /* characters of [./0-9A-Za-z] */

/* Is clear an acceptable passcode (length and characters)? 1 or 0. */
int shop_passcode_acceptable(const char *clear);

/* Hash clear into *hash (pool-allocated, "$6$" + salt + "$" + digest).
 * APR_EINVAL for an unacceptable passcode, APR_EGENERAL when the system
 * random source or crypt fails. */
apr_status_t shop_passcode_hash(apr_pool_t *p, const char *clear, const char **hash);

/* 1 when clear matches hash (a "$6$" hash as made above), else 0; NULL or
 * malformed arguments give 0.  The comparison runs in constant time over
 * the digest. */
int shop_passcode_verify(const char *hash, const char *clear);

#endif
