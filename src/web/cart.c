/* The cart: kept in the shop session as {"carts": {"<shop id>": {CODE: quantity}}},
 * so it survives memcached restarts like the rest of the session.  Every
 * change is checked against the catalogue (core/cart.h); prices are always
 * computed here from the catalogue, never taken from the client.
 * HTML: GET /cart, POST /cart/add, /cart/update, /cart/clear, GET /cart/summary
 * (fragment), GET+POST /cart/prefill (links that fill a cart).
 * JSON: GET /api/v1/cart, PUT /api/v1/cart/items/CODE, DELETE /api/v1/cart.
 * Prices, discounts and shipping come from the quote (quote.h); offer codes
 * are handled in cart_discount.c. */
#include "web/cart.h"
#include "web/checkout.h"
#include "web/pages.h"
#include "web/quote.h"
#include "web/render.h"
#include "web/router.h"
#include "web/session.h"
#include "web/storefront.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/cart.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/mustache.h"
#include "core/pricing.h"

/* Lines with prices, discounts, shipping and totals, for the page and the
 * API: the quote (quote.h), the same that the order will charge.  NULL after
 * a database failure (the caller answers 503). */
static json_object *cart_view(shop_req_t *req, const shop_storefront_t *sf)
{
    shop_quote_t *q;
    if (shop_quote_cart(req, sf, &q) != 0) return NULL;
    return shop_quote_json(req, sf, q);
}

/* Set a line to `quantity` (0 removes it).  Returns the refusal, if any. */
static shop_cart_status_t set_line(shop_req_t *req, const shop_storefront_t *sf, const char *code, apr_int64_t quantity)
{
    json_object *cart = shop_cart_of(req, sf, 1);
    shop_session_t *s = shop_req_session(req);
    if (quantity == 0) {
        json_object_object_del(cart, code);
        shop_session_touch(s);
        return SHOP_CART_OK;
    }
    const shop_product_t *p = shop_catalog_product(sf->catalog, code);
    int present = json_object_object_get_ex(cart, code, NULL);
    shop_cart_status_t st = shop_cart_check(sf->catalog, p, quantity, shop_storefront_viewer(req),
                                            p && shop_passcode_unlocked(req, code),
                                            json_object_object_length(cart) - present);
    if (st != SHOP_CART_OK) return st;
    json_object *was;
    if (json_object_object_get_ex(cart, p->code, &was) && json_object_get_int64(was) == quantity)
        return SHOP_CART_OK;    /* nothing changes: no session write */
    /* the catalogue's own spelling of the code, not the client's */
    json_object_object_add(cart, p->code, json_object_new_int64(quantity));
    shop_session_touch(s);
    return SHOP_CART_OK;
}

static apr_int64_t quantity_in_cart(shop_req_t *req, const shop_storefront_t *sf, const char *code)
{
    json_object *cart = shop_cart_of(req, sf, 0), *q;
    return cart && json_object_object_get_ex(cart, code, &q) ? json_object_get_int64(q) : 0;
}

const char *shop_cart_path(shop_req_t *req, const shop_storefront_t *sf)
{
    return shop_storefront_path(req, sf, "/cart");
}

int shop_cart_page_render(shop_req_t *req, const shop_storefront_t *sf, int status, const char *error,
                          const char *code_error, const char *code_value)
{
    json_object *data = cart_view(req, sf);
    if (!data) return shop_render_unavailable(req);
    json_object_object_add(data, "title", json_object_new_string(shop_req_text(req, "cart_title")));
    json_object_object_add(data, "shop_id", json_object_new_int64(sf->shop_id));
    const char *checkout = shop_checkout_path(req, sf, "");
    /* "/checkout/" -> "/checkout": the entry that picks the first step to do */
    json_object_object_add(data, "checkout_path",
                           json_object_new_string(apr_pstrcat(req->r->pool, "/checkout",
                                                              checkout + strlen("/checkout/"), NULL)));
    if (error) json_object_object_add(data, "error", json_object_new_string(shop_req_text(req, error)));
    /* the offer-code form (partials/discount_code) */
    if (code_error) json_object_object_add(data, "discount_error", json_object_new_string(shop_req_text(req, code_error)));
    json_object_object_add(data, "discount_code", json_object_new_string(code_value ? code_value : ""));
    return shop_render_page(req, status, "front/cart", data);
}

static int cart_page(shop_req_t *req, const shop_storefront_t *sf, int status, shop_cart_status_t refused)
{
    return shop_cart_page_render(req, sf, status, refused != SHOP_CART_OK ? shop_cart_status_key(refused) : NULL,
                                 NULL, NULL);
}

