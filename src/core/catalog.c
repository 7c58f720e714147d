/* The storefront's catalogue model: see catalog.h. */
#include "core/catalog.h"

#include <apr_strings.h>
#include <string.h>

shop_catalog_t *shop_catalog_create(apr_pool_t *pool)
{
    shop_catalog_t *cat = apr_pcalloc(pool, sizeof(*cat));
    cat->pool = pool;
    cat->kind = "standalone";
    cat->currency = "EUR";
    cat->categories = apr_array_make(pool, 8, sizeof(shop_category_t));
    cat->products = apr_array_make(pool, 16, sizeof(shop_product_t *));
    cat->by_code = apr_hash_make(pool);
    cat->taxes = apr_hash_make(pool);
    return cat;
}

const shop_product_t *shop_catalog_product(const shop_catalog_t *cat, const char *code)
{
    return code ? apr_hash_get(cat->by_code, code, APR_HASH_KEY_STRING) : NULL;
}

int shop_catalog_visible(const shop_product_t *p, shop_viewer_t viewer)
{
    if (viewer == SHOP_VIEWER_STAFF) return 1;
    if (strcmp(p->status, SHOP_STATUS_AVAILABLE) && strcmp(p->status, SHOP_STATUS_PROVIDING)) return 0;
    switch (p->audience) {
    case SHOP_AUDIENCE_EVERYBODY: return 1;
    case SHOP_AUDIENCE_LOGGED_OUT: return viewer == SHOP_VIEWER_ANONYMOUS;
    case SHOP_AUDIENCE_LOGGED_IN: return viewer != SHOP_VIEWER_ANONYMOUS;
    case SHOP_AUDIENCE_CUSTOMERS: return viewer == SHOP_VIEWER_CUSTOMER;
    default: return 0;
    }
}

const shop_product_t *shop_catalog_container(const shop_catalog_t *cat, const shop_product_t *p)
{
    for (int i = 0; p->container_id && i < cat->products->nelts; i++) {
        const shop_product_t *x = APR_ARRAY_IDX(cat->products, i, const shop_product_t *);
        if (x->id == p->container_id) return x;
    }
    return NULL;
}

int shop_catalog_in_shown_category(const shop_catalog_t *cat, const shop_product_t *p, shop_viewer_t viewer)
{
    if (viewer == SHOP_VIEWER_STAFF) return 1;
    const shop_product_t *box = shop_catalog_container(cat, p);
    apr_int64_t category_id = box ? box->category_id : p->category_id;
    for (int i = 0; i < cat->categories->nelts; i++) {
        const shop_category_t *c = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
        if (c->id == category_id) return c->visible;
    }
    return 0;      /* no category: not placed in the shop */
}

apr_array_header_t *shop_catalog_listing(apr_pool_t *pool, const shop_catalog_t *cat,
                                         apr_int64_t category_id, shop_viewer_t viewer)
{
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(const shop_product_t *));
    for (int i = 0; i < cat->products->nelts; i++) {
        const shop_product_t *p = APR_ARRAY_IDX(cat->products, i, const shop_product_t *);
        if (p->category_id == category_id && p->container_id == 0 && shop_catalog_visible(p, viewer))
            APR_ARRAY_PUSH(out, const shop_product_t *) = p;
    }
    return out;
}

static int category_shown(const shop_category_t *c, shop_viewer_t viewer)
{
    return c->visible || viewer == SHOP_VIEWER_STAFF;
}

const shop_category_t *shop_catalog_category(const shop_catalog_t *cat, const char *id_or_alias,
                                             shop_viewer_t viewer)
{
    if (!id_or_alias || !*id_or_alias) return NULL;
    char *end;
    apr_int64_t id = apr_strtoi64(id_or_alias, &end, 10);
    int numeric = *end == '\0';
    for (int i = 0; i < cat->categories->nelts; i++) {
        const shop_category_t *c = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
        int hit = numeric ? c->id == id : c->seo_alias && strcmp(c->seo_alias, id_or_alias) == 0;
        if (hit) return category_shown(c, viewer) ? c : NULL;
    }
    return NULL;
}

