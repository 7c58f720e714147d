/* Settings: see setting_repo.h. */
#include "data/setting_repo.h"

static const shop_sql_t Q_GET = { "setting.get", "SELECT value FROM {shop}setting WHERE name = %s" };
static const shop_sql_t Q_ALL = { "setting.all", "SELECT name, value FROM {shop}setting" };
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

int shop_setting_all(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_ALL, 0, NULL, rows);
}

int shop_setting_set(shop_db_t *db, const char *name, const char *value, int64_t now)
{
    const char *args[] = { name, value, shop_db_i64(db->pool, now) };
    return shop_db_exec(db, &Q_SET, 3, args, NULL);
}
