/* Step "customer" (local_shop §3.6): who buys, optionally a distinct
 * invoicing identity, and the {shop}customer row they are recorded in.
 * HTML: GET/POST /checkout/customer.  JSON: PUT /api/v1/checkout/customer
 * {"customer":{…},"invoicing":{…}|null} → the step answer plus "customer_id".
 * The invoicing identity also carries the buyer's references (buyer_type,
 * siren, engagement_number, service_code: customer_form.h), kept with it
 * in the state, the customer row and the bill.
 *
 * An anonymous buyer whose e-mail is a Moodle account's (or a customer's
 * bound to one) must log in (local_shop): a field error on customer.email,
 * with the API code "account_exists" (400, like every field error).
 * A logged-in buyer's e-mail is the account's (customer_form.h). */
#include "web/checkout_customer.h"
#include "web/render.h"
#include "web/router.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>

#include "data/customer_repo.h"
#include "data/moodle_repo.h"

const char *const shop_customer_fields[] = {
    "firstname", "lastname", "email", "organisation", "address", "zip", "city", "country", "phone", NULL
};
const char *const shop_invoicing_fields[] = {
    "organisation", "department", "lastname", "firstname", "email", "address", "zip", "city", "country",
    "vat_number", NULL
};
const char *const shop_buyer_fields[] = {
    "buyer_type", "siren", "engagement_number", "service_code", NULL
};

