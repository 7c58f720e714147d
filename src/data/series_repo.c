/* Numbering series for the back office: see series_repo.h. */
#include "data/series_repo.h"

#include <string.h>

#define SERIES_COLUMNS \
    "SELECT s.id, s.code, s.kind, s.seller, s.format, s.yearly_reset, s.enabled," \
    " (SELECT COUNT(*) FROM {shop}invoice i WHERE i.series_id = s.id)," \
    " (SELECT COUNT(*) FROM {shop}bill b WHERE b.invoice_series_id = s.id)" \
    " + (SELECT COUNT(*) FROM {shop}invoice_counter c WHERE c.series_id = s.id AND c.next_value > 1)," \
    " COALESCE((SELECT c.next_value FROM {shop}invoice_counter c WHERE c.series_id = s.id" \
    " AND c.year = IF(s.yearly_reset = 1, %s, 0)), 1)," \
    " (SELECT COUNT(*) FROM {shop}shop p WHERE p.invoice_series_id = s.id OR p.credit_series_id = s.id)" \
    " FROM {shop}invoice_series s"

static const shop_sql_t Q_LIST = {
    "series.list", SERIES_COLUMNS " ORDER BY s.kind = 'credit_note', s.code, s.id"
};
static const shop_sql_t Q_GET = { "series.get", SERIES_COLUMNS " WHERE s.id = %s" };
static const shop_sql_t Q_LOCK_ALL = {
    "series.lock_all", "SELECT id, kind, enabled FROM {shop}invoice_series ORDER BY id FOR UPDATE"
};
static const shop_sql_t Q_ENABLED = {
    "series.enabled",
    "SELECT COALESCE(SUM(kind = 'invoice' AND enabled = 1), 0), COALESCE(SUM(kind = 'credit_note' AND enabled = 1), 0)"
    " FROM {shop}invoice_series"
};
static const shop_sql_t Q_CODE = {
    "series.code", "SELECT id FROM {shop}invoice_series WHERE code = %s AND id <> %s LIMIT 1"
};
static const shop_sql_t Q_INSERT = {
    "series.insert",
    "INSERT INTO {shop}invoice_series (code, kind, seller, format, yearly_reset, enabled, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "series.update",
    "UPDATE {shop}invoice_series SET code = %s, kind = %s, seller = %s, format = %s, yearly_reset = %s,"
    " enabled = %s WHERE id = %s"
};
static const shop_sql_t Q_SHOPS = {
    "series.shops",
    "SELECT id, name, IF(invoice_series_id <=> %s, 'invoice', 'credit_note') FROM {shop}shop"
    " WHERE invoice_series_id = %s OR credit_series_id = %s ORDER BY id"
};
static const shop_sql_t Q_OPTIONS = {
    "series.options",
    "SELECT id, code, kind, format, enabled, seller FROM {shop}invoice_series ORDER BY kind = 'credit_note', id"
};
static const shop_sql_t Q_OF_SHOP = {
    "series.of_shop",
    "SELECT COALESCE(invoice_series_id, 0), COALESCE(credit_series_id, 0) FROM {shop}shop WHERE id = %s"
};
static const shop_sql_t Q_CHECK = {
    "series.check", "SELECT kind, enabled FROM {shop}invoice_series WHERE id = %s LOCK IN SHARE MODE"
};
static const shop_sql_t Q_SET_SHOP = {
    "series.set_shop",
    "UPDATE {shop}shop SET invoice_series_id = NULLIF(%s, 0), credit_series_id = NULLIF(%s, 0) WHERE id = %s"
};

int shop_series_list(shop_db_t *db, int year, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, year) };
    return shop_db_select(db, &Q_LIST, 1, args, rows);
}

int shop_series_get(shop_db_t *db, apr_int64_t id, int year, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, year), shop_db_i64(db->pool, id) };
    return shop_db_select(db, &Q_GET, 2, args, rows);
}

