/* Back office shops: list, new, edit, delete (never while the shop has
 * bills: disable it instead).  Descriptions and terms are staff HTML,
 * stored sanitized (core/html.h).  Paymodes are stored as local_shop's map
 * of every mode to enabled or not, as a JSON object; the default must be
 * one of the enabled.  A saved shop changes its storefront: the catalogues
 * it sold and sells are bumped (catalog_repo.h).  The numbering series of
 * its invoices and credit notes (empty: the first enabled one of the kind)
 * must be of that kind and enabled, unless it is the one already chosen;
 * checked in the saving transaction (data/series_repo.h). */
#include "web/admin_setup.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/config.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/currency.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/paymode.h"
#include "data/series_repo.h"
#include "data/shop_admin_repo.h"

#define SHOP_NAME_MAX       255
#define SHOP_HTML_FIELD_MAX (60 * 1024)
#define SHOP_NAVSTEPS_MAX   255
#define SHOP_SORTORDER_MAX  1000000

/* The front steps in their only sensible order: pre-payment steps first. */
static const char *const navsteps[] = {
    "shop", "requirements", "participants", "customer", "order", "payment", "produce", "invoice"
};
#define NNAVSTEPS ((int)(sizeof(navsteps) / sizeof(navsteps[0])))

int shop_page_admin_shops(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    if (!db || shop_shop_list(db, &rows) != 0) return shop_setup_unavailable(req);
    json_object *data = json_object_new_object(), *list = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rows, r, 0, 0)));
        json_object_object_add(o, "name", json_object_new_string(shop_rows_str(rows, r, 1)));
        json_object_object_add(o, "currency", json_object_new_string(shop_rows_str(rows, r, 2)));
        json_object_object_add(o, "catalogue", json_object_new_string(shop_rows_str(rows, r, 3)));
        json_object_object_add(o, "enabled", json_object_new_boolean(shop_rows_i64(rows, r, 4, 0) != 0));
        json_object_object_add(o, "bills", json_object_new_int64(shop_rows_i64(rows, r, 5, 0)));
        json_object_array_add(list, o);
    }
    static const char *const keys[] = { "name", "currency", "catalogue", NULL };
    shop_setup_list(req, data, "shops", list, keys, "/admin/shops");
    if (shop_req_param(req, "deleted")) json_object_object_add(data, "deleted", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/shops", data);
}

/* Options of a series select: the enabled series of `kind`, and `selected`
 * even when disabled (a shop keeps the series it has); first the default,
 * which names the series it stands for. */
