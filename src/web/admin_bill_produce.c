/* POST /admin/bills/{id}/produce: the "Retry production" button.  Runs the
 * post-pay production of the lines not produced yet (services/production.h:
 * each line in its own transaction, never twice) for a bill whose money is
 * recorded or that is trusted (SOLDOUT, PREPROD, PARTIAL), then goes back to
 * the bill page with how many lines were produced and how many still fail
 * (their reasons are on the page). */
#include "web/admin_bills.h"
#include "web/render.h"
#include "web/services_env.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>

#include "core/bill_state.h"
#include "data/bill_admin_repo.h"
#include "services/production.h"

int shop_page_admin_bill_produce(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st0 = shop_abill_load(req, &b, &sent);
    if (sent) return st0;
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = b.id;
    shop_bill_status_t st = SHOP_BS_WORKING;
    shop_bill_status_parse(b.status, &st);
    if (st != SHOP_BS_SOLDOUT && st != SHOP_BS_PREPROD && st != SHOP_BS_PARTIAL)
        return shop_abill_refused(req, id, HTTP_CONFLICT, "bo_error_produce_state");
    shop_actor_t actor = shop_req_actor(req);
    shop_production_report_t rep;
    memset(&rep, 0, sizeof(rep));
    int rv = shop_production_run(db, shop_req_env(req), id, SHOP_PRODUCE_POSTPAY, &actor, req->now, &rep);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2505) "bill %" APR_INT64_T_FMT
                      ": production retry failed (MySQL error %d)", id, rv);
        return shop_render_unavailable(req);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2506) "bill %" APR_INT64_T_FMT ": production retried by user %"
                  APR_INT64_T_FMT ": %d produced, %d failed, %d already done", id, actor.userid, rep.produced,
                  rep.failed, rep.skipped);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/bills/%" APR_INT64_T_FMT
                                                 "?done=produce&produced=%d&failed=%d", id, rep.produced, rep.failed));
}
