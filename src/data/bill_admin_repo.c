/* Bills in the back office: see bill_admin_repo.h. */
#include "data/bill_admin_repo.h"

#include <string.h>
#include <apr_strings.h>

#define I64(v) shop_db_i64(db->pool, (v))

/* ------------------------------------------------------------ the list */

/* The list and its counts are written from fixed fragments, one statement
 * per combination of the filters given (a bounded set: at most 2^6 lists
 * and 2^5 counts per connection, named by the combination), so every
 * condition in a statement is one that filters.  A single statement with
 * "(? = 0 OR b.shop_id = ?)" for every filter would be correct but slow:
 * MariaDB keeps such a condition when it executes a prepared statement, and
 * a condition on a column outside the index makes the per-state count read
 * every row instead of bill_status_ix alone (100,000 bills: 330 ms instead
 * of 30).  Nothing typed by staff is ever part of the SQL: only which
 * fragments are present. */
#define LIST_COLUMNS \
    "SELECT b.id, b.transid, b.created_at, b.status, b.title, b.currency, b.to_pay_minor, b.paid_minor," \
    " b.invoice_number, COALESCE(b.customer_id, 0), c.firstname, c.lastname, c.email, b.shop_id"
#define COUNT_COLUMNS "SELECT b.status, COUNT(*)"
#define FROM_BILL " FROM {shop}bill b"
/* A text search matches few bills: sorting them beats walking every bill in
 * date order to find 30 of them (100,000 bills: 0.1 s instead of 0.3 s). */
#define FROM_BILL_SEARCHED \
    " FROM {shop}bill b IGNORE INDEX FOR ORDER BY (bill_created_ix, bill_status_ix, bill_shop_ix, bill_customer_ix)"
#define JOIN_CUSTOMER " LEFT JOIN {shop}customer c ON c.id = b.customer_id"
#define WHERE_CREATED " WHERE b.created_at >= %s AND b.created_at < %s"
#define LIST_ORDER " ORDER BY b.created_at DESC, b.id DESC LIMIT %s OFFSET %s"
#define COUNT_GROUP " GROUP BY b.status"
/* Customers by part of their address or name: the customer table is read
 * once (materialized), not once per bill. */
#define CUSTOMERS_MATCHING \
    "b.customer_id IN (SELECT m.id FROM {shop}customer m WHERE m.email LIKE %s" \
    " OR CONCAT_WS(' ', m.firstname, m.lastname) LIKE %s OR CONCAT_WS(' ', m.lastname, m.firstname) LIKE %s)"

/* The optional filters, in the order they are written and bound. */
enum { F_STATUS, F_SHOP, F_CUSTOMER, F_CURRENCY, F_CUSTOMER_Q, F_Q, F_COUNT };
static const struct {
    const char *sql;
    int nargs;
} fragments[F_COUNT] = {
    { " AND b.status = %s", 1 },
    { " AND b.shop_id = %s", 1 },
    { " AND b.customer_id = %s", 1 },
    { " AND b.currency = %s", 1 },
    { " AND " CUSTOMERS_MATCHING, 3 },
    { " AND (b.transid LIKE %s OR b.invoice_number LIKE %s OR " CUSTOMERS_MATCHING ")", 5 },
};
#define MAX_ARGS (2 + 1 + 1 + 1 + 1 + 3 + 5 + 2)

