/* The bills workbook: see xlsx_export.h. */
#include "services/xlsx_export.h"
#include "core/utf8.h"

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/bill_state.h"
#include "core/currency.h"
#include "core/limits.h"
#include "data/bill_export_repo.h"
#include "data/shop_admin_repo.h"

#define YEAR_MIN       1970
#define YEAR_MAX       9999
#define CELL_MAX       32767     /* characters Excel keeps in a cell */
#define DATE_FORMAT    "yyyy-mm-dd hh:mm"

/* ------------------------------------------------------------- filter */

static const shop_xlsx_bad_t bad_year = {
    "year", "export_bad_year", "the year must be a number from 1970 to 9999"
};
static const shop_xlsx_bad_t bad_month = {
    "month", "export_bad_month", "the month must be a number from 1 to 12"
};
static const shop_xlsx_bad_t bad_month_alone = {
    "month", "export_month_needs_year", "a month needs a year"
};
static const shop_xlsx_bad_t bad_status = {
    "status", "export_bad_status",
    "the status must be one of WORKING PLACED PENDING PREPROD SOLDOUT PARTIAL COMPLETE PAYBACK FAILED REFUSED CANCELLED"
};
static const shop_xlsx_bad_t bad_shop = {
    "shop", "export_bad_shop", "the shop must be a shop id (a positive number)"
};
const shop_xlsx_bad_t shop_xlsx_bad_unknown_shop = {
    "shop", "export_unknown_shop", "there is no shop with this id"
};
static const shop_xlsx_bad_t bad_currency = {
    "currency", "export_bad_currency", "the currency must be an ISO 4217 code the shop knows, such as EUR"
};

static int given(const char *v)
{
    return v && *v;
}

/* Decimal digits only (no sign, no spaces), at most `digits` of them. */
static int number(const char *v, int digits, apr_int64_t min, apr_int64_t max, apr_int64_t *out)
{
    apr_int64_t n = 0;
    int len = 0;
    for (const char *c = v; *c; c++, len++) {
        if (!apr_isdigit(*c) || len >= digits) return -1;
        n = n * 10 + (*c - '0');
    }
    if (len == 0 || n < min || n > max) return -1;
    *out = n;
    return 0;
}

const shop_xlsx_bad_t *shop_xlsx_filter_parse(apr_pool_t *pool, shop_xlsx_filter_t *f, const char *year,
                                              const char *month, const char *status, const char *shop,
                                              const char *currency)
{
    memset(f, 0, sizeof(*f));
    apr_int64_t n;
    if (given(year)) {
        if (number(year, 4, YEAR_MIN, YEAR_MAX, &n) != 0) return &bad_year;
        f->year = (int)n;
    }
    if (given(month)) {
        if (number(month, 2, 1, 12, &n) != 0) return &bad_month;
        if (!f->year) return &bad_month_alone;
        f->month = (int)n;
    }
    if (given(status)) {
        char *upper = apr_pstrdup(pool, status);
        for (char *c = upper; *c; c++) *c = apr_toupper(*c);
        shop_bill_status_t s;
        if (shop_bill_status_parse(upper, &s) != 0) return &bad_status;
        f->status = shop_bill_status_name(s);
    }
    if (given(shop)) {
        if (number(shop, 18, 1, APR_INT64_MAX, &n) != 0) return &bad_shop;
        f->shop_id = n;
    }
    if (given(currency)) {
        const shop_currency_t *c = shop_currency_get(currency);
        if (!c) return &bad_currency;
        f->currency = c->code;
    }
    return NULL;
}

int shop_xlsx_shop_name(shop_db_t *db, apr_int64_t id, const char **name)
{
    shop_rows_t *rows;
    int rv = shop_shop_get(db, id, &rows);
    *name = rv == 0 ? shop_rows_str(rows, 0, SHOP_SHOP_C_NAME) : NULL;
    return rv;
}

/* Midnight of the first day of year/month (month 13 = January of the next
 * year) in local time; mktime is thread-safe and knows daylight saving. */
static apr_int64_t local_midnight(int year, int month)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    return (apr_int64_t)mktime(&tm);
}

static void bill_filter(const shop_xlsx_filter_t *f, shop_bill_export_filter_t *bf)
{
    memset(bf, 0, sizeof(*bf));
    bf->from = APR_INT64_MIN;
    bf->until = APR_INT64_MAX;
    if (f->year && f->month) {
        bf->from = local_midnight(f->year, f->month);
        bf->until = local_midnight(f->year, f->month + 1);
    } else if (f->year) {
        bf->from = local_midnight(f->year, 1);
        bf->until = local_midnight(f->year + 1, 1);
    }
    bf->status = f->status;
    bf->shop_id = f->shop_id;
    bf->currency = f->currency;
}

