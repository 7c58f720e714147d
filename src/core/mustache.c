/* mustache.c — template sets: compiling Mustache sources, loading a
 * directory of them.  Rendering is in mustache_render.c.
 *
 * Compilation runs in three passes over one source:
 *  1. tokenize: text (cut after each newline) and tags, with set-delimiter
 *     tags applied as they come and sections matched on a stack, so every
 *     compile error is found here;
 *  2. lines: decide which lines are standalone (their whitespace and newline
 *     vanish), where a line starts (an indent token, so a partial included
 *     with indentation can indent each of its own lines, as the spec asks),
 *     and the indentation of blocks (see below);
 *  3. build: the tree of nodes, in arrays allocated in the set's pool.
 *
 * Block indentation follows the ~inheritance spec ("Block reindentation"):
 * the indentation a block's content has where it is written is stripped
 * from each of its lines, and the indentation of the place where the block
 * is expanded is added back when rendering.
 */
#include <stdarg.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_file_io.h>
#include <apr_file_info.h>

#include "core/mustache.h"
#include "core/mustache_int.h"

enum tkind {
    T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_COMMENT,
    T_PARTIAL, T_PARENT, T_BLOCK, T_DELIM, T_INDENT, T_START_INDENT
};

typedef struct {
    int kind;
    const char *s;          /* text bytes, or the tag's trimmed name */
    apr_size_t len;
    apr_size_t off;         /* source offset of the text or of the tag */
    int opener;             /* T_CLOSE: kind of what it closes */
    int ignorable;          /* parent tags and argument blocks: transparent
                               when telling whether a line is standalone */
    int standalone;
    const char *indent;     /* T_PARTIAL, T_PARENT, T_BLOCK: see node_t */
    apr_size_t indent_len;
} tok_t;

typedef struct {
    apr_pool_t *pool;       /* the set's pool: what outlives compilation */
    apr_pool_t *ptemp;
    const char *name;
    const char *src;
    apr_size_t len;
    apr_array_header_t *toks;
    const char **error;
} cstate_t;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
        || c == '\v';
}

static const char *find(const char *hay, apr_size_t hlen,
                        const char *needle, apr_size_t nlen)
{
    const char *p, *end;

    if (nlen == 0 || hlen < nlen) {
        return NULL;
    }
    end = hay + hlen - nlen;
    for (p = hay; p <= end; p++) {
        p = memchr(p, needle[0], (apr_size_t)(end - p) + 1);
        if (p == NULL) {
            return NULL;
        }
        if (memcmp(p, needle, nlen) == 0) {
            return p;
        }
    }
    return NULL;
}