/* A LIKE pattern matching `q` anywhere, wildcards in q taken literally. */
static const char *contains(apr_pool_t *p, const char *q)
{
    char *pat = apr_palloc(p, strlen(q) * 2 + 3), *o = pat;
    *o++ = '%';
    for (const char *c = q; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\') *o++ = '\\';
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    return pat;
}

typedef struct built {
    shop_sql_t q;
    const char *args[MAX_ARGS];
    int nargs;
} built_t;

static void arg(built_t *b, const char *v)
{
    b->args[b->nargs++] = v;
}

/* The statement for f: the list (with_status, limit and offset) or the
 * counts per state (every filter but the state). */
static void build(shop_db_t *db, const shop_bill_filter_t *f, int listing, apr_int64_t limit, apr_int64_t offset,
                  built_t *b)
{
    int on[F_COUNT] = {
        listing && f->status && *f->status, f->shop_id > 0, f->customer_id > 0, f->currency && *f->currency,
        f->customer_q && *f->customer_q, f->q && *f->q
    };
    unsigned mask = 0;
    memset(b, 0, sizeof(*b));
    arg(b, I64(f->from));
    arg(b, I64(f->to > 0 ? f->to : INT64_MAX));
    const char *where = "";
    for (int i = 0; i < F_COUNT; i++) {
        if (!on[i]) continue;
        mask |= 1u << i;
        where = apr_pstrcat(db->pool, where, fragments[i].sql, NULL);
    }
    if (on[F_STATUS]) arg(b, f->status);
    if (on[F_SHOP]) arg(b, I64(f->shop_id));
    if (on[F_CUSTOMER]) arg(b, I64(f->customer_id));
    if (on[F_CURRENCY]) arg(b, f->currency);
    for (int k = 0; on[F_CUSTOMER_Q] && k < fragments[F_CUSTOMER_Q].nargs; k++)
        arg(b, contains(db->pool, f->customer_q));
    for (int k = 0; on[F_Q] && k < fragments[F_Q].nargs; k++) arg(b, contains(db->pool, f->q));
    if (listing) {
        arg(b, I64(limit));
        arg(b, I64(offset));
    }
    b->q.name = apr_psprintf(db->pool, "bill_admin.%s.%02x", listing ? "list" : "counts", mask);
    b->q.sql = apr_pstrcat(db->pool, listing ? LIST_COLUMNS : COUNT_COLUMNS, on[F_Q] ? FROM_BILL_SEARCHED : FROM_BILL,
                           listing ? JOIN_CUSTOMER : "", WHERE_CREATED, where, listing ? LIST_ORDER : COUNT_GROUP, NULL);
}

int shop_bill_admin_list(shop_db_t *db, const shop_bill_filter_t *f, apr_int64_t limit, apr_int64_t offset,
                         shop_rows_t **rows)
{
    built_t b;
    build(db, f, 1, limit, offset, &b);
    return shop_db_select(db, &b.q, b.nargs, b.args, rows);
}

int shop_bill_admin_status_counts(shop_db_t *db, const shop_bill_filter_t *f, shop_rows_t **rows)
{
    built_t b;
    build(db, f, 0, 0, 0, &b);
    return shop_db_select(db, &b.q, b.nargs, b.args, rows);
}

static const shop_sql_t Q_SHOPS = {
    "bill_admin.shops", "SELECT id, name, currency FROM {shop}shop ORDER BY sortorder, id"
};
static const shop_sql_t Q_CURRENCIES = {
    "bill_admin.currencies", "SELECT DISTINCT currency FROM {shop}shop ORDER BY currency"
};

int shop_bill_admin_shops(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_SHOPS, 0, NULL, rows);
}

int shop_bill_admin_currencies(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_CURRENCIES, 0, NULL, rows);
}

/* ------------------------------------------------------------ one bill */

enum { G_ID, G_SHOP_ID, G_CUSTOMER_ID, G_USERID, G_ASSIGNED, G_CUSTOMER_USERID,
       G_TRANSID, G_SHOP_NAME, G_TITLE, G_STATUS, G_CURRENCY, G_LANG, G_PAYMODE, G_GATEWAY_REF,
       G_INVOICE, G_IDENTITY, G_FEEDBACK, G_ENGAGEMENT, G_PARTNER_TAG,
       G_C_FIRST, G_C_LAST, G_C_EMAIL, G_C_ORG, G_A_FIRST, G_A_LAST,
       G_UNTAXED, G_TAXES, G_TAXED, G_DISCOUNT, G_SHIPPING, G_TO_PAY, G_PAID, G_FEE,
       G_INVOICED, G_DUE, G_EXPECTED, G_PLACED, G_PAID_AT, G_SALE, G_CREATED, G_MODIFIED, G_TEST, G_VERSION };
