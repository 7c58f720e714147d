/* Storefront model loading and catalogue versions: see catalog_repo.h. */
#include "data/catalog_repo.h"

#include <apr_strings.h>
#include "core/html.h"
#include <string.h>

#define VERSION_TTL 300        /* seconds: a safety net only, writers publish new versions */

static const shop_sql_t Q_SHOP = {
    "catalog.shop",
    "SELECT s.id, s.name, s.description, s.currency, s.terms, s.print_tabbed_categories,"
    " c.id, c.kind, COALESCE(c.master_id, 0), c.name, c.cache_version,"
    " s.paymodes, s.default_paymode, s.customer_organisation_required,"
    " s.enduser_organisation_required, s.enduser_mobilephone_required, c.country_restrictions"
    " FROM {shop}shop s JOIN {shop}catalogue c ON c.id = s.catalogue_id WHERE s.id = %s AND s.enabled = 1"
};
static const shop_sql_t Q_TAXES = { "catalog.taxes", "SELECT id, title, country, rate, formula FROM {shop}tax" };
static const shop_sql_t Q_CATEGORIES = {
    "catalog.categories",
    "SELECT id, COALESCE(parent_id, 0), name, description, seo_alias, sortorder, visible"
    " FROM {shop}category WHERE catalogue_id IN (%s, %s) ORDER BY COALESCE(parent_id, 0), sortorder, id"
};
static const shop_sql_t Q_PRODUCTS = {
    "catalog.products",
    "SELECT id, COALESCE(category_id, 0), code, name, short_description, description, terms, status, kind,"
    " seat_mode, action, action_params, required_data, image_ref, thumb_ref, leaflet_ref, seo_alias,"
    " audience, max_quantity, passcode_hash IS NOT NULL, renewable, requires_shipping, sortorder,"
    " COALESCE(stock, -1), reserved, COALESCE(tax_id, 0)"
    " FROM {shop}product WHERE catalogue_id = %s ORDER BY COALESCE(category_id, 0), sortorder, id"
};
static const shop_sql_t Q_TIERS = {
    "catalog.tiers",
    "SELECT pp.product_id, COALESCE(pp.up_to, 0), pp.price_minor FROM {shop}product_price pp"
    " JOIN {shop}product p ON p.id = pp.product_id WHERE p.catalogue_id = %s AND pp.currency = %s"
    " ORDER BY pp.product_id, pp.tier"
};
static const shop_sql_t Q_ELEMENTS = {
    "catalog.elements",
    "SELECT e.container_id, e.element_id FROM {shop}product_element e"
    " JOIN {shop}product p ON p.id = e.container_id WHERE p.catalogue_id = %s ORDER BY e.container_id, e.sortorder"
};
static const shop_sql_t Q_OVERRIDES = {
    "catalog.overrides",
    "SELECT id, product_code, name, short_description, description, terms, COALESCE(tax_id, 0),"
    " override_tax, override_prices FROM {shop}product_override WHERE catalogue_id = %s"
};
static const shop_sql_t Q_OVERRIDE_TIERS = {
    "catalog.override_tiers",
    "SELECT op.override_id, COALESCE(op.up_to, 0), op.price_minor FROM {shop}product_override_price op"
    " JOIN {shop}product_override o ON o.id = op.override_id WHERE o.catalogue_id = %s AND op.currency = %s"
    " ORDER BY op.override_id, op.tier"
};
static const shop_sql_t Q_ZONES = {
    "catalog.zones",
    "SELECT id, code, description, bill_scope_minor, currency, COALESCE(tax_id, 0), applicability"
    " FROM {shop}shipzone WHERE catalogue_id = %s ORDER BY sortorder, code"
};
static const shop_sql_t Q_SHIP_RULES = {
    "catalog.ship_rules",
    "SELECT s.zone_id, s.product_code, s.value_minor, s.formula, s.a, s.b, s.c FROM {shop}shipping s"
    " JOIN {shop}shipzone z ON z.id = s.zone_id WHERE z.catalogue_id = %s ORDER BY s.zone_id, s.product_code, s.id"
};
static const shop_sql_t Q_PASSCODE = {
    "catalog.passcode", "SELECT passcode_hash FROM {shop}product WHERE id = %s"
};
static const shop_sql_t Q_VERSION = {
    "catalog.version", "SELECT cache_version FROM {shop}catalogue WHERE id = %s"
};
static const shop_sql_t Q_BUMP = {
    "catalog.bump",
    "UPDATE {shop}catalogue SET cache_version = cache_version + 1 WHERE id = %s OR master_id = %s"
};
static const shop_sql_t Q_FAMILY = {
    "catalog.family", "SELECT id, cache_version FROM {shop}catalogue WHERE id = %s OR master_id = %s"
};