static apr_status_t fail(cstate_t *cs, apr_size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line_col(const char *src, apr_size_t off, int *line, int *col)
{
    apr_size_t i, bol = 0;
    int l = 1;

    for (i = 0; i < off; i++) {
        if (src[i] == '\n') {
            l++;
            bol = i + 1;
        }
    }
    *line = l;
    *col = (int)(off - bol) + 1;
}

static apr_status_t fail(cstate_t *cs, apr_size_t off, const char *fmt, ...)
{
    va_list ap;
    const char *msg;
    int line, col;

    if (cs->error) {
        va_start(ap, fmt);
        msg = apr_pvsprintf(cs->ptemp, fmt, ap);
        va_end(ap);
        line_col(cs->src, off, &line, &col);
        *cs->error = apr_psprintf(cs->pool, "%s:%d:%d: %s", cs->name, line,
                                  col, msg);
    }
    return APR_EINVAL;
}

static const char *kind_word(int kind)
{
    switch (kind) {
    case T_SECTION:  return "section";
    case T_INVERTED: return "inverted section";
    case T_PARENT:   return "parent";
    default:         return "block";
    }
}

/* Names shown in messages: bounded, so a hostile template cannot make an
 * error string as large as itself. */
static const char *shown(cstate_t *cs, const char *s, apr_size_t len)
{
    if (len > 64) {
        return apr_pstrcat(cs->ptemp, apr_pstrmemdup(cs->ptemp, s, 64), "...",
                           NULL);
    }
    return apr_pstrmemdup(cs->ptemp, s, len);
}

static void push_text(cstate_t *cs, apr_size_t from, apr_size_t to)
{
    while (from < to) {
        const char *nl = memchr(cs->src + from, '\n', to - from);
        apr_size_t end = nl ? (apr_size_t)(nl - cs->src) + 1 : to;
        tok_t *t = apr_array_push(cs->toks);

        memset(t, 0, sizeof(*t));
        t->kind = T_TEXT;
        t->s = cs->src + from;
        t->len = end - from;
        t->off = from;
        from = end;
    }
}

typedef struct {
    int kind;
    const char *name;
    apr_size_t len;
    apr_size_t off;
    int argument;           /* a block directly inside a parent */
} open_t;

/* Pass 1. */
static apr_status_t tokenize(cstate_t *cs)
{
    const char *src = cs->src;
    const char *otag = "{{", *ctag = "}}";
    apr_size_t olen = 2, clen = 2, pos = 0;
    open_t stack[SHOP_TPL_MAX_NESTING];
    int depth = 0;

    while (pos < cs->len) {
        const char *hit = find(src + pos, cs->len - pos, otag, olen);
        apr_size_t start, p, cstart, cend, end;
        const char *close, *name;
        apr_size_t closelen, nlen;
        char *closer;
        int kind;
        tok_t *t;

        if (hit == NULL) {
            push_text(cs, pos, cs->len);
            break;
        }
        start = (apr_size_t)(hit - src);
        push_text(cs, pos, start);
        p = start + olen;
        kind = T_VAR;
        closer = (char *)ctag;
        closelen = clen;
        if (p < cs->len) {
            switch (src[p]) {
            case '{': kind = T_RAW; break;
            case '&': kind = T_RAW; break;
            case '!': kind = T_COMMENT; break;
            case '#': kind = T_SECTION; break;
            case '^': kind = T_INVERTED; break;
            case '/': kind = T_CLOSE; break;
            case '>': kind = T_PARTIAL; break;
            case '<': kind = T_PARENT; break;
            case '$': kind = T_BLOCK; break;
            case '=': kind = T_DELIM; break;
            default: break;
            }
            if (kind != T_VAR) {
                /* {{{x}}} and {{=a b=}} close with their sigil first */
                if (src[p] == '{' || src[p] == '=') {
                    closer = apr_palloc(cs->ptemp, clen + 1);
                    closer[0] = src[p] == '{' ? '}' : '=';
                    memcpy(closer + 1, ctag, clen);
                    closelen = clen + 1;
                }
                p++;
            }
        }
        close = p <= cs->len ? find(src + p, cs->len - p, closer, closelen)
                             : NULL;
        if (close == NULL) {
            return fail(cs, start, "unclosed tag: no '%s' after '%s'",
                        shown(cs, closer, closelen), shown(cs, otag, olen));
        }
        cstart = p;
        cend = (apr_size_t)(close - src);
        end = cend + closelen;
        while (cstart < cend && is_space(src[cstart])) {
            cstart++;
        }
        while (cend > cstart && is_space(src[cend - 1])) {
            cend--;
        }
        name = src + cstart;
        nlen = cend - cstart;

        if (kind == T_COMMENT) {
            pos = end;
            t = apr_array_push(cs->toks);
            memset(t, 0, sizeof(*t));
            t->kind = kind;
            t->off = start;
            continue;
        }
        if (kind == T_DELIM) {
            apr_size_t i = 0, a0, a1, b0, b1;

            a0 = i;
            while (i < nlen && !is_space(name[i])) {
                i++;
            }
            a1 = i;
            while (i < nlen && is_space(name[i])) {
                i++;
            }
            b0 = i;
            while (i < nlen && !is_space(name[i])) {
                i++;
            }
            b1 = i;
            if (a1 == a0 || b1 == b0 || i != nlen
                || memchr(name + a0, '=', a1 - a0)
                || memchr(name + b0, '=', b1 - b0)) {
                return fail(cs, start, "bad delimiter change '%s': expected "
                            "two delimiters without '=' separated by space",
                            shown(cs, name, nlen));
            }
            otag = name + a0;
            olen = a1 - a0;
            ctag = name + b0;
            clen = b1 - b0;
            pos = end;
            t = apr_array_push(cs->toks);
            memset(t, 0, sizeof(*t));
            t->kind = kind;
            t->off = start;
            continue;
        }
        if (nlen == 0) {
            return fail(cs, start, "empty tag");
        }
        {
            apr_size_t i;

            for (i = 0; i < nlen; i++) {
                if (is_space(name[i])) {
                    return fail(cs, start, "space in tag name '%s'",
                                shown(cs, name, nlen));
                }
            }
        }
        t = apr_array_push(cs->toks);
        memset(t, 0, sizeof(*t));
        t->kind = kind;
        t->s = name;
        t->len = nlen;
        t->off = start;
        switch (kind) {
        case T_SECTION:
        case T_INVERTED:
        case T_PARENT:
        case T_BLOCK:
            if (depth == SHOP_TPL_MAX_NESTING) {
                return fail(cs, start, "sections nested deeper than %d",
                            SHOP_TPL_MAX_NESTING);
            }
            stack[depth].kind = kind;
            stack[depth].name = name;
            stack[depth].len = nlen;
            stack[depth].off = start;
            stack[depth].argument = kind == T_BLOCK && depth > 0
                                    && stack[depth - 1].kind == T_PARENT;
            t->ignorable = kind == T_PARENT || stack[depth].argument;
            depth++;
            break;
        case T_CLOSE:
            if (depth == 0) {
                return fail(cs, start, "closing tag '%s' with no open section",
                            shown(cs, name, nlen));
            }
            depth--;
            if (stack[depth].len != nlen
                || memcmp(stack[depth].name, name, nlen) != 0) {
                int line, col;

                line_col(src, stack[depth].off, &line, &col);
                return fail(cs, start, "closing tag '%s' does not match "
                            "open %s '%s' (opened at %d:%d)",
                            shown(cs, name, nlen),
                            kind_word(stack[depth].kind),
                            shown(cs, stack[depth].name, stack[depth].len),
                            line, col);
            }
            t->opener = stack[depth].kind;
            t->ignorable = stack[depth].kind == T_PARENT
                           || stack[depth].argument;
            break;
        default:
            break;
        }
        pos = end;
    }
    if (depth > 0) {
        depth--;
        return fail(cs, stack[depth].off, "unclosed %s '%s'",
                    kind_word(stack[depth].kind),
                    shown(cs, stack[depth].name, stack[depth].len));
    }
    return APR_SUCCESS;
}

/* Length of the common prefix of two runs of blanks. */
static apr_size_t common(const char *a, apr_size_t alen, const char *b,
                         apr_size_t blen)
{
    apr_size_t i = 0;

    while (i < alen && i < blen && a[i] == b[i]) {
        i++;
    }
    return i;
}

static apr_size_t blanks(const char *s, apr_size_t len)
{
    apr_size_t i = 0;

    while (i < len && is_blank(s[i])) {
        i++;
    }
    return i;
}

/* A text token that may stand on a standalone line: blanks, then possibly
 * the line's end. */
static int blank_text(const tok_t *t)
{
    apr_size_t n = blanks(t->s, t->len);

    if (n == t->len) {
        return 1;
    }
    if (t->s[n] == '\r') {
        n++;
    }
    return n + 1 == t->len && t->s[n] == '\n';
}

static int empty_line(const tok_t *t)
{
    return (t->len == 1 && t->s[0] == '\n')
           || (t->len == 2 && t->s[0] == '\r' && t->s[1] == '\n');
}

typedef struct {
    const char *s;          /* the stripped indentation, absolute */
    apr_size_t len;
} strip_t;

/* Pass 2: returns the new token array, with T_INDENT tokens added. */
static apr_array_header_t *lines(cstate_t *cs)
{
    apr_array_header_t *in = cs->toks;
    apr_array_header_t *out = apr_array_make(cs->ptemp, in->nelts * 2 + 1,
                                             sizeof(tok_t));
    tok_t *toks = (tok_t *)in->elts;
    strip_t strip[SHOP_TPL_MAX_NESTING + 1];
    int nstrip = 1, i = 0, start_next = 0;

    strip[0].s = "";
    strip[0].len = 0;
    while (i < in->nelts) {
        int j = i, k, ok = 1, ntags = 0, nsig = 0, standalone, start_here;
        apr_size_t lead = 0, seg_end;
        const char *lead_s = cs->src + toks[i].off;

        while (j < in->nelts) {
            tok_t *t = &toks[j++];

            if (t->kind == T_TEXT && t->s[t->len - 1] == '\n') {
                break;
            }
        }
        seg_end = j < in->nelts ? toks[j].off : cs->len;
        for (k = i; k < j; k++) {
            if (toks[k].kind == T_TEXT) {
                ok = ok && blank_text(&toks[k]);
            }
            else if (toks[k].kind == T_VAR || toks[k].kind == T_RAW) {
                ok = 0;
            }
            else {
                ntags++;
                nsig += !toks[k].ignorable;
            }
        }
        standalone = ok && ntags > 0 && nsig <= 1;
        start_here = start_next;
        start_next = 0;
        if (toks[i].kind == T_TEXT) {
            lead = blanks(toks[i].s, toks[i].len);
            if (!standalone) {
                const strip_t *s = &strip[nstrip - 1];
                apr_size_t n = common(toks[i].s, lead, s->s, s->len);

                toks[i].s += n;
                toks[i].len -= n;
            }
        }
        if (!standalone && !(j == i + 1 && empty_line(&toks[i]))) {
            /* a line with content: an empty one gets no indentation */
            tok_t *t = apr_array_push(out);

            memset(t, 0, sizeof(*t));
            t->kind = start_here ? T_START_INDENT : T_INDENT;
            t->off = toks[i].off;
        }
        for (k = i; k < j; k++) {
            tok_t *t = &toks[k];
            const strip_t *s = &strip[nstrip - 1];

            if (t->kind == T_TEXT && standalone) {
                continue;
            }
            else if (standalone) {
                t->standalone = 1;
                if (t->kind == T_PARTIAL || t->kind == T_PARENT) {
                    apr_size_t n = common(lead_s, lead, s->s, s->len);

                    t->indent = lead_s + n;
                    t->indent_len = lead - n;
                }
            }
            if (t->kind == T_BLOCK) {
                const char *d;
                apr_size_t dlen, m;

                if (standalone) {
                    /* the indentation of the content's first line */
                    int m2;

                    d = cs->src + seg_end;
                    dlen = blanks(d, cs->len - seg_end);
                    start_next = 1;
                    for (m2 = k + 1; m2 < j; m2++) {
                        start_next = start_next && toks[m2].kind == T_TEXT;
                    }
                }
                else {
                    int only_blanks = 1, m2;

                    for (m2 = i; m2 < k; m2++) {
                        if (toks[m2].kind == T_TEXT
                            && blanks(toks[m2].s, toks[m2].len)
                               != toks[m2].len) {
                            only_blanks = 0;
                        }
                    }
                    if (only_blanks) {
                        d = lead_s;
                        dlen = lead;
                    }
                    else {
                        d = s->s;
                        dlen = s->len;
                    }
                }
                m = common(d, dlen, s->s, s->len);
                t->indent = d + m;
                t->indent_len = dlen - m;
                strip[nstrip].s = d;
                strip[nstrip].len = dlen;
                nstrip++;
            }
            else if (t->kind == T_CLOSE && t->opener == T_BLOCK) {
                nstrip--;
            }
            *(tok_t *)apr_array_push(out) = *t;
        }
        i = j;
    }
    return out;
}

typedef struct {
    apr_array_header_t *nodes;
    const tok_t *opener;
} cont_t;

static const char **split_name(apr_pool_t *p, const char *name,
                               apr_size_t len, unsigned *nparts)
{
    const char **parts;
    apr_size_t i, from = 0;
    unsigned n = 1, k = 0;

    if (len == 1 && name[0] == '.') {
        *nparts = 0;
        return NULL;
    }
    for (i = 0; i < len; i++) {
        n += name[i] == '.';
    }
    parts = apr_palloc(p, n * sizeof(*parts));
    for (i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            parts[k++] = apr_pstrmemdup(p, name + from, i - from);
            from = i + 1;
        }
    }
    *nparts = n;
    return parts;
}

