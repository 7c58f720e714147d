/* Shop sessions: an id in a signed cookie, state as JSON kept in memcached and
 * written through to `{shop}session`, so losing memcached loses nothing.
 *
 * The cookie holds `<64 hex id>.<signature>`; a cookie whose signature does
 * not verify is ignored (a fresh anonymous session starts), so ids cannot be
 * made up.  Nothing is stored until the session holds something: browsing
 * costs no write. */
#ifndef SHOP_WEB_SESSION_H
#define SHOP_WEB_SESSION_H

#include "web/request.h"

#define SHOP_SESSION_COOKIE   "ShopSession"
#define SHOP_SESSION_TTL      (8 * 3600)      /* idle lifetime, seconds, as Moodle's default */

/* Load (or start) the session of this request. */
shop_session_t *shop_session_load(shop_req_t *req);

/* Mark modified; it is written back by shop_session_finish. */
void shop_session_touch(shop_session_t *s);

/* Replace the session id, keeping the data (login, identity change): the old
 * id is deleted from both stores. */
void shop_session_rotate(shop_req_t *req);

/* Write back when dirty and send the cookie when new.  Called once, before
 * the response headers leave.  Returns 0, or -1 when the durable write failed
 * (the caller answers 503 rather than pretend the change was kept). */
int shop_session_finish(shop_req_t *req);

#endif
