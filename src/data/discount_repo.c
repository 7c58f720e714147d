/* Discount rules of a shop: see discount_repo.h. */
#include "data/discount_repo.h"

#include <apr_strings.h>
#include <string.h>

#include "core/discount_rules.h"

static const shop_sql_t Q_RULES = {
    "discount.rules",
    "SELECT id, name, type, operator, rule_data, ratio, amount_minor, currency, apply_on, apply_codes, enabled,"
    " ordering, COALESCE(valid_from, 0), COALESCE(valid_until, 0)"
    " FROM {shop}discount WHERE shop_id = %s AND enabled = 1 ORDER BY ordering, id LIMIT 256"
};
static const shop_sql_t Q_CODES = {
    "discount.codes",
    "SELECT dc.discount_id, dc.code, dc.ratio, p.partner_key,"
    " (dc.max_uses IS NOT NULL AND dc.uses >= dc.max_uses)"
    " FROM {shop}discount_code dc JOIN {shop}discount d ON d.id = dc.discount_id"
    " LEFT JOIN {shop}partner p ON p.id = dc.partner_id AND p.enabled = 1"
    " WHERE d.shop_id = %s AND d.enabled = 1 ORDER BY dc.discount_id, dc.id"
};
static const shop_sql_t Q_COUNT_USE = {
    "discount.count_use",
    "UPDATE {shop}discount_code SET uses = uses + 1"
    " WHERE discount_id = %s AND code = %s AND (max_uses IS NULL OR uses < max_uses)"
};

int shop_discount_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_discount_set_t *out)
{
    shop_rows_t *rules, *codes;
    const char *args[] = { shop_db_i64(db->pool, shop_id) };
    memset(out, 0, sizeof(*out));
    int rv = shop_db_select(db, &Q_RULES, 1, args, &rules);
    if (rv == 0) rv = shop_db_select(db, &Q_CODES, 1, args, &codes);
    if (rv != 0) return rv;
    int n = rules->nrows;
    out->rules = apr_pcalloc(pool, sizeof(*out->rules) * (apr_size_t)(n ? n : 1));
    out->spent = apr_pcalloc(pool, sizeof(*out->spent) * (apr_size_t)(n ? n : 1));
    out->skipped = apr_pcalloc(pool, sizeof(*out->skipped) * (apr_size_t)(n ? n : 1));
    shop_discount_code_row_t *crow = apr_pcalloc(db->pool, sizeof(*crow) * (apr_size_t)(codes->nrows + 1));
    int c;
    for (int r = 0; r < n; r++) {
        shop_discount_row_t row;
        memset(&row, 0, sizeof(row));
        row.id = shop_rows_i64(rules, r, 0, 0);
        row.name = shop_rows_str(rules, r, 1);
        row.type = shop_rows_str(rules, r, 2);
        row.op = shop_rows_str(rules, r, 3);
        row.rule_data = shop_rows_str(rules, r, 4);
        row.ratio = shop_rows_str(rules, r, 5);
        row.amount_minor = shop_rows_str(rules, r, 6);
        row.currency = shop_rows_str(rules, r, 7);
        row.apply_on = shop_rows_str(rules, r, 8);
        row.apply_codes = shop_rows_str(rules, r, 9);
        row.enabled = shop_rows_i64(rules, r, 10, 0) != 0;
        row.ordering = (int)shop_rows_i64(rules, r, 11, 0);
        row.valid_from = shop_rows_i64(rules, r, 12, 0);
        row.valid_until = shop_rows_i64(rules, r, 13, 0);
        int nc = 0;
        for (c = 0; c < codes->nrows; c++) {
            if (shop_rows_i64(codes, c, 0, 0) != row.id) continue;
            crow[nc].code = shop_rows_str(codes, c, 1);
            crow[nc].ratio = shop_rows_str(codes, c, 2);
            crow[nc].partner_key = shop_rows_str(codes, c, 3);
            crow[nc].spent = shop_rows_i64(codes, c, 4, 0) != 0;
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
