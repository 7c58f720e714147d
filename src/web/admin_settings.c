/* Back office settings: the seller logo printed on invoices (an upload,
 * typed from its bytes, stored under ShopDataDir) and its public URL. */
#include "web/pages.h"
#include "web/render.h"
#include "web/log.h"
#include "web/settings.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_file_io.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "data/filestore.h"
#include "core/i18n.h"
#include "data/setting_repo.h"

#define LOGO_MAX_BYTES  (1024 * 1024)
#define LOGO_DIR        "seller"
#define SETTING_LOGO    "sellerlogo"          /* relative path under ShopDataDir */
#define SETTING_LOGO_ETAG "sellerlogo_sha256"

static int logo_page(shop_req_t *req, int status, const char *field_error, int saved)
{
    shop_db_t *db = shop_req_db(req);
    const char *hash = NULL;
    if (!db || shop_setting_get(db, SETTING_LOGO_ETAG, &hash) != 0)
        return shop_render_unavailable(req);
    json_object *data = json_object_new_object();
    if (hash) json_object_object_add(data, "logo_version", json_object_new_string(apr_pstrndup(req->r->pool, hash, 16)));
    if (field_error)
        json_object_object_add(data, "logo_error", json_object_new_string(
            shop_i18n_get(req->rt->i18n, shop_req_lang(req), field_error)));
    if (saved) json_object_object_add(data, "saved", json_object_new_boolean(1));
    return shop_render_page(req, status, "admin/logo", data);
}

int shop_page_admin_logo(shop_req_t *req)
{
    return logo_page(req, HTTP_OK, NULL, shop_req_param(req, "saved") != NULL);
}

int shop_page_admin_logo_upload(shop_req_t *req)
{
    const shop_upload_t *up = shop_req_upload(req, "logo");
    if (!up) return logo_page(req, HTTP_BAD_REQUEST, "error_upload_missing", 0);
    if (up->len > LOGO_MAX_BYTES) return logo_page(req, HTTP_REQUEST_ENTITY_TOO_LARGE, "error_upload_size", 0);
    const char *ext = !strcmp(up->sniffed_type, "image/png") ? "png"
                    : !strcmp(up->sniffed_type, "image/jpeg") ? "jpg" : NULL;
    if (!ext) return logo_page(req, HTTP_UNSUPPORTED_MEDIA_TYPE, "error_upload_type", 0);

    const char *dir = apr_pstrcat(req->r->pool, req->conf->data_dir, "/" LOGO_DIR, NULL);
    const char *name = apr_pstrcat(req->r->pool, "logo.", ext, NULL);
    apr_status_t rv = shop_file_store(req->r->pool, dir, name, up->data, up->len);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, req->r, SHOPLOGNO(0701) "cannot store the seller logo in %s", dir);
        return logo_page(req, HTTP_INTERNAL_SERVER_ERROR, "error_upload_store", 0);
    }
    shop_db_t *db = shop_req_db(req);
    const char *hash = shop_sha256_hex(req->r->pool, up->data, up->len);
    if (!db || shop_db_begin(db) != 0
        || shop_setting_set(db, SETTING_LOGO, apr_pstrcat(req->r->pool, LOGO_DIR "/", name, NULL), req->now) != 0
        || shop_setting_set(db, SETTING_LOGO_ETAG, hash, req->now) != 0
        || shop_db_commit(db) != 0)
        return shop_render_unavailable(req);
    shop_settings_forget(req);     /* this child at once, the others within SHOP_SETTINGS_TTL */
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0702) "seller logo replaced (%s, %" APR_SIZE_T_FMT
                  " bytes) by user %" APR_INT64_T_FMT, up->sniffed_type, up->len, shop_req_identity(req)->userid);
    return shop_redirect_local(req, "/admin/settings/logo?saved=1");
}

/* A public URL on every invoice and page that shows the logo: the settings
 * come from this child's copy (web/settings.h), not the database. */
int shop_page_media_logo(shop_req_t *req)
{
    if (shop_settings_ready(req) != 0) return shop_render_unavailable(req);
    const char *path = shop_setting(req, SETTING_LOGO, NULL), *hash = shop_setting(req, SETTING_LOGO_ETAG, NULL);
    if (!path || !hash) return shop_render_not_found(req);
    request_rec *r = req->r;
    const char *etag = apr_psprintf(r->pool, "\"%.32s\"", hash);
    apr_table_setn(r->headers_out, "ETag", etag);
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=300");
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    const char *type = strstr(path, ".png") ? "image/png" : "image/jpeg";
    if (inm && strstr(inm, etag)) return shop_send_body(req, HTTP_NOT_MODIFIED, type, "", 0);

    char *buf;
    apr_size_t n;
    const char *full = apr_pstrcat(r->pool, req->conf->data_dir, "/", path, NULL);
    if (shop_file_read(r->pool, full, LOGO_MAX_BYTES, &buf, &n) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SHOPLOGNO(0703) "seller logo %s is missing or unreadable", full);
        return shop_render_not_found(req);
    }
    return shop_send_body(req, HTTP_OK, type, buf, n);
}
