/* The discount rules of a shop ({shop}discount with their {shop}discount_code
 * rows and the partners those name), decoded for the pricing engine by
 * core/discount_rules.h, and the use count of offer codes.  Read with the
 * catalogue into the storefront model (data/catalog_repo.h): an edit shows
 * once the catalogue version moves; the offer code typed by a buyer is
 * checked against the database itself, and a code's use limit is enforced
 * at placement. */
#ifndef SHOP_DATA_DISCOUNT_REPO_H
#define SHOP_DATA_DISCOUNT_REPO_H

#include "data/db.h"
#include "core/pricing.h"

/* A rule that could not be decoded, for the caller's log line. */
typedef struct shop_discount_skipped {
    apr_int64_t id;
    const char *why;
} shop_discount_skipped_t;

typedef struct shop_discount_set {
    /* the enabled rules that decode, by (ordering, id); offer codes whose
     * max_uses is reached are left out of their rule's codes */
    shop_discount_t *rules;
    int nrules;
    /* the same rules with only those spent codes (tells "used up" from
     * "unknown" when a code is typed) */
    shop_discount_t *spent;
    shop_discount_skipped_t *skipped;
    int nskipped;
} shop_discount_set_t;

/* Load the enabled rules of shop `shop_id` (at most SHOP_PRICING_MAX_DISCOUNTS,
 * first by (ordering, id)) into `pool`.  0 or the MySQL errno. */
int shop_discount_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_discount_set_t *out);

/* Count one bill placed with `code` of rule `discount_id` (placement, in
 * the caller's transaction): *counted 0 when its max_uses was reached in
 * the meantime (the caller then refuses or re-prices). */
int shop_discount_code_count_use(shop_db_t *db, apr_int64_t discount_id, const char *code, int *counted);

#endif
