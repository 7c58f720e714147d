/* The services' view of this server (services/env.h) and of who is asking
 * (shop_actor_t), built from the configuration and the request. */
#ifndef SHOP_WEB_SERVICES_ENV_H
#define SHOP_WEB_SERVICES_ENV_H

#include "web/request.h"
#include "services/env.h"

/* This request's environment (request pool, built once per request). */
const shop_env_t *shop_req_env(shop_req_t *req);

/* The actor of this request: the identity's user id and role, `source`
 * "web" or "api" after the route. */
shop_actor_t shop_req_actor(shop_req_t *req);

#endif
