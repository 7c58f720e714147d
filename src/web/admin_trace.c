/* The per-transaction trace viewer ({shop}trace, data/trace_repo.h):
 * GET /admin/bills/{id}/trace for a bill, GET /admin/trace?transid=... for
 * any transaction id (a gateway may report one that matches no bill).
 * Lines in the order they were written, with their level, source and time
 * to the microsecond (local time). */
#include "web/admin_bills.h"
#include "web/admin_form.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "data/bill_admin_repo.h"
#include "data/trace_repo.h"
#include "services/bill_workflow.h"

#define TRACE_LINES     5000
#define TRANSID_MAX     64

static int transid_ok(const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > TRANSID_MAX) return 0;
    for (; *s; s++)
        if (!(apr_isalnum(*s) || *s == '-' || *s == '_')) return 0;
    return 1;
}

static const char *stamp(shop_req_t *req, apr_int64_t sec, apr_int64_t usec)
{
    const char *t = shop_abill_datetime(req, sec);
    apr_time_exp_t tm;
    if (!t || apr_time_exp_lt(&tm, apr_time_from_sec(sec)) != APR_SUCCESS) return "";
    return apr_psprintf(req->r->pool, "%s:%02d.%06" APR_INT64_T_FMT, t, tm.tm_sec, usec);
}

static int render(shop_req_t *req, const char *transid, apr_int64_t bill_id, int status, const char *error)
{
    shop_db_t *db = shop_req_db(req);
    apr_pool_t *p = req->r->pool;
    json_object *data = json_object_new_object();
    if (transid) {
        shop_rows_t *rows;
        if (shop_trace_list(db, transid, TRACE_LINES, &rows) != 0) return shop_render_unavailable(req);
        json_object *a = json_object_new_array();
        for (int r = 0; r < rows->nrows; r++) {
            json_object *o = json_object_new_object();
            const char *level = shop_rows_str(rows, r, 3);
            json_object_object_add(o, "time", json_object_new_string(
                stamp(req, shop_rows_i64(rows, r, 1, 0), shop_rows_i64(rows, r, 2, 0))));
            json_object_object_add(o, "level", json_object_new_string(level ? level : ""));
            json_object_object_add(o, "source", json_object_new_string(shop_rows_str(rows, r, 4) ? shop_rows_str(rows, r, 4) : ""));
            json_object_object_add(o, "message", json_object_new_string(shop_rows_str(rows, r, 5) ? shop_rows_str(rows, r, 5) : ""));
            json_object_array_add(a, o);
        }
        json_object_object_add(data, "lines", a);
        json_object_object_add(data, "count", json_object_new_int(rows->nrows));
        json_object_object_add(data, "transid", json_object_new_string(transid));
        if (rows->nrows >= TRACE_LINES) json_object_object_add(data, "truncated", json_object_new_boolean(1));
    }
    if (bill_id) {
        json_object_object_add(data, "bill_id", json_object_new_int64(bill_id));
        json_object_object_add(data, "bill_url", json_object_new_string(apr_psprintf(p, "%s/admin/bills/%" APR_INT64_T_FMT,
                                                                                     req->conf->public_path, bill_id)));
    }
    if (error) json_object_object_add(data, "error", json_object_new_string(shop_req_text(req, error)));
    const char *asked = shop_req_param(req, "transid");
    json_object_object_add(data, "query", json_object_new_string(asked ? asked : transid ? transid : ""));
    return shop_render_page(req, status, "admin/trace", data);
}

int shop_page_admin_bill_trace(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    const char *transid = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db) return shop_render_unavailable(req);
    if (shop_bill_admin_transid(db, id, &transid) != 0) return shop_render_unavailable(req);
    if (!transid) return shop_render_not_found(req);
    return render(req, transid, id, HTTP_OK, NULL);
}

int shop_page_admin_trace(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    const char *transid = shop_req_param(req, "transid");
    if (!transid || !*transid) return render(req, NULL, 0, HTTP_OK, NULL);
    if (!transid_ok(transid)) return render(req, NULL, 0, HTTP_BAD_REQUEST, "bo_error_transid");
    apr_int64_t bill_id = 0;
    if (shop_bill_id_by_transid(db, transid, &bill_id) != 0) return shop_render_unavailable(req);
    return render(req, transid, bill_id, HTTP_OK, NULL);
}
