/* Cart rules: every refusal of shop_cart_check, and the codes and HTTP
 * statuses they map to. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/cart.h"

static apr_pool_t *pool;

static shop_product_t *product(shop_catalog_t *cat, apr_int64_t id, const char *code, const char *kind)
{
    shop_product_t *p = apr_pcalloc(pool, sizeof(*p));
    p->id = id;
    p->code = code;
    p->name = code;
    p->kind = kind;
    p->status = SHOP_STATUS_AVAILABLE;
    p->seat_mode = "none";
    p->category_id = 1;
    p->stock = -1;
    p->ntiers = 1;
    p->tiers[0].price_minor = 100;
    p->elements = apr_array_make(pool, 0, sizeof(shop_product_t *));
    APR_ARRAY_PUSH(cat->products, shop_product_t *) = p;
    apr_hash_set(cat->by_code, code, APR_HASH_KEY_STRING, p);
    return p;
}

static shop_catalog_t *catalogue(void)
{
    shop_catalog_t *cat = shop_catalog_create(pool);
    shop_category_t *c = apr_array_push(cat->categories);
    memset(c, 0, sizeof(*c));
    c->id = 1;
    c->name = "All";
    c->visible = 1;
    return cat;
}

static void refusals(void **state)
{
    shop_catalog_t *cat = catalogue();
    shop_product_t *plain = product(cat, 1, "PLAIN", "product");
    shop_product_t *set = product(cat, 2, "SET", "set");
    shop_product_t *bundle = product(cat, 3, "BUNDLE", "bundle");
    shop_product_t *inside = product(cat, 4, "INSIDE", "product");
    inside->container_id = bundle->id;
    shop_product_t *option = product(cat, 5, "OPTION", "product");
    option->container_id = set->id;
    shop_product_t *locked = product(cat, 6, "LOCKED", "product");
    locked->has_passcode = 1;
    shop_product_t *scarce = product(cat, 7, "SCARCE", "product");
    scarce->stock = 5;
    scarce->reserved = 3;
    shop_product_t *limited = product(cat, 8, "LIMITED", "product");
    limited->max_quantity = 2;
    shop_product_t *draft = product(cat, 9, "DRAFT", "product");
    draft->status = "PREVIEW";

    assert_int_equal(shop_cart_check(cat, plain, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_OK);
    assert_int_equal(shop_cart_check(cat, NULL, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_UNKNOWN);
    assert_int_equal(shop_cart_check(cat, draft, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_UNKNOWN);
    assert_int_equal(shop_cart_check(cat, set, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_NOT_FOR_SALE);
    assert_int_equal(shop_cart_check(cat, bundle, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_OK);
    assert_int_equal(shop_cart_check(cat, inside, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_NOT_FOR_SALE);
    assert_int_equal(shop_cart_check(cat, option, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_OK);
    assert_int_equal(shop_cart_check(cat, locked, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_LOCKED);
    assert_int_equal(shop_cart_check(cat, locked, 1, SHOP_VIEWER_ANONYMOUS, 1, 0), SHOP_CART_OK);
    assert_int_equal(shop_cart_check(cat, plain, 0, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_BAD_QUANTITY);
    assert_int_equal(shop_cart_check(cat, plain, SHOP_MAX_QUANTITY + 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_BAD_QUANTITY);
    assert_int_equal(shop_cart_check(cat, limited, 3, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_OVER_MAXIMUM);
    assert_int_equal(shop_cart_check(cat, scarce, 2, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_OK);
    assert_int_equal(shop_cart_check(cat, scarce, 3, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_NOT_ENOUGH);
    scarce->reserved = 5;
    assert_int_equal(shop_cart_check(cat, scarce, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_SOLD_OUT);
    assert_int_equal(shop_cart_check(cat, plain, 1, SHOP_VIEWER_ANONYMOUS, 0, SHOP_MAX_CART_LINES), SHOP_CART_FULL);
    plain->tax_unusable = 1;
    assert_int_equal(shop_cart_check(cat, plain, 1, SHOP_VIEWER_ANONYMOUS, 0, 0), SHOP_CART_NOT_FOR_SALE);
}

static void codes_and_statuses(void **state)
{
    assert_string_equal(shop_cart_status_code(SHOP_CART_SOLD_OUT), "sold_out");
    assert_string_equal(shop_cart_status_key(SHOP_CART_SOLD_OUT), "cart_error_sold_out");
    assert_string_equal(shop_cart_status_code(SHOP_CART_OK), "");
    assert_int_equal(shop_cart_status_http(SHOP_CART_UNKNOWN), 404);
    assert_int_equal(shop_cart_status_http(SHOP_CART_LOCKED), 403);
    assert_int_equal(shop_cart_status_http(SHOP_CART_BAD_QUANTITY), 400);
    assert_int_equal(shop_cart_status_http(SHOP_CART_NOT_ENOUGH), 409);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refusals),
        cmocka_unit_test(codes_and_statuses),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return failed;
}