static const shop_sql_t Q_GET = {
    "bill_admin.get",
    "SELECT b.id, b.shop_id, COALESCE(b.customer_id, 0), COALESCE(b.userid, 0), COALESCE(b.assigned_userid, 0),"
    " COALESCE(c.userid, 0),"
    " b.transid, s.name, b.title, b.status, b.currency, b.lang, b.paymode, b.gateway_ref,"
    " b.invoice_number, b.invoicing_identity, b.production_feedback, b.engagement_number, b.partner_tag,"
    " c.firstname, c.lastname, c.email, c.organisation, au.firstname, au.lastname,"
    " b.untaxed_minor, b.taxes_minor, b.taxed_minor, b.discount_minor, b.shipping_minor, b.to_pay_minor,"
    " b.paid_minor, b.fee_minor,"
    " COALESCE(b.invoiced_at, 0), COALESCE(b.due_at, 0), COALESCE(b.expected_payment_at, 0),"
    " COALESCE(b.placed_at, 0), COALESCE(b.paid_at, 0), COALESCE(b.sale_at, 0), b.created_at, b.modified_at,"
    " b.test, b.version"
    " FROM {shop}bill b JOIN {shop}shop s ON s.id = b.shop_id"
    " LEFT JOIN {shop}customer c ON c.id = b.customer_id"
    " LEFT JOIN {mdl}user au ON au.id = b.assigned_userid"
    " WHERE b.id = %s"
};
static const shop_sql_t Q_LINES = {
    "bill_admin.lines",
    "SELECT l.id, l.line_no, l.type, l.code, l.label, l.description, l.quantity, l.unit_minor, l.untaxed_minor,"
    " COALESCE(l.tax_id, 0), l.tax_rate, l.tax_minor, l.total_minor, l.produced, COALESCE(l.produced_at, 0),"
    " COALESCE(l.prepaid_at, 0), l.production_attempts, l.production_error, l.prepay_error, l.production_feedback,"
    " COALESCE(l.due_at, 0), t.title"
    " FROM {shop}bill_line l LEFT JOIN {shop}tax t ON t.id = l.tax_id WHERE l.bill_id = %s ORDER BY l.line_no"
};
static const shop_sql_t Q_PAYMENTS = {
    "bill_admin.payments",
    "SELECT p.id, p.gateway, p.event_id, p.gateway_ref, p.amount_minor, p.currency, p.outcome, p.result,"
    " p.result_detail, p.paid_on, COALESCE(p.userid, 0), p.received_at, u.firstname, u.lastname"
    " FROM {shop}payment_event p LEFT JOIN {mdl}user u ON u.id = p.userid"
    " WHERE p.bill_id = %s ORDER BY p.received_at, p.id"
};
static const shop_sql_t Q_LOG = {
    "bill_admin.log",
    "SELECT g.id, g.created_at, g.from_status, g.to_status, COALESCE(g.userid, 0), u.firstname, u.lastname,"
    " g.source, g.reason, g.raw"
    " FROM {shop}bill_state_log g LEFT JOIN {mdl}user u ON u.id = g.userid WHERE g.bill_id = %s ORDER BY g.id"
};
static const shop_sql_t Q_DOCUMENTS = {
    "bill_admin.documents",
    "SELECT i.id, i.kind, i.number, i.issued_at, i.taxed_minor, i.currency, i.pdf_sha256 IS NOT NULL, i.reason,"
    " cr.number"
    " FROM {shop}invoice i LEFT JOIN {shop}invoice cr ON cr.id = i.credits_invoice_id"
    " WHERE i.bill_id = %s ORDER BY i.id"
};
static const shop_sql_t Q_NOTES = {
    "bill_admin.notes",
    "SELECT n.id, n.created_at, COALESCE(n.userid, 0), u.firstname, u.lastname, n.note"
    " FROM {shop}bill_note n LEFT JOIN {mdl}user u ON u.id = n.userid WHERE n.bill_id = %s ORDER BY n.id"
};
static const shop_sql_t Q_NOTE_ADD = {
    "bill_admin.note_add",
    "INSERT INTO {shop}bill_note (bill_id, userid, note, created_at) VALUES (%s, %s, %s, %s)"
};
static const shop_sql_t Q_TRANSID = {
    "bill_admin.transid", "SELECT transid FROM {shop}bill WHERE id = %s"
};

