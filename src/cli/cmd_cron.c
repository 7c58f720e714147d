/* shopctl cron: periodic work.  Today: give back the stock held by unpaid
 * bills whose hold expired, purge expired sessions, spent ticket nonces and
 * finished rate-limit windows.  Later layers add mail retries and
 * production retries here. */
#include "cli/cli.h"
#include "data/session_repo.h"
#include "data/throttle_repo.h"
#include "services/invoicing.h"
#include "services/mailer.h"
#include "services/placement.h"
#include "services/production.h"

#include <apr_time.h>
#include <stdio.h>

/* mails one cron run sends at most (the rest wait for the next run) */
#define SHOP_CRON_MAIL_BATCH 1000
/* bills one cron run produces at most, oldest first */
#define SHOP_CRON_PRODUCTION_BATCH 200

int shop_cli_cron(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc != 0) return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl cron");
    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc != SHOP_EXIT_OK) return rc;
    apr_int64_t now = apr_time_sec(apr_time_now());
    int released = 0;
    if (shop_stock_release_expired(db, now, &released) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "stock hold release failed: %s", db->last_message);
    printf("stock holds released: %d\n", released);
    int removed = 0;
    if (shop_session_repo_purge(db, apr_time_sec(apr_time_now()), &removed) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "session purge failed: %s", db->last_message);
    printf("sessions purged: %d\n", removed);
    /* the longest throttle window is an hour; keep a day for the operators' eyes */
    if (shop_throttle_purge(db, apr_time_sec(apr_time_now()) - 86400) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "throttle purge failed: %s", db->last_message);
    const shop_env_t *env;
    if ((rc = shop_cli_env(cli, &env)) != SHOP_EXIT_OK) return rc;
    /* paid or trusted bills with lines left to produce (before the mails: their feedback goes out now) */
    int produced_bills = 0, still_failing = 0;
    if (shop_production_retry_due(db, env, apr_time_sec(apr_time_now()), SHOP_CRON_PRODUCTION_BATCH,
                                  &produced_bills, &still_failing) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "production retries failed: %s", db->last_message);
    printf("production retried: %d bills, %d still failing\n", produced_bills, still_failing);
    /* mails due (first tries that failed on the request path, retries after backoff) */
    shop_mail_stats_t mails;
    if (shop_mail_deliver_due(db, env, apr_time_sec(apr_time_now()), 0, SHOP_CRON_MAIL_BATCH, &mails) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "mail delivery failed: %s", db->last_message);
    printf("mails sent: %d, failed (retry later): %d, gave up: %d\n", mails.sent, mails.failed, mails.gave_up);
    /* issued documents left without their PDF (a crash between the commit and the file) */
    int stored_pdfs = 0;
    int pdf_rv = shop_invoice_store_missing(db, env, &stored_pdfs);
    /* like a mail that fails, a document that cannot be made now is tried again next run */
    printf("invoice PDFs stored: %d%s\n", stored_pdfs, pdf_rv ? ", some failed (retry later, see the bills' trace)" : "");
    return SHOP_EXIT_OK;
}
