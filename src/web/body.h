/* Reading and decoding request bodies for routes that declare one. */
#ifndef SHOP_WEB_BODY_H
#define SHOP_WEB_BODY_H

#include "web/router.h"

typedef enum {
    SHOP_BODY_OK = 0,
    SHOP_BODY_WRONG_TYPE,      /* 415: *error names the expected type */
    SHOP_BODY_TOO_LARGE,       /* 413 */
    SHOP_BODY_BAD              /* 400: *error says why (technical, English) */
} shop_body_result_t;

/* Check the Content-Type against req->route->body, read at most the route's
 * cap, and decode: form fields (or multipart fields) into req->params
 * (unfiltered), JSON into req->json, files into req->uploads with their type
 * sniffed from content.  Everything lives in the request pool. */
shop_body_result_t shop_body_read(shop_req_t *req, const char **error);

#endif
