/* The catalogue as the storefront sees it: categories and products of one
 * catalogue, with a slave catalogue's overrides already applied.  Built once
 * from the database (data/catalog_repo.c), then read-only: one model is
 * shared by every thread of a child until the catalogue's version changes.
 *
 * Everything a model holds lives in the pool given to shop_catalog_create.
 */
#ifndef SHOP_CORE_CATALOG_H
#define SHOP_CORE_CATALOG_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_hash.h>

#include "core/tiers.h"
#include "core/tax.h"

/* Product statuses the front lists (local_shop §2.4). */
#define SHOP_STATUS_AVAILABLE "AVAILABLE"
#define SHOP_STATUS_PROVIDING "PROVIDING"

/* local_shop's `onlyforloggedin` audience values. */
typedef enum {
    SHOP_AUDIENCE_LOGGED_OUT = -1,
    SHOP_AUDIENCE_EVERYBODY = 0,
    SHOP_AUDIENCE_LOGGED_IN = 1,
    SHOP_AUDIENCE_CUSTOMERS = 2
} shop_audience_t;

/* Who is looking, as far as product visibility goes. */
typedef enum {
    SHOP_VIEWER_ANONYMOUS,     /* sees EVERYBODY and LOGGED_OUT */
    SHOP_VIEWER_USER,          /* logged in: EVERYBODY and LOGGED_IN */
    SHOP_VIEWER_CUSTOMER,      /* logged in with a customer record: also CUSTOMERS */
    SHOP_VIEWER_STAFF          /* sees everything, any status ("see all") */
} shop_viewer_t;

typedef struct shop_category {
    apr_int64_t id, parent_id; /* parent 0 = top level */
    const char *name, *description, *seo_alias;
    int sortorder, visible;
    int nproducts;             /* listed products directly in it, for the viewer class "everybody" */
} shop_category_t;

typedef struct shop_product {
    apr_int64_t id, category_id;
    const char *code, *name, *short_description, *description, *terms;
    const char *status, *kind, *seat_mode;     /* kind: product | set | bundle */
    const char *action, *action_params, *required_data;   /* JSON text or NULL */
    const char *image_ref, *thumb_ref, *leaflet_ref, *seo_alias;
    int audience, max_quantity, has_passcode, renewable, requires_shipping, sortorder;
    apr_int64_t stock;         /* -1 = unlimited */
    apr_int64_t reserved;
    const shop_tax_t *tax;     /* NULL = untaxed */
    int tax_unusable;          /* its tax could not be compiled: not for sale */
    int ntiers;
    shop_tier_t tiers[SHOP_TIERS_MAX];
    apr_array_header_t *elements;   /* const shop_product_t * of a set or bundle, in order */
    apr_int64_t container_id;  /* the set/bundle this product belongs to, 0 = none */
    int overridden;            /* a slave catalogue's override applied */
} shop_product_t;

typedef struct shop_catalog {
    apr_pool_t *pool;
    apr_int64_t id, master_id; /* master_id 0 unless a slave */
    const char *kind;          /* standalone | master | slave */
    const char *name;
    const char *currency;      /* prices of this model are in it */
    apr_int64_t version;       /* cache_version it was built from */
    apr_array_header_t *categories;  /* shop_category_t, ordered (parent, sortorder) */
    apr_array_header_t *products;    /* shop_product_t *, ordered (category, sortorder) */
    apr_hash_t *by_code;             /* code -> shop_product_t * */
    apr_hash_t *taxes;               /* id (int64 key) -> shop_tax_t */
} shop_catalog_t;

/* An empty model in pool. */
shop_catalog_t *shop_catalog_create(apr_pool_t *pool);

/* A product by code, or NULL. */
const shop_product_t *shop_catalog_product(const shop_catalog_t *cat, const char *code);

/* May this viewer see (and buy) the product?  Status AVAILABLE or PROVIDING
 * and the audience rule, except for staff who see everything.  Elements of a
 * set or bundle are judged by the same rule. */
int shop_catalog_visible(const shop_product_t *p, shop_viewer_t viewer);

/* Is the product's category (or, for an element, its container's) shown
 * to this viewer?  Products of hidden categories are not for sale on the
 * front; staff see them. */
int shop_catalog_in_shown_category(const shop_catalog_t *cat, const shop_product_t *p, shop_viewer_t viewer);

/* The set or bundle a product belongs to, or NULL. */
const shop_product_t *shop_catalog_container(const shop_catalog_t *cat, const shop_product_t *p);

/* Products of a category visible to the viewer (top level only: set and
 * bundle elements are reached through their container), in order. */
apr_array_header_t *shop_catalog_listing(apr_pool_t *pool, const shop_catalog_t *cat,
                                         apr_int64_t category_id, shop_viewer_t viewer);

/* A category by id or SEO alias; NULL when absent or hidden (staff see hidden ones). */
const shop_category_t *shop_catalog_category(const shop_catalog_t *cat, const char *id_or_alias,
                                             shop_viewer_t viewer);

/* The category the front opens on: the first visible category (by order) that
 * lists something for this viewer, else its first non-empty visible child; NULL
 * when there is none.  `scratch` is the caller's pool (the model is shared by
 * threads: nothing may be allocated from its own pool). */
const shop_category_t *shop_catalog_first_category(apr_pool_t *scratch, const shop_catalog_t *cat,
                                                   shop_viewer_t viewer);

/* Ancestors of a category, root first, the category itself last. */
apr_array_header_t *shop_catalog_breadcrumb(apr_pool_t *pool, const shop_catalog_t *cat,
                                            const shop_category_t *category);

/* Visible children of a category (parent 0: the top level), in order. */
apr_array_header_t *shop_catalog_children(apr_pool_t *pool, const shop_catalog_t *cat,
                                          apr_int64_t parent_id, shop_viewer_t viewer);

/* Slave resolution: replace, by code, a master product's texts, terms, tiers
 * and tax with the slave's override.  Technical fields (action, parameters,
 * seat mode, category, stock, kind) stay the master's.  NULL fields of the
 * override keep the master's value; ntiers < 0 keeps the master's tiers;
 * tax_override 0 keeps the master's tax, 1 replaces it, -1 marks the
 * product's tax unusable (not for sale). */
typedef struct shop_product_override {
    const char *code;
    const char *name, *short_description, *description, *terms;
    int tax_override;
    const shop_tax_t *tax;
    int ntiers;
    shop_tier_t tiers[SHOP_TIERS_MAX];
} shop_product_override_t;

/* Apply one override to the product of the same code.  Returns 0, or -1
 * when the master has no such product (the override is ignored). */
int shop_catalog_apply_override(shop_catalog_t *cat, const shop_product_override_t *ov);

#endif
