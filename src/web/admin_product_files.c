/* Product files: image, thumbnail and PDF leaflet uploaded from the product
 * form (typed by their bytes, size-capped, stored atomically under
 * ShopDataDir/products/<id>/<kind>.<ext>) and served to anyone while the
 * product is listed, with an ETag from the content. */
#include "web/admin_product.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "core/catalog.h"
#include "core/crypto.h"
#include "data/filestore.h"
#include "core/sniff.h"
#include "data/catalog_repo.h"
#include "data/product_repo.h"

#define IMAGE_MAX_BYTES     (2 * 1024 * 1024)
#define LEAFLET_MAX_BYTES   (5 * 1024 * 1024)
#define FILES_DIR           "products"

static const char *const kinds[] = { "image", "thumb", "leaflet", NULL };

/* The extension of an accepted upload of this kind, NULL when refused. */
static const char *accepted_ext(const char *kind, const char *sniffed)
{
    if (!strcmp(kind, "leaflet")) return !strcmp(sniffed, "application/pdf") ? "pdf" : NULL;
    return !strcmp(sniffed, "image/png") ? "png" : !strcmp(sniffed, "image/jpeg") ? "jpg"
         : !strcmp(sniffed, "image/gif") ? "gif" : !strcmp(sniffed, "image/webp") ? "webp" : NULL;
}

int shop_page_admin_product_files(shop_req_t *req)
{
    apr_pool_t *pool = req->r->pool;
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    shop_product_rec_t p;
    shop_catalogue_info_t cat;
    int found = 0, cat_found = 0;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_product_get(db, id, "EUR", &p, &found) != 0
        || (found && shop_product_catalogue(db, p.catalogue_id, &cat, &cat_found) != 0))
        return shop_render_unavailable(req);
    if (!found || !cat_found) return shop_render_not_found(req);

    /* check every file before storing any */
    shop_form_t *f = shop_form_create(req);
    int status = 0;
    const char *ext[3] = { NULL, NULL, NULL };
    const shop_upload_t *up[3];
    for (int k = 0; kinds[k]; k++) {
        up[k] = shop_req_upload(req, kinds[k]);
        if (!up[k]) continue;
        apr_size_t cap = strcmp(kinds[k], "leaflet") ? IMAGE_MAX_BYTES : LEAFLET_MAX_BYTES;
        ext[k] = accepted_ext(kinds[k], up[k]->sniffed_type);
        if (up[k]->len > cap) {
            shop_form_error(f, kinds[k], "product_error_file_size", apr_psprintf(pool, "%" APR_SIZE_T_FMT " MB", cap >> 20));
            status = HTTP_REQUEST_ENTITY_TOO_LARGE;
        } else if (!ext[k]) {
            shop_form_error(f, kinds[k], strcmp(kinds[k], "leaflet") ? "product_error_file_image"
                                                                      : "product_error_file_pdf", NULL);
            if (!status) status = HTTP_UNSUPPORTED_MEDIA_TYPE;
        }
    }
    if (status) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0811) "product %" APR_INT64_T_FMT
                      ": upload refused (%d)", id, status);
        return shop_admin_product_render(req, id, 0, 0, f, status);
    }

    const char *dir = apr_psprintf(pool, "%s/" FILES_DIR "/%" APR_INT64_T_FMT, req->conf->data_dir, id);
    const char *refs[3] = { NULL, NULL, NULL };
    int changed[3] = { 0, 0, 0 };
    for (int k = 0; kinds[k]; k++) {
        if (up[k]) {
            const char *name = apr_pstrcat(pool, kinds[k], ".", ext[k], NULL);
            apr_status_t rv = shop_file_store(pool, dir, name, up[k]->data, up[k]->len);
            if (rv != APR_SUCCESS) {
                ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, req->r, SHOPLOGNO(0812) "cannot store %s of product %"
                              APR_INT64_T_FMT " in %s", kinds[k], id, dir);
                return shop_render_error(req, HTTP_INTERNAL_SERVER_ERROR, "store_failed", "error_500_message", NULL);
            }
            refs[k] = apr_psprintf(pool, FILES_DIR "/%" APR_INT64_T_FMT "/%s", id, name);
            changed[k] = 1;
        } else if (shop_req_param(req, apr_pstrcat(pool, "clear_", kinds[k], NULL))) {
            changed[k] = 1;
        }
    }
    int rv = shop_db_begin(db);
    for (int k = 0; rv == 0 && kinds[k]; k++)
        if (changed[k]) rv = shop_product_set_file(db, id, kinds[k], refs[k]);
    if (rv == 0) rv = shop_catalog_bump(db, cat.id);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_render_unavailable(req);
    shop_catalog_publish_versions(db, req->rt->cache, cat.id);

    /* files no longer referenced: an old extension, a cleared kind */
    const char *olds[3] = { p.image_ref, p.thumb_ref, p.leaflet_ref };
    for (int k = 0; kinds[k]; k++)
        if (changed[k] && olds[k] && (!refs[k] || strcmp(olds[k], refs[k])) && !strstr(olds[k], ".."))
            apr_file_remove(apr_pstrcat(pool, req->conf->data_dir, "/", olds[k], NULL), pool);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0813) "product %" APR_INT64_T_FMT
                  " files updated by user %" APR_INT64_T_FMT, id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", id));
}

