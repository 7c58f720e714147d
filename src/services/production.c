/* Production of a bill (production.h).
 *
 * One line, one step (pre-pay or post-pay), one transaction: the bill row
 * then the line row are locked, in that order like every writer of bills,
 * so two runs of the same bill (the payment's after-commit work and a cron,
 * two crons) take turns and the second finds the marker set.  Locking the
 * bill also keeps its state still while a line is produced: a bill
 * cancelled meanwhile is not produced.
 *
 * Post-pay of a line whose pre-pay never succeeded runs the pre-pay first,
 * in the same transaction: actions count on what pre-pay makes (the
 * customer's account).
 *
 * Sets and bundles: the PRODUCT line is produced as one unit by its own
 * action (the snapshot keeps the element codes for the actions to come).
 *
 * A bill produced in full is moved SOLDOUT -> COMPLETE in a transaction
 * that also queues the production feedback mail, so the mail goes exactly
 * once, with the transition that only one run can make (should that fail,
 * the bill stays SOLDOUT, due for the next cron).  A trusted bill
 * (PREPROD) stays PREPROD; its mail is queued under the bill's lock unless
 * one is already there. */
#include "services/production.h"
#include "core/utf8.h"

#include <string.h>
#include <apr_strings.h>
#include <json.h>

#include "actions/action.h"
#include "core/bill_state.h"
#include "data/trace_repo.h"
#include "services/bill_workflow.h"
#include "services/mailer.h"

#define ERROR_MAX 1000          /* characters of a failure reason kept on the line */
#define MAIL_BATCH 20

static const shop_sql_t Q_BILL = {
    "production.bill", "SELECT transid, status FROM {shop}bill WHERE id = %s"
};
static const shop_sql_t Q_BILL_LOCK = {
    "production.bill_lock",
    "SELECT transid, status, shop_id, customer_id, userid, lang, test, production_feedback"
    " FROM {shop}bill WHERE id = %s FOR UPDATE"
};
static const shop_sql_t Q_CUSTOMER_USER = {
    "production.customer_user", "SELECT userid FROM {shop}customer WHERE id = %s"
};
static const shop_sql_t Q_LINES = {
    "production.lines",
    "SELECT id FROM {shop}bill_line WHERE bill_id = %s AND type = 'PRODUCT' ORDER BY line_no"
};
static const shop_sql_t Q_LINE_LOCK = {
    "production.line_lock",
    "SELECT line_no, code, label, quantity, product_id, product_snapshot, required_data, seats,"
    " prepaid_at, produced, production_feedback"
    " FROM {shop}bill_line WHERE id = %s AND bill_id = %s AND type = 'PRODUCT' FOR UPDATE"
};
enum { L_NO, L_CODE, L_LABEL, L_QTY, L_PRODUCT, L_SNAPSHOT, L_REQUIRED, L_SEATS, L_PREPAID, L_PRODUCED, L_FEEDBACK };
static const shop_sql_t Q_LINE_PREPAID = {
    "production.line_prepaid",
    "UPDATE {shop}bill_line SET prepaid_at = %s, prepay_error = NULL, production_feedback = %s, modified_at = %s"
    " WHERE id = %s"
};
static const shop_sql_t Q_LINE_PRODUCED = {
    "production.line_produced",
    "UPDATE {shop}bill_line SET prepaid_at = COALESCE(prepaid_at, %s), produced = 1, produced_at = %s,"
    " prepay_error = NULL, production_error = NULL, production_feedback = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_BILL_FEEDBACK = {
    "production.bill_feedback",
    "UPDATE {shop}bill SET production_feedback = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_LINE_FAILED_PREPAY = {
    "production.line_failed_prepay",
    "UPDATE {shop}bill_line SET production_attempts = production_attempts + 1, prepay_error = %s,"
    " modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_LINE_FAILED_POSTPAY = {
    "production.line_failed_postpay",
    "UPDATE {shop}bill_line SET production_attempts = production_attempts + 1, production_error = %s,"
    " modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_REMAINING = {
    "production.remaining",
    "SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s AND type = 'PRODUCT' AND produced = 0"
};
static const shop_sql_t Q_MAIL_QUEUED = {
    "production.mail_queued",
    "SELECT 1 FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback' LIMIT 1"
};
/* Bills paid or trusted with something left to produce, and paid bills
 * produced but not completed (the completion failed), oldest first.  A paid
 * bill without PRODUCT lines (manual lines only) is left to staff. */