static void fill_node(cstate_t *cs, node_t *n, const tok_t *t)
{
    memset(n, 0, sizeof(*n));
    switch (t->kind) {
    case T_TEXT:          n->kind = N_TEXT; break;
    case T_INDENT:        n->kind = N_INDENT; break;
    case T_START_INDENT:  n->kind = N_START_INDENT; break;
    case T_VAR:           n->kind = N_VAR; break;
    case T_RAW:           n->kind = N_RAW; break;
    case T_SECTION:       n->kind = N_SECTION; break;
    case T_INVERTED:      n->kind = N_INVERTED; break;
    case T_PARTIAL:       n->kind = N_PARTIAL; break;
    case T_PARENT:        n->kind = N_PARENT; break;
    case T_BLOCK:         n->kind = N_BLOCK; break;
    default: break;
    }
    if (t->kind == T_TEXT) {
        n->text = t->s;
        n->len = t->len;
        return;
    }
    if (t->s) {
        n->text = apr_pstrmemdup(cs->pool, t->s, t->len);
        n->len = t->len;
    }
    if (t->kind == T_VAR || t->kind == T_RAW || t->kind == T_SECTION
        || t->kind == T_INVERTED) {
        n->parts = split_name(cs->pool, t->s, t->len, &n->nparts);
    }
    n->standalone = (unsigned char)t->standalone;
    n->indent = t->indent;
    n->indent_len = t->indent_len;
}

