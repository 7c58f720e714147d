/*
 * form.h -- application/x-www-form-urlencoded bodies and query strings.
 *
 * Decodes "a=1&b=x+y&a=%C3%A9" into an apr_table_t: '+' is a space, %XX a
 * byte; pairs are separated by '&' only; empty pairs ("a=1&&b") are
 * skipped; a pair without '=' is a name with the empty value.  Every pair
 * is added (apr_table_add), so a repeated name keeps all its values in
 * order: use apr_table_get for the first, apr_table_do for all.
 *
 * NOTE apr_table_t compares keys case-insensitively: "Qty" and "qty" are
 * the same field to apr_table_get.  Route parameter whitelists should use
 * lowercase names.
 *
 * Refused (the whole input, never a partial table):
 *   - a '%' not followed by two hex digits           -> APR_EINVAL
 *   - a NUL byte in a decoded name or value (%00)    -> APR_EINVAL
 *   - decoded bytes that are not well-formed UTF-8   -> APR_EINVAL
 *   - an empty name ("=x"), or a control char in a name -> APR_EINVAL
 *   - more than max_fields pairs                     -> APR_ENOSPC
 *   - a decoded name longer than max_name bytes      -> APR_ENOSPC
 *   - input longer than max_bytes                    -> APR_ENOSPC
 * (APR_EINVAL maps naturally to 400, APR_ENOSPC to 413 or 400.)
 *
 * Memory: the table, its keys and values are allocated in p (the request
 * pool); keys and values are NUL-terminated copies, the input is not kept.
 * *error is a static English string or one allocated in p; it is set only
 * when the return is not APR_SUCCESS.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_FORM_H
#define SHOP_CORE_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

typedef struct shop_form_limits_t {
    int max_fields;         /* pairs; default SHOP_MAX_FORM_FIELDS */
    apr_size_t max_name;    /* decoded name bytes; default SHOP_MAX_FIELD_NAME */
    apr_size_t max_bytes;   /* raw input bytes; default SHOP_MAX_BODY_FORM */
} shop_form_limits_t;

/* Parse data[0..len) (need not be NUL-terminated; data may be NULL when
 * len is 0, giving an empty table) with the default limits.  On success
 * *out is a new table; on failure *out is NULL and *error says why. */
apr_status_t shop_form_parse(apr_pool_t *p, const char *data, apr_size_t len,
                             apr_table_t **out, const char **error);

/* The same with explicit limits; lim NULL means the defaults, and a zero
 * member means that member's default. */
apr_status_t shop_form_parse_ex(apr_pool_t *p, const char *data, apr_size_t len,
                                const shop_form_limits_t *lim,
                                apr_table_t **out, const char **error);

/* A query string (r->args: NUL-terminated, NULL when absent) with the
 * default limits but max_bytes SHOP_MAX_QUERY_STRING. */
apr_status_t shop_form_parse_query(apr_pool_t *p, const char *args,
                                   apr_table_t **out, const char **error);

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence); otherwise 0
 * and, if bad is not NULL, *bad is the offset of the first offending byte.
 * NUL bytes are valid UTF-8 here: callers that refuse them check apart. */
int shop_utf8_valid(const char *s, apr_size_t len, apr_size_t *bad);

#endif /* SHOP_CORE_FORM_H */