static const shop_sql_t Q_DUE = {
    "production.due",
    "SELECT b.id FROM {shop}bill b WHERE (b.status = 'SOLDOUT'"
    " AND EXISTS (SELECT 1 FROM {shop}bill_line l WHERE l.bill_id = b.id AND l.type = 'PRODUCT'))"
    " OR (b.status = 'PREPROD'"
    " AND EXISTS (SELECT 1 FROM {shop}bill_line l WHERE l.bill_id = b.id AND l.type = 'PRODUCT' AND l.produced = 0))"
    " ORDER BY b.id LIMIT %s"
};

#define I64(v) shop_db_i64(db->pool, (v))

/* May `step` run on a bill in state `status`?  Pre-pay: once the order is
 * placed and as long as it is alive; post-pay: paid or trusted. */
static int step_allowed(const char *status, shop_produce_phase_t step)
{
    shop_bill_status_t s;
    if (shop_bill_status_parse(status, &s) != 0) return 0;
    if (step == SHOP_PRODUCE_POSTPAY) return s == SHOP_BS_SOLDOUT || s == SHOP_BS_PREPROD || s == SHOP_BS_COMPLETE;
    return s == SHOP_BS_PLACED || s == SHOP_BS_PENDING || s == SHOP_BS_PREPROD || s == SHOP_BS_PARTIAL
           || s == SHOP_BS_SOLDOUT || s == SHOP_BS_COMPLETE;
}

static json_object *parse(const char *text)
{
    return text && *text ? json_tokener_parse(text) : NULL;
}

/* old (JSON {public, private, salesadmin} text or NULL) with fb appended. */
static const char *merged(apr_pool_t *pool, const char *old, const shop_feedback_t *fb)
{
    json_object *o = parse(old);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = json_object_new_object();
    }
    const char *keys[] = { "public", "private", "salesadmin" };
    const char *add[] = { fb->public_html, fb->private_html, fb->salesadmin_html };
    for (int i = 0; i < 3; i++) {
        json_object *v;
        const char *was = json_object_object_get_ex(o, keys[i], &v) && json_object_is_type(v, json_type_string)
                          ? json_object_get_string(v) : "";
        json_object_object_add(o, keys[i], json_object_new_string(apr_pstrcat(pool, was, add[i] ? add[i] : "", NULL)));
    }
    const char *s = apr_pstrdup(pool, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return s;
}

static int feedback_empty(const shop_feedback_t *fb)
{
    return !(fb->public_html && *fb->public_html) && !(fb->private_html && *fb->private_html)
           && !(fb->salesadmin_html && *fb->salesadmin_html);
}

/* One line's step: what the transaction body needs and tells. */
typedef struct line_step {
    const shop_env_t *env;
    apr_int64_t bill_id, line_id, now;
    shop_produce_phase_t step;
    /* out */
    enum { STEP_DONE, STEP_SKIPPED, STEP_FAILED, STEP_REFUSED } outcome;
    shop_produce_phase_t failed_step;   /* which step failed: pre-pay may fail inside post-pay */
    const char *error, *transid, *code, *status;
    apr_int64_t line_no;
} line_step_t;

static void free_json(shop_action_line_t *l)
{
    json_object_put(l->snapshot);
    json_object_put(l->required_data);
    json_object_put(l->seats);
}

/* The action's view of the locked line. */
static void action_line(shop_db_t *db, line_step_t *ls, const shop_rows_t *bill, const shop_rows_t *line,
                        shop_action_line_t *l)
{
    memset(l, 0, sizeof(*l));
    l->line_id = ls->line_id;
    l->bill_id = ls->bill_id;
    l->shop_id = shop_rows_i64(bill, 0, 2, 0);
    l->customer_id = shop_rows_i64(bill, 0, 3, 0);
    l->buyer_userid = shop_rows_i64(bill, 0, 4, 0);
    l->lang = shop_rows_str(bill, 0, 5);
    l->test = shop_rows_i64(bill, 0, 6, 0) != 0;
    l->transid = ls->transid;
    l->code = shop_rows_str(line, 0, L_CODE);
    l->label = shop_rows_str(line, 0, L_LABEL);
    l->quantity = shop_rows_i64(line, 0, L_QTY, 1);
    l->product_id = shop_rows_i64(line, 0, L_PRODUCT, 0);
    l->snapshot = parse(shop_rows_str(line, 0, L_SNAPSHOT));
    json_object *params;
    if (l->snapshot && json_object_object_get_ex(l->snapshot, "action_params", &params)
        && json_object_is_type(params, json_type_object))
        l->params = params;
    l->required_data = parse(shop_rows_str(line, 0, L_REQUIRED));
    l->seats = parse(shop_rows_str(line, 0, L_SEATS));
    shop_rows_t *cu;
    const char *args[] = { I64(l->customer_id) };
    if (l->customer_id > 0 && shop_db_select(db, &Q_CUSTOMER_USER, 1, args, &cu) == 0)
        l->customer_userid = shop_rows_i64(cu, 0, 0, 0);
}