/* ------------------------------------------------------------- workbook */

typedef enum { K_TEXT, K_INT, K_MONEY, K_DATE } kind_t;

typedef struct column {
    const char *name;
    double width;
    kind_t kind;
    int field;                 /* SHOP_BX_* / SHOP_CX_* of the row */
    int hidden;
} column_t;

static const column_t bill_columns[] = {
    { "id", 8, K_INT, SHOP_BX_ID, 0 },
    { "transactionid", 26, K_TEXT, SHOP_BX_TRANSID, 0 },
    { "onlinetransactionid", 22, K_TEXT, SHOP_BX_GATEWAY_REF, 0 },
    { "idnumber", 16, K_TEXT, SHOP_BX_INVOICE_NUMBER, 0 },
    { "title", 30, K_TEXT, SHOP_BX_TITLE, 0 },
    { "worktype", 9, K_TEXT, SHOP_BX_WORKTYPE, 0 },
    { "status", 11, K_TEXT, SHOP_BX_STATUS, 0 },
    { "emissiondate", 17, K_DATE, SHOP_BX_CREATED, 0 },
    { "lastactiondate", 17, K_DATE, SHOP_BX_MODIFIED, 0 },
    { "untaxedamount", 14, K_MONEY, SHOP_BX_UNTAXED, 0 },
    { "taxes", 12, K_MONEY, SHOP_BX_TAXES, 0 },
    { "amount", 14, K_MONEY, SHOP_BX_TAXED, 0 },
    { "items", 30, K_TEXT, SHOP_BX_CODES, 0 },
    { "itemnames", 45, K_TEXT, SHOP_BX_LABELS, 0 },
    { "firstname", 15, K_TEXT, SHOP_BX_FIRSTNAME, 0 },
    { "lastname", 15, K_TEXT, SHOP_BX_LASTNAME, 0 },
    { "address", 30, K_TEXT, SHOP_BX_ADDRESS, 0 },
    { "city", 16, K_TEXT, SHOP_BX_CITY, 0 },
    { "zip", 9, K_TEXT, SHOP_BX_ZIP, 0 },
    { "country", 8, K_TEXT, SHOP_BX_COUNTRY, 0 },
    { "email", 28, K_TEXT, SHOP_BX_EMAIL, 0 },
    { "hasaccount", 10, K_INT, SHOP_BX_USERID, 1 },
    { "username", 15, K_TEXT, SHOP_BX_USERNAME, 0 },
    { "institution", 20, K_TEXT, SHOP_BX_INSTITUTION, 0 },
    { "department", 20, K_TEXT, SHOP_BX_DEPARTMENT, 0 },
    { "currency", 9, K_TEXT, SHOP_BX_CURRENCY, 0 },
    { "paymode", 11, K_TEXT, SHOP_BX_PAYMODE, 0 },
    { "paid", 14, K_MONEY, SHOP_BX_PAID, 0 },
    { "topay", 14, K_MONEY, SHOP_BX_TO_PAY, 0 },
    { "invoicedate", 17, K_DATE, SHOP_BX_INVOICED, 0 },
    { "shop", 20, K_TEXT, SHOP_BX_SHOP, 0 },
    { NULL, 0, 0, 0, 0 }
};

static const column_t credit_columns[] = {
    { "number", 16, K_TEXT, SHOP_CX_NUMBER, 0 },
    { "date", 17, K_DATE, SHOP_CX_ISSUED, 0 },
    { "invoicenumber", 16, K_TEXT, SHOP_CX_INVOICE_NUMBER, 0 },
    { "transactionid", 26, K_TEXT, SHOP_CX_TRANSID, 0 },
    { "untaxedamount", 14, K_MONEY, SHOP_CX_UNTAXED, 0 },
    { "taxes", 12, K_MONEY, SHOP_CX_TAXES, 0 },
    { "amount", 14, K_MONEY, SHOP_CX_TAXED, 0 },
    { "currency", 9, K_TEXT, SHOP_CX_CURRENCY, 0 },
    { "reason", 40, K_TEXT, SHOP_CX_REASON, 0 },
    { NULL, 0, 0, 0, 0 }
};

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *date;
    lxw_format *money[SHOP_CURRENCY_MAX_EXPONENT + 1];
    lxw_error error;           /* the first failure of a write */
} book_t;

