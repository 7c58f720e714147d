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

/* Run fn(req, baton) once the answer has gone to the client, for work the
 * answer need not wait for (sending mails).  It is a cleanup of the request
 * pool, which httpd destroys only after the response was written; the
 * database handle is acquired first, so its release (a cleanup registered
 * earlier) comes after fn.  fn must not send anything to the client. */
void shop_req_after_response(shop_req_t *req, void (*fn)(shop_req_t *req, void *baton), void *baton);

#endif