static json_object *series_options(shop_req_t *req, const shop_rows_t *all, const char *kind, const char *selected)
{
    apr_pool_t *pool = req->r->pool;
    json_object *a = json_object_new_array(), *dflt = json_object_new_object();
    const char *first = NULL;
    json_object_array_add(a, dflt);
    for (int r = 0; r < all->nrows; r++) {
        const char *id = shop_rows_str(all, r, 0), *code = shop_rows_str(all, r, 1);
        int enabled = shop_rows_i64(all, r, 4, 0) != 0;
        int chosen = selected && strcmp(selected, id) == 0;
        if (strcmp(shop_rows_str(all, r, 2), kind) != 0 || (!enabled && !chosen)) continue;
        if (enabled && !first) first = code;
        json_object *o = json_object_new_object();
        const char *label = apr_pstrcat(pool, code, " — ", shop_rows_str(all, r, 3),
                                        enabled ? "" : apr_pstrcat(pool, " (", shop_req_text(req, "series_disabled"),
                                                                   ")", NULL), NULL);
        json_object_object_add(o, "value", json_object_new_string(id));
        json_object_object_add(o, "label", json_object_new_string(label));
        if (chosen) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    const char *label = shop_req_text(req, "setup_shop_series_default");
    json_object_object_add(dflt, "value", json_object_new_string(""));
    json_object_object_add(dflt, "label", json_object_new_string(first ? apr_pstrcat(pool, label, " (", first, ")", NULL)
                                                                       : label));
    if (!selected || !*selected) json_object_object_add(dflt, "selected", json_object_new_boolean(1));
    return a;
}

/* The page, with the form's values (as typed, or as stored). */
static int shop_page(shop_req_t *req, int status, shop_form_t *f, apr_int64_t id, const char *refusal_key)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *cats, *series;
    if (!db || shop_setup_catalogues(db, &cats) != 0 || shop_series_options(db, &series) != 0)
        return shop_setup_unavailable(req);
    json_object *form = shop_form_json(f);
    json_object *values = json_object_object_get(form, "values");
    const char *v;

    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);
    v = json_object_get_string(json_object_object_get(values, "currency"));
    json_object_object_add(data, "currencies", shop_setup_currency_options(v));

    const char *sel = json_object_get_string(json_object_object_get(values, "catalogue_id"));
    json_object *copts = json_object_new_array();
    for (int r = 0; r < cats->nrows; r++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(shop_rows_str(cats, r, 0)));
        json_object_object_add(o, "label", json_object_new_string(shop_rows_str(cats, r, 1)));
        if (sel && strcmp(sel, shop_rows_str(cats, r, 0)) == 0)
            json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(copts, o);
    }
    json_object_object_add(data, "catalogues", copts);
    v = json_object_get_string(json_object_object_get(values, "invoice_series_id"));
    json_object_object_add(data, "invoice_series", series_options(req, series, "invoice", v));
    v = json_object_get_string(json_object_object_get(values, "credit_series_id"));
    json_object_object_add(data, "credit_series", series_options(req, series, "credit_note", v));

    const char *dflt = json_object_get_string(json_object_object_get(values, "default_paymode"));
    json_object *pm = json_object_new_array();
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++) {
        json_object *o = json_object_new_object();
        const char *field = apr_pstrcat(req->r->pool, "paymode_", shop_paymode_names[i], NULL);
        json_object_object_add(o, "name", json_object_new_string(shop_paymode_names[i]));
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "setup_paymode_", shop_paymode_names[i], NULL))));
        if (json_object_object_get_ex(values, field, NULL))
            json_object_object_add(o, "enabled", json_object_new_boolean(1));
        if (dflt && strcmp(dflt, shop_paymode_names[i]) == 0)
            json_object_object_add(o, "default", json_object_new_boolean(1));
        json_object_array_add(pm, o);
    }
    json_object_object_add(data, "paymodes", pm);
    json_object_object_add(data, "navsteps_all", json_object_new_string(
        "shop, requirements, participants, customer, order, payment, produce, invoice"));
    if (!dflt || !*dflt) json_object_object_add(data, "no_default", json_object_new_boolean(1));
    if (id) {
        json_object_object_add(data, "id", json_object_new_int64(id));
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(req->r->pool, "/admin/shops/%" APR_INT64_T_FMT, id)));
    } else {
        json_object_object_add(data, "action", json_object_new_string("/admin/shops/new"));
    }
    if (status == HTTP_OK && shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (refusal_key) json_object_object_add(data, "refusal", json_object_new_string(shop_req_text(req, refusal_key)));
    return shop_render_page(req, status, "admin/shops_form", data);
}

int shop_page_admin_shop_new(shop_req_t *req)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "currency", shop_setup_default_currency(req));
    shop_form_value(f, "tabbed", "1");
    shop_form_value(f, "enabled", "1");
    shop_form_value(f, "force_leaflet", "1");
    shop_form_value(f, "allow_tax", "1");
    shop_form_value(f, "paymode_transfer", "1");
    shop_form_value(f, "default_paymode", "transfer");
    shop_form_value(f, "support_courseid", "0");
    shop_form_value(f, "sortorder", "0");
    return shop_page(req, HTTP_OK, f, 0, NULL);
}

