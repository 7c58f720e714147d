/* The customer step (local_shop §3.6), shared by its two files:
 * checkout_customer.c (rules, saving, handlers, completeness) and
 * checkout_customer_view.c (the HTML form).  Not for other steps: they read
 * the state keys customer, invoicing and customer_id (checkout.h). */
#ifndef SHOP_WEB_CHECKOUT_CUSTOMER_H
#define SHOP_WEB_CHECKOUT_CUSTOMER_H

#include "web/checkout.h"
#include "core/customer_form.h"

/* The field names of each identity, in form order (NULL-terminated). */
extern const char *const shop_customer_fields[];
extern const char *const shop_invoicing_fields[];
/* The buyer's references, kept in the invoicing identity's JSON. */
extern const char *const shop_buyer_fields[];

/* The address of a party's field by name, or NULL. */
const char **shop_party_field(shop_party_t *p, const char *name);
const char **shop_buyer_field(shop_buyer_refs_t *b, const char *name);

/* The rules of this shop, cart and shopper (customer_form.h). */
void shop_checkout_customer_rules(shop_req_t *req, const shop_storefront_t *sf, shop_customer_rules_t *rules);

/* A party from a JSON object of strings (state, API, invoicing_info):
 * absent or null fields are "".  Non-string values are left NULL when
 * `bad` is NULL, else their name is pushed on `bad` (const char *). */
void shop_party_from_json(apr_pool_t *p, json_object *o, shop_party_t *out, const char *const *fields,
                          apr_array_header_t *bad);
json_object *shop_party_json(const shop_party_t *p, const char *const *fields);
/* The buyer's references from the invoicing identity's JSON, as above. */
void shop_buyer_from_json(apr_pool_t *p, json_object *o, shop_buyer_refs_t *out, apr_array_header_t *bad);

/* Moodle's login page: login/index.php.  Moodle 4.x takes no return
 * parameter there; it sends the user back to the local Referer it saw
 * (get_local_referer, when $SESSION->wantsurl is empty), which our
 * same-origin Referrer-Policy sends because the shop lives under Moodle's
 * wwwroot (the MoodleSession cookie demands it).  The page also says to
 * come back, with a link, for setups where the Referer is lost. */
const char *shop_checkout_login_url(shop_req_t *req);

/* Render the step page (status 200 or 400) with these values and errors
 * (shop_field_error_t, may be NULL). */
int shop_checkout_customer_page(shop_req_t *req, const shop_storefront_t *sf, int status,
                                const shop_party_t *customer, const shop_party_t *invoicing,
                                const shop_buyer_refs_t *refs, int use_invoicing, const apr_array_header_t *errors,
                                int has_record);

#endif
