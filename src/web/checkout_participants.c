/* Step "participants" (local_shop users): placeholder until the step
 * is built — no seats are asked yet. */
#include "web/checkout.h"
#include "web/router.h"

int shop_checkout_participants_needed(shop_req_t *req, const shop_storefront_t *sf)
{
    (void)req; (void)sf;
    return 0;
}

int shop_checkout_participants_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    (void)req; (void)sf;
    return 1;
}

const shop_route_t shop_checkout_participants_routes[] = { { NULL } };
