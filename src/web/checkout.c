/* The checkout framework (checkout.h): state in the session, which steps the
 * cart needs, the guard every step handler starts with, the progress
 * indicator, Back/Next, and GET /checkout + GET /api/v1/checkout. */
#include "web/checkout.h"
#include "web/cart.h"
#include "web/render.h"
#include "web/session.h"

#include "http_protocol.h"
#include <apr_strings.h>
#include <string.h>

#include "core/i18n.h"

static const char *const step_names[SHOP_NSTEPS] = { "requirements", "participants", "customer", "order" };

const char *shop_step_name(shop_step_t step)
{
    return step < SHOP_NSTEPS ? step_names[step] : "";
}

static const char *shop_key(shop_req_t *req, const shop_storefront_t *sf)
{
    return apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, sf->shop_id);
}

/* data[name][shop id], created when asked (the caller touches the session
 * once it writes something there). */
static json_object *per_shop(shop_req_t *req, const shop_storefront_t *sf, const char *name, int create)
{
    shop_session_t *s = shop_req_session(req);
    json_object *all, *mine;
    if (!json_object_object_get_ex(s->data, name, &all) || !json_object_is_type(all, json_type_object)) {
        if (!create) return NULL;
        all = json_object_new_object();
        json_object_object_add(s->data, name, all);
    }
    const char *key = shop_key(req, sf);
    if (!json_object_object_get_ex(all, key, &mine) || !json_object_is_type(mine, json_type_object)) {
        if (!create) return NULL;
        mine = json_object_new_object();
        json_object_object_add(all, key, mine);
    }
    return mine;
}

json_object *shop_cart_of(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    return per_shop(req, sf, "carts", create);
}

json_object *shop_cart_items(shop_req_t *req, const shop_storefront_t *sf)
{
    json_object *cart = per_shop(req, sf, "carts", 0);
    return cart && json_object_object_length(cart) > 0 ? cart : NULL;
}

json_object *shop_checkout_state(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    return per_shop(req, sf, "checkout", create);
}

/* The step status of one shop, computed once per request (guard, page, Next
 * and API answer all ask) and dropped whenever the state changes. */
typedef struct status_memo {
    apr_int64_t shop_id;
    shop_step_status_t st[SHOP_NSTEPS];
} status_memo_t;

static const char status_memo_key[] = "shop_checkout_status";

static void status_memo_drop(shop_req_t *req)
{
    apr_pool_userdata_setn(NULL, status_memo_key, NULL, req->r->pool);
}

void shop_checkout_changed(shop_req_t *req)
{
    status_memo_drop(req);
    shop_session_touch(shop_req_session(req));
}

json_object *shop_checkout_state_key(shop_req_t *req, const shop_storefront_t *sf, const char *key, json_type type,
                                     int create)
{
    json_object *state = shop_checkout_state(req, sf, create), *v;
    if (!state) return NULL;
    if (json_object_object_get_ex(state, key, &v) && json_object_is_type(v, type)) return v;
    if (!create) return NULL;
    v = type == json_type_array ? json_object_new_array() : json_object_new_object();
    json_object_object_add(state, key, v);
    shop_checkout_changed(req);
    return v;
}

int shop_checkout_reveal_accounts(shop_req_t *req)
{
    return shop_req_identity(req)->userid > 0;
}

json_object *shop_checkout_participants_view(shop_req_t *req, json_object *participants)
{
    json_object *copy = NULL;
    json_object_deep_copy(participants, &copy, NULL);
    if (!copy || shop_checkout_reveal_accounts(req) || !json_object_is_type(copy, json_type_array)) return copy;
    for (size_t i = 0; i < json_object_array_length(copy); i++) {
        json_object *p = json_object_array_get_idx(copy, i);
        if (json_object_is_type(p, json_type_object)) json_object_object_del(p, "userid");
    }
    return copy;
}

void shop_checkout_forget(shop_req_t *req, const shop_storefront_t *sf)
{
    shop_session_t *s = shop_req_session(req);
    json_object *all;
    if (json_object_object_get_ex(s->data, "checkout", &all) && json_object_is_type(all, json_type_object)) {
        json_object_object_del(all, shop_key(req, sf));
        shop_session_touch(s);
    }
    status_memo_drop(req);
}

