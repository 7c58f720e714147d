/* Static assets: loading (see assets.h) and the GET /assets/{name} route. */
#include "web/assets.h"
#include "web/pages.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_file_io.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "data/filestore.h"

static const char *type_of(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".css", "text/css; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return NULL;
}

apr_status_t shop_assets_load(apr_pool_t *pool, const char *dir, apr_hash_t **out, const char **error)
{
    apr_hash_t *assets = apr_hash_make(pool);
    *out = assets;
    apr_dir_t *d;
    if (apr_dir_open(&d, dir, pool) != APR_SUCCESS) return APR_SUCCESS;
    apr_finfo_t fi;
    apr_status_t rv = APR_SUCCESS;
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_SIZE, d) == APR_SUCCESS) {
        if (fi.filetype != APR_REG || fi.name[0] == '.') continue;
        const char *type = type_of(fi.name);
        if (!type) continue;
        if (fi.size > SHOP_ASSET_MAX_BYTES) {
            *error = apr_psprintf(pool, "asset %s is larger than %d bytes", fi.name, SHOP_ASSET_MAX_BYTES);
            rv = APR_EINVAL;
            break;
        }
        const char *path = apr_pstrcat(pool, dir, "/", fi.name, NULL);
        char *buf;
        apr_size_t n;
        if (shop_file_read(pool, path, SHOP_ASSET_MAX_BYTES, &buf, &n) != APR_SUCCESS) continue;
        shop_asset_t *a = apr_pcalloc(pool, sizeof(*a));
        a->data = buf;
        a->len = n;
        a->content_type = type;
        a->etag = apr_psprintf(pool, "\"%.32s\"", shop_sha256_hex(pool, buf, n));
        apr_hash_set(assets, apr_pstrdup(pool, fi.name), APR_HASH_KEY_STRING, a);
    }
    apr_dir_close(d);
    return rv;
}

int shop_page_asset(shop_req_t *req)
{
    const shop_asset_t *a = apr_hash_get(req->rt->assets, req->captures[0], APR_HASH_KEY_STRING);
    if (!a) return shop_render_not_found(req);
    request_rec *r = req->r;
    apr_table_setn(r->headers_out, "ETag", a->etag);
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=3600");
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    if (inm && strstr(inm, a->etag)) return shop_send_body(req, HTTP_NOT_MODIFIED, a->content_type, "", 0);
    return shop_send_body(req, HTTP_OK, a->content_type, a->data, a->len);
}
