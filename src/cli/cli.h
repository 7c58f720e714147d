/* shopctl: shared state of one command run and the commands' entry points. */
#ifndef SHOP_CLI_H
#define SHOP_CLI_H

#include <apr_pools.h>
#include "data/db.h"
#include "services/env.h"

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
    const char *data_dir;       /* --data-dir or SHOP_DATA_DIR (stored invoices) */
    const char *template_dir;   /* --template-dir or SHOP_TEMPLATE_DIR (mails, strings) */
    const char *smtp_url;       /* --smtp or SHOP_SMTP */
    const char *mail_from;      /* --mail-from or SHOP_MAIL_FROM */
    const char *moodle_url;     /* --moodle-url or SHOP_MOODLE_URL */
    const char *sales_role;     /* --sales-role or SHOP_SALES_ROLE, default sales */
    shop_env_t *env;            /* built by shop_cli_env() */
    shop_db_t db;
    int db_open;
} shop_cli_t;

/* Print one line on stderr and return the exit code. */
int shop_cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the database named by --dsn / SHOP_DSN (once). */
int shop_cli_db(shop_cli_t *cli, shop_db_t **db);

/* The services' environment (templates, strings, secret, directories) from
 * the options above, built once; the template directory and the secret
 * file are required.  Returns SHOP_EXIT_OK or an exit code (message
 * printed). */
int shop_cli_env(shop_cli_t *cli, const shop_env_t **env);

int shop_cli_schema(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_seed(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_ticket(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_cron(shop_cli_t *cli, int argc, const char *const *argv);
int shop_cli_bill(shop_cli_t *cli, int argc, const char *const *argv);     /* cmd_bill.c: bill pdf */
int shop_cli_export(shop_cli_t *cli, int argc, const char *const *argv);   /* cmd_export.c: export bills */
int shop_cli_mail(shop_cli_t *cli, int argc, const char *const *argv);     /* cmd_mail.c: mail queue|status */

#endif
