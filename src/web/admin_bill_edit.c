/* Manual bills: a WORKING bill made by staff (/admin/bills/new) and edited
 * until it is placed (/admin/bills/{id}/edit): shop, customer (an existing
 * {shop}customer, or one made from a Moodle user id), title, language,
 * payment mode, assigned staff member, due and expected payment dates,
 * engagement number; and its MANUAL lines (add, change, delete, move):
 * code, label, description, quantity, unit price excluding tax typed in the
 * bill's currency, tax, due date.  (The lines are in admin_bill_lines.c;
 * what both share is in admin_bill_edit.h.)
 *
 * Every change runs in one transaction that locks the bill, checks that it
 * is still WORKING and at the version the form was made from (else 409 "changed
 * meanwhile", nothing written), writes, recalculates every manual line and
 * the bill's totals (core/bill_recalc.h: unit x q, the tax rounded half-up
 * once per line, totals the sums, to_pay = taxed + shipping) and bumps the
 * version.  A new bill gets a 192-bit transid, as placement gives, and its
 * audit row NULL -> WORKING.  Refusals are shown next to their field, in the
 * user's language, at status 400. */
#include "web/admin_bills.h"
#include "web/admin_bill_edit.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/services_env.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/bill_recalc.h"
#include "core/crypto.h"
#include "core/money.h"
#include "core/paymode.h"
#include "core/tax.h"
#include "data/bill_admin_repo.h"
#include "data/customer_repo.h"
#include "data/moodle_repo.h"
#include "data/product_repo.h"

#define TRANSID_BYTES       24          /* 192 bits, as placement */
#define TITLE_MAX           255
#define ENGAGEMENT_MAX      64
#define CUSTOMERS_SHOWN     20

static const char *const langs[] = { "en", "fr", NULL };

/* ------------------------------------------------------------ context */

int shop_abill_taxes_load(shop_req_t *req, shop_db_t *db, shop_abill_taxes_t *t)
{
    if (shop_product_taxes(db, &t->rows) != 0) return -1;
    t->tax = apr_pcalloc(req->r->pool, sizeof(*t->tax) * (apr_size_t)(t->rows->nrows + 1));
    for (int r = 0; r < t->rows->nrows; r++) {
        shop_dec_t rate;
        shop_tax_t *tax = NULL;
        shop_formula_error_t err;
        if (shop_dec_parse(shop_rows_str(t->rows, r, 3), &rate) == APR_SUCCESS
            && shop_tax_make(req->r->pool, shop_rows_i64(t->rows, r, 0, 0), shop_rows_str(t->rows, r, 1),
                             shop_rows_str(t->rows, r, 2), rate, shop_rows_str(t->rows, r, 4), &tax, &err) == APR_SUCCESS)
            t->tax[r] = tax;
    }
    return 0;
}

/* The tax of id (NULL for 0 or an id the table no longer has: untaxed). */
static const shop_tax_t *tax_of(const shop_abill_taxes_t *t, apr_int64_t id)
{
    for (int r = 0; id && r < t->rows->nrows; r++)
        if (shop_rows_i64(t->rows, r, 0, 0) == id) return t->tax[r];
    return NULL;
}

int shop_abill_tax_known(const shop_abill_taxes_t *t, apr_int64_t id)
{
    for (int r = 0; r < t->rows->nrows; r++)
        if (shop_rows_i64(t->rows, r, 0, 0) == id) return t->tax[r] != NULL;
    return 0;
}

/* ------------------------------------------- recalculation (in a txn) */

/* Every MANUAL line priced again (written only when its amounts or rate
 * changed), the totals written, version + 1.  APR_EINVAL / APR_ERANGE (a
 * line that cannot be priced) leaves *bad set. */
