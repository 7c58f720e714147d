/* Back office: the category tree of a catalogue (list, create, edit, move,
 * show/hide, delete) and its CSV export and import.  Every write bumps the
 * catalogue's version inside its transaction and publishes it after commit,
 * so the storefront reads the tree again on its next request. */
#include "web/admin_catalog.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "core/csv.h"
#include "core/html.h"
#include "core/i18n.h"
#include "data/catalog_repo.h"
#include "data/catalogue_admin_repo.h"
#include "data/category_repo.h"

#define NAME_MAX            255
#define ALIAS_MAX           64
#define SEO_MAX             255
#define SEO_DESC_MAX        4096
#define HTML_MAX            (256 * 1024)
#define SORT_MAX            1000000

static const char *tree_url(shop_req_t *req, apr_int64_t catalogue_id)
{
    return apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT "/categories", catalogue_id);
}

/* [a-z0-9][a-z0-9_-]{0,63} */
static int alias_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > ALIAS_MAX || !(apr_islower(s[0]) || apr_isdigit(s[0]))) return 0;
    for (const char *c = s; *c; c++)
        if (!(apr_islower(*c) || apr_isdigit(*c) || *c == '_' || *c == '-') || (unsigned char)*c > 0x7f) return 0;
    return 1;
}

static void publish(shop_req_t *req, shop_db_t *db, apr_int64_t catalogue_id)
{
    shop_catalog_publish_versions(db, req->rt->cache, catalogue_id);
}

static json_object *catalogue_json(const shop_catalogue_row_t *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    json_object_object_add(o, "name", shop_json_string_or_null(c->name));
    return o;
}

/* ---- the tree page */

static int tree_page(shop_req_t *req, int status, const shop_catalogue_row_t *cat, const char *error_key, int saved)
{
    shop_db_t *db = shop_req_db(req);
    apr_array_header_t *list;
    if (shop_category_list(db, cat->id, &list) != 0) return shop_render_unavailable(req);
    apr_array_header_t *tree = shop_category_tree(req->r->pool, list);
    const char *q = shop_req_param(req, "q");
    json_object *rows = json_object_new_array();
    int shown = 0;
    for (int i = 0; i < tree->nelts; i++) {
        const shop_category_row_t *c = APR_ARRAY_IDX(tree, i, const shop_category_row_t *);
        if (q && *q && !strcasestr(c->name, q) && !(c->seo_alias && strcasestr(c->seo_alias, q))) continue;
        shown++;
        int first = 1, last = 1;
        for (int k = 0; k < list->nelts; k++) {
            const shop_category_row_t *s = &APR_ARRAY_IDX(list, k, shop_category_row_t);
            if (s->id == c->id || s->parent_id != c->parent_id) continue;
            if (s->sortorder < c->sortorder || (s->sortorder == c->sortorder && s->id < c->id)) first = 0;
            else last = 0;
        }
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "name", shop_json_string_or_null(c->name));
        json_object_object_add(o, "alias", shop_json_string_or_null(c->seo_alias));
        json_object_object_add(o, "depth", json_object_new_int(c->depth > 6 ? 6 : c->depth));
        json_object_object_add(o, "nproducts", json_object_new_int64(c->nproducts));
        json_object_object_add(o, "nchildren", json_object_new_int64(c->nchildren));
        json_object_object_add(o, "visible", json_object_new_boolean(c->visible));
        json_object_object_add(o, "can_up", json_object_new_boolean(!first));
        json_object_object_add(o, "can_down", json_object_new_boolean(!last));
        json_object_object_add(o, "can_delete", json_object_new_boolean(!c->nproducts && !c->nchildren));
        json_object_array_add(rows, o);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "catalogue", catalogue_json(cat));
    json_object_object_add(data, "categories", rows);
    json_object_object_add(data, "empty", json_object_new_boolean(shown == 0));
    json_object_object_add(data, "q", shop_json_string_or_null(q));
    if (error_key) json_object_object_add(data, "error", shop_json_string_or_null(shop_req_text(req, error_key)));
    if (saved) json_object_object_add(data, "saved", json_object_new_boolean(1));
    return shop_render_page(req, status, "admin/categories", data);
}

static int load_catalogue(shop_req_t *req, apr_int64_t id, shop_catalogue_row_t **out)
{
    shop_db_t *db = shop_req_db(req);
    *out = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_catalogue_get(db, id, out) != 0) return shop_render_unavailable(req);
    if (!*out) return shop_render_not_found(req);
    return OK;
}

