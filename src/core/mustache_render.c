/* mustache_render.c — rendering compiled templates.
 *
 * Everything a render needs lives on the C stack: the context stack, the
 * indentation and the chain of parent tags are linked lists of stack frames.
 * The output grows in a malloc'd buffer, handed over to the caller's pool by
 * a cleanup.  Nothing else is allocated, so the memory a render takes is
 * bounded by SHOP_TPL_MAX_OUTPUT whatever the template and the data.  The set and the data are only read, so concurrent renders
 * need no lock.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_hash.h>
#include <json.h>

#include "core/mustache.h"
#include "core/mustache_int.h"

typedef struct ctx ctx_t;
struct ctx {
    struct json_object *v;
    const ctx_t *up;
};

/* One parent tag being expanded: its argument blocks override the blocks of
 * the templates it includes. */
typedef struct frame frame_t;
struct frame {
    const node_t *parent;
    const frame_t *prev;
};

/* The indentation of the current line: pieces added by each standalone
 * partial or parent and each block expansion, outermost first.  Never an
 * empty piece, so emitting it costs no more than the bytes it writes. */
typedef struct indent indent_t;
struct indent {
    const char *s;
    apr_size_t len;
    const indent_t *up;
};

typedef struct {
    const shop_tpl_set_t *set;
    apr_pool_t *pool;
    char *buf;
    apr_size_t len;
    apr_size_t cap;
    apr_size_t steps;
    int depth;
    apr_status_t rv;
} rstate_t;

static void emit_slow(rstate_t *st, const char *s, apr_size_t n)
{
    apr_size_t cap;
    char *nb;

    if (n == 0 || st->rv != APR_SUCCESS) {
        return;
    }
    if (n > SHOP_TPL_MAX_OUTPUT - st->len) {
        st->rv = APR_ENOSPC;
        return;
    }
    cap = st->cap ? st->cap : 8192;
    while (cap <= st->len + n) {
        cap *= 2;
    }
    nb = realloc(st->buf, cap);
    if (nb == NULL) {
        st->rv = APR_ENOMEM;
        return;
    }
    st->buf = nb;
    st->cap = cap;
    memcpy(st->buf + st->len, s, n);
    st->len += n;
}

/* Always leaves room for the final NUL. */
static inline void emit(rstate_t *st, const char *s, apr_size_t n)
{
    if (st->cap - st->len > n) {
        memcpy(st->buf + st->len, s, n);
        st->len += n;
    }
    else {
        emit_slow(st, s, n);
    }
}

static const char *const esc[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
    ['\''] = "&#39;"
};
static const unsigned char esc_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5
};

static void emit_escaped(rstate_t *st, const char *s, apr_size_t n)
{
    apr_size_t i = 0, from = 0;

    for (;;) {
        while (i < n && esc_len[(unsigned char)s[i]] == 0) {
            i++;
        }
        emit(st, s + from, i - from);
        if (i == n) {
            return;
        }
        emit(st, esc[(unsigned char)s[i]], esc_len[(unsigned char)s[i]]);
        from = ++i;
    }
}

/* Decimal digits of `u`, ending at `end`; returns where they start. */
static char *format_u64(char *end, uint64_t u)
{
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    return end;
}

/* The shortest of %.15g..%.17g that reads back as the same double. */
static int format_double(char *buf, apr_size_t size, double d)
{
    int prec, n = 0;

    if (isnan(d)) {
        return snprintf(buf, size, "NaN");
    }
    if (isinf(d)) {
        return snprintf(buf, size, d < 0 ? "-Infinity" : "Infinity");
    }
    for (prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    return n;
}

static void emit_value(rstate_t *st, struct json_object *v, int escape)
{
    char num[64];
    int n;

    switch (json_object_get_type(v)) {
    case json_type_string:
        if (escape) {
            emit_escaped(st, json_object_get_string(v),
                         (apr_size_t)json_object_get_string_len(v));
        }
        else {
            emit(st, json_object_get_string(v),
                 (apr_size_t)json_object_get_string_len(v));
        }
        return;
    case json_type_int: {
        int64_t i = json_object_get_int64(v);
        char *end = num + sizeof(num), *p;

        if (i == INT64_MAX) {
            p = format_u64(end, json_object_get_uint64(v));
        }
        else if (i < 0) {
            p = format_u64(end, (uint64_t)0 - (uint64_t)i);
            *--p = '-';
        }
        else {
            p = format_u64(end, (uint64_t)i);
        }
        emit(st, p, (apr_size_t)(end - p));
        return;
    }
    case json_type_double:
        n = format_double(num, sizeof(num), json_object_get_double(v));
        break;
    case json_type_boolean:
        n = snprintf(num, sizeof(num), "%s",
                     json_object_get_boolean(v) ? "true" : "false");
        break;
    default:
        return;
    }
    if (n > 0 && (apr_size_t)n < sizeof(num)) {
        emit(st, num, (apr_size_t)n);
    }
}

static int truthy(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return 0;
    case json_type_boolean:
        return json_object_get_boolean(v);
    case json_type_array:
        return json_object_array_length(v) > 0;
    default:
        return 1;
    }
}

