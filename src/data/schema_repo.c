/* Schema version and migration files: see schema_repo.h. */
#include "data/schema_repo.h"
#include "data/filestore.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <stdlib.h>
#include <string.h>

#define ER_NO_SUCH_TABLE 1146
#define SHOP_MIGRATION_MAX_BYTES (4 * 1024 * 1024)

static const shop_sql_t Q_VERSION = {
    "schema.version", "SELECT COALESCE(MAX(version), 0) FROM {shop}schema_version"
};

int shop_schema_current(shop_db_t *db, int *version)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_VERSION, 0, NULL, &rows);
    if (rv == ER_NO_SUCH_TABLE) {
        *version = 0;
        return 0;
    }
    if (rv != 0) return rv;
    *version = (int)shop_rows_i64(rows, 0, 0, 0);
    return 0;
}

static int by_version(const void *a, const void *b)
{
    return ((const shop_migration_t *)a)->version - ((const shop_migration_t *)b)->version;
}

apr_status_t shop_schema_scan(apr_pool_t *pool, const char *sql_dir,
                              apr_array_header_t **migrations, const char **error)
{
    apr_dir_t *dir;
    apr_finfo_t fi;
    apr_array_header_t *list = apr_array_make(pool, 8, sizeof(shop_migration_t));
    apr_status_t rv = apr_dir_open(&dir, sql_dir, pool);
    if (rv != APR_SUCCESS) {
        *error = apr_psprintf(pool, "cannot open the migrations folder %s", sql_dir);
        return rv;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, dir) == APR_SUCCESS) {
        const char *n = fi.name;
        size_t len = strlen(n);
        if (fi.filetype != APR_REG || len < 9 || strcmp(n + len - 4, ".sql") != 0) continue;
        if (!(n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] >= '0' && n[2] <= '9' && n[3] == '_'))
            continue;
        shop_migration_t *m = apr_array_push(list);
        m->version = atoi(apr_pstrndup(pool, n, 3));
        m->name = apr_pstrdup(pool, n);
        m->path = apr_pstrcat(pool, sql_dir, "/", n, NULL);
    }
    apr_dir_close(dir);
    qsort(list->elts, list->nelts, sizeof(shop_migration_t), by_version);
    for (int i = 0; i < list->nelts; i++) {
        const shop_migration_t *m = &APR_ARRAY_IDX(list, i, shop_migration_t);
        if (m->version != i + 1) {
            *error = apr_psprintf(pool, "migration %s: expected number %03d (no gap, no duplicate)",
                                  m->name, i + 1);
            return APR_EINVAL;
        }
    }
    *migrations = list;
    return APR_SUCCESS;
}

/* Statements end with ';' at the end of a line; whole-line "-- " comments are dropped. */
int shop_schema_run_file(shop_db_t *db, const char *path, const char **error)
{
    char *text;
    apr_size_t n;
    if (shop_file_read(db->pool, path, SHOP_MIGRATION_MAX_BYTES, &text, &n) != APR_SUCCESS) {
        *error = apr_psprintf(db->pool, "cannot read %s (or larger than %d bytes)", path, SHOP_MIGRATION_MAX_BYTES);
        return -1;
    }

    char *stmt = apr_palloc(db->pool, n + 1);
    size_t used = 0;
    int line_no = 0, stmt_line = 1;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        line_no++;
        const char *t = line;
        while (*t == ' ' || *t == '\t') t++;
        if (strncmp(t, "--", 2) == 0 || (*t == '\0' && used == 0)) continue;
        if (used == 0) stmt_line = line_no;
        size_t len = strlen(line);
        memcpy(stmt + used, line, len);
        used += len;
        stmt[used++] = '\n';
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r' || line[len - 1] == '\t')) len--;
        if (len > 0 && line[len - 1] == ';') {
            stmt[used] = '\0';
            const char *sql = shop_db_expand(db->pool, stmt, db->shop_prefix, db->moodle_prefix);
            int rv = shop_db_raw(db, sql);
            if (rv != 0) {
                *error = apr_psprintf(db->pool, "%s, statement at line %d: %s", path, stmt_line,
                                      db->last_message);
                return rv;
            }
            used = 0;
        }
    }
    return 0;
}
