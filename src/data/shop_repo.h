/* Counts of the shop's main tables, for the back office summary.  (The
 * storefront reads shops through data/catalog_repo.h.) */
#ifndef SHOP_DATA_SHOP_REPO_H
#define SHOP_DATA_SHOP_REPO_H

#include "data/db.h"

/* Row counts for the back-office summary: shops, catalogues, products, bills. */
typedef struct shop_counts {
    int64_t shops, catalogues, products, bills, customers;
} shop_counts_t;
int shop_counts_get(shop_db_t *db, shop_counts_t *counts);

#endif
