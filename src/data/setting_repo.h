/* Shop settings (`{shop}setting`): seller identity, bank details, options. */
#ifndef SHOP_DATA_SETTING_REPO_H
#define SHOP_DATA_SETTING_REPO_H

#include "data/db.h"

/* *value NULL (and 0 returned) when the setting is absent. */
int shop_setting_get(shop_db_t *db, const char *name, const char **value);
/* Every setting: rows of (name, value). */
int shop_setting_all(shop_db_t *db, shop_rows_t **rows);

int shop_setting_set(shop_db_t *db, const char *name, const char *value, int64_t now);

#endif
