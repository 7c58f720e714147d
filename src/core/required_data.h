/* Required-data descriptors of a product (local_shop `requireddata`, §2.6):
 * the fields a customer fills once per purchased unit.  Validated when staff
 * save a product, so the storefront only ever meets well-formed widgets.
 *
 * Accepted text: empty (no required data), or a JSON array of at most
 * SHOP_RD_MAX_FIELDS objects, each with
 *   field     required  string [a-z0-9_]{1,SHOP_RD_MAX_NAME}, unique in the array
 *   label     required  non-empty string, at most SHOP_RD_MAX_TEXT bytes
 *   type      required  "text" | "textarea" | "checkbox" | "select"
 *   required  optional  true / false
 *   options   select only, required there: an object of at least one
 *                       value -> label, labels non-empty strings
 *   desc      optional  string, at most SHOP_RD_MAX_TEXT bytes
 *   attrs     optional  object of HTML attributes: names [a-z][a-z-]*, not
 *                       starting with "on" (no event handlers), nor style,
 *                       class, id, name, type, value, form*; values strings
 *                       or numbers of at most SHOP_RD_MAX_TEXT bytes
 * and no other key.  The JSON itself at most SHOP_RD_MAX_INPUT bytes.
 *
 * A failure says where: the element index (0-based, -1 for the document),
 * the key (NULL for the element or the document), a message key of
 * templates/lang (rd_error_*) and, for a syntax error, the byte offset.
 * For an unknown key, err->key points into err->unknown (copy the struct
 * only with care).
 *
 * Memory: nothing kept; the json-c objects parsed are released before
 * returning.  Thread-safe, any phase. */
#ifndef SHOP_CORE_REQUIRED_DATA_H
#define SHOP_CORE_REQUIRED_DATA_H

#include <apr.h>
#include <apr_errno.h>

#define SHOP_RD_MAX_INPUT   (64 * 1024)
#define SHOP_RD_MAX_FIELDS  20
#define SHOP_RD_MAX_NAME    32
#define SHOP_RD_MAX_TEXT    255

typedef struct shop_rd_error {
    int index;                 /* element, 0-based; -1 = the document */
    const char *key;           /* offending key of the element, or NULL */
    const char *message_key;   /* rd_error_* */
    apr_size_t offset;         /* syntax errors: byte offset of the problem */
    char unknown[SHOP_RD_MAX_NAME + 1];  /* rd_error_unknown_key: the key, cut; key points here */
} shop_rd_error_t;

/* Validate text[0..len) (rules above).  Blank text is valid (*nfields 0).
 * APR_SUCCESS with *nfields (may be NULL) the number of widgets, or
 * APR_EINVAL with *err filled (err may be NULL). */
apr_status_t shop_required_data_validate(const char *text, apr_size_t len, int *nfields,
                                         shop_rd_error_t *err);

#endif
