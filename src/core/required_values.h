/* The values a buyer types for a product's required data (local_shop step
 * "purchaserequ", §3.4), checked against the product's widgets
 * (core/required_data.h), once per purchased unit.
 *
 * Until product actions validate their own data, a value is judged by its
 * widget alone:
 *   text      a JSON string, trimmed, at most SHOP_RV_TEXT_MAX characters
 *             (or attrs.maxlength when smaller), at least attrs.minlength,
 *             no control character
 *   textarea  the same with SHOP_RV_TEXTAREA_MAX characters and line breaks
 *             (CRLF stored as LF)
 *   select    a string among the option values ("" = nothing chosen)
 *   checkbox  true/false, or the strings "1"/"on"/"true" and "0"/"off"/
 *             "false"/"" (an HTML form); stored as a JSON boolean
 * JSON null is "nothing typed".  A required widget needs a non-empty value
 * (a required checkbox must be ticked).  attrs.pattern is not checked (a
 * browser's regular expression dialect, not ours).
 *
 * Errors name the widget's field and a message key of templates/lang
 * (rv_error_*).  Pure: no I/O; strings live in the pool given. */
#ifndef SHOP_CORE_REQUIRED_VALUES_H
#define SHOP_CORE_REQUIRED_VALUES_H

#include <apr_pools.h>
#include <json.h>

#define SHOP_RV_TEXT_MAX      255     /* characters of a text value */
#define SHOP_RV_TEXTAREA_MAX  4000    /* characters of a textarea value */

typedef struct shop_rv_option {
    const char *value, *label;
} shop_rv_option_t;

typedef struct shop_rv_attr {
    const char *name, *value;
} shop_rv_attr_t;

typedef struct shop_rv_widget {
    const char *field, *label, *type, *desc;   /* desc NULL when absent */
    int required;
    apr_size_t maxlength, minlength;           /* characters (text, textarea) */
    shop_rv_option_t *options;                 /* select, in the JSON's order */
    int noptions;
    shop_rv_attr_t *attrs;                     /* HTML attributes, as given */
    int nattrs;
} shop_rv_widget_t;

/* The widgets of a product's required_data text (NULL or blank: none).
 * Returns their number (0 none) with *out set, or -1 when the text is not a
 * widget array (it was checked when saved: a damaged row). */
int shop_rv_widgets(apr_pool_t *p, const char *required_data, shop_rv_widget_t **out);

typedef struct shop_rv_error {
    const char *field;         /* a widget's field, or an unknown key (copied in p) */
    const char *key;           /* rv_error_* */
} shop_rv_error_t;

/* Check one value (NULL = absent).  NULL when good, with *norm the value to
 * store (a new json-c object the caller owns: string or boolean), else the
 * message key and *norm NULL. */
const char *shop_rv_check_value(apr_pool_t *p, const shop_rv_widget_t *w, json_object *value,
                                json_object **norm);

/* Check one unit: `in` an object {field: value} (NULL or not an object:
 * nothing typed).  *out (may be NULL) gets a new object holding the good
 * values (the caller owns it).  Keys that are no widget are errors
 * (rv_error_unknown_field).  Fills errs up to maxerrs and returns the
 * number of errors found (may exceed maxerrs). */
int shop_rv_check_unit(apr_pool_t *p, const shop_rv_widget_t *w, int n, json_object *in, json_object **out,
                       shop_rv_error_t *errs, int maxerrs);

#endif
