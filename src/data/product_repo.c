/* Back-office product storage: see product_repo.h. */
#include "data/product_repo.h"

#include <string.h>
#include <apr_strings.h>

static const shop_sql_t Q_CATALOGUE = {
    "product.catalogue",
    "SELECT c.id, c.name, c.kind, COALESCE(c.master_id, 0),"
    " COALESCE((SELECT s.currency FROM {shop}shop s WHERE s.catalogue_id = c.id ORDER BY s.id LIMIT 1),"
    "          (SELECT s.currency FROM {shop}shop s WHERE s.catalogue_id = c.master_id ORDER BY s.id LIMIT 1), 'EUR'),"
    " COALESCE((SELECT s.force_download_leaflet FROM {shop}shop s WHERE s.catalogue_id = c.id ORDER BY s.id LIMIT 1),"
    "          (SELECT s.force_download_leaflet FROM {shop}shop s WHERE s.catalogue_id = c.master_id ORDER BY s.id LIMIT 1), 1)"
    " FROM {shop}catalogue c WHERE c.id = %s"
};
static const shop_sql_t Q_GET = {
    "product.get",
    "SELECT id, catalogue_id, COALESCE(category_id, 0), COALESCE(tax_id, 0), COALESCE(stock, -1), code, name,"
    " short_description, description, notes, terms, status, kind, seat_mode, passcode_hash, required_data, action,"
    " action_params, production_data, seo_alias, image_ref, thumb_ref, leaflet_ref, audience, max_quantity,"
    " renewable, requires_shipping, sortorder FROM {shop}product WHERE id = %s"
};
static const shop_sql_t Q_TIERS = {
    "product.tiers",
    "SELECT COALESCE(up_to, 0), price_minor FROM {shop}product_price WHERE product_id = %s AND currency = %s ORDER BY tier"
};
static const shop_sql_t Q_LIST = {
    "product.list",
    "SELECT p.id, p.code, p.name, p.status, p.kind, COALESCE(p.stock, -1),"
    " (SELECT pp.price_minor FROM {shop}product_price pp WHERE pp.product_id = p.id AND pp.currency = %s AND pp.tier = 1),"
    " o.id, (SELECT e.container_id FROM {shop}product_element e WHERE e.element_id = p.id)"
    " FROM {shop}product p LEFT JOIN {shop}product_override o ON o.catalogue_id = %s AND o.product_code = p.code"
    " WHERE p.catalogue_id = %s AND (%s = '' OR p.code LIKE %s OR p.name LIKE %s) AND (%s = '' OR p.status = %s)"
    " AND (%s = 0 OR p.category_id = %s)"
    " ORDER BY p.code LIMIT 5000"
};
static const shop_sql_t Q_CODE_TAKEN = {
    "product.code_taken", "SELECT id FROM {shop}product WHERE catalogue_id = %s AND code = %s AND id <> %s"
};
static const shop_sql_t Q_ALIAS_TAKEN = {
    "product.alias_taken", "SELECT id FROM {shop}product WHERE catalogue_id = %s AND seo_alias = %s AND id <> %s"
};
static const shop_sql_t Q_INSERT = {
    "product.insert",
    "INSERT INTO {shop}product (catalogue_id, category_id, tax_id, stock, code, name, short_description, description,"
    " notes, terms, status, seat_mode, required_data, action, action_params, production_data, seo_alias, audience,"
    " max_quantity, renewable, requires_shipping, sortorder, created_at, modified_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "product.update",
    "UPDATE {shop}product SET category_id = %s, tax_id = %s, stock = %s, code = %s, name = %s, short_description = %s,"
    " description = %s, notes = %s, terms = %s, status = %s, seat_mode = %s, required_data = %s, action = %s,"
    " action_params = %s, production_data = %s, seo_alias = %s, audience = %s, max_quantity = %s, renewable = %s,"
    " requires_shipping = %s, sortorder = %s, modified_at = %s, version = version + 1 WHERE id = %s"
};
static const shop_sql_t Q_TIERS_DEL = {
    "product.tiers_del", "DELETE FROM {shop}product_price WHERE product_id = %s AND currency = %s"
};
static const shop_sql_t Q_TIER_INS = {
    "product.tier_ins",
    "INSERT INTO {shop}product_price (product_id, currency, tier, up_to, price_minor) VALUES (%s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_PASSCODE = {
    "product.passcode", "UPDATE {shop}product SET passcode_hash = %s WHERE id = %s"
};
static const shop_sql_t Q_DELETE = { "product.delete", "DELETE FROM {shop}product WHERE id = %s" };
static const shop_sql_t Q_DELETE_SLAVE_COPIES = {
    "product.delete_slave_copies",
    "DELETE FROM {shop}product_override WHERE product_code = %s"
    " AND catalogue_id IN (SELECT id FROM {shop}catalogue WHERE master_id = %s)"
};
static const shop_sql_t Q_RENAME_SLAVE_COPIES = {
    "product.rename_slave_copies",
    "UPDATE IGNORE {shop}product_override SET product_code = %s WHERE product_code = %s"
    " AND catalogue_id IN (SELECT id FROM {shop}catalogue WHERE master_id = %s)"
};
static const shop_sql_t Q_CLONE = {
    "product.clone",
    "INSERT INTO {shop}product (catalogue_id, category_id, owner_userid, code, idnumber, name, description,"
    " short_description, notes, terms, status, kind, audience, max_quantity, passcode_hash, seat_mode, renewable,"
    " required_data, action, action_params, production_data, stock, tax_id, requires_shipping, sortorder,"
    " created_at, modified_at)"
    " SELECT catalogue_id, category_id, owner_userid, %s, '', name, description, short_description, notes, terms,"
    " 'PREVIEW', kind, audience, max_quantity, passcode_hash, seat_mode, renewable, required_data, action,"
    " action_params, production_data, stock, tax_id, requires_shipping, sortorder, %s, %s"
    " FROM {shop}product WHERE id = %s"
};
static const shop_sql_t Q_CLONE_TIERS = {
    "product.clone_tiers",
    "INSERT INTO {shop}product_price (product_id, currency, tier, up_to, price_minor)"
    " SELECT %s, currency, tier, up_to, price_minor FROM {shop}product_price WHERE product_id = %s"
};
static const shop_sql_t Q_CONVERT = {
    "product.convert",
    "UPDATE {shop}product SET kind = %s, action = NULL, action_params = NULL, version = version + 1 WHERE id = %s"
};
static const shop_sql_t Q_ELEMENTS = {
    "product.elements",
    "SELECT p.id, p.code, p.name FROM {shop}product_element e JOIN {shop}product p ON p.id = e.element_id"
    " WHERE e.container_id = %s ORDER BY e.sortorder, p.code"
};
static const shop_sql_t Q_CONTAINER = {
    "product.container", "SELECT container_id FROM {shop}product_element WHERE element_id = %s"
};
static const shop_sql_t Q_ID_BY_CODE = {
    "product.id_by_code", "SELECT id FROM {shop}product WHERE catalogue_id = %s AND code = %s"
};
static const shop_sql_t Q_ELEMENT_ADD = {
    "product.element_add",
    "INSERT INTO {shop}product_element (container_id, element_id, sortorder)"
    " SELECT %s, %s, COALESCE(MAX(sortorder), 0) + 1 FROM {shop}product_element WHERE container_id = %s"
};
static const shop_sql_t Q_ELEMENT_DEL = {
    "product.element_del", "DELETE FROM {shop}product_element WHERE container_id = %s AND element_id = %s"
};
static const shop_sql_t Q_ELEMENT_DEL_ALL = {
    "product.element_del_all", "DELETE FROM {shop}product_element WHERE container_id = %s"
};
static const shop_sql_t Q_FILE_IMAGE = { "product.file_image", "UPDATE {shop}product SET image_ref = %s WHERE id = %s" };
static const shop_sql_t Q_FILE_THUMB = { "product.file_thumb", "UPDATE {shop}product SET thumb_ref = %s WHERE id = %s" };
static const shop_sql_t Q_FILE_LEAFLET = {
    "product.file_leaflet", "UPDATE {shop}product SET leaflet_ref = %s WHERE id = %s"
};
static const shop_sql_t Q_TAXES = {
    "product.taxes", "SELECT id, title, COALESCE(country, ''), rate, formula FROM {shop}tax ORDER BY title, id"
};
static const shop_sql_t Q_CATEGORIES = {
    "product.categories",
    "SELECT id, name, COALESCE(parent_id, 0) FROM {shop}category WHERE catalogue_id = %s"
    " ORDER BY COALESCE(parent_id, 0), sortorder, id"
};
static const shop_sql_t Q_OVERRIDE_GET = {
    "product.override_get",
    "SELECT id, name, short_description, description, notes, terms, COALESCE(tax_id, 0), override_tax, override_prices"
    " FROM {shop}product_override WHERE catalogue_id = %s AND product_code = %s"
};
static const shop_sql_t Q_OVERRIDE_TIERS = {
    "product.override_tiers",
    "SELECT COALESCE(up_to, 0), price_minor FROM {shop}product_override_price WHERE override_id = %s AND currency = %s"
    " ORDER BY tier"
};
static const shop_sql_t Q_OVERRIDE_COPY = {
    "product.override_copy",
    "INSERT IGNORE INTO {shop}product_override (catalogue_id, product_code, name, description, short_description,"
    " notes, terms, tax_id, override_tax, override_prices, created_at, modified_at)"
    " SELECT %s, code, name, description, short_description, notes, terms, tax_id, 1, 1, %s, %s"
    " FROM {shop}product WHERE id = %s"
};
static const shop_sql_t Q_OVERRIDE_COPY_TIERS = {
    "product.override_copy_tiers",
    "INSERT INTO {shop}product_override_price (override_id, currency, tier, up_to, price_minor)"
    " SELECT o.id, pp.currency, pp.tier, pp.up_to, pp.price_minor FROM {shop}product_override o"
    " JOIN {shop}product_price pp ON pp.product_id = %s WHERE o.catalogue_id = %s AND o.product_code = %s"
};
static const shop_sql_t Q_OVERRIDE_FREE = {
    "product.override_free", "DELETE FROM {shop}product_override WHERE catalogue_id = %s AND product_code = %s"
};
static const shop_sql_t Q_OVERRIDE_UPDATE = {
    "product.override_update",
    "UPDATE {shop}product_override SET name = %s, short_description = %s, description = %s, notes = %s, terms = %s,"
    " tax_id = %s, override_tax = 1, override_prices = 1, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_OVERRIDE_TIERS_DEL = {
    "product.override_tiers_del", "DELETE FROM {shop}product_override_price WHERE override_id = %s AND currency = %s"
};
static const shop_sql_t Q_OVERRIDE_TIER_INS = {
    "product.override_tier_ins",
    "INSERT INTO {shop}product_override_price (override_id, currency, tier, up_to, price_minor)"
    " VALUES (%s, %s, %s, %s, %s)"
};

