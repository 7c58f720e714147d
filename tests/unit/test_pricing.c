/* Unit tests for src/core/pricing.c and pricing_discount.c: product lines
 * (tiers, per-line tax rounding in JPY/EUR/TND), the ten discount types,
 * the four operators, scopes, caps, amount discounts, the per-rate spread of
 * a bill discount, local_shop's per-unit discount tax defect (§11.3 #5)
 * fixed, shipping, errors and overflow; then property tests over thousands
 * of random carts and rule sets (deterministic xorshift). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/pricing.h"
#include "unit_pool.h"

static shop_dec_t dec(const char *s)
{
    shop_dec_t d;
    if (shop_dec_parse(s, &d) != APR_SUCCESS)
        fail_msg("bad decimal %s", s);
    return d;
}

static shop_tax_t *tax(apr_pool_t *p, apr_int64_t id, const char *rate, const char *formula)
{
    shop_tax_t *t = NULL;
    shop_formula_error_t e;
    if (shop_tax_make(p, id, "VAT", "FR", dec(rate), formula, &t, &e) != APR_SUCCESS)
        fail_msg("tax '%s' refused: %s", formula ? formula : "NULL", e.msg);
    return t;
}

static const shop_currency_t *cur(const char *code)
{
    const shop_currency_t *c = shop_currency_get(code);
    assert_non_null(c);
    return c;
}

/* one-tier line */
static shop_tier_t tiers1[64][1];
static int ntiers1;

static shop_pricing_line_t line(const char *code, apr_int64_t unit, apr_int64_t q,
                                const shop_tax_t *t)
{
    shop_pricing_line_t l;
    shop_tier_t *tier = tiers1[ntiers1++ % 64];
    memset(&l, 0, sizeof l);
    tier->up_to = SHOP_TIER_UNLIMITED;
    tier->price_minor = unit;
    l.code = code;
    l.quantity = q;
    l.tiers = tier;
    l.ntiers = 1;
    l.tax = t;
    return l;
}

static shop_discount_t rule(apr_int64_t id, shop_discount_type_t type, shop_discount_op_t op,
                            const char *ratio)
{
    shop_discount_t d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.name = "rule";
    d.type = type;
    d.op = op;
    d.ordering = (int)id;
    d.enabled = 1;
    if (ratio) {
        d.has_ratio = 1;
        d.ratio = dec(ratio);
    }
    return d;
}

/* ---- the invariants every result must hold; NULL or what failed */
static const char *invariants(const shop_pricing_result_t *r)
{
    apr_int64_t u = 0, t = 0, x = 0, du = 0, dt = 0, pdu = 0, pdt = 0, su = 0, st = 0;
    int i, k, j;

    if (r->to_pay_minor < 0)
        return "to_pay < 0";
    if (r->untaxed_minor + r->taxes_minor != r->taxed_minor)
        return "untaxed + taxes != taxed";
    if (r->to_pay_minor != r->taxed_minor)
        return "to_pay != taxed";
    for (i = 0; i < r->nlines; i++) {
        const shop_pricing_out_line_t *l = &r->lines[i];
        if (l->untaxed_minor + l->tax_minor != l->taxed_minor)
            return "line untaxed + tax != taxed";
        u += l->untaxed_minor;
        t += l->tax_minor;
        x += l->taxed_minor;
        if (l->type == SHOP_LINE_PRODUCT) {
            if (l->untaxed_minor + l->discount_untaxed_minor < 0
                || l->taxed_minor + l->discount_untaxed_minor + l->discount_tax_minor < 0)
                return "product line discounted below zero";
            if (l->discount_untaxed_minor > 0)
                return "positive discount on a line";
            pdu += l->discount_untaxed_minor;
            pdt += l->discount_tax_minor;
        }
        else if (l->type == SHOP_LINE_DISCOUNT) {
            apr_int64_t a = 0, b = 0;
            if (l->untaxed_minor >= 0)
                return "discount line not negative";
            for (k = 0; k < l->nshares; k++) {
                a += l->shares[k].untaxed_minor;
                b += l->shares[k].tax_minor;
                if (k > 0 && l->shares[k].tax_id <= l->shares[k - 1].tax_id)
                    return "shares not ascending";
            }
            if (a != l->untaxed_minor || b != l->tax_minor)
                return "discount shares do not add up";
            du += l->untaxed_minor;
            dt += l->tax_minor;
        }
        else {
            su += l->untaxed_minor;
            st += l->tax_minor;
        }
    }
    if (u != r->untaxed_minor || t != r->taxes_minor || x != r->taxed_minor)
        return "totals != sum of lines";
    if (du != r->discount_untaxed_minor || dt != r->discount_tax_minor
        || du + dt != r->discount_minor)
        return "discount totals";
    if (pdu != du || pdt != dt)
        return "discounts taken off lines != discount lines";
    if (su != r->shipping_untaxed_minor || st != r->shipping_tax_minor
        || su + st != r->shipping_minor)
        return "shipping totals";
    if (r->goods_untaxed_minor + r->discount_untaxed_minor + r->shipping_untaxed_minor
            != r->untaxed_minor
        || r->goods_tax_minor + r->discount_tax_minor + r->shipping_tax_minor != r->taxes_minor)
        return "goods + discount + shipping != totals";
    /* each rate: the sum of its lines, recomputed here */
    u = t = 0;
    for (j = 0; j < r->ntaxlines; j++) {
        apr_int64_t id = r->taxlines[j].tax_id, b = 0, a = 0;
        if (j > 0 && id <= r->taxlines[j - 1].tax_id)
            return "tax lines not ascending";
        for (i = 0; i < r->nlines; i++) {
            const shop_pricing_out_line_t *l = &r->lines[i];
            if (l->type == SHOP_LINE_DISCOUNT) {
                for (k = 0; k < l->nshares; k++)
                    if (l->shares[k].tax_id == id) {
                        b += l->shares[k].untaxed_minor;
                        a += l->shares[k].tax_minor;
                    }
            }
            else if (l->tax_id == id) {
                b += l->untaxed_minor;
                a += l->tax_minor;
            }
        }
        if (b != r->taxlines[j].base_minor || a != r->taxlines[j].amount_minor)
            return "a rate's tax != the sum of its lines";
        u += b;
        t += a;
    }
    if (u != r->untaxed_minor || t != r->taxes_minor)
        return "tax lines do not cover every line";
    return NULL;
}

