/* Shops: see shop_repo.h. */
#include "data/shop_repo.h"

#include <apr_strings.h>

static const shop_sql_t Q_COUNTS = {
    "shop.counts",
    "SELECT (SELECT COUNT(*) FROM {shop}shop), (SELECT COUNT(*) FROM {shop}catalogue),"
    " (SELECT COUNT(*) FROM {shop}product), (SELECT COUNT(*) FROM {shop}bill),"
    " (SELECT COUNT(*) FROM {shop}customer)"
};

int shop_counts_get(shop_db_t *db, shop_counts_t *c)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_COUNTS, 0, NULL, &rows);
    if (rv != 0) return rv;
    c->shops = shop_rows_i64(rows, 0, 0, 0);
    c->catalogues = shop_rows_i64(rows, 0, 1, 0);
    c->products = shop_rows_i64(rows, 0, 2, 0);
    c->bills = shop_rows_i64(rows, 0, 3, 0);
    c->customers = shop_rows_i64(rows, 0, 4, 0);
    return 0;
}
