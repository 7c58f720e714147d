/*
 * multipart.h -- multipart/form-data (RFC 7578) over a complete body.
 *
 * The web layer reads the whole body (at most SHOP_MAX_BODY_UPLOAD bytes)
 * into memory, takes the boundary from the Content-Type header with
 * shop_multipart_boundary, then splits the body with shop_multipart_parse.
 *
 * Strictness: lines end in CRLF; the first delimiter is at the start of the
 * body or after a preamble line; each delimiter line is "--" boundary,
 * optional blanks, CRLF; the body must end with the close delimiter
 * "--" boundary "--" (anything after it is ignored).  A delimiter followed
 * by anything else ("--boundaryX") is an error, as is a missing close
 * delimiter (truncated upload).  Each part needs exactly one
 * Content-Disposition: form-data with a non-empty name; at most one
 * Content-Type; other part headers are ignored; folded header lines are
 * refused.  Names and filenames are taken as sent (browsers percent-encode
 * '"', CR and LF in them; nothing is decoded here) and must be UTF-8 without
 * control characters.
 *
 * Memory: the parts array and the strings in it are allocated in p (the
 * request pool).  Part data is NOT copied: shop_part_t.data points into
 * the body buffer passed to shop_multipart_parse and is not NUL-terminated,
 * so the body must outlive the parts (read it into the same pool).
 * *error is static or in p, set only when the return is not APR_SUCCESS.
 * Thread-safe, any phase.
 */
#ifndef SHOP_CORE_MULTIPART_H
#define SHOP_CORE_MULTIPART_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

typedef struct shop_part_t {
    const char *name;          /* form field name, UTF-8, never NULL */
    const char *filename;      /* NULL for a plain field; the client's file name
                                * with any directory part removed, "" when a file
                                * input was left empty.  Display only: never a path */
    const char *content_type;  /* the client's claim, trimmed; "text/plain" when
                                * absent.  Untrusted: type files with shop_sniff */
    const char *data;          /* into the body buffer, not NUL-terminated */
    apr_size_t len;
} shop_part_t;

typedef struct shop_multipart_limits_t {
    int max_parts;             /* all parts; default SHOP_MAX_MULTIPART_PARTS */
    int max_files;             /* parts with a filename; default SHOP_MAX_UPLOAD_PARTS */
    apr_size_t max_file;       /* bytes of one file part; default SHOP_MAX_UPLOAD_PART */
    apr_size_t max_field;      /* bytes of one plain part; default SHOP_MAX_MULTIPART_FIELD */
    apr_size_t max_total;      /* bytes of the body; default SHOP_MAX_BODY_UPLOAD */
} shop_multipart_limits_t;

/* From a Content-Type header value, check the type is multipart/form-data
 * (any case) and extract its boundary parameter, quoted or not (quoted-pair
 * escapes undone).  The boundary must be 1..70 RFC 2046 bchars not ending in
 * a space; a repeated boundary parameter is an error.  On success
 * *boundary is a NUL-terminated copy in p.  APR_EINVAL otherwise. */
apr_status_t shop_multipart_boundary(apr_pool_t *p, const char *content_type,
                                     const char **boundary, const char **error);

/* Split body[0..len) with boundary into *parts, an array of shop_part_t in
 * body order.  lim NULL means the defaults; a zero member means that
 * member's default.  APR_SUCCESS; APR_EINVAL for malformed input;
 * APR_ENOSPC when a limit is exceeded.  *parts is NULL on failure. */
apr_status_t shop_multipart_parse(apr_pool_t *p, const char *body, apr_size_t len,
                                  const char *boundary,
                                  const shop_multipart_limits_t *lim,
                                  apr_array_header_t **parts, const char **error);

/* Add every plain part (filename NULL) of parts to fields with apr_table_add
 * (so repeated names keep all values; keys compare case-insensitively), the
 * name and value copied into the table's pool.  APR_EINVAL (table possibly
 * partly filled: discard it) if a value holds a NUL byte or is not valid
 * UTF-8. */
apr_status_t shop_multipart_fields(apr_pool_t *p, const apr_array_header_t *parts,
                                   apr_table_t *fields, const char **error);

/* The first part called name (case-sensitive), or NULL. */
const shop_part_t *shop_multipart_get(const apr_array_header_t *parts,
                                      const char *name);

#endif /* SHOP_CORE_MULTIPART_H */