static shop_pricing_result_t *price(apr_pool_t *p, shop_pricing_input_t *in)
{
    shop_pricing_result_t *r = NULL;
    shop_pricing_error_t e;
    const char *bad;
    apr_status_t rv = shop_pricing_compute(p, in, &r, &e);
    if (rv != APR_SUCCESS)
        fail_msg("pricing failed: %d %s index %d", rv, e.key ? e.key : "", e.index);
    if ((bad = invariants(r)) != NULL)
        fail_msg("invariant: %s", bad);
    return r;
}

static const shop_pricing_out_line_t *dline(const shop_pricing_result_t *r, apr_int64_t id)
{
    int i;
    for (i = 0; i < r->nlines; i++)
        if (r->lines[i].type == SHOP_LINE_DISCOUNT && r->lines[i].discount->id == id)
            return &r->lines[i];
    return NULL;
}

static int ndlines(const shop_pricing_result_t *r)
{
    int i, n = 0;
    for (i = 0; i < r->nlines; i++)
        n += r->lines[i].type == SHOP_LINE_DISCOUNT;
    return n;
}

/* ---- product lines */

static void test_empty_cart(void **state)
{
    apr_pool_t *p = *state;
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    shop_discount_t d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    shop_ship_result_t s;

    memset(&in, 0, sizeof in);
    memset(&s, 0, sizeof s);
    s.deliverable = 1;
    s.untaxed_minor = s.taxed_minor = 500;
    in.currency = cur("EUR");
    in.discounts = &d;
    in.ndiscounts = 1;
    in.shipping = &s;
    r = price(p, &in);
    assert_int_equal(r->nlines, 0);
    assert_int_equal(r->ntaxlines, 0);
    assert_int_equal(r->to_pay_minor, 0);
    assert_int_equal(r->item_count, 0);
}

static void test_tiers_and_tax(void **state)
{
    apr_pool_t *p = *state;
    shop_tier_t t3[3] = { { 10, 10000 }, { 50, 9000 }, { SHOP_TIER_UNLIMITED, 8000 } };
    shop_tax_t *vat = tax(p, 1, "20", NULL);
    shop_pricing_line_t l[3];
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    static const apr_int64_t q[] = { 10, 11, 51 }, unit[] = { 10000, 9000, 8000 };
    int i;

    /* appendix B5: the tier of the whole quantity prices every unit */
    for (i = 0; i < 3; i++) {
        memset(&in, 0, sizeof in);
        l[i] = line("C1", 0, q[i], vat);
        l[i].tiers = t3;
        l[i].ntiers = 3;
        l[i].kind = SHOP_PRICING_BUNDLE;
        in.currency = cur("EUR");
        in.lines = &l[i];
        in.nlines = 1;
        r = price(p, &in);
        assert_int_equal(r->lines[0].unit_minor, unit[i]);
        assert_int_equal(r->lines[0].untaxed_minor, unit[i] * q[i]);
        assert_int_equal(r->lines[0].tax_minor, unit[i] * q[i] / 5);
        assert_int_equal(r->lines[0].kind, SHOP_PRICING_BUNDLE);
        assert_int_equal(r->item_count, q[i]);
    }
    /* appendix B6: HT 90 -> TTC 108, q = 2 -> tax 36 */
    memset(&in, 0, sizeof in);
    l[0] = line("B6", 9000, 2, vat);
    in.currency = cur("EUR");
    in.lines = l;
    in.nlines = 1;
    r = price(p, &in);
    assert_int_equal(r->taxes_minor, 3600);
    assert_int_equal(r->to_pay_minor, 21600);
    assert_int_equal(r->ntaxlines, 1);
    assert_int_equal(r->taxlines[0].tax_id, 1);
    assert_int_equal(r->taxlines[0].base_minor, 18000);
    assert_int_equal(r->taxlines[0].amount_minor, 3600);
    assert_int_equal(shop_dec_cmp(r->taxlines[0].rate, dec("20")), 0);
    assert_ptr_equal(r->lines[0].tax, vat);
}

static void test_rounding(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t10 = tax(p, 1, "10", NULL), *t19 = tax(p, 2, "19", NULL);
    shop_pricing_line_t l[2];
    shop_pricing_input_t in;
    shop_pricing_result_t *r;

    memset(&in, 0, sizeof in);
    in.lines = l;
    /* JPY, exponent 0: 333 x 1.1 x 3 = 1098.9 -> 1099 once per line (not 3 x 366) */
    in.currency = cur("JPY");
    l[0] = line("A", 333, 3, t10);
    in.nlines = 1;
    r = price(p, &in);
    assert_int_equal(r->lines[0].taxed_minor, 1099);
    assert_int_equal(r->taxes_minor, 100);
    /* TND, exponent 3: 1.235 x 1.19 = 1.46965 -> 1.470 */
    in.currency = cur("TND");
    l[0] = line("A", 1235, 1, t19);
    r = price(p, &in);
    assert_int_equal(r->lines[0].taxed_minor, 1470);
    assert_int_equal(r->lines[0].tax_minor, 235);
    /* EUR half-up boundaries: 0.05 x 1.1 = 0.055 -> 0.06; 0.15 -> 0.165 -> 0.17 */
    in.currency = cur("EUR");
    l[0] = line("A", 5, 1, t10);
    l[1] = line("B", 15, 1, t10);
    in.nlines = 2;
    r = price(p, &in);
    assert_int_equal(r->lines[0].taxed_minor, 6);
    assert_int_equal(r->lines[1].taxed_minor, 17);
    /* per-rate total = sum of the rounded lines (1 + 2), not round(0.5 + 1.5) */
    assert_int_equal(r->taxlines[0].amount_minor, 3);
    assert_int_equal(r->to_pay_minor, 23);
    /* 0.04 x 1.1 = 0.044 -> 0.04: below the boundary stays down */
    l[0] = line("A", 4, 1, t10);
    in.nlines = 1;
    r = price(p, &in);
    assert_int_equal(r->lines[0].tax_minor, 0);
    /* untaxed product: id-0 tax line, no tax */
    l[0] = line("A", 1234, 2, NULL);
    r = price(p, &in);
    assert_int_equal(r->taxlines[0].tax_id, 0);
    assert_null(r->taxlines[0].tax);
    assert_int_equal(r->taxed_minor, 2468);
}

