/* Back-office routes of this area (see router.h for the columns). */
#include "web/router.h"
#include "web/pages.h"

const shop_route_t shop_admin_catalog_routes[] = {
    { NULL }
};