const char **shop_party_field(shop_party_t *p, const char *name)
{
    static const struct { const char *name; size_t off; } map[] = {
        { "firstname", offsetof(shop_party_t, firstname) }, { "lastname", offsetof(shop_party_t, lastname) },
        { "email", offsetof(shop_party_t, email) }, { "organisation", offsetof(shop_party_t, organisation) },
        { "department", offsetof(shop_party_t, department) }, { "address", offsetof(shop_party_t, address) },
        { "zip", offsetof(shop_party_t, zip) }, { "city", offsetof(shop_party_t, city) },
        { "country", offsetof(shop_party_t, country) }, { "phone", offsetof(shop_party_t, phone) },
        { "vat_number", offsetof(shop_party_t, vat_number) },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
        if (!strcmp(map[i].name, name)) return (const char **)((char *)p + map[i].off);
    return NULL;
}

const char **shop_buyer_field(shop_buyer_refs_t *b, const char *name)
{
    static const struct { const char *name; size_t off; } map[] = {
        { "buyer_type", offsetof(shop_buyer_refs_t, buyer_type) }, { "siren", offsetof(shop_buyer_refs_t, siren) },
        { "engagement_number", offsetof(shop_buyer_refs_t, engagement_number) },
        { "service_code", offsetof(shop_buyer_refs_t, service_code) },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
        if (!strcmp(map[i].name, name)) return (const char **)((char *)b + map[i].off);
    return NULL;
}

/* Parties and buyer references go through the same code, by field name. */
typedef const char **(*slot_fn)(void *record, const char *name);

static const char **party_slot(void *record, const char *name)
{
    return shop_party_field(record, name);
}

static const char **buyer_slot(void *record, const char *name)
{
    return shop_buyer_field(record, name);
}

static void fields_from_json(apr_pool_t *p, json_object *o, void *record, slot_fn field, const char *const *fields,
                             apr_array_header_t *bad)
{
    for (const char *const *f = fields; *f; f++) {
        json_object *v;
        const char **slot = field(record, *f);
        *slot = "";
        if (!o || !json_object_object_get_ex(o, *f, &v) || !v) continue;
        if (json_object_is_type(v, json_type_string)) *slot = apr_pstrdup(p, json_object_get_string(v));
        else if (bad) APR_ARRAY_PUSH(bad, const char *) = *f;
    }
}

void shop_party_from_json(apr_pool_t *p, json_object *o, shop_party_t *out, const char *const *fields,
                          apr_array_header_t *bad)
{
    memset(out, 0, sizeof(*out));
    fields_from_json(p, o, out, party_slot, fields, bad);
}

void shop_buyer_from_json(apr_pool_t *p, json_object *o, shop_buyer_refs_t *out, apr_array_header_t *bad)
{
    memset(out, 0, sizeof(*out));
    fields_from_json(p, o, out, buyer_slot, shop_buyer_fields, bad);
}

static json_object *fields_json(json_object *o, void *record, slot_fn field, const char *const *fields)
{
    for (const char *const *f = fields; *f; f++) {
        const char *v = *field(record, *f);
        json_object_object_add(o, *f, json_object_new_string(v ? v : ""));
    }
    return o;
}

json_object *shop_party_json(const shop_party_t *p, const char *const *fields)
{
    return fields_json(json_object_new_object(), (void *)p, party_slot, fields);
}

/* The invoicing identity as kept (state, customer row, bill): the party
 * and the buyer's references. */
static json_object *invoicing_json(const shop_party_t *invoicing, const shop_buyer_refs_t *refs)
{
    return fields_json(shop_party_json(invoicing, shop_invoicing_fields), (void *)refs, buyer_slot, shop_buyer_fields);
}

const char *shop_checkout_login_url(shop_req_t *req)
{
    return apr_pstrcat(req->r->pool, req->conf->moodle_url, "/login/index.php", NULL);
}

static int cart_needs_shipping(shop_req_t *req, const shop_storefront_t *sf)
{
    json_object *cart = shop_cart_items(req, sf);
    if (!cart) return 0;
    json_object_object_foreach(cart, code, qty) {
        (void)qty;
        const shop_product_t *prod = shop_catalog_product(sf->catalog, code);
        if (prod && prod->requires_shipping) return 1;
    }
    return 0;
}

void shop_checkout_customer_rules(shop_req_t *req, const shop_storefront_t *sf, shop_customer_rules_t *rules)
{
    shop_identity_t *id = shop_req_identity(req);
    rules->countries = sf->countries;
    rules->org_required = sf->customer_org_required;
    rules->needs_shipping = cart_needs_shipping(req, sf);
    /* an account without an address (external auth) leaves the field free */
    rules->account_email = id->userid > 0 && id->email && *id->email ? id->email : NULL;
}

static void push_error(apr_array_header_t *errors, const char *field, const char *key)
{
    if (shop_customer_form_error(errors, field)) return;
    shop_field_error_t *e = apr_array_push(errors);
    e->field = field;
    e->key = key;
}

/* local_shop: an anonymous buyer may not use an account's address. */
static int account_check(shop_req_t *req, const shop_party_t *customer, apr_array_header_t *errors)
{
    if (shop_req_identity(req)->userid > 0 || !*customer->email || shop_customer_form_error(errors, "customer.email"))
        return 0;
    shop_db_t *db = shop_req_db(req);
    shop_moodle_cfg_t cfg;
    shop_moodle_account_t account;
    int bound = 0;
    if (!db || shop_req_moodle_cfg(req, &cfg) != 0 || shop_moodle_account_by_email(db, &cfg, customer->email, &account) != 0
        || (!account.id && shop_customer_email_bound(db, customer->email, &bound) != 0))
        return -1;
    if (account.id || bound) push_error(errors, "customer.email", "customer_error_account_exists");
    return 0;
}

typedef struct recording {
    const shop_customer_upsert_t *in;
    apr_int64_t *customer_id;
} recording_t;

static int record_in_transaction(shop_db_t *db, void *baton)
{
    recording_t *r = baton;
    return shop_customer_upsert(db, r->in, r->customer_id);
}

/* Record the customer and keep both identities in the state.  Returns 0,
 * or -1 after a database failure (logged). */
static int record(shop_req_t *req, const shop_storefront_t *sf, const shop_party_t *customer,
                  const shop_party_t *invoicing, const shop_buyer_refs_t *refs, apr_int64_t *customer_id)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return -1;
    json_object *inv_json = invoicing ? shop_json_own(req->r->pool, invoicing_json(invoicing, refs)) : NULL;
    shop_customer_upsert_t in = {
        .shop_id = sf->shop_id, .userid = shop_req_identity(req)->userid, .identity = customer,
        .invoicing_info = inv_json ? json_object_to_json_string_ext(inv_json, JSON_C_TO_STRING_PLAIN) : NULL,
        .lang = shop_req_lang(req), .now = req->now,
    };
    recording_t recording = { &in, customer_id };
    int rv = shop_db_transaction(db, record_in_transaction, &recording);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(1301) "recording the customer of shop %"
                      APR_INT64_T_FMT " failed: %d", sf->shop_id, rv);
        return -1;
    }
    json_object *state = shop_checkout_state(req, sf, 1);
    json_object_object_add(state, "customer", shop_party_json(customer, shop_customer_fields));
    if (invoicing) json_object_object_add(state, "invoicing", invoicing_json(invoicing, refs));
    else json_object_object_del(state, "invoicing");
    json_object_object_add(state, "customer_id", json_object_new_int64(*customer_id));
    shop_checkout_changed(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(1302) "customer %" APR_INT64_T_FMT
                  " recorded for shop %" APR_INT64_T_FMT, *customer_id, sf->shop_id);
    return 0;
}

