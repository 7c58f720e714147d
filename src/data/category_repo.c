/* Category administration: see category_repo.h. */
#include "data/category_repo.h"

#include <apr_strings.h>
#include <apr_hash.h>

#define COLS \
    "k.id, k.catalogue_id, COALESCE(k.parent_id, 0), k.name, k.description, k.seo_alias, k.seo_title," \
    " k.seo_keywords, k.seo_description, k.sortorder, k.visible," \
    " (SELECT COUNT(*) FROM {shop}product p WHERE p.category_id = k.id)," \
    " (SELECT COUNT(*) FROM {shop}category ch WHERE ch.parent_id = k.id)" \
    " FROM {shop}category k"

static const shop_sql_t Q_LIST = {
    "category.list", "SELECT " COLS " WHERE k.catalogue_id = %s ORDER BY COALESCE(k.parent_id, 0), k.sortorder, k.id"
};
static const shop_sql_t Q_GET = { "category.get", "SELECT " COLS " WHERE k.id = %s" };
static const shop_sql_t Q_ALIAS = {
    "category.alias_taken",
    "SELECT COUNT(*) FROM {shop}category WHERE catalogue_id = %s AND seo_alias = %s AND id <> %s"
};
static const shop_sql_t Q_LAST = {
    "category.last",
    "SELECT COALESCE(MAX(sortorder), 0) + 1 FROM {shop}category WHERE catalogue_id = %s AND parent_id <=> %s"
};
static const shop_sql_t Q_INSERT = {
    "category.insert",
    "INSERT INTO {shop}category (catalogue_id, parent_id, name, description, seo_alias, seo_title, seo_keywords,"
    " seo_description, sortorder, visible, created_at, modified_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_UPDATE = {
    "category.update",
    "UPDATE {shop}category SET parent_id = %s, name = %s, description = %s, seo_alias = %s, seo_title = %s,"
    " seo_keywords = %s, seo_description = %s, sortorder = %s, visible = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_VISIBLE = {
    "category.visible", "UPDATE {shop}category SET visible = %s, modified_at = %s WHERE id = %s"
};
static const shop_sql_t Q_SIBLINGS = {
    "category.siblings",
    "SELECT id FROM {shop}category WHERE catalogue_id = %s AND parent_id <=> %s ORDER BY sortorder, id FOR UPDATE"
};
static const shop_sql_t Q_SORT = { "category.sort", "UPDATE {shop}category SET sortorder = %s WHERE id = %s" };
static const shop_sql_t Q_DELETE = { "category.delete", "DELETE FROM {shop}category WHERE id = %s" };

static void fill(const shop_rows_t *rows, int r, shop_category_row_t *c)
{
    c->id = shop_rows_i64(rows, r, 0, 0);
    c->catalogue_id = shop_rows_i64(rows, r, 1, 0);
    c->parent_id = shop_rows_i64(rows, r, 2, 0);
    c->name = shop_rows_str(rows, r, 3);
    c->description = shop_rows_str(rows, r, 4);
    c->seo_alias = shop_rows_str(rows, r, 5);
    c->seo_title = shop_rows_str(rows, r, 6);
    c->seo_keywords = shop_rows_str(rows, r, 7);
    c->seo_description = shop_rows_str(rows, r, 8);
    c->sortorder = (int)shop_rows_i64(rows, r, 9, 0);
    c->visible = shop_rows_i64(rows, r, 10, 1) != 0;
    c->nproducts = shop_rows_i64(rows, r, 11, 0);
    c->nchildren = shop_rows_i64(rows, r, 12, 0);
}

int shop_category_list(shop_db_t *db, apr_int64_t catalogue_id, apr_array_header_t **out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, catalogue_id) };
    int rv = shop_db_select(db, &Q_LIST, 1, args, &rows);
    if (rv) return rv;
    *out = apr_array_make(db->pool, rows->nrows + 1, sizeof(shop_category_row_t));
    for (int r = 0; r < rows->nrows; r++) fill(rows, r, apr_array_push(*out));
    return 0;
}

static void walk(apr_array_header_t *out, const apr_array_header_t *list, char *done, apr_int64_t parent, int depth)
{
    for (int i = 0; i < list->nelts; i++) {
        shop_category_row_t *c = &APR_ARRAY_IDX(list, i, shop_category_row_t);
        if (done[i] || c->parent_id != parent) continue;
        done[i] = 1;
        c->depth = depth;
        APR_ARRAY_PUSH(out, shop_category_row_t *) = c;
        walk(out, list, done, c->id, depth + 1);
    }
}

apr_array_header_t *shop_category_tree(apr_pool_t *pool, const apr_array_header_t *list)
{
    apr_array_header_t *out = apr_array_make(pool, list->nelts + 1, sizeof(shop_category_row_t *));
    char *done = apr_pcalloc(pool, list->nelts + 1);
    walk(out, list, done, 0, 0);
    for (int i = 0; i < list->nelts; i++)
        if (!done[i]) {
            shop_category_row_t *c = &APR_ARRAY_IDX(list, i, shop_category_row_t);
            c->depth = 0;
            APR_ARRAY_PUSH(out, shop_category_row_t *) = c;
        }
    return out;
}

