/* Production of a bill (local_shop §4.4): each PRODUCT line runs its
 * action's pre-pay and then post-pay step (actions/action.h), each line in a
 * transaction of its own:
 *   - the line is locked; a line already marked (prepaid_at set for pre-pay,
 *     produced = 1 for post-pay) is skipped: re-running never produces twice;
 *   - the action runs; on success the marker, the line's feedback and the
 *     bill's accumulated production_feedback are written with it, atomically;
 *   - on failure the transaction is rolled back and, in a second one,
 *     production_attempts + 1 and the reason (production_error / prepay_error)
 *     are stored, with a trace line.  The bill keeps its state (SOLDOUT:
 *     the money stays recorded) until a retry (back-office button, `shopctl
 *     cron`) produces the rest.
 * When post-pay has produced every line of a SOLDOUT bill, the bill moves to
 * COMPLETE (system transition); the customer gets the production feedback
 * mail (signed link to the bill) and sales staff the confirmation. */
#ifndef SHOP_SERVICES_PRODUCTION_H
#define SHOP_SERVICES_PRODUCTION_H

#include "data/db.h"
#include "services/env.h"

typedef enum { SHOP_PRODUCE_PREPAY = 1, SHOP_PRODUCE_POSTPAY = 2, SHOP_PRODUCE_BOTH = 3 } shop_produce_phase_t;

typedef struct shop_production_report {
    int lines;          /* PRODUCT lines of the bill */
    int produced;       /* lines produced by this run */
    int skipped;        /* already produced before */
    int failed;         /* lines that failed in this run */
    int completed;      /* the bill moved to COMPLETE */
    const char *first_error;
} shop_production_report_t;

/* Run `phase` for every PRODUCT line of bill_id (above).  0 with *out, or a
 * MySQL errno when the bill could not be read. */
int shop_production_run(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, shop_produce_phase_t phase,
                        const shop_actor_t *actor, apr_int64_t now, shop_production_report_t *out);

/* Cron and the retry button: every paid or trusted bill (SOLDOUT, PREPROD)
 * with lines not produced, at most `max` bills, oldest first.  *bills counts
 * the bills tried, *failed those still failing. */
int shop_production_retry_due(shop_db_t *db, const shop_env_t *env, apr_int64_t now, int max,
                              int *bills, int *failed);

#endif