static void finish(cstate_t *cs, node_t *n, apr_array_header_t *kids)
{
    n->nchildren = (unsigned)kids->nelts;
    if (kids->nelts) {
        n->children = apr_pmemdup(cs->pool, kids->elts,
                                  (apr_size_t)kids->nelts * sizeof(node_t));
    }
}

/* Pass 3. */
static tpl_t *build(cstate_t *cs, apr_array_header_t *toks)
{
    cont_t stack[SHOP_TPL_MAX_NESTING + 1];
    int depth = 0, i;
    tpl_t *tpl = apr_pcalloc(cs->pool, sizeof(*tpl));
    node_t root;

    stack[0].nodes = apr_array_make(cs->ptemp, 16, sizeof(node_t));
    stack[0].opener = NULL;
    for (i = 0; i < toks->nelts; i++) {
        const tok_t *t = &((const tok_t *)toks->elts)[i];
        cont_t *top = &stack[depth];
        node_t n;

        switch (t->kind) {
        case T_COMMENT:
        case T_DELIM:
            continue;
        case T_TEXT:
            if (t->len == 0) {
                continue;
            }
            break;
        case T_SECTION:
        case T_INVERTED:
        case T_PARENT:
        case T_BLOCK:
            depth++;
            stack[depth].nodes = apr_array_make(cs->ptemp, 8, sizeof(node_t));
            stack[depth].opener = t;
            continue;
        case T_CLOSE:
            fill_node(cs, &n, stack[depth].opener);
            finish(cs, &n, stack[depth].nodes);
            depth--;
            top = &stack[depth];
            break;
        default:
            break;
        }
        if (t->kind != T_CLOSE) {
            fill_node(cs, &n, t);
        }
        /* inside a parent tag only the argument blocks count */
        if (top->opener && top->opener->kind == T_PARENT
            && n.kind != N_BLOCK) {
            continue;
        }
        *(node_t *)apr_array_push(top->nodes) = n;
    }
    memset(&root, 0, sizeof(root));
    finish(cs, &root, stack[0].nodes);
    tpl->nodes = root.children;
    tpl->n = root.nchildren;
    return tpl;
}

