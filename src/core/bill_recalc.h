/*
 * bill_recalc.h -- the totals of a bill from its lines, as a stored bill
 * keeps them, and the amounts of manual lines typed in the back office.
 * Pure: no database, no httpd, int64 minor units, never floating point.
 *
 * MANUAL lines are recomputed from what staff typed, with the one rule of
 * the shop (core/tax.h shop_tax_line): untaxed = unit * q, taxed = the
 * tax's formula on the unit times q rounded half-up ONCE per line, tax =
 * taxed - untaxed; no tax = untaxed.  The unit price is >= 0 and q >= 1.
 * Other lines (PRODUCT, DISCOUNT, SHIPPING, priced at placement) keep their
 * stored amounts.
 *
 * Totals, as placement writes them (web/order_build.c):
 *   untaxed  = Σ untaxed of the lines other than SHIPPING (discounts included)
 *   taxes    = Σ tax of the lines other than SHIPPING
 *   taxed    = untaxed + taxes
 *   discount = Σ (untaxed + tax) of the DISCOUNT lines (<= 0)
 *   shipping = Σ (untaxed + tax) of the SHIPPING lines
 *   to_pay   = taxed + shipping
 * Per-rate taxes: one entry per distinct (tax id, rate) over every line,
 * shipping included, with base = Σ untaxed and amount = Σ tax, sorted by
 * rate then tax id; untaxed lines give the entry (0, 0).
 *
 * Errors: APR_EINVAL (out->bad_line says which line) for a MANUAL line with
 * q < 1 or a negative unit price, or a formula that fails; APR_ERANGE on
 * any int64 overflow.  Memory: taxes in p.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_BILL_RECALC_H
#define SHOP_CORE_BILL_RECALC_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/tax.h"

typedef enum {
    SHOP_BL_PRODUCT = 0, SHOP_BL_DISCOUNT, SHOP_BL_SHIPPING, SHOP_BL_MANUAL
} shop_bill_line_type_t;

typedef struct shop_recalc_line {
    shop_bill_line_type_t type;
    apr_int64_t quantity;
    apr_int64_t unit_minor;        /* untaxed unit price */
    const shop_tax_t *tax;         /* MANUAL: the tax applied (NULL = untaxed) */
    apr_int64_t tax_id;            /* other lines: as stored, 0 = none */
    shop_dec_t rate;               /* other lines: as stored (percent) */
    apr_int64_t untaxed_minor;     /* MANUAL: written; others: read */
    apr_int64_t tax_minor;         /* MANUAL: written; others: read */
} shop_recalc_line_t;

typedef struct shop_recalc_tax {
    apr_int64_t tax_id;
    shop_dec_t rate;
    apr_int64_t base_minor, amount_minor;
} shop_recalc_tax_t;

typedef struct shop_recalc_totals {
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor;
    apr_int64_t discount_minor, shipping_minor, to_pay_minor;
    shop_recalc_tax_t *taxes;
    int ntaxes;
    int bad_line;                  /* APR_EINVAL: index of the line refused, else -1 */
} shop_recalc_totals_t;

/* "PRODUCT", "DISCOUNT", "SHIPPING", "MANUAL" (as in the bill_line.type
 * column) to the enum.  0, or -1 for anything else. */
int shop_bill_line_type_parse(const char *name, shop_bill_line_type_t *out);

/* Recompute the MANUAL lines of lines[0..n) in place (tax and rate taken
 * from line->tax), then the totals (above) into *out. */
apr_status_t shop_bill_recalc(apr_pool_t *p, shop_recalc_line_t *lines, int n, const shop_currency_t *cur,
                              shop_recalc_totals_t *out);

#endif /* SHOP_CORE_BILL_RECALC_H */
