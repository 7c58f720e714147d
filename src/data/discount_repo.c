/* Discount rules of a shop: see discount_repo.h. */
#include "data/discount_repo.h"

#include <apr_strings.h>
#include <string.h>

#include "core/discount_rules.h"

/* One query for the rules and their codes (one row per code, or one row
 * with NULL code columns for a rule without codes), grouped by rule below:
 * a quote is on every cart view, and each round trip counts. */
static const shop_sql_t Q_RULES = {
    "discount.rules",
    "SELECT d.id, d.name, d.type, d.operator, d.rule_data, d.ratio, d.amount_minor, d.currency, d.apply_on,"
    " d.apply_codes, d.enabled, d.ordering, COALESCE(d.valid_from, 0), COALESCE(d.valid_until, 0),"
    " dc.code, dc.ratio, p.partner_key, (dc.max_uses IS NOT NULL AND dc.uses >= dc.max_uses)"
    " FROM {shop}discount d LEFT JOIN {shop}discount_code dc ON dc.discount_id = d.id"
    " LEFT JOIN {shop}partner p ON p.id = dc.partner_id AND p.enabled = 1"
    " WHERE d.shop_id = %s AND d.enabled = 1 ORDER BY d.ordering, d.id, dc.id"
};
#define C_CODE 14       /* first code column */
static const shop_sql_t Q_COUNT_USE = {
    "discount.count_use",
    "UPDATE {shop}discount_code SET uses = uses + 1"
    " WHERE discount_id = %s AND code = %s AND (max_uses IS NULL OR uses < max_uses)"
};

static void rule_from_row(const shop_rows_t *rows, int r, shop_discount_row_t *row)
{
    memset(row, 0, sizeof(*row));
    row->id = shop_rows_i64(rows, r, 0, 0);
    row->name = shop_rows_str(rows, r, 1);
    row->type = shop_rows_str(rows, r, 2);
    row->op = shop_rows_str(rows, r, 3);
    row->rule_data = shop_rows_str(rows, r, 4);
    row->ratio = shop_rows_str(rows, r, 5);
    row->amount_minor = shop_rows_str(rows, r, 6);
    row->currency = shop_rows_str(rows, r, 7);
    row->apply_on = shop_rows_str(rows, r, 8);
    row->apply_codes = shop_rows_str(rows, r, 9);
    row->enabled = shop_rows_i64(rows, r, 10, 0) != 0;
    row->ordering = (int)shop_rows_i64(rows, r, 11, 0);
    row->valid_from = shop_rows_i64(rows, r, 12, 0);
    row->valid_until = shop_rows_i64(rows, r, 13, 0);
}

int shop_discount_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_discount_set_t *out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, shop_id) };
    memset(out, 0, sizeof(*out));
    int rv = shop_db_select(db, &Q_RULES, 1, args, &rows);
    if (rv != 0) return rv;
    apr_size_t cap = (apr_size_t)(rows->nrows ? rows->nrows : 1);
    out->rules = apr_pcalloc(pool, sizeof(*out->rules) * cap);
    out->spent = apr_pcalloc(pool, sizeof(*out->spent) * cap);
    out->skipped = apr_pcalloc(pool, sizeof(*out->skipped) * cap);
    shop_discount_code_row_t *crow = apr_pcalloc(db->pool, sizeof(*crow) * cap);
    for (int r = 0; r < rows->nrows && out->nrules + out->nskipped < SHOP_PRICING_MAX_DISCOUNTS;) {
        shop_discount_row_t row;
        rule_from_row(rows, r, &row);
        int nc = 0;
        for (; r < rows->nrows && shop_rows_i64(rows, r, 0, 0) == row.id; r++) {
            if (!shop_rows_str(rows, r, C_CODE)) continue;      /* a rule without codes */
            crow[nc].code = shop_rows_str(rows, r, C_CODE);
            crow[nc].ratio = shop_rows_str(rows, r, C_CODE + 1);
            crow[nc].partner_key = shop_rows_str(rows, r, C_CODE + 2);
            crow[nc].spent = shop_rows_i64(rows, r, C_CODE + 3, 0) != 0;
            nc++;
        }
        const char *why = NULL;
        if (shop_discount_decode(pool, &row, crow, nc, &out->rules[out->nrules], &out->spent[out->nrules], &why)
            == APR_SUCCESS) {
            out->nrules++;
        } else {
            out->skipped[out->nskipped].id = row.id;
            out->skipped[out->nskipped].why = apr_pstrdup(pool, why);
            out->nskipped++;
        }
    }
    return 0;
}

int shop_discount_code_count_use(shop_db_t *db, apr_int64_t discount_id, const char *code, int *counted)
{
    const char *args[] = { shop_db_i64(db->pool, discount_id), code };
    int affected = 0;
    int rv = shop_db_exec(db, &Q_COUNT_USE, 2, args, &affected);
    *counted = rv == 0 && affected > 0;
    return rv;
}
