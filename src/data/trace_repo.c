/* The per-transaction trace: see trace_repo.h.  Time is taken here
 * (apr_time_now, microseconds kept apart) so lines of one request sort in
 * the order they were written even within a second; ids break ties. */
#include "data/trace_repo.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#define TRACE_MAX_MESSAGE 4000     /* longer messages are cut (TEXT holds 64 KB; a trace line is a line) */
#define TRACE_MAX_SOURCE  32       /* trace.source */
/* Q_LIST reads at most 5000 lines of a bill */

static const shop_sql_t Q_ADD = {
    "trace.add",
    "INSERT INTO {shop}trace (transid, created_at, usec, level, source, message) VALUES (%s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_LIST = {
    "trace.list",
    "SELECT id, created_at, usec, level, source, message FROM {shop}trace WHERE transid = %s ORDER BY id LIMIT 5000"
};

static int level_ok(const char *level)
{
    static const char *const levels[] = { "debug", "info", "notice", "warn", "error" };
    for (size_t i = 0; level && i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(level, levels[i]) == 0) return 1;
    return 0;
}

int shop_trace(shop_db_t *db, const char *transid, const char *level, const char *source, const char *message)
{
    apr_time_t now = apr_time_now();
    const char *args[6];

    if (!level_ok(level)) level = "info";
    args[0] = transid;
    args[1] = shop_db_i64(db->pool, apr_time_sec(now));
    args[2] = shop_db_i64(db->pool, apr_time_usec(now));
    args[3] = level;
    args[4] = shop_utf8_clip(db->pool, source ? source : "", TRACE_MAX_SOURCE);
    args[5] = shop_utf8_clip(db->pool, message ? message : "", TRACE_MAX_MESSAGE);
    return shop_db_exec(db, &Q_ADD, 6, args, NULL);
}

int shop_tracef(shop_db_t *db, const char *transid, const char *level, const char *source, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    va_start(ap, fmt);
    msg = apr_pvsprintf(db->pool, fmt, ap);
    va_end(ap);
    return shop_trace(db, transid, level, source, msg);
}

int shop_trace_list(shop_db_t *db, const char *transid, int max, shop_rows_t **rows)
{
    const char *args[] = { transid };
    int rv = shop_db_select(db, &Q_LIST, 1, args, rows);
    /* the statement's own cap is a constant: a bound LIMIT is text to apr_dbd */
    if (rv == 0 && (*rows)->nrows > max) (*rows)->nrows = max > 0 ? max : 0;
    return rv;
}
