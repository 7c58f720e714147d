/* GET /admin/dashboard: revenue per month over the last 12 months (paid
 * bills -- SOLDOUT, COMPLETE, PAYBACK -- by month of payment, local time,
 * taxed amount to pay, one series per currency) as an inline SVG bar chart
 * (core/svg_chart.h) and the same numbers in a table; bills per state; the
 * ten products sold most, by quantity and by revenue, from the PRODUCT
 * lines of the bills paid over the same months.  No script: the page
 * passes the shop's CSP as it is. */
#include "web/admin_bills.h"
#include "web/render.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>

#include "core/bill_state.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/svg_chart.h"
#include "data/bill_admin_repo.h"

#define MAX_CURRENCIES  SHOP_CHART_MAX_SERIES

typedef struct series {
    const char *currency;
    apr_int64_t sums[SHOP_DASH_MONTHS];
    apr_int64_t bills[SHOP_DASH_MONTHS];
} series_t;

typedef struct fmt_baton {
    const shop_currency_t *cur;
    const char *lang;
} fmt_baton_t;

static const char *format_amount(apr_pool_t *p, apr_int64_t v, void *baton)
{
    const fmt_baton_t *b = baton;
    return shop_money_pformat(p, v, b->cur, b->lang);
}

/* The 13 month starts: 11 months back from this one, to the next. */
static void month_bounds(shop_req_t *req, apr_int64_t bounds[SHOP_DASH_MONTHS + 1], int years[SHOP_DASH_MONTHS],
                         int months[SHOP_DASH_MONTHS])
{
    apr_time_exp_t now;
    apr_time_exp_lt(&now, apr_time_from_sec(req->now));
    int y = now.tm_year + 1900, m = now.tm_mon + 1 - (SHOP_DASH_MONTHS - 1);
    while (m < 1) {
        m += 12;
        y--;
    }
    for (int i = 0; i <= SHOP_DASH_MONTHS; i++) {
        bounds[i] = shop_abill_month_start(y, m);
        if (i < SHOP_DASH_MONTHS) {
            years[i] = y;
            months[i] = m;
        }
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
}

static json_object *revenue(shop_req_t *req, const shop_rows_t *rows, const int *years, const int *months)
{
    apr_pool_t *p = req->r->pool;
    series_t *s = apr_pcalloc(p, sizeof(series_t) * MAX_CURRENCIES);
    int ns = 0;
    for (int r = 0; r < rows->nrows; r++) {
        const char *cur = shop_rows_str(rows, r, BA_V_CURRENCY);
        apr_int64_t m = shop_rows_i64(rows, r, BA_V_MONTH, 0);
        if (!cur || m < 1 || m > SHOP_DASH_MONTHS) continue;
        int k = 0;
        while (k < ns && strcmp(s[k].currency, cur)) k++;
        if (k == ns) {
            if (ns == MAX_CURRENCIES) continue;
            s[ns++].currency = cur;
        }
        s[k].sums[m - 1] = shop_rows_i64(rows, r, BA_V_SUM, 0);
        s[k].bills[m - 1] = shop_rows_i64(rows, r, BA_V_BILLS, 0);
    }
    json_object *out = json_object_new_object();
    const char **labels = apr_pcalloc(p, sizeof(char *) * SHOP_DASH_MONTHS);
    json_object *months_a = json_object_new_array();
    for (int i = 0; i < SHOP_DASH_MONTHS; i++) {
        labels[i] = apr_psprintf(p, "%04d-%02d", years[i], months[i]);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "label", json_object_new_string(apr_psprintf(
            p, "%s %d", shop_req_text(req, apr_psprintf(p, "bo_month_%d", months[i])), years[i])));
        json_object_object_add(o, "key", json_object_new_string(labels[i]));
        json_object *cells = json_object_new_array();
        for (int k = 0; k < ns; k++) {
            json_object *c = json_object_new_object();
            json_object_object_add(c, "amount", json_object_new_string(shop_abill_money(req, s[k].sums[i], s[k].currency)));
            json_object_object_add(c, "minor", json_object_new_int64(s[k].sums[i]));
            json_object_object_add(c, "bills", json_object_new_int64(s[k].bills[i]));
            json_object_array_add(cells, c);
        }
        json_object_object_add(o, "cells", cells);
        json_object_array_add(months_a, o);
    }
    json_object *charts = json_object_new_array(), *curs = json_object_new_array();
    for (int k = 0; k < ns; k++) {
        const shop_currency_t *cur = shop_currency_get(s[k].currency);
        fmt_baton_t fb = { cur, shop_req_lang(req) };
        shop_chart_series_t ser = { s[k].currency, s[k].sums };
        apr_int64_t step = 1;
        for (int e = 0; cur && e < cur->exponent; e++) step *= 10;
        shop_chart_t c = {
            apr_pstrcat(p, "revenue-", s[k].currency, NULL),
            apr_psprintf(p, "%s (%s)", shop_req_text(req, "bo_dash_revenue"), s[k].currency),
            shop_req_text(req, "bo_dash_revenue_desc"), shop_req_text(req, "bo_dash_month"),
            apr_psprintf(p, "%s (%s)", shop_req_text(req, "bo_dash_amount"), s[k].currency),
            labels, SHOP_DASH_MONTHS, &ser, 1, step, cur ? format_amount : NULL, &fb
        };
        const char *svg = NULL;
        if (shop_svg_bar_chart(p, &c, &svg) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2520) "dashboard: cannot draw the %s chart",
                          s[k].currency);
            continue;
        }
        json_object *o = json_object_new_object();
        json_object_object_add(o, "currency", json_object_new_string(s[k].currency));
        json_object_object_add(o, "svg", json_object_new_string(svg));
        json_object_array_add(charts, o);
        json_object_array_add(curs, json_object_new_string(s[k].currency));
    }
    json_object_object_add(out, "months", months_a);
    json_object_object_add(out, "charts", charts);
    json_object_object_add(out, "currencies", curs);
    if (ns) json_object_object_add(out, "has_data", json_object_new_boolean(1));
    return out;
}

