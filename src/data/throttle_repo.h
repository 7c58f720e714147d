/* Rate limits in fixed windows (`{shop}throttle`), shared by every node:
 * passcode guesses, discount-code guesses, account creation floods. */
#ifndef SHOP_DATA_THROTTLE_REPO_H
#define SHOP_DATA_THROTTLE_REPO_H

#include "data/db.h"

/* Count one attempt in `bucket` for the window of `window_seconds` holding
 * `now`; *hits gets the attempts in that window, this one included. */
int shop_throttle_hit(shop_db_t *db, const char *bucket, int window_seconds, apr_int64_t now, int *hits);

/* Drop windows that ended before `before` (cron). */
int shop_throttle_purge(shop_db_t *db, apr_int64_t before);

#endif
