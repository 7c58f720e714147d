/* The customer step's HTML form (checkout_customer.h): one descriptor per
 * field for the template (label, value, error next to it, autocomplete), the
 * country list in the shopper's language, the login link. */
#include "web/checkout_customer.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_strings.h>
#include <apr_lib.h>
#include <stdlib.h>

#include "core/validate.h"

/* Countries with a name in templates/lang/<lang>/countries.json: the EU, the
 * EEA, Switzerland, the UK, North America, the French overseas departments
 * and territories and francophone countries.  Without a catalogue
 * restriction the form lists these; the API accepts any assigned code. */
static const char *const offered[] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    "IS", "LI", "NO", "CH", "GB", "MC", "AD", "US", "CA",
    "GP", "MQ", "GF", "RE", "YT", "NC", "PF",
    "MA", "TN", "DZ", "SN", "CI", "CM", "BJ", "ML", "NE", "TG", "GA", "CG", "CD", "MG", "MU", "HT", "LB",
    NULL
};

typedef struct country {
    const char *code, *name, *key;
} country_t;

/* Latin letters with their accents taken off, lower case: "Émirats" sorts
 * with the E. */
static const char *fold(apr_pool_t *p, const char *s)
{
    static const char lat1[65] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts" "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == 0xC3 && c[1] >= 0x80 && c[1] <= 0xBF) *o++ = lat1[*++c - 0x80];
        else *o++ = (char)apr_tolower(*c);
    }
    *o = '\0';
    return out;
}

static int by_name(const void *a, const void *b)
{
    const country_t *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : strcmp(x->code, y->code);
}

static const char *country_name(shop_req_t *req, const char *code)
{
    return shop_i18n_label(req->rt->i18n, req->r->pool, shop_req_lang(req), "country_", code);
}

/* The catalogue's countries (or ours), plus the values already chosen. */
static json_object *country_options(shop_req_t *req, const shop_storefront_t *sf, const char *selected)
{
    apr_pool_t *p = req->r->pool;
    apr_array_header_t *codes = apr_array_make(p, 64, sizeof(const char *));
    if (sf->countries && *sf->countries) {
        char *list = apr_pstrdup(p, sf->countries), *last = NULL;
        for (char *tok = apr_strtok(list, ", \t", &last); tok; tok = apr_strtok(NULL, ", \t", &last)) {
            for (char *c = tok; *c; c++) *c = (char)apr_toupper(*c);
            if (!shop_validate_country(tok)) APR_ARRAY_PUSH(codes, const char *) = tok;
        }
    }
    if (!codes->nelts)
        for (const char *const *c = offered; *c; c++) APR_ARRAY_PUSH(codes, const char *) = *c;
    int found = 0;
    for (int i = 0; i < codes->nelts; i++) found |= !strcmp(APR_ARRAY_IDX(codes, i, const char *), selected);
    if (!found && *selected && !shop_validate_country(selected)) APR_ARRAY_PUSH(codes, const char *) = selected;

    country_t *list = apr_pcalloc(p, sizeof(*list) * codes->nelts);
    int n = 0;
    for (int i = 0; i < codes->nelts; i++) {
        const char *code = APR_ARRAY_IDX(codes, i, const char *);
        int dup = 0;
        for (int j = 0; j < n; j++) dup |= !strcmp(list[j].code, code);
        if (dup) continue;
        list[n].code = code;
        list[n].name = country_name(req, code);
        list[n].key = fold(p, list[n].name);
        n++;
    }
    qsort(list, n, sizeof(*list), by_name);
    json_object *options = json_object_new_array();
    json_object *none = json_object_new_object();
    json_object_object_add(none, "code", json_object_new_string(""));
    json_object_object_add(none, "name", json_object_new_string(shop_req_text(req, "customer_country_choose")));
    json_object_object_add(none, "selected", json_object_new_boolean(!*selected));
    json_object_array_add(options, none);
    for (int i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "code", json_object_new_string(list[i].code));
        json_object_object_add(o, "name", json_object_new_string(list[i].name));
        json_object_object_add(o, "selected", json_object_new_boolean(!strcmp(list[i].code, selected)));
        json_object_array_add(options, o);
    }
    return options;
}

