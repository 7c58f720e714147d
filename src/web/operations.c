/* /health and /metrics: answered without templates and without a session. */
#include "web/pages.h"
#include "web/render.h"

#include "http_protocol.h"

#include "data/schema_repo.h"

int shop_page_health(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    int version = 0;
    int db_ok = db && shop_schema_current(db, &version) == 0;
    int schema_ok = db_ok && version >= SHOP_SCHEMA_REQUIRED;
    int mc_ok = shop_cache_ping(req->rt->cache, req->r->pool) == APR_SUCCESS;
    int ok = db_ok && schema_ok && mc_ok;

    json_object *body = json_object_new_object();
    json_object_object_add(body, "status", json_object_new_string(ok ? "ok" : "unavailable"));
    json_object_object_add(body, "db", json_object_new_string(db_ok ? "ok" : "down"));
    json_object_object_add(body, "memcache", json_object_new_string(mc_ok ? "ok" : "down"));
    json_object_object_add(body, "schema", json_object_new_int(version));
    if (db_ok && !schema_ok)
        json_object_object_add(body, "schema_required", json_object_new_int(SHOP_SCHEMA_REQUIRED));
    json_object_object_add(body, "version", json_object_new_string(req->rt->version));
    return shop_render_json(req, ok ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE, body);
}

int shop_page_metrics(shop_req_t *req)
{
    const char *text = shop_metrics_render(req->rt->metrics, req->r->pool);
    apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
    return shop_send_body(req, HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}
