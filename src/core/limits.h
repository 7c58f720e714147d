/*
 * limits.h -- mod_shop's named limits, with tight defaults.
 *
 * Contract: plain integer constants, usable in #if and in comparisons with
 * apr_size_t or apr_int64_t (all are positive and fit in 32 bits unless
 * noted).  A parser that enforces one of these names it in its header; a
 * request over a limit is refused with an error, never truncated silently
 * (the few exceptions -- cookies -- say so in their header).
 *
 * Include as "core/limits.h".  <limits.h> (angle brackets) still finds the
 * system header: -Isrc holds no limits.h.
 */
#ifndef SHOP_CORE_LIMITS_H
#define SHOP_CORE_LIMITS_H

/* ---- request bodies (the web layer caps reads at these; parsers re-check) */
#define SHOP_MAX_BODY_FORM          (64 * 1024)        /* urlencoded POST body */
#define SHOP_MAX_QUERY_STRING       (8 * 1024)         /* httpd's request line is 8190 anyway */
#define SHOP_MAX_BODY_JSON          (256 * 1024)       /* application/json body */
#define SHOP_MAX_BODY_UPLOAD        (8 * 1024 * 1024)  /* whole multipart/form-data body */
#define SHOP_MAX_BODY_NOTIFY        (64 * 1024)        /* gateway server-to-server notification */

/* ---- urlencoded forms and query strings (form.h) */
#define SHOP_MAX_FORM_FIELDS        200   /* name=value pairs in one form or query */
#define SHOP_MAX_FIELD_NAME         128   /* bytes of a decoded field name */

/* ---- multipart/form-data (multipart.h) */
#define SHOP_MAX_MULTIPART_PARTS    64    /* all parts: plain fields and files */
#define SHOP_MAX_UPLOAD_PARTS       16    /* parts carrying a filename (files) */
#define SHOP_MAX_UPLOAD_PART        (8 * 1024 * 1024) /* bytes of one file part */
#define SHOP_MAX_MULTIPART_FIELD    (64 * 1024)       /* bytes of one plain (non-file) part */
#define SHOP_MAX_PART_HEADERS       (8 * 1024)        /* header block of one part */
#define SHOP_MAX_BOUNDARY           70    /* RFC 2046 */
#define SHOP_MAX_FILENAME           255   /* bytes of a client filename (display only) */

/* ---- JSON (jsonbody.h) */
#define SHOP_MAX_JSON_DEPTH         32    /* nested arrays/objects, top level counts as 1 */
#define SHOP_MAX_JSON_STRING        (64 * 1024) /* default cap for one string field */

/* ---- cookies (cookie.h) */
#define SHOP_MAX_COOKIES            50    /* pairs kept from one Cookie header */
#define SHOP_MAX_COOKIE_HEADER      (8 * 1024)
#define SHOP_MAX_COOKIE_NAME        128
#define SHOP_MAX_COOKIE_VALUE       4096

/* ---- secrets, ids, tickets (crypto.h, ticket.h, csrf.h) */
#define SHOP_MIN_SECRET_LEN         32    /* bytes of the HMAC key (ShopSecretFile) */
#define SHOP_SESSION_ID_BYTES       32    /* 256 bits -> 64 hex chars */
#define SHOP_TOKEN_BYTES            16    /* >= 128 bits for mailed links (S1) */
#define SHOP_TICKET_NONCE_BYTES     16    /* 128 bits */
#define SHOP_MAX_TICKET_TTL         (30 * 24 * 3600) /* seconds */
#define SHOP_MAX_TICKET_LEN         4096  /* chars of an encoded ticket */
#define SHOP_MAX_REDIRECT_PATH      2048  /* bytes of a same-site redirect target */

/* ---- business limits (cart, checkout, exports) */
#define SHOP_MAX_CART_LINES         100
#define SHOP_MAX_QUANTITY           1000  /* units of one product in one line */
#define SHOP_MAX_PARTICIPANTS       500   /* participants in one order */
#define SHOP_MAX_REQUIRED_FIELDS    32    /* required-data fields per product unit */
#define SHOP_MAX_DISCOUNT_CODE      64    /* bytes of a discount code */
#define SHOP_MAX_TEXT_FIELD         1024  /* default cap for a free text field */
#define SHOP_MAX_EXPORT_ROWS        200000 /* rows in one XLSX export */
#define SHOP_MAX_PDF_LINES          1000  /* bill lines rendered in one PDF */

#endif /* SHOP_CORE_LIMITS_H */
