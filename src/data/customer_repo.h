/* Customers (`{shop}customer`): the billing parties. */
#ifndef SHOP_DATA_CUSTOMER_REPO_H
#define SHOP_DATA_CUSTOMER_REPO_H

#include "data/db.h"

/* Does Moodle user `userid` have a customer record (local_shop's
 * "customers only" audience)? */
int shop_customer_exists_for_user(shop_db_t *db, apr_int64_t userid, int *exists);

#endif
