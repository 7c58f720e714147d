/* Back office taxes: list (with how many products and zones use each), new,
 * edit, delete while unused.  Every field is checked by shop_tax_validate
 * (core/tax.h); a formula error is shown next to the field with its
 * position.  The exemption note (printed on documents having a line with
 * the tax, services/document.h) is one optional line of at most
 * SHOP_TAX_NOTE_MAX characters.  The form previews the taxed price of 100.00 in the default
 * currency.  A saved tax may change any catalogue's prices: every catalogue
 * is bumped so the storefront shows it on the next request. */
#include "web/admin_setup.h"
#include "web/admin_form.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/i18n.h"
#include "core/money.h"
#include "core/tax.h"
#include "data/tax_repo.h"

#define PREVIEW_MAJOR 100
#define SHOP_TAX_NOTE_MAX 255          /* tax.exemption_note, characters */

static json_object *tax_row_json(apr_pool_t *pool, const shop_rows_t *rows, int r)
{
    json_object *o = json_object_new_object();
    shop_dec_t rate = SHOP_DEC_ZERO;
    const char *rate_text = shop_rows_str(rows, r, SHOP_TAX_C_RATE);
    if (rate_text && shop_dec_parse(rate_text, &rate) == APR_SUCCESS) rate_text = shop_dec_pstr(pool, rate);
    json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rows, r, SHOP_TAX_C_ID, 0)));
    json_object_object_add(o, "title", json_object_new_string(shop_rows_str(rows, r, SHOP_TAX_C_TITLE)));
    json_object_object_add(o, "country", json_object_new_string(shop_rows_str(rows, r, SHOP_TAX_C_COUNTRY)));
    json_object_object_add(o, "rate", json_object_new_string(rate_text ? rate_text : ""));
    json_object_object_add(o, "formula", json_object_new_string(shop_rows_str(rows, r, SHOP_TAX_C_FORMULA)));
    json_object_object_add(o, "products", json_object_new_int64(shop_rows_i64(rows, r, SHOP_TAX_C_PRODUCTS, 0)));
    json_object_object_add(o, "zones", json_object_new_int64(shop_rows_i64(rows, r, SHOP_TAX_C_ZONES, 0)));
    json_object_object_add(o, "exemption_note", json_object_new_string(shop_rows_str(rows, r, SHOP_TAX_C_NOTE)));
    return o;
}

int shop_page_admin_taxes(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    if (!db || shop_tax_admin_list(db, &rows) != 0) return shop_setup_unavailable(req);
    json_object *data = json_object_new_object(), *list = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) json_object_array_add(list, tax_row_json(req->r->pool, rows, r));
    static const char *const keys[] = { "title", "country", "formula", "exemption_note", NULL };
    shop_setup_list(req, data, "taxes", list, keys, "/admin/taxes");
    if (shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (shop_req_param(req, "deleted")) json_object_object_add(data, "deleted", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/taxes", data);
}

/* "100.00 € → 120.00 €" for a tax in the default currency, or NULL. */
static const char *preview(shop_req_t *req, const shop_tax_t *tax)
{
    const shop_currency_t *c = shop_currency_get(shop_setup_default_currency(req));
    apr_int64_t unit = PREVIEW_MAJOR, taxed;
    for (int i = 0; i < c->exponent; i++) unit *= 10;
    shop_formula_error_t err;
    if (shop_tax_unit_taxed(tax, unit, c, &taxed, &err) != APR_SUCCESS) return NULL;
    const char *lang = shop_req_lang(req);
    return apr_pstrcat(req->r->pool, shop_money_pformat(req->r->pool, unit, c, lang), " → ",
                       shop_money_pformat(req->r->pool, taxed, c, lang), NULL);
}

/* The preview of a stored tax (row of shop_tax_admin_get). */
static const char *stored_preview(shop_req_t *req, const shop_rows_t *rows)
{
    shop_dec_t rate;
    shop_tax_t *t;
    shop_formula_error_t err;
    const char *formula = shop_rows_str(rows, 0, SHOP_TAX_C_FORMULA);
    if (shop_dec_parse(shop_rows_str(rows, 0, SHOP_TAX_C_RATE), &rate) != APR_SUCCESS
        || shop_tax_make(req->r->pool, 0, NULL, NULL, rate, formula ? formula : "", &t, &err) != APR_SUCCESS)
        return NULL;
    return preview(req, t);
}

static int tax_page(shop_req_t *req, int status, shop_form_t *f, apr_int64_t id, const char *pv,
                    const char *banner_key)
{
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", shop_form_json(f));
    if (id) {
        json_object_object_add(data, "id", json_object_new_int64(id));
        json_object_object_add(data, "action", json_object_new_string(apr_psprintf(req->r->pool, "/admin/taxes/%"
                               APR_INT64_T_FMT, id)));
    } else {
        json_object_object_add(data, "action", json_object_new_string("/admin/taxes/new"));
    }
    if (pv) json_object_object_add(data, "preview", json_object_new_string(pv));
    json_object_object_add(data, "preview_currency", json_object_new_string(shop_setup_default_currency(req)));
    if (shop_req_param(req, "saved") && status == HTTP_OK) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (banner_key)
        json_object_object_add(data, "refusal", json_object_new_string(
            shop_req_text(req, banner_key)));
    return shop_render_page(req, status, "admin/taxes_form", data);
}

int shop_page_admin_tax_new(shop_req_t *req)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "rate", "20");
    shop_form_value(f, "formula", SHOP_TAX_DEFAULT_FORMULA);
    return tax_page(req, HTTP_OK, f, 0, NULL, NULL);
}

