/* Purchase passcodes: a product with a passcode can only be bought once the
 * shopper typed the right code.  The code is checked on the server against
 * its stored hash, attempts are limited per session and per address, and a
 * success is remembered in the shop session ("passcodes": {CODE: true}). */
#include "web/pages.h"
#include "web/render.h"
#include "web/throttle.h"
#include "web/session.h"
#include "web/storefront.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>

#include "core/passcode.h"

#define PASSCODE_WINDOW        900     /* seconds */
#define PASSCODE_MAX_SESSION   5       /* attempts per session and window */
#define PASSCODE_MAX_ADDRESS   30      /* attempts per client address and window */

int shop_passcode_unlocked(shop_req_t *req, const char *code)
{
    json_object *codes, *flag;
    shop_session_t *s = shop_req_session(req);
    return json_object_object_get_ex(s->data, "passcodes", &codes)
        && json_object_object_get_ex(codes, code, &flag) && json_object_get_boolean(flag);
}

/* PASS_ANSWERED: an error answer was already sent (unknown shop, no database). */
typedef enum { PASS_OK, PASS_WRONG, PASS_THROTTLED, PASS_NO_PRODUCT, PASS_UNAVAILABLE, PASS_ANSWERED } pass_result_t;

static pass_result_t check(shop_req_t *req, const char *code, const char *given)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return PASS_ANSWERED;
    const shop_product_t *p = shop_catalog_product(sf->catalog, code);
    if (!p || !p->has_passcode || !shop_catalog_visible(p, shop_storefront_viewer(req))) return PASS_NO_PRODUCT;
    shop_db_t *db = shop_req_db(req);
    const char *hash = NULL;
    int limited = db ? shop_req_throttled(req, db, "passcode", PASSCODE_WINDOW, PASSCODE_MAX_SESSION,
                                          PASSCODE_MAX_ADDRESS) : -1;
    if (limited < 0 || shop_catalog_passcode_hash(db, p->id, &hash) != 0) return PASS_UNAVAILABLE;
    if (limited) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0901) "passcode attempts for %s throttled", code);
        return PASS_THROTTLED;
    }
    if (!given || !hash || !shop_passcode_verify(hash, given)) return PASS_WRONG;

    shop_session_t *s = shop_req_session(req);
    json_object *codes;
    if (!json_object_object_get_ex(s->data, "passcodes", &codes)) {
        codes = json_object_new_object();
        json_object_object_add(s->data, "passcodes", codes);
    }
    json_object_object_add(codes, code, json_object_new_boolean(1));
    shop_session_touch(s);
    return PASS_OK;
}

static int refuse(shop_req_t *req, pass_result_t res)
{
    switch (res) {
    case PASS_THROTTLED:
        apr_table_setn(req->r->err_headers_out, "Retry-After", apr_itoa(req->r->pool, PASSCODE_WINDOW));
        return shop_render_error(req, HTTP_TOO_MANY_REQUESTS, "too_many_attempts", "error_too_many_attempts", NULL);
    case PASS_NO_PRODUCT:
        return shop_render_error(req, HTTP_NOT_FOUND, "product_not_found", "error_product_not_found", NULL);
    case PASS_ANSWERED:
        return OK;
    case PASS_UNAVAILABLE:
        return shop_render_unavailable(req);
    default: {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "passcode", json_object_new_string("error_passcode_wrong"));
        return shop_render_error(req, HTTP_FORBIDDEN, "passcode_wrong", "error_passcode_wrong", fields);
    }
    }
}

/* POST /api/v1/products/{code}/passcode {"passcode":"…"} */
int shop_api_passcode(shop_req_t *req)
{
    json_object *v;
    const char *given = req->json && json_object_object_get_ex(req->json, "passcode", &v)
                        && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    pass_result_t res = check(req, req->captures[0], given);
    if (res != PASS_OK) return refuse(req, res);
    json_object *body = json_object_new_object();
    json_object_object_add(body, "passed", json_object_new_boolean(1));
    return shop_render_json(req, HTTP_OK, body);
}

/* POST /product/{code}/passcode (form: passcode, back) */
int shop_page_passcode(shop_req_t *req)
{
    pass_result_t res = check(req, req->captures[0], shop_req_param(req, "passcode"));
    if (res != PASS_OK) return refuse(req, res);
    const char *back = shop_req_param(req, "back");
    return shop_redirect_local(req, back ? back : apr_pstrcat(req->r->pool, "/product/", req->captures[0], NULL));
}
