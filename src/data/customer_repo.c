/* Customers: see customer_repo.h. */
#include "data/customer_repo.h"

static const shop_sql_t Q_EXISTS = {
    "customer.exists_for_user", "SELECT 1 FROM {shop}customer WHERE userid = %s"
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
