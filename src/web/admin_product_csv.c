/* Products of a catalogue as CSV: export (cells that a spreadsheet would
 * run as a formula are defused) and import with a dry run that reports, per
 * line, what would be created or updated and every error with its field;
 * applying is all or nothing, in one transaction. */
#include "web/admin_product.h"
#include "web/render.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <apr_lib.h>
#include <apr_hash.h>

#include "core/csv.h"
#include "core/currency.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/tiers.h"
#include "data/catalog_repo.h"
#include "data/product_repo.h"

#define IMPORT_MAX_LINES    2000
#define CODE_MAX            32
#define NAME_MAX            255
#define SHORT_MAX           65535
#define ACTION_MAX          40
#define MAX_QUANTITY_MAX    1000
#define STOCK_MAX           2147483647

/* the file's columns, in order */
static const char *const columns[] = {
    "code", "name", "status", "category", "tax",
    "tier1_up_to", "tier1_price", "tier2_up_to", "tier2_price", "tier3_up_to", "tier3_price",
    "tier4_up_to", "tier4_price", "tier5_up_to", "tier5_price",
    "audience", "max_quantity", "seat_mode", "action", "stock", "short_description", NULL
};
enum { C_CODE, C_NAME, C_STATUS, C_CATEGORY, C_TAX, C_TIER1, C_AUDIENCE = 15, C_MAXQ, C_SEAT, C_ACTION, C_STOCK,
       C_SHORT, C_COUNT };

static const char *const statuses[] = {
    "PREVIEW", "AVAILABLE", "AVAILABLEINTERNAL", "ASCOMPLEMENT", "SUSPENDED", "PROVIDING", "ABANDONNED", NULL
};
static const char *const seat_modes[] = { "none", "one", "per_unit", NULL };

static const char *str(shop_req_t *req, const char *key)
{
    return shop_i18n_get(req->rt->i18n, shop_req_lang(req), key);
}

static int load(shop_req_t *req, shop_db_t **db, shop_catalogue_info_t *cat, const shop_currency_t **cur)
{
    int found = 0;
    apr_int64_t id = shop_req_capture_id(req, 0);
    *db = shop_req_db(req);
    if (!id) return HTTP_NOT_FOUND;
    if (!*db || shop_product_catalogue(*db, id, cat, &found) != 0) return HTTP_SERVICE_UNAVAILABLE;
    if (!found) return HTTP_NOT_FOUND;
    *cur = shop_currency_get(cat->currency);
    if (!*cur) *cur = shop_currency_get(SHOP_CURRENCY_DEFAULT);
    return OK;
}

static int fail(shop_req_t *req, int st)
{
    return st == HTTP_NOT_FOUND ? shop_render_not_found(req)
                                : shop_render_unavailable(req);
}

