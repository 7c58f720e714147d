/* Back-office bills: the list, the bill page and its actions, manual bills
 * and their lines, the trace viewer and the dashboard.  The route table
 * (admin_bills_routes.c) is the only caller of the handlers; each takes the
 * request context and returns what a handler returns (OK once a body was
 * sent).  The helpers below are shared by those files (admin_bills.c). */
#ifndef SHOP_WEB_ADMIN_BILLS_H
#define SHOP_WEB_ADMIN_BILLS_H

#include "web/request.h"
#include "core/numbering.h"   /* shop_order_number */
#include "data/bill_admin_repo.h"

/* admin_bills.c */
int shop_page_admin_bills(shop_req_t *req);                 /* GET  /admin/bills */

/* admin_bill.c */
int shop_page_admin_bill(shop_req_t *req);                  /* GET  /admin/bills/{id} */
int shop_page_admin_bill_transition(shop_req_t *req);       /* POST /admin/bills/{id}/transition */
int shop_page_admin_bill_raw(shop_req_t *req);              /* POST /admin/bills/{id}/raw (site admins) */
int shop_page_admin_bill_payment(shop_req_t *req);          /* POST /admin/bills/{id}/payment */
int shop_page_admin_bill_note(shop_req_t *req);             /* POST /admin/bills/{id}/notes */
/* The bill of the {id} capture into *b: OK, or the 404 / 503 page already
 * sent, *sent then set. */
int shop_abill_load(shop_req_t *req, shop_bill_admin_t *b, int *sent);
/* The bill page again with the message of key, at status (a refused action). */
int shop_abill_refused(shop_req_t *req, apr_int64_t id, int status, const char *key);

/* admin_bill_produce.c */
int shop_page_admin_bill_produce(shop_req_t *req);          /* POST /admin/bills/{id}/produce */

/* admin_bill_edit.c */
int shop_page_admin_bill_new(shop_req_t *req);              /* GET  /admin/bills/new */
int shop_page_admin_bill_create(shop_req_t *req);           /* POST /admin/bills/new */
int shop_page_admin_bill_edit(shop_req_t *req);             /* GET  /admin/bills/{id}/edit */
int shop_page_admin_bill_save(shop_req_t *req);             /* POST /admin/bills/{id}/edit */
int shop_page_admin_bill_line_new(shop_req_t *req);         /* GET  /admin/bills/{id}/lines/new */
int shop_page_admin_bill_line_add(shop_req_t *req);         /* POST /admin/bills/{id}/lines/new */
int shop_page_admin_bill_line_edit(shop_req_t *req);        /* GET  /admin/bills/{id}/lines/{line} */
int shop_page_admin_bill_line_save(shop_req_t *req);        /* POST /admin/bills/{id}/lines/{line} */
int shop_page_admin_bill_line_delete(shop_req_t *req);      /* POST /admin/bills/{id}/lines/{line}/delete */
int shop_page_admin_bill_line_move(shop_req_t *req);        /* POST /admin/bills/{id}/lines/{line}/move */

/* admin_trace.c */
int shop_page_admin_bill_trace(shop_req_t *req);            /* GET  /admin/bills/{id}/trace */
int shop_page_admin_trace(shop_req_t *req);                 /* GET  /admin/trace?transid= */

/* admin_dashboard.c */
int shop_page_admin_dashboard(shop_req_t *req);             /* GET  /admin/dashboard */

/* ---- shared helpers (admin_bills.c); strings in the request pool */


/* An amount in the request's language; digits when the currency is unknown. */
const char *shop_abill_money(shop_req_t *req, apr_int64_t minor, const char *currency);

/* An amount as a form field is filled with ("12.50"); "" when the currency is unknown. */
const char *shop_abill_money_plain(apr_pool_t *p, apr_int64_t minor, const char *currency);

/* Local date "YYYY-MM-DD" and date-time "YYYY-MM-DD HH:MM"; NULL for 0. */
const char *shop_abill_day(shop_req_t *req, apr_int64_t t);
const char *shop_abill_datetime(shop_req_t *req, apr_int64_t t);

/* Midnight, local time, of the first day of year/month (month 13: January
 * of the next year), as unix seconds: the bills export's boundaries. */
apr_int64_t shop_abill_month_start(int year, int month);

/* "Paid" for "SOLDOUT" ... in the request's language (bo_state_*); the code itself when unknown. */
const char *shop_abill_state_label(shop_req_t *req, const char *status);

/* "First Last", or "#id" when both are empty; NULL when id is 0 and both empty. */
const char *shop_abill_person(apr_pool_t *p, const char *first, const char *last, apr_int64_t id);

/* A date typed as YYYY-MM-DD into local midnight (unix seconds): 0 on
 * success, -1 when it is not a real date from 1970 to 9999. */
int shop_abill_parse_day(const char *s, apr_int64_t *out);

#endif