/* ---- discounts: local_shop's per-unit tax defect fixed */

static void test_per_unit_defect_fixed(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *vat = tax(p, 1, "20", NULL);
    shop_pricing_line_t l = line("A", 10000, 3, vat);
    shop_discount_t d = rule(7, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    const shop_pricing_out_line_t *dl;

    memset(&in, 0, sizeof in);
    in.currency = cur("EUR");
    in.lines = &l;
    in.nlines = 1;
    in.discounts = &d;
    in.ndiscounts = 1;
    r = price(p, &in);
    dl = dline(r, 7);
    assert_non_null(dl);
    assert_string_equal(dl->code, "D7");
    assert_int_equal(dl->untaxed_minor, -3000);
    /* the tax part is 10 % of the LINE's tax 60.00, not of one unit's 20.00 */
    assert_int_equal(dl->tax_minor, -600);
    assert_int_equal(dl->taxed_minor, -3600);
    assert_int_equal(dl->nshares, 1);
    assert_int_equal(r->to_pay_minor, 36000 - 3600);
    assert_int_equal(r->taxlines[0].base_minor, 27000);
    assert_int_equal(r->taxlines[0].amount_minor, 5400);
    assert_int_equal(r->lines[0].discount_untaxed_minor, -3000);
    assert_int_equal(r->lines[0].discount_tax_minor, -600);
    assert_true(dl->has_ratio);
    assert_int_equal(shop_dec_cmp(dl->ratio, dec("10")), 0);
}

static void test_bill_spread_over_rates(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *t20 = tax(p, 1, "20", NULL), *t55 = tax(p, 2, "5.5", NULL);
    shop_pricing_line_t l[3];
    shop_discount_t d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    const shop_pricing_out_line_t *dl;

    memset(&in, 0, sizeof in);
    in.currency = cur("EUR");
    in.lines = l;
    l[0] = line("A", 1001, 1, t20);
    l[1] = line("B", 1000, 1, t55);
    in.nlines = 2;
    in.discounts = &d;
    in.ndiscounts = 1;
    r = price(p, &in);
    dl = dline(r, 1);
    /* D = round(2001 x 10 %) = 200: floors 100 (20 %) and 99 (5.5 %), the
     * residue on the larger base (the 20 % one) */
    assert_int_equal(dl->untaxed_minor, -200);
    assert_int_equal(dl->nshares, 2);
    assert_int_equal(dl->shares[0].tax_id, 1);
    assert_int_equal(dl->shares[0].untaxed_minor, -101);
    assert_int_equal(dl->shares[1].tax_id, 2);
    assert_int_equal(dl->shares[1].untaxed_minor, -99);
    /* tax shares: 200 x 101/1001 = 20.18 -> 20; 55 x 99/1000 = 5.445 -> 5 */
    assert_int_equal(dl->shares[0].tax_minor, -20);
    assert_int_equal(dl->shares[1].tax_minor, -5);
    assert_int_equal(r->taxlines[0].base_minor, 900);
    assert_int_equal(r->taxlines[1].base_minor, 901);

    /* item list: only the listed line, the other rate untouched */
    {
        static const char *const items[] = { "b" };
        d.scope = SHOP_DISCOUNT_ON_ITEMLIST;
        d.items = items;
        d.nitems = 1;
        r = price(p, &in);
        dl = dline(r, 1);
        assert_int_equal(dl->untaxed_minor, -100);
        assert_int_equal(dl->nshares, 1);
        assert_int_equal(dl->shares[0].tax_id, 2);
        assert_int_equal(r->lines[0].discount_untaxed_minor, 0);
        assert_int_equal(r->lines[1].discount_untaxed_minor, -100);
        /* nothing of the list in the cart: the rule is skipped */
        l[1].code = "C";
        r = price(p, &in);
        assert_int_equal(ndlines(r), 0);
    }
}

static shop_pricing_result_t *one_rule(apr_pool_t *p, const shop_discount_t *d,
                                       const shop_discount_context_t *ctx)
{
    static shop_pricing_line_t l[2];
    shop_pricing_input_t in;
    memset(&in, 0, sizeof in);
    in.currency = cur("EUR");
    l[0] = line("COURSE", 10000, 1, NULL);
    l[1] = line("BOOK", 5000, 2, NULL);
    in.lines = l;
    in.nlines = 2;
    in.discounts = d;
    in.ndiscounts = 1;
    in.ctx = ctx;
    return price(p, &in);
}

static void yes(apr_pool_t *p, const shop_discount_t *d, const shop_discount_context_t *ctx,
                apr_int64_t discount)
{
    shop_pricing_result_t *r = one_rule(p, d, ctx);
    if (r->discount_minor != discount)
        fail_msg("rule type %d: discount %" APR_INT64_T_FMT ", want %" APR_INT64_T_FMT,
                 d->type, r->discount_minor, discount);
}

static void no(apr_pool_t *p, const shop_discount_t *d, const shop_discount_context_t *ctx)
{
    yes(p, d, ctx, 0);
}

static void test_discount_types(void **state)
{
    apr_pool_t *p = *state;
    static const char *const inst[] = { "ACME Corp", "Uni" };
    static const char *const roles_rule[] = { "editingteacher" };
    static const char *const roles_mine[] = { "student", "editingteacher" };
    static const char *const roles_other[] = { "student" };
    static const char *const codes_in[] = { " summer24 " };
    static const char *const codes_two[] = { "XMAS", "VIP" };
    shop_discount_code_t one[1], many[3], partners[2];
    shop_discount_context_t ctx;
    shop_discount_t d;
    shop_pricing_result_t *r;

    memset(&ctx, 0, sizeof ctx);
    ctx.now = 1700000000;

    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    yes(p, &d, NULL, -2000);

    d = rule(1, SHOP_DISCOUNT_USER_INSTITUTION, SHOP_DISCOUNT_ACCUMULATE, "10");
    d.values = inst;
    d.nvalues = 2;
    ctx.logged_in = 1;
    ctx.institution = "acme corp ";
    yes(p, &d, &ctx, -2000);
    ctx.institution = "ACME";
    no(p, &d, &ctx);
    ctx.institution = "Uni";
    ctx.logged_in = 0;
    no(p, &d, &ctx);
    no(p, &d, NULL);
    ctx.logged_in = 1;

    d = rule(1, SHOP_DISCOUNT_LONG_TIME_CUSTOMER, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.number = 365;
    ctx.customer_since = ctx.now - 366 * 86400;
    yes(p, &d, &ctx, -1000);
    ctx.customer_since = ctx.now - 365 * 86400;    /* exactly N days: not "older" */
    no(p, &d, &ctx);
    ctx.customer_since = 0;
    no(p, &d, &ctx);

    d = rule(1, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.number = 3;
    ctx.paid_orders = 4;
    yes(p, &d, &ctx, -1000);
    ctx.paid_orders = 3;
    no(p, &d, &ctx);

    d = rule(1, SHOP_DISCOUNT_ORDER_AMOUNT, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.number = 19999;
    yes(p, &d, NULL, -1000);
    d.number = 20000;                               /* strictly more than */
    no(p, &d, NULL);

    d = rule(1, SHOP_DISCOUNT_MOODLE_ROLE, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.values = roles_rule;
    d.nvalues = 1;
    ctx.roles = roles_mine;
    ctx.nroles = 2;
    yes(p, &d, &ctx, -1000);
    ctx.roles = roles_other;
    ctx.nroles = 1;
    no(p, &d, &ctx);

    memset(one, 0, sizeof one);
    one[0].code = "SUMMER24";
    d = rule(1, SHOP_DISCOUNT_OFFER_CODE, SHOP_DISCOUNT_ACCUMULATE, "15");
    d.codes = one;
    d.ncodes = 1;
    ctx.offer_codes = codes_in;
    ctx.noffer_codes = 1;
    yes(p, &d, &ctx, -3000);
    ctx.offer_codes = codes_two;
    ctx.noffer_codes = 2;
    no(p, &d, &ctx);

    memset(many, 0, sizeof many);
    many[0].code = "GOLD";
    many[0].has_ratio = 1;
    many[0].ratio = dec("30");
    many[1].code = "vip";
    many[1].has_ratio = 1;
    many[1].ratio = dec("25");
    many[2].code = "XMAS";              /* no own ratio: the rule's */
    d = rule(1, SHOP_DISCOUNT_MULTIPLE_OFFER_CODE, SHOP_DISCOUNT_ACCUMULATE, "10");
    d.codes = many;
    d.ncodes = 3;
    r = one_rule(p, &d, &ctx);                  /* VIP comes first in the rule */
    assert_int_equal(r->discount_minor, -5000);
    assert_string_equal(dline(r, 1)->offer_code, "vip");
    assert_int_equal(shop_dec_cmp(dline(r, 1)->ratio, dec("25")), 0);
    d.ncodes = 1;
    no(p, &d, &ctx);

    memset(partners, 0, sizeof partners);
    partners[0].partner_key = "PKEY";
    partners[0].sources = "E";
    partners[0].has_ratio = 1;
    partners[0].ratio = dec("20");
    partners[1].partner_key = "OTHER";
    d = rule(1, SHOP_DISCOUNT_PARTNER, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.codes = partners;
    d.ncodes = 2;
    ctx.partner_key = "pkey";
    ctx.partner_source = 'E';
    yes(p, &d, &ctx, -4000);
    ctx.partner_source = 'I';
    no(p, &d, &ctx);
    ctx.partner_key = "OTHER";                  /* any source, rule ratio */
    yes(p, &d, &ctx, -1000);
    ctx.partner_key = NULL;
    no(p, &d, &ctx);

    many[0].partner_key = "PGOLD";
    many[1].partner_key = "PVIP";
    d = rule(1, SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE, SHOP_DISCOUNT_ACCUMULATE, "10");
    d.codes = many;
    d.ncodes = 3;
    r = one_rule(p, &d, &ctx);
    assert_int_equal(r->discount_minor, -5000);
    assert_string_equal(r->partner_key, "PVIP");
    assert_string_equal(r->partner_tag, "vip");
    ctx.noffer_codes = 0;
    no(p, &d, &ctx);

    /* disabled, not yet valid, expired, amount in another currency: skipped */
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    d.enabled = 0;
    no(p, &d, &ctx);
    d.enabled = 1;
    d.valid_from = ctx.now + 1;
    no(p, &d, &ctx);
    d.valid_from = ctx.now - 10;
    d.valid_until = ctx.now - 1;
    no(p, &d, &ctx);
    d.valid_until = ctx.now;
    yes(p, &d, &ctx, -2000);
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, NULL);
    d.amount_minor = 1000;
    d.amount_currency = "usd";
    no(p, &d, &ctx);
    d.amount_currency = "eur";
    yes(p, &d, &ctx, -1000);

    /* names */
    {
        shop_discount_type_t t;
        shop_discount_op_t o;
        assert_string_equal(shop_discount_type_name(SHOP_DISCOUNT_MOODLE_ROLE), "UserCapability");
        assert_int_equal(shop_discount_type_parse("PartnerMultipleOfferCode", &t), 0);
        assert_int_equal(t, SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE);
        assert_int_equal(shop_discount_type_parse("Bogus", &t), -1);
        assert_int_equal(shop_discount_op_parse("stopchainifnotapplies", &o), 0);
        assert_int_equal(o, SHOP_DISCOUNT_STOP_IF_NOT_APPLIES);
        assert_string_equal(shop_discount_op_name(SHOP_DISCOUNT_TAKEOVER), "takeover");
        assert_null(shop_discount_op_name((shop_discount_op_t)9));
    }
}

/* rules 1..n in ordering; returns the ids of the discount lines as "1,3" */
static const char *chain(apr_pool_t *p, shop_discount_t *d, int n)
{
    static shop_pricing_line_t l;
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    const char *s = "";
    int i;

    memset(&in, 0, sizeof in);
    in.currency = cur("EUR");
    l = line("A", 10000, 1, NULL);
    in.lines = &l;
    in.nlines = 1;
    in.discounts = d;
    in.ndiscounts = n;
    r = price(p, &in);
    for (i = 0; i < r->nlines; i++)
        if (r->lines[i].type == SHOP_LINE_DISCOUNT)
            s = apr_psprintf(p, "%s%s%" APR_INT64_T_FMT, s, *s ? "," : "",
                             r->lines[i].discount->id);
    return s;
}

static void test_operators(void **state)
{
    apr_pool_t *p = *state;
    shop_discount_t d[4];
    shop_discount_t sw;

    /* accumulate: every applicable rule adds up */
    d[0] = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    d[1] = rule(2, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_ACCUMULATE, "10");  /* no ctx: no */
    d[2] = rule(3, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
    assert_string_equal(chain(p, d, 3), "1,3");

    /* takeover applies: what came before is discarded, the chain stops */
    d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_TAKEOVER, "25");
    assert_string_equal(chain(p, d, 3), "2");
    /* takeover that does not apply: nothing happens */
    d[1] = rule(2, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_TAKEOVER, "25");
    assert_string_equal(chain(p, d, 3), "1,3");

    /* stop if applies */
    d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_STOP_IF_APPLIES, "5");
    assert_string_equal(chain(p, d, 3), "1,2");
    d[1] = rule(2, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_STOP_IF_APPLIES, "5");
    assert_string_equal(chain(p, d, 3), "1,3");

    /* stop if not applies */
    d[1] = rule(2, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_STOP_IF_NOT_APPLIES, "5");
    assert_string_equal(chain(p, d, 3), "1");
    d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_STOP_IF_NOT_APPLIES, "5");
    assert_string_equal(chain(p, d, 3), "1,2,3");

    /* a disabled rule's operator does not act */
    d[1] = rule(2, SHOP_DISCOUNT_ORDER_COUNT, SHOP_DISCOUNT_STOP_IF_NOT_APPLIES, "5");
    d[1].enabled = 0;
    assert_string_equal(chain(p, d, 3), "1,3");

    /* evaluation follows ordering, not input order */
    d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_TAKEOVER, "25");
    d[1].ordering = 10;
    assert_string_equal(chain(p, d, 3), "2");
    sw = d[0];
    d[0] = d[2];
    d[2] = sw;
    d[1].ordering = 0;                  /* 0 < 1: takeover first, then stop */
    assert_string_equal(chain(p, d, 3), "2");

    /* accumulation is on the original amounts: 10 % + 10 % = 20 % */
    {
        shop_pricing_line_t l = line("A", 10000, 1, NULL);
        shop_pricing_input_t in;
        shop_pricing_result_t *r;
        d[0] = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
        d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "10");
        memset(&in, 0, sizeof in);
        in.currency = cur("EUR");
        in.lines = &l;
        in.nlines = 1;
        in.discounts = d;
        in.ndiscounts = 2;
        r = price(p, &in);
        assert_int_equal(r->discount_minor, -2000);
    }
}

static void test_caps_and_amounts(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *vat = tax(p, 1, "20", NULL);
    shop_pricing_line_t l[2];
    shop_discount_t d[3];
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    shop_ship_result_t s;
    shop_ship_zone_t z;

    memset(&in, 0, sizeof in);
    in.currency = cur("EUR");
    l[0] = line("A", 10000, 1, vat);
    in.lines = l;
    in.nlines = 1;
    in.discounts = d;

    /* 60 % + 60 %: the second is capped at what is left */
    d[0] = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "60");
    d[1] = rule(2, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "60");
    in.ndiscounts = 2;
    r = price(p, &in);
    assert_int_equal(dline(r, 1)->untaxed_minor, -6000);
    assert_int_equal(dline(r, 2)->untaxed_minor, -4000);
    assert_int_equal(r->untaxed_minor, 0);
    assert_int_equal(r->taxes_minor, 0);
    assert_int_equal(r->to_pay_minor, 0);
    /* a third rule has nothing left: no line */
    d[2] = rule(3, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "1");
    in.ndiscounts = 3;
    r = price(p, &in);
    assert_null(dline(r, 3));
    /* shipping is never discounted: to_pay = shipping */
    memset(&s, 0, sizeof s);
    memset(&z, 0, sizeof z);
    z.code = "FR";
    z.tax = vat;
    s.deliverable = 1;
    s.zone = &z;
    s.untaxed_minor = 500;
    s.tax_minor = 100;
    s.taxed_minor = 600;
    l[0].requires_shipping = 1;
    in.shipping = &s;
    r = price(p, &in);
    assert_int_equal(r->to_pay_minor, 600);
    assert_int_equal(r->shipping_minor, 600);
    assert_int_equal(r->lines[r->nlines - 1].type, SHOP_LINE_SHIPPING);
    assert_string_equal(r->lines[r->nlines - 1].code, "SHIP_");
    assert_int_equal(r->taxlines[0].base_minor, 500);
    assert_int_equal(r->taxlines[0].amount_minor, 100);
    in.shipping = NULL;

    /* a fixed taxed amount: 10.00 off 120.00 taxed (20 %) */
    d[0] = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, NULL);
    d[0].amount_minor = 1000;
    in.ndiscounts = 1;
    r = price(p, &in);
    assert_int_equal(dline(r, 1)->untaxed_minor, -833);
    assert_int_equal(dline(r, 1)->tax_minor, -167);
    assert_int_equal(r->discount_minor, -1000);
    assert_int_equal(r->to_pay_minor, 11000);
    assert_false(dline(r, 1)->has_ratio);
    /* larger than the goods: takes them to zero exactly */
    d[0].amount_minor = 50000;
    r = price(p, &in);
    assert_int_equal(r->to_pay_minor, 0);
    assert_int_equal(r->discount_minor, -12000);
    /* 100 % of an odd-cent line with tax: exactly the line back */
    l[0] = line("A", 333, 7, vat);
    d[0] = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "100");
    r = price(p, &in);
    assert_int_equal(r->to_pay_minor, 0);
    assert_int_equal(r->lines[0].discount_tax_minor, -r->lines[0].tax_minor);
}

