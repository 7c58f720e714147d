/* Back-office products: the list of a catalogue (with a slave's copies),
 * the product form (every field of local_shop's catalogitem, §2.4; on a
 * slave the override's texts, tax and tiers), delete, clone, convert to set
 * or bundle, elements.  Every write runs in one transaction that bumps the
 * catalogue version; the new version is published after commit so every
 * child shows the change on its next request. */
#include "web/admin_product.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_lib.h>
#include <json.h>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/passcode.h"
#include "core/required_data.h"
#include "core/tax.h"
#include "core/tiers.h"
#include "data/catalog_repo.h"
#include "data/product_repo.h"

#define PRODUCTS_PER_PAGE   50
#define CODE_MAX            32
#define NAME_MAX            255
#define SHORT_MAX           65535        /* the TEXT column */
#define ALIAS_MAX           64
#define ACTION_MAX          40
#define JSON_FIELD_MAX      (64 * 1024)
#define MAX_QUANTITY_MAX    1000
#define SORTORDER_LIMIT     1000000
#define STOCK_MAX           2147483647
#define CLONE_TRIES         20

static const char *const statuses[] = {
    "PREVIEW", "AVAILABLE", "AVAILABLEINTERNAL", "ASCOMPLEMENT", "SUSPENDED", "PROVIDING", "ABANDONNED", NULL
};
static const char *const seat_modes[] = { "none", "one", "per_unit", NULL };
/* local_shop's handlers (§7.2) offered in the action field's datalist */
static const char *const handlers[] = {
    "std_enrolonecourse", "std_enrolonecoursemultiple", "std_assignroleoncontext", "std_extendenrolperiod",
    "std_prorogate", "std_registeredproduct", "std_setuponecoursesession", "std_addquizattempts",
    "std_addtrainingcredits", "std_createcategory", "std_createcourse", "std_generateseats",
    "std_openltiaccess", "std_unlockpdcertificate", "std_createvinstance", NULL
};

typedef struct ctx {
    shop_db_t *db;
    shop_catalogue_info_t cat;     /* the product's catalogue */
    shop_catalogue_info_t slave;   /* editing the override of this slave (slave.id 0: not) */
    const shop_currency_t *cur;
    shop_rows_t *taxes, *categories;
} ctx_t;

static const char *str(shop_req_t *req, const char *key)
{
    return shop_i18n_get(req->rt->i18n, shop_req_lang(req), key);
}

static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CODE_MAX) return 0;
    for (; *s; s++)
        if (!(apr_isalnum(*s) || *s == '_' || *s == '-')) return 0;
    return 1;
}

static apr_int64_t param_id(shop_req_t *req, const char *name)
{
    const char *v = shop_req_param(req, name);
    return v ? apr_atoi64(v) : 0;
}

/* Catalogue, currency, taxes and categories of a screen. */
static int load_ctx(shop_req_t *req, ctx_t *c, apr_int64_t catalogue_id)
{
    memset(c, 0, sizeof(*c));
    c->db = shop_req_db(req);
    int found = 0;
    if (!c->db || shop_product_catalogue(c->db, catalogue_id, &c->cat, &found) != 0) return HTTP_SERVICE_UNAVAILABLE;
    if (!found) return HTTP_NOT_FOUND;
    c->cur = shop_currency_get(c->cat.currency);
    if (!c->cur) c->cur = shop_currency_get(SHOP_CURRENCY_DEFAULT);
    if (shop_product_taxes(c->db, &c->taxes) != 0 || shop_product_categories(c->db, c->cat.id, &c->categories) != 0)
        return HTTP_SERVICE_UNAVAILABLE;
    return OK;
}

/* The slave whose override is edited: ?catalogue=SLAVE on a master product. */
static int load_slave(shop_req_t *req, ctx_t *c, apr_int64_t slave_id)
{
    int found = 0;
    if (!slave_id || slave_id == c->cat.id) return OK;
    if (shop_product_catalogue(c->db, slave_id, &c->slave, &found) != 0) return HTTP_SERVICE_UNAVAILABLE;
    if (!found || c->slave.master_id != c->cat.id) return HTTP_NOT_FOUND;
    const shop_currency_t *sc = shop_currency_get(c->slave.currency);
    if (sc) c->cur = sc;
    return OK;
}

static int status_page(shop_req_t *req, int st)
{
    return st == HTTP_NOT_FOUND ? shop_render_not_found(req) : shop_render_unavailable(req);
}

static const shop_tax_t *tax_for(shop_req_t *req, const ctx_t *c, apr_int64_t id)
{
    for (int r = 0; id && r < c->taxes->nrows; r++) {
        if (shop_rows_i64(c->taxes, r, 0, 0) != id) continue;
        shop_dec_t rate;
        shop_tax_t *t = NULL;
        shop_formula_error_t err;
        const char *formula = shop_rows_str(c->taxes, r, 4);
        if (shop_dec_parse(shop_rows_str(c->taxes, r, 3), &rate) != APR_SUCCESS
            || shop_tax_make(req->r->pool, id, shop_rows_str(c->taxes, r, 1), shop_rows_str(c->taxes, r, 2), rate,
                             formula ? formula : "", &t, &err) != APR_SUCCESS)
            return NULL;
        return t;
    }
    return NULL;
}

static int row_has_id(const shop_rows_t *rows, apr_int64_t id)
{
    for (int r = 0; r < rows->nrows; r++)
        if (shop_rows_i64(rows, r, 0, 0) == id) return 1;
    return 0;
}

static void commit_and_publish(shop_req_t *req, ctx_t *c, int *rv)
{
    if (*rv == 0) *rv = shop_catalog_bump(c->db, c->cat.id);
    if (*rv == 0) *rv = shop_db_commit(c->db);
    else shop_db_rollback(c->db);
    if (*rv == 0) shop_catalog_publish_versions(c->db, req->rt->cache, c->cat.id);
}

/* ------------------------------------------------------------------ list */

static json_object *row_options(const shop_rows_t *rows, int label_col, const char *current);

/* i18n keys are snake_case: "product_status_" + the status in lower case */
static const char *lower_key(apr_pool_t *pool, const char *prefix, const char *value)
{
    char *k = apr_pstrcat(pool, prefix, value ? value : "", NULL);
    for (char *c = k; *c; c++) *c = (char)apr_tolower(*c);
    return k;
}

