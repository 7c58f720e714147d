/* Back office shipping: the zones of a catalogue in the order they are
 * tried, a zone's form, and its per-product rules.  Everything a buyer's
 * shipping is computed from is checked with the same code that computes it
 * (core/shipping.h): a zone's applicability is compiled, a rule's formula
 * too, and each error is shown next to its field with its position.
 * Amounts are typed in the zone's currency and parsed exactly
 * (core/money.h).  Every change bumps the zone's catalogue. */
#include "web/admin_setup.h"
#include "web/admin_form.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/i18n.h"
#include "core/money.h"
#include "core/shipping.h"
#include "data/setting_repo.h"
#include "data/shipping_repo.h"
#include "data/shop_admin_repo.h"
#include "data/tax_repo.h"

#define ZONE_DESCRIPTION_MAX 255
#define SORTORDER_MAX        1000000
#define COEF_DECIMALS        4          /* the DECIMAL(14,4) columns */
#define COEF_INT_LIMIT       10000000000LL

static const char *money_text(apr_pool_t *pool, apr_int64_t minor, const char *currency, const char *lang)
{
    const shop_currency_t *c = shop_currency_get(currency);
    return c ? shop_money_pformat(pool, minor, c, lang) : apr_psprintf(pool, "%" APR_INT64_T_FMT, minor);
}

/* The amount as typed back in a form: "15.00". */
static const char *money_plain(apr_pool_t *pool, apr_int64_t minor, const char *currency)
{
    const shop_currency_t *c = shop_currency_get(currency);
    char buf[SHOP_MONEY_TEXT_SIZE];
    if (!c || shop_money_format_plain(buf, sizeof(buf), minor, c->exponent) != APR_SUCCESS)
        return apr_psprintf(pool, "%" APR_INT64_T_FMT, minor);
    return apr_pstrdup(pool, buf);
}

static const char *dec_text(apr_pool_t *pool, const char *stored)
{
    shop_dec_t d;
    return stored && shop_dec_parse(stored, &d) == APR_SUCCESS ? shop_dec_pstr(pool, d) : (stored ? stored : "");
}

/* ---- zones of a catalogue */