static void test_shipping(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *vat = tax(p, 1, "20", NULL), *t55 = tax(p, 2, "5.5", NULL);
    shop_pricing_line_t l[2];
    shop_pricing_input_t in;
    shop_pricing_result_t *r;
    shop_pricing_error_t e;
    shop_ship_result_t s;
    shop_ship_zone_t z;

    memset(&in, 0, sizeof in);
    memset(&s, 0, sizeof s);
    memset(&z, 0, sizeof z);
    z.code = "FR";
    z.tax = vat;
    s.deliverable = 1;
    s.zone = &z;
    s.untaxed_minor = 1000;
    s.tax_minor = 200;
    s.taxed_minor = 1200;
    in.currency = cur("EUR");
    l[0] = line("COURSE", 5000, 1, t55);
    l[1] = line("BOOK", 2000, 1, t55);
    in.lines = l;
    in.nlines = 2;
    in.shipping = &s;
    /* nothing to ship: no shipping line */
    r = price(p, &in);
    assert_int_equal(r->shipping_minor, 0);
    assert_int_equal(r->nlines, 2);
    l[1].requires_shipping = 1;
    r = price(p, &in);
    assert_int_equal(r->nlines, 3);
    assert_int_equal(r->shipping_untaxed_minor, 1000);
    assert_int_equal(r->shipping_tax_minor, 200);
    assert_int_equal(r->ntaxlines, 2);
    assert_int_equal(r->taxlines[0].tax_id, 1);    /* shipping's 20 % */
    assert_int_equal(r->taxlines[0].amount_minor, 200);
    assert_int_equal(r->taxlines[1].amount_minor, 385);   /* 275 + 110 */
    assert_int_equal(r->to_pay_minor, 7000 + 385 + 1200);
    /* inconsistent or undeliverable shipping is refused */
    s.tax_minor = 201;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    assert_string_equal(e.key, "pricing_error_shipping");
    s.tax_minor = 200;
    s.deliverable = 0;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
}

