/* Shipping zones and rules: see shipping_repo.h. */
#include "data/shipping_repo.h"

#define ZONE_COLS \
    "z.id, z.catalogue_id, z.code, z.description, z.bill_scope_minor, z.currency, COALESCE(z.tax_id, 0)," \
    " z.applicability, z.sortorder, COALESCE(t.title, ''), (SELECT COUNT(*) FROM {shop}shipping s WHERE s.zone_id = z.id)" \
    " FROM {shop}shipzone z LEFT JOIN {shop}tax t ON t.id = z.tax_id"

static const shop_sql_t Q_ZONES = {
    "shipadm.zones", "SELECT " ZONE_COLS " WHERE z.catalogue_id = %s ORDER BY z.sortorder, z.code"
};
static const shop_sql_t Q_ZONE = { "shipadm.zone", "SELECT " ZONE_COLS " WHERE z.id = %s" };
static const shop_sql_t Q_ZONE_INSERT = {
    "shipadm.zone_insert",
    "INSERT INTO {shop}shipzone (catalogue_id, code, description, bill_scope_minor, currency, tax_id,"
    " applicability, sortorder, created_at, modified_at) VALUES (%s, %s, %s, %s, %s, NULLIF(%s, ''), %s, %s, %s, %s)"
};
static const shop_sql_t Q_ZONE_UPDATE = {
    "shipadm.zone_update",
    "UPDATE {shop}shipzone SET code = %s, description = %s, bill_scope_minor = %s, currency = %s,"
    " tax_id = NULLIF(%s, ''), applicability = %s, sortorder = %s, modified_at = %s WHERE id = %s"
};
/* rules follow their zone's currency */
static const shop_sql_t Q_ZONE_RULES_CURRENCY = {
    "shipadm.zone_rules_currency", "UPDATE {shop}shipping SET currency = %s WHERE zone_id = %s"
};
static const shop_sql_t Q_ZONE_FIXED = {
    "shipadm.zone_fixed", "SELECT COUNT(*) FROM {shop}shipping WHERE zone_id = %s AND value_minor > 0"
};
static const shop_sql_t Q_ZONE_DELETE = { "shipadm.zone_delete", "DELETE FROM {shop}shipzone WHERE id = %s" };
static const shop_sql_t Q_RULES = {
    "shipadm.rules",
    "SELECT id, product_code, value_minor, currency, formula, a, b, c FROM {shop}shipping WHERE zone_id = %s"
    " ORDER BY product_code, id"
};
static const shop_sql_t Q_RULE = {
    "shipadm.rule",
    "SELECT id, product_code, value_minor, currency, formula, a, b, c FROM {shop}shipping"
    " WHERE zone_id = %s AND id = %s"
};
static const shop_sql_t Q_RULE_INSERT = {
    "shipadm.rule_insert",
    "INSERT INTO {shop}shipping (zone_id, product_code, value_minor, currency, formula, a, b, c)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_RULE_UPDATE = {
    "shipadm.rule_update",
    "UPDATE {shop}shipping SET product_code = %s, value_minor = %s, currency = %s, formula = %s, a = %s, b = %s,"
    " c = %s WHERE zone_id = %s AND id = %s"
};
static const shop_sql_t Q_RULE_DELETE = {
    "shipadm.rule_delete", "DELETE FROM {shop}shipping WHERE zone_id = %s AND id = %s"
};
static const shop_sql_t Q_HAS_PRODUCT = {
    "shipadm.has_product",
    "SELECT COUNT(*) FROM {shop}product p JOIN {shop}catalogue c ON c.id = %s"
    " WHERE p.code = %s AND p.catalogue_id IN (c.id, COALESCE(c.master_id, 0))"
};
static const shop_sql_t Q_CURRENCY = {
    "shipadm.currency",
    "SELECT currency FROM {shop}shop WHERE catalogue_id = %s ORDER BY enabled DESC, sortorder, id LIMIT 1"
};