apr_array_header_t *shop_catalog_children(apr_pool_t *pool, const shop_catalog_t *cat,
                                          apr_int64_t parent_id, shop_viewer_t viewer)
{
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(const shop_category_t *));
    for (int i = 0; i < cat->categories->nelts; i++) {
        const shop_category_t *c = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
        if (c->parent_id == parent_id && category_shown(c, viewer))
            APR_ARRAY_PUSH(out, const shop_category_t *) = c;
    }
    return out;
}

static int lists_something(const shop_catalog_t *cat, apr_int64_t category_id, shop_viewer_t viewer)
{
    for (int i = 0; i < cat->products->nelts; i++) {
        const shop_product_t *p = APR_ARRAY_IDX(cat->products, i, const shop_product_t *);
        if (p->category_id == category_id && p->container_id == 0 && shop_catalog_visible(p, viewer))
            return 1;
    }
    return 0;
}

const shop_category_t *shop_catalog_first_category(apr_pool_t *scratch, const shop_catalog_t *cat,
                                                   shop_viewer_t viewer)
{
    const shop_category_t *found = NULL;
    apr_array_header_t *top = shop_catalog_children(scratch, cat, 0, viewer);
    for (int i = 0; i < top->nelts && !found; i++) {
        const shop_category_t *c = APR_ARRAY_IDX(top, i, const shop_category_t *);
        if (lists_something(cat, c->id, viewer)) {
            found = c;
            break;
        }
        apr_array_header_t *kids = shop_catalog_children(scratch, cat, c->id, viewer);
        for (int k = 0; k < kids->nelts && !found; k++) {
            const shop_category_t *kid = APR_ARRAY_IDX(kids, k, const shop_category_t *);
            if (lists_something(cat, kid->id, viewer)) found = kid;
        }
    }
    return found;
}

apr_array_header_t *shop_catalog_breadcrumb(apr_pool_t *pool, const shop_catalog_t *cat,
                                            const shop_category_t *category)
{
    apr_array_header_t *chain = apr_array_make(pool, 4, sizeof(const shop_category_t *));
    const shop_category_t *c = category;
    /* bounded by the number of categories: a cycle in bad data cannot loop */
    for (int guard = 0; c && guard <= cat->categories->nelts; guard++) {
        APR_ARRAY_PUSH(chain, const shop_category_t *) = c;
        const shop_category_t *parent = NULL;
        for (int i = 0; c->parent_id && i < cat->categories->nelts; i++) {
            const shop_category_t *x = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
            if (x->id == c->parent_id) parent = x;
        }
        c = parent;
    }
    /* reverse: root first */
    for (int i = 0, j = chain->nelts - 1; i < j; i++, j--) {
        const shop_category_t *t = APR_ARRAY_IDX(chain, i, const shop_category_t *);
        APR_ARRAY_IDX(chain, i, const shop_category_t *) = APR_ARRAY_IDX(chain, j, const shop_category_t *);
        APR_ARRAY_IDX(chain, j, const shop_category_t *) = t;
    }
    return chain;
}

int shop_catalog_apply_override(shop_catalog_t *cat, const shop_product_override_t *ov)
{
    shop_product_t *p = apr_hash_get(cat->by_code, ov->code, APR_HASH_KEY_STRING);
    if (!p) return -1;
    if (ov->name) p->name = ov->name;
    if (ov->short_description) p->short_description = ov->short_description;
    if (ov->description) p->description = ov->description;
    if (ov->terms) p->terms = ov->terms;
    if (ov->tax_override) {
        p->tax = ov->tax;
        p->tax_unusable = ov->tax_override < 0;
    }
    if (ov->ntiers >= 0) {
        p->ntiers = ov->ntiers;
        memcpy(p->tiers, ov->tiers, sizeof(p->tiers));
    }
    p->overridden = 1;
    return 0;
}
