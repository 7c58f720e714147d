/* Catalogues as the back office edits them: list with counts, one row,
 * masters for the form's select, insert, update, slave release and deletion.
 *
 * Every function runs its statements on `db` (in the caller's transaction
 * when one is open) and returns 0 or the MySQL errno; rows and strings live
 * in db->pool.  Writers do not bump catalogue versions: the caller does,
 * inside its transaction (shop_catalog_bump) and after commit
 * (shop_catalog_publish_versions), see data/catalog_repo.h. */
#ifndef SHOP_DATA_CATALOGUE_ADMIN_REPO_H
#define SHOP_DATA_CATALOGUE_ADMIN_REPO_H

#include <apr_tables.h>
#include "data/db.h"

typedef struct shop_catalogue_row {
    apr_int64_t id;
    apr_int64_t master_id;     /* 0 unless a slave */
    const char *name;
    const char *description;   /* sanitized HTML or NULL */
    const char *kind;          /* standalone | master | slave */
    const char *country_restrictions;   /* "FR,BE" or "" */
    const char *bill_footer;   /* sanitized HTML or NULL */
    const char *master_name;   /* read only */
    apr_int64_t nproducts, ncategories, nshops, nslaves;   /* read only */
} shop_catalogue_row_t;

/* Catalogues whose name contains q (NULL or "" = all), by name, a page of
 * `limit` from `offset`; *total counts every match. */
int shop_catalogue_list(shop_db_t *db, const char *q, apr_int64_t limit, apr_int64_t offset,
                        apr_array_header_t **out, apr_int64_t *total);

/* One catalogue with its counts, or *out NULL when absent. */
int shop_catalogue_get(shop_db_t *db, apr_int64_t id, shop_catalogue_row_t **out);

/* Master catalogues (id, name only), by name. */
int shop_catalogue_masters(shop_db_t *db, apr_array_header_t **out);

/* Slaves of a master (id, name only), by name. */
int shop_catalogue_slaves(shop_db_t *db, apr_int64_t master_id, apr_array_header_t **out);

/* Is `name` used by a catalogue other than except_id (0: any)? */
int shop_catalogue_name_taken(shop_db_t *db, const char *name, apr_int64_t except_id, int *taken);

/* Shops (count) selling catalogue id, or any of its slaves when with_slaves. */
int shop_catalogue_shop_count(shop_db_t *db, apr_int64_t id, int with_slaves, apr_int64_t *count);

int shop_catalogue_insert(shop_db_t *db, const shop_catalogue_row_t *c, apr_int64_t now, apr_int64_t *id);
int shop_catalogue_update(shop_db_t *db, const shop_catalogue_row_t *c, apr_int64_t now);

/* Make every slave of `master_id` standalone. */
int shop_catalogue_release_slaves(shop_db_t *db, apr_int64_t master_id, apr_int64_t now);

/* Delete a catalogue with its categories, products and overrides (its slaves
 * must have been released or deleted first). */
int shop_catalogue_delete(shop_db_t *db, apr_int64_t id);

#endif
