/* Back-office routes of this area (see router.h for the columns). */
#include "web/router.h"
#include "web/admin_catalog.h"

/* multipart framing around the file: boundaries, part headers, small fields */
#define CSV_BODY_CAP (SHOP_CATEGORY_CSV_MAX + 64 * 1024)

static const shop_param_t p_list[] = {
    { "page", SHOP_P_INT, 9 }, { "q", SHOP_P_TEXT, 255 }, { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_catalogue[] = {
    { "name", SHOP_P_TEXT, 1024 }, { "description", SHOP_P_TEXT, 300 * 1024 },
    { "kind", SHOP_P_CODE, 16 }, { "master_id", SHOP_P_TEXT, 20 },
    { "country_restrictions", SHOP_P_TEXT, 1024 }, { "bill_footer", SHOP_P_TEXT, 300 * 1024 },
    { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_catalogue_delete[] = {
    { "slaves", SHOP_P_CODE, 16 }, { NULL }
};
static const shop_param_t p_categories[] = {
    { "page", SHOP_P_INT, 9 }, { "q", SHOP_P_TEXT, 255 }, { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_category[] = {
    { "catalogue", SHOP_P_ID, 18 }, { "parent", SHOP_P_ID, 18 },
    { "name", SHOP_P_TEXT, 1024 }, { "parent_id", SHOP_P_TEXT, 20 }, { "description", SHOP_P_TEXT, 300 * 1024 },
    { "seo_alias", SHOP_P_TEXT, 1024 }, { "seo_title", SHOP_P_TEXT, 1024 }, { "seo_keywords", SHOP_P_TEXT, 1024 },
    { "seo_description", SHOP_P_TEXT, 8192 }, { "visible", SHOP_P_TEXT, 8 }, { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_move[] = {
    { "direction", SHOP_P_CODE, 8 }, { NULL }
};
static const shop_param_t p_import[] = {
    { "dry_run", SHOP_P_TEXT, 8 }, { NULL }
};

const shop_route_t shop_admin_catalog_routes[] = {
    { "GET",  "/admin/catalogues", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_list, shop_admin_catalogues, 0 },
    { "GET",  "/admin/catalogues/new", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL, shop_admin_catalogue_new, 0 },
    { "POST", "/admin/catalogues/new", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_catalogue,
      shop_admin_catalogue_create, 0 },
    { "GET",  "/admin/catalogues/{id}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_catalogue,
      shop_admin_catalogue_edit, 0 },
    { "POST", "/admin/catalogues/{id}", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_catalogue,
      shop_admin_catalogue_save, 0 },
    { "GET",  "/admin/catalogues/{id}/delete", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_admin_catalogue_delete_confirm, 0 },
    { "POST", "/admin/catalogues/{id}/delete", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_catalogue_delete,
      shop_admin_catalogue_delete, 0 },
    { "GET",  "/admin/catalogues/{id}/categories", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_categories,
      shop_admin_categories, 0 },
    { "GET",  "/admin/catalogues/{id}/categories.csv", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_admin_categories_export, 0 },
    { "POST", "/admin/catalogues/{id}/categories/import", SHOP_ROLE_STAFF, 1, SHOP_BODY_UPLOAD, CSV_BODY_CAP,
      p_import, shop_admin_categories_import, 0 },

    { "GET",  "/admin/categories/new", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_category, shop_admin_category_new, 0 },
    { "POST", "/admin/categories/new", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_category,
      shop_admin_category_create, 0 },
    { "GET",  "/admin/categories/{id}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_category,
      shop_admin_category_edit, 0 },
    { "POST", "/admin/categories/{id}", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_category,
      shop_admin_category_save, 0 },
    { "POST", "/admin/categories/{id}/move", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_move,
      shop_admin_category_move, 0 },
    { "POST", "/admin/categories/{id}/visibility", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_admin_category_visibility, 0 },
    { "POST", "/admin/categories/{id}/delete", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_admin_category_delete, 0 },
    { NULL }
};