static const char *snapshot_action(json_object *snapshot)
{
    json_object *v;
    return snapshot && json_object_object_get_ex(snapshot, "action", &v) && json_object_is_type(v, json_type_string)
           ? json_object_get_string(v) : NULL;
}

/* Run one action step; 0, or -1 with ls->error (and ls->failed_step). */
static int run_action(line_step_t *ls, shop_action_ctx_t *ctx, const shop_action_line_t *l, shop_produce_phase_t step)
{
    const shop_action_t *a = shop_action_find(snapshot_action(l->snapshot));
    int (*fn)(shop_action_ctx_t *, const shop_action_line_t *) = step == SHOP_PRODUCE_PREPAY ? a->prepay : a->postpay;
    ctx->error = NULL;
    if (!fn || fn(ctx, l) == 0) return 0;
    ls->failed_step = step;
    /* a copy: the reason may live in the line's JSON, freed before it is recorded */
    ls->error = apr_pstrdup(ctx->pool, ctx->error && *ctx->error ? ctx->error
                            : ctx->db->txn_failed ? ctx->db->last_message : "the action failed without a reason");
    return -1;
}

static int line_body(shop_db_t *db, void *baton)
{
    line_step_t *ls = baton;
    shop_rows_t *bill, *line;
    ls->error = NULL;
    ls->failed_step = 0;
    const char *bargs[] = { I64(ls->bill_id) };
    int rv = shop_db_select(db, &Q_BILL_LOCK, 1, bargs, &bill);
    if (rv != 0) return rv;
    ls->outcome = STEP_REFUSED;
    if (bill->nrows == 0) return SHOP_DB_ROLLBACK;
    ls->transid = shop_rows_str(bill, 0, 0);
    ls->status = shop_rows_str(bill, 0, 1);
    if (!step_allowed(ls->status, ls->step)) return SHOP_DB_ROLLBACK;
    const char *largs[] = { I64(ls->line_id), I64(ls->bill_id) };
    if ((rv = shop_db_select(db, &Q_LINE_LOCK, 2, largs, &line)) != 0) return rv;
    ls->outcome = STEP_SKIPPED;
    if (line->nrows == 0) return SHOP_DB_ROLLBACK;
    ls->code = shop_rows_str(line, 0, L_CODE);
    ls->line_no = shop_rows_i64(line, 0, L_NO, 0);
    int prepaid = shop_rows_str(line, 0, L_PREPAID) != NULL, produced = shop_rows_i64(line, 0, L_PRODUCED, 0) != 0;
    if (ls->step == SHOP_PRODUCE_PREPAY ? prepaid || produced : produced) return SHOP_DB_ROLLBACK;

    shop_action_ctx_t ctx = { .db = db, .env = ls->env, .pool = db->pool, .now = ls->now };
    shop_action_line_t l;
    action_line(db, ls, bill, line, &l);
    int failed = (!prepaid && run_action(ls, &ctx, &l, SHOP_PRODUCE_PREPAY) != 0)
                 || (ls->step == SHOP_PRODUCE_POSTPAY && run_action(ls, &ctx, &l, SHOP_PRODUCE_POSTPAY) != 0);
    free_json(&l);
    if (failed) {
        ls->outcome = STEP_FAILED;
        /* a deadlock victim is run again from scratch by shop_db_transaction */
        return db->txn_failed == SHOP_DB_ER_DEADLOCK ? SHOP_DB_ER_DEADLOCK : SHOP_DB_ROLLBACK;
    }
    const char *now = I64(ls->now), *line_fb = shop_rows_str(line, 0, L_FEEDBACK);
    if (!feedback_empty(&ctx.feedback)) {
        line_fb = merged(db->pool, line_fb, &ctx.feedback);
        const char *fargs[] = { merged(db->pool, shop_rows_str(bill, 0, 7), &ctx.feedback), now, I64(ls->bill_id) };
        if ((rv = shop_db_exec(db, &Q_BILL_FEEDBACK, 3, fargs, NULL)) != 0) return rv;
    }
    if (ls->step == SHOP_PRODUCE_PREPAY) {
        const char *args[] = { now, line_fb, now, I64(ls->line_id) };
        rv = shop_db_exec(db, &Q_LINE_PREPAID, 4, args, NULL);
    }
    else {
        const char *args[] = { now, now, line_fb, now, I64(ls->line_id) };
        rv = shop_db_exec(db, &Q_LINE_PRODUCED, 5, args, NULL);
    }
    if (rv != 0) return rv;
    ls->outcome = STEP_DONE;
    /* with the production: the trace says what was committed, at no extra disk sync */
    return shop_tracef(db, ls->transid, "info", "production", "line %" APR_INT64_T_FMT " %s: %s done", ls->line_no,
                       ls->code, ls->step == SHOP_PRODUCE_PREPAY ? "pre-pay" : "post-pay");
}

