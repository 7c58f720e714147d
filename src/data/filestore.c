/* Atomic file storage: see filestore.h. */
#include "data/filestore.h"

#include <apr_file_io.h>
#include <apr_strings.h>

apr_status_t shop_file_store(apr_pool_t *pool, const char *dir, const char *name, const char *data,
                             apr_size_t len)
{
    apr_status_t rv = apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, pool);
    if (rv != APR_SUCCESS) return rv;
    const char *final = apr_pstrcat(pool, dir, "/", name, NULL);
    char *tmp = apr_pstrcat(pool, final, ".XXXXXX", NULL);
    apr_file_t *f;
    rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL | APR_FOPEN_BINARY, pool);
    if (rv != APR_SUCCESS) return rv;
    apr_size_t written;
    rv = apr_file_write_full(f, data, len, &written);
    apr_status_t closed = apr_file_close(f);
    if (rv == APR_SUCCESS) rv = closed;
    if (rv == APR_SUCCESS) rv = apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD);
    if (rv == APR_SUCCESS || rv == APR_ENOTIMPL) rv = apr_file_rename(tmp, final, pool);
    if (rv != APR_SUCCESS) apr_file_remove(tmp, pool);
    return rv;
}