static int same_json(json_object *state, const char *key, json_object *now)
{
    json_object *before;
    if (!json_object_object_get_ex(state, key, &before)) return now == NULL;
    return now && json_object_equal(before, now);
}

/* Back: valid data is kept (without recording it: the customer_id stays
 * only when nothing changed), invalid data is dropped. */
static void keep_on_back(shop_req_t *req, const shop_storefront_t *sf, const shop_party_t *customer,
                         const shop_party_t *invoicing, const shop_buyer_refs_t *refs)
{
    json_object *state = shop_checkout_state(req, sf, 1);
    json_object *c = shop_party_json(customer, shop_customer_fields);
    json_object *i = invoicing ? invoicing_json(invoicing, refs) : NULL;
    if (!same_json(state, "customer", c) || !same_json(state, "invoicing", i))
        json_object_object_del(state, "customer_id");
    json_object_object_add(state, "customer", c);
    if (i) json_object_object_add(state, "invoicing", i);
    else json_object_object_del(state, "invoicing");
    shop_checkout_changed(req);
}

/* The form's values. */
static void form_fields(shop_req_t *req, const char *prefix, const char *const *fields, void *record, slot_fn field)
{
    for (const char *const *f = fields; *f; f++) {
        const char *v = shop_req_param(req, apr_pstrcat(req->r->pool, prefix, *f, NULL));
        *field(record, *f) = v ? v : "";
    }
}

static void form_party(shop_req_t *req, const char *prefix, const char *const *fields, shop_party_t *out)
{
    memset(out, 0, sizeof(*out));
    form_fields(req, prefix, fields, out, party_slot);
}

static int has_record(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    shop_db_t *db = id->userid > 0 ? shop_req_db(req) : NULL;
    int exists = 0;
    if (db) shop_customer_exists_for_user(db, id->userid, &exists);
    return exists;
}

/* What the form shows first: the state, else (logged in) the account and
 * the user's customer record, whose last invoicing identity fills the
 * invoicing fields (not ticked). */
static void prefill(shop_req_t *req, const shop_storefront_t *sf, shop_party_t *customer, shop_party_t *invoicing,
                    shop_buyer_refs_t *refs, int *use_invoicing, int *record)
{
    apr_pool_t *p = req->r->pool;
    json_object *state = shop_checkout_state(req, sf, 0), *c = NULL, *i = NULL;
    *record = 0;
    if (state && json_object_object_get_ex(state, "customer", &c)) {
        *use_invoicing = json_object_object_get_ex(state, "invoicing", &i);
        shop_party_from_json(p, c, customer, shop_customer_fields, NULL);
        shop_party_from_json(p, i, invoicing, shop_invoicing_fields, NULL);
        shop_buyer_from_json(p, i, refs, NULL);
        return;
    }
    *use_invoicing = 0;
    shop_party_from_json(p, NULL, customer, shop_customer_fields, NULL);
    shop_party_from_json(p, NULL, invoicing, shop_invoicing_fields, NULL);
    shop_buyer_from_json(p, NULL, refs, NULL);
    shop_identity_t *id = shop_req_identity(req);
    if (id->userid <= 0) return;
    shop_db_t *db = shop_req_db(req);
    shop_customer_t *row = NULL;
    if (db && shop_customer_get_for_user(db, id->userid, &row) == 0 && row) {
        *customer = row->identity;
        *record = 1;
        json_object *info = row->invoicing_info ? json_tokener_parse(row->invoicing_info) : NULL;
        if (info) {
            shop_json_own(p, info);
            if (json_object_is_type(info, json_type_object)) {
                shop_party_from_json(p, info, invoicing, shop_invoicing_fields, NULL);
                shop_buyer_from_json(p, info, refs, NULL);
            }
        }
    }
    customer->firstname = id->firstname ? id->firstname : customer->firstname;
    customer->lastname = id->lastname ? id->lastname : customer->lastname;
    customer->email = id->email ? id->email : "";
}

int shop_page_checkout_customer(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    if (!shop_checkout_enter(req, sf, SHOP_STEP_CUSTOMER)) return OK;
    shop_party_t customer, invoicing;
    shop_buyer_refs_t refs;
    int use_invoicing, record;
    prefill(req, sf, &customer, &invoicing, &refs, &use_invoicing, &record);
    return shop_checkout_customer_page(req, sf, HTTP_OK, &customer, &invoicing, &refs, use_invoicing, NULL,
                                       record || has_record(req));
}