int shop_page_admin_products(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    ctx_t c;
    int st = load_ctx(req, &c, id);
    if (st != OK) return status_page(req, st);
    apr_pool_t *pool = req->r->pool;
    const char *q = shop_req_param(req, "q");
    const char *status = shop_req_param(req, "status");
    if (!q) q = "";
    if (!status) status = "";
    int is_slave = c.cat.master_id != 0;
    /* a slave sells its master's products: list those with their copies */
    apr_int64_t listed = is_slave ? c.cat.master_id : c.cat.id;
    shop_rows_t *rows;
    apr_int64_t category = param_id(req, "category");
    shop_rows_t *cats = c.categories;
    if (is_slave && shop_product_categories(c.db, listed, &cats) != 0) return shop_render_unavailable(req);
    if (shop_product_list(c.db, listed, q, status, category, c.cur->code, is_slave ? c.cat.id : 0, &rows) != 0)
        return shop_render_unavailable(req);
    shop_pager_t pg = shop_pager_make(req, rows->nrows, PRODUCTS_PER_PAGE);

    json_object *data = json_object_new_object();
    json_object *cat = json_object_new_object();
    json_object_object_add(cat, "id", json_object_new_int64(c.cat.id));
    json_object_object_add(cat, "name", shop_json_string_or_null(c.cat.name));
    json_object_object_add(cat, "kind", shop_json_string_or_null(c.cat.kind));
    json_object_object_add(cat, "is_slave", json_object_new_boolean(is_slave));
    json_object_object_add(cat, "master_id", json_object_new_int64(c.cat.master_id));
    json_object_object_add(data, "catalogue", cat);
    json_object_object_add(data, "q", shop_json_string_or_null(q));
    json_object *sts = json_object_new_array();
    for (const char *const *s = statuses; *s; s++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", shop_json_string_or_null(*s));
        json_object_object_add(o, "label", shop_json_string_or_null(str(req, lower_key(pool, "product_status_", *s))));
        if (!strcmp(*s, status)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(sts, o);
    }
    json_object_object_add(data, "statuses", sts);
    json_object_object_add(data, "categories", row_options(cats, 1, shop_db_i64(pool, category)));

    json_object *list = json_object_new_array();
    for (apr_int64_t r = pg.offset; r < rows->nrows && r < pg.offset + pg.per_page; r++) {
        int i = (int)r;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rows, i, SHOP_PL_ID, 0)));
        json_object_object_add(o, "code", shop_json_string_or_null(shop_rows_str(rows, i, SHOP_PL_CODE)));
        json_object_object_add(o, "name", shop_json_string_or_null(shop_rows_str(rows, i, SHOP_PL_NAME)));
        const char *pst = shop_rows_str(rows, i, SHOP_PL_STATUS);
        json_object_object_add(o, "status", shop_json_string_or_null(str(req, lower_key(pool, "product_status_", pst))));
        const char *kind = shop_rows_str(rows, i, SHOP_PL_KIND);
        json_object_object_add(o, "kind", shop_json_string_or_null(str(req, apr_pstrcat(pool, "product_kind_", kind, NULL))));
        apr_int64_t stock = shop_rows_i64(rows, i, SHOP_PL_STOCK, -1);
        json_object_object_add(o, "stock", stock < 0 ? shop_json_string_or_null(str(req, "product_unlimited"))
                                                     : json_object_new_int64(stock));
        if (shop_rows_str(rows, i, SHOP_PL_PRICE1))
            json_object_object_add(o, "price", shop_json_string_or_null(shop_money_pformat(pool, shop_rows_i64(rows, i, SHOP_PL_PRICE1, 0),
                                                                       c.cur, shop_req_lang(req))));
        if (shop_rows_i64(rows, i, SHOP_PL_IN_CONTAINER, 0))
            json_object_object_add(o, "is_element", json_object_new_boolean(1));
        if (is_slave)
            json_object_object_add(o, "overridden",
                                   json_object_new_boolean(shop_rows_str(rows, i, SHOP_PL_OVERRIDE_ID) != NULL));
        json_object_array_add(list, o);
    }
    json_object_object_add(data, "products", list);
    json_object_object_add(data, "empty", json_object_new_boolean(rows->nrows == 0));
    const char *query = apr_pstrcat(pool, "q=", shop_url_escape(pool, q), "&status=", shop_url_escape(pool, status),
                                    category ? apr_psprintf(pool, "&category=%" APR_INT64_T_FMT, category) : "", NULL);
    json_object_object_add(data, "pager", shop_pager_json(req, &pg,
                           apr_psprintf(pool, "/admin/catalogues/%" APR_INT64_T_FMT "/products", c.cat.id), query));
    if (shop_req_param(req, "done"))
        json_object_object_add(data, "done", shop_json_string_or_null(str(req, "admin_product_done")));
    return shop_render_page(req, HTTP_OK, "admin/product_list", data);
}

/* ---------------------------------------------------- slave copy / free */

static int slave_action(shop_req_t *req, int copy)
{
    apr_int64_t slave_id = shop_req_capture_id(req, 0);
    const char *code = req->captures[1];
    ctx_t c;
    int st = load_ctx(req, &c, slave_id);
    if (st != OK) return status_page(req, st);
    if (!c.cat.master_id || !code || !code_ok(code)) return shop_render_not_found(req);
    apr_int64_t product_id = 0;
    if (shop_product_id_by_code(c.db, c.cat.master_id, code, &product_id) != 0) return shop_render_unavailable(req);
    if (!product_id) return shop_render_not_found(req);
    int done = 0, rv = shop_db_begin(c.db);
    if (rv == 0)
        rv = copy ? shop_override_copy(c.db, c.cat.id, c.cat.master_id, product_id, code, req->now, &done)
                  : shop_override_free(c.db, c.cat.id, code, &done);
    commit_and_publish(req, &c, &rv);
    if (rv != 0) return shop_render_unavailable(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0801) "catalogue %" APR_INT64_T_FMT ": %s of %s %s by user %"
                  APR_INT64_T_FMT, c.cat.id, copy ? "local copy" : "copy freed", code, done ? "done" : "(nothing to do)",
                  shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT "/products?done=1",
                                                 c.cat.id));
}

int shop_page_admin_product_copy(shop_req_t *req)
{
    return slave_action(req, 1);
}

int shop_page_admin_product_free(shop_req_t *req)
{
    return slave_action(req, 0);
}

/* ------------------------------------------------------------ the form */

