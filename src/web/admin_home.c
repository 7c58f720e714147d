/* The back office's landing page: what the shop holds, at a glance. */
#include "web/pages.h"
#include "web/render.h"

#include "http_protocol.h"

#include "data/shop_repo.h"

int shop_page_admin_home(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    shop_counts_t counts;
    if (!db || shop_counts_get(db, &counts) != 0)
        return shop_render_unavailable(req);
    json_object *data = json_object_new_object();
    json_object *c = json_object_new_object();
    json_object_object_add(c, "shops", json_object_new_int64(counts.shops));
    json_object_object_add(c, "catalogues", json_object_new_int64(counts.catalogues));
    json_object_object_add(c, "products", json_object_new_int64(counts.products));
    json_object_object_add(c, "bills", json_object_new_int64(counts.bills));
    json_object_object_add(c, "customers", json_object_new_int64(counts.customers));
    json_object_object_add(data, "counts", c);
    json_object_object_add(data, "is_admin", json_object_new_boolean(shop_req_identity(req)->role == SHOP_ROLE_ADMIN));
    return shop_render_page(req, HTTP_OK, "admin/home", data);
}