static shop_form_t *stored_form(shop_req_t *req, const shop_rows_t *rows)
{
    shop_form_t *f = shop_form_create(req);
    json_object *o = tax_row_json(req->r->pool, rows, 0);
    shop_form_value(f, "title", json_object_get_string(json_object_object_get(o, "title")));
    shop_form_value(f, "country", json_object_get_string(json_object_object_get(o, "country")));
    shop_form_value(f, "rate", json_object_get_string(json_object_object_get(o, "rate")));
    shop_form_value(f, "formula", json_object_get_string(json_object_object_get(o, "formula")));
    shop_form_value(f, "exemption_note", json_object_get_string(json_object_object_get(o, "exemption_note")));
    json_object_put(o);
    return f;
}

int shop_page_admin_tax_edit(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    if (!db || shop_tax_admin_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
    if (rows->nrows == 0) return shop_setup_not_found(req);
    return tax_page(req, HTTP_OK, stored_form(req, rows), id, stored_preview(req, rows), NULL);
}

/* Read and check the form.  Every field gets its own error: after a
 * failure the field is replaced by a harmless value and the tax checked
 * again.  On success *out is the tax (rate normalised). */
static int read_tax(shop_req_t *req, shop_form_t *f, shop_tax_t **out, const char **pv, const char **note)
{
    apr_pool_t *pool = req->r->pool;
    *note = shop_form_line(f, "exemption_note", 0, SHOP_TAX_NOTE_MAX);
    const char *title = shop_form_text(f, "title", 1, SHOP_TAX_MAX_TITLE, 0);
    const char *country = shop_form_text(f, "country", 0, 2, 0);
    const char *rate = shop_form_text(f, "rate", 1, 32, 0);
    const char *formula = shop_form_text(f, "formula", 0, SHOP_TAX_MAX_FORMULA, 0);
    if (country) {
        char *up = apr_pstrdup(pool, country);
        for (char *c = up; *c; c++) *c = (char)apr_toupper(*c);
        country = up;
        shop_form_value(f, "country", up);
    }
    *pv = NULL;
    const char *t = title ? title : "x", *co = country ? country : "", *ra = rate ? rate : "0",
               *fo = formula ? formula : "";
    for (int round = 0; round < 4; round++) {
        shop_tax_field_error_t e;
        memset(&e, 0, sizeof(e));
        if (shop_tax_validate(pool, t, co, ra, fo, out, &e) == APR_SUCCESS) break;
        if (!e.field) return -1;
        int is_formula = strcmp(e.field, "formula") == 0;
        shop_form_error(f, e.field, e.key, is_formula ? apr_pstrdup(pool, e.detail.msg) : NULL);
        if (!strcmp(e.field, "title")) t = "x";
        else if (!strcmp(e.field, "country")) co = "";
        else if (!strcmp(e.field, "rate")) ra = "0";
        else fo = "";
    }
    if (shop_form_has_errors(f)) {
        /* the preview still shows when the rate and formula are good */
        shop_tax_t *p = NULL;
        shop_tax_field_error_t e;
        if (rate && formula && shop_tax_validate(pool, "x", "", rate, formula, &p, &e) == APR_SUCCESS)
            *pv = preview(req, p);
        return -1;
    }
    *pv = preview(req, *out);
    return 0;
}

/* Bump every catalogue inside the transaction; their ids for publishing. */
static int bump_all(shop_req_t *req, shop_rows_t **ids)
{
    shop_db_t *db = shop_req_db(req);
    int rv = shop_setup_catalogue_ids(db, ids);
    for (int r = 0; rv == 0 && r < (*ids)->nrows; r++) rv = shop_setup_bump(req, shop_rows_i64(*ids, r, 0, 0));
    return rv;
}

static void publish_all(shop_req_t *req, const shop_rows_t *ids)
{
    for (int r = 0; r < ids->nrows; r++) shop_setup_publish(req, shop_rows_i64(ids, r, 0, 0));
}

static int save(shop_req_t *req, apr_int64_t id)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_setup_unavailable(req);
    if (id) {
        shop_rows_t *rows;
        if (shop_tax_admin_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
        if (rows->nrows == 0) return shop_setup_not_found(req);
    }
    shop_form_t *f = shop_form_create(req);
    shop_tax_t *tax = NULL;
    const char *pv = NULL, *note = NULL;
    if (read_tax(req, f, &tax, &pv, &note) != 0 || !note) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid tax");
        return tax_page(req, HTTP_BAD_REQUEST, f, id, pv, "admin_form_has_errors");
    }
    const char *rate = shop_dec_pstr(req->r->pool, tax->rate);
    const char *formula = tax->formula_src ? tax->formula_src : "";
    shop_rows_t *ids = NULL;
    int rv = shop_db_begin(db);
    if (rv == 0)
        rv = id ? shop_tax_admin_update(db, id, tax->title, tax->country, rate, formula, note, req->now, NULL)
                : shop_tax_admin_insert(db, tax->title, tax->country, rate, formula, note, req->now, &id);
    if (rv == 0) rv = bump_all(req, &ids);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    publish_all(req, ids);
    shop_setup_changed(req, "tax", id, "saved");
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/taxes/%" APR_INT64_T_FMT "?saved=1", id));
}

int shop_page_admin_tax_create(shop_req_t *req)
{
    return save(req, 0);
}

int shop_page_admin_tax_update(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_setup_not_found(req);
    return save(req, id);
}

int shop_page_admin_tax_delete(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0), uses = 0;
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows, *ids = NULL;
    if (!db || shop_tax_admin_get(db, id, &rows) != 0) return shop_setup_unavailable(req);
    if (rows->nrows == 0) return shop_setup_not_found(req);
    int rv = shop_db_begin(db);
    if (rv == 0) rv = shop_tax_admin_usage(db, id, &uses);
    if (rv == 0 && uses > 0) {
        shop_db_rollback(db);
        shop_setup_refused(req, HTTP_CONFLICT, "tax in use");
        return tax_page(req, HTTP_CONFLICT, stored_form(req, rows), id, stored_preview(req, rows),
                        "setup_tax_in_use");
    }
    if (rv == 0) rv = shop_tax_admin_delete(db, id, NULL);
    if (rv == 0) rv = bump_all(req, &ids);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return shop_setup_unavailable(req);
    publish_all(req, ids);
    shop_setup_changed(req, "tax", id, "deleted");
    return shop_redirect_local(req, "/admin/taxes?deleted=1");
}
