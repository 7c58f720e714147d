/* The per-transaction trace ({shop}trace, local_shop's merchant_trace.log):
 * what happened to a bill, line by line, for the back-office trace viewer.
 * Messages never hold secrets (callers mask them). */
#ifndef SHOP_DATA_TRACE_REPO_H
#define SHOP_DATA_TRACE_REPO_H

#include "data/db.h"

/* Append one line (level: "debug" | "info" | "notice" | "warn" | "error",
 * source: "workflow", "production", "invoicing", "mail", a gateway or action
 * name...).  Works inside or outside a transaction: inside, the line is
 * rolled back with it.  0 or a MySQL errno (callers may ignore it). */
int shop_trace(shop_db_t *db, const char *transid, const char *level, const char *source, const char *message);
int shop_tracef(shop_db_t *db, const char *transid, const char *level, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The lines of transid in order (columns: id, created_at, usec, level,
 * source, message), at most `max`. */
int shop_trace_list(shop_db_t *db, const char *transid, int max, shop_rows_t **rows);

#endif