static void compute_status(shop_req_t *req, const shop_storefront_t *sf, shop_step_status_t st[SHOP_NSTEPS])
{
    st[SHOP_STEP_REQUIREMENTS].needed = shop_checkout_requirements_needed(req, sf);
    st[SHOP_STEP_REQUIREMENTS].complete = !st[SHOP_STEP_REQUIREMENTS].needed
                                          || shop_checkout_requirements_complete(req, sf);
    st[SHOP_STEP_PARTICIPANTS].needed = shop_checkout_participants_needed(req, sf);
    st[SHOP_STEP_PARTICIPANTS].complete = !st[SHOP_STEP_PARTICIPANTS].needed
                                          || shop_checkout_participants_complete(req, sf);
    st[SHOP_STEP_CUSTOMER].needed = 1;
    st[SHOP_STEP_CUSTOMER].complete = shop_checkout_customer_complete(req, sf);
    st[SHOP_STEP_ORDER].needed = 1;
    st[SHOP_STEP_ORDER].complete = 0;       /* done by placing the order */
}

void shop_checkout_status(shop_req_t *req, const shop_storefront_t *sf, shop_step_status_t st[SHOP_NSTEPS])
{
    status_memo_t *memo = NULL;
    apr_pool_userdata_get((void **)&memo, status_memo_key, req->r->pool);
    if (!memo || memo->shop_id != sf->shop_id) {
        shop_step_status_t fresh[SHOP_NSTEPS];
        /* computing may prune stale assignments (shop_checkout_changed): keep the memo only afterwards */
        compute_status(req, sf, fresh);
        memo = apr_palloc(req->r->pool, sizeof(*memo));
        memo->shop_id = sf->shop_id;
        memcpy(memo->st, fresh, sizeof(fresh));
        apr_pool_userdata_setn(memo, status_memo_key, NULL, req->r->pool);
    }
    memcpy(st, memo->st, sizeof(memo->st));
}

const char *shop_checkout_path(shop_req_t *req, const shop_storefront_t *sf, const char *page)
{
    return shop_storefront_path(req, sf, apr_pstrcat(req->r->pool, "/checkout/", page, NULL));
}

/* The first needed step before `step` that is not complete, or SHOP_NSTEPS. */
static shop_step_t first_incomplete_before(const shop_step_status_t *st, shop_step_t step)
{
    for (int i = 0; i < (int)step; i++)
        if (st[i].needed && !st[i].complete) return (shop_step_t)i;
    return SHOP_NSTEPS;
}

static shop_step_t next_needed(const shop_step_status_t *st, shop_step_t step)
{
    for (int i = (int)step + 1; i < SHOP_NSTEPS; i++)
        if (st[i].needed) return (shop_step_t)i;
    return SHOP_STEP_ORDER;
}

static int prev_needed(const shop_step_status_t *st, shop_step_t step)
{
    for (int i = (int)step - 1; i >= 0; i--)
        if (st[i].needed) return i;
    return -1;
}

static int api_conflict(shop_req_t *req, const char *code, const char *message_key, const char *step)
{
    json_object *fields = NULL;
    if (step) {
        fields = json_object_new_object();
        json_object_object_add(fields, "step", json_object_new_string(step));
    }
    return shop_render_error(req, HTTP_CONFLICT, code, message_key, fields);
}

static int lost_cart(shop_req_t *req, const shop_storefront_t *sf)
{
    if (req->is_api) return api_conflict(req, "cart_empty", "checkout_error_cart_empty", NULL);
    return shop_redirect_local(req, shop_storefront_path(req, sf, "/?notice=cart_lost"));
}

int shop_checkout_enter(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step)
{
    if (!shop_cart_items(req, sf)) {
        lost_cart(req, sf);
        return 0;
    }
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    shop_step_t todo = first_incomplete_before(st, step);
    if (todo != SHOP_NSTEPS) {
        if (req->is_api) api_conflict(req, "step_incomplete", "checkout_error_step_incomplete", shop_step_name(todo));
        else shop_redirect_local(req, shop_checkout_path(req, sf, shop_step_name(todo)));
        return 0;
    }
    if (!st[step].needed && !req->is_api) {
        shop_redirect_local(req, shop_checkout_path(req, sf, shop_step_name(next_needed(st, step))));
        return 0;
    }
    return 1;
}

int shop_checkout_next(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step)
{
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    return shop_redirect_local(req, shop_checkout_path(req, sf, shop_step_name(next_needed(st, step))));
}

int shop_checkout_back(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step)
{
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    int prev = prev_needed(st, step);
    return shop_redirect_local(req, prev < 0 ? shop_cart_path(req, sf) : shop_checkout_path(req, sf, shop_step_name(prev)));
}

/* The progress list: one entry per step with its state for the template
 * (done, current, todo or skipped) and a link to the steps one may go back to. */