/* Spec name resolution: the first part is searched down the context stack,
 * the others only inside what the previous part found. */
static struct json_object *lookup(const ctx_t *ctx, const node_t *n)
{
    struct json_object *v = NULL;
    unsigned i;

    if (n->nparts == 0) {
        return ctx ? ctx->v : NULL;
    }
    for (; ctx; ctx = ctx->up) {
        if (json_object_is_type(ctx->v, json_type_object)
            && json_object_object_get_ex(ctx->v, n->parts[0], &v)) {
            break;
        }
    }
    if (ctx == NULL) {
        return NULL;
    }
    for (i = 1; i < n->nparts; i++) {
        if (!json_object_is_type(v, json_type_object)
            || !json_object_object_get_ex(v, n->parts[i], &v)) {
            return NULL;
        }
    }
    return v;
}

/* The outermost parent tag passing a block of that name wins. */
static const node_t *find_override(const frame_t *f, const char *name)
{
    const node_t *found = NULL;
    unsigned i;

    for (; f; f = f->prev) {
        for (i = 0; i < f->parent->nchildren; i++) {
            const node_t *b = &f->parent->children[i];

            if (strcmp(b->text, name) == 0) {
                found = b;
                break;
            }
        }
    }
    return found;
}

static void emit_indent(rstate_t *st, const indent_t *in)
{
    if (in) {
        emit_indent(st, in->up);
        emit(st, in->s, in->len);
    }
}

/* `in` extended by the node's own indentation, in `space` if needed. */
static const indent_t *add_indent(const indent_t *in, const node_t *n,
                                  indent_t *space)
{
    if (n->indent_len == 0) {
        return in;
    }
    space->s = n->indent;
    space->len = n->indent_len;
    space->up = in;
    return space;
}

static void render(rstate_t *st, const node_t *nodes, unsigned n,
                   const ctx_t *ctx, const indent_t *indent,
                   const frame_t *frames);

static void include(rstate_t *st, const node_t *n, const ctx_t *ctx,
                    const indent_t *indent, const frame_t *frames)
{
    const tpl_t *tpl = apr_hash_get(st->set->tpls, n->text,
                                    APR_HASH_KEY_STRING);
    indent_t space;
    frame_t f;

    if (tpl == NULL) {
        return;
    }
    if (st->depth >= SHOP_TPL_MAX_DEPTH) {
        st->rv = APR_EINVAL;
        return;
    }
    if (n->kind == N_PARENT) {
        f.parent = n;
        f.prev = frames;
        frames = &f;
    }
    st->depth++;
    render(st, tpl->nodes, tpl->n, ctx,
           n->standalone ? add_indent(indent, n, &space) : NULL, frames);
    st->depth--;
}

