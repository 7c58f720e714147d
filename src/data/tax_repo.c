/* Taxes: see tax_repo.h. */
#include "data/tax_repo.h"

static const shop_sql_t Q_LIST = {
    "taxadm.list",
    "SELECT t.id, t.title, COALESCE(t.country, ''), t.rate, t.formula,"
    " (SELECT COUNT(*) FROM {shop}product p WHERE p.tax_id = t.id)"
    " + (SELECT COUNT(*) FROM {shop}product_override o WHERE o.tax_id = t.id),"
    " (SELECT COUNT(*) FROM {shop}shipzone z WHERE z.tax_id = t.id), t.exemption_note"
    " FROM {shop}tax t ORDER BY t.title, t.id"
};
static const shop_sql_t Q_GET = {
    "taxadm.get",
    "SELECT id, title, COALESCE(country, ''), rate, formula, 0, 0, exemption_note FROM {shop}tax WHERE id = %s"
};
static const shop_sql_t Q_INSERT = {
    "taxadm.insert",
    "INSERT INTO {shop}tax (title, country, rate, formula, exemption_note, created_at, modified_at)"
    " VALUES (%s, NULLIF(%s, ''), %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "taxadm.update",
    "UPDATE {shop}tax SET title = %s, country = NULLIF(%s, ''), rate = %s, formula = %s, exemption_note = %s,"
    " modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_USAGE = {
    "taxadm.usage",
    "SELECT (SELECT COUNT(*) FROM {shop}product WHERE tax_id = %s)"
    " + (SELECT COUNT(*) FROM {shop}product_override WHERE tax_id = %s)"
    " + (SELECT COUNT(*) FROM {shop}shipzone WHERE tax_id = %s)"
    " + (SELECT COUNT(*) FROM {shop}bill_line WHERE tax_id = %s)"
};
static const shop_sql_t Q_LOCK = { "taxadm.lock", "SELECT id FROM {shop}tax WHERE id = %s FOR UPDATE" };
static const shop_sql_t Q_DELETE = { "taxadm.delete", "DELETE FROM {shop}tax WHERE id = %s" };
static const shop_sql_t Q_CATALOGUES = { "taxadm.catalogues", "SELECT id FROM {shop}catalogue ORDER BY id" };

int shop_tax_admin_list(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_LIST, 0, NULL, rows);
}

int shop_tax_admin_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_select(db, &Q_GET, 1, args, rows);
}

int shop_tax_admin_insert(shop_db_t *db, const char *title, const char *country, const char *rate,
                    const char *formula, const char *note, apr_int64_t now, apr_int64_t *id)
{
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { title, country, rate, formula, note, t, t };
    int rv = shop_db_exec(db, &Q_INSERT, 7, args, NULL);
    if (rv == 0) {
        int64_t last = 0;
        rv = shop_db_last_id(db, &last);
        *id = last;
    }
    return rv;
}

int shop_tax_admin_update(shop_db_t *db, apr_int64_t id, const char *title, const char *country,
                    const char *rate, const char *formula, const char *note, apr_int64_t now, int *affected)
{
    const char *args[] = { title, country, rate, formula, note, shop_db_i64(db->pool, now), shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_UPDATE, 7, args, affected);
}

int shop_tax_admin_usage(shop_db_t *db, apr_int64_t id, apr_int64_t *uses)
{
    const char *s = shop_db_i64(db->pool, id);
    const char *args[] = { s, s, s, s };
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_LOCK, 1, args, &rows);
    if (rv == 0) rv = shop_db_select(db, &Q_USAGE, 4, args, &rows);
    if (rv == 0) *uses = shop_rows_i64(rows, 0, 0, 0);
    return rv;
}

int shop_tax_admin_delete(shop_db_t *db, apr_int64_t id, int *affected)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_DELETE, 1, args, affected);
}

int shop_setup_catalogue_ids(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_CATALOGUES, 0, NULL, rows);
}
