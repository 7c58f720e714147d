/* Decoding discount rows into pricing rules: see discount_rules.h. */
#include <string.h>

#include <apr_strings.h>

#include "core/discount_rules.h"
#include "core/jsonbody.h"

typedef struct decoder {
    apr_pool_t *p;
    const char *why;
} decoder_t;

static apr_status_t bad(decoder_t *dc, const char *why)
{
    dc->why = why;
    return APR_EINVAL;
}

static int ratio_ok(shop_dec_t r)
{
    return shop_dec_sign(r) > 0 && shop_dec_cmp(r, shop_dec_from_int(100)) <= 0;
}

static int text_ok(const char *s, apr_size_t max)
{
    apr_size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= max;
}

/* A JSON text that must be an object (NULL or blank = no object). */
static apr_status_t parse_object(decoder_t *dc, const char *text, const char *what, json_object **out)
{
    const char *err;
    *out = NULL;
    if (!text || !*text || !strcmp(text, "null")) return APR_SUCCESS;
    if (strlen(text) > SHOP_DISCOUNT_MAX_RULE_DATA)
        return bad(dc, apr_pstrcat(dc->p, what, ": too long", NULL));
    if (shop_json_parse_body(dc->p, text, strlen(text), out, &err) != APR_SUCCESS)
        return bad(dc, apr_pstrcat(dc->p, what, ": ", err, NULL));
    return APR_SUCCESS;
}

/* An array of 1..SHOP_PRICING_MAX_ITEMS strings of 1..max bytes. */
static apr_status_t string_list(decoder_t *dc, json_object *arr, const char *what, apr_size_t max,
                                const char *const **out, int *n)
{
    if (!arr || !json_object_is_type(arr, json_type_array))
        return bad(dc, apr_pstrcat(dc->p, what, " must be an array of strings", NULL));
    size_t len = json_object_array_length(arr);
    if (len < 1 || len > SHOP_PRICING_MAX_ITEMS)
        return bad(dc, apr_psprintf(dc->p, "%s must hold 1 to %d entries", what, SHOP_PRICING_MAX_ITEMS));
    const char **list = apr_pcalloc(dc->p, sizeof(*list) * len);
    for (size_t i = 0; i < len; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!v || !json_object_is_type(v, json_type_string) || !text_ok(json_object_get_string(v), max))
            return bad(dc, apr_psprintf(dc->p, "%s entries must be strings of 1 to %d bytes", what, (int)max));
        list[i] = apr_pstrdup(dc->p, json_object_get_string(v));
    }
    *out = list;
    *n = (int)len;
    return APR_SUCCESS;
}

static apr_status_t int_field(decoder_t *dc, json_object *o, const char *key, apr_int64_t max, apr_int64_t *out)
{
    apr_status_t rv = o ? shop_json_get_int64_range(o, key, 0, max, out) : APR_NOTFOUND;
    if (rv == APR_SUCCESS) return rv;
    return bad(dc, apr_psprintf(dc->p, "rule_data: %s must be an integer from 0 to %" APR_INT64_T_FMT, key, max));
}

/* A ratio: decimal text or a JSON integer, in (0, 100]. */
static apr_status_t json_ratio(decoder_t *dc, json_object *v, shop_dec_t *out)
{
    if (json_object_is_type(v, json_type_int)) *out = shop_dec_from_int(json_object_get_int64(v));
    else if (!json_object_is_type(v, json_type_string) || shop_dec_parse(json_object_get_string(v), out) != APR_SUCCESS)
        return bad(dc, "rule_data: a ratio must be a decimal string or an integer");
    return ratio_ok(*out) ? APR_SUCCESS : bad(dc, "rule_data: a ratio must be in (0, 100]");
}

