/* The stored PDF of issued documents (services/invoicing.h): made once,
 * written under ShopDataDir/invoices/<year>/<number>.pdf without ever
 * replacing a file, recorded with its SHA-256, and read back only when the
 * bytes still match that hash.
 *
 * Writing: the PDF goes to a temporary file of the same folder (mode 0640,
 * flushed to disk), which is then hard-linked to its final name — link()
 * fails when the name exists, so nothing is overwritten — and removed.  A
 * final name already there holding the same bytes (a previous attempt that
 * died before its UPDATE; drawing is deterministic) is taken as ours; one
 * holding other bytes makes us use "<number>-<invoice id>.pdf".  The row is
 * then updated only if it still has no path (two writers: the first wins,
 * the loser removes a file of its own that nobody points to). */
#include "services/invoicing.h"
#include "services/document.h"
#include "services/pdf_invoice.h"
#include "data/filestore.h"
#include "data/trace_repo.h"
#include "core/crypto.h"

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

/* Stored PDFs larger than this are not read back (a document is < 10 MB). */
#define STORED_MAX (64 * 1024 * 1024)
/* Documents made per shop_invoice_store_missing() call. */
#define MISSING_BATCH 200

static const shop_sql_t Q_INVOICE = {
    "invoice_pdf.get",
    "SELECT i.number, i.issued_at, i.pdf_path, i.pdf_sha256, b.transid"
    " FROM {shop}invoice i JOIN {shop}bill b ON b.id = i.bill_id WHERE i.id = %s"
};
static const shop_sql_t Q_RECORD = {
    "invoice_pdf.record",
    "UPDATE {shop}invoice SET pdf_path = %s, pdf_sha256 = %s WHERE id = %s AND pdf_path IS NULL"
};
static const shop_sql_t Q_MISSING = {
    "invoice_pdf.missing",
    "SELECT id FROM {shop}invoice WHERE pdf_path IS NULL ORDER BY id LIMIT 200"   /* MISSING_BATCH */
};

/* The number as a file name: [A-Za-z0-9._-], no leading dot. */
static const char *file_name(apr_pool_t *p, const char *number, apr_int64_t id, int with_id)
{
    char *n = apr_pstrdup(p, number && *number ? number : "document");
    for (char *c = n; *c; c++)
        if (!apr_isalnum(*c) && *c != '-' && *c != '_' && *c != '.') *c = '_';
    if (n[0] == '.') n[0] = '_';
    return with_id ? apr_psprintf(p, "%s-%" APR_INT64_T_FMT ".pdf", n, id) : apr_pstrcat(p, n, ".pdf", NULL);
}

static apr_status_t write_temp(apr_pool_t *p, const char *dir, const char *pdf, apr_size_t len, const char **tmp)
{
    char *name = apr_pstrcat(p, dir, "/.pdf-XXXXXX", NULL);
    int fd = mkstemp(name);
    if (fd < 0) return APR_FROM_OS_ERROR(errno);
    apr_status_t rv = APR_SUCCESS;
    if (fchmod(fd, 0640) != 0) rv = APR_FROM_OS_ERROR(errno);
    for (apr_size_t done = 0; rv == APR_SUCCESS && done < len;) {
        ssize_t n = write(fd, pdf + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) rv = n < 0 ? APR_FROM_OS_ERROR(errno) : APR_EGENERAL;
        else done += (apr_size_t)n;
    }
    if (rv == APR_SUCCESS && fsync(fd) != 0) rv = APR_FROM_OS_ERROR(errno);
    if (close(fd) != 0 && rv == APR_SUCCESS) rv = APR_FROM_OS_ERROR(errno);
    if (rv != APR_SUCCESS) unlink(name);
    *tmp = name;
    return rv;
}

