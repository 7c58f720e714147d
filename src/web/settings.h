/* The shop settings ({shop}setting) on the request path, from a per-child
 * copy of the whole table read again when older than SHOP_SETTINGS_TTL: a
 * change made in the back office reaches every child within that time (the
 * child that saved it at once).  Pages that edit settings read the table
 * itself (data/setting_repo.h). */
#ifndef SHOP_WEB_SETTINGS_H
#define SHOP_WEB_SETTINGS_H

#include "web/request.h"

/* Load (or reuse) the copy: 0, or -1 when the database is unavailable
 * (answer 503). */
int shop_settings_ready(shop_req_t *req);

/* A setting's value, copied into the request pool, or `dflt` when it is
 * absent or blank.  Call shop_settings_ready() first. */
const char *shop_setting(shop_req_t *req, const char *name, const char *dflt);
apr_int64_t shop_setting_int(shop_req_t *req, const char *name, apr_int64_t dflt);

/* Forget this child's copy (after the back office saved settings). */
void shop_settings_forget(shop_req_t *req);

#endif
