/* The customer step's identities: see customer_form.h. */
#include "core/customer_form.h"
#include "core/validate.h"

#include <apr_strings.h>
#include <apr_lib.h>
#include <string.h>

typedef struct check {
    apr_pool_t *p;
    apr_array_header_t *errors;
} check_t;

static const char *trimmed(apr_pool_t *p, const char *s)
{
    if (!s) return "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return apr_pstrmemdup(p, s, n);
}

static const char *upper(apr_pool_t *p, const char *s)
{
    char *u = apr_pstrdup(p, s);
    for (char *c = u; *c; c++) *c = (char)apr_toupper(*c);
    return u;
}

/* validate.h's keys become this step's own ("error_required" ->
 * "customer_error_required"): each key lives in one string file. */
static void fail(check_t *c, const char *section, const char *name, const char *key)
{
    shop_field_error_t *e = apr_array_push(c->errors);
    e->field = apr_pstrcat(c->p, section, ".", name, NULL);
    e->key = strncmp(key, "customer_", 9) == 0 ? key : apr_pstrcat(c->p, "customer_", key, NULL);
}

/* A field that is empty: an error when required.  Returns 1 when there is
 * something to validate. */
static int present(check_t *c, const char *section, const char *name, const char *v, int required)
{
    if (*v) return 1;
    if (required) fail(c, section, name, "error_required");
    return 0;
}

static void name_field(check_t *c, const char *section, const char *name, const char *v, int required)
{
    const char *key;
    if (present(c, section, name, v, required) && (key = shop_validate_person_name(v)))
        fail(c, section, name, key);
}

static void text_field(check_t *c, const char *section, const char *name, const char *v, int required,
                       apr_size_t max)
{
    const char *key;
    if (present(c, section, name, v, required) && (key = shop_validate_text(v, max, 0)))
        fail(c, section, name, key);
}

static void email_field(check_t *c, const char *section, const char *v, int required)
{
    const char *key;
    if (present(c, section, "email", v, required) && (key = shop_validate_email(v)))
        fail(c, section, "email", key);
}

/* Returns 1 when the country is an assigned code offered by the catalogue. */
static int country_field(check_t *c, const char *section, const char *v, const shop_customer_rules_t *rules)
{
    const char *key;
    if (!present(c, section, "country", v, 1)) return 0;
    if ((key = shop_validate_country(v))) {
        fail(c, section, "country", key);
        return 0;
    }
    if (!shop_customer_country_offered(rules->countries, v)) {
        fail(c, section, "country", "customer_error_country_not_offered");
        return 0;
    }
    return 1;
}

static void zip_field(check_t *c, const char *section, const char *v, int required, const char *country)
{
    const char *key;
    if (!present(c, section, "zip", v, required)) return;
    if (strlen(v) > SHOP_CUSTOMER_ZIP_MAX) key = "error_postcode_invalid";
    else key = shop_validate_postcode(country, v);
    if (key) fail(c, section, "zip", key);
}

/* The VAT prefix a country's numbers carry. */
static int vat_prefix_matches(const char *vat, const char *country)
{
    if (!strcmp(country, "GR")) return !strncmp(vat, "EL", 2);
    if (!strcmp(country, "GB")) return !strncmp(vat, "XI", 2);
    return !strncmp(vat, country, 2);
}

static void normalise(apr_pool_t *p, shop_party_t *s)
{
    s->firstname = trimmed(p, s->firstname);
    s->lastname = trimmed(p, s->lastname);
    s->email = trimmed(p, s->email);
    s->organisation = trimmed(p, s->organisation);
    s->department = trimmed(p, s->department);
    s->address = trimmed(p, s->address);
    s->zip = upper(p, trimmed(p, s->zip));
    s->city = trimmed(p, s->city);
    s->country = upper(p, trimmed(p, s->country));
    s->phone = trimmed(p, s->phone);
    s->vat_number = s->vat_number && *trimmed(p, s->vat_number) ? shop_vat_normalise(p, s->vat_number) : "";
}

static void check_customer(check_t *c, shop_party_t *s, int has_invoicing, const shop_customer_rules_t *rules)
{
    static const char *const sec = "customer";
    int address_required = !has_invoicing || rules->needs_shipping;
    name_field(c, sec, "firstname", s->firstname, 1);
    name_field(c, sec, "lastname", s->lastname, 1);
    if (rules->account_email) {
        if (!*s->email) s->email = apr_pstrdup(c->p, rules->account_email);
        else if (strcasecmp(s->email, rules->account_email) != 0)
            fail(c, sec, "email", "customer_error_email_locked");
    } else {
        email_field(c, sec, s->email, 1);
    }
    text_field(c, sec, "organisation", s->organisation, rules->org_required, SHOP_CUSTOMER_ORG_MAX);
    text_field(c, sec, "address", s->address, address_required, SHOP_CUSTOMER_ADDRESS_MAX);
    int country_ok = country_field(c, sec, s->country, rules);
    /* an unknown country's zip is checked loosely: the country has its own error */
    zip_field(c, sec, s->zip, address_required, country_ok ? s->country : NULL);
    text_field(c, sec, "city", s->city, 1, SHOP_CUSTOMER_CITY_MAX);
    const char *key;
    if (*s->phone && (key = shop_validate_phone(s->phone))) fail(c, sec, "phone", key);
}