/* Copy a cell into the model's pool (the rows live in the request pool). */
static const char *keep(apr_pool_t *pool, const shop_rows_t *rows, int r, int c)
{
    const char *v = shop_rows_str(rows, r, c);
    return v ? apr_pstrdup(pool, v) : NULL;
}

/* Staff-written rich text is sanitized once, when the model is built: the
 * templates print it raw.  Text that cannot be sanitized is dropped. */
static const char *keep_html(apr_pool_t *pool, const shop_rows_t *rows, int r, int c)
{
    const char *v = shop_rows_str(rows, r, c), *clean = NULL, *error = NULL;
    if (!v || !*v) return NULL;
    return shop_html_sanitize(pool, v, strlen(v), &clean, &error) == APR_SUCCESS ? clean : NULL;
}

static apr_int64_t *int64_key(apr_pool_t *pool, apr_int64_t v)
{
    apr_int64_t *k = apr_palloc(pool, sizeof(*k));
    *k = v;
    return k;
}

static const shop_tax_t *tax_of(const shop_catalog_t *cat, apr_int64_t id)
{
    return id ? apr_hash_get(cat->taxes, &id, sizeof(id)) : NULL;
}

/* A tax whose formula does not compile (written by another tool) is left
 * out: its products show as not purchasable rather than at a wrong price. */
static int load_taxes(shop_db_t *db, shop_catalog_t *cat)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_TAXES, 0, NULL, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        shop_dec_t rate;
        shop_tax_t *t = NULL;
        shop_formula_error_t err;
        const char *formula = shop_rows_str(rows, r, 4);
        if (shop_dec_parse(shop_rows_str(rows, r, 3), &rate) != APR_SUCCESS
            || shop_tax_make(cat->pool, shop_rows_i64(rows, r, 0, 0), shop_rows_str(rows, r, 1),
                             shop_rows_str(rows, r, 2), rate, formula ? formula : "", &t, &err) != APR_SUCCESS)
            continue;
        apr_hash_set(cat->taxes, int64_key(cat->pool, t->id), sizeof(apr_int64_t), t);
    }
    return rv;
}

static int load_categories(shop_db_t *db, shop_catalog_t *cat, apr_int64_t base_id)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, base_id), shop_db_i64(db->pool, cat->id) };
    int rv = shop_db_select(db, &Q_CATEGORIES, 2, args, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        shop_category_t *c = apr_array_push(cat->categories);
        c->id = shop_rows_i64(rows, r, 0, 0);
        c->parent_id = shop_rows_i64(rows, r, 1, 0);
        c->name = keep(cat->pool, rows, r, 2);
        c->description = keep_html(cat->pool, rows, r, 3);
        c->seo_alias = keep(cat->pool, rows, r, 4);
        c->sortorder = (int)shop_rows_i64(rows, r, 5, 0);
        c->visible = shop_rows_i64(rows, r, 6, 1) != 0;
    }
    return rv;
}

static shop_product_t *product_by_id(apr_hash_t *by_id, apr_int64_t id)
{
    return apr_hash_get(by_id, &id, sizeof(id));
}

static int load_products(shop_db_t *db, shop_catalog_t *cat, apr_int64_t base_id, apr_hash_t *by_id)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, base_id) };
    int rv = shop_db_select(db, &Q_PRODUCTS, 1, args, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        apr_pool_t *mp = cat->pool;
        shop_product_t *p = apr_pcalloc(mp, sizeof(*p));
        p->id = shop_rows_i64(rows, r, 0, 0);
        p->category_id = shop_rows_i64(rows, r, 1, 0);
        p->code = keep(mp, rows, r, 2);
        p->name = keep(mp, rows, r, 3);
        p->short_description = keep_html(mp, rows, r, 4);
        p->description = keep_html(mp, rows, r, 5);
        p->terms = keep_html(mp, rows, r, 6);
        p->status = keep(mp, rows, r, 7);
        p->kind = keep(mp, rows, r, 8);
        p->seat_mode = keep(mp, rows, r, 9);
        p->action = keep(mp, rows, r, 10);
        p->action_params = keep(mp, rows, r, 11);
        p->required_data = keep(mp, rows, r, 12);
        p->image_ref = keep(mp, rows, r, 13);
        p->thumb_ref = keep(mp, rows, r, 14);
        p->leaflet_ref = keep(mp, rows, r, 15);
        p->seo_alias = keep(mp, rows, r, 16);
        p->audience = (int)shop_rows_i64(rows, r, 17, 0);
        p->max_quantity = (int)shop_rows_i64(rows, r, 18, 0);
        p->has_passcode = shop_rows_i64(rows, r, 19, 0) != 0;
        p->renewable = shop_rows_i64(rows, r, 20, 0) != 0;
        p->requires_shipping = shop_rows_i64(rows, r, 21, 0) != 0;
        p->sortorder = (int)shop_rows_i64(rows, r, 22, 0);
        p->stock = shop_rows_i64(rows, r, 23, -1);
        p->reserved = shop_rows_i64(rows, r, 24, 0);
        apr_int64_t tax_id = shop_rows_i64(rows, r, 25, 0);
        p->tax = tax_of(cat, tax_id);
        p->tax_unusable = tax_id && !p->tax;
        p->elements = apr_array_make(mp, 0, sizeof(const shop_product_t *));
        APR_ARRAY_PUSH(cat->products, shop_product_t *) = p;
        apr_hash_set(cat->by_code, p->code, APR_HASH_KEY_STRING, p);
        apr_hash_set(by_id, int64_key(mp, p->id), sizeof(apr_int64_t), p);
    }
    return rv;
}