/* The kinds of buyer (customer_form.h), "" first: told by the organisation. */
static json_object *buyer_type_options(shop_req_t *req, const char *selected)
{
    static const char *const kinds[] = { "", "individual", "business", "public", NULL };
    json_object *options = json_object_new_array();
    for (const char *const *k = kinds; *k; k++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "code", json_object_new_string(*k));
        json_object_object_add(o, "name", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "customer_buyer_type_", **k ? *k : "unset", NULL))));
        json_object_object_add(o, "selected", json_object_new_boolean(!strcmp(*k, selected)));
        json_object_array_add(options, o);
    }
    return options;
}

typedef struct field_spec {
    const char *name, *type, *autocomplete;
    int maxlength;
} field_spec_t;

static const field_spec_t specs[] = {
    { "firstname", "text", "given-name", SHOP_PERSON_NAME_MAX },
    { "lastname", "text", "family-name", SHOP_PERSON_NAME_MAX },
    { "email", "email", "email", SHOP_EMAIL_MAX },
    { "organisation", "text", "organization", SHOP_CUSTOMER_ORG_MAX },
    { "department", "text", "off", SHOP_CUSTOMER_DEPT_MAX },
    { "address", "text", "address-line1", SHOP_CUSTOMER_ADDRESS_MAX },
    { "zip", "text", "postal-code", SHOP_CUSTOMER_ZIP_MAX },
    { "city", "text", "address-level2", SHOP_CUSTOMER_CITY_MAX },
    { "country", NULL, "country", 2 },
    { "phone", "tel", "tel", 32 },
    { "vat_number", "text", "off", 20 },
    { "buyer_type", NULL, "off", 10 },
    { "siren", "text", "off", 11 },
    { "engagement_number", "text", "off", SHOP_CUSTOMER_ENGAGEMENT_MAX },
    { "service_code", "text", "off", SHOP_CUSTOMER_SERVICE_CODE_MAX },
    { NULL, NULL, NULL, 0 }
};

static const field_spec_t *spec_of(const char *name)
{
    for (const field_spec_t *s = specs; s->name; s++)
        if (!strcmp(s->name, name)) return s;
    return NULL;
}

typedef struct view {
    shop_req_t *req;
    const shop_storefront_t *sf;
    const apr_array_header_t *errors;
    int any_error, needs_shipping;
} view_t;

/* The help under a field, or NULL: the address rule depends on the cart. */
static const char *help_of(view_t *v, const char *section, const char *name, int readonly)
{
    apr_pool_t *p = v->req->r->pool;
    if (readonly && !strcmp(name, "email")) return shop_req_text(v->req, "customer_help_email_locked");
    if (!strcmp(section, "customer") && !strcmp(name, "address"))
        return shop_req_text(v->req, v->needs_shipping ? "customer_help_address_shipping" : "customer_help_address_invoicing");
    const char *key = apr_pstrcat(p, "customer_help_", section, "_", name, NULL);
    const char *help = shop_req_text(v->req, key);
    return strcmp(help, key) ? help : NULL;
}