int shop_abill_recalc(shop_db_t *db, apr_pool_t *p, apr_int64_t bill_id, const shop_currency_t *cur,
                      const shop_abill_taxes_t *taxes, apr_int64_t now, int *bad)
{
    shop_rows_t *rows;
    int rv = shop_bill_admin_recalc_lines(db, bill_id, &rows);
    if (rv != 0) return rv;
    shop_recalc_line_t *l = apr_pcalloc(p, sizeof(*l) * (apr_size_t)(rows->nrows + 1));
    shop_recalc_line_t *stored = apr_pcalloc(p, sizeof(*stored) * (apr_size_t)(rows->nrows + 1));
    for (int r = 0; r < rows->nrows; r++) {
        shop_bill_line_type_t t = SHOP_BL_PRODUCT;
        shop_bill_line_type_parse(shop_rows_str(rows, r, BA_R_TYPE), &t);
        l[r].type = t;
        l[r].quantity = shop_rows_i64(rows, r, BA_R_QUANTITY, 0);
        l[r].unit_minor = shop_rows_i64(rows, r, BA_R_UNIT, 0);
        l[r].tax_id = shop_rows_i64(rows, r, BA_R_TAX_ID, 0);
        l[r].tax = tax_of(taxes, l[r].tax_id);
        shop_dec_parse(shop_rows_str(rows, r, BA_R_RATE), &l[r].rate);
        l[r].untaxed_minor = shop_rows_i64(rows, r, BA_R_UNTAXED, 0);
        l[r].tax_minor = shop_rows_i64(rows, r, BA_R_TAX, 0);
        stored[r] = l[r];
    }
    shop_recalc_totals_t tot;
    if (shop_bill_recalc(p, l, rows->nrows, cur, &tot) != APR_SUCCESS) {
        *bad = 1;
        return SHOP_DB_ROLLBACK;
    }
    for (int r = 0; r < rows->nrows; r++) {
        if (l[r].type != SHOP_BL_MANUAL) continue;
        if (l[r].untaxed_minor == stored[r].untaxed_minor && l[r].tax_minor == stored[r].tax_minor
            && shop_dec_cmp(l[r].rate, stored[r].rate) == 0)
            continue;
        char rate[SHOP_DEC_TEXT_SIZE];
        shop_dec_format(l[r].rate, 0, rate, sizeof(rate));
        if ((rv = shop_bill_admin_line_amounts(db, shop_rows_i64(rows, r, BA_R_ID, 0), l[r].untaxed_minor,
                                               l[r].tax_minor, rate)) != 0)
            return rv;
    }
    shop_bill_totals_row_t t = { tot.untaxed_minor, tot.taxes_minor, tot.taxed_minor, tot.discount_minor,
                                 tot.shipping_minor, tot.to_pay_minor };
    return shop_bill_admin_totals(db, bill_id, &t, now);
}

/* ------------------------------------------------------- the header */

typedef struct header_in {
    shop_manual_bill_t b;
    apr_int64_t moodle_user;       /* make the customer from this Moodle user */
    shop_rows_t *mu;               /* BA_U_* of that user, or NULL */
    apr_int64_t version;
} header_in_t;

const char *shop_abill_optional_day(shop_form_t *f, const char *field, apr_int64_t *out)
{
    const char *v = shop_form_text(f, field, 0, 10, 0);
    *out = 0;
    if (v && *v && shop_abill_parse_day(v, out) != 0) shop_form_error(f, field, "bo_error_date", NULL);
    return v;
}

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
    return 1;
}

/* A customer needs an e-mail address and a country. */
static int user_complete(const shop_rows_t *u)
{
    const char *email = shop_rows_str(u, 0, BA_U_EMAIL), *country = shop_rows_str(u, 0, BA_U_COUNTRY);
    return email && strchr(email, '@') && country && strlen(country) == 2 && apr_isalpha(country[0])
           && apr_isalpha(country[1]);
}

