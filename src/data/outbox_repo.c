/* The mail outbox: see outbox_repo.h. */
#include "data/outbox_repo.h"
#include "core/utf8.h"

#include <apr_strings.h>
#include <string.h>

/* last_error keeps the start of long server answers */
#define MAX_ERROR_TEXT 1000

static const shop_sql_t Q_ENQUEUE = {
    "outbox.enqueue",
    "INSERT INTO {shop}mail_outbox (to_addr, to_name, reply_to, subject, body_text, body_html, template, bill_id,"
    " status, attempts, last_error, next_attempt_at, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, %s,"
    " %s, %s)"
};

static const shop_sql_t Q_DROP = {
    "outbox.drop",
    "DELETE FROM {shop}mail_outbox WHERE bill_id = %s AND template = %s AND status = 'queued'"
};

static const shop_sql_t Q_NOTICE_STATE = {
    "outbox.notice_state",
    "SELECT COALESCE(SUM(status = 'queued'), 0), COALESCE(SUM(status IN ('sending', 'sent')), 0)"
    " FROM {shop}mail_outbox WHERE bill_id = %s AND template = %s"
};

static const shop_sql_t Q_DUE = {
    "outbox.due",
    "SELECT id FROM {shop}mail_outbox WHERE status = 'queued' AND next_attempt_at <= %s"
    " ORDER BY next_attempt_at, id LIMIT %s"
};

static const shop_sql_t Q_DUE_BILL = {
    "outbox.due_bill",
    "SELECT id FROM {shop}mail_outbox WHERE bill_id = %s AND status = 'queued' AND next_attempt_at <= %s"
    " ORDER BY id LIMIT %s"
};

static const shop_sql_t Q_CLAIM = {
    "outbox.claim",
    "UPDATE {shop}mail_outbox SET status = 'sending', next_attempt_at = %s"
    " WHERE id = %s AND status = 'queued' AND next_attempt_at <= %s"
};

static const shop_sql_t Q_GET = {
    "outbox.get",
    "SELECT id, COALESCE(bill_id, 0), to_addr, to_name, reply_to, subject, body_text, body_html, template, attempts,"
    " created_at FROM {shop}mail_outbox WHERE id = %s"
};

static const shop_sql_t Q_SENT = {
    "outbox.sent",
    "UPDATE {shop}mail_outbox SET status = 'sent', sent_at = %s, last_error = NULL"
    " WHERE id = %s AND status = 'sending'"
};

static const shop_sql_t Q_FAILED = {
    "outbox.failed",
    "UPDATE {shop}mail_outbox SET status = %s, attempts = attempts + 1, last_error = %s, next_attempt_at = %s"
    " WHERE id = %s AND status = 'sending'"
};

/* MariaDB assigns left to right: status reads attempts before it grows. */
static const shop_sql_t Q_REQUEUE = {
    "outbox.requeue",
    "UPDATE {shop}mail_outbox SET status = IF(attempts + 1 >= %s, 'failed', 'queued'), attempts = attempts + 1,"
    " last_error = 'interrupted while sending (no outcome recorded within the lease)', next_attempt_at = %s"
    " WHERE status = 'sending' AND next_attempt_at <= %s"
};

int shop_outbox_enqueue(shop_db_t *db, const shop_outbox_mail_t *m, apr_int64_t now, apr_int64_t *id)
{
    const char *args[] = {
        m->to_addr, m->to_name ? m->to_name : "", m->reply_to, m->subject, m->body_text, m->body_html,
        m->template_name ? m->template_name : "", m->bill_id > 0 ? shop_db_i64(db->pool, m->bill_id) : NULL,
        m->error ? "failed" : "queued", m->error, shop_db_i64(db->pool, now), shop_db_i64(db->pool, now)
    };
    int rv = shop_db_exec(db, &Q_ENQUEUE, 12, args, NULL);
    if (rv == 0 && id) {
        int64_t got = 0;
        rv = shop_db_last_id(db, &got);
        *id = got;
    }
    return rv;
}