int shop_page_admin_shipping(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *cats, *zones;
    const char *use = NULL;
    if (!db || shop_setup_catalogues(db, &cats) != 0 || shop_setting_get(db, "useshipping", &use) != 0)
        return shop_setup_unavailable(req);
    const char *given = shop_req_param(req, "catalogue");
    apr_int64_t current = given ? apr_atoi64(given) : (cats->nrows ? shop_rows_i64(cats, 0, 0, 0) : 0);
    json_object *data = json_object_new_object(), *copts = json_object_new_array();
    const char *current_name = NULL;
    for (int r = 0; r < cats->nrows; r++) {
        json_object *o = json_object_new_object();
        apr_int64_t id = shop_rows_i64(cats, r, 0, 0);
        json_object_object_add(o, "id", json_object_new_int64(id));
        json_object_object_add(o, "name", json_object_new_string(shop_rows_str(cats, r, 1)));
        if (id == current) {
            json_object_object_add(o, "current", json_object_new_boolean(1));
            current_name = shop_rows_str(cats, r, 1);
        }
        json_object_array_add(copts, o);
    }
    json_object_object_add(data, "catalogues", copts);
    if (!use || strcmp(use, "1") != 0) json_object_object_add(data, "shipping_off", json_object_new_boolean(1));
    if (given && !current_name) {
        json_object_put(data);
        return shop_setup_not_found(req);
    }
    if (current_name) {
        if (shop_zone_list(db, current, &zones) != 0) {
            json_object_put(data);
            return shop_setup_unavailable(req);
        }
        const char *lang = shop_req_lang(req);
        json_object *list = json_object_new_array();
        for (int r = 0; r < zones->nrows; r++) {
            json_object *o = json_object_new_object();
            const char *code = shop_rows_str(zones, r, SHOP_ZONE_C_CODE);
            apr_int64_t scope = shop_rows_i64(zones, r, SHOP_ZONE_C_BILL_SCOPE, 0);
            json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(zones, r, SHOP_ZONE_C_ID, 0)));
            json_object_object_add(o, "code", json_object_new_string(code));
            json_object_object_add(o, "description", json_object_new_string(shop_rows_str(zones, r, SHOP_ZONE_C_DESCRIPTION)));
            if (scope)
                json_object_object_add(o, "bill_scope", json_object_new_string(money_text(req->r->pool, scope,
                                       shop_rows_str(zones, r, SHOP_ZONE_C_CURRENCY), lang)));
            json_object_object_add(o, "tax", json_object_new_string(shop_rows_str(zones, r, SHOP_ZONE_C_TAX_TITLE)));
            json_object_object_add(o, "applicability", json_object_new_string(shop_rows_str(zones, r, SHOP_ZONE_C_APPLICABILITY)));
            json_object_object_add(o, "sortorder", json_object_new_int64(shop_rows_i64(zones, r, SHOP_ZONE_C_SORTORDER, 0)));
            json_object_object_add(o, "rules", json_object_new_int64(shop_rows_i64(zones, r, SHOP_ZONE_C_RULES, 0)));
            if (strcmp(code, SHOP_SHIP_FALLBACK_ZONE) == 0) json_object_object_add(o, "fallback", json_object_new_boolean(1));
            json_object_array_add(list, o);
        }
        json_object_object_add(data, "zones", list);
        json_object_object_add(data, "catalogue_id", json_object_new_int64(current));
        json_object_object_add(data, "catalogue_name", json_object_new_string(current_name));
    }
    if (shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (shop_req_param(req, "deleted")) json_object_object_add(data, "deleted", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/shipping", data);
}

/* ---- zone form */

static int zone_page(shop_req_t *req, int status, shop_form_t *f, apr_int64_t id, apr_int64_t catalogue,
                     const char *refusal_key)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *taxes, *cats;
    if (shop_tax_admin_list(db, &taxes) != 0 || shop_setup_catalogues(db, &cats) != 0) return shop_setup_unavailable(req);
    json_object *form = shop_form_json(f), *values = json_object_object_get(form, "values");
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);
    json_object_object_add(data, "currencies", shop_setup_currency_options(
        json_object_get_string(json_object_object_get(values, "currency"))));
    const char *sel = json_object_get_string(json_object_object_get(values, "tax_id"));
    json_object *topts = json_object_new_array();
    for (int r = 0; r < taxes->nrows; r++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(shop_rows_str(taxes, r, SHOP_TAX_C_ID)));
        json_object_object_add(o, "label", json_object_new_string(shop_rows_str(taxes, r, SHOP_TAX_C_TITLE)));
        if (sel && strcmp(sel, shop_rows_str(taxes, r, SHOP_TAX_C_ID)) == 0)
            json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(topts, o);
    }
    json_object_object_add(data, "taxes", topts);
    for (int r = 0; r < cats->nrows; r++)
        if (shop_rows_i64(cats, r, 0, 0) == catalogue)
            json_object_object_add(data, "catalogue_name", json_object_new_string(shop_rows_str(cats, r, 1)));
    json_object_object_add(data, "catalogue_id", json_object_new_int64(catalogue));
    if (id) {
        json_object_object_add(data, "id", json_object_new_int64(id));
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(req->r->pool, "/admin/shipping/zones/%" APR_INT64_T_FMT, id)));
    } else {
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(req->r->pool, "/admin/shipping/zones/new?catalogue=%" APR_INT64_T_FMT, catalogue)));
    }
    if (status == HTTP_OK && shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (refusal_key)
        json_object_object_add(data, "refusal", json_object_new_string(
            shop_req_text(req, refusal_key)));
    return shop_render_page(req, status, "admin/shipping_zone", data);
}

