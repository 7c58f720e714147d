/* The document model of a bill: see document.h. */
#include "services/document.h"
#include "data/setting_repo.h"
#include "data/filestore.h"
#include "core/numbering.h"
#include "core/decimal.h"
#include "core/html.h"
#include "core/i18n.h"

#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <json.h>
#include <string.h>

static const shop_sql_t Q_BILL = {
    "document.bill",
    "SELECT b.id, b.transid, b.status, b.currency, b.lang, COALESCE(b.paymode, ''), COALESCE(b.customer_id, 0),"
    " b.invoicing_identity, b.paid_minor, b.to_pay_minor, COALESCE(b.sale_at, b.paid_at, 0),"
    " COALESCE(b.due_at, 0), b.created_at, b.engagement_number, c.bill_footer, b.production_feedback"
    " FROM {shop}bill b JOIN {shop}shop s ON s.id = b.shop_id JOIN {shop}catalogue c ON c.id = s.catalogue_id"
    " WHERE b.id = %s"
};
enum { B_ID, B_TRANSID, B_STATUS, B_CURRENCY, B_LANG, B_PAYMODE, B_CUSTOMER, B_IDENTITY, B_PAID, B_TO_PAY,
       B_SALE, B_DUE, B_CREATED, B_ENGAGEMENT, B_FOOTER, B_FEEDBACK };

static const shop_sql_t Q_LINES = {
    "document.lines",
    "SELECT l.type, l.code, l.label, l.quantity, l.unit_minor, l.untaxed_minor, l.tax_minor, l.total_minor,"
    " COALESCE(l.tax_id, 0), l.tax_rate, t.title, t.exemption_note"
    " FROM {shop}bill_line l LEFT JOIN {shop}tax t ON t.id = l.tax_id"
    " WHERE l.bill_id = %s ORDER BY l.line_no LIMIT 2001"     /* SHOP_DOC_MAX_LINES + 1: too many is refused */
};
enum { L_TYPE, L_CODE, L_LABEL, L_QTY, L_UNIT, L_UNTAXED, L_TAX, L_TOTAL, L_TAX_ID, L_RATE, L_TITLE, L_NOTE };

static const shop_sql_t Q_BILL_INVOICE = {
    "document.bill_invoice",
    "SELECT id FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'"
};

static const shop_sql_t Q_ISSUED = {
    "document.issued",
    "SELECT i.bill_id, i.kind, i.number, i.issued_at, i.reason, c.number, COALESCE(c.issued_at, 0)"
    " FROM {shop}invoice i LEFT JOIN {shop}invoice c ON c.id = i.credits_invoice_id WHERE i.id = %s"
};

static const shop_sql_t Q_CUSTOMER = {
    "document.customer",
    "SELECT firstname, lastname, email, organisation, address, zip, city, country"
    " FROM {shop}customer WHERE id = %s"
};

/* The 27 member states (Greece also as EL, its VAT prefix). */
static const char *const EU[] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"
};

/* Is cc (ISO code, GR or EL for Greece) a member of the European Union? */
static int eu_country(const char *cc)
{
    for (size_t i = 0; cc && i < sizeof(EU) / sizeof(EU[0]); i++)
        if (!strcmp(cc, EU[i])) return 1;
    return 0;
}

const char *shop_document_text(const shop_env_t *env, const shop_document_t *doc, const char *key)
{
    return shop_i18n_get(env->i18n, doc->lang, key);
}

const char *shop_document_date(apr_pool_t *pool, const shop_i18n_t *i18n, const char *lang, apr_int64_t t)
{
    apr_time_exp_t tm;
    char buf[64];
    apr_size_t n = 0;
    apr_time_exp_lt(&tm, apr_time_from_sec(t));
    if (apr_strftime(buf, &n, sizeof(buf), shop_i18n_get(i18n, lang, "doc_date_format"), &tm) != APR_SUCCESS) n = 0;
    buf[n] = '\0';
    return apr_pstrdup(pool, buf);
}

