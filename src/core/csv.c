/* CSV reading and writing: see csv.h. */
#include "core/csv.h"

#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "core/form.h"

typedef struct reader {
    apr_pool_t *p;
    const char *in;
    apr_size_t pos, end;
    int line;
    char sep;
    shop_csv_limits_t lim;
    const char *error;
    int error_line;
    apr_status_t status;
} reader_t;

static int fail(reader_t *rd, int line, const char *error)
{
    rd->status = strstr(error, "too") ? APR_ENOSPC : APR_EINVAL;
    rd->error = error;
    rd->error_line = line;
    return -1;
}

/* The line of byte offset `at`, counted from the start of the data. */
static int line_of(const char *in, apr_size_t start, apr_size_t at)
{
    int line = 1;
    for (apr_size_t i = start; i < at; i++) {
        if (in[i] == '\n') line++;
        else if (in[i] == '\r' && (i + 1 >= at || in[i + 1] != '\n')) line++;
    }
    return line;
}

/* The separator that occurs more often outside quotes on the first line. */
static char detect_sep(const char *in, apr_size_t pos, apr_size_t end)
{
    int semi = 0, comma = 0, quoted = 0;
    while (pos < end && (in[pos] == '\r' || in[pos] == '\n')) pos++;   /* empty lines are no row */
    for (; pos < end; pos++) {
        char c = in[pos];
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\r' || c == '\n')) break;
        else if (!quoted && c == ';') semi++;
        else if (!quoted && c == ',') comma++;
    }
    return comma > semi ? ',' : ';';
}

static int at_line_end(const reader_t *rd)
{
    return rd->pos < rd->end && (rd->in[rd->pos] == '\r' || rd->in[rd->pos] == '\n');
}

static void skip_line_end(reader_t *rd)
{
    if (rd->in[rd->pos] == '\r' && rd->pos + 1 < rd->end && rd->in[rd->pos + 1] == '\n') rd->pos++;
    rd->pos++;
    rd->line++;
}

static int quoted_field(reader_t *rd, const char **out)
{
    int start_line = rd->line;
    apr_size_t p = rd->pos + 1, n = 0;
    /* first pass: find the closing quote and the unescaped length */
    for (;;) {
        if (p >= rd->end) return fail(rd, start_line, "quoted field not closed");
        char c = rd->in[p];
        if (c == '"') {
            if (p + 1 < rd->end && rd->in[p + 1] == '"') { p += 2; n++; continue; }
            break;
        }
        p++;
        n++;
    }
    if (n > rd->lim.max_field) return fail(rd, start_line, "field too long");
    char *buf = apr_palloc(rd->p, n + 1), *o = buf;
    for (apr_size_t i = rd->pos + 1; i < p; i++) {
        char c = rd->in[i];
        *o++ = c;
        if (c == '"') i++;
        else if (c == '\n') rd->line++;
        else if (c == '\r' && !(i + 1 < p && rd->in[i + 1] == '\n')) rd->line++;
    }
    *o = '\0';
    rd->pos = p + 1;
    if (rd->pos < rd->end && rd->in[rd->pos] != rd->sep && !at_line_end(rd))
        return fail(rd, rd->line, "text after a closing quote");
    *out = buf;
    return 0;
}

static int plain_field(reader_t *rd, const char **out)
{
    apr_size_t p = rd->pos;
    while (p < rd->end) {
        char c = rd->in[p];
        if (c == rd->sep || c == '\r' || c == '\n') break;
        if (c == '"') return fail(rd, rd->line, "quote inside an unquoted field");
        p++;
    }
    if (p - rd->pos > rd->lim.max_field) return fail(rd, rd->line, "field too long");
    *out = apr_pstrmemdup(rd->p, rd->in + rd->pos, p - rd->pos);
    rd->pos = p;
    return 0;
}

static int read_row(reader_t *rd, shop_csv_row_t *row)
{
    apr_array_header_t *fields = apr_array_make(rd->p, 8, sizeof(const char *));
    row->line = rd->line;
    for (;;) {
        const char *f;
        int rv = rd->pos < rd->end && rd->in[rd->pos] == '"' ? quoted_field(rd, &f) : plain_field(rd, &f);
        if (rv != 0) return rv;
        if (fields->nelts >= rd->lim.max_fields) return fail(rd, row->line, "too many fields in a row");
        APR_ARRAY_PUSH(fields, const char *) = f;
        if (rd->pos >= rd->end) break;
        if (rd->in[rd->pos] == rd->sep) { rd->pos++; continue; }
        skip_line_end(rd);
        break;
    }
    row->nfields = fields->nelts;
    row->fields = (const char **)fields->elts;
    return 0;
}