/* The stored shop as a form; NULL when its series cannot be read. */
static shop_form_t *stored_form(shop_req_t *req, const shop_rows_t *rows)
{
    shop_form_t *f = shop_form_create(req);
    apr_int64_t invoice_series, credit_series;
    if (shop_series_of_shop(shop_req_db(req), shop_rows_i64(rows, 0, SHOP_SHOP_C_ID, 0), &invoice_series,
                            &credit_series) != 0)
        return NULL;
    if (invoice_series) shop_form_value(f, "invoice_series_id", apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, invoice_series));
    if (credit_series) shop_form_value(f, "credit_series_id", apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, credit_series));
    static const struct { const char *field; int col; int flag; } cols[] = {
        { "name", SHOP_SHOP_C_NAME, 0 }, { "description", SHOP_SHOP_C_DESCRIPTION, 0 },
        { "currency", SHOP_SHOP_C_CURRENCY, 0 }, { "catalogue_id", SHOP_SHOP_C_CATALOGUE, 0 },
        { "terms", SHOP_SHOP_C_TERMS, 0 }, { "tabbed", SHOP_SHOP_C_TABBED, 1 },
        { "navsteps", SHOP_SHOP_C_NAVSTEPS, 0 }, { "default_paymode", SHOP_SHOP_C_DEFAULT_PAYMODE, 0 },
        { "customer_org", SHOP_SHOP_C_CUSTOMER_ORG, 1 }, { "enduser_org", SHOP_SHOP_C_ENDUSER_ORG, 1 },
        { "enduser_mobile", SHOP_SHOP_C_ENDUSER_MOBILE, 1 },
        { "support_courseid", SHOP_SHOP_C_SUPPORT_COURSE, 0 }, { "enabled", SHOP_SHOP_C_ENABLED, 1 },
        { "sortorder", SHOP_SHOP_C_SORTORDER, 0 }, { "force_leaflet", SHOP_SHOP_C_FORCE_LEAFLET, 1 },
        { "allow_tax", SHOP_SHOP_C_ALLOW_TAX, 1 },
    };
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        const char *v = shop_rows_str(rows, 0, cols[i].col);
        if (cols[i].flag) {
            if (v && strcmp(v, "0") != 0) shop_form_value(f, cols[i].field, "1");
        } else {
            shop_form_value(f, cols[i].field, v ? v : "");
        }
    }
    json_object *pm = json_tokener_parse(shop_rows_str(rows, 0, SHOP_SHOP_C_PAYMODES));
    for (int i = 0; pm && i < SHOP_PAYMODE_MAX; i++) {
        json_object *on;
        if (json_object_object_get_ex(pm, shop_paymode_names[i], &on) && json_object_get_boolean(on))
            shop_form_value(f, apr_pstrcat(req->r->pool, "paymode_", shop_paymode_names[i], NULL), "1");
    }
    if (pm) json_object_put(pm);
    return f;
}