static const char *tier_field(apr_pool_t *p, int i, const char *what)
{
    return apr_psprintf(p, "tier%d_%s", i + 1, what);
}

static void values_from_record(shop_req_t *req, shop_form_t *f, const ctx_t *c, const shop_product_rec_t *p)
{
    apr_pool_t *pool = req->r->pool;
    shop_form_value(f, "code", p->code);
    shop_form_value(f, "name", p->name);
    shop_form_value(f, "short_description", p->short_description);
    shop_form_value(f, "description", p->description);
    shop_form_value(f, "notes", p->notes);
    shop_form_value(f, "terms", p->terms);
    shop_form_value(f, "status", p->status);
    shop_form_value(f, "category", p->category_id ? shop_db_i64(pool, p->category_id) : "");
    shop_form_value(f, "tax", p->tax_id ? shop_db_i64(pool, p->tax_id) : "");
    shop_form_value(f, "audience", shop_db_i64(pool, p->audience));
    shop_form_value(f, "max_quantity", shop_db_i64(pool, p->max_quantity));
    shop_form_value(f, "seat_mode", p->seat_mode);
    shop_form_value(f, "required_data", p->required_data);
    shop_form_value(f, "action", p->action);
    shop_form_value(f, "action_params", p->action_params);
    shop_form_value(f, "production_data", p->production_data);
    shop_form_value(f, "stock", p->stock >= 0 ? shop_db_i64(pool, p->stock) : "");
    shop_form_value(f, "seo_alias", p->seo_alias);
    shop_form_value(f, "sortorder", shop_db_i64(pool, p->sortorder));
    if (p->renewable) shop_form_value(f, "renewable", "1");
    if (p->requires_shipping) shop_form_value(f, "requires_shipping", "1");
    for (int i = 0; i < p->ntiers; i++) {
        char buf[SHOP_MONEY_TEXT_SIZE];
        if (shop_money_format_plain(buf, sizeof(buf), p->tiers[i].price_minor, c->cur->exponent) != APR_SUCCESS) continue;
        shop_form_value(f, tier_field(pool, i, "up_to"),
                        p->tiers[i].up_to ? shop_db_i64(pool, p->tiers[i].up_to) : "");
        shop_form_value(f, tier_field(pool, i, "price"), apr_pstrdup(pool, buf));
    }
}

/* The override's texts, tax and tiers over the master's values. */
static int override_record(shop_req_t *req, const ctx_t *c, shop_product_rec_t *p, apr_int64_t *override_id)
{
    shop_rows_t *rows;
    *override_id = 0;
    if (shop_override_get(c->db, c->slave.id, p->code, &rows) != 0) return -1;
    if (rows->nrows != 1) return 0;
    *override_id = shop_rows_i64(rows, 0, 0, 0);
    const char **fields[] = { &p->name, &p->short_description, &p->description, &p->notes, &p->terms };
    for (int i = 0; i < 5; i++)
        if (shop_rows_str(rows, 0, 1 + i)) *fields[i] = shop_rows_str(rows, 0, 1 + i);
    if (shop_rows_i64(rows, 0, 7, 0)) p->tax_id = shop_rows_i64(rows, 0, 6, 0);
    if (shop_rows_i64(rows, 0, 8, 0)) {
        shop_tier_t t[SHOP_TIERS_MAX];
        int n = 0;
        if (shop_override_tiers(c->db, *override_id, c->cur->code, t, &n) != 0) return -1;
        memcpy(p->tiers, t, sizeof(t));
        p->ntiers = n;
    }
    return 0;
}

static json_object *value_of(json_object *form, const char *part, const char *field)
{
    json_object *m, *v;
    if (!json_object_object_get_ex(form, part, &m) || !json_object_object_get_ex(m, field, &v)) return NULL;
    return v;
}