static const char *clipped(apr_pool_t *pool, const char *s)
{
    if (!s) return "unknown error";
    return shop_utf8_clip(pool, s, ERROR_MAX);
}

/* In a transaction of its own, after the line's was rolled back. */
static void record_failure(shop_db_t *db, line_step_t *ls)
{
    const char *why = clipped(db->pool, ls->error);
    int prepay = ls->failed_step == SHOP_PRODUCE_PREPAY;
    const char *args[] = { why, I64(ls->now), I64(ls->line_id) };
    if (shop_db_begin(db) != 0) return;
    shop_db_exec(db, prepay ? &Q_LINE_FAILED_PREPAY : &Q_LINE_FAILED_POSTPAY, 3, args, NULL);
    shop_tracef(db, ls->transid, "error", "production", "line %" APR_INT64_T_FMT " %s: %s failed: %s", ls->line_no,
                ls->code ? ls->code : "?", prepay ? "pre-pay" : "post-pay", why);
    if (shop_db_commit(db) != 0) shop_db_rollback(db);
}

/* One step of one line; updates the report.  0, or a MySQL errno that
 * stops the run (the database is gone). */
static int produce_line(shop_db_t *db, line_step_t *ls, shop_production_report_t *out, int last_step)
{
    int rv = shop_db_transaction(db, line_body, ls);
    if (rv != 0 && rv != SHOP_DB_ROLLBACK) {
        if (shop_db_error_is_connection(rv)) return rv;
        ls->outcome = STEP_FAILED;
        if (!ls->failed_step) ls->failed_step = ls->step;
        if (!ls->error) ls->error = db->last_message;
    }
    switch (ls->outcome) {
    case STEP_FAILED:
        record_failure(db, ls);
        out->failed++;
        if (!out->first_error) out->first_error = apr_psprintf(db->pool, "%s: %s", ls->code ? ls->code : "?", ls->error);
        break;
    case STEP_REFUSED:
        if (!out->first_error)
            out->first_error = apr_psprintf(db->pool, "the bill is %s: not produced", ls->status ? ls->status : "gone");
        break;
    case STEP_DONE:
        if (last_step) out->produced++;
        break;
    case STEP_SKIPPED:
        if (last_step) out->skipped++;
        break;
    }
    return 0;
}

typedef struct completing {
    const shop_env_t *env;
    const shop_actor_t *actor;
    apr_int64_t bill_id, now;
    shop_tr_result_t res;
} completing_t;

/* SOLDOUT -> COMPLETE and its mail, together: only the run whose transition
 * is made queues the mail. */
static int complete_body(shop_db_t *db, void *baton)
{
    completing_t *c = baton;
    int rv = shop_bill_transition_in_txn(db, c->env, c->bill_id, SHOP_BS_COMPLETE, c->actor, "production complete", 0,
                                         c->now, &c->res);
    if (rv != 0) return rv;
    if (c->res.status != SHOP_TR_OK) return SHOP_DB_ROLLBACK;
    return shop_mail_production_feedback(db, c->env, c->bill_id, c->now, NULL);
}

/* PREPROD: the mail once, whichever run finishes the bill. */
static int trusted_mail_body(shop_db_t *db, void *baton)
{
    completing_t *c = baton;
    shop_rows_t *rows;
    const char *args[] = { I64(c->bill_id) };
    int rv = shop_db_select(db, &Q_BILL_LOCK, 1, args, &rows);
    if (rv == 0 && (rows->nrows == 0 || strcmp(shop_rows_str(rows, 0, 1), "PREPROD"))) return SHOP_DB_ROLLBACK;
    if (rv == 0) rv = shop_db_select(db, &Q_MAIL_QUEUED, 1, args, &rows);
    if (rv == 0 && rows->nrows > 0) return SHOP_DB_ROLLBACK;
    return rv ? rv : shop_mail_production_feedback(db, c->env, c->bill_id, c->now, NULL);
}

