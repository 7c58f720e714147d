/* Settings: see setting_repo.h. */
#include "data/setting_repo.h"

#include <string.h>

static const shop_sql_t Q_GET = { "setting.get", "SELECT value FROM {shop}setting WHERE name = %s" };
#define Q_MANY(n, marks) { "setting.get_" #n, "SELECT name, value FROM {shop}setting WHERE name IN (" marks ")" }
static const shop_sql_t Q_MANY[SHOP_SETTING_MANY_MAX] = {
    Q_MANY(1, "%s"), Q_MANY(2, "%s, %s"), Q_MANY(3, "%s, %s, %s"), Q_MANY(4, "%s, %s, %s, %s"),
    Q_MANY(5, "%s, %s, %s, %s, %s"), Q_MANY(6, "%s, %s, %s, %s, %s, %s"), Q_MANY(7, "%s, %s, %s, %s, %s, %s, %s"),
    Q_MANY(8, "%s, %s, %s, %s, %s, %s, %s, %s")
};
static const shop_sql_t Q_SET = {
    "setting.set",
    "INSERT INTO {shop}setting (name, value, modified_at) VALUES (%s, %s, %s)"
    " ON DUPLICATE KEY UPDATE value = VALUES(value), modified_at = VALUES(modified_at)"
};

int shop_setting_get(shop_db_t *db, const char *name, const char **value)
{
    shop_rows_t *rows;
    const char *args[] = { name };
    *value = NULL;
    int rv = shop_db_select(db, &Q_GET, 1, args, &rows);
    if (rv == 0) *value = shop_rows_str(rows, 0, 0);
    return rv;
}

int shop_setting_get_many(shop_db_t *db, const char *const *names, int n, const char **values)
{
    shop_rows_t *rows;
    for (int i = 0; i < n; i++) values[i] = NULL;
    if (n < 1 || n > SHOP_SETTING_MANY_MAX) return -1;
    int rv = shop_db_select(db, &Q_MANY[n - 1], n, names, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++)
        for (int i = 0; i < n; i++)
            if (!strcmp(shop_rows_str(rows, r, 0), names[i])) values[i] = shop_rows_str(rows, r, 1);
    return rv;
}

int shop_setting_set(shop_db_t *db, const char *name, const char *value, int64_t now)
{
    const char *args[] = { name, value, shop_db_i64(db->pool, now) };
    return shop_db_exec(db, &Q_SET, 3, args, NULL);
}
