/* The storefront's entry page.  The catalogue itself (categories, product
 * cards) arrives with the catalogue layer; this page shows the shop. */
#include "web/pages.h"
#include "web/render.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "data/shop_repo.h"

int shop_page_home(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_error(req, HTTP_SERVICE_UNAVAILABLE, "unavailable", "error_503_message", NULL);
    const char *given = shop_req_param(req, "shop");
    int64_t id = given ? apr_atoi64(given) : shop_conf_default_shop(req->dconf);
    shop_shop_t *shop = NULL;
    if (shop_shop_get(db, id, &shop) != 0)
        return shop_render_error(req, HTTP_SERVICE_UNAVAILABLE, "unavailable", "error_503_message", NULL);
    if (!shop) return shop_render_error(req, HTTP_NOT_FOUND, "shop_not_found", "error_shop_not_found", NULL);

    json_object *data = json_object_new_object();
    json_object *js = json_object_new_object();
    json_object_object_add(js, "id", json_object_new_int64(shop->id));
    json_object_object_add(js, "name", json_object_new_string(shop->name));
    json_object_object_add(js, "description", json_object_new_string(shop->description ? shop->description : ""));
    json_object_object_add(js, "currency", json_object_new_string(shop->currency));
    json_object_object_add(data, "shop", js);
    json_object_object_add(data, "title", json_object_new_string(shop->name));
    return shop_render_page(req, HTTP_OK, "front/home", data);
}
