/* The buyer context of discount rules: see buyer_repo.h. */
#include "data/buyer_repo.h"

#include <apr_strings.h>
#include <string.h>

static const shop_sql_t Q_USER = {
    "buyer.user",
    "SELECT u.institution, u.timecreated, COALESCE(c.created_at, 0), COALESCE(c.id, 0)"
    " FROM {mdl}user u LEFT JOIN {shop}customer c ON c.userid = u.id WHERE u.id = %s AND u.deleted = 0"
};
static const shop_sql_t Q_PAID = {
    "buyer.paid",
    "SELECT COUNT(*) FROM {shop}bill WHERE customer_id = %s AND status IN ('SOLDOUT', 'COMPLETE')"
};
static const shop_sql_t Q_ROLES = {
    "buyer.roles",
    "SELECT DISTINCT r.shortname FROM {mdl}role_assignments ra JOIN {mdl}role r ON r.id = ra.roleid"
    " WHERE ra.userid = %s ORDER BY r.shortname LIMIT 64"
};

int shop_buyer_load(shop_db_t *db, apr_int64_t userid, apr_pool_t *pool, shop_buyer_t *out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, userid) };
    memset(out, 0, sizeof(*out));
    int rv = shop_db_select(db, &Q_USER, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    out->found = 1;
    const char *inst = shop_rows_str(rows, 0, 0);
    out->institution = inst ? apr_pstrdup(pool, inst) : NULL;
    apr_int64_t since = shop_rows_i64(rows, 0, 2, 0);
    out->customer_since = since > 0 ? since : shop_rows_i64(rows, 0, 1, 0);
    apr_int64_t customer = shop_rows_i64(rows, 0, 3, 0);
    if (customer > 0) {
        const char *cargs[] = { shop_db_i64(db->pool, customer) };
        if ((rv = shop_db_select(db, &Q_PAID, 1, cargs, &rows)) != 0) return rv;
        out->paid_orders = shop_rows_i64(rows, 0, 0, 0);
    }
    if ((rv = shop_db_select(db, &Q_ROLES, 1, args, &rows)) != 0) return rv;
    out->roles = apr_pcalloc(pool, sizeof(*out->roles) * (apr_size_t)(rows->nrows + 1));
    for (int r = 0; r < rows->nrows && out->nroles < SHOP_BUYER_MAX_ROLES; r++) {
        const char *s = shop_rows_str(rows, r, 0);
        if (s && *s) out->roles[out->nroles++] = apr_pstrdup(pool, s);
    }
    return 0;
}
