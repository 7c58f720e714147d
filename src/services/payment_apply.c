/* Money received, applied to its bill: see payment_apply.h.
 *
 * The event row is written first, under UNIQUE (gateway, event_id) with
 * INSERT IGNORE: a replay finds the key taken and changes nothing (a replay
 * racing the first delivery waits on the key until that one commits or rolls
 * back).  Refusals (unknown bill, mismatch) keep the event, so the trail
 * shows every notification received, and the bill untouched.
 *
 * The bill moves as the shop would move it on its own: the transition is
 * checked against the SYSTEM rows of the table, whoever recorded the
 * payment; the audit row still names the staff member who typed it. */
#include "services/payment_apply.h"
#include "core/paymode.h"
#include "data/trace_repo.h"

#include <string.h>

#include <apr_strings.h>

#define I64(v) shop_db_i64(db->pool, (v))
#define MAX_EVENT_ID 128
#define MAX_GATEWAY_REF 128

static const shop_sql_t Q_EVENT_ADD = {
    "pay.event_add",
    "INSERT IGNORE INTO {shop}payment_event (gateway, event_id, transid, bill_id, gateway_ref, amount_minor,"
    " currency, outcome, result, paid_on, userid, remote_ip, raw_payload, received_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'received', %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_EVENT_SEEN = {
    "pay.event_seen",
    "SELECT id, result, COALESCE(transid, '') FROM {shop}payment_event WHERE gateway = %s AND event_id = %s"
};
static const shop_sql_t Q_EVENT_RESULT = {
    "pay.event_result", "UPDATE {shop}payment_event SET result = %s, result_detail = %s WHERE id = %s"
};
static const shop_sql_t Q_LOCK = {
    "pay.lock", "SELECT status, currency, to_pay_minor, paid_minor FROM {shop}bill WHERE id = %s FOR UPDATE"
};
static const shop_sql_t Q_PAID = {
    "pay.paid",
    "UPDATE {shop}bill SET paid_minor = paid_minor + %s, gateway_ref = COALESCE(%s, gateway_ref), modified_at = %s"
    " WHERE id = %s"
};

typedef struct apply_call {
    const shop_env_t *env;
    const shop_pay_event_t *ev;
    shop_actor_t actor;          /* as the system: see the top of the file */
    apr_int64_t now;
    shop_pay_result_t *out;
} apply_call_t;

static int printable(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t n = 0;
    if (!s) return 0;
    for (; *s; s++, n++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || n >= max) return 0;
    return n >= min;
}

static int event_ok(const shop_pay_event_t *ev)
{
    static const char *const outcomes[] = { "paid", "pending", "refused", "failed", "cancelled" };
    int known = 0;
    for (size_t i = 0; ev->outcome && i < sizeof outcomes / sizeof outcomes[0]; i++)
        known |= strcmp(ev->outcome, outcomes[i]) == 0;
    return known && ev->gateway && shop_paymode_kind(ev->gateway) >= 0
           && printable(ev->event_id, 1, MAX_EVENT_ID) && printable(ev->transid, 1, 64)
           && (!ev->gateway_ref || printable(ev->gateway_ref, 0, MAX_GATEWAY_REF))
           && ev->currency && strlen(ev->currency) == 3
           && ev->currency[0] >= 'A' && ev->currency[0] <= 'Z' && ev->currency[1] >= 'A' && ev->currency[1] <= 'Z'
           && ev->currency[2] >= 'A' && ev->currency[2] <= 'Z';
}

static int record(shop_db_t *db, apr_int64_t event_id, const char *result, const char *detail)
{
    const char *args[] = { result, detail, I64(event_id) };
    return shop_db_exec(db, &Q_EVENT_RESULT, 3, args, NULL);
}

/* Where a payment takes the bill: paid in full or not, from `from`.
 * PARTIAL -> PARTIAL (another instalment) stays where it is. */
