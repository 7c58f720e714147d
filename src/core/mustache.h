/* mustache.h — a Mustache renderer over json-c data, for httpd threads.
 *
 * Conforms to the Mustache spec (comments, delimiters, interpolation,
 * inverted, partials, sections, ~inheritance); lambdas and dynamic names are
 * not supported.
 *
 * Life cycle: a set is filled once, at configuration or child-init time, by
 * shop_tpl_set_add() / shop_tpl_set_load_dir() from one thread.  After that it
 * is read-only and shop_tpl_render() may run on any number of threads at once
 * over the same set.  Adding to a set while another thread renders from it is
 * not allowed.
 *
 * Data model: the render context is a json-c value.  Rendering never modifies
 * the data, never touches its reference count and never calls a json-c
 * function that caches inside an object (json_object_to_json_string), so one
 * json object may be shared, read-only, by concurrent renders.
 *
 * Semantics worth knowing when writing templates:
 *  - {{name}} escapes & < > " ' as &amp; &lt; &gt; &quot; &#39; (safe in
 *    element content and in quoted attribute values; not in URLs, scripts or
 *    styles: build those in C).  {{{name}}} and {{&name}} do not escape:
 *    use them only for HTML that was built and escaped by our own code.
 *  - Falsey are only: a missing name, null, false and the empty array.
 *    "" and 0 are truthy (as in the spec): send null or omit the key.
 *  - Numbers: integers print as integers; doubles in their shortest form that
 *    reads back exactly ("1.5", "0.1", a whole double as "3").  true/false
 *    print as "true"/"false".  An object or an array interpolates as nothing.
 *  - Missing partials and parents render as nothing (spec).
 *  - Inheritance: {{<layout}}{{$block}}...{{/block}}{{/layout}} renders the
 *    template "layout" with its {{$block}}default{{/block}} replaced.  Put a
 *    layout's blocks on lines of their own ("  {{$content}}" newline
 *    "  {{/content}}") to have the override re-indented to that column.
 */
#ifndef SHOP_MUSTACHE_H
#define SHOP_MUSTACHE_H

#include <apr_pools.h>
#include <apr_errno.h>

struct json_object;

/* Partials, parents and block overrides nested deeper than this at render
 * time (a template including itself) stop the render with APR_EINVAL. */
#define SHOP_TPL_MAX_DEPTH      64
/* Sections, inverted sections, parents and blocks nested deeper than this in
 * one template source are a compile error. */
#define SHOP_TPL_MAX_NESTING    32
/* One render visits at most this many template nodes (loop iterations
 * included), else APR_EINVAL: bounds the work a hostile template or data can
 * cause. */
#define SHOP_TPL_MAX_STEPS      (1u << 24)
/* One render produces at most this many bytes, else APR_ENOSPC. */
#define SHOP_TPL_MAX_OUTPUT     ((apr_size_t)32 << 20)
/* shop_tpl_set_load_dir() refuses template files larger than this ... */
#define SHOP_TPL_MAX_SOURCE     ((apr_size_t)1 << 20)
/* ... and directories nested deeper than this under its root. */
#define SHOP_TPL_MAX_DIR_DEPTH  16

/* Named, compiled templates; partials and parents resolve by name inside the
 * set, at render time. */
typedef struct shop_tpl_set shop_tpl_set_t;

/* Create an empty set.  Everything the set holds (sources, compiled trees,
 * names) is allocated in `pool` and lives as long as it; there is no destroy
 * function.  Never NULL. */
shop_tpl_set_t *shop_tpl_set_create(apr_pool_t *pool);

/* Compile `len` bytes of `source` (not NUL-terminated necessarily; copied)
 * under `name` (copied), replacing a template of the same name.
 * Returns APR_SUCCESS, or APR_EINVAL with *error (when error is not NULL) set
 * to "NAME:LINE:COL: message" allocated in the set's pool, LINE and COL
 * 1-based, COL counted in bytes; the set is then unchanged.
 * Errors: unclosed tag, unclosed section, closing tag that does not match the
 * open section (both names and positions given), closing tag with nothing
 * open, empty tag, bad set-delimiter tag, nesting beyond SHOP_TPL_MAX_NESTING.
 * Not thread-safe: load time only. */
apr_status_t shop_tpl_set_add(shop_tpl_set_t *set, const char *name,
                              const char *source, apr_size_t len,
                              const char **error);

/* Add every regular file named *.mustache under `dir`, recursively, skipping
 * names that start with '.'.  A template's name is its path relative to `dir`
 * without the extension, with '/' separators ("front/catalog" for
 * dir/front/catalog.mustache).  Stops at the first failure: an APR error from
 * the file system (*error = "PATH: reason"), a file larger than
 * SHOP_TPL_MAX_SOURCE or a tree deeper than SHOP_TPL_MAX_DIR_DEPTH
 * (APR_EINVAL, *error = "PATH: reason"), or a compile error (APR_EINVAL,
 * *error as in shop_tpl_set_add).  Templates added before the failure stay in
 * the set.  *error is allocated in the set's pool.  Load time only. */
apr_status_t shop_tpl_set_load_dir(shop_tpl_set_t *set, const char *dir,
                                   const char **error);

/* 1 if `name` was added to the set, else 0 (also for NULL arguments). */
int shop_tpl_set_has(const shop_tpl_set_t *set, const char *name);

/* Render template `name` with `data` as the context (NULL is the JSON null:
 * every name is missing).  On APR_SUCCESS *out is the NUL-terminated output
 * and *out_len its length (out_len may be NULL), allocated in `pool`.
 * The output buffer is freed by a cleanup of `pool`.
 * On error *out is NULL and nothing is left allocated:
 *   APR_ENOENT  `name` is not in the set;
 *   APR_EINVAL  SHOP_TPL_MAX_DEPTH or SHOP_TPL_MAX_STEPS exceeded;
 *   APR_ENOSPC  SHOP_TPL_MAX_OUTPUT exceeded.
 * Thread-safe once the set is loaded; `pool` must belong to the calling
 * thread (typically r->pool). */
apr_status_t shop_tpl_render(const shop_tpl_set_t *set, const char *name,
                             struct json_object *data, apr_pool_t *pool,
                             const char **out, apr_size_t *out_len);

/* shop_tpl_render() with a context stack of `nlayers` values, layers[0] at the
 * bottom: a name missing from layers[i] is looked up in layers[i-1] and so on.
 * Use it to put shared, read-only objects (shop_i18n_context(), site
 * settings) under the per-request data without adding them into it: adding
 * would touch their reference count, which json-c does not update atomically.
 * nlayers == 0 renders with the JSON null as the context. */
apr_status_t shop_tpl_render_layers(const shop_tpl_set_t *set,
                                    const char *name,
                                    struct json_object *const *layers,
                                    int nlayers, apr_pool_t *pool,
                                    const char **out, apr_size_t *out_len);

/* `len` bytes of `s` HTML-escaped as {{name}} does, as a new NUL-terminated
 * string allocated in `pool` (for C code building HTML fragments by hand).
 * Never NULL. */
const char *shop_tpl_escape_html(apr_pool_t *pool, const char *s,
                                 apr_size_t len);

#endif /* SHOP_MUSTACHE_H */
