/* Taxes (`{shop}tax`) for the back office: list with usage, read, write,
 * delete.  Rows are read into db->pool; callers run writes inside their own
 * transaction (shop_db_begin) and bump every catalogue (a tax may price any
 * of them: catalog_repo.h). */
#ifndef SHOP_DATA_TAX_REPO_H
#define SHOP_DATA_TAX_REPO_H

#include "data/db.h"

/* Columns of the rows returned by shop_tax_admin_list / shop_tax_admin_get. */
enum { SHOP_TAX_C_ID, SHOP_TAX_C_TITLE, SHOP_TAX_C_COUNTRY, SHOP_TAX_C_RATE, SHOP_TAX_C_FORMULA,
       SHOP_TAX_C_PRODUCTS, SHOP_TAX_C_ZONES, SHOP_TAX_C_NOTE };

/* Every tax by title, with the number of products (and slave overrides)
 * and of shipping zones using it. */
int shop_tax_admin_list(shop_db_t *db, shop_rows_t **rows);

/* One tax (same columns); (*rows)->nrows 0 when it does not exist. */
int shop_tax_admin_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows);

/* Insert (*id gets the new id) or update (*affected 0: no such tax).
 * country "" is stored as NULL; rate is decimal text, formula as typed;
 * note is the exemption note printed on documents ("" for none). */
int shop_tax_admin_insert(shop_db_t *db, const char *title, const char *country, const char *rate,
                    const char *formula, const char *note, apr_int64_t now, apr_int64_t *id);
int shop_tax_admin_update(shop_db_t *db, apr_int64_t id, const char *title, const char *country,
                    const char *rate, const char *formula, const char *note, apr_int64_t now, int *affected);

/* Lock the tax row for the rest of the transaction (rows being made to
 * reference it wait), then count the products, slave overrides, shipping
 * zones and bill lines using it: a tax in use is never deleted (bill lines
 * would lose theirs). */
int shop_tax_admin_usage(shop_db_t *db, apr_int64_t id, apr_int64_t *uses);
int shop_tax_admin_delete(shop_db_t *db, apr_int64_t id, int *affected);

/* Ids of every catalogue (a tax change bumps them all). */
int shop_setup_catalogue_ids(shop_db_t *db, shop_rows_t **rows);

#endif
