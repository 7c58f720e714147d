/* Step "participants" (local_shop users, §3.5): the people who take the
 * seats of the cart and who holds which role on which product.
 *
 * HTML: GET /checkout/participants; POST /checkout/participants with
 * action=add (lastname, firstname, email, city, phone, institution),
 * add_self (the logged-in buyer), remove (email), assign / unassign (code,
 * role, email), or no action and nav=back|next.  Every action answers 303
 * to the page, or 400 with the page and the error next to its form.
 * Participant fields and assignment fields are read from req->raw_params
 * and checked here (core/seats.h), so a bad value comes back as a field
 * error rather than the router's generic 400.
 * The API (PUT /api/v1/checkout/participants) is in checkout_participants_api.c;
 * the state helpers and the step's hooks in checkout_seats.c. */
#include "web/checkout.h"
#include "web/checkout_seats.h"
#include "web/render.h"
#include "web/router.h"

#include "http_protocol.h"
#include <apr_strings.h>

static const char *raw(shop_req_t *req, const char *name)
{
    const char *v = apr_table_get(req->raw_params, name);
    return v ? v : "";
}

static json_object *person_view(json_object *o, int reveal)
{
    json_object *v = json_object_new_object(), *x;
    static const char *const keys[] = { "lastname", "firstname", "email", "city", "phone", "institution" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        json_object_object_add(v, keys[i], json_object_new_string(
            json_object_object_get_ex(o, keys[i], &x) && json_object_is_type(x, json_type_string)
            ? json_object_get_string(x) : ""));
    int has = json_object_object_get_ex(o, "userid", &x) && json_object_get_int64(x) > 0;
    if (reveal) json_object_object_add(v, "has_account", json_object_new_boolean(has));
    return v;
}

static const char *full_name(apr_pool_t *pool, json_object *person)
{
    json_object *f, *l;
    json_object_object_get_ex(person, "firstname", &f);
    json_object_object_get_ex(person, "lastname", &l);
    return apr_pstrcat(pool, f ? json_object_get_string(f) : "", " ", l ? json_object_get_string(l) : "", NULL);
}

/* A translated text with {n} replaced by n (texts are not format strings). */
static const char *with_number(apr_pool_t *pool, const char *text, apr_int64_t n)
{
    const char *at = strstr(text, "{n}");
    if (!at) return text;
    return apr_psprintf(pool, "%.*s%" APR_INT64_T_FMT "%s", (int)(at - text), text, n, at + 3);
}

/* The page.  form: the add form's values {field: value} (may be NULL);
 * errors: {"add.FIELD" | "CODE.ROLE" | "": message key} (may be NULL). */
static int page(shop_req_t *req, const shop_storefront_t *sf, int status, json_object *form, json_object *errors)
{
    apr_pool_t *pool = req->r->pool;
    json_object *people = shop_checkout_participants(req, sf, 0);
    json_object *all = shop_checkout_assignments(req, sf, 0);
    apr_array_header_t *lines = shop_checkout_seat_lines(req, sf);
    json_object *data = json_object_new_object(), *list = json_object_new_array(), *e;
    size_t npeople = people ? json_object_array_length(people) : 0;

    int reveal = shop_checkout_reveal_accounts(req);
    for (size_t i = 0; i < npeople; i++)
        json_object_array_add(list, person_view(json_object_array_get_idx(people, i), reveal));
    json_object_object_add(data, "reveal_accounts", json_object_new_boolean(reveal));
    json_object_object_add(data, "participants", list);
    json_object_object_add(data, "has_participants", json_object_new_boolean(npeople > 0));

    json_object *blocks = json_object_new_array();
    for (int i = 0; i < lines->nelts; i++) {
        const shop_checkout_seat_line_t *sl = &APR_ARRAY_IDX(lines, i, shop_checkout_seat_line_t);
        json_object *b = json_object_new_object(), *roles = json_object_new_array(), *assign = NULL;
        if (all) json_object_object_get_ex(all, sl->s.code, &assign);
        json_object_object_add(b, "code", json_object_new_string(sl->s.code));
        json_object_object_add(b, "name", json_object_new_string(sl->product->name));
        json_object_object_add(b, "quantity", json_object_new_int64(sl->s.quantity));
        json_object_object_add(b, "seats", json_object_new_int64(sl->s.seats));
        for (int r = 0; r < sl->s.roles->nelts; r++) {
            const char *role = APR_ARRAY_IDX(sl->s.roles, r, const char *);
            json_object *ro = json_object_new_object(), *held = json_object_new_array(), *cands = json_object_new_array();
            json_object *rl = NULL;
            if (assign) json_object_object_get_ex(assign, role, &rl);
            for (size_t k = 0; rl && k < json_object_array_length(rl); k++) {
                const char *email = json_object_get_string(json_object_array_get_idx(rl, k));
                int at = shop_participants_find(people, email);
                json_object *h = json_object_new_object();
                json_object_object_add(h, "email", json_object_new_string(email));
                json_object_object_add(h, "name", json_object_new_string(
                    at >= 0 ? full_name(pool, json_object_array_get_idx(people, at)) : email));
                json_object_array_add(held, h);
            }
            for (size_t k = 0; k < npeople; k++) {
                json_object *person = json_object_array_get_idx(people, k), *em;
                json_object_object_get_ex(person, "email", &em);
                if (shop_seats_assign_check(&sl->s, assign, role, json_object_get_string(em), 1)) continue;
                json_object *c = json_object_new_object();
                json_object_object_add(c, "email", json_object_new_string(json_object_get_string(em)));
                json_object_object_add(c, "name", json_object_new_string(full_name(pool, person)));
                json_object_array_add(cands, c);
            }
            apr_int64_t cap = shop_seats_role_cap(role, sl->s.seats, sl->s.quantity);
            const char *id = apr_psprintf(pool, "as-%s-%s", sl->s.code, role);
            json_object_object_add(ro, "role", json_object_new_string(role));
            json_object_object_add(ro, "label", json_object_new_string(shop_checkout_role_label(req, role)));
            json_object_object_add(ro, "id", json_object_new_string(id));
            json_object_object_add(ro, "held", held);
            json_object_object_add(ro, "held_count", json_object_new_int((int)json_object_array_length(held)));
            json_object_object_add(ro, "cap", json_object_new_int64(cap));
            json_object_object_add(ro, "candidates", cands);
            json_object_object_add(ro, "can_assign", json_object_new_boolean(
                json_object_array_length(cands) > 0 && (apr_int64_t)json_object_array_length(held) < cap));
            if (errors && json_object_object_get_ex(errors, apr_psprintf(pool, "%s.%s", sl->s.code, role), &e))
                json_object_object_add(ro, "error", json_object_new_string(shop_req_text(req, json_object_get_string(e))));
            json_object_array_add(roles, ro);
        }
        json_object_object_add(b, "roles", roles);
        json_object_array_add(blocks, b);
    }
    json_object_object_add(data, "lines", blocks);

    /* the add form: values typed and errors next to each field */
    json_object *add = json_object_new_object(), *errs = json_object_new_object();
    static const char *const fields[] = { "lastname", "firstname", "email", "city", "phone", "institution" };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        json_object *v;
        if (form && json_object_object_get_ex(form, fields[i], &v))
            json_object_object_add(add, fields[i], json_object_new_string(json_object_get_string(v)));
        if (errors && json_object_object_get_ex(errors, apr_pstrcat(pool, "add.", fields[i], NULL), &e))
            json_object_object_add(errs, fields[i], json_object_new_string(shop_req_text(req, json_object_get_string(e))));
    }
    json_object_object_add(data, "add", add);
    json_object_object_add(data, "add_errors", errs);
    json_object_object_add(data, "phone_required", json_object_new_boolean(sf->enduser_phone_required));
    json_object_object_add(data, "org_required", json_object_new_boolean(sf->enduser_org_required));
    json_object_object_add(data, "max_participants", json_object_new_int(SHOP_SEATS_MAX_PARTICIPANTS));
    if (errors && json_object_object_get_ex(errors, "", &e))
        json_object_object_add(data, "page_error", json_object_new_string(shop_req_text(req, json_object_get_string(e))));
    if (errors && json_object_object_length(errors) > 0)
        json_object_object_add(data, "has_errors", json_object_new_boolean(1));

    shop_identity_t *id = shop_req_identity(req);
    if (id->userid > 0 && id->email && shop_participants_find(people, id->email) < 0)
        json_object_object_add(data, "can_add_self", json_object_new_boolean(1));

    apr_int64_t left = shop_checkout_seats_remaining(req, sf);
    int complete = shop_checkout_participants_complete(req, sf);
    json_object_object_add(data, "seats_left", json_object_new_int64(left));
    json_object_object_add(data, "seats_message", json_object_new_string(
        left > 0 ? with_number(pool, shop_req_text(req, left == 1 ? "participants_seat_left" : "participants_seats_left"),
                               left)
                 : shop_req_text(req, complete ? "participants_all_assigned" : "participants_roles_missing")));
    json_object_object_add(data, "complete", json_object_new_boolean(complete));
    json_object_object_add(data, "next_disabled", json_object_new_boolean(!complete));
    if (errors) json_object_put(errors);
    if (form) json_object_put(form);
    return shop_checkout_render(req, sf, SHOP_STEP_PARTICIPANTS, status, "front/checkout_participants", data);
}

