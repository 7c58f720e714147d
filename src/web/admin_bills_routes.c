/* Back-office routes of the bills area (see router.h for the columns): the
 * list, the bill page and its actions, manual bills and their lines, the
 * trace viewer and the dashboard.  Text fields are whitelisted generously
 * (SHOP_P_TEXT): the handlers read them with shop_form_* and answer a bad
 * value next to its field instead of a bare 400.  /admin/bills/export
 * belongs to admin_bills_export.c (its table comes first). */
#include "web/router.h"
#include "web/admin_bills.h"

#define TEXT_FIELD  4096
#define LONG_FIELD  20000

static const shop_param_t p_list[] = {
    { "page", SHOP_P_ID, 9 }, { "status", SHOP_P_TEXT, 16 }, { "year", SHOP_P_TEXT, 16 }, { "month", SHOP_P_TEXT, 16 },
    { "shop", SHOP_P_TEXT, 20 }, { "customer", SHOP_P_TEXT, 100 }, { "currency", SHOP_P_TEXT, 16 },
    { "q", SHOP_P_TEXT, 100 },
    { NULL }
};
static const shop_param_t p_bill[] = {
    { "done", SHOP_P_CODE, 16 }, { "produced", SHOP_P_INT, 6 }, { "failed", SHOP_P_INT, 6 }, { NULL }
};
static const shop_param_t p_transition[] = {
    { "to", SHOP_P_TEXT, 40 }, { "reason", SHOP_P_TEXT, TEXT_FIELD }, { NULL }
};
static const shop_param_t p_payment[] = {
    { "amount", SHOP_P_TEXT, 100 }, { "reference", SHOP_P_TEXT, 400 }, { "date", SHOP_P_TEXT, 40 },
    { "paymode", SHOP_P_TEXT, 40 }, { NULL }
};
static const shop_param_t p_note[] = {
    { "note", SHOP_P_TEXT, LONG_FIELD }, { NULL }
};
static const shop_param_t p_header[] = {
    { "version", SHOP_P_TEXT, 20 }, { "shop", SHOP_P_TEXT, 20 }, { "customer", SHOP_P_TEXT, 20 },
    { "moodle_user", SHOP_P_TEXT, 20 }, { "title", SHOP_P_TEXT, TEXT_FIELD }, { "lang", SHOP_P_TEXT, 10 },
    { "paymode", SHOP_P_TEXT, 20 }, { "assigned", SHOP_P_TEXT, 20 }, { "due", SHOP_P_TEXT, 20 },
    { "expected", SHOP_P_TEXT, 20 }, { "engagement", SHOP_P_TEXT, 200 }, { NULL }
};
static const shop_param_t p_edit[] = {
    { "saved", SHOP_P_INT, 1 }, { "customer", SHOP_P_ID, 18 }, { "customer_q", SHOP_P_TEXT, 100 }, { NULL }
};
static const shop_param_t p_line[] = {
    { "version", SHOP_P_TEXT, 20 }, { "code", SHOP_P_TEXT, 400 }, { "label", SHOP_P_TEXT, TEXT_FIELD },
    { "description", SHOP_P_TEXT, LONG_FIELD + 1000 }, { "quantity", SHOP_P_TEXT, 20 },
    { "unit_price", SHOP_P_TEXT, 100 }, { "tax", SHOP_P_TEXT, 20 }, { "due", SHOP_P_TEXT, 20 }, { NULL }
};
static const shop_param_t p_line_action[] = {
    { "version", SHOP_P_TEXT, 20 }, { "dir", SHOP_P_TEXT, 10 }, { NULL }
};
static const shop_param_t p_trace[] = {
    { "transid", SHOP_P_TEXT, 200 }, { NULL }
};

const shop_route_t shop_admin_bills_routes[] = {
    { "GET",  "/admin/bills", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_list, shop_page_admin_bills, 0 },
    { "GET",  "/admin/bills/new", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_edit, shop_page_admin_bill_new, 0 },
    { "POST", "/admin/bills/new", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_header, shop_page_admin_bill_create, 0 },
    { "GET",  "/admin/bills/{id}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_bill, shop_page_admin_bill, 0 },
    { "POST", "/admin/bills/{id}/transition", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_transition,
      shop_page_admin_bill_transition, 0 },
    { "POST", "/admin/bills/{id}/raw", SHOP_ROLE_ADMIN, 1, SHOP_BODY_FORM, 0, p_transition,
      shop_page_admin_bill_raw, 0 },
    { "POST", "/admin/bills/{id}/payment", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_payment,
      shop_page_admin_bill_payment, 0 },
    { "POST", "/admin/bills/{id}/produce", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_page_admin_bill_produce, 0 },
    { "POST", "/admin/bills/{id}/notes", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_note, shop_page_admin_bill_note, 0 },
    { "GET",  "/admin/bills/{id}/edit", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_edit, shop_page_admin_bill_edit, 0 },
    { "POST", "/admin/bills/{id}/edit", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_header, shop_page_admin_bill_save, 0 },
    { "GET",  "/admin/bills/{id}/lines/new", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_page_admin_bill_line_new, 0 },
    { "POST", "/admin/bills/{id}/lines/new", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_line,
      shop_page_admin_bill_line_add, 0 },
    { "GET",  "/admin/bills/{id}/lines/{line}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_page_admin_bill_line_edit, 0 },
    { "POST", "/admin/bills/{id}/lines/{line}", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_line,
      shop_page_admin_bill_line_save, 0 },
    { "POST", "/admin/bills/{id}/lines/{line}/delete", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_line_action,
      shop_page_admin_bill_line_delete, 0 },
    { "POST", "/admin/bills/{id}/lines/{line}/move", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_line_action,
      shop_page_admin_bill_line_move, 0 },
    { "GET",  "/admin/bills/{id}/trace", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, shop_page_admin_bill_trace, 0 },
    { "GET",  "/admin/trace", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_trace, shop_page_admin_trace, 0 },
    { "GET",  "/admin/dashboard", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, shop_page_admin_dashboard, 0 },
    { NULL }
};