/* Check, then (no error) record.  Returns the errors; *failed when the
 * database failed. */
static apr_array_header_t *check(shop_req_t *req, const shop_storefront_t *sf, shop_party_t *customer,
                                 shop_party_t *invoicing, shop_buyer_refs_t *refs)
{
    shop_customer_rules_t rules;
    shop_checkout_customer_rules(req, sf, &rules);
    apr_array_header_t *errors = shop_customer_form_check(req->r->pool, customer, invoicing, &rules);
    if (invoicing) shop_customer_buyer_check(req->r->pool, refs, errors);
    return errors;
}

static apr_array_header_t *save(shop_req_t *req, const shop_storefront_t *sf, shop_party_t *customer,
                                shop_party_t *invoicing, shop_buyer_refs_t *refs, apr_array_header_t *type_errors,
                                apr_int64_t *id, int *failed)
{
    apr_array_header_t *errors = check(req, sf, customer, invoicing, refs);
    /* a value that was not text says so, rather than "required" */
    for (int k = 0; type_errors && k < type_errors->nelts; k++) {
        const char *field = APR_ARRAY_IDX(type_errors, k, const char *);
        for (int j = 0; j < errors->nelts; j++)
            if (!strcmp(APR_ARRAY_IDX(errors, j, shop_field_error_t).field, field))
                APR_ARRAY_IDX(errors, j, shop_field_error_t).key = "customer_error_bad_value";
        push_error(errors, field, "customer_error_bad_value");
    }
    *failed = 0;
    if (account_check(req, customer, errors) != 0
        || (!errors->nelts && record(req, sf, customer, invoicing, refs, id) != 0))
        *failed = 1;
    return errors;
}

int shop_page_checkout_customer_post(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    if (!shop_checkout_enter(req, sf, SHOP_STEP_CUSTOMER)) return OK;
    shop_party_t customer, invoicing;
    shop_buyer_refs_t refs = { 0 };
    form_party(req, "customer_", shop_customer_fields, &customer);
    form_party(req, "invoicing_", shop_invoicing_fields, &invoicing);
    form_fields(req, "invoicing_", shop_buyer_fields, &refs, buyer_slot);
    int use_invoicing = shop_req_param(req, "use_invoicing") != NULL;
    const char *nav = shop_req_param(req, "nav");
    shop_party_t *inv = use_invoicing ? &invoicing : NULL;
    if (nav && !strcmp(nav, "back")) {
        if (!check(req, sf, &customer, inv, &refs)->nelts)
            keep_on_back(req, sf, &customer, inv, &refs);
        return shop_checkout_back(req, sf, SHOP_STEP_CUSTOMER);
    }
    apr_int64_t id = 0;
    int failed;
    apr_array_header_t *errors = save(req, sf, &customer, inv, &refs, NULL, &id, &failed);
    if (failed) return shop_render_unavailable(req);
    if (errors->nelts)
        return shop_checkout_customer_page(req, sf, HTTP_BAD_REQUEST, &customer, &invoicing, &refs, use_invoicing,
                                           errors, has_record(req));
    return shop_checkout_next(req, sf, SHOP_STEP_CUSTOMER);
}

