/* Who buys, as far as discount rules care (core/pricing.h
 * shop_discount_context_t): read from Moodle's tables and the shop's
 * customers and bills for a logged-in Moodle user.
 *
 * Choices:
 *   customer_since  the created_at of the user's {shop}customer row (the
 *                   shop's own notion of "customer since", local_shop's
 *                   customer record); when the user has none yet (or it
 *                   holds 0), mdl_user.timecreated (the account's age);
 *   paid_orders     bills of that customer row, in every shop, in SOLDOUT
 *                   or COMPLETE (local_shop OrderNum);
 *   roles           distinct shortnames of every role assigned to the user
 *                   in ANY context (system, category, course, module...):
 *                   local_shop's UserCapability checked a capability at
 *                   system or a given context; a role held anywhere is the
 *                   closest plain reading, and rules name roles that are
 *                   normally given at system level (e.g. "sales");
 *   institution     mdl_user.institution as typed in Moodle. */
#ifndef SHOP_DATA_BUYER_REPO_H
#define SHOP_DATA_BUYER_REPO_H

#include "data/db.h"

#define SHOP_BUYER_MAX_ROLES 64

typedef struct shop_buyer {
    int found;                      /* 0: no such (active) user */
    const char *institution;
    apr_int64_t customer_since;     /* unix seconds, 0 = unknown */
    apr_int64_t paid_orders;
    const char **roles;
    int nroles;
} shop_buyer_t;

/* The buyer context of Moodle user `userid` (> 0), strings in `pool`.
 * 0 or the MySQL errno. */
int shop_buyer_load(shop_db_t *db, apr_int64_t userid, apr_pool_t *pool, shop_buyer_t *out);

#endif
