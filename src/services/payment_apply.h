/* Applying a payment event to its bill (ARCHITECTURE "Payment apply"): the
 * one function that turns money received into a bill state, for offline
 * payments recorded by staff now and for every gateway later.
 *
 * One transaction:
 *   1. the event is inserted under UNIQUE (gateway, event_id): a duplicate is
 *      a no-op answered DUPLICATE (success for the caller);
 *   2. the bill is locked; unknown transid: UNKNOWN_BILL (event kept);
 *   3. currency must be the bill's, the amount > 0 and at most what is still
 *      due: MISMATCH otherwise (event kept with result 'mismatch', bill
 *      untouched);
 *   4. paid_minor += amount; when the bill is then paid in full it moves to
 *      SOLDOUT (services/bill_workflow.h: invoice number, stock sold, mails,
 *      production after commit), else to PARTIAL;
 *   5. the event's result is recorded ('applied').
 * Outcomes other than "paid" (refused, failed, cancelled) move the bill to
 * REFUSED, FAILED or CANCELLED when the table allows it. */
#ifndef SHOP_SERVICES_PAYMENT_APPLY_H
#define SHOP_SERVICES_PAYMENT_APPLY_H

#include "data/db.h"
#include "services/env.h"
#include "services/bill_workflow.h"

typedef struct shop_pay_event {
    const char *gateway;          /* paymode name: check, transfer, ... */
    const char *event_id;         /* gateway event id, offline: the reference typed by staff */
    const char *transid;
    const char *gateway_ref;      /* may be NULL */
    apr_int64_t amount_minor;
    const char *currency;
    const char *outcome;          /* "paid" | "pending" | "refused" | "failed" | "cancelled" */
    const char *paid_on;          /* YYYY-MM-DD of an offline payment, or NULL */
    const char *remote_ip;        /* may be NULL */
    const char *raw_payload;      /* body as received, may be NULL */
    apr_size_t raw_len;
} shop_pay_event_t;

typedef enum {
    SHOP_PAY_APPLIED = 0,
    SHOP_PAY_DUPLICATE,           /* seen before: nothing changed */
    SHOP_PAY_UNKNOWN_BILL,
    SHOP_PAY_MISMATCH,            /* currency, amount or state does not fit: bill untouched */
    SHOP_PAY_IGNORED              /* pending: recorded only */
} shop_pay_status_t;

typedef struct shop_pay_result {
    shop_pay_status_t status;
    const char *detail;           /* MISMATCH: "currency" | "amount" | "state"; DUPLICATE: the first
                                     delivery's result ("applied", "mismatch", "ignored"...), or
                                     "other_bill" when that event id was used for another bill */
    shop_tr_result_t transition;  /* what happened to the bill (status OK or NOOP) */
    apr_int64_t event_id;
} shop_pay_result_t;

/* Apply (above) and, after commit, the transition's after-commit work.
 * 0 with out->status, or a MySQL errno. */
int shop_payment_apply(shop_db_t *db, const shop_env_t *env, const shop_pay_event_t *ev,
                       const shop_actor_t *actor, apr_int64_t now, shop_pay_result_t *out);

#endif
