/* libFuzzer target: the pricing engine (src/core/pricing.c,
 * pricing_discount.c).  The input bytes drive a cart (currency, lines with
 * tiers, taxes, kinds, quantities up to overflow sizes), a rule set (the ten
 * types, four operators, ratios or amounts, scopes, codes), the buyer's
 * context and an optional shipping quote.  Oracles (abort() on violation):
 * only APR_SUCCESS, APR_EINVAL or APR_ERANGE; on success the totals are the
 * sums of the lines, each rate's tax is the sum of its lines' taxes, every
 * discount line is the sum of its per-rate shares, no product line is
 * discounted below zero, untaxed + taxes = taxed, to_pay >= 0; and the same
 * cart with its lines and rules in reverse order gives the same totals. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/pricing.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NTAXES 7
static const shop_tax_t *taxes[NTAXES];
static apr_pool_t *gpool;

static const char *const codes_pool[] = { "A", "B", "C", "a", "D" };
static const char *const offers[] = { "ONE", "two", " One " };
static const char *const values[] = { "Uni", "student", "ACME" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const struct { const char *rate, *formula; } defs[NTAXES - 1] = {
        { "20", NULL }, { "5.5", NULL }, { "0", NULL },
        { "7", "$TTC = $HT + ($HT*$TR/100)" },
        { "19.6", "$ttc = round($ht * (1 + $tr / 100), 1)" },
        { "10", "$ttc = $ht - 1" },         /* may go negative: refused lines */
    };
    shop_formula_error_t e;
    shop_dec_t r;
    int i;

    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&gpool, NULL);
    taxes[0] = NULL;
    for (i = 0; i < NTAXES - 1; i++) {
        shop_tax_t *t;
        if (shop_dec_parse(defs[i].rate, &r) != APR_SUCCESS
            || shop_tax_make(gpool, i + 1, "T", "", r, defs[i].formula, &t, &e) != APR_SUCCESS)
            abort();
        taxes[i + 1] = t;
    }
    return 0;
}

typedef struct {
    const uint8_t *d;
    size_t n, i;
} rd_t;

static unsigned b8(rd_t *r)
{
    return r->i < r->n ? r->d[r->i++] : 0;
}

static apr_int64_t num(rd_t *r)
{
    unsigned k = b8(r);
    apr_uint64_t v = 0;
    int i;
    if (k < 200)
        return k;                       /* small */
    if (k < 250)
        return (apr_int64_t)(b8(r) | (b8(r) << 8) | ((apr_uint64_t)b8(r) << 16));
    for (i = 0; i < 8; i++)
        v = (v << 8) | b8(r);
    return (apr_int64_t)(v & 0x7fffffffffffffffULL);   /* up to INT64_MAX */
}

static shop_dec_t ratio(rd_t *r)
{
    shop_dec_t x;
    apr_int64_t k = (apr_int64_t)(b8(r) | (b8(r) << 8) | (b8(r) << 16)) % 1000001;
    if (shop_dec_div(shop_dec_from_int(k), shop_dec_from_int(10000), &x) != APR_SUCCESS)
        abort();
    return x;                           /* 0 .. 100, 4 decimals (0 is refused) */
}

/* sums wrap (unsigned) so the oracle itself never overflows: equal sums
 * stay equal modulo 2^64 */
#define W(x) ((apr_uint64_t)(x))

