/* What the manual-bill editor (admin_bill_edit.c: the bill's header) and its
 * lines (admin_bill_lines.c) share.  Staff edit a bill while it is WORKING
 * and carries no invoice number. */
#ifndef SHOP_WEB_ADMIN_BILL_EDIT_H
#define SHOP_WEB_ADMIN_BILL_EDIT_H

#include "web/admin_bills.h"
#include "web/admin_form.h"
#include "core/currency.h"
#include "core/tax.h"

#define SHOP_ABILL_VERSION_MAX 2147483647

/* The shop's taxes, each compiled (NULL when its formula does not). */
typedef struct shop_abill_taxes {
    shop_rows_t *rows;
    const shop_tax_t **tax;
} shop_abill_taxes_t;

int shop_abill_taxes_load(shop_req_t *req, shop_db_t *db, shop_abill_taxes_t *t);

/* Is `id` a tax of the table that compiles? */
int shop_abill_tax_known(const shop_abill_taxes_t *t, apr_int64_t id);

/* In the caller's transaction: every MANUAL line priced again, the totals
 * written, version + 1; a line that cannot be priced sets *bad and answers
 * SHOP_DB_ROLLBACK. */
int shop_abill_recalc(shop_db_t *db, apr_pool_t *p, apr_int64_t bill_id, const shop_currency_t *cur,
                      const shop_abill_taxes_t *taxes, apr_int64_t now, int *bad);

/* In the caller's transaction: lock bill `id`; it must be editable at
 * `version`, else *refusal is an i18n key and SHOP_DB_ROLLBACK comes back.
 * *currency gets the bill's. */
int shop_abill_lock_editable(shop_db_t *db, apr_int64_t id, apr_int64_t version, const char **currency,
                             const char **refusal);

/* The bill of the {id} capture, which must be editable.  OK, or the page
 * already sent (404, 409) with *sent set. */
int shop_abill_load_editable(shop_req_t *req, shop_bill_admin_t *b, int *sent);

/* The edit page again after a refusal (stale form): the bill as it is now,
 * status 409 with the message of `key`; a bill no longer editable: 409. */
int shop_abill_edit_conflict(shop_req_t *req, apr_int64_t id, const char *key);

/* Select options from rows (id and label columns), `current` selected. */
json_object *shop_abill_options(const shop_rows_t *rows, int id_col, int label_col, const char *current);

/* The value of `field` in a form's JSON (shop_form_json), or NULL. */
const char *shop_abill_form_value(json_object *form, const char *field);

/* An optional YYYY-MM-DD field as a time (0 when empty); a field error when
 * malformed.  Returns the text read. */
const char *shop_abill_optional_day(shop_form_t *f, const char *field, apr_int64_t *out);

#endif
