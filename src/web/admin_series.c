/* Back office legal numbering series: list, new, edit (never deleted: a
 * series is disabled instead).  What an accountant expects of them:
 *
 *   - the format is checked by shop_numbering_validate (core/numbering.h),
 *     its refusal shown next to the field (numbering_error_*);
 *   - the code is unique (409 next to the field);
 *   - two series of one seller never share a format: their numbers would
 *     collide (409);
 *   - once a series has numbered a document (or a bill, or its counter has
 *     moved), its code, kind, format and yearly reset are frozen: only the
 *     seller and `enabled` change, so the numbering stays continuous (409);
 *   - a change never leaves a kind (invoice, credit note) without an enabled
 *     series when it had one (409);
 *   - a series a shop issues from is neither disabled nor given another kind
 *     (invoicing would ignore or misuse it): choose another series for the
 *     shop first (409).
 * The checks that depend on other rows run in the saving transaction, every
 * series row locked (data/series_repo.h), so two editors or a payer issuing
 * a number at that moment never slip past them.
 *
 * The list and the edit page show the next number of the current (local)
 * year, computed from the counter row as invoicing.c would. */
#include "web/router.h"
#include "web/admin_setup.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "core/numbering.h"
#include "data/series_repo.h"

#define MAX_REFUSALS 6

static const char *const kinds[] = { "invoice", "credit_note", NULL };
static const char *const yes_no[] = { "1", "0", NULL };

/* The counter year: the local calendar year, as invoicing.c takes it. */
static int this_year(shop_req_t *req)
{
    apr_time_exp_t tm;
    if (apr_time_exp_lt(&tm, apr_time_from_sec(req->now)) != APR_SUCCESS) return 1970;
    return tm.tm_year + 1900;
}

static const char *kind_label(shop_req_t *req, const char *kind)
{
    return shop_req_text(req, kind && strcmp(kind, "credit_note") == 0 ? "series_kind_credit_note"
                                                                       : "series_kind_invoice");
}

static int is_frozen(const shop_rows_t *rows)
{
    return shop_rows_i64(rows, 0, SHOP_SERIES_C_ISSUED, 0) + shop_rows_i64(rows, 0, SHOP_SERIES_C_USED, 0) > 0;
}

static json_object *series_json(shop_req_t *req, const shop_rows_t *rows, int r, int year)
{
    json_object *o = json_object_new_object();
    const char *kind = shop_rows_str(rows, r, SHOP_SERIES_C_KIND);
    const char *format = shop_rows_str(rows, r, SHOP_SERIES_C_FORMAT);
    const char *next = format ? shop_numbering_format(req->r->pool, format, year,
                                                      shop_rows_i64(rows, r, SHOP_SERIES_C_NEXT, 1)) : NULL;
    apr_int64_t issued = shop_rows_i64(rows, r, SHOP_SERIES_C_ISSUED, 0);
    json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(rows, r, SHOP_SERIES_C_ID, 0)));
    json_object_object_add(o, "code", json_object_new_string(shop_rows_str(rows, r, SHOP_SERIES_C_CODE)));
    json_object_object_add(o, "kind", json_object_new_string(kind ? kind : ""));
    json_object_object_add(o, "kind_label", json_object_new_string(kind_label(req, kind)));
    json_object_object_add(o, "seller", json_object_new_string(shop_rows_str(rows, r, SHOP_SERIES_C_SELLER)));
    json_object_object_add(o, "format", json_object_new_string(format ? format : ""));
    json_object_object_add(o, "next_number", json_object_new_string(next ? next : ""));
    json_object_object_add(o, "yearly_reset",
                           json_object_new_boolean(shop_rows_i64(rows, r, SHOP_SERIES_C_YEARLY, 0) != 0));
    json_object_object_add(o, "enabled", json_object_new_boolean(shop_rows_i64(rows, r, SHOP_SERIES_C_ENABLED, 0) != 0));
    json_object_object_add(o, "issued", json_object_new_int64(issued));
    json_object_object_add(o, "shops", json_object_new_int64(shop_rows_i64(rows, r, SHOP_SERIES_C_SHOPS, 0)));
    return o;
}

