/* Queueing the shop's mails (services/mailer.h): who gets which template in
 * which language, rendered now and written to the outbox in the caller's
 * transaction.  Delivery is in mail_deliver.c. */
#include "services/mailer.h"
#include "services/mail_compose.h"
#include "services/mail_data.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/mail_message.h"
#include "data/mail_repo.h"
#include "data/moodle_repo.h"
#include "data/outbox_repo.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <string.h>

#define SUBJECT_MAX_CHARS 500          /* mail_outbox.subject */
#define RESET_TOKEN_LEN   32           /* Moodle: random_string(32) */

typedef struct recipient {
    const char *addr, *name, *lang;
} recipient_t;

typedef struct mailing {
    shop_db_t *db;
    const shop_env_t *env;
    apr_int64_t now, bill_id;
    const char *template_name;
    shop_mail_seller_t seller;
    int count;
} mailing_t;

static const char *default_lang(const shop_env_t *env)
{
    return env->default_lang && *env->default_lang ? env->default_lang : "en";
}

/* A loaded language for a Moodle or bill language ("" or unknown: the default). */
static const char *lang_for(const shop_env_t *env, const char *wanted)
{
    if (!env->i18n) return wanted && *wanted ? wanted : default_lang(env);
    return shop_i18n_negotiate(env->i18n, wanted && *wanted ? wanted : NULL, NULL, default_lang(env));
}

/* The first SUBJECT_MAX_CHARS characters. */
static const char *fit_subject(apr_pool_t *p, const char *s)
{
    apr_size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > SUBJECT_MAX_CHARS) break;
    }
    return s[i] ? apr_pstrndup(p, s, i) : s;
}

/* Render for one recipient and write the row. */
static int queue_one(mailing_t *m, const recipient_t *to, const char *reply_to, json_object *data)
{
    apr_pool_t *p = m->db->pool;
    shop_mail_content_t c;
    const char *error = NULL;
    if (shop_mail_compose(p, m->env, m->template_name, to->lang, data, &c, &error) != APR_SUCCESS) {
        /* a template mistake must not undo the event, nor reach the
         * reader: the row is kept, failed, with the reason */
        c.subject = apr_pstrcat(p, "[", m->template_name, "]", NULL);
        c.text = "";
        c.html = NULL;
        error = apr_pstrcat(p, "not rendered: ", error, NULL);
    }
    shop_outbox_mail_t row = {
        .bill_id = m->bill_id, .to_addr = to->addr, .to_name = shop_mail_one_line(p, to->name),
        .reply_to = reply_to && shop_mail_addr_ok(reply_to) ? reply_to : NULL,
        .subject = fit_subject(p, c.subject), .body_text = c.text, .body_html = c.html,
        .template_name = m->template_name, .error = error,
    };
    int rv = shop_outbox_enqueue(m->db, &row, m->now, NULL);
    if (rv == 0 && !error) m->count++;
    return rv;
}

static const char *sales_role(const shop_env_t *env)
{
    return env->sales_role && *env->sales_role ? env->sales_role : "sales";
}

/* Sales staff (the sales role at system context), else `sellermail`. */
static int staff(mailing_t *m, apr_array_header_t **out)
{
    apr_pool_t *p = m->db->pool;
    apr_array_header_t *list = apr_array_make(p, 4, sizeof(recipient_t));
    shop_rows_t *rows;
    int rv = shop_mail_repo_staff(m->db, sales_role(m->env), &rows);
    if (rv != 0) return rv;
    for (int i = 0; i < rows->nrows; i++) {
        const char *addr = shop_rows_str(rows, i, 1);
        if (!shop_mail_addr_ok(addr)) continue;
        recipient_t *r = apr_array_push(list);
        r->addr = addr;
        r->name = apr_pstrcat(p, shop_rows_str(rows, i, 2), " ", shop_rows_str(rows, i, 3), NULL);
        r->lang = lang_for(m->env, shop_rows_str(rows, i, 4));
    }
    if (list->nelts == 0 && shop_mail_addr_ok(m->seller.mail)) {
        recipient_t *r = apr_array_push(list);
        r->addr = m->seller.mail;
        r->name = m->seller.name;
        r->lang = lang_for(m->env, NULL);
    }
    *out = list;
    return 0;
}

typedef void (*add_data_fn)(mailing_t *m, json_object *data, const shop_mail_bill_t *b, const char *lang,
                            void *baton);

/* One mail per staff member, each in the member's language, replying to the customer. */
static int to_staff(mailing_t *m, const shop_mail_bill_t *b, add_data_fn extra, void *baton)
{
    apr_array_header_t *list;
    int rv = staff(m, &list);
    for (int i = 0; rv == 0 && i < list->nelts; i++) {
        const recipient_t *r = &APR_ARRAY_IDX(list, i, recipient_t);
        json_object *data = shop_mail_data_new(m->db->pool, &m->seller, r->name);
        shop_mail_data_bill(m->db->pool, m->env, data, b, r->lang, m->now);
        if (extra) extra(m, data, b, r->lang, baton);
        rv = queue_one(m, r, b->email, data);
    }
    return rv;
}

static int start(mailing_t *m, shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                 const char *template_name, shop_mail_bill_t **bill)
{
    memset(m, 0, sizeof(*m));
    m->db = db;
    m->env = env;
    m->now = now;
    m->bill_id = bill_id;
    m->template_name = template_name;
    int rv = shop_mail_seller_load(db, &m->seller);
    if (rv == 0 && bill) rv = shop_mail_repo_bill(db, bill_id, bill);
    return rv;
}

