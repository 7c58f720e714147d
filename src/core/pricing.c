/* The pricing engine (pricing.h): product lines, discounts with their
 * operators, caps and per-rate shares, shipping, totals.  Every int64
 * addition is checked; products of two int64 go through 128 bits. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "core/pricing.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

typedef struct {
    apr_int64_t u, t;           /* the line's untaxed and tax */
    apr_int64_t taken_u, taken_t;   /* taken by discounts so far (>= 0 / any) */
} state_t;

/* an entry of a proportional split */
typedef struct {
    apr_int64_t w;              /* weight = cap */
    apr_int64_t tax_id;
    const char *code;
    apr_int64_t q, unit;
    int idx;                    /* what it stands for */
    apr_int64_t out;
} part_t;

typedef struct {
    const shop_discount_t *d;
    int code_index;
} pick_t;

/* scratch for apply(), sized for the cart once */
typedef struct {
    apr_int64_t *gid;
    part_t *groups, *parts;
    char *inscope;
} scratch_t;

static apr_status_t fail(shop_pricing_error_t *err, apr_status_t rv,
                         const char *key, int index)
{
    if (err) {
        err->key = rv == APR_ERANGE ? "pricing_error_overflow" : key;
        err->index = index;
    }
    return rv;
}

static int add(apr_int64_t *acc, apr_int64_t v)
{
    return __builtin_add_overflow(*acc, v, acc) ? -1 : 0;
}

static apr_int64_t tax_id(const shop_tax_t *t)
{
    return t ? t->id : 0;
}

static int code_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* largest weight first, then a key that does not depend on input order */
static int part_cmp(const void *x, const void *y)
{
    const part_t *a = x, *b = y;
    int c;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    if (a->tax_id != b->tax_id)
        return a->tax_id < b->tax_id ? -1 : 1;
    if ((c = code_cmp(a->code, b->code)) != 0)
        return c;
    if (a->q != b->q)
        return a->q < b->q ? -1 : 1;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    return a->idx - b->idx;
}

/* Split total (0 <= total <= Σ w) over parts in proportion to w: floor
 * shares, then the residue on the largest weights first, each part capped
 * at its weight.  Sorts parts. */
static void split(part_t *parts, int n, apr_int64_t total)
{
    apr_int64_t W = 0, given = 0, rest, room;
    int i;

    for (i = 0; i < n; i++)
        W += parts[i].w;        /* bounded by a checked sum: the caller's */
    qsort(parts, (size_t)n, sizeof *parts, part_cmp);
    for (i = 0; i < n; i++) {
        parts[i].out = W > 0 ? (apr_int64_t)((u128)total * (u128)parts[i].w / (u128)W) : 0;
        given += parts[i].out;
    }
    rest = total - given;
    for (i = 0; i < n && rest > 0; i++) {
        room = parts[i].w - parts[i].out;
        if (room > rest)
            room = rest;
        parts[i].out += room;
        rest -= room;
    }
}

/* round_half_up(num / den), den > 0, ties away from zero */
static apr_int64_t div_round(i128 num, apr_int64_t den)
{
    int neg = num < 0;
    u128 m = neg ? (u128)(-num) : (u128)num, q;
    /* for an odd den a tie cannot happen, so den/2 rounding down is right */
    q = (m + (u128)den / 2) / (u128)den;
    return neg ? -(apr_int64_t)q : (apr_int64_t)q;
}