int shop_admin_categories(shop_req_t *req)
{
    shop_catalogue_row_t *cat;
    int rv = load_catalogue(req, shop_parse_id(req->captures[0]), &cat);
    if (!cat) return rv;
    return tree_page(req, HTTP_OK, cat, NULL, shop_req_param(req, "saved") != NULL);
}

/* ---- the form */

static int form_page(shop_req_t *req, int status, shop_form_t *f, const shop_catalogue_row_t *cat,
                     const shop_category_row_t *c, int saved)
{
    shop_db_t *db = shop_req_db(req);
    apr_array_header_t *list;
    if (shop_category_list(db, cat->id, &list) != 0) return shop_render_unavailable(req);
    apr_array_header_t *tree = shop_category_tree(req->r->pool, list);
    json_object *form = shop_form_json(f);
    const char *parent = json_object_get_string(json_object_object_get(json_object_object_get(form, "values"), "parent_id"));
    json_object *opts = json_object_new_array();
    for (int i = 0; i < tree->nelts; i++) {
        const shop_category_row_t *p = APR_ARRAY_IDX(tree, i, const shop_category_row_t *);
        if (c && shop_category_would_cycle(list, c->id, p->id)) continue;   /* itself and its descendants */
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(p->id));
        char *indent = apr_pcalloc(req->r->pool, (apr_size_t)p->depth * 4 + 1);
        for (int d = 0; d < p->depth; d++) strcat(indent, "\xE2\x80\x94 ");   /* em dash */
        json_object_object_add(o, "label", json_object_new_string(apr_pstrcat(req->r->pool, indent, p->name, NULL)));
        if (parent && shop_parse_id(parent) == p->id) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(opts, o);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);
    json_object_object_add(data, "parents", opts);
    json_object_object_add(data, "catalogue", catalogue_json(cat));
    if (c) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "name", shop_json_string_or_null(c->name));
        json_object_object_add(data, "category", o);
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(req->r->pool, "/admin/categories/%" APR_INT64_T_FMT, c->id)));
    }
    else json_object_object_add(data, "action", json_object_new_string(
        apr_psprintf(req->r->pool, "/admin/categories/new?catalogue=%" APR_INT64_T_FMT, cat->id)));
    if (saved) json_object_object_add(data, "saved", json_object_new_boolean(1));
    return shop_render_page(req, status, "admin/categories_form", data);
}

static const char *sanitized(shop_req_t *req, shop_form_t *f, const char *field, const char *html)
{
    const char *clean = NULL, *error = NULL;
    if (!html || !*html) return NULL;
    if (shop_html_sanitize(req->r->pool, html, strlen(html), &clean, &error) != APR_SUCCESS) {
        shop_form_error(f, field, "error_too_long", NULL);
        return NULL;
    }
    return *clean ? clean : NULL;
}

/* Read the submitted category into *c (id and catalogue_id set by the
 * caller).  Returns the status for the form: 200 good, 400, 409, 503. */
static int read_category(shop_req_t *req, shop_db_t *db, shop_form_t *f, shop_category_row_t *c, int editing)
{
    apr_array_header_t *list;
    if (shop_category_list(db, c->catalogue_id, &list) != 0) return HTTP_SERVICE_UNAVAILABLE;
    c->name = shop_form_text(f, "name", 1, NAME_MAX, 0);
    apr_int64_t parent = 0;
    if (shop_form_int(f, "parent_id", 0, 1, APR_INT64_C(999999999999999999), 0, &parent) == 0 && parent) {
        int known = 0;
        for (int i = 0; i < list->nelts; i++)
            if (APR_ARRAY_IDX(list, i, shop_category_row_t).id == parent) known = 1;
        if (editing && parent == c->id) shop_form_error(f, "parent_id", "acat_error_parent_self", NULL);
        else if (!known) shop_form_error(f, "parent_id", "acat_error_parent_unknown", NULL);
        else if (editing && shop_category_would_cycle(list, c->id, parent))
            shop_form_error(f, "parent_id", "acat_error_parent_cycle", NULL);
    }
    c->parent_id = parent;
    const char *desc = shop_form_text(f, "description", 0, HTML_MAX, 1);
    c->description = desc ? sanitized(req, f, "description", desc) : NULL;
    const char *alias = shop_form_text(f, "seo_alias", 0, ALIAS_MAX, 0);
    if (alias && *alias && !alias_ok(alias)) {
        shop_form_error(f, "seo_alias", "acat_error_alias_format", NULL);
        alias = NULL;
    }
    c->seo_alias = alias && *alias ? alias : NULL;
    c->seo_title = shop_form_text(f, "seo_title", 0, SEO_MAX, 0);
    c->seo_keywords = shop_form_text(f, "seo_keywords", 0, SEO_MAX, 0);
    c->seo_description = shop_form_text(f, "seo_description", 0, SEO_DESC_MAX, 1);
    c->visible = shop_form_checkbox(f, "visible");
    if (shop_form_has_errors(f)) return HTTP_BAD_REQUEST;
    if (c->seo_alias) {
        int taken = 0;
        if (shop_category_alias_taken(db, c->catalogue_id, c->seo_alias, c->id, &taken) != 0)
            return HTTP_SERVICE_UNAVAILABLE;
        if (taken) {
            shop_form_error(f, "seo_alias", "acat_error_alias_taken", NULL);
            return HTTP_CONFLICT;
        }
    }
    return HTTP_OK;
}

