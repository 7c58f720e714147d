/* Mails of the shop: written to {shop}mail_outbox in the same transaction as
 * the event they tell about, sent through libcurl SMTP (ShopSMTP) after
 * commit, retried by `shopctl cron` with backoff until they go out.
 *
 * Templates are Mustache (templates/mail/NAME.LANG.mustache: first line
 * "Subject: ...", a blank line, then the text body; NAME.LANG.html.mustache
 * optional), in the recipient's language (bill.lang for customers, the
 * staff member's Moodle language for staff), falling back to "en".
 * Templates:
 *   order_received        to sales staff, when an order is placed
 *   production_feedback   to the customer after production: public and
 *                         private feedback, signed link to the bill
 *   transaction_confirmed to sales staff after a payment (and production)
 *   account_created       to a customer whose Moodle account the shop
 *                         created: a set-password link (Moodle's own reset
 *                         token, mdl_user_password_resets), never a password
 * Sales staff = users holding ShopSalesRole at system context; none: the
 * setting `sellermail`.
 *
 * Delivery: a row is claimed (status queued -> sending with a conditional
 * UPDATE, so two crons never send it twice), sent, then marked sent; a
 * failure puts it back to queued with attempts + 1, last_error and
 * next_attempt_at = now + backoff (1, 5, 15, 60 minutes, then every 4 hours);
 * after SHOP_MAIL_MAX_ATTEMPTS it is marked failed.  A row left 'sending'
 * by a crash for 10 minutes is queued again. */
#ifndef SHOP_SERVICES_MAILER_H
#define SHOP_SERVICES_MAILER_H

#include "data/db.h"
#include "services/env.h"

#define SHOP_MAIL_MAX_ATTEMPTS 12

/* Queue, inside the caller's transaction.  *count (may be NULL) gets the
 * number of rows queued (one per recipient).  0 or a MySQL errno. */
int shop_mail_order_received(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                             int *count);
int shop_mail_production_feedback(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                                  int *count);
int shop_mail_transaction_confirmed(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                                    int *count);
int shop_mail_account_created(shop_db_t *db, const shop_env_t *env, apr_int64_t userid, apr_int64_t bill_id,
                              apr_int64_t now, int *count);

typedef struct shop_mail_stats {
    int sent, failed, gave_up;
} shop_mail_stats_t;

/* Send what is due (next_attempt_at <= now), at most `max` rows; bill_id > 0
 * limits it to that bill's mails (after commit, on the request path).
 * 0 (with stats), or a MySQL errno. */
int shop_mail_deliver_due(shop_db_t *db, const shop_env_t *env, apr_int64_t now, apr_int64_t bill_id, int max,
                          shop_mail_stats_t *st);

#endif
