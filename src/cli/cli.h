/* shopctl: shared state of one command run and the commands' entry points. */
#ifndef SHOP_CLI_H
#define SHOP_CLI_H

#include <apr_pools.h>
#include "data/db.h"

/* Exit codes of CONTRACT §5. */
#define SHOP_EXIT_OK      0
#define SHOP_EXIT_FAILURE 1
#define SHOP_EXIT_USAGE   2

typedef struct shop_cli {
    apr_pool_t *pool;
    const char *dsn;            /* --dsn or SHOP_DSN */
    const char *moodle_prefix;  /* --moodle-prefix, default mdl_ */
    const char *prefix;         /* --prefix, default shop_ */
    const char *sql_dir;        /* --sql-dir or SHOP_SQL_DIR */
    const char *secret_file;    /* --secret-file or SHOP_SECRET_FILE */
    const char *public_url;     /* --public-url or SHOP_URL */
    shop_db_t db;
    int db_open;
} shop_cli_t;

/* Print one line on stderr and return the exit code. */
int shop_cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the database named by --dsn / SHOP_DSN (once). */
int shop_cli_db(shop_cli_t *cli, shop_db_t **db);

int shop_cli_schema(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_seed(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_ticket(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_cron(shop_cli_t *cli, int argc, const char *const *argv);

#endif