int shop_bill_admin_get(shop_db_t *db, apr_int64_t id, shop_bill_admin_t *b, int *found)
{
    shop_rows_t *r;
    const char *a[] = { I64(id) };
    int rv = shop_db_select(db, &Q_GET, 1, a, &r);
    *found = rv == 0 && r->nrows == 1;
    if (!*found) return rv;
    memset(b, 0, sizeof(*b));
    b->id = shop_rows_i64(r, 0, G_ID, 0);
    b->shop_id = shop_rows_i64(r, 0, G_SHOP_ID, 0);
    b->customer_id = shop_rows_i64(r, 0, G_CUSTOMER_ID, 0);
    b->userid = shop_rows_i64(r, 0, G_USERID, 0);
    b->assigned_userid = shop_rows_i64(r, 0, G_ASSIGNED, 0);
    b->customer_userid = shop_rows_i64(r, 0, G_CUSTOMER_USERID, 0);
    const char **s[] = { &b->transid, &b->shop_name, &b->title, &b->status, &b->currency, &b->lang, &b->paymode,
                         &b->gateway_ref, &b->invoice_number, &b->invoicing_identity, &b->production_feedback,
                         &b->engagement_number, &b->partner_tag, &b->customer_firstname, &b->customer_lastname,
                         &b->customer_email, &b->customer_organisation, &b->assigned_firstname,
                         &b->assigned_lastname };
    for (int i = 0; i < (int)(sizeof(s) / sizeof(s[0])); i++) *s[i] = shop_rows_str(r, 0, G_TRANSID + i);
    apr_int64_t *n[] = { &b->untaxed_minor, &b->taxes_minor, &b->taxed_minor, &b->discount_minor, &b->shipping_minor,
                         &b->to_pay_minor, &b->paid_minor, &b->fee_minor, &b->invoiced_at, &b->due_at,
                         &b->expected_payment_at, &b->placed_at, &b->paid_at, &b->sale_at, &b->created_at,
                         &b->modified_at };
    for (int i = 0; i < (int)(sizeof(n) / sizeof(n[0])); i++) *n[i] = shop_rows_i64(r, 0, G_UNTAXED + i, 0);
    b->test = shop_rows_i64(r, 0, G_TEST, 0) != 0;
    b->version = (int)shop_rows_i64(r, 0, G_VERSION, 0);
    return 0;
}

static int by_id(shop_db_t *db, const shop_sql_t *q, apr_int64_t id, shop_rows_t **rows)
{
    const char *a[] = { I64(id) };
    return shop_db_select(db, q, 1, a, rows);
}

int shop_bill_admin_lines(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_LINES, bill_id, rows);
}

int shop_bill_admin_payments(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_PAYMENTS, bill_id, rows);
}

int shop_bill_admin_log(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_LOG, bill_id, rows);
}

int shop_bill_admin_documents(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_DOCUMENTS, bill_id, rows);
}

int shop_bill_admin_notes(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_NOTES, bill_id, rows);
}

int shop_bill_admin_note_add(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, const char *note,
                             apr_int64_t now)
{
    const char *a[] = { I64(bill_id), userid > 0 ? I64(userid) : NULL, note, I64(now) };
    return shop_db_exec(db, &Q_NOTE_ADD, 4, a, NULL);
}

int shop_bill_admin_transid(shop_db_t *db, apr_int64_t id, const char **transid)
{
    shop_rows_t *r;
    int rv = by_id(db, &Q_TRANSID, id, &r);
    *transid = rv == 0 && r->nrows ? shop_rows_str(r, 0, 0) : NULL;
    return rv;
}

/* ------------------------------------------------------- manual bills */

