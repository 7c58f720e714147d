/*
 * tax.c -- tax formulas and per-line tax amounts (see tax.h).
 */
#include <string.h>

#include <apr_strings.h>

#include "core/tax.h"

static const char *const tax_vars[SHOP_TAX_NVARS] = { "ht", "tr" };

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

apr_status_t shop_tax_compile_formula(apr_pool_t *p, const char *formula,
                                      const shop_formula_t **out,
                                      shop_formula_error_t *err)
{
    shop_formula_t *f;
    apr_status_t rv;

    if (formula == NULL)
        formula = SHOP_TAX_DEFAULT_FORMULA;
    if (blank(formula)) {
        *out = NULL;
        return APR_SUCCESS;
    }
    rv = shop_formula_compile(p, formula, strlen(formula), tax_vars,
                              SHOP_TAX_NVARS, SHOP_TAX_TARGET, &f, err);
    if (rv == APR_SUCCESS)
        *out = f;
    return rv;
}

apr_status_t shop_tax_make(apr_pool_t *p, apr_int64_t id, const char *title,
                           const char *country, shop_dec_t rate,
                           const char *formula, shop_tax_t **out,
                           shop_formula_error_t *err)
{
    const shop_formula_t *f;
    shop_tax_t *t;
    apr_status_t rv;

    if ((rv = shop_tax_compile_formula(p, formula, &f, err)) != APR_SUCCESS)
        return rv;
    t = apr_pcalloc(p, sizeof *t);
    t->id = id;
    t->title = apr_pstrdup(p, title ? title : "");
    t->country = apr_pstrdup(p, country ? country : "");
    t->rate = rate;
    t->formula_src = formula ? apr_pstrdup(p, formula) : NULL;
    t->formula = f;
    *out = t;
    return APR_SUCCESS;
}

/* the taxed value of one unit, unrounded */
static apr_status_t taxed_unit(const shop_tax_t *tax, shop_dec_t ht,
                               shop_dec_t *ttc, shop_formula_error_t *err)
{
    shop_dec_t v[SHOP_TAX_NVARS];

    if (tax == NULL || tax->formula == NULL) {
        *ttc = ht;
        return APR_SUCCESS;
    }
    v[SHOP_TAX_VAR_HT] = ht;
    v[SHOP_TAX_VAR_TR] = tax->rate;
    return shop_formula_eval(tax->formula, v, SHOP_TAX_NVARS, ttc, err);
}

apr_status_t shop_tax_line(const shop_tax_t *tax, apr_int64_t unit_minor,
                           apr_int64_t q, const shop_currency_t *c,
                           shop_tax_amounts_t *out, shop_formula_error_t *err)
{
    shop_dec_t ttc, line;
    apr_int64_t untaxed, taxed, t;
    apr_status_t rv;

    if (c == NULL || out == NULL || q < 0)
        return APR_EINVAL;
    if (__builtin_mul_overflow(unit_minor, q, &untaxed))
        return APR_ERANGE;
    if ((rv = taxed_unit(tax, shop_dec_from_minor(unit_minor, c->exponent),
                         &ttc, err)) != APR_SUCCESS)
        return rv;
    if ((rv = shop_dec_mul(ttc, shop_dec_from_int(q), &line)) != APR_SUCCESS
        || (rv = shop_dec_to_minor(line, c->exponent, &taxed)) != APR_SUCCESS)
        return rv;
    if (__builtin_sub_overflow(taxed, untaxed, &t))
        return APR_ERANGE;
    out->untaxed_minor = untaxed;
    out->taxed_minor = taxed;
    out->tax_minor = t;
    return APR_SUCCESS;
}

apr_status_t shop_tax_unit_taxed(const shop_tax_t *tax, apr_int64_t unit_minor,
                                 const shop_currency_t *c,
                                 apr_int64_t *taxed_minor,
                                 shop_formula_error_t *err)
{
    shop_tax_amounts_t a;
    apr_status_t rv = shop_tax_line(tax, unit_minor, 1, c, &a, err);

    if (rv == APR_SUCCESS)
        *taxed_minor = a.taxed_minor;
    return rv;
}

