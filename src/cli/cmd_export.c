/* shopctl export bills [--year Y] [--month M] [--status S] [--shop ID]
 * [--currency C] -o FILE.xlsx: the bills workbook (services/xlsx_export.h).
 *
 * The workbook is written next to FILE under a temporary name and renamed
 * onto FILE once complete: FILE is never left half-written, and an older
 * FILE stays as it was when the export fails.  The file is made 0600 (it
 * holds customers' names and addresses). */
#include "cli/cli.h"
#include "services/xlsx_export.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#define USAGE "usage: shopctl export bills [--year Y] [--month M] [--status S] [--shop ID] [--currency C] -o FILE.xlsx"

enum { O_YEAR, O_MONTH, O_STATUS, O_SHOP, O_CURRENCY, O_OUTPUT, O_COUNT };
static const char *const options[O_COUNT] = { "--year", "--month", "--status", "--shop", "--currency", "-o" };

static int option_index(const char *name)
{
    if (!strcmp(name, "--output")) return O_OUTPUT;
    for (int i = 0; i < O_COUNT; i++)
        if (!strcmp(name, options[i])) return i;
    return -1;
}

static const char *temp_dir(apr_pool_t *pool)
{
    const char *dir = NULL;
    if (apr_temp_dir_get(&dir, pool) != APR_SUCCESS) dir = "/tmp";
    return dir;
}

int shop_cli_export(shop_cli_t *cli, int argc, const char *const *argv)
{
    apr_pool_t *pool = cli->pool;
    if (argc < 1 || strcmp(argv[0], "bills") != 0) return shop_cli_fail(SHOP_EXIT_USAGE, USAGE);
    const char *value[O_COUNT] = { NULL };
    for (int i = 1; i < argc; i += 2) {
        int o = option_index(argv[i]);
        if (o < 0) return shop_cli_fail(SHOP_EXIT_USAGE, "unknown option %s (%s)", argv[i], USAGE);
        if (i + 1 >= argc) return shop_cli_fail(SHOP_EXIT_USAGE, "option %s needs a value", argv[i]);
        if (value[o]) return shop_cli_fail(SHOP_EXIT_USAGE, "option %s is given twice", options[o]);
        value[o] = argv[i + 1];
    }
    const char *out = value[O_OUTPUT];
    if (!out || !*out) return shop_cli_fail(SHOP_EXIT_USAGE, "no output file: give -o FILE.xlsx (%s)", USAGE);

    shop_xlsx_filter_t filter;
    const shop_xlsx_bad_t *bad = shop_xlsx_filter_parse(pool, &filter, value[O_YEAR], value[O_MONTH],
                                                        value[O_STATUS], value[O_SHOP], value[O_CURRENCY]);
    if (bad) return shop_cli_fail(SHOP_EXIT_USAGE, "--%s: %s", bad->field, bad->text);

    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc != SHOP_EXIT_OK) return rc;
    if (filter.shop_id) {
        const char *name;
        if (shop_xlsx_shop_name(db, filter.shop_id, &name) != 0)
            return shop_cli_fail(SHOP_EXIT_FAILURE, "reading the shop failed: %s", db->last_message);
        if (!name)
            return shop_cli_fail(SHOP_EXIT_USAGE, "--shop %s: %s", value[O_SHOP], shop_xlsx_bad_unknown_shop.text);
    }

    apr_file_t *f;
    char *temp = apr_pstrcat(pool, out, ".XXXXXX", NULL);
    apr_status_t st = apr_file_mktemp(&f, temp, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL, pool);
    if (st != APR_SUCCESS) {
        char buf[120];
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write next to %s: %s", out, apr_strerror(st, buf, sizeof(buf)));
    }
    apr_file_close(f);
    shop_xlsx_counts_t counts;
    const char *why = NULL;
    int rv = shop_xlsx_export_bills(db, &filter, temp, temp_dir(pool), &counts, &why);
    if (rv != 0) {
        apr_file_remove(temp, pool);
        return shop_cli_fail(SHOP_EXIT_FAILURE, "export failed: %s", why ? why : "unknown error");
    }
    st = apr_file_rename(temp, out, pool);
    if (st != APR_SUCCESS) {
        char buf[120];
        apr_file_remove(temp, pool);
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write %s: %s", out, apr_strerror(st, buf, sizeof(buf)));
    }
    printf("exported %" APR_INT64_T_FMT " bills, %" APR_INT64_T_FMT " credit notes to %s\n",
           counts.bills, counts.credit_notes, out);
    return SHOP_EXIT_OK;
}
