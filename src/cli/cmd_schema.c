/* shopctl schema install|upgrade|status */
#include "cli/cli.h"
#include "data/schema_repo.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

static int apply_pending(shop_cli_t *cli, shop_db_t *db, apr_array_header_t *migrations, int current)
{
    int applied = 0;
    for (int i = 0; i < migrations->nelts; i++) {
        const shop_migration_t *m = &APR_ARRAY_IDX(migrations, i, shop_migration_t);
        if (m->version <= current) continue;
        const char *error = NULL;
        if (shop_schema_run_file(db, m->path, &error) != 0)
            return shop_cli_fail(SHOP_EXIT_FAILURE, "migration %s failed: %s", m->name, error);
        printf("applied %s\n", m->name);
        applied++;
    }
    int now = 0;
    if (shop_schema_current(db, &now) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot read the schema version: %s", db->last_message);
    printf("schema at version %d (%d migration%s applied)\n", now, applied, applied == 1 ? "" : "s");
    return SHOP_EXIT_OK;
}

int shop_cli_schema(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc != 1 || (strcmp(argv[0], "install") && strcmp(argv[0], "upgrade") && strcmp(argv[0], "status")))
        return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl schema install|upgrade|status");
    if (!cli->sql_dir) return shop_cli_fail(SHOP_EXIT_USAGE, "no migrations folder: give --sql-dir or set SHOP_SQL_DIR");
    apr_array_header_t *migrations;
    const char *error = NULL;
    if (shop_schema_scan(cli->pool, cli->sql_dir, &migrations, &error) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "%s", error);

    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc != SHOP_EXIT_OK) return rc;
    int current = 0;
    if (shop_schema_current(db, &current) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot read the schema version: %s", db->last_message);

    if (!strcmp(argv[0], "status")) {
        printf("schema version %d; migrations available %d; this build needs %d; %s\n", current,
               migrations->nelts, SHOP_SCHEMA_REQUIRED,
               current >= SHOP_SCHEMA_REQUIRED ? "up to date" : "behind: run `shopctl schema upgrade`");
        return SHOP_EXIT_OK;
    }
    /* install on an installed schema and upgrade on a fresh one both do the
     * right thing: apply what is missing. */
    return apply_pending(cli, db, migrations, current);
}