int shop_cart_api_answer(shop_req_t *req, const shop_storefront_t *sf, int status)
{
    json_object *view = cart_view(req, sf);
    return view ? shop_render_json(req, status, view) : shop_render_unavailable(req);
}

static apr_int64_t int_param(shop_req_t *req, const char *name, apr_int64_t dflt)
{
    const char *v = shop_req_param(req, name);
    return v ? apr_atoi64(v) : dflt;
}

int shop_page_cart(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    return sf ? cart_page(req, sf, HTTP_OK, SHOP_CART_OK) : OK;
}

/* POST /cart/add: adds to what is already there. */
int shop_page_cart_add(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    const char *code = shop_req_param(req, "code");
    apr_int64_t more = int_param(req, "quantity", 1);
    if (!code) return cart_page(req, sf, HTTP_BAD_REQUEST, SHOP_CART_UNKNOWN);
    shop_cart_status_t st = more < 1 ? SHOP_CART_BAD_QUANTITY
                          : set_line(req, sf, code, quantity_in_cart(req, sf, code) + more);
    if (st != SHOP_CART_OK) return cart_page(req, sf, shop_cart_status_http(st), st);
    return shop_redirect_local(req, shop_cart_path(req, sf));
}

/* POST /cart/update: code, quantity (0 removes). */
int shop_page_cart_update(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    const char *code = shop_req_param(req, "code");
    apr_int64_t q = int_param(req, "quantity", -1);
    shop_cart_status_t st = !code ? SHOP_CART_UNKNOWN : q < 0 ? SHOP_CART_BAD_QUANTITY : set_line(req, sf, code, q);
    if (st != SHOP_CART_OK) return cart_page(req, sf, shop_cart_status_http(st), st);
    return shop_redirect_local(req, shop_cart_path(req, sf));
}

void shop_cart_empty(shop_req_t *req, const shop_storefront_t *sf)
{
    json_object *carts;
    shop_session_t *s = shop_req_session(req);
    if (json_object_object_get_ex(s->data, "carts", &carts)) {
        json_object_object_del(carts, apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, sf->shop_id));
        shop_session_touch(s);
    }
    shop_checkout_forget(req, sf);
}

int shop_page_cart_clear(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_cart_empty(req, sf);
    return shop_redirect_local(req, shop_cart_path(req, sf));
}

int shop_api_cart_get(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    return sf ? shop_cart_api_answer(req, sf, HTTP_OK) : OK;
}

/* PUT /api/v1/cart/items/CODE {"quantity": N}: N replaces the quantity, 0 removes. */
int shop_api_cart_put_item(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    apr_int64_t q = -1;
    json_object *v;
    if (json_object_object_get_ex(req->json, "quantity", &v) && json_object_is_type(v, json_type_int))
        q = json_object_get_int64(v);
    if (q < 0) {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "quantity", json_object_new_string("cart_error_quantity"));
        return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_parameters", "error_400_message", fields);
    }
    shop_cart_status_t st = set_line(req, sf, req->captures[0], q);
    if (st != SHOP_CART_OK) {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "quantity", json_object_new_string(shop_cart_status_key(st)));
        return shop_render_error(req, shop_cart_status_http(st), shop_cart_status_code(st),
                                 shop_cart_status_key(st), fields);
    }
    return shop_cart_api_answer(req, sf, HTTP_OK);
}

int shop_api_cart_delete(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_cart_empty(req, sf);
    return shop_cart_api_answer(req, sf, HTTP_OK);
}

/* GET /cart/summary: a small HTML fragment (item count and total) for the
 * page header or a Moodle block. */
int shop_page_cart_summary(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    json_object *data = cart_view(req, sf);
    if (!data) return shop_render_unavailable(req);
    apr_int64_t count = 0;
    json_object *lines, *totals, *line, *q;
    json_object_object_get_ex(data, "lines", &lines);
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        line = json_object_array_get_idx(lines, i);
        if (!json_object_object_get_ex(line, "problem", NULL) && json_object_object_get_ex(line, "quantity", &q))
            count += json_object_get_int64(q);
    }
    json_object_object_add(data, "count", json_object_new_int64(count));
    json_object_object_add(data, "has_items", json_object_new_boolean(count > 0));   /* 0 is truthy in Mustache */
    json_object_object_get_ex(data, "totals", &totals);
    shop_json_own(req->r->pool, data);
    const char *out;
    apr_size_t len;
    json_object *layers[] = { shop_i18n_context(req->rt->i18n, shop_req_lang(req)), data };
    json_object_object_add(data, "base", json_object_new_string(req->conf->public_path));
    if (shop_tpl_render_layers(req->rt->templates, "front/cart_summary", layers, 2, req->r->pool, &out, &len) != APR_SUCCESS)
        return shop_render_error(req, HTTP_INTERNAL_SERVER_ERROR, "internal", "error_500_message", NULL);
    return shop_send_html(req, HTTP_OK, out, len);
}

