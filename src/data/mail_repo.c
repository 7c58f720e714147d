/* Reads (and Moodle's reset token) for mails: see mail_repo.h. */
#include "data/mail_repo.h"

#include <apr_strings.h>

static const shop_sql_t Q_BILL = {
    "mail.bill",
    "SELECT b.id, b.created_at, COALESCE(b.placed_at, 0), b.transid, b.status, b.currency, COALESCE(b.paymode, ''),"
    " b.lang, b.title, b.invoice_number, s.name,"
    " b.untaxed_minor, b.taxes_minor, b.taxed_minor, b.discount_minor, b.shipping_minor, b.to_pay_minor,"
    " b.paid_minor, b.production_feedback,"
    " COALESCE(c.firstname, ''), COALESCE(c.lastname, ''), COALESCE(c.email, ''), COALESCE(c.organisation, ''),"
    " COALESCE(c.city, ''), COALESCE(c.country, '')"
    " FROM {shop}bill b JOIN {shop}shop s ON s.id = b.shop_id LEFT JOIN {shop}customer c ON c.id = b.customer_id"
    " WHERE b.id = %s"
};

static const shop_sql_t Q_LINES = {
    "mail.lines",
    "SELECT type, code, label, quantity, unit_minor, total_minor, production_feedback"
    " FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no"
};

static const shop_sql_t Q_PAYMENTS = {
    "mail.payments",
    "SELECT gateway, event_id, COALESCE(gateway_ref, ''), amount_minor, currency, COALESCE(paid_on, ''), received_at"
    " FROM {shop}payment_event WHERE bill_id = %s AND outcome = 'paid' AND result = 'applied'"
    " ORDER BY received_at, id"
};

static const shop_sql_t Q_STAFF = {
    "mail.staff",
    "SELECT DISTINCT u.id, u.email, u.firstname, u.lastname, u.lang"
    " FROM {mdl}role r JOIN {mdl}role_assignments ra ON ra.roleid = r.id"
    " JOIN {mdl}context x ON x.id = ra.contextid AND x.contextlevel = 10"
    " JOIN {mdl}user u ON u.id = ra.userid"
    " WHERE r.shortname = %s AND u.deleted = 0 AND u.suspended = 0 AND u.email <> ''"
    " ORDER BY u.id LIMIT 50"            /* SHOP_MAIL_MAX_STAFF */
};

static const shop_sql_t Q_PWRESETTIME = {
    "mail.pwresettime",
    "SELECT value FROM {mdl}config WHERE name = 'pwresettime'"
};

static const shop_sql_t Q_RESET_CLEAR = {
    "mail.reset_clear",
    "DELETE FROM {mdl}user_password_resets WHERE userid = %s"
};

static const shop_sql_t Q_RESET_ADD = {
    "mail.reset_add",
    "INSERT INTO {mdl}user_password_resets (userid, timerequested, timererequested, token) VALUES (%s, %s, 0, %s)"
};

int shop_mail_repo_bill(shop_db_t *db, apr_int64_t bill_id, shop_mail_bill_t **out)
{
    *out = NULL;
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, bill_id) };
    int rv = shop_db_select(db, &Q_BILL, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    shop_mail_bill_t *b = apr_pcalloc(db->pool, sizeof(*b));
    int c = 0;
    b->id = shop_rows_i64(rows, 0, c++, 0);
    b->created_at = shop_rows_i64(rows, 0, c++, 0);
    b->placed_at = shop_rows_i64(rows, 0, c++, 0);
    b->transid = shop_rows_str(rows, 0, c++);
    b->status = shop_rows_str(rows, 0, c++);
    b->currency = shop_rows_str(rows, 0, c++);
    b->paymode = shop_rows_str(rows, 0, c++);
    b->lang = shop_rows_str(rows, 0, c++);
    b->title = shop_rows_str(rows, 0, c++);
    b->invoice_number = shop_rows_str(rows, 0, c++);
    b->shop_name = shop_rows_str(rows, 0, c++);
    b->untaxed_minor = shop_rows_i64(rows, 0, c++, 0);
    b->taxes_minor = shop_rows_i64(rows, 0, c++, 0);
    b->taxed_minor = shop_rows_i64(rows, 0, c++, 0);
    b->discount_minor = shop_rows_i64(rows, 0, c++, 0);
    b->shipping_minor = shop_rows_i64(rows, 0, c++, 0);
    b->to_pay_minor = shop_rows_i64(rows, 0, c++, 0);
    b->paid_minor = shop_rows_i64(rows, 0, c++, 0);
    b->feedback = shop_rows_str(rows, 0, c++);
    b->firstname = shop_rows_str(rows, 0, c++);
    b->lastname = shop_rows_str(rows, 0, c++);
    b->email = shop_rows_str(rows, 0, c++);
    b->organisation = shop_rows_str(rows, 0, c++);
    b->city = shop_rows_str(rows, 0, c++);
    b->country = shop_rows_str(rows, 0, c++);
    if ((rv = shop_db_select(db, &Q_LINES, 1, args, &b->lines)) != 0) return rv;
    *out = b;
    return 0;
}

int shop_mail_repo_payments(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, bill_id) };
    return shop_db_select(db, &Q_PAYMENTS, 1, args, rows);
}

int shop_mail_repo_staff(shop_db_t *db, const char *shortname, shop_rows_t **rows)
{
    const char *args[] = { shortname };
    return shop_db_select(db, &Q_STAFF, 1, args, rows);
}

int shop_mail_repo_pwresettime(shop_db_t *db, apr_int64_t *seconds)
{
    shop_rows_t *rows;
    *seconds = 1800;
    int rv = shop_db_select(db, &Q_PWRESETTIME, 0, NULL, &rows);
    if (rv == 0 && rows->nrows == 1) {
        apr_int64_t v = shop_rows_i64(rows, 0, 0, 1800);
        if (v > 0) *seconds = v;
    }
    return rv;
}

int shop_mail_repo_reset_token(shop_db_t *db, apr_int64_t userid, const char *token, apr_int64_t now)
{
    const char *uid = shop_db_i64(db->pool, userid);
    const char *cargs[] = { uid };
    int rv = shop_db_exec(db, &Q_RESET_CLEAR, 1, cargs, NULL);
    if (rv != 0) return rv;
    const char *args[] = { uid, shop_db_i64(db->pool, now), token };
    return shop_db_exec(db, &Q_RESET_ADD, 3, args, NULL);
}
