/* Storefront pages: the catalogue (`/`, tabs or stacked categories), a
 * product (`/product/CODE`) and the catalogue API (`/api/v1/catalog`). */
#include "web/pages.h"
#include "web/render.h"
#include "web/storefront.h"

#include "http_protocol.h"
#include <apr_strings.h>

static json_object *category_json(shop_req_t *req, const shop_category_t *c, int current)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    json_object_object_add(o, "name", json_object_new_string(c->name));
    json_object_object_add(o, "description", c->description ? json_object_new_string(c->description) : NULL);
    json_object_object_add(o, "url", json_object_new_string(apr_psprintf(req->r->pool, "%s/?category=%s",
        req->conf->public_path, c->seo_alias ? c->seo_alias : apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, c->id))));
    if (current) json_object_object_add(o, "current", json_object_new_boolean(1));
    return o;
}

static json_object *products_json(shop_req_t *req, const shop_storefront_t *sf, apr_int64_t category_id,
                                  shop_viewer_t viewer)
{
    apr_array_header_t *list = shop_catalog_listing(req->r->pool, sf->catalog, category_id, viewer);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < list->nelts; i++)
        json_object_array_add(arr, shop_storefront_product_json(
            req, sf, APR_ARRAY_IDX(list, i, const shop_product_t *), viewer, 0));
    return arr;
}

static json_object *shop_json(const shop_storefront_t *sf)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(sf->shop_id));
    json_object_object_add(o, "name", json_object_new_string(sf->name));
    json_object_object_add(o, "description", sf->description ? json_object_new_string(sf->description) : NULL);
    json_object_object_add(o, "currency", json_object_new_string(sf->currency));
    return o;
}

/* Tabs: a row of sibling categories for each level of the current branch. */
static json_object *tab_rows(shop_req_t *req, const shop_storefront_t *sf, const shop_category_t *current,
                             shop_viewer_t viewer)
{
    apr_array_header_t *branch = shop_catalog_breadcrumb(req->r->pool, sf->catalog, current);
    json_object *rows = json_object_new_array();
    apr_int64_t parent = 0;
    for (int level = 0; level <= branch->nelts; level++) {
        apr_array_header_t *siblings = shop_catalog_children(req->r->pool, sf->catalog, parent, viewer);
        if (!siblings->nelts) break;
        const shop_category_t *on_path = level < branch->nelts ? APR_ARRAY_IDX(branch, level, const shop_category_t *) : NULL;
        json_object *row = json_object_new_array();
        for (int i = 0; i < siblings->nelts; i++) {
            const shop_category_t *c = APR_ARRAY_IDX(siblings, i, const shop_category_t *);
            json_object_array_add(row, category_json(req, c, on_path && on_path->id == c->id));
        }
        json_object *wrap = json_object_new_object();
        json_object_object_add(wrap, "tabs", row);
        json_object_array_add(rows, wrap);
        if (!on_path) break;
        parent = on_path->id;
    }
    return rows;
}

/* Anonymous visitors all see the same catalogue page but for their CSRF
 * token, unless they unlocked a passcode: such pages are rendered once per
 * model and reused. */
static int page_is_shared(shop_req_t *req, shop_viewer_t viewer)
{
    if (viewer != SHOP_VIEWER_ANONYMOUS) return 0;
    json_object *codes;
    return !json_object_object_get_ex(shop_req_session(req)->data, "passcodes", &codes);
}

