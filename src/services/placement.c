/* Order placement and stock holds (placement.h). */
#include "services/placement.h"

#include <stdlib.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "data/discount_repo.h"

#define TRANSID_BYTES 24        /* 192 bits, 32 base64url characters */
#define RELEASE_BATCH 500       /* expired holds looked at per cron pass */

/* A plain read: an edit committed after it is no different from one
 * committed just after this placement; a lock would only make every buyer
 * queue behind the back office. */
static const shop_sql_t Q_CATALOGUE_VERSION = {
    "place.catalogue_version",
    "SELECT cache_version FROM {shop}catalogue WHERE id = %s"
};
/* The bill, and whether a refresh has holds or offer-code uses to undo
 * (most have neither: two statements saved). */
static const shop_sql_t Q_BILL_LOCK = {
    "place.bill_lock",
    "SELECT b.id, b.status, b.paid_minor, b.invoice_number IS NOT NULL,"
    " EXISTS (SELECT 1 FROM {shop}stock_reservation r WHERE r.bill_id = b.id AND r.released = 0),"
    " EXISTS (SELECT 1 FROM {shop}bill_line l WHERE l.bill_id = b.id AND l.type = 'DISCOUNT'"
    "         AND JSON_VALUE(l.discount_data, '$.code') IS NOT NULL)"
    " FROM {shop}bill b WHERE b.transid = %s FOR UPDATE"
};
static const shop_sql_t Q_PARTNER = {
    "place.partner",
    "SELECT id FROM {shop}partner WHERE partner_key = %s AND enabled = 1"
};
static const shop_sql_t Q_UNDO_CODES = {
    "place.undo_codes",
    "UPDATE {shop}discount_code SET uses = uses - 1 WHERE uses > 0 AND (discount_id, code) IN"
    " (SELECT DISTINCT discount_id, JSON_VALUE(discount_data, '$.code') FROM {shop}bill_line"
    "  WHERE bill_id = %s AND type = 'DISCOUNT' AND discount_data IS NOT NULL)"
};
static const shop_sql_t Q_DELETE_LINES = {
    "place.delete_lines", "DELETE FROM {shop}bill_line WHERE bill_id = %s"
};
static const shop_sql_t Q_RESERVE = {
    "place.reserve",
    "UPDATE {shop}product SET reserved = reserved + %s"
    " WHERE id = %s AND stock IS NOT NULL AND stock - reserved >= %s"
};
static const shop_sql_t Q_HOLD = {
    "place.hold",
    "INSERT INTO {shop}stock_reservation (bill_id, product_id, quantity, expires_at, created_at)"
    " VALUES (%s, %s, %s, %s, %s)"
    " ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), expires_at = VALUES(expires_at),"
    " released = 0, released_at = NULL, created_at = VALUES(created_at)"
};
#define BILL_FIELDS \
    "customer_id = %s, userid = %s, title = %s, status = 'PLACED', lang = %s," \
    " untaxed_minor = %s, taxes_minor = %s, taxed_minor = %s, discount_minor = %s, shipping_minor = %s," \
    " to_pay_minor = %s, paymode = %s, invoicing_identity = %s, terms_hash = %s, terms_accepted_at = %s," \
    " terms_ip = %s, terms_userid = %s, partner_id = %s, partner_tag = %s, test = %s, placed_at = %s," \
    " modified_at = %s, engagement_number = %s"
static const shop_sql_t Q_BILL_INSERT = {
    "place.bill_insert",
    "INSERT INTO {shop}bill SET transid = %s, shop_id = %s, currency = %s, worktype = 'PROD', created_at = %s, "
    BILL_FIELDS
};
static const shop_sql_t Q_BILL_REFRESH = {
    "place.bill_refresh",
    "UPDATE {shop}bill SET version = version + 1, " BILL_FIELDS " WHERE id = %s"
};
/* Lines go in by up to LINES_PER_INSERT rows per statement. */
#define LINE_COLUMNS \
    "INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, description, quantity," \
    " unit_minor, untaxed_minor, tax_id, tax_rate, tax_minor, total_minor, product_id, discount_id," \
    " product_snapshot, required_data, seats, discount_data, created_at, modified_at) VALUES "