int shop_admin_category_new(shop_req_t *req)
{
    shop_catalogue_row_t *cat;
    int rv = load_catalogue(req, shop_parse_id(shop_req_param(req, "catalogue")), &cat);
    if (!cat) return rv;
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "parent_id", shop_req_param(req, "parent"));
    shop_form_value(f, "visible", "1");
    return form_page(req, HTTP_OK, f, cat, NULL, 0);
}

/* A write in one transaction with the catalogue's version bump. */
static int save_failed(shop_req_t *req, shop_db_t *db, int rv, shop_form_t *f, const shop_catalogue_row_t *cat,
                       const shop_category_row_t *c)
{
    shop_db_rollback(db);
    if (rv == SHOP_DB_ER_DUP_ENTRY) {
        shop_form_error(f, "seo_alias", "acat_error_alias_taken", NULL);
        return form_page(req, HTTP_CONFLICT, f, cat, c, 0);
    }
    return shop_render_unavailable(req);
}

int shop_admin_category_create(shop_req_t *req)
{
    shop_catalogue_row_t *cat;
    int rv = load_catalogue(req, shop_parse_id(shop_req_param(req, "catalogue")), &cat);
    if (!cat) return rv;
    shop_db_t *db = shop_req_db(req);
    shop_form_t *f = shop_form_create(req);
    shop_category_row_t c = { 0 };
    c.catalogue_id = cat->id;
    int status = read_category(req, db, f, &c, 0);
    if (status == HTTP_SERVICE_UNAVAILABLE) return shop_render_unavailable(req);
    if (status != HTTP_OK) return form_page(req, status, f, cat, NULL, 0);
    apr_int64_t id = 0;
    if ((rv = shop_db_begin(db)) || (rv = shop_category_insert(db, &c, req->now, &id))
        || (rv = shop_catalog_bump(db, cat->id)) || (rv = shop_db_commit(db)))
        return save_failed(req, db, rv, f, cat, NULL);
    publish(req, db, cat->id);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0861) "category %" APR_INT64_T_FMT
                  " created in catalogue %" APR_INT64_T_FMT " by user %" APR_INT64_T_FMT,
                  id, cat->id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_pstrcat(req->r->pool, tree_url(req, cat->id), "?saved=1", NULL));
}

static int load_category(shop_req_t *req, shop_category_row_t **c, shop_catalogue_row_t **cat)
{
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = shop_parse_id(req->captures[0]);
    *c = NULL;
    *cat = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_category_get(db, id, c) != 0) return shop_render_unavailable(req);
    if (!*c) return shop_render_not_found(req);
    int rv = load_catalogue(req, (*c)->catalogue_id, cat);
    if (!*cat) *c = NULL;
    return rv;
}

int shop_admin_category_edit(shop_req_t *req)
{
    shop_category_row_t *c;
    shop_catalogue_row_t *cat;
    int rv = load_category(req, &c, &cat);
    if (!c) return rv;
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "name", c->name);
    if (c->parent_id) shop_form_value(f, "parent_id", shop_db_i64(req->r->pool, c->parent_id));
    shop_form_value(f, "description", c->description);
    shop_form_value(f, "seo_alias", c->seo_alias);
    shop_form_value(f, "seo_title", c->seo_title);
    shop_form_value(f, "seo_keywords", c->seo_keywords);
    shop_form_value(f, "seo_description", c->seo_description);
    if (c->visible) shop_form_value(f, "visible", "1");
    return form_page(req, HTTP_OK, f, cat, c, shop_req_param(req, "saved") != NULL);
}

