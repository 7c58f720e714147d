/* Fixed-window rate limits: see throttle_repo.h. */
#include "data/throttle_repo.h"

static const shop_sql_t Q_HIT = {
    "throttle.hit",
    "INSERT INTO {shop}throttle (bucket, window_start, hits) VALUES (%s, %s, 1)"
    " ON DUPLICATE KEY UPDATE hits = hits + 1"
};
static const shop_sql_t Q_HITS = {
    "throttle.hits", "SELECT hits FROM {shop}throttle WHERE bucket = %s AND window_start = %s"
};
static const shop_sql_t Q_PURGE = { "throttle.purge", "DELETE FROM {shop}throttle WHERE window_start < %s" };

int shop_throttle_hit(shop_db_t *db, const char *bucket, int window_seconds, apr_int64_t now, int *hits)
{
    apr_int64_t start = now - now % (window_seconds > 0 ? window_seconds : 1);
    const char *args[] = { bucket, shop_db_i64(db->pool, start) };
    shop_rows_t *rows;
    int rv = shop_db_exec(db, &Q_HIT, 2, args, NULL);
    if (rv == 0) rv = shop_db_select(db, &Q_HITS, 2, args, &rows);
    *hits = rv == 0 ? (int)shop_rows_i64(rows, 0, 0, 1) : 0;
    return rv;
}

int shop_throttle_purge(shop_db_t *db, apr_int64_t before)
{
    const char *args[] = { shop_db_i64(db->pool, before) };
    return shop_db_exec(db, &Q_PURGE, 1, args, NULL);
}