static void check(const shop_pricing_result_t *r)
{
    apr_uint64_t u = 0, t = 0, x = 0, du = 0, dt = 0, pdu = 0;
    int i, j, k;

    if (r->to_pay_minor < 0 || r->to_pay_minor != r->taxed_minor
        || W(r->untaxed_minor) + W(r->taxes_minor) != W(r->taxed_minor))
        abort();
    for (i = 0; i < r->nlines; i++) {
        const shop_pricing_out_line_t *l = &r->lines[i];
        if (W(l->untaxed_minor) + W(l->tax_minor) != W(l->taxed_minor))
            abort();
        u += W(l->untaxed_minor);
        t += W(l->tax_minor);
        x += W(l->taxed_minor);
        if (l->type == SHOP_LINE_PRODUCT) {
            if (l->discount_untaxed_minor > 0 || l->untaxed_minor + l->discount_untaxed_minor < 0
                || l->taxed_minor + l->discount_untaxed_minor + l->discount_tax_minor < 0)
                abort();
            pdu += W(l->discount_untaxed_minor);
        }
        else if (l->type == SHOP_LINE_DISCOUNT) {
            apr_uint64_t a = 0, b = 0;
            if (l->untaxed_minor >= 0)
                abort();
            for (k = 0; k < l->nshares; k++) {
                a += W(l->shares[k].untaxed_minor);
                b += W(l->shares[k].tax_minor);
            }
            if (a != W(l->untaxed_minor) || b != W(l->tax_minor))
                abort();
            du += W(l->untaxed_minor);
            dt += W(l->tax_minor);
        }
    }
    if (u != W(r->untaxed_minor) || t != W(r->taxes_minor) || x != W(r->taxed_minor)
        || du != W(r->discount_untaxed_minor) || dt != W(r->discount_tax_minor) || pdu != du)
        abort();
    u = t = 0;
    for (j = 0; j < r->ntaxlines; j++) {
        apr_int64_t id = r->taxlines[j].tax_id;
        apr_uint64_t b = 0, a = 0;
        if (j > 0 && id <= r->taxlines[j - 1].tax_id)
            abort();
        for (i = 0; i < r->nlines; i++) {
            const shop_pricing_out_line_t *l = &r->lines[i];
            if (l->type == SHOP_LINE_DISCOUNT) {
                for (k = 0; k < l->nshares; k++)
                    if (l->shares[k].tax_id == id) {
                        b += W(l->shares[k].untaxed_minor);
                        a += W(l->shares[k].tax_minor);
                    }
            }
            else if (l->tax_id == id) {
                b += W(l->untaxed_minor);
                a += W(l->tax_minor);
            }
        }
        if (b != W(r->taxlines[j].base_minor) || a != W(r->taxlines[j].amount_minor))
            abort();
        u += b;
        t += a;
    }
    if (u != W(r->untaxed_minor) || t != W(r->taxes_minor))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const currencies[] = { "EUR", "JPY", "TND" };
    shop_pricing_line_t lines[12], rlines[12];
    shop_tier_t tiers[12][SHOP_TIERS_MAX];
    shop_discount_t rules[8], rrules[8];
    shop_discount_code_t codes[8][3];
    shop_discount_context_t ctx;
    shop_ship_result_t ship;
    shop_ship_zone_t zone;
    shop_pricing_input_t in, rin;
    shop_pricing_result_t *res = NULL, *res2 = NULL;
    shop_pricing_error_t e;
    apr_pool_t *p;
    apr_status_t rv, rv2;
    rd_t r = { data, size, 0 };
    int i, j;

    memset(&in, 0, sizeof in);
    memset(lines, 0, sizeof lines);
    memset(tiers, 0, sizeof tiers);
    memset(rules, 0, sizeof rules);
    memset(codes, 0, sizeof codes);
    memset(&ctx, 0, sizeof ctx);
    memset(&ship, 0, sizeof ship);
    memset(&zone, 0, sizeof zone);

    in.currency = shop_currency_get(currencies[b8(&r) % 3]);
    in.nlines = (int)(b8(&r) % 13);
    for (i = 0; i < in.nlines; i++) {
        shop_pricing_line_t *l = &lines[i];
        int nt = 1 + (int)(b8(&r) % SHOP_TIERS_MAX);
        for (j = 0; j < nt; j++) {
            tiers[i][j].up_to = j == nt - 1 ? SHOP_TIER_UNLIMITED : (apr_int64_t)(j + 1) * 3;
            tiers[i][j].price_minor = num(&r);
        }
        l->code = codes_pool[b8(&r) % 5];
        l->quantity = num(&r);
        l->tiers = tiers[i];
        l->ntiers = nt;
        l->tax = taxes[b8(&r) % NTAXES];
        j = (int)b8(&r);
        l->kind = (j & 1) ? SHOP_PRICING_BUNDLE : SHOP_PRICING_PRODUCT;
        l->requires_shipping = (j >> 1) & 1;
    }
    in.lines = lines;

    in.ndiscounts = (int)(b8(&r) % 9);
    for (i = 0; i < in.ndiscounts; i++) {
        shop_discount_t *d = &rules[i];
        unsigned f = b8(&r);
        d->id = i + 1;
        d->name = "r";
        d->type = (shop_discount_type_t)(b8(&r) % SHOP_DISCOUNT_NTYPES);
        d->op = (shop_discount_op_t)(b8(&r) % SHOP_DISCOUNT_NOPS);
        d->ordering = (int)(b8(&r) % 4);
        d->enabled = (f & 1) == 0;
        if (f & 2)
            d->amount_minor = num(&r);
        else {
            d->has_ratio = 1;
            d->ratio = ratio(&r);
        }
        if (f & 4) {
            d->scope = SHOP_DISCOUNT_ON_ITEMLIST;
            d->items = codes_pool + (f >> 5) % 3;
            d->nitems = (int)((f >> 3) & 3) % 3;
        }
        d->values = values;
        d->nvalues = 3;
        d->number = num(&r);
        for (j = 0; j < 3; j++) {
            unsigned g = b8(&r);
            codes[i][j].code = offers[g % 3];
            codes[i][j].partner_key = (g & 4) ? "P1" : "p2";
            codes[i][j].sources = (g & 8) ? "EA" : NULL;
            if (g & 16) {
                codes[i][j].has_ratio = 1;
                codes[i][j].ratio = ratio(&r);
            }
        }
        d->codes = codes[i];
        d->ncodes = (int)(b8(&r) % 4);
    }
    in.discounts = rules;

    {
        unsigned f = b8(&r);
        ctx.logged_in = f & 1;
        ctx.institution = values[(f >> 1) % 3];
        ctx.now = 1700000000;
        ctx.customer_since = (f & 8) ? 1700000000 - (num(&r) % 100000) * 86400 : 0;
        ctx.paid_orders = num(&r);
        ctx.offer_codes = offers + (f >> 4) % 3;
        ctx.noffer_codes = (f >> 6) & 1;
        ctx.partner_key = (f & 128) ? "p1" : NULL;
        ctx.partner_source = (f & 16) ? 'e' : 'I';
        ctx.roles = values;
        ctx.nroles = (int)(b8(&r) % 4);
        in.ctx = (f & 32) ? &ctx : NULL;
    }
    if (b8(&r) & 1) {
        shop_tax_amounts_t a;
        shop_formula_error_t fe;
        zone.code = "Z";
        zone.tax = taxes[b8(&r) % NTAXES];
        ship.deliverable = 1;
        ship.zone = &zone;
        ship.untaxed_minor = num(&r);
        if (shop_tax_line(zone.tax, ship.untaxed_minor, 1, in.currency, &a, &fe) == APR_SUCCESS) {
            ship.tax_minor = a.tax_minor;
            ship.taxed_minor = a.taxed_minor;
        }
        in.shipping = &ship;
    }

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    rv = shop_pricing_compute(p, &in, &res, &e);
    if (rv != APR_SUCCESS && rv != APR_EINVAL && rv != APR_ERANGE)
        abort();
    if (rv == APR_SUCCESS)
        check(res);

    /* reversed lines and rules: the same outcome */
    rin = in;
    for (i = 0; i < in.nlines; i++)
        rlines[i] = lines[in.nlines - 1 - i];
    for (i = 0; i < in.ndiscounts; i++)
        rrules[i] = rules[in.ndiscounts - 1 - i];
    rin.lines = rlines;
    rin.discounts = rrules;
    rv2 = shop_pricing_compute(p, &rin, &res2, &e);
    if ((rv == APR_SUCCESS) != (rv2 == APR_SUCCESS))
        abort();
    if (rv == APR_SUCCESS) {
        check(res2);
        if (res->to_pay_minor != res2->to_pay_minor || res->taxes_minor != res2->taxes_minor
            || res->discount_minor != res2->discount_minor || res->nlines != res2->nlines
            || res->ntaxlines != res2->ntaxlines)
            abort();
        for (i = 0; i < res->ntaxlines; i++)
            if (res->taxlines[i].base_minor != res2->taxlines[i].base_minor
                || res->taxlines[i].amount_minor != res2->taxlines[i].amount_minor)
                abort();
    }
    apr_pool_destroy(p);
    return 0;
}