int shop_admin_category_save(shop_req_t *req)
{
    shop_category_row_t *old;
    shop_catalogue_row_t *cat;
    int rv = load_category(req, &old, &cat);
    if (!old) return rv;
    shop_db_t *db = shop_req_db(req);
    shop_form_t *f = shop_form_create(req);
    shop_category_row_t c = { 0 };
    c.id = old->id;
    c.catalogue_id = old->catalogue_id;
    int status = read_category(req, db, f, &c, 1);
    if (status == HTTP_SERVICE_UNAVAILABLE) return shop_render_unavailable(req);
    if (status != HTTP_OK) return form_page(req, status, f, cat, old, 0);
    /* moving to another parent puts it last there */
    c.sortorder = c.parent_id == old->parent_id ? old->sortorder : 0;
    if ((rv = shop_db_begin(db)) || (rv = shop_category_update(db, &c, req->now))
        || (rv = shop_catalog_bump(db, cat->id)) || (rv = shop_db_commit(db)))
        return save_failed(req, db, rv, f, cat, old);
    publish(req, db, cat->id);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0862) "category %" APR_INT64_T_FMT
                  " saved by user %" APR_INT64_T_FMT, c.id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/categories/%" APR_INT64_T_FMT "?saved=1", c.id));
}

int shop_admin_category_move(shop_req_t *req)
{
    shop_category_row_t *c;
    shop_catalogue_row_t *cat;
    int rv = load_category(req, &c, &cat);
    if (!c) return rv;
    const char *dir = shop_req_param(req, "direction");
    if (!dir || (strcmp(dir, "up") && strcmp(dir, "down")))
        return tree_page(req, HTTP_BAD_REQUEST, cat, "acat_error_direction", 0);
    shop_db_t *db = shop_req_db(req);
    int moved = 0;
    if ((rv = shop_db_begin(db)) || (rv = shop_category_move(db, c, !strcmp(dir, "up"), &moved))
        || (rv = shop_catalog_bump(db, cat->id)) || (rv = shop_db_commit(db))) {
        shop_db_rollback(db);
        return shop_render_unavailable(req);
    }
    publish(req, db, cat->id);
    return shop_redirect_local(req, tree_url(req, cat->id));
}

int shop_admin_category_visibility(shop_req_t *req)
{
    shop_category_row_t *c;
    shop_catalogue_row_t *cat;
    int rv = load_category(req, &c, &cat);
    if (!c) return rv;
    shop_db_t *db = shop_req_db(req);
    if ((rv = shop_db_begin(db)) || (rv = shop_category_set_visible(db, c->id, !c->visible, req->now))
        || (rv = shop_catalog_bump(db, cat->id)) || (rv = shop_db_commit(db))) {
        shop_db_rollback(db);
        return shop_render_unavailable(req);
    }
    publish(req, db, cat->id);
    return shop_redirect_local(req, tree_url(req, cat->id));
}

int shop_admin_category_delete(shop_req_t *req)
{
    shop_category_row_t *c;
    shop_catalogue_row_t *cat;
    int rv = load_category(req, &c, &cat);
    if (!c) return rv;
    shop_db_t *db = shop_req_db(req);
    if ((rv = shop_db_begin(db)) || (rv = shop_category_get(db, c->id, &c))) {
        shop_db_rollback(db);
        return shop_render_unavailable(req);
    }
    if (!c || c->nproducts || c->nchildren) {
        shop_db_rollback(db);
        if (!c) return shop_render_not_found(req);
        return tree_page(req, HTTP_CONFLICT, cat, c->nproducts ? "acat_error_delete_products"
                                                                : "acat_error_delete_children", 0);
    }
    if ((rv = shop_category_delete(db, c->id)) || (rv = shop_catalog_bump(db, cat->id)) || (rv = shop_db_commit(db))) {
        shop_db_rollback(db);
        return shop_render_unavailable(req);
    }
    publish(req, db, cat->id);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0863) "category %" APR_INT64_T_FMT
                  " deleted by user %" APR_INT64_T_FMT, c->id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_pstrcat(req->r->pool, tree_url(req, cat->id), "?saved=1", NULL));
}

/* ---- CSV export */