int shop_page_admin_products_csv(shop_req_t *req)
{
    apr_pool_t *pool = req->r->pool;
    shop_db_t *db;
    shop_catalogue_info_t cat;
    const shop_currency_t *cur;
    int st = load(req, &db, &cat, &cur);
    if (st != OK) return fail(req, st);
    shop_rows_t *rows, *tiers;
    if (shop_product_export(db, cat.id, &rows) != 0 || shop_product_all_tiers(db, cat.id, cur->code, &tiers) != 0)
        return fail(req, HTTP_SERVICE_UNAVAILABLE);
    shop_csv_writer_t *w = shop_csv_writer_create(pool, ';', SHOP_CSV_BOM | SHOP_CSV_DEFUSE);
    shop_csv_write_row(w, C_COUNT, columns);
    int t = 0;
    for (int r = 0; r < rows->nrows; r++) {
        const char *cells[C_COUNT];
        memset(cells, 0, sizeof(cells));
        apr_int64_t id = shop_rows_i64(rows, r, SHOP_PX_ID, 0);
        cells[C_CODE] = shop_rows_str(rows, r, SHOP_PX_CODE);
        cells[C_NAME] = shop_rows_str(rows, r, SHOP_PX_NAME);
        cells[C_STATUS] = shop_rows_str(rows, r, SHOP_PX_STATUS);
        cells[C_CATEGORY] = shop_rows_str(rows, r, SHOP_PX_CATEGORY);
        apr_int64_t tax = shop_rows_i64(rows, r, SHOP_PX_TAX, 0);
        cells[C_TAX] = tax ? shop_db_i64(pool, tax) : "";
        while (t < tiers->nrows && shop_rows_i64(tiers, t, 0, 0) < id) t++;
        for (int i = 0; i < SHOP_TIERS_MAX && t < tiers->nrows && shop_rows_i64(tiers, t, 0, 0) == id; i++, t++) {
            char buf[SHOP_MONEY_TEXT_SIZE];
            apr_int64_t up_to = shop_rows_i64(tiers, t, 1, 0);
            cells[C_TIER1 + 2 * i] = up_to ? shop_db_i64(pool, up_to) : "";
            if (shop_money_format_plain(buf, sizeof(buf), shop_rows_i64(tiers, t, 2, 0), cur->exponent) == APR_SUCCESS)
                cells[C_TIER1 + 2 * i + 1] = apr_pstrdup(pool, buf);
        }
        cells[C_AUDIENCE] = shop_db_i64(pool, shop_rows_i64(rows, r, SHOP_PX_AUDIENCE, 0));
        cells[C_MAXQ] = shop_db_i64(pool, shop_rows_i64(rows, r, SHOP_PX_MAX_QUANTITY, 0));
        cells[C_SEAT] = shop_rows_str(rows, r, SHOP_PX_SEAT_MODE);
        cells[C_ACTION] = shop_rows_str(rows, r, SHOP_PX_ACTION);
        apr_int64_t stock = shop_rows_i64(rows, r, SHOP_PX_STOCK, -1);
        cells[C_STOCK] = stock >= 0 ? shop_db_i64(pool, stock) : "";
        cells[C_SHORT] = shop_rows_str(rows, r, SHOP_PX_SHORT);
        shop_csv_write_row(w, C_COUNT, cells);
    }
    apr_size_t len;
    const char *data = shop_csv_writer_data(w, &len);
    apr_table_setn(req->r->headers_out, "Content-Disposition",
                   apr_psprintf(pool, "attachment; filename=\"products-%" APR_INT64_T_FMT ".csv\"", cat.id));
    apr_table_setn(req->r->headers_out, "Cache-Control", "no-store");
    return shop_send_body(req, HTTP_OK, "text/csv; charset=utf-8", data, len);
}

/* ------------------------------------------------------------- import */

typedef struct line {
    int number;
    shop_product_rec_t p;
    int update;                /* the code exists: p.id is that product */
    json_object *errors;       /* array of {field, message} */
} line_t;

static void line_error(shop_req_t *req, line_t *l, const char *field, const char *key, const char *detail)
{
    json_object *e = json_object_new_object();
    const char *msg = str(req, key);
    if (detail) msg = apr_pstrcat(req->r->pool, msg, ": ", detail, NULL);
    json_object_object_add(e, "field", json_object_new_string(field));
    json_object_object_add(e, "message", json_object_new_string(msg));
    json_object_array_add(l->errors, e);
}

static const char *one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(v, *list)) return *list;
    return NULL;
}

static int whole(const char *v, apr_int64_t min, apr_int64_t max, apr_int64_t *out)
{
    if (!*v || strlen(v) > 18) return -1;
    const char *c = v;
    if (*c == '-') c++;
    if (!*c) return -1;
    for (; *c; c++)
        if (!apr_isdigit(*c)) return -1;
    apr_int64_t n = apr_atoi64(v);
    if (n < min || n > max) return -1;
    *out = n;
    return 0;
}

static int clean_text(const char *v, int multiline)
{
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if ((*c < 0x20 && !(multiline && (*c == '\n' || *c == '\r' || *c == '\t'))) || *c == 0x7f) return 0;
    return 1;
}