static int paid_target(shop_bill_status_t from, int full, shop_bill_status_t *to)
{
    if (from == SHOP_BS_PREPROD) *to = full ? SHOP_BS_COMPLETE : SHOP_BS_PARTIAL;
    else *to = full ? SHOP_BS_SOLDOUT : SHOP_BS_PARTIAL;
    if (*to == from) return 1;
    const shop_bill_transition_t *t = shop_bill_transition_find(from, *to);
    return t && (t->flags & SHOP_BT_SYSTEM);
}

static int mismatch(shop_db_t *db, apply_call_t *c, const char *transid, const char *detail)
{
    c->out->status = SHOP_PAY_MISMATCH;
    c->out->detail = detail;
    int rv = record(db, c->out->event_id, "mismatch", detail);
    if (rv == 0) rv = shop_tracef(db, transid, "warn", c->ev->gateway, "payment %s refused (%s): %" APR_INT64_T_FMT
                                  " %s", c->ev->event_id, detail, c->ev->amount_minor, c->ev->currency);
    return rv;
}

static int apply_paid(shop_db_t *db, apply_call_t *c, apr_int64_t bill_id, shop_rows_t *bill)
{
    const shop_pay_event_t *ev = c->ev;
    shop_bill_status_t from, to;
    apr_int64_t to_pay = shop_rows_i64(bill, 0, 2, 0), paid = shop_rows_i64(bill, 0, 3, 0);
    int rv;

    if (shop_bill_status_parse(shop_rows_str(bill, 0, 0), &from) != 0) return -1;
    if (strcmp(ev->currency, shop_rows_str(bill, 0, 1)) != 0) return mismatch(db, c, ev->transid, "currency");
    if (ev->amount_minor <= 0 || ev->amount_minor > to_pay - paid) {
        /* a bill with nothing left to pay: the state is what is wrong */
        return mismatch(db, c, ev->transid, to_pay - paid <= 0 ? "state" : "amount");
    }
    if (!paid_target(from, paid + ev->amount_minor == to_pay, &to)) return mismatch(db, c, ev->transid, "state");

    const char *args[] = { I64(ev->amount_minor), ev->gateway_ref, I64(c->now), I64(bill_id) };
    if ((rv = shop_db_exec(db, &Q_PAID, 4, args, NULL)) != 0) return rv;
    const char *why = apr_psprintf(db->pool, "payment %s %s: %" APR_INT64_T_FMT " %s", ev->gateway, ev->event_id,
                                   ev->amount_minor, ev->currency);
    if (to == from) {
        c->out->transition.status = SHOP_TR_NOOP;
        c->out->transition.bill_id = bill_id;
        c->out->transition.from = c->out->transition.to = from;
        rv = shop_tracef(db, ev->transid, "notice", ev->gateway, "%s, still %s", why, shop_bill_status_name(from));
    } else {
        rv = shop_bill_transition_in_txn(db, c->env, bill_id, to, &c->actor, why, 0, c->now, &c->out->transition);
        /* checked above against the same table: anything else is a bug, written nowhere */
        if (rv == 0 && c->out->transition.status != SHOP_TR_OK) rv = -1;
    }
    if (rv != 0) return rv;
    c->out->status = SHOP_PAY_APPLIED;
    return record(db, c->out->event_id, "applied", NULL);
}

/* pending: recorded only; refused, failed, cancelled: the bill follows when
 * the table allows it */
static int apply_other(shop_db_t *db, apply_call_t *c, apr_int64_t bill_id, shop_rows_t *bill)
{
    const shop_pay_event_t *ev = c->ev;
    shop_bill_status_t from, to;
    const shop_bill_transition_t *t;
    int rv;

    if (!strcmp(ev->outcome, "pending")) {
        c->out->status = SHOP_PAY_IGNORED;      /* news, not money: recorded only */
        return record(db, c->out->event_id, "ignored", NULL);
    }
    if (!strcmp(ev->outcome, "refused")) to = SHOP_BS_REFUSED;
    else if (!strcmp(ev->outcome, "failed")) to = SHOP_BS_FAILED;
    else to = SHOP_BS_CANCELLED;
    if (shop_bill_status_parse(shop_rows_str(bill, 0, 0), &from) != 0) return -1;
    t = shop_bill_transition_find(from, to);
    if (!t || !(t->flags & SHOP_BT_SYSTEM)) {
        c->out->status = SHOP_PAY_IGNORED;
        return record(db, c->out->event_id, "ignored", apr_psprintf(db->pool, "%s: bill is %s", ev->outcome,
                                                                       shop_bill_status_name(from)));
    }
    const char *why = apr_psprintf(db->pool, "payment %s %s: %s", ev->gateway, ev->event_id, ev->outcome);
    rv = shop_bill_transition_in_txn(db, c->env, bill_id, to, &c->actor, why, 0, c->now, &c->out->transition);
    if (rv == 0 && c->out->transition.status != SHOP_TR_OK) rv = -1;
    if (rv != 0) return rv;
    c->out->status = SHOP_PAY_APPLIED;
    return record(db, c->out->event_id, "applied", NULL);
}

