/* The front office, operations and API routes (see router.h for the
 * columns), and the list of every area's table.  Back-office areas keep their
 * routes next to their handlers (admin_*_routes.c). */
#include "web/router.h"
#include "web/pages.h"

#include "core/limits.h"

static const shop_param_t p_home[] = {
    { "shop", SHOP_P_ID, 10 }, { "category", SHOP_P_CODE, 64 }, { "notice", SHOP_P_CODE, 32 }, { NULL }
};
static const shop_param_t p_shop[] = {
    { "shop", SHOP_P_ID, 10 }, { NULL }
};
static const shop_param_t p_passcode[] = {
    { "passcode", SHOP_P_TEXT, 128 }, { "back", SHOP_P_LOCALPATH, 512 }, { "shop", SHOP_P_ID, 10 }, { NULL }
};
static const shop_param_t p_cart[] = {
    { "shop", SHOP_P_ID, 10 }, { "code", SHOP_P_CODE, 32 }, { "quantity", SHOP_P_INT, 6 }, { NULL }
};
static const shop_param_t p_login[] = {
    { "ticket", SHOP_P_TOKEN, 1024 }, { NULL }
};
static const shop_param_t p_saved[] = {
    { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_language[] = {
    { "lang", SHOP_P_CODE, 10 }, { "back", SHOP_P_LOCALPATH, 512 }, { NULL }
};

static const shop_route_t front_routes[] = {
    /* operations */
    { "GET",  "/health",  SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL, shop_page_health, SHOP_ROUTE_NO_DB | SHOP_ROUTE_API },
    { "GET",  "/metrics", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL, shop_page_metrics, SHOP_ROUTE_NO_DB },

    { "GET",  "/assets/{name}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL, shop_page_asset, SHOP_ROUTE_NO_DB },

    /* front office */
    { "GET",  "/",        SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_home, shop_page_home, 0 },
    { "GET",  "/product/{code}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_product, 0 },
    { "POST", "/product/{code}/passcode", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_passcode, shop_page_passcode, 0 },
    { "GET",  "/cart",    SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_cart, 0 },
    { "POST", "/cart/add", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_cart, shop_page_cart_add, 0 },
    { "POST", "/cart/update", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_cart, shop_page_cart_update, 0 },
    { "GET",  "/cart/summary", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_cart_summary, 0 },
    /* prefill links carry product codes as parameter names: the handler checks each one */
    { "GET",  "/cart/prefill", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_cart_prefill, 0 },
    { "POST", "/cart/prefill", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_shop, shop_page_cart_prefill_apply, 0 },
    { "POST", "/cart/clear", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_shop, shop_page_cart_clear, 0 },
    { "GET",  "/login",   SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_login, shop_page_login, 0 },
    { "POST", "/logout",  SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, NULL, shop_page_logout, 0 },
    { "POST", "/language", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_language, shop_api_session_language, 0 },

    /* JSON API */
    { "GET",  "/api/v1/catalog", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_api_catalog, SHOP_ROUTE_API },
    { "POST", "/api/v1/products/{code}/passcode", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 1024, p_shop,
      shop_api_passcode, SHOP_ROUTE_API },
    { "GET",  "/api/v1/cart", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_api_cart_get, SHOP_ROUTE_API },
    { "DELETE", "/api/v1/cart", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_NONE, 0, p_shop, shop_api_cart_delete, SHOP_ROUTE_API },
    { "PUT",  "/api/v1/cart/items/{code}", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 1024, p_shop,
      shop_api_cart_put_item, SHOP_ROUTE_API },
    { "GET",  "/api/v1/session", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL, shop_api_session_get, SHOP_ROUTE_API },
    { "PUT",  "/api/v1/session/language", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 1024, NULL,
      shop_api_session_language, SHOP_ROUTE_API },

    /* back office */
    { "GET",  "/admin/",  SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, shop_page_admin_home, 0 },
    { "GET",  "/admin",   SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, shop_page_admin_home, 0 },

    { "GET",  "/admin/settings/logo", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_saved, shop_page_admin_logo, 0 },
    { "POST", "/admin/settings/logo", SHOP_ROLE_STAFF, 1, SHOP_BODY_UPLOAD, 4 * 1024 * 1024, NULL,
      shop_page_admin_logo_upload, 0 },
    { "GET",  "/media/seller-logo", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL, shop_page_media_logo, 0 },

    { NULL }
};

extern const shop_route_t shop_admin_catalog_routes[];   /* admin_catalog_routes.c */
extern const shop_route_t shop_admin_product_routes[];   /* admin_product_routes.c */
extern const shop_route_t shop_admin_setup_routes[];     /* admin_setup_routes.c */
extern const shop_route_t shop_checkout_routes[];        /* checkout_order.c (and /checkout itself) */
extern const shop_route_t shop_checkout_requirements_routes[];  /* checkout_requirements.c */
extern const shop_route_t shop_checkout_participants_routes[];  /* checkout_participants.c */
extern const shop_route_t shop_checkout_customer_routes[];      /* checkout_customer.c */
extern const shop_route_t shop_cart_discount_routes[];          /* cart_discount.c */
extern const shop_route_t shop_bill_api_routes[];               /* bill_api.c: /api/v1/bills/... */
extern const shop_route_t shop_bill_page_routes[];              /* bill_page.c: /bill/TRANSID[.pdf] */
extern const shop_route_t shop_admin_bills_routes[];            /* admin_bills_routes.c: /admin/bills... */
extern const shop_route_t shop_admin_export_routes[];           /* admin_bills_export.c: /admin/bills/export */
extern const shop_route_t shop_admin_series_routes[];           /* admin_series.c: /admin/invoice-series... */

const shop_route_t *const shop_route_tables[] = {
    front_routes, shop_checkout_routes, shop_checkout_requirements_routes, shop_checkout_participants_routes,
    shop_checkout_customer_routes, shop_admin_catalog_routes, shop_admin_product_routes, shop_admin_setup_routes,
    shop_cart_discount_routes, shop_bill_api_routes, shop_bill_page_routes, shop_admin_export_routes,
    shop_admin_bills_routes, shop_admin_series_routes, NULL
};
