/* Bills in the back office: the filtered list and its counts, everything
 * the bill page shows (lines, payments, audit trail, documents, notes), the
 * writes of manual (WORKING) bills, and the dashboard's aggregates.
 *
 * Reads return rows in db->pool with the columns listed next to each
 * function (BA_* enums).  Writes run inside the CALLER's transaction
 * (shop_db_begin / shop_db_transaction); they neither begin nor commit
 * (a staff note, one statement, may also be written alone).
 * Every function returns 0 or the MySQL errno.
 *
 * Indexes: the list runs on bill_status_ix (status, created_at) when a state
 * is chosen and bill_created_ix (created_at) otherwise, newest first, or on
 * bill_shop_ix / bill_customer_ix when those filters are set; the
 * dashboard's revenue runs on bill_paid_ix (status, paid_at). */
#ifndef SHOP_DATA_BILL_ADMIN_REPO_H
#define SHOP_DATA_BILL_ADMIN_REPO_H

#include "data/db.h"

/* ------------------------------------------------------------ the list */

typedef struct shop_bill_filter {
    const char *status;            /* "" = every state */
    apr_int64_t from, to;          /* created_at in [from, to); to 0 = no upper bound */
    apr_int64_t shop_id;           /* 0 = any */
    apr_int64_t customer_id;       /* 0 = any */
    const char *customer_q;        /* "" = any, else part of the customer's name or e-mail */
    const char *currency;          /* "" = any */
    const char *q;                 /* "" = none, else part of the transid, invoice number, customer name or e-mail */
} shop_bill_filter_t;

enum { BA_L_ID, BA_L_TRANSID, BA_L_CREATED, BA_L_STATUS, BA_L_TITLE, BA_L_CURRENCY, BA_L_TO_PAY, BA_L_PAID,
       BA_L_INVOICE, BA_L_CUSTOMER_ID, BA_L_FIRSTNAME, BA_L_LASTNAME, BA_L_EMAIL, BA_L_SHOP_ID };

/* One page of bills (columns BA_L_*), newest first. */
int shop_bill_admin_list(shop_db_t *db, const shop_bill_filter_t *f, apr_int64_t limit, apr_int64_t offset,
                         shop_rows_t **rows);

/* Bills per state under every filter but the state: rows (status, count). */
int shop_bill_admin_status_counts(shop_db_t *db, const shop_bill_filter_t *f, shop_rows_t **rows);

/* The shops (id, name, currency) and the currencies they sell in (currency). */
int shop_bill_admin_shops(shop_db_t *db, shop_rows_t **rows);
int shop_bill_admin_currencies(shop_db_t *db, shop_rows_t **rows);

/* ------------------------------------------------------------ one bill */

typedef struct shop_bill_admin {
    apr_int64_t id, shop_id, customer_id, userid, assigned_userid, customer_userid;
    const char *transid, *shop_name, *title, *status, *currency, *lang, *paymode, *gateway_ref;
    const char *invoice_number, *invoicing_identity, *production_feedback, *engagement_number, *partner_tag;
    const char *customer_firstname, *customer_lastname, *customer_email, *customer_organisation;
    const char *assigned_firstname, *assigned_lastname;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor, discount_minor, shipping_minor;
    apr_int64_t to_pay_minor, paid_minor, fee_minor;
    apr_int64_t invoiced_at, due_at, expected_payment_at, placed_at, paid_at, sale_at, created_at, modified_at;
    int test, version;
} shop_bill_admin_t;

/* Bill `id` with its shop, customer and assigned staff member; *found 0
 * when there is none. */
int shop_bill_admin_get(shop_db_t *db, apr_int64_t id, shop_bill_admin_t *out, int *found);

enum { BA_LN_ID, BA_LN_NO, BA_LN_TYPE, BA_LN_CODE, BA_LN_LABEL, BA_LN_DESCRIPTION, BA_LN_QUANTITY, BA_LN_UNIT,
       BA_LN_UNTAXED, BA_LN_TAX_ID, BA_LN_RATE, BA_LN_TAX, BA_LN_TOTAL, BA_LN_PRODUCED, BA_LN_PRODUCED_AT,
       BA_LN_PREPAID_AT, BA_LN_ATTEMPTS, BA_LN_ERROR, BA_LN_PREPAY_ERROR, BA_LN_FEEDBACK, BA_LN_DUE, BA_LN_TAX_TITLE };
