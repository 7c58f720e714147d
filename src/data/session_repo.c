/* Session rows and used nonces: see session_repo.h. */
#include "data/session_repo.h"

static const shop_sql_t Q_LOAD = {
    "session.load", "SELECT data FROM {shop}session WHERE id = %s AND expires_at > %s"
};
static const shop_sql_t Q_SAVE = {
    "session.save",
    "INSERT INTO {shop}session (id, userid, data, created_at, modified_at, expires_at)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
    " ON DUPLICATE KEY UPDATE userid = VALUES(userid), data = VALUES(data),"
    " modified_at = VALUES(modified_at), expires_at = VALUES(expires_at)"
};
static const shop_sql_t Q_DELETE = { "session.delete", "DELETE FROM {shop}session WHERE id = %s" };
static const shop_sql_t Q_PURGE = { "session.purge", "DELETE FROM {shop}session WHERE expires_at <= %s" };
static const shop_sql_t Q_PURGE_NONCES = { "nonce.purge", "DELETE FROM {shop}ticket_nonce WHERE expires_at <= %s" };
static const shop_sql_t Q_NONCE = {
    "nonce.consume", "INSERT INTO {shop}ticket_nonce (nonce, userid, used_at, expires_at) VALUES (%s, %s, %s, %s)"
};

int shop_session_repo_load(shop_db_t *db, const char *id, int64_t now, const char **data)
{
    shop_rows_t *rows;
    const char *args[] = { id, shop_db_i64(db->pool, now) };
    int rv = shop_db_select(db, &Q_LOAD, 2, args, &rows);
    *data = rv == 0 ? shop_rows_str(rows, 0, 0) : NULL;
    return rv;
}

int shop_session_repo_save(shop_db_t *db, const char *id, int64_t userid, const char *data,
                           int64_t now, int64_t expires)
{
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { id, userid > 0 ? shop_db_i64(db->pool, userid) : NULL, data, t, t,
                           shop_db_i64(db->pool, expires) };
    return shop_db_exec(db, &Q_SAVE, 6, args, NULL);
}

int shop_session_repo_delete(shop_db_t *db, const char *id)
{
    const char *args[] = { id };
    return shop_db_exec(db, &Q_DELETE, 1, args, NULL);
}

int shop_session_repo_purge(shop_db_t *db, int64_t now, int *removed)
{
    const char *args[] = { shop_db_i64(db->pool, now) };
    int rv = shop_db_exec(db, &Q_PURGE, 1, args, removed);
    return rv ? rv : shop_db_exec(db, &Q_PURGE_NONCES, 1, args, NULL);
}

int shop_nonce_consume(shop_db_t *db, const char *nonce, int64_t userid, int64_t now, int64_t expires)
{
    const char *args[] = { nonce, shop_db_i64(db->pool, userid), shop_db_i64(db->pool, now),
                           shop_db_i64(db->pool, expires) };
    return shop_db_exec(db, &Q_NONCE, 4, args, NULL);
}
