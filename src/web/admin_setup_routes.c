/* Back-office routes of the setup area (see router.h for the columns): shops,
 * seller settings, taxes, shipping.  Form fields are whitelisted as text
 * with room to spare: the handlers check lengths and types themselves, so a
 * bad value is answered next to its field rather than by a bare 400.
 * Also the helpers the area's handlers share (admin_setup.h). */
#include "web/router.h"
#include "web/admin_setup.h"
#include "web/render.h"
#include "web/admin_form.h"
#include "web/log.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/currency.h"
#include "data/catalog_repo.h"
#include "data/setting_repo.h"

#define TXT(name, max) { name, SHOP_P_TEXT, max }

static const shop_param_t p_list[] = {
    { "page", SHOP_P_INT, 6 }, TXT("q", 255), { "saved", SHOP_P_INT, 1 }, { "deleted", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_saved[] = {
    { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_shop[] = {
    TXT("name", 1024), TXT("description", 65536), TXT("currency", 16), TXT("catalogue_id", 24),
    TXT("terms", 65536), TXT("tabbed", 8), TXT("navsteps", 1024), TXT("default_paymode", 64),
    TXT("paymode_check", 8), TXT("paymode_transfer", 8), TXT("paymode_funder", 8), TXT("paymode_mandate", 8),
    TXT("paymode_freeorder", 8), TXT("paymode_test", 8), TXT("paymode_paypal", 8), TXT("paymode_stripe", 8),
    TXT("paymode_systempay", 8), TXT("paymode_mercanet", 8), TXT("paymode_sherlocks", 8), TXT("paymode_ogone", 8),
    TXT("customer_org", 8), TXT("enduser_org", 8), TXT("enduser_mobile", 8), TXT("support_courseid", 24),
    TXT("enabled", 8), TXT("sortorder", 24), TXT("force_leaflet", 8), TXT("allow_tax", 8),
    TXT("invoice_series_id", 24), TXT("credit_series_id", 24), { NULL }
};
static const shop_param_t p_settings[] = {
    TXT("sellername", 1024), TXT("sellerlegalform", 1024), TXT("selleraddress", 1024), TXT("sellerzip", 256),
    TXT("sellercity", 1024), TXT("sellercountry", 64), TXT("sellerbillingaddress", 1024),
    TXT("sellerbillingzip", 256), TXT("sellerbillingcity", 1024), TXT("sellerbillingcountry", 64),
    TXT("sellermail", 1024), TXT("sellermailsupport", 1024), TXT("sellerphonesupport", 256), TXT("sellerID", 256),
    TXT("sellersiren", 256), TXT("sellersiret", 256), TXT("tvaeurope", 256), TXT("sellerrcs", 1024),
    TXT("sellerape", 256), TXT("sellertrainingdeclaration", 256), TXT("sellertrainingdeclarationtext", 8192),
    TXT("banking", 1024), TXT("bankcode", 256), TXT("bankoffice", 256), TXT("bankaccount", 256),
    TXT("bankaccountkey", 256), TXT("iban", 256), TXT("bic", 256),
    TXT("invoicepaymentterms", 8192), TXT("invoicelatepenalties", 8192), TXT("vatexemptionnote", 8192),
    TXT("useshipping", 8), TXT("useslavecatalogs", 8), TXT("userenewableproducts", 8),
    TXT("hideproductswhennotavailable", 8), TXT("presalenotification", 8), TXT("pdfenabled", 8),
    TXT("test", 8), TXT("testoverride", 8), TXT("anonymousofflinepayments", 8), TXT("defaultlanguage", 32), TXT("defaultcurrency", 16),
    TXT("defaultnavsteps", 1024), TXT("maxitemsperpage", 24), TXT("shortdescriptionthreshold", 24),
    TXT("stockholdminutes", 24), TXT("invoicepaymentdays", 24), { NULL }
};
static const shop_param_t p_tax[] = {
    TXT("title", 1024), TXT("country", 64), TXT("rate", 128), TXT("formula", 2048), TXT("exemption_note", 2048),
    { NULL }
};
static const shop_param_t p_shipping[] = {
    { "catalogue", SHOP_P_ID, 18 }, { "saved", SHOP_P_INT, 1 }, { "deleted", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_zone[] = {
    { "catalogue", SHOP_P_ID, 18 }, TXT("code", 64), TXT("description", 1024), TXT("bill_scope", 128),
    TXT("currency", 16), TXT("tax_id", 24), TXT("applicability", 4096), TXT("sortorder", 24), { NULL }
};
static const shop_param_t p_rules[] = {
    { "edit", SHOP_P_ID, 18 }, { "saved", SHOP_P_INT, 1 }, { "deleted", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_rule[] = {
    { "rule_id", SHOP_P_ID, 18 }, TXT("product_code", 256), TXT("value", 128), TXT("formula", 2048), TXT("a", 128), TXT("b", 128),
    TXT("c", 128), { NULL }
};

#define STAFF SHOP_ROLE_STAFF
#define FORM SHOP_BODY_FORM
#define NOBODY SHOP_BODY_NONE

const shop_route_t shop_admin_setup_routes[] = {
    { "GET",  "/admin/shops",             STAFF, 0, NOBODY, 0, p_list, shop_page_admin_shops, 0 },
    { "GET",  "/admin/shops/new",         STAFF, 0, NOBODY, 0, NULL, shop_page_admin_shop_new, 0 },
    { "POST", "/admin/shops/new",         STAFF, 1, FORM, 0, p_shop, shop_page_admin_shop_create, 0 },
    { "GET",  "/admin/shops/{id}",        STAFF, 0, NOBODY, 0, p_saved, shop_page_admin_shop_edit, 0 },
    { "POST", "/admin/shops/{id}",        STAFF, 1, FORM, 0, p_shop, shop_page_admin_shop_update, 0 },
    { "POST", "/admin/shops/{id}/delete", STAFF, 1, FORM, 0, NULL, shop_page_admin_shop_delete, 0 },

    { "GET",  "/admin/settings",          STAFF, 0, NOBODY, 0, p_saved, shop_page_admin_settings, 0 },
    { "POST", "/admin/settings",          STAFF, 1, FORM, 0, p_settings, shop_page_admin_settings_save, 0 },

    { "GET",  "/admin/taxes",             STAFF, 0, NOBODY, 0, p_list, shop_page_admin_taxes, 0 },
    { "GET",  "/admin/taxes/new",         STAFF, 0, NOBODY, 0, NULL, shop_page_admin_tax_new, 0 },
    { "POST", "/admin/taxes/new",         STAFF, 1, FORM, 0, p_tax, shop_page_admin_tax_create, 0 },
    { "GET",  "/admin/taxes/{id}",        STAFF, 0, NOBODY, 0, p_saved, shop_page_admin_tax_edit, 0 },
    { "POST", "/admin/taxes/{id}",        STAFF, 1, FORM, 0, p_tax, shop_page_admin_tax_update, 0 },
    { "POST", "/admin/taxes/{id}/delete", STAFF, 1, FORM, 0, NULL, shop_page_admin_tax_delete, 0 },

    { "GET",  "/admin/shipping",          STAFF, 0, NOBODY, 0, p_shipping, shop_page_admin_shipping, 0 },
    { "GET",  "/admin/shipping/zones/new", STAFF, 0, NOBODY, 0, p_shipping, shop_page_admin_zone_new, 0 },
    { "POST", "/admin/shipping/zones/new", STAFF, 1, FORM, 0, p_zone, shop_page_admin_zone_create, 0 },
    { "GET",  "/admin/shipping/zones/{id}", STAFF, 0, NOBODY, 0, p_saved, shop_page_admin_zone_edit, 0 },
    { "POST", "/admin/shipping/zones/{id}", STAFF, 1, FORM, 0, p_zone, shop_page_admin_zone_update, 0 },
    { "POST", "/admin/shipping/zones/{id}/delete", STAFF, 1, FORM, 0, NULL, shop_page_admin_zone_delete, 0 },
    { "GET",  "/admin/shipping/zones/{id}/rules", STAFF, 0, NOBODY, 0, p_rules, shop_page_admin_zone_rules, 0 },
    { "POST", "/admin/shipping/zones/{id}/rules", STAFF, 1, FORM, 0, p_rule, shop_page_admin_zone_rule_save, 0 },
    { "POST", "/admin/shipping/zones/{id}/rules/{rule}/delete", STAFF, 1, FORM, 0, NULL,
      shop_page_admin_zone_rule_delete, 0 },
    { NULL }
};

int shop_setup_unavailable(shop_req_t *req)
{
    return shop_render_unavailable(req);
}

int shop_setup_not_found(shop_req_t *req)
{
    return shop_render_not_found(req);
}

json_object *shop_setup_options(const char *const *values, const char *const *labels, int n,
                                const char *selected)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(values[i]));
        json_object_object_add(o, "label", json_object_new_string(labels && labels[i] ? labels[i] : values[i]));
        if (selected && strcmp(selected, values[i]) == 0)
            json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

json_object *shop_setup_currency_options(const char *selected)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < shop_currency_count(); i++) {
        const shop_currency_t *c = shop_currency_at(i);
        json_object *o = json_object_new_object();
        char label[96];
        apr_snprintf(label, sizeof(label), "%s — %s", c->code, c->name);
        json_object_object_add(o, "value", json_object_new_string(c->code));
        json_object_object_add(o, "label", json_object_new_string(label));
        if (selected && strcasecmp(selected, c->code) == 0)
            json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

void shop_setup_refused(shop_req_t *req, int status, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(1501) "%s %s refused (%d): %s",
                  req->r->method, req->path, status, what);
}

void shop_setup_changed(shop_req_t *req, const char *what, apr_int64_t id, const char *how)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(1502) "%s %" APR_INT64_T_FMT " %s by user %"
                  APR_INT64_T_FMT, what, id, how, shop_req_identity(req)->userid);
}

int shop_setup_bump(shop_req_t *req, apr_int64_t id)
{
    return id > 0 ? shop_catalog_bump(shop_req_db(req), id) : 0;
}

void shop_setup_publish(shop_req_t *req, apr_int64_t id)
{
    if (id > 0) shop_catalog_publish_versions(shop_req_db(req), req->rt->cache, id);
}

const char *shop_setup_default_currency(shop_req_t *req)
{
    const char *v = NULL;
    shop_db_t *db = shop_req_db(req);
    if (db && shop_setting_get(db, "defaultcurrency", &v) == 0 && shop_currency_get(v))
        return shop_currency_get(v)->code;
    return SHOP_CURRENCY_DEFAULT;
}

#define LIST_PER_PAGE_DEFAULT 30

void shop_setup_list(shop_req_t *req, json_object *data, const char *name, json_object *items,
                     const char *const *keys, const char *path)
{
    const char *q = shop_req_param(req, "q"), *per = NULL;
    json_object *kept = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        json_object *o = json_object_array_get_idx(items, i);
        int match = !q || !*q;
        for (const char *const *k = keys; !match && *k; k++) {
            const char *v = json_object_get_string(json_object_object_get(o, *k));
            if (v && strcasestr(v, q)) match = 1;
        }
        if (match) json_object_array_add(kept, json_object_get(o));
    }
    json_object_put(items);
    shop_db_t *db = shop_req_db(req);
    apr_int64_t per_page = LIST_PER_PAGE_DEFAULT;
    if (db && shop_setting_get(db, "maxitemsperpage", &per) == 0 && per && apr_atoi64(per) > 0)
        per_page = apr_atoi64(per);
    shop_pager_t pg = shop_pager_make(req, (apr_int64_t)json_object_array_length(kept), per_page);
    json_object *page = json_object_new_array();
    for (apr_int64_t i = pg.offset; i < pg.offset + pg.per_page && i < pg.total; i++)
        json_object_array_add(page, json_object_get(json_object_array_get_idx(kept, (size_t)i)));
    json_object_put(kept);
    const char *query = q && *q ? apr_pstrcat(req->r->pool, "q=", shop_url_escape(req->r->pool, q), NULL) : "";
    json_object_object_add(data, name, page);
    json_object_object_add(data, "pager", shop_pager_json(req, &pg, path, query));
    if (q) json_object_object_add(data, "q", json_object_new_string(q));
}
