/* Step "requirements" (local_shop purchaserequ, §3.4): the values a product's
 * required-data widgets ask for, once per unit bought.
 *
 * State: requirements {"CODE": [ {field: value} one object per unit ]}
 * holding only values that passed the widget's checks (core/required_values.h);
 * units beyond the cart quantity are kept (the quantity may go back up).
 * Complete when every unit of every such line has a good value for every
 * widget.  Units are numbered from 0 in form names (rd.CODE.UNIT.FIELD) and
 * API error fields ("CODE.UNIT.FIELD"), like the API's array; pages show
 * "Unit 1..q".
 * HTML: GET/POST /checkout/requirements.  JSON: PUT /api/v1/checkout/requirements
 * with the products to set (others keep what they hold), all or nothing. */
#include "web/checkout.h"
#include "web/checkout_lines.h"
#include "web/render.h"
#include "web/router.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/limits.h"
#include "core/required_data.h"
#include "core/required_values.h"

/* errors of one unit: one per widget, and a few unknown keys */
#define MAX_ERRS (SHOP_RD_MAX_FIELDS + 4)

/* A cart line with widgets. */
typedef struct rq_line {
    const shop_checkout_line_t *line;
    shop_rv_widget_t *w;
    int n;
} rq_line_t;

static apr_array_header_t *rq_lines(shop_req_t *req, const shop_storefront_t *sf)
{
    const apr_array_header_t *lines = shop_checkout_lines(req, sf);
    apr_array_header_t *out = apr_array_make(req->r->pool, 2, sizeof(rq_line_t));
    for (int i = 0; i < lines->nelts; i++) {
        const shop_checkout_line_t *l = &APR_ARRAY_IDX(lines, i, shop_checkout_line_t);
        shop_rv_widget_t *w;
        /* a damaged required_data (checked when saved) asks for nothing rather than blocking the sale */
        int n = shop_rv_widgets(req->r->pool, l->product->required_data, &w);
        if (n <= 0) continue;
        rq_line_t *rl = apr_array_push(out);
        rl->line = l;
        rl->w = w;
        rl->n = n;
    }
    return out;
}

static const rq_line_t *rq_find(apr_array_header_t *rq, const char *code)
{
    for (int i = 0; i < rq->nelts; i++) {
        const rq_line_t *rl = &APR_ARRAY_IDX(rq, i, rq_line_t);
        if (strcmp(rl->line->code, code) == 0) return rl;
    }
    return NULL;
}

static json_object *stored(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    return shop_checkout_state_key(req, sf, "requirements", json_type_object, create);
}

static json_object *stored_unit(json_object *rq, const char *code, int unit)
{
    json_object *units;
    if (!rq || !json_object_object_get_ex(rq, code, &units) || !json_object_is_type(units, json_type_array)
        || unit >= (int)json_object_array_length(units))
        return NULL;
    return json_object_array_get_idx(units, unit);
}

/* Put `unit_values` (owned, given away) at index `unit` of CODE's list. */
static void store_unit(json_object *rq, const char *code, int unit, json_object *unit_values)
{
    json_object *units;
    if (!json_object_object_get_ex(rq, code, &units) || !json_object_is_type(units, json_type_array)) {
        units = json_object_new_array();
        json_object_object_add(rq, code, units);
    }
    while ((int)json_object_array_length(units) < unit) json_object_array_add(units, json_object_new_object());
    json_object_array_put_idx(units, unit, unit_values);
}

int shop_checkout_requirements_needed(shop_req_t *req, const shop_storefront_t *sf)
{
    return rq_lines(req, sf)->nelts > 0;
}

int shop_checkout_requirements_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    apr_array_header_t *rq = rq_lines(req, sf);
    json_object *values = stored(req, sf, 0);
    for (int i = 0; i < rq->nelts; i++) {
        const rq_line_t *rl = &APR_ARRAY_IDX(rq, i, rq_line_t);
        for (int u = 0; u < rl->line->quantity; u++) {
            json_object *unit = stored_unit(values, rl->line->code, u);
            shop_rv_error_t err;
            if (!unit || shop_rv_check_unit(req->r->pool, rl->w, rl->n, unit, NULL, &err, 1) > 0) return 0;
        }
    }
    return 1;
}

