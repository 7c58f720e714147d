/* Products of a catalogue for the back office: list, read, write, delete,
 * clone, set/bundle elements, slave overrides and file references.
 *
 * Rows are read into db->pool.  Writes run inside the caller's transaction
 * (shop_db_begin), which must also call shop_catalog_bump() for the
 * catalogue and, after commit, shop_catalog_publish_versions()
 * (catalog_repo.h).  Every function returns 0 or the MySQL errno. */
#ifndef SHOP_DATA_PRODUCT_REPO_H
#define SHOP_DATA_PRODUCT_REPO_H

#include "data/db.h"
#include "core/tiers.h"

/* rows returned by shop_product_list */
#define SHOP_PRODUCT_LIST_MAX 5000

/* A catalogue as the product screens need it. */
typedef struct shop_catalogue_info {
    apr_int64_t id, master_id;  /* master_id 0 unless a slave */
    const char *name, *kind;    /* standalone | master | slave */
    const char *currency;       /* of the first shop selling it (or its master), else EUR */
    int force_download_leaflet; /* of that shop; 1 when none */
} shop_catalogue_info_t;

/* *found 0 when the catalogue does not exist. */
int shop_product_catalogue(shop_db_t *db, apr_int64_t id, shop_catalogue_info_t *info, int *found);

/* A product, every column the back office edits.  Strings NULL = SQL NULL;
 * category_id / tax_id 0 = none; stock -1 = unlimited. */
typedef struct shop_product_rec {
    apr_int64_t id, catalogue_id, category_id, tax_id, stock;
    const char *code, *name, *short_description, *description, *notes, *terms;
    const char *status, *kind, *seat_mode, *passcode_hash;
    const char *required_data, *action, *action_params, *production_data, *seo_alias;
    const char *image_ref, *thumb_ref, *leaflet_ref;
    int audience, max_quantity, renewable, requires_shipping, sortorder;
    int ntiers;
    shop_tier_t tiers[SHOP_TIERS_MAX];
} shop_product_rec_t;

/* *found 0 when absent; tiers are those of `currency`. */
int shop_product_get(shop_db_t *db, apr_int64_t id, const char *currency, shop_product_rec_t *p, int *found);

/* Columns of shop_product_list rows. */
enum { SHOP_PL_ID, SHOP_PL_CODE, SHOP_PL_NAME, SHOP_PL_STATUS, SHOP_PL_KIND, SHOP_PL_STOCK,
       SHOP_PL_PRICE1, SHOP_PL_OVERRIDE_ID, SHOP_PL_IN_CONTAINER };

/* Products of catalogue `catalogue_id` whose code or name contains q ("" =
 * all), whose status is `status` ("" = any) and in category `category_id`
 * (0 = any), by code, at most
 * SHOP_PRODUCT_LIST_MAX; PRICE1 is the first tier in `currency` (NULL when
 * none); OVERRIDE_ID the override of the product's code in catalogue
 * `slave_id` (0: none looked for). */
int shop_product_list(shop_db_t *db, apr_int64_t catalogue_id, const char *q, const char *status,
                      apr_int64_t category_id, const char *currency, apr_int64_t slave_id, shop_rows_t **rows);

/* Another product of the catalogue (not `except_id`) with this code (case
 * insensitive) or SEO alias: *taken 1. */
int shop_product_code_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *code, apr_int64_t except_id, int *taken);
int shop_product_alias_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *alias, apr_int64_t except_id, int *taken);

/* Insert (p->id set) or update every edited column (not the passcode, not
 * the files, not the kind); then the tiers of `currency` are replaced. */
int shop_product_insert(shop_db_t *db, shop_product_rec_t *p, const char *currency, apr_int64_t now);
int shop_product_update(shop_db_t *db, const shop_product_rec_t *p, const char *currency, apr_int64_t now);
int shop_product_set_tiers(shop_db_t *db, apr_int64_t id, const char *currency, const shop_tier_t *t, int n);

/* Set (hash) or clear (NULL) the passcode. */
int shop_product_set_passcode(shop_db_t *db, apr_int64_t id, const char *hash);

/* Delete a product; when its catalogue is a master, the overrides of its
 * code in the slaves go too. */
int shop_product_delete(shop_db_t *db, apr_int64_t id, apr_int64_t catalogue_id, const char *code, int *affected);