static const shop_sql_t Q_EXPORT = {
    "product.export",
    "SELECT p.id, p.code, p.name, p.status, COALESCE(c.seo_alias, CAST(c.id AS CHAR)), COALESCE(p.tax_id, 0), p.audience, p.max_quantity,"
    " p.seat_mode, p.action, COALESCE(p.stock, -1), p.short_description"
    " FROM {shop}product p LEFT JOIN {shop}category c ON c.id = p.category_id WHERE p.catalogue_id = %s ORDER BY p.code"
};
static const shop_sql_t Q_ALL_TIERS = {
    "product.all_tiers",
    "SELECT pp.product_id, COALESCE(pp.up_to, 0), pp.price_minor FROM {shop}product_price pp"
    " JOIN {shop}product p ON p.id = pp.product_id WHERE p.catalogue_id = %s AND pp.currency = %s"
    " ORDER BY pp.product_id, pp.tier"
};
static const shop_sql_t Q_CATEGORY_ALIASES = {
    "product.category_aliases", "SELECT id, seo_alias FROM {shop}category WHERE catalogue_id = %s AND seo_alias IS NOT NULL"
};
static const shop_sql_t Q_UPDATE_CSV = {
    "product.update_csv",
    "UPDATE {shop}product SET name = %s, status = %s, category_id = %s, tax_id = %s, audience = %s, max_quantity = %s,"
    " seat_mode = %s, action = %s, stock = %s, short_description = %s, modified_at = %s, version = version + 1"
    " WHERE id = %s"
};

