/*
 * crypto.h -- hashing, MACs, randomness and encodings for mod_shop.
 *
 * Pure C + APR + OpenSSL libcrypto; thread-safe (no state of its own;
 * OpenSSL 3 locks its RNG itself).  May be called from any phase.
 *
 * Memory: every string or buffer returned is allocated in the pool passed
 * and lives as long as it.  Fixed-size digests are written to a caller
 * buffer instead.  Decoded buffers are NUL-terminated one byte past *outlen
 * so a decoded text can be used as a C string (binary data may hold NULs).
 *
 * NULL: a function returning a pointer returns NULL on failure (bad
 * argument, RNG failure), never a partial result.
 */
#ifndef SHOP_CORE_CRYPTO_H
#define SHOP_CORE_CRYPTO_H

#include <apr_pools.h>
#include <apr_errno.h>

#define SHOP_SHA256_LEN       32
#define SHOP_HMAC_SHA256_LEN  32
/* base64url without padding of n bytes is SHOP_B64URL_LEN(n) chars */
#define SHOP_B64URL_LEN(n)    (((n) * 4 + 2) / 3)
/* largest input the encoders and random helpers accept, in bytes */
#define SHOP_CRYPTO_MAX_INPUT ((apr_size_t)64 * 1024 * 1024)

/* HMAC-SHA256 of data[0..len) under key[0..keylen) into out.  key may be
 * NULL only with keylen 0; data may be NULL only with len 0.
 * APR_SUCCESS, or APR_EGENERAL when OpenSSL fails. */
apr_status_t shop_hmac_sha256(const void *key, apr_size_t keylen,
                              const void *data, apr_size_t len,
                              unsigned char out[SHOP_HMAC_SHA256_LEN]);

/* SHA-256 of data[0..len) into out.  APR_SUCCESS or APR_EGENERAL. */
apr_status_t shop_sha256(const void *data, apr_size_t len,
                         unsigned char out[SHOP_SHA256_LEN]);

/* SHA-256 as 64 lowercase hex chars, in p; NULL on failure. */
const char *shop_sha256_hex(apr_pool_t *p, const void *data, apr_size_t len);

/* len cryptographically strong random bytes into buf (OpenSSL RAND_bytes).
 * APR_SUCCESS, or APR_EGENERAL if the RNG could not deliver: the caller
 * must then fail the operation, never fall back to weaker randomness. */
apr_status_t shop_random_bytes(void *buf, apr_size_t len);

/* A random identifier: nbytes random bytes as 2*nbytes lowercase hex chars,
 * in p.  Sessions use SHOP_SESSION_ID_BYTES (64 chars), mailed links at
 * least SHOP_TOKEN_BYTES.  NULL if nbytes is 0 or > 1024, or RNG failure. */
const char *shop_random_id(apr_pool_t *p, apr_size_t nbytes);

/* Lowercase hex of data[0..len), in p ("" for len 0).  NULL if too big. */
/* The value of one hexadecimal digit (either case), or -1. */
int shop_hex_digit(int c);

const char *shop_hex_encode(apr_pool_t *p, const void *data, apr_size_t len);

/* Decode hex[0..hexlen) (either case; hexlen must be even) into a new
 * buffer in p.  APR_SUCCESS, or APR_EINVAL on odd length / non-hex char
 * (*out untouched). */
apr_status_t shop_hex_decode(apr_pool_t *p, const char *hex, apr_size_t hexlen,
                             unsigned char **out, apr_size_t *outlen);

/* base64url (RFC 4648 section 5) without '=' padding, in p.  NULL if too big. */
const char *shop_base64url_encode(apr_pool_t *p, const void *data, apr_size_t len);

/* Strict base64url decode of s[0..slen) into a new buffer in p: only the
 * alphabet A-Z a-z 0-9 - _, no padding, no whitespace, length mod 4 != 1,
 * and the unused low bits of the last char must be zero (one encoding per
 * value).  APR_SUCCESS or APR_EINVAL (*out untouched). */
apr_status_t shop_base64url_decode(apr_pool_t *p, const char *s, apr_size_t slen,
                                   unsigned char **out, apr_size_t *outlen);

/* 1 if a[0..len) == b[0..len), in time that depends only on len
 * (CRYPTO_memcmp).  len 0 compares equal. */
int shop_ct_equal(const void *a, const void *b, apr_size_t len);

/* 1 if the C strings a and b are equal; the time depends on the lengths
 * only (a length mismatch returns 0 at once: lengths are not secret here).
 * NULL never equals anything, not even NULL. */
int shop_ct_streq(const char *a, const char *b);

#endif /* SHOP_CORE_CRYPTO_H */