static const char *value_str(json_object *form, const char *field)
{
    json_object *v = value_of(form, "values", field);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static json_object *options(shop_req_t *req, const char *const *values, const char *prefix, const char *current)
{
    json_object *a = json_object_new_array();
    for (const char *const *v = values; *v; v++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", shop_json_string_or_null(*v));
        json_object_object_add(o, "label", shop_json_string_or_null(prefix ? str(req, lower_key(req->r->pool, prefix, *v)) : *v));
        if (current && !strcmp(current, *v)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *row_options(const shop_rows_t *rows, int label_col, const char *current)
{
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *id = shop_rows_str(rows, r, 0);
        json_object_object_add(o, "value", shop_json_string_or_null(id));
        json_object_object_add(o, "label", shop_json_string_or_null(shop_rows_str(rows, r, label_col)));
        if (current && id && !strcmp(current, id)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

/* Five tier rows with their values, errors and the taxed price of every
 * price that reads as an amount. */
static json_object *tier_rows(shop_req_t *req, const ctx_t *c, json_object *form)
{
    apr_pool_t *pool = req->r->pool;
    const shop_tax_t *tax = tax_for(req, c, apr_atoi64(value_str(form, "tax")));
    json_object *a = json_object_new_array();
    for (int i = 0; i < SHOP_TIERS_MAX; i++) {
        json_object *o = json_object_new_object();
        const char *uf = tier_field(pool, i, "up_to"), *pf = tier_field(pool, i, "price");
        json_object_object_add(o, "n", json_object_new_int(i + 1));
        json_object_object_add(o, "up_to", shop_json_string_or_null(value_str(form, uf)));
        json_object_object_add(o, "price", shop_json_string_or_null(value_str(form, pf)));
        json_object *e;
        if ((e = value_of(form, "errors", uf))) json_object_object_add(o, "up_to_error", json_object_get(e));
        if ((e = value_of(form, "errors", pf))) json_object_object_add(o, "price_error", json_object_get(e));
        apr_int64_t minor, taxed;
        shop_formula_error_t ferr;
        const char *price = value_str(form, pf);
        if (*price && shop_money_parse(price, c->cur, &minor, NULL) == APR_SUCCESS && minor >= 0
            && shop_tax_unit_taxed(tax, minor, c->cur, &taxed, &ferr) == APR_SUCCESS)
            json_object_object_add(o, "taxed", shop_json_string_or_null(shop_money_pformat(pool, taxed, c->cur, shop_req_lang(req))));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *file_json(shop_req_t *req, apr_int64_t id, const char *kind, const char *ref)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", shop_json_string_or_null(kind));
    json_object_object_add(o, "label", shop_json_string_or_null(str(req, apr_pstrcat(req->r->pool, "product_file_", kind, NULL))));
    json_object_object_add(o, "accept", shop_json_string_or_null(!strcmp(kind, "leaflet") ? "application/pdf"
                                             : "image/png,image/jpeg,image/gif,image/webp"));
    json_object_object_add(o, "is_image", json_object_new_boolean(strcmp(kind, "leaflet") != 0));
    if (ref) {
        json_object_object_add(o, "url", shop_json_string_or_null(apr_psprintf(req->r->pool, "%s/media/products/%" APR_INT64_T_FMT "/%s?v=%s",
                                                          req->conf->public_path, id, kind,
                                                          shop_url_escape(req->r->pool, ref))));
    }
    return o;
}

int shop_admin_product_render(shop_req_t *req, apr_int64_t id, apr_int64_t catalogue_id, apr_int64_t slave_id,
                              shop_form_t *f, int status)
{
    apr_pool_t *pool = req->r->pool;
    ctx_t c;
    shop_product_rec_t p;
    memset(&p, 0, sizeof(p));
    int found = 1;
    if (id) {
        c.db = shop_req_db(req);
        if (!c.db || shop_product_get(c.db, id, "EUR", &p, &found) != 0) return shop_render_unavailable(req);
        if (!found) return shop_render_not_found(req);
        catalogue_id = p.catalogue_id;
    }
    int st = load_ctx(req, &c, catalogue_id);
    if (st == OK) st = load_slave(req, &c, slave_id);
    if (st != OK) return status_page(req, st);
    int is_override = c.slave.id != 0;
    apr_int64_t override_id = 0;
    if (id && shop_product_get(c.db, id, c.cur->code, &p, &found) != 0) return shop_render_unavailable(req);
    if (is_override && override_record(req, &c, &p, &override_id) != 0) return shop_render_unavailable(req);
    if (is_override && !override_id) return shop_render_not_found(req);

    if (!f) {
        f = shop_form_create(req);
        if (id) values_from_record(req, f, &c, &p);
        else {
            shop_form_value(f, "status", "PREVIEW");
            shop_form_value(f, "seat_mode", "none");
            shop_form_value(f, "audience", "0");
            shop_form_value(f, "max_quantity", "0");
            shop_form_value(f, "sortorder", "0");
        }
    }
    json_object *form = shop_form_json(f);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);

    json_object *cat = json_object_new_object();
    const shop_catalogue_info_t *shown = is_override ? &c.slave : &c.cat;
    json_object_object_add(cat, "id", json_object_new_int64(shown->id));
    json_object_object_add(cat, "name", shop_json_string_or_null(shown->name));
    json_object_object_add(cat, "currency", shop_json_string_or_null(c.cur->code));
    json_object_object_add(data, "catalogue", cat);
    if (is_override) json_object_object_add(data, "is_override", json_object_new_boolean(1));

    if (id) {
        json_object *po = json_object_new_object();
        json_object_object_add(po, "id", json_object_new_int64(p.id));
        json_object_object_add(po, "code", shop_json_string_or_null(p.code));
        json_object_object_add(po, "kind", shop_json_string_or_null(p.kind));
        json_object_object_add(po, "kind_label", shop_json_string_or_null(str(req, apr_pstrcat(pool, "product_kind_", p.kind, NULL))));
        int container = p.kind && strcmp(p.kind, "product") != 0;
        json_object_object_add(po, "is_container", json_object_new_boolean(container));
        if (p.passcode_hash) json_object_object_add(po, "has_passcode", json_object_new_boolean(1));
        /* technical fields shown read-only on a slave */
        json_object_object_add(po, "status_label", shop_json_string_or_null(str(req, lower_key(pool, "product_status_", p.status))));
        json_object_object_add(po, "seat_mode_label", shop_json_string_or_null(str(req, apr_pstrcat(pool, "product_seat_", p.seat_mode, NULL))));
        json_object_object_add(po, "action", shop_json_string_or_null(p.action));
        json_object_object_add(po, "action_params", shop_json_string_or_null(p.action_params));
        json_object_object_add(po, "stock", p.stock >= 0 ? json_object_new_int64(p.stock) : shop_json_string_or_null(str(req, "product_unlimited")));
        json_object_object_add(po, "max_quantity", json_object_new_int(p.max_quantity));
        if (container) {
            shop_rows_t *els;
            if (shop_product_elements(c.db, p.id, &els) != 0) return shop_render_unavailable(req);
            json_object *ea = json_object_new_array();
            for (int r = 0; r < els->nrows; r++) {
                json_object *e = json_object_new_object();
                json_object_object_add(e, "id", shop_json_string_or_null(shop_rows_str(els, r, 0)));
                json_object_object_add(e, "code", shop_json_string_or_null(shop_rows_str(els, r, 1)));
                json_object_object_add(e, "name", shop_json_string_or_null(shop_rows_str(els, r, 2)));
                json_object_array_add(ea, e);
            }
            json_object_object_add(po, "elements", ea);
            json_object_object_add(po, "has_elements", json_object_new_boolean(els->nrows > 0));
        }
        json_object *files = json_object_new_array();
        json_object_array_add(files, file_json(req, p.id, "image", p.image_ref));
        json_object_array_add(files, file_json(req, p.id, "thumb", p.thumb_ref));
        json_object_array_add(files, file_json(req, p.id, "leaflet", p.leaflet_ref));
        json_object_object_add(po, "files", files);
        json_object_object_add(data, "product", po);
    }
    json_object_object_add(data, "statuses", options(req, statuses, "product_status_", value_str(form, "status")));
    json_object_object_add(data, "seat_modes", options(req, seat_modes, "product_seat_", value_str(form, "seat_mode")));
    static const char *const audiences[] = { "0", "1", "2", "-1", NULL };
    static const char *const audience_keys[] = { "product_audience_everybody", "product_audience_logged_in",
                                                 "product_audience_customers", "product_audience_logged_out" };
    json_object *aud = options(req, audiences, NULL, value_str(form, "audience"));
    for (int i = 0; i < 4; i++)
        json_object_object_add(json_object_array_get_idx(aud, (size_t)i), "label", shop_json_string_or_null(str(req, audience_keys[i])));
    json_object_object_add(data, "audiences", aud);
    json_object_object_add(data, "handlers", options(req, handlers, NULL, NULL));
    json_object_object_add(data, "categories", row_options(c.categories, 1, value_str(form, "category")));
    json_object_object_add(data, "taxes", row_options(c.taxes, 1, value_str(form, "tax")));
    json_object_object_add(data, "tiers", tier_rows(req, &c, form));
    if (shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    json_object_object_add(data, "action_url", shop_json_string_or_null(id ? apr_psprintf(pool, "/admin/products/%" APR_INT64_T_FMT, id)
                                                       : "/admin/products/new"));
    return shop_render_page(req, status, "admin/product_form", data);
}

/* ----------------------------------------------------- reading the form */

/* Staff HTML: checked for size, then sanitized; NULL when empty. */
static const char *html_field(shop_req_t *req, shop_form_t *f, const char *field, apr_size_t max, int *bad)
{
    const char *v = shop_form_text(f, field, 0, max, 1);
    if (!v) {
        *bad = 1;
        return NULL;
    }
    if (!*v) return NULL;
    const char *clean = NULL, *err = NULL;
    if (shop_html_sanitize(req->r->pool, v, strlen(v), &clean, &err) != APR_SUCCESS || strlen(clean) > max) {
        shop_form_error(f, field, "error_too_long", apr_psprintf(req->r->pool, "%" APR_SIZE_T_FMT, max));
        *bad = 1;
        return NULL;
    }
    return clean;
}

/* JSON text (strict): NULL when empty; want_object refuses anything else. */
static const char *json_field(shop_req_t *req, shop_form_t *f, const char *field, int want_object)
{
    const char *v = shop_form_text(f, field, 0, JSON_FIELD_MAX, 1);
    if (!v || !*v) return NULL;
    json_tokener *tok = json_tokener_new();
    if (!tok) return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *doc = json_tokener_parse_ex(tok, v, (int)strlen(v));
    int ok = doc && json_tokener_get_error(tok) == json_tokener_success && json_tokener_get_parse_end(tok) == strlen(v);
    apr_size_t at = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    int is_object = ok && json_object_is_type(doc, json_type_object);
    json_object_put(doc);
    if (!ok) {
        shop_form_error(f, field, "error_json_syntax", apr_psprintf(req->r->pool, "%s %" APR_SIZE_T_FMT,
                        str(req, "product_at_byte"), at));
        return NULL;
    }
    if (want_object && !is_object) {
        shop_form_error(f, field, "error_json_object", NULL);
        return NULL;
    }
    return v;
}

static void read_tiers(shop_req_t *req, shop_form_t *f, const ctx_t *c, shop_product_rec_t *p, int required)
{
    apr_pool_t *pool = req->r->pool;
    int used[SHOP_TIERS_MAX] = { 0 }, last = -1, bad = 0;
    for (int i = 0; i < SHOP_TIERS_MAX; i++) {
        const char *u = shop_req_param(req, tier_field(pool, i, "up_to"));
        const char *pr = shop_req_param(req, tier_field(pool, i, "price"));
        used[i] = (u && *u) || (pr && *pr);
        if (used[i]) last = i;
    }
    const char *sixth_u = shop_req_param(req, "tier6_up_to"), *sixth_p = shop_req_param(req, "tier6_price");
    if ((sixth_u && *sixth_u) || (sixth_p && *sixth_p)) shop_form_error(f, "tiers", "tiers_error_count", NULL);
    p->ntiers = 0;
    for (int i = 0; i <= last; i++) {
        const char *uf = tier_field(pool, i, "up_to"), *pf = tier_field(pool, i, "price");
        apr_int64_t up_to = 0, minor = 0;
        if (shop_form_int(f, uf, 0, 1, SHOP_TIERS_MAX_UP_TO, SHOP_TIER_UNLIMITED, &up_to) != 0) bad = 1;
        const char *price = shop_form_text(f, pf, 1, SHOP_MONEY_MAX_INPUT, 0);
        const char *key = NULL;
        if (!price) bad = 1;
        else if (shop_money_parse(price, c->cur, &minor, &key) != APR_SUCCESS) {
            shop_form_error(f, pf, key ? key : "money_error_invalid", NULL);
            bad = 1;
        } else if (minor < 0) {
            shop_form_error(f, pf, "tiers_error_price", NULL);
            bad = 1;
        }
        p->tiers[i].up_to = up_to;
        p->tiers[i].price_minor = minor;
        p->ntiers = i + 1;
    }
    if (bad) return;
    if (p->ntiers == 0) {
        if (required) shop_form_error(f, "tier1_price", "error_required", NULL);
        return;
    }
    shop_tier_error_t err;
    if (shop_tiers_validate(p->tiers, p->ntiers, &err) != APR_SUCCESS) {
        const char *field = err.index < 0 ? "tiers"
                          : tier_field(pool, err.index, strstr(err.field, "up_to") ? "up_to" : "price");
        shop_form_error(f, field, err.key, NULL);
    }
}

static apr_int64_t read_choice_id(shop_form_t *f, shop_req_t *req, const char *field, const shop_rows_t *rows)
{
    const char *v = shop_form_text(f, field, 0, 20, 0);
    if (!v || !*v) return 0;
    apr_int64_t id = apr_atoi64(v);
    if (id <= 0 || !row_has_id(rows, id)) {
        shop_form_error(f, field, "error_bad_choice", NULL);
        return 0;
    }
    return id;
}

/* Every field of a product; technical ones skipped on an override. */
static void read_product(shop_req_t *req, shop_form_t *f, ctx_t *c, shop_product_rec_t *p, int is_override)
{
    int bad = 0;
    apr_int64_t n;
    if (!is_override) {
        const char *code = shop_form_text(f, "code", 1, CODE_MAX, 0);
        if (code && !code_ok(code)) shop_form_error(f, "code", "product_error_code", NULL);
        p->code = code;
    }
    p->name = shop_form_text(f, "name", 1, NAME_MAX, 0);
    p->short_description = html_field(req, f, "short_description", SHORT_MAX, &bad);
    p->description = html_field(req, f, "description", SHOP_HTML_MAX_INPUT, &bad);
    p->notes = html_field(req, f, "notes", SHOP_HTML_MAX_INPUT, &bad);
    p->terms = html_field(req, f, "terms", SHOP_HTML_MAX_INPUT, &bad);
    p->tax_id = read_choice_id(f, req, "tax", c->taxes);
    if (is_override) {
        read_tiers(req, f, c, p, 0);
        return;
    }
    const char *status = shop_form_choice(f, "status", statuses, "PREVIEW");
    p->status = status;
    p->category_id = read_choice_id(f, req, "category", c->categories);
    read_tiers(req, f, c, p, p->kind == NULL || strcmp(p->kind, "set") != 0);
    if (shop_form_int(f, "audience", 0, -1, 2, 0, &n) == 0) p->audience = (int)n;
    if (shop_form_int(f, "max_quantity", 0, 0, MAX_QUANTITY_MAX, 0, &n) == 0) p->max_quantity = (int)n;
    p->seat_mode = shop_form_choice(f, "seat_mode", seat_modes, "none");
    p->renewable = shop_form_checkbox(f, "renewable");
    p->requires_shipping = shop_form_checkbox(f, "requires_shipping");

    const char *rd = shop_form_text(f, "required_data", 0, SHOP_RD_MAX_INPUT, 1);
    if (rd && *rd) {
        shop_rd_error_t err;
        if (shop_required_data_validate(rd, strlen(rd), NULL, &err) != APR_SUCCESS) {
            const char *where = err.index < 0
                ? (err.offset ? apr_psprintf(req->r->pool, "%s %" APR_SIZE_T_FMT, str(req, "product_at_byte"), err.offset) : NULL)
                : err.key ? apr_psprintf(req->r->pool, "%s %d, %s « %s »", str(req, "product_rd_element"), err.index + 1,
                                         str(req, "product_rd_key"), err.key)
                          : apr_psprintf(req->r->pool, "%s %d", str(req, "product_rd_element"), err.index + 1);
            shop_form_error(f, "required_data", err.message_key, where);
        } else {
            p->required_data = rd;
        }
    }
    const char *action = shop_form_text(f, "action", 0, ACTION_MAX, 0);
    if (action && *action) {
        for (const char *a = action; *a; a++)
            if (!((*a >= 'a' && *a <= 'z') || *a == '_')) {
                shop_form_error(f, "action", "product_error_action", NULL);
                break;
            }
        p->action = action;
    }
    p->action_params = json_field(req, f, "action_params", 1);
    p->production_data = json_field(req, f, "production_data", 0);
    if (shop_form_int(f, "stock", 0, 0, STOCK_MAX, -1, &n) == 0) p->stock = n;
    const char *alias = shop_form_text(f, "seo_alias", 0, ALIAS_MAX, 0);
    if (alias && *alias) {
        int ok = (alias[0] >= 'a' && alias[0] <= 'z') || (alias[0] >= '0' && alias[0] <= '9');
        for (const char *a = alias; ok && *a; a++)
            ok = (*a >= 'a' && *a <= 'z') || (*a >= '0' && *a <= '9') || *a == '_' || *a == '-';
        if (!ok) shop_form_error(f, "seo_alias", "product_error_alias", NULL);
        p->seo_alias = alias;
    }
    if (shop_form_int(f, "sortorder", 0, -SORTORDER_LIMIT, SORTORDER_LIMIT, 0, &n) == 0) p->sortorder = (int)n;
    const char *pass = shop_req_param(req, "passcode");
    if (pass && *pass && !shop_passcode_acceptable(pass))
        shop_form_error(f, "passcode", "product_error_passcode", NULL);
}

/* Save a product (id 0: create in catalogue_id); the override when slave_id. */
static int save(shop_req_t *req, apr_int64_t id, apr_int64_t catalogue_id, apr_int64_t slave_id)
{
    apr_pool_t *pool = req->r->pool;
    ctx_t c;
    shop_product_rec_t p, old;
    memset(&p, 0, sizeof(p));
    memset(&old, 0, sizeof(old));
    int found = 1;
    if (id) {
        shop_db_t *db = shop_req_db(req);
        if (!db || shop_product_get(db, id, "EUR", &old, &found) != 0) return shop_render_unavailable(req);
        if (!found) return shop_render_not_found(req);
        catalogue_id = old.catalogue_id;
    }
    int st = load_ctx(req, &c, catalogue_id);
    if (st == OK) st = load_slave(req, &c, slave_id);
    if (st != OK) return status_page(req, st);
    int is_override = c.slave.id != 0;
    apr_int64_t override_id = 0;
    if (is_override) {
        shop_product_rec_t tmp = old;
        if (override_record(req, &c, &tmp, &override_id) != 0) return shop_render_unavailable(req);
        if (!override_id) return shop_render_not_found(req);
    }
    p.id = id;
    p.catalogue_id = c.cat.id;
    p.kind = id ? old.kind : "product";
    p.stock = -1;
    p.code = old.code;

    shop_form_t *f = shop_form_create(req);
    read_product(req, f, &c, &p, is_override);
    if (shop_form_has_errors(f)) return shop_admin_product_render(req, id, catalogue_id, slave_id, f, HTTP_BAD_REQUEST);

    if (!is_override) {
        int dup = 0, dup_alias = 0;
        if (shop_product_code_taken(c.db, c.cat.id, p.code, id, &dup) != 0
            || (p.seo_alias && shop_product_alias_taken(c.db, c.cat.id, p.seo_alias, id, &dup_alias) != 0))
            return shop_render_unavailable(req);
        if (dup) shop_form_error(f, "code", "product_error_code_taken", NULL);
        if (dup_alias) shop_form_error(f, "seo_alias", "product_error_alias_taken", NULL);
        if (dup || dup_alias) return shop_admin_product_render(req, id, catalogue_id, slave_id, f, HTTP_CONFLICT);
    }

    const char *pass = shop_req_param(req, "passcode"), *hash = NULL;
    int clear_pass = shop_req_param(req, "passcode_clear") != NULL;
    if (!is_override && pass && *pass && shop_passcode_hash(pool, pass, &hash) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(0802) "cannot hash a product passcode");
        return shop_render_unavailable(req);
    }
    int rv = shop_db_begin(c.db);
    if (rv == 0) {
        if (is_override) rv = shop_override_update(c.db, override_id, &p, c.cur->code, req->now);
        else if (id) rv = shop_product_update(c.db, &p, c.cur->code, req->now);
        else rv = shop_product_insert(c.db, &p, c.cur->code, req->now);
    }
    if (rv == 0 && !is_override && (hash || clear_pass)) rv = shop_product_set_passcode(c.db, p.id, hash);
    /* slave overrides are keyed by code */
    if (rv == 0 && id && !is_override && strcmp(old.code, p.code) != 0)
        rv = shop_product_rename_slave_copies(c.db, c.cat.id, old.code, p.code);
    commit_and_publish(req, &c, &rv);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        /* a concurrent save took the code first */
        shop_form_error(f, "code", "product_error_code_taken", NULL);
        return shop_admin_product_render(req, id, catalogue_id, slave_id, f, HTTP_CONFLICT);
    }
    if (rv != 0) return shop_render_unavailable(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0803) "product %" APR_INT64_T_FMT " (%s) %s by user %"
                  APR_INT64_T_FMT "%s", p.id, p.code, is_override ? "override saved" : id ? "saved" : "created",
                  shop_req_identity(req)->userid, hash ? ", passcode set" : clear_pass ? ", passcode cleared" : "");
    return shop_redirect_local(req, is_override
        ? apr_psprintf(pool, "/admin/products/%" APR_INT64_T_FMT "?catalogue=%" APR_INT64_T_FMT "&saved=1", p.id, c.slave.id)
        : apr_psprintf(pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", p.id));
}

int shop_page_admin_product_new(shop_req_t *req)
{
    apr_int64_t cat = param_id(req, "catalogue");
    if (!cat) return shop_render_error(req, HTTP_BAD_REQUEST, "bad_request", "error_400_message", NULL);
    ctx_t c;
    int st = load_ctx(req, &c, cat);
    if (st != OK) return status_page(req, st);
    /* a slave sells its master's products: new products go to the master */
    return shop_admin_product_render(req, 0, c.cat.master_id ? c.cat.master_id : c.cat.id, 0, NULL, HTTP_OK);
}

int shop_page_admin_product_create(shop_req_t *req)
{
    apr_int64_t cat = param_id(req, "catalogue");
    if (!cat) return shop_render_error(req, HTTP_BAD_REQUEST, "bad_request", "error_400_message", NULL);
    ctx_t c;
    int st = load_ctx(req, &c, cat);
    if (st != OK) return status_page(req, st);
    /* products live in the master; a slave overrides them by code */
    return save(req, 0, c.cat.master_id ? c.cat.master_id : c.cat.id, 0);
}

int shop_page_admin_product_edit(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_render_not_found(req);
    return shop_admin_product_render(req, id, 0, param_id(req, "catalogue"), NULL, HTTP_OK);
}

int shop_page_admin_product_save(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_render_not_found(req);
    return save(req, id, 0, param_id(req, "catalogue"));
}

/* ------------------------------------------- delete, clone, convert, ... */

static int load_product(shop_req_t *req, ctx_t *c, shop_product_rec_t *p)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    int found = 0;
    shop_db_t *db = shop_req_db(req);
    if (!id) return HTTP_NOT_FOUND;
    if (!db || shop_product_get(db, id, "EUR", p, &found) != 0) return HTTP_SERVICE_UNAVAILABLE;
    if (!found) return HTTP_NOT_FOUND;
    return load_ctx(req, c, p->catalogue_id);
}

int shop_page_admin_product_delete_form(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    json_object *data = json_object_new_object();
    json_object *po = json_object_new_object();
    json_object_object_add(po, "id", json_object_new_int64(p.id));
    json_object_object_add(po, "code", shop_json_string_or_null(p.code));
    json_object_object_add(po, "name", shop_json_string_or_null(p.name));
    json_object_object_add(data, "product", po);
    json_object_object_add(data, "catalogue_id", json_object_new_int64(c.cat.id));
    if (!strcmp(c.cat.kind, "master")) json_object_object_add(data, "is_master", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/product_delete", data);
}

int shop_page_admin_product_delete(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    int affected = 0, rv = shop_db_begin(c.db);
    if (rv == 0) rv = shop_product_delete(c.db, p.id, c.cat.id, p.code, &affected);
    commit_and_publish(req, &c, &rv);
    if (rv != 0) return shop_render_unavailable(req);
    /* its files go with it (a clone has copies of its own) */
    const char *refs[] = { p.image_ref, p.thumb_ref, p.leaflet_ref };
    for (int k = 0; k < 3; k++)
        if (refs[k] && !strstr(refs[k], "..") && !strncmp(refs[k], "products/", 9))
            apr_file_remove(apr_pstrcat(req->r->pool, req->conf->data_dir, "/", refs[k], NULL), req->r->pool);
    apr_dir_remove(apr_psprintf(req->r->pool, "%s/products/%" APR_INT64_T_FMT, req->conf->data_dir, p.id), req->r->pool);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0804) "product %" APR_INT64_T_FMT " (%s) deleted by user %"
                  APR_INT64_T_FMT, p.id, p.code, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT "/products?done=1",
                                                 c.cat.id));
}

/* A free code: `code` with "1" appended until no product of the catalogue
 * has it (local_shop's rule), NULL when it would not fit. */
static const char *free_code(shop_req_t *req, ctx_t *c, const char *code, int *rv)
{
    const char *candidate = code;
    for (int i = 0; i < CLONE_TRIES; i++) {
        candidate = apr_pstrcat(req->r->pool, candidate, "1", NULL);
        if (strlen(candidate) > CODE_MAX) return NULL;
        int taken = 0;
        if ((*rv = shop_product_code_taken(c->db, c->cat.id, candidate, 0, &taken)) != 0) return NULL;
        if (!taken) return candidate;
    }
    return NULL;
}

/* The clone gets its own copies of the files (replacing the original's
 * must not change the clone's), inside the caller's transaction for the
 * references.  A file that cannot be copied is left out, and logged. */
static int clone_files(shop_req_t *req, ctx_t *c, apr_int64_t from, apr_int64_t to)
{
    apr_pool_t *pool = req->r->pool;
    shop_product_rec_t src;
    int found = 0;
    int rv = shop_product_get(c->db, from, c->cur->code, &src, &found);
    const char *refs[] = { src.image_ref, src.thumb_ref, src.leaflet_ref };
    static const char *const kinds[] = { "image", "thumb", "leaflet" };
    const char *dir = apr_psprintf(pool, "%s/products/%" APR_INT64_T_FMT, req->conf->data_dir, to);
    for (int k = 0; rv == 0 && found && k < 3; k++) {
        const char *ref = refs[k], *name = ref ? strrchr(ref, '/') : NULL;
        if (!name || strstr(ref, "..") || strncmp(ref, "products/", 9)) continue;
        const char *target = apr_pstrcat(pool, dir, name, NULL);
        apr_status_t st = apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, pool);
        if (st == APR_SUCCESS)
            st = apr_file_copy(apr_pstrcat(pool, req->conf->data_dir, "/", ref, NULL), target,
                               APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD, pool);
        if (st != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, st, req->r, SHOPLOGNO(0806) "cannot copy %s of product %"
                          APR_INT64_T_FMT " to its clone %" APR_INT64_T_FMT, ref, from, to);
            continue;
        }
        rv = shop_product_set_file(c->db, to, kinds[k],
                                   apr_psprintf(pool, "products/%" APR_INT64_T_FMT "%s", to, name));
    }
    return rv;
}

int shop_page_admin_product_clone(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    shop_rows_t *els = NULL;
    int rv = shop_product_elements(c.db, p.id, &els);
    if (rv != 0) return shop_render_unavailable(req);
    rv = shop_db_begin(c.db);
    apr_int64_t new_id = 0;
    int no_code = 0;
    const char *code = rv == 0 ? free_code(req, &c, p.code, &rv) : NULL;
    if (rv == 0 && !code) no_code = 1;
    if (rv == 0 && !no_code) rv = shop_product_clone(c.db, p.id, code, req->now, &new_id);
    if (rv == 0 && !no_code) rv = clone_files(req, &c, p.id, new_id);
    /* an element belongs to one container: the clone gets copies of them */
    for (int r = 0; rv == 0 && !no_code && r < els->nrows; r++) {
        apr_int64_t el_id = shop_rows_i64(els, r, 0, 0), el_new = 0;
        const char *el_code = free_code(req, &c, shop_rows_str(els, r, 1), &rv);
        if (rv == 0 && !el_code) no_code = 1;
        if (rv == 0 && !no_code) rv = shop_product_clone(c.db, el_id, el_code, req->now, &el_new);
        if (rv == 0 && !no_code) rv = clone_files(req, &c, el_id, el_new);
        if (rv == 0 && !no_code) rv = shop_product_element_add(c.db, new_id, el_new);
    }
    if (no_code) {
        shop_db_rollback(c.db);
        return shop_render_error(req, HTTP_CONFLICT, "conflict", "product_error_clone_code", NULL);
    }
    commit_and_publish(req, &c, &rv);
    if (rv != 0) return shop_render_unavailable(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0805) "product %" APR_INT64_T_FMT " cloned as %"
                  APR_INT64_T_FMT " (%s) by user %" APR_INT64_T_FMT, p.id, new_id, code, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", new_id));
}

int shop_page_admin_product_convert(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    const char *to = shop_req_param(req, "to");
    if (!to || (strcmp(to, "set") && strcmp(to, "bundle"))) {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "to", json_object_new_string("error_bad_choice"));
        return shop_render_error(req, HTTP_BAD_REQUEST, "bad_request", "error_400_message", fields);
    }
    int affected = 0, rv = shop_db_begin(c.db);
    if (rv == 0) rv = shop_product_convert(c.db, p.id, to, &affected);
    commit_and_publish(req, &c, &rv);
    if (rv != 0) return shop_render_unavailable(req);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", p.id));
}