static apr_status_t partners(decoder_t *dc, json_object *data, shop_discount_t *d)
{
    json_object *arr = NULL;
    if (!data || !json_object_object_get_ex(data, "partners", &arr) || !json_object_is_type(arr, json_type_array))
        return bad(dc, "rule_data: partners must be an array");
    size_t len = json_object_array_length(arr);
    if (len < 1 || len > SHOP_PRICING_MAX_ITEMS) return bad(dc, "rule_data: partners must hold 1 or more entries");
    shop_discount_code_t *codes = apr_pcalloc(dc->p, sizeof(*codes) * len);
    for (size_t i = 0; i < len; i++) {
        json_object *e = json_object_array_get_idx(arr, i), *v;
        if (!e || !json_object_is_type(e, json_type_object)) return bad(dc, "rule_data: partners entries must be objects");
        if (shop_json_get_string(dc->p, e, "partner_key", SHOP_DISCOUNT_MAX_TEXT, &codes[i].partner_key) != APR_SUCCESS
            || !*codes[i].partner_key)
            return bad(dc, "rule_data: partner_key must be a string");
        apr_status_t rv = shop_json_get_string(dc->p, e, "sources", 3, &codes[i].sources);
        if (rv == APR_NOTFOUND) codes[i].sources = NULL;
        else if (rv != APR_SUCCESS || strspn(codes[i].sources, "EIA") != strlen(codes[i].sources))
            return bad(dc, "rule_data: sources must be letters of EIA");
        if (json_object_object_get_ex(e, "ratio", &v) && v) {
            if (json_ratio(dc, v, &codes[i].ratio) != APR_SUCCESS) return APR_EINVAL;
            codes[i].has_ratio = 1;
        }
    }
    d->codes = codes;
    d->ncodes = (int)len;
    return APR_SUCCESS;
}

static int is_code_type(shop_discount_type_t t)
{
    return t == SHOP_DISCOUNT_OFFER_CODE || t == SHOP_DISCOUNT_MULTIPLE_OFFER_CODE
           || t == SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE;
}

/* The {shop}discount_code rows of a code type: usable ones into d, spent
 * ones into spent. */
static apr_status_t offer_codes(decoder_t *dc, const shop_discount_code_row_t *rows, int n,
                                shop_discount_t *d, shop_discount_t *spent)
{
    if (n < 1 || n > SHOP_PRICING_MAX_ITEMS) return bad(dc, "codes: the rule has no offer code");
    if (d->type == SHOP_DISCOUNT_OFFER_CODE && n != 1) return bad(dc, "codes: OfferCode takes exactly one code");
    shop_discount_code_t *ok = apr_pcalloc(dc->p, sizeof(*ok) * (apr_size_t)n);
    shop_discount_code_t *gone = apr_pcalloc(dc->p, sizeof(*gone) * (apr_size_t)n);
    int nok = 0, ngone = 0;
    for (int i = 0; i < n; i++) {
        shop_discount_code_t c;
        memset(&c, 0, sizeof(c));
        if (!shop_offer_code_clean(dc->p, rows[i].code)) return bad(dc, "codes: a code must be 1 to 64 printable characters");
        c.code = apr_pstrdup(dc->p, rows[i].code);
        if (rows[i].ratio) {
            if (shop_dec_parse(rows[i].ratio, &c.ratio) != APR_SUCCESS || !ratio_ok(c.ratio))
                return bad(dc, "codes: a code's ratio must be in (0, 100]");
            c.has_ratio = 1;
        }
        if (d->type == SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE) {
            if (!text_ok(rows[i].partner_key, SHOP_DISCOUNT_MAX_TEXT))
                return bad(dc, "codes: a PartnerMultipleOfferCode code needs a partner");
            c.partner_key = apr_pstrdup(dc->p, rows[i].partner_key);
        }
        if (rows[i].spent) gone[ngone++] = c;
        else ok[nok++] = c;
    }
    d->codes = ok;
    d->ncodes = nok;
    if (spent) {
        spent->codes = gone;
        spent->ncodes = ngone;
    }
    return APR_SUCCESS;
}

