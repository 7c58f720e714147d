/* Legal document numbers from a series format (invoice_series.format),
 * e.g. "F{YYYY}-{NNNNNN}" -> "F2026-000123".
 *
 * A format is literal characters and tokens:
 *   {YYYY}  the year, four digits        {YY}  its last two digits
 *   {N...}  the counter, zero-padded to the number of N (1 to 12); a value
 *           wider than that is printed in full, never cut
 * Literals are A-Z a-z 0-9 '-' '_' '.' (the number names the stored PDF
 * file, so no '/', no space).  Exactly one counter token; a series whose
 * counter restarts each year must print the year, or the numbers of two
 * years would collide.  The number fits SHOP_NUMBER_MAX_LEN (the column).
 * Pure: no I/O; thread-safe. */
#ifndef SHOP_CORE_NUMBERING_H
#define SHOP_CORE_NUMBERING_H

#include <apr_pools.h>

#define SHOP_NUMBER_MAX_LEN       32   /* invoice.number, bill.invoice_number */
#define SHOP_NUMBER_FORMAT_MAX    64   /* invoice_series.format */
#define SHOP_NUMBER_MAX_WIDTH     12   /* N's of the counter token */

typedef enum {
    SHOP_NUMFMT_OK = 0,
    SHOP_NUMFMT_EMPTY,
    SHOP_NUMFMT_TOO_LONG,        /* format over SHOP_NUMBER_FORMAT_MAX, or numbers over SHOP_NUMBER_MAX_LEN */
    SHOP_NUMFMT_BAD_CHAR,        /* a literal outside the allowed set */
    SHOP_NUMFMT_BAD_TOKEN,       /* {...} that is not a token, an unclosed brace, too many N */
    SHOP_NUMFMT_NO_COUNTER,
    SHOP_NUMFMT_MANY_COUNTERS,
    SHOP_NUMFMT_NO_YEAR          /* yearly reset without {YYYY} or {YY} */
} shop_numfmt_status_t;

/* Check a format (above); yearly_reset as invoice_series.yearly_reset. */
shop_numfmt_status_t shop_numbering_validate(const char *format, int yearly_reset);

/* A templates/lang key naming the problem for a form ("numbering_error_..."),
 * or NULL for SHOP_NUMFMT_OK. */
const char *shop_numbering_status_key(shop_numfmt_status_t st);

/* The number for (year, counter) in p.  NULL when the format is not valid
 * (yearly reset not required here), year is not 1..9999, counter < 1, or
 * the number would be longer than SHOP_NUMBER_MAX_LEN. */
const char *shop_numbering_format(apr_pool_t *p, const char *format, int year, apr_int64_t counter);

/* The order number of a bill, printed before (and beside) its invoice
 * number: "B-" + the UTC day it was created (YYYYMMDD) + "-" + its id, as
 * local_shop prints it.  In p. */
const char *shop_order_number(apr_pool_t *p, apr_int64_t bill_id, apr_int64_t created_at);

#endif