/* Prefill links (`/cart/prefill?CODE=2&OTHER=1&partner=KEY`) come from mails
 * and partner sites: adding to a cart is a state change, so the link shows
 * what it would add and the shopper confirms with a POST (CSRF). */
typedef struct prefill_item {
    const char *code;
    apr_int64_t quantity;
} prefill_item_t;

#define PREFILL_MAX_ITEMS 20

static apr_array_header_t *prefill_items(shop_req_t *req, const char **partner)
{
    apr_array_header_t *items = apr_array_make(req->r->pool, 4, sizeof(prefill_item_t));
    apr_table_t *args = NULL;
    const char *error;
    *partner = NULL;
    if (!req->r->args || shop_form_parse(req->r->pool, req->r->args, strlen(req->r->args), &args, &error) != APR_SUCCESS)
        return items;
    static const shop_param_t code = { "code", SHOP_P_CODE, 32 }, qty = { "q", SHOP_P_ID, 4 },
                              key = { "partner", SHOP_P_TOKEN, 64 };
    const apr_array_header_t *entries = apr_table_elts(args);
    for (int i = 0; i < entries->nelts && items->nelts < PREFILL_MAX_ITEMS; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(entries, i, apr_table_entry_t);
        if (!strcmp(e->key, "partner")) {
            if (!shop_param_check(&key, e->val)) *partner = e->val;
        } else if (strcmp(e->key, "shop") && !shop_param_check(&code, e->key) && !shop_param_check(&qty, e->val)) {
            prefill_item_t *it = apr_array_push(items);
            it->code = e->key;
            it->quantity = apr_atoi64(e->val);
        }
    }
    return items;
}

int shop_page_cart_prefill(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    const char *partner;
    apr_array_header_t *items = prefill_items(req, &partner);
    json_object *list = json_object_new_array();
    for (int i = 0; i < items->nelts; i++) {
        const prefill_item_t *it = &APR_ARRAY_IDX(items, i, prefill_item_t);
        const shop_product_t *p = shop_catalog_product(sf->catalog, it->code);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "code", json_object_new_string(it->code));
        json_object_object_add(o, "name", json_object_new_string(p ? p->name : it->code));
        json_object_object_add(o, "quantity", json_object_new_int64(it->quantity));
        json_object_array_add(list, o);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "items", list);
    json_object_object_add(data, "has_items", json_object_new_boolean(items->nelts > 0));
    json_object_object_add(data, "shop_id", json_object_new_int64(sf->shop_id));
    /* the confirmation posts back what was understood, not the raw link */
    const char *query = "";
    for (int i = 0; i < items->nelts; i++) {
        const prefill_item_t *it = &APR_ARRAY_IDX(items, i, prefill_item_t);
        query = apr_psprintf(req->r->pool, "%s%s%s=%" APR_INT64_T_FMT, query, i ? "&" : "", it->code, it->quantity);
    }
    if (partner) query = apr_pstrcat(req->r->pool, query, "&partner=", partner, NULL);
    query = apr_psprintf(req->r->pool, "%s&shop=%" APR_INT64_T_FMT, query, sf->shop_id);
    json_object_object_add(data, "query", json_object_new_string(query));
    json_object_object_add(data, "partner", shop_json_string_or_null(partner));
    json_object_object_add(data, "title", json_object_new_string(shop_req_text(req, "cart_prefill_title")));
    return shop_render_page(req, items->nelts ? HTTP_OK : HTTP_BAD_REQUEST, "front/cart_prefill", data);
}

/* POST /cart/prefill?…: add every item that may be added; the partner key is
 * kept in the session for the bill. */
int shop_page_cart_prefill_apply(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    const char *partner;
    apr_array_header_t *items = prefill_items(req, &partner);
    shop_cart_status_t refused = SHOP_CART_OK;
    for (int i = 0; i < items->nelts; i++) {
        const prefill_item_t *it = &APR_ARRAY_IDX(items, i, prefill_item_t);
        shop_cart_status_t st = set_line(req, sf, it->code, quantity_in_cart(req, sf, it->code) + it->quantity);
        if (st != SHOP_CART_OK && refused == SHOP_CART_OK) refused = st;
    }
    if (partner) {
        shop_session_t *s = shop_req_session(req);
        json_object_object_add(s->data, "partner", json_object_new_string(partner));
        shop_session_touch(s);
    }
    if (refused != SHOP_CART_OK) return cart_page(req, sf, shop_cart_status_http(refused), refused);
    return shop_redirect_local(req, "/cart");
}
