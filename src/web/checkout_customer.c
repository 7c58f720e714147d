/* Step "customer": placeholder until the step is built. */
#include "web/checkout.h"
#include "web/router.h"

int shop_checkout_customer_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    json_object *state = shop_checkout_state(req, sf, 0);
    return state && json_object_object_get_ex(state, "customer_id", NULL);
}

const shop_route_t shop_checkout_customer_routes[] = { { NULL } };