#define STAFF_WHERE \
    " FROM {mdl}user u WHERE u.deleted = 0 AND u.id > 0 AND (FIND_IN_SET(u.id, %s) OR EXISTS" \
    " (SELECT 1 FROM {mdl}role_assignments ra JOIN {mdl}role r ON r.id = ra.roleid" \
    "  WHERE ra.userid = u.id AND ra.contextid = 1 AND r.shortname = %s))"
static const shop_sql_t Q_STAFF = {
    "bill_admin.staff", "SELECT u.id, u.firstname, u.lastname" STAFF_WHERE " ORDER BY u.lastname, u.firstname, u.id"
};
static const shop_sql_t Q_IS_STAFF = {
    "bill_admin.is_staff", "SELECT u.id" STAFF_WHERE " AND u.id = %s"
};
static const shop_sql_t Q_CUSTOMERS = {
    "bill_admin.customers",
    "SELECT id, firstname, lastname, email, organisation FROM {shop}customer"
    " WHERE id = %s OR email LIKE %s OR CONCAT_WS(' ', firstname, lastname) LIKE %s"
    " OR CONCAT_WS(' ', lastname, firstname) LIKE %s OR organisation LIKE %s"
    " ORDER BY lastname, firstname, id LIMIT %s"
};
static const shop_sql_t Q_CUSTOMER = {
    "bill_admin.customer", "SELECT id, firstname, lastname, email, organisation FROM {shop}customer WHERE id = %s"
};
static const shop_sql_t Q_MOODLE_USER = {
    "bill_admin.moodle_user",
    "SELECT id, firstname, lastname, email, country, city, lang FROM {mdl}user"
    " WHERE id = %s AND deleted = 0 AND suspended = 0 AND confirmed = 1"
};
static const shop_sql_t Q_CREATE = {
    "bill_admin.create",
    "INSERT INTO {shop}bill SET transid = %s, shop_id = %s, currency = %s, customer_id = %s, title = %s, lang = %s,"
    " paymode = %s, assigned_userid = %s, due_at = %s, expected_payment_at = %s, engagement_number = %s,"
    " status = 'WORKING', created_at = %s, modified_at = %s"
};
static const shop_sql_t Q_CREATE_LOG = {
    "bill_admin.create_log",
    "INSERT INTO {shop}bill_state_log (bill_id, from_status, to_status, userid, source, reason, created_at)"
    " VALUES (%s, NULL, 'WORKING', %s, %s, 'manual bill', %s)"
};
static const shop_sql_t Q_LOCK = {
    "bill_admin.lock", "SELECT status, version, currency, invoice_number FROM {shop}bill WHERE id = %s FOR UPDATE"
};
static const shop_sql_t Q_UPDATE = {
    "bill_admin.update",
    "UPDATE {shop}bill SET shop_id = %s, currency = %s, customer_id = %s, title = %s, lang = %s, paymode = %s,"
    " assigned_userid = %s, due_at = %s, expected_payment_at = %s, engagement_number = %s, modified_at = %s"
    " WHERE id = %s AND status = 'WORKING'"
};
static const shop_sql_t Q_LINE_ADD = {
    "bill_admin.line_add",
    "INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, description, quantity, unit_minor,"
    " untaxed_minor, tax_id, tax_minor, total_minor, due_at, created_at, modified_at)"
    " SELECT %s, %s, COALESCE(MAX(line_no), 0) + 1, 'MANUAL', %s, %s, %s, %s, %s, 0, %s, 0, 0, %s, %s, %s"
    " FROM {shop}bill_line WHERE bill_id = %s"
};
static const shop_sql_t Q_LINE_UPDATE = {
    "bill_admin.line_update",
    "UPDATE {shop}bill_line SET code = %s, label = %s, description = %s, quantity = %s, unit_minor = %s, tax_id = %s,"
    " due_at = %s, modified_at = %s WHERE id = %s AND bill_id = %s AND type = 'MANUAL'"
};
static const shop_sql_t Q_LINE_DELETE = {
    "bill_admin.line_delete", "DELETE FROM {shop}bill_line WHERE id = %s AND bill_id = %s AND type = 'MANUAL'"
};
static const shop_sql_t Q_LINE_NO = {
    "bill_admin.line_no", "SELECT line_no FROM {shop}bill_line WHERE id = %s AND bill_id = %s"
};
static const shop_sql_t Q_LINE_ABOVE = {
    "bill_admin.line_above",
    "SELECT id, line_no FROM {shop}bill_line WHERE bill_id = %s AND line_no < %s ORDER BY line_no DESC LIMIT 1"
};
static const shop_sql_t Q_LINE_BELOW = {
    "bill_admin.line_below",
    "SELECT id, line_no FROM {shop}bill_line WHERE bill_id = %s AND line_no > %s ORDER BY line_no LIMIT 1"
};
static const shop_sql_t Q_LINE_SET_NO = {
    "bill_admin.line_set_no", "UPDATE {shop}bill_line SET line_no = %s WHERE id = %s"
};
static const shop_sql_t Q_RECALC_LINES = {
    "bill_admin.recalc_lines",
    "SELECT id, type, quantity, unit_minor, COALESCE(tax_id, 0), tax_rate, untaxed_minor, tax_minor"
    " FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no FOR UPDATE"
};
static const shop_sql_t Q_LINE_AMOUNTS = {
    "bill_admin.line_amounts",
    "UPDATE {shop}bill_line SET untaxed_minor = %s, tax_minor = %s, total_minor = %s, tax_rate = %s WHERE id = %s"
};
static const shop_sql_t Q_TOTALS = {
    "bill_admin.totals",
    "UPDATE {shop}bill SET untaxed_minor = %s, taxes_minor = %s, taxed_minor = %s, discount_minor = %s,"
    " shipping_minor = %s, to_pay_minor = %s, modified_at = %s, version = version + 1 WHERE id = %s"
};

