/* Step "requirements" (local_shop purchaserequ): placeholder until the step
 * is built — no product asks for anything yet. */
#include "web/checkout.h"
#include "web/router.h"

int shop_checkout_requirements_needed(shop_req_t *req, const shop_storefront_t *sf)
{
    (void)req; (void)sf;
    return 0;
}

int shop_checkout_requirements_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    (void)req; (void)sf;
    return 1;
}

const shop_route_t shop_checkout_requirements_routes[] = { { NULL } };