static int apply_body(shop_db_t *db, void *baton)
{
    apply_call_t *c = baton;
    const shop_pay_event_t *ev = c->ev;
    shop_rows_t *rows;
    apr_int64_t bill_id;
    int rv, affected = 0;

    memset(c->out, 0, sizeof(*c->out));
    if ((rv = shop_bill_id_by_transid(db, ev->transid, &bill_id)) != 0) return rv;

    const char *eargs[] = {
        ev->gateway, ev->event_id, ev->transid, bill_id ? I64(bill_id) : NULL, ev->gateway_ref,
        I64(ev->amount_minor), ev->currency, ev->outcome, ev->paid_on,
        c->actor.userid > 0 ? I64(c->actor.userid) : NULL, ev->remote_ip,
        ev->raw_payload ? apr_pstrmemdup(db->pool, ev->raw_payload, ev->raw_len) : NULL, I64(c->now)
    };
    if ((rv = shop_db_exec(db, &Q_EVENT_ADD, 13, eargs, &affected)) != 0) return rv;
    if (affected == 0) {
        const char *sargs[] = { ev->gateway, ev->event_id };
        if ((rv = shop_db_select(db, &Q_EVENT_SEEN, 2, sargs, &rows)) != 0) return rv;
        if (rows->nrows == 0) return -1;     /* IGNORE swallowed something else than the key */
        c->out->status = SHOP_PAY_DUPLICATE;
        c->out->event_id = shop_rows_i64(rows, 0, 0, 0);
        /* the first delivery's result, or "other_bill" when the key was used for another bill */
        c->out->detail = strcmp(shop_rows_str(rows, 0, 2), ev->transid) ? "other_bill" : shop_rows_str(rows, 0, 1);
        return SHOP_DB_ROLLBACK;
    }
    if ((rv = shop_db_last_id(db, &c->out->event_id)) != 0) return rv;
    if (!bill_id) {
        c->out->status = SHOP_PAY_UNKNOWN_BILL;
        return record(db, c->out->event_id, "unknown_bill", NULL);
    }
    const char *largs[] = { I64(bill_id) };
    if ((rv = shop_db_select(db, &Q_LOCK, 1, largs, &rows)) != 0) return rv;
    if (rows->nrows == 0) return -1;
    return !strcmp(ev->outcome, "paid") ? apply_paid(db, c, bill_id, rows) : apply_other(db, c, bill_id, rows);
}

int shop_payment_apply(shop_db_t *db, const shop_env_t *env, const shop_pay_event_t *ev,
                       const shop_actor_t *actor, apr_int64_t now, shop_pay_result_t *out)
{
    apply_call_t c = { env, ev, { 0 }, now, out };
    int rv;

    memset(out, 0, sizeof(*out));
    if (!event_ok(ev)) return -1;
    if (actor) c.actor = *actor;
    if (!c.actor.source) c.actor.source = apr_pstrcat(db->pool, "gateway:", ev->gateway, NULL);
    c.actor.is_staff = c.actor.is_admin = 0;
    rv = shop_db_transaction(db, apply_body, &c);
    if (rv == SHOP_DB_ROLLBACK) return 0;
    if (rv != 0) return rv;
    if (out->transition.status == SHOP_TR_OK) shop_bill_after_commit(db, env, &out->transition, &c.actor, now);
    return 0;
}
