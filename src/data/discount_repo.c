/* Discount rules of a shop: see discount_repo.h. */
#include "data/discount_repo.h"

#include <apr_strings.h>
#include <string.h>

#include <json.h>

#include "core/discount_rules.h"

/* One round trip: each rule with its codes as a JSON array [code, ratio
 * text, partner key, spent], from a correlated subquery.  (A join would sort
 * the rules' text columns in a temporary table; this reads the rules in
 * index order.)  A quote runs on every cart view, so the query counts. */
static const shop_sql_t Q_RULES = {
    "discount.rules",
    "SELECT d.id, d.name, d.type, d.operator, d.rule_data, d.ratio, d.amount_minor, d.currency, d.apply_on,"
    " d.apply_codes, d.enabled, d.ordering, COALESCE(d.valid_from, 0), COALESCE(d.valid_until, 0),"
    " (SELECT JSON_ARRAYAGG(JSON_ARRAY(dc.code, CAST(dc.ratio AS CHAR), p.partner_key,"
    "                       dc.max_uses IS NOT NULL AND dc.uses >= dc.max_uses) ORDER BY dc.id)"
    "  FROM {shop}discount_code dc LEFT JOIN {shop}partner p ON p.id = dc.partner_id AND p.enabled = 1"
    "  WHERE dc.discount_id = d.id)"
    " FROM {shop}discount d WHERE d.shop_id = %s AND d.enabled = 1 ORDER BY d.ordering, d.id LIMIT 256"
};
static const shop_sql_t Q_COUNT_USE = {
    "discount.count_use",
    "UPDATE {shop}discount_code SET uses = uses + 1"
    " WHERE discount_id = %s AND code = %s AND (max_uses IS NULL OR uses < max_uses)"
};

static const char *json_text_or_null(apr_pool_t *pool, json_object *o)
{
    return o && !json_object_is_type(o, json_type_null) ? apr_pstrdup(pool, json_object_get_string(o)) : NULL;
}

/* The codes of one rule from its JSON array (NULL: none).  -1 when the
 * array is not what the query makes. */
static int codes_from_json(apr_pool_t *pool, const char *text, shop_discount_code_row_t **out)
{
    *out = NULL;
    if (!text) return 0;
    json_object *arr = json_tokener_parse(text);
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return -1;
    }
    int n = (int)json_object_array_length(arr);
    shop_discount_code_row_t *codes = apr_pcalloc(pool, sizeof(*codes) * (apr_size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(c, json_type_array) || json_object_array_length(c) != 4) {
            json_object_put(arr);
            return -1;
        }
        codes[i].code = json_text_or_null(pool, json_object_array_get_idx(c, 0));
        codes[i].ratio = json_text_or_null(pool, json_object_array_get_idx(c, 1));
        codes[i].partner_key = json_text_or_null(pool, json_object_array_get_idx(c, 2));
        json_object *spent = json_object_array_get_idx(c, 3);
        codes[i].spent = spent && json_object_get_int(spent) != 0;
    }
    json_object_put(arr);
    *out = codes;
    return n;
}

int shop_discount_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_discount_set_t *out)
{
    shop_rows_t *rules;
    const char *args[] = { shop_db_i64(db->pool, shop_id) };
    memset(out, 0, sizeof(*out));
    int rv = shop_db_select(db, &Q_RULES, 1, args, &rules);
    if (rv != 0) return rv;
    int n = rules->nrows;
    out->rules = apr_pcalloc(pool, sizeof(*out->rules) * (apr_size_t)(n ? n : 1));
    out->spent = apr_pcalloc(pool, sizeof(*out->spent) * (apr_size_t)(n ? n : 1));
    out->skipped = apr_pcalloc(pool, sizeof(*out->skipped) * (apr_size_t)(n ? n : 1));
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
        shop_discount_code_row_t *codes;
        int nc = codes_from_json(db->pool, shop_rows_str(rules, r, 14), &codes);
        const char *why = "its offer codes could not be read";
        if (nc >= 0 && shop_discount_decode(pool, &row, codes, nc, &out->rules[out->nrules],
                                            &out->spent[out->nrules], &why) == APR_SUCCESS) {
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
