/* The route table: every URL the shop answers, with what it demands before
 * its handler runs (method, role, CSRF, body kind and cap, parameters). */
#ifndef SHOP_WEB_ROUTER_H
#define SHOP_WEB_ROUTER_H

#include "web/request.h"

typedef enum {
    SHOP_BODY_NONE = 0,
    SHOP_BODY_FORM,            /* application/x-www-form-urlencoded */
    SHOP_BODY_JSON,            /* application/json, top-level object */
    SHOP_BODY_UPLOAD           /* multipart/form-data (fields + files) */
} shop_body_kind_t;

typedef enum {
    SHOP_P_ID,                 /* positive integer */
    SHOP_P_INT,                /* integer, may be 0 or negative */
    SHOP_P_CODE,               /* [A-Za-z0-9_-] */
    SHOP_P_TOKEN,              /* [A-Za-z0-9_.-] (tickets, ids) */
    SHOP_P_TEXT,               /* any valid UTF-8 without control characters */
    SHOP_P_LOCALPATH           /* a same-site path: starts with one '/' */
} shop_param_type_t;

typedef struct shop_param {
    const char *name;
    shop_param_type_t type;
    int maxlen;
} shop_param_t;

#define SHOP_ROUTE_NO_DB     0x01  /* serve even when the schema is behind (operations) */
#define SHOP_ROUTE_API       0x02  /* JSON errors */

typedef int (*shop_handler_fn)(shop_req_t *req);

typedef struct shop_route {
    const char *method;        /* "GET" also answers HEAD */
    const char *pattern;       /* "/product/{code}": literal segments and {captures} */
    shop_role_t role;          /* least role admitted */
    int csrf;                  /* state change: token required */
    shop_body_kind_t body;
    apr_size_t body_cap;       /* bytes; 0 = the kind's default limit */
    const shop_param_t *params;/* whitelist, ended by { NULL } ; NULL = none */
    shop_handler_fn handler;
    int flags;
} shop_route_t;

/* The route tables, one per area (routes.c lists them, NULL-terminated); each
 * table ends with an entry whose pattern is NULL.  Order matters only between
 * patterns that could match the same path: earlier tables win. */
extern const shop_route_t *const shop_route_tables[];

/* Find the route for method + path.  Returns it and fills captures, or NULL
 * with *path_known set when the path exists under another method (405) and
 * *allow listing the methods allowed. */
const shop_route_t *shop_route_match(apr_pool_t *pool, const char *method, const char *path,
                                     const char **captures, int *path_known, const char **allow);

/* Check a value against a parameter type; NULL when good, else an English
 * technical reason. */
const char *shop_param_check(const shop_param_t *p, const char *value);

#endif
