/* The request context handed to every route handler.  Session, identity and
 * database handle are loaded lazily, on first use, so a page that needs none
 * of them (health, static assets) costs nothing. */
#ifndef SHOP_WEB_REQUEST_H
#define SHOP_WEB_REQUEST_H

#include "httpd.h"
#include <json.h>

#include "web/config.h"
#include "web/runtime.h"
#include "data/db.h"

/* The form field that carries the CSRF token (APIs use X-CSRF-Token). */
#define SHOP_CSRF_FIELD "csrf_token"

typedef enum {
    SHOP_ROLE_ANONYMOUS = 0,
    SHOP_ROLE_CUSTOMER,        /* a logged-in Moodle user */
    SHOP_ROLE_STAFF,           /* holds ShopSalesRole at system context */
    SHOP_ROLE_ADMIN            /* listed in Moodle's siteadmins */
} shop_role_t;

typedef struct shop_identity {
    int64_t userid;            /* 0 when anonymous */
    const char *firstname, *lastname, *email, *lang;
    shop_role_t role;
    const char *source;        /* "moodle", "ticket" or NULL */
} shop_identity_t;

typedef struct shop_session {
    const char *id;            /* 64 hex characters: the storage key */
    const char *cookie;        /* id "." signature: what the browser holds */
    json_object *data;         /* owned; released with the request pool */
    int64_t userid;            /* mirror of data.userid */
    int is_new;                /* the browser has not got this id yet */
    int dirty;                 /* must be written back */
    int stored;                /* exists in the store */
} shop_session_t;

struct shop_route;

typedef struct shop_req {
    request_rec *r;
    shop_srv_conf_t *conf;
    shop_dir_conf_t *dconf;
    shop_runtime_t *rt;
    const struct shop_route *route;
    const char *path;          /* below the shop location, always starting with '/' */
    const char *captures[4];   /* {name} segments of the route pattern, in order */
    apr_table_t *params;       /* whitelisted, validated query and form parameters */
    apr_table_t *raw_params;   /* every query and form parameter as received, unchecked: only for
                                  forms whose field names are dynamic (required data, seat
                                  assignments), whose handlers check every name and value */
    json_object *json;         /* decoded JSON body, or NULL */
    apr_array_header_t *uploads; /* shop_upload_t of a multipart body, or NULL */
    int is_api;                /* answer errors as JSON */
    int64_t now;               /* request time, unix seconds */

    /* lazy parts: use the accessors below */
    shop_db_t *db;
    int db_state;              /* 0 not tried, 1 ok, -1 unavailable */
    shop_session_t *session;
    shop_identity_t *identity;
    const char *lang;
} shop_req_t;

typedef struct shop_upload {
    const char *field, *filename, *sniffed_type;
    const char *data;
    apr_size_t len;
} shop_upload_t;

/* The database handle for this request (borrowed from mod_dbd, released with
 * the request), or NULL when MariaDB is unavailable. */
shop_db_t *shop_req_db(shop_req_t *req);

/* The shop session: loaded from memcached, else from the database, else a new
 * anonymous one.  Never NULL. */
shop_session_t *shop_req_session(shop_req_t *req);

/* Who is asking (Moodle session cookie, then a ticket login kept in the shop
 * session).  Never NULL; anonymous when the database is unavailable. */
shop_identity_t *shop_req_identity(shop_req_t *req);

/* Moodle's settings (mdl_config), cached per child for a short while
 * (auth.c).  0, or -1 when the database is unavailable. */
int shop_req_moodle_cfg(shop_req_t *req, shop_moodle_cfg_t *out);

/* The language of the answer: Moodle user's, then Accept-Language, then
 * ShopLanguage. */
const char *shop_req_lang(shop_req_t *req);

/* This session's CSRF token. */
const char *shop_req_csrf_token(shop_req_t *req);

/* A positive id written in decimal (a capture, a parameter), or 0 for
 * anything else (NULL, empty, signs, letters, too many digits). */
apr_int64_t shop_parse_id(const char *s);

/* The {id} capture number i of the route pattern as an id, or 0. */
apr_int64_t shop_req_capture_id(shop_req_t *req, int i);

/* A string of templates/lang in the request's language. */
const char *shop_req_text(shop_req_t *req, const char *key);

/* The non-empty uploaded file of form field `field`, or NULL. */
const shop_upload_t *shop_req_upload(shop_req_t *req, const char *field);

/* A parameter that passed the route's whitelist, or NULL. */
const char *shop_req_param(shop_req_t *req, const char *name);

#endif