int shop_page_checkout_participants(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_PARTICIPANTS)) return OK;
    return page(req, sf, HTTP_OK, NULL, NULL);
}

static int again(shop_req_t *req, const shop_storefront_t *sf)
{
    return shop_redirect_local(req, shop_checkout_path(req, sf, "participants"));
}

static int one_error(shop_req_t *req, const shop_storefront_t *sf, const char *where, const char *key)
{
    json_object *errors = json_object_new_object();
    json_object_object_add(errors, where, json_object_new_string(key));
    return page(req, sf, HTTP_BAD_REQUEST, NULL, errors);
}

/* action=add and add_self: the participant checked, recognised, appended. */
static int add_person(shop_req_t *req, const shop_storefront_t *sf, shop_participant_t *pt)
{
    shop_seats_error_t errs[SHOP_PARTICIPANT_NFIELDS];
    json_object *people = shop_checkout_participants(req, sf, 0), *errors = json_object_new_object();
    shop_participant_normalise(req->r->pool, pt);
    int n = shop_participant_validate(pt, sf->enduser_phone_required, sf->enduser_org_required, errs);
    for (int i = 0; i < n; i++)
        json_object_object_add(errors, apr_pstrcat(req->r->pool, "add.", errs[i].field, NULL), json_object_new_string(errs[i].key));
    if (n == 0 && shop_participants_find(people, pt->email) >= 0)
        json_object_object_add(errors, "add.email", json_object_new_string("participant_error_duplicate"));
    if (people && json_object_array_length(people) >= SHOP_SEATS_MAX_PARTICIPANTS)
        json_object_object_add(errors, "", json_object_new_string("participants_error_max"));
    if (json_object_object_length(errors) > 0) {
        shop_participant_t shown = *pt;
        shown.userid = 0;
        return page(req, sf, HTTP_BAD_REQUEST, shop_participant_json(&shown), errors);
    }
    json_object_put(errors);
    if (!pt->userid && shop_checkout_recognise(req, pt) != 0) return shop_render_unavailable(req);
    json_object_array_add(shop_checkout_participants(req, sf, 1), shop_participant_json(pt));
    shop_checkout_changed(req);
    return again(req, sf);
}

