/* Shops (`{shop}shop`): the front-office instances. */
#ifndef SHOP_DATA_SHOP_REPO_H
#define SHOP_DATA_SHOP_REPO_H

#include "data/db.h"

typedef struct shop_shop {
    int64_t id;
    const char *name, *description, *currency;
    int64_t catalogue_id;
} shop_shop_t;

/* An enabled shop by id; *shop NULL when there is none. */
int shop_shop_get(shop_db_t *db, int64_t id, shop_shop_t **shop);

/* Row counts for the back-office summary: shops, catalogues, products, bills. */
typedef struct shop_counts {
    int64_t shops, catalogues, products, bills, customers;
} shop_counts_t;
int shop_counts_get(shop_db_t *db, shop_counts_t *counts);

#endif