static int done(const mailing_t *m, int rv, int *count)
{
    if (count) *count = rv == 0 ? m->count : 0;
    return rv;
}

int shop_mail_order_received(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                             int *count)
{
    mailing_t m;
    shop_mail_bill_t *b = NULL;
    /* a refreshed order replaces a notice not sent yet; staff who were
     * told already see the bill as it is now through the link (and then
     * nothing else needs reading) */
    int sent = 0;
    int rv = shop_outbox_drop_queued(db, bill_id, "order_received", &sent);
    if (count) *count = 0;
    if (rv != 0 || sent) return rv;
    rv = start(&m, db, env, bill_id, now, "order_received", &b);
    if (rv == 0 && b) rv = to_staff(&m, b, NULL, NULL);
    return done(&m, rv, count);
}

static void add_payments(mailing_t *m, json_object *data, const shop_mail_bill_t *b, const char *lang, void *baton)
{
    shop_mail_data_payments(m->db->pool, m->env, data, baton, lang);
}

int shop_mail_transaction_confirmed(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                                    int *count)
{
    mailing_t m;
    shop_mail_bill_t *b = NULL;
    int rv = start(&m, db, env, bill_id, now, "transaction_confirmed", &b);
    if (rv != 0 || !b) return done(&m, rv, count);
    shop_rows_t *payments;
    if ((rv = shop_mail_repo_payments(db, bill_id, &payments)) == 0) rv = to_staff(&m, b, add_payments, payments);
    return done(&m, rv, count);
}

int shop_mail_production_feedback(shop_db_t *db, const shop_env_t *env, apr_int64_t bill_id, apr_int64_t now,
                                  int *count)
{
    mailing_t m;
    shop_mail_bill_t *b = NULL;
    int rv = start(&m, db, env, bill_id, now, "production_feedback", &b);
    if (rv != 0 || !b || !*b->email) return done(&m, rv, count);
    recipient_t to = { b->email, apr_pstrcat(db->pool, b->firstname, " ", b->lastname, NULL), lang_for(env, b->lang) };
    json_object *data = shop_mail_data_new(db->pool, &m.seller, to.name);
    shop_mail_data_bill(db->pool, env, data, b, to.lang, now);
    rv = queue_one(&m, &to, *m.seller.support_mail ? m.seller.support_mail : m.seller.mail, data);
    return done(&m, rv, count);
}

/* random_string(32) of Moodle: letters and digits, uniformly. */
static const char *reset_token(apr_pool_t *p)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char *out = apr_palloc(p, RESET_TOKEN_LEN + 1);
    int n = 0;
    unsigned char bytes[64];
    while (n < RESET_TOKEN_LEN) {
        if (shop_random_bytes(bytes, sizeof bytes) != APR_SUCCESS) return NULL;
        for (size_t i = 0; i < sizeof bytes && n < RESET_TOKEN_LEN; i++)
            if (bytes[i] < 248) out[n++] = alphabet[bytes[i] % 62];   /* 248 = 4 * 62: no bias */
    }
    out[n] = '\0';
    return out;
}

int shop_mail_account_created(shop_db_t *db, const shop_env_t *env, apr_int64_t userid, apr_int64_t bill_id,
                              apr_int64_t now, int *count)
{
    mailing_t m;
    shop_mail_bill_t *b = NULL;
    int rv = start(&m, db, env, bill_id, now, "account_created", bill_id > 0 ? &b : NULL);
    if (rv != 0) return done(&m, rv, count);
    if (!b) m.bill_id = 0;
    shop_moodle_user_t *user;
    if ((rv = shop_moodle_user_get(db, userid, sales_role(env), &user)) != 0 || !user) return done(&m, rv, count);
    const char *token = reset_token(db->pool);
    if (!token) return done(&m, -1, count);
    apr_int64_t lifetime;
    if ((rv = shop_mail_repo_pwresettime(db, &lifetime)) != 0) return done(&m, rv, count);
    if ((rv = shop_mail_repo_reset_token(db, userid, token, now)) != 0) return done(&m, rv, count);
    recipient_t to = {
        user->email, apr_pstrcat(db->pool, user->firstname, " ", user->lastname, NULL),
        lang_for(env, b ? b->lang : user->lang),
    };
    json_object *data = shop_mail_data_new(db->pool, &m.seller, to.name);
    if (b) shop_mail_data_bill(db->pool, env, data, b, to.lang, now);
    const char *moodle = env->moodle_url ? env->moodle_url : "";
    json_object *account = json_object_new_object();
    json_object_object_add(account, "username", shop_mail_str(db->pool, user->username));
    json_object_object_add(account, "reset_url", json_object_new_string(
        apr_pstrcat(db->pool, moodle, "/login/forgot_password.php?token=", token, NULL)));
    json_object_object_add(account, "forgot_url", json_object_new_string(
        apr_pstrcat(db->pool, moodle, "/login/forgot_password.php", NULL)));
    json_object_object_add(account, "login_url", json_object_new_string(
        apr_pstrcat(db->pool, moodle, "/login/index.php", NULL)));
    json_object_object_add(account, "expires_minutes", json_object_new_int64(lifetime / 60));
    json_object_object_add(data, "account", account);
    rv = queue_one(&m, &to, *m.seller.support_mail ? m.seller.support_mail : m.seller.mail, data);
    return done(&m, rv, count);
}