static apr_status_t amounts(decoder_t *dc, const shop_discount_row_t *row, const shop_discount_code_row_t *codes,
                            int ncodes, shop_discount_t *d)
{
    if (row->ratio && row->amount_minor) return bad(dc, "ratio and amount_minor: only one may be set");
    if (row->ratio) {
        if (shop_dec_parse(row->ratio, &d->ratio) != APR_SUCCESS || !ratio_ok(d->ratio))
            return bad(dc, "ratio: must be in (0, 100]");
        d->has_ratio = 1;
        return APR_SUCCESS;
    }
    if (row->amount_minor) {
        char *end;
        apr_int64_t v = apr_strtoi64(row->amount_minor, &end, 10);
        if (!*row->amount_minor || *end || v <= 0) return bad(dc, "amount_minor: must be an integer > 0");
        if (!row->currency || strlen(row->currency) != 3) return bad(dc, "currency: amount_minor needs its currency");
        d->amount_minor = v;
        d->amount_currency = apr_pstrdup(dc->p, row->currency);
        return APR_SUCCESS;
    }
    /* each code carries its ratio: the first stands in for the rule's */
    if (is_code_type(d->type) && d->type != SHOP_DISCOUNT_OFFER_CODE && ncodes > 0) {
        for (int i = 0; i < ncodes; i++)
            if (!codes[i].ratio) return bad(dc, "ratio: the rule or every code needs a ratio");
        if (shop_dec_parse(codes[0].ratio, &d->ratio) != APR_SUCCESS || !ratio_ok(d->ratio))
            return bad(dc, "codes: a code's ratio must be in (0, 100]");
        d->has_ratio = 1;
        return APR_SUCCESS;
    }
    return bad(dc, "ratio: the rule needs a ratio or an amount");
}

static apr_status_t scope(decoder_t *dc, const shop_discount_row_t *row, shop_discount_t *d)
{
    if (!row->apply_on || !strcmp(row->apply_on, "bill")) {
        d->scope = SHOP_DISCOUNT_ON_BILL;
        return APR_SUCCESS;
    }
    if (strcmp(row->apply_on, "itemlist")) return bad(dc, "apply_on: must be bill or itemlist");
    d->scope = SHOP_DISCOUNT_ON_ITEMLIST;
    if (!row->apply_codes || !*row->apply_codes) return bad(dc, "apply_codes: itemlist needs product codes");
    /* the column holds a bare array: wrap it to use the strict object parser */
    json_object *wrap, *arr = NULL;
    if (parse_object(dc, apr_pstrcat(dc->p, "{\"a\":", row->apply_codes, "}", NULL), "apply_codes", &wrap) != APR_SUCCESS)
        return APR_EINVAL;
    json_object_object_get_ex(wrap, "a", &arr);
    return string_list(dc, arr, "apply_codes", 32, &d->items, &d->nitems);
}

static apr_status_t condition(decoder_t *dc, const shop_discount_row_t *row, shop_discount_t *d)
{
    json_object *data = NULL, *v = NULL;
    if (parse_object(dc, row->rule_data, "rule_data", &data) != APR_SUCCESS) return APR_EINVAL;
    switch (d->type) {
    case SHOP_DISCOUNT_USER_INSTITUTION:
        if (data) json_object_object_get_ex(data, "institutions", &v);
        return string_list(dc, v, "rule_data: institutions", SHOP_DISCOUNT_MAX_TEXT, &d->values, &d->nvalues);
    case SHOP_DISCOUNT_MOODLE_ROLE:
        if (data) json_object_object_get_ex(data, "roles", &v);
        return string_list(dc, v, "rule_data: roles", SHOP_DISCOUNT_MAX_TEXT, &d->values, &d->nvalues);
    case SHOP_DISCOUNT_LONG_TIME_CUSTOMER:
        return int_field(dc, data, "days", SHOP_DISCOUNT_MAX_DAYS, &d->number);
    case SHOP_DISCOUNT_ORDER_COUNT:
        return int_field(dc, data, "count", SHOP_DISCOUNT_MAX_COUNT, &d->number);
    case SHOP_DISCOUNT_ORDER_AMOUNT:
        return int_field(dc, data, "threshold_minor", SHOP_DISCOUNT_MAX_THRESHOLD, &d->number);
    case SHOP_DISCOUNT_PARTNER:
        return partners(dc, data, d);
    default:
        return APR_SUCCESS;
    }
}

