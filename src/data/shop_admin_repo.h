/* Shops (`{shop}shop`) for the back office: list, read, write, delete, and
 * the lookups their form needs (catalogues, Moodle courses).  Rows live in
 * db->pool.  Writes run in the caller's transaction, which also bumps the
 * catalogues the shop sells (catalog_repo.h). */
#ifndef SHOP_DATA_SHOP_ADMIN_REPO_H
#define SHOP_DATA_SHOP_ADMIN_REPO_H

#include "data/db.h"

/* The editable columns, as text (what apr_dbd binds); also the column
 * order of shop_shop_get's row after the id (SHOP_SHOP_C_*). */
typedef struct shop_shop_fields {
    const char *name, *description, *currency, *catalogue_id, *terms, *tabbed, *navsteps,
               *paymodes, *default_paymode, *customer_org, *enduser_org, *enduser_mobile,
               *support_courseid, *enabled, *sortorder, *force_leaflet, *allow_tax;
} shop_shop_fields_t;

enum { SHOP_SHOP_C_ID, SHOP_SHOP_C_NAME, SHOP_SHOP_C_DESCRIPTION, SHOP_SHOP_C_CURRENCY,
       SHOP_SHOP_C_CATALOGUE, SHOP_SHOP_C_TERMS, SHOP_SHOP_C_TABBED, SHOP_SHOP_C_NAVSTEPS,
       SHOP_SHOP_C_PAYMODES, SHOP_SHOP_C_DEFAULT_PAYMODE, SHOP_SHOP_C_CUSTOMER_ORG,
       SHOP_SHOP_C_ENDUSER_ORG, SHOP_SHOP_C_ENDUSER_MOBILE, SHOP_SHOP_C_SUPPORT_COURSE,
       SHOP_SHOP_C_ENABLED, SHOP_SHOP_C_SORTORDER, SHOP_SHOP_C_FORCE_LEAFLET, SHOP_SHOP_C_ALLOW_TAX };

/* id, name, currency, catalogue name, enabled, bills, catalogue id;
 * by sortorder, id. */
int shop_shop_list(shop_db_t *db, shop_rows_t **rows);

/* One shop (SHOP_SHOP_C_* columns, NULL text as ""); nrows 0 when absent. */
int shop_shop_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows);

/* A duplicate name fails with SHOP_DB_ER_DUP_ENTRY. */
int shop_shop_insert(shop_db_t *db, const shop_shop_fields_t *f, apr_int64_t now, apr_int64_t *id);
int shop_shop_update(shop_db_t *db, apr_int64_t id, const shop_shop_fields_t *f, apr_int64_t now);

/* Lock the shop row for the rest of the transaction (a bill being placed
 * for it waits), then count its bills: a shop with bills is never deleted
 * (disable it). */
int shop_shop_bills(shop_db_t *db, apr_int64_t id, apr_int64_t *bills);
int shop_shop_delete(shop_db_t *db, apr_int64_t id);

/* id, name, kind of every catalogue, by name. */
int shop_setup_catalogues(shop_db_t *db, shop_rows_t **rows);

/* *exists 1 when Moodle's {mdl}course has this id. */
int shop_shop_course_exists(shop_db_t *db, apr_int64_t id, int *exists);

#endif