static void add_tier(shop_product_t *p, apr_int64_t up_to, apr_int64_t price)
{
    if (p->ntiers >= SHOP_TIERS_MAX) return;
    p->tiers[p->ntiers].up_to = up_to;
    p->tiers[p->ntiers].price_minor = price;
    p->ntiers++;
}

static int load_tiers(shop_db_t *db, shop_catalog_t *cat, apr_int64_t base_id, apr_hash_t *by_id)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, base_id), cat->currency };
    int rv = shop_db_select(db, &Q_TIERS, 2, args, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        shop_product_t *p = product_by_id(by_id, shop_rows_i64(rows, r, 0, 0));
        if (p) add_tier(p, shop_rows_i64(rows, r, 1, 0), shop_rows_i64(rows, r, 2, 0));
    }
    return rv;
}

static int load_elements(shop_db_t *db, shop_catalog_t *cat, apr_int64_t base_id, apr_hash_t *by_id)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, base_id) };
    int rv = shop_db_select(db, &Q_ELEMENTS, 1, args, &rows);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        shop_product_t *box = product_by_id(by_id, shop_rows_i64(rows, r, 0, 0));
        shop_product_t *el = product_by_id(by_id, shop_rows_i64(rows, r, 1, 0));
        if (!box || !el) continue;
        APR_ARRAY_PUSH(box->elements, const shop_product_t *) = el;
        el->container_id = box->id;
    }
    return rv;
}

static int load_overrides(shop_db_t *db, shop_catalog_t *cat)
{
    shop_rows_t *rows, *tiers;
    const char *args[] = { shop_db_i64(db->pool, cat->id) };
    const char *targs[] = { args[0], cat->currency };
    int rv = shop_db_select(db, &Q_OVERRIDES, 1, args, &rows);
    if (rv == 0) rv = shop_db_select(db, &Q_OVERRIDE_TIERS, 2, targs, &tiers);
    for (int r = 0; rv == 0 && r < rows->nrows; r++) {
        apr_pool_t *mp = cat->pool;
        shop_product_override_t ov;
        memset(&ov, 0, sizeof(ov));
        apr_int64_t ov_id = shop_rows_i64(rows, r, 0, 0);
        ov.code = shop_rows_str(rows, r, 1);
        ov.name = keep(mp, rows, r, 2);
        ov.short_description = keep_html(mp, rows, r, 3);
        ov.description = keep_html(mp, rows, r, 4);
        ov.terms = keep_html(mp, rows, r, 5);
        ov.tax_override = shop_rows_i64(rows, r, 7, 0) != 0;
        apr_int64_t tax_id = shop_rows_i64(rows, r, 6, 0);
        ov.tax = tax_of(cat, tax_id);
        if (ov.tax_override && tax_id && !ov.tax) ov.tax_override = -1;   /* unusable tax */
        ov.ntiers = shop_rows_i64(rows, r, 8, 0) ? 0 : -1;
        for (int t = 0; ov.ntiers >= 0 && t < tiers->nrows && ov.ntiers < SHOP_TIERS_MAX; t++) {
            if (shop_rows_i64(tiers, t, 0, 0) != ov_id) continue;
            ov.tiers[ov.ntiers].up_to = shop_rows_i64(tiers, t, 1, 0);
            ov.tiers[ov.ntiers].price_minor = shop_rows_i64(tiers, t, 2, 0);
            ov.ntiers++;
        }
        shop_catalog_apply_override(cat, &ov);   /* an override of a vanished product is ignored */
    }
    return rv;
}

