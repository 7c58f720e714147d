/* Durable copy of shop sessions (`{shop}session`): the write-through target
 * behind memcached, read back when the cache misses. */
#ifndef SHOP_DATA_SESSION_REPO_H
#define SHOP_DATA_SESSION_REPO_H

#include "data/db.h"

/* *data is NULL (and 0 returned) when the session is unknown or expired. */
int shop_session_repo_load(shop_db_t *db, const char *id, int64_t now, const char **data);
/* Insert or replace. */
int shop_session_repo_save(shop_db_t *db, const char *id, int64_t userid, const char *data,
                           int64_t now, int64_t expires);
int shop_session_repo_delete(shop_db_t *db, const char *id);
/* Remove expired sessions and spent nonces (cron); *removed (may be NULL)
 * gets the number of sessions removed. */
int shop_session_repo_purge(shop_db_t *db, int64_t now, int *removed);

/* Single-use tokens (login tickets): record `nonce` as used.  Returns 0 the
 * first time, SHOP_DB_ER_DUP_ENTRY when it was already used. */
int shop_nonce_consume(shop_db_t *db, const char *nonce, int64_t userid, int64_t now, int64_t expires);

#endif