const char *shop_document_rate(apr_pool_t *pool, const char *lang, const char *rate)
{
    if (!lang || strncmp(lang, "fr", 2) != 0) return apr_pstrcat(pool, rate, "%", NULL);
    char *c = apr_pstrdup(pool, rate), *dot = strchr(c, '.');
    if (dot) *dot = ',';
    return apr_pstrcat(pool, c, " %", NULL);
}

const char *shop_document_fill(apr_pool_t *pool, const char *text, const char *name, const char *value)
{
    const char *mark = apr_pstrcat(pool, "{", name, "}", NULL);
    size_t mlen = strlen(mark);
    const char *at, *rest = text, *out = "";
    /* the search goes on after each value put in: a value holding the mark
     * (a credit note's reason typed by staff) is written as typed, once */
    while ((at = strstr(rest, mark))) {
        out = apr_pstrcat(pool, out, apr_pstrmemdup(pool, rest, (apr_size_t)(at - rest)), value, NULL);
        rest = at + mlen;
    }
    return rest == text ? text : apr_pstrcat(pool, out, rest, NULL);
}

const char *shop_document_title_key(shop_doc_kind_t kind)
{
    static const char *const titles[] = { "doc_title_order", "doc_title_proforma", "doc_title_invoice",
                                          "doc_title_credit_note" };
    return titles[kind];
}

const char *shop_document_notice_key(shop_doc_kind_t kind)
{
    return kind == SHOP_DOC_ORDER ? "doc_mention_order" : kind == SHOP_DOC_PROFORMA ? "doc_mention_proforma" : NULL;
}


/* ---------------------------------------------------------------- helpers */

typedef struct loader {
    shop_db_t *db;
    const shop_env_t *env;
    apr_pool_t *pool;
    apr_hash_t *settings;
    shop_document_t *doc;
    apr_array_header_t *mentions;
} loader_t;

/* A setting, NULL when absent or blank. */
static const char *setting(loader_t *ld, const char *name)
{
    const char *v = apr_hash_get(ld->settings, name, APR_HASH_KEY_STRING);
    return v && *v ? v : NULL;
}

static const char *text(loader_t *ld, const char *key)
{
    return shop_i18n_get(ld->env->i18n, ld->doc->lang, key);
}

static void mention(loader_t *ld, const char *m)
{
    for (int i = 0; i < ld->mentions->nelts; i++)
        if (!strcmp(APR_ARRAY_IDX(ld->mentions, i, const char *), m)) return;
    APR_ARRAY_PUSH(ld->mentions, const char *) = m;
}

static int load_settings(loader_t *ld)
{
    shop_rows_t *rows;
    int rv = shop_setting_all(ld->db, &rows);
    if (rv != 0) return rv;
    ld->settings = apr_hash_make(ld->pool);
    for (int i = 0; i < rows->nrows; i++)
        if (shop_rows_str(rows, i, 0) && shop_rows_str(rows, i, 1))
            apr_hash_set(ld->settings, shop_rows_str(rows, i, 0), APR_HASH_KEY_STRING, shop_rows_str(rows, i, 1));
    return 0;
}

/* "20.0000" -> "20", "5.5000" -> "5.5" (core/decimal.h), NULL -> "0". */
static const char *rate_text(apr_pool_t *p, const char *rate)
{
    shop_dec_t d;
    if (!rate || !*rate) return "0";
    return shop_dec_parse(rate, &d) == APR_SUCCESS ? shop_dec_pstr(p, d) : rate;
}

void shop_document_load_logo(const shop_env_t *env, apr_pool_t *pool, shop_document_t *doc)
{
    shop_doc_seller_t *s = &doc->seller;
    const char *rel = s->logo_file;
    if (!rel || !env->data_dir || rel[0] == '/' || strstr(rel, "..")) return;
    char *data;
    apr_size_t len;
    const char *path = apr_pstrcat(pool, env->data_dir, "/", rel, NULL);
    if (shop_file_read(pool, path, SHOP_DOC_LOGO_MAX, &data, &len) != APR_SUCCESS || len < 8) return;
    if (!memcmp(data, "\x89PNG\r\n\x1a\n", 8)) s->logo_png = 1;
    else if ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xD8) s->logo_png = 0;
    else return;
    s->logo = data;
    s->logo_len = len;
}

