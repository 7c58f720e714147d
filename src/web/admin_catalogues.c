/* Back office: catalogues (list, create, edit, delete).  A catalogue is
 * standalone, a master, or a slave of a master; every write bumps the
 * versions of what it touched so storefront caches read again. */
#include "web/admin_catalog.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/log.h"

#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/html.h"
#include "core/i18n.h"
#include "core/validate.h"
#include "data/catalog_repo.h"
#include "data/catalogue_admin_repo.h"

#define PER_PAGE            50
#define NAME_MAX            255
#define COUNTRIES_MAX       255
#define HTML_MAX            (256 * 1024)

static const char *const kinds[] = { "standalone", "master", "slave", NULL };

int shop_admin_catalogues(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    const char *q = shop_req_param(req, "q");
    apr_array_header_t *rows;
    apr_int64_t total = 0;
    if (!db || shop_catalogue_list(db, q, 1 << 30, 0, &rows, &total) != 0) return shop_render_unavailable(req);
    shop_pager_t pg = shop_pager_make(req, total, PER_PAGE);
    json_object *list = json_object_new_array();
    for (apr_int64_t i = pg.offset; i < rows->nelts && i < pg.offset + pg.per_page; i++) {
        const shop_catalogue_row_t *c = &APR_ARRAY_IDX(rows, i, shop_catalogue_row_t);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "name", shop_json_string_or_null(c->name));
        json_object_object_add(o, "kind", shop_json_string_or_null(shop_req_text(req, apr_pstrcat(req->r->pool, "acat_kind_", c->kind, NULL))));
        json_object_object_add(o, "master_name", shop_json_string_or_null(c->master_name));
        json_object_object_add(o, "master_id", c->master_id ? json_object_new_int64(c->master_id) : NULL);
        json_object_object_add(o, "nproducts", json_object_new_int64(c->nproducts));
        json_object_object_add(o, "ncategories", json_object_new_int64(c->ncategories));
        json_object_object_add(o, "nshops", json_object_new_int64(c->nshops));
        json_object_array_add(list, o);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "catalogues", list);
    json_object_object_add(data, "empty", json_object_new_boolean(rows->nelts == 0));
    json_object_object_add(data, "q", shop_json_string_or_null(q));
    json_object_object_add(data, "pager", shop_pager_json(req, &pg, "/admin/catalogues",
                           q ? apr_pstrcat(req->r->pool, "q=", shop_url_escape(req->r->pool, q), NULL) : ""));
    const char *saved = shop_req_param(req, "saved");
    if (saved) json_object_object_add(data, "deleted", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/catalogues", data);
}

/* The form page: new when c is NULL. */
static int form_page(shop_req_t *req, int status, shop_form_t *f, const shop_catalogue_row_t *c, int saved)
{
    shop_db_t *db = shop_req_db(req);
    apr_array_header_t *masters;
    if (!db || shop_catalogue_masters(db, &masters) != 0) return shop_render_unavailable(req);
    json_object *form = shop_form_json(f);
    json_object *values = json_object_object_get(form, "values");
    const char *kind = json_object_get_string(json_object_object_get(values, "kind"));
    const char *master = json_object_get_string(json_object_object_get(values, "master_id"));
    json_object *opts = json_object_new_array();
    for (int i = 0; i < masters->nelts; i++) {
        const shop_catalogue_row_t *m = &APR_ARRAY_IDX(masters, i, shop_catalogue_row_t);
        if (c && m->id == c->id) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(m->id));
        json_object_object_add(o, "name", shop_json_string_or_null(m->name));
        if (master && apr_atoi64(master) == m->id) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(opts, o);
    }
    json_object *kinds_json = json_object_new_array();
    for (const char *const *k = kinds; *k; k++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(*k));
        json_object_object_add(o, "label", shop_json_string_or_null(shop_req_text(req, apr_pstrcat(req->r->pool, "acat_kind_", *k, NULL))));
        if (kind ? !strcmp(kind, *k) : !strcmp(*k, "standalone"))
            json_object_object_add(o, "checked", json_object_new_boolean(1));
        json_object_array_add(kinds_json, o);
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "form", form);
    json_object_object_add(data, "masters", opts);
    json_object_object_add(data, "kinds", kinds_json);
    if (c) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "name", shop_json_string_or_null(c->name));
        json_object_object_add(o, "nslaves", json_object_new_int64(c->nslaves));
        json_object_object_add(data, "catalogue", o);
        json_object_object_add(data, "action", json_object_new_string(
            apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT, c->id)));
    }
    else json_object_object_add(data, "action", json_object_new_string("/admin/catalogues/new"));
    if (saved) json_object_object_add(data, "saved", json_object_new_boolean(1));
    return shop_render_page(req, status, "admin/catalogues_form", data);
}

