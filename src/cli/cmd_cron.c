/* shopctl cron: periodic work.  Today: give back the stock held by unpaid
 * bills whose hold expired, purge expired sessions, spent ticket nonces and
 * finished rate-limit windows.  Later layers add mail retries and
 * production retries here. */
#include "cli/cli.h"
#include "data/session_repo.h"
#include "data/throttle_repo.h"
#include "services/placement.h"

#include <apr_time.h>
#include <stdio.h>

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
    return SHOP_EXIT_OK;
}
