/* Step "order": confirmation, terms, payment mode, placement.  (Being built.) */
#include "web/checkout.h"
#include "web/router.h"

static const shop_param_t p_shop[] = { { "shop", SHOP_P_ID, 10 }, { NULL } };

const shop_route_t shop_checkout_routes[] = {
    { "GET",  "/checkout", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_checkout, 0 },
    { "GET",  "/api/v1/checkout", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_api_checkout_get, SHOP_ROUTE_API },
    { NULL }
};