static const char *const csv_columns[] = { "id", "parent", "name", "alias", "visible", "sortorder", "description" };
#define NCOLS 7

int shop_admin_categories_export(shop_req_t *req)
{
    shop_catalogue_row_t *cat;
    int rv = load_catalogue(req, shop_parse_id(req->captures[0]), &cat);
    if (!cat) return rv;
    shop_db_t *db = shop_req_db(req);
    apr_array_header_t *list;
    if (shop_category_list(db, cat->id, &list) != 0) return shop_render_unavailable(req);
    apr_array_header_t *tree = shop_category_tree(req->r->pool, list);
    apr_pool_t *pool = req->r->pool;
    shop_csv_writer_t *w = shop_csv_writer_create(pool, ';', SHOP_CSV_BOM | SHOP_CSV_DEFUSE);
    shop_csv_write_row(w, NCOLS, csv_columns);
    for (int i = 0; i < tree->nelts; i++) {
        const shop_category_row_t *c = APR_ARRAY_IDX(tree, i, const shop_category_row_t *);
        const char *cells[NCOLS] = {
            shop_db_i64(pool, c->id), c->parent_id ? shop_db_i64(pool, c->parent_id) : "", c->name,
            c->seo_alias, c->visible ? "1" : "0", shop_db_i64(pool, c->sortorder), c->description
        };
        shop_csv_write_row(w, NCOLS, cells);
    }
    apr_size_t len;
    const char *body = shop_csv_writer_data(w, &len);
    apr_table_setn(req->r->headers_out, "Content-Disposition", apr_psprintf(pool,
                   "attachment; filename=\"categories-%" APR_INT64_T_FMT ".csv\"", cat->id));
    apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
    return shop_send_body(req, HTTP_OK, "text/csv; charset=utf-8", body, len);
}

/* ---- CSV import */

typedef struct import_line {
    int line;
    int create;                /* else update */
    shop_category_row_t row;   /* what will be written */
    int parent_line;           /* parent created by an earlier line (its number), else 0 */
    int has_error;
} import_line_t;

typedef struct importer {
    shop_req_t *req;
    const shop_catalogue_row_t *cat;
    apr_array_header_t *existing;  /* shop_category_row_t */
    apr_hash_t *alias_owner;       /* alias -> apr_int64_t* id (negative: -line of a new row) */
    int col[NCOLS];                /* column index per csv_columns, -1 when absent */
    json_object *errors;
    int nerrors;
} importer_t;

static void import_error(importer_t *im, int line, const char *field, const char *key, const char *detail)
{
    json_object *o = json_object_new_object();
    const char *msg = shop_req_text(im->req, key);
    if (detail) msg = apr_pstrcat(im->req->r->pool, msg, ": ", detail, NULL);
    json_object_object_add(o, "line", json_object_new_int(line));
    json_object_object_add(o, "field", shop_json_string_or_null(field));
    json_object_object_add(o, "message", json_object_new_string(msg));
    json_object_array_add(im->errors, o);
    im->nerrors++;
}

static shop_category_row_t *existing_row(importer_t *im, apr_int64_t id)
{
    for (int i = 0; i < im->existing->nelts; i++)
        if (APR_ARRAY_IDX(im->existing, i, shop_category_row_t).id == id)
            return &APR_ARRAY_IDX(im->existing, i, shop_category_row_t);
    return NULL;
}

/* The cell of column k (csv_columns), undefused and trimmed; NULL when the
 * file has no such column. */
static const char *cell(importer_t *im, const shop_csv_row_t *r, int k)
{
    if (im->col[k] < 0) return NULL;
    const char *v = shop_csv_undefuse(shop_csv_field(r, im->col[k]));
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    return apr_pstrndup(im->req->r->pool, v, n);
}

static int header(importer_t *im, const shop_csv_row_t *h)
{
    for (int k = 0; k < NCOLS; k++) im->col[k] = -1;
    for (int i = 0; i < h->nfields; i++) {
        char *name = apr_pstrdup(im->req->r->pool, shop_csv_field(h, i));
        apr_collapse_spaces(name, name);
        for (char *c = name; *c; c++) *c = (char)apr_tolower(*c);
        int k;
        if (!strcmp(name, "parentid")) name = "parent";           /* local_shop's importer */
        if (!strcmp(name, "seo_alias") || !strcmp(name, "seoalias")) name = "alias";
        for (k = 0; k < NCOLS && strcmp(name, csv_columns[k]); k++) ;
        if (k == NCOLS) import_error(im, h->line, shop_csv_field(h, i), "acat_import_error_column", NULL);
        else if (im->col[k] >= 0) import_error(im, h->line, name, "acat_import_error_column_twice", NULL);
        else im->col[k] = i;
    }
    if (im->col[2] < 0) import_error(im, h->line, "name", "acat_import_error_no_name", NULL);
    return im->nerrors ? -1 : 0;
}