static int same_file(apr_pool_t *p, const char *path, const char *sha)
{
    char *data;
    apr_size_t n;
    if (shop_file_read(p, path, STORED_MAX, &data, &n) != APR_SUCCESS) return 0;
    return shop_ct_streq(shop_sha256_hex(p, data, n), sha);
}

/* Link tmp to dir/name unless the name is taken by other bytes (then 1
 * with *used = 0).  0 with *used = 1 when dir/name holds our bytes. */
static apr_status_t place(apr_pool_t *p, const char *tmp, const char *dir, const char *name, const char *sha,
                          int *used)
{
    const char *final = apr_pstrcat(p, dir, "/", name, NULL);
    *used = 0;
    if (link(tmp, final) == 0) {
        *used = 1;
        return APR_SUCCESS;
    }
    if (errno != EEXIST) return APR_FROM_OS_ERROR(errno);
    *used = same_file(p, final, sha);
    return APR_SUCCESS;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Write pdf under ShopDataDir; *rel is the path recorded (relative). */
static apr_status_t store_file(apr_pool_t *p, const shop_env_t *env, apr_int64_t id, const char *number,
                               apr_int64_t issued_at, const char *pdf, apr_size_t len, const char *sha,
                               const char **rel)
{
    if (!env->data_dir || !*env->data_dir) return APR_EINVAL;
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, apr_time_from_sec(issued_at));
    const char *sub = apr_psprintf(p, "invoices/%04d", tm.tm_year + 1900);
    const char *dir = apr_pstrcat(p, env->data_dir, "/", sub, NULL);
    apr_status_t rv = apr_dir_make_recursive(dir, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_UEXECUTE
                                                  | APR_FPROT_GREAD | APR_FPROT_GEXECUTE, p);
    if (rv != APR_SUCCESS) return rv;
    const char *tmp = NULL;
    if ((rv = write_temp(p, dir, pdf, len, &tmp)) != APR_SUCCESS) return rv;
    int used = 0;
    const char *name = file_name(p, number, id, 0);
    rv = place(p, tmp, dir, name, sha, &used);
    if (rv == APR_SUCCESS && !used) {
        name = file_name(p, number, id, 1);
        rv = place(p, tmp, dir, name, sha, &used);
        if (rv == APR_SUCCESS && !used) rv = APR_EEXIST;
    }
    unlink(tmp);
    if (rv == APR_SUCCESS) sync_dir(dir);
    *rel = apr_pstrcat(p, sub, "/", name, NULL);
    return rv;
}

int shop_invoice_store_pdf(shop_db_t *db, const shop_env_t *env, apr_int64_t invoice_id)
{
    apr_pool_t *p;
    if (apr_pool_create(&p, db->pool) != APR_SUCCESS) return APR_ENOMEM;
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(p, invoice_id) };
    int rv = shop_db_select(db, &Q_INVOICE, 1, args, &rows);
    if (rv != 0) goto done;
    if (rows->nrows == 0) {
        rv = APR_ENOENT;
        goto done;
    }
    if (shop_rows_str(rows, 0, 2)) goto done;      /* stored already */
    const char *number = shop_rows_str(rows, 0, 0), *transid = shop_rows_str(rows, 0, 4);
    apr_int64_t issued_at = shop_rows_i64(rows, 0, 1, 0);

    shop_document_t *doc;
    const char *pdf, *error = NULL, *rel = NULL;
    apr_size_t len;
    if ((rv = shop_document_load_issued(db, env, p, invoice_id, &doc)) != 0 || !doc) {
        error = rv == APR_EINVAL ? "the bill has too many lines or an unknown currency" : "the database failed";
        if (!rv) rv = APR_ENOENT;
        goto failed;
    }
    shop_document_load_logo(env, p, doc);
    if ((rv = shop_pdf_invoice_render(p, env, doc, SHOP_PDF_COMPACT, &pdf, &len, &error)) != APR_SUCCESS)
        goto failed;
    const char *sha = shop_sha256_hex(p, pdf, len);
    if ((rv = store_file(p, env, invoice_id, number, issued_at, pdf, len, sha, &rel)) != APR_SUCCESS) {
        char buf[120];
        error = apr_psprintf(p, "cannot write %s under %s: %s", rel ? rel : "the file", env->data_dir,
                             apr_strerror(rv, buf, sizeof(buf)));
        goto failed;
    }
    int affected = 0;
    const char *uargs[] = { rel, sha, args[0] };
    if ((rv = shop_db_exec(db, &Q_RECORD, 3, uargs, &affected)) != 0) {
        error = "the database failed recording it";
        goto failed;
    }
    if (affected == 0) {
        /* someone recorded this document meanwhile: keep theirs, drop ours unless it is the same file */
        shop_rows_t *now;
        if (shop_db_select(db, &Q_INVOICE, 1, args, &now) == 0 && now->nrows
            && shop_rows_str(now, 0, 2) && strcmp(shop_rows_str(now, 0, 2), rel) != 0)
            unlink(apr_pstrcat(p, env->data_dir, "/", rel, NULL));
        goto done;
    }
    shop_tracef(db, transid, "info", "invoicing", "%s %s stored: %s, %" APR_SIZE_T_FMT " bytes, SHA-256 %s",
                doc->kind == SHOP_DOC_CREDIT_NOTE ? "credit note" : "invoice", number, rel, len, sha);
    goto done;
