/* apr_dbd wrapper: see db.h for the contract. */
#include "data/db.h"

#include <apr_strings.h>
#include <string.h>

void shop_db_init(shop_db_t *db, const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                  apr_pool_t *pool, apr_pool_t *conn_pool, apr_hash_t *prepared,
                  const char *shop_prefix, const char *moodle_prefix)
{
    memset(db, 0, sizeof(*db));
    db->driver = driver;
    db->handle = handle;
    db->pool = pool;
    db->conn_pool = conn_pool;
    db->prepared = prepared ? prepared : apr_hash_make(conn_pool);
    db->shop_prefix = shop_prefix;
    db->moodle_prefix = moodle_prefix;
}

const char *shop_db_expand(apr_pool_t *pool, const char *sql, const char *shop_prefix,
                           const char *moodle_prefix)
{
    struct { const char *tag; const char *value; } subst[] = {
        { "{shop}", shop_prefix }, { "{mdl}", moodle_prefix },
    };
    const char *out = sql;
    for (size_t i = 0; i < sizeof(subst) / sizeof(subst[0]); i++) {
        size_t taglen = strlen(subst[i].tag);
        const char *hit = strstr(out, subst[i].tag);
        if (!hit) continue;
        char *built = "";
        const char *from = out;
        while (hit) {
            built = apr_pstrcat(pool, built, apr_pstrndup(pool, from, hit - from),
                                subst[i].value, NULL);
            from = hit + taglen;
            hit = strstr(from, subst[i].tag);
        }
        out = apr_pstrcat(pool, built, from, NULL);
    }
    return out;
}

int shop_db_error_is_connection(int error)
{
    return error == SHOP_DB_CR_NO_PREPARE || error == SHOP_DB_CR_SERVER_GONE
        || error == SHOP_DB_CR_SERVER_LOST || error == SHOP_DB_ER_UNKNOWN_STMT;
}

static void note_error(shop_db_t *db, const char *statement, int rv)
{
    db->last_error = rv;
    if (db->txn && !db->txn_failed) db->txn_failed = rv;
    const char *msg = apr_dbd_error(db->driver, db->handle, rv);
    db->last_message = apr_pstrdup(db->pool, msg ? msg : "unknown database error");
    if (db->on_error) db->on_error(db, statement, rv, db->last_message);
}

/* Statements of a connection that lost its server are dead: forget them all so
 * each is prepared again on the reconnected session. */
static void forget_statements(shop_db_t *db, int error)
{
    apr_hash_clear(db->prepared);
    if (db->on_reconnect) db->on_reconnect(db, error);
}

/* Every shop transaction runs READ COMMITTED: its correctness rests on row
 * locks (a bill FOR UPDATE, conditional UPDATEs of stock, counters and
 * flags), never on gap locks, and REPEATABLE READ's gap locks made buyers of
 * neighbouring bills deadlock each other.  Set once per server session: the
 * marker lives with the session's statements, so a reconnect (which forgets
 * them) sets it again. */
#define SESSION_MARKER "\001session"

static int session_ready(shop_db_t *db)
{
    if (apr_hash_get(db->prepared, SESSION_MARKER, APR_HASH_KEY_STRING)) return 0;
    int n = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &n, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    if (rv != 0) {
        note_error(db, "session", rv);
        if (shop_db_error_is_connection(rv)) forget_statements(db, rv);
        return rv;
    }
    apr_hash_set(db->prepared, SESSION_MARKER, APR_HASH_KEY_STRING, db->conn_pool);
    return 0;
}

static int prepare(shop_db_t *db, const shop_sql_t *q, apr_dbd_prepared_t **stmt)
{
    *stmt = apr_hash_get(db->prepared, q->name, APR_HASH_KEY_STRING);
    if (*stmt) return 0;
    int ready = session_ready(db);
    if (ready != 0) return ready;
    const char *sql = shop_db_expand(db->pool, q->sql, db->shop_prefix, db->moodle_prefix);
    int rv = apr_dbd_prepare(db->driver, db->conn_pool, db->handle, sql, NULL, stmt);
    if (rv != 0) {
        note_error(db, q->name, rv);
        *stmt = NULL;
        return rv;
    }
    apr_hash_set(db->prepared, apr_pstrdup(db->conn_pool, q->name), APR_HASH_KEY_STRING, *stmt);
    return 0;
}

