/* The document of a bill, as printed: an order sheet or pro-forma before the
 * invoice, the invoice once issued, and each credit note.  Loaded from the
 * database (bill, lines with their taxes, invoice rows, settings, catalogue
 * footer), read-only afterwards; services/pdf_invoice.h draws it and the
 * bill page shows it.
 *
 * What goes on it (CGI art. 242 nonies A, Code de commerce L441-9, and
 * ../shared/reference/peers.md §B):
 *   seller   settings sellername, sellerlegalform, selleraddress/zip/city/
 *            country, sellersiren, sellersiret, sellerrcs, tvaeurope,
 *            sellertrainingdeclaration(+text), iban, bic, the uploaded logo
 *            (setting sellerlogo, a path under ShopDataDir);
 *   buyer    the invoicing identity frozen on the bill at placement (JSON:
 *            organisation department firstname lastname email address zip
 *            city country vat_number buyer_type siren engagement_number
 *            service_code), else the customer row;
 *   numbers  the legal number (invoices, credit notes), the order number
 *            "B-YYYYMMDD-<bill id>" (creation date, UTC, as the payment
 *            page shows it);
 *   dates    issue (invoice issued_at; the bill's creation for an order
 *            sheet), sale (bill.sale_at, else paid_at), due (bill.due_at,
 *            else issue + setting invoicepaymentdays days, 30 days for a
 *            public buyer when that setting is 0 or absent);
 *   lines    every bill line in order (credit notes: amounts negated);
 *   taxes    one row per (tax, rate) used: base and amount are sums of the
 *            lines; lines without tax make a "no VAT" row;
 *   totals   untaxed, taxes, taxed (sums of lines, shipping included), paid
 *            and still to pay (bill.paid_minor, to_pay - paid, never < 0);
 *   notice   "not an invoice" on order sheets and pro-formas;
 *   mentions (in the bill's language): for business buyers (buyer_type business or public,
 *            or an organisation with no buyer_type) the late-payment
 *            penalties (setting invoicelatepenalties, else a default) and
 *            the 40 € recovery indemnity (added unless that setting already
 *            states "40"); the exemption note of every exempt tax used (a
 *            0 % tax without a note of its own uses setting
 *            vatexemptionnote); reverse charge for a business buyer of
 *            another EU country than the seller's, with a VAT number, on a
 *            bill that charges no VAT (a bill charging VAT says so itself);
 *            public buyers' engagement number and service code are part of
 *            the buyer (bill.engagement_number first);
 *   footer   the catalogue's bill footer as plain text.
 *
 * Memory: everything in `pool` (the caller's: request or command pool).
 * Thread-safe: no state outside the arguments. */
#ifndef SHOP_SERVICES_DOCUMENT_H
#define SHOP_SERVICES_DOCUMENT_H

#include "data/db.h"
#include "services/env.h"
#include "core/currency.h"

/* Lines drawn at most on one document (a larger bill is refused, not cut). */
#define SHOP_DOC_MAX_LINES 2000
/* Largest logo read (the back office refuses larger uploads too). */
#define SHOP_DOC_LOGO_MAX (1024 * 1024)

typedef enum {
    SHOP_DOC_ORDER = 0,        /* an order not invoiced (placed, pending, paid without number...) */
    SHOP_DOC_PROFORMA,         /* a manual bill being prepared (WORKING): a quote */
    SHOP_DOC_INVOICE,
    SHOP_DOC_CREDIT_NOTE
} shop_doc_kind_t;

typedef enum {
    SHOP_BUYER_INDIVIDUAL = 0,
    SHOP_BUYER_BUSINESS,
    SHOP_BUYER_PUBLIC
} shop_buyer_type_t;

typedef struct shop_doc_party {
    const char *name;          /* legal name: the organisation, else the person */
    const char *organisation, *department, *person;   /* person: "Firstname Lastname" */
    const char *address, *zip, *city, *country;       /* country: ISO code */
    const char *email, *vat_number, *siren, *siret;
    const char *engagement_number, *service_code;
    shop_buyer_type_t type;    /* buyers only */
} shop_doc_party_t;

typedef struct shop_doc_seller {
    shop_doc_party_t id;       /* name, address, siren, siret, vat_number */
    const char *legal_form, *rcs, *training_declaration, *training_text;
    const char *iban, *bic;
    const char *logo_file;     /* setting sellerlogo: a path under ShopDataDir, or NULL */
    const char *logo;          /* image bytes (shop_document_load_logo), NULL when none */
    apr_size_t logo_len;
    int logo_png;              /* 1 PNG, 0 JPEG */
} shop_doc_seller_t;

