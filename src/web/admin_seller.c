/* Back office settings: the seller's identity, bank details, invoice texts
 * and the shop-wide options, stored in `{shop}setting` under local_shop's
 * names (reference §10; sql/demo/shop_settings.sql).  One form, checked
 * field by field with core/validate.h (e-mail, country, SIREN, SIRET, EU
 * VAT number, IBAN, BIC: normalised, then stored in their compact form).  The seller logo has its own page (/admin/settings/logo). */
#include "web/admin_setup.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/settings.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/currency.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "data/setting_repo.h"

typedef enum {
    K_TEXT, K_MULTI, K_EMAIL, K_COUNTRY, K_SIREN, K_SIRET, K_VAT, K_IBAN, K_BIC,
    K_PHONE, K_FLAG, K_INT, K_LANG, K_CURRENCY, K_NAVSTEPS, K_MINUTES
} kind_t;

typedef struct {
    const char *name;          /* form field = setting name (except K_MINUTES) */
    const char *label;         /* string key */
    kind_t kind;
    int group;                 /* index in groups[] */
    int required;
    apr_size_t maxlen;
    apr_int64_t min, max;      /* K_INT, K_MINUTES */
    const char *setting;       /* K_MINUTES: the setting, in seconds */
} spec_t;

static const char *const groups[] = {
    "setup_set_group_identity", "setup_set_group_bank", "setup_set_group_invoice", "setup_set_group_options"
};

static const spec_t specs[] = {
    { "sellername", "setup_set_sellername", K_TEXT, 0, 1, 255, 0, 0, NULL },
    { "sellerlegalform", "setup_set_sellerlegalform", K_TEXT, 0, 0, 255, 0, 0, NULL },
    { "selleraddress", "setup_set_selleraddress", K_TEXT, 0, 0, 255, 0, 0, NULL },
    { "sellerzip", "setup_set_sellerzip", K_TEXT, 0, 0, 16, 0, 0, NULL },
    { "sellercity", "setup_set_sellercity", K_TEXT, 0, 0, 128, 0, 0, NULL },
    { "sellercountry", "setup_set_sellercountry", K_COUNTRY, 0, 0, 2, 0, 0, NULL },
    { "sellerbillingaddress", "setup_set_sellerbillingaddress", K_TEXT, 0, 0, 255, 0, 0, NULL },
    { "sellerbillingzip", "setup_set_sellerbillingzip", K_TEXT, 0, 0, 16, 0, 0, NULL },
    { "sellerbillingcity", "setup_set_sellerbillingcity", K_TEXT, 0, 0, 128, 0, 0, NULL },
    { "sellerbillingcountry", "setup_set_sellerbillingcountry", K_COUNTRY, 0, 0, 2, 0, 0, NULL },
    { "sellermail", "setup_set_sellermail", K_EMAIL, 0, 0, 254, 0, 0, NULL },
    { "sellermailsupport", "setup_set_sellermailsupport", K_EMAIL, 0, 0, 254, 0, 0, NULL },
    { "sellerphonesupport", "setup_set_sellerphonesupport", K_PHONE, 0, 0, 32, 0, 0, NULL },
    { "sellerID", "setup_set_sellerid", K_TEXT, 0, 0, 64, 0, 0, NULL },
    { "sellersiren", "setup_set_sellersiren", K_SIREN, 0, 0, 16, 0, 0, NULL },
    { "sellersiret", "setup_set_sellersiret", K_SIRET, 0, 0, 20, 0, 0, NULL },
    { "tvaeurope", "setup_set_tvaeurope", K_VAT, 0, 0, 20, 0, 0, NULL },
    { "sellerrcs", "setup_set_sellerrcs", K_TEXT, 0, 0, 128, 0, 0, NULL },
    { "sellerape", "setup_set_sellerape", K_TEXT, 0, 0, 8, 0, 0, NULL },
    { "sellertrainingdeclaration", "setup_set_sellertrainingdeclaration", K_TEXT, 0, 0, 32, 0, 0, NULL },
    { "sellertrainingdeclarationtext", "setup_set_sellertrainingdeclarationtext", K_MULTI, 0, 0, 2000, 0, 0, NULL },
    { "banking", "setup_set_banking", K_TEXT, 1, 0, 255, 0, 0, NULL },
    { "bankcode", "setup_set_bankcode", K_TEXT, 1, 0, 16, 0, 0, NULL },
    { "bankoffice", "setup_set_bankoffice", K_TEXT, 1, 0, 16, 0, 0, NULL },
    { "bankaccount", "setup_set_bankaccount", K_TEXT, 1, 0, 32, 0, 0, NULL },
    { "bankaccountkey", "setup_set_bankaccountkey", K_TEXT, 1, 0, 8, 0, 0, NULL },
    { "iban", "setup_set_iban", K_IBAN, 1, 0, 48, 0, 0, NULL },
    { "bic", "setup_set_bic", K_BIC, 1, 0, 16, 0, 0, NULL },
    { "invoicepaymentterms", "setup_set_invoicepaymentterms", K_MULTI, 2, 0, 2000, 0, 0, NULL },
    { "invoicelatepenalties", "setup_set_invoicelatepenalties", K_MULTI, 2, 0, 2000, 0, 0, NULL },
    { "vatexemptionnote", "setup_set_vatexemptionnote", K_MULTI, 2, 0, 2000, 0, 0, NULL },
    { "invoicepaymentdays", "setup_set_invoicepaymentdays", K_INT, 2, 0, 0, 0, 365, NULL },
    { "useshipping", "setup_set_useshipping", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "useslavecatalogs", "setup_set_useslavecatalogs", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "userenewableproducts", "setup_set_userenewableproducts", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "hideproductswhennotavailable", "setup_set_hideproductswhennotavailable", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "presalenotification", "setup_set_presalenotification", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "pdfenabled", "setup_set_pdfenabled", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "test", "setup_set_test", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "testoverride", "setup_set_testoverride", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "anonymousofflinepayments", "setup_set_anonymousofflinepayments", K_FLAG, 3, 0, 0, 0, 0, NULL },
    { "defaultlanguage", "setup_set_defaultlanguage", K_LANG, 3, 0, 16, 0, 0, NULL },
    { "defaultcurrency", "setup_set_defaultcurrency", K_CURRENCY, 3, 1, 3, 0, 0, NULL },
    { "defaultnavsteps", "setup_set_defaultnavsteps", K_NAVSTEPS, 3, 1, 255, 0, 0, NULL },
    { "maxitemsperpage", "setup_set_maxitemsperpage", K_INT, 3, 1, 0, 1, 1000, NULL },
    { "shortdescriptionthreshold", "setup_set_shortdescriptionthreshold", K_INT, 3, 1, 0, 0, 100000, NULL },
    { "stockholdminutes", "setup_set_stockholdminutes", K_MINUTES, 3, 1, 0, 1, 525600, "stockholdseconds" },
};
#define NSPECS ((int)(sizeof(specs) / sizeof(specs[0])))