#define I64(v) shop_db_i64(db->pool, (v))

static const char *id_or_null(shop_db_t *db, apr_int64_t v)
{
    return v > 0 ? I64(v) : NULL;
}

int shop_product_catalogue(shop_db_t *db, apr_int64_t id, shop_catalogue_info_t *info, int *found)
{
    shop_rows_t *rows;
    const char *args[] = { I64(id) };
    int rv = shop_db_select(db, &Q_CATALOGUE, 1, args, &rows);
    *found = rv == 0 && rows->nrows == 1;
    if (!*found) return rv;
    info->id = shop_rows_i64(rows, 0, 0, 0);
    info->name = shop_rows_str(rows, 0, 1);
    info->kind = shop_rows_str(rows, 0, 2);
    info->master_id = shop_rows_i64(rows, 0, 3, 0);
    info->currency = shop_rows_str(rows, 0, 4);
    info->force_download_leaflet = shop_rows_i64(rows, 0, 5, 1) != 0;
    return 0;
}

static int read_tiers(shop_db_t *db, const shop_sql_t *q, apr_int64_t owner, const char *currency,
                      shop_tier_t *t, int *n)
{
    shop_rows_t *rows;
    const char *args[] = { I64(owner), currency };
    int rv = shop_db_select(db, q, 2, args, &rows);
    *n = 0;
    for (int r = 0; rv == 0 && r < rows->nrows && *n < SHOP_TIERS_MAX; r++) {
        t[*n].up_to = shop_rows_i64(rows, r, 0, 0);
        t[*n].price_minor = shop_rows_i64(rows, r, 1, 0);
        (*n)++;
    }
    return rv;
}