static void test_errors(void **state)
{
    apr_pool_t *p = *state;
    shop_tax_t *vat = tax(p, 1, "20", NULL), *noid = tax(p, 0, "20", NULL);
    shop_tax_t *neg = tax(p, 3, "20", "$ttc = $ht - 100");
    shop_pricing_line_t l[2], big[SHOP_PRICING_MAX_LINES];
    shop_tier_t huge = { SHOP_TIER_UNLIMITED, SHOP_TIERS_MAX_PRICE };
    shop_discount_t d;
    shop_pricing_input_t in;
    shop_pricing_result_t *r = NULL;
    shop_pricing_error_t e;
    int i;

    memset(&in, 0, sizeof in);
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);   /* no currency */
    assert_int_equal(shop_pricing_compute(p, NULL, &r, NULL), APR_EINVAL);
    in.currency = cur("EUR");
    in.lines = l;
    in.nlines = 2;
    l[0] = line("A", 100, 1, vat);
    l[1] = line("B", 100, 0, vat);
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    assert_string_equal(e.key, "pricing_error_line");
    assert_int_equal(e.index, 1);
    l[1] = line(NULL, 100, 1, vat);
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    l[1] = line("B", 100, 1, noid);
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    assert_string_equal(e.key, "pricing_error_tax");
    l[1] = line("B", 100, 1, neg);                     /* taxed < 0 */
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    l[1] = line("B", 100, 1, vat);
    l[1].ntiers = 0;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    l[1] = line("B", 100, 1, vat);
    l[1].kind = (shop_pricing_kind_t)5;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    l[1] = line("B", 100, 1, vat);

    /* bad rules */
    in.discounts = &d;
    in.ndiscounts = 1;
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "100.0001");
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    assert_string_equal(e.key, "pricing_error_discount");
    assert_int_equal(e.index, 0);
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "0");
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, NULL);
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);  /* amount 0 */
    d = rule(1, SHOP_DISCOUNT_NTYPES, SHOP_DISCOUNT_ACCUMULATE, "5");
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_NOPS, "5");
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    d = rule(1, SHOP_DISCOUNT_UNCONDITIONAL, SHOP_DISCOUNT_ACCUMULATE, "5");
    d.nitems = 2;                                       /* items NULL */
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
    d.enabled = 0;                                      /* disabled: not looked at */
    r = price(p, &in);
    assert_int_equal(r->discount_minor, 0);
    in.ndiscounts = 0;

    /* overflow: one line, then the sum of lines */
    l[0].tiers = &huge;
    l[0].quantity = 10000;                              /* 10^19 > int64 */
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_ERANGE);
    assert_string_equal(e.key, "pricing_error_overflow");
    for (i = 0; i < SHOP_PRICING_MAX_LINES; i++) {
        big[i] = line("X", 0, 1000, NULL);
        big[i].tiers = &huge;                           /* 10^18 each */
    }
    in.lines = big;
    in.nlines = SHOP_PRICING_MAX_LINES;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_ERANGE);
    in.nlines = 9;                                      /* 9 x 10^18 fits */
    r = price(p, &in);
    assert_int_equal(r->to_pay_minor, APR_INT64_C(9000000000000000000));
    in.nlines = SHOP_PRICING_MAX_LINES + 1;
    assert_int_equal(shop_pricing_compute(p, &in, &r, &e), APR_EINVAL);
}

