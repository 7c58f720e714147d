/*
 * bill_state.c -- see bill_state.h.
 *
 * The table below is the whole state machine.  Read a row as
 * "from -> to: who may ask, what it sets off".  STAFF rows are local_shop's
 * seeded flow-control pairs (§4.2); SYSTEM rows are what payments, gateways,
 * production and cron do on their own.  A pair offered to both carries both.
 *
 * Choices where local_shop is silent or loose:
 *   - entering SOLDOUT always runs pre-pay then post-pay production and
 *     issues the invoice, whatever the state it comes from (local_shop's
 *     PLACED->SOLDOUT = PLACED->PENDING->SOLDOUT);
 *   - PREPROD (produced on trust) -> PARTIAL / COMPLETE are also SYSTEM, so
 *     a payment received for a trusted order is recorded like any other
 *     (COMPLETE when paid in full: it is produced already);
 *   - cancelling releases the stock holds and credits the invoice if any;
 *     PAYBACK credits it (the refund is made outside the shop);
 *   - COMPLETE -> PAYBACK is added to local_shop's pairs: production moves
 *     a paid bill on to COMPLETE at once, and a refund of a delivered order
 *     must still be possible with its credit note (a raw change has none).
 */
#include "core/bill_state.h"

#include <stddef.h>
#include <string.h>

#define STAFF   SHOP_BT_STAFF
#define SYS     SHOP_BT_SYSTEM

/* what entering a state sets off */
#define PAID    (SHOP_BT_INVOICE | SHOP_BT_SELL_STOCK | SHOP_BT_PAID_AT | SHOP_BT_MAIL_CONFIRM)
#define SOLD    (PAID | SHOP_BT_PREPAY | SHOP_BT_POSTPAY)
#define TRUSTED (SHOP_BT_PREPAY | SHOP_BT_POSTPAY | SHOP_BT_SELL_STOCK)
#define CANCEL  (SHOP_BT_RELEASE_STOCK | SHOP_BT_CREDIT)
#define PREPAY  SHOP_BT_PREPAY
#define CREDIT  SHOP_BT_CREDIT
#define NONE    0

#define T(f, t, who, fx) { SHOP_BS_##f, SHOP_BS_##t, (who) | (fx) }

static const shop_bill_transition_t table[] = {
    /* from       to           who          effects */
    T(WORKING,  PLACED,      STAFF,       NONE),
    T(WORKING,  PENDING,     STAFF,       PREPAY),
    T(WORKING,  PARTIAL,     STAFF,       NONE),
    T(WORKING,  CANCELLED,   STAFF | SYS, CANCEL),

    T(PLACED,   PENDING,     STAFF,       PREPAY),
    T(PLACED,   PREPROD,     STAFF | SYS, TRUSTED),
    T(PLACED,   SOLDOUT,     STAFF | SYS, SOLD),
    T(PLACED,   PARTIAL,     SYS,         NONE),
    T(PLACED,   REFUSED,     SYS,         NONE),
    T(PLACED,   FAILED,      SYS,         NONE),
    T(PLACED,   CANCELLED,   STAFF | SYS, CANCEL),

    T(PENDING,  PREPROD,     SYS,         TRUSTED),
    T(PENDING,  SOLDOUT,     STAFF | SYS, SOLD),
    T(PENDING,  PARTIAL,     SYS,         NONE),
    T(PENDING,  REFUSED,     STAFF | SYS, NONE),
    T(PENDING,  FAILED,      SYS,         NONE),
    T(PENDING,  CANCELLED,   STAFF | SYS, CANCEL),

    T(PREPROD,  PARTIAL,     STAFF | SYS, NONE),
    T(PREPROD,  COMPLETE,    STAFF | SYS, PAID),

    T(PARTIAL,  SOLDOUT,     SYS,         SOLD),
    T(PARTIAL,  COMPLETE,    STAFF,       PAID),
    T(PARTIAL,  PAYBACK,     STAFF,       CREDIT),

    T(SOLDOUT,  COMPLETE,    STAFF | SYS, NONE),
    T(SOLDOUT,  PAYBACK,     STAFF,       CREDIT),

    T(COMPLETE, PAYBACK,     STAFF,       CREDIT),

    T(PAYBACK,  CANCELLED,   STAFF,       CANCEL),

    T(REFUSED,  PENDING,     STAFF,       PREPAY),
    T(REFUSED,  SOLDOUT,     STAFF | SYS, SOLD),

    T(FAILED,   SOLDOUT,     STAFF | SYS, SOLD),
    T(FAILED,   CANCELLED,   STAFF,       CANCEL),
};
#define NTABLE (sizeof table / sizeof table[0])

static const char *const names[SHOP_BS_COUNT] = {
    "WORKING", "PLACED", "PENDING", "PREPROD", "SOLDOUT", "PARTIAL", "COMPLETE", "PAYBACK", "FAILED",
    "REFUSED", "CANCELLED"
};

const char *shop_bill_status_name(shop_bill_status_t s)
{
    return (unsigned)s < SHOP_BS_COUNT ? names[s] : NULL;
}

int shop_bill_status_parse(const char *name, shop_bill_status_t *out)
{
    int i;

    if (name == NULL)
        return -1;
    for (i = 0; i < SHOP_BS_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (shop_bill_status_t)i;
            return 0;
        }
    return -1;
}

const shop_bill_transition_t *shop_bill_transition_find(shop_bill_status_t from, shop_bill_status_t to)
{
    size_t i;

    for (i = 0; i < NTABLE; i++)
        if (table[i].from == from && table[i].to == to)
            return &table[i];
    return NULL;
}

int shop_bill_transitions_from(shop_bill_status_t from, unsigned who, const shop_bill_transition_t **out, int max)
{
    size_t i;
    int n = 0;

    for (i = 0; i < NTABLE && n < max; i++)
        if (table[i].from == from && (table[i].flags & who))
            out[n++] = &table[i];
    return n;
}

int shop_bill_status_is_paid(shop_bill_status_t s)
{
    return s == SHOP_BS_SOLDOUT || s == SHOP_BS_COMPLETE || s == SHOP_BS_PAYBACK;
}

int shop_bill_status_is_closed(shop_bill_status_t s)
{
    return s == SHOP_BS_CANCELLED || s == SHOP_BS_REFUSED || s == SHOP_BS_FAILED || s == SHOP_BS_COMPLETE;
}

int shop_bill_reason_required(shop_bill_status_t to, int raw)
{
    return raw || to == SHOP_BS_CANCELLED || to == SHOP_BS_PAYBACK || to == SHOP_BS_REFUSED;
}