int shop_admin_catalogue_new(shop_req_t *req)
{
    shop_form_t *f = shop_form_create(req);
    shop_form_value(f, "kind", "standalone");
    return form_page(req, HTTP_OK, f, NULL, 0);
}

/* Country restrictions: a comma list of assigned ISO 3166 alpha-2 codes
 * (any case as typed), written back upper-case without blanks or repeats.
 * NULL after a field error. */
static const char *countries(shop_req_t *req, shop_form_t *f, const char *given)
{
    apr_pool_t *pool = req->r->pool;
    const char *out = "";
    char *list = apr_pstrdup(pool, given), *last = NULL;
    for (char *tok = apr_strtok(list, ",", &last); tok; tok = apr_strtok(NULL, ",", &last)) {
        while (apr_isspace(*tok)) tok++;
        size_t n = strlen(tok);
        while (n && apr_isspace(tok[n - 1])) tok[--n] = '\0';
        if (!n) continue;
        char cc[3] = { n == 2 ? (char)apr_toupper(tok[0]) : 0, n == 2 ? (char)apr_toupper(tok[1]) : 0, 0 };
        if (n != 2 || shop_validate_country(cc) != NULL) {
            shop_form_error(f, "country_restrictions", "acat_error_country", tok);
            return NULL;
        }
        if (!strstr(out, cc)) out = *out ? apr_pstrcat(pool, out, ",", cc, NULL) : apr_pstrdup(pool, cc);
    }
    return out;
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

/* Read and check the submitted catalogue into *c (id set by the caller).
 * Returns the HTTP status for the form (200 when good). */
static int read_catalogue(shop_req_t *req, shop_db_t *db, shop_form_t *f, shop_catalogue_row_t *c, int *dberr)
{
    *dberr = 0;
    c->name = shop_form_text(f, "name", 1, NAME_MAX, 0);
    const char *desc = shop_form_text(f, "description", 0, HTML_MAX, 1);
    const char *footer = shop_form_text(f, "bill_footer", 0, HTML_MAX, 1);
    c->kind = shop_form_choice(f, "kind", kinds, "standalone");
    apr_int64_t master = 0;
    int master_ok = shop_form_int(f, "master_id", 0, 1, APR_INT64_C(999999999999999999), 0, &master) == 0;
    const char *cc = shop_form_text(f, "country_restrictions", 0, COUNTRIES_MAX, 0);
    c->country_restrictions = cc ? countries(req, f, cc) : NULL;
    c->description = desc ? sanitized(req, f, "description", desc) : NULL;
    c->bill_footer = footer ? sanitized(req, f, "bill_footer", footer) : NULL;
    c->master_id = 0;
    if (c->kind && !strcmp(c->kind, "slave") && master_ok) {
        shop_catalogue_row_t *m = NULL;
        if (!master) shop_form_error(f, "master_id", "error_required", NULL);
        else if (master == c->id) shop_form_error(f, "master_id", "acat_error_master_self", NULL);
        else if ((*dberr = shop_catalogue_get(db, master, &m)) != 0) return HTTP_SERVICE_UNAVAILABLE;
        else if (!m || strcmp(m->kind, "master") != 0) shop_form_error(f, "master_id", "acat_error_master_kind", NULL);
        else c->master_id = master;
    }
    if (shop_form_has_errors(f)) return HTTP_BAD_REQUEST;
    int taken = 0;
    if ((*dberr = shop_catalogue_name_taken(db, c->name, c->id, &taken)) != 0) return HTTP_SERVICE_UNAVAILABLE;
    if (taken) {
        shop_form_error(f, "name", "acat_error_name_taken", NULL);
        return HTTP_CONFLICT;
    }
    return HTTP_OK;
}

static void publish(shop_req_t *req, shop_db_t *db, const apr_int64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i]) shop_catalog_publish_versions(db, req->rt->cache, ids[i]);
}