int shop_page_media_product(shop_req_t *req)
{
    request_rec *r = req->r;
    apr_int64_t id = shop_req_capture_id(req, 0);
    const char *kind = req->captures[1];
    int k = -1;
    for (int i = 0; kind && kinds[i]; i++)
        if (!strcmp(kinds[i], kind)) k = i;
    if (!id || k < 0) return shop_render_not_found(req);
    shop_db_t *db = shop_req_db(req);
    shop_product_rec_t p;
    shop_catalogue_info_t cat;
    int found = 0, cat_found = 0;
    if (!db || shop_product_get(db, id, "EUR", &p, &found) != 0
        || (found && shop_product_catalogue(db, p.catalogue_id, &cat, &cat_found) != 0))
        return shop_render_unavailable(req);
    const char *refs[3] = { p.image_ref, p.thumb_ref, p.leaflet_ref };
    /* anyone may fetch the files of a listed product; staff see all */
    int listed = found && (!strcmp(p.status, SHOP_STATUS_AVAILABLE) || !strcmp(p.status, SHOP_STATUS_PROVIDING));
    if (found && !listed && shop_req_identity(req)->role >= SHOP_ROLE_STAFF) listed = 1;
    const char *ref = found ? refs[k] : NULL;
    if (!listed || !ref || strstr(ref, "..") || strncmp(ref, FILES_DIR "/", sizeof(FILES_DIR)))
        return shop_render_not_found(req);

    char *buf;
    apr_size_t n;
    const char *full = apr_pstrcat(r->pool, req->conf->data_dir, "/", ref, NULL);
    if (shop_file_read(r->pool, full, LEAFLET_MAX_BYTES, &buf, &n) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SHOPLOGNO(0814) "file %s of product %" APR_INT64_T_FMT
                      " is missing or unreadable", full, id);
        return shop_render_not_found(req);
    }
    const char *type = shop_sniff_mime(buf, n);
    if (!strcmp(type, "unknown")) type = "application/octet-stream";
    const char *etag = apr_psprintf(r->pool, "\"%.32s\"", shop_sha256_hex(r->pool, buf, n));
    apr_table_setn(r->headers_out, "ETag", etag);
    apr_table_setn(r->headers_out, "Cache-Control", "public, max-age=300");
    if (k == 2 || !strcmp(type, "application/octet-stream"))
        apr_table_setn(r->headers_out, "Content-Disposition",
                       apr_psprintf(r->pool, "%s; filename=\"%s.%s\"",
                                    cat.force_download_leaflet || k != 2 ? "attachment" : "inline", p.code,
                                    k == 2 ? "pdf" : "bin"));
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    if (inm && strstr(inm, etag)) return shop_send_body(req, HTTP_NOT_MODIFIED, type, "", 0);
    return shop_send_body(req, HTTP_OK, type, buf, n);
}