#define LINE_VALUES "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
#define LINE_FIELDS 22
#define LINES_PER_INSERT 4
static const shop_sql_t Q_LINE_INSERT[LINES_PER_INSERT] = {
    { "place.line_insert_1", LINE_COLUMNS LINE_VALUES },
    { "place.line_insert_2", LINE_COLUMNS LINE_VALUES ", " LINE_VALUES },
    { "place.line_insert_3", LINE_COLUMNS LINE_VALUES ", " LINE_VALUES ", " LINE_VALUES },
    { "place.line_insert_4", LINE_COLUMNS LINE_VALUES ", " LINE_VALUES ", " LINE_VALUES ", " LINE_VALUES }
};
static const shop_sql_t Q_AUDIT = {
    "place.audit",
    "INSERT INTO {shop}bill_state_log (bill_id, from_status, to_status, userid, source, reason, created_at)"
    " VALUES (%s, %s, 'PLACED', %s, %s, %s, %s)"
};
/* All of one bill's holds in one statement: the rows are locked as they are
 * read, so a cron releasing the same hold waits and then finds it released. */
static const shop_sql_t Q_RELEASE_BILL = {
    "place.release_bill",
    "UPDATE {shop}stock_reservation r JOIN {shop}product p ON p.id = r.product_id"
    " SET r.released = 1, r.released_at = %s, p.reserved = p.reserved - r.quantity"
    " WHERE r.bill_id = %s AND r.released = 0"
};
/* Holds become sales: the units leave the stock and the reservation. */
static const shop_sql_t Q_SELL_BILL = {
    "place.sell_bill",
    "UPDATE {shop}stock_reservation r JOIN {shop}product p ON p.id = r.product_id"
    " SET r.released = 1, r.released_at = %s, p.stock = p.stock - r.quantity, p.reserved = p.reserved - r.quantity,"
    " p.sold = p.sold + r.quantity"
    " WHERE r.bill_id = %s AND r.released = 0"
};
static const shop_sql_t Q_HOLDS_EXPIRED = {
    "place.holds_expired",
    "SELECT r.id FROM {shop}stock_reservation r JOIN {shop}bill b ON b.id = r.bill_id"
    " WHERE r.released = 0 AND r.expires_at <= %s AND b.status IN ('PLACED', 'PENDING')"
    " ORDER BY r.id LIMIT " APR_STRINGIFY(RELEASE_BATCH)
};
/* The flag flips once (still unpaid, still expired): whoever flips it gives
 * the units back. */
static const shop_sql_t Q_RELEASE_FLAG_UNPAID = {
    "place.release_flag_unpaid",
    "UPDATE {shop}stock_reservation r JOIN {shop}bill b ON b.id = r.bill_id"
    " SET r.released = 1, r.released_at = %s"
    " WHERE r.id = %s AND r.released = 0 AND r.expires_at <= %s AND b.status IN ('PLACED', 'PENDING')"
};
static const shop_sql_t Q_RELEASE_UNITS = {
    "place.release_units",
    "UPDATE {shop}product p JOIN {shop}stock_reservation r ON r.product_id = p.id"
    " SET p.reserved = p.reserved - r.quantity WHERE r.id = %s"
};

#define I64(v) shop_db_i64(db->pool, (v))

static const char *or_null_id(shop_db_t *db, apr_int64_t v)
{
    return v > 0 ? I64(v) : NULL;
}

static int release_expired_one(shop_db_t *db, const char *id, apr_int64_t now, int *released)
{
    int affected = 0;
    const char *flag[] = { I64(now), id, I64(now) };
    int rv = shop_db_exec(db, &Q_RELEASE_FLAG_UNPAID, 3, flag, &affected);
    if (rv != 0 || affected == 0) return rv;
    const char *args[] = { id };
    if ((rv = shop_db_exec(db, &Q_RELEASE_UNITS, 1, args, NULL)) == 0) (*released)++;
    return rv;
}

