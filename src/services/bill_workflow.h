/* Moving a bill from one state to another (core/bill_state.h's table), with
 * its side effects and its audit row.  The one way every part of the shop
 * changes a bill's status: back office, API, payment apply, production, cron.
 *
 * In the transaction (shop_bill_transition_in_txn, caller's transaction):
 *   1. the bill row is locked (SELECT ... FOR UPDATE) and its status read;
 *   2. the change is checked: to == from is NOOP; a raw change needs
 *      actor->is_admin (FORBIDDEN); otherwise the table must hold from -> to
 *      with the actor's kind (staff: SHOP_BT_STAFF, system: SHOP_BT_SYSTEM),
 *      else ILLEGAL, and a WORKING bill goes anywhere but CANCELLED only
 *      with a customer and at least one line, else INCOMPLETE (nothing
 *      written);
 *   3. side effects that belong with the change, in the flags' order: stock
 *      released or sold, invoice number issued (services/invoicing.h),
 *      credit note issued, paid_at/sale_at set, mails queued
 *      (services/mailer.h);
 *   4. status, version + 1, modified_at; one bill_state_log row (who, when,
 *      from, to, source, reason, raw); one trace line.
 * After commit (shop_bill_after_commit): the PDFs of the documents issued are
 * made and stored, production runs when the flags ask for it (each line in
 * its own transaction, services/production.h), queued mails are sent.  None
 * of that can undo the change: a failure there is recorded and retried by
 * `shopctl cron`.
 *
 * shop_bill_transition() does both: its own transaction (deadlock retry),
 * then the after-commit work. */
#ifndef SHOP_SERVICES_BILL_WORKFLOW_H
#define SHOP_SERVICES_BILL_WORKFLOW_H

#include "data/db.h"
#include "core/bill_state.h"
#include "services/env.h"

typedef enum {
    SHOP_TR_OK = 0,
    SHOP_TR_NOOP,            /* already in that state: nothing written */
    SHOP_TR_NOT_FOUND,
    SHOP_TR_ILLEGAL,         /* not an allowed transition for this actor */
    SHOP_TR_FORBIDDEN,       /* raw change by someone who is not a site admin */
    SHOP_TR_INCOMPLETE       /* a WORKING bill without customer or lines leaves only to CANCELLED */
} shop_tr_status_t;

#define SHOP_TR_RAW 0x1      /* flags: raw change, no side effect (site admins) */

typedef struct shop_tr_result {
    shop_tr_status_t status;
    apr_int64_t bill_id;
    shop_bill_status_t from, to;
    unsigned effects;        /* the SHOP_BT_* flags applied (0 for a raw change) */
    const char *invoice_number;          /* issued by this change, or NULL */
    apr_int64_t invoice_id;              /* the invoice issued, 0 = none */
    apr_int64_t credit_note_id;          /* the credit note issued, 0 = none */
    const char *credit_note_number;
    const char *missing;                 /* INCOMPLETE: "customer" | "lines" */
} shop_tr_result_t;

/* Steps 1-4 above, inside the caller's open transaction.  0 with out->status
 * (the caller rolls back unless OK/NOOP), or a MySQL errno. */
int shop_bill_transition_in_txn(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id,
                                shop_bill_status_t to, const shop_actor_t *actor, const char *reason,
                                int flags, apr_int64_t now, shop_tr_result_t *out);

/* The work that follows a committed transition (above).  Never fails the
 * transition; returns 0, or the first error met (already logged as trace). */
int shop_bill_after_commit(shop_db_t *db, const shop_env_t *env, const shop_tr_result_t *res,
                           const shop_actor_t *actor, apr_int64_t now);

/* Both, in a transaction of its own. 0 with out->status, or a MySQL errno. */
int shop_bill_transition(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, shop_bill_status_t to,
                         const shop_actor_t *actor, const char *reason, int flags, apr_int64_t now,
                         shop_tr_result_t *out);

/* The bill id of transid, or 0.  (Lookups for the API and the pages.) */
int shop_bill_id_by_transid(shop_db_t *db, const char *transid, apr_int64_t *id);

#endif
