/* Placeholder route table: replaced by the issue-5 work on this area. */
#include "web/router.h"

const shop_route_t shop_bill_api_routes[] = {
    { NULL }
};
