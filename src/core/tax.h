/*
 * tax.h -- taxes (local_shop_tax, §5.1): a title, an informational country,
 * a rate in percent and a formula computing the taxed price $ttc from the
 * untaxed price $ht and the rate $tr.
 *
 * Formula (formula.h grammar), read variables ht and tr, target ttc:
 *   NULL          the default, SHOP_TAX_DEFAULT_FORMULA: $ttc = $ht * (1 + $tr / 100)
 *   "" or spaces  local_shop's empty formula: $ttc = $ht (no tax; our
 *                 schema stores '' for it)
 *   otherwise     compiled; "$TTC = $HT + ($HT*$TR/100)" works (names are
 *                 case-insensitive, as local_shop lower-cased formulas).
 * $ht is the untaxed UNIT price in major units (12.34 for 1234 cents), $tr
 * the rate as stored (20 for 20 %), exact decimals.
 *
 * Line amounts (shop_tax_line), per ARCHITECTURE "half-up to the minor unit
 * per line; per-rate totals are sums":
 *   untaxed = unit * q                              (exact, minor units)
 *   taxed   = round_half_up(formula(unit) * q)      (exact until this one rounding)
 *   tax     = taxed - untaxed
 * Ties round away from zero, so a negative (discount) line mirrors the line
 * it discounts.  The formula is applied to the unit price as local_shop does
 * (taxedunit x q), never to the line total, so non-linear formulas keep
 * their per-unit meaning; the single rounding per line avoids local_shop's
 * per-unit rounding drift.  Bill totals and per-tax totals are sums of line
 * amounts (the caller's).  A NULL tax (untaxed product, local_shop's tax
 * id 0) gives taxed = untaxed.  The tax never depends on the buyer's
 * country (local_shop has no destination-based VAT).
 *
 * Validation (shop_tax_validate) for the back-office form, each failure with
 * the field and an i18n message key:
 *   title     tax_error_title      required, at most SHOP_TAX_MAX_TITLE bytes
 *   country   tax_error_country    empty or two ASCII letters
 *   rate      tax_error_rate       a decimal ("20", "5.5", "5,5") from 0 to
 *                                  100 with at most SHOP_TAX_RATE_DECIMALS
 *                                  decimals (the DECIMAL(10,4) column)
 *   formula   tax_error_formula    must compile (detail = the formula
 *                                  message with its position), must read
 *                                  $ht, and must evaluate without error for
 *                                  a few sample prices at that rate
 *
 * Memory: shop_tax_make / shop_tax_validate allocate the tax (strings
 * copied, formula compiled) in p; a tax is immutable afterwards and may be
 * shared by threads (e.g. in a per-child catalogue cache).  Computing
 * allocates nothing.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_TAX_H
#define SHOP_CORE_TAX_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/formula.h"

#define SHOP_TAX_DEFAULT_FORMULA    "$ttc = $ht * (1 + $tr / 100)"
#define SHOP_TAX_MAX_TITLE          128
#define SHOP_TAX_MAX_FORMULA        255     /* the formula column */
#define SHOP_TAX_MAX_RATE           100     /* percent, inclusive */
#define SHOP_TAX_RATE_DECIMALS      4

/* the formula's variables, in the order shop_tax_line passes them */
#define SHOP_TAX_VAR_HT             0
#define SHOP_TAX_VAR_TR             1
#define SHOP_TAX_NVARS              2
#define SHOP_TAX_TARGET             "ttc"

typedef struct shop_tax_t {
    apr_int64_t id;
    const char *title;
    const char *country;        /* "" or two letters, informational */
    shop_dec_t rate;            /* percent, $tr */
    const char *formula_src;    /* as given (NULL = the default) */
    const shop_formula_t *formula;  /* compiled; NULL = $ttc = $ht */
} shop_tax_t;

typedef struct shop_tax_amounts_t {
    apr_int64_t untaxed_minor;
    apr_int64_t tax_minor;
    apr_int64_t taxed_minor;
} shop_tax_amounts_t;

typedef struct shop_tax_field_error_t {
    const char *field;          /* "title", "country", "rate", "formula" */
    const char *key;            /* "tax_error_..." */
    shop_formula_error_t detail;    /* for "formula": what and where */
} shop_tax_field_error_t;

/* Compile a tax formula (NULL = default, blank = none: *out NULL). */
apr_status_t shop_tax_compile_formula(apr_pool_t *p, const char *formula,
                                      const shop_formula_t **out,
                                      shop_formula_error_t *err);

/* A tax from stored values (title and country may be NULL for ""), the
 * formula compiled.  APR_EINVAL with err filled if the formula does not
 * compile (a row written by another tool). */
apr_status_t shop_tax_make(apr_pool_t *p, apr_int64_t id, const char *title,
                           const char *country, shop_dec_t rate,
                           const char *formula, shop_tax_t **out,
                           shop_formula_error_t *err);

/* Amounts of a line of q (>= 0) units at unit_minor (untaxed, may be
 * negative) in currency c, taxed by tax (NULL = untaxed).  APR_SUCCESS;
 * APR_ERANGE on overflow; APR_EINVAL (err filled if not NULL) for a bad
 * argument or a formula that fails (division by zero...). */
apr_status_t shop_tax_line(const shop_tax_t *tax, apr_int64_t unit_minor,
                           apr_int64_t q, const shop_currency_t *c,
                           shop_tax_amounts_t *out, shop_formula_error_t *err);

/* Taxed price of one unit (the line of quantity 1). */
apr_status_t shop_tax_unit_taxed(const shop_tax_t *tax, apr_int64_t unit_minor,
                                 const shop_currency_t *c,
                                 apr_int64_t *taxed_minor,
                                 shop_formula_error_t *err);

/* Check a tax typed in the back office (rules above).  rate_text is what
 * was typed.  On success *out (if out is not NULL) is the tax, id 0.
 * APR_EINVAL with *e filled (first failing field in the order title,
 * country, rate, formula). */
apr_status_t shop_tax_validate(apr_pool_t *p, const char *title,
                               const char *country, const char *rate_text,
                               const char *formula, shop_tax_t **out,
                               shop_tax_field_error_t *e);

#endif /* SHOP_CORE_TAX_H */
