/* Bill state changes with their side effects and audit: see bill_workflow.h.
 *
 * Lock order, the same in every caller (no deadlock between them): the
 * payment event's key (payment apply), the bill row, the products' rows
 * (stock), the numbering counter (invoicing.c).  The counter is the hot
 * lock of the shop; taking it last keeps it for the shortest time. */
#include "services/bill_workflow.h"
#include "services/invoicing.h"
#include "services/mailer.h"
#include "services/placement.h"
#include "services/production.h"
#include "data/trace_repo.h"

#include <string.h>

#include <apr_strings.h>

#define I64(v) shop_db_i64(db->pool, (v))
#define MAIL_NOW_MAX 20     /* mails of one bill sent on the request path */
#define EFFECT_MASK (~(unsigned)(SHOP_BT_STAFF | SHOP_BT_SYSTEM))

static const shop_sql_t Q_LOCK = {
    "wf.lock",
    "SELECT status, transid, invoice_number, customer_id,"
    " (SELECT COUNT(*) FROM {shop}bill_line l WHERE l.bill_id = b.id)"
    " FROM {shop}bill b WHERE id = %s FOR UPDATE"
};
static const shop_sql_t Q_BY_TRANSID = { "wf.by_transid", "SELECT id FROM {shop}bill WHERE transid = %s" };
static const shop_sql_t Q_PAID_AT = {
    "wf.paid_at",
    "UPDATE {shop}bill SET paid_at = COALESCE(paid_at, %s), sale_at = COALESCE(sale_at, %s) WHERE id = %s"
};
static const shop_sql_t Q_STATUS = {
    "wf.status",
    "UPDATE {shop}bill SET status = %s, version = version + 1, modified_at = %s WHERE id = %s"
};
/* a manual bill leaving WORKING is placed now */
static const shop_sql_t Q_PLACED_AT = {
    "wf.placed_at", "UPDATE {shop}bill SET placed_at = COALESCE(placed_at, %s) WHERE id = %s"
};
static const shop_sql_t Q_LOG = {
    "wf.log",
    "INSERT INTO {shop}bill_state_log (bill_id, from_status, to_status, userid, source, reason, raw, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
};

int shop_bill_id_by_transid(shop_db_t *db, const char *transid, apr_int64_t *id)
{
    shop_rows_t *rows;
    const char *args[] = { transid };
    int rv = shop_db_select(db, &Q_BY_TRANSID, 1, args, &rows);
    *id = rv == 0 ? shop_rows_i64(rows, 0, 0, 0) : 0;
    return rv;
}

/* The side effects that belong in the transaction, in the flags' order. */
static int effects_in_txn(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, unsigned fx,
                          const shop_actor_t *actor, const char *reason, int had_invoice, apr_int64_t now,
                          shop_tr_result_t *out)
{
    int rv = 0;
    shop_issued_t doc;

    if ((fx & SHOP_BT_RELEASE_STOCK) && (rv = shop_stock_release_bill(db, bill_id, now, NULL)) != 0) return rv;
    if ((fx & SHOP_BT_SELL_STOCK) && (rv = shop_stock_sell_bill(db, bill_id, now)) != 0) return rv;
    if (fx & SHOP_BT_INVOICE) {
        if ((rv = shop_invoice_issue(db, bill_id, actor->userid, now, &doc)) != 0) return rv;
        if (doc.invoice_id && !had_invoice) {
            out->invoice_id = doc.invoice_id;
            out->invoice_number = doc.number;
        }
    }
    if (fx & SHOP_BT_CREDIT) {
        if ((rv = shop_invoice_credit(db, bill_id, actor->userid, reason, now, &doc)) != 0) return rv;
        out->credit_note_id = doc.invoice_id;
        out->credit_note_number = doc.number;
    }
    if (fx & SHOP_BT_PAID_AT) {
        const char *args[] = { I64(now), I64(now), I64(bill_id) };
        if ((rv = shop_db_exec(db, &Q_PAID_AT, 3, args, NULL)) != 0) return rv;
    }
    if ((fx & SHOP_BT_MAIL_CONFIRM) && env && (rv = shop_mail_transaction_confirmed(db, env, bill_id, now, NULL)) != 0)
        return rv;
    return 0;
}

static int audit(shop_db_t *db, apr_int64_t bill_id, const char *transid, shop_bill_status_t from,
                 shop_bill_status_t to, const shop_actor_t *actor, const char *reason, int raw, apr_int64_t now)
{
    const char *source = actor->source && *actor->source ? actor->source : "system";
    const char *why = reason && *reason ? reason : NULL;
    const char *args[] = {
        I64(bill_id), shop_bill_status_name(from), shop_bill_status_name(to),
        actor->userid > 0 ? I64(actor->userid) : NULL, source, why, raw ? "1" : "0", I64(now)
    };
    int rv = shop_db_exec(db, &Q_LOG, 8, args, NULL);
    if (rv != 0) return rv;
    return shop_tracef(db, transid, "notice", "workflow", "%s%s -> %s by %s%s%s%s", raw ? "raw change " : "",
                       shop_bill_status_name(from), shop_bill_status_name(to),
                       actor->userid > 0 ? apr_psprintf(db->pool, "user %" APR_INT64_T_FMT " ", actor->userid) : "",
                       source, why ? ": " : "", why ? why : "");
}