static int series_list(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    int year = this_year(req);
    if (!db || shop_series_list(db, year, &rows) != 0) return shop_render_unavailable(req);
    json_object *data = json_object_new_object(), *list = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) json_object_array_add(list, series_json(req, rows, r, year));
    static const char *const keys[] = { "code", "format", "seller", "kind_label", NULL };
    shop_setup_list(req, data, "series", list, keys, "/admin/invoice-series");
    json_object_object_add(data, "year", json_object_new_int(year));
    if (shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/invoice_series", data);
}

/* The form page; `stored` (may be NULL) is the series as it is now, for
 * what the page says about it (frozen, documents, next number, shops). */
static int series_page(shop_req_t *req, int status, shop_form_t *f, apr_int64_t id, const shop_rows_t *stored,
                       const char *refusal_key)
{
    apr_pool_t *pool = req->r->pool;
    shop_db_t *db = shop_req_db(req);
    json_object *form = shop_form_json(f), *values = json_object_object_get(form, "values");
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);

    const char *kind = json_object_get_string(json_object_object_get(values, "kind"));
    const char *kind_labels[] = { kind_label(req, "invoice"), kind_label(req, "credit_note") };
    json_object_object_add(data, "kinds", shop_setup_options(kinds, kind_labels, 2, kind));
    const char *yearly = json_object_get_string(json_object_object_get(values, "yearly_reset"));
    const char *yn_labels[] = { shop_req_text(req, "setup_yes"), shop_req_text(req, "setup_no") };
    json_object_object_add(data, "yearly_options", shop_setup_options(yes_no, yn_labels, 2, yearly));

    if (id) {
        json_object_object_add(data, "id", json_object_new_int64(id));
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(pool, "/admin/invoice-series/%" APR_INT64_T_FMT, id)));
    } else {
        json_object_object_add(data, "action", json_object_new_string("/admin/invoice-series/new"));
    }
    if (stored && stored->nrows == 1) {
        int year = this_year(req);
        json_object *s = series_json(req, stored, 0, year);
        if (is_frozen(stored)) json_object_object_add(s, "frozen", json_object_new_boolean(1));
        json_object_object_add(s, "year", json_object_new_int(year));
        json_object_object_add(data, "series", s);
        shop_rows_t *shops;
        if (db && shop_series_shops(db, id, &shops) == 0 && shops->nrows > 0) {
            json_object *a = json_object_new_array();
            for (int r = 0; r < shops->nrows; r++) {
                json_object *o = json_object_new_object();
                json_object_object_add(o, "id", json_object_new_int64(shop_rows_i64(shops, r, 0, 0)));
                json_object_object_add(o, "name", json_object_new_string(shop_rows_str(shops, r, 1)));
                json_object_object_add(o, "as", json_object_new_string(kind_label(req, shop_rows_str(shops, r, 2))));
                json_object_array_add(a, o);
            }
            json_object_object_add(data, "used_by", a);
            json_object_object_add(data, "has_used_by", json_object_new_boolean(1));
        }
    }
    if (status == HTTP_OK && shop_req_param(req, "saved")) json_object_object_add(data, "saved", json_object_new_boolean(1));
    if (refusal_key) json_object_object_add(data, "refusal", json_object_new_string(shop_req_text(req, refusal_key)));
    return shop_render_page(req, status, "admin/invoice_series_form", data);
}

static int series_new(shop_req_t *req)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "kind", "invoice");
    shop_form_value(f, "yearly_reset", "1");
    shop_form_value(f, "enabled", "1");
    return series_page(req, HTTP_OK, f, 0, NULL, NULL);
}

static shop_form_t *stored_form(shop_req_t *req, const shop_rows_t *rows)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "code", shop_rows_str(rows, 0, SHOP_SERIES_C_CODE));
    shop_form_value(f, "kind", shop_rows_str(rows, 0, SHOP_SERIES_C_KIND));
    shop_form_value(f, "seller", shop_rows_str(rows, 0, SHOP_SERIES_C_SELLER));
    shop_form_value(f, "format", shop_rows_str(rows, 0, SHOP_SERIES_C_FORMAT));
    shop_form_value(f, "yearly_reset", shop_rows_i64(rows, 0, SHOP_SERIES_C_YEARLY, 0) ? "1" : "0");
    if (shop_rows_i64(rows, 0, SHOP_SERIES_C_ENABLED, 0)) shop_form_value(f, "enabled", "1");
    return f;
}

