/* Back-office setup area: shops, seller settings, taxes, shipping zones and
 * their per-product rules.  The handlers are called by the route table in
 * admin_setup_routes.c only (staff role, CSRF on every POST, whitelisted
 * parameters); each returns what a handler returns (OK once a body was
 * sent).  The shared helpers below allocate in the request pool. */
#ifndef SHOP_WEB_ADMIN_SETUP_H
#define SHOP_WEB_ADMIN_SETUP_H

#include "web/request.h"

/* admin_shops.c */
int shop_page_admin_shops(shop_req_t *req);
int shop_page_admin_shop_new(shop_req_t *req);
int shop_page_admin_shop_create(shop_req_t *req);
int shop_page_admin_shop_edit(shop_req_t *req);
int shop_page_admin_shop_update(shop_req_t *req);
int shop_page_admin_shop_delete(shop_req_t *req);

/* admin_seller.c */
int shop_page_admin_settings(shop_req_t *req);
int shop_page_admin_settings_save(shop_req_t *req);

/* admin_taxes.c */
int shop_page_admin_taxes(shop_req_t *req);
int shop_page_admin_tax_new(shop_req_t *req);
int shop_page_admin_tax_create(shop_req_t *req);
int shop_page_admin_tax_edit(shop_req_t *req);
int shop_page_admin_tax_update(shop_req_t *req);
int shop_page_admin_tax_delete(shop_req_t *req);

/* admin_shipping.c */
int shop_page_admin_shipping(shop_req_t *req);
int shop_page_admin_zone_new(shop_req_t *req);
int shop_page_admin_zone_create(shop_req_t *req);
int shop_page_admin_zone_edit(shop_req_t *req);
int shop_page_admin_zone_update(shop_req_t *req);
int shop_page_admin_zone_delete(shop_req_t *req);
int shop_page_admin_zone_rules(shop_req_t *req);
int shop_page_admin_zone_rule_save(shop_req_t *req);
int shop_page_admin_zone_rule_delete(shop_req_t *req);

/* ---- helpers shared by the area (admin_setup_routes.c) */

/* 503 (database unavailable or a statement failed), 404 (no such record). */
int shop_setup_unavailable(shop_req_t *req);
int shop_setup_not_found(shop_req_t *req);

/* [{"value","label","selected"}] for a <select> (labels may be NULL: the
 * value is shown). */
json_object *shop_setup_options(const char *const *values, const char *const *labels, int n,
                                const char *selected);

/* The currencies of core/currency.h as options ("EUR — Euro"). */
json_object *shop_setup_currency_options(const char *selected);

/* List pages: keep the objects of `items` (a json array, consumed) one of
 * whose string `keys` (NULL-terminated) contains the "q" parameter, ASCII
 * case-insensitive; cut to the page asked ("page", setting
 * maxitemsperpage lines a page).  Adds "q", "pager" and `name` (the kept
 * items) to data. */
void shop_setup_list(shop_req_t *req, json_object *data, const char *name, json_object *items,
                     const char *const *keys, const char *path);

/* Log a refused change at info level (expected answers are not errors). */
void shop_setup_refused(shop_req_t *req, int status, const char *what);

/* Log a change at info level: "tax 12 saved by user 7". */
void shop_setup_changed(shop_req_t *req, const char *what, apr_int64_t id, const char *how);

/* Bump catalogue `id` (in the open transaction): 0 or the MySQL errno. */
int shop_setup_bump(shop_req_t *req, apr_int64_t id);
/* After commit: publish the versions of catalogue `id` (and its slaves). */
void shop_setup_publish(shop_req_t *req, apr_int64_t id);

/* A step sequence field (admin_shops.c): a comma list of the front steps
 * shop,requirements,participants,customer,order,payment,produce,invoice,
 * each once, in that order (pre-payment steps stay before payment).
 * Returns the normalised list ("" when empty and optional), or NULL after
 * recording an error for `field` in the form. */
struct shop_form;
const char *shop_setup_navsteps(shop_req_t *req, struct shop_form *f, const char *field, int required);

/* The currency new amounts are typed in: setting defaultcurrency, else EUR. */
const char *shop_setup_default_currency(shop_req_t *req);

#endif