int shop_product_get(shop_db_t *db, apr_int64_t id, const char *currency, shop_product_rec_t *p, int *found)
{
    shop_rows_t *rows;
    const char *args[] = { I64(id) };
    int rv = shop_db_select(db, &Q_GET, 1, args, &rows);
    *found = rv == 0 && rows->nrows == 1;
    if (!*found) return rv;
    memset(p, 0, sizeof(*p));
    p->id = shop_rows_i64(rows, 0, 0, 0);
    p->catalogue_id = shop_rows_i64(rows, 0, 1, 0);
    p->category_id = shop_rows_i64(rows, 0, 2, 0);
    p->tax_id = shop_rows_i64(rows, 0, 3, 0);
    p->stock = shop_rows_i64(rows, 0, 4, -1);
    const char **s[] = { &p->code, &p->name, &p->short_description, &p->description, &p->notes, &p->terms,
                         &p->status, &p->kind, &p->seat_mode, &p->passcode_hash, &p->required_data, &p->action,
                         &p->action_params, &p->production_data, &p->seo_alias, &p->image_ref, &p->thumb_ref,
                         &p->leaflet_ref };
    for (int i = 0; i < (int)(sizeof(s) / sizeof(s[0])); i++) *s[i] = shop_rows_str(rows, 0, 5 + i);
    p->audience = (int)shop_rows_i64(rows, 0, 23, 0);
    p->max_quantity = (int)shop_rows_i64(rows, 0, 24, 0);
    p->renewable = shop_rows_i64(rows, 0, 25, 0) != 0;
    p->requires_shipping = shop_rows_i64(rows, 0, 26, 0) != 0;
    p->sortorder = (int)shop_rows_i64(rows, 0, 27, 0);
    return read_tiers(db, &Q_TIERS, id, currency, p->tiers, &p->ntiers);
}