int shop_series_lock_all(shop_db_t *db, apr_int64_t *invoices, apr_int64_t *credit_notes)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_LOCK_ALL, 0, NULL, &rows);
    *invoices = *credit_notes = 0;
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        if (!shop_rows_i64(rows, r, 2, 0)) continue;
        const char *kind = shop_rows_str(rows, r, 1);
        if (kind && strcmp(kind, "invoice") == 0) (*invoices)++;
        else if (kind && strcmp(kind, "credit_note") == 0) (*credit_notes)++;
    }
    return rv;
}

int shop_series_enabled_counts(shop_db_t *db, apr_int64_t *invoices, apr_int64_t *credit_notes)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_ENABLED, 0, NULL, &rows);
    *invoices = rv == 0 ? shop_rows_i64(rows, 0, 0, 0) : 0;
    *credit_notes = rv == 0 ? shop_rows_i64(rows, 0, 1, 0) : 0;
    return rv;
}

int shop_series_code_taken(shop_db_t *db, const char *code, apr_int64_t except, int *taken)
{
    shop_rows_t *rows;
    const char *args[] = { code, shop_db_i64(db->pool, except) };
    int rv = shop_db_select(db, &Q_CODE, 2, args, &rows);
    *taken = rv == 0 && rows->nrows > 0;
    return rv;
}

int shop_series_insert(shop_db_t *db, const shop_series_fields_t *f, apr_int64_t now, apr_int64_t *id)
{
    const char *args[] = { f->code, f->kind, f->seller, f->format, f->yearly_reset, f->enabled,
                           shop_db_i64(db->pool, now) };
    int rv = shop_db_exec(db, &Q_INSERT, 7, args, NULL);
    if (rv == 0) {
        int64_t last = 0;
        rv = shop_db_last_id(db, &last);
        *id = last;
    }
    return rv;
}

int shop_series_update(shop_db_t *db, apr_int64_t id, const shop_series_fields_t *f)
{
    const char *args[] = { f->code, f->kind, f->seller, f->format, f->yearly_reset, f->enabled,
                           shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_UPDATE, 7, args, NULL);
}

int shop_series_shops(shop_db_t *db, apr_int64_t id, shop_rows_t **rows)
{
    const char *s = shop_db_i64(db->pool, id);
    const char *args[] = { s, s, s };
    return shop_db_select(db, &Q_SHOPS, 3, args, rows);
}

int shop_series_options(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_OPTIONS, 0, NULL, rows);
}

int shop_series_of_shop(shop_db_t *db, apr_int64_t shop_id, apr_int64_t *invoice, apr_int64_t *credit)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, shop_id) };
    int rv = shop_db_select(db, &Q_OF_SHOP, 1, args, &rows);
    *invoice = rv == 0 ? shop_rows_i64(rows, 0, 0, 0) : 0;
    *credit = rv == 0 ? shop_rows_i64(rows, 0, 1, 0) : 0;
    return rv;
}

int shop_series_check_for_shop(shop_db_t *db, apr_int64_t id, const char *kind, int *kind_ok, int *enabled)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, id) };
    int rv = shop_db_select(db, &Q_CHECK, 1, args, &rows);
    int found = rv == 0 && rows->nrows == 1;
    *kind_ok = found && shop_rows_str(rows, 0, 0) && strcmp(shop_rows_str(rows, 0, 0), kind) == 0;
    *enabled = found && shop_rows_i64(rows, 0, 1, 0) != 0;
    return rv;
}

int shop_series_set_for_shop(shop_db_t *db, apr_int64_t shop_id, apr_int64_t invoice, apr_int64_t credit)
{
    const char *args[] = { shop_db_i64(db->pool, invoice), shop_db_i64(db->pool, credit),
                           shop_db_i64(db->pool, shop_id) };
    return shop_db_exec(db, &Q_SET_SHOP, 3, args, NULL);
}