int shop_admin_catalogue_create(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    shop_form_t *f = shop_form_create(req);
    shop_catalogue_row_t c = { 0 };
    int dberr, status = read_catalogue(req, db, f, &c, &dberr);
    if (status == HTTP_SERVICE_UNAVAILABLE) return shop_render_unavailable(req);
    if (status != HTTP_OK) return form_page(req, status, f, NULL, 0);
    apr_int64_t id = 0;
    int rv;
    if ((rv = shop_db_begin(db)) || (rv = shop_catalogue_insert(db, &c, req->now, &id))
        || (c.master_id && (rv = shop_catalog_bump(db, c.master_id))) || (rv = shop_db_commit(db))) {
        shop_db_rollback(db);
        if (rv == SHOP_DB_ER_DUP_ENTRY) {
            shop_form_error(f, "name", "acat_error_name_taken", NULL);
            return form_page(req, HTTP_CONFLICT, f, NULL, 0);
        }
        return shop_render_unavailable(req);
    }
    apr_int64_t ids[] = { id, c.master_id };
    publish(req, db, ids, 2);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0851) "catalogue %" APR_INT64_T_FMT
                  " created by user %" APR_INT64_T_FMT, id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT "?saved=1", id));
}

static void fill_form(shop_req_t *req, shop_form_t *f, const shop_catalogue_row_t *c)
{
    shop_form_value(f, "name", c->name);
    shop_form_value(f, "description", c->description);
    shop_form_value(f, "kind", c->kind);
    if (c->master_id) shop_form_value(f, "master_id", shop_db_i64(req->r->pool, c->master_id));
    shop_form_value(f, "country_restrictions", c->country_restrictions);
    shop_form_value(f, "bill_footer", c->bill_footer);
}

int shop_admin_catalogue_edit(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_catalogue_row_t *c = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_catalogue_get(db, id, &c) != 0) return shop_render_unavailable(req);
    if (!c) return shop_render_not_found(req);
    shop_form_t *f = shop_form_create(req);
    fill_form(req, f, c);
    return form_page(req, HTTP_OK, f, c, shop_req_param(req, "saved") != NULL);
}

int shop_admin_catalogue_save(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_catalogue_row_t *old = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_catalogue_get(db, id, &old) != 0) return shop_render_unavailable(req);
    if (!old) return shop_render_not_found(req);
    shop_form_t *f = shop_form_create(req);
    shop_catalogue_row_t c = { 0 };
    c.id = id;
    int dberr, status = read_catalogue(req, db, f, &c, &dberr);
    if (status == HTTP_SERVICE_UNAVAILABLE) return shop_render_unavailable(req);
    if (status != HTTP_OK) return form_page(req, status, f, old, 0);

    /* A master that stops being one releases its slaves (they become
     * standalone); bump first so they are counted as the master's family. */
    int releasing = !strcmp(old->kind, "master") && strcmp(c.kind, "master") != 0;
    apr_array_header_t *slaves = NULL;
    int rv;
    if ((rv = shop_db_begin(db)) || (rv = shop_catalog_bump(db, id))
        || (releasing && ((rv = shop_catalogue_slaves(db, id, &slaves))
                          || (rv = shop_catalogue_release_slaves(db, id, req->now))))
        || (rv = shop_catalogue_update(db, &c, req->now))
        || (c.master_id && (rv = shop_catalog_bump(db, c.master_id)))
        || (old->master_id && old->master_id != c.master_id && (rv = shop_catalog_bump(db, old->master_id)))
        || (rv = shop_db_commit(db))) {
        shop_db_rollback(db);
        if (rv == SHOP_DB_ER_DUP_ENTRY) {
            shop_form_error(f, "name", "acat_error_name_taken", NULL);
            return form_page(req, HTTP_CONFLICT, f, old, 0);
        }
        return shop_render_unavailable(req);
    }
    apr_int64_t ids[] = { id, c.master_id, old->master_id };
    publish(req, db, ids, 3);
    for (int i = 0; slaves && i < slaves->nelts; i++)
        publish(req, db, &APR_ARRAY_IDX(slaves, i, shop_catalogue_row_t).id, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0852) "catalogue %" APR_INT64_T_FMT
                  " saved by user %" APR_INT64_T_FMT, id, shop_req_identity(req)->userid);
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/catalogues/%" APR_INT64_T_FMT "?saved=1", id));
}