int shop_product_list(shop_db_t *db, apr_int64_t catalogue_id, const char *q, const char *status,
                      apr_int64_t category_id, const char *currency, apr_int64_t slave_id, shop_rows_t **rows)
{
    /* LIKE pattern: the search text taken literally */
    apr_size_t n = strlen(q);
    char *pat = apr_palloc(db->pool, n * 2 + 3), *o = pat;
    *o++ = '%';
    for (const char *c = q; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\') *o++ = '\\';
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    const char *args[] = { currency, I64(slave_id), I64(catalogue_id), q, pat, pat, status, status,
                           I64(category_id), I64(category_id) };
    return shop_db_select(db, &Q_LIST, 10, args, rows);
}

static int taken(shop_db_t *db, const shop_sql_t *q, apr_int64_t catalogue_id, const char *value,
                 apr_int64_t except_id, int *is_taken)
{
    shop_rows_t *rows;
    const char *args[] = { I64(catalogue_id), value, I64(except_id) };
    int rv = shop_db_select(db, q, 3, args, &rows);
    *is_taken = rv == 0 && rows->nrows > 0;
    return rv;
}

int shop_product_code_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *code, apr_int64_t except_id, int *t)
{
    return taken(db, &Q_CODE_TAKEN, catalogue_id, code, except_id, t);
}

int shop_product_alias_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *alias, apr_int64_t except_id, int *t)
{
    return taken(db, &Q_ALIAS_TAKEN, catalogue_id, alias, except_id, t);
}

int shop_product_set_tiers(shop_db_t *db, apr_int64_t id, const char *currency, const shop_tier_t *t, int n)
{
    const char *del[] = { I64(id), currency };
    int rv = shop_db_exec(db, &Q_TIERS_DEL, 2, del, NULL);
    for (int i = 0; rv == 0 && i < n; i++) {
        const char *args[] = { I64(id), currency, I64(i + 1),
                               t[i].up_to == SHOP_TIER_UNLIMITED ? NULL : I64(t[i].up_to), I64(t[i].price_minor) };
        rv = shop_db_exec(db, &Q_TIER_INS, 5, args, NULL);
    }
    return rv;
}

int shop_product_insert(shop_db_t *db, shop_product_rec_t *p, const char *currency, apr_int64_t now)
{
    const char *args[] = {
        I64(p->catalogue_id), id_or_null(db, p->category_id), id_or_null(db, p->tax_id),
        p->stock >= 0 ? I64(p->stock) : NULL, p->code, p->name, p->short_description, p->description, p->notes,
        p->terms, p->status, p->seat_mode, p->required_data, p->action, p->action_params, p->production_data,
        p->seo_alias, I64(p->audience), I64(p->max_quantity), I64(p->renewable), I64(p->requires_shipping),
        I64(p->sortorder), I64(now), I64(now)
    };
    int rv = shop_db_exec(db, &Q_INSERT, 24, args, NULL);
    int64_t id = 0;
    if (rv == 0) rv = shop_db_last_id(db, &id);
    p->id = id;
    if (rv == 0) rv = shop_product_set_tiers(db, p->id, currency, p->tiers, p->ntiers);
    return rv;
}

int shop_product_update(shop_db_t *db, const shop_product_rec_t *p, const char *currency, apr_int64_t now)
{
    const char *args[] = {
        id_or_null(db, p->category_id), id_or_null(db, p->tax_id), p->stock >= 0 ? I64(p->stock) : NULL,
        p->code, p->name, p->short_description, p->description, p->notes, p->terms, p->status, p->seat_mode,
        p->required_data, p->action, p->action_params, p->production_data, p->seo_alias, I64(p->audience),
        I64(p->max_quantity), I64(p->renewable), I64(p->requires_shipping), I64(p->sortorder), I64(now), I64(p->id)
    };
    int rv = shop_db_exec(db, &Q_UPDATE, 23, args, NULL);
    if (rv == 0) rv = shop_product_set_tiers(db, p->id, currency, p->tiers, p->ntiers);
    return rv;
}

int shop_product_set_passcode(shop_db_t *db, apr_int64_t id, const char *hash)
{
    const char *args[] = { hash, I64(id) };
    return shop_db_exec(db, &Q_PASSCODE, 2, args, NULL);
}

