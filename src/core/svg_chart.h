/*
 * svg_chart.h -- an accessible bar chart as inline SVG, for pages served
 * under the shop's CSP (no script, no external resource, no style
 * attribute: the look comes from classes styled by shop.css).
 *
 * Input: category labels (e.g. months) and one or more series of int64
 * values over them (e.g. revenue in minor units of one currency).  Bars of
 * a category are grouped side by side, series in order; the value axis
 * always includes 0, bars grow up from 0 (down for negative values).
 * Values are formatted by the caller's callback (amounts need the currency
 * and the language), for tick labels, each bar's tooltip and the
 * description.
 *
 * Output, for one chart:
 *   <svg xmlns=... class="chart" role="img" aria-labelledby="ID-title ID-desc"
 *        viewBox="0 0 W H" width="W" height="H">
 *     <title id="ID-title">TITLE</title>
 *     <desc id="ID-desc">DESC then "label: value; label: value..." per series</desc>
 *     <g class="grid">   one <line class="tick"> + <text class="tick-label"> per tick
 *     <g class="bars">   one <rect class="bar series-N"> per (category, series),
 *                        each with <title>label, series: value</title>
 *     <line class="axis"> the 0 baseline
 *     <g class="labels"> one <text class="x-label"> per category
 *     <text class="axis-title x|y"> the axis titles (when given)
 *     <g class="legend"> when there is more than one series
 *   </svg>
 * Every text of the caller is XML-escaped (& < > " ').  Coordinates are
 * integers computed with integer arithmetic (128-bit intermediates): no
 * floating point, no overflow for any int64 value.  Ticks: a "nice" step
 * (1, 2 or 5 times a power of ten, at least min_step) giving at most
 * SHOP_CHART_MAX_TICKS intervals.
 *
 * Limits: 1..SHOP_CHART_MAX_LABELS categories, 1..SHOP_CHART_MAX_SERIES
 * series, id made of [A-Za-z0-9_-] (1..32 bytes).  APR_EINVAL otherwise.
 * Memory: the result is allocated in p.  Pure and thread-safe.
 */
#ifndef SHOP_CORE_SVG_CHART_H
#define SHOP_CORE_SVG_CHART_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#define SHOP_CHART_MAX_LABELS   120
#define SHOP_CHART_MAX_SERIES   8
#define SHOP_CHART_MAX_TICKS    5

/* Text of a value (plain text, escaped by the chart); NULL gives the
 * decimal digits. */
typedef const char *(*shop_chart_format_fn)(apr_pool_t *p, apr_int64_t value, void *baton);

typedef struct shop_chart_series {
    const char *name;              /* legend and tooltips; may be NULL with one series */
    const apr_int64_t *values;     /* one per label */
} shop_chart_series_t;

typedef struct shop_chart {
    const char *id;                /* prefix of the title/desc ids, unique in the page */
    const char *title;             /* accessible name, required */
    const char *desc;              /* lead of the description, may be NULL */
    const char *x_title, *y_title; /* axis titles, may be NULL */
    const char *const *labels;     /* nlabels category labels */
    int nlabels;
    const shop_chart_series_t *series;
    int nseries;
    apr_int64_t min_step;          /* smallest tick step (100 = one euro in cents); <= 0 means 1 */
    shop_chart_format_fn format;
    void *baton;
} shop_chart_t;

/* The SVG of chart c in *out.  APR_SUCCESS, or APR_EINVAL for input out of
 * the limits above. */
apr_status_t shop_svg_bar_chart(apr_pool_t *p, const shop_chart_t *c, const char **out);

#endif /* SHOP_CORE_SVG_CHART_H */