static int delete_page(shop_req_t *req, int status, const shop_catalogue_row_t *c, const char *error_key)
{
    shop_db_t *db = shop_req_db(req);
    apr_array_header_t *slaves;
    if (shop_catalogue_slaves(db, c->id, &slaves) != 0) return shop_render_unavailable(req);
    json_object *data = json_object_new_object();
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    json_object_object_add(o, "name", shop_json_string_or_null(c->name));
    json_object_object_add(o, "nproducts", json_object_new_int64(c->nproducts));
    json_object_object_add(o, "ncategories", json_object_new_int64(c->ncategories));
    json_object_object_add(data, "catalogue", o);
    json_object *sl = json_object_new_array();
    for (int i = 0; i < slaves->nelts; i++) {
        json_object *s = json_object_new_object();
        json_object_object_add(s, "id", json_object_new_int64(APR_ARRAY_IDX(slaves, i, shop_catalogue_row_t).id));
        json_object_object_add(s, "name", shop_json_string_or_null(APR_ARRAY_IDX(slaves, i, shop_catalogue_row_t).name));
        json_object_array_add(sl, s);
    }
    json_object_object_add(data, "slaves", sl);
    json_object_object_add(data, "has_slaves", json_object_new_boolean(slaves->nelts > 0));
    if (error_key) json_object_object_add(data, "error", shop_json_string_or_null(shop_req_text(req, error_key)));
    return shop_render_page(req, status, "admin/catalogues_delete", data);
}

int shop_admin_catalogue_delete_confirm(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_catalogue_row_t *c = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_catalogue_get(db, id, &c) != 0) return shop_render_unavailable(req);
    if (!c) return shop_render_not_found(req);
    return delete_page(req, HTTP_OK, c, c->nshops ? "acat_error_used_by_shop" : NULL);
}

int shop_admin_catalogue_delete(shop_req_t *req)
{
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_catalogue_row_t *c = NULL;
    if (!id) return shop_render_not_found(req);
    if (!db || shop_catalogue_get(db, id, &c) != 0) return shop_render_unavailable(req);
    if (!c) return shop_render_not_found(req);

    static const char *const choices[] = { "release", "delete", NULL };
    const char *given = shop_req_param(req, "slaves");
    const char *mode = "release";
    if (given) {
        mode = NULL;
        for (const char *const *k = choices; *k; k++)
            if (!strcmp(*k, given)) mode = *k;
        if (!mode) return delete_page(req, HTTP_BAD_REQUEST, c, "error_bad_choice");
    }
    else if (c->nslaves) return delete_page(req, HTTP_BAD_REQUEST, c, "acat_error_choose_slaves");
    int with_slaves = c->nslaves && !strcmp(mode, "delete");

    apr_int64_t shops = 0;
    apr_array_header_t *slaves = NULL;
    int rv;
    if ((rv = shop_db_begin(db)) || (rv = shop_catalogue_shop_count(db, id, with_slaves, &shops))) {
        shop_db_rollback(db);
        return shop_render_unavailable(req);
    }
    if (shops) {
        shop_db_rollback(db);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0853) "catalogue %" APR_INT64_T_FMT
                      " not deleted: sold by %" APR_INT64_T_FMT " shop(s)", id, shops);
        return delete_page(req, HTTP_CONFLICT, c, with_slaves ? "acat_error_slave_used_by_shop"
                                                              : "acat_error_used_by_shop");
    }
    if ((rv = shop_catalogue_slaves(db, id, &slaves)) || (rv = shop_catalog_bump(db, id))) goto failed;
    for (int i = 0; i < slaves->nelts && rv == 0; i++)
        rv = with_slaves ? shop_catalogue_delete(db, APR_ARRAY_IDX(slaves, i, shop_catalogue_row_t).id) : 0;
    if (rv || (!with_slaves && (rv = shop_catalogue_release_slaves(db, id, req->now)))
        || (rv = shop_catalogue_delete(db, id)) || (rv = shop_db_commit(db)))
        goto failed;
    for (int i = 0; !with_slaves && i < slaves->nelts; i++)
        publish(req, db, &APR_ARRAY_IDX(slaves, i, shop_catalogue_row_t).id, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0854) "catalogue %" APR_INT64_T_FMT
                  " deleted (%d slave(s) %s) by user %" APR_INT64_T_FMT, id, slaves->nelts,
                  with_slaves ? "deleted" : "released", shop_req_identity(req)->userid);
    return shop_redirect_local(req, "/admin/catalogues?saved=1");
failed:
    shop_db_rollback(db);
    return shop_render_unavailable(req);
}
