/* Shipping zones (`{shop}shipzone`) and their per-product rules
 * (`{shop}shipping`) for the back office.  Rows live in db->pool.  Writes
 * run in the caller's transaction, which bumps the zone's catalogue
 * (catalog_repo.h).  Amounts are minor units of the zone's currency; a, b
 * and c decimal text. */
#ifndef SHOP_DATA_SHIPPING_REPO_H
#define SHOP_DATA_SHIPPING_REPO_H

#include "data/db.h"

enum { SHOP_ZONE_C_ID, SHOP_ZONE_C_CATALOGUE, SHOP_ZONE_C_CODE, SHOP_ZONE_C_DESCRIPTION,
       SHOP_ZONE_C_BILL_SCOPE, SHOP_ZONE_C_CURRENCY, SHOP_ZONE_C_TAX, SHOP_ZONE_C_APPLICABILITY,
       SHOP_ZONE_C_SORTORDER, SHOP_ZONE_C_TAX_TITLE, SHOP_ZONE_C_RULES };

typedef struct shop_zone_fields {
    const char *code, *description, *bill_scope_minor, *currency, *tax_id /* "" = none */,
               *applicability, *sortorder;
} shop_zone_fields_t;

/* Zones of a catalogue (SHOP_ZONE_C_* columns, tax id 0 = none) in the
 * order they are tried: sortorder, code. */
int shop_zone_list(shop_db_t *db, apr_int64_t catalogue_id, shop_rows_t **rows);
int shop_zone_get(shop_db_t *db, apr_int64_t id, shop_rows_t **rows);
/* A code already used in the catalogue fails with SHOP_DB_ER_DUP_ENTRY. */
int shop_zone_insert(shop_db_t *db, apr_int64_t catalogue_id, const shop_zone_fields_t *f, apr_int64_t now,
                     apr_int64_t *id);
int shop_zone_update(shop_db_t *db, apr_int64_t id, const shop_zone_fields_t *f, apr_int64_t now);
/* Rules of the zone with a fixed amount (minor units of the zone's
 * currency: changing the currency would change what they mean). */
int shop_zone_fixed_rules(shop_db_t *db, apr_int64_t id, apr_int64_t *count);
/* Its rules go with it. */
int shop_zone_delete(shop_db_t *db, apr_int64_t id);

enum { SHOP_RULE_C_ID, SHOP_RULE_C_CODE, SHOP_RULE_C_VALUE, SHOP_RULE_C_CURRENCY, SHOP_RULE_C_FORMULA,
       SHOP_RULE_C_A, SHOP_RULE_C_B, SHOP_RULE_C_C };

typedef struct shop_rule_fields {
    const char *product_code, *value_minor, *currency, *formula, *a, *b, *c;
} shop_rule_fields_t;

/* Rules of a zone by product code; one rule of a zone (nrows 0: none). */
int shop_rule_list(shop_db_t *db, apr_int64_t zone_id, shop_rows_t **rows);
int shop_rule_get(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, shop_rows_t **rows);
/* id 0 inserts; a product code already ruled in the zone fails with
 * SHOP_DB_ER_DUP_ENTRY. */
int shop_rule_save(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, const shop_rule_fields_t *f);
int shop_rule_delete(shop_db_t *db, apr_int64_t zone_id, apr_int64_t id, int *affected);

/* *exists 1 when the catalogue (or, for a slave, its master) sells a
 * product of this code. */
int shop_zone_product_exists(shop_db_t *db, apr_int64_t catalogue_id, const char *code, int *exists);

/* The currency of the first shop selling the catalogue, NULL if none. */
int shop_zone_default_currency(shop_db_t *db, apr_int64_t catalogue_id, const char **currency);

#endif