static int remove_person(shop_req_t *req, const shop_storefront_t *sf)
{
    const char *email = shop_seats_email_key(req->r->pool, raw(req, "email"));
    json_object *people = shop_checkout_participants(req, sf, 0);
    int at = shop_participants_find(people, email);
    if (at < 0) return one_error(req, sf, "", "participant_error_unknown");
    json_object_array_del_idx(people, at, 1);
    shop_checkout_changed(req);
    shop_checkout_assignments(req, sf, 0);        /* prunes this person's seats */
    return again(req, sf);
}

static int assign(shop_req_t *req, const shop_storefront_t *sf, int on)
{
    apr_pool_t *pool = req->r->pool;
    const char *code = raw(req, "code"), *role = raw(req, "role");
    const char *email = shop_seats_email_key(pool, raw(req, "email"));
    const shop_checkout_seat_line_t *sl = shop_checkout_seat_line(shop_checkout_seat_lines(req, sf), code);
    if (!sl) return one_error(req, sf, "", "assign_error_product");
    if (!shop_seats_role_required(&sl->s, role)) return one_error(req, sf, "", "assign_error_role");
    const char *where = apr_psprintf(pool, "%s.%s", sl->s.code, role);
    json_object *all = shop_checkout_assignments(req, sf, 1), *a, *list;
    if (!json_object_object_get_ex(all, sl->s.code, &a)) {
        a = json_object_new_object();
        json_object_object_add(all, sl->s.code, a);
    }
    if (!json_object_object_get_ex(a, role, &list)) {
        list = json_object_new_array();
        json_object_object_add(a, role, list);
    }
    if (on) {
        if (!*email) return one_error(req, sf, where, "assign_error_choose");
        const char *k = shop_seats_assign_check(&sl->s, a, role, email,
                                                shop_participants_find(shop_checkout_participants(req, sf, 0), email) >= 0);
        if (k) return one_error(req, sf, where, k);
        json_object_array_add(list, json_object_new_string(email));
    } else {
        for (size_t i = 0; i < json_object_array_length(list); i++)
            if (strcasecmp(json_object_get_string(json_object_array_get_idx(list, i)), email) == 0) {
                json_object_array_del_idx(list, i, 1);
                break;
            }
    }
    shop_checkout_changed(req);
    return again(req, sf);
}

