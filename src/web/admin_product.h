/* Back-office products: list, form, delete, clone, convert, set/bundle
 * elements, slave copies, files and their public media route.  The route
 * table (admin_product_routes.c) is the only caller; each handler takes the
 * request context and returns what a handler returns (OK once a body was
 * sent). */
#ifndef SHOP_WEB_ADMIN_PRODUCT_H
#define SHOP_WEB_ADMIN_PRODUCT_H

#include "web/request.h"

/* admin_products.c */
int shop_page_admin_products(shop_req_t *req);           /* GET  /admin/catalogues/{id}/products */
int shop_page_admin_product_copy(shop_req_t *req);       /* POST /admin/catalogues/{id}/products/{code}/copy */
int shop_page_admin_product_free(shop_req_t *req);       /* POST /admin/catalogues/{id}/products/{code}/free */
int shop_page_admin_product_new(shop_req_t *req);        /* GET  /admin/products/new?catalogue= */
int shop_page_admin_product_create(shop_req_t *req);     /* POST /admin/products/new */
int shop_page_admin_product_edit(shop_req_t *req);       /* GET  /admin/products/{id} */
int shop_page_admin_product_save(shop_req_t *req);       /* POST /admin/products/{id} */
int shop_page_admin_product_delete_form(shop_req_t *req);/* GET  /admin/products/{id}/delete */
int shop_page_admin_product_delete(shop_req_t *req);     /* POST /admin/products/{id}/delete */
int shop_page_admin_product_clone(shop_req_t *req);      /* POST /admin/products/{id}/clone */
int shop_page_admin_product_convert(shop_req_t *req);    /* POST /admin/products/{id}/convert */
int shop_page_admin_product_element(shop_req_t *req);    /* POST /admin/products/{id}/elements */
int shop_page_admin_product_unlink(shop_req_t *req);     /* POST /admin/products/{id}/unlink */

/* admin_product_files.c */
int shop_page_admin_product_files(shop_req_t *req);      /* POST /admin/products/{id}/files */
int shop_page_media_product(shop_req_t *req);            /* GET  /media/products/{id}/{kind} */

/* admin_product_csv.c */
int shop_page_admin_products_csv(shop_req_t *req);       /* GET  /admin/catalogues/{id}/products.csv */
int shop_page_admin_products_import(shop_req_t *req);    /* POST /admin/catalogues/{id}/products/import */

/* Shared by the two files: render the product form of product `id` (0 =
 * a new product of catalogue `catalogue_id`) with `form` (NULL: the stored
 * values) at `status`. */
struct shop_form;
int shop_admin_product_render(shop_req_t *req, apr_int64_t id, apr_int64_t catalogue_id, apr_int64_t slave_id,
                              struct shop_form *form, int status);

#endif
