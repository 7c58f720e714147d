/* GET /admin/bills: bills by state with the count of each, filtered by
 * year, month, shop, customer and currency, searched by transid, invoice
 * number, customer name or e-mail, newest first, 30 a page; and the helpers
 * every back-office bill page shares (admin_bills.h).
 *
 * Year and month are those of the bill's creation in the server's local
 * time, as the XLSX export reads them, so the export link carries the same
 * filters and gives the same bills (the export has no customer or text
 * filter: the page says so).  A month without a year is one of this year.
 * A filter that does not read (a forged URL) shows the page with the
 * message next to the filter form, status 400. */
#include "web/admin_bills.h"
#include "web/admin_form.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>
#include <time.h>

#include "core/bill_state.h"
#include "core/currency.h"
#include "core/money.h"
#include "data/bill_admin_repo.h"

#define BILLS_PER_PAGE  30
#define YEARS_OFFERED   6        /* this year and the five before it */
#define YEAR_MIN        1970
#define YEAR_MAX        9999

/* ----------------------------------------------------------- helpers */

const char *shop_abill_money(shop_req_t *req, apr_int64_t minor, const char *currency)
{
    const shop_currency_t *cur = shop_currency_get(currency);
    if (!cur) return apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT " %s", minor, currency ? currency : "");
    return shop_money_pformat(req->r->pool, minor, cur, shop_req_lang(req));
}

const char *shop_abill_money_plain(apr_pool_t *p, apr_int64_t minor, const char *currency)
{
    const shop_currency_t *c = shop_currency_get(currency);
    char buf[SHOP_MONEY_TEXT_SIZE];
    if (!c || shop_money_format_plain(buf, sizeof(buf), minor, c->exponent) != APR_SUCCESS) return "";
    return apr_pstrdup(p, buf);
}

static const char *local_time(shop_req_t *req, apr_int64_t t, const char *fmt)
{
    if (t <= 0) return NULL;
    apr_time_exp_t tm;
    char buf[32];
    apr_size_t len = 0;
    if (apr_time_exp_lt(&tm, apr_time_from_sec(t)) != APR_SUCCESS
        || apr_strftime(buf, &len, sizeof(buf), fmt, &tm) != APR_SUCCESS)
        return NULL;
    return apr_pstrmemdup(req->r->pool, buf, len);
}

const char *shop_abill_day(shop_req_t *req, apr_int64_t t)
{
    return local_time(req, t, "%Y-%m-%d");
}

const char *shop_abill_datetime(shop_req_t *req, apr_int64_t t)
{
    return local_time(req, t, "%Y-%m-%d %H:%M");
}

apr_int64_t shop_abill_month_start(int year, int month)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900 + (month - 1) / 12;
    tm.tm_mon = (month - 1) % 12;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;       /* mktime knows daylight saving */
    return (apr_int64_t)mktime(&tm);
}

const char *shop_abill_state_label(shop_req_t *req, const char *status)
{
    shop_bill_status_t s;
    if (!status || shop_bill_status_parse(status, &s) != 0) return status ? status : "";
    char *key = apr_pstrcat(req->r->pool, "bo_state_", status, NULL);
    for (char *c = key; *c; c++) *c = (char)apr_tolower(*c);
    return shop_req_text(req, key);
}

const char *shop_abill_person(apr_pool_t *p, const char *first, const char *last, apr_int64_t id)
{
    int has_first = first && *first, has_last = last && *last;
    if (has_first || has_last)
        return apr_pstrcat(p, has_first ? first : "", has_first && has_last ? " " : "", has_last ? last : "", NULL);
    return id > 0 ? apr_psprintf(p, "#%" APR_INT64_T_FMT, id) : NULL;
}

int shop_abill_parse_day(const char *s, apr_int64_t *out)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return -1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !apr_isdigit(s[i])) return -1;
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31) return -1;
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    /* 31 February comes back as 3 March: not a real date */
    if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1) return -1;
    *out = (apr_int64_t)t;
    return 0;
}

/* -------------------------------------------------------------- list */

typedef struct filters {
    shop_bill_filter_t f;
    int year, month;
    const char *status, *shop, *customer, *currency, *q;
    const char *error_field, *error_key;
} filters_t;