static void check_line(shop_req_t *req, line_t *l, const shop_csv_row_t *row, const shop_currency_t *cur,
                       apr_hash_t *aliases, const shop_rows_t *taxes)
{
    apr_pool_t *pool = req->r->pool;
    const char *v[C_COUNT];
    for (int i = 0; i < C_COUNT; i++) {
        const char *raw = shop_csv_undefuse(shop_csv_field(row, i));
        /* surrounding spaces are never meant */
        while (apr_isspace(*raw)) raw++;
        apr_size_t n = strlen(raw);
        while (n && apr_isspace(raw[n - 1])) n--;
        v[i] = apr_pstrndup(pool, raw, n);
    }
    if (row->nfields != C_COUNT)
        line_error(req, l, "line", "product_csv_error_columns", apr_psprintf(pool, "%d / %d", row->nfields, C_COUNT));

    shop_product_rec_t *p = &l->p;
    p->stock = -1;
    p->code = v[C_CODE];
    int code_ok = *p->code && strlen(p->code) <= CODE_MAX;
    for (const char *c = p->code; code_ok && *c; c++) code_ok = apr_isalnum(*c) || *c == '_' || *c == '-';
    if (!code_ok) line_error(req, l, "code", "product_error_code", NULL);
    p->name = v[C_NAME];
    if (!*p->name) line_error(req, l, "name", "error_required", NULL);
    else if (strlen(p->name) > NAME_MAX || !clean_text(p->name, 0))
        line_error(req, l, "name", "error_too_long", apr_psprintf(pool, "%d", NAME_MAX));
    p->status = one_of(v[C_STATUS], statuses);
    if (!p->status) line_error(req, l, "status", "error_bad_choice", NULL);
    if (*v[C_CATEGORY]) {
        apr_int64_t *cid = apr_hash_get(aliases, v[C_CATEGORY], APR_HASH_KEY_STRING);
        if (!cid) line_error(req, l, "category", "product_csv_error_category", NULL);
        else p->category_id = *cid;
    }
    if (*v[C_TAX]) {
        apr_int64_t tax = 0;
        int known = whole(v[C_TAX], 1, APR_INT64_C(999999999999), &tax) == 0;
        for (int r = 0; known && r < taxes->nrows; r++)
            if (shop_rows_i64(taxes, r, 0, 0) == tax) p->tax_id = tax;
        if (!p->tax_id) line_error(req, l, "tax", "error_bad_choice", NULL);
    }
    int last = -1, bad_tiers = 0;
    for (int i = 0; i < SHOP_TIERS_MAX; i++)
        if (*v[C_TIER1 + 2 * i] || *v[C_TIER1 + 2 * i + 1]) last = i;
    for (int i = 0; i <= last; i++) {
        const char *uf = apr_psprintf(pool, "tier%d_up_to", i + 1), *pf = apr_psprintf(pool, "tier%d_price", i + 1);
        apr_int64_t up_to = 0, minor = 0;
        const char *key = NULL;
        if (*v[C_TIER1 + 2 * i] && whole(v[C_TIER1 + 2 * i], 1, SHOP_TIERS_MAX_UP_TO, &up_to) != 0) {
            line_error(req, l, uf, "tiers_error_up_to", NULL);
            bad_tiers = 1;
        }
        if (!*v[C_TIER1 + 2 * i + 1]) {
            line_error(req, l, pf, "error_required", NULL);
            bad_tiers = 1;
        } else if (shop_money_parse(v[C_TIER1 + 2 * i + 1], cur, &minor, &key) != APR_SUCCESS) {
            line_error(req, l, pf, key ? key : "money_error_invalid", NULL);
            bad_tiers = 1;
        } else if (minor < 0) {
            line_error(req, l, pf, "tiers_error_price", NULL);
            bad_tiers = 1;
        }
        p->tiers[i].up_to = up_to;
        p->tiers[i].price_minor = minor;
        p->ntiers = i + 1;
    }
    shop_tier_error_t terr;
    if (!bad_tiers && p->ntiers > 0 && shop_tiers_validate(p->tiers, p->ntiers, &terr) != APR_SUCCESS)
        line_error(req, l, terr.index < 0 ? "tiers" : apr_psprintf(pool, "tier%d_%s", terr.index + 1,
                   strstr(terr.field, "up_to") ? "up_to" : "price"), terr.key, NULL);
    apr_int64_t n;
    if (!*v[C_AUDIENCE]) p->audience = 0;
    else if (whole(v[C_AUDIENCE], -1, 2, &n) == 0) p->audience = (int)n;
    else line_error(req, l, "audience", "error_out_of_range", "-1 – 2");
    if (!*v[C_MAXQ]) p->max_quantity = 0;
    else if (whole(v[C_MAXQ], 0, MAX_QUANTITY_MAX, &n) == 0) p->max_quantity = (int)n;
    else line_error(req, l, "max_quantity", "error_out_of_range", "0 – 1000");
    p->seat_mode = *v[C_SEAT] ? one_of(v[C_SEAT], seat_modes) : "none";
    if (!p->seat_mode) line_error(req, l, "seat_mode", "error_bad_choice", NULL);
    if (*v[C_ACTION]) {
        int ok = strlen(v[C_ACTION]) <= ACTION_MAX;
        for (const char *a = v[C_ACTION]; ok && *a; a++) ok = (*a >= 'a' && *a <= 'z') || *a == '_';
        if (!ok) line_error(req, l, "action", "product_error_action", NULL);
        p->action = v[C_ACTION];
    }
    if (*v[C_STOCK]) {
        if (whole(v[C_STOCK], 0, STOCK_MAX, &n) == 0) p->stock = n;
        else line_error(req, l, "stock", "error_out_of_range", "0 – 2147483647");
    }
    if (*v[C_SHORT]) {
        const char *clean = NULL, *err = NULL;
        if (!clean_text(v[C_SHORT], 1)
            || shop_html_sanitize(pool, v[C_SHORT], strlen(v[C_SHORT]), &clean, &err) != APR_SUCCESS
            || strlen(clean) > SHORT_MAX)
            line_error(req, l, "short_description", "error_too_long", apr_psprintf(pool, "%d", SHORT_MAX));
        else p->short_description = clean;
    }
}