int shop_bill_admin_staff(shop_db_t *db, const char *sales_role, const char *site_admins, shop_rows_t **rows)
{
    const char *a[] = { site_admins ? site_admins : "", sales_role ? sales_role : "" };
    return shop_db_select(db, &Q_STAFF, 2, a, rows);
}

int shop_bill_admin_is_staff(shop_db_t *db, const char *sales_role, const char *site_admins, apr_int64_t userid,
                             int *is)
{
    shop_rows_t *r;
    const char *a[] = { site_admins ? site_admins : "", sales_role ? sales_role : "", I64(userid) };
    int rv = shop_db_select(db, &Q_IS_STAFF, 3, a, &r);
    *is = rv == 0 && r->nrows > 0;
    return rv;
}

int shop_bill_admin_customers(shop_db_t *db, const char *q, int max, shop_rows_t **rows)
{
    const char *pat = contains(db->pool, q);
    const char *a[] = { I64(apr_atoi64(q)), pat, pat, pat, pat, I64(max) };
    return shop_db_select(db, &Q_CUSTOMERS, 6, a, rows);
}

int shop_bill_admin_customer(shop_db_t *db, apr_int64_t id, shop_rows_t **rows)
{
    return by_id(db, &Q_CUSTOMER, id, rows);
}

int shop_bill_admin_moodle_user(shop_db_t *db, apr_int64_t userid, shop_rows_t **rows)
{
    return by_id(db, &Q_MOODLE_USER, userid, rows);
}

static const char *id_or_null(shop_db_t *db, apr_int64_t v)
{
    return v > 0 ? I64(v) : NULL;
}

int shop_bill_admin_create(shop_db_t *db, const char *transid, const shop_manual_bill_t *b, apr_int64_t userid,
                           const char *source, apr_int64_t now, apr_int64_t *id)
{
    const char *a[] = { transid, I64(b->shop_id), b->currency, id_or_null(db, b->customer_id), b->title, b->lang,
                        b->paymode, id_or_null(db, b->assigned_userid), id_or_null(db, b->due_at),
                        id_or_null(db, b->expected_payment_at), b->engagement_number, I64(now), I64(now) };
    int rv = shop_db_exec(db, &Q_CREATE, 13, a, NULL);
    int64_t new_id = 0;
    if (rv == 0) rv = shop_db_last_id(db, &new_id);
    if (rv != 0) return rv;
    *id = new_id;
    const char *log[] = { I64(new_id), id_or_null(db, userid), source, I64(now) };
    return shop_db_exec(db, &Q_CREATE_LOG, 4, log, NULL);
}