static const char *const languages[] = { "en", "fr" };
static const char *const language_names[] = { "English", "Français" };

/* validate.h's keys are shown under this area's own names ("setup_" + key),
 * so another area defining the same keys cannot clash with ours. */
static const char *checked(shop_req_t *req, shop_form_t *f, const spec_t *s, const char *v, const char *key)
{
    if (!key) return v;
    shop_form_error(f, s->name, apr_pstrcat(req->r->pool, "setup_", key, NULL), NULL);
    return NULL;
}

/* ---- page */

static int settings_page(shop_req_t *req, int status, shop_form_t *f)
{
    json_object *form = shop_form_json(f);
    json_object *values = json_object_object_get(form, "values"), *errors = json_object_object_get(form, "errors");
    const char *lang = shop_req_lang(req);
    json_object *gs = json_object_new_array();
    for (int g = 0; g < (int)(sizeof(groups) / sizeof(groups[0])); g++) {
        json_object *go = json_object_new_object(), *fields = json_object_new_array();
        json_object_object_add(go, "legend", json_object_new_string(shop_i18n_get(req->rt->i18n, lang, groups[g])));
        for (int i = 0; i < NSPECS; i++) {
            const spec_t *s = &specs[i];
            if (s->group != g) continue;
            json_object *o = json_object_new_object(), *v = json_object_object_get(values, s->name);
            const char *val = v ? json_object_get_string(v) : "";
            json_object_object_add(o, "name", json_object_new_string(s->name));
            json_object_object_add(o, "label", json_object_new_string(shop_i18n_get(req->rt->i18n, lang, s->label)));
            json_object_object_add(o, "value", json_object_new_string(val));
            json_object *e = json_object_object_get(errors, s->name);
            if (e) json_object_object_add(o, "error", json_object_get(e));
            if (s->required) json_object_object_add(o, "required", json_object_new_boolean(1));
            const char *type = s->kind == K_MULTI ? "is_multi" : s->kind == K_FLAG ? "is_flag"
                             : (s->kind == K_LANG || s->kind == K_CURRENCY) ? "is_select" : "is_text";
            json_object_object_add(o, type, json_object_new_boolean(1));
            if (s->kind == K_FLAG && v && strcmp(val, "0") != 0 && *val)
                json_object_object_add(o, "checked", json_object_new_boolean(1));
            if (s->kind == K_LANG) {
                /* "" first: no site language, ShopLanguage decides */
                const char *vs[] = { "", languages[0], languages[1] };
                const char *ls[] = { shop_i18n_get(req->rt->i18n, lang, "setup_set_language_auto"),
                                     language_names[0], language_names[1] };
                json_object_object_add(o, "options", shop_setup_options(vs, ls, 3, val));
            }
            if (s->kind == K_CURRENCY) json_object_object_add(o, "options", shop_setup_currency_options(val));
            if (s->maxlen && s->kind != K_FLAG)
                json_object_object_add(o, "maxlength", json_object_new_int((int)s->maxlen));
            json_object_array_add(fields, o);
        }
        json_object_object_add(go, "fields", fields);
        json_object_array_add(gs, go);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "groups", gs);
    json_object_object_add(data, "has_errors", json_object_new_boolean(shop_form_has_errors(f)));
    if (status == HTTP_OK && shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    json_object_put(form);
    return shop_render_page(req, status, "admin/settings", data);
}

int shop_page_admin_settings(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_setup_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    for (int i = 0; i < NSPECS; i++) {
        const char *v = NULL;
        if (shop_setting_get(db, specs[i].setting ? specs[i].setting : specs[i].name, &v) != 0)
            return shop_setup_unavailable(req);
        if (v && specs[i].kind == K_MINUTES) v = apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, apr_atoi64(v) / 60);
        shop_form_value(f, specs[i].name, v ? v : "");
    }
    return settings_page(req, HTTP_OK, f);
}

