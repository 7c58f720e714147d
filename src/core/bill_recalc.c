/* Bill totals and manual line amounts: see bill_recalc.h. */
#include "core/bill_recalc.h"

#include <stdlib.h>
#include <string.h>

static const char *const TYPE_NAMES[] = { "PRODUCT", "DISCOUNT", "SHIPPING", "MANUAL" };

int shop_bill_line_type_parse(const char *name, shop_bill_line_type_t *out)
{
    for (int i = 0; name && i < (int)(sizeof(TYPE_NAMES) / sizeof(TYPE_NAMES[0])); i++)
        if (strcmp(name, TYPE_NAMES[i]) == 0) {
            *out = (shop_bill_line_type_t)i;
            return 0;
        }
    return -1;
}

static int add(apr_int64_t *acc, apr_int64_t v)
{
    return __builtin_add_overflow(*acc, v, acc);
}

static int tax_cmp(const void *a, const void *b)
{
    const shop_recalc_tax_t *x = a, *y = b;
    int c = shop_dec_cmp(x->rate, y->rate);
    if (c) return c;
    return x->tax_id < y->tax_id ? -1 : x->tax_id > y->tax_id;
}

static apr_status_t manual_amounts(shop_recalc_line_t *l, const shop_currency_t *cur)
{
    if (l->quantity < 1 || l->unit_minor < 0) return APR_EINVAL;
    shop_tax_amounts_t a;
    shop_formula_error_t err;
    apr_status_t rv = shop_tax_line(l->tax, l->unit_minor, l->quantity, cur, &a, &err);
    if (rv != APR_SUCCESS) return rv;
    /* goods are never worth less than nothing, whatever the formula says */
    if (a.taxed_minor < 0) return APR_EINVAL;
    l->untaxed_minor = a.untaxed_minor;
    l->tax_minor = a.tax_minor;
    l->tax_id = l->tax ? l->tax->id : 0;
    if (l->tax) l->rate = l->tax->rate;
    else memset(&l->rate, 0, sizeof(l->rate));
    return APR_SUCCESS;
}

apr_status_t shop_bill_recalc(apr_pool_t *p, shop_recalc_line_t *lines, int n, const shop_currency_t *cur,
                              shop_recalc_totals_t *out)
{
    if (!out || !cur || n < 0 || (n > 0 && !lines)) return APR_EINVAL;
    memset(out, 0, sizeof(*out));
    out->bad_line = -1;
    out->taxes = apr_pcalloc(p, sizeof(shop_recalc_tax_t) * (apr_size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        shop_recalc_line_t *l = &lines[i];
        if (l->type == SHOP_BL_MANUAL) {
            apr_status_t rv = manual_amounts(l, cur);
            if (rv != APR_SUCCESS) {
                if (rv == APR_EINVAL) out->bad_line = i;
                return rv;
            }
        }
        apr_int64_t line_total = l->untaxed_minor;
        if (add(&line_total, l->tax_minor)) return APR_ERANGE;
        if (l->type == SHOP_BL_SHIPPING) {
            if (add(&out->shipping_minor, line_total)) return APR_ERANGE;
        } else {
            if (add(&out->untaxed_minor, l->untaxed_minor) || add(&out->taxes_minor, l->tax_minor))
                return APR_ERANGE;
            if (l->type == SHOP_BL_DISCOUNT && add(&out->discount_minor, line_total)) return APR_ERANGE;
        }
        shop_recalc_tax_t *t = NULL;
        for (int k = 0; k < out->ntaxes && !t; k++)
            if (out->taxes[k].tax_id == l->tax_id && shop_dec_cmp(out->taxes[k].rate, l->rate) == 0)
                t = &out->taxes[k];
        if (!t) {
            t = &out->taxes[out->ntaxes++];
            t->tax_id = l->tax_id;
            t->rate = l->rate;
        }
        if (add(&t->base_minor, l->untaxed_minor) || add(&t->amount_minor, l->tax_minor)) return APR_ERANGE;
    }
    out->taxed_minor = out->untaxed_minor;
    if (add(&out->taxed_minor, out->taxes_minor)) return APR_ERANGE;
    out->to_pay_minor = out->taxed_minor;
    if (add(&out->to_pay_minor, out->shipping_minor)) return APR_ERANGE;
    qsort(out->taxes, (size_t)out->ntaxes, sizeof(shop_recalc_tax_t), tax_cmp);
    return APR_SUCCESS;
}