/* ---- the page */

static const char *unit_value_text(json_object *unit, const char *field, int *checked)
{
    json_object *v;
    *checked = 0;
    if (!unit || !json_object_object_get_ex(unit, field, &v) || !v) return "";
    if (json_object_is_type(v, json_type_boolean)) {
        *checked = json_object_get_boolean(v);
        return "";
    }
    if (!json_object_is_type(v, json_type_string)) return "";
    const char *s = json_object_get_string(v);
    *checked = !strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true");
    return s;
}

static json_object *widget_view(shop_req_t *req, const rq_line_t *rl, int unit, const shop_rv_widget_t *w,
                                json_object *unit_values, json_object *errors)
{
    apr_pool_t *pool = req->r->pool;
    json_object *o = json_object_new_object(), *err;
    const char *name = apr_psprintf(pool, "rd.%s.%d.%s", rl->line->code, unit, w->field);
    const char *id = apr_psprintf(pool, "rd-%s-%d-%s", rl->line->code, unit, w->field);
    int checked;
    const char *value = unit_value_text(unit_values, w->field, &checked);
    const char *describedby = "";
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "label", json_object_new_string(w->label));
    json_object_object_add(o, apr_pstrcat(pool, "is_", w->type, NULL), json_object_new_boolean(1));
    json_object_object_add(o, "required", json_object_new_boolean(w->required));
    json_object_object_add(o, "value", json_object_new_string(value));
    json_object_object_add(o, "checked", json_object_new_boolean(checked));
    if (strcmp(w->type, "checkbox")) json_object_object_add(o, "maxlength", json_object_new_int((int)w->maxlength));
    if (w->desc) {
        json_object_object_add(o, "desc", json_object_new_string(w->desc));
        json_object_object_add(o, "desc_id", json_object_new_string(apr_pstrcat(pool, id, "-desc", NULL)));
        describedby = apr_pstrcat(pool, id, "-desc", NULL);
    }
    if (errors && json_object_object_get_ex(errors, name + 3, &err)) {
        json_object_object_add(o, "error", json_object_new_string(shop_req_text(req, json_object_get_string(err))));
        json_object_object_add(o, "error_id", json_object_new_string(apr_pstrcat(pool, id, "-error", NULL)));
        describedby = apr_pstrcat(pool, describedby, *describedby ? " " : "", id, "-error", NULL);
    }
    if (*describedby) json_object_object_add(o, "describedby", json_object_new_string(describedby));
    json_object *options = json_object_new_array();
    for (int i = 0; i < w->noptions; i++) {
        json_object *op = json_object_new_object();
        json_object_object_add(op, "value", json_object_new_string(w->options[i].value));
        json_object_object_add(op, "label", json_object_new_string(w->options[i].label));
        json_object_object_add(op, "selected", json_object_new_boolean(strcmp(w->options[i].value, value) == 0));
        json_object_array_add(options, op);
    }
    json_object_object_add(o, "options", options);
    /* the widget's own attributes (checked safe when saved), except those we set */
    json_object *attrs = json_object_new_array();
    for (int i = 0; i < w->nattrs; i++) {
        const char *an = w->attrs[i].name;
        if (!strcmp(an, "maxlength") || !strcmp(an, "required") || !strncmp(an, "aria-", 5)) continue;
        json_object *a = json_object_new_object();
        json_object_object_add(a, "name", json_object_new_string(an));
        json_object_object_add(a, "value", json_object_new_string(w->attrs[i].value));
        json_object_array_add(attrs, a);
    }
    json_object_object_add(o, "attrs", attrs);
    return o;
}

/* values: {"CODE": [unit objects]} to show (stored or typed); errors:
 * {"CODE.UNIT.FIELD": key} or NULL. */