int shop_page_admin_shop_edit(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    shop_form_t *f;
    if (!db || shop_shop_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
    if (rows->nrows == 0) return shop_setup_not_found(req);
    if (!(f = stored_form(req, rows))) return shop_setup_unavailable(req);
    return shop_page(req, HTTP_OK, f, id, NULL);
}

/* Staff HTML: kept as typed for the form, stored sanitized. */
static const char *html_field(shop_req_t *req, shop_form_t *f, const char *field)
{
    const char *v = shop_form_text(f, field, 0, SHOP_HTML_FIELD_MAX, 1), *clean = NULL, *error = NULL;
    if (!v) return NULL;
    if (shop_html_sanitize(req->r->pool, v, strlen(v), &clean, &error) != APR_SUCCESS) {
        shop_form_error(f, field, "error_too_long", NULL);
        return NULL;
    }
    return clean;
}

/* A comma list of known steps, each once, in the canonical order. */
const char *shop_setup_navsteps(shop_req_t *req, shop_form_t *f, const char *field, int required)
{
    const char *v = shop_form_text(f, field, required, SHOP_NAVSTEPS_MAX, 0);
    if (!v || !*v) return v;
    char *copy = apr_pstrdup(req->r->pool, v), *last = NULL, *out = "";
    int prev = -1;
    for (char *tok = apr_strtok(copy, ",", &last); tok; tok = apr_strtok(NULL, ",", &last)) {
        while (*tok == ' ') tok++;
        size_t n = strlen(tok);
        while (n && tok[n - 1] == ' ') tok[--n] = '\0';
        int idx = -1;
        for (int i = 0; i < NNAVSTEPS; i++)
            if (strcmp(tok, navsteps[i]) == 0) idx = i;
        if (idx < 0) {
            shop_form_error(f, field, "setup_error_navstep_unknown", tok);
            return NULL;
        }
        if (idx <= prev) {
            shop_form_error(f, field, "setup_error_navstep_order", tok);
            return NULL;
        }
        prev = idx;
        out = apr_pstrcat(req->r->pool, out, *out ? "," : "", navsteps[idx], NULL);
    }
    if (!*out) shop_form_error(f, field, "setup_error_navstep_unknown", v);
    return *out ? out : NULL;
}

static const char *flag(shop_form_t *f, const char *field)
{
    int on = shop_form_checkbox(f, field);
    if (on) shop_form_value(f, field, "1");
    return on ? "1" : "0";
}

static int read_shop(shop_req_t *req, shop_form_t *f, shop_shop_fields_t *out, apr_int64_t *catalogue)
{
    apr_pool_t *pool = req->r->pool;
    shop_db_t *db = shop_req_db(req);
    memset(out, 0, sizeof(*out));
    out->name = shop_form_text(f, "name", 1, SHOP_NAME_MAX, 0);
    out->description = html_field(req, f, "description");
    out->terms = html_field(req, f, "terms");

    const char *cur = shop_form_text(f, "currency", 1, 3, 0);
    const shop_currency_t *c = cur ? shop_currency_get(cur) : NULL;
    if (cur && !c) shop_form_error(f, "currency", "setup_error_currency", NULL);
    out->currency = c ? c->code : NULL;

    apr_int64_t n;
    *catalogue = 0;
    if (shop_form_int(f, "catalogue_id", 1, 1, APR_INT64_MAX, 0, &n) == 0) {
        shop_rows_t *cats;
        if (shop_setup_catalogues(db, &cats) != 0) return -1;
        for (int r = 0; r < cats->nrows; r++)
            if (shop_rows_i64(cats, r, 0, 0) == n) *catalogue = n;
        if (!*catalogue) shop_form_error(f, "catalogue_id", "setup_error_catalogue", NULL);
        else out->catalogue_id = shop_db_i64(pool, n);
    }
    out->tabbed = flag(f, "tabbed");
    out->navsteps = shop_setup_navsteps(req, f, "navsteps", 0);

    json_object *pm = json_object_new_object();
    const char *dflt = shop_form_text(f, "default_paymode", 0, 16, 0);
    int default_ok = dflt && !*dflt;
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++) {
        int on = shop_form_checkbox(f, apr_pstrcat(pool, "paymode_", shop_paymode_names[i], NULL));
        json_object_object_add(pm, shop_paymode_names[i], json_object_new_boolean(on));
        if (on && dflt && strcmp(dflt, shop_paymode_names[i]) == 0) default_ok = 1;
    }
    out->paymodes = apr_pstrdup(pool, json_object_to_json_string_ext(pm, JSON_C_TO_STRING_PLAIN));
    json_object_put(pm);
    if (dflt && !default_ok) shop_form_error(f, "default_paymode", "setup_error_default_paymode", NULL);
    out->default_paymode = dflt;

    out->customer_org = flag(f, "customer_org");
    out->enduser_org = flag(f, "enduser_org");
    out->enduser_mobile = flag(f, "enduser_mobile");
    out->enabled = flag(f, "enabled");
    out->force_leaflet = flag(f, "force_leaflet");
    out->allow_tax = flag(f, "allow_tax");
    if (shop_form_int(f, "support_courseid", 0, 0, APR_INT64_MAX, 0, &n) == 0) {
        int exists = 1;
        if (n > 0 && shop_shop_course_exists(db, n, &exists) != 0) return -1;
        if (!exists) shop_form_error(f, "support_courseid", "setup_error_course", NULL);
        else out->support_courseid = shop_db_i64(pool, n);
    }
    if (shop_form_int(f, "sortorder", 0, -SHOP_SORTORDER_MAX, SHOP_SORTORDER_MAX, 0, &n) == 0)
        out->sortorder = shop_db_i64(pool, n);
    return 0;
}

/* The series chosen on the form (0: the first enabled one), and the ones
 * the shop had (a disabled series may stay chosen). */
typedef struct series_choice {
    apr_int64_t invoice, credit, had_invoice, had_credit;
} series_choice_t;

static int series_ok(shop_db_t *db, shop_form_t *f, const char *field, const char *kind, apr_int64_t chosen,
                     apr_int64_t had, int *refused)
{
    int kind_ok, enabled;
    if (!chosen) return 0;
    int rv = shop_series_check_for_shop(db, chosen, kind, &kind_ok, &enabled);
    if (rv != 0) return rv;
    if (!kind_ok) shop_form_error(f, field, strcmp(kind, "invoice") == 0 ? "setup_error_series_invoice"
                                                                          : "setup_error_series_credit_note", NULL);
    else if (!enabled && chosen != had) shop_form_error(f, field, "setup_error_series_disabled", NULL);
    else return 0;
    *refused = 1;
    return 0;
}

/* In the saving transaction: check the chosen series (read LOCK IN SHARE
 * MODE: their kind cannot change under us) and point the shop at them. */