static void check_invoicing(check_t *c, shop_party_t *s, const shop_customer_rules_t *rules)
{
    static const char *const sec = "invoicing";
    text_field(c, sec, "organisation", s->organisation, 1, SHOP_CUSTOMER_ORG_MAX);
    text_field(c, sec, "department", s->department, 0, SHOP_CUSTOMER_DEPT_MAX);
    name_field(c, sec, "lastname", s->lastname, 1);
    name_field(c, sec, "firstname", s->firstname, 1);
    email_field(c, sec, s->email, 0);
    text_field(c, sec, "address", s->address, 1, SHOP_CUSTOMER_ADDRESS_MAX);
    int country_ok = country_field(c, sec, s->country, rules);
    zip_field(c, sec, s->zip, 1, country_ok ? s->country : NULL);
    text_field(c, sec, "city", s->city, 1, SHOP_CUSTOMER_CITY_MAX);
    if (*s->vat_number) {
        const char *key = shop_validate_vat(s->vat_number);
        if (key) fail(c, sec, "vat_number", key);
        else if (country_ok && !vat_prefix_matches(s->vat_number, s->country))
            fail(c, sec, "vat_number", "customer_error_vat_country_mismatch");
    }
}

apr_array_header_t *shop_customer_form_check(apr_pool_t *p, shop_party_t *customer, shop_party_t *invoicing,
                                             const shop_customer_rules_t *rules)
{
    check_t c = { p, apr_array_make(p, 4, sizeof(shop_field_error_t)) };
    static const shop_customer_rules_t none = { NULL, 0, 0, NULL };
    if (!rules) rules = &none;
    normalise(p, customer);
    /* the customer has no department nor VAT number of its own */
    customer->department = customer->vat_number = "";
    if (invoicing) {
        normalise(p, invoicing);
        invoicing->phone = "";
    }
    check_customer(&c, customer, invoicing != NULL, rules);
    if (invoicing) check_invoicing(&c, invoicing, rules);
    return c.errors;
}

void shop_customer_buyer_check(apr_pool_t *p, shop_buyer_refs_t *b, apr_array_header_t *errors)
{
    static const char *const sec = "invoicing";
    check_t c = { p, errors };
    const char *key;
    char *type = apr_pstrdup(p, trimmed(p, b->buyer_type));
    for (char *t = type; *t; t++) *t = (char)apr_tolower(*t);
    b->buyer_type = type;
    b->siren = *trimmed(p, b->siren) ? shop_code_normalise(p, b->siren) : "";
    b->engagement_number = trimmed(p, b->engagement_number);
    b->service_code = trimmed(p, b->service_code);
    if (*type && strcmp(type, "individual") && strcmp(type, "business") && strcmp(type, "public"))
        fail(&c, sec, "buyer_type", "customer_error_buyer_type");
    if (*b->siren && (key = shop_validate_siren(b->siren))) fail(&c, sec, "siren", key);
    text_field(&c, sec, "engagement_number", b->engagement_number, 0, SHOP_CUSTOMER_ENGAGEMENT_MAX);
    text_field(&c, sec, "service_code", b->service_code, 0, SHOP_CUSTOMER_SERVICE_CODE_MAX);
}

int shop_customer_country_offered(const char *countries, const char *cc)
{
    if (!cc || strlen(cc) != 2) return 0;
    if (!countries) return 1;
    int any = 0;
    const char *s = countries;
    while (*s) {
        while (*s == ',' || apr_isspace(*s)) s++;
        const char *start = s;
        while (*s && *s != ',') s++;
        const char *end = s;
        while (end > start && apr_isspace(end[-1])) end--;
        if (end == start) continue;
        any = 1;
        if (end - start == 2 && apr_toupper(start[0]) == cc[0] && apr_toupper(start[1]) == cc[1]) return 1;
    }
    return !any;
}

const char *shop_customer_form_error(const apr_array_header_t *errors, const char *field)
{
    for (int i = 0; errors && i < errors->nelts; i++) {
        const shop_field_error_t *e = &APR_ARRAY_IDX(errors, i, shop_field_error_t);
        if (!strcmp(e->field, field)) return e->key;
    }
    return NULL;
}