static int series_edit(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    if (!db || shop_series_get(db, id, this_year(req), &rows) != 0) return shop_render_unavailable(req);
    if (rows->nrows == 0) return shop_render_not_found(req);
    return series_page(req, HTTP_OK, stored_form(req, rows), id, rows, NULL);
}

/* ---- saving */

/* A field absent from an edit keeps its stored value: the page of a frozen
 * series shows those fields disabled, so browsers do not send them. */
static const char *kept(shop_form_t *f, const char *field, const shop_rows_t *stored, int col)
{
    const char *v = shop_rows_str(stored, 0, col);
    if (col == SHOP_SERIES_C_YEARLY) v = shop_rows_i64(stored, 0, col, 0) ? "1" : "0";
    shop_form_value(f, field, v);
    return v;
}

static int sent(shop_req_t *req, const char *field)
{
    return shop_req_param(req, field) != NULL;
}

static const char *given(shop_req_t *req, const char *field)
{
    const char *v = shop_req_param(req, field);
    return v ? v : "";
}

/* Read and check the form on its own (what needs other rows is checked in
 * the transaction).  `stored` is NULL for a new series. */
static void read_series(shop_req_t *req, shop_form_t *f, const shop_rows_t *stored, shop_series_fields_t *out)
{
    memset(out, 0, sizeof(*out));
    if (stored && !sent(req, "code")) out->code = kept(f, "code", stored, SHOP_SERIES_C_CODE);
    else if ((out->code = shop_form_text(f, "code", 1, SHOP_SERIES_CODE_MAX, 0)) != NULL) {
        for (const char *c = out->code; *c; c++)
            if (!apr_isalnum(*c) && *c != '-' && *c != '_') {
                shop_form_error(f, "code", "series_error_code", NULL);
                out->code = NULL;
                break;
            }
    }
    if (stored && !sent(req, "kind")) out->kind = kept(f, "kind", stored, SHOP_SERIES_C_KIND);
    else if (!(out->kind = shop_form_choice(f, "kind", kinds, NULL)) && !*given(req, "kind"))
        shop_form_error(f, "kind", "error_required", NULL);
    if (stored && !sent(req, "yearly_reset")) out->yearly_reset = kept(f, "yearly_reset", stored, SHOP_SERIES_C_YEARLY);
    else out->yearly_reset = shop_form_choice(f, "yearly_reset", yes_no, "1");
    if (stored && !sent(req, "format")) out->format = kept(f, "format", stored, SHOP_SERIES_C_FORMAT);
    else out->format = shop_form_text(f, "format", 1, SHOP_NUMBER_FORMAT_MAX, 0);
    out->seller = shop_form_line(f, "seller", 0, SHOP_SERIES_SELLER_MAX);
    out->enabled = shop_form_checkbox(f, "enabled") ? "1" : "0";
    if (*out->enabled == '1') shop_form_value(f, "enabled", "1");

    if (out->format && out->yearly_reset) {
        shop_numfmt_status_t st = shop_numbering_validate(out->format, *out->yearly_reset == '1');
        if (st != SHOP_NUMFMT_OK) {
            shop_form_error(f, "format", shop_numbering_status_key(st), NULL);
            out->format = NULL;
        }
    }
}

/* What the transaction decided against: field errors shown on the form. */
typedef struct refusal {
    const char *field, *key, *detail;
} refusal_t;

typedef struct save_ctx {
    shop_req_t *req;
    apr_int64_t edited;                 /* the series edited, 0 for a new one */
    apr_int64_t id;                     /* the series saved */
    const shop_series_fields_t *in;
    int found;
    refusal_t refusals[MAX_REFUSALS];
    int nrefusals;
    const char *why;                    /* for the log */
} save_ctx_t;

