/* Unit tests for src/core/svg_chart.c: accessible SVG bar charts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/svg_chart.h"

#include "unit_pool.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle)) n++;
    return n;
}

static const char *euros(apr_pool_t *p, apr_int64_t v, void *baton)
{
    (void)baton;
    return apr_psprintf(p, "%s€%" APR_INT64_T_FMT ".%02" APR_INT64_T_FMT, v < 0 ? "-" : "",
                        (v < 0 ? -v : v) / 100, (v < 0 ? -v : v) % 100);
}

static const char *const MONTHS[] = { "Jan", "Feb", "Mar" };

/* The y coordinate and height of bar number n (0-based). */
static void bar_geometry(const char *svg, int n, int *y, int *h)
{
    const char *s = strstr(svg, "<rect class=\"bar");
    for (int i = 0; i < n && s; i++) s = strstr(s + 1, "<rect class=\"bar");
    assert_non_null(s);
    const char *ys = strstr(s, " y=\""), *hs = strstr(s, " height=\"");
    assert_non_null(ys);
    assert_non_null(hs);
    *y = atoi(ys + 4);
    *h = atoi(hs + 9);
}

static void test_structure(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t v[] = { 150000, 0, 75000 };
    shop_chart_series_t s = { "EUR", v };
    shop_chart_t c = { "rev", "Revenue per month", "Paid bills, taxed.", "Month", "Revenue", MONTHS, 3, &s, 1,
                       100, euros, NULL };
    const char *svg;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""
                        " aria-labelledby=\"rev-title rev-desc\"", 96) == 0);
    assert_non_null(strstr(svg, "<title id=\"rev-title\">Revenue per month</title>"));
    assert_non_null(strstr(svg, "<desc id=\"rev-desc\">Paid bills, taxed. EUR: Jan €1500.00; Feb €0.00; Mar €750.00.</desc>"));
    assert_int_equal(count(svg, "<rect class=\"bar series-0\""), 3);
    assert_int_equal(count(svg, "class=\"x-label\""), 3);
    assert_non_null(strstr(svg, "<title>Jan, EUR: €1500.00</title>"));
    assert_non_null(strstr(svg, "class=\"axis-title x\""));
    assert_non_null(strstr(svg, "class=\"axis-title y\""));
    assert_null(strstr(svg, "class=\"legend\""));      /* one series: no legend */
    assert_null(strstr(svg, "style="));
    assert_null(strstr(svg, "<script"));
    assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
    /* ticks: step 500.00 (1500.00 / 5 = 300.00 -> 500.00), 0 .. 1500.00 */
    assert_int_equal(count(svg, "class=\"tick\""), 4);
    assert_non_null(strstr(svg, ">€500.00</text>"));
    assert_non_null(strstr(svg, ">€1500.00</text>"));
}

static void test_bar_heights_proportional(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t v[] = { 1000, 0, 500 };
    shop_chart_series_t s = { NULL, v };
    shop_chart_t c = { "c", "T", NULL, NULL, NULL, MONTHS, 3, &s, 1, 1, NULL, NULL };
    const char *svg;
    int y0, h0, y1, h1, y2, h2;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    bar_geometry(svg, 0, &y0, &h0);
    bar_geometry(svg, 1, &y1, &h1);
    bar_geometry(svg, 2, &y2, &h2);
    assert_int_equal(h1, 0);
    assert_true(h0 > 0);
    assert_int_equal(h2 * 2, h0);          /* 500 is half of 1000 (top tick 1000) */
    assert_int_equal(y0 + h0, y2 + h2);    /* both stand on the baseline */
    assert_int_equal(y1, y0 + h0);
    /* no series name: the tooltip is "label: value" with plain digits */
    assert_non_null(strstr(svg, "<title>Mar: 500</title>"));
}

static void test_negative_values_hang_below(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t v[] = { 400, -200, 0 };
    shop_chart_series_t s = { NULL, v };
    shop_chart_t c = { "neg", "T", NULL, NULL, NULL, MONTHS, 3, &s, 1, 1, NULL, NULL };
    const char *svg;
    int y0, h0, y1, h1;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    bar_geometry(svg, 0, &y0, &h0);
    bar_geometry(svg, 1, &y1, &h1);
    assert_int_equal(y1, y0 + h0);          /* the negative bar starts at the baseline */
    assert_true(h1 * 2 - h0 <= 2 && h0 - h1 * 2 <= 2);   /* whole pixels */
    assert_non_null(strstr(svg, ">-200</text>"));
}

