/* References of product instances (local_shop §7.3, "unités de vente"):
 * "XXXX-XXXX-XXXX-XXCC", what a customer quotes to support or types to
 * renew a licence, so it is made to be read aloud and typed back.
 *
 *   - 14 random characters from SHOP_PRODUCT_REF_ALPHABET, 32 symbols
 *     without 0/O and 1/I (nothing to confuse when read or typed): 5 bits
 *     each, 70 bits from random bytes.  local_shop hashes transid + code,
 *     which collides as soon as one bill buys a product twice.
 *   - 2 checksum characters CC: S = sum of (i + 1) * value(char i) over the
 *     14 characters, mod 1024; CC = alphabet[S % 32], alphabet[S / 32].
 *     The weights are 1..14 and a value differs by at most 31, so any one
 *     wrong character and any swap of two characters changes S: every such
 *     typing mistake is caught (local_shop's plain sum misses every swap).
 *   - dashes after the 4th, 8th and 12th characters.
 *
 * Pure functions; thread-safe; results in the pool given. */
#ifndef SHOP_CORE_PRODUCT_REF_H
#define SHOP_CORE_PRODUCT_REF_H

#include <apr_pools.h>
#include <apr_errno.h>

#define SHOP_PRODUCT_REF_ALPHABET  "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define SHOP_PRODUCT_REF_LEN       19      /* with the dashes */
#define SHOP_PRODUCT_REF_CHARS     14      /* random characters */
#define SHOP_PRODUCT_REF_BYTES     9       /* random bytes they are read from (72 >= 70 bits) */

/* The reference made of bytes[0..SHOP_PRODUCT_REF_BYTES), 5 bits per
 * character, most significant first.  Never NULL. */
const char *shop_product_ref_from_bytes(apr_pool_t *p, const unsigned char *bytes);

/* A new random reference into *out.  APR_SUCCESS, or APR_EGENERAL when the
 * system random source fails (*out NULL: never a weak reference). */
apr_status_t shop_product_ref_generate(apr_pool_t *p, const char **out);

/* 1 when ref is exactly a reference as made above (upper case, dashes in
 * place, alphabet, checksum), else 0 (also for NULL). */
int shop_product_ref_valid(const char *ref);

/* What a person typed ("abcd efgh-jkmn pqrs", any case, spaces and dashes
 * anywhere) as the canonical reference, or NULL when it is not one. */
const char *shop_product_ref_normalize(apr_pool_t *p, const char *typed);

#endif
