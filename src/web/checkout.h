/* The checkout: the steps between the cart and a placed order
 * (local_shop §3.4–3.7), their order, the progress indicator, Back/Next, and
 * the state each step keeps in the shop session.
 *
 * Steps, in this order: requirements, participants, customer, order.  A step
 * is "needed" when it has something to ask (requirements: a cart product has
 * required data; participants: the cart holds seats; customer and order:
 * always) and "complete" when what it asks is answered and still valid for
 * the cart as it is now.  The shop's navsteps list is not read here: the
 * back office keeps it in this canonical order, and a step the cart needs is
 * never skipped, because an order without its required data or seat
 * assignments could not be produced.  A step that is not needed is skipped:
 * GET /checkout/STEP redirects to the next one.
 *
 * State: session data.checkout["<shop id>"], a JSON object shared by the
 * steps, each owning its keys (written by the step's own handlers only):
 *   requirements  {"CODE": [ {field: value, ...} one object per unit ]}
 *   participants  [ {"lastname","firstname","email","city","phone",
 *                    "institution","userid"} ]    (userid 0 = no account)
 *   assignments   {"CODE": {"student": ["email", ...], "ROLE": [...]}}
 *   customer      {"firstname","lastname","email","organisation","address",
 *                  "zip","city","country","phone"}
 *   invoicing     {"organisation","department","firstname","lastname",
 *                  "email","address","zip","city","country","vat_number"}
 *                 or absent (no distinct invoicing identity)
 *   customer_id   the {shop}customer row recorded at the customer step
 *   offer_codes   ["CODE", ...] offer codes accepted for this cart
 *   transid       the bill of this cart once placed (re-placing refreshes it)
 *   paymode       the payment mode chosen at the order step
 * The cart itself stays in data.carts (web/cart.c), the partner key of a
 * prefill link in data.partner. */
#ifndef SHOP_WEB_CHECKOUT_H
#define SHOP_WEB_CHECKOUT_H

#include "web/request.h"
#include "web/storefront.h"

typedef enum {
    SHOP_STEP_REQUIREMENTS = 0,
    SHOP_STEP_PARTICIPANTS,
    SHOP_STEP_CUSTOMER,
    SHOP_STEP_ORDER,
    SHOP_NSTEPS
} shop_step_t;

/* "requirements", "participants", "customer", "order". */
const char *shop_step_name(shop_step_t step);

/* This shop's cart ({CODE: quantity} in cart order), or NULL when there is
 * none or it is empty. */
json_object *shop_cart_items(shop_req_t *req, const shop_storefront_t *sf);

/* This shop's cart object, even empty; created when `create` (web/cart.c
 * touches the session when it writes a line), else NULL when there is none. */
json_object *shop_cart_of(shop_req_t *req, const shop_storefront_t *sf, int create);

/* This shop's checkout state (above), created when `create`; NULL otherwise
 * when there is none.  After changing it, call shop_checkout_changed(). */
json_object *shop_checkout_state(shop_req_t *req, const shop_storefront_t *sf, int create);
void shop_checkout_changed(shop_req_t *req);

/* The state's `key` when it holds a `type` (json_type_object or
 * json_type_array); when `create`, an empty one put there (replacing a value
 * of another type), else NULL. */
json_object *shop_checkout_state_key(shop_req_t *req, const shop_storefront_t *sf, const char *key, json_type type,
                                     int create);

/* May this buyer learn whether an e-mail has a Moodle account?  Only a
 * logged-in buyer (a company entering its staff): an anonymous visitor would
 * otherwise probe addresses through the participants.  The shop still
 * recognises accounts (and records their ids) for everybody. */
int shop_checkout_reveal_accounts(shop_req_t *req);

/* A copy of `participants` without their "userid" when accounts may not be
 * revealed (the caller owns it). */
json_object *shop_checkout_participants_view(shop_req_t *req, json_object *participants);

/* Forget the checkout state (after the cart is cleared). */
void shop_checkout_forget(shop_req_t *req, const shop_storefront_t *sf);

/* Each step's own judgement, implemented next to its handlers. */
int shop_checkout_requirements_needed(shop_req_t *req, const shop_storefront_t *sf);
int shop_checkout_requirements_complete(shop_req_t *req, const shop_storefront_t *sf);
int shop_checkout_participants_needed(shop_req_t *req, const shop_storefront_t *sf);
int shop_checkout_participants_complete(shop_req_t *req, const shop_storefront_t *sf);
int shop_checkout_customer_complete(shop_req_t *req, const shop_storefront_t *sf);

typedef struct shop_step_status {
    int needed;
    int complete;
} shop_step_status_t;

/* The state of every step for the current cart, computed once per request
 * and shop (shop_checkout_changed and shop_checkout_forget drop it). */
void shop_checkout_status(shop_req_t *req, const shop_storefront_t *sf, shop_step_status_t st[SHOP_NSTEPS]);

/* Guard at the top of every step handler (pages and API):
 *   - empty cart: pages redirect to the catalogue with the "cart lost"
 *     notice, the API answers 409 cart_empty;
 *   - an earlier needed step incomplete: pages redirect to it, the API
 *     answers 409 step_incomplete naming it;
 *   - this step not needed: pages redirect to the next step (the API lets
 *     the call through: storing nothing is harmless).
 * Returns 1 when the handler may go on, 0 when an answer was sent (the
 * handler then returns OK). */
int shop_checkout_enter(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step);

/* Render a step page: `tpl` extends the layout and includes the partials
 * "partials/checkout_progress" and "partials/checkout_nav"; this adds to `data`
 * the progress list, back/next URLs, the step name and the shop id. */
int shop_checkout_render(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step, int status,
                         const char *tpl, json_object *data);

/* 303 to the step after / before `step` that the cart needs (back from the
 * first step: the cart page). */
int shop_checkout_next(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step);
int shop_checkout_back(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step);

/* Path of a step page below the shop ("/checkout/order", with ?shop=ID when
 * not the default shop). */
const char *shop_checkout_path(shop_req_t *req, const shop_storefront_t *sf, const char *page);

/* API answer of a successful step PUT: {"step","complete","next":name|null,
 * "steps":[{"name","needed","complete"}]} plus `extra`'s keys (may be NULL). */
int shop_checkout_api_done(shop_req_t *req, const shop_storefront_t *sf, shop_step_t step, json_object *extra);

/* Handlers: GET /checkout (to the first step to do), GET /api/v1/checkout
 * (the whole state); each step's page, form and API below, in its file. */
int shop_page_checkout(shop_req_t *req);
int shop_api_checkout_get(shop_req_t *req);

int shop_page_checkout_requirements(shop_req_t *req);        /* checkout_requirements.c */
int shop_page_checkout_requirements_post(shop_req_t *req);
int shop_api_checkout_requirements(shop_req_t *req);
int shop_page_checkout_participants(shop_req_t *req);        /* checkout_participants.c */
int shop_page_checkout_participants_post(shop_req_t *req);
int shop_api_checkout_participants(shop_req_t *req);
int shop_page_checkout_customer(shop_req_t *req);            /* checkout_customer.c */
int shop_page_checkout_customer_post(shop_req_t *req);
int shop_api_checkout_customer(shop_req_t *req);
int shop_page_checkout_order(shop_req_t *req);               /* checkout_order.c */
int shop_page_checkout_order_post(shop_req_t *req);
int shop_api_checkout_order(shop_req_t *req);

#endif