/* Read and check the header form.  0, or -1 when the database failed. */
static int read_header(shop_req_t *req, shop_db_t *db, shop_form_t *f, header_in_t *in, const shop_rows_t *shops,
                       int editing)
{
    memset(in, 0, sizeof(*in));
    apr_int64_t shop = 0, customer = 0, assigned = 0;
    if (editing) shop_form_int(f, "version", 1, 0, SHOP_ABILL_VERSION_MAX, 0, &in->version);
    if (shop_form_int(f, "shop", 1, 1, INT64_MAX, 0, &shop) == 0) {
        for (int r = 0; r < shops->nrows; r++)
            if (shop_rows_i64(shops, r, 0, 0) == shop) {
                in->b.shop_id = shop;
                in->b.currency = shop_rows_str(shops, r, 2);
            }
        if (!in->b.shop_id) shop_form_error(f, "shop", "error_bad_choice", NULL);
    }
    if (shop_form_int(f, "customer", 0, 1, INT64_MAX, 0, &customer) == 0 && customer) {
        shop_rows_t *c;
        if (shop_bill_admin_customer(db, customer, &c) != 0) return -1;
        if (!c->nrows) shop_form_error(f, "customer", "bo_error_customer_unknown", NULL);
        else in->b.customer_id = customer;
    }
    if (shop_form_int(f, "moodle_user", 0, 1, INT64_MAX, 0, &in->moodle_user) == 0 && in->moodle_user) {
        shop_moodle_cfg_t cfg;
        shop_rows_t *u = NULL;
        if (customer) shop_form_error(f, "moodle_user", "bo_error_customer_both", NULL);
        else if (shop_req_moodle_cfg(req, &cfg) != 0 || shop_bill_admin_moodle_user(db, in->moodle_user, &u) != 0)
            return -1;
        else if (!u->nrows || in->moodle_user == cfg.site_guest)
            shop_form_error(f, "moodle_user", "bo_error_moodle_user_unknown", NULL);
        else if (!user_complete(u)) shop_form_error(f, "moodle_user", "bo_error_moodle_user_incomplete", NULL);
        else in->mu = u;
    }
    in->b.title = shop_form_text(f, "title", 0, TITLE_MAX, 0);
    in->b.lang = shop_form_choice(f, "lang", langs, shop_req_lang(req)[0] == 'f' ? "fr" : "en");
    const char *paymode = shop_form_text(f, "paymode", 0, 16, 0);
    if (paymode && *paymode) {
        if (shop_paymode_kind(paymode) < 0) shop_form_error(f, "paymode", "error_bad_choice", NULL);
        else in->b.paymode = paymode;
    }
    if (shop_form_int(f, "assigned", 0, 1, INT64_MAX, 0, &assigned) == 0 && assigned) {
        shop_moodle_cfg_t cfg;
        int is = 0;
        if (shop_req_moodle_cfg(req, &cfg) != 0
            || shop_bill_admin_is_staff(db, req->conf->sales_role, cfg.site_admins, assigned, &is) != 0)
            return -1;
        if (!is) shop_form_error(f, "assigned", "bo_error_assigned", NULL);
        else in->b.assigned_userid = assigned;
    }
    shop_abill_optional_day(f, "due", &in->b.due_at);
    shop_abill_optional_day(f, "expected", &in->b.expected_payment_at);
    const char *eng = shop_form_text(f, "engagement", 0, ENGAGEMENT_MAX, 0);
    if (eng && *eng) {
        if (!printable(eng)) shop_form_error(f, "engagement", "error_bad_value", NULL);
        else in->b.engagement_number = eng;
    }
    if (!in->b.title) in->b.title = "";
    return 0;
}

/* The customer made from (or already bound to) the Moodle user, in the
 * caller's transaction. */
static int customer_from_user(shop_db_t *db, const header_in_t *in, apr_int64_t now, apr_int64_t *id)
{
    shop_customer_t *c = NULL;
    const shop_rows_t *u = in->mu;
    apr_int64_t userid = shop_rows_i64(u, 0, BA_U_ID, 0);
    int rv = shop_customer_get_for_user(db, userid, &c);
    if (rv != 0) return rv;
    if (c) {
        *id = c->id;
        return 0;
    }
    const char *cc = shop_rows_str(u, 0, BA_U_COUNTRY), *lang = shop_rows_str(u, 0, BA_U_LANG);
    char country[3] = { (char)apr_toupper(cc[0]), (char)apr_toupper(cc[1]), 0 };
#define U(col) (shop_rows_str(u, 0, col) ? shop_rows_str(u, 0, col) : "")
    shop_party_t who;
    memset(&who, 0, sizeof(who));
    who.firstname = U(BA_U_FIRSTNAME);
    who.lastname = U(BA_U_LASTNAME);
    who.email = U(BA_U_EMAIL);
    who.organisation = who.department = who.address = who.zip = who.phone = who.vat_number = "";
    who.city = U(BA_U_CITY);
    who.country = apr_pstrdup(db->pool, country);
#undef U
    shop_customer_upsert_t up = { in->b.shop_id, userid, &who, NULL, lang && *lang ? lang : "en", now };
    return shop_customer_upsert(db, &up, id);
}

/* --------------------------------------------------------- rendering */

