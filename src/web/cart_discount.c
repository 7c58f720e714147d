/* Offer codes typed by the shopper, kept in the checkout state
 * ("offer_codes": stored spelling, once each) so that the quote (quote.h)
 * discounts at once.  A code is accepted when it is a code of an enabled
 * OfferCode / MultipleOfferCode / PartnerMultipleOfferCode rule of the shop,
 * valid now, compared as the pricing engine compares (trimmed, ASCII
 * case-insensitive); a code whose max_uses is reached answers 409.
 * Attempts are throttled like purchase passcodes: every code looked up
 * counts, DISCOUNT_MAX_SESSION per session and DISCOUNT_MAX_ADDRESS per
 * client address in DISCOUNT_WINDOW seconds, then 429 (so a guesser learns
 * nothing more, right or wrong).
 *   JSON: POST /api/v1/cart/discount-code {"code"}, DELETE
 *         /api/v1/cart/discount-code/{code}: answer the cart (GET /api/v1/cart).
 *   HTML: POST /cart/discount-code and /cart/discount-code/remove (code,
 *         shop, back): 303 to `back` or the cart; refusals show the cart page
 *         with the message next to the field. */
#include "web/cart.h"
#include "web/checkout.h"
#include "web/log.h"
#include "web/render.h"
#include "web/throttle.h"
#include "web/router.h"
#include "web/session.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <strings.h>

#include "core/discount_rules.h"
#include "data/discount_repo.h"

#define DISCOUNT_WINDOW         900     /* seconds */
#define DISCOUNT_MAX_SESSION    10      /* codes looked up per session and window */
#define DISCOUNT_MAX_ADDRESS    30      /* codes looked up per client address and window */
#define DISCOUNT_MAX_KEPT       10      /* codes kept for one cart */

typedef enum {
    CODE_OK, CODE_EMPTY, CODE_UNKNOWN, CODE_USED_UP, CODE_THROTTLED, CODE_UNAVAILABLE
} code_result_t;

static json_object *kept_codes(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    return shop_checkout_state_key(req, sf, "offer_codes", json_type_array, create);
}

static int kept_index(json_object *arr, const char *code)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (v && json_object_is_type(v, json_type_string) && !strcasecmp(json_object_get_string(v), code)) return (int)i;
    }
    return -1;
}

static code_result_t apply(shop_req_t *req, const shop_storefront_t *sf, const char *typed)
{
    apr_pool_t *pool = req->r->pool;
    const char *code = shop_offer_code_clean(pool, typed);
    if (!typed || !*typed) return CODE_EMPTY;
    if (!code) return CODE_UNKNOWN;        /* cannot be a code: not worth a lookup */
    shop_db_t *db = shop_req_db(req);
    if (!db) return CODE_UNAVAILABLE;
    int limited = shop_req_throttled(req, db, "offercode", DISCOUNT_WINDOW, DISCOUNT_MAX_SESSION,
                                     DISCOUNT_MAX_ADDRESS);
    if (limited < 0) return CODE_UNAVAILABLE;
    if (limited) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0912) "shop %" APR_INT64_T_FMT
                      ": offer code attempts throttled", sf->shop_id);
        return CODE_THROTTLED;
    }
    shop_discount_set_t set;
    if (shop_discount_load(db, sf->shop_id, pool, &set) != 0) return CODE_UNAVAILABLE;
    int index = -1;
    const shop_discount_t *d = shop_offer_code_find(set.rules, set.nrules, code, req->now, &index);
    if (!d) {
        if (shop_offer_code_find(set.spent, set.nrules, code, req->now, &index)) return CODE_USED_UP;
        return CODE_UNKNOWN;
    }
    json_object *kept = kept_codes(req, sf, 1);
    if (kept_index(kept, d->codes[index].code) < 0) {
        /* the oldest goes when a cart keeps too many (each is one more rule to try) */
        if (json_object_array_length(kept) >= DISCOUNT_MAX_KEPT) json_object_array_del_idx(kept, 0, 1);
        json_object_array_add(kept, json_object_new_string(d->codes[index].code));
    }
    shop_checkout_changed(req);
    return CODE_OK;
}