/* The catalogue of ?catalogue=ID, or 0 when it does not exist. */
static apr_int64_t catalogue_param(shop_req_t *req, int *failed)
{
    shop_rows_t *cats;
    const char *given = shop_req_param(req, "catalogue");
    *failed = 0;
    if (!given) return 0;
    if (shop_setup_catalogues(shop_req_db(req), &cats) != 0) {
        *failed = 1;
        return 0;
    }
    for (int r = 0; r < cats->nrows; r++)
        if (shop_rows_i64(cats, r, 0, 0) == apr_atoi64(given)) return apr_atoi64(given);
    return 0;
}

int shop_page_admin_zone_new(shop_req_t *req)
{
    int failed;
    if (!shop_req_db(req)) return shop_setup_unavailable(req);
    apr_int64_t catalogue = catalogue_param(req, &failed);
    if (failed) return shop_setup_unavailable(req);
    if (!catalogue) return shop_setup_not_found(req);
    const char *cur = NULL;
    if (shop_zone_default_currency(shop_req_db(req), catalogue, &cur) != 0) return shop_setup_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "currency", cur ? cur : shop_setup_default_currency(req));
    shop_form_value(f, "sortorder", "0");
    return zone_page(req, HTTP_OK, f, 0, catalogue, NULL);
}

static shop_form_t *stored_zone(shop_req_t *req, const shop_rows_t *z)
{
    apr_pool_t *pool = req->r->pool;
    shop_form_t *f = shop_form_create(req);
    const char *cur = shop_rows_str(z, 0, SHOP_ZONE_C_CURRENCY);
    apr_int64_t scope = shop_rows_i64(z, 0, SHOP_ZONE_C_BILL_SCOPE, 0);
    apr_int64_t tax = shop_rows_i64(z, 0, SHOP_ZONE_C_TAX, 0);
    shop_form_value(f, "code", shop_rows_str(z, 0, SHOP_ZONE_C_CODE));
    shop_form_value(f, "description", shop_rows_str(z, 0, SHOP_ZONE_C_DESCRIPTION));
    shop_form_value(f, "bill_scope", scope ? money_plain(pool, scope, cur) : "");
    shop_form_value(f, "currency", cur);
    shop_form_value(f, "tax_id", tax ? shop_db_i64(pool, tax) : "");
    shop_form_value(f, "applicability", shop_rows_str(z, 0, SHOP_ZONE_C_APPLICABILITY));
    shop_form_value(f, "sortorder", shop_rows_str(z, 0, SHOP_ZONE_C_SORTORDER));
    return f;
}

int shop_page_admin_zone_edit(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *z;
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!db || shop_zone_get(db, id, &z) != 0) return shop_setup_unavailable(req);
    if (z->nrows == 0) return shop_setup_not_found(req);
    return zone_page(req, HTTP_OK, stored_zone(req, z), id, shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0), NULL);
}

/* A typed amount (empty = 0), >= 0, in currency c.  NULL after an error. */
static const char *read_amount(shop_req_t *req, shop_form_t *f, const char *field, const shop_currency_t *c)
{
    const char *v = shop_form_text(f, field, 0, SHOP_MONEY_MAX_INPUT, 0), *key = NULL;
    apr_int64_t minor = 0;
    if (!v) return NULL;
    if (!*v) return "0";
    if (!c) return NULL;   /* the currency field has the error */
    if (shop_money_parse(v, c, &minor, &key) != APR_SUCCESS) {
        shop_form_error(f, field, apr_pstrcat(req->r->pool, "setup_", key ? key : "money_error_invalid", NULL), NULL);
        return NULL;
    }
    if (minor < 0) {
        shop_form_error(f, field, "setup_error_negative", NULL);
        return NULL;
    }
    return shop_db_i64(req->r->pool, minor);
}