static int single_line_text(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c < 0x20 || *c == 0x7f) return 0;
    return 1;
}

static void check_line(importer_t *im, const shop_csv_row_t *r, int ncols, import_line_t *ln)
{
    apr_pool_t *pool = im->req->r->pool;
    int before = im->nerrors;
    ln->line = r->line;
    if (r->nfields != ncols) {
        import_error(im, r->line, NULL, "acat_import_error_columns",
                     apr_psprintf(pool, "%d / %d", r->nfields, ncols));
        ln->has_error = 1;
        return;
    }
    shop_category_row_t *row = &ln->row;
    shop_category_row_t *old = NULL;
    const char *v = cell(im, r, 0);
    ln->create = !v || !*v;
    if (!ln->create) {
        apr_int64_t id = shop_parse_id(v);
        old = id ? existing_row(im, id) : NULL;
        if (!old) import_error(im, r->line, "id", "acat_import_error_id", v);
        else *row = *old;
    }
    row->catalogue_id = im->cat->id;
    if (ln->create) row->visible = 1;

    v = cell(im, r, 2);
    if (!*v) import_error(im, r->line, "name", "error_required", NULL);
    else if (strlen(v) > NAME_MAX) import_error(im, r->line, "name", "error_too_long", "255");
    else if (!single_line_text(v)) import_error(im, r->line, "name", "error_bad_value", NULL);
    else row->name = v;

    if ((v = cell(im, r, 1))) {
        row->parent_id = 0;
        ln->parent_line = 0;
        if (*v) {
            apr_int64_t pid = shop_parse_id(v);
            apr_int64_t *owner = pid ? NULL : apr_hash_get(im->alias_owner, v, APR_HASH_KEY_STRING);
            if (pid && existing_row(im, pid)) row->parent_id = pid;
            else if (owner && *owner > 0) row->parent_id = *owner;
            else if (owner) ln->parent_line = (int)-*owner;
            else import_error(im, r->line, "parent", "acat_error_parent_unknown", v);
            if (old && row->parent_id == old->id) import_error(im, r->line, "parent", "acat_error_parent_self", NULL);
        }
    }

    if ((v = cell(im, r, 3))) {
        const char *alias = *v ? v : NULL;
        if (alias && !alias_ok(alias)) import_error(im, r->line, "alias", "acat_error_alias_format", alias);
        else if (alias) {
            apr_int64_t *owner = apr_hash_get(im->alias_owner, alias, APR_HASH_KEY_STRING);
            apr_int64_t me = old ? old->id : -(apr_int64_t)r->line;
            if (owner && *owner != me) import_error(im, r->line, "alias", "acat_error_alias_taken", alias);
        }
        if (im->nerrors == before) {
            if (old && old->seo_alias && (!alias || strcmp(alias, old->seo_alias)))
                apr_hash_set(im->alias_owner, old->seo_alias, APR_HASH_KEY_STRING, NULL);
            if (alias) {
                apr_int64_t *me = apr_palloc(pool, sizeof(*me));
                *me = old ? old->id : -(apr_int64_t)r->line;
                apr_hash_set(im->alias_owner, alias, APR_HASH_KEY_STRING, me);
            }
        }
        row->seo_alias = alias;
    }

    if ((v = cell(im, r, 4)) && *v) {
        if (!strcmp(v, "1")) row->visible = 1;
        else if (!strcmp(v, "0")) row->visible = 0;
        else import_error(im, r->line, "visible", "acat_import_error_visible", v);
    }
    if ((v = cell(im, r, 5)) && *v) {
        apr_int64_t n = shop_parse_id(v);
        if (!n || n > SORT_MAX) import_error(im, r->line, "sortorder", "error_out_of_range", "1 – 1000000");
        else row->sortorder = (int)n;
    }
    if ((v = cell(im, r, 6))) {
        const char *clean = NULL, *error = NULL;
        if (!*v) row->description = NULL;
        else if (shop_html_sanitize(pool, v, strlen(v), &clean, &error) != APR_SUCCESS)
            import_error(im, r->line, "description", "error_too_long", NULL);
        else row->description = *clean ? clean : NULL;
    }
    ln->has_error = im->nerrors > before;
}