int shop_outbox_drop_queued(shop_db_t *db, apr_int64_t bill_id, const char *template_name, int *sent)
{
    const char *args[] = { shop_db_i64(db->pool, bill_id), template_name };
    shop_rows_t *rows;
    int dropped = 0;
    int rv = shop_db_select(db, &Q_NOTICE_STATE, 2, args, &rows);
    if (rv != 0) return rv;
    apr_int64_t queued = shop_rows_i64(rows, 0, 0, 0), gone = shop_rows_i64(rows, 0, 1, 0);
    /* most refreshes find the notice sent already: one read, no write */
    if (queued > 0 && (rv = shop_db_exec(db, &Q_DROP, 2, args, &dropped)) != 0) return rv;
    /* a queued row claimed meanwhile by a sender is on its way */
    if (sent) *sent = gone > 0 || dropped < queued;
    return 0;
}

int shop_outbox_due(shop_db_t *db, apr_int64_t now, apr_int64_t bill_id, int max, shop_rows_t **ids)
{
    if (bill_id > 0) {
        const char *args[] = { shop_db_i64(db->pool, bill_id), shop_db_i64(db->pool, now), shop_db_i64(db->pool, max) };
        return shop_db_select(db, &Q_DUE_BILL, 3, args, ids);
    }
    const char *args[] = { shop_db_i64(db->pool, now), shop_db_i64(db->pool, max) };
    return shop_db_select(db, &Q_DUE, 2, args, ids);
}

int shop_outbox_claim(shop_db_t *db, apr_int64_t id, apr_int64_t now, int *claimed, shop_outbox_mail_t **out)
{
    *claimed = 0;
    *out = NULL;
    const char *sid = shop_db_i64(db->pool, id);
    const char *args[] = { shop_db_i64(db->pool, now + SHOP_OUTBOX_LEASE), sid, shop_db_i64(db->pool, now) };
    int n = 0;
    int rv = shop_db_exec(db, &Q_CLAIM, 3, args, &n);
    if (rv != 0 || n != 1) return rv;
    shop_rows_t *rows;
    const char *gargs[] = { sid };
    if ((rv = shop_db_select(db, &Q_GET, 1, gargs, &rows)) != 0) return rv;
    if (rows->nrows != 1) return 0;
    shop_outbox_mail_t *m = apr_pcalloc(db->pool, sizeof(*m));
    int c = 0;
    m->id = shop_rows_i64(rows, 0, c++, 0);
    m->bill_id = shop_rows_i64(rows, 0, c++, 0);
    m->to_addr = shop_rows_str(rows, 0, c++);
    m->to_name = shop_rows_str(rows, 0, c++);
    m->reply_to = shop_rows_str(rows, 0, c++);
    m->subject = shop_rows_str(rows, 0, c++);
    m->body_text = shop_rows_str(rows, 0, c++);
    m->body_html = shop_rows_str(rows, 0, c++);
    m->template_name = shop_rows_str(rows, 0, c++);
    m->attempts = (int)shop_rows_i64(rows, 0, c++, 0);
    m->created_at = shop_rows_i64(rows, 0, c++, 0);
    *claimed = 1;
    *out = m;
    return 0;
}

int shop_outbox_mark_sent(shop_db_t *db, apr_int64_t id, apr_int64_t now)
{
    const char *args[] = { shop_db_i64(db->pool, now), shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_SENT, 2, args, NULL);
}

int shop_outbox_mark_failed(shop_db_t *db, apr_int64_t id, const char *error, apr_int64_t next_at, int give_up)
{
    const char *text = shop_utf8_clip(db->pool, error ? error : "unknown error", MAX_ERROR_TEXT);
    const char *args[] = { give_up ? "failed" : "queued", text, shop_db_i64(db->pool, next_at),
                           shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_FAILED, 4, args, NULL);
}

int shop_outbox_requeue_stale(shop_db_t *db, apr_int64_t now, int max_attempts, int *n)
{
    const char *args[] = { shop_db_i64(db->pool, max_attempts), shop_db_i64(db->pool, now),
                           shop_db_i64(db->pool, now) };
    int affected = 0;
    int rv = shop_db_exec(db, &Q_REQUEUE, 3, args, &affected);
    if (n) *n = affected;
    return rv;
}
