/*
 * jsonbody.h -- JSON request bodies (json-c) and typed field access.
 *
 * Parsing is strict RFC 8259, checked by our own validator before json-c
 * builds the tree (json-c alone accepts NaN, Infinity, 'single quotes',
 * "1.", raw control characters, invalid UTF-8 and clamps huge integers).
 * Refused: empty body, a body over SHOP_MAX_BODY_JSON bytes (APR_ENOSPC),
 * nesting deeper than SHOP_MAX_JSON_DEPTH (the top-level object is depth
 * 1), anything but whitespace after the value, a top level that is not an
 * object, bytes that are not well-formed UTF-8 (a BOM included), control
 * characters in strings, "\u0000" escapes, unpaired surrogate escapes,
 * integers outside int64, non-finite numbers (1e999), and repeated keys in
 * one object.  All of these give APR_EINVAL and a message such as
 * "invalid JSON: unexpected character at byte 17" (0-based offset).
 *
 * Memory: a parsed tree is owned by the pool: a cleanup registered on p
 * calls json_object_put when p is cleared or destroyed, so callers never
 * put it themselves (they may json_object_get it to keep it longer, and
 * then owe a put).  Strings returned by the helpers are copies in p.
 * *error is static or in p, set only on failure.  Thread-safe (json-c
 * objects are not shared across threads), any phase.
 */
#ifndef SHOP_CORE_JSONBODY_H
#define SHOP_CORE_JSONBODY_H

#include <apr_pools.h>
#include <apr_errno.h>
#include <json-c/json.h>

/* Parse data[0..len) (need not be NUL-terminated).  On success *out is the
 * top-level object, owned by p as above; on failure *out is NULL. */
apr_status_t shop_json_parse_body(apr_pool_t *p, const char *data, apr_size_t len,
                                  json_object **out, const char **error);

/* Compact text of obj (JSON_C_TO_STRING_PLAIN | NOSLASHESCAPE), copied into
 * p; "null" for a NULL obj, NULL if json-c runs out of memory.  Non-ASCII
 * text is emitted as raw UTF-8; '<', '>' and '&' are not escaped: escape
 * again before embedding in HTML. */
const char *shop_json_to_string(apr_pool_t *p, json_object *obj);

/* Typed field getters on an object.  Common results:
 *   APR_SUCCESS   *out set
 *   APR_NOTFOUND  key absent, or its value is JSON null (*out untouched)
 *   APR_EINVAL    obj is not an object, or the value has the wrong type
 * so optional fields test APR_NOTFOUND and required ones any failure. */

/* A string of at most maxlen bytes (0 = SHOP_MAX_JSON_STRING), copied
 * into p.  Also APR_ENOSPC when longer, APR_EINVAL when it holds a NUL
 * byte or invalid UTF-8. */
apr_status_t shop_json_get_string(apr_pool_t *p, json_object *obj, const char *key,
                                  apr_size_t maxlen, const char **out);

/* An integer written without fraction or exponent (1.0, 1e2 and "1" are
 * APR_EINVAL) that fits in int64. */
apr_status_t shop_json_get_int64(json_object *obj, const char *key, apr_int64_t *out);

/* The same, also APR_ERANGE when outside [min, max] (*out untouched). */
apr_status_t shop_json_get_int64_range(json_object *obj, const char *key,
                                       apr_int64_t min, apr_int64_t max,
                                       apr_int64_t *out);

/* true or false (not 0/1, not "true"); *out is 1 or 0. */
apr_status_t shop_json_get_bool(json_object *obj, const char *key, int *out);

#endif /* SHOP_CORE_JSONBODY_H */
