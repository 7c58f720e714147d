/* The data layer's handle over apr_dbd: prepared statements with table prefixes,
 * rows read into memory with typed access, transactions, and recovery after a
 * MariaDB restart.
 *
 * The same code runs in the module (connection borrowed from mod_dbd for one
 * request) and in shopctl (connection opened with apr_dbd_open).  Nothing here
 * knows httpd.
 *
 * Statements are written once, as static shop_sql_t values, with `{shop}` and
 * `{mdl}` standing for the configured table prefixes and apr_dbd's `%s`
 * placeholders for arguments.  They are prepared lazily, once per connection,
 * and kept in the connection's own statement hash (mod_dbd's `prepared`), so
 * their lifetime is the connection's.
 *
 * Arguments are always strings (apr_dbd's text API); a NULL argument binds SQL
 * NULL.  shop_db_i64() formats integers.
 */
#ifndef SHOP_DATA_DB_H
#define SHOP_DATA_DB_H

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_dbd.h>
#include <stdint.h>

/* A statement: a unique name (its cache key) and its SQL. */
typedef struct shop_sql {
    const char *name;
    const char *sql;
} shop_sql_t;

/* Errors of the MySQL client that mean "this connection's statements are gone". */
#define SHOP_DB_ER_UNKNOWN_STMT   1243   /* server: unknown prepared statement handler */
#define SHOP_DB_CR_SERVER_GONE    2006
#define SHOP_DB_CR_SERVER_LOST    2013
#define SHOP_DB_CR_NO_PREPARE     2030   /* statement not prepared (after a reconnect) */
#define SHOP_DB_ER_DUP_ENTRY      1062
#define SHOP_DB_ER_LOCK_WAIT      1205
#define SHOP_DB_ER_DEADLOCK       1213

typedef struct shop_db {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_pool_t *pool;          /* results and scratch: the request (or command) pool */
    apr_pool_t *conn_pool;     /* where statements live: the connection's pool */
    apr_hash_t *prepared;      /* name -> apr_dbd_prepared_t*, owned by the connection */
    const char *shop_prefix;
    const char *moodle_prefix;
    int txn;                   /* a transaction is open */
    int txn_failed;            /* MySQL errno of the first failure inside it, 0 when none */
    int last_error;            /* MySQL errno of the last failure, 0 when none */
    const char *last_message;  /* its text, pool-allocated */
    /* Called once per detected connection loss (metrics, logging); may be NULL. */
    void (*on_reconnect)(struct shop_db *db, int error);
    /* Called for every failed statement with its name (logging); may be NULL. */
    void (*on_error)(struct shop_db *db, const char *statement, int error, const char *message);
    void *baton;
} shop_db_t;

/* Rows of a result, fully read.  Cells are NUL-terminated strings in db->pool;
 * a SQL NULL is a NULL pointer. */
typedef struct shop_rows {
    int nrows;
    int ncols;
    const char **names;        /* ncols column names */
    const char **cells;        /* nrows * ncols */
} shop_rows_t;

/* Fill a shop_db_t around an open connection.  `prepared` may be NULL (a new
 * hash is made in conn_pool). */
void shop_db_init(shop_db_t *db, const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                  apr_pool_t *pool, apr_pool_t *conn_pool, apr_hash_t *prepared,
                  const char *shop_prefix, const char *moodle_prefix);

/* SELECT: all rows into *rows (never NULL on success).  Reads outside a
 * transaction are retried once after a lost connection.  Returns 0 or the
 * MySQL errno. */
int shop_db_select(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                   shop_rows_t **rows);

/* INSERT/UPDATE/DELETE.  *affected (may be NULL) gets the affected row count.
 * A statement the server never saw (unknown statement after a reconnect) is
 * retried once; one that may have run is not.  Returns 0 or the MySQL errno. */
int shop_db_exec(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                 int *affected);

/* LAST_INSERT_ID() of this connection. */
int shop_db_last_id(shop_db_t *db, int64_t *id);

/* Transactions.  begin registers a cleanup on db->pool that rolls back a
 * transaction still open when the pool dies (an early return, an error path).
 * commit ends it (it rolls back instead if a statement inside failed, and
 * returns that error); rollback always ends it. */
int shop_db_begin(shop_db_t *db);
int shop_db_commit(shop_db_t *db);
void shop_db_rollback(shop_db_t *db);

/* Run body(db, baton) in a transaction: committed when it returns 0, rolled
 * back when it returns SHOP_DB_ROLLBACK (a refusal decided inside, not an
 * error) or an error.  A transaction InnoDB picked as a deadlock victim is
 * run again, SHOP_DB_TXN_ATTEMPTS times in all, so the body must start from
 * scratch on every call.  Returns 0, SHOP_DB_ROLLBACK or the MySQL errno. */
#define SHOP_DB_ROLLBACK      (-2)
#define SHOP_DB_TXN_ATTEMPTS  3
int shop_db_transaction(shop_db_t *db, int (*body)(shop_db_t *db, void *baton), void *baton);

/* Run raw SQL (schema migrations only: no arguments, no results). */
int shop_db_raw(shop_db_t *db, const char *sql);

/* Expand {shop} and {mdl} in `sql` (pool-allocated). */
const char *shop_db_expand(apr_pool_t *pool, const char *sql, const char *shop_prefix,
                           const char *moodle_prefix);

/* Typed access to a cell.  Out of range or NULL gives the default. */
const char *shop_rows_str(const shop_rows_t *rows, int row, int col);
int64_t shop_rows_i64(const shop_rows_t *rows, int row, int col, int64_t dflt);
int shop_rows_col(const shop_rows_t *rows, const char *name);   /* -1 if absent */

/* Integer argument as a pool string. */
const char *shop_db_i64(apr_pool_t *pool, int64_t v);

/* Is this error a lost connection / lost statements? */
int shop_db_error_is_connection(int error);

#endif