int shop_zone_list(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, catalogue_id) };
    return shop_db_select(db, &Q_ZONES, 1, args, rows);
}

int shop_zone_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_select(db, &Q_ZONE, 1, args, rows);
}

int shop_zone_insert(shop_db_t *db, apr_int64_t catalogue_id, const shop_zone_fields_t *f, apr_int64_t now,
                     apr_int64_t *id)
{
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { shop_db_i64(db->pool, catalogue_id), f->code, f->description, f->bill_scope_minor,
                           f->currency, f->tax_id, f->applicability, f->sortorder, t, t };
    int rv = shop_db_exec(db, &Q_ZONE_INSERT, 10, args, NULL);
    if (rv == 0) {
        int64_t last = 0;
        rv = shop_db_last_id(db, &last);
        *id = last;
    }
    return rv;
}

int shop_zone_update(shop_db_t *db, apr_int64_t id, const shop_zone_fields_t *f, apr_int64_t now)
{
    const char *sid = shop_db_i64(db->pool, id);
    const char *args[] = { f->code, f->description, f->bill_scope_minor, f->currency, f->tax_id,
                           f->applicability, f->sortorder, shop_db_i64(db->pool, now), sid };
    int rv = shop_db_exec(db, &Q_ZONE_UPDATE, 9, args, NULL);
    const char *cargs[] = { f->currency, sid };
    if (rv == 0) rv = shop_db_exec(db, &Q_ZONE_RULES_CURRENCY, 2, cargs, NULL);
    return rv;
}

int shop_zone_fixed_rules(shop_db_t *db, apr_int64_t id, apr_int64_t *count)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_ZONE_FIXED, 1, args, &rows);
    if (rv == 0) *count = shop_rows_i64(rows, 0, 0, 0);
    return rv;
}

int shop_zone_delete(shop_db_t *db, apr_int64_t id)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_ZONE_DELETE, 1, args, NULL);
}

int shop_rule_list(shop_db_t *db, apr_int64_t zone_id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, zone_id) };
    return shop_db_select(db, &Q_RULES, 1, args, rows);
}

int shop_rule_get(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, zone_id), shop_db_i64(db->pool, id) };
    return shop_db_select(db, &Q_RULE, 2, args, rows);
}

int shop_rule_save(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, const shop_rule_fields_t *f)
{
    const char *z = shop_db_i64(db->pool, zone_id);
    if (!id) {
        const char *args[] = { z, f->product_code, f->value_minor, f->currency, f->formula, f->a, f->b, f->c };
        return shop_db_exec(db, &Q_RULE_INSERT, 8, args, NULL);
    }
    const char *args[] = { f->product_code, f->value_minor, f->currency, f->formula, f->a, f->b, f->c, z,
                           shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_RULE_UPDATE, 9, args, NULL);
}

int shop_rule_delete(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, int *affected)
{
    const char *args[] = { shop_db_i64(db->pool, zone_id), shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_RULE_DELETE, 2, args, affected);
}

int shop_zone_product_exists(shop_db_t *db, apr_int64_t catalogue_id, const char *code, int *exists)
{
    const char *args[] = { shop_db_i64(db->pool, catalogue_id), code };
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_HAS_PRODUCT, 2, args, &rows);
    *exists = rv == 0 && shop_rows_i64(rows, 0, 0, 0) > 0;
    return rv;
}

int shop_zone_default_currency(shop_db_t *db, apr_int64_t catalogue_id, const char **currency)
{
    const char *args[] = { shop_db_i64(db->pool, catalogue_id) };
    shop_rows_t *rows;
    *currency = NULL;
    int rv = shop_db_select(db, &Q_CURRENCY, 1, args, &rows);
    if (rv == 0 && rows->nrows > 0) *currency = shop_rows_str(rows, 0, 0);
    return rv;
}