static int element_error(shop_req_t *req, const shop_product_rec_t *p, const char *key, int status)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_error(f, "element", key, NULL);
    shop_form_value(f, "element", shop_req_param(req, "element"));
    /* show the stored product with the element error */
    ctx_t c;
    if (load_ctx(req, &c, p->catalogue_id) != OK) return shop_render_unavailable(req);
    shop_product_rec_t cur;
    int found = 0;
    if (shop_product_get(c.db, p->id, c.cur->code, &cur, &found) != 0 || !found) return shop_render_unavailable(req);
    values_from_record(req, f, &c, &cur);
    return shop_admin_product_render(req, p->id, 0, 0, f, status);
}

int shop_page_admin_product_element(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    const char *code = shop_req_param(req, "element");
    if (!strcmp(p.kind, "product")) return element_error(req, &p, "product_error_not_container", HTTP_BAD_REQUEST);
    if (!code || !code_ok(code)) return element_error(req, &p, "product_error_code", HTTP_BAD_REQUEST);
    apr_int64_t el = 0, container = 0;
    if (shop_product_id_by_code(c.db, c.cat.id, code, &el) != 0) return shop_render_unavailable(req);
    if (!el) return element_error(req, &p, "product_error_element_unknown", HTTP_BAD_REQUEST);
    if (el == p.id) return element_error(req, &p, "product_error_element_self", HTTP_BAD_REQUEST);
    shop_product_rec_t e;
    int found = 0;
    if (shop_product_get(c.db, el, c.cur->code, &e, &found) != 0 || !found
        || shop_product_container(c.db, el, &container) != 0)
        return shop_render_unavailable(req);
    if (strcmp(e.kind, "product")) return element_error(req, &p, "product_error_element_container", HTTP_BAD_REQUEST);
    if (container) return element_error(req, &p, "product_error_element_taken", HTTP_CONFLICT);
    int rv = shop_db_begin(c.db);
    if (rv == 0) rv = shop_product_element_add(c.db, p.id, el);
    commit_and_publish(req, &c, &rv);
    if (rv == SHOP_DB_ER_DUP_ENTRY) return element_error(req, &p, "product_error_element_taken", HTTP_CONFLICT);
    if (rv != 0) return shop_render_unavailable(req);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", p.id));
}

int shop_page_admin_product_unlink(shop_req_t *req)
{
    ctx_t c;
    shop_product_rec_t p;
    int st = load_product(req, &c, &p);
    if (st != OK) return status_page(req, st);
    const char *code = shop_req_param(req, "element");
    int all = shop_req_param(req, "all") != NULL;
    apr_int64_t el = 0;
    if (!all) {
        if (!code || !code_ok(code)) return element_error(req, &p, "product_error_code", HTTP_BAD_REQUEST);
        if (shop_product_id_by_code(c.db, c.cat.id, code, &el) != 0) return shop_render_unavailable(req);
        if (!el) return element_error(req, &p, "product_error_element_unknown", HTTP_BAD_REQUEST);
    }
    int affected = 0, rv = shop_db_begin(c.db);
    if (rv == 0) rv = shop_product_element_remove(c.db, p.id, el, &affected);
    commit_and_publish(req, &c, &rv);
    if (rv != 0) return shop_render_unavailable(req);
    if (!affected && !all) return element_error(req, &p, "product_error_element_unknown", HTTP_BAD_REQUEST);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/products/%" APR_INT64_T_FMT "?saved=1", p.id));
}