static const char *param(shop_req_t *req, const char *name)
{
    const char *v = shop_req_param(req, name);
    if (!v) return "";
    while (apr_isspace(*v)) v++;
    apr_size_t n = strlen(v);
    while (n > 0 && apr_isspace(v[n - 1])) n--;
    return apr_pstrmemdup(req->r->pool, v, n);
}

static int all_digits(const char *s, apr_size_t max)
{
    apr_size_t n = strlen(s);
    if (n == 0 || n > max) return 0;
    for (; *s; s++)
        if (!apr_isdigit(*s)) return 0;
    return 1;
}

static void refuse(filters_t *fl, const char *field, const char *key)
{
    if (!fl->error_field) {
        fl->error_field = field;
        fl->error_key = key;
    }
}

/* Read the filters; a bad one is recorded and left out. */
static void read_filters(shop_req_t *req, filters_t *fl)
{
    memset(fl, 0, sizeof(*fl));
    fl->status = param(req, "status");
    fl->shop = param(req, "shop");
    fl->customer = param(req, "customer");
    fl->currency = param(req, "currency");
    fl->q = param(req, "q");
    const char *year = param(req, "year"), *month = param(req, "month");
    shop_bill_status_t st;
    if (*fl->status && shop_bill_status_parse(fl->status, &st) != 0) {
        refuse(fl, "status", "bo_error_filter_status");
        fl->status = "";
    }
    if (*year) {
        if (all_digits(year, 4) && atoi(year) >= YEAR_MIN && atoi(year) <= YEAR_MAX) fl->year = atoi(year);
        else refuse(fl, "year", "bo_error_filter_year");
    }
    if (*month) {
        if (all_digits(month, 2) && atoi(month) >= 1 && atoi(month) <= 12) fl->month = atoi(month);
        else refuse(fl, "month", "bo_error_filter_month");
    }
    if (fl->month && !fl->year) {
        apr_time_exp_t now;
        apr_time_exp_lt(&now, apr_time_from_sec(req->now));
        fl->year = now.tm_year + 1900;
    }
    if (*fl->shop && !(fl->f.shop_id = shop_parse_id(fl->shop))) {
        refuse(fl, "shop", "bo_error_filter_shop");
        fl->shop = "";
    }
    if (*fl->currency && !shop_currency_get(fl->currency)) {
        refuse(fl, "currency", "bo_error_filter_currency");
        fl->currency = "";
    }
    if (*fl->currency) fl->currency = shop_currency_get(fl->currency)->code;
    /* a number is a customer id, anything else part of a name or address */
    if (all_digits(fl->customer, 18)) {
        if (!(fl->f.customer_id = shop_parse_id(fl->customer))) {
            refuse(fl, "customer", "bo_error_filter_customer");
            fl->customer = "";
        }
    } else fl->f.customer_q = fl->customer;
    fl->f.status = fl->status;
    fl->f.currency = fl->currency;
    fl->f.q = fl->q;
    if (!fl->f.customer_q) fl->f.customer_q = "";
    if (fl->year) {
        fl->f.from = shop_abill_month_start(fl->year, fl->month ? fl->month : 1);
        fl->f.to = shop_abill_month_start(fl->year, fl->month ? fl->month + 1 : 13);
    }
}

/* "name=value&..." of the filters (without the state when !with_status). */
static const char *query(apr_pool_t *p, const filters_t *fl, int with_status)
{
    const char *q = "";
    struct { const char *name, *value; } kv[] = {
        { "status", with_status ? fl->status : "" },
        { "year", fl->year ? apr_itoa(p, fl->year) : "" }, { "month", fl->month ? apr_itoa(p, fl->month) : "" },
        { "shop", fl->f.shop_id ? fl->shop : "" }, { "currency", fl->currency },
        { "customer", fl->customer }, { "q", fl->q },
    };
    for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
        if (kv[i].value && *kv[i].value)
            q = apr_pstrcat(p, q, *q ? "&" : "", kv[i].name, "=", shop_url_escape(p, kv[i].value), NULL);
    return q;
}

static json_object *option(const char *value, const char *label, int selected)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "value", json_object_new_string(value));
    json_object_object_add(o, "label", json_object_new_string(label));
    if (selected) json_object_object_add(o, "selected", json_object_new_boolean(1));
    return o;
}