int shop_product_delete(shop_db_t *db, apr_int64_t id, apr_int64_t catalogue_id, const char *code, int *affected)
{
    const char *copies[] = { code, I64(catalogue_id) };
    int rv = shop_db_exec(db, &Q_DELETE_SLAVE_COPIES, 2, copies, NULL);
    const char *args[] = { I64(id) };
    if (rv == 0) rv = shop_db_exec(db, &Q_DELETE, 1, args, affected);
    return rv;
}

int shop_product_clone(shop_db_t *db, apr_int64_t id, const char *code, apr_int64_t now, apr_int64_t *new_id)
{
    const char *args[] = { code, I64(now), I64(now), I64(id) };
    int rv = shop_db_exec(db, &Q_CLONE, 4, args, NULL);
    int64_t nid = 0;
    if (rv == 0) rv = shop_db_last_id(db, &nid);
    *new_id = nid;
    const char *targs[] = { I64(nid), I64(id) };
    if (rv == 0) rv = shop_db_exec(db, &Q_CLONE_TIERS, 2, targs, NULL);
    return rv;
}

int shop_product_convert(shop_db_t *db, apr_int64_t id, const char *kind, int *affected)
{
    const char *args[] = { kind, I64(id) };
    return shop_db_exec(db, &Q_CONVERT, 2, args, affected);
}

int shop_product_elements(shop_db_t *db, apr_int64_t container_id, shop_rows_t **rows)
{
    const char *args[] = { I64(container_id) };
    return shop_db_select(db, &Q_ELEMENTS, 1, args, rows);
}

int shop_product_container(shop_db_t *db, apr_int64_t element_id, apr_int64_t *container)
{
    shop_rows_t *rows;
    const char *args[] = { I64(element_id) };
    int rv = shop_db_select(db, &Q_CONTAINER, 1, args, &rows);
    *container = rv == 0 ? shop_rows_i64(rows, 0, 0, 0) : 0;
    return rv;
}

int shop_product_id_by_code(shop_db_t *db, apr_int64_t catalogue_id, const char *code, apr_int64_t *id)
{
    shop_rows_t *rows;
    const char *args[] = { I64(catalogue_id), code };
    int rv = shop_db_select(db, &Q_ID_BY_CODE, 2, args, &rows);
    *id = rv == 0 ? shop_rows_i64(rows, 0, 0, 0) : 0;
    return rv;
}

int shop_product_element_add(shop_db_t *db, apr_int64_t container_id, apr_int64_t element_id)
{
    const char *args[] = { I64(container_id), I64(element_id), I64(container_id) };
    return shop_db_exec(db, &Q_ELEMENT_ADD, 3, args, NULL);
}

int shop_product_element_remove(shop_db_t *db, apr_int64_t container_id, apr_int64_t element_id, int *affected)
{
    if (element_id == 0) {
        const char *args[] = { I64(container_id) };
        return shop_db_exec(db, &Q_ELEMENT_DEL_ALL, 1, args, affected);
    }
    const char *args[] = { I64(container_id), I64(element_id) };
    return shop_db_exec(db, &Q_ELEMENT_DEL, 2, args, affected);
}

int shop_product_set_file(shop_db_t *db, apr_int64_t id, const char *kind, const char *ref)
{
    const shop_sql_t *q = !strcmp(kind, "image") ? &Q_FILE_IMAGE : !strcmp(kind, "thumb") ? &Q_FILE_THUMB
                        : !strcmp(kind, "leaflet") ? &Q_FILE_LEAFLET : NULL;
    if (!q) return -1;
    const char *args[] = { ref, I64(id) };
    return shop_db_exec(db, q, 2, args, NULL);
}

int shop_product_taxes(shop_db_t *db, shop_rows_t **rows)
{
    return shop_db_select(db, &Q_TAXES, 0, NULL, rows);
}

int shop_product_categories(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows)
{
    const char *args[] = { I64(catalogue_id) };
    return shop_db_select(db, &Q_CATEGORIES, 1, args, rows);
}

