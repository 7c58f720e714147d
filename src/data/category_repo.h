/* Categories of a catalogue as the back office edits them: the tree with
 * product and child counts, one row, alias uniqueness, insert, update,
 * visibility, move among siblings, deletion.
 *
 * Every function runs on `db` (in the caller's transaction when one is
 * open) and returns 0 or the MySQL errno; rows live in db->pool.  Writers do
 * not bump the catalogue version: the caller does (data/catalog_repo.h). */
#ifndef SHOP_DATA_CATEGORY_REPO_H
#define SHOP_DATA_CATEGORY_REPO_H

#include <apr_tables.h>
#include "data/db.h"

typedef struct shop_category_row {
    apr_int64_t id, catalogue_id;
    apr_int64_t parent_id;     /* 0 = top level */
    const char *name;
    const char *description;   /* sanitized HTML or NULL */
    const char *seo_alias;     /* NULL when none */
    const char *seo_title, *seo_keywords, *seo_description;   /* NULL when none */
    int sortorder, visible;
    apr_int64_t nproducts, nchildren;   /* read only */
    int depth;                 /* set by shop_category_tree: 0 = top level */
} shop_category_row_t;

/* Every category of a catalogue (shop_category_row_t), ordered by parent,
 * sortorder, id. */
int shop_category_list(shop_db_t *db, apr_int64_t catalogue_id, apr_array_header_t **out);

/* The same rows in tree order (depth first, siblings by sortorder), depth
 * set; a row whose parent is missing or in a cycle comes last at depth 0.
 * Returns an array of shop_category_row_t * in pool. */
apr_array_header_t *shop_category_tree(apr_pool_t *pool, const apr_array_header_t *list);

/* Would giving category `id` the parent `parent_id` make a cycle (parent is
 * the category itself or one of its descendants)?  `list` as above. */
int shop_category_would_cycle(const apr_array_header_t *list, apr_int64_t id, apr_int64_t parent_id);

/* One category, or *out NULL when absent. */
int shop_category_get(shop_db_t *db, apr_int64_t id, shop_category_row_t **out);

/* Is `alias` used in the catalogue by a category other than except_id? */
int shop_category_alias_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *alias,
                              apr_int64_t except_id, int *taken);

/* Insert; sortorder <= 0 puts it last among its siblings. */
int shop_category_insert(shop_db_t *db, const shop_category_row_t *c, apr_int64_t now, apr_int64_t *id);

/* Update every editable column; sortorder <= 0 puts it last among its
 * (new) siblings. */
int shop_category_update(shop_db_t *db, const shop_category_row_t *c, apr_int64_t now);

int shop_category_set_visible(shop_db_t *db, apr_int64_t id, int visible, apr_int64_t now);

/* Swap with the previous (up) or next sibling, then number the siblings
 * 1..n.  Call inside a transaction.  *moved 0 when already first/last. */
int shop_category_move(shop_db_t *db, const shop_category_row_t *c, int up, int *moved);

/* Delete (the caller has checked it holds no products nor children). */
int shop_category_delete(shop_db_t *db, apr_int64_t id);

#endif