int shop_stock_release_bill(shop_db_t *db, apr_int64_t bill_id, apr_int64_t now, int *released)
{
    const char *args[] = { I64(now), I64(bill_id) };
    int affected = 0, rv = shop_db_exec(db, &Q_RELEASE_BILL, 2, args, &affected);
    if (released) *released = affected / 2;     /* each hold changes its row and its product's */
    return rv;
}

int shop_stock_sell_bill(shop_db_t *db, apr_int64_t bill_id, apr_int64_t now)
{
    const char *args[] = { I64(now), I64(bill_id) };
    return shop_db_exec(db, &Q_SELL_BILL, 2, args, NULL);
}

int shop_stock_release_expired(shop_db_t *db, apr_int64_t now, int *released)
{
    *released = 0;
    for (;;) {
        shop_rows_t *rows;
        const char *args[] = { I64(now) };
        int rv = shop_db_select(db, &Q_HOLDS_EXPIRED, 1, args, &rows);
        if (rv != 0) return rv;
        int before = *released;
        for (int i = 0; i < rows->nrows; i++) {
            if ((rv = shop_db_begin(db)) != 0) return rv;
            rv = release_expired_one(db, shop_rows_str(rows, i, 0), now, released);
            if (rv != 0) {
                shop_db_rollback(db);
                return rv;
            }
            if ((rv = shop_db_commit(db)) != 0) return rv;
        }
        /* a full batch that released nothing was taken by another cron */
        if (rows->nrows < RELEASE_BATCH || *released == before) return 0;
    }
}

/* The bill of order->transid, locked.  *bill_id 0 when there is none or it
 * is closed (a new bill is made). */
typedef struct cart_bill {
    apr_int64_t id;             /* 0: make a new bill */
    int has_holds, has_codes;   /* what a refresh must undo */
} cart_bill_t;