static int ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static apr_status_t field_error(shop_tax_field_error_t *e, const char *field,
                                const char *key)
{
    if (e) {
        e->field = field;
        e->key = key;
    }
    return APR_EINVAL;
}

/* "20", "5.5", "5,5", surrounding spaces allowed; 0..100, <= 4 decimals */
static int parse_rate(const char *text, shop_dec_t *rate)
{
    char buf[SHOP_DEC_MAX_TEXT + 1];
    apr_size_t b = 0, e, i;
    shop_dec_t r, hundred = shop_dec_from_int(SHOP_TAX_MAX_RATE), q;

    if (text == NULL)
        return 0;
    e = strlen(text);
    while (b < e && (text[b] == ' ' || text[b] == '\t'))
        b++;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t'))
        e--;
    if (e - b == 0 || e - b > SHOP_DEC_MAX_TEXT)
        return 0;
    for (i = b; i < e; i++)
        buf[i - b] = text[i] == ',' ? '.' : text[i];
    if (shop_dec_parse_n(buf, e - b, &r) != APR_SUCCESS)
        return 0;
    if (shop_dec_sign(r) < 0 || shop_dec_cmp(r, hundred) > 0)
        return 0;
    if (shop_dec_round(r, SHOP_TAX_RATE_DECIMALS, &q) != APR_SUCCESS
        || shop_dec_cmp(q, r) != 0)
        return 0;
    *rate = r;
    return 1;
}

apr_status_t shop_tax_validate(apr_pool_t *p, const char *title,
                               const char *country, const char *rate_text,
                               const char *formula, shop_tax_t **out,
                               shop_tax_field_error_t *e)
{
    /* sample unit prices (major units) the formula must survive */
    static const char *const samples[] = { "0", "0.01", "1", "99.99", "12345.67" };
    shop_formula_error_t ferr;
    shop_dec_t rate, ttc;
    shop_tax_t *t;
    apr_size_t i;

    if (e)
        memset(e, 0, sizeof *e);
    if (title == NULL || blank(title) || strlen(title) > SHOP_TAX_MAX_TITLE)
        return field_error(e, "title", "tax_error_title");
    if (country != NULL && country[0] != '\0'
        && !(ascii_alpha(country[0]) && ascii_alpha(country[1])
             && country[2] == '\0'))
        return field_error(e, "country", "tax_error_country");
    if (!parse_rate(rate_text, &rate))
        return field_error(e, "rate", "tax_error_rate");
    if (formula != NULL && strlen(formula) > SHOP_TAX_MAX_FORMULA) {
        if (e) {
            e->detail.pos = SHOP_TAX_MAX_FORMULA;
            apr_snprintf(e->detail.msg, sizeof e->detail.msg,
                         "formula longer than %d bytes at %d",
                         SHOP_TAX_MAX_FORMULA, SHOP_TAX_MAX_FORMULA);
        }
        return field_error(e, "formula", "tax_error_formula");
    }
    if (shop_tax_make(p, 0, title, country, rate, formula, &t, &ferr)
        != APR_SUCCESS) {
        if (e)
            e->detail = ferr;
        return field_error(e, "formula", "tax_error_formula");
    }
    if (t->formula != NULL && !shop_formula_uses(t->formula, SHOP_TAX_VAR_HT)) {
        if (e) {
            e->detail.pos = 0;
            apr_cpystrn(e->detail.msg, "the formula must use $ht at 0",
                        sizeof e->detail.msg);
        }
        return field_error(e, "formula", "tax_error_formula");
    }
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        shop_dec_t ht;
        shop_dec_parse(samples[i], &ht);
        if (taxed_unit(t, ht, &ttc, &ferr) != APR_SUCCESS) {
            if (e)
                e->detail = ferr;
            return field_error(e, "formula", "tax_error_formula");
        }
    }
    if (out)
        *out = t;
    return APR_SUCCESS;
}