int shop_bill_admin_lock(shop_db_t *db, apr_int64_t id, const char **status, apr_int64_t *version,
                         const char **currency, const char **invoice_number, int *found)
{
    shop_rows_t *r;
    int rv = by_id(db, &Q_LOCK, id, &r);
    *found = rv == 0 && r->nrows == 1;
    if (*found) {
        *status = shop_rows_str(r, 0, 0);
        *version = shop_rows_i64(r, 0, 1, 0);
        *currency = shop_rows_str(r, 0, 2);
        *invoice_number = shop_rows_str(r, 0, 3);
    }
    return rv;
}

int shop_bill_admin_update(shop_db_t *db, apr_int64_t id, const shop_manual_bill_t *b, apr_int64_t now)
{
    const char *a[] = { I64(b->shop_id), b->currency, id_or_null(db, b->customer_id), b->title, b->lang, b->paymode,
                        id_or_null(db, b->assigned_userid), id_or_null(db, b->due_at),
                        id_or_null(db, b->expected_payment_at), b->engagement_number, I64(now), I64(id) };
    return shop_db_exec(db, &Q_UPDATE, 12, a, NULL);
}

int shop_bill_admin_line_add(shop_db_t *db, apr_int64_t bill_id, const char *currency, const shop_manual_line_t *l,
                             apr_int64_t now, apr_int64_t *line_id)
{
    const char *a[] = { I64(bill_id), currency, l->code, l->label, l->description, I64(l->quantity),
                        I64(l->unit_minor), id_or_null(db, l->tax_id), id_or_null(db, l->due_at), I64(now), I64(now),
                        I64(bill_id) };
    int rv = shop_db_exec(db, &Q_LINE_ADD, 12, a, NULL);
    int64_t id = 0;
    if (rv == 0) rv = shop_db_last_id(db, &id);
    *line_id = id;
    return rv;
}

int shop_bill_admin_line_update(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, const shop_manual_line_t *l,
                                apr_int64_t now, int *affected)
{
    const char *a[] = { l->code, l->label, l->description, I64(l->quantity), I64(l->unit_minor),
                        id_or_null(db, l->tax_id), id_or_null(db, l->due_at), I64(now), I64(line_id), I64(bill_id) };
    return shop_db_exec(db, &Q_LINE_UPDATE, 10, a, affected);
}

int shop_bill_admin_line_delete(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, int *affected)
{
    const char *a[] = { I64(line_id), I64(bill_id) };
    return shop_db_exec(db, &Q_LINE_DELETE, 2, a, affected);
}

int shop_bill_admin_line_move(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, int up, int *moved)
{
    shop_rows_t *r, *n;
    *moved = 0;
    const char *a[] = { I64(line_id), I64(bill_id) };
    int rv = shop_db_select(db, &Q_LINE_NO, 2, a, &r);
    if (rv != 0 || r->nrows == 0) return rv;
    const char *no = shop_rows_str(r, 0, 0);
    const char *b[] = { I64(bill_id), no };
    if ((rv = shop_db_select(db, up ? &Q_LINE_ABOVE : &Q_LINE_BELOW, 2, b, &n)) != 0 || n->nrows == 0) return rv;
    /* (bill_id, line_no) is unique: park one line on 0 (numbers start at 1) during the swap */
    const char *park[] = { "0", I64(line_id) };
    const char *other[] = { no, shop_rows_str(n, 0, 0) };
    const char *mine[] = { shop_rows_str(n, 0, 1), I64(line_id) };
    if ((rv = shop_db_exec(db, &Q_LINE_SET_NO, 2, park, NULL)) != 0
        || (rv = shop_db_exec(db, &Q_LINE_SET_NO, 2, other, NULL)) != 0
        || (rv = shop_db_exec(db, &Q_LINE_SET_NO, 2, mine, NULL)) != 0)
        return rv;
    *moved = 1;
    return 0;
}