static void load_seller(loader_t *ld)
{
    shop_doc_seller_t *s = &ld->doc->seller;
    s->id.name = setting(ld, "sellername");
    s->id.organisation = s->id.name;
    s->id.address = setting(ld, "selleraddress");
    s->id.zip = setting(ld, "sellerzip");
    s->id.city = setting(ld, "sellercity");
    s->id.country = setting(ld, "sellercountry");
    s->id.siren = setting(ld, "sellersiren");
    s->id.siret = setting(ld, "sellersiret");
    s->id.vat_number = setting(ld, "tvaeurope");
    s->legal_form = setting(ld, "sellerlegalform");
    s->rcs = setting(ld, "sellerrcs");
    s->training_declaration = setting(ld, "sellertrainingdeclaration");
    s->training_text = setting(ld, "sellertrainingdeclarationtext");
    s->iban = setting(ld, "iban");
    s->bic = setting(ld, "bic");
    s->logo_file = setting(ld, "sellerlogo");
}

static const char *json_str(apr_pool_t *p, json_object *o, const char *name)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    const char *s = json_object_get_string(v);
    while (*s == ' ') s++;
    return *s ? apr_pstrdup(p, s) : NULL;
}

static const char *person(apr_pool_t *p, const char *first, const char *last)
{
    if (first && last) return apr_pstrcat(p, first, " ", last, NULL);
    return first ? first : last;
}

/* The buyer: the frozen invoicing identity, else the customer row. */
static int load_buyer(loader_t *ld, const shop_rows_t *bill)
{
    shop_doc_party_t *b = &ld->doc->buyer;
    const char *identity = shop_rows_str(bill, 0, B_IDENTITY);
    json_object *o = identity ? json_tokener_parse(identity) : NULL;
    if (o && json_object_is_type(o, json_type_object)) {
        b->organisation = json_str(ld->pool, o, "organisation");
        b->department = json_str(ld->pool, o, "department");
        b->person = person(ld->pool, json_str(ld->pool, o, "firstname"), json_str(ld->pool, o, "lastname"));
        b->address = json_str(ld->pool, o, "address");
        b->zip = json_str(ld->pool, o, "zip");
        b->city = json_str(ld->pool, o, "city");
        b->country = json_str(ld->pool, o, "country");
        b->email = json_str(ld->pool, o, "email");
        b->vat_number = json_str(ld->pool, o, "vat_number");
        b->siren = json_str(ld->pool, o, "siren");
        b->engagement_number = json_str(ld->pool, o, "engagement_number");
        b->service_code = json_str(ld->pool, o, "service_code");
        const char *type = json_str(ld->pool, o, "buyer_type");
        b->type = !type ? (b->organisation ? SHOP_BUYER_BUSINESS : SHOP_BUYER_INDIVIDUAL)
                : !strcmp(type, "public") ? SHOP_BUYER_PUBLIC
                : !strcmp(type, "business") ? SHOP_BUYER_BUSINESS : SHOP_BUYER_INDIVIDUAL;
    } else {
        apr_int64_t customer = shop_rows_i64(bill, 0, B_CUSTOMER, 0);
        if (customer > 0) {
            shop_rows_t *rows;
            const char *args[] = { shop_db_i64(ld->pool, customer) };
            int rv = shop_db_select(ld->db, &Q_CUSTOMER, 1, args, &rows);
            if (rv != 0) {
                if (o) json_object_put(o);
                return rv;
            }
            if (rows->nrows) {
#define CELL(i) (shop_rows_str(rows, 0, i) && *shop_rows_str(rows, 0, i) ? shop_rows_str(rows, 0, i) : NULL)
                b->person = person(ld->pool, CELL(0), CELL(1));
                b->email = CELL(2);
                b->organisation = CELL(3);
                b->address = CELL(4);
                b->zip = CELL(5);
                b->city = CELL(6);
                b->country = CELL(7);
#undef CELL
            }
        }
        b->type = b->organisation ? SHOP_BUYER_BUSINESS : SHOP_BUYER_INDIVIDUAL;
    }
    if (o) json_object_put(o);
    const char *engagement = shop_rows_str(bill, 0, B_ENGAGEMENT);
    if (engagement && *engagement) b->engagement_number = engagement;
    b->name = b->organisation ? b->organisation : b->person;
    return 0;
}

