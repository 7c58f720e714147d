/* shopctl: the shop's command line (CONTRACT §5).  Global options, then a
 * command; each command lives in its own file. */
#include "cli/cli.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_dbd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: shopctl [--dsn DSN] [--moodle-prefix mdl_] [--prefix shop_] [--sql-dir DIR]\n"
    "               [--secret-file FILE] [--public-url URL] [--data-dir DIR] [--template-dir DIR]\n"
    "               [--smtp URL] [--mail-from ADDR] [--moodle-url URL] [--sales-role NAME] COMMAND ...\n"
    "commands:\n"
    "  schema install|upgrade|status    apply or show the shop's migrations\n"
    "  seed demo                        demo settings and shop (idempotent)\n"
    "  ticket USERID [--url PATH]       print a single-use login URL for a Moodle user\n"
    "  cron                             periodic work (sessions, tickets, stock holds, production\n"
    "                                   retries, missing invoice PDFs, mail retries)\n"
    "  bill pdf TRANSID [-o FILE]       the bill's document (stored invoice, or pro-forma)\n"
    "  export bills [--year Y] [--month M] [--status S] [--shop ID] [--currency C] -o FILE.xlsx\n"
    "  mail queue TEMPLATE ID [BILLID]  queue a shop mail again and send it (bill id; account_created:\n"
    "                                   Moodle user id [bill id])\n"
    "  mail status                      outbox rows per status\n"
    "environment: SHOP_DSN, SHOP_SQL_DIR, SHOP_SECRET_FILE, SHOP_URL, SHOP_DATA_DIR, SHOP_TEMPLATE_DIR,\n"
    "             SHOP_SMTP, SHOP_MAIL_FROM, SHOP_MOODLE_URL, SHOP_SALES_ROLE\n";

#ifdef __SANITIZE_ADDRESS__
/* libmariadb's one-time library initialisation (run under pthread_once when
 * apr_dbd loads the mysql driver) is never freed, by design. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:__pthread_once_slow\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

int shop_cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("shopctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static apr_status_t close_db(void *data)
{
    shop_db_t *db = data;
    apr_dbd_close(db->driver, db->handle);
    return APR_SUCCESS;
}

int shop_cli_db(shop_cli_t *cli, shop_db_t **out)
{
    if (cli->db_open) {
        *out = &cli->db;
        return SHOP_EXIT_OK;
    }
    if (!cli->dsn) return shop_cli_fail(SHOP_EXIT_USAGE, "no database: give --dsn or set SHOP_DSN");
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    const char *error = NULL;
    apr_dbd_init(cli->pool);
    if (apr_dbd_get_driver(cli->pool, "mysql", &driver) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "the apr_dbd mysql driver is missing (package libaprutil1-dbd-mysql)");
    if (apr_dbd_open_ex(driver, cli->pool, cli->dsn, &handle, &error) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot connect to the database: %s", error ? error : "unknown error");
    shop_db_init(&cli->db, driver, handle, cli->pool, cli->pool, NULL, cli->prefix, cli->moodle_prefix);
    apr_pool_cleanup_register(cli->pool, &cli->db, close_db, apr_pool_cleanup_null);
    if (shop_db_raw(&cli->db, "SET NAMES utf8mb4") != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "database: %s", cli->db.last_message);
    cli->db_open = 1;
    *out = &cli->db;
    return SHOP_EXIT_OK;
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

int main(int argc, const char *const *argv)
{
    apr_app_initialize(&argc, &argv, NULL);
    atexit(apr_terminate);
    shop_cli_t cli = { 0 };
    apr_pool_create(&cli.pool, NULL);
    cli.dsn = env_or("SHOP_DSN", NULL);
    cli.moodle_prefix = "mdl_";
    cli.prefix = "shop_";
    cli.sql_dir = env_or("SHOP_SQL_DIR", NULL);
    cli.secret_file = env_or("SHOP_SECRET_FILE", NULL);
    cli.public_url = env_or("SHOP_URL", NULL);
    cli.data_dir = env_or("SHOP_DATA_DIR", NULL);
    cli.template_dir = env_or("SHOP_TEMPLATE_DIR", NULL);
    cli.smtp_url = env_or("SHOP_SMTP", NULL);
    cli.mail_from = env_or("SHOP_MAIL_FROM", NULL);
    cli.moodle_url = env_or("SHOP_MOODLE_URL", NULL);
    cli.sales_role = env_or("SHOP_SALES_ROLE", "sales");

    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(opt, "--help")) {
            fputs(usage, stdout);
            return SHOP_EXIT_OK;
        }
        if (!val) return shop_cli_fail(SHOP_EXIT_USAGE, "option %s needs a value", opt);
        if (!strcmp(opt, "--dsn")) cli.dsn = val;
        else if (!strcmp(opt, "--moodle-prefix")) cli.moodle_prefix = val;
        else if (!strcmp(opt, "--prefix")) cli.prefix = val;
        else if (!strcmp(opt, "--sql-dir")) cli.sql_dir = val;
        else if (!strcmp(opt, "--secret-file")) cli.secret_file = val;
        else if (!strcmp(opt, "--public-url")) cli.public_url = val;
        else if (!strcmp(opt, "--data-dir")) cli.data_dir = val;
        else if (!strcmp(opt, "--template-dir")) cli.template_dir = val;
        else if (!strcmp(opt, "--smtp")) cli.smtp_url = val;
        else if (!strcmp(opt, "--mail-from")) cli.mail_from = val;
        else if (!strcmp(opt, "--moodle-url")) cli.moodle_url = val;
        else if (!strcmp(opt, "--sales-role")) cli.sales_role = val;
        else return shop_cli_fail(SHOP_EXIT_USAGE, "unknown option %s (see shopctl --help)", opt);
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return SHOP_EXIT_USAGE;
    }
    const char *cmd = argv[i];
    int rest = argc - i - 1;
    const char *const *args = argv + i + 1;
    int rc;
    if (!strcmp(cmd, "schema")) rc = shop_cli_schema(&cli, rest, args);
    else if (!strcmp(cmd, "seed")) rc = shop_cli_seed(&cli, rest, args);
    else if (!strcmp(cmd, "ticket")) rc = shop_cli_ticket(&cli, rest, args);
    else if (!strcmp(cmd, "cron")) rc = shop_cli_cron(&cli, rest, args);
    else if (!strcmp(cmd, "bill")) rc = shop_cli_bill(&cli, rest, args);
    else if (!strcmp(cmd, "export")) rc = shop_cli_export(&cli, rest, args);
    else if (!strcmp(cmd, "mail")) rc = shop_cli_mail(&cli, rest, args);
    else rc = shop_cli_fail(SHOP_EXIT_USAGE, "unknown command '%s' (see shopctl --help)", cmd);
    apr_pool_destroy(cli.pool);     /* closes the database connection */
    return rc;
}