int shop_bill_admin_lines(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

enum { BA_P_ID, BA_P_GATEWAY, BA_P_EVENT, BA_P_REF, BA_P_AMOUNT, BA_P_CURRENCY, BA_P_OUTCOME, BA_P_RESULT,
       BA_P_DETAIL, BA_P_PAID_ON, BA_P_USERID, BA_P_RECEIVED, BA_P_FIRSTNAME, BA_P_LASTNAME };
int shop_bill_admin_payments(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

enum { BA_G_ID, BA_G_CREATED, BA_G_FROM, BA_G_TO, BA_G_USERID, BA_G_FIRSTNAME, BA_G_LASTNAME, BA_G_SOURCE,
       BA_G_REASON, BA_G_RAW };
int shop_bill_admin_log(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

enum { BA_D_ID, BA_D_KIND, BA_D_NUMBER, BA_D_ISSUED, BA_D_TAXED, BA_D_CURRENCY, BA_D_STORED, BA_D_REASON,
       BA_D_CREDITS };
int shop_bill_admin_documents(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

enum { BA_N_ID, BA_N_CREATED, BA_N_USERID, BA_N_FIRSTNAME, BA_N_LASTNAME, BA_N_NOTE };
int shop_bill_admin_notes(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);
int shop_bill_admin_note_add(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, const char *note,
                             apr_int64_t now);

/* The transid of bill `id` (NULL when none) and the id of a transid (0). */
int shop_bill_admin_transid(shop_db_t *db, apr_int64_t id, const char **transid);

/* ------------------------------------------------------- manual bills */

/* Staff who may be assigned a bill: holders of the sales role at system
 * context and the site admins (comma list from mdl_config), not deleted:
 * rows (id, firstname, lastname). */
enum { BA_S_ID, BA_S_FIRSTNAME, BA_S_LASTNAME };
int shop_bill_admin_staff(shop_db_t *db, const char *sales_role, const char *site_admins, shop_rows_t **rows);
/* Is userid one of them? */
int shop_bill_admin_is_staff(shop_db_t *db, const char *sales_role, const char *site_admins, apr_int64_t userid,
                             int *is);

/* Customers whose id is q or whose name, e-mail or organisation holds q,
 * at most `max`: rows (id, firstname, lastname, email, organisation). */
enum { BA_C_ID, BA_C_FIRSTNAME, BA_C_LASTNAME, BA_C_EMAIL, BA_C_ORGANISATION };
int shop_bill_admin_customers(shop_db_t *db, const char *q, int max, shop_rows_t **rows);
/* One customer (same columns), nrows 0 when none. */
int shop_bill_admin_customer(shop_db_t *db, apr_int64_t id, shop_rows_t **rows);

/* A Moodle account a customer may be made from (not deleted, not
 * suspended, confirmed): rows (id, firstname, lastname, email, country,
 * city, lang), nrows 0 when there is none. */
enum { BA_U_ID, BA_U_FIRSTNAME, BA_U_LASTNAME, BA_U_EMAIL, BA_U_COUNTRY, BA_U_CITY, BA_U_LANG };
int shop_bill_admin_moodle_user(shop_db_t *db, apr_int64_t userid, shop_rows_t **rows);

typedef struct shop_manual_bill {
    apr_int64_t shop_id;
    const char *currency;          /* the shop's */
    apr_int64_t customer_id;       /* 0 = not chosen yet */
    const char *title, *lang;
    const char *paymode;           /* NULL = none */
    apr_int64_t assigned_userid;   /* 0 = nobody */
    apr_int64_t due_at, expected_payment_at;    /* 0 = none */
    const char *engagement_number; /* NULL = none */
} shop_manual_bill_t;

/* A new WORKING bill with transid and its audit row NULL -> WORKING. */
int shop_bill_admin_create(shop_db_t *db, const char *transid, const shop_manual_bill_t *b, apr_int64_t userid,
                           const char *source, apr_int64_t now, apr_int64_t *id);

/* Lock bill `id`: its status, version, currency and invoice number (NULL
 * when none) (*found 0: none). */
int shop_bill_admin_lock(shop_db_t *db, apr_int64_t id, const char **status, apr_int64_t *version,
                         const char **currency, const char **invoice_number, int *found);

/* The header of a WORKING bill (version untouched: shop_bill_admin_totals bumps it). */
int shop_bill_admin_update(shop_db_t *db, apr_int64_t id, const shop_manual_bill_t *b, apr_int64_t now);

typedef struct shop_manual_line {
    const char *code, *label, *description;    /* description NULL = none */
    apr_int64_t quantity, unit_minor;
    apr_int64_t tax_id;                        /* 0 = untaxed */
    apr_int64_t due_at;                        /* 0 = none */
} shop_manual_line_t;

/* A MANUAL line at the end of the bill (amounts 0 until the totals are
 * recalculated), or line `line_id` of the bill changed (*affected 0 when it
 * is not a MANUAL line of this bill). */
int shop_bill_admin_line_add(shop_db_t *db, apr_int64_t bill_id, const char *currency, const shop_manual_line_t *l,
                             apr_int64_t now, apr_int64_t *line_id);
int shop_bill_admin_line_update(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, const shop_manual_line_t *l,
                                apr_int64_t now, int *affected);
int shop_bill_admin_line_delete(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, int *affected);
/* Swap line `line_id` with its neighbour above (up = 1) or below; *moved 0
 * when it is already first / last or not a line of this bill. */
int shop_bill_admin_line_move(shop_db_t *db, apr_int64_t bill_id, apr_int64_t line_id, int up, int *moved);

/* Lines of the bill for a recalculation, locked: rows (id, type, quantity,
 * unit_minor, tax_id, tax_rate, untaxed_minor, tax_minor). */
enum { BA_R_ID, BA_R_TYPE, BA_R_QUANTITY, BA_R_UNIT, BA_R_TAX_ID, BA_R_RATE, BA_R_UNTAXED, BA_R_TAX };
int shop_bill_admin_recalc_lines(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);
/* A recalculated line's amounts (rate: decimal text). */
int shop_bill_admin_line_amounts(shop_db_t *db, apr_int64_t line_id, apr_int64_t untaxed, apr_int64_t tax,
                                 const char *rate);

typedef struct shop_bill_totals_row {
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor, discount_minor, shipping_minor, to_pay_minor;
} shop_bill_totals_row_t;

/* The bill's totals, modified_at and version + 1 (every manual change ends here). */
int shop_bill_admin_totals(shop_db_t *db, apr_int64_t bill_id, const shop_bill_totals_row_t *t, apr_int64_t now);

/* ----------------------------------------------------------- dashboard */

/* Revenue of paid bills (SOLDOUT, COMPLETE, PAYBACK) by paid_at month:
 * bounds[0..12] are the 13 month starts (ascending, unix seconds); rows
 * (month 1..12, currency, sum of to_pay_minor, bills). */
#define SHOP_DASH_MONTHS 12
enum { BA_V_MONTH, BA_V_CURRENCY, BA_V_SUM, BA_V_BILLS };
int shop_bill_admin_revenue(shop_db_t *db, const apr_int64_t bounds[SHOP_DASH_MONTHS + 1], shop_rows_t **rows);

/* Every bill per state: rows (status, count). */
int shop_bill_admin_state_totals(shop_db_t *db, shop_rows_t **rows);

/* The SHOP_DASH_TOP products most sold, by quantity and by taxed amount, on
 * PRODUCT lines of paid bills paid in [from, to), in one scan: rows (code,
 * label, currency, quantity, revenue, rank by quantity, rank by revenue),
 * each row in one top or both (its rank there 1..SHOP_DASH_TOP), in no
 * particular order.  Ties: quantity then revenue (or the reverse), code,
 * currency. */
#define SHOP_DASH_TOP 10
enum { BA_T_CODE, BA_T_LABEL, BA_T_CURRENCY, BA_T_QUANTITY, BA_T_REVENUE, BA_T_RANK_QUANTITY, BA_T_RANK_REVENUE };
int shop_bill_admin_top_products(shop_db_t *db, apr_int64_t from, apr_int64_t to, shop_rows_t **rows);

#endif
