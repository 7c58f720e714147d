/* Attempt limits per session and per address (throttle.h). */
#include "web/throttle.h"

#include <apr_strings.h>

#include "data/throttle_repo.h"

int shop_req_throttled(shop_req_t *req, shop_db_t *db, const char *what, int window, int max_session,
                       int max_address)
{
    int by_session = 0, by_address = 0;
    const char *sid = shop_req_session(req)->id;
    const char *ip = req->r->useragent_ip ? req->r->useragent_ip : "unknown";
    if (shop_throttle_hit(db, apr_pstrcat(req->r->pool, what, ":s:", sid, NULL), window, req->now, &by_session)
        || shop_throttle_hit(db, apr_pstrcat(req->r->pool, what, ":ip:", ip, NULL), window, req->now, &by_address))
        return -1;
    return by_session > max_session || by_address > max_address;
}