apr_status_t shop_discount_decode(apr_pool_t *p, const shop_discount_row_t *row,
                                  const shop_discount_code_row_t *codes, int ncodes,
                                  shop_discount_t *out, shop_discount_t *spent_out,
                                  const char **why)
{
    decoder_t dc = { p, NULL };
    shop_discount_t d;
    memset(&d, 0, sizeof(d));
    apr_status_t rv = APR_SUCCESS;
    d.id = row->id;
    d.enabled = row->enabled;
    d.ordering = row->ordering;
    d.valid_from = row->valid_from > 0 ? row->valid_from : 0;
    d.valid_until = row->valid_until > 0 ? row->valid_until : 0;
    if (!text_ok(row->name, SHOP_DISCOUNT_MAX_TEXT)) rv = bad(&dc, "name: must be 1 to 255 bytes");
    else if (shop_discount_type_parse(row->type, &d.type) != 0) rv = bad(&dc, "type: unknown");
    else if (shop_discount_op_parse(row->op ? row->op : "accumulate", &d.op) != 0) rv = bad(&dc, "operator: unknown");
    else if (ncodes < 0 || (ncodes > 0 && !codes)) rv = bad(&dc, "codes: bad list");
    if (rv == APR_SUCCESS) {
        d.name = apr_pstrdup(p, row->name);
        rv = amounts(&dc, row, codes, ncodes, &d);
    }
    if (rv == APR_SUCCESS) rv = scope(&dc, row, &d);
    if (rv == APR_SUCCESS) rv = condition(&dc, row, &d);
    shop_discount_t spent = d;
    spent.codes = NULL;
    spent.ncodes = 0;
    if (rv == APR_SUCCESS && is_code_type(d.type)) rv = offer_codes(&dc, codes, ncodes, &d, &spent);
    if (rv != APR_SUCCESS) {
        if (why) *why = dc.why ? dc.why : "invalid";
        return APR_EINVAL;
    }
    *out = d;
    if (spent_out) *spent_out = spent;
    return APR_SUCCESS;
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *shop_offer_code_clean(apr_pool_t *p, const char *typed)
{
    if (!typed) return NULL;
    while (space(*typed)) typed++;
    apr_size_t n = strlen(typed);
    while (n > 0 && space(typed[n - 1])) n--;
    if (n < 1 || n > SHOP_DISCOUNT_MAX_CODE) return NULL;
    for (apr_size_t i = 0; i < n; i++)
        if ((unsigned char)typed[i] <= 0x20 || (unsigned char)typed[i] >= 0x7f) return NULL;
    return apr_pstrmemdup(p, typed, n);
}

const shop_discount_t *shop_offer_code_find(const shop_discount_t *rules, int n, const char *code,
                                            apr_int64_t now, int *index)
{
    shop_discount_context_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.offer_codes = &code;
    ctx.noffer_codes = 1;
    ctx.now = now;
    for (int i = 0; code && i < n; i++) {
        const shop_discount_t *d = &rules[i];
        int ci = -1;
        if (!d->enabled || !is_code_type(d->type) || (d->valid_from > 0 && now < d->valid_from)
            || (d->valid_until > 0 && now > d->valid_until))
            continue;
        /* the engine's own comparison: what is accepted here is what discounts */
        if (shop_discount_condition(d, &ctx, 0, &ci) && ci >= 0) {
            if (index) *index = ci;
            return d;
        }
    }
    if (index) *index = -1;
    return NULL;
}
