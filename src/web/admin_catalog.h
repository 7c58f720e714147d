/* Back office, catalogue area: catalogues (admin_catalogues.c) and their
 * categories with CSV export and import (admin_categories.c).  The route
 * table (admin_catalog_routes.c) is the only caller; each handler returns
 * what a handler returns (OK once a body was sent). */
#ifndef SHOP_WEB_ADMIN_CATALOG_H
#define SHOP_WEB_ADMIN_CATALOG_H

#include "web/request.h"

/* Upload cap of a category CSV file. */
#define SHOP_CATEGORY_CSV_MAX   (2 * 1024 * 1024)

/* admin_catalogues.c */
int shop_admin_catalogues(shop_req_t *req);
int shop_admin_catalogue_new(shop_req_t *req);
int shop_admin_catalogue_create(shop_req_t *req);
int shop_admin_catalogue_edit(shop_req_t *req);
int shop_admin_catalogue_save(shop_req_t *req);
int shop_admin_catalogue_delete_confirm(shop_req_t *req);
int shop_admin_catalogue_delete(shop_req_t *req);

/* admin_categories.c */
int shop_admin_categories(shop_req_t *req);
int shop_admin_category_new(shop_req_t *req);
int shop_admin_category_create(shop_req_t *req);
int shop_admin_category_edit(shop_req_t *req);
int shop_admin_category_save(shop_req_t *req);
int shop_admin_category_move(shop_req_t *req);
int shop_admin_category_visibility(shop_req_t *req);
int shop_admin_category_delete(shop_req_t *req);
int shop_admin_categories_export(shop_req_t *req);
int shop_admin_categories_import(shop_req_t *req);

#endif
