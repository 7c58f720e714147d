/* Schema version of the shop's tables and the migrations in sql/. */
#ifndef SHOP_DATA_SCHEMA_REPO_H
#define SHOP_DATA_SCHEMA_REPO_H

#include "data/db.h"
#include <apr_tables.h>

/* The schema this build needs: the number of the last migration in sql/,
 * counted by the Makefile at build time.  The module answers 503 while the
 * database is older. */
#ifndef SHOP_SCHEMA_REQUIRED
#error "SHOP_SCHEMA_REQUIRED must be defined by the build (Makefile.apxs)"
#endif

/* Highest applied migration; 0 when the shop's tables are not installed. */
int shop_schema_current(shop_db_t *db, int *version);

typedef struct shop_migration {
    int version;
    const char *name;          /* file name */
    const char *path;
} shop_migration_t;

/* Migrations found in `sql_dir` (NNN_name.sql), sorted by number; a gap or a
 * duplicate number is an error (message in *error). */
apr_status_t shop_schema_scan(apr_pool_t *pool, const char *sql_dir,
                              apr_array_header_t **migrations, const char **error);

/* Run every statement of a SQL file (statements end with ';' at end of line),
 * with {shop}/{mdl} expanded.  On failure *error names the statement. */
int shop_schema_run_file(shop_db_t *db, const char *path, const char **error);

#endif
