/* Request bodies: capped reading and decoding by the route's declared kind.
 * See body.h. */
#include "web/body.h"
#include "web/log.h"

#include "http_protocol.h"
#include "http_log.h"
#include <apr_strings.h>

#include "core/form.h"
#include "core/jsonbody.h"
#include "core/limits.h"
#include "core/multipart.h"
#include "core/sniff.h"

static apr_size_t default_cap(shop_body_kind_t kind)
{
    switch (kind) {
    case SHOP_BODY_JSON: return SHOP_MAX_BODY_JSON;
    case SHOP_BODY_UPLOAD: return SHOP_MAX_BODY_UPLOAD;
    default: return SHOP_MAX_BODY_FORM;
    }
}

/* Read at most cap bytes; more is SHOP_BODY_TOO_LARGE. */
static shop_body_result_t read_capped(request_rec *r, apr_size_t cap, char **out, apr_size_t *len)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    if (cl) {
        char *end;
        apr_int64_t n = apr_strtoi64(cl, &end, 10);
        if (*end || n < 0) return SHOP_BODY_BAD;
        if ((apr_uint64_t)n > cap) return SHOP_BODY_TOO_LARGE;
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) return SHOP_BODY_BAD;
    char *buf = apr_palloc(r->pool, cap + 1);
    apr_size_t used = 0;
    if (ap_should_client_block(r)) {
        for (;;) {
            /* Reading one byte past the cap tells "exactly cap" from "more". */
            long got = ap_get_client_block(r, buf + used, cap + 1 - used);
            if (got < 0) return SHOP_BODY_BAD;
            if (got == 0) break;
            used += (apr_size_t)got;
            if (used > cap) return SHOP_BODY_TOO_LARGE;
        }
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    return SHOP_BODY_OK;
}

static int type_is(const char *ctype, const char *want)
{
    size_t n = strlen(want);
    return ctype && strncasecmp(ctype, want, n) == 0 && (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

shop_body_result_t shop_body_read(shop_req_t *req, const char **error)
{
    request_rec *r = req->r;
    const shop_route_t *route = req->route;
    *error = NULL;
    const char *ctype = apr_table_get(r->headers_in, "Content-Type");
    const char *want = route->body == SHOP_BODY_JSON ? "application/json"
                     : route->body == SHOP_BODY_UPLOAD ? "multipart/form-data"
                     : "application/x-www-form-urlencoded";
    if (!type_is(ctype, want)) {
        *error = want;
        return SHOP_BODY_WRONG_TYPE;
    }
    char *body;
    apr_size_t len;
    apr_size_t cap = route->body_cap ? route->body_cap : default_cap(route->body);
    shop_body_result_t res = read_capped(r, cap, &body, &len);
    if (res != SHOP_BODY_OK) return res;

    switch (route->body) {
    case SHOP_BODY_JSON: {
        json_object *obj = NULL;
        if (shop_json_parse_body(r->pool, body, len, &obj, error) != APR_SUCCESS) return SHOP_BODY_BAD;
        req->json = obj;
        return SHOP_BODY_OK;
    }
    case SHOP_BODY_UPLOAD: {
        const char *boundary = NULL;
        apr_array_header_t *parts = NULL;
        if (shop_multipart_boundary(r->pool, ctype, &boundary, error) != APR_SUCCESS
            || shop_multipart_parse(r->pool, body, len, boundary, NULL, &parts, error) != APR_SUCCESS)
            return SHOP_BODY_BAD;
        req->uploads = apr_array_make(r->pool, 2, sizeof(shop_upload_t));
        apr_table_t *fields = apr_table_make(r->pool, 8);
        for (int i = 0; i < parts->nelts; i++) {
            const shop_part_t *part = &APR_ARRAY_IDX(parts, i, shop_part_t);
            if (!part->filename) {
                apr_table_add(fields, part->name, apr_pstrndup(r->pool, part->data, part->len));
                continue;
            }
            shop_upload_t *up = apr_array_push(req->uploads);
            up->field = part->name;
            up->filename = part->filename;
            up->data = part->data;
            up->len = part->len;
            up->sniffed_type = shop_sniff_mime(part->data, part->len);
        }
        req->params = fields;    /* filtered by the route whitelist afterwards */
        return SHOP_BODY_OK;
    }
    default: {
        apr_table_t *fields = NULL;
        if (shop_form_parse(r->pool, body, len, &fields, error) != APR_SUCCESS) return SHOP_BODY_BAD;
        req->params = fields;
        return SHOP_BODY_OK;
    }
    }
}
