/* Manual bills' lines (/admin/bills/{id}/lines/...): add, change, delete and
 * move the MANUAL lines of an editable bill (admin_bill_edit.h), each change
 * in one transaction that locks the bill at the version of the form and
 * recalculates the bill; refusals next to their field, in the user's
 * language. */
#include "web/admin_bills.h"
#include "web/admin_bill_edit.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>

#include "core/currency.h"
#include "core/money.h"
#include "data/bill_admin_repo.h"
#include "data/product_repo.h"

#define CODE_MAX            64
#define LABEL_MAX           255
#define DESCRIPTION_MAX     20000
#define QUANTITY_MAX        1000000

static int render_line(shop_req_t *req, const shop_bill_admin_t *b, apr_int64_t line_id, shop_form_t *f, int status,
                       const char *message)
{
    apr_pool_t *p = req->r->pool;
    shop_rows_t *taxes;
    if (shop_product_taxes(shop_req_db(req), &taxes) != 0) return shop_render_unavailable(req);
    json_object *form = shop_form_json(f);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);
    json_object_object_add(data, "taxes", shop_abill_options(taxes, 0, 1, shop_abill_form_value(form, "tax")));
    json_object *bo = json_object_new_object();
    json_object_object_add(bo, "id", json_object_new_int64(b->id));
    json_object_object_add(bo, "order_number", json_object_new_string(shop_order_number(p, b->id, b->created_at)));
    json_object_object_add(bo, "currency", json_object_new_string(b->currency));
    json_object_object_add(data, "bill", bo);
    if (line_id) json_object_object_add(data, "line_id", json_object_new_int64(line_id));
    json_object_object_add(data, "action", json_object_new_string(line_id
        ? apr_psprintf(p, "/admin/bills/%" APR_INT64_T_FMT "/lines/%" APR_INT64_T_FMT, b->id, line_id)
        : apr_psprintf(p, "/admin/bills/%" APR_INT64_T_FMT "/lines/new", b->id)));
    if (message) json_object_object_add(data, "message", json_object_new_string(message));
    return shop_render_page(req, status, "admin/bill_line_form", data);
}

/* The stored MANUAL line as form values; 0 when it is not one of this bill. */
static int line_values(shop_req_t *req, const shop_bill_admin_t *b, apr_int64_t line_id, shop_form_t *f, int *found)
{
    shop_rows_t *rows;
    apr_pool_t *p = req->r->pool;
    *found = 0;
    if (shop_bill_admin_lines(shop_req_db(req), b->id, &rows) != 0) return -1;
    for (int r = 0; r < rows->nrows; r++) {
        if (shop_rows_i64(rows, r, BA_LN_ID, 0) != line_id) continue;
        const char *type = shop_rows_str(rows, r, BA_LN_TYPE);
        if (!type || strcmp(type, "MANUAL")) return 0;
        shop_form_value(f, "code", shop_rows_str(rows, r, BA_LN_CODE));
        shop_form_value(f, "label", shop_rows_str(rows, r, BA_LN_LABEL));
        shop_form_value(f, "description", shop_rows_str(rows, r, BA_LN_DESCRIPTION));
        shop_form_value(f, "quantity", shop_rows_str(rows, r, BA_LN_QUANTITY));
        shop_form_value(f, "unit_price", shop_abill_money_plain(p, shop_rows_i64(rows, r, BA_LN_UNIT, 0), b->currency));
        if (shop_rows_i64(rows, r, BA_LN_TAX_ID, 0)) shop_form_value(f, "tax", shop_rows_str(rows, r, BA_LN_TAX_ID));
        shop_form_value(f, "due", shop_abill_day(req, shop_rows_i64(rows, r, BA_LN_DUE, 0)));
        shop_form_value(f, "version", apr_itoa(p, b->version));
        *found = 1;
    }
    return 0;
}

int shop_page_admin_bill_line_new(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent);
    if (sent) return st;
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "quantity", "1");
    shop_form_value(f, "version", apr_itoa(req->r->pool, b.version));
    return render_line(req, &b, 0, f, HTTP_OK, NULL);
}

