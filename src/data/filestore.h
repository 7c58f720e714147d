/* Files the shop keeps under ShopDataDir (uploads, invoice PDFs). */
#ifndef SHOP_DATA_FILESTORE_H
#define SHOP_DATA_FILESTORE_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Write data[0..len) to dir/name atomically: a temporary file in the same
 * folder, then a rename, so readers never see half a file.  The folder is
 * created when missing; the file is readable by its owner and group only. */
apr_status_t shop_file_store(apr_pool_t *pool, const char *dir, const char *name, const char *data,
                             apr_size_t len);

/* Read a whole regular file of at most `max` bytes into pool, with a NUL
 * after its `*len` bytes.  APR_EINVAL when it is larger; other APR errors as
 * they come (APR_ENOENT for a missing file). */
apr_status_t shop_file_read(apr_pool_t *pool, const char *path, apr_size_t max, char **data, apr_size_t *len);

/* The site secret (ShopSecretFile): a small regular file, not readable by
 * everyone, holding at least SHOP_SECRET_MIN_BYTES bytes once trailing
 * newlines are dropped.  APR_SUCCESS with *key (in pool) and *len, or an
 * error with *why saying what is wrong, for the operator. */
#define SHOP_SECRET_MIN_BYTES 32
#define SHOP_SECRET_MAX_BYTES 4096

apr_status_t shop_secret_read(apr_pool_t *pool, const char *path, const unsigned char **key, apr_size_t *len,
                              const char **why);

#endif
