/* Back-office routes of this area (see router.h for the columns): products
 * of a catalogue, the product form and its actions, files and their media
 * route.  Text fields are whitelisted generously (SHOP_P_TEXT, long
 * maxlen): the form reads them with shop_form_* and shows a refusal next to
 * the field instead of a bare 400. */
#include "web/router.h"
#include "web/admin_product.h"

#define FORM_CAP    (2 * 1024 * 1024)
#define FILES_CAP   (10 * 1024 * 1024)
#define IMPORT_CAP  (4 * 1024 * 1024)
#define HTML_PARAM  300000
#define JSON_PARAM  70000

static const shop_param_t p_list[] = {
    { "page", SHOP_P_ID, 9 }, { "q", SHOP_P_TEXT, 100 }, { "status", SHOP_P_CODE, 20 }, { "category", SHOP_P_ID, 18 },
    { "done", SHOP_P_INT, 1 },
    { NULL }
};
static const shop_param_t p_new[] = {
    { "catalogue", SHOP_P_ID, 18 }, { NULL }
};
static const shop_param_t p_edit[] = {
    { "catalogue", SHOP_P_ID, 18 }, { "saved", SHOP_P_INT, 1 }, { NULL }
};
static const shop_param_t p_form[] = {
    { "catalogue", SHOP_P_ID, 18 },
    { "code", SHOP_P_TEXT, 200 }, { "name", SHOP_P_TEXT, 4096 },
    { "short_description", SHOP_P_TEXT, HTML_PARAM }, { "description", SHOP_P_TEXT, HTML_PARAM },
    { "notes", SHOP_P_TEXT, HTML_PARAM }, { "terms", SHOP_P_TEXT, HTML_PARAM },
    { "status", SHOP_P_TEXT, 40 }, { "category", SHOP_P_TEXT, 20 }, { "tax", SHOP_P_TEXT, 20 },
    { "tier1_up_to", SHOP_P_TEXT, 40 }, { "tier1_price", SHOP_P_TEXT, 100 },
    { "tier2_up_to", SHOP_P_TEXT, 40 }, { "tier2_price", SHOP_P_TEXT, 100 },
    { "tier3_up_to", SHOP_P_TEXT, 40 }, { "tier3_price", SHOP_P_TEXT, 100 },
    { "tier4_up_to", SHOP_P_TEXT, 40 }, { "tier4_price", SHOP_P_TEXT, 100 },
    { "tier5_up_to", SHOP_P_TEXT, 40 }, { "tier5_price", SHOP_P_TEXT, 100 },
    { "tier6_up_to", SHOP_P_TEXT, 40 }, { "tier6_price", SHOP_P_TEXT, 100 },
    { "audience", SHOP_P_TEXT, 20 }, { "max_quantity", SHOP_P_TEXT, 20 },
    { "passcode", SHOP_P_TEXT, 256 }, { "passcode_clear", SHOP_P_TEXT, 10 },
    { "seat_mode", SHOP_P_TEXT, 20 }, { "renewable", SHOP_P_TEXT, 10 },
    { "required_data", SHOP_P_TEXT, JSON_PARAM }, { "action", SHOP_P_TEXT, 200 },
    { "action_params", SHOP_P_TEXT, JSON_PARAM }, { "production_data", SHOP_P_TEXT, JSON_PARAM },
    { "stock", SHOP_P_TEXT, 20 }, { "requires_shipping", SHOP_P_TEXT, 10 },
    { "seo_alias", SHOP_P_TEXT, 200 }, { "sortorder", SHOP_P_TEXT, 20 },
    { NULL }
};
static const shop_param_t p_convert[] = {
    { "to", SHOP_P_CODE, 10 }, { NULL }
};
static const shop_param_t p_element[] = {
    { "element", SHOP_P_TEXT, 100 }, { "all", SHOP_P_TEXT, 10 }, { NULL }
};
static const shop_param_t p_import[] = {
    { "dry_run", SHOP_P_TEXT, 10 }, { NULL }
};
static const shop_param_t p_files[] = {
    { "clear_image", SHOP_P_TEXT, 10 }, { "clear_thumb", SHOP_P_TEXT, 10 }, { "clear_leaflet", SHOP_P_TEXT, 10 },
    { NULL }
};

const shop_route_t shop_admin_product_routes[] = {
    { "GET",  "/admin/catalogues/{id}/products", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_list,
      shop_page_admin_products, 0 },
    { "GET",  "/admin/catalogues/{id}/products.csv", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_page_admin_products_csv, 0 },
    { "POST", "/admin/catalogues/{id}/products/import", SHOP_ROLE_STAFF, 1, SHOP_BODY_UPLOAD, IMPORT_CAP, p_import,
      shop_page_admin_products_import, 0 },
    { "POST", "/admin/catalogues/{id}/products/{code}/copy", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_page_admin_product_copy, 0 },
    { "POST", "/admin/catalogues/{id}/products/{code}/free", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_page_admin_product_free, 0 },

    { "GET",  "/admin/products/new", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_new, shop_page_admin_product_new, 0 },
    { "POST", "/admin/products/new", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, FORM_CAP, p_form,
      shop_page_admin_product_create, 0 },
    { "GET",  "/admin/products/{id}", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, p_edit, shop_page_admin_product_edit, 0 },
    { "POST", "/admin/products/{id}", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, FORM_CAP, p_form,
      shop_page_admin_product_save, 0 },
    { "GET",  "/admin/products/{id}/delete", SHOP_ROLE_STAFF, 0, SHOP_BODY_NONE, 0, NULL,
      shop_page_admin_product_delete_form, 0 },
    { "POST", "/admin/products/{id}/delete", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_page_admin_product_delete, 0 },
    { "POST", "/admin/products/{id}/clone", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, NULL,
      shop_page_admin_product_clone, 0 },
    { "POST", "/admin/products/{id}/convert", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_convert,
      shop_page_admin_product_convert, 0 },
    { "POST", "/admin/products/{id}/elements", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_element,
      shop_page_admin_product_element, 0 },
    { "POST", "/admin/products/{id}/unlink", SHOP_ROLE_STAFF, 1, SHOP_BODY_FORM, 0, p_element,
      shop_page_admin_product_unlink, 0 },
    { "POST", "/admin/products/{id}/files", SHOP_ROLE_STAFF, 1, SHOP_BODY_UPLOAD, FILES_CAP, p_files,
      shop_page_admin_product_files, 0 },

    { "GET",  "/media/products/{id}/{kind}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, NULL,
      shop_page_media_product, 0 },
    { NULL }
};
