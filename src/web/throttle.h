/* Attempts at something guessable (purchase passcodes, offer codes), counted
 * per shop session and per client address in the database
 * (data/throttle_repo.h), so every child of every node sees them. */
#ifndef SHOP_WEB_THROTTLE_H
#define SHOP_WEB_THROTTLE_H

#include "web/request.h"

/* Count one attempt at `what` (a bucket name prefix: "passcode",
 * "offercode") and say whether the buyer is over either limit in the last
 * `window` seconds: 1 over, 0 not, -1 database error. */
int shop_req_throttled(shop_req_t *req, shop_db_t *db, const char *what, int window, int max_session,
                       int max_address);

#endif