static void refuse(save_ctx_t *c, const char *field, const char *key, const char *detail, const char *why)
{
    if (c->nrefusals < MAX_REFUSALS) c->refusals[c->nrefusals++] = (refusal_t){ field, key, detail };
    if (!c->why) c->why = why;
}

static int differs(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") != 0;
}

/* The rules that read the stored row: frozen fields, shops issuing from it. */
static void check_stored(save_ctx_t *c, const shop_rows_t *row)
{
    const shop_series_fields_t *in = c->in;
    const char *yearly = shop_rows_i64(row, 0, SHOP_SERIES_C_YEARLY, 0) ? "1" : "0";
    int kind_changed = differs(in->kind, shop_rows_str(row, 0, SHOP_SERIES_C_KIND));
    if (is_frozen(row)) {
        if (differs(in->code, shop_rows_str(row, 0, SHOP_SERIES_C_CODE)))
            refuse(c, "code", "series_error_frozen", NULL, "frozen code");
        if (kind_changed) refuse(c, "kind", "series_error_frozen", NULL, "frozen kind");
        if (differs(in->format, shop_rows_str(row, 0, SHOP_SERIES_C_FORMAT)))
            refuse(c, "format", "series_error_frozen", NULL, "frozen format");
        if (differs(in->yearly_reset, yearly)) refuse(c, "yearly_reset", "series_error_frozen", NULL, "frozen yearly reset");
    }
    apr_int64_t shops = shop_rows_i64(row, 0, SHOP_SERIES_C_SHOPS, 0);
    if (shops > 0 && kind_changed && !is_frozen(row))
        refuse(c, "kind", "series_error_kind_in_use", NULL, "kind of a series a shop uses");
    if (shops > 0 && *in->enabled == '0' && shop_rows_i64(row, 0, SHOP_SERIES_C_ENABLED, 0))
        refuse(c, "enabled", "series_error_disable_in_use", NULL, "disabling a series a shop uses");
}

static int save_body(shop_db_t *db, void *baton)
{
    save_ctx_t *c = baton;
    const shop_series_fields_t *in = c->in;
    apr_int64_t inv0, cn0, inv1, cn1;
    shop_rows_t *row = NULL;
    int rv, taken;

    c->id = c->edited;                 /* a deadlock victim starts again from scratch */
    c->nrefusals = 0;
    c->why = NULL;
    c->found = 1;
    if ((rv = shop_series_lock_all(db, &inv0, &cn0)) != 0) return rv;
    if (c->id) {
        if ((rv = shop_series_get(db, c->id, this_year(c->req), &row)) != 0) return rv;
        if (row->nrows == 0) {
            c->found = 0;
            return SHOP_DB_ROLLBACK;
        }
        check_stored(c, row);
    }
    if ((rv = shop_series_code_taken(db, in->code, c->id, &taken)) != 0) return rv;
    if (taken) refuse(c, "code", "series_error_duplicate_code", NULL, "duplicate code");
    if (c->nrefusals) return SHOP_DB_ROLLBACK;

    int numbers_changed = !row || differs(in->format, shop_rows_str(row, 0, SHOP_SERIES_C_FORMAT))
                          || differs(in->seller, shop_rows_str(row, 0, SHOP_SERIES_C_SELLER));
    if (numbers_changed) {
        shop_rows_t *all;
        if ((rv = shop_series_options(db, &all)) != 0) return rv;
        for (int r = 0; r < all->nrows; r++) {
            /* the same seller and format make the same numbers (compared as the table's collation does) */
            if (shop_rows_i64(all, r, 0, 0) != c->id && strcasecmp(shop_rows_str(all, r, 3), in->format) == 0
                && strcasecmp(shop_rows_str(all, r, 5), in->seller) == 0) {
                refuse(c, "format", "series_error_same_numbers", shop_rows_str(all, r, 1), "same numbers as another series");
                return SHOP_DB_ROLLBACK;
            }
        }
    }

    rv = c->id ? shop_series_update(db, c->id, in) : shop_series_insert(db, in, c->req->now, &c->id);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        refuse(c, "code", "series_error_duplicate_code", NULL, "duplicate code");
        return SHOP_DB_ROLLBACK;
    }
    if (rv != 0) return rv;
    if ((rv = shop_series_enabled_counts(db, &inv1, &cn1)) != 0) return rv;
    const char *field = *in->enabled == '0' ? "enabled" : "kind";
    if (inv0 > 0 && inv1 == 0) refuse(c, field, "series_error_last_invoice", NULL, "last enabled invoice series");
    if (cn0 > 0 && cn1 == 0) refuse(c, field, "series_error_last_credit_note", NULL, "last enabled credit note series");
    return c->nrefusals ? SHOP_DB_ROLLBACK : 0;
}