json_object *shop_abill_options(const shop_rows_t *rows, int id_col, int label_col, const char *current)
{
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *id = shop_rows_str(rows, r, id_col);
        json_object_object_add(o, "value", json_object_new_string(id));
        json_object_object_add(o, "label", json_object_new_string(shop_rows_str(rows, r, label_col)));
        if (current && !strcmp(current, id)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

const char *shop_abill_form_value(json_object *form, const char *field)
{
    json_object *m, *v;
    if (!json_object_object_get_ex(form, "values", &m) || !json_object_object_get_ex(m, field, &v)
        || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *lines_json(shop_req_t *req, apr_int64_t bill_id, const char *currency, int *n)
{
    shop_rows_t *rows;
    json_object *a = json_object_new_array();
    *n = 0;
    if (shop_bill_admin_lines(shop_req_db(req), bill_id, &rows) != 0) return a;
    *n = rows->nrows;
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *type = shop_rows_str(rows, r, BA_LN_TYPE);
        json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rows, r, BA_LN_ID, 0)));
        json_object_object_add(o, "code", json_object_new_string(shop_rows_str(rows, r, BA_LN_CODE)));
        json_object_object_add(o, "label", json_object_new_string(shop_rows_str(rows, r, BA_LN_LABEL)));
        json_object_object_add(o, "quantity", json_object_new_int64(shop_rows_i64(rows, r, BA_LN_QUANTITY, 0)));
        json_object_object_add(o, "unit", json_object_new_string(shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_UNIT, 0), currency)));
        json_object_object_add(o, "untaxed", json_object_new_string(shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_UNTAXED, 0), currency)));
        json_object_object_add(o, "tax", json_object_new_string(shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_TAX, 0), currency)));
        json_object_object_add(o, "total", json_object_new_string(shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_TOTAL, 0), currency)));
        const char *tt = shop_rows_str(rows, r, BA_LN_TAX_TITLE);
        if (tt) json_object_object_add(o, "tax_title", json_object_new_string(tt));
        if (type && !strcmp(type, "MANUAL")) json_object_object_add(o, "manual", json_object_new_boolean(1));
        if (r > 0) json_object_object_add(o, "can_up", json_object_new_boolean(1));
        if (r + 1 < rows->nrows) json_object_object_add(o, "can_down", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

/* The header form of bill `b` (NULL: a new bill) with `f` (NULL: the stored
 * values), and its lines, at `status`; `message` (translated) on top. */
static int render_edit(shop_req_t *req, const shop_bill_admin_t *b, shop_form_t *f, int status, const char *message)
{
    shop_db_t *db = shop_req_db(req);
    apr_pool_t *p = req->r->pool;
    shop_rows_t *shops, *staff;
    shop_moodle_cfg_t cfg;
    if (shop_bill_admin_shops(db, &shops) != 0 || shop_req_moodle_cfg(req, &cfg) != 0
        || shop_bill_admin_staff(db, req->conf->sales_role, cfg.site_admins, &staff) != 0)
        return shop_render_unavailable(req);
    if (!f) {
        f = shop_form_create(req);
        if (b) {
            shop_form_value(f, "version", apr_itoa(p, b->version));
            shop_form_value(f, "shop", apr_psprintf(p, "%" APR_INT64_T_FMT, b->shop_id));
            if (b->customer_id) shop_form_value(f, "customer", apr_psprintf(p, "%" APR_INT64_T_FMT, b->customer_id));
            shop_form_value(f, "title", b->title);
            shop_form_value(f, "lang", b->lang);
            shop_form_value(f, "paymode", b->paymode);
            if (b->assigned_userid) shop_form_value(f, "assigned", apr_psprintf(p, "%" APR_INT64_T_FMT, b->assigned_userid));
            shop_form_value(f, "due", shop_abill_day(req, b->due_at));
            shop_form_value(f, "expected", shop_abill_day(req, b->expected_payment_at));
            shop_form_value(f, "engagement", b->engagement_number);
        } else {
            if (shops->nrows) shop_form_value(f, "shop", shop_rows_str(shops, 0, 0));
            shop_form_value(f, "lang", shop_req_lang(req)[0] == 'f' ? "fr" : "en");
            shop_form_value(f, "assigned", apr_psprintf(p, "%" APR_INT64_T_FMT, shop_req_identity(req)->userid));
        }
        /* a customer picked from the search results */
        const char *picked = shop_req_param(req, "customer");
        if (picked && shop_parse_id(picked)) shop_form_value(f, "customer", picked);
    }
    json_object *form = shop_form_json(f);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);

    json_object *shop_opts = json_object_new_array();
    for (int r = 0; r < shops->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *id = shop_rows_str(shops, r, 0), *cur = shop_abill_form_value(form, "shop");
        json_object_object_add(o, "value", json_object_new_string(id));
        json_object_object_add(o, "label", json_object_new_string(apr_pstrcat(p, shop_rows_str(shops, r, 1), " (",
                                                                              shop_rows_str(shops, r, 2), ")", NULL)));
        if (cur && !strcmp(cur, id)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(shop_opts, o);
    }
    json_object_object_add(data, "shops", shop_opts);
    json_object *staff_opts = json_object_new_array();
    const char *assigned = shop_abill_form_value(form, "assigned");
    for (int r = 0; r < staff->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *id = shop_rows_str(staff, r, BA_S_ID);
        json_object_object_add(o, "value", json_object_new_string(id));
        json_object_object_add(o, "label", json_object_new_string(shop_abill_person(
            p, shop_rows_str(staff, r, BA_S_FIRSTNAME), shop_rows_str(staff, r, BA_S_LASTNAME), apr_atoi64(id))));
        if (assigned && !strcmp(assigned, id)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(staff_opts, o);
    }
    json_object_object_add(data, "staff", staff_opts);
    json_object *modes = json_object_new_array();
    const char *paymode = shop_abill_form_value(form, "paymode");
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(shop_paymode_names[i]));
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(p, "paymode_", shop_paymode_names[i], NULL))));
        if (paymode && !strcmp(paymode, shop_paymode_names[i])) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(modes, o);
    }
    json_object_object_add(data, "paymodes", modes);
    const char *lang = shop_abill_form_value(form, "lang");
    json_object *lo = json_object_new_array();
    for (int i = 0; langs[i]; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(langs[i]));
        json_object_object_add(o, "label", json_object_new_string(shop_req_text(req, apr_pstrcat(p, "bo_lang_", langs[i], NULL))));
        if (lang && !strcmp(lang, langs[i])) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(lo, o);
    }
    json_object_object_add(data, "langs", lo);

    /* the customer chosen, and the search */
    const char *cust = shop_abill_form_value(form, "customer");
    if (cust && shop_parse_id(cust)) {
        shop_rows_t *c;
        if (shop_bill_admin_customer(db, shop_parse_id(cust), &c) != 0) return shop_render_unavailable(req);
        if (c->nrows) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "id", json_object_new_string(shop_rows_str(c, 0, BA_C_ID)));
            json_object_object_add(o, "name", json_object_new_string(shop_abill_person(
                p, shop_rows_str(c, 0, BA_C_FIRSTNAME), shop_rows_str(c, 0, BA_C_LASTNAME), 0) ?: ""));
            json_object_object_add(o, "email", json_object_new_string(shop_rows_str(c, 0, BA_C_EMAIL)));
            json_object_object_add(data, "customer", o);
        }
    }
    const char *cq = shop_req_param(req, "customer_q");
    if (cq && *cq) {
        shop_rows_t *found;
        if (shop_bill_admin_customers(db, cq, CUSTOMERS_SHOWN, &found) != 0) return shop_render_unavailable(req);
        json_object *a = json_object_new_array();
        const char *here = b ? apr_psprintf(p, "/admin/bills/%" APR_INT64_T_FMT "/edit", b->id) : "/admin/bills/new";
        for (int r = 0; r < found->nrows; r++) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "id", json_object_new_string(shop_rows_str(found, r, BA_C_ID)));
            json_object_object_add(o, "name", json_object_new_string(shop_abill_person(
                p, shop_rows_str(found, r, BA_C_FIRSTNAME), shop_rows_str(found, r, BA_C_LASTNAME), 0) ?: ""));
            json_object_object_add(o, "email", json_object_new_string(shop_rows_str(found, r, BA_C_EMAIL)));
            const char *org = shop_rows_str(found, r, BA_C_ORGANISATION);
            if (org && *org) json_object_object_add(o, "organisation", json_object_new_string(org));
            json_object_object_add(o, "url", json_object_new_string(apr_psprintf(p, "%s%s?customer=%s",
                req->conf->public_path, here, shop_rows_str(found, r, BA_C_ID))));
            json_object_array_add(a, o);
        }
        json_object_object_add(data, "customer_results", a);
        json_object_object_add(data, "customer_q", json_object_new_string(cq));
        if (!found->nrows) json_object_object_add(data, "customer_none", json_object_new_boolean(1));
    }

    if (b) {
        json_object *bo = json_object_new_object();
        json_object_object_add(bo, "id", json_object_new_int64(b->id));
        json_object_object_add(bo, "order_number", json_object_new_string(shop_order_number(p, b->id, b->created_at)));
        json_object_object_add(bo, "currency", json_object_new_string(b->currency));
        json_object_object_add(bo, "version", json_object_new_int(b->version));
        json_object_object_add(bo, "to_pay", json_object_new_string(shop_abill_money(req, b->to_pay_minor, b->currency)));
        json_object_object_add(bo, "untaxed", json_object_new_string(shop_abill_money(req, b->untaxed_minor, b->currency)));
        json_object_object_add(bo, "taxes", json_object_new_string(shop_abill_money(req, b->taxes_minor, b->currency)));
        int n = 0;
        json_object_object_add(bo, "lines", lines_json(req, b->id, b->currency, &n));
        if (n) json_object_object_add(bo, "has_lines", json_object_new_boolean(1));
        json_object_object_add(data, "bill", bo);
        json_object_object_add(data, "action", json_object_new_string(apr_psprintf(p, "/admin/bills/%" APR_INT64_T_FMT
                                                                                 "/edit", b->id)));
    } else {
        json_object_object_add(data, "action", json_object_new_string("/admin/bills/new"));
    }
    if (shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (message) json_object_object_add(data, "message", json_object_new_string(message));
    return shop_render_page(req, status, "admin/bill_edit", data);
}