static json_object *field_json(view_t *v, const char *section, const char *name, const char *value, int required,
                               int readonly)
{
    apr_pool_t *p = v->req->r->pool;
    const field_spec_t *s = spec_of(name);
    const char *id = apr_pstrcat(p, section, "_", name, NULL);
    int billing = !strcmp(section, "invoicing");
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "label", json_object_new_string(
        shop_req_text(v->req, apr_pstrcat(p, "customer_field_", name, NULL))));
    json_object_object_add(o, "value", json_object_new_string(value ? value : ""));
    json_object_object_add(o, "required", json_object_new_boolean(required));
    json_object_object_add(o, "readonly", json_object_new_boolean(readonly));
    json_object_object_add(o, "autocomplete", json_object_new_string(
        billing && strcmp(s->autocomplete, "off") ? apr_pstrcat(p, "billing ", s->autocomplete, NULL) : s->autocomplete));
    json_object_object_add(o, "maxlength", json_object_new_int(s->maxlength));
    if (s->type) json_object_object_add(o, "type", json_object_new_string(s->type));
    else {
        json_object_object_add(o, "is_select", json_object_new_boolean(1));
        json_object_object_add(o, "options", !strcmp(name, "buyer_type")
                                             ? buyer_type_options(v->req, value ? value : "")
                                             : country_options(v->req, v->sf, value ? value : ""));
    }
    const char *help = help_of(v, section, name, readonly);
    if (help) json_object_object_add(o, "help", json_object_new_string(help));
    const char *key = shop_customer_form_error(v->errors, apr_pstrcat(p, section, ".", name, NULL));
    if (key) {
        v->any_error = 1;
        json_object_object_add(o, "error", json_object_new_string(shop_req_text(v->req, key)));
        if (!strcmp(key, "customer_error_account_exists")) json_object_object_add(o, "login_link", json_object_new_boolean(1));
    }
    if (help || key)
        json_object_object_add(o, "describedby", json_object_new_string(apr_pstrcat(p,
            help ? id : "", help ? "-help" : "", help && key ? " " : "", key ? id : "", key ? "-error" : "", NULL)));
    return o;
}

int shop_checkout_customer_page(shop_req_t *req, const shop_storefront_t *sf, int status,
                                const shop_party_t *customer, const shop_party_t *invoicing,
                                const shop_buyer_refs_t *refs, int use_invoicing, const apr_array_header_t *errors,
                                int has_record)
{
    apr_pool_t *p = req->r->pool;
    shop_customer_rules_t rules;
    shop_checkout_customer_rules(req, sf, &rules);
    int logged_in = shop_req_identity(req)->userid > 0;
    view_t v = { req, sf, errors, 0, rules.needs_shipping };

    json_object *cf = json_object_new_array();
    for (const char *const *f = shop_customer_fields; *f; f++) {
        int required = strcmp(*f, "phone") != 0;
        if (!strcmp(*f, "organisation")) required = rules.org_required;
        if (!strcmp(*f, "address") || !strcmp(*f, "zip")) required = rules.needs_shipping || !use_invoicing;
        json_object_array_add(cf, field_json(&v, "customer", *f, *shop_party_field((shop_party_t *)customer, *f),
                                             required, rules.account_email && !strcmp(*f, "email")));
    }
    int customer_errors = v.any_error;
    v.any_error = 0;
    json_object *inf = json_object_new_array();
    for (const char *const *f = shop_invoicing_fields; *f; f++) {
        int required = strcmp(*f, "department") && strcmp(*f, "email") && strcmp(*f, "vat_number");
        json_object_array_add(inf, field_json(&v, "invoicing", *f, *shop_party_field((shop_party_t *)invoicing, *f),
                                              required, 0));
    }
    for (const char *const *f = shop_buyer_fields; *f; f++)
        json_object_array_add(inf, field_json(&v, "invoicing", *f, *shop_buyer_field((shop_buyer_refs_t *)refs, *f),
                                              0, 0));

    json_object *data = json_object_new_object();
    json_object_object_add(data, "customer_fields", cf);
    json_object_object_add(data, "invoicing_fields", inf);
    json_object_object_add(data, "use_invoicing", json_object_new_boolean(use_invoicing));
    json_object_object_add(data, "invoicing_open", json_object_new_boolean(use_invoicing || v.any_error));
    json_object_object_add(data, "has_errors", json_object_new_boolean(customer_errors || v.any_error));
    json_object_object_add(data, "logged_in", json_object_new_boolean(logged_in));
    json_object_object_add(data, "has_record", json_object_new_boolean(logged_in && has_record));
    json_object_object_add(data, "needs_shipping", json_object_new_boolean(rules.needs_shipping));
    json_object_object_add(data, "login_url", json_object_new_string(shop_checkout_login_url(req)));
    json_object_object_add(data, "return_url", json_object_new_string(
        apr_pstrcat(p, req->conf->public_path, shop_checkout_path(req, sf, "customer"), NULL)));
    return shop_checkout_render(req, sf, SHOP_STEP_CUSTOMER, status, "front/checkout_customer", data);
}
