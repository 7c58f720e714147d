/* Accessible SVG bar charts: see svg_chart.h. */
#include "core/svg_chart.h"
#include "core/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>

#define PLOT_HEIGHT     220
#define MARGIN_TOP      16
#define MARGIN_RIGHT    16
#define MARGIN_LEFT     96      /* room for tick labels such as "€12,345.00" */
#define MARGIN_BOTTOM   40      /* category labels */
#define AXIS_TITLE_ROOM 22
#define LEGEND_ROOM     26
#define BAR_WIDTH_ONE   36      /* a lone series */
#define BAR_WIDTH_MANY  18
#define GROUP_GAP       20
#define ID_MAX          32

typedef __int128 wide_t;

typedef struct out {
    apr_pool_t *p;
    apr_array_header_t *parts;
} out_t;

static void put(out_t *o, const char *s)
{
    *(const char **)apr_array_push(o->parts) = s;
}

static void putf(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out_t *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put(o, apr_pvsprintf(o->p, fmt, ap));
    va_end(ap);
}

/* XML text and attribute values alike: the five characters {{x}} escapes. */
static const char *esc(apr_pool_t *p, const char *s)
{
    return s ? shop_tpl_escape_html(p, s, strlen(s)) : "";
}

static const char *value_text(const shop_chart_t *c, apr_pool_t *p, apr_int64_t v)
{
    const char *t = c->format ? c->format(p, v, c->baton) : NULL;
    return esc(p, t ? t : apr_psprintf(p, "%" APR_INT64_T_FMT, v));
}

static int id_ok(const char *id)
{
    apr_size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > ID_MAX) return 0;
    for (; *id; id++)
        if (!(apr_isalnum(*id) || *id == '_' || *id == '-')) return 0;
    return 1;
}

