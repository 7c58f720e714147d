/* libFuzzer target: CSV reader and writer (src/core/csv.c).
 * Oracle: no crash or sanitizer report; on success every field is
 * well-formed UTF-8 without NUL, rows and fields respect the limits, row
 * line numbers increase; on failure an error and a line are given; and what
 * the writer makes of the parsed rows parses back to the same cells. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>

#include "core/csv.h"
#include "core/form.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void check(const shop_csv_t *c, int max_rows, int max_fields, apr_size_t max_field)
{
    int last = 0;
    if (c->nrows > max_rows || (c->sep != ';' && c->sep != ','))
        abort();
    for (int r = 0; r < c->nrows; r++) {
        const shop_csv_row_t *row = &c->rows[r];
        if (row->nfields < 1 || row->nfields > max_fields || row->line <= last)
            abort();
        last = row->line;
        for (int f = 0; f < row->nfields; f++) {
            apr_size_t n = strlen(row->fields[f]);
            if (n > max_field || !shop_utf8_valid(row->fields[f], n, NULL))
                abort();
        }
    }
}

static void round_trip(apr_pool_t *p, const shop_csv_t *c)
{
    shop_csv_writer_t *w = shop_csv_writer_create(p, c->sep, SHOP_CSV_BOM);
    int kept = 0;
    for (int r = 0; r < c->nrows; r++) {
        const shop_csv_row_t *row = &c->rows[r];
        if (row->nfields == 1 && !*row->fields[0]) continue;   /* would be an empty line */
        shop_csv_write_row(w, row->nfields, row->fields);
        kept++;
    }
    apr_size_t len;
    const char *d = shop_csv_writer_data(w, &len);
    shop_csv_t *back = NULL;
    const char *err;
    int line;
    if (shop_csv_parse(p, d, len, NULL, &back, &err, &line) != APR_SUCCESS)
        abort();
    if (back->sep != c->sep) return;       /* the header alone decides the separator */
    if (back->nrows != kept)
        abort();
    for (int r = 0, b = 0; r < c->nrows; r++) {
        const shop_csv_row_t *row = &c->rows[r];
        if (row->nfields == 1 && !*row->fields[0]) continue;
        if (back->rows[b].nfields != row->nfields)
            abort();
        for (int f = 0; f < row->nfields; f++)
            if (strcmp(back->rows[b].fields[f], row->fields[f]) != 0)
                abort();
        b++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    shop_csv_t *c = NULL;
    const char *err = NULL;
    int line = -1;
    shop_csv_limits_t lim = { 4096, 64, 8, 50 };

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    if (shop_csv_parse(p, (const char *)data, size, NULL, &c, &err, &line) == APR_SUCCESS) {
        if (!c)
            abort();
        check(c, SHOP_CSV_MAX_ROWS, SHOP_CSV_MAX_FIELDS, SHOP_CSV_MAX_FIELD);
        round_trip(p, c);
    }
    else if (c || !err || line < 0)
        abort();
    c = NULL;
    if (shop_csv_parse(p, (const char *)data, size, &lim, &c, &err, &line) == APR_SUCCESS)
        check(c, 50, 8, 64);
    apr_pool_destroy(p);
    return 0;
}
