/* shopctl mail: the outbox by hand.
 *   mail queue TEMPLATE ID [BILLID]   queue one of the shop's mails as its
 *                                     event would, then send what is due
 *                                     (ID: the bill; account_created: the
 *                                     Moodle user, BILLID optional)
 *   mail status                       rows per status, the oldest queued
 * Operators resend a notice with it; tests reach the templates whose events
 * belong to other layers through it. */
#include "cli/cli.h"
#include "services/mailer.h"

#include <apr_strings.h>
#include <apr_time.h>
#include <stdio.h>
#include <string.h>

#define QUEUE_SEND_MAX 100

typedef struct queue_job {
    const shop_env_t *env;
    const char *template_name;
    apr_int64_t id, bill_id, now;
    int count;
} queue_job_t;

static int queue_body(shop_db_t *db, void *baton)
{
    queue_job_t *j = baton;
    const char *t = j->template_name;
    if (!strcmp(t, "order_received")) return shop_mail_order_received(db, j->env, j->id, j->now, &j->count);
    if (!strcmp(t, "transaction_confirmed"))
        return shop_mail_transaction_confirmed(db, j->env, j->id, j->now, &j->count);
    if (!strcmp(t, "production_feedback"))
        return shop_mail_production_feedback(db, j->env, j->id, j->now, &j->count);
    return shop_mail_account_created(db, j->env, j->id, j->bill_id, j->now, &j->count);
}

static apr_int64_t positive_id(const char *s)
{
    char *end;
    apr_int64_t v = apr_strtoi64(s, &end, 10);
    return *s && !*end && v > 0 ? v : 0;
}

static int queue(shop_cli_t *cli, int argc, const char *const *argv)
{
    static const char *const templates[] = { "order_received", "transaction_confirmed", "production_feedback",
                                              "account_created" };
    int known = 0;
    for (size_t i = 0; argc >= 2 && i < sizeof templates / sizeof *templates; i++)
        known |= !strcmp(argv[0], templates[i]);
    int account = argc >= 1 && !strcmp(argv[0], "account_created");
    if (!known || argc > (account ? 3 : 2))
        return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl mail queue order_received|transaction_confirmed|"
                             "production_feedback BILLID | account_created USERID [BILLID]");
    queue_job_t job = { .template_name = argv[0], .id = positive_id(argv[1]),
                        .bill_id = argc == 3 ? positive_id(argv[2]) : 0, .now = apr_time_sec(apr_time_now()) };
    if (!job.id || (argc == 3 && !job.bill_id)) return shop_cli_fail(SHOP_EXIT_USAGE, "ids are positive integers");
    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc == SHOP_EXIT_OK) rc = shop_cli_env(cli, &job.env);
    if (rc != SHOP_EXIT_OK) return rc;
    if (shop_db_transaction(db, queue_body, &job) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "queueing failed: %s", db->last_message);
    printf("mails queued: %d\n", job.count);
    if (job.count == 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "nothing queued: no such %s, or nobody to write to",
                             account ? "user" : "bill");
    shop_mail_stats_t st;
    apr_int64_t bill = account ? job.bill_id : job.id;
    if (shop_mail_deliver_due(db, job.env, job.now, bill, QUEUE_SEND_MAX, &st) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "mail delivery failed: %s", db->last_message);
    printf("mails sent: %d, failed (retry later): %d, gave up: %d\n", st.sent, st.failed, st.gave_up);
    return SHOP_EXIT_OK;
}

static const shop_sql_t Q_STATUS = {
    "cli.mail_status",
    "SELECT status, COUNT(*), MIN(created_at) FROM {shop}mail_outbox GROUP BY status ORDER BY status"
};

static int status(shop_cli_t *cli)
{
    shop_db_t *db;
    int rc = shop_cli_db(cli, &db);
    if (rc != SHOP_EXIT_OK) return rc;
    shop_rows_t *rows;
    if (shop_db_select(db, &Q_STATUS, 0, NULL, &rows) != 0)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "outbox read failed: %s", db->last_message);
    apr_int64_t now = apr_time_sec(apr_time_now());
    for (int i = 0; i < rows->nrows; i++) {
        const char *st = shop_rows_str(rows, i, 0);
        printf("%-8s %" APR_INT64_T_FMT, st, shop_rows_i64(rows, i, 1, 0));
        if (!strcmp(st, "queued")) printf("  oldest %" APR_INT64_T_FMT " s ago", now - shop_rows_i64(rows, i, 2, now));
        printf("\n");
    }
    return SHOP_EXIT_OK;
}

int shop_cli_mail(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc >= 1 && !strcmp(argv[0], "queue")) return queue(cli, argc - 1, argv + 1);
    if (argc == 1 && !strcmp(argv[0], "status")) return status(cli);
    return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl mail queue TEMPLATE ID [BILLID] | mail status");
}