/* Staff edit a bill while it is WORKING and carries no invoice number: a bill
 * moved back to WORKING by a raw change keeps its issued invoice, which only
 * a credit note corrects. */
static int editable(const char *status, const char *invoice_number)
{
    return status && !strcmp(status, "WORKING") && !invoice_number;
}

/* The bill of the {id} capture, which must be editable.  OK, or the page
 * already sent (404, 409) in *sent. */
int shop_abill_load_editable(shop_req_t *req, shop_bill_admin_t *b, int *sent)
{
    int st = shop_abill_load(req, b, sent);
    if (*sent) return st;
    if (!editable(b->status, b->invoice_number)) {
        *sent = 1;
        return shop_render_error(req, HTTP_CONFLICT, "conflict", "bo_error_not_working", NULL);
    }
    return OK;
}

/* The edit page again after a refusal of the transaction (stale, no longer
 * WORKING): the bill as it is now, status 409. */
int shop_abill_edit_conflict(shop_req_t *req, apr_int64_t id, const char *key)
{
    shop_bill_admin_t b;
    int found = 0;
    if (shop_bill_admin_get(shop_req_db(req), id, &b, &found) != 0) return shop_render_unavailable(req);
    if (!found) return shop_render_not_found(req);
    if (!editable(b.status, b.invoice_number))
        return shop_render_error(req, HTTP_CONFLICT, "conflict", "bo_error_not_working", NULL);
    return render_edit(req, &b, NULL, HTTP_CONFLICT, shop_req_text(req, key));
}

