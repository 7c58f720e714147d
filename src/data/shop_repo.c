/* Shops: see shop_repo.h. */
#include "data/shop_repo.h"

#include <apr_strings.h>

static const shop_sql_t Q_SHOP = {
    "shop.get",
    "SELECT id, name, description, currency, catalogue_id FROM {shop}shop WHERE id = %s AND enabled = 1"
};

static const shop_sql_t Q_COUNTS = {
    "shop.counts",
    "SELECT (SELECT COUNT(*) FROM {shop}shop), (SELECT COUNT(*) FROM {shop}catalogue),"
    " (SELECT COUNT(*) FROM {shop}product), (SELECT COUNT(*) FROM {shop}bill),"
    " (SELECT COUNT(*) FROM {shop}customer)"
};

int shop_shop_get(shop_db_t *db, int64_t id, shop_shop_t **shop)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, id) };
    *shop = NULL;
    int rv = shop_db_select(db, &Q_SHOP, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    shop_shop_t *s = apr_pcalloc(db->pool, sizeof(*s));
    s->id = shop_rows_i64(rows, 0, 0, 0);
    s->name = shop_rows_str(rows, 0, 1);
    s->description = shop_rows_str(rows, 0, 2);
    s->currency = shop_rows_str(rows, 0, 3);
    s->catalogue_id = shop_rows_i64(rows, 0, 4, 0);
    *shop = s;
    return 0;
}

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