shop_tpl_set_t *shop_tpl_set_create(apr_pool_t *pool)
{
    shop_tpl_set_t *set = apr_pcalloc(pool, sizeof(*set));

    set->pool = pool;
    set->tpls = apr_hash_make(pool);
    return set;
}

apr_status_t shop_tpl_set_add(shop_tpl_set_t *set, const char *name,
                              const char *source, apr_size_t len,
                              const char **error)
{
    cstate_t cs;
    apr_status_t rv;
    tpl_t *tpl;

    if (error) {
        *error = NULL;
    }
    if (set == NULL || name == NULL || (source == NULL && len > 0)) {
        if (error) {
            *error = "shop_tpl_set_add: NULL argument";
        }
        return APR_EINVAL;
    }
    memset(&cs, 0, sizeof(cs));
    cs.pool = set->pool;
    cs.name = name;
    cs.error = error;
    cs.len = len;
    rv = apr_pool_create(&cs.ptemp, set->pool);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    cs.src = len ? apr_pstrmemdup(set->pool, source, len) : "";
    cs.toks = apr_array_make(cs.ptemp, 64, sizeof(tok_t));
    rv = tokenize(&cs);
    if (rv == APR_SUCCESS) {
        tpl = build(&cs, lines(&cs));
        tpl->name = apr_pstrdup(set->pool, name);
        apr_hash_set(set->tpls, tpl->name, APR_HASH_KEY_STRING, tpl);
    }
    apr_pool_destroy(cs.ptemp);
    return rv;
}