static int same_code(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static int in_scope(const shop_discount_t *d, const char *code)
{
    int i;
    if (d->scope == SHOP_DISCOUNT_ON_BILL)
        return 1;
    for (i = 0; i < d->nitems; i++)
        if (same_code(d->items[i], code))
            return 1;
    return 0;
}

static int ratio_ok(shop_dec_t r)
{
    return shop_dec_sign(r) > 0 && shop_dec_cmp(r, shop_dec_from_int(100)) <= 0;
}

static int rule_ok(const shop_discount_t *d)
{
    int i;
    if ((unsigned)d->type >= SHOP_DISCOUNT_NTYPES || (unsigned)d->op >= SHOP_DISCOUNT_NOPS
        || (d->scope != SHOP_DISCOUNT_ON_BILL && d->scope != SHOP_DISCOUNT_ON_ITEMLIST))
        return 0;
    if (d->has_ratio ? !ratio_ok(d->ratio) : d->amount_minor <= 0)
        return 0;
    if (d->nitems < 0 || d->nitems > SHOP_PRICING_MAX_ITEMS || (d->nitems > 0 && !d->items)
        || d->nvalues < 0 || d->nvalues > SHOP_PRICING_MAX_ITEMS || (d->nvalues > 0 && !d->values)
        || d->ncodes < 0 || d->ncodes > SHOP_PRICING_MAX_ITEMS || (d->ncodes > 0 && !d->codes))
        return 0;
    for (i = 0; i < d->ncodes; i++)
        if (d->codes[i].has_ratio && !ratio_ok(d->codes[i].ratio))
            return 0;
    return 1;
}

static int pick_cmp(const void *x, const void *y)
{
    const pick_t *a = x, *b = y;
    if (a->d->ordering != b->d->ordering)
        return a->d->ordering < b->d->ordering ? -1 : 1;
    if (a->d->id != b->d->id)
        return a->d->id < b->d->id ? -1 : 1;
    return a->code_index - b->code_index;    /* input index, see below */
}

/* The rules that apply, in evaluation order, by the operators. */
static apr_status_t choose(apr_pool_t *tmp, const shop_pricing_input_t *in,
                           apr_int64_t goods_taxed, pick_t **picked, int *npicked,
                           shop_pricing_error_t *err)
{
    const shop_discount_context_t *ctx = in->ctx;
    pick_t *order, *out;
    int i, j, n = 0, any, ci, stop = 0;

    order = apr_pcalloc(tmp, sizeof *order * (size_t)(in->ndiscounts + 1));
    out = apr_pcalloc(tmp, sizeof *out * (size_t)(in->ndiscounts + 1));
    for (i = 0; i < in->ndiscounts; i++) {
        if (in->discounts[i].enabled && !rule_ok(&in->discounts[i]))
            return fail(err, APR_EINVAL, "pricing_error_discount", i);
        order[i].d = &in->discounts[i];
        order[i].code_index = i;
    }
    qsort(order, (size_t)in->ndiscounts, sizeof *order, pick_cmp);
    for (i = 0; i < in->ndiscounts && !stop; i++) {
        const shop_discount_t *d = order[i].d;
        apr_int64_t now = ctx ? ctx->now : 0;

        if (!d->enabled
            || (d->valid_from > 0 && now < d->valid_from)
            || (d->valid_until > 0 && now > d->valid_until)
            || (!d->has_ratio && d->amount_currency != NULL
                && strcasecmp(d->amount_currency, in->currency->code) != 0))
            continue;
        for (any = 0, j = 0; j < in->nlines && !any; j++)
            any = in_scope(d, in->lines[j].code);
        if (!any)
            continue;
        if (!shop_discount_condition(d, ctx, goods_taxed, &ci)) {
            if (d->op == SHOP_DISCOUNT_STOP_IF_NOT_APPLIES)
                stop = 1;
            continue;
        }
        if (d->op == SHOP_DISCOUNT_TAKEOVER) {
            n = 0;
            stop = 1;
        }
        else if (d->op == SHOP_DISCOUNT_STOP_IF_APPLIES)
            stop = 1;
        out[n].d = d;
        out[n].code_index = ci;
        n++;
    }
    *picked = out;
    *npicked = n;
    return APR_SUCCESS;
}

/* D for one rule over its scope (before the cap) */
static apr_status_t rule_amount(const shop_discount_t *d, const shop_discount_code_t *code,
                                apr_int64_t base_u, apr_int64_t base_taxed,
                                int *has_ratio, shop_dec_t *ratio, apr_int64_t *amount)
{
    shop_dec_t r, f, x;
    apr_status_t rv;

    if (code && code->has_ratio) {
        *has_ratio = 1;
        r = code->ratio;
    }
    else {
        *has_ratio = d->has_ratio;
        r = d->ratio;
    }
    if (*has_ratio) {
        *ratio = r;
        if ((rv = shop_dec_div(r, shop_dec_from_int(100), &f)) != APR_SUCCESS
            || (rv = shop_dec_mul(shop_dec_from_int(base_u), f, &x)) != APR_SUCCESS)
            return rv;
        return shop_dec_to_minor(x, 0, amount);
    }
    if (base_taxed <= 0 || base_u <= 0)
        *amount = 0;
    else if (d->amount_minor >= base_taxed)
        *amount = base_u;
    else
        *amount = (apr_int64_t)(((u128)d->amount_minor * (u128)base_u * 2 + (u128)base_taxed)
                                / ((u128)base_taxed * 2));
    return APR_SUCCESS;
}

static int find_group(const apr_int64_t *ids, int n, apr_int64_t id)
{
    int i;
    for (i = 0; i < n; i++)
        if (ids[i] == id)
            return i;
    return -1;
}

/* Apply one picked rule: fills the discount line, updates the states and
 * the product lines. */
static apr_status_t apply(apr_pool_t *p, const scratch_t *sc, const shop_pricing_input_t *in,
                          const pick_t *pk, state_t *st, shop_pricing_out_line_t *lines,
                          shop_pricing_out_line_t *dl, int *made)
{
    const shop_discount_t *d = pk->d;
    const shop_discount_code_t *code = pk->code_index >= 0 ? &d->codes[pk->code_index] : NULL;
    int n = in->nlines, i, g, k, ng = 0, has_ratio = 0;
    apr_int64_t base_u = 0, base_taxed = 0, rem = 0, D = 0, *gid = sc->gid;
    part_t *groups = sc->groups, *parts = sc->parts;
    shop_pricing_share_t *shares;
    shop_dec_t ratio = shop_dec_from_int(0);
    apr_status_t rv;

    *made = 0;
    memset(groups, 0, sizeof *groups * (size_t)(n + 1));
    for (i = 0; i < n; i++) {
        sc->inscope[i] = (char)in_scope(d, in->lines[i].code);
        if (!sc->inscope[i])
            continue;
        if (add(&base_u, st[i].u) || add(&base_taxed, st[i].u) || add(&base_taxed, st[i].t)
            || add(&rem, st[i].u - st[i].taken_u))
            return APR_ERANGE;
        g = find_group(gid, ng, lines[i].tax_id);
        if (g < 0) {
            g = ng++;
            gid[g] = lines[i].tax_id;
            groups[g].tax_id = lines[i].tax_id;
            groups[g].idx = g;
        }
        groups[g].w += st[i].u - st[i].taken_u;
    }
    if ((rv = rule_amount(d, code, base_u, base_taxed, &has_ratio, &ratio, &D)) != APR_SUCCESS)
        return rv;
    if (D > rem)
        D = rem;
    if (D <= 0)
        return APR_SUCCESS;

    split(groups, ng, D);
    shares = apr_pcalloc(p, sizeof *shares * (size_t)ng);
    memset(dl, 0, sizeof *dl);
    for (k = 0; k < ng; k++) {       /* shares ascending by tax id */
        int lo = k;
        for (g = k + 1; g < ng; g++)
            if (groups[g].tax_id < groups[lo].tax_id)
                lo = g;
        if (lo != k) {
            part_t t = groups[k];
            groups[k] = groups[lo];
            groups[lo] = t;
        }
    }
    for (g = 0; g < ng; g++) {
        int np = 0;
        shares[g].tax_id = groups[g].tax_id;
        for (i = 0; i < n; i++) {
            if (!sc->inscope[i] || lines[i].tax_id != groups[g].tax_id)
                continue;
            if (shares[g].tax == NULL)
                shares[g].tax = lines[i].tax;
            parts[np].w = st[i].u - st[i].taken_u;
            parts[np].tax_id = lines[i].tax_id;
            parts[np].code = lines[i].code;
            parts[np].q = lines[i].quantity;
            parts[np].unit = lines[i].unit_minor;
            parts[np].idx = i;
            parts[np].out = 0;
            np++;
        }
        split(parts, np, groups[g].out);
        for (k = 0; k < np; k++) {
            apr_int64_t x = parts[k].out, tu, tt, dt;
            i = parts[k].idx;
            if (x <= 0)
                continue;
            tu = st[i].taken_u + x;      /* <= u: split caps at the weight */
            tt = div_round((i128)st[i].t * tu, st[i].u);
            dt = tt - st[i].taken_t;     /* |dt| <= |t| */
            st[i].taken_u = tu;
            st[i].taken_t = tt;
            lines[i].discount_untaxed_minor -= x;
            lines[i].discount_tax_minor -= dt;
            shares[g].untaxed_minor -= x;
            if (add(&shares[g].tax_minor, -dt) || add(&dl->tax_minor, -dt))
                return APR_ERANGE;
        }
    }
    dl->type = SHOP_LINE_DISCOUNT;
    dl->code = apr_psprintf(p, "D%" APR_INT64_T_FMT, d->id);
    dl->quantity = 1;
    dl->untaxed_minor = -D;
    dl->unit_minor = -D;
    if (add(&dl->taxed_minor, -D) || add(&dl->taxed_minor, dl->tax_minor))
        return APR_ERANGE;
    dl->discount = d;
    dl->offer_code = code ? code->code : NULL;
    dl->has_ratio = has_ratio;
    dl->ratio = ratio;
    /* a rate left with nothing to give (all taken before) shows no share */
    for (k = 0, g = 0; g < ng; g++)
        if (shares[g].untaxed_minor != 0 || shares[g].tax_minor != 0)
            shares[k++] = shares[g];
    dl->shares = shares;
    dl->nshares = k;
    *made = 1;
    return APR_SUCCESS;
}

/* add (base, amount) to the tax line of t, creating it in id order */
static void taxline_add(shop_pricing_taxline_t *tl, int *ntl, const shop_tax_t *t,
                        apr_int64_t id, apr_int64_t base, apr_int64_t amount, int *ovf)
{
    int i, j;
    for (i = 0; i < *ntl && tl[i].tax_id < id; i++)
        ;
    if (i == *ntl || tl[i].tax_id != id) {
        for (j = *ntl; j > i; j--)
            tl[j] = tl[j - 1];
        memset(&tl[i], 0, sizeof tl[i]);
        tl[i].tax = t;
        tl[i].tax_id = id;
        tl[i].rate = t ? t->rate : shop_dec_from_int(0);
        (*ntl)++;
    }
    if (tl[i].tax == NULL && t != NULL) {
        tl[i].tax = t;
        tl[i].rate = t->rate;
    }
    if (add(&tl[i].base_minor, base) || add(&tl[i].amount_minor, amount))
        *ovf = 1;
}

apr_status_t shop_pricing_compute(apr_pool_t *p, const shop_pricing_input_t *in,
                                  shop_pricing_result_t **out,
                                  shop_pricing_error_t *err)
{
    apr_pool_t *tmp = NULL;
    shop_pricing_result_t *r;
    shop_pricing_out_line_t *lines;
    state_t *st;
    pick_t *picked = NULL;
    scratch_t sc;
    int i, k, n, npicked = 0, nl, ship = 0, made, ovf = 0;
    apr_status_t rv = APR_SUCCESS;
    shop_formula_error_t ferr;

    if (err) {
        memset(err, 0, sizeof *err);
        err->index = -1;
    }
    if (p == NULL || in == NULL || out == NULL || in->currency == NULL
        || in->nlines < 0 || in->nlines > SHOP_PRICING_MAX_LINES
        || (in->nlines > 0 && in->lines == NULL)
        || in->ndiscounts < 0 || in->ndiscounts > SHOP_PRICING_MAX_DISCOUNTS
        || (in->ndiscounts > 0 && in->discounts == NULL))
        return fail(err, APR_EINVAL, "pricing_error_input", -1);
    if (apr_pool_create(&tmp, p) != APR_SUCCESS)
        return fail(err, APR_ENOMEM, "pricing_error_input", -1);
    n = in->nlines;
    r = apr_pcalloc(p, sizeof *r);
    r->currency = in->currency;
    lines = apr_pcalloc(p, sizeof *lines * (size_t)(n + in->ndiscounts + 1));
    st = apr_pcalloc(tmp, sizeof *st * (size_t)(n + 1));
    r->taxlines = apr_pcalloc(p, sizeof *r->taxlines * (size_t)(n + 2));

    for (i = 0; i < n; i++) {
        const shop_pricing_line_t *l = &in->lines[i];
        shop_pricing_out_line_t *o = &lines[i];
        shop_tax_amounts_t a;

        if (l->code == NULL || l->quantity < 1
            || (l->kind != SHOP_PRICING_PRODUCT && l->kind != SHOP_PRICING_BUNDLE)) {
            rv = fail(err, APR_EINVAL, "pricing_error_line", i);
            goto done;
        }
        if (l->tax != NULL && l->tax->id <= 0) {
            rv = fail(err, APR_EINVAL, "pricing_error_tax", i);
            goto done;
        }
        if ((rv = shop_tiers_unit_price(l->tiers, l->ntiers, l->quantity, &o->unit_minor))
                != APR_SUCCESS
            || o->unit_minor < 0) {
            rv = fail(err, rv == APR_ERANGE ? rv : APR_EINVAL, "pricing_error_line", i);
            goto done;
        }
        memset(&ferr, 0, sizeof ferr);
        if ((rv = shop_tax_line(l->tax, o->unit_minor, l->quantity, in->currency, &a, &ferr))
                != APR_SUCCESS || a.taxed_minor < 0) {
            rv = fail(err, rv == APR_ERANGE ? rv : APR_EINVAL, "pricing_error_tax", i);
            if (err)
                err->formula = ferr;
            goto done;
        }
        o->type = SHOP_LINE_PRODUCT;
        o->code = l->code;
        o->kind = l->kind;
        o->quantity = l->quantity;
        o->untaxed_minor = a.untaxed_minor;
        o->tax_minor = a.tax_minor;
        o->taxed_minor = a.taxed_minor;
        o->tax = l->tax;
        o->tax_id = tax_id(l->tax);
        o->rate = l->tax ? l->tax->rate : shop_dec_from_int(0);
        st[i].u = a.untaxed_minor;
        st[i].t = a.tax_minor;
        if (add(&r->goods_untaxed_minor, a.untaxed_minor) || add(&r->goods_tax_minor, a.tax_minor)
            || add(&r->goods_taxed_minor, a.taxed_minor) || add(&r->item_count, l->quantity)) {
            rv = fail(err, APR_ERANGE, NULL, i);
            goto done;
        }
        if (l->requires_shipping)
            ship = 1;
    }
    nl = n;

    if (in->shipping != NULL && ship) {
        const shop_ship_result_t *s = in->shipping;
        const shop_tax_t *t = s->zone ? s->zone->tax : NULL;
        apr_int64_t sum;
        if (!s->deliverable || s->untaxed_minor < 0 || s->taxed_minor < 0
            || __builtin_add_overflow(s->untaxed_minor, s->tax_minor, &sum)
            || sum != s->taxed_minor || (t != NULL && t->id <= 0)) {
            rv = fail(err, APR_EINVAL, "pricing_error_shipping", -1);
            goto done;
        }
        ship = 2;
    }

    if ((rv = choose(tmp, in, r->goods_taxed_minor, &picked, &npicked, err)) != APR_SUCCESS)
        goto done;
    sc.gid = apr_pcalloc(tmp, sizeof *sc.gid * (size_t)(n + 1));
    sc.groups = apr_pcalloc(tmp, sizeof *sc.groups * (size_t)(n + 1));
    sc.parts = apr_pcalloc(tmp, sizeof *sc.parts * (size_t)(n + 1));
    sc.inscope = apr_pcalloc(tmp, (size_t)(n + 1));
    for (k = 0; k < npicked; k++) {
        if ((rv = apply(p, &sc, in, &picked[k], st, lines, &lines[nl], &made)) != APR_SUCCESS) {
            rv = fail(err, rv, "pricing_error_discount", (int)(picked[k].d - in->discounts));
            goto done;
        }
        if (picked[k].d->type == SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE && r->partner_key == NULL
            && picked[k].code_index >= 0) {
            r->partner_key = picked[k].d->codes[picked[k].code_index].partner_key;
            r->partner_tag = picked[k].d->codes[picked[k].code_index].code;
        }
        if (!made)
            continue;
        if (add(&r->discount_untaxed_minor, lines[nl].untaxed_minor)
            || add(&r->discount_tax_minor, lines[nl].tax_minor)
            || add(&r->discount_minor, lines[nl].taxed_minor)) {
            rv = fail(err, APR_ERANGE, NULL, -1);
            goto done;
        }
        nl++;
    }

    if (ship == 2) {
        const shop_ship_result_t *s = in->shipping;
        shop_pricing_out_line_t *o = &lines[nl++];
        o->type = SHOP_LINE_SHIPPING;
        o->code = "SHIP_";
        o->quantity = 1;
        o->unit_minor = o->untaxed_minor = s->untaxed_minor;
        o->tax_minor = s->tax_minor;
        o->taxed_minor = s->taxed_minor;
        o->tax = s->zone ? s->zone->tax : NULL;
        o->tax_id = tax_id(o->tax);
        o->rate = o->tax ? o->tax->rate : shop_dec_from_int(0);
        r->shipping_untaxed_minor = s->untaxed_minor;
        r->shipping_tax_minor = s->tax_minor;
        r->shipping_minor = s->taxed_minor;
    }

    for (i = 0; i < nl; i++) {
        const shop_pricing_out_line_t *o = &lines[i];
        if (o->type == SHOP_LINE_DISCOUNT) {
            for (k = 0; k < o->nshares; k++)
                taxline_add(r->taxlines, &r->ntaxlines, o->shares[k].tax, o->shares[k].tax_id,
                            o->shares[k].untaxed_minor, o->shares[k].tax_minor, &ovf);
        }
        else
            taxline_add(r->taxlines, &r->ntaxlines, o->tax, o->tax_id, o->untaxed_minor,
                        o->tax_minor, &ovf);
        if (add(&r->untaxed_minor, o->untaxed_minor) || add(&r->taxes_minor, o->tax_minor)
            || add(&r->taxed_minor, o->taxed_minor))
            ovf = 1;
    }
    if (ovf) {
        rv = fail(err, APR_ERANGE, NULL, -1);
        goto done;
    }
    r->to_pay_minor = r->taxed_minor;
    if (r->to_pay_minor < 0) {          /* impossible by the caps; never let it out */
        rv = fail(err, APR_ERANGE, NULL, -1);
        goto done;
    }
    r->lines = lines;
    r->nlines = nl;
    *out = r;
done:
    apr_pool_destroy(tmp);
    return rv;
}