static json_object *progress_json(shop_req_t *req, const shop_storefront_t *sf, shop_step_t current,
                                  const shop_step_status_t *st)
{
    json_object *list = json_object_new_array();
    int number = 0;
    for (int i = 0; i < SHOP_NSTEPS; i++) {
        json_object *o = json_object_new_object();
        const char *state = !st[i].needed ? "skipped" : i == (int)current ? "current"
                          : i < (int)current ? "done" : "todo";
        json_object_object_add(o, "name", json_object_new_string(step_names[i]));
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "checkout_step_", step_names[i], NULL))));
        json_object_object_add(o, "state", json_object_new_string(state));
        json_object_object_add(o, "state_text", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "checkout_state_", state, NULL))));
        json_object_object_add(o, state, json_object_new_boolean(1));
        if (st[i].needed) json_object_object_add(o, "number", json_object_new_int(++number));
        if (st[i].needed && i < (int)current)
            json_object_object_add(o, "url", json_object_new_string(shop_checkout_path(req, sf, step_names[i])));
        json_object_array_add(list, o);
    }
    return list;
}

int shop_checkout_render(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step, int status,
                         const char *tpl, json_object *data)
{
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    if (!data) data = json_object_new_object();
    json_object_object_add(data, "progress", progress_json(req, sf, step, st));
    json_object_object_add(data, "step", json_object_new_string(step_names[step]));
    json_object_object_add(data, "step_title", json_object_new_string(
        shop_req_text(req, apr_pstrcat(req->r->pool, "checkout_step_", step_names[step], NULL))));
    json_object_object_add(data, "shop_id", json_object_new_int64(sf->shop_id));
    json_object_object_add(data, "shop_name", json_object_new_string(sf->name ? sf->name : ""));
    json_object_object_add(data, "form_action", json_object_new_string(
        apr_pstrcat(req->r->pool, req->conf->public_path, shop_checkout_path(req, sf, step_names[step]), NULL)));
    if (!json_object_object_get_ex(data, "title", NULL))
        json_object_object_add(data, "title", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "checkout_step_", step_names[step], NULL))));
    return shop_render_page(req, status, tpl, data);
}

static json_object *steps_json(const shop_step_status_t *st)
{
    json_object *list = json_object_new_array();
    for (int i = 0; i < SHOP_NSTEPS; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(step_names[i]));
        json_object_object_add(o, "needed", json_object_new_boolean(st[i].needed));
        json_object_object_add(o, "complete", json_object_new_boolean(st[i].complete));
        json_object_array_add(list, o);
    }
    return list;
}

int shop_checkout_api_done(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step, json_object *extra)
{
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    json_object *body = extra ? extra : json_object_new_object();
    json_object_object_add(body, "step", json_object_new_string(step_names[step]));
    json_object_object_add(body, "complete", json_object_new_boolean(st[step].complete));
    shop_step_t todo = first_incomplete_before(st, SHOP_STEP_ORDER);
    if (todo == SHOP_NSTEPS) todo = SHOP_STEP_ORDER;
    json_object_object_add(body, "next", json_object_new_string(step_names[todo]));
    json_object_object_add(body, "steps", steps_json(st));
    return shop_render_json(req, HTTP_OK, body);
}

/* GET /checkout: the first step that still needs something. */
int shop_page_checkout(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    if (!shop_cart_items(req, sf)) return lost_cart(req, sf);
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    shop_step_t todo = first_incomplete_before(st, SHOP_STEP_ORDER);
    if (todo == SHOP_NSTEPS) todo = SHOP_STEP_ORDER;
    return shop_redirect_local(req, shop_checkout_path(req, sf, step_names[todo]));
}

/* GET /api/v1/checkout: the steps and what they hold. */
int shop_api_checkout_get(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_step_status_t st[SHOP_NSTEPS];
    shop_checkout_status(req, sf, st);
    json_object *body = json_object_new_object(), *state = shop_checkout_state(req, sf, 0);
    json_object_object_add(body, "shop", json_object_new_int64(sf->shop_id));
    json_object_object_add(body, "cart_empty", json_object_new_boolean(shop_cart_items(req, sf) == NULL));
    json_object_object_add(body, "steps", steps_json(st));
    /* a copy: the state belongs to the session */
    json_object *copy = NULL, *people;
    if (state) json_object_deep_copy(state, &copy, NULL);
    if (copy && json_object_object_get_ex(copy, "participants", &people))
        json_object_object_add(copy, "participants", shop_checkout_participants_view(req, people));
    json_object_object_add(body, "state", copy ? copy : json_object_new_object());
    return shop_render_json(req, HTTP_OK, body);
}