/* Parents after the import (new rows get -line ids): no cycle allowed. */
static void check_cycles(importer_t *im, apr_array_header_t *lines)
{
    apr_pool_t *pool = im->req->r->pool;
    apr_array_header_t *after = apr_array_copy(pool, im->existing);
    for (int i = 0; i < lines->nelts; i++) {
        import_line_t *ln = &APR_ARRAY_IDX(lines, i, import_line_t);
        apr_int64_t parent = ln->parent_line ? -(apr_int64_t)ln->parent_line : ln->row.parent_id;
        if (ln->create) {
            shop_category_row_t *n = apr_array_push(after);
            *n = ln->row;
            n->id = -(apr_int64_t)ln->line;
            n->parent_id = parent;
        }
        else for (int k = 0; k < after->nelts; k++)
            if (APR_ARRAY_IDX(after, k, shop_category_row_t).id == ln->row.id)
                APR_ARRAY_IDX(after, k, shop_category_row_t).parent_id = parent;
    }
    for (int i = 0; i < lines->nelts; i++) {
        import_line_t *ln = &APR_ARRAY_IDX(lines, i, import_line_t);
        if (ln->create || ln->has_error) continue;
        for (int k = 0; k < after->nelts; k++) {
            const shop_category_row_t *a = &APR_ARRAY_IDX(after, k, shop_category_row_t);
            if (a->id == ln->row.id && a->parent_id && shop_category_would_cycle(after, a->id, a->parent_id)) {
                import_error(im, ln->line, "parent", "acat_error_parent_cycle", NULL);
                ln->has_error = 1;
            }
        }
    }
}

static int import_page(shop_req_t *req, int status, const shop_catalogue_row_t *cat, importer_t *im,
                       apr_array_header_t *lines, int dry_run, int applied)
{
    json_object *data = json_object_new_object();
    json_object_object_add(data, "catalogue", catalogue_json(cat));
    json_object *arr = json_object_new_array();
    int created = 0, updated = 0;
    for (int i = 0; lines && i < lines->nelts; i++) {
        const import_line_t *ln = &APR_ARRAY_IDX(lines, i, import_line_t);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "line", json_object_new_int(ln->line));
        json_object_object_add(o, "name", shop_json_string_or_null(ln->row.name));
        if (!ln->create) json_object_object_add(o, "id", json_object_new_int64(ln->row.id));
        const char *what = ln->has_error ? "acat_import_action_error" : ln->create ? "acat_import_action_create"
                                                                                   : "acat_import_action_update";
        json_object_object_add(o, "action", shop_json_string_or_null(shop_req_text(req, what)));
        if (ln->has_error) json_object_object_add(o, "error", json_object_new_boolean(1));
        else if (ln->create) created++;
        else updated++;
        json_object_array_add(arr, o);
    }
    json_object_object_add(data, "lines", arr);
    json_object_object_add(data, "errors", im ? json_object_get(im->errors) : json_object_new_array());
    json_object_object_add(data, "nerrors", json_object_new_int(im ? im->nerrors : 0));
    json_object_object_add(data, "has_errors", json_object_new_boolean(im && im->nerrors));
    json_object_object_add(data, "created", json_object_new_int(created));
    json_object_object_add(data, "updated", json_object_new_int(updated));
    json_object_object_add(data, "dry_run", json_object_new_boolean(dry_run));
    json_object_object_add(data, "applied", json_object_new_boolean(applied));
    return shop_render_page(req, status, "admin/categories_import", data);
}

static int import_file_error(shop_req_t *req, int status, const shop_catalogue_row_t *cat, int dry_run,
                             int line, const char *key, const char *detail)
{
    importer_t im = { 0 };
    im.req = req;
    im.errors = shop_json_own(req->r->pool, json_object_new_array());
    import_error(&im, line, NULL, key, detail);
    return import_page(req, status, cat, &im, NULL, dry_run, 0);
}

static const shop_upload_t *find_upload(shop_req_t *req, const char *field)
{
    for (int i = 0; req->uploads && i < req->uploads->nelts; i++) {
        const shop_upload_t *u = &APR_ARRAY_IDX(req->uploads, i, shop_upload_t);
        if (strcmp(u->field, field) == 0 && u->len > 0) return u;
    }
    return NULL;
}