static int read_zone(shop_req_t *req, shop_form_t *f, shop_zone_fields_t *z)
{
    apr_pool_t *pool = req->r->pool;
    memset(z, 0, sizeof(*z));
    z->code = shop_form_text(f, "code", 1, SHOP_SHIP_MAX_ZONE_CODE, 0);
    if (z->code && !shop_ship_zone_code_valid(z->code)) {
        shop_form_error(f, "code", "setup_error_zone_code", NULL);
        z->code = NULL;
    }
    z->description = shop_form_text(f, "description", 0, ZONE_DESCRIPTION_MAX, 0);
    const char *cur = shop_form_text(f, "currency", 1, 3, 0);
    const shop_currency_t *c = cur ? shop_currency_get(cur) : NULL;
    if (cur && !c) shop_form_error(f, "currency", "setup_error_currency", NULL);
    z->currency = c ? c->code : NULL;
    z->bill_scope_minor = read_amount(req, f, "bill_scope", c);

    const char *tax = shop_form_text(f, "tax_id", 0, 20, 0);
    if (tax && *tax && strcmp(tax, "0") != 0) {
        shop_rows_t *t;
        apr_int64_t tid = 0;
        for (const char *p = tax; *p; p++)
            if (!apr_isdigit(*p)) tid = -1;
        if (tid == 0) tid = apr_atoi64(tax);
        if (tid > 0 && shop_tax_admin_get(shop_req_db(req), tid, &t) != 0) return -1;
        if (tid <= 0 || t->nrows == 0) shop_form_error(f, "tax_id", "setup_error_tax", NULL);
        else z->tax_id = shop_db_i64(pool, tid);
    } else if (tax) {
        z->tax_id = "";
    }

    const char *app = shop_form_text(f, "applicability", 0, SHOP_SHIP_MAX_APPLIC, 1);
    if (app) {
        shop_ship_applic_t *compiled = NULL;
        shop_formula_error_t err;
        memset(&err, 0, sizeof(err));
        int fallback = z->code && strcmp(z->code, SHOP_SHIP_FALLBACK_ZONE) == 0;
        if (!*app && !fallback) {
            shop_form_error(f, "applicability", "error_required", NULL);
        } else if (shop_ship_applic_compile(pool, app, strlen(app), &compiled, &err) != APR_SUCCESS) {
            shop_form_error(f, "applicability", "setup_error_applicability", apr_pstrdup(pool, err.msg));
        } else {
            z->applicability = app;
        }
    }
    apr_int64_t n;
    if (shop_form_int(f, "sortorder", 0, -SORTORDER_MAX, SORTORDER_MAX, 0, &n) == 0) z->sortorder = shop_db_i64(pool, n);
    return 0;
}

static int zone_save(shop_req_t *req, apr_int64_t id, apr_int64_t catalogue, const char *old_currency)
{
    shop_db_t *db = shop_req_db(req);
    shop_form_t *f = shop_form_create(req);
    shop_zone_fields_t z;
    if (read_zone(req, f, &z) != 0) return shop_setup_unavailable(req);
    if (id && z.currency && old_currency && strcmp(z.currency, old_currency) != 0) {
        apr_int64_t fixed = 0;
        if (shop_zone_fixed_rules(db, id, &fixed) != 0) return shop_setup_unavailable(req);
        if (fixed > 0) shop_form_error(f, "currency", "setup_error_zone_currency_rules", NULL);
    }
    if (shop_form_has_errors(f)) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid shipping zone");
        return zone_page(req, HTTP_BAD_REQUEST, f, id, catalogue, "admin_form_has_errors");
    }
    int rv = shop_db_begin(db);
    if (rv == 0) rv = id ? shop_zone_update(db, id, &z, req->now) : shop_zone_insert(db, catalogue, &z, req->now, &id);
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        shop_form_error(f, "code", "setup_error_duplicate_zone", NULL);
        shop_setup_refused(req, HTTP_CONFLICT, "duplicate zone code");
        return zone_page(req, HTTP_CONFLICT, f, id, catalogue, "admin_form_has_errors");
    }
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    shop_setup_changed(req, "shipping zone", id, "saved");
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/shipping/zones/%" APR_INT64_T_FMT "?saved=1", id));
}

