/* Route handlers, one family per file; the route table (routes.c) is the only
 * caller.  Each takes the request context and returns what the handler
 * returns (OK once a body was sent). */
#ifndef SHOP_WEB_PAGES_H
#define SHOP_WEB_PAGES_H

#include "web/request.h"

/* operations.c */
int shop_page_health(shop_req_t *req);
int shop_page_metrics(shop_req_t *req);

/* login.c */
int shop_page_login(shop_req_t *req);
int shop_page_logout(shop_req_t *req);

/* front.c */
int shop_page_home(shop_req_t *req);
int shop_page_product(shop_req_t *req);
int shop_api_catalog(shop_req_t *req);

/* cart.c */
int shop_page_cart(shop_req_t *req);
int shop_page_cart_add(shop_req_t *req);
int shop_page_cart_update(shop_req_t *req);
int shop_page_cart_clear(shop_req_t *req);
int shop_api_cart_get(shop_req_t *req);
int shop_api_cart_put_item(shop_req_t *req);
int shop_api_cart_delete(shop_req_t *req);
int shop_page_cart_summary(shop_req_t *req);
int shop_page_cart_prefill(shop_req_t *req);
int shop_page_cart_prefill_apply(shop_req_t *req);

/* pay_page.c */
int shop_page_pay(shop_req_t *req);

/* passcode.c */
int shop_api_passcode(shop_req_t *req);
int shop_page_passcode(shop_req_t *req);
/* Has this session typed the right passcode for product `code`? */
int shop_passcode_unlocked(shop_req_t *req, const char *code);

/* api_session.c */
int shop_api_session_get(shop_req_t *req);
int shop_api_session_language(shop_req_t *req);

/* assets.c */
int shop_page_asset(shop_req_t *req);

/* admin_home.c */
int shop_page_admin_home(shop_req_t *req);

/* admin_settings.c */
int shop_page_admin_logo(shop_req_t *req);
int shop_page_admin_logo_upload(shop_req_t *req);
int shop_page_media_logo(shop_req_t *req);

#endif