/* Lines, per-rate taxes, totals; exemption notes met on the way.  A credit
 * note shows the same lines with opposite amounts. */
static int load_lines(loader_t *ld, apr_int64_t bill_id)
{
    shop_document_t *doc = ld->doc;
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(ld->pool, bill_id) };
    int rv = shop_db_select(ld->db, &Q_LINES, 1, args, &rows);
    if (rv != 0) return rv;
    if (rows->nrows > SHOP_DOC_MAX_LINES) return APR_EINVAL;
    apr_int64_t sign = doc->kind == SHOP_DOC_CREDIT_NOTE ? -1 : 1;
    doc->nlines = rows->nrows;
    doc->lines = apr_pcalloc(ld->pool, sizeof(*doc->lines) * (rows->nrows + 1));
    doc->taxes = apr_pcalloc(ld->pool, sizeof(*doc->taxes) * (rows->nrows + 1));
    for (int i = 0; i < rows->nrows; i++) {
        shop_doc_line_t *l = &doc->lines[i];
        l->type = shop_rows_str(rows, i, L_TYPE);
        l->code = shop_rows_str(rows, i, L_CODE);
        l->label = shop_rows_str(rows, i, L_LABEL);
        l->quantity = shop_rows_i64(rows, i, L_QTY, 1);
        l->unit_minor = sign * shop_rows_i64(rows, i, L_UNIT, 0);
        l->untaxed_minor = sign * shop_rows_i64(rows, i, L_UNTAXED, 0);
        l->tax_minor = sign * shop_rows_i64(rows, i, L_TAX, 0);
        l->total_minor = sign * shop_rows_i64(rows, i, L_TOTAL, 0);
        l->tax_id = shop_rows_i64(rows, i, L_TAX_ID, 0);
        l->rate = l->tax_id ? rate_text(ld->pool, shop_rows_str(rows, i, L_RATE)) : "0";
        doc->untaxed_minor += l->untaxed_minor;
        doc->taxes_minor += l->tax_minor;
        doc->taxed_minor += l->total_minor;

        shop_doc_tax_t *t = NULL;
        for (int k = 0; k < doc->ntaxes && !t; k++)
            if (doc->taxes[k].tax_id == l->tax_id && !strcmp(doc->taxes[k].rate, l->rate)) t = &doc->taxes[k];
        if (!t) {
            t = &doc->taxes[doc->ntaxes++];
            t->tax_id = l->tax_id;
            t->rate = l->rate;
            t->title = l->tax_id && shop_rows_str(rows, i, L_TITLE) ? shop_rows_str(rows, i, L_TITLE)
                                                                    : text(ld, "doc_no_tax");
        }
        t->base_minor += l->untaxed_minor;
        t->amount_minor += l->tax_minor;

        const char *note = shop_rows_str(rows, i, L_NOTE);
        if (note && *note) mention(ld, note);
        else if (l->tax_id && !strcmp(l->rate, "0") && setting(ld, "vatexemptionnote"))
            mention(ld, setting(ld, "vatexemptionnote"));
    }
    return 0;
}

static int business(const shop_doc_party_t *b)
{
    return b->type == SHOP_BUYER_BUSINESS || b->type == SHOP_BUYER_PUBLIC;
}

static const char *vat_country(const shop_doc_party_t *b)
{
    return b->country && !strcmp(b->country, "GR") ? "EL" : b->country;
}