apr_status_t shop_csv_parse(apr_pool_t *p, const char *in, apr_size_t len, const shop_csv_limits_t *lim,
                            shop_csv_t **out, const char **error, int *error_line)
{
    reader_t rd;
    memset(&rd, 0, sizeof(rd));
    rd.p = p;
    rd.in = in;
    rd.end = len;
    rd.line = 1;
    rd.lim.max_input = lim && lim->max_input ? lim->max_input : SHOP_CSV_MAX_INPUT;
    rd.lim.max_field = lim && lim->max_field ? lim->max_field : SHOP_CSV_MAX_FIELD;
    rd.lim.max_fields = lim && lim->max_fields > 0 ? lim->max_fields : SHOP_CSV_MAX_FIELDS;
    rd.lim.max_rows = lim && lim->max_rows > 0 ? lim->max_rows : SHOP_CSV_MAX_ROWS;
    *out = NULL;
    if (error_line) *error_line = 0;

    if (!in && len > 0) {
        *error = "no input";
        return APR_EINVAL;
    }
    if (len > rd.lim.max_input) {
        *error = "file too large";
        return APR_ENOSPC;
    }
    if (len == 0) {
        *out = apr_pcalloc(p, sizeof(shop_csv_t));
        (*out)->sep = ';';
        return APR_SUCCESS;
    }
    if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) rd.pos = 3;

    apr_size_t bad = len, nul = len;
    const char *z = len > rd.pos ? memchr(in + rd.pos, '\0', len - rd.pos) : NULL;
    if (z) nul = (apr_size_t)(z - in);
    if (!shop_utf8_valid(in + rd.pos, len - rd.pos, &bad)) bad += rd.pos;
    else bad = len;
    if (nul < len || bad < len) {
        *error = nul <= bad ? "NUL byte" : "not UTF-8 text";
        if (error_line) *error_line = line_of(in, rd.pos, nul <= bad ? nul : bad);
        return APR_EINVAL;
    }
    rd.sep = detect_sep(in, rd.pos, len);

    apr_array_header_t *rows = apr_array_make(p, 16, sizeof(shop_csv_row_t));
    while (rd.pos < rd.end) {
        if (at_line_end(&rd)) {
            skip_line_end(&rd);
            continue;
        }
        if (rows->nelts >= rd.lim.max_rows) {
            *error = "too many rows";
            if (error_line) *error_line = rd.line;
            return APR_ENOSPC;
        }
        shop_csv_row_t *row = apr_array_push(rows);
        if (read_row(&rd, row) != 0) {
            *error = rd.error;
            if (error_line) *error_line = rd.error_line;
            return rd.status;
        }
    }
    shop_csv_t *csv = apr_pcalloc(p, sizeof(*csv));
    csv->sep = rd.sep;
    csv->nrows = rows->nelts;
    csv->rows = (shop_csv_row_t *)rows->elts;
    *out = csv;
    return APR_SUCCESS;
}

const char *shop_csv_field(const shop_csv_row_t *row, int i)
{
    return row && i >= 0 && i < row->nfields ? row->fields[i] : "";
}

static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

const char *shop_csv_undefuse(const char *s)
{
    return s && s[0] == '\'' && formula_start(s[1]) ? s + 1 : s;
}

struct shop_csv_writer {
    apr_pool_t *p;
    char *buf;
    apr_size_t len, cap;
    char sep;
    int flags;
};

static void put(shop_csv_writer_t *w, const char *s, apr_size_t n)
{
    if (w->len + n > w->cap) {
        apr_size_t cap = w->cap ? w->cap : 1024;
        while (cap < w->len + n) cap *= 2;
        char *nb = apr_palloc(w->p, cap);
        if (w->len) memcpy(nb, w->buf, w->len);
        w->buf = nb;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

shop_csv_writer_t *shop_csv_writer_create(apr_pool_t *p, char sep, int flags)
{
    shop_csv_writer_t *w = apr_pcalloc(p, sizeof(*w));
    w->p = p;
    w->sep = sep == ',' ? ',' : ';';
    w->flags = flags;
    if (flags & SHOP_CSV_BOM) put(w, "\xEF\xBB\xBF", 3);
    return w;
}

static void put_cell(shop_csv_writer_t *w, const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    int defuse = (w->flags & SHOP_CSV_DEFUSE) && formula_start(s[0]);
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; !quote && i < n; i++)
        quote = s[i] == ';' || s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote) put(w, "\"", 1);
    if (defuse) put(w, "'", 1);
    if (!quote) put(w, s, n);
    else {
        const char *from = s;
        for (const char *q; (q = strchr(from, '"')); from = q + 1) {
            put(w, from, (apr_size_t)(q - from) + 1);
            put(w, "\"", 1);
        }
        put(w, from, strlen(from));
        put(w, "\"", 1);
    }
}

void shop_csv_write_row(shop_csv_writer_t *w, int n, const char *const *cells)
{
    char sep[1] = { w->sep };
    for (int i = 0; i < n; i++) {
        if (i) put(w, sep, 1);
        put_cell(w, cells[i]);
    }
    put(w, "\r\n", 2);
}

const char *shop_csv_writer_data(const shop_csv_writer_t *w, apr_size_t *len)
{
    *len = w->len;
    return w->buf ? w->buf : "";
}
