/* Customers (`{shop}customer`): the billing parties. */
#ifndef SHOP_DATA_CUSTOMER_REPO_H
#define SHOP_DATA_CUSTOMER_REPO_H

#include "data/db.h"
#include "core/customer_form.h"

/* Does Moodle user `userid` have a customer record (local_shop's
 * "customers only" audience)? */
int shop_customer_exists_for_user(shop_db_t *db, apr_int64_t userid, int *exists);

/* A customer row.  Strings in db->pool; invoicing_info is the JSON text of
 * the last distinct invoicing identity, or NULL. */
typedef struct shop_customer {
    apr_int64_t id, shop_id, userid;   /* userid 0 = not bound to an account */
    shop_party_t identity;             /* department and vat_number are "" */
    const char *lang, *invoicing_info;
} shop_customer_t;

/* The customer bound to Moodle user `userid` (prefill of the customer
 * step); *out NULL when there is none. */
int shop_customer_get_for_user(shop_db_t *db, apr_int64_t userid, shop_customer_t **out);

/* Is `email` the address of a customer bound to an account (local_shop: an
 * anonymous buyer must then log in)?  Compared without regard to case. */
int shop_customer_email_bound(shop_db_t *db, const char *email, int *bound);

typedef struct shop_customer_upsert {
    apr_int64_t shop_id;               /* shop where the row is first recorded */
    apr_int64_t userid;                /* the logged-in buyer, 0 = anonymous */
    const shop_party_t *identity;      /* the customer, checked by shop_customer_form_check() */
    const char *invoicing_info;        /* JSON text, NULL = no distinct identity this time */
    const char *lang;
    apr_int64_t now;
} shop_customer_upsert_t;

/* Record the buyer (local_shop §4.3 step 1) and give its id.
 *   logged in: the row bound to the user; else an unbound row with the
 *     same (email, lastname), which becomes bound; else a new bound row;
 *   anonymous: an unbound row with the same (email, lastname) (the
 *     collation compares without regard to case); else a new unbound row.
 *     A row bound to an account is never found nor changed anonymously.
 * The row found gets the identity fields as given (blank optional fields
 * included), the language and modified_at; invoicing_info replaces the
 * stored one only when given (it is the *last* distinct identity).
 *
 * Runs inside the CALLER's transaction (shop_db_begin before, commit after:
 * the checkout step and the order placement both call it, the latter with
 * the bill in the same transaction); it neither begins nor commits, and
 * returns -1 when no transaction is open.  Rows are read FOR UPDATE so two
 * buyers recording the same person wait for each other; a concurrent insert
 * may still surface as a deadlock or duplicate-key errno, which the caller
 * handles like any failed transaction (roll back, answer or retry).
 * Returns 0 or the MySQL errno. */
int shop_customer_upsert(shop_db_t *db, const shop_customer_upsert_t *in, apr_int64_t *id);

#endif