static int apply(shop_req_t *req, shop_db_t *db, const shop_catalogue_row_t *cat, apr_array_header_t *lines)
{
    int rv = shop_db_begin(db);
    apr_hash_t *created = apr_hash_make(req->r->pool);     /* line -> id */
    for (int i = 0; rv == 0 && i < lines->nelts; i++) {
        import_line_t *ln = &APR_ARRAY_IDX(lines, i, import_line_t);
        if (ln->parent_line) {
            apr_int64_t *pid = apr_hash_get(created, &ln->parent_line, sizeof(int));
            ln->row.parent_id = pid ? *pid : 0;
        }
        if (ln->create) {
            apr_int64_t *id = apr_palloc(req->r->pool, sizeof(*id));
            rv = shop_category_insert(db, &ln->row, req->now, id);
            apr_hash_set(created, &ln->line, sizeof(int), id);
            ln->row.id = *id;
        }
        else rv = shop_category_update(db, &ln->row, req->now);
    }
    if (rv == 0) rv = shop_catalog_bump(db, cat->id);
    if (rv == 0) rv = shop_db_commit(db);
    if (rv) shop_db_rollback(db);
    return rv;
}

int shop_admin_categories_import(shop_req_t *req)
{
    shop_catalogue_row_t *cat;
    int rv = load_catalogue(req, shop_parse_id(req->captures[0]), &cat);
    if (!cat) return rv;
    shop_db_t *db = shop_req_db(req);
    int dry_run = shop_req_param(req, "dry_run") != NULL;
    const shop_upload_t *up = find_upload(req, "file");
    if (!up) return import_file_error(req, HTTP_BAD_REQUEST, cat, dry_run, 0, "acat_import_error_missing", NULL);
    if (up->len > SHOP_CATEGORY_CSV_MAX)
        return import_file_error(req, HTTP_REQUEST_ENTITY_TOO_LARGE, cat, dry_run, 0, "acat_import_error_size", NULL);

    shop_csv_t *csv;
    const char *error;
    int line = 0;
    shop_csv_limits_t lim = { SHOP_CATEGORY_CSV_MAX, 0, 0, 0 };
    if (shop_csv_parse(req->r->pool, up->data, up->len, &lim, &csv, &error, &line) != APR_SUCCESS)
        return import_file_error(req, HTTP_BAD_REQUEST, cat, dry_run, line, "acat_import_error_csv", error);
    if (csv->nrows < 1)
        return import_file_error(req, HTTP_BAD_REQUEST, cat, dry_run, 0, "acat_import_error_empty", NULL);

    importer_t im = { 0 };
    im.req = req;
    im.cat = cat;
    im.errors = shop_json_own(req->r->pool, json_object_new_array());
    im.alias_owner = apr_hash_make(req->r->pool);
    if (shop_category_list(db, cat->id, &im.existing) != 0) return shop_render_unavailable(req);
    for (int i = 0; i < im.existing->nelts; i++) {
        shop_category_row_t *c = &APR_ARRAY_IDX(im.existing, i, shop_category_row_t);
        if (c->seo_alias) apr_hash_set(im.alias_owner, c->seo_alias, APR_HASH_KEY_STRING, &c->id);
    }
    apr_array_header_t *lines = apr_array_make(req->r->pool, csv->nrows, sizeof(import_line_t));
    if (header(&im, &csv->rows[0]) == 0) {
        for (int i = 1; i < csv->nrows; i++)
            check_line(&im, &csv->rows[i], csv->rows[0].nfields, apr_array_push(lines));
        check_cycles(&im, lines);
    }
    int status = dry_run ? HTTP_OK : HTTP_BAD_REQUEST;
    if (im.nerrors || dry_run) return import_page(req, im.nerrors ? status : HTTP_OK, cat, &im, lines, dry_run, 0);

    if ((rv = apply(req, db, cat, lines)) != 0) {
        if (rv == SHOP_DB_ER_DUP_ENTRY)
            return import_file_error(req, HTTP_CONFLICT, cat, 0, 0, "acat_error_alias_taken", NULL);
        return shop_render_unavailable(req);
    }
    publish(req, db, cat->id);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0864) "categories of catalogue %" APR_INT64_T_FMT
                  " imported (%d line(s)) by user %" APR_INT64_T_FMT, cat->id, lines->nelts,
                  shop_req_identity(req)->userid);
    return import_page(req, HTTP_OK, cat, &im, lines, 0, 1);
}
