/* shopctl seed demo: the demo settings and shop (and, as the catalogue layer
 * grows, its demo catalogue).  Every file is idempotent: running it again
 * changes nothing. */
#include "cli/cli.h"
#include "data/schema_repo.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

static const char *const demo_files[] = { "demo/shop_settings.sql", "demo/catalogue.sql", "demo/discounts.sql", NULL };

int shop_cli_seed(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc != 1 || strcmp(argv[0], "demo") != 0)
        return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl seed demo");
    if (!cli->sql_dir) return shop_cli_fail(SHOP_EXIT_USAGE, "no sql folder: give --sql-dir or set SHOP_SQL_DIR");
    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc != SHOP_EXIT_OK) return rc;
    int version = 0;
    if (shop_schema_current(db, &version) != 0 || version < SHOP_SCHEMA_REQUIRED)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "the schema is not installed: run `shopctl schema install` first");
    for (int i = 0; demo_files[i]; i++) {
        const char *error = NULL;
        const char *path = apr_pstrcat(cli->pool, cli->sql_dir, "/", demo_files[i], NULL);
        if (shop_schema_run_file(db, path, &error) != 0)
            return shop_cli_fail(SHOP_EXIT_FAILURE, "seeding failed: %s", error);
        printf("seeded %s\n", demo_files[i]);
    }
    return SHOP_EXIT_OK;
}
