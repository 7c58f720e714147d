/* What mails are made of: a bill with its customer and lines, the payments
 * applied to it, the sales staff to tell, a Moodle account and its
 * password-reset token.  Reads run in the caller's transaction when there
 * is one (a mail is queued with the event it tells about). */
#ifndef SHOP_DATA_MAIL_REPO_H
#define SHOP_DATA_MAIL_REPO_H

#include "data/db.h"

/* Recipients beyond this many sales staff are not written (a role given to
 * a whole cohort by mistake must not flood the outbox). */
#define SHOP_MAIL_MAX_STAFF 50

typedef struct shop_mail_bill {
    apr_int64_t id, created_at, placed_at;
    const char *transid, *status, *currency, *paymode, *lang, *title, *invoice_number, *shop_name;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor, discount_minor, shipping_minor, to_pay_minor, paid_minor;
    const char *feedback;              /* bill.production_feedback JSON text, or NULL */
    /* the customer (empty strings when the bill has none) */
    const char *firstname, *lastname, *email, *organisation, *city, *country;
    /* type, code, label, quantity, unit_minor, total_minor, production_feedback (line_no order) */
    shop_rows_t *lines;
} shop_mail_bill_t;

/* The bill, or *out NULL when there is none. */
int shop_mail_repo_bill(shop_db_t *db, apr_int64_t bill_id, shop_mail_bill_t **out);

/* Payments applied to the bill, oldest first: gateway, event_id,
 * gateway_ref, amount_minor, currency, paid_on, received_at. */
int shop_mail_repo_payments(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

/* Active users holding role `shortname` at the system context (level 10)
 * with an address, by id, at most SHOP_MAIL_MAX_STAFF: id, email,
 * firstname, lastname, lang. */
int shop_mail_repo_staff(shop_db_t *db, const char *shortname, shop_rows_t **rows);

/* Moodle's $CFG->pwresettime in seconds (1800 when unset). */
int shop_mail_repo_pwresettime(shop_db_t *db, apr_int64_t *seconds);

/* What core_login_generate_password_reset() does, after the clean-up of
 * core_login_process_password_reset_request(): the user's earlier reset
 * rows go, one row (userid, timerequested = now, timererequested = 0,
 * token) is inserted. */
int shop_mail_repo_reset_token(shop_db_t *db, apr_int64_t userid, const char *token, apr_int64_t now);

#endif