static int read_rows(shop_db_t *db, apr_dbd_results_t *res, shop_rows_t **out)
{
    shop_rows_t *rows = apr_pcalloc(db->pool, sizeof(*rows));
    rows->ncols = apr_dbd_num_cols(db->driver, res);
    rows->names = apr_pcalloc(db->pool, sizeof(char *) * (rows->ncols + 1));
    for (int c = 0; c < rows->ncols; c++) {
        const char *name = apr_dbd_get_name(db->driver, res, c);
        rows->names[c] = name ? apr_pstrdup(db->pool, name) : "";
    }
    int cap = 8;
    const char **cells = apr_palloc(db->pool, sizeof(char *) * cap * (rows->ncols ? rows->ncols : 1));
    apr_dbd_row_t *row = NULL;
    while (apr_dbd_get_row(db->driver, db->pool, res, &row, -1) == 0) {
        if (rows->nrows == cap) {
            const char **bigger = apr_palloc(db->pool, sizeof(char *) * cap * 2 * rows->ncols);
            memcpy(bigger, cells, sizeof(char *) * cap * rows->ncols);
            cells = bigger;
            cap *= 2;
        }
        for (int c = 0; c < rows->ncols; c++) {
            const char *v = apr_dbd_get_entry(db->driver, row, c);
            cells[rows->nrows * rows->ncols + c] = v ? apr_pstrdup(db->pool, v) : NULL;
        }
        rows->nrows++;
    }
    rows->cells = cells;
    *out = rows;
    return 0;
}

static int select_once(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                       shop_rows_t **rows)
{
    apr_dbd_prepared_t *stmt;
    int rv = prepare(db, q, &stmt);
    if (rv != 0) return rv;
    apr_dbd_results_t *res = NULL;
    rv = apr_dbd_pselect(db->driver, db->pool, db->handle, &res, stmt, 0, nargs,
                         (const char **)args);
    if (rv != 0) {
        note_error(db, q->name, rv);
        return rv;
    }
    return read_rows(db, res, rows);
}

int shop_db_select(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                   shop_rows_t **rows)
{
    db->last_error = 0;
    int rv = select_once(db, q, nargs, args, rows);
    if (rv != 0 && shop_db_error_is_connection(rv)) {
        forget_statements(db, rv);
        /* A read is idempotent: try once more on the reconnected session,
         * unless a transaction was lost with the connection. */
        if (!db->txn) rv = select_once(db, q, nargs, args, rows);
    }
    return rv;
}

static int exec_once(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                     int *affected)
{
    apr_dbd_prepared_t *stmt;
    int rv = prepare(db, q, &stmt);
    if (rv != 0) return rv;
    int n = 0;
    rv = apr_dbd_pquery(db->driver, db->pool, db->handle, &n, stmt, nargs, (const char **)args);
    if (rv != 0) {
        note_error(db, q->name, rv);
        return rv;
    }
    if (affected) *affected = n;
    return 0;
}

int shop_db_exec(shop_db_t *db, const shop_sql_t *q, int nargs, const char *const *args,
                 int *affected)
{
    db->last_error = 0;
    int rv = exec_once(db, q, nargs, args, affected);
    if (rv != 0 && shop_db_error_is_connection(rv)) {
        forget_statements(db, rv);
        /* Only a statement the server cannot have run is safe to send again. */
        int never_ran = rv == SHOP_DB_CR_NO_PREPARE || rv == SHOP_DB_ER_UNKNOWN_STMT;
        if (never_ran && !db->txn) rv = exec_once(db, q, nargs, args, affected);
    }
    return rv;
}

static const shop_sql_t Q_LAST_ID = { "db.last_id", "SELECT LAST_INSERT_ID()" };

