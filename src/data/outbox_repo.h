/* The mail outbox ({shop}mail_outbox): rows written in the transaction of
 * the event they tell about, then delivered at most once at a time.
 *
 * Row life:  queued --claim--> sending --sent--> sent
 *                                 |--failure--> queued (attempts + 1, backoff) or failed (gave up)
 *            sending for longer than the lease (a crash) --requeue--> queued
 * While a row is 'sending', next_attempt_at holds the end of its lease
 * (claim time + SHOP_OUTBOX_LEASE): no extra column is needed to find rows
 * a dead sender left behind. */
#ifndef SHOP_DATA_OUTBOX_REPO_H
#define SHOP_DATA_OUTBOX_REPO_H

#include "data/db.h"

/* A claimed row no longer 'sending' after this long is queued again. */
#define SHOP_OUTBOX_LEASE 600

typedef struct shop_outbox_mail {
    apr_int64_t id, bill_id;                   /* bill_id 0 = none */
    const char *to_addr, *to_name, *reply_to;  /* reply_to NULL = none */
    const char *subject, *body_text, *body_html, *template_name;
    const char *error;                         /* enqueue: non-NULL writes the row 'failed' with it */
    int attempts;
    apr_int64_t created_at;
} shop_outbox_mail_t;

/* Insert a queued row due at `now` (a 'failed' one when m->error is set:
 * kept for the staff's eyes, never sent), in the caller's transaction. */
int shop_outbox_enqueue(shop_db_t *db, const shop_outbox_mail_t *m, apr_int64_t now, apr_int64_t *id);

/* Drop the still-queued rows of bill_id made from `template_name` (a
 * refreshed order replaces its notice); *sent (may be NULL) = 1 when one
 * was already sent or is being sent. */
int shop_outbox_drop_queued(shop_db_t *db, apr_int64_t bill_id, const char *template_name, int *sent);

/* Ids of the queued rows due at `now` (of bill_id when > 0), oldest
 * first, at most max, into *ids (nrows x 1). */
int shop_outbox_due(shop_db_t *db, apr_int64_t now, apr_int64_t bill_id, int max, shop_rows_t **ids);

/* Take row id for sending: one conditional UPDATE (queued and due ->
 * sending), so of two senders exactly one gets *claimed = 1.  The row is
 * then read into *out (db->pool). */
int shop_outbox_claim(shop_db_t *db, apr_int64_t id, apr_int64_t now, int *claimed, shop_outbox_mail_t **out);

int shop_outbox_mark_sent(shop_db_t *db, apr_int64_t id, apr_int64_t now);

/* A failed attempt: attempts + 1, last_error; queued again at next_at, or
 * 'failed' for good when give_up. */
int shop_outbox_mark_failed(shop_db_t *db, apr_int64_t id, const char *error, apr_int64_t next_at, int give_up);

/* Rows left 'sending' past their lease go back to the queue, the lost
 * attempt counted (so a mail that kills its sender cannot loop forever:
 * after max_attempts it is 'failed').  *n (may be NULL) counts them. */
int shop_outbox_requeue_stale(shop_db_t *db, apr_int64_t now, int max_attempts, int *n);

#endif
