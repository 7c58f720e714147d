/*
 * csv.h -- CSV files (RFC 4180) for the back office's imports and exports.
 *
 * Reading (shop_csv_parse) takes a whole file in memory:
 *   - an optional UTF-8 byte order mark (EF BB BF) is skipped;
 *   - the separator is ';' or ',', chosen from the header (first non-empty) line:
 *     the one that occurs more often outside quotes there; ';' on a tie
 *     (a one-column file has neither, and gets ';');
 *   - rows end with CRLF, LF or a lone CR; a final line ending is optional;
 *     lines that are entirely empty are skipped (they are no row);
 *   - a field that starts with '"' is quoted: it ends at the next '"' not
 *     followed by another '"' ("" stands for one quote) and may hold the
 *     separator and line breaks (kept as written); after the closing quote
 *     only the separator or a line end may follow;
 *   - in an unquoted field a '"' is an error, as is a NUL byte anywhere,
 *     bytes that are not well-formed UTF-8, and a quoted field left open at
 *     the end of the input.
 * Limits (the whole input is refused, never truncated): input bytes, bytes
 * of one field, fields in one row, rows (the header counts).  Errors name the
 * physical line (1-based; the line where the faulty field starts, for an
 * open quote) in *error_line and say what in *error (static English).
 * Rows are not required to have the header's number of fields: the caller
 * checks that, with the row's line number for its message.
 *
 * Writing (shop_csv_writer_*) builds a file in a pool: cells are quoted when
 * they hold ';' or ',' (either, so that the reader's guess of the separator
 * cannot change the cells), a quote, CR or LF, or start or end with a space;
 * quotes are doubled; rows end with CRLF.  With SHOP_CSV_DEFUSE a cell that
 * starts with '=', '+', '-', '@', TAB or CR gets a leading apostrophe so that
 * spreadsheets show it as text instead of running it as a formula (CSV
 * injection); shop_csv_undefuse() gives the cell back when reading such a
 * file again.
 *
 * Memory: everything is allocated in the pool given; the input is copied
 * (fields are NUL-terminated).  Thread-safe, no state between calls.
 */
#ifndef SHOP_CORE_CSV_H
#define SHOP_CORE_CSV_H

#include <apr_pools.h>
#include <apr_errno.h>

#define SHOP_CSV_MAX_INPUT      (8 * 1024 * 1024)  /* bytes of a whole file */
#define SHOP_CSV_MAX_FIELD      (64 * 1024)        /* bytes of one field */
#define SHOP_CSV_MAX_FIELDS     64                 /* fields in one row */
#define SHOP_CSV_MAX_ROWS       10000              /* rows, header included */

typedef struct shop_csv_limits {
    apr_size_t max_input;      /* 0 = SHOP_CSV_MAX_INPUT */
    apr_size_t max_field;      /* 0 = SHOP_CSV_MAX_FIELD */
    int max_fields;            /* 0 = SHOP_CSV_MAX_FIELDS */
    int max_rows;              /* 0 = SHOP_CSV_MAX_ROWS */
} shop_csv_limits_t;

typedef struct shop_csv_row {
    int line;                  /* physical line where the row starts, 1-based */
    int nfields;               /* >= 1 */
    const char **fields;       /* nfields NUL-terminated UTF-8 strings, never NULL */
} shop_csv_row_t;

typedef struct shop_csv {
    char sep;                  /* ';' or ',' */
    int nrows;                 /* rows[0] is the header when nrows > 0 */
    shop_csv_row_t *rows;
} shop_csv_t;

/* Parse in[0..len) (may be NULL when len is 0: no rows).  lim NULL means
 * the defaults.  On APR_SUCCESS *out is the file; on failure *out is NULL,
 * *error says why and *error_line (may be NULL) where:
 *   APR_EINVAL  malformed (quote, NUL, encoding, open quote)
 *   APR_ENOSPC  over a limit */
apr_status_t shop_csv_parse(apr_pool_t *p, const char *in, apr_size_t len, const shop_csv_limits_t *lim,
                            shop_csv_t **out, const char **error, int *error_line);

/* Field i of a row, or "" when the row is shorter.  Never NULL. */
const char *shop_csv_field(const shop_csv_row_t *row, int i);

/* A cell read back from a file written with SHOP_CSV_DEFUSE: the leading
 * apostrophe before = + - @ TAB CR removed (a pointer into s).  Never NULL
 * for a non-NULL s. */
const char *shop_csv_undefuse(const char *s);

#define SHOP_CSV_BOM     0x01  /* start the file with a UTF-8 byte order mark */
#define SHOP_CSV_DEFUSE  0x02  /* neutralise formula-like cells */

typedef struct shop_csv_writer shop_csv_writer_t;

/* A writer whose buffer lives in p; sep is ';' or ','. */
shop_csv_writer_t *shop_csv_writer_create(apr_pool_t *p, char sep, int flags);

/* Append one row of n cells (a NULL cell is written empty). */
void shop_csv_write_row(shop_csv_writer_t *w, int n, const char *const *cells);

/* The file so far (not NUL-terminated; *len its size). */
const char *shop_csv_writer_data(const shop_csv_writer_t *w, apr_size_t *len);

#endif
