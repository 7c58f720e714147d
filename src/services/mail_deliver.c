/* Delivering the outbox (shop_mail_deliver_due, services/mailer.h): claim a
 * due row, build its message (core/mail_message.h), send it (smtp_send.h),
 * record the outcome.  A mail is claimed by one sender only, so two crons,
 * or a cron and a request, never send it twice; a crash between sending and
 * recording leaves it 'sending' until the lease ends, then it is sent again
 * (at least once, never lost). */
#include "services/mailer.h"
#include "services/mail_data.h"
#include "services/smtp_send.h"
#include "core/crypto.h"
#include "core/mail_message.h"
#include "data/outbox_repo.h"

#include <apr_strings.h>
#include <string.h>

/* After a server let a send time out, the request path gives it only the
 * short timeouts (shop_smtp_open's hurry) for this long: buyers do not each
 * wait the full timeouts for a hanging relay, and a relay that is back is
 * used at once.  Per process, a hint only (losing it costs one more wait). */
#define SLOW_SERVER_MEMO 60
static apr_int64_t timed_out_at;       /* __atomic access: any thread may read or set it */

/* Seconds to wait after the Nth failed attempt (1, 5, 15, 60 minutes, then 4 hours). */
static apr_int64_t backoff(int attempts)
{
    static const apr_int64_t steps[] = { 60, 300, 900, 3600 };
    return attempts >= 1 && attempts <= 4 ? steps[attempts - 1] : 4 * 3600;
}

typedef struct sender {
    shop_db_t *db;
    const shop_env_t *env;
    apr_int64_t now;
    const char *from_addr, *from_name;
    shop_smtp_t *smtp;
    const char *down;               /* the server was unreachable: its error, for the rest of the run */
    int hurry;                      /* short timeouts (a recent timeout, on the request path) */
    shop_mail_stats_t *st;
} sender_t;

/* Same row, same Message-ID, whatever the attempt: a duplicate after a
 * crash reads as the same message to mail clients. */
static const char *message_id(apr_pool_t *p, const sender_t *s, const shop_outbox_mail_t *m)
{
    const char *what = apr_psprintf(p, "shop-mail|%" APR_INT64_T_FMT "|%" APR_INT64_T_FMT, m->id, m->created_at);
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    const char *tag = shop_hmac_sha256(s->env->secret, s->env->secret ? s->env->secret_len : 0, what, strlen(what),
                                       mac) == APR_SUCCESS ? shop_hex_encode(p, mac, 12) : "0";
    return apr_psprintf(p, "%s.%" APR_INT64_T_FMT "@%s", tag, m->id, strchr(s->from_addr, '@') + 1);
}

static int record_failure(sender_t *s, const shop_outbox_mail_t *m, const char *error, int permanent)
{
    int attempts = m->attempts + 1;
    int give_up = permanent || attempts >= SHOP_MAIL_MAX_ATTEMPTS;
    int rv = shop_outbox_mark_failed(s->db, m->id, error, s->now + backoff(attempts), give_up);
    if (rv == 0) {
        if (give_up) s->st->gave_up++;
        else s->st->failed++;
    }
    return rv;
}

static int deliver_one(sender_t *s, const shop_outbox_mail_t *m, apr_pool_t *scratch)
{
    shop_mail_msg_t msg = {
        .from_addr = s->from_addr, .from_name = s->from_name, .to_addr = m->to_addr, .to_name = m->to_name,
        .reply_to = m->reply_to, .subject = m->subject, .text = m->body_text ? m->body_text : "",
        .html = m->body_html, .date = m->created_at, .message_id = message_id(scratch, s, m),
    };
    const char *bytes, *error = NULL;
    apr_size_t len;
    /* a message that cannot be built never will be: give up at once */
    if (shop_mail_build(scratch, &msg, &bytes, &len, &error) != APR_SUCCESS)
        return record_failure(s, m, apr_pstrcat(scratch, "not sendable: ", error, NULL), 1);
    if (s->down) return record_failure(s, m, s->down, 0);
    if (!s->smtp && !(s->smtp = shop_smtp_open(s->db->pool, s->env->smtp_url, s->hurry, &error)))
        return record_failure(s, m, error, 0);
    shop_smtp_result_t r = shop_smtp_send(s->smtp, scratch, s->from_addr, m->to_addr, bytes, len, &error);
    if (r == SHOP_SMTP_OK) {
        if (__atomic_load_n(&timed_out_at, __ATOMIC_RELAXED)) __atomic_store_n(&timed_out_at, 0, __ATOMIC_RELAXED);
        int rv = shop_outbox_mark_sent(s->db, m->id, s->now);
        if (rv == 0) s->st->sent++;
        return rv;
    }
    /* the server is down: the other mails of this run fail the same way
     * without waiting for it again */
    if (r == SHOP_SMTP_UNREACHABLE || r == SHOP_SMTP_TIMED_OUT) s->down = apr_pstrdup(s->db->pool, error);
    if (r == SHOP_SMTP_TIMED_OUT) __atomic_store_n(&timed_out_at, s->now, __ATOMIC_RELAXED);
    return record_failure(s, m, error, 0);
}

/* ShopMailFrom, else the seller's address. */
static int sender_address(sender_t *s)
{
    apr_pool_t *p = s->db->pool;
    if (s->env->mail_from && shop_mail_parse_mailbox(p, s->env->mail_from, &s->from_name, &s->from_addr)) return 0;
    shop_mail_seller_t seller;
    int rv = shop_mail_seller_load(s->db, &seller);
    if (rv != 0) return rv;
    s->from_addr = shop_mail_addr_ok(seller.mail) ? seller.mail : NULL;
    s->from_name = shop_mail_one_line(p, seller.name);
    return 0;
}

int shop_mail_deliver_due(shop_db_t *db, const shop_env_t *env, apr_int64_t now, apr_int64_t bill_id, int max,
                          shop_mail_stats_t *st)
{
    memset(st, 0, sizeof(*st));
    /* no server configured: mails wait in the outbox */
    if (!env->smtp_url || !*env->smtp_url || max <= 0) return 0;
    sender_t s = { .db = db, .env = env, .now = now, .st = st };
    int rv;
    if (bill_id <= 0) {
        int requeued = 0;
        if ((rv = shop_outbox_requeue_stale(db, now, SHOP_MAIL_MAX_ATTEMPTS, &requeued)) != 0) return rv;
    }
    shop_rows_t *ids;
    if ((rv = shop_outbox_due(db, now, bill_id, max, &ids)) != 0) return rv;
    /* after a bill change that queued nothing, the settings are not read */
    if (ids->nrows == 0) return 0;
    if ((rv = sender_address(&s)) != 0 || !s.from_addr) return rv;
    apr_int64_t slow = __atomic_load_n(&timed_out_at, __ATOMIC_RELAXED);
    s.hurry = bill_id > 0 && slow && now - slow < SLOW_SERVER_MEMO;
    apr_pool_t *scratch;
    apr_pool_create(&scratch, db->pool);
    for (int i = 0; rv == 0 && i < ids->nrows; i++) {
        int claimed;
        shop_outbox_mail_t *m;
        rv = shop_outbox_claim(db, shop_rows_i64(ids, i, 0, 0), now, &claimed, &m);
        if (rv == 0 && claimed) rv = deliver_one(&s, m, scratch);
        apr_pool_clear(scratch);
    }
    apr_pool_destroy(scratch);
    return rv;
}