/* A master product's code changed: its slaves' overrides follow it. */
int shop_product_rename_slave_copies(shop_db_t *db, apr_int64_t catalogue_id, const char *old_code, const char *new_code);

/* Copy product `id` as `code` (status PREVIEW, no SEO alias, no file
 * references (the caller copies the files), the same passcode, every tier
 * of every currency): *new_id. */
int shop_product_clone(shop_db_t *db, apr_int64_t id, const char *code, apr_int64_t now, apr_int64_t *new_id);

/* Turn into a set or bundle: kind, action and parameters cleared. */
int shop_product_convert(shop_db_t *db, apr_int64_t id, const char *kind, int *affected);

/* Elements.  Columns of shop_product_elements rows: id, code, name. */
int shop_product_elements(shop_db_t *db, apr_int64_t container_id, shop_rows_t **rows);
/* The container of a product (*container 0: none). */
int shop_product_container(shop_db_t *db, apr_int64_t element_id, apr_int64_t *container);
/* Product id by code in a catalogue (*id 0: none). */
int shop_product_id_by_code(shop_db_t *db, apr_int64_t catalogue_id, const char *code, apr_int64_t *id);
int shop_product_element_add(shop_db_t *db, apr_int64_t container_id, apr_int64_t element_id);
/* element_id 0: every element. */
int shop_product_element_remove(shop_db_t *db, apr_int64_t container_id, apr_int64_t element_id, int *affected);

/* kind: "image", "thumb" or "leaflet"; ref NULL clears. */
int shop_product_set_file(shop_db_t *db, apr_int64_t id, const char *kind, const char *ref);

/* Taxes (id, title, country, rate, formula) and categories of a catalogue
 * (id, name, parent id or 0), for the form's choices. */
int shop_product_taxes(shop_db_t *db, shop_rows_t **rows);
int shop_product_categories(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows);

/* Slave overrides.  Columns of shop_override_get rows: id, name,
 * short_description, description, notes, terms, tax_id or 0, override_tax,
 * override_prices. */
int shop_override_get(shop_db_t *db, apr_int64_t slave_id, const char *code, shop_rows_t **rows);
int shop_override_tiers(shop_db_t *db, apr_int64_t override_id, const char *currency, shop_tier_t *t, int *n);
/* Copy master product `product_id` (texts, tax, every tier) as the slave's
 * override; *created 0 when the slave already had one. */
int shop_override_copy(shop_db_t *db, apr_int64_t slave_id, apr_int64_t master_id, apr_int64_t product_id,
                       const char *code, apr_int64_t now, int *created);
int shop_override_free(shop_db_t *db, apr_int64_t slave_id, const char *code, int *affected);
/* Texts and tax of an override (tax_id 0 = untaxed); tiers of `currency` replaced. */
int shop_override_update(shop_db_t *db, apr_int64_t override_id, const shop_product_rec_t *p,
                         const char *currency, apr_int64_t now);

/* CSV export and import.  Columns of shop_product_export rows: id, code,
 * name, status, category SEO alias (its id when it has none; NULL: no
 * category), tax id or 0,
 * audience, max_quantity, seat_mode, action, stock or -1,
 * short_description; by code.  shop_product_all_tiers rows: product id,
 * up_to or 0, price_minor, by product and tier. */
enum { SHOP_PX_ID, SHOP_PX_CODE, SHOP_PX_NAME, SHOP_PX_STATUS, SHOP_PX_CATEGORY, SHOP_PX_TAX, SHOP_PX_AUDIENCE,
       SHOP_PX_MAX_QUANTITY, SHOP_PX_SEAT_MODE, SHOP_PX_ACTION, SHOP_PX_STOCK, SHOP_PX_SHORT };
int shop_product_export(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows);
int shop_product_all_tiers(shop_db_t *db, apr_int64_t catalogue_id, const char *currency, shop_rows_t **rows);
/* Categories of a catalogue with their SEO alias: id, seo_alias. */
int shop_product_category_aliases(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows);
/* The columns a CSV line carries (name, status, category, tax, audience,
 * max_quantity, seat_mode, action, stock, short_description) of product
 * p->id; tiers are written by shop_product_set_tiers. */
int shop_product_update_csv(shop_db_t *db, const shop_product_rec_t *p, apr_int64_t now);

#endif
