/* Catalogue administration: see catalogue_admin_repo.h. */
#include "data/catalogue_admin_repo.h"

#include <apr_strings.h>

#define COLS \
    "c.id, COALESCE(c.master_id, 0), c.name, c.description, c.kind, c.country_restrictions, c.bill_footer," \
    " m.name," \
    " (SELECT COUNT(*) FROM {shop}product p WHERE p.catalogue_id = c.id)," \
    " (SELECT COUNT(*) FROM {shop}category k WHERE k.catalogue_id = c.id)," \
    " (SELECT COUNT(*) FROM {shop}shop s WHERE s.catalogue_id = c.id)," \
    " (SELECT COUNT(*) FROM {shop}catalogue sl WHERE sl.master_id = c.id)" \
    " FROM {shop}catalogue c LEFT JOIN {shop}catalogue m ON m.id = c.master_id"

static const shop_sql_t Q_LIST = {
    "catadmin.list", "SELECT " COLS " WHERE (%s = '' OR INSTR(c.name, %s) > 0) ORDER BY c.name, c.id"
};
static const shop_sql_t Q_GET = { "catadmin.get", "SELECT " COLS " WHERE c.id = %s" };
static const shop_sql_t Q_MASTERS = {
    "catadmin.masters", "SELECT id, name FROM {shop}catalogue WHERE kind = 'master' ORDER BY name, id"
};
static const shop_sql_t Q_SLAVES = {
    "catadmin.slaves", "SELECT id, name FROM {shop}catalogue WHERE master_id = %s ORDER BY name, id"
};
static const shop_sql_t Q_NAME_TAKEN = {
    "catadmin.name_taken", "SELECT COUNT(*) FROM {shop}catalogue WHERE name = %s AND id <> %s"
};
static const shop_sql_t Q_SHOPS = {
    "catadmin.shops",
    "SELECT COUNT(*) FROM {shop}shop s JOIN {shop}catalogue c ON c.id = s.catalogue_id"
    " WHERE c.id = %s OR (%s = 1 AND c.master_id = %s)"
};
static const shop_sql_t Q_INSERT = {
    "catadmin.insert",
    "INSERT INTO {shop}catalogue (name, description, kind, master_id, country_restrictions, bill_footer,"
    " cache_version, created_at, modified_at) VALUES (%s, %s, %s, %s, %s, %s, 1, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "catadmin.update",
    "UPDATE {shop}catalogue SET name = %s, description = %s, kind = %s, master_id = %s,"
    " country_restrictions = %s, bill_footer = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_RELEASE = {
    "catadmin.release",
    "UPDATE {shop}catalogue SET kind = 'standalone', master_id = NULL, modified_at = %s WHERE master_id = %s"
};
/* categories point at each other without cascade: cut the tree first */
static const shop_sql_t Q_DEL_TREE = {
    "catadmin.del_tree", "UPDATE {shop}category SET parent_id = NULL WHERE catalogue_id = %s"
};
static const shop_sql_t Q_DEL_PRODUCTS = {
    "catadmin.del_products", "DELETE FROM {shop}product WHERE catalogue_id = %s"
};
static const shop_sql_t Q_DEL_CATEGORIES = {
    "catadmin.del_categories", "DELETE FROM {shop}category WHERE catalogue_id = %s"
};
static const shop_sql_t Q_DELETE = { "catadmin.delete", "DELETE FROM {shop}catalogue WHERE id = %s" };

static void fill(const shop_rows_t *rows, int r, shop_catalogue_row_t *c)
{
    c->id = shop_rows_i64(rows, r, 0, 0);
    c->master_id = shop_rows_i64(rows, r, 1, 0);
    c->name = shop_rows_str(rows, r, 2);
    c->description = shop_rows_str(rows, r, 3);
    c->kind = shop_rows_str(rows, r, 4);
    c->country_restrictions = shop_rows_str(rows, r, 5);
    c->bill_footer = shop_rows_str(rows, r, 6);
    c->master_name = shop_rows_str(rows, r, 7);
    c->nproducts = shop_rows_i64(rows, r, 8, 0);
    c->ncategories = shop_rows_i64(rows, r, 9, 0);
    c->nshops = shop_rows_i64(rows, r, 10, 0);
    c->nslaves = shop_rows_i64(rows, r, 11, 0);
}

