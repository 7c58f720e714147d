/* mustache_int.h — private to mustache.c and mustache_render.c: the
 * compiled form of a template.  Read-only once shop_tpl_set_add() returns. */
#ifndef SHOP_MUSTACHE_INT_H
#define SHOP_MUSTACHE_INT_H

#include <apr_hash.h>

enum {
    N_TEXT,             /* text: emitted as is */
    N_INDENT,           /* a template line starts: emit the indentation */
    N_START_INDENT,     /* same, first line of a block whose opening tag is
                           standalone: skipped where the block is expanded
                           in the middle of a line */
    N_VAR,              /* {{x}} */
    N_RAW,              /* {{{x}}} {{&x}} */
    N_SECTION,          /* {{#x}} */
    N_INVERTED,         /* {{^x}} */
    N_PARTIAL,          /* {{>x}} */
    N_PARENT,           /* {{<x}}: children are its argument blocks only */
    N_BLOCK             /* {{$x}}: children are the default content */
};

typedef struct node node_t;
struct node {
    unsigned char kind;
    unsigned char standalone;   /* on a standalone line */
    unsigned nparts;            /* N_VAR..N_INVERTED: 0 is {{.}} */
    unsigned nchildren;
    const char *text;           /* N_TEXT: bytes; else the NUL-terminated
                                   name */
    apr_size_t len;
    const char **parts;         /* the name split on '.' */
    /* N_PARTIAL, N_PARENT on a standalone line: the indentation added to each
     * of its lines; N_BLOCK: the indentation added to each line of the
     * content (default or override) where the block is expanded, relative
     * to the enclosing block's */
    const char *indent;
    apr_size_t indent_len;
    node_t *children;
};

typedef struct {
    const char *name;
    node_t *nodes;
    unsigned n;
} tpl_t;

struct shop_tpl_set {
    apr_pool_t *pool;
    apr_hash_t *tpls;           /* name -> tpl_t */
};

#endif /* SHOP_MUSTACHE_INT_H */