/* ---- properties over random carts */

static apr_uint64_t rng_state;

static apr_uint64_t rnd(void)
{
    apr_uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static apr_int64_t rnd_in(apr_int64_t lo, apr_int64_t hi)
{
    return lo + (apr_int64_t)(rnd() % (apr_uint64_t)(hi - lo + 1));
}

#define NCODES 6
static const char *const codes_pool[NCODES] = { "A", "B", "C", "D", "E", "F" };
static const char *const offer_pool[] = { "ONE", "TWO", "THREE" };
static const char *const inst_pool[] = { "Uni", "ACME" };
static const char *const role_pool[] = { "student", "teacher" };
static const char *const ratio_pool[] = { "5", "10", "12.5", "33.3333", "50", "60", "99.99", "100" };

typedef struct {
    shop_pricing_line_t lines[12];
    shop_tier_t tiers[12][3];
    shop_discount_t rules[8];
    shop_discount_code_t codes[8][3];
    shop_discount_context_t ctx;
    shop_ship_result_t ship;
    shop_ship_zone_t zone;
    shop_pricing_input_t in;
} cart_t;

static void random_cart(cart_t *c, const shop_tax_t *const *taxes, int ntaxes)
{
    static const char *const currencies[] = { "EUR", "JPY", "TND" };
    int i, j, nl, nr;

    memset(c, 0, sizeof *c);
    c->in.currency = shop_currency_get(currencies[rnd() % 3]);
    nl = (int)rnd_in(0, 12);
    for (i = 0; i < nl; i++) {
        shop_pricing_line_t *l = &c->lines[i];
        int nt = (int)rnd_in(1, 3);
        apr_int64_t bound = 0;
        for (j = 0; j < nt; j++) {
            bound += rnd_in(1, 5);
            c->tiers[i][j].up_to = j == nt - 1 ? SHOP_TIER_UNLIMITED : bound;
            c->tiers[i][j].price_minor = rnd() % 4 == 0 ? rnd_in(0, 20) : rnd_in(0, 200000);
        }
        l->code = codes_pool[rnd() % NCODES];
        l->quantity = rnd_in(1, 12);
        l->tiers = c->tiers[i];
        l->ntiers = nt;
        l->tax = taxes[rnd() % (apr_uint64_t)ntaxes];
        l->kind = rnd() % 4 == 0 ? SHOP_PRICING_BUNDLE : SHOP_PRICING_PRODUCT;
        l->requires_shipping = rnd() % 3 == 0;
    }
    c->in.lines = c->lines;
    c->in.nlines = nl;

    nr = (int)rnd_in(0, 8);
    for (i = 0; i < nr; i++) {
        shop_discount_t *d = &c->rules[i];
        d->id = i + 1;
        d->name = "r";
        d->type = (shop_discount_type_t)(rnd() % SHOP_DISCOUNT_NTYPES);
        d->op = (shop_discount_op_t)(rnd() % SHOP_DISCOUNT_NOPS);
        d->ordering = (int)rnd_in(0, 3);
        d->enabled = rnd() % 8 != 0;
        if (rnd() % 4 == 0)
            d->amount_minor = rnd_in(1, 300000);
        else {
            d->has_ratio = 1;
            shop_dec_parse(ratio_pool[rnd() % 8], &d->ratio);
        }
        if (rnd() % 3 == 0) {
            d->scope = SHOP_DISCOUNT_ON_ITEMLIST;
            d->items = codes_pool + rnd() % NCODES;
            d->nitems = (int)rnd_in(0, 2);
            if (d->items + d->nitems > codes_pool + NCODES)
                d->nitems = 0;
        }
        d->values = rnd() % 2 ? inst_pool : role_pool;
        d->nvalues = 2;
        d->number = rnd_in(0, 100000);
        for (j = 0; j < 3; j++) {
            c->codes[i][j].code = offer_pool[rnd() % 3];
            c->codes[i][j].partner_key = rnd() % 2 ? "P1" : "P2";
            c->codes[i][j].sources = rnd() % 2 ? "E" : NULL;
            if (rnd() % 2) {
                c->codes[i][j].has_ratio = 1;
                shop_dec_parse(ratio_pool[rnd() % 8], &c->codes[i][j].ratio);
            }
        }
        d->codes = c->codes[i];
        d->ncodes = (int)rnd_in(0, 3);
    }
    c->in.discounts = c->rules;
    c->in.ndiscounts = nr;

    c->ctx.logged_in = (int)(rnd() % 2);
    c->ctx.institution = inst_pool[rnd() % 2];
    c->ctx.now = 1700000000;
    c->ctx.customer_since = rnd() % 2 ? 1600000000 : 0;
    c->ctx.paid_orders = rnd_in(0, 5);
    c->ctx.offer_codes = offer_pool + rnd() % 3;
    c->ctx.noffer_codes = (int)rnd_in(0, 1);
    c->ctx.partner_key = rnd() % 2 ? "P1" : NULL;
    c->ctx.partner_source = rnd() % 2 ? 'E' : 'I';
    c->ctx.roles = role_pool;
    c->ctx.nroles = (int)rnd_in(0, 2);
    c->in.ctx = rnd() % 5 ? &c->ctx : NULL;

    if (rnd() % 2) {
        c->zone.code = "Z";
        c->zone.tax = taxes[rnd() % (apr_uint64_t)ntaxes];
        c->ship.deliverable = 1;
        c->ship.zone = &c->zone;
        c->ship.untaxed_minor = rnd_in(0, 5000);
        {
            shop_tax_amounts_t a;
            shop_formula_error_t fe;
            if (shop_tax_line(c->zone.tax, c->ship.untaxed_minor, 1, c->in.currency, &a, &fe)
                != APR_SUCCESS || a.taxed_minor < 0)
                fail_msg("shipping tax");
            c->ship.tax_minor = a.tax_minor;
            c->ship.taxed_minor = a.taxed_minor;
        }
        c->in.shipping = &c->ship;
    }
}

/* a product line as a comparable tuple */
static int out_line_cmp(const void *x, const void *y)
{
    const shop_pricing_out_line_t *a = x, *b = y;
    int c = strcmp(a->code, b->code);
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
    if (c)
        return c;
    CMP(quantity);
    CMP(unit_minor);
    CMP(tax_id);
    CMP(untaxed_minor);
    CMP(tax_minor);
    CMP(discount_untaxed_minor);
    CMP(discount_tax_minor);
#undef CMP
    return 0;
}

static void same_result(apr_pool_t *p, const shop_pricing_result_t *a,
                        const shop_pricing_result_t *b, int nproducts)
{
    shop_pricing_out_line_t *pa, *pb;
    int i, k;

    assert_int_equal(a->nlines, b->nlines);
    assert_int_equal(a->to_pay_minor, b->to_pay_minor);
    assert_int_equal(a->untaxed_minor, b->untaxed_minor);
    assert_int_equal(a->taxes_minor, b->taxes_minor);
    assert_int_equal(a->discount_minor, b->discount_minor);
    assert_int_equal(a->ntaxlines, b->ntaxlines);
    for (i = 0; i < a->ntaxlines; i++) {
        assert_int_equal(a->taxlines[i].tax_id, b->taxlines[i].tax_id);
        assert_int_equal(a->taxlines[i].base_minor, b->taxlines[i].base_minor);
        assert_int_equal(a->taxlines[i].amount_minor, b->taxlines[i].amount_minor);
    }
    for (i = nproducts; i < a->nlines; i++) {
        assert_string_equal(a->lines[i].code, b->lines[i].code);
        assert_int_equal(a->lines[i].untaxed_minor, b->lines[i].untaxed_minor);
        assert_int_equal(a->lines[i].tax_minor, b->lines[i].tax_minor);
        assert_int_equal(a->lines[i].nshares, b->lines[i].nshares);
        for (k = 0; k < a->lines[i].nshares; k++) {
            assert_int_equal(a->lines[i].shares[k].untaxed_minor,
                             b->lines[i].shares[k].untaxed_minor);
            assert_int_equal(a->lines[i].shares[k].tax_minor, b->lines[i].shares[k].tax_minor);
        }
    }
    pa = apr_pmemdup(p, a->lines, sizeof *pa * (size_t)(nproducts + 1));
    pb = apr_pmemdup(p, b->lines, sizeof *pb * (size_t)(nproducts + 1));
    qsort(pa, (size_t)nproducts, sizeof *pa, out_line_cmp);
    qsort(pb, (size_t)nproducts, sizeof *pb, out_line_cmp);
    for (i = 0; i < nproducts; i++)
        assert_int_equal(out_line_cmp(&pa[i], &pb[i]), 0);
}

static void test_properties(void **state)
{
    apr_pool_t *p = *state, *it;
    const shop_tax_t *taxes[6];
    cart_t c, s;
    int iter, i, nerr = 0, nlines_total = 0, ndisc = 0;

    taxes[0] = NULL;
    taxes[1] = tax(p, 1, "20", NULL);
    taxes[2] = tax(p, 2, "5.5", NULL);
    taxes[3] = tax(p, 3, "0", NULL);
    taxes[4] = tax(p, 4, "7", "$TTC = $HT + ($HT*$TR/100)");
    taxes[5] = tax(p, 5, "19.6", "$ttc = round($ht * (1 + $tr / 100), 1)");
    rng_state = 0x9e3779b97f4a7c15ULL;
    apr_pool_create(&it, p);
    for (iter = 0; iter < 5000; iter++) {
        shop_pricing_result_t *r, *r2;
        shop_pricing_error_t e;
        const char *bad;

        apr_pool_clear(it);
        random_cart(&c, taxes, 6);
        if (shop_pricing_compute(it, &c.in, &r, &e) != APR_SUCCESS) {
            nerr++;
            continue;
        }
        if ((bad = invariants(r)) != NULL)
            fail_msg("iteration %d: %s", iter, bad);
        nlines_total += r->nlines;
        ndisc += ndlines(r);

        /* the same cart and rules in another order give the same bill */
        s = c;
        s.in.lines = s.lines;
        s.in.discounts = s.rules;
        for (i = 0; i < s.in.nlines; i++) {
            s.lines[i].tiers = c.tiers[i];   /* tiers stay c's: same values */
        }
        for (i = s.in.nlines - 1; i > 0; i--) {
            int j = (int)(rnd() % (apr_uint64_t)(i + 1));
            shop_pricing_line_t t = s.lines[i];
            s.lines[i] = s.lines[j];
            s.lines[j] = t;
        }
        for (i = s.in.ndiscounts - 1; i > 0; i--) {
            int j = (int)(rnd() % (apr_uint64_t)(i + 1));
            shop_discount_t t = s.rules[i];
            s.rules[i] = s.rules[j];
            s.rules[j] = t;
        }
        /* codes[] pointers still point at c's arrays: same content */
        if (shop_pricing_compute(it, &s.in, &r2, &e) != APR_SUCCESS)
            fail_msg("iteration %d: shuffled cart refused", iter);
        same_result(it, r, r2, c.in.nlines);

        /* with only one ratio rule on the bill, the amount is exact */
        if (c.in.nlines > 0) {
            shop_discount_t one;
            shop_pricing_input_t in1 = c.in;
            memset(&one, 0, sizeof one);
            one.id = 99;
            one.enabled = 1;
            one.has_ratio = 1;
            shop_dec_parse("12.5", &one.ratio);
            in1.discounts = &one;
            in1.ndiscounts = 1;
            if (shop_pricing_compute(it, &in1, &r2, &e) != APR_SUCCESS)
                fail_msg("iteration %d: one rule refused", iter);
            if ((bad = invariants(r2)) != NULL)
                fail_msg("iteration %d (one rule): %s", iter, bad);
            /* round half-up of 12.5 % = goods / 8 */
            if (r2->discount_untaxed_minor != -((r2->goods_untaxed_minor * 2 + 8) / 16))
                fail_msg("iteration %d: 12.5 %% of %" APR_INT64_T_FMT " is %" APR_INT64_T_FMT,
                         iter, r2->goods_untaxed_minor, r2->discount_untaxed_minor);
        }
    }
    /* the generator must exercise something */
    assert_int_equal(nerr, 0);
    assert_true(nlines_total > 20000);
    assert_true(ndisc > 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_cart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tiers_and_tax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rounding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_unit_defect_fixed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_spread_over_rates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discount_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_and_amounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_properties, setup, teardown),
    };
    apr_initialize();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