static int save(shop_req_t *req, apr_int64_t id)
{
    shop_db_t *db = shop_req_db(req);
    shop_rows_t *stored = NULL;
    if (!db) return shop_render_unavailable(req);
    if (id) {
        if (shop_series_get(db, id, this_year(req), &stored) != 0) return shop_render_unavailable(req);
        if (stored->nrows == 0) return shop_render_not_found(req);
    }
    shop_form_t *f = shop_form_create(req);
    shop_series_fields_t in;
    read_series(req, f, stored, &in);
    if (shop_form_has_errors(f)) {
        shop_setup_refused(req, HTTP_BAD_REQUEST, "invalid invoice series");
        return series_page(req, HTTP_BAD_REQUEST, f, id, stored, "admin_form_has_errors");
    }
    save_ctx_t c = { .req = req, .edited = id, .in = &in };
    int rv = shop_db_transaction(db, save_body, &c);
    if (rv == SHOP_DB_ROLLBACK && !c.found) return shop_render_not_found(req);
    if (rv == SHOP_DB_ROLLBACK) {
        for (int i = 0; i < c.nrefusals; i++)
            shop_form_error(f, c.refusals[i].field, c.refusals[i].key, c.refusals[i].detail);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2602) "invoice series %s (id %" APR_INT64_T_FMT
                      ") not saved by user %" APR_INT64_T_FMT ": %s", in.code, id, shop_req_identity(req)->userid,
                      c.why ? c.why : "refused");
        if (id && shop_series_get(db, id, this_year(req), &stored) != 0) stored = NULL;
        return series_page(req, HTTP_CONFLICT, f, id, stored, "admin_form_has_errors");
    }
    if (rv != 0) return shop_render_unavailable(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2601) "invoice series %" APR_INT64_T_FMT " %s by user %"
                  APR_INT64_T_FMT ": code %s, %s, format %s, yearly reset %s, %s, seller \"%s\"", c.id,
                  id ? "saved" : "created", shop_req_identity(req)->userid, in.code, in.kind, in.format,
                  in.yearly_reset, *in.enabled == '1' ? "enabled" : "disabled", in.seller);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/invoice-series/%" APR_INT64_T_FMT "?saved=1",
                                                 c.id));
}

static int series_create(shop_req_t *req)
{
    return save(req, 0);
}

static int series_update(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_render_not_found(req);
    return save(req, id);
}

/* ---- routes (see router.h; registered in routes.c) */

#define TXT(name, max) { name, SHOP_P_TEXT, max }

static const shop_param_t p_list[] = {
    { "page", SHOP_P_INT, 6 }, TXT("q", 255), { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_saved[] = {
    { "saved", SHOP_P_INT, 1 }, { NULL }
};
/* text with room to spare: the handler answers a bad value next to its field */
static const shop_param_t p_series[] = {
    TXT("code", 256), TXT("kind", 64), TXT("seller", 2048), TXT("format", 512), TXT("yearly_reset", 8),
    TXT("enabled", 8), { NULL }
};

const shop_route_t shop_admin_series_routes[] = {
    { "GET",  "/admin/invoice-series",      SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_list, series_list, 0 },
    { "GET",  "/admin/invoice-series/new",  SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, series_new, 0 },
    { "POST", "/admin/invoice-series/new",  SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_series, series_create, 0 },
    { "GET",  "/admin/invoice-series/{id}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_saved, series_edit, 0 },
    { "POST", "/admin/invoice-series/{id}", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_series, series_update, 0 },
    { NULL }
};