int shop_page_checkout_participants_post(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf || !shop_checkout_enter(req, sf, SHOP_STEP_PARTICIPANTS)) return OK;
    const char *action = shop_req_param(req, "action"), *nav = shop_req_param(req, "nav");
    if (action && strcmp(action, "add") == 0) {
        shop_participant_t pt = { raw(req, "lastname"), raw(req, "firstname"), raw(req, "email"), raw(req, "city"),
                                  raw(req, "phone"), raw(req, "institution"), 0 };
        return add_person(req, sf, &pt);
    }
    if (action && strcmp(action, "add_self") == 0) {
        shop_identity_t *id = shop_req_identity(req);
        if (id->userid <= 0) return one_error(req, sf, "", "participants_error_not_logged_in");
        shop_participant_t pt = { id->lastname, id->firstname, id->email, "", raw(req, "phone"),
                                  raw(req, "institution"), id->userid };
        return add_person(req, sf, &pt);
    }
    if (action && strcmp(action, "remove") == 0) return remove_person(req, sf);
    if (action && strcmp(action, "assign") == 0) return assign(req, sf, 1);
    if (action && strcmp(action, "unassign") == 0) return assign(req, sf, 0);
    if (action) return one_error(req, sf, "", "participants_error_action");
    if (nav && strcmp(nav, "back") == 0) return shop_checkout_back(req, sf, SHOP_STEP_PARTICIPANTS);
    if (nav && strcmp(nav, "next") == 0) {
        if (!shop_checkout_participants_complete(req, sf)) return one_error(req, sf, "", "participants_error_incomplete");
        return shop_checkout_next(req, sf, SHOP_STEP_PARTICIPANTS);
    }
    return again(req, sf);
}

static const shop_param_t p_form[] = {
    { "shop", SHOP_P_ID, 10 }, { "nav", SHOP_P_CODE, 8 }, { "action", SHOP_P_CODE, 16 }, { NULL }
};
static const shop_param_t p_shop[] = {
    { "shop", SHOP_P_ID, 10 }, { NULL }
};

const shop_route_t shop_checkout_participants_routes[] = {
    { "GET",  "/checkout/participants", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop,
      shop_page_checkout_participants, 0 },
    /* participant and assignment fields are checked by the handler (raw_params) */
    { "POST", "/checkout/participants", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_form,
      shop_page_checkout_participants_post, 0 },
    { "PUT",  "/api/v1/checkout/participants", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 128 * 1024, p_shop,
      shop_api_checkout_participants, SHOP_ROUTE_API },
    { NULL }
};