static void finish(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, const shop_actor_t *actor,
                   apr_int64_t now, shop_production_report_t *out)
{
    shop_rows_t *rows;
    const char *args[] = { I64(bill_id) };
    if (shop_db_select(db, &Q_REMAINING, 1, args, &rows) != 0 || shop_rows_i64(rows, 0, 0, 1) != 0) return;
    if (shop_db_select(db, &Q_BILL, 1, args, &rows) != 0 || rows->nrows == 0) return;
    const char *status = shop_rows_str(rows, 0, 1);
    shop_actor_t system = { .userid = 0, .source = actor && actor->source ? actor->source : "cron" };
    completing_t c = { env, &system, bill_id, now, { 0 } };
    if (!strcmp(status, "SOLDOUT")) {
        int rv = shop_db_transaction(db, complete_body, &c);
        if (rv == 0) {
            out->completed = 1;
            shop_bill_after_commit(db, env, &c.res, &system, now);
        }
        else if (rv != SHOP_DB_ROLLBACK) {       /* cron tries again: the bill stays due */
            out->first_error = apr_psprintf(db->pool, "produced but not completed: %s", db->last_message);
            shop_tracef(db, shop_rows_str(rows, 0, 0), "error", "production", "%s", out->first_error);
        }
    }
    else if (!strcmp(status, "PREPROD")) {
        shop_mail_stats_t st;
        if (shop_db_transaction(db, trusted_mail_body, &c) == 0)
            shop_mail_deliver_due(db, env, now, bill_id, MAIL_BATCH, &st);
    }
}

int shop_production_run(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, shop_produce_phase_t phase,
                        const shop_actor_t *actor, apr_int64_t now, shop_production_report_t *out)
{
    memset(out, 0, sizeof(*out));
    shop_rows_t *lines;
    const char *args[] = { I64(bill_id) };
    int rv = shop_db_select(db, &Q_LINES, 1, args, &lines);
    if (rv != 0) return rv;
    out->lines = lines->nrows;
    char *failed = apr_pcalloc(db->pool, lines->nrows + 1);    /* lines failed by this run: not tried twice */
    static const shop_produce_phase_t steps[] = { SHOP_PRODUCE_PREPAY, SHOP_PRODUCE_POSTPAY };
    for (int s = 0; s < 2; s++) {
        if (!(phase & steps[s])) continue;
        int last_step = steps[s] == SHOP_PRODUCE_POSTPAY || !(phase & SHOP_PRODUCE_POSTPAY);
        for (int i = 0; i < lines->nrows; i++) {
            if (failed[i]) continue;
            line_step_t ls = { .env = env, .bill_id = bill_id, .line_id = shop_rows_i64(lines, i, 0, 0), .now = now,
                               .step = steps[s] };
            if ((rv = produce_line(db, &ls, out, last_step)) != 0) return rv;
            if (ls.outcome == STEP_FAILED) failed[i] = 1;
            if (ls.outcome == STEP_REFUSED) return 0;      /* the bill's state forbids it: no line will do */
        }
    }
    if ((phase & SHOP_PRODUCE_POSTPAY) && out->lines > 0) finish(db, env, bill_id, actor, now, out);
    return 0;
}

int shop_production_retry_due(shop_db_t *db, const shop_env_t *env, apr_int64_t now, int max,
                              int *bills, int *failed)
{
    *bills = *failed = 0;
    shop_rows_t *due;
    const char *args[] = { I64(max > 0 ? max : 1) };
    int rv = shop_db_select(db, &Q_DUE, 1, args, &due);
    if (rv != 0) return rv;
    shop_actor_t cron = { .userid = 0, .source = "cron" };
    for (int i = 0; i < due->nrows; i++) {
        shop_production_report_t rep;
        if ((rv = shop_production_run(db, env, shop_rows_i64(due, i, 0, 0), SHOP_PRODUCE_BOTH, &cron, now, &rep)) != 0)
            return rv;
        (*bills)++;
        if (rep.failed > 0 || rep.first_error) (*failed)++;
    }
    return 0;
}