/* Mentions that depend on the buyer, after the exemption notes. */
static void buyer_mentions(loader_t *ld)
{
    shop_document_t *doc = ld->doc;
    const shop_doc_party_t *b = &doc->buyer;
    const char *seller_country = doc->seller.id.country ? doc->seller.id.country : "FR";
    if (business(b) && b->vat_number && b->country && eu_country(b->country)
        && strcmp(vat_country(b), !strcmp(seller_country, "GR") ? "EL" : seller_country) != 0
        && doc->taxes_minor == 0)
        mention(ld, text(ld, "doc_mention_reverse_charge"));
    if (business(b) && doc->kind != SHOP_DOC_CREDIT_NOTE) {
        const char *penalties = setting(ld, "invoicelatepenalties");
        mention(ld, penalties ? penalties : text(ld, "doc_mention_late_default"));
        if (!penalties || !strstr(penalties, "40")) mention(ld, text(ld, "doc_mention_recovery"));
    }
}

static void finish(loader_t *ld, const shop_rows_t *bill)
{
    shop_document_t *doc = ld->doc;
    doc->paid_minor = shop_rows_i64(bill, 0, B_PAID, 0);
    apr_int64_t to_pay = shop_rows_i64(bill, 0, B_TO_PAY, 0);
    doc->remaining_minor = to_pay > doc->paid_minor ? to_pay - doc->paid_minor : 0;
    doc->sale_at = shop_rows_i64(bill, 0, B_SALE, 0);
    doc->due_at = shop_rows_i64(bill, 0, B_DUE, 0);
    if (!doc->due_at && doc->kind == SHOP_DOC_INVOICE) {
        const char *days_s = setting(ld, "invoicepaymentdays");
        apr_int64_t days = days_s ? apr_atoi64(days_s) : 0;
        if (days < 0 || days > 366) days = 0;
        if (!days && doc->buyer.type == SHOP_BUYER_PUBLIC) days = 30;
        doc->due_at = doc->issued_at + days * 86400;
    }
    doc->payment_terms = doc->kind == SHOP_DOC_CREDIT_NOTE ? NULL : setting(ld, "invoicepaymentterms");
    const char *footer = shop_rows_str(bill, 0, B_FOOTER);
    if (footer && *footer) {
        const char *t = shop_html_to_text(ld->pool, footer, strlen(footer));
        doc->footer = *t ? t : NULL;
    }
    const char *feedback = shop_rows_str(bill, 0, B_FEEDBACK);
    json_object *fb = feedback ? json_tokener_parse(feedback) : NULL;
    doc->feedback_public = json_str(ld->pool, fb, "public");
    if (fb) json_object_put(fb);
    doc->mentions = (const char **)ld->mentions->elts;
    doc->nmentions = ld->mentions->nelts;
}

/* Everything from the bill row on, once doc->kind and the numbers are known. */
static int load_rest(loader_t *ld, const shop_rows_t *bill)
{
    int rv;
    shop_document_t *doc = ld->doc;
    doc->title = text(ld, shop_document_title_key(doc->kind));
    const char *notice = shop_document_notice_key(doc->kind);
    if (notice) doc->notice = text(ld, notice);
    load_seller(ld);
    if ((rv = load_buyer(ld, bill)) != 0 || (rv = load_lines(ld, doc->bill_id)) != 0) return rv;
    buyer_mentions(ld);
    finish(ld, bill);
    return 0;
}