int shop_bill_admin_recalc_lines(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    return by_id(db, &Q_RECALC_LINES, bill_id, rows);
}

int shop_bill_admin_line_amounts(shop_db_t *db, apr_int64_t line_id, apr_int64_t untaxed, apr_int64_t tax,
                                 const char *rate)
{
    const char *a[] = { I64(untaxed), I64(tax), I64(untaxed + tax), rate, I64(line_id) };
    return shop_db_exec(db, &Q_LINE_AMOUNTS, 5, a, NULL);
}

int shop_bill_admin_totals(shop_db_t *db, apr_int64_t bill_id, const shop_bill_totals_row_t *t, apr_int64_t now)
{
    const char *a[] = { I64(t->untaxed_minor), I64(t->taxes_minor), I64(t->taxed_minor), I64(t->discount_minor),
                        I64(t->shipping_minor), I64(t->to_pay_minor), I64(now), I64(bill_id) };
    return shop_db_exec(db, &Q_TOTALS, 8, a, NULL);
}

/* ----------------------------------------------------------- dashboard */

#define PAID_STATES "('SOLDOUT', 'COMPLETE', 'PAYBACK')"
static const shop_sql_t Q_REVENUE = {
    "bill_admin.revenue",
    "SELECT INTERVAL(paid_at, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) AS m, currency,"
    " SUM(to_pay_minor), COUNT(*)"
    " FROM {shop}bill WHERE status IN " PAID_STATES " AND paid_at >= %s AND paid_at < %s"
    " GROUP BY m, currency ORDER BY currency, m"
};
static const shop_sql_t Q_STATE_TOTALS = {
    "bill_admin.state_totals", "SELECT status, COUNT(*) FROM {shop}bill GROUP BY status"
};
/* One scan of the period's lines, ranked both ways over the grouped rows:
 * the rows of either top, each with its two ranks. */
#define TEXT_OF(n) #n
#define TEXT(n) TEXT_OF(n)
static const shop_sql_t Q_TOP_PRODUCTS = {
    "bill_admin.top_products",
    "SELECT code, label, currency, q, r, rank_q, rank_r FROM (SELECT g.*,"
    " ROW_NUMBER() OVER (ORDER BY q DESC, r DESC, code, currency) AS rank_q,"
    " ROW_NUMBER() OVER (ORDER BY r DESC, q DESC, code, currency) AS rank_r"
    " FROM (SELECT l.code, MAX(l.label) AS label, b.currency, SUM(l.quantity) AS q, SUM(l.total_minor) AS r"
    " FROM {shop}bill b JOIN {shop}bill_line l ON l.bill_id = b.id"
    " WHERE b.status IN " PAID_STATES " AND b.paid_at >= %s AND b.paid_at < %s AND l.type = 'PRODUCT'"
    " GROUP BY l.code, b.currency) g) t"
    " WHERE rank_q <= " TEXT(SHOP_DASH_TOP) " OR rank_r <= " TEXT(SHOP_DASH_TOP)
};

int shop_bill_admin_revenue(shop_db_t *db, const apr_int64_t bounds[SHOP_DASH_MONTHS + 1], shop_rows_t **rows)
{
    const char *a[SHOP_DASH_MONTHS + 3];
    for (int i = 0; i <= SHOP_DASH_MONTHS; i++) a[i] = I64(bounds[i]);
    a[SHOP_DASH_MONTHS + 1] = a[0];
    a[SHOP_DASH_MONTHS + 2] = a[SHOP_DASH_MONTHS];
    return shop_db_select(db, &Q_REVENUE, SHOP_DASH_MONTHS + 3, a, rows);
}

int shop_bill_admin_state_totals(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_STATE_TOTALS, 0, NULL, rows);
}

int shop_bill_admin_top_products(shop_db_t *db, apr_int64_t from, apr_int64_t to, shop_rows_t **rows)
{
    const char *a[] = { I64(from), I64(to) };
    return shop_db_select(db, &Q_TOP_PRODUCTS, 2, a, rows);
}