static json_object *tabs(shop_req_t *req, const filters_t *fl, const shop_rows_t *counts)
{
    apr_pool_t *p = req->r->pool;
    const char *base = query(p, fl, 0);
    json_object *a = json_object_new_array();
    apr_int64_t all = 0;
    for (int r = 0; r < counts->nrows; r++) all += shop_rows_i64(counts, r, 1, 0);
    for (int s = -1; s < SHOP_BS_COUNT; s++) {
        const char *name = s < 0 ? "" : shop_bill_status_name((shop_bill_status_t)s);
        apr_int64_t n = s < 0 ? all : 0;
        for (int r = 0; s >= 0 && r < counts->nrows; r++)
            if (!strcmp(shop_rows_str(counts, r, 0), name)) n = shop_rows_i64(counts, r, 1, 0);
        json_object *t = json_object_new_object();
        const char *qs = s < 0 ? base : apr_pstrcat(p, "status=", name, *base ? "&" : "", base, NULL);
        json_object_object_add(t, "status", json_object_new_string(name));
        json_object_object_add(t, "label", json_object_new_string(s < 0 ? shop_req_text(req, "bo_bills_all")
                                                                    : shop_abill_state_label(req, name)));
        json_object_object_add(t, "count", json_object_new_int64(n));
        json_object_object_add(t, "url", json_object_new_string(apr_pstrcat(p, req->conf->public_path, "/admin/bills",
                                                                            *qs ? "?" : "", qs, NULL)));
        if (!strcmp(fl->status, name)) json_object_object_add(t, "current", json_object_new_boolean(1));
        json_object_array_add(a, t);
    }
    return a;
}

static json_object *filter_options(shop_req_t *req, const filters_t *fl, shop_rows_t *shops, shop_rows_t *currencies)
{
    apr_pool_t *p = req->r->pool;
    json_object *o = json_object_new_object();
    apr_time_exp_t now;
    apr_time_exp_lt(&now, apr_time_from_sec(req->now));
    json_object *years = json_object_new_array();
    int this_year = now.tm_year + 1900, offered = 0;
    for (int y = this_year; y > this_year - YEARS_OFFERED; y--) {
        json_object_array_add(years, option(apr_itoa(p, y), apr_itoa(p, y), fl->year == y));
        offered |= fl->year == y;
    }
    if (fl->year && !offered) json_object_array_add(years, option(apr_itoa(p, fl->year), apr_itoa(p, fl->year), 1));
    json_object_object_add(o, "years", years);
    json_object *months = json_object_new_array();
    for (int m = 1; m <= 12; m++)
        json_object_array_add(months, option(apr_itoa(p, m), shop_req_text(req, apr_psprintf(p, "bo_month_%d", m)),
                                             fl->month == m));
    json_object_object_add(o, "months", months);
    json_object *sh = json_object_new_array();
    for (int r = 0; r < shops->nrows; r++)
        json_object_array_add(sh, option(shop_rows_str(shops, r, 0), shop_rows_str(shops, r, 1),
                                         fl->f.shop_id == shop_rows_i64(shops, r, 0, 0)));
    json_object_object_add(o, "shops", sh);
    json_object *cu = json_object_new_array();
    for (int r = 0; r < currencies->nrows; r++) {
        const char *c = shop_rows_str(currencies, r, 0);
        json_object_array_add(cu, option(c, c, !strcmp(fl->currency, c)));
    }
    json_object_object_add(o, "currencies", cu);
    json_object_object_add(o, "customer", json_object_new_string(fl->customer));
    json_object_object_add(o, "q", json_object_new_string(fl->q));
    json_object_object_add(o, "status", json_object_new_string(fl->status));
    if (*fl->customer || *fl->q) json_object_object_add(o, "export_partial", json_object_new_boolean(1));
    return o;
}

