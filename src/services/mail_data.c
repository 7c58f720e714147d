/* Template data of the mails: see mail_data.h. */
#include "services/mail_data.h"
#include "services/mail_compose.h"
#include "core/numbering.h"
#include "core/bill_link.h"
#include "core/currency.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/money.h"
#include "data/setting_repo.h"

#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>

/* U+E000 (private use) marks block ends while HTML becomes text, since
 * shop_html_to_text() folds every line break into a space. */
#define BREAK_MARK "\xee\x80\x80"

static apr_status_t put_json(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

int shop_mail_seller_load(shop_db_t *db, shop_mail_seller_t *out)
{
    out->name = out->mail = out->support_mail = out->support_phone = "";
    shop_rows_t *rows;
    int rv = shop_setting_all(db, &rows);
    if (rv != 0) return rv;
    for (int i = 0; i < rows->nrows; i++) {
        const char *name = shop_rows_str(rows, i, 0), *value = shop_rows_str(rows, i, 1);
        if (!value) continue;
        if (!strcmp(name, "sellername")) out->name = value;
        else if (!strcmp(name, "sellermail")) out->mail = value;
        else if (!strcmp(name, "sellermailsupport")) out->support_mail = value;
        else if (!strcmp(name, "sellerphonesupport")) out->support_phone = value;
    }
    return 0;
}

static json_object *str_or_null(apr_pool_t *p, const char *s)
{
    return s && *s ? shop_mail_str(p, s) : NULL;
}

json_object *shop_mail_data_new(apr_pool_t *p, const shop_mail_seller_t *seller, const char *recipient_name)
{
    json_object *data = json_object_new_object();
    apr_pool_cleanup_register(p, data, put_json, apr_pool_cleanup_null);
    json_object *s = json_object_new_object(), *r = json_object_new_object();
    json_object_object_add(s, "name", shop_mail_str(p, seller->name));
    json_object_object_add(s, "mail", str_or_null(p, seller->mail));
    json_object_object_add(s, "support_mail", str_or_null(p, *seller->support_mail ? seller->support_mail : seller->mail));
    json_object_object_add(s, "support_phone", str_or_null(p, seller->support_phone));
    json_object_object_add(r, "name", shop_mail_str(p, recipient_name));
    json_object_object_add(data, "seller", s);
    json_object_object_add(data, "recipient", r);
    return data;
}

const char *shop_mail_date(apr_pool_t *p, apr_int64_t when, const char *lang)
{
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, apr_time_from_sec(when));
    if (shop_currency_lang_is_fr(lang))
        return apr_psprintf(p, "%02d/%02d/%04d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    return apr_psprintf(p, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static json_object *money(apr_pool_t *p, apr_int64_t v, const shop_currency_t *cur, const char *lang)
{
    return json_object_new_string(shop_money_pformat(p, v, cur, lang));
}

/* Staff-written or action-made HTML as plain text, paragraphs kept. */
static const char *html_text(apr_pool_t *p, const char *html)
{
    const char *clean, *err;
    if (shop_html_sanitize(p, html, strlen(html), &clean, &err) != APR_SUCCESS) return "";
    static const char *const ends[] = { "</p>", "<br>", "</li>", "</h2>", "</h3>", "</h4>", "</tr>", "</blockquote>" };
    /* a mark already in the text would turn into a break: make it a space */
    const char *s = clean, *hit;
    while ((hit = strstr(s, BREAK_MARK)) != NULL)
        s = apr_pstrcat(p, apr_pstrmemdup(p, s, hit - s), " ", hit + 3, NULL);
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        const char *from = s;
        char *built = "";
        while ((hit = strstr(from, ends[i])) != NULL) {
            built = apr_pstrcat(p, built, apr_pstrmemdup(p, from, hit - from), ends[i], BREAK_MARK, NULL);
            from = hit + strlen(ends[i]);
        }
        s = apr_pstrcat(p, built, from, NULL);
    }
    const char *flat = shop_html_to_text(p, s, strlen(s));
    /* marks (and the spaces around them) become one line break; no blank runs */
    char *out = apr_palloc(p, strlen(flat) + 1), *o = out;
    int pending = 0;
    for (const char *c = flat; *c;) {
        if (!strncmp(c, BREAK_MARK, 3)) {
            while (o > out && o[-1] == ' ') o--;
            pending = o > out;
            c += 3;
            while (*c == ' ') c++;
            continue;
        }
        if (pending) *o++ = '\n';
        pending = 0;
        *o++ = *c++;
    }
    *o = '\0';
    return out;
}

/* {public, private, salesadmin} of one JSON text, appended to acc[]. */
static void gather_feedback(apr_pool_t *p, const char *json, const char *acc[3])
{
    static const char *const keys[] = { "public", "private", "salesadmin" };
    if (!json || !*json) return;
    json_object *o = json_tokener_parse(json), *v;
    if (!o) return;
    for (int k = 0; k < 3; k++)
        if (json_object_object_get_ex(o, keys[k], &v) && json_object_is_type(v, json_type_string)
            && *json_object_get_string(v))
            acc[k] = apr_pstrcat(p, acc[k] ? acc[k] : "", acc[k] ? "<br>" : "", json_object_get_string(v), NULL);
    json_object_put(o);
}

static void add_feedback(apr_pool_t *p, json_object *data, const shop_mail_bill_t *b)
{
    static const char *const keys[] = { "public", "private", "salesadmin" };
    const char *acc[3] = { NULL, NULL, NULL };
    gather_feedback(p, b->feedback, acc);
    /* the bill accumulates its lines' feedback; read the lines when it has none */
    if (!acc[0] && !acc[1] && !acc[2])
        for (int i = 0; b->lines && i < b->lines->nrows; i++) gather_feedback(p, shop_rows_str(b->lines, i, 6), acc);
    json_object *txt = json_object_new_object(), *html = json_object_new_object();
    for (int k = 0; k < 3; k++) {
        const char *t = acc[k] ? html_text(p, acc[k]) : "";
        const char *h = NULL, *err;
        if (acc[k] && shop_html_sanitize(p, acc[k], strlen(acc[k]), &h, &err) != APR_SUCCESS) h = NULL;
        json_object_object_add(txt, keys[k], *t ? json_object_new_string(t) : NULL);
        json_object_object_add(html, keys[k], *t && h ? json_object_new_string(h) : NULL);
    }
    json_object_object_add(data, "feedback", txt);
    json_object_object_add(data, "feedback_html", html);
}

static json_object *lines_json(apr_pool_t *p, const shop_mail_bill_t *b, const shop_currency_t *cur, const char *lang,
                               apr_int64_t *items)
{
    json_object *arr = json_object_new_array();
    *items = 0;
    for (int i = 0; b->lines && i < b->lines->nrows; i++) {
        const shop_rows_t *l = b->lines;
        json_object *o = json_object_new_object();
        apr_int64_t qty = shop_rows_i64(l, i, 3, 0);
        if (!strcmp(shop_rows_str(l, i, 0), "PRODUCT") || !strcmp(shop_rows_str(l, i, 0), "MANUAL")) *items += qty;
        json_object_object_add(o, "type", shop_mail_str(p, shop_rows_str(l, i, 0)));
        json_object_object_add(o, "code", shop_mail_str(p, shop_rows_str(l, i, 1)));
        json_object_object_add(o, "label", shop_mail_str(p, shop_rows_str(l, i, 2)));
        json_object_object_add(o, "quantity", json_object_new_int64(qty));
        json_object_object_add(o, "unit", money(p, shop_rows_i64(l, i, 4, 0), cur, lang));
        json_object_object_add(o, "total", money(p, shop_rows_i64(l, i, 5, 0), cur, lang));
        json_object_array_add(arr, o);
    }
    return arr;
}

static json_object *customer_json(apr_pool_t *p, const shop_env_t *env, const shop_mail_bill_t *b, const char *lang)
{
    json_object *c = json_object_new_object();
    json_object_object_add(c, "firstname", shop_mail_str(p, b->firstname));
    json_object_object_add(c, "lastname", shop_mail_str(p, b->lastname));
    json_object_object_add(c, "name", shop_mail_str(p, apr_pstrcat(p, b->firstname, " ", b->lastname, NULL)));
    json_object_object_add(c, "email", shop_mail_str(p, b->email));
    json_object_object_add(c, "organisation", str_or_null(p, b->organisation));
    json_object_object_add(c, "city", shop_mail_str(p, b->city));
    json_object_object_add(c, "country", shop_mail_str(p, *b->country ? shop_i18n_label(env->i18n, p, lang, "country_",
                                                                                        b->country) : b->country));
    json_object_object_add(c, "country_code", shop_mail_str(p, b->country));
    return c;
}

void shop_mail_data_bill(apr_pool_t *p, const shop_env_t *env, json_object *data, const shop_mail_bill_t *b,
                         const char *lang, apr_int64_t now)
{
    const shop_currency_t *cur = shop_currency_get(b->currency);
    const char *base = env->public_url ? env->public_url : "";
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(b->id));
    json_object_object_add(o, "transid", shop_mail_str(p, b->transid));
    json_object_object_add(o, "order_number", json_object_new_string(shop_order_number(p, b->id, b->created_at)));
    json_object_object_add(o, "title", shop_mail_str(p, b->title));
    json_object_object_add(o, "shop_name", shop_mail_str(p, b->shop_name));
    json_object_object_add(o, "status", shop_mail_str(p, b->status));
    json_object_object_add(o, "paymode", shop_mail_str(p, shop_i18n_label(env->i18n, p, lang, "paymode_", b->paymode)));
    json_object_object_add(o, "paymode_code", shop_mail_str(p, b->paymode));
    json_object_object_add(o, "currency", shop_mail_str(p, b->currency));
    json_object_object_add(o, "untaxed", money(p, b->untaxed_minor, cur, lang));
    json_object_object_add(o, "taxes", money(p, b->taxes_minor, cur, lang));
    json_object_object_add(o, "taxed", money(p, b->taxed_minor, cur, lang));
    json_object_object_add(o, "discount", b->discount_minor ? money(p, b->discount_minor, cur, lang) : NULL);
    json_object_object_add(o, "shipping", b->shipping_minor ? money(p, b->shipping_minor, cur, lang) : NULL);
    json_object_object_add(o, "to_pay", money(p, b->to_pay_minor, cur, lang));
    json_object_object_add(o, "paid", money(p, b->paid_minor, cur, lang));
    json_object_object_add(o, "invoice_number", str_or_null(p, b->invoice_number));
    json_object_object_add(o, "placed_on", json_object_new_string(
        shop_mail_date(p, b->placed_at ? b->placed_at : b->created_at, lang)));
    apr_int64_t items;
    json_object_object_add(o, "lines", lines_json(p, b, cur, lang, &items));
    json_object_object_add(o, "item_count", json_object_new_int64(items));
    json_object_object_add(o, "admin_url", json_object_new_string(
        apr_psprintf(p, "%s/admin/bills/%" APR_INT64_T_FMT, base, b->id)));
    const char *sig = env->secret ? shop_bill_link_sign(p, env->secret, env->secret_len, b->transid,
                                                        now + SHOP_BILL_LINK_TTL) : NULL;
    json_object_object_add(o, "link", sig ? json_object_new_string(
        apr_pstrcat(p, base, "/bill/", b->transid, "?sig=", sig, NULL)) : NULL);
    json_object_object_add(data, "bill", o);
    json_object_object_add(data, "customer", customer_json(p, env, b, lang));
    add_feedback(p, data, b);
}

void shop_mail_data_payments(apr_pool_t *p, const shop_env_t *env, json_object *data, const shop_rows_t *rows,
                             const char *lang)
{
    json_object *arr = json_object_new_array();
    for (int i = 0; rows && i < rows->nrows; i++) {
        json_object *o = json_object_new_object();
        const char *gateway = shop_rows_str(rows, i, 0);
        const char *ref = shop_rows_str(rows, i, 2);
        const char *paid_on = shop_rows_str(rows, i, 5);
        json_object_object_add(o, "amount", money(p, shop_rows_i64(rows, i, 3, 0),
                                                  shop_currency_get(shop_rows_str(rows, i, 4)), lang));
        json_object_object_add(o, "gateway", shop_mail_str(p, shop_i18n_label(env->i18n, p, lang, "paymode_", gateway)));
        json_object_object_add(o, "reference", shop_mail_str(p, ref && *ref ? ref : shop_rows_str(rows, i, 1)));
        json_object_object_add(o, "date", shop_mail_str(p, paid_on && *paid_on ? paid_on
                                                           : shop_mail_date(p, shop_rows_i64(rows, i, 6, 0), lang)));
        json_object_array_add(arr, o);
    }
    json_object_object_add(data, "payments", arr);
}
