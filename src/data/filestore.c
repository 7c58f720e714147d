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

apr_status_t shop_file_read(apr_pool_t *pool, const char *path, apr_size_t max, char **data, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, pool);
    if (rv != APR_SUCCESS) return rv;
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    if (rv == APR_SUCCESS && (fi.filetype != APR_REG || fi.size < 0 || (apr_uint64_t)fi.size > max)) rv = APR_EINVAL;
    if (rv == APR_SUCCESS) {
        apr_size_t n = (apr_size_t)fi.size;
        char *buf = apr_palloc(pool, n + 1);
        rv = apr_file_read_full(f, buf, n, &n);
        if (rv == APR_EOF || (rv == APR_SUCCESS && n == (apr_size_t)fi.size)) rv = APR_SUCCESS;
        buf[n] = '\0';
        *data = buf;
        *len = n;
    }
    apr_file_close(f);
    return rv;
}

apr_status_t shop_secret_read(apr_pool_t *pool, const char *path, const unsigned char **key, apr_size_t *len,
                              const char **why)
{
    apr_finfo_t fi;
    apr_status_t rv = apr_stat(&fi, path, APR_FINFO_PROT | APR_FINFO_TYPE, pool);
    if (rv != APR_SUCCESS) {
        *why = "the file cannot be read";
        return rv;
    }
    if (fi.protection & APR_FPROT_WREAD) {
        *why = "the file must not be world-readable (chmod 640 or 600)";
        return APR_EINVAL;
    }
    char *data;
    apr_size_t n;
    rv = shop_file_read(pool, path, SHOP_SECRET_MAX_BYTES, &data, &n);
    if (rv != APR_SUCCESS) {
        *why = rv == APR_EINVAL ? "the file must be a small regular file" : "the file cannot be read";
        return rv;
    }
    while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r')) n--;
    if (n < SHOP_SECRET_MIN_BYTES) {
        *why = "the secret must hold at least 32 bytes";
        return APR_EINVAL;
    }
    *key = (const unsigned char *)data;
    *len = n;
    return APR_SUCCESS;
}
