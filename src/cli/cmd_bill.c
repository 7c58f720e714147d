/* shopctl bill pdf TRANSID [-o FILE]: the bill's PDF as its reader gets it
 * (services/bill_pdf.h): the stored invoice, byte for byte, once issued;
 * before that, the order sheet or pro-forma drawn now.  To stdout (never to
 * a terminal), or to FILE through a temporary file renamed onto it, mode
 * 0640 (shop_file_store).  Exit 0; 2 for bad usage; 1 for an unknown bill or a failure. */
#include "cli/cli.h"
#include "services/bill_pdf.h"
#include "data/bill_repo.h"
#include "data/filestore.h"

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USAGE "usage: shopctl bill pdf TRANSID [-o FILE]"

static int transid_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 16 || n > 64) return 0;
    for (; *t; t++)
        if (!apr_isalnum(*t) && *t != '-' && *t != '_') return 0;
    return 1;
}

/* FILE through a temporary file renamed onto it (data/filestore.h). */
static int write_file(apr_pool_t *pool, const char *out, const char *data, apr_size_t len)
{
    char buf[120];
    const char *slash = strrchr(out, '/');
    const char *dir = slash ? (slash == out ? "/" : apr_pstrmemdup(pool, out, (apr_size_t)(slash - out))) : ".";
    const char *name = slash ? slash + 1 : out;
    if (!*name) return shop_cli_fail(SHOP_EXIT_USAGE, "-o %s: give a file name, not a folder", out);
    apr_status_t st = shop_file_store(pool, dir, name, data, len);
    if (st != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write %s: %s", out, apr_strerror(st, buf, sizeof(buf)));
    return SHOP_EXIT_OK;
}

static int write_stdout(const char *data, apr_size_t len)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write the PDF to stdout");
    return SHOP_EXIT_OK;
}

int shop_cli_bill(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc < 2 || strcmp(argv[0], "pdf") != 0) return shop_cli_fail(SHOP_EXIT_USAGE, USAGE);
    const char *transid = argv[1], *out = NULL;
    for (int i = 2; i < argc; i += 2) {
        if (strcmp(argv[i], "-o") != 0 && strcmp(argv[i], "--output") != 0)
            return shop_cli_fail(SHOP_EXIT_USAGE, "unknown option %s (%s)", argv[i], USAGE);
        if (i + 1 >= argc || !*argv[i + 1]) return shop_cli_fail(SHOP_EXIT_USAGE, "option %s needs a file name", argv[i]);
        if (out) return shop_cli_fail(SHOP_EXIT_USAGE, "option -o is given twice");
        out = argv[i + 1];
    }
    if (!transid_ok(transid))
        return shop_cli_fail(SHOP_EXIT_USAGE, "TRANSID must be 16 to 64 characters among A-Z a-z 0-9 _ -, not '%s'",
                             transid);
    if (!out && isatty(STDOUT_FILENO))
        return shop_cli_fail(SHOP_EXIT_USAGE, "refusing to write a PDF to a terminal: give -o FILE or redirect stdout");

    shop_db_t *db;
    const shop_env_t *env;
    int rc = shop_cli_db(cli, &db);
    if (rc == SHOP_EXIT_OK) rc = shop_cli_env(cli, &env);
    if (rc != SHOP_EXIT_OK) return rc;
    shop_bill_t *bill;
    if (shop_bill_by_transid(db, transid, &bill) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "reading the bill failed: %s", db->last_message);
    if (!bill) return shop_cli_fail(SHOP_EXIT_FAILURE, "no bill %s", transid);

    shop_bill_pdf_t pdf;
    const char *why = NULL;
    if (shop_bill_pdf_current(db, env, cli->pool, bill->id, &pdf, &why) != SHOP_BILL_PDF_OK)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "bill %s: %s", transid, why ? why : "the PDF cannot be made");
    rc = out ? write_file(cli->pool, out, pdf.pdf, pdf.len) : write_stdout(pdf.pdf, pdf.len);
    if (rc == SHOP_EXIT_OK && out)
        fprintf(stderr, "%s %s: %" APR_SIZE_T_FMT " bytes to %s\n", pdf.stored ? "stored" : "drawn", pdf.number,
                pdf.len, out);
    return rc;
}
