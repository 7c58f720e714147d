/* The storefront model: slave resolution by code, audience and status rules,
 * opening category, breadcrumb, hidden categories. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/catalog.h"

static apr_pool_t *pool;

static shop_category_t *add_category(shop_catalog_t *cat, apr_int64_t id, apr_int64_t parent, const char *alias,
                                     int visible)
{
    shop_category_t *c = apr_array_push(cat->categories);
    memset(c, 0, sizeof(*c));
    c->id = id;
    c->parent_id = parent;
    c->name = apr_psprintf(pool, "Category %" APR_INT64_T_FMT, id);
    c->seo_alias = alias;
    c->visible = visible;
    c->sortorder = (int)id;
    return c;
}

static shop_product_t *add_product(shop_catalog_t *cat, apr_int64_t id, const char *code, apr_int64_t category,
                                   const char *status, int audience)
{
    shop_product_t *p = apr_pcalloc(pool, sizeof(*p));
    p->id = id;
    p->code = code;
    p->name = apr_pstrcat(pool, "Name of ", code, NULL);
    p->category_id = category;
    p->status = status;
    p->audience = audience;
    p->kind = "product";
    p->seat_mode = "none";
    p->stock = -1;
    p->ntiers = 1;
    p->tiers[0].up_to = SHOP_TIER_UNLIMITED;
    p->tiers[0].price_minor = 1000 * id;
    p->elements = apr_array_make(pool, 0, sizeof(shop_product_t *));
    APR_ARRAY_PUSH(cat->products, shop_product_t *) = p;
    apr_hash_set(cat->by_code, code, APR_HASH_KEY_STRING, p);
    return p;
}

static shop_catalog_t *sample(void)
{
    shop_catalog_t *cat = shop_catalog_create(pool);
    add_category(cat, 1, 0, "first", 1);        /* only a logged-in product directly */
    add_category(cat, 2, 1, "child", 1);        /* child of 1 with an open product */
    add_category(cat, 3, 0, "hidden", 0);
    add_category(cat, 4, 0, "empty", 1);
    add_product(cat, 1, "MEMBERS", 1, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_LOGGED_IN);
    add_product(cat, 2, "OPEN", 2, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_EVERYBODY);
    add_product(cat, 3, "SECRET", 3, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_EVERYBODY);
    add_product(cat, 4, "DRAFT", 2, "PREVIEW", SHOP_AUDIENCE_EVERYBODY);
    add_product(cat, 5, "PROV", 2, SHOP_STATUS_PROVIDING, SHOP_AUDIENCE_EVERYBODY);
    add_product(cat, 6, "GUESTS", 2, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_LOGGED_OUT);
    add_product(cat, 7, "LOYAL", 2, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_CUSTOMERS);
    return cat;
}

static void visibility_by_status_and_audience(void **state)
{
    shop_catalog_t *cat = sample();
    const shop_product_t *members = shop_catalog_product(cat, "MEMBERS"), *guests = shop_catalog_product(cat, "GUESTS"),
                         *loyal = shop_catalog_product(cat, "LOYAL"), *draft = shop_catalog_product(cat, "DRAFT"),
                         *prov = shop_catalog_product(cat, "PROV");
    assert_false(shop_catalog_visible(members, SHOP_VIEWER_ANONYMOUS));
    assert_true(shop_catalog_visible(members, SHOP_VIEWER_USER));
    assert_true(shop_catalog_visible(guests, SHOP_VIEWER_ANONYMOUS));
    assert_false(shop_catalog_visible(guests, SHOP_VIEWER_USER));
    assert_false(shop_catalog_visible(loyal, SHOP_VIEWER_USER));
    assert_true(shop_catalog_visible(loyal, SHOP_VIEWER_CUSTOMER));
    assert_false(shop_catalog_visible(draft, SHOP_VIEWER_CUSTOMER));
    assert_true(shop_catalog_visible(draft, SHOP_VIEWER_STAFF));
    assert_true(shop_catalog_visible(prov, SHOP_VIEWER_ANONYMOUS));
}

static void opening_category_skips_what_the_viewer_cannot_see(void **state)
{
    shop_catalog_t *cat = sample();
    /* anonymous: category 1 lists nothing for them, its child 2 does */
    const shop_category_t *c = shop_catalog_first_category(pool, cat, SHOP_VIEWER_ANONYMOUS);
    assert_non_null(c);
    assert_int_equal(c->id, 2);
    /* logged in: category 1 itself lists MEMBERS */
    c = shop_catalog_first_category(pool, cat, SHOP_VIEWER_USER);
    assert_int_equal(c->id, 1);
    /* nothing at all: NULL, never the empty category */
    shop_catalog_t *bare = shop_catalog_create(pool);
    add_category(bare, 9, 0, "empty", 1);
    assert_null(shop_catalog_first_category(pool, bare, SHOP_VIEWER_ANONYMOUS));
}

static void hidden_categories_and_lookups(void **state)
{
    shop_catalog_t *cat = sample();
    assert_null(shop_catalog_category(cat, "hidden", SHOP_VIEWER_CUSTOMER));
    assert_non_null(shop_catalog_category(cat, "hidden", SHOP_VIEWER_STAFF));
    assert_non_null(shop_catalog_category(cat, "2", SHOP_VIEWER_ANONYMOUS));
    assert_null(shop_catalog_category(cat, "99", SHOP_VIEWER_STAFF));
    assert_null(shop_catalog_category(cat, "", SHOP_VIEWER_STAFF));
    const shop_product_t *secret = shop_catalog_product(cat, "SECRET");
    assert_false(shop_catalog_in_shown_category(cat, secret, SHOP_VIEWER_USER));
    assert_true(shop_catalog_in_shown_category(cat, secret, SHOP_VIEWER_STAFF));
    apr_array_header_t *listing = shop_catalog_listing(pool, cat, 2, SHOP_VIEWER_ANONYMOUS);
    assert_int_equal(listing->nelts, 3);       /* OPEN, PROV, GUESTS */
}