int shop_page_admin_bill_new(shop_req_t *req)
{
    if (!shop_req_db(req)) return shop_render_unavailable(req);
    return render_edit(req, NULL, NULL, HTTP_OK, NULL);
}

int shop_page_admin_bill_edit(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent);
    if (sent) return st;
    return render_edit(req, &b, NULL, HTTP_OK, NULL);
}

/* ------------------------------------------------- header: transaction */

typedef struct save_txn {
    apr_pool_t *pool;
    header_in_t *in;
    apr_int64_t edited;            /* the bill edited, 0: create one */
    apr_int64_t bill_id;           /* the bill saved */
    const char *transid;
    const shop_currency_t *cur;
    const shop_abill_taxes_t *taxes;
    shop_actor_t actor;
    apr_int64_t now;
    const char *refusal;           /* i18n key when rolled back on purpose */
    const char *refusal_field;
    int bad_line;
} save_txn_t;

int shop_abill_lock_editable(shop_db_t *db, apr_int64_t id, apr_int64_t version, const char **currency,
                             const char **refusal)
{
    const char *status = NULL, *invoice_number = NULL;
    apr_int64_t current = 0;
    int found = 0;
    int rv = shop_bill_admin_lock(db, id, &status, &current, currency, &invoice_number, &found);
    if (rv != 0) return rv;
    *refusal = !found || !editable(status, invoice_number) ? "bo_error_not_working"
             : current != version ? "bo_error_stale" : NULL;
    return *refusal ? SHOP_DB_ROLLBACK : 0;
}