int shop_page_admin_products_import(shop_req_t *req)
{
    apr_pool_t *pool = req->r->pool;
    shop_db_t *db;
    shop_catalogue_info_t cat;
    const shop_currency_t *cur;
    int st = load(req, &db, &cat, &cur);
    if (st != OK) return fail(req, st);
    int dry_run = shop_req_param(req, "dry_run") != NULL;

    json_object *data = json_object_new_object();
    json_object *c = json_object_new_object();
    json_object_object_add(c, "id", json_object_new_int64(cat.id));
    json_object_object_add(c, "name", json_object_new_string(cat.name));
    json_object_object_add(data, "catalogue", c);
    json_object_object_add(data, "dry_run", json_object_new_boolean(dry_run));

    const shop_upload_t *up = NULL;
    for (int i = 0; req->uploads && i < req->uploads->nelts; i++) {
        const shop_upload_t *u = &APR_ARRAY_IDX(req->uploads, i, shop_upload_t);
        if (!strcmp(u->field, "file") && u->len > 0) up = u;
    }
    const char *file_error = NULL;
    int status = HTTP_OK, file_line = 0;
    shop_csv_t *csv = NULL;
    const char *perr = NULL;
    shop_csv_limits_t lim = { 0, 0, 0, IMPORT_MAX_LINES + 1 };
    if (cat.master_id) file_error = str(req, "product_csv_error_slave");
    else if (!up) file_error = str(req, "product_csv_error_no_file");
    else if (shop_csv_parse(pool, up->data, up->len, &lim, &csv, &perr, &file_line) != APR_SUCCESS)
        file_error = apr_psprintf(pool, "%s %d: %s", str(req, "product_csv_line"), file_line, perr);
    else if (csv->nrows < 1) file_error = str(req, "product_csv_error_no_file");
    else {
        const shop_csv_row_t *h = &csv->rows[0];
        int ok = h->nfields == C_COUNT;
        for (int i = 0; ok && i < C_COUNT; i++) ok = !strcasecmp(shop_csv_field(h, i), columns[i]);
        if (!ok) file_error = apr_psprintf(pool, "%s %d: %s", str(req, "product_csv_line"), h->line,
                                           str(req, "product_csv_error_header"));
    }
    if (file_error) {
        json_object_object_add(data, "file_error", json_object_new_string(file_error));
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0821) "product import into catalogue %"
                      APR_INT64_T_FMT " refused: %s", cat.id, file_error);
        return shop_render_page(req, HTTP_BAD_REQUEST, "admin/product_import", data);
    }

    shop_rows_t *taxes, *aliases_rows, *existing;
    if (shop_product_taxes(db, &taxes) != 0 || shop_product_category_aliases(db, cat.id, &aliases_rows) != 0
        || shop_product_export(db, cat.id, &existing) != 0)
        return fail(req, HTTP_SERVICE_UNAVAILABLE);
    apr_hash_t *aliases = apr_hash_make(pool), *by_code = apr_hash_make(pool), *seen = apr_hash_make(pool);
    /* a category by its SEO alias, else by its id (categories without alias) */
    shop_rows_t *cats;
    if (shop_product_categories(db, cat.id, &cats) != 0) return fail(req, HTTP_SERVICE_UNAVAILABLE);
    for (int r = 0; r < cats->nrows; r++) {
        apr_int64_t *id = apr_palloc(pool, sizeof(*id));
        *id = shop_rows_i64(cats, r, 0, 0);
        apr_hash_set(aliases, shop_rows_str(cats, r, 0), APR_HASH_KEY_STRING, id);
    }
    for (int r = 0; r < aliases_rows->nrows; r++) {
        apr_int64_t *id = apr_palloc(pool, sizeof(*id));
        *id = shop_rows_i64(aliases_rows, r, 0, 0);
        apr_hash_set(aliases, shop_rows_str(aliases_rows, r, 1), APR_HASH_KEY_STRING, id);
    }
    /* codes are unique per catalogue case-insensitively */
    for (int r = 0; r < existing->nrows; r++) {
        apr_int64_t *id = apr_palloc(pool, sizeof(*id));
        *id = shop_rows_i64(existing, r, SHOP_PX_ID, 0);
        char *k = apr_pstrdup(pool, shop_rows_str(existing, r, SHOP_PX_CODE));
        for (char *ch = k; *ch; ch++) *ch = (char)apr_tolower(*ch);
        apr_hash_set(by_code, k, APR_HASH_KEY_STRING, id);
    }
    int nlines = csv->nrows - 1, nerrors = 0, ncreate = 0, nupdate = 0;
    line_t *lines = apr_pcalloc(pool, sizeof(line_t) * (nlines ? nlines : 1));
    json_object *report = json_object_new_array();
    for (int i = 0; i < nlines; i++) {
        line_t *l = &lines[i];
        l->number = csv->rows[i + 1].line;
        l->errors = json_object_new_array();
        check_line(req, l, &csv->rows[i + 1], cur, aliases, taxes);
        char *k = apr_pstrdup(pool, l->p.code);
        for (char *ch = k; *ch; ch++) *ch = (char)apr_tolower(*ch);
        int *first = apr_hash_get(seen, k, APR_HASH_KEY_STRING);
        if (first && *l->p.code)
            line_error(req, l, "code", "product_csv_error_twice", apr_psprintf(pool, "%s %d", str(req, "product_csv_line"), *first));
        else apr_hash_set(seen, k, APR_HASH_KEY_STRING, &l->number);
        apr_int64_t *id = apr_hash_get(by_code, k, APR_HASH_KEY_STRING);
        l->update = id != NULL;
        l->p.id = id ? *id : 0;
        l->p.catalogue_id = cat.id;
        int bad = json_object_array_length(l->errors) > 0;
        nerrors += bad;
        if (!bad && l->update) nupdate++;
        else if (!bad) ncreate++;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "line", json_object_new_int(l->number));
        json_object_object_add(o, "code", json_object_new_string(l->p.code));
        json_object_object_add(o, "what", json_object_new_string(str(req, bad ? "product_csv_invalid"
                                                                     : l->update ? "product_csv_update" : "product_csv_create")));
        json_object_object_add(o, "op", json_object_new_string(bad ? "error" : l->update ? "update" : "create"));
        if (bad) json_object_object_add(o, "invalid", json_object_new_boolean(1));
        json_object_object_add(o, "errors", l->errors);
        json_object_array_add(report, o);
    }
    json_object_object_add(data, "lines", report);
    json_object_object_add(data, "ncreate", json_object_new_int(ncreate));
    json_object_object_add(data, "nupdate", json_object_new_int(nupdate));
    json_object_object_add(data, "nerrors", json_object_new_int(nerrors));
    if (nerrors) status = HTTP_BAD_REQUEST;
    if (nerrors || dry_run) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0822) "product import into catalogue %" APR_INT64_T_FMT
                      ": %s, %d lines, %d with errors", cat.id, dry_run ? "dry run" : "refused", nlines, nerrors);
        return shop_render_page(req, status, "admin/product_import", data);
    }

    int rv = shop_db_begin(db);
    for (int i = 0; rv == 0 && i < nlines; i++) {
        shop_product_rec_t *p = &lines[i].p;
        if (lines[i].update) rv = shop_product_update_csv(db, p, req->now);
        else rv = shop_product_insert(db, p, cur->code, req->now);
        if (rv == 0 && lines[i].update) rv = shop_product_set_tiers(db, p->id, cur->code, p->tiers, p->ntiers);
    }
    if (rv == 0) rv = shop_catalog_bump(db, cat.id);
    if (rv == 0) rv = shop_db_commit(db);
    else shop_db_rollback(db);
    if (rv != 0) return fail(req, HTTP_SERVICE_UNAVAILABLE);
    shop_catalog_publish_versions(db, req->rt->cache, cat.id);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0823) "product import into catalogue %" APR_INT64_T_FMT
                  ": %d created, %d updated by user %" APR_INT64_T_FMT, cat.id, ncreate, nupdate,
                  shop_req_identity(req)->userid);
    json_object_object_add(data, "applied", json_object_new_boolean(1));
    return shop_render_page(req, HTTP_OK, "admin/product_import", data);
}