typedef struct shop_doc_line {
    const char *type, *code, *label;
    apr_int64_t quantity, unit_minor, untaxed_minor, tax_minor, total_minor;
    apr_int64_t tax_id;        /* 0 = untaxed */
    const char *rate;          /* exact decimal text without useless zeros: "20", "5.5", "0" */
} shop_doc_line_t;

typedef struct shop_doc_tax {
    apr_int64_t tax_id;        /* 0 = the lines without tax */
    const char *title;         /* the tax's title, or the "no VAT" text */
    const char *rate;
    apr_int64_t base_minor, amount_minor;
} shop_doc_tax_t;

typedef struct shop_document {
    shop_doc_kind_t kind;
    const char *lang;          /* the bill's language */
    const char *title;         /* "Invoice", "Avoir"... in lang */
    const char *number;        /* legal number, or the order number before the invoice */
    const char *order_number;  /* B-YYYYMMDD-id */
    const char *credited_number;   /* credit notes: the invoice they cancel */
    apr_int64_t credited_at;
    const char *reason;        /* credit notes: why, or NULL */
    apr_int64_t bill_id, invoice_id;   /* invoice_id 0 before the invoice */
    const char *transid, *status, *paymode;
    const shop_currency_t *currency;
    apr_int64_t issued_at, sale_at, due_at, created_at;   /* 0 = none */

    shop_doc_seller_t seller;
    shop_doc_party_t buyer;

    shop_doc_line_t *lines;
    int nlines;
    shop_doc_tax_t *taxes;
    int ntaxes;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor;
    apr_int64_t paid_minor, remaining_minor;

    const char *notice;        /* order sheets and pro-formas: "... not an invoice"; else NULL */
    const char *payment_terms; /* setting invoicepaymentterms, or NULL */
    const char **mentions;     /* the legal mentions above, in order */
    int nmentions;
    const char *footer;        /* plain text, or NULL */
    const char *feedback_public;   /* the bill's public production feedback: HTML as the actions
                                      wrote it (sanitize before showing), not printed; or NULL */
} shop_document_t;

/* The current document of bill bill_id: its invoice once issued, else an
 * order sheet (a pro-forma for a WORKING bill).  0 with *out (NULL when the
 * bill does not exist), a MySQL errno, or APR_EINVAL for a bill of more than
 * SHOP_DOC_MAX_LINES lines or in an unknown currency. */
int shop_document_load_bill(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                            shop_document_t **out);

/* The bill's own document, without looking for its invoice: an order sheet
 * (a pro-forma for a WORKING bill), for a caller that found none already.
 * As above. */
int shop_document_load_order(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                             shop_document_t **out);

/* The issued document invoice_id (invoice or credit note), as above. */
int shop_document_load_issued(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t invoice_id,
                              shop_document_t **out);

/* Read the seller's logo (seller.logo_file, written by the back office:
 * "seller/logo.png") for drawing: only the PDF needs it, so the loaders
 * leave it unread.  Anything but a relative path under ShopDataDir to a PNG
 * or JPEG of at most SHOP_DOC_LOGO_MAX leaves the document without a logo. */
void shop_document_load_logo(const shop_env_t *env, apr_pool_t *pool, shop_document_t *doc);

/* The i18n keys of a kind's title ("doc_title_invoice"...) and of its
 * "not an invoice" notice (order sheets and pro-formas; NULL otherwise). */
const char *shop_document_title_key(shop_doc_kind_t kind);
const char *shop_document_notice_key(shop_doc_kind_t kind);

/* A string of the document's language. */
const char *shop_document_text(const shop_env_t *env, const shop_document_t *doc, const char *key);

/* A day as the language writes it (string doc_date_format of i18n, the
 * server's time zone). */
const char *shop_document_date(apr_pool_t *pool, const shop_i18n_t *i18n, const char *lang, apr_int64_t t);

/* A rate ("20", "5.5") as the language writes it: "5,5 %" in French,
 * "5.5%" otherwise. */
const char *shop_document_rate(apr_pool_t *pool, const char *lang, const char *rate);

/* `text` with every "{name}" replaced by value (pool-allocated); a value
 * that holds "{name}" itself is put in as it is, never replaced again. */
const char *shop_document_fill(apr_pool_t *pool, const char *text, const char *name, const char *value);

#endif