static int lock_cart_bill(shop_db_t *db, const shop_order_t *o, cart_bill_t *bill, shop_place_result_t *out)
{
    memset(bill, 0, sizeof(*bill));
    if (!o->transid) return 0;
    shop_rows_t *rows;
    const char *args[] = { o->transid };
    int rv = shop_db_select(db, &Q_BILL_LOCK, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    const char *status = shop_rows_str(rows, 0, 1);
    int paid = shop_rows_i64(rows, 0, 2, 0) > 0 || shop_rows_i64(rows, 0, 3, 0) != 0;
    int open = !strcmp(status, "PLACED") || !strcmp(status, "PENDING");
    if (paid || !(open || !strcmp(status, "CANCELLED") || !strcmp(status, "FAILED") || !strcmp(status, "REFUSED"))) {
        out->status = SHOP_PLACE_ALREADY_PAID;
        out->transid = apr_pstrdup(db->pool, o->transid);
        out->bill_id = shop_rows_i64(rows, 0, 0, 0);
        return 0;
    }
    if (open) {
        bill->id = shop_rows_i64(rows, 0, 0, 0);
        bill->has_holds = shop_rows_i64(rows, 0, 4, 0) != 0;
        bill->has_codes = shop_rows_i64(rows, 0, 5, 0) != 0;
    }
    return 0;
}

/* Undo what the bill held before it is placed again. */
static int clear_bill(shop_db_t *db, const cart_bill_t *bill, apr_int64_t now)
{
    const char *args[] = { I64(bill->id) };
    int rv;
    if (bill->has_holds && (rv = shop_stock_release_bill(db, bill->id, now, NULL)) != 0) return rv;
    if (bill->has_codes && (rv = shop_db_exec(db, &Q_UNDO_CODES, 1, args, NULL)) != 0) return rv;
    return shop_db_exec(db, &Q_DELETE_LINES, 1, args, NULL);
}

static int cmp_line_product(const void *a, const void *b)
{
    const shop_order_line_t *x = *(const shop_order_line_t *const *)a, *y = *(const shop_order_line_t *const *)b;
    return x->product_id < y->product_id ? -1 : x->product_id > y->product_id;
}

/* Hold stock for every limited product, in product id order. */
static int hold_stock(shop_db_t *db, const shop_order_t *o, apr_int64_t bill_id, shop_place_result_t *out)
{
    const shop_order_line_t **held = apr_palloc(db->pool, sizeof(*held) * (o->nlines ? o->nlines : 1));
    int n = 0;
    for (int i = 0; i < o->nlines; i++)
        if (o->lines[i].type == SHOP_LINE_PRODUCT && o->lines[i].hold_stock && o->lines[i].product_id > 0)
            held[n++] = &o->lines[i];
    qsort(held, n, sizeof(*held), cmp_line_product);
    for (int i = 0; i < n; i++) {
        const char *q = I64(held[i]->quantity), *pid = I64(held[i]->product_id);
        const char *args[] = { q, pid, q };
        int affected = 0, rv = shop_db_exec(db, &Q_RESERVE, 3, args, &affected);
        if (rv != 0) return rv;
        if (affected == 0) {
            out->status = SHOP_PLACE_SOLD_OUT;
            out->code = held[i]->code;
            return 0;
        }
        const char *hold[] = { I64(bill_id), pid, q, I64(o->now + o->hold_seconds), I64(o->now) };
        if ((rv = shop_db_exec(db, &Q_HOLD, 5, hold, NULL)) != 0) return rv;
    }
    return 0;
}

static int count_codes(shop_db_t *db, const shop_order_t *o, shop_place_result_t *out)
{
    for (int i = 0; i < o->ncodes; i++) {
        int counted = 0, rv = shop_discount_code_count_use(db, o->codes[i].discount_id, o->codes[i].code, &counted);
        if (rv != 0) return rv;
        if (!counted) {
            out->status = SHOP_PLACE_CODE_EXHAUSTED;
            out->code = o->codes[i].code;
            return 0;
        }
    }
    return 0;
}

static const char *line_type_name(shop_line_type_t t)
{
    return t == SHOP_LINE_DISCOUNT ? "DISCOUNT" : t == SHOP_LINE_SHIPPING ? "SHIPPING" : "PRODUCT";
}

static int write_lines(shop_db_t *db, const shop_order_t *o, apr_int64_t bill_id)
{
    const char *args[LINES_PER_INSERT * LINE_FIELDS];
    for (int first = 0; first < o->nlines; first += LINES_PER_INSERT) {
        int n = o->nlines - first < LINES_PER_INSERT ? o->nlines - first : LINES_PER_INSERT;
        for (int k = 0; k < n; k++) {
            const shop_order_line_t *l = &o->lines[first + k];
            const char *one[LINE_FIELDS] = {
                I64(bill_id), o->currency, I64(first + k + 1), line_type_name(l->type), l->code ? l->code : "",
                l->label ? l->label : "", l->description, I64(l->quantity), I64(l->unit_minor),
                I64(l->untaxed_minor), or_null_id(db, l->tax_id), l->tax_rate ? l->tax_rate : "0",
                I64(l->tax_minor), I64(l->total_minor), or_null_id(db, l->product_id), or_null_id(db, l->discount_id),
                l->snapshot, l->required_data, l->seats, l->discount_data, I64(o->now), I64(o->now)
            };
            memcpy(args + k * LINE_FIELDS, one, sizeof(one));
        }
        int rv = shop_db_exec(db, &Q_LINE_INSERT[n - 1], n * LINE_FIELDS, args, NULL);
        if (rv != 0) return rv;
    }
    return 0;
}

static int partner_id(shop_db_t *db, const char *key, const char **id)
{
    *id = NULL;
    if (!key || !*key) return 0;
    shop_rows_t *rows;
    const char *args[] = { key };
    int rv = shop_db_select(db, &Q_PARTNER, 1, args, &rows);
    if (rv == 0 && rows->nrows) *id = apr_pstrdup(db->pool, shop_rows_str(rows, 0, 0));
    return rv;
}

int shop_order_place(shop_db_t *db, const shop_order_t *o, shop_place_result_t *out)
{
    memset(out, 0, sizeof(*out));
    shop_rows_t *rows;
    const char *cat[] = { I64(o->catalogue_id) };
    int rv = shop_db_select(db, &Q_CATALOGUE_VERSION, 1, cat, &rows);
    if (rv != 0) return rv;
    if (rows->nrows == 0 || shop_rows_i64(rows, 0, 0, -1) != o->catalogue_version) {
        out->status = SHOP_PLACE_PRICES_CHANGED;
        return 0;
    }

    cart_bill_t bill;
    if ((rv = lock_cart_bill(db, o, &bill, out)) != 0 || out->status != SHOP_PLACE_OK) return rv;
    if (bill.id && (rv = clear_bill(db, &bill, o->now)) != 0) return rv;
    apr_int64_t bill_id = bill.id;

    const char *partner;
    if ((rv = partner_id(db, o->partner_key, &partner)) != 0) return rv;
    const char *fields[] = {
        I64(o->customer_id), or_null_id(db, o->userid), o->title, o->lang,
        I64(o->untaxed_minor), I64(o->taxes_minor), I64(o->taxed_minor), I64(o->discount_minor),
        I64(o->shipping_minor), I64(o->to_pay_minor), o->paymode, o->invoicing_identity, o->terms_hash,
        o->terms_hash ? I64(o->now) : NULL, o->terms_hash ? o->terms_ip : NULL,
        o->terms_hash ? or_null_id(db, o->userid) : NULL, partner, o->partner_tag, o->test ? "1" : "0",
        I64(o->now), I64(o->now), o->engagement_number && *o->engagement_number ? o->engagement_number : NULL
    };
    enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };
    const char *from = NULL, *reason = NULL;
    if (bill_id) {
        const char *args[NFIELDS + 1];
        memcpy(args, fields, sizeof(fields));
        args[NFIELDS] = I64(bill_id);
        if ((rv = shop_db_exec(db, &Q_BILL_REFRESH, NFIELDS + 1, args, NULL)) != 0) return rv;
        out->transid = apr_pstrdup(db->pool, o->transid);
        out->refreshed = 1;
        from = "PLACED";
        reason = "refreshed from the cart";
    } else {
        unsigned char random[TRANSID_BYTES];
        if (shop_random_bytes(random, sizeof(random)) != APR_SUCCESS) return -1;
        out->transid = shop_base64url_encode(db->pool, random, sizeof(random));
        const char *args[NFIELDS + 4];
        args[0] = out->transid;
        args[1] = I64(o->shop_id);
        args[2] = o->currency;
        args[3] = I64(o->now);
        memcpy(args + 4, fields, sizeof(fields));
        if ((rv = shop_db_exec(db, &Q_BILL_INSERT, NFIELDS + 4, args, NULL)) != 0) return rv;
        int64_t id;
        if ((rv = shop_db_last_id(db, &id)) != 0) return rv;
        bill_id = id;
    }
    out->bill_id = bill_id;

    if ((rv = hold_stock(db, o, bill_id, out)) != 0 || out->status != SHOP_PLACE_OK) return rv;
    if ((rv = count_codes(db, o, out)) != 0 || out->status != SHOP_PLACE_OK) return rv;
    if ((rv = write_lines(db, o, bill_id)) != 0) return rv;
    const char *audit[] = { I64(bill_id), from, or_null_id(db, o->userid), o->source ? o->source : "web",
                            reason, I64(o->now) };
    return shop_db_exec(db, &Q_AUDIT, 6, audit, NULL);
}