static void render(rstate_t *st, const node_t *nodes, unsigned n,
                   const ctx_t *ctx, const indent_t *indent,
                   const frame_t *frames)
{
    unsigned i;

    for (i = 0; i < n && st->rv == APR_SUCCESS; i++) {
        const node_t *node = &nodes[i];
        struct json_object *v;
        ctx_t top;

        if (++st->steps > SHOP_TPL_MAX_STEPS) {
            st->rv = APR_EINVAL;
            return;
        }
        switch (node->kind) {
        case N_TEXT:
            emit(st, node->text, node->len);
            break;
        case N_INDENT:
        case N_START_INDENT:
            emit_indent(st, indent);
            break;
        case N_VAR:
        case N_RAW:
            emit_value(st, lookup(ctx, node), node->kind == N_VAR);
            break;
        case N_SECTION:
            v = lookup(ctx, node);
            if (!truthy(v)) {
                break;
            }
            top.up = ctx;
            if (json_object_is_type(v, json_type_array)) {
                size_t k, len = json_object_array_length(v);

                for (k = 0; k < len && st->rv == APR_SUCCESS; k++) {
                    top.v = json_object_array_get_idx(v, k);
                    render(st, node->children, node->nchildren, &top, indent,
                           frames);
                }
            }
            else {
                top.v = v;
                render(st, node->children, node->nchildren, &top, indent,
                       frames);
            }
            break;
        case N_INVERTED:
            if (!truthy(lookup(ctx, node))) {
                render(st, node->children, node->nchildren, ctx, indent,
                       frames);
            }
            break;
        case N_PARTIAL:
        case N_PARENT:
            include(st, node, ctx, indent, frames);
            break;
        case N_BLOCK: {
            const node_t *content = find_override(frames, node->text);
            const node_t *kids;
            unsigned nkids;
            indent_t space;

            if (content == NULL) {
                content = node;
            }
            else if (st->depth >= SHOP_TPL_MAX_DEPTH) {
                st->rv = APR_EINVAL;
                return;
            }
            kids = content->children;
            nkids = content->nchildren;
            if (nkids && kids[0].kind == N_START_INDENT && !node->standalone) {
                kids++;
                nkids--;
            }
            st->depth += content != node;
            render(st, kids, nkids, ctx, add_indent(indent, node, &space),
                   frames);
            st->depth -= content != node;
            break;
        }
        default:
            break;
        }
    }
}

static apr_status_t free_buf(void *data)
{
    free(data);
    return APR_SUCCESS;
}

apr_status_t shop_tpl_render_layers(const shop_tpl_set_t *set,
                                    const char *name,
                                    struct json_object *const *layers,
                                    int nlayers, apr_pool_t *pool,
                                    const char **out, apr_size_t *out_len)
{
    ctx_t frames[8], *stack = frames, *top = NULL;
    const tpl_t *tpl;
    rstate_t st;
    int i;

    *out = NULL;
    if (out_len) {
        *out_len = 0;
    }
    if (set == NULL || name == NULL
        || (tpl = apr_hash_get(set->tpls, name, APR_HASH_KEY_STRING)) == NULL) {
        return APR_ENOENT;
    }
    if (nlayers < 0 || (nlayers > 0 && layers == NULL)) {
        return APR_EINVAL;
    }
    if (nlayers > (int)(sizeof(frames) / sizeof(frames[0]))) {
        stack = apr_palloc(pool, (apr_size_t)nlayers * sizeof(*stack));
    }
    for (i = 0; i < nlayers; i++) {
        stack[i].v = layers[i];
        stack[i].up = top;
        top = &stack[i];
    }
    memset(&st, 0, sizeof(st));
    st.set = set;
    st.pool = pool;
    render(&st, tpl->nodes, tpl->n, top, NULL, NULL);
    if (st.rv == APR_SUCCESS && st.buf == NULL) {
        *out = "";
        return APR_SUCCESS;
    }
    if (st.rv != APR_SUCCESS) {
        free(st.buf);
        return st.rv;
    }
    st.buf[st.len] = '\0';
    apr_pool_cleanup_register(pool, st.buf, free_buf, apr_pool_cleanup_null);
    *out = st.buf;
    if (out_len) {
        *out_len = st.len;
    }
    return APR_SUCCESS;
}

apr_status_t shop_tpl_render(const shop_tpl_set_t *set, const char *name,
                             struct json_object *data, apr_pool_t *pool,
                             const char **out, apr_size_t *out_len)
{
    return shop_tpl_render_layers(set, name, &data, 1, pool, out, out_len);
}

const char *shop_tpl_escape_html(apr_pool_t *pool, const char *s,
                                 apr_size_t len)
{
    apr_size_t i, n = 0;
    char *out, *p;

    for (i = 0; i < len; i++) {
        n += esc_len[(unsigned char)s[i]] ? esc_len[(unsigned char)s[i]] : 1;
    }
    out = p = apr_palloc(pool, n + 1);
    for (i = 0; i < len; i++) {
        const char *e = esc[(unsigned char)s[i]];

        if (e) {
            memcpy(p, e, esc_len[(unsigned char)s[i]]);
            p += esc_len[(unsigned char)s[i]];
        }
        else {
            *p++ = s[i];
        }
    }
    *p = '\0';
    return out;
}