static shop_dec_t dec_cell(const shop_rows_t *rows, int r, int c)
{
    shop_dec_t d = shop_dec_from_int(0);
    const char *v = shop_rows_str(rows, r, c);
    if (v) shop_dec_parse(v, &d);
    return d;
}

/* The rules of zone `zone_id` (rows ordered by zone). */
static int load_ship_rules(apr_pool_t *pool, const shop_rows_t *rows, apr_int64_t zone_id, shop_ship_zone_t *z)
{
    int n = 0, skipped = 0;
    for (int r = 0; r < rows->nrows; r++)
        if (shop_rows_i64(rows, r, 0, 0) == zone_id) n++;
    shop_ship_rule_t *rules = apr_pcalloc(pool, sizeof(*rules) * (apr_size_t)(n ? n : 1));
    z->nrules = 0;
    for (int r = 0; r < rows->nrows; r++) {
        if (shop_rows_i64(rows, r, 0, 0) != zone_id) continue;
        shop_ship_rule_t *rule = &rules[z->nrules];
        shop_formula_error_t err;
        rule->product_code = keep(pool, rows, r, 1);
        rule->value_minor = shop_rows_i64(rows, r, 2, 0);
        rule->a = dec_cell(rows, r, 4);
        rule->b = dec_cell(rows, r, 5);
        rule->c = dec_cell(rows, r, 6);
        if (rule->value_minor <= 0
            && shop_ship_formula_compile(pool, shop_rows_str(rows, r, 3), &rule->formula, &err) != APR_SUCCESS) {
            skipped++;
            continue;
        }
        z->nrules++;
    }
    z->rules = rules;
    return skipped;
}

/* Zones of `catalogue_id` in the shop's currency; *nzones 0 when none. */
static int load_zones(shop_db_t *db, shop_storefront_t *sf, apr_int64_t catalogue_id)
{
    shop_rows_t *rows, *rules;
    const char *args[] = { shop_db_i64(db->pool, catalogue_id) };
    int rv = shop_db_select(db, &Q_ZONES, 1, args, &rows);
    if (rv == 0) rv = shop_db_select(db, &Q_SHIP_RULES, 1, args, &rules);
    if (rv != 0) return rv;
    shop_ship_zone_t *zones = apr_pcalloc(sf->pool, sizeof(*zones) * (apr_size_t)(rows->nrows ? rows->nrows : 1));
    int n = 0;
    for (int r = 0; r < rows->nrows; r++) {
        shop_ship_zone_t *z = &zones[n];
        const char *cur = shop_rows_str(rows, r, 4), *app = shop_rows_str(rows, r, 6);
        apr_int64_t tax_id = shop_rows_i64(rows, r, 5, 0);
        shop_ship_applic_t *compiled = NULL;
        shop_formula_error_t err;
        z->code = keep(sf->pool, rows, r, 1);
        z->description = keep(sf->pool, rows, r, 2);
        z->bill_scope_minor = shop_rows_i64(rows, r, 3, 0);
        z->tax = tax_of(sf->catalog, tax_id);
        if (!cur || !sf->currency || strcmp(cur, sf->currency) != 0 || (tax_id && !z->tax) || z->bill_scope_minor < 0
            || shop_ship_applic_compile(sf->pool, app ? app : "", app ? strlen(app) : 0, &compiled, &err) != APR_SUCCESS) {
            sf->zones_skipped++;
            continue;
        }
        z->applicability = compiled;
        sf->zones_skipped += load_ship_rules(sf->pool, rules, shop_rows_i64(rows, r, 0, 0), z);
        n++;
    }
    sf->zones = zones;
    sf->nzones = n;
    return 0;
}

