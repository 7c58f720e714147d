/* GET /pay/TRANSID: the placed order and how to pay it.  Offline modes show
 * their instructions (cheque payable to the seller, bank transfer details);
 * online gateways will add their forms here.  The transid is a 192-bit
 * bearer, and the page is shown only to the session that placed the order,
 * its Moodle owner, staff, or a signed link (web/bill_access.h): anyone else
 * gets the same 404 as an unknown id. */
#include "web/checkout.h"
#include "web/pages.h"
#include "web/render.h"

#include "httpd.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <apr_time.h>

#include "core/numbering.h"
#include "core/money.h"
#include "data/bill_repo.h"
#include "web/bill_access.h"
#include "web/settings.h"

static const char *const seller_settings[] = {
    "sellername", "sellerbillingaddress", "sellerbillingzip", "sellerbillingcity", "banking", "iban", "bic"
};
#define NSELLER (sizeof(seller_settings) / sizeof(seller_settings[0]))

static void seller_json(shop_req_t *req, json_object *data)
{
    json_object *seller = json_object_new_object();
    json_object_object_add(data, "seller", seller);
    for (size_t i = 0; i < NSELLER; i++)
        json_object_object_add(seller, seller_settings[i], json_object_new_string(shop_setting(req, seller_settings[i], "")));
}

static const char *money(shop_req_t *req, apr_int64_t v, const shop_currency_t *cur)
{
    return shop_money_pformat(req->r->pool, v, cur, shop_req_lang(req));
}

int shop_page_pay(shop_req_t *req)
{
    shop_bill_t *b = shop_bill_open_readable(req, req->captures[0], NULL);
    if (!b) return OK;

    const shop_currency_t *cur = shop_currency_get(b->currency);
    json_object *data = json_object_new_object(), *lines = json_object_new_array();
    json_object_object_add(data, "title", json_object_new_string(shop_req_text(req, "pay_title")));
    json_object_object_add(data, "order_number", json_object_new_string(shop_order_number(req->r->pool, b->id,
                                                                                          b->created_at)));
    json_object_object_add(data, "transid", json_object_new_string(b->transid));
    json_object_object_add(data, "status", json_object_new_string(b->status));
    char *status_key = apr_pstrcat(req->r->pool, "bill_status_", b->status, NULL);
    ap_str_tolower(status_key);
    json_object_object_add(data, "status_text", json_object_new_string(shop_req_text(req, status_key)));
    for (int i = 0; i < b->lines->nrows; i++) {
        json_object *l = json_object_new_object();
        json_object_object_add(l, "type", json_object_new_string(shop_rows_str(b->lines, i, 2)));
        json_object_object_add(l, "code", json_object_new_string(shop_rows_str(b->lines, i, 3)));
        json_object_object_add(l, "label", json_object_new_string(shop_rows_str(b->lines, i, 4)));
        json_object_object_add(l, "quantity", json_object_new_int64(shop_rows_i64(b->lines, i, 5, 0)));
        json_object_object_add(l, "unit_text", json_object_new_string(money(req, shop_rows_i64(b->lines, i, 6, 0), cur)));
        json_object_object_add(l, "untaxed_text", json_object_new_string(money(req, shop_rows_i64(b->lines, i, 7, 0), cur)));
        json_object_object_add(l, "total_text", json_object_new_string(money(req, shop_rows_i64(b->lines, i, 10, 0), cur)));
        json_object_array_add(lines, l);
    }
    json_object_object_add(data, "lines", lines);
    json_object_object_add(data, "untaxed_text", json_object_new_string(money(req, b->untaxed_minor, cur)));
    json_object_object_add(data, "taxes_text", json_object_new_string(money(req, b->taxes_minor, cur)));
    json_object_object_add(data, "shipping_text", b->shipping_minor ? json_object_new_string(money(req, b->shipping_minor, cur)) : NULL);
    json_object_object_add(data, "to_pay_text", json_object_new_string(money(req, b->to_pay_minor - b->paid_minor, cur)));
    const char *mode = b->paymode ? b->paymode : "freeorder";
    json_object_object_add(data, "paymode", json_object_new_string(mode));
    json_object_object_add(data, "paymode_label", json_object_new_string(
        shop_req_text(req, apr_pstrcat(req->r->pool, "paymode_", mode, NULL))));
    json_object_object_add(data, apr_pstrcat(req->r->pool, "pay_", mode, NULL), json_object_new_boolean(1));
    if (shop_settings_ready(req) != 0) return shop_render_unavailable(req);
    seller_json(req, data);
    return shop_render_page(req, HTTP_OK, "front/pay", data);
}