failed:
    shop_tracef(db, transid, "error", "invoicing", "the PDF of %s could not be made: %s (%d); shopctl cron retries",
                number, error ? error : "error", rv);
done:
    apr_pool_destroy(p);
    return rv;
}

int shop_invoice_read_pdf(shop_db_t *db, const shop_env_t *env, apr_int64_t invoice_id, const char **pdf,
                          apr_size_t *len)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, invoice_id) };
    *pdf = NULL;
    *len = 0;
    int rv = shop_db_select(db, &Q_INVOICE, 1, args, &rows);
    if (rv != 0) return rv;
    if (rows->nrows == 0 || !shop_rows_str(rows, 0, 2)) return APR_ENOENT;
    const char *number = shop_rows_str(rows, 0, 0), *rel = shop_rows_str(rows, 0, 2);
    const char *sha = shop_rows_str(rows, 0, 3), *transid = shop_rows_str(rows, 0, 4);
    char *data = NULL;
    apr_size_t n = 0;
    apr_status_t st = APR_EGENERAL;
    if (env->data_dir && rel[0] != '/' && !strstr(rel, "..") && sha)
        st = shop_file_read(db->pool, apr_pstrcat(db->pool, env->data_dir, "/", rel, NULL), STORED_MAX, &data, &n);
    if (st != APR_SUCCESS) {
        char buf[120];
        shop_tracef(db, transid, "error", "invoicing", "the stored PDF of %s (%s) cannot be read: %s; not served",
                    number, rel, apr_strerror(st, buf, sizeof(buf)));
        return APR_EGENERAL;
    }
    if (!shop_ct_streq(shop_sha256_hex(db->pool, data, n), sha)) {
        shop_tracef(db, transid, "error", "invoicing",
                    "the stored PDF of %s (%s) does not match its SHA-256 %s: altered, not served", number, rel, sha);
        return APR_EGENERAL;
    }
    *pdf = data;
    *len = n;
    return 0;
}

int shop_invoice_store_missing(shop_db_t *db, const shop_env_t *env, int *made)
{
    shop_rows_t *rows;
    *made = 0;
    int rv = shop_db_select(db, &Q_MISSING, 0, NULL, &rows), first = 0;
    if (rv != 0) return rv;
    for (int i = 0; i < rows->nrows && i < MISSING_BATCH; i++) {
        rv = shop_invoice_store_pdf(db, env, shop_rows_i64(rows, i, 0, 0));
        if (rv == 0) (*made)++;
        else if (!first) first = rv;
    }
    return first;
}