int shop_page_admin_bill_line_edit(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent), found = 0;
    if (sent) return st;
    apr_int64_t line_id = shop_req_capture_id(req, 1);
    shop_form_t *f = shop_form_create(req);
    if (!line_id) return shop_render_not_found(req);
    if (line_values(req, &b, line_id, f, &found) != 0) return shop_render_unavailable(req);
    if (!found) return shop_render_not_found(req);
    return render_line(req, &b, line_id, f, HTTP_OK, NULL);
}

typedef enum { OP_ADD, OP_UPDATE, OP_DELETE, OP_MOVE_UP, OP_MOVE_DOWN } line_op_t;

typedef struct line_txn {
    apr_pool_t *pool;
    apr_int64_t bill_id, line_id, version;
    line_op_t op;
    shop_manual_line_t line;
    const char *currency;
    const shop_currency_t *cur;
    const shop_abill_taxes_t *taxes;
    apr_int64_t now;
    const char *refusal;
    int missing;               /* the line is not a MANUAL line of this bill */
} line_txn_t;

static int line_body(shop_db_t *db, void *baton)
{
    line_txn_t *t = baton;
    int rv, affected = 0, bad = 0;
    const char *currency = NULL;
    t->refusal = NULL;
    t->missing = 0;
    if ((rv = shop_abill_lock_editable(db, t->bill_id, t->version, &currency, &t->refusal)) != 0) return rv;
    switch (t->op) {
    case OP_ADD: {
        apr_int64_t id = 0;
        rv = shop_bill_admin_line_add(db, t->bill_id, currency, &t->line, t->now, &id);
        t->line_id = id;
        affected = 1;
        break;
    }
    case OP_UPDATE:
        rv = shop_bill_admin_line_update(db, t->bill_id, t->line_id, &t->line, t->now, &affected);
        break;
    case OP_DELETE:
        rv = shop_bill_admin_line_delete(db, t->bill_id, t->line_id, &affected);
        break;
    case OP_MOVE_UP:
    case OP_MOVE_DOWN:
        rv = shop_bill_admin_line_move(db, t->bill_id, t->line_id, t->op == OP_MOVE_UP, &affected);
        /* the first line cannot go up: nothing to do, nothing wrong */
        if (rv == 0 && !affected) return SHOP_DB_ROLLBACK;
        break;
    }
    if (rv != 0) return rv;
    if (!affected) {
        t->missing = 1;
        return SHOP_DB_ROLLBACK;
    }
    rv = shop_abill_recalc(db, t->pool, t->bill_id, t->cur, t->taxes, t->now, &bad);
    if (bad) t->refusal = "bo_error_line_amount";
    return rv;
}

static int run_line_op(shop_req_t *req, const shop_bill_admin_t *b, line_txn_t *t, shop_form_t *f)
{
    shop_db_t *db = shop_req_db(req);
    int rv = shop_db_transaction(db, line_body, t);
    if (rv == SHOP_DB_ROLLBACK) {
        if (t->missing) return shop_render_not_found(req);
        if (!t->refusal) goto done;              /* a move with nowhere to go */
        if (!strcmp(t->refusal, "bo_error_line_amount") && f) {
            shop_form_error(f, "unit_price", "bo_error_line_amount", NULL);
            return render_line(req, b, t->op == OP_ADD ? 0 : t->line_id, f, HTTP_BAD_REQUEST,
                               shop_req_text(req, "admin_form_has_errors"));
        }
        return shop_abill_edit_conflict(req, b->id, t->refusal);
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2512) "manual bill %" APR_INT64_T_FMT
                      ": changing line %" APR_INT64_T_FMT " failed (MySQL error %d)", b->id, t->line_id, rv);
        return shop_render_unavailable(req);
    }
    static const char *const what[] = { "added", "changed", "deleted", "moved up", "moved down" };
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2513) "manual bill %" APR_INT64_T_FMT ": line %"
                  APR_INT64_T_FMT " %s by user %" APR_INT64_T_FMT, b->id, t->line_id, what[t->op],
                  shop_req_identity(req)->userid);
done:
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/bills/%" APR_INT64_T_FMT "/edit?saved=1", b->id));
}

static void line_txn_init(shop_req_t *req, line_txn_t *t, const shop_bill_admin_t *b, const shop_abill_taxes_t *taxes,
                          line_op_t op, apr_int64_t line_id, apr_int64_t version)
{
    memset(t, 0, sizeof(*t));
    t->pool = req->r->pool;
    t->bill_id = b->id;
    t->line_id = line_id;
    t->version = version;
    t->op = op;
    t->cur = shop_currency_get(b->currency);
    t->taxes = taxes;
    t->now = req->now;
}