static json_object *home_data(shop_req_t *req, shop_storefront_t *sf, shop_viewer_t viewer,
                              const shop_category_t *current)
{
    const shop_catalog_t *cat = sf->catalog;
    json_object *data = json_object_new_object();
    json_object_object_add(data, "shop", shop_json(sf));
    json_object_object_add(data, "title", json_object_new_string(sf->name));
    if (!current) {
        json_object_object_add(data, "empty", json_object_new_boolean(1));
        json_object_object_add(data, "is_staff", json_object_new_boolean(viewer == SHOP_VIEWER_STAFF));
    } else if (sf->tabbed) {
        json_object_object_add(data, "tabbed", json_object_new_boolean(1));
        json_object_object_add(data, "tab_rows", tab_rows(req, sf, current, viewer));
        json_object_object_add(data, "category", category_json(req, current, 1));
        json_object_object_add(data, "products", products_json(req, sf, current->id, viewer));
        apr_array_header_t *branch = shop_catalog_breadcrumb(req->r->pool, cat, current);
        json_object *crumbs = json_object_new_array();
        for (int i = 0; i < branch->nelts; i++)
            json_object_array_add(crumbs, category_json(req, APR_ARRAY_IDX(branch, i, const shop_category_t *),
                                                        i == branch->nelts - 1));
        json_object_object_add(data, "breadcrumb", crumbs);
    } else {
        /* stacked: every visible category with what it lists, in tree order */
        json_object *sections = json_object_new_array();
        for (int i = 0; i < cat->categories->nelts; i++) {
            const shop_category_t *c = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
            if (!c->visible && viewer != SHOP_VIEWER_STAFF) continue;
            json_object *products = products_json(req, sf, c->id, viewer);
            if (json_object_array_length(products) == 0) {
                json_object_put(products);
                continue;
            }
            json_object *section = category_json(req, c, 0);
            json_object_object_add(section, "products", products);
            json_object_array_add(sections, section);
        }
        json_object_object_add(data, "sections", sections);
    }
    return data;
}

int shop_page_home(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_viewer_t viewer = shop_storefront_viewer(req);
    const char *wanted = shop_req_param(req, "category");
    /* a notice (?notice=cart_lost after a lost cart) is shown once: such a
     * page is never shared */
    const char *notice = shop_req_param(req, "notice");
    int shared = page_is_shared(req, viewer) && !notice;
    const char *key = shared ? apr_psprintf(req->r->pool, "home|%s|%s", wanted ? wanted : "", shop_req_lang(req)) : NULL;
    const char *page;
    apr_size_t len;
    if (shared && (page = shop_storefront_page_get(sf, key, shop_req_csrf_token(req), req->r->pool, &len)))
        return shop_send_html(req, HTTP_OK, page, len);

    const shop_category_t *current = wanted ? shop_catalog_category(sf->catalog, wanted, viewer)
                                            : shop_catalog_first_category(req->r->pool, sf->catalog, viewer);
    if (wanted && !current)
        return shop_render_error(req, HTTP_NOT_FOUND, "category_not_found", "error_category_not_found", NULL);
    json_object *data = home_data(req, sf, viewer, current);
    if (notice && !strcmp(notice, "cart_lost"))
        json_object_object_add(data, "notice", json_object_new_string(shop_req_text(req, "checkout_notice_cart_lost")));
    if (!shared) return shop_render_page(req, HTTP_OK, "front/catalog", data);

    const char *marker = shop_storefront_page_marker(sf);
    if (!marker) return shop_render_page(req, HTTP_OK, "front/catalog", data);
    if (shop_render_page_text(req, "front/catalog", data, marker, &page, &len) != APR_SUCCESS)
        return shop_render_error(req, HTTP_INTERNAL_SERVER_ERROR, "internal", "error_500_message", NULL);
    shop_storefront_page_put(sf, key, page, len);
    page = shop_storefront_page_fill(sf, page, len, shop_req_csrf_token(req), req->r->pool, &len);
    return shop_send_html(req, HTTP_OK, page, len);
}