int shop_bill_transition_in_txn(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id,
                                shop_bill_status_t to, const shop_actor_t *actor, const char *reason,
                                int flags, apr_int64_t now, shop_tr_result_t *out)
{
    shop_rows_t *rows;
    shop_bill_status_t from;
    const shop_bill_transition_t *t = NULL;
    int raw = (flags & SHOP_TR_RAW) != 0, rv;

    memset(out, 0, sizeof(*out));
    out->bill_id = bill_id;
    out->to = to;
    const char *args[] = { I64(bill_id) };
    if ((rv = shop_db_select(db, &Q_LOCK, 1, args, &rows)) != 0) return rv;
    if (rows->nrows == 0 || shop_bill_status_name(to) == NULL) {
        out->status = SHOP_TR_NOT_FOUND;
        return 0;
    }
    if (shop_bill_status_parse(shop_rows_str(rows, 0, 0), &from) != 0) return -1;
    const char *transid = shop_rows_str(rows, 0, 1);
    int had_invoice = shop_rows_str(rows, 0, 2) != NULL;
    out->from = from;

    if (to == from) {
        out->status = SHOP_TR_NOOP;
        return 0;
    }
    if (raw && !actor->is_admin) {
        out->status = SHOP_TR_FORBIDDEN;
        return 0;
    }
    if (!raw) {
        t = shop_bill_transition_find(from, to);
        if (!t || !(t->flags & (actor->is_staff ? SHOP_BT_STAFF : SHOP_BT_SYSTEM))) {
            out->status = SHOP_TR_ILLEGAL;
            return 0;
        }
        /* a draft goes out only with somebody to bill and something to bill */
        if (from == SHOP_BS_WORKING && to != SHOP_BS_CANCELLED) {
            out->missing = !shop_rows_str(rows, 0, 3) ? "customer" : !shop_rows_i64(rows, 0, 4, 0) ? "lines" : NULL;
            if (out->missing) {
                out->status = SHOP_TR_INCOMPLETE;
                return 0;
            }
        }
        out->effects = t->flags & EFFECT_MASK;
        if ((rv = effects_in_txn(db, env, bill_id, out->effects, actor, reason, had_invoice, now, out)) != 0)
            return rv;
    }
    const char *sargs[] = { shop_bill_status_name(to), I64(now), I64(bill_id) };
    if ((rv = shop_db_exec(db, &Q_STATUS, 3, sargs, NULL)) != 0) return rv;
    if (from == SHOP_BS_WORKING && !raw && (rv = shop_db_exec(db, &Q_PLACED_AT, 2, sargs + 1, NULL)) != 0) return rv;
    if ((rv = audit(db, bill_id, transid, from, to, actor, reason, raw, now)) != 0) return rv;
    out->status = SHOP_TR_OK;
    return 0;
}

int shop_bill_after_commit(shop_db_t *db, const shop_env_t *env, const shop_tr_result_t *res,
                           const shop_actor_t *actor, apr_int64_t now)
{
    int rv = 0, r;

    if (res->status != SHOP_TR_OK || !env) return 0;
    /* each step reports its own failure as a trace line; cron retries it */
    if (res->invoice_id && (r = shop_invoice_store_pdf(db, env, res->invoice_id)) != 0 && !rv) rv = r;
    if (res->credit_note_id && (r = shop_invoice_store_pdf(db, env, res->credit_note_id)) != 0 && !rv) rv = r;
    if (res->effects & (SHOP_BT_PREPAY | SHOP_BT_POSTPAY)) {
        shop_produce_phase_t phase = (res->effects & SHOP_BT_POSTPAY)
                                     ? ((res->effects & SHOP_BT_PREPAY) ? SHOP_PRODUCE_BOTH : SHOP_PRODUCE_POSTPAY)
                                     : SHOP_PRODUCE_PREPAY;
        shop_production_report_t report;
        if ((r = shop_production_run(db, env, res->bill_id, phase, actor, now, &report)) != 0 && !rv) rv = r;
    }
    /* the mails this change queued (production sends its own) */
    shop_mail_stats_t st;
    if ((r = shop_mail_deliver_due(db, env, now, res->bill_id, MAIL_NOW_MAX, &st)) != 0 && !rv) rv = r;
    return rv;
}

typedef struct transition_call {
    const shop_env_t *env;
    apr_int64_t bill_id;
    shop_bill_status_t to;
    const shop_actor_t *actor;
    const char *reason;
    int flags;
    apr_int64_t now;
    shop_tr_result_t *out;
} transition_call_t;

static int transition_body(shop_db_t *db, void *baton)
{
    transition_call_t *c = baton;
    int rv = shop_bill_transition_in_txn(db, c->env, c->bill_id, c->to, c->actor, c->reason, c->flags, c->now,
                                         c->out);
    if (rv != 0) return rv;
    /* a refusal or a no-op writes nothing: nothing to keep */
    return c->out->status == SHOP_TR_OK ? 0 : SHOP_DB_ROLLBACK;
}

int shop_bill_transition(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, shop_bill_status_t to,
                         const shop_actor_t *actor, const char *reason, int flags, apr_int64_t now,
                         shop_tr_result_t *out)
{
    transition_call_t c = { env, bill_id, to, actor, reason, flags, now, out };
    int rv = shop_db_transaction(db, transition_body, &c);
    if (rv == SHOP_DB_ROLLBACK) return 0;
    if (rv != 0) return rv;
    shop_bill_after_commit(db, env, out, actor, now);
    return 0;
}
