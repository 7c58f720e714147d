/* Shops for the back office: see shop_admin_repo.h. */
#include "data/shop_admin_repo.h"

static const shop_sql_t Q_LIST = {
    "shopadm.list",
    "SELECT s.id, s.name, s.currency, c.name, s.enabled,"
    " (SELECT COUNT(*) FROM {shop}bill b WHERE b.shop_id = s.id), s.catalogue_id"
    " FROM {shop}shop s JOIN {shop}catalogue c ON c.id = s.catalogue_id ORDER BY s.sortorder, s.id"
};
static const shop_sql_t Q_GET = {
    "shopadm.get",
    "SELECT id, name, COALESCE(description, ''), currency, catalogue_id, COALESCE(terms, ''),"
    " print_tabbed_categories, navsteps, COALESCE(paymodes, '{}'), COALESCE(default_paymode, ''),"
    " customer_organisation_required, enduser_organisation_required, enduser_mobilephone_required,"
    " support_courseid, enabled, sortorder, force_download_leaflet, allow_tax FROM {shop}shop WHERE id = %s"
};
static const shop_sql_t Q_INSERT = {
    "shopadm.insert",
    "INSERT INTO {shop}shop (name, description, currency, catalogue_id, terms, print_tabbed_categories,"
    " navsteps, paymodes, default_paymode, customer_organisation_required, enduser_organisation_required,"
    " enduser_mobilephone_required, support_courseid, enabled, sortorder, force_download_leaflet, allow_tax,"
    " created_at, modified_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULLIF(%s, ''), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "shopadm.update",
    "UPDATE {shop}shop SET name = %s, description = %s, currency = %s, catalogue_id = %s, terms = %s,"
    " print_tabbed_categories = %s, navsteps = %s, paymodes = %s, default_paymode = NULLIF(%s, ''),"
    " customer_organisation_required = %s, enduser_organisation_required = %s,"
    " enduser_mobilephone_required = %s, support_courseid = %s, enabled = %s, sortorder = %s,"
    " force_download_leaflet = %s, allow_tax = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_LOCK = { "shopadm.lock", "SELECT id FROM {shop}shop WHERE id = %s FOR UPDATE" };
static const shop_sql_t Q_BILLS = { "shopadm.bills", "SELECT COUNT(*) FROM {shop}bill WHERE shop_id = %s" };
static const shop_sql_t Q_DELETE = { "shopadm.delete", "DELETE FROM {shop}shop WHERE id = %s" };
static const shop_sql_t Q_CATALOGUES = {
    "shopadm.catalogues", "SELECT id, name, kind FROM {shop}catalogue ORDER BY name, id"
};
static const shop_sql_t Q_COURSE = { "shopadm.course", "SELECT id FROM {mdl}course WHERE id = %s" };

int shop_shop_list(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_LIST, 0, NULL, rows);
}

int shop_shop_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_select(db, &Q_GET, 1, args, rows);
}

#define FIELDS(f) f->name, f->description, f->currency, f->catalogue_id, f->terms, f->tabbed, f->navsteps, \
    f->paymodes, f->default_paymode, f->customer_org, f->enduser_org, f->enduser_mobile, \
    f->support_courseid, f->enabled, f->sortorder, f->force_leaflet, f->allow_tax

int shop_shop_insert(shop_db_t *db, const shop_shop_fields_t *f, apr_int64_t now, apr_int64_t *id)
{
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { FIELDS(f), t, t };
    int rv = shop_db_exec(db, &Q_INSERT, 19, args, NULL);
    if (rv == 0) {
        int64_t last = 0;
        rv = shop_db_last_id(db, &last);
        *id = last;
    }
    return rv;
}

int shop_shop_update(shop_db_t *db, apr_int64_t id, const shop_shop_fields_t *f, apr_int64_t now)
{
    const char *args[] = { FIELDS(f), shop_db_i64(db->pool, now), shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_UPDATE, 19, args, NULL);
}

int shop_shop_bills(shop_db_t *db, apr_int64_t id, apr_int64_t *bills)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_LOCK, 1, args, &rows);
    if (rv == 0) rv = shop_db_select(db, &Q_BILLS, 1, args, &rows);
    if (rv == 0) *bills = shop_rows_i64(rows, 0, 0, 0);
    return rv;
}

int shop_shop_delete(shop_db_t *db, apr_int64_t id)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_DELETE, 1, args, NULL);
}

int shop_setup_catalogues(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_CATALOGUES, 0, NULL, rows);
}

int shop_shop_course_exists(shop_db_t *db, apr_int64_t id, int *exists)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_COURSE, 1, args, &rows);
    *exists = rv == 0 && rows->nrows > 0;
    return rv;
}