static int page(shop_req_t *req, const shop_storefront_t *sf, int status, json_object *values, json_object *errors)
{
    apr_array_header_t *rq = rq_lines(req, sf);
    json_object *products = json_object_new_array();
    for (int i = 0; i < rq->nelts; i++) {
        const rq_line_t *rl = &APR_ARRAY_IDX(rq, i, rq_line_t);
        json_object *p = json_object_new_object(), *units = json_object_new_array();
        json_object_object_add(p, "code", json_object_new_string(rl->line->code));
        json_object_object_add(p, "name", json_object_new_string(rl->line->product->name));
        for (int u = 0; u < rl->line->quantity; u++) {
            json_object *uo = json_object_new_object(), *ws = json_object_new_array();
            json_object *uv = stored_unit(values, rl->line->code, u);
            json_object_object_add(uo, "number", json_object_new_int(u + 1));
            for (int k = 0; k < rl->n; k++) json_object_array_add(ws, widget_view(req, rl, u, &rl->w[k], uv, errors));
            json_object_object_add(uo, "widgets", ws);
            json_object_array_add(units, uo);
        }
        json_object_object_add(p, "units", units);
        json_object_array_add(products, p);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "products", products);
    json_object_object_add(data, "has_errors", json_object_new_boolean(errors && json_object_object_length(errors) > 0));
    if (errors && json_object_object_get_ex(errors, "", NULL))
        json_object_object_add(data, "form_error", json_object_new_string(shop_req_text(req, "requirements_error_form")));
    if (errors) json_object_put(errors);
    return shop_checkout_render(req, sf, SHOP_STEP_REQUIREMENTS, status, "front/checkout_requirements", data);
}

int shop_page_checkout_requirements(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_REQUIREMENTS)) return OK;
    return page(req, sf, HTTP_OK, stored(req, sf, 0), NULL);
}

/* ---- the form: rd.CODE.UNIT.FIELD names, each checked against the cart */

typedef struct form_scan {
    apr_array_header_t *rq;
    int bad;
    json_object *seen;
} form_scan_t;

static int good_name(form_scan_t *fs, const char *name)
{
    char code[40], field[40];
    int unit, used = 0;
    if (strlen(name) > SHOP_MAX_FIELD_NAME
        || sscanf(name, "rd.%39[A-Za-z0-9_-].%d.%39[a-z0-9_]%n", code, &unit, field, &used) != 3
        || name[used] != '\0')
        return 0;
    const rq_line_t *rl = rq_find(fs->rq, code);
    if (!rl || unit < 0 || unit >= rl->line->quantity) return 0;
    for (int k = 0; k < rl->n; k++)
        if (strcmp(rl->w[k].field, field) == 0) return 1;
    return 0;
}

static int scan_one(void *ctx, const char *name, const char *value)
{
    form_scan_t *fs = ctx;
    (void)value;
    if (strncmp(name, "rd.", 3) != 0) return 1;     /* shop, nav, csrf_token and the query */
    if (!good_name(fs, name) || json_object_object_get_ex(fs->seen, name, NULL)) fs->bad = 1;
    else json_object_object_add(fs->seen, name, NULL);
    return 1;
}

int shop_page_checkout_requirements_post(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_REQUIREMENTS)) return OK;
    apr_pool_t *pool = req->r->pool;
    apr_array_header_t *rq = rq_lines(req, sf);
    const char *nav = shop_req_param(req, "nav");

    form_scan_t fs = { rq, 0, json_object_new_object() };
    apr_table_do(scan_one, &fs, req->raw_params, NULL);
    json_object_put(fs.seen);
    json_object *errors = json_object_new_object(), *typed = json_object_new_object();
    json_object *values = stored(req, sf, 1);
    if (fs.bad) json_object_object_add(errors, "", json_object_new_string("requirements_error_form"));

    for (int i = 0; i < rq->nelts && !fs.bad; i++) {
        const rq_line_t *rl = &APR_ARRAY_IDX(rq, i, rq_line_t);
        json_object *tunits = json_object_new_array();
        json_object_object_add(typed, rl->line->code, tunits);
        for (int u = 0; u < rl->line->quantity; u++) {
            json_object *unit = json_object_new_object(), *good = NULL;
            for (int k = 0; k < rl->n; k++) {
                const char *v = apr_table_get(req->raw_params,
                                              apr_psprintf(pool, "rd.%s.%d.%s", rl->line->code, u, rl->w[k].field));
                if (v) json_object_object_add(unit, rl->w[k].field, json_object_new_string(v));
            }
            shop_rv_error_t errs[MAX_ERRS];
            int nerr = shop_rv_check_unit(pool, rl->w, rl->n, unit, &good, errs, MAX_ERRS);
            for (int e = 0; e < nerr && e < MAX_ERRS; e++)
                json_object_object_add(errors, apr_psprintf(pool, "%s.%d.%s", rl->line->code, u, errs[e].field),
                                       json_object_new_string(errs[e].key));
            store_unit(values, rl->line->code, u, good);
            json_object_array_add(tunits, unit);
        }
    }
    shop_checkout_changed(req);
    shop_json_own(pool, typed);

    if (nav && strcmp(nav, "back") == 0) {
        json_object_put(errors);
        return shop_checkout_back(req, sf, SHOP_STEP_REQUIREMENTS);
    }
    if (json_object_object_length(errors) > 0) return page(req, sf, HTTP_BAD_REQUEST, fs.bad ? values : typed, errors);
    json_object_put(errors);
    if (nav && strcmp(nav, "next") == 0) return shop_checkout_next(req, sf, SHOP_STEP_REQUIREMENTS);
    return shop_redirect_local(req, shop_checkout_path(req, sf, "requirements"));
}