int shop_page_admin_zone_create(shop_req_t *req)
{
    int failed;
    if (!shop_req_db(req)) return shop_setup_unavailable(req);
    apr_int64_t catalogue = catalogue_param(req, &failed);
    if (failed) return shop_setup_unavailable(req);
    if (!catalogue) return shop_setup_not_found(req);
    return zone_save(req, 0, catalogue, NULL);
}

int shop_page_admin_zone_update(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *z;
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!db || shop_zone_get(db, id, &z) != 0) return shop_setup_unavailable(req);
    if (z->nrows == 0) return shop_setup_not_found(req);
    return zone_save(req, id, shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0), shop_rows_str(z, 0, SHOP_ZONE_C_CURRENCY));
}

int shop_page_admin_zone_delete(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *z;
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!db || shop_zone_get(db, id, &z) != 0) return shop_setup_unavailable(req);
    if (z->nrows == 0) return shop_setup_not_found(req);
    apr_int64_t catalogue = shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0);
    int rv = shop_db_begin(db);
    if (rv == 0) rv = shop_zone_delete(db, id);
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    shop_setup_changed(req, "shipping zone", id, "deleted");
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/shipping?catalogue=%" APR_INT64_T_FMT "&deleted=1",
                                                 catalogue));
}

/* ---- per-product rules of a zone */

static int rules_page(shop_req_t *req, int status, const shop_rows_t *z, shop_form_t *f, apr_int64_t rule_id,
                      const char *refusal_key)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rules;
    apr_int64_t zone = shop_rows_i64(z, 0, SHOP_ZONE_C_ID, 0);
    if (shop_rule_list(db, zone, &rules) != 0) return shop_setup_unavailable(req);
    apr_pool_t *pool = req->r->pool;
    const char *lang = shop_req_lang(req);
    json_object *data = json_object_new_object(), *list = json_object_new_array();
    for (int r = 0; r < rules->nrows; r++) {
        json_object *o = json_object_new_object();
        apr_int64_t value = shop_rows_i64(rules, r, SHOP_RULE_C_VALUE, 0);
        json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rules, r, SHOP_RULE_C_ID, 0)));
        json_object_object_add(o, "product_code", json_object_new_string(shop_rows_str(rules, r, SHOP_RULE_C_CODE)));
        if (value > 0)
            json_object_object_add(o, "value", json_object_new_string(
                money_text(pool, value, shop_rows_str(rules, r, SHOP_RULE_C_CURRENCY), lang)));
        json_object_object_add(o, "formula", json_object_new_string(shop_rows_str(rules, r, SHOP_RULE_C_FORMULA)));
        json_object_object_add(o, "a", json_object_new_string(dec_text(pool, shop_rows_str(rules, r, SHOP_RULE_C_A))));
        json_object_object_add(o, "b", json_object_new_string(dec_text(pool, shop_rows_str(rules, r, SHOP_RULE_C_B))));
        json_object_object_add(o, "c", json_object_new_string(dec_text(pool, shop_rows_str(rules, r, SHOP_RULE_C_C))));
        json_object_array_add(list, o);
    }
    json_object_object_add(data, "rules", list);
    json_object_object_add(data, "zone_id", json_object_new_int64(zone));
    json_object_object_add(data, "zone_code", json_object_new_string(shop_rows_str(z, 0, SHOP_ZONE_C_CODE)));
    json_object_object_add(data, "zone_description", json_object_new_string(shop_rows_str(z, 0, SHOP_ZONE_C_DESCRIPTION)));
    json_object_object_add(data, "currency", json_object_new_string(shop_rows_str(z, 0, SHOP_ZONE_C_CURRENCY)));
    json_object_object_add(data, "catalogue_id", json_object_new_int64(shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0)));
    if (shop_rows_i64(z, 0, SHOP_ZONE_C_BILL_SCOPE, 0))
        json_object_object_add(data, "bill_scope", json_object_new_boolean(1));
    if (rule_id) json_object_object_add(data, "rule_id", json_object_new_int64(rule_id));
    json_object_object_add(data, "form", shop_form_json(f));
    if (status == HTTP_OK && shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (status == HTTP_OK && shop_req_param(req, "deleted")) json_object_object_add(data, "deleted", json_object_new_boolean(1));
    if (refusal_key)
        json_object_object_add(data, "refusal", json_object_new_string(shop_i18n_get(req->rt->i18n, lang, refusal_key)));
    return shop_render_page(req, status, "admin/shipping_rules", data);
}

