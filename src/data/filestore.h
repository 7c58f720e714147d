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

#endif
