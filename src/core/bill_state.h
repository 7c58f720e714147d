/* Bill states and the transitions between them (local_shop §4.2), as one
 * table: who may ask for each transition and what it sets off.  Pure data
 * and lookups; services/bill_workflow.c carries the side effects out.
 *
 * States keep local_shop's names.  "Paid" states are SOLDOUT, COMPLETE and
 * PAYBACK (money was received); entering SOLDOUT or COMPLETE from an unpaid
 * state issues the legal invoice number (SHOP_BT_INVOICE).
 *
 * Who:
 *   SHOP_BT_STAFF   a back-office button / the transition API (sales staff);
 *   SHOP_BT_SYSTEM  the shop itself: payment apply, production, cron.
 * A raw change (any state to any other, no side effect) is not in the table:
 * it is reserved to site admins and audited with raw = 1. */
#ifndef SHOP_CORE_BILL_STATE_H
#define SHOP_CORE_BILL_STATE_H

typedef enum {
    SHOP_BS_WORKING = 0, SHOP_BS_PLACED, SHOP_BS_PENDING, SHOP_BS_PREPROD, SHOP_BS_SOLDOUT,
    SHOP_BS_PARTIAL, SHOP_BS_COMPLETE, SHOP_BS_PAYBACK, SHOP_BS_FAILED, SHOP_BS_REFUSED,
    SHOP_BS_CANCELLED,
    SHOP_BS_COUNT
} shop_bill_status_t;

/* Side effects, carried out in this order by the workflow. */
#define SHOP_BT_STAFF          0x0001  /* offered to staff */
#define SHOP_BT_SYSTEM         0x0002  /* done by the shop itself */
#define SHOP_BT_PREPAY         0x0010  /* run pre-pay production of every line (after commit) */
#define SHOP_BT_POSTPAY        0x0020  /* run post-pay production of every line (after commit) */
#define SHOP_BT_INVOICE        0x0040  /* issue the invoice number (in the transaction) unless issued */
#define SHOP_BT_CREDIT         0x0080  /* issue a credit note for the invoice, if any (in the transaction) */
#define SHOP_BT_RELEASE_STOCK  0x0100  /* give back the unreleased stock holds */
#define SHOP_BT_SELL_STOCK     0x0200  /* holds become sales: stock -= q, reserved -= q */
#define SHOP_BT_MAIL_CONFIRM   0x0400  /* queue "transaction confirmed" to sales staff */
#define SHOP_BT_PAID_AT        0x0800  /* set paid_at (and sale_at) when unset */

typedef struct shop_bill_transition {
    shop_bill_status_t from, to;
    unsigned flags;
} shop_bill_transition_t;

/* "WORKING", ... ; NULL for an out-of-range value. */
const char *shop_bill_status_name(shop_bill_status_t s);

/* Parse an exact upper-case name.  0, or -1 when unknown. */
int shop_bill_status_parse(const char *name, shop_bill_status_t *out);

/* The transition from -> to, or NULL when the table has none. */
const shop_bill_transition_t *shop_bill_transition_find(shop_bill_status_t from, shop_bill_status_t to);

/* The transitions leaving `from` whose flags include any of `who`
 * (SHOP_BT_STAFF, SHOP_BT_SYSTEM), in table order; returns how many were
 * written to out (at most max). */
int shop_bill_transitions_from(shop_bill_status_t from, unsigned who, const shop_bill_transition_t **out, int max);

/* Must staff say why?  Moving to CANCELLED, PAYBACK or REFUSED, and every
 * raw change (the back office and the API refuse such a change without a
 * reason; the shop's own transitions write theirs). */
int shop_bill_reason_required(shop_bill_status_t to, int raw);

/* SOLDOUT, COMPLETE, PAYBACK. */
int shop_bill_status_is_paid(shop_bill_status_t s);

/* CANCELLED, REFUSED, FAILED, COMPLETE: no payment expected any more
 * (REFUSED and FAILED may still be moved on by staff). */
int shop_bill_status_is_closed(shop_bill_status_t s);

#endif