int shop_override_get(shop_db_t *db, apr_int64_t slave_id, const char *code, shop_rows_t **rows)
{
    const char *args[] = { I64(slave_id), code };
    return shop_db_select(db, &Q_OVERRIDE_GET, 2, args, rows);
}

int shop_override_tiers(shop_db_t *db, apr_int64_t override_id, const char *currency, shop_tier_t *t, int *n)
{
    return read_tiers(db, &Q_OVERRIDE_TIERS, override_id, currency, t, n);
}

int shop_override_copy(shop_db_t *db, apr_int64_t slave_id, apr_int64_t master_id, apr_int64_t product_id,
                       const char *code, apr_int64_t now, int *created)
{
    (void)master_id;
    int affected = 0;
    const char *args[] = { I64(slave_id), I64(now), I64(now), I64(product_id) };
    int rv = shop_db_exec(db, &Q_OVERRIDE_COPY, 4, args, &affected);
    *created = rv == 0 && affected == 1;
    if (rv || !*created) return rv;
    const char *targs[] = { I64(product_id), I64(slave_id), code };
    return shop_db_exec(db, &Q_OVERRIDE_COPY_TIERS, 3, targs, NULL);
}

int shop_override_free(shop_db_t *db, apr_int64_t slave_id, const char *code, int *affected)
{
    const char *args[] = { I64(slave_id), code };
    return shop_db_exec(db, &Q_OVERRIDE_FREE, 2, args, affected);
}

int shop_override_update(shop_db_t *db, apr_int64_t override_id, const shop_product_rec_t *p,
                         const char *currency, apr_int64_t now)
{
    const char *args[] = { p->name, p->short_description, p->description, p->notes, p->terms,
                           id_or_null(db, p->tax_id), I64(now), I64(override_id) };
    int rv = shop_db_exec(db, &Q_OVERRIDE_UPDATE, 8, args, NULL);
    const char *del[] = { I64(override_id), currency };
    if (rv == 0) rv = shop_db_exec(db, &Q_OVERRIDE_TIERS_DEL, 2, del, NULL);
    for (int i = 0; rv == 0 && i < p->ntiers; i++) {
        const char *targs[] = { I64(override_id), currency, I64(i + 1),
                                p->tiers[i].up_to == SHOP_TIER_UNLIMITED ? NULL : I64(p->tiers[i].up_to),
                                I64(p->tiers[i].price_minor) };
        rv = shop_db_exec(db, &Q_OVERRIDE_TIER_INS, 5, targs, NULL);
    }
    return rv;
}

int shop_product_export(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows)
{
    const char *args[] = { I64(catalogue_id) };
    return shop_db_select(db, &Q_EXPORT, 1, args, rows);
}

int shop_product_all_tiers(shop_db_t *db, apr_int64_t catalogue_id, const char *currency, shop_rows_t **rows)
{
    const char *args[] = { I64(catalogue_id), currency };
    return shop_db_select(db, &Q_ALL_TIERS, 2, args, rows);
}

int shop_product_category_aliases(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows)
{
    const char *args[] = { I64(catalogue_id) };
    return shop_db_select(db, &Q_CATEGORY_ALIASES, 1, args, rows);
}

int shop_product_update_csv(shop_db_t *db, const shop_product_rec_t *p, apr_int64_t now)
{
    const char *args[] = { p->name, p->status, id_or_null(db, p->category_id), id_or_null(db, p->tax_id),
                           I64(p->audience), I64(p->max_quantity), p->seat_mode, p->action,
                           p->stock >= 0 ? I64(p->stock) : NULL, p->short_description, I64(now), I64(p->id) };
    return shop_db_exec(db, &Q_UPDATE_CSV, 12, args, NULL);
}

int shop_product_rename_slave_copies(shop_db_t *db, apr_int64_t catalogue_id, const char *old_code, const char *new_code)
{
    const char *args[] = { new_code, old_code, I64(catalogue_id) };
    return shop_db_exec(db, &Q_RENAME_SLAVE_COPIES, 3, args, NULL);
}
