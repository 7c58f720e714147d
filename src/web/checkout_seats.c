/* Participants and seat assignments in the checkout state (checkout_seats.h),
 * and the step's needed/complete hooks (checkout.h). */
#include "web/checkout_seats.h"
#include "web/checkout.h"

#include <apr_strings.h>

#include "data/moodle_repo.h"

apr_array_header_t *shop_checkout_seat_lines(shop_req_t *req, const shop_storefront_t *sf)
{
    apr_pool_t *pool = req->r->pool;
    const apr_array_header_t *lines = shop_checkout_lines(req, sf);
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(shop_checkout_seat_line_t));
    for (int i = 0; i < lines->nelts; i++) {
        const shop_checkout_line_t *l = &APR_ARRAY_IDX(lines, i, shop_checkout_line_t);
        apr_int64_t seats = shop_seats_count(l->product->seat_mode, l->quantity);
        if (seats <= 0) continue;
        shop_checkout_seat_line_t *sl = apr_array_push(out);
        sl->s.code = l->code;
        sl->s.quantity = l->quantity;
        sl->s.seats = seats;
        sl->s.roles = shop_seats_roles(pool, l->product->action_params);
        sl->product = l->product;
    }
    return out;
}

const shop_checkout_seat_line_t *shop_checkout_seat_line(apr_array_header_t *lines, const char *code)
{
    for (int i = 0; code && i < lines->nelts; i++) {
        const shop_checkout_seat_line_t *sl = &APR_ARRAY_IDX(lines, i, shop_checkout_seat_line_t);
        if (strcmp(sl->s.code, code) == 0) return sl;
    }
    return NULL;
}

json_object *shop_checkout_participants(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    return shop_checkout_state_key(req, sf, "participants", json_type_array, create);
}

json_object *shop_checkout_assignments(shop_req_t *req, const shop_storefront_t *sf, int create)
{
    json_object *all = shop_checkout_state_key(req, sf, "assignments", json_type_object, create);
    if (!all) return NULL;
    apr_array_header_t *lines = shop_checkout_seat_lines(req, sf);
    json_object *people = shop_checkout_participants(req, sf, 0), *gone = json_object_new_array();
    int dropped = 0;
    json_object_object_foreach(all, code, assign) {
        const shop_checkout_seat_line_t *sl = shop_checkout_seat_line(lines, code);
        if (!sl || !json_object_is_type(assign, json_type_object)) json_object_array_add(gone, json_object_new_string(code));
        else dropped += shop_seats_prune(&sl->s, assign, people);
    }
    for (size_t i = 0; i < json_object_array_length(gone); i++)
        json_object_object_del(all, json_object_get_string(json_object_array_get_idx(gone, i)));
    if (dropped || json_object_array_length(gone)) shop_checkout_changed(req);
    json_object_put(gone);
    return all;
}

void shop_checkout_seats_store(shop_req_t *req, const shop_storefront_t *sf, json_object *participants,
                               json_object *assignments)
{
    json_object *state = shop_checkout_state(req, sf, 1);
    json_object_object_add(state, "participants", participants);
    json_object_object_add(state, "assignments", assignments);
    shop_checkout_changed(req);
}

int shop_checkout_recognise(shop_req_t *req, shop_participant_t *pt)
{
    shop_moodle_cfg_t cfg;
    shop_moodle_account_t acc;
    shop_db_t *db = shop_req_db(req);
    pt->userid = 0;
    if (!db || shop_req_moodle_cfg(req, &cfg) != 0) return -1;
    int rv = shop_moodle_account_by_email(db, &cfg, pt->email, &acc);
    if (rv == 0) pt->userid = acc.id;
    return rv;
}

apr_int64_t shop_checkout_seats_remaining(shop_req_t *req, const shop_storefront_t *sf)
{
    apr_array_header_t *lines = shop_checkout_seat_lines(req, sf);
    json_object *all = shop_checkout_assignments(req, sf, 0), *assign;
    apr_int64_t left = 0;
    for (int i = 0; i < lines->nelts; i++) {
        const shop_checkout_seat_line_t *sl = &APR_ARRAY_IDX(lines, i, shop_checkout_seat_line_t);
        if (!all || !json_object_object_get_ex(all, sl->s.code, &assign)) assign = NULL;
        left += sl->s.seats - shop_seats_held(assign, "student");
    }
    return left;
}

const char *shop_checkout_role_label(shop_req_t *req, const char *role)
{
    const char *key = apr_pstrcat(req->r->pool, "participants_role_", role, NULL);
    const char *label = shop_req_text(req, key);
    return strcmp(label, key) == 0 ? role : label;
}

int shop_checkout_participants_needed(shop_req_t *req, const shop_storefront_t *sf)
{
    return shop_checkout_seat_lines(req, sf)->nelts > 0;
}

int shop_checkout_participants_complete(shop_req_t *req, const shop_storefront_t *sf)
{
    apr_array_header_t *lines = shop_checkout_seat_lines(req, sf);
    json_object *all = shop_checkout_assignments(req, sf, 0), *assign;
    for (int i = 0; i < lines->nelts; i++) {
        const shop_checkout_seat_line_t *sl = &APR_ARRAY_IDX(lines, i, shop_checkout_seat_line_t);
        if (!all || !json_object_object_get_ex(all, sl->s.code, &assign)) assign = NULL;
        if (!shop_seats_line_complete(&sl->s, assign)) return 0;
    }
    return 1;
}