static int save_series(shop_db_t *db, shop_form_t *f, apr_int64_t id, const series_choice_t *s, int *refused)
{
    int rv = series_ok(db, f, "invoice_series_id", "invoice", s->invoice, s->had_invoice, refused);
    if (rv == 0) rv = series_ok(db, f, "credit_series_id", "credit_note", s->credit, s->had_credit, refused);
    if (rv == 0 && !*refused) rv = shop_series_set_for_shop(db, id, s->invoice, s->credit);
    return rv;
}

static int save(shop_req_t *req, apr_int64_t id)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_setup_unavailable(req);
    apr_int64_t old_catalogue = 0, catalogue = 0, edited = id;
    series_choice_t series = { 0, 0, 0, 0 };
    if (id) {
        shop_rows_t *rows;
        if (shop_shop_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
        if (rows->nrows == 0) return shop_setup_not_found(req);
        old_catalogue = shop_rows_i64(rows, 0, SHOP_SHOP_C_CATALOGUE, 0);
        if (shop_series_of_shop(db, id, &series.had_invoice, &series.had_credit) != 0)
            return shop_setup_unavailable(req);
    }
    shop_form_t *f = shop_form_create(req);
    shop_shop_fields_t sf;
    if (read_shop(req, f, &sf, &catalogue) != 0) return shop_setup_unavailable(req);
    shop_form_int(f, "invoice_series_id", 0, 1, APR_INT64_MAX, 0, &series.invoice);
    shop_form_int(f, "credit_series_id", 0, 1, APR_INT64_MAX, 0, &series.credit);
    if (shop_form_has_errors(f)) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid shop");
        return shop_page(req, HTTP_BAD_REQUEST, f, id, "admin_form_has_errors");
    }
    int refused = 0;
    int rv = shop_db_begin(db);
    if (rv == 0) rv = id ? shop_shop_update(db, id, &sf, req->now) : shop_shop_insert(db, &sf, req->now, &id);
    if (rv == 0) rv = save_series(db, f, id, &series, &refused);
    if (rv == 0 && refused) {
        shop_db_rollback(db);
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid shop series");
        return shop_page(req, HTTP_BAD_REQUEST, f, edited, "admin_form_has_errors");
    }
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0 && old_catalogue != catalogue) rv = shop_setup_bump(req, old_catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        shop_form_error(f, "name", "setup_error_duplicate_name", NULL);
        shop_setup_refused(req, HTTP_CONFLICT, "duplicate shop name");
        return shop_page(req, HTTP_CONFLICT, f, id, "admin_form_has_errors");
    }
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    if (old_catalogue != catalogue) shop_setup_publish(req, old_catalogue);
    shop_setup_changed(req, "shop", id, "saved");
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/shops/%" APR_INT64_T_FMT "?saved=1", id));
}

int shop_page_admin_shop_create(shop_req_t *req)
{
    return save(req, 0);
}

int shop_page_admin_shop_update(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_setup_not_found(req);
    return save(req, id);
}

int shop_page_admin_shop_delete(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0), bills = 0;
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    shop_form_t *f;
    if (!db || shop_shop_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
    if (rows->nrows == 0) return shop_setup_not_found(req);
    if (!(f = stored_form(req, rows))) return shop_setup_unavailable(req);
    apr_int64_t catalogue = shop_rows_i64(rows, 0, SHOP_SHOP_C_CATALOGUE, 0);
    /* the storefront at "/" serves this shop (ShopDefaultShop) */
    if (id == shop_conf_default_shop(req->dconf)) {
        shop_setup_refused(req, HTTP_CONFLICT, "default shop");
        return shop_page(req, HTTP_CONFLICT, f, id, "setup_shop_is_default");
    }
    int rv = shop_db_begin(db);
    if (rv == 0) rv = shop_shop_bills(db, id, &bills);
    if (rv == 0 && bills > 0) {
        shop_db_rollback(db);
        shop_setup_refused(req, HTTP_CONFLICT, "shop has bills");
        return shop_page(req, HTTP_CONFLICT, f, id, "setup_shop_has_bills");
    }
    if (rv == 0) rv = shop_shop_delete(db, id);
    if (rv == 0) rv = shop_setup_bump(req, catalogue);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    shop_setup_publish(req, catalogue);
    shop_setup_changed(req, "shop", id, "deleted");
    return shop_redirect_local(req, "/admin/shops?deleted=1");
}