static const shop_category_row_t *find(const apr_array_header_t *list, apr_int64_t id)
{
    for (int i = 0; i < list->nelts; i++)
        if (APR_ARRAY_IDX(list, i, shop_category_row_t).id == id) return &APR_ARRAY_IDX(list, i, shop_category_row_t);
    return NULL;
}

int shop_category_would_cycle(const apr_array_header_t *list, apr_int64_t id, apr_int64_t parent_id)
{
    /* walk up from the new parent; the list may already hold a cycle: bound the walk */
    for (int steps = 0; parent_id && steps <= list->nelts; steps++) {
        if (parent_id == id) return 1;
        const shop_category_row_t *p = find(list, parent_id);
        if (!p) return 0;
        parent_id = p->parent_id;
    }
    return parent_id != 0;
}

int shop_category_get(shop_db_t *db, apr_int64_t id, shop_category_row_t **out)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, id) };
    *out = NULL;
    int rv = shop_db_select(db, &Q_GET, 1, args, &rows);
    if (rv || rows->nrows == 0) return rv;
    *out = apr_pcalloc(db->pool, sizeof(**out));
    fill(rows, 0, *out);
    return 0;
}

int shop_category_alias_taken(shop_db_t *db, apr_int64_t catalogue_id, const char *alias,
                              apr_int64_t except_id, int *taken)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, catalogue_id), alias, shop_db_i64(db->pool, except_id) };
    int rv = shop_db_select(db, &Q_ALIAS, 3, args, &rows);
    if (rv == 0) *taken = shop_rows_i64(rows, 0, 0, 0) > 0;
    return rv;
}

static const char *parent_arg(shop_db_t *db, apr_int64_t parent_id)
{
    return parent_id ? shop_db_i64(db->pool, parent_id) : NULL;
}

static int sortorder_of(shop_db_t *db, const shop_category_row_t *c, const char **out)
{
    if (c->sortorder > 0) {
        *out = shop_db_i64(db->pool, c->sortorder);
        return 0;
    }
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, c->catalogue_id), parent_arg(db, c->parent_id) };
    int rv = shop_db_select(db, &Q_LAST, 2, args, &rows);
    if (rv == 0) *out = shop_db_i64(db->pool, shop_rows_i64(rows, 0, 0, 1));
    return rv;
}

static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

int shop_category_insert(shop_db_t *db, const shop_category_row_t *c, apr_int64_t now, apr_int64_t *id)
{
    const char *sort;
    int rv = sortorder_of(db, c, &sort);
    if (rv) return rv;
    const char *t = shop_db_i64(db->pool, now);
    const char *args[] = { shop_db_i64(db->pool, c->catalogue_id), parent_arg(db, c->parent_id), c->name,
                           opt(c->description), opt(c->seo_alias), opt(c->seo_title), opt(c->seo_keywords),
                           opt(c->seo_description), sort, c->visible ? "1" : "0", t, t };
    rv = shop_db_exec(db, &Q_INSERT, 12, args, NULL);
    if (rv == 0) rv = shop_db_last_id(db, (int64_t *)id);
    return rv;
}

int shop_category_update(shop_db_t *db, const shop_category_row_t *c, apr_int64_t now)
{
    const char *sort;
    int rv = sortorder_of(db, c, &sort);
    if (rv) return rv;
    const char *args[] = { parent_arg(db, c->parent_id), c->name, opt(c->description), opt(c->seo_alias),
                           opt(c->seo_title), opt(c->seo_keywords), opt(c->seo_description), sort,
                           c->visible ? "1" : "0", shop_db_i64(db->pool, now), shop_db_i64(db->pool, c->id) };
    return shop_db_exec(db, &Q_UPDATE, 11, args, NULL);
}

int shop_category_set_visible(shop_db_t *db, apr_int64_t id, int visible, apr_int64_t now)
{
    const char *args[] = { visible ? "1" : "0", shop_db_i64(db->pool, now), shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_VISIBLE, 3, args, NULL);
}

int shop_category_move(shop_db_t *db, const shop_category_row_t *c, int up, int *moved)
{
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(db->pool, c->catalogue_id), parent_arg(db, c->parent_id) };
    *moved = 0;
    int rv = shop_db_select(db, &Q_SIBLINGS, 2, args, &rows);
    if (rv) return rv;
    int n = rows->nrows, at = -1;
    apr_int64_t *ids = apr_palloc(db->pool, sizeof(apr_int64_t) * (n + 1));
    for (int r = 0; r < n; r++) {
        ids[r] = shop_rows_i64(rows, r, 0, 0);
        if (ids[r] == c->id) at = r;
    }
    int other = up ? at - 1 : at + 1;
    if (at >= 0 && other >= 0 && other < n) {
        apr_int64_t t = ids[at];
        ids[at] = ids[other];
        ids[other] = t;
        *moved = 1;
    }
    for (int r = 0; r < n && rv == 0; r++) {
        const char *sargs[] = { shop_db_i64(db->pool, r + 1), shop_db_i64(db->pool, ids[r]) };
        rv = shop_db_exec(db, &Q_SORT, 2, sargs, NULL);
    }
    return rv;
}

int shop_category_delete(shop_db_t *db, apr_int64_t id)
{
    const char *args[] = { shop_db_i64(db->pool, id) };
    return shop_db_exec(db, &Q_DELETE, 1, args, NULL);
}