static void test_escaping(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t v[] = { 1 };
    const char *labels[] = { "<script>alert('x')</script>" };
    shop_chart_series_t s = { "A&B \"q\"", v };
    shop_chart_t c = { "x", "<b>title</b>", "d<e>", NULL, "y&", labels, 1, &s, 1, 0, NULL, NULL };
    const char *svg;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "<b>"));
    assert_non_null(strstr(svg, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(svg, "A&amp;B &quot;q&quot;"));
    assert_non_null(strstr(svg, "&lt;b&gt;title&lt;/b&gt;"));
    assert_non_null(strstr(svg, ">y&amp;</text>"));
}

static void test_several_series_and_legend(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t a[] = { 10, 20, 30 }, b[] = { 5, 5, 5 };
    shop_chart_series_t s[] = { { "EUR", a }, { "CHF", b } };
    shop_chart_t c = { "two", "T", NULL, NULL, NULL, MONTHS, 3, s, 2, 1, NULL, NULL };
    const char *svg;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    assert_int_equal(count(svg, "<rect class=\"bar series-0\""), 3 + 1);   /* bars + legend swatch */
    assert_int_equal(count(svg, "<rect class=\"bar series-1\""), 3 + 1);
    assert_non_null(strstr(svg, "<g class=\"legend\">"));
    assert_non_null(strstr(svg, "<title>Feb, CHF: 5</title>"));
}

static void test_all_zero_and_extremes(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t z[] = { 0, 0, 0 };
    shop_chart_series_t s = { NULL, z };
    shop_chart_t c = { "z", "T", NULL, NULL, NULL, MONTHS, 3, &s, 1, 100, NULL, NULL };
    const char *svg;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    assert_int_equal(count(svg, "height=\"0\">"), 3);
    assert_non_null(strstr(svg, ">100</text>"));            /* one min_step above 0 */

    apr_int64_t big[] = { INT64_MAX, INT64_MIN, 1 };
    shop_chart_series_t sb = { NULL, big };
    c.series = &sb;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
    int y0, h0, y1, h1;
    bar_geometry(svg, 0, &y0, &h0);
    bar_geometry(svg, 1, &y1, &h1);
    assert_true(h0 > 0 && h1 > 0);
    assert_true(h0 <= 220 && h1 <= 220);
    assert_int_equal(y1, y0 + h0);
}

static void test_refusals(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t v[] = { 1, 2, 3 };
    shop_chart_series_t s = { NULL, v };
    shop_chart_t c = { "ok", "T", NULL, NULL, NULL, MONTHS, 3, &s, 1, 1, NULL, NULL };
    const char *svg = NULL;
    c.id = "bad id";
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.id = "";
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.id = "a\"b";
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.id = "ok";
    c.title = NULL;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.title = "T";
    c.nlabels = 0;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.nlabels = SHOP_CHART_MAX_LABELS + 1;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.nlabels = 3;
    c.nseries = 0;
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_EINVAL);
    c.nseries = 1;
    assert_int_equal(shop_svg_bar_chart(p, NULL, &svg), APR_EINVAL);
    assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
}

static void test_ticks_never_exceed_max(void **state)
{
    apr_pool_t *p = *state;
    apr_int64_t samples[] = { 1, 7, 99, 101, 999, 1001, 123456, 999999, 1000001, 2500000, 123456789012LL };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        apr_int64_t v[] = { samples[i], -samples[i] / 3, samples[i] / 2 };
        shop_chart_series_t s = { NULL, v };
        shop_chart_t c = { "t", "T", NULL, NULL, NULL, MONTHS, 3, &s, 1, 1, NULL, NULL };
        const char *svg;
        assert_int_equal(shop_svg_bar_chart(p, &c, &svg), APR_SUCCESS);
        int ticks = count(svg, "class=\"tick\"");
        assert_true(ticks >= 2 && ticks <= SHOP_CHART_MAX_TICKS + 1);
        /* every bar fits the plot */
        for (int b = 0; b < 3; b++) {
            int y, h;
            bar_geometry(svg, b, &y, &h);
            assert_true(y >= 16 && y + h <= 16 + 220);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_heights_proportional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negative_values_hang_below, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_several_series_and_legend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_zero_and_extremes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ticks_never_exceed_max, setup, teardown),
    };
    apr_initialize();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