static int save_body(shop_db_t *db, void *baton)
{
    save_txn_t *t = baton;
    header_in_t *in = t->in;
    int rv, bad = 0;
    /* a deadlock victim runs again from scratch */
    t->refusal = NULL;
    t->bill_id = t->edited;
    if (in->mu && (rv = customer_from_user(db, in, t->now, &in->b.customer_id)) != 0) return rv;
    if (!t->bill_id) {
        apr_int64_t id = 0;
        if ((rv = shop_bill_admin_create(db, t->transid, &in->b, t->actor.userid, t->actor.source, t->now, &id)) != 0)
            return rv;
        t->bill_id = id;
        return 0;
    }
    const char *currency = NULL;
    if ((rv = shop_abill_lock_editable(db, t->bill_id, in->version, &currency, &t->refusal)) != 0) return rv;
    shop_rows_t *lines;
    if ((rv = shop_bill_admin_recalc_lines(db, t->bill_id, &lines)) != 0) return rv;
    /* amounts are minor units of the bill's currency: it changes only while there are none */
    if (lines->nrows && strcmp(currency, in->b.currency)) {
        t->refusal = "bo_error_shop_currency";
        t->refusal_field = "shop";
        return SHOP_DB_ROLLBACK;
    }
    if ((rv = shop_bill_admin_update(db, t->bill_id, &in->b, t->now)) != 0) return rv;
    rv = shop_abill_recalc(db, t->pool, t->bill_id, t->cur, t->taxes, t->now, &bad);
    if (bad) t->refusal = "bo_error_line_amount";
    return rv;
}

static int save_header(shop_req_t *req, shop_bill_admin_t *b)
{
    shop_db_t *db = shop_req_db(req);
    apr_pool_t *p = req->r->pool;
    shop_rows_t *shops;
    shop_abill_taxes_t taxes;
    if (shop_bill_admin_shops(db, &shops) != 0 || shop_abill_taxes_load(req, db, &taxes) != 0)
        return shop_render_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    header_in_t in;
    if (read_header(req, db, f, &in, shops, b != NULL) != 0) return shop_render_unavailable(req);
    if (shop_form_has_errors(f))
        return render_edit(req, b, f, HTTP_BAD_REQUEST, shop_req_text(req, "admin_form_has_errors"));

    save_txn_t t;
    memset(&t, 0, sizeof(t));
    t.pool = p;
    t.in = &in;
    t.edited = b ? b->id : 0;
    t.cur = shop_currency_get(in.b.currency);
    t.taxes = &taxes;
    t.actor = shop_req_actor(req);
    t.now = req->now;
    if (!t.cur) return shop_render_unavailable(req);
    if (!b) {
        unsigned char random[TRANSID_BYTES];
        if (shop_random_bytes(random, sizeof(random)) != APR_SUCCESS) return shop_render_unavailable(req);
        t.transid = shop_base64url_encode(p, random, sizeof(random));
    }
    int rv = shop_db_transaction(db, save_body, &t);
    if (rv == SHOP_DB_ROLLBACK) {
        if (t.refusal_field) {
            shop_form_error(f, t.refusal_field, t.refusal, NULL);
            return render_edit(req, b, f, HTTP_BAD_REQUEST, shop_req_text(req, "admin_form_has_errors"));
        }
        if (!strcmp(t.refusal, "bo_error_line_amount"))
            return render_edit(req, b, f, HTTP_BAD_REQUEST, shop_req_text(req, t.refusal));
        return shop_abill_edit_conflict(req, b->id, t.refusal);
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2510) "manual bill %" APR_INT64_T_FMT
                      ": saving the header failed (MySQL error %d)", t.bill_id, rv);
        return shop_render_unavailable(req);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2511) "manual bill %" APR_INT64_T_FMT " %s by user %"
                  APR_INT64_T_FMT, t.bill_id, b ? "saved" : "created", t.actor.userid);
    return shop_redirect_local(req, apr_psprintf(p, "/admin/bills/%" APR_INT64_T_FMT "/edit?saved=1", t.bill_id));
}

int shop_page_admin_bill_create(shop_req_t *req)
{
    if (!shop_req_db(req)) return shop_render_unavailable(req);
    return save_header(req, NULL);
}

int shop_page_admin_bill_save(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent);
    if (sent) return st;
    return save_header(req, &b);
}
