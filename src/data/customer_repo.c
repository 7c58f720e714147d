/* Customers: see customer_repo.h. */
#include "data/customer_repo.h"

#include <apr_strings.h>

static const shop_sql_t Q_EXISTS = {
    "customer.exists_for_user", "SELECT 1 FROM {shop}customer WHERE userid = %s"
};

#define COLUMNS "id, shop_id, userid, firstname, lastname, email, phone, organisation, address, zip, city," \
                " country, lang, invoicing_info"

static const shop_sql_t Q_FOR_USER = {
    "customer.for_user", "SELECT " COLUMNS " FROM {shop}customer WHERE userid = %s"
};
static const shop_sql_t Q_EMAIL_BOUND = {
    "customer.email_bound", "SELECT 1 FROM {shop}customer WHERE email = %s AND userid IS NOT NULL LIMIT 1"
};
static const shop_sql_t Q_LOCK_USER = {
    "customer.lock_user", "SELECT id FROM {shop}customer WHERE userid = %s FOR UPDATE"
};
/* Shop transactions run READ COMMITTED (data/db.c): this locks the row it
 * finds and no gap, so new customers do not block each other.  At worst two
 * checkouts of one new person at the same instant make two unbound rows,
 * which the next checkout reuses (lowest id). */
static const shop_sql_t Q_LOCK_UNBOUND = {
    "customer.lock_unbound",
    "SELECT id FROM {shop}customer WHERE email = %s AND lastname = %s AND userid IS NULL ORDER BY id LIMIT 1"
    " FOR UPDATE"
};
static const shop_sql_t Q_UPDATE = {
    "customer.update",
    "UPDATE {shop}customer SET userid = %s, firstname = %s, lastname = %s, email = %s, phone = %s,"
    " organisation = %s, address = %s, zip = %s, city = %s, country = %s, lang = %s,"
    " invoicing_info = COALESCE(%s, invoicing_info), modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_INSERT = {
    "customer.insert",
    "INSERT INTO {shop}customer (shop_id, userid, firstname, lastname, email, phone, organisation, address, zip,"
    " city, country, lang, invoicing_info, created_at, modified_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
};

int shop_customer_exists_for_user(shop_db_t *db, apr_int64_t userid, int *exists)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, userid) };
    *exists = 0;
    int rv = shop_db_select(db, &Q_EXISTS, 1, args, &rows);
    if (rv == 0) *exists = rows->nrows > 0;
    return rv;
}

static const char *str(const shop_rows_t *rows, int c)
{
    const char *v = shop_rows_str(rows, 0, c);
    return v ? v : "";
}

int shop_customer_get_for_user(shop_db_t *db, apr_int64_t userid, shop_customer_t **out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, userid) };
    *out = NULL;
    int rv = shop_db_select(db, &Q_FOR_USER, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    shop_customer_t *c = apr_pcalloc(db->pool, sizeof(*c));
    c->id = shop_rows_i64(rows, 0, 0, 0);
    c->shop_id = shop_rows_i64(rows, 0, 1, 0);
    c->userid = shop_rows_i64(rows, 0, 2, 0);
    c->identity.firstname = str(rows, 3);
    c->identity.lastname = str(rows, 4);
    c->identity.email = str(rows, 5);
    c->identity.phone = str(rows, 6);
    c->identity.organisation = str(rows, 7);
    c->identity.address = str(rows, 8);
    c->identity.zip = str(rows, 9);
    c->identity.city = str(rows, 10);
    c->identity.country = str(rows, 11);
    c->identity.department = c->identity.vat_number = "";
    c->lang = str(rows, 12);
    c->invoicing_info = shop_rows_str(rows, 0, 13);
    *out = c;
    return 0;
}

int shop_customer_email_bound(shop_db_t *db, const char *email, int *bound)
{
    shop_rows_t *rows;
    const char *args[] = { email };
    *bound = 0;
    int rv = shop_db_select(db, &Q_EMAIL_BOUND, 1, args, &rows);
    if (rv == 0) *bound = rows->nrows > 0;
    return rv;
}

static int find(shop_db_t *db, const shop_customer_upsert_t *in, apr_int64_t *id)
{
    shop_rows_t *rows;
    int rv;
    *id = 0;
    if (in->userid > 0) {
        const char *args[] = { shop_db_i64(db->pool, in->userid) };
        if ((rv = shop_db_select(db, &Q_LOCK_USER, 1, args, &rows)) != 0) return rv;
        if (rows->nrows) {
            *id = shop_rows_i64(rows, 0, 0, 0);
            return 0;
        }
    }
    const char *args[] = { in->identity->email, in->identity->lastname };
    if ((rv = shop_db_select(db, &Q_LOCK_UNBOUND, 2, args, &rows)) != 0) return rv;
    if (rows->nrows) *id = shop_rows_i64(rows, 0, 0, 0);
    return 0;
}

int shop_customer_upsert(shop_db_t *db, const shop_customer_upsert_t *in, apr_int64_t *id)
{
    if (!db->txn) return -1;
    const shop_party_t *c = in->identity;
    apr_pool_t *p = db->pool;
    const char *userid = in->userid > 0 ? shop_db_i64(p, in->userid) : NULL;
    const char *now = shop_db_i64(p, in->now);
    const char *lang = in->lang ? in->lang : "en";
    int rv = find(db, in, id);
    if (rv != 0) return rv;
    if (*id) {
        const char *args[] = { userid, c->firstname, c->lastname, c->email, c->phone, c->organisation, c->address,
                               c->zip, c->city, c->country, lang, in->invoicing_info, now, shop_db_i64(p, *id) };
        return shop_db_exec(db, &Q_UPDATE, 14, args, NULL);
    }
    const char *args[] = { in->shop_id > 0 ? shop_db_i64(p, in->shop_id) : NULL, userid, c->firstname, c->lastname,
                           c->email, c->phone, c->organisation, c->address, c->zip, c->city, c->country, lang,
                           in->invoicing_info, now, now };
    rv = shop_db_exec(db, &Q_INSERT, 15, args, NULL);
    if (rv == 0) rv = shop_db_last_id(db, (int64_t *)id);
    return rv;
}