static void breadcrumb_root_first(void **state)
{
    shop_catalog_t *cat = sample();
    const shop_category_t *child = shop_catalog_category(cat, "child", SHOP_VIEWER_ANONYMOUS);
    apr_array_header_t *chain = shop_catalog_breadcrumb(pool, cat, child);
    assert_int_equal(chain->nelts, 2);
    assert_int_equal(APR_ARRAY_IDX(chain, 0, const shop_category_t *)->id, 1);
    assert_int_equal(APR_ARRAY_IDX(chain, 1, const shop_category_t *)->id, 2);
    /* a cycle in bad data ends */
    shop_category_t *a = add_category(cat, 20, 21, NULL, 1);
    add_category(cat, 21, 20, NULL, 1);
    chain = shop_catalog_breadcrumb(pool, cat, a);
    assert_true(chain->nelts <= cat->categories->nelts + 1);
}

static void slave_override_replaces_texts_prices_and_tax_only(void **state)
{
    shop_catalog_t *cat = sample();
    shop_product_t *open = (shop_product_t *)shop_catalog_product(cat, "OPEN");
    open->action = "std_enrolonecourse";
    open->seat_mode = "per_unit";
    shop_tax_t tax = { 0 };
    tax.id = 7;
    tax.title = "VAT";
    shop_product_override_t ov = { 0 };
    ov.code = "OPEN";
    ov.name = "English name";
    ov.description = "<p>English</p>";
    ov.tax_override = 1;
    ov.tax = &tax;
    ov.ntiers = 2;
    ov.tiers[0].up_to = 4;
    ov.tiers[0].price_minor = 500;
    ov.tiers[1].up_to = SHOP_TIER_UNLIMITED;
    ov.tiers[1].price_minor = 400;
    assert_int_equal(shop_catalog_apply_override(cat, &ov), 0);
    assert_string_equal(open->name, "English name");
    assert_string_equal(open->description, "<p>English</p>");
    assert_int_equal(open->ntiers, 2);
    assert_int_equal(open->tiers[1].price_minor, 400);
    assert_ptr_equal(open->tax, &tax);
    assert_true(open->overridden);
    /* technical fields stay the master's */
    assert_string_equal(open->action, "std_enrolonecourse");
    assert_string_equal(open->seat_mode, "per_unit");
    assert_int_equal(open->category_id, 2);

    /* NULL texts and ntiers < 0 keep the master's values */
    shop_product_t *members = (shop_product_t *)shop_catalog_product(cat, "MEMBERS");
    shop_product_override_t keep = { 0 };
    keep.code = "MEMBERS";
    keep.ntiers = -1;
    assert_int_equal(shop_catalog_apply_override(cat, &keep), 0);
    assert_string_equal(members->name, "Name of MEMBERS");
    assert_int_equal(members->ntiers, 1);
    assert_int_equal(members->tiers[0].price_minor, 1000);

    /* an unusable tax in the override makes the product unsaleable */
    shop_product_override_t broken = { 0 };
    broken.code = "PROV";
    broken.ntiers = -1;
    broken.tax_override = -1;
    assert_int_equal(shop_catalog_apply_override(cat, &broken), 0);
    assert_true(shop_catalog_product(cat, "PROV")->tax_unusable);

    /* an override of a code the master lacks is ignored */
    shop_product_override_t ghost = { 0 };
    ghost.code = "GHOST";
    ghost.ntiers = -1;
    assert_int_equal(shop_catalog_apply_override(cat, &ghost), -1);
    assert_null(shop_catalog_product(cat, "GHOST"));
}

static void set_elements_are_reached_through_their_container(void **state)
{
    shop_catalog_t *cat = sample();
    shop_product_t *box = (shop_product_t *)shop_catalog_product(cat, "OPEN");
    box->kind = "set";
    shop_product_t *el = add_product(cat, 30, "ELEMENT", 0, SHOP_STATUS_AVAILABLE, SHOP_AUDIENCE_EVERYBODY);
    el->container_id = box->id;
    APR_ARRAY_PUSH(box->elements, const shop_product_t *) = el;
    assert_ptr_equal(shop_catalog_container(cat, el), box);
    assert_true(shop_catalog_in_shown_category(cat, el, SHOP_VIEWER_ANONYMOUS));   /* its container's category */
    apr_array_header_t *listing = shop_catalog_listing(pool, cat, 0, SHOP_VIEWER_STAFF);
    for (int i = 0; i < listing->nelts; i++)
        assert_string_not_equal(APR_ARRAY_IDX(listing, i, const shop_product_t *)->code, "ELEMENT");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(visibility_by_status_and_audience),
        cmocka_unit_test(opening_category_skips_what_the_viewer_cannot_see),
        cmocka_unit_test(hidden_categories_and_lookups),
        cmocka_unit_test(breadcrumb_root_first),
        cmocka_unit_test(slave_override_replaces_texts_prices_and_tax_only),
        cmocka_unit_test(set_elements_are_reached_through_their_container),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return failed;
}