static void note(book_t *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->error == LXW_NO_ERROR) b->error = e;
}

static const char *const money_formats[SHOP_CURRENCY_MAX_EXPONENT + 1] = {
    "#,##0", "#,##0.0", "#,##0.00", "#,##0.000"
};

static int book_open(book_t *b, const char *path, const char *tmpdir)
{
    memset(b, 0, sizeof(*b));
    lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir };
    b->wb = workbook_new_opt(path, &options);
    if (!b->wb) return -1;
    b->bold = workbook_add_format(b->wb);
    format_set_bold(b->bold);
    b->date = workbook_add_format(b->wb);
    format_set_num_format(b->date, DATE_FORMAT);
    for (int e = 0; e <= SHOP_CURRENCY_MAX_EXPONENT; e++) {
        b->money[e] = workbook_add_format(b->wb);
        format_set_num_format(b->money[e], money_formats[e]);
    }
    return 0;
}

/* A sheet with its header row; in constant-memory mode column widths must
 * be set before the first row is written. */
static lxw_worksheet *sheet_open(book_t *b, const char *name, const column_t *cols)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws) {
        note(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    lxw_row_col_options hidden = { .hidden = 1 };
    for (lxw_col_t c = 0; cols[c].name; c++) {
        note(b, worksheet_set_column_opt(ws, c, c, cols[c].width, NULL, cols[c].hidden ? &hidden : NULL));
        note(b, worksheet_write_string(ws, 0, c, cols[c].name, b->bold));
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

static void sheet_close(book_t *b, lxw_worksheet *ws, const column_t *cols, apr_int64_t rows)
{
    lxw_col_t last = 0;
    while (cols[last + 1].name) last++;
    note(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, last));
}

static apr_int64_t i64(const char *s)
{
    char *end;
    apr_int64_t v = apr_strtoi64(s, &end, 10);
    return *end ? 0 : v;
}

/* Whole characters of at most CELL_MAX bytes: never more than Excel keeps. */
static const char *cell_text(apr_pool_t *pool, const char *s)
{
    return shop_utf8_clip(pool, s, CELL_MAX);
}

static void put(book_t *b, apr_pool_t *pool, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                const column_t *c, const char *v, int exponent)
{
    if (!v || !*v) return;
    switch (c->kind) {
    case K_TEXT:
        note(b, worksheet_write_string(ws, row, col, cell_text(pool, v), NULL));
        break;
    case K_INT:
        note(b, worksheet_write_number(ws, row, col, (double)i64(v), NULL));
        break;
    case K_MONEY: {
        static const double scale[SHOP_CURRENCY_MAX_EXPONENT + 1] = { 1, 10, 100, 1000 };
        /* the only floating-point step: the cell is a double whatever we do */
        note(b, worksheet_write_number(ws, row, col, (double)i64(v) / scale[exponent], b->money[exponent]));
        break;
    }
    case K_DATE: {
        apr_int64_t t = i64(v);
        apr_time_exp_t tm;
        if (t <= 0 || apr_time_exp_lt(&tm, apr_time_from_sec(t)) != APR_SUCCESS) return;
        lxw_datetime dt = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
        note(b, worksheet_write_datetime(ws, row, col, &dt, b->date));
        break;
    }
    }
}

static void put_row(book_t *b, apr_pool_t *pool, lxw_worksheet *ws, lxw_row_t row, const column_t *cols,
                    const shop_rows_t *rows, int r, int currency_col)
{
    const shop_currency_t *cur = shop_currency_get(shop_rows_str(rows, r, currency_col));
    int exponent = cur ? cur->exponent : 2;
    for (lxw_col_t c = 0; cols[c].name; c++)
        put(b, pool, ws, row, c, &cols[c], shop_rows_str(rows, r, cols[c].field), exponent);
}

/* ------------------------------------------------------------- export */

typedef int (*page_fn)(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t after, shop_rows_t **rows);

/* Every page of `next` into `ws`, each read into db->pool pointed at a
 * scratch pool cleared per page.  0, SHOP_XLSX_TOO_MANY or a MySQL errno
 * (message copied into `keep` as *why). */
static int stream(book_t *b, shop_db_t *db, lxw_worksheet *ws, const column_t *cols, page_fn next,
                  const shop_bill_export_filter_t *bf, int id_col, int currency_col, apr_int64_t *written,
                  apr_pool_t *keep, const char **why)
{
    apr_pool_t *outer = db->pool, *scratch;
    if (apr_pool_create(&scratch, outer) != APR_SUCCESS) {
        *why = "out of memory";
        return SHOP_XLSX_WRITE_ERROR;
    }
    db->pool = scratch;
    apr_int64_t after = 0, n = 0;
    int rv = 0;
    for (;;) {
        apr_pool_clear(scratch);
        shop_rows_t *rows;
        rv = next(db, bf, after, &rows);
        if (rv != 0) {
            *why = apr_pstrdup(keep, db->last_message ? db->last_message : "database error");
            break;
        }
        for (int r = 0; r < rows->nrows && b->error == LXW_NO_ERROR; r++) {
            if (++n > SHOP_MAX_EXPORT_ROWS) {
                rv = SHOP_XLSX_TOO_MANY;
                break;
            }
            put_row(b, scratch, ws, (lxw_row_t)n, cols, rows, r, currency_col);
            after = shop_rows_i64(rows, r, id_col, after);
        }
        if (rv != 0 || b->error != LXW_NO_ERROR || rows->nrows < SHOP_BILL_EXPORT_PAGE) break;
    }
    db->pool = outer;
    db->last_message = NULL;   /* it lived in the scratch pool */
    apr_pool_destroy(scratch);
    *written = n;
    return rv;
}

int shop_xlsx_export_bills(shop_db_t *db, const shop_xlsx_filter_t *f, const char *path, const char *tmpdir,
                           shop_xlsx_counts_t *counts, const char **why)
{
    apr_pool_t *pool = db->pool;
    shop_bill_export_filter_t bf;
    bill_filter(f, &bf);
    memset(counts, 0, sizeof(*counts));
    *why = NULL;

    /* refuse a too large export before writing anything */
    apr_int64_t matching = 0;
    int rv = shop_bill_export_count(db, &bf, &matching);
    if (rv != 0) {
        *why = db->last_message;
        return rv;
    }
    if (matching > SHOP_MAX_EXPORT_ROWS) {
        *why = apr_psprintf(pool, "%" APR_INT64_T_FMT " bills match, more than the %d one export may hold",
                            matching, SHOP_MAX_EXPORT_ROWS);
        return SHOP_XLSX_TOO_MANY;
    }

    book_t b;
    if (book_open(&b, path, tmpdir) != 0) {
        *why = apr_psprintf(pool, "cannot start a workbook at %s", path);
        return SHOP_XLSX_WRITE_ERROR;
    }
    /* the tabs in their order; in constant-memory mode each sheet streams to
     * its own temporary file, so the second can be written after the first */
    lxw_worksheet *bills = sheet_open(&b, "Bills", bill_columns);
    lxw_worksheet *credits = sheet_open(&b, "Credit notes", credit_columns);
    if (b.error == LXW_NO_ERROR)
        rv = stream(&b, db, bills, bill_columns, shop_bill_export_page, &bf, SHOP_BX_ID, SHOP_BX_CURRENCY,
                    &counts->bills, pool, why);
    if (rv == 0 && b.error == LXW_NO_ERROR)
        rv = stream(&b, db, credits, credit_columns, shop_bill_export_credit_page, &bf, SHOP_CX_ID,
                    SHOP_CX_CURRENCY, &counts->credit_notes, pool, why);
    if (rv == 0 && b.error == LXW_NO_ERROR) {
        sheet_close(&b, bills, bill_columns, counts->bills);
        sheet_close(&b, credits, credit_columns, counts->credit_notes);
    }
    if (rv != 0 || b.error != LXW_NO_ERROR) {
        /* close, not lxw_workbook_free: only close releases the sheets'
         * temporary files; what it wrote is removed just below */
        workbook_close(b.wb);
        if (rv == SHOP_XLSX_TOO_MANY)
            *why = apr_psprintf(pool, "more rows match than the %d one export may hold", SHOP_MAX_EXPORT_ROWS);
        else if (rv == 0) {
            *why = apr_pstrdup(pool, lxw_strerror(b.error));
            rv = SHOP_XLSX_WRITE_ERROR;
        }
        apr_file_remove(path, pool);
        return rv;
    }
    lxw_error e = workbook_close(b.wb);
    if (e != LXW_NO_ERROR) {
        *why = apr_pstrdup(pool, lxw_strerror(e));
        apr_file_remove(path, pool);
        return SHOP_XLSX_WRITE_ERROR;
    }
    return 0;
}