int shop_storefront_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_storefront_t **out)
{
    *out = NULL;
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, shop_id) };
    int rv = shop_db_select(db, &Q_SHOP, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;

    shop_storefront_t *sf = apr_pcalloc(pool, sizeof(*sf));
    sf->pool = pool;
    sf->shop_id = shop_rows_i64(rows, 0, 0, 0);
    sf->name = keep(pool, rows, 0, 1);
    sf->description = keep_html(pool, rows, 0, 2);
    sf->currency = keep(pool, rows, 0, 3);
    sf->terms = keep_html(pool, rows, 0, 4);
    sf->tabbed = shop_rows_i64(rows, 0, 5, 1) != 0;

    shop_catalog_t *cat = shop_catalog_create(pool);
    cat->id = shop_rows_i64(rows, 0, 6, 0);
    cat->kind = keep(pool, rows, 0, 7);
    cat->master_id = shop_rows_i64(rows, 0, 8, 0);
    cat->name = keep(pool, rows, 0, 9);
    cat->version = shop_rows_i64(rows, 0, 10, 0);
    cat->currency = sf->currency;
    sf->catalog = cat;
    sf->paymodes = keep(pool, rows, 0, 11);
    sf->default_paymode = keep(pool, rows, 0, 12);
    sf->customer_org_required = shop_rows_i64(rows, 0, 13, 0) != 0;
    sf->enduser_org_required = shop_rows_i64(rows, 0, 14, 0) != 0;
    sf->enduser_phone_required = shop_rows_i64(rows, 0, 15, 0) != 0;
    sf->countries = keep(pool, rows, 0, 16);

    /* A slave shows its master's products, overridden by code. */
    apr_int64_t base_id = cat->master_id ? cat->master_id : cat->id;
    apr_hash_t *by_id = apr_hash_make(db->pool);
    if ((rv = load_taxes(db, cat)) || (rv = load_categories(db, cat, base_id))
        || (rv = load_products(db, cat, base_id, by_id)) || (rv = load_tiers(db, cat, base_id, by_id))
        || (rv = load_elements(db, cat, base_id, by_id)))
        return rv;
    if (cat->master_id && (rv = load_overrides(db, cat))) return rv;
    if ((rv = load_zones(db, sf, cat->id))) return rv;
    if (sf->nzones == 0 && sf->zones_skipped == 0 && cat->master_id && (rv = load_zones(db, sf, cat->master_id)))
        return rv;
    if ((rv = shop_discount_load(db, sf->shop_id, pool, &sf->discounts))) return rv;
    *out = sf;
    return 0;
}

int shop_catalog_passcode_hash(shop_db_t *db, apr_int64_t product_id, const char **hash)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, product_id) };
    *hash = NULL;
    int rv = shop_db_select(db, &Q_PASSCODE, 1, args, &rows);
    if (rv == 0) *hash = shop_rows_str(rows, 0, 0);
    return rv;
}

static const char *version_key(apr_pool_t *pool, apr_int64_t id)
{
    return apr_psprintf(pool, "catver:%" APR_INT64_T_FMT, id);
}

apr_status_t shop_catalog_version_cached(shop_cache_t *cache, apr_pool_t *pool, apr_int64_t catalogue_id,
                                         apr_int64_t *version)
{
    const char *text = NULL;
    apr_size_t len = 0;
    if (!cache || shop_cache_get(cache, pool, version_key(pool, catalogue_id), &text, &len) != APR_SUCCESS
        || len == 0 || len >= 24)
        return APR_NOTFOUND;
    char *end;
    apr_int64_t v = apr_strtoi64(apr_pstrmemdup(pool, text, len), &end, 10);
    if (*end != '\0') return APR_NOTFOUND;
    *version = v;
    return APR_SUCCESS;
}

int shop_catalog_version(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id, apr_int64_t *version)
{
    if (shop_catalog_version_cached(cache, db->pool, catalogue_id, version) == APR_SUCCESS) return 0;
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, catalogue_id) };
    int rv = shop_db_select(db, &Q_VERSION, 1, args, &rows);
    if (rv != 0) return rv;
    *version = shop_rows_i64(rows, 0, 0, -1);
    if (cache && *version >= 0) {
        const char *v = shop_db_i64(db->pool, *version);
        shop_cache_add(cache, db->pool, version_key(db->pool, catalogue_id), v, strlen(v), VERSION_TTL);
    }
    return 0;
}

int shop_catalog_bump(shop_db_t *db, apr_int64_t catalogue_id)
{
    const char *id = shop_db_i64(db->pool, catalogue_id);
    const char *args[] = { id, id };
    return shop_db_exec(db, &Q_BUMP, 2, args, NULL);
}

void shop_catalog_publish_versions(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id)
{
    shop_rows_t *rows;
    const char *id = shop_db_i64(db->pool, catalogue_id);
    const char *args[] = { id, id };
    if (shop_db_select(db, &Q_FAMILY, 2, args, &rows) != 0) return;
    for (int r = 0; r < rows->nrows; r++) {
        const char *key = version_key(db->pool, shop_rows_i64(rows, r, 0, 0));
        const char *v = shop_rows_str(rows, r, 1);
        /* if the set fails, make sure no stale value stays behind */
        if (!cache || shop_cache_set(cache, db->pool, key, v, strlen(v), VERSION_TTL) != APR_SUCCESS)
            if (cache) shop_cache_delete(cache, db->pool, key);
    }
}