static json_object *per_state(shop_req_t *req, const shop_rows_t *rows)
{
    json_object *a = json_object_new_array();
    apr_int64_t total = 0;
    for (int s = 0; s < SHOP_BS_COUNT; s++) {
        const char *name = shop_bill_status_name((shop_bill_status_t)s);
        apr_int64_t n = 0;
        for (int r = 0; r < rows->nrows; r++)
            if (!strcmp(shop_rows_str(rows, r, 0), name)) n = shop_rows_i64(rows, r, 1, 0);
        total += n;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "status", json_object_new_string(name));
        json_object_object_add(o, "label", json_object_new_string(shop_abill_state_label(req, name)));
        json_object_object_add(o, "count", json_object_new_int64(n));
        json_object_array_add(a, o);
    }
    json_object *out = json_object_new_object();
    json_object_object_add(out, "states", a);
    json_object_object_add(out, "total", json_object_new_int64(total));
    return out;
}

/* One top list: the rows ranked 1..SHOP_DASH_TOP in rank_col, in that order. */
static json_object *top(shop_req_t *req, const shop_rows_t *rows, int rank_col)
{
    int at[SHOP_DASH_TOP];
    for (int i = 0; i < SHOP_DASH_TOP; i++) at[i] = -1;
    for (int r = 0; r < rows->nrows; r++) {
        apr_int64_t rank = shop_rows_i64(rows, r, rank_col, 0);
        if (rank >= 1 && rank <= SHOP_DASH_TOP) at[rank - 1] = r;
    }
    json_object *a = json_object_new_array();
    for (int i = 0; i < SHOP_DASH_TOP; i++) {
        int r = at[i];
        if (r < 0) break;          /* fewer products than that */
        json_object *o = json_object_new_object();
        json_object_object_add(o, "rank", json_object_new_int(i + 1));
        json_object_object_add(o, "code", json_object_new_string(shop_rows_str(rows, r, BA_T_CODE)));
        json_object_object_add(o, "label", json_object_new_string(shop_rows_str(rows, r, BA_T_LABEL)));
        json_object_object_add(o, "quantity", json_object_new_int64(shop_rows_i64(rows, r, BA_T_QUANTITY, 0)));
        json_object_object_add(o, "revenue", json_object_new_string(shop_abill_money(
            req, shop_rows_i64(rows, r, BA_T_REVENUE, 0), shop_rows_str(rows, r, BA_T_CURRENCY))));
        json_object_array_add(a, o);
    }
    return a;
}

int shop_page_admin_dashboard(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    apr_int64_t bounds[SHOP_DASH_MONTHS + 1];
    int years[SHOP_DASH_MONTHS], months[SHOP_DASH_MONTHS];
    month_bounds(req, bounds, years, months);
    shop_rows_t *rev, *states, *tops;
    if (shop_bill_admin_revenue(db, bounds, &rev) != 0 || shop_bill_admin_state_totals(db, &states) != 0
        || shop_bill_admin_top_products(db, bounds[0], bounds[SHOP_DASH_MONTHS], &tops) != 0)
        return shop_render_unavailable(req);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "revenue", revenue(req, rev, years, months));
    json_object_object_add(data, "bills", per_state(req, states));
    json_object_object_add(data, "top_quantity", top(req, tops, BA_T_RANK_QUANTITY));
    json_object_object_add(data, "top_revenue", top(req, tops, BA_T_RANK_REVENUE));
    json_object_object_add(data, "period", json_object_new_string(apr_psprintf(req->r->pool, "%s – %s",
        shop_abill_day(req, bounds[0]), shop_abill_day(req, bounds[SHOP_DASH_MONTHS] - 1))));
    return shop_render_page(req, HTTP_OK, "admin/dashboard", data);
}