int shop_db_last_id(shop_db_t *db, int64_t *id)
{
    shop_rows_t *rows;
    /* Not retried: after a reconnect LAST_INSERT_ID() would describe another session. */
    apr_dbd_prepared_t *stmt;
    int rv = prepare(db, &Q_LAST_ID, &stmt);
    if (rv != 0) return rv;
    apr_dbd_results_t *res = NULL;
    rv = apr_dbd_pselect(db->driver, db->pool, db->handle, &res, stmt, 0, 0, NULL);
    if (rv != 0) {
        note_error(db, Q_LAST_ID.name, rv);
        return rv;
    }
    read_rows(db, res, &rows);
    *id = shop_rows_i64(rows, 0, 0, 0);
    return *id > 0 ? 0 : -1;
}

static apr_status_t rollback_leftover(void *data)
{
    shop_db_t *db = data;
    if (db->txn) shop_db_rollback(db);
    return APR_SUCCESS;
}

/* Transactions are START TRANSACTION / COMMIT / ROLLBACK statements: two
 * round trips, where apr_dbd's own (autocommit off, commit, autocommit on)
 * takes three. */
static int txn_statement(shop_db_t *db, const char *what, const char *sql)
{
    int n = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &n, sql);
    if (rv != 0) {
        note_error(db, what, rv);
        if (shop_db_error_is_connection(rv)) forget_statements(db, rv);
    }
    return rv;
}

int shop_db_begin(shop_db_t *db)
{
    if (db->txn) return -1;    /* no nesting: a caller bug, refuse it loudly */
    db->txn_failed = 0;
    int rv = session_ready(db);
    if (rv == 0) rv = txn_statement(db, "begin", "START TRANSACTION");
    if (rv != 0) return rv;
    db->txn = 1;
    apr_pool_cleanup_register(db->pool, db, rollback_leftover, apr_pool_cleanup_null);
    return 0;
}

int shop_db_commit(shop_db_t *db)
{
    if (!db->txn) return -1;
    /* a transaction in which a statement failed is rolled back: report that
     * failure instead of pretending the commit happened */
    int failed = db->txn_failed;
    db->txn = 0;
    apr_pool_cleanup_kill(db->pool, db, rollback_leftover);
    if (failed) {
        txn_statement(db, "rollback", "ROLLBACK");
        return failed;
    }
    return txn_statement(db, "commit", "COMMIT");
}

void shop_db_rollback(shop_db_t *db)
{
    if (!db->txn) return;
    db->txn = 0;
    apr_pool_cleanup_kill(db->pool, db, rollback_leftover);
    txn_statement(db, "rollback", "ROLLBACK");
}

int shop_db_transaction(shop_db_t *db, int (*body)(shop_db_t *db, void *baton), void *baton)
{
    int rv;
    for (int attempt = 1;; attempt++) {
        rv = shop_db_begin(db);
        if (rv == 0) rv = body(db, baton);
        if (rv == 0) rv = shop_db_commit(db);
        else shop_db_rollback(db);
        if (rv != SHOP_DB_ER_DEADLOCK || attempt >= SHOP_DB_TXN_ATTEMPTS) return rv;
    }
}

int shop_db_raw(shop_db_t *db, const char *sql)
{
    int n = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &n, sql);
    if (rv != 0) note_error(db, "raw", rv);
    return rv;
}

const char *shop_rows_str(const shop_rows_t *rows, int row, int col)
{
    if (!rows || row < 0 || row >= rows->nrows || col < 0 || col >= rows->ncols) return NULL;
    return rows->cells[row * rows->ncols + col];
}

int64_t shop_rows_i64(const shop_rows_t *rows, int row, int col, int64_t dflt)
{
    const char *s = shop_rows_str(rows, row, col);
    if (!s || !*s) return dflt;
    char *end;
    apr_int64_t v = apr_strtoi64(s, &end, 10);
    return *end ? dflt : v;
}

int shop_rows_col(const shop_rows_t *rows, const char *name)
{
    for (int c = 0; rows && c < rows->ncols; c++)
        if (strcmp(rows->names[c], name) == 0) return c;
    return -1;
}

const char *shop_db_i64(apr_pool_t *pool, int64_t v)
{
    return apr_psprintf(pool, "%" APR_INT64_T_FMT, (apr_int64_t)v);
}