/* PUT /api/v1/checkout/customer */
int shop_api_checkout_customer(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    if (!shop_checkout_enter(req, sf, SHOP_STEP_CUSTOMER)) return OK;
    apr_pool_t *p = req->r->pool;
    json_object *c = NULL, *i = NULL;
    apr_array_header_t *bad = apr_array_make(p, 2, sizeof(const char *));
    json_object_object_get_ex(req->json, "customer", &c);
    json_object_object_get_ex(req->json, "invoicing", &i);
    if (c && !json_object_is_type(c, json_type_object)) APR_ARRAY_PUSH(bad, const char *) = "customer", c = NULL;
    if (i && !json_object_is_type(i, json_type_object)) APR_ARRAY_PUSH(bad, const char *) = "invoicing", i = NULL;
    shop_party_t customer, invoicing;
    shop_buyer_refs_t refs;
    apr_array_header_t *cbad = apr_array_make(p, 2, sizeof(const char *)), *ibad = apr_array_make(p, 2, sizeof(const char *));
    shop_party_from_json(p, c, &customer, shop_customer_fields, cbad);
    shop_party_from_json(p, i, &invoicing, shop_invoicing_fields, ibad);
    shop_buyer_from_json(p, i, &refs, ibad);
    for (int k = 0; k < cbad->nelts; k++)
        APR_ARRAY_PUSH(bad, const char *) = apr_pstrcat(p, "customer.", APR_ARRAY_IDX(cbad, k, const char *), NULL);
    for (int k = 0; k < ibad->nelts; k++)
        APR_ARRAY_PUSH(bad, const char *) = apr_pstrcat(p, "invoicing.", APR_ARRAY_IDX(ibad, k, const char *), NULL);

    apr_int64_t id = 0;
    int failed;
    apr_array_header_t *errors = save(req, sf, &customer, i ? &invoicing : NULL, &refs, bad, &id, &failed);
    if (failed) return shop_render_unavailable(req);
    if (errors->nelts) {
        json_object *fields = json_object_new_object();
        for (int k = 0; k < errors->nelts; k++) {
            const shop_field_error_t *e = &APR_ARRAY_IDX(errors, k, shop_field_error_t);
            json_object_object_add(fields, e->field, json_object_new_string(e->key));
        }
        const char *email = shop_customer_form_error(errors, "customer.email");
        int taken = email && !strcmp(email, "customer_error_account_exists");
        return shop_render_error(req, HTTP_BAD_REQUEST, taken ? "account_exists" : "invalid_customer",
                                 taken ? "customer_error_account_exists" : "customer_error_invalid", fields);
    }
    json_object *extra = json_object_new_object();
    json_object_object_add(extra, "customer_id", json_object_new_int64(id));
    return shop_checkout_api_done(req, sf, SHOP_STEP_CUSTOMER, extra);
}

/* Complete: a customer_id and a customer that the rules of now still accept
 * (the catalogue's countries or the shopper's login may have changed). */
int shop_checkout_customer_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    json_object *state = shop_checkout_state(req, sf, 0), *c, *i = NULL;
    if (!state || !json_object_object_get_ex(state, "customer_id", NULL)
        || !json_object_object_get_ex(state, "customer", &c))
        return 0;
    json_object_object_get_ex(state, "invoicing", &i);
    shop_party_t customer, invoicing;
    shop_buyer_refs_t refs;
    shop_party_from_json(req->r->pool, c, &customer, shop_customer_fields, NULL);
    shop_party_from_json(req->r->pool, i, &invoicing, shop_invoicing_fields, NULL);
    shop_buyer_from_json(req->r->pool, i, &refs, NULL);
    return check(req, sf, &customer, i ? &invoicing : NULL, &refs)->nelts == 0;
}

static const shop_param_t p_shop[] = {
    { "shop", SHOP_P_ID, 10 }, { NULL }
};

/* Lengths are checked by customer_form.c, with a field error; the whitelist
 * only bounds what is read. */
#define FIELD(name) { name, SHOP_P_TEXT, 1024 }
static const shop_param_t p_form[] = {
    { "shop", SHOP_P_ID, 10 }, { "nav", SHOP_P_CODE, 8 }, { "use_invoicing", SHOP_P_CODE, 8 },
    FIELD("customer_firstname"), FIELD("customer_lastname"), FIELD("customer_email"),
    FIELD("customer_organisation"), FIELD("customer_address"), FIELD("customer_zip"), FIELD("customer_city"),
    FIELD("customer_country"), FIELD("customer_phone"),
    FIELD("invoicing_organisation"), FIELD("invoicing_department"), FIELD("invoicing_lastname"),
    FIELD("invoicing_firstname"), FIELD("invoicing_email"), FIELD("invoicing_address"), FIELD("invoicing_zip"),
    FIELD("invoicing_city"), FIELD("invoicing_country"), FIELD("invoicing_vat_number"),
    FIELD("invoicing_buyer_type"), FIELD("invoicing_siren"), FIELD("invoicing_engagement_number"),
    FIELD("invoicing_service_code"),
    { NULL }
};

const shop_route_t shop_checkout_customer_routes[] = {
    { "GET",  "/checkout/customer", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop,
      shop_page_checkout_customer, 0 },
    { "POST", "/checkout/customer", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 32 * 1024, p_form,
      shop_page_checkout_customer_post, 0 },
    { "PUT",  "/api/v1/checkout/customer", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 16 * 1024, p_shop,
      shop_api_checkout_customer, SHOP_ROUTE_API },
    { NULL }
};