static void remove_code(shop_req_t *req, const shop_storefront_t *sf, const char *typed)
{
    const char *code = shop_offer_code_clean(req->r->pool, typed);
    json_object *kept = kept_codes(req, sf, 0);
    int i = code ? kept_index(kept, code) : -1;
    if (i < 0) return;
    json_object_array_del_idx(kept, (size_t)i, 1);
    shop_checkout_changed(req);
}

/* The message key and the HTTP status of a refusal. */
static const char *refusal(code_result_t res, int *status, const char **api_code)
{
    switch (res) {
    case CODE_EMPTY:
        *status = HTTP_BAD_REQUEST;
        *api_code = "invalid_parameters";
        return "discount_error_required";
    case CODE_USED_UP:
        *status = HTTP_CONFLICT;
        *api_code = "offer_code_used_up";
        return "discount_error_used_up";
    case CODE_THROTTLED:
        *status = HTTP_TOO_MANY_REQUESTS;
        *api_code = "too_many_attempts";
        return "discount_error_throttled";
    default:
        *status = HTTP_BAD_REQUEST;
        *api_code = "offer_code_unknown";
        return "discount_error_unknown";
    }
}

static void retry_after(shop_req_t *req, code_result_t res)
{
    if (res == CODE_THROTTLED)
        apr_table_setn(req->r->err_headers_out, "Retry-After", apr_itoa(req->r->pool, DISCOUNT_WINDOW));
}

/* POST /api/v1/cart/discount-code {"code":"…"} */
static int api_add(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    json_object *v;
    const char *typed = NULL;
    if (req->json && json_object_object_get_ex(req->json, "code", &v) && json_object_is_type(v, json_type_string))
        typed = json_object_get_string(v);
    code_result_t res = apply(req, sf, typed);
    if (res == CODE_UNAVAILABLE) return shop_render_unavailable(req);
    if (res != CODE_OK) {
        int status;
        const char *api_code, *key = refusal(res, &status, &api_code);
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "code", json_object_new_string(key));
        retry_after(req, res);
        return shop_render_error(req, status, api_code, key, fields);
    }
    return shop_cart_api_answer(req, sf, HTTP_OK);
}

/* DELETE /api/v1/cart/discount-code/{code} (absent: nothing to do) */
static int api_remove(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    remove_code(req, sf, req->captures[0]);
    return shop_cart_api_answer(req, sf, HTTP_OK);
}

static int back_to(shop_req_t *req, const shop_storefront_t *sf)
{
    const char *back = shop_req_param(req, "back");
    return shop_redirect_local(req, back ? back : shop_cart_path(req, sf));
}

/* POST /cart/discount-code (form: code, shop, back) */
static int page_add(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    const char *typed = shop_req_param(req, "code");
    code_result_t res = apply(req, sf, typed);
    if (res == CODE_UNAVAILABLE) return shop_render_unavailable(req);
    if (res == CODE_OK) return back_to(req, sf);
    int status;
    const char *api_code, *key = refusal(res, &status, &api_code);
    retry_after(req, res);
    return shop_cart_page_render(req, sf, status, NULL, key, typed);
}

/* POST /cart/discount-code/remove (form: code, shop, back) */
static int page_remove(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    remove_code(req, sf, shop_req_param(req, "code"));
    return back_to(req, sf);
}

static const shop_param_t p_code_form[] = {
    { "code", SHOP_P_TEXT, 128 }, { "shop", SHOP_P_ID, 10 }, { "back", SHOP_P_LOCALPATH, 512 }, { NULL }
};
static const shop_param_t p_shop_only[] = {
    { "shop", SHOP_P_ID, 10 }, { NULL }
};

const shop_route_t shop_cart_discount_routes[] = {
    { "POST", "/cart/discount-code", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_code_form, page_add, 0 },
    { "POST", "/cart/discount-code/remove", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_code_form, page_remove, 0 },
    { "POST", "/api/v1/cart/discount-code", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 1024, p_shop_only, api_add,
      SHOP_ROUTE_API },
    { "DELETE", "/api/v1/cart/discount-code/{code}", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_NONE, 0, p_shop_only,
      api_remove, SHOP_ROUTE_API },
    { NULL }
};