/* The zone of the route, or NULL once the answer (503, 404) is sent. */
static shop_rows_t *load_zone(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *z;
    if (!db || shop_zone_get(db, shop_req_capture_id(req, 0), &z) != 0) {
        shop_setup_unavailable(req);
        return NULL;
    }
    if (z->nrows == 0) {
        shop_setup_not_found(req);
        return NULL;
    }
    return z;
}

int shop_page_admin_zone_rules(shop_req_t *req)
{
    shop_rows_t *rule, *z = load_zone(req);
    if (!z) return OK;
    shop_form_t *f = shop_form_create(req);
    apr_int64_t edit = shop_parse_id(shop_req_param(req, "edit"));
    if (edit) {
        apr_pool_t *pool = req->r->pool;
        if (shop_rule_get(shop_req_db(req), shop_rows_i64(z, 0, SHOP_ZONE_C_ID, 0), edit, &rule) != 0)
            return shop_setup_unavailable(req);
        if (rule->nrows == 0) return shop_setup_not_found(req);
        apr_int64_t value = shop_rows_i64(rule, 0, SHOP_RULE_C_VALUE, 0);
        shop_form_value(f, "product_code", shop_rows_str(rule, 0, SHOP_RULE_C_CODE));
        shop_form_value(f, "value", value ? money_plain(pool, value, shop_rows_str(rule, 0, SHOP_RULE_C_CURRENCY)) : "");
        shop_form_value(f, "formula", shop_rows_str(rule, 0, SHOP_RULE_C_FORMULA));
        shop_form_value(f, "a", dec_text(pool, shop_rows_str(rule, 0, SHOP_RULE_C_A)));
        shop_form_value(f, "b", dec_text(pool, shop_rows_str(rule, 0, SHOP_RULE_C_B)));
        shop_form_value(f, "c", dec_text(pool, shop_rows_str(rule, 0, SHOP_RULE_C_C)));
    }
    return rules_page(req, HTTP_OK, z, f, edit, NULL);
}

/* A formula coefficient: a decimal ("1.5", "1,5"; empty = 0) that fits the
 * DECIMAL(14,4) column exactly. */
static const char *read_coef(shop_req_t *req, shop_form_t *f, const char *field)
{
    const char *v = shop_form_text(f, field, 0, 32, 0);
    if (!v) return NULL;
    if (!*v) return "0";
    char *norm = apr_pstrdup(req->r->pool, v);
    for (char *c = norm; *c; c++)
        if (*c == ',') *c = '.';
    shop_dec_t d, rounded, limit = shop_dec_from_int(COEF_INT_LIMIT);
    if (shop_dec_parse(norm, &d) != APR_SUCCESS || shop_dec_round(d, COEF_DECIMALS, &rounded) != APR_SUCCESS
        || shop_dec_cmp(d, rounded) != 0 || shop_dec_cmp(shop_dec_abs(d), limit) >= 0) {
        shop_form_error(f, field, "setup_error_coefficient", NULL);
        return NULL;
    }
    return shop_dec_pstr(req->r->pool, d);
}