int shop_catalogue_list(shop_db_t *db, const char *q, apr_int64_t limit, apr_int64_t offset,
                        apr_array_header_t **out, apr_int64_t *total)
{
    shop_rows_t *rows;
    const char *args[] = { q ? q : "", q ? q : "" };
    int rv = shop_db_select(db, &Q_LIST, 2, args, &rows);
    if (rv) return rv;
    /* catalogues are few: page in memory rather than with a bound LIMIT */
    *total = rows->nrows;
    *out = apr_array_make(db->pool, 16, sizeof(shop_catalogue_row_t));
    for (apr_int64_t r = offset; r < rows->nrows && r < offset + limit; r++)
        fill(rows, (int)r, apr_array_push(*out));
    return 0;
}

int shop_catalogue_get(shop_db_t *db, apr_int64_t id, shop_catalogue_row_t **out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, id) };
    *out = NULL;
    int rv = shop_db_select(db, &Q_GET, 1, args, &rows);
    if (rv || rows->nrows == 0) return rv;
    *out = apr_pcalloc(db->pool, sizeof(**out));
    fill(rows, 0, *out);
    return 0;
}

static int id_names(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args, apr_array_header_t **out)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, q, nargs, args, &rows);
    if (rv) return rv;
    *out = apr_array_make(db->pool, rows->nrows + 1, sizeof(shop_catalogue_row_t));
    for (int r = 0; r < rows->nrows; r++) {
        shop_catalogue_row_t *c = apr_array_push(*out);
        c->id = shop_rows_i64(rows, r, 0, 0);
        c->name = shop_rows_str(rows, r, 1);
    }
    return 0;
}

int shop_catalogue_masters(shop_db_t *db, apr_array_header_t **out)
{
    return id_names(db, &Q_MASTERS, 0, NULL, out);
}

int shop_catalogue_slaves(shop_db_t *db, apr_int64_t master_id, apr_array_header_t **out)
{
    const char *args[] = { shop_db_i64(db->pool, master_id) };
    return id_names(db, &Q_SLAVES, 1, args, out);
}

int shop_catalogue_name_taken(shop_db_t *db, const char *name, apr_int64_t except_id, int *taken)
{
    shop_rows_t *rows;
    const char *args[] = { name, shop_db_i64(db->pool, except_id) };
    int rv = shop_db_select(db, &Q_NAME_TAKEN, 2, args, &rows);
    if (rv == 0) *taken = shop_rows_i64(rows, 0, 0, 0) > 0;
    return rv;
}

int shop_catalogue_shop_count(shop_db_t *db, apr_int64_t id, int with_slaves, apr_int64_t *count)
{
    shop_rows_t *rows;
    const char *sid = shop_db_i64(db->pool, id);
    const char *args[] = { sid, with_slaves ? "1" : "0", sid };
    int rv = shop_db_select(db, &Q_SHOPS, 3, args, &rows);
    if (rv == 0) *count = shop_rows_i64(rows, 0, 0, 0);
    return rv;
}

static const char *master_arg(shop_db_t *db, const shop_catalogue_row_t *c)
{
    return c->master_id ? shop_db_i64(db->pool, c->master_id) : NULL;
}

int shop_catalogue_insert(shop_db_t *db, const shop_catalogue_row_t *c, apr_int64_t now, apr_int64_t *id)
{
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { c->name, c->description, c->kind, master_arg(db, c),
                           c->country_restrictions ? c->country_restrictions : "", c->bill_footer, t, t };
    int rv = shop_db_exec(db, &Q_INSERT, 8, args, NULL);
    if (rv == 0) rv = shop_db_last_id(db, (int64_t *)id);
    return rv;
}

int shop_catalogue_update(shop_db_t *db, const shop_catalogue_row_t *c, apr_int64_t now)
{
    const char *args[] = { c->name, c->description, c->kind, master_arg(db, c),
                           c->country_restrictions ? c->country_restrictions : "", c->bill_footer,
                           shop_db_i64(db->pool, now), shop_db_i64(db->pool, c->id) };
    return shop_db_exec(db, &Q_UPDATE, 8, args, NULL);
}

int shop_catalogue_release_slaves(shop_db_t *db, apr_int64_t master_id, apr_int64_t now)
{
    const char *args[] = { shop_db_i64(db->pool, now), shop_db_i64(db->pool, master_id) };
    return shop_db_exec(db, &Q_RELEASE, 2, args, NULL);
}

int shop_catalogue_delete(shop_db_t *db, apr_int64_t id)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    int rv;
    if ((rv = shop_db_exec(db, &Q_DEL_TREE, 1, args, NULL)) || (rv = shop_db_exec(db, &Q_DEL_PRODUCTS, 1, args, NULL))
        || (rv = shop_db_exec(db, &Q_DEL_CATEGORIES, 1, args, NULL)))
        return rv;
    return shop_db_exec(db, &Q_DELETE, 1, args, NULL);
}