/* Floor and ceiling division for a positive divisor. */
static wide_t floor_div(wide_t a, wide_t b)
{
    wide_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static wide_t ceil_div(wide_t a, wide_t b)
{
    wide_t q = a / b;
    return (a % b != 0 && a > 0) ? q + 1 : q;
}

/* The smallest 1, 2 or 5 times a power of ten that is >= want. */
static wide_t nice_step(wide_t want)
{
    wide_t pow = 1;
    for (;;) {
        if (pow >= want) return pow;
        if (2 * pow >= want) return 2 * pow;
        if (5 * pow >= want) return 5 * pow;
        pow *= 10;
    }
}

typedef struct scale {
    wide_t low, high, step;   /* tick range: multiples of step, low <= 0 <= high */
    int top, height;          /* pixels */
} scale_t;

static int y_of(const scale_t *s, wide_t v)
{
    return s->top + (int)((s->high - v) * s->height / (s->high - s->low));
}

static scale_t make_scale(const shop_chart_t *c, int top)
{
    wide_t lo = 0, hi = 0;
    for (int k = 0; k < c->nseries; k++)
        for (int i = 0; i < c->nlabels; i++) {
            wide_t v = c->series[k].values[i];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
    wide_t min_step = c->min_step > 0 ? c->min_step : 1;
    if (hi == lo) hi = min_step;
    wide_t want = ceil_div(hi - lo, SHOP_CHART_MAX_TICKS);
    scale_t s;
    s.step = nice_step(want > min_step ? want : min_step);
    s.low = floor_div(lo, s.step) * s.step;
    s.high = ceil_div(hi, s.step) * s.step;
    /* rounding both ends may add one interval too many: widen the step */
    while ((s.high - s.low) / s.step > SHOP_CHART_MAX_TICKS) {
        s.step = nice_step(s.step + 1);
        s.low = floor_div(lo, s.step) * s.step;
        s.high = ceil_div(hi, s.step) * s.step;
    }
    s.top = top;
    s.height = PLOT_HEIGHT;
    return s;
}

static void description(out_t *o, const shop_chart_t *c)
{
    apr_pool_t *p = o->p;
    if (c->desc) putf(o, "%s ", esc(p, c->desc));
    for (int k = 0; k < c->nseries; k++) {
        if (c->series[k].name) putf(o, "%s%s: ", k ? " " : "", esc(p, c->series[k].name));
        for (int i = 0; i < c->nlabels; i++)
            putf(o, "%s %s%s", esc(p, c->labels[i]), value_text(c, p, c->series[k].values[i]),
                 i + 1 < c->nlabels ? "; " : ".");
    }
}

apr_status_t shop_svg_bar_chart(apr_pool_t *p, const shop_chart_t *c, const char **out)
{
    if (!c || !out || !id_ok(c->id) || !c->title || !c->labels || !c->series || c->nlabels < 1
        || c->nlabels > SHOP_CHART_MAX_LABELS || c->nseries < 1 || c->nseries > SHOP_CHART_MAX_SERIES)
        return APR_EINVAL;
    for (int i = 0; i < c->nlabels; i++)
        if (!c->labels[i]) return APR_EINVAL;
    for (int k = 0; k < c->nseries; k++)
        if (!c->series[k].values) return APR_EINVAL;

    out_t o = { p, apr_array_make(p, 64 + 4 * c->nlabels * c->nseries, sizeof(const char *)) };
    int bar_w = c->nseries == 1 ? BAR_WIDTH_ONE : BAR_WIDTH_MANY;
    int group_w = bar_w * c->nseries + GROUP_GAP;
    int left = MARGIN_LEFT + (c->y_title ? AXIS_TITLE_ROOM : 0);
    int plot_w = group_w * c->nlabels;
    int legend = c->nseries > 1 ? LEGEND_ROOM : 0;
    int width = left + plot_w + MARGIN_RIGHT;
    int height = MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM + (c->x_title ? AXIS_TITLE_ROOM : 0) + legend;
    scale_t s = make_scale(c, MARGIN_TOP);
    const char *id = c->id;

    putf(&o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""
         " aria-labelledby=\"%s-title %s-desc\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">",
         id, id, width, height, width, height);
    putf(&o, "<title id=\"%s-title\">%s</title><desc id=\"%s-desc\">", id, esc(p, c->title), id);
    description(&o, c);
    put(&o, "</desc>");

    put(&o, "<g class=\"grid\">");
    for (wide_t t = s.low; t <= s.high; t += s.step) {
        int y = y_of(&s, t);
        putf(&o, "<line class=\"tick\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", left, y, left + plot_w, y);
        /* a tick beyond the int64 range (rounded up from a huge value) has no text */
        if (t >= INT64_MIN && t <= INT64_MAX)
            putf(&o, "<text class=\"tick-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6, y + 4,
                 value_text(c, p, (apr_int64_t)t));
    }
    put(&o, "</g><g class=\"bars\">");
    int zero = y_of(&s, 0);
    for (int i = 0; i < c->nlabels; i++) {
        int x = left + i * group_w + GROUP_GAP / 2;
        for (int k = 0; k < c->nseries; k++) {
            apr_int64_t v = c->series[k].values[i];
            int y = y_of(&s, v);
            int top = y < zero ? y : zero, h = y < zero ? zero - y : y - zero;
            const char *name = c->series[k].name;
            putf(&o, "<rect class=\"bar series-%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
                 "<title>%s%s%s: %s</title></rect>", k, x + k * bar_w, top, bar_w, h, esc(p, c->labels[i]),
                 name ? ", " : "", name ? esc(p, name) : "", value_text(c, p, v));
        }
    }
    putf(&o, "</g><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", left, zero, left + plot_w, zero);
    put(&o, "<g class=\"labels\">");
    int label_y = MARGIN_TOP + PLOT_HEIGHT + 18;
    for (int i = 0; i < c->nlabels; i++)
        putf(&o, "<text class=\"x-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
             left + i * group_w + group_w / 2, label_y, esc(p, c->labels[i]));
    put(&o, "</g>");
    if (c->x_title)
        putf(&o, "<text class=\"axis-title x\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
             left + plot_w / 2, label_y + AXIS_TITLE_ROOM + 4, esc(p, c->x_title));
    if (c->y_title) {
        int cx = 14, cy = MARGIN_TOP + PLOT_HEIGHT / 2;
        putf(&o, "<text class=\"axis-title y\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
             "%s</text>", cx, cy, cx, cy, esc(p, c->y_title));
    }
    if (legend) {
        int ly = height - LEGEND_ROOM + 8, lx = left;
        put(&o, "<g class=\"legend\">");
        for (int k = 0; k < c->nseries; k++) {
            const char *name = c->series[k].name ? c->series[k].name : "";
            putf(&o, "<rect class=\"bar series-%d\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/>"
                 "<text class=\"legend-label\" x=\"%d\" y=\"%d\">%s</text>", k, lx, ly, lx + 16, ly + 11, esc(p, name));
            lx += 16 + 8 * (int)strlen(name) + 24;
        }
        put(&o, "</g>");
    }
    put(&o, "</svg>");
    *out = apr_array_pstrcat(p, o.parts, 0);
    return APR_SUCCESS;
}