int shop_page_admin_zone_rule_save(shop_req_t *req)
{
    shop_rows_t *z = load_zone(req);
    int rv;
    if (!z) return OK;
    shop_db_t *db = shop_req_db(req);
    apr_pool_t *pool = req->r->pool;
    apr_int64_t zone = shop_rows_i64(z, 0, SHOP_ZONE_C_ID, 0);
    apr_int64_t catalogue = shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0);
    apr_int64_t rule_id = shop_parse_id(shop_req_param(req, "rule_id"));
    if (rule_id) {
        shop_rows_t *rule;
        if (shop_rule_get(db, zone, rule_id, &rule) != 0) return shop_setup_unavailable(req);
        if (rule->nrows == 0) return shop_setup_not_found(req);
    }
    shop_form_t *f = shop_form_create(req);
    shop_rule_fields_t rf;
    memset(&rf, 0, sizeof(rf));
    rf.currency = shop_rows_str(z, 0, SHOP_ZONE_C_CURRENCY);
    rf.product_code = shop_form_text(f, "product_code", 1, 32, 0);
    if (rf.product_code) {
        int exists = 0;
        if (shop_zone_product_exists(db, catalogue, rf.product_code, &exists) != 0) return shop_setup_unavailable(req);
        if (!exists) {
            shop_form_error(f, "product_code", "setup_error_product_code", NULL);
            rf.product_code = NULL;
        }
    }
    rf.value_minor = read_amount(req, f, "value", shop_currency_get(rf.currency));
    rf.formula = shop_form_text(f, "formula", 0, SHOP_SHIP_MAX_FORMULA, 0);
    if (rf.formula && *rf.formula) {
        const shop_formula_t *compiled = NULL;
        shop_formula_error_t err;
        memset(&err, 0, sizeof(err));
        if (shop_ship_formula_compile(pool, rf.formula, &compiled, &err) != APR_SUCCESS) {
            shop_form_error(f, "formula", "setup_error_formula", apr_pstrdup(pool, err.msg));
            rf.formula = NULL;
        }
    }
    rf.a = read_coef(req, f, "a");
    rf.b = read_coef(req, f, "b");
    rf.c = read_coef(req, f, "c");
    if (shop_form_has_errors(f)) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid shipping rule");
        return rules_page(req, HTTP_BAD_REQUEST, z, f, rule_id, "admin_form_has_errors");
    }
    rv = shop_db_begin(db);
    if (rv == 0) rv = shop_rule_save(db, zone, rule_id, &rf);
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        shop_form_error(f, "product_code", "setup_error_duplicate_rule", NULL);
        shop_setup_refused(req, HTTP_CONFLICT, "duplicate shipping rule");
        return rules_page(req, HTTP_CONFLICT, z, f, rule_id, "admin_form_has_errors");
    }
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    shop_setup_changed(req, "shipping rules of zone", zone, "saved");
    return shop_redirect_local(req, apr_psprintf(pool, "/admin/shipping/zones/%" APR_INT64_T_FMT "/rules?saved=1", zone));
}

int shop_page_admin_zone_rule_delete(shop_req_t *req)
{
    shop_rows_t *z = load_zone(req);
    int rv, affected = 0;
    if (!z) return OK;
    shop_db_t *db = shop_req_db(req);
    apr_int64_t zone = shop_rows_i64(z, 0, SHOP_ZONE_C_ID, 0);
    apr_int64_t catalogue = shop_rows_i64(z, 0, SHOP_ZONE_C_CATALOGUE, 0);
    apr_int64_t rule = shop_req_capture_id(req, 1);
    rv = shop_db_begin(db);
    if (rv == 0) rv = shop_rule_delete(db, zone, rule, &affected);
    if (rv == 0 && affected == 0) {
        shop_db_rollback(db);
        return shop_setup_not_found(req);
    }
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    shop_setup_changed(req, "shipping rule", rule, "deleted");
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/shipping/zones/%" APR_INT64_T_FMT
                                                 "/rules?deleted=1", zone));
}
