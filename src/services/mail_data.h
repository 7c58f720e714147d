/* The data mail templates see (services/mail_compose.h), built for one
 * recipient's language.  Every string is plain text, one line unless said
 * otherwise; amounts are formatted for the language (core/money.h).
 *
 *   seller      {name, mail, support_mail, support_phone}     (settings)
 *   recipient   {name}
 *   bill        {id, transid, order_number (B-YYYYMMDD-ID), title, shop_name, status,
 *                paymode, paymode_code, currency, untaxed, taxes, taxed, discount (null when none),
 *                shipping (null when none), to_pay, paid, item_count, invoice_number (null),
 *                placed_on (date), lines [{type, code, label, quantity, unit, total}],
 *                admin_url ({public_url}/admin/bills/ID),
 *                link (signed read link {public_url}/bill/TRANSID?sig=..., 90 days)}
 *   customer    {firstname, lastname, name, email, organisation (null), city, country (name), country_code}
 *   payments    [{amount, gateway, reference, date}]           (transaction_confirmed)
 *   feedback    {public, private, salesadmin}: text, null when empty (several lines);
 *   feedback_html {public, private, salesadmin}: sanitized HTML (core/html.h), for HTML
 *               templates only, printed with {{{ }}}
 *   account     {username, reset_url, forgot_url, expires_minutes}   (account_created) */
#ifndef SHOP_SERVICES_MAIL_DATA_H
#define SHOP_SERVICES_MAIL_DATA_H

#include <json.h>
#include "data/mail_repo.h"
#include "services/env.h"

typedef struct shop_mail_seller {
    const char *name, *mail, *support_mail, *support_phone;
} shop_mail_seller_t;

/* The seller's settings (empty strings when unset). */
int shop_mail_seller_load(shop_db_t *db, shop_mail_seller_t *out);

/* A new object {seller, recipient}, freed with the pool. */
json_object *shop_mail_data_new(apr_pool_t *p, const shop_mail_seller_t *seller, const char *recipient_name);

/* Add bill, customer and feedback of `b` for `lang` (links signed at `now`). */
void shop_mail_data_bill(apr_pool_t *p, const shop_env_t *env, json_object *data, const shop_mail_bill_t *b,
                         const char *lang, apr_int64_t now);

/* Add payments (rows of shop_mail_repo_payments) for `lang`. */
void shop_mail_data_payments(apr_pool_t *p, const shop_env_t *env, json_object *data, const shop_rows_t *rows,
                             const char *lang);

/* A date for people: "2026-03-14" (en) or "14/03/2026" (fr), UTC. */
const char *shop_mail_date(apr_pool_t *p, apr_int64_t when, const char *lang);

#endif
