/* Static assets of the shop (templates/assets/: stylesheet, scripts, icons),
 * read into memory at start and served with an ETag and Cache-Control. */
#ifndef SHOP_WEB_ASSETS_H
#define SHOP_WEB_ASSETS_H

#include <apr_hash.h>

typedef struct shop_asset {
    const char *data;
    apr_size_t len;
    const char *content_type;
    const char *etag;          /* quoted, from the content's SHA-256 */
} shop_asset_t;

#define SHOP_ASSET_MAX_BYTES (512 * 1024)

/* Load every regular file of `dir` (not recursive) into a hash name ->
 * shop_asset_t, in pool.  A missing dir gives an empty hash. */
apr_status_t shop_assets_load(apr_pool_t *pool, const char *dir, apr_hash_t **out, const char **error);

#endif
