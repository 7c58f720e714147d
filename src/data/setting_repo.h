/* Shop settings (`{shop}setting`): seller identity, bank details, options. */
#ifndef SHOP_DATA_SETTING_REPO_H
#define SHOP_DATA_SETTING_REPO_H

#include "data/db.h"

/* *value NULL (and 0 returned) when the setting is absent. */
int shop_setting_get(shop_db_t *db, const char *name, const char **value);
/* Several settings in one query: values[i] is the value of names[i], NULL
 * when absent.  n is 1..SHOP_SETTING_MANY_MAX. */
#define SHOP_SETTING_MANY_MAX 8
int shop_setting_get_many(shop_db_t *db, const char *const *names, int n, const char **values);

int shop_setting_set(shop_db_t *db, const char *name, const char *value, int64_t now);

#endif
