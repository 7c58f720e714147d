/* Back-office forms: typed reading of submitted fields with field-level
 * errors in the user's language, the values to show back, and list paging.
 *
 * A form collects, per field, the value as submitted and at most one error
 * (the first).  shop_form_json() gives templates
 *   {"values": {field: value}, "errors": {field: message}, "has_errors": bool}
 * so a template writes value="{{form.values.name}}" and
 * {{#form.errors.name}}<p class="field-error" id="name-error">{{.}}</p>{{/form.errors.name}}.
 * Everything lives in the request pool. */
#ifndef SHOP_WEB_ADMIN_FORM_H
#define SHOP_WEB_ADMIN_FORM_H

#include "web/request.h"

typedef struct shop_form shop_form_t;

shop_form_t *shop_form_create(shop_req_t *req);

/* Record the value shown back for a field (NULL: nothing). */
void shop_form_value(shop_form_t *f, const char *field, const char *value);

/* Record an error for a field: `key` names a string of templates/lang,
 * `detail` (may be NULL) is appended after ": " (e.g. a formula's position).
 * Only the first error of a field is kept. */
void shop_form_error(shop_form_t *f, const char *field, const char *key, const char *detail);

int shop_form_has_errors(const shop_form_t *f);

/* A text field from req->params: trimmed; required ones must not be empty
 * (error_required), at most maxlen bytes (error_too_long), valid UTF-8
 * without control characters except newlines when multiline
 * (error_bad_value).  Returns the value ("" when absent and optional) or
 * NULL after recording an error. */
const char *shop_form_text(shop_form_t *f, const char *field, int required, apr_size_t maxlen, int multiline);

/* One line printed on legal documents (a tax's exemption note, a series'
 * seller): shop_form_text without newlines, at most max_chars characters
 * (error_too_many_chars), and neither C1 controls nor the Unicode line
 * separators and bidirectional overrides that could hide or reorder printed
 * text (error_bad_value). */
const char *shop_form_line(shop_form_t *f, const char *field, int required, apr_size_t max_chars);

/* A whole number in [min, max] (error_not_a_number / error_out_of_range);
 * absent gives dflt when not required. Returns 0, or -1 after an error. */
int shop_form_int(shop_form_t *f, const char *field, int required, apr_int64_t min, apr_int64_t max,
                  apr_int64_t dflt, apr_int64_t *out);

/* A checkbox: 1 when sent with any value, else 0. */
int shop_form_checkbox(shop_form_t *f, const char *field);

/* One of `choices` (NULL-terminated); absent gives dflt.  NULL after an
 * error (error_bad_choice). */
const char *shop_form_choice(shop_form_t *f, const char *field, const char *const *choices, const char *dflt);

/* The form for templates (see above). */
json_object *shop_form_json(shop_form_t *f);

/* Paging for list pages: `page` from the "page" parameter (1-based),
 * clamped to the pages there are.  Returns {"page","pages","total",
 * "prev_url","next_url"} where the URLs keep `query` (already URL-encoded
 * "name=value&..." or ""). */
typedef struct shop_pager {
    apr_int64_t page, pages, total, per_page, offset;
} shop_pager_t;

shop_pager_t shop_pager_make(shop_req_t *req, apr_int64_t total, apr_int64_t per_page);
json_object *shop_pager_json(shop_req_t *req, const shop_pager_t *pg, const char *path, const char *query);

/* URL-encode a query value (for building `query`). */
const char *shop_url_escape(apr_pool_t *pool, const char *s);

#endif
