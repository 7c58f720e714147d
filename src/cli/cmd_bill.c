/* shopctl bill pdf TRANSID [-o FILE]: the bill's PDF as its reader gets it
 * (services/bill_pdf.h): the stored invoice, byte for byte, once issued;
 * before that, the order sheet or pro-forma drawn now.  To stdout (never to
 * a terminal), or to FILE through a temporary file renamed onto it, mode
 * 0640.  Exit 0; 2 for bad usage; 1 for an unknown bill or a failure. */
#include "cli/cli.h"
#include "services/bill_pdf.h"
#include "data/bill_repo.h"

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

static int write_file(apr_pool_t *pool, const char *out, const char *data, apr_size_t len)
{
    apr_file_t *f;
    char buf[120];
    char *temp = apr_pstrcat(pool, out, ".XXXXXX", NULL);
    apr_status_t st = apr_file_mktemp(&f, temp, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                                      | APR_FOPEN_BINARY, pool);
    if (st != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write next to %s: %s", out, apr_strerror(st, buf, sizeof(buf)));
    apr_size_t written;
    st = apr_file_write_full(f, data, len, &written);
    apr_status_t closed = apr_file_close(f);
    if (st == APR_SUCCESS) st = closed;
    if (st == APR_SUCCESS) st = apr_file_perms_set(temp, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD);
    if (st == APR_SUCCESS || st == APR_ENOTIMPL) st = apr_file_rename(temp, out, pool);
    if (st != APR_SUCCESS) {
        apr_file_remove(temp, pool);
        return shop_cli_fail(SHOP_EXIT_FAILURE, "cannot write %s: %s", out, apr_strerror(st, buf, sizeof(buf)));
    }
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
    int rv = shop_bill_pdf_current(db, env, cli->pool, bill->id, &pdf, &why);
    if (rv != 0) return shop_cli_fail(SHOP_EXIT_FAILURE, "bill %s: %s", transid, why ? why : "the PDF cannot be made");
    rc = out ? write_file(cli->pool, out, pdf.pdf, pdf.len) : write_stdout(pdf.pdf, pdf.len);
    if (rc == SHOP_EXIT_OK && out)
        fprintf(stderr, "%s %s: %" APR_SIZE_T_FMT " bytes to %s\n", pdf.stored ? "stored" : "drawn", pdf.number,
                pdf.len, out);
    return rc;
}