/* One field: the value to store, or NULL after an error. */
static const char *read_field(shop_req_t *req, shop_form_t *f, const spec_t *s)
{
    apr_pool_t *pool = req->r->pool;
    apr_int64_t n;
    const char *v, *c;
    switch (s->kind) {
    case K_FLAG:
        return shop_form_checkbox(f, s->name) ? (shop_form_value(f, s->name, "1"), "1") : "0";
    case K_INT:
        return shop_form_int(f, s->name, s->required, s->min, s->max, 0, &n) == 0 ? shop_db_i64(pool, n) : NULL;
    case K_MINUTES:
        return shop_form_int(f, s->name, s->required, s->min, s->max, 0, &n) == 0 ? shop_db_i64(pool, n * 60) : NULL;
    case K_NAVSTEPS:
        return shop_setup_navsteps(req, f, s->name, s->required);
    case K_MULTI:
        return shop_form_text(f, s->name, s->required, s->maxlen, 1);
    default:
        break;
    }
    v = shop_form_text(f, s->name, s->required, s->maxlen, 0);
    if (!v || !*v) return v;
    switch (s->kind) {
    case K_EMAIL:
        return checked(req, f, s, v, shop_validate_email(v));
    case K_PHONE:
        return checked(req, f, s, v, shop_validate_phone(v));
    case K_COUNTRY:
        c = shop_code_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_country(c));
    case K_SIREN:
        c = shop_code_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_siren(c));
    case K_SIRET:
        c = shop_code_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_siret(c));
    case K_VAT:
        c = shop_vat_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_vat(c));
    case K_IBAN:
        c = shop_code_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_iban(c));
    case K_BIC:
        c = shop_code_normalise(pool, v);
        return checked(req, f, s, c, shop_validate_bic(c));
    case K_CURRENCY:
        if (!shop_currency_get(v)) {
            shop_form_error(f, s->name, "setup_error_currency", NULL);
            return NULL;
        }
        return shop_currency_get(v)->code;
    case K_LANG:
        if (!shop_i18n_has_lang(req->rt->i18n, v)) {
            shop_form_error(f, s->name, "setup_error_language", NULL);
            return NULL;
        }
        return v;
    default:
        return v;
    }
}

/* A postcode is checked against the country given next to it. */
static void postcodes(shop_req_t *req, shop_form_t *f, const spec_t *s, const char **vals)
{
    static const char *const pairs[][2] = { { "sellerzip", "sellercountry" },
                                            { "sellerbillingzip", "sellerbillingcountry" } };
    for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
        int zi = -1, ci = -1;
        for (int i = 0; i < NSPECS; i++) {
            if (strcmp(s[i].name, pairs[p][0]) == 0) zi = i;
            if (strcmp(s[i].name, pairs[p][1]) == 0) ci = i;
        }
        if (zi < 0 || ci < 0 || !vals[zi] || !*vals[zi] || !vals[ci] || !*vals[ci]) continue;
        const char *key = shop_validate_postcode(vals[ci], vals[zi]);
        if (key) {
            shop_form_error(f, s[zi].name, apr_pstrcat(req->r->pool, "setup_", key, NULL), NULL);
            vals[zi] = NULL;
        }
    }
}

int shop_page_admin_settings_save(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_setup_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    const char *vals[NSPECS];
    for (int i = 0; i < NSPECS; i++) vals[i] = read_field(req, f, &specs[i]);
    postcodes(req, f, specs, vals);
    if (shop_form_has_errors(f)) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid settings");
        return settings_page(req, HTTP_BAD_REQUEST, f);
    }
    int rv = shop_db_begin(db);
    for (int i = 0; rv == 0 && i < NSPECS; i++)
        rv = shop_setting_set(db, specs[i].setting ? specs[i].setting : specs[i].name, vals[i] ? vals[i] : "",
                              req->now);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_changed(req, "settings", 0, "saved");
    shop_settings_forget(req);     /* this child at once, the others within SHOP_SETTINGS_TTL */
    return shop_redirect_local(req, "/admin/settings?saved=1");
}