static json_object *bill_rows(shop_req_t *req, const shop_rows_t *rows)
{
    apr_pool_t *p = req->r->pool;
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *b = json_object_new_object();
        apr_int64_t id = shop_rows_i64(rows, r, BA_L_ID, 0), customer = shop_rows_i64(rows, r, BA_L_CUSTOMER_ID, 0);
        const char *cur = shop_rows_str(rows, r, BA_L_CURRENCY), *status = shop_rows_str(rows, r, BA_L_STATUS);
        json_object_object_add(b, "id", json_object_new_int64(id));
        json_object_object_add(b, "order_number", json_object_new_string(
            shop_order_number(p, id, shop_rows_i64(rows, r, BA_L_CREATED, 0))));
        json_object_object_add(b, "transid", shop_json_string_or_null(shop_rows_str(rows, r, BA_L_TRANSID)));
        json_object_object_add(b, "date", shop_json_string_or_null(
            shop_abill_datetime(req, shop_rows_i64(rows, r, BA_L_CREATED, 0))));
        if (customer) {
            json_object_object_add(b, "customer_id", json_object_new_int64(customer));
            json_object_object_add(b, "customer", shop_json_string_or_null(shop_abill_person(
                p, shop_rows_str(rows, r, BA_L_FIRSTNAME), shop_rows_str(rows, r, BA_L_LASTNAME), customer)));
            json_object_object_add(b, "email", shop_json_string_or_null(shop_rows_str(rows, r, BA_L_EMAIL)));
        }
        json_object_object_add(b, "title", shop_json_string_or_null(shop_rows_str(rows, r, BA_L_TITLE)));
        json_object_object_add(b, "status", shop_json_string_or_null(status));
        json_object_object_add(b, "status_label", json_object_new_string(shop_abill_state_label(req, status)));
        json_object_object_add(b, "to_pay", json_object_new_string(
            shop_abill_money(req, shop_rows_i64(rows, r, BA_L_TO_PAY, 0), cur)));
        json_object_object_add(b, "paid", json_object_new_string(
            shop_abill_money(req, shop_rows_i64(rows, r, BA_L_PAID, 0), cur)));
        json_object_object_add(b, "invoice", shop_json_string_or_null(shop_rows_str(rows, r, BA_L_INVOICE)));
        json_object_array_add(a, b);
    }
    return a;
}

int shop_page_admin_bills(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    apr_pool_t *p = req->r->pool;
    filters_t fl;
    read_filters(req, &fl);
    shop_rows_t *counts, *rows = NULL, *shops, *currencies;
    if (shop_bill_admin_status_counts(db, &fl.f, &counts) != 0 || shop_bill_admin_shops(db, &shops) != 0
        || shop_bill_admin_currencies(db, &currencies) != 0)
        return shop_render_unavailable(req);
    apr_int64_t total = 0;
    for (int r = 0; r < counts->nrows; r++)
        if (!*fl.status || !strcmp(shop_rows_str(counts, r, 0), fl.status)) total += shop_rows_i64(counts, r, 1, 0);
    shop_pager_t pg = shop_pager_make(req, total, BILLS_PER_PAGE);
    if (shop_bill_admin_list(db, &fl.f, pg.per_page, pg.offset, &rows) != 0) return shop_render_unavailable(req);

    json_object *data = json_object_new_object();
    json_object_object_add(data, "tabs", tabs(req, &fl, counts));
    json_object_object_add(data, "filters", filter_options(req, &fl, shops, currencies));
    json_object_object_add(data, "bills", bill_rows(req, rows));
    if (!rows->nrows) json_object_object_add(data, "empty", json_object_new_boolean(1));
    json_object_object_add(data, "total", json_object_new_int64(total));
    json_object_object_add(data, "pager", shop_pager_json(req, &pg, "/admin/bills", query(p, &fl, 1)));
    const char *xq = apr_pstrcat(p, "status=", fl.status, "&year=", fl.year ? apr_itoa(p, fl.year) : "",
                                 "&month=", fl.month ? apr_itoa(p, fl.month) : "", "&shop=",
                                 fl.f.shop_id ? fl.shop : "", "&currency=", fl.currency, NULL);
    json_object_object_add(data, "export_url", json_object_new_string(
        apr_pstrcat(p, req->conf->public_path, "/admin/bills/export?", xq, NULL)));
    if (fl.error_field) {
        json_object_object_add(data, "filter_error", json_object_new_string(shop_req_text(req, fl.error_key)));
        json_object_object_add(data, "filter_error_field", json_object_new_string(fl.error_field));
    }
    return shop_render_page(req, fl.error_field ? HTTP_BAD_REQUEST : HTTP_OK, "admin/bills", data);
}
