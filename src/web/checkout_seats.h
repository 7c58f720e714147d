/* The participants step's state in the session (checkout.h: participants,
 * assignments) over the cart as it is now, and the Moodle account check.
 * Shared by the page (checkout_participants.c) and the API
 * (checkout_participants_api.c). */
#ifndef SHOP_WEB_CHECKOUT_SEATS_H
#define SHOP_WEB_CHECKOUT_SEATS_H

#include "web/checkout_lines.h"

#include "core/seats.h"

typedef struct shop_checkout_seat_line {
    shop_seat_line_t s;                 /* code, quantity, seats, roles */
    const shop_product_t *product;
} shop_checkout_seat_line_t;

/* shop_checkout_seat_line_t of the cart lines that hold seats, in cart order. */
apr_array_header_t *shop_checkout_seat_lines(shop_req_t *req, const shop_storefront_t *sf);
const shop_checkout_seat_line_t *shop_checkout_seat_line(apr_array_header_t *lines, const char *code);

/* state.participants (an array) and state.assignments (an object
 * {CODE: {role: [emails]}}), created when `create`, else NULL when absent.
 * Assignments are read pruned: lines no longer holding seats, people no
 * longer participants and seats beyond the cart quantity are dropped (and
 * the session marked changed). */
json_object *shop_checkout_participants(shop_req_t *req, const shop_storefront_t *sf, int create);
json_object *shop_checkout_assignments(shop_req_t *req, const shop_storefront_t *sf, int create);

/* Replace both (owned objects, given away). */
void shop_checkout_seats_store(shop_req_t *req, const shop_storefront_t *sf, json_object *participants,
                               json_object *assignments);

/* Fill pt->userid with the Moodle account owning pt->email (0: none).  0, or
 * a database error (answer 503). */
int shop_checkout_recognise(shop_req_t *req, shop_participant_t *pt);

/* Students still to name over all lines (seats less students held). */
apr_int64_t shop_checkout_seats_remaining(shop_req_t *req, const shop_storefront_t *sf);

/* The name of a role in the page's language ("student" -> "Trainee"), the
 * role itself when we have no translation. */
const char *shop_checkout_role_label(shop_req_t *req, const char *role);

#endif