int shop_page_product(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_viewer_t viewer = shop_storefront_viewer(req);
    const shop_product_t *p = shop_catalog_product(sf->catalog, req->captures[0]);
    if (!p || !shop_catalog_visible(p, viewer) || !shop_catalog_in_shown_category(sf->catalog, p, viewer))
        return shop_render_error(req, HTTP_NOT_FOUND, "product_not_found", "error_product_not_found", NULL);
    json_object *data = json_object_new_object();
    json_object_object_add(data, "shop", shop_json(sf));
    json_object_object_add(data, "title", json_object_new_string(p->name));
    json_object_object_add(data, "product", shop_storefront_product_json(req, sf, p, viewer, 0));
    for (int i = 0; i < sf->catalog->categories->nelts; i++) {
        const shop_category_t *c = &APR_ARRAY_IDX(sf->catalog->categories, i, shop_category_t);
        if (c->id != p->category_id) continue;
        apr_array_header_t *branch = shop_catalog_breadcrumb(req->r->pool, sf->catalog, c);
        json_object *crumbs = json_object_new_array();
        for (int k = 0; k < branch->nelts; k++)
            json_object_array_add(crumbs, category_json(req, APR_ARRAY_IDX(branch, k, const shop_category_t *), 0));
        json_object_object_add(data, "breadcrumb", crumbs);
        json_object_object_add(data, "has_breadcrumb", json_object_new_boolean(1));
    }
    return shop_render_page(req, HTTP_OK, "front/product", data);
}

/* GET /api/v1/catalog: CONTRACT §4. */
int shop_api_catalog(shop_req_t *req)
{
    shop_storefront_t *sf = shop_storefront_open(req);
    if (!sf) return OK;
    shop_viewer_t viewer = shop_storefront_viewer(req);
    const shop_catalog_t *cat = sf->catalog;
    /* the same document for every anonymous shopper of a language (no token in it) */
    const char *key = viewer == SHOP_VIEWER_ANONYMOUS ? apr_pstrcat(req->r->pool, "api|", shop_req_lang(req), NULL) : NULL;
    const char *text;
    apr_size_t len;
    if (key && (text = shop_storefront_page_get(sf, key, "", req->r->pool, &len))) {
        apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
        return shop_send_body(req, HTTP_OK, "application/json; charset=utf-8", text, len);
    }
    json_object *body = json_object_new_object();
    json_object_object_add(body, "shop", shop_json(sf));
    json_object *cats = json_object_new_array();
    for (int i = 0; i < cat->categories->nelts; i++) {
        const shop_category_t *c = &APR_ARRAY_IDX(cat->categories, i, shop_category_t);
        if (!c->visible && viewer != SHOP_VIEWER_STAFF) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "parent", c->parent_id ? json_object_new_int64(c->parent_id) : NULL);
        json_object_object_add(o, "name", json_object_new_string(c->name));
        json_object_object_add(o, "alias", c->seo_alias ? json_object_new_string(c->seo_alias) : NULL);
        json_object_array_add(cats, o);
    }
    json_object_object_add(body, "categories", cats);
    json_object *products = json_object_new_array();
    for (int i = 0; i < cat->products->nelts; i++) {
        const shop_product_t *p = APR_ARRAY_IDX(cat->products, i, const shop_product_t *);
        if (!shop_catalog_visible(p, viewer) || !shop_catalog_in_shown_category(cat, p, viewer)) continue;
        json_object *o = shop_storefront_product_json(req, sf, p, viewer, 1);
        /* the contract's shape: elements as codes, required data as JSON, the action's name */
        json_object *codes = json_object_new_array();
        for (int k = 0; k < p->elements->nelts; k++)
            json_object_array_add(codes, json_object_new_string(APR_ARRAY_IDX(p->elements, k, const shop_product_t *)->code));
        json_object_object_add(o, "elements", codes);
        json_object *rd = p->required_data ? json_tokener_parse(p->required_data) : NULL;
        json_object_object_add(o, "required_data", rd ? rd : json_object_new_array());
        json_object_object_add(o, "action", p->action && *p->action ? json_object_new_string(p->action) : NULL);
        json_object_object_add(o, "category", p->category_id ? json_object_new_int64(p->category_id) : NULL);
        const shop_product_t *box = shop_catalog_container(cat, p);
        json_object_object_add(o, "container", box ? json_object_new_string(box->code) : NULL);
        json_object_array_add(products, o);
    }
    json_object_object_add(body, "products", products);
    if (key) {
        text = json_object_to_json_string_length(body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
        shop_storefront_page_put(sf, key, text, len);
    }
    return shop_render_json(req, HTTP_OK, body);
}