int shop_tpl_set_has(const shop_tpl_set_t *set, const char *name)
{
    if (set == NULL || name == NULL) {
        return 0;
    }
    return apr_hash_get(set->tpls, name, APR_HASH_KEY_STRING) != NULL;
}

static const char *ioerr(apr_pool_t *p, const char *path, apr_status_t rv)
{
    char buf[256];

    return apr_psprintf(p, "%s: %s", path, apr_strerror(rv, buf, sizeof(buf)));
}

static apr_status_t load_file(shop_tpl_set_t *set, const char *path,
                              const char *name, apr_pool_t *ptemp,
                              const char **error)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t got = 0;
    char *buf;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, ptemp);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
        if (rv == APR_SUCCESS && fi.size > (apr_off_t)SHOP_TPL_MAX_SOURCE) {
            apr_file_close(f);
            *error = apr_psprintf(set->pool, "%s: larger than %" APR_SIZE_T_FMT
                                  " bytes", path, SHOP_TPL_MAX_SOURCE);
            return APR_EINVAL;
        }
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(ptemp, (apr_size_t)fi.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
        if (rv == APR_EOF && got == (apr_size_t)fi.size) {
            rv = APR_SUCCESS;
        }
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS) {
        *error = ioerr(set->pool, path, rv);
        return rv;
    }
    return shop_tpl_set_add(set, name, buf, got, error);
}

static apr_status_t load_dir(shop_tpl_set_t *set, const char *dir,
                             const char *prefix, int depth, apr_pool_t *ptemp,
                             const char **error)
{
    static const char ext[] = ".mustache";
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;

    if (depth > SHOP_TPL_MAX_DIR_DEPTH) {
        *error = apr_psprintf(set->pool, "%s: directories nested deeper than "
                              "%d", dir, SHOP_TPL_MAX_DIR_DEPTH);
        return APR_EINVAL;
    }
    rv = apr_dir_open(&d, dir, ptemp);
    if (rv != APR_SUCCESS) {
        *error = ioerr(set->pool, dir, rv);
        return rv;
    }
    for (;;) {
        apr_finfo_t st;
        const char *path, *name;
        apr_size_t nlen;

        rv = apr_dir_read(&fi, APR_FINFO_NAME, d);
        if (APR_STATUS_IS_ENOENT(rv)) {
            rv = APR_SUCCESS;
            break;
        }
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            *error = ioerr(set->pool, dir, rv);
            break;
        }
        if (fi.name == NULL || fi.name[0] == '.') {
            continue;
        }
        path = apr_pstrcat(ptemp, dir, "/", fi.name, NULL);
        rv = apr_stat(&st, path, APR_FINFO_TYPE, ptemp);
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            *error = ioerr(set->pool, path, rv);
            break;
        }
        rv = APR_SUCCESS;
        name = prefix ? apr_pstrcat(ptemp, prefix, "/", fi.name, NULL)
                      : fi.name;
        if (st.filetype == APR_DIR) {
            rv = load_dir(set, path, name, depth + 1, ptemp, error);
        }
        else if (st.filetype == APR_REG) {
            nlen = strlen(name);
            if (nlen > sizeof(ext) - 1
                && strcmp(name + nlen - (sizeof(ext) - 1), ext) == 0) {
                rv = load_file(set, path,
                               apr_pstrmemdup(ptemp, name,
                                              nlen - (sizeof(ext) - 1)),
                               ptemp, error);
            }
        }
        if (rv != APR_SUCCESS) {
            break;
        }
    }
    apr_dir_close(d);
    return rv;
}

apr_status_t shop_tpl_set_load_dir(shop_tpl_set_t *set, const char *dir,
                                   const char **error)
{
    apr_pool_t *ptemp;
    apr_status_t rv;
    const char *dummy;

    if (error == NULL) {
        error = &dummy;
    }
    *error = NULL;
    if (set == NULL || dir == NULL) {
        *error = "shop_tpl_set_load_dir: NULL argument";
        return APR_EINVAL;
    }
    rv = apr_pool_create(&ptemp, set->pool);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = load_dir(set, dir, NULL, 0, ptemp, error);
    apr_pool_destroy(ptemp);
    return rv;
}