/* The bill row and the fields every kind shares. */
static int load_bill_row(loader_t *ld, apr_int64_t bill_id, shop_rows_t **bill)
{
    const char *args[] = { shop_db_i64(ld->pool, bill_id) };
    int rv = shop_db_select(ld->db, &Q_BILL, 1, args, bill);
    if (rv != 0 || (*bill)->nrows == 0) return rv;
    shop_document_t *doc = ld->doc;
    doc->bill_id = bill_id;
    doc->transid = shop_rows_str(*bill, 0, B_TRANSID);
    doc->status = shop_rows_str(*bill, 0, B_STATUS);
    doc->paymode = shop_rows_str(*bill, 0, B_PAYMODE);
    doc->lang = shop_rows_str(*bill, 0, B_LANG);
    if (!doc->lang || !shop_i18n_has_lang(ld->env->i18n, doc->lang)) doc->lang = SHOP_I18N_FALLBACK;
    doc->currency = shop_currency_get(shop_rows_str(*bill, 0, B_CURRENCY));
    if (!doc->currency) return APR_EINVAL;
    doc->created_at = shop_rows_i64(*bill, 0, B_CREATED, 0);
    doc->order_number = shop_order_number(ld->pool, bill_id, doc->created_at);
    return 0;
}

static int start(loader_t *ld, shop_db_t *db, const shop_env_t *env, apr_pool_t *pool)
{
    memset(ld, 0, sizeof(*ld));
    ld->db = db;
    ld->env = env;
    ld->pool = pool;
    ld->doc = apr_pcalloc(pool, sizeof(*ld->doc));
    ld->mentions = apr_array_make(pool, 6, sizeof(const char *));
    return load_settings(ld);
}

int shop_document_load_issued(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t invoice_id,
                              shop_document_t **out)
{
    *out = NULL;
    loader_t ld;
    shop_rows_t *inv, *bill;
    const char *args[] = { shop_db_i64(pool, invoice_id) };
    int rv = shop_db_select(db, &Q_ISSUED, 1, args, &inv);
    if (rv != 0 || inv->nrows == 0) return rv;
    if ((rv = start(&ld, db, env, pool)) != 0) return rv;
    if ((rv = load_bill_row(&ld, shop_rows_i64(inv, 0, 0, 0), &bill)) != 0 || bill->nrows == 0) return rv;
    shop_document_t *doc = ld.doc;
    doc->kind = !strcmp(shop_rows_str(inv, 0, 1), "credit_note") ? SHOP_DOC_CREDIT_NOTE : SHOP_DOC_INVOICE;
    doc->invoice_id = invoice_id;
    doc->number = shop_rows_str(inv, 0, 2);
    doc->issued_at = shop_rows_i64(inv, 0, 3, 0);
    if (doc->kind == SHOP_DOC_CREDIT_NOTE) {
        const char *reason = shop_rows_str(inv, 0, 4);
        doc->reason = reason && *reason ? reason : NULL;
        doc->credited_number = shop_rows_str(inv, 0, 5);
        doc->credited_at = shop_rows_i64(inv, 0, 6, 0);
    }
    if ((rv = load_rest(&ld, bill)) != 0) return rv;
    *out = doc;
    return 0;
}

int shop_document_load_bill(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                            shop_document_t **out)
{
    *out = NULL;
    shop_rows_t *inv;
    const char *args[] = { shop_db_i64(pool, bill_id) };
    int rv = shop_db_select(db, &Q_BILL_INVOICE, 1, args, &inv);
    if (rv != 0) return rv;
    if (inv->nrows) return shop_document_load_issued(db, env, pool, shop_rows_i64(inv, 0, 0, 0), out);
    return shop_document_load_order(db, env, pool, bill_id, out);
}

int shop_document_load_order(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                             shop_document_t **out)
{
    *out = NULL;
    loader_t ld;
    shop_rows_t *bill;
    int rv;
    if ((rv = start(&ld, db, env, pool)) != 0) return rv;
    if ((rv = load_bill_row(&ld, bill_id, &bill)) != 0 || bill->nrows == 0) return rv;
    shop_document_t *doc = ld.doc;
    doc->kind = doc->status && !strcmp(doc->status, "WORKING") ? SHOP_DOC_PROFORMA : SHOP_DOC_ORDER;
    doc->number = doc->order_number;
    doc->issued_at = doc->created_at;
    if ((rv = load_rest(&ld, bill)) != 0) return rv;
    *out = doc;
    return 0;
}