/* Add (line_id 0) or change a line from the form. */
static int save_line(shop_req_t *req, apr_int64_t line_id)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent);
    if (sent) return st;
    shop_abill_taxes_t taxes;
    if (shop_abill_taxes_load(req, shop_req_db(req), &taxes) != 0) return shop_render_unavailable(req);
    const shop_currency_t *cur = shop_currency_get(b.currency);
    if (!cur) return shop_render_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    apr_int64_t version = 0, qty = 0, tax = 0;
    shop_manual_line_t l;
    memset(&l, 0, sizeof(l));
    shop_form_int(f, "version", 1, 0, SHOP_ABILL_VERSION_MAX, 0, &version);
    l.code = shop_form_text(f, "code", 0, CODE_MAX, 0);
    l.label = shop_form_text(f, "label", 1, LABEL_MAX, 0);
    l.description = shop_form_text(f, "description", 0, DESCRIPTION_MAX, 1);
    if (shop_form_int(f, "quantity", 1, 1, QUANTITY_MAX, 1, &qty) == 0) l.quantity = qty;
    const char *price = shop_form_text(f, "unit_price", 1, SHOP_MONEY_MAX_INPUT, 0);
    if (price) {
        const char *key = NULL;
        if (shop_money_parse(price, cur, &l.unit_minor, &key) != APR_SUCCESS)
            shop_form_error(f, "unit_price", key ? key : "bo_error_amount", NULL);
        else if (l.unit_minor < 0) shop_form_error(f, "unit_price", "bo_error_unit_negative", NULL);
    }
    if (shop_form_int(f, "tax", 0, 1, INT64_MAX, 0, &tax) == 0 && tax) {
        if (!shop_abill_tax_known(&taxes, tax)) shop_form_error(f, "tax", "error_bad_choice", NULL);
        else l.tax_id = tax;
    }
    shop_abill_optional_day(f, "due", &l.due_at);
    if (l.description && !*l.description) l.description = NULL;
    if (!l.code) l.code = "";
    if (shop_form_has_errors(f))
        return render_line(req, &b, line_id, f, HTTP_BAD_REQUEST, shop_req_text(req, "admin_form_has_errors"));
    line_txn_t t;
    line_txn_init(req, &t, &b, &taxes, line_id ? OP_UPDATE : OP_ADD, line_id, version);
    t.line = l;
    return run_line_op(req, &b, &t, f);
}

int shop_page_admin_bill_line_add(shop_req_t *req)
{
    return save_line(req, 0);
}

int shop_page_admin_bill_line_save(shop_req_t *req)
{
    apr_int64_t line_id = shop_req_capture_id(req, 1);
    if (!line_id) return shop_render_not_found(req);
    return save_line(req, line_id);
}

static int line_action(shop_req_t *req, int deleting)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load_editable(req, &b, &sent);
    if (sent) return st;
    apr_int64_t line_id = shop_req_capture_id(req, 1), version = 0;
    if (!line_id) return shop_render_not_found(req);
    shop_form_t *f = shop_form_create(req);
    static const char *const dirs[] = { "up", "down", NULL };
    const char *dir = deleting ? "up" : shop_form_choice(f, "dir", dirs, NULL);
    if (shop_form_int(f, "version", 1, 0, SHOP_ABILL_VERSION_MAX, 0, &version) != 0 || !dir) {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, dir ? "version" : "dir", json_object_new_string("error_bad_value"));
        return shop_render_error(req, HTTP_BAD_REQUEST, "bad_request", "error_400_message", fields);
    }
    shop_abill_taxes_t taxes;
    if (shop_abill_taxes_load(req, shop_req_db(req), &taxes) != 0) return shop_render_unavailable(req);
    line_txn_t t;
    line_txn_init(req, &t, &b, &taxes, deleting ? OP_DELETE : !strcmp(dir, "up") ? OP_MOVE_UP : OP_MOVE_DOWN,
                  line_id, version);
    return run_line_op(req, &b, &t, NULL);
}

int shop_page_admin_bill_line_delete(shop_req_t *req)
{
    return line_action(req, 1);
}

int shop_page_admin_bill_line_move(shop_req_t *req)
{
    return line_action(req, 0);
}
