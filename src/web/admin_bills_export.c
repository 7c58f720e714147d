/* GET /admin/bills/export?year=&month=&status=&shop=&currency= (staff): the
 * bills workbook (services/xlsx_export.h) as a download.
 *
 * The workbook is written to a temporary file under ShopDataDir/tmp/exports
 * (never in memory: an export of any size costs the child the same few
 * megabytes), opened, unlinked at once, then sent from the open descriptor
 * (sendfile): nothing is left on disk, even if the child dies mid-send.
 * Empty parameters mean "any" (a filter form's blank choice); a bad value is
 * a 400 in the user's language naming the field. */
#include "web/router.h"
#include "web/render.h"
#include "web/session.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <json.h>
#include <unistd.h>

#include "services/xlsx_export.h"

#define XLSX_TYPE   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define TMP_SUBDIR  "tmp/exports"
#define SLUG_MAX    40

/* Pool cleanup: a failed export leaves no file.  Plain unlink: a dying pool
 * cannot lend memory.  Usually the file is gone already (ENOENT). */
static apr_status_t remove_file(void *path)
{
    unlink(path);
    return APR_SUCCESS;
}

/* The shop's name as a file-name word: ASCII letters and digits, other runs
 * of characters as one '-'. */
static const char *slug(apr_pool_t *pool, const char *name)
{
    char *out = apr_palloc(pool, SLUG_MAX + 1);
    int n = 0, dash = 0;
    for (const char *c = name; *c && n < SLUG_MAX; c++) {
        if (apr_isalnum(*c)) {
            if (dash && n > 0 && n < SLUG_MAX - 1) out[n++] = '-';
            out[n++] = apr_tolower(*c);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    out[n] = '\0';
    return n ? out : NULL;
}

static int bad_filter(shop_req_t *req, const shop_xlsx_bad_t *bad)
{
    json_object *fields = json_object_new_object();
    json_object_object_add(fields, bad->field, json_object_new_string(bad->key));
    return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_filter", bad->key, fields);
}

/* A temporary file name of ours under ShopDataDir/tmp/exports, removed with the request. */
static apr_status_t temp_file(shop_req_t *req, const char **dir, char **path)
{
    apr_pool_t *pool = req->r->pool;
    *dir = apr_pstrcat(pool, req->conf->data_dir, "/" TMP_SUBDIR, NULL);
    apr_status_t st = apr_dir_make_recursive(*dir, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_UEXECUTE, pool);
    if (st != APR_SUCCESS) return st;
    *path = apr_pstrcat(pool, *dir, "/bills-XXXXXX", NULL);
    apr_file_t *f;
    st = apr_file_mktemp(&f, *path, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL, pool);
    if (st != APR_SUCCESS) return st;
    apr_pool_cleanup_register(pool, *path, remove_file, apr_pool_cleanup_null);
    return apr_file_close(f);
}

static int send_file(shop_req_t *req, const char *path, const char *filename)
{
    request_rec *r = req->r;
    apr_file_t *f;
    apr_finfo_t info;
    apr_status_t st = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_SENDFILE_ENABLED, 0, r->pool);
    if (st == APR_SUCCESS) st = apr_file_info_get(&info, APR_FINFO_SIZE, f);
    if (st != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, st, r, SHOPLOGNO(2303) "cannot read back the export %s", path);
        return shop_render_unavailable(req);
    }
    apr_file_remove(path, r->pool);            /* the open descriptor keeps the bytes */
    if (shop_session_finish(req) != 0) return shop_render_unavailable(req);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool, "attachment; filename=\"%s\"", filename));
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    r->status = HTTP_OK;
    ap_set_content_type(r, XLSX_TYPE);
    ap_set_content_length(r, info.size);
    if (!r->header_only) {
        apr_size_t sent = 0;
        ap_send_fd(f, r, 0, (apr_size_t)info.size, &sent);
    }
    return OK;
}

static int export_bills(shop_req_t *req)
{
    request_rec *r = req->r;
    shop_xlsx_filter_t filter;
    const shop_xlsx_bad_t *bad = shop_xlsx_filter_parse(r->pool, &filter, shop_req_param(req, "year"),
                                                        shop_req_param(req, "month"), shop_req_param(req, "status"),
                                                        shop_req_param(req, "shop"), shop_req_param(req, "currency"));
    if (bad) return bad_filter(req, bad);
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    const char *what = "all";
    if (filter.shop_id) {
        const char *name;
        if (shop_xlsx_shop_name(db, filter.shop_id, &name) != 0) return shop_render_unavailable(req);
        if (!name) return bad_filter(req, &shop_xlsx_bad_unknown_shop);
        what = slug(r->pool, name);
        if (!what) what = apr_psprintf(r->pool, "shop%" APR_INT64_T_FMT, filter.shop_id);
    }

    const char *dir;
    char *path;
    apr_status_t st = temp_file(req, &dir, &path);
    if (st != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, st, r, SHOPLOGNO(2300) "cannot make a temporary file under %s/"
                      TMP_SUBDIR " for a bills export", req->conf->data_dir);
        return shop_render_unavailable(req);
    }
    shop_xlsx_counts_t counts;
    const char *why = NULL;
    apr_time_t started = apr_time_now();
    int rv = shop_xlsx_export_bills(db, &filter, path, dir, &counts, &why);
    if (rv == SHOP_XLSX_TOO_MANY) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SHOPLOGNO(2301) "bills export refused: %s", why);
        return shop_render_error(req, HTTP_BAD_REQUEST, "too_many_bills", "export_too_many", NULL);
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SHOPLOGNO(2302) "bills export failed (%d): %s", rv,
                      why ? why : "unknown error");
        return shop_render_unavailable(req);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SHOPLOGNO(2304) "bills export by user %" APR_INT64_T_FMT
                  ": %" APR_INT64_T_FMT " bills, %" APR_INT64_T_FMT " credit notes in %" APR_TIME_T_FMT " ms",
                  shop_req_identity(req)->userid, counts.bills, counts.credit_notes,
                  apr_time_as_msec(apr_time_now() - started));

    char stamp[APR_RFC822_DATE_LEN];
    apr_size_t len;
    apr_time_exp_t now;
    apr_time_exp_lt(&now, r->request_time);
    apr_strftime(stamp, &len, sizeof(stamp), "%Y%m%d-%H%M", &now);
    return send_file(req, path, apr_psprintf(r->pool, "bills-%s-%s.xlsx", what, stamp));
}

/* Filters are free text here so that a bad one is refused by the handler,
 * with a message saying what is expected, rather than by the generic check. */
static const shop_param_t p_export[] = {
    { "year", SHOP_P_TEXT, 16 }, { "month", SHOP_P_TEXT, 16 }, { "status", SHOP_P_TEXT, 16 },
    { "shop", SHOP_P_TEXT, 20 }, { "currency", SHOP_P_TEXT, 16 }, { NULL }
};

const shop_route_t shop_admin_export_routes[] = {
    { "GET", "/admin/bills/export", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_export, export_bills, 0 },
    { NULL }
};