/* ---- PUT /api/v1/checkout/requirements */

static void field_error(json_object *fields, apr_pool_t *pool, const char *name, const char *key)
{
    if (json_object_object_length(fields) < 200) json_object_object_add(fields, apr_pstrdup(pool, name), json_object_new_string(key));
}

int shop_api_checkout_requirements(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_REQUIREMENTS)) return OK;
    apr_pool_t *pool = req->r->pool;
    apr_array_header_t *rq = rq_lines(req, sf);
    json_object *fields = json_object_new_object(), *checked = json_object_new_object();
    shop_json_own(pool, checked);

    json_object_object_foreach(req->json, code, units) {
        const rq_line_t *rl = rq_find(rq, code);
        if (!rl) {
            field_error(fields, pool, code, "requirements_error_not_in_cart");
            continue;
        }
        if (!json_object_is_type(units, json_type_array)
            || (apr_int64_t)json_object_array_length(units) != rl->line->quantity) {
            field_error(fields, pool, code, "requirements_error_units");
            continue;
        }
        json_object *good_units = json_object_new_array();
        json_object_object_add(checked, code, good_units);
        for (int u = 0; u < rl->line->quantity; u++) {
            json_object *good = NULL;
            shop_rv_error_t errs[MAX_ERRS];
            int nerr = shop_rv_check_unit(pool, rl->w, rl->n, json_object_array_get_idx(units, u), &good, errs,
                                          MAX_ERRS);
            for (int e = 0; e < nerr && e < MAX_ERRS; e++)
                field_error(fields, pool, *errs[e].field ? apr_psprintf(pool, "%s.%d.%s", code, u, errs[e].field)
                                                         : apr_psprintf(pool, "%s.%d", code, u), errs[e].key);
            json_object_array_add(good_units, good);
        }
    }
    if (json_object_object_length(fields) > 0)
        return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_requirements", "requirements_error_invalid", fields);
    json_object_put(fields);

    json_object *values = stored(req, sf, 1);
    json_object_object_foreach(checked, c, list) {
        json_object_object_add(values, c, json_object_get(list));
    }
    shop_checkout_changed(req);
    return shop_checkout_api_done(req, sf, SHOP_STEP_REQUIREMENTS, NULL);
}

static const shop_param_t p_form[] = {
    { "shop", SHOP_P_ID, 10 }, { "nav", SHOP_P_CODE, 8 }, { NULL }
};
static const shop_param_t p_shop[] = {
    { "shop", SHOP_P_ID, 10 }, { NULL }
};

const shop_route_t shop_checkout_requirements_routes[] = {
    { "GET",  "/checkout/requirements", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop,
      shop_page_checkout_requirements, 0 },
    /* field names rd.CODE.UNIT.FIELD are dynamic: the handler checks each one (raw_params) */
    { "POST", "/checkout/requirements", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_form,
      shop_page_checkout_requirements_post, 0 },
    { "PUT",  "/api/v1/checkout/requirements", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 0, p_shop,
      shop_api_checkout_requirements, SHOP_ROUTE_API },
    { NULL }
};
