/* i18n.c — string catalogues and language negotiation. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <json.h>

#include "core/i18n.h"

typedef struct {
    const char *code;
    struct json_object *strings;
    struct json_object *context;
} lang_t;

struct shop_i18n {
    apr_hash_t *langs;          /* code -> lang_t */
    const lang_t *en;
};

static apr_status_t put_json(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

static int valid_code(const char *s)
{
    apr_size_t i, n = strlen(s);

    if (n < 2 || n > SHOP_I18N_MAX_CODE || !(s[0] >= 'a' && s[0] <= 'z')) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
              || s[i] == '_')) {
            return 0;
        }
    }
    return 1;
}

static int valid_key(const char *s)
{
    apr_size_t i, n = strlen(s);

    if (n == 0 || n > SHOP_I18N_MAX_KEY) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
              || s[i] == '_')) {
            return 0;
        }
    }
    return 1;
}

static const char *ioerr(apr_pool_t *p, const char *path, apr_status_t rv)
{
    char buf[256];

    return apr_psprintf(p, "%s: %s", path, apr_strerror(rv, buf, sizeof(buf)));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in `dir` not starting with '.', sorted, and their types. */
static apr_status_t list_dir(apr_pool_t *p, const char *dir,
                             apr_array_header_t **names, const char **error)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;

    rv = apr_dir_open(&d, dir, p);
    if (rv != APR_SUCCESS) {
        *error = ioerr(p, dir, rv);
        return rv;
    }
    *names = apr_array_make(p, 8, sizeof(const char *));
    for (;;) {
        rv = apr_dir_read(&fi, APR_FINFO_NAME, d);
        if (APR_STATUS_IS_ENOENT(rv)) {
            rv = APR_SUCCESS;
            break;
        }
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            *error = ioerr(p, dir, rv);
            break;
        }
        if (fi.name && fi.name[0] != '.') {
            *(const char **)apr_array_push(*names) = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(d);
    qsort((*names)->elts, (size_t)(*names)->nelts, sizeof(const char *),
          by_name);
    return rv;
}

static apr_status_t read_json(apr_pool_t *p, const char *path,
                              struct json_object **obj, const char **error)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t got = 0, end;
    struct json_tokener *tok;
    char *buf;

    *obj = NULL;
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (rv != APR_SUCCESS) {
        *error = ioerr(p, path, rv);
        return rv;
    }
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    if (rv == APR_SUCCESS && fi.size > (apr_off_t)SHOP_I18N_MAX_FILE) {
        apr_file_close(f);
        *error = apr_psprintf(p, "%s: larger than %" APR_SIZE_T_FMT " bytes",
                              path, SHOP_I18N_MAX_FILE);
        return APR_EINVAL;
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)fi.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
        if (rv == APR_EOF && got == (apr_size_t)fi.size) {
            rv = APR_SUCCESS;
        }
    }
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *error = ioerr(p, path, rv);
        return rv;
    }
    tok = json_tokener_new_ex(4);
    if (tok == NULL) {
        return APR_ENOMEM;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    *obj = json_tokener_parse_ex(tok, buf, (int)got);
    end = json_tokener_get_parse_end(tok);
    while (*obj && end < got && (buf[end] == ' ' || buf[end] == '\t'
                                 || buf[end] == '\n' || buf[end] == '\r')) {
        end++;
    }
    if (*obj == NULL || end != got) {
        *error = apr_psprintf(p, "%s: invalid JSON at byte %lu: %s", path,
                              (unsigned long)json_tokener_get_parse_end(tok),
                              *obj ? "data after the object"
                                   : json_tokener_error_desc(
                                         json_tokener_get_error(tok)));
        json_object_put(*obj);
        *obj = NULL;
        json_tokener_free(tok);
        return APR_EINVAL;
    }
    json_tokener_free(tok);
    if (!json_object_is_type(*obj, json_type_object)) {
        *error = apr_psprintf(p, "%s: not a JSON object", path);
        json_object_put(*obj);
        *obj = NULL;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

static apr_status_t load_lang(apr_pool_t *ptemp, const char *dir,
                              lang_t *lang,
                              const char **error)
{
    apr_array_header_t *names;
    apr_hash_t *origin = apr_hash_make(ptemp);     /* key -> file */
    apr_status_t rv;
    int i;

    rv = list_dir(ptemp, dir, &names, error);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    for (i = 0; i < names->nelts; i++) {
        const char *name = ((const char **)names->elts)[i];
        apr_size_t n = strlen(name);
        const char *path;
        struct json_object *obj;
        apr_finfo_t st;

        if (n <= 5 || strcmp(name + n - 5, ".json") != 0) {
            continue;
        }
        path = apr_pstrcat(ptemp, dir, "/", name, NULL);
        rv = apr_stat(&st, path, APR_FINFO_TYPE, ptemp);
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            *error = ioerr(ptemp, path, rv);
            return rv;
        }
        if (st.filetype != APR_REG) {
            continue;
        }
        rv = read_json(ptemp, path, &obj, error);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        json_object_object_foreach(obj, key, val) {
            const char *seen = apr_hash_get(origin, key, APR_HASH_KEY_STRING);

            if (!valid_key(key)) {
                *error = apr_psprintf(ptemp, "%s: key '%.*s' is not "
                                      "snake_case", path, 64, key);
                rv = APR_EINVAL;
            }
            else if (!json_object_is_type(val, json_type_string)) {
                *error = apr_psprintf(ptemp, "%s: the value of '%s' is not a "
                                      "string", path, key);
                rv = APR_EINVAL;
            }
            else if (seen) {
                *error = apr_psprintf(ptemp, "duplicate key '%s' in %s and %s",
                                      key, seen, path);
                rv = APR_EINVAL;
            }
            if (rv != APR_SUCCESS) {
                break;
            }
            apr_hash_set(origin, apr_pstrdup(ptemp, key), APR_HASH_KEY_STRING,
                         path);
            json_object_object_add(lang->strings, key, json_object_get(val));
        }
        json_object_put(obj);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return APR_SUCCESS;
}

static lang_t *new_lang(apr_pool_t *pool, const char *code)
{
    lang_t *lang = apr_pcalloc(pool, sizeof(*lang));

    lang->code = apr_pstrdup(pool, code);
    lang->strings = json_object_new_object();
    apr_pool_cleanup_register(pool, lang->strings, put_json,
                              apr_pool_cleanup_null);
    return lang;
}

apr_status_t shop_i18n_load(apr_pool_t *pool, const char *langdir,
                            shop_i18n_t **out, const char **error)
{
    shop_i18n_t *i18n;
    apr_array_header_t *names;
    apr_pool_t *ptemp;
    apr_status_t rv;
    apr_hash_index_t *hi;
    const char *dummy;
    int i;

    if (error == NULL) {
        error = &dummy;
    }
    *error = NULL;
    *out = NULL;
    if (langdir == NULL) {
        *error = "shop_i18n_load: NULL directory";
        return APR_EINVAL;
    }
    rv = apr_pool_create(&ptemp, pool);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    i18n = apr_pcalloc(pool, sizeof(*i18n));
    i18n->langs = apr_hash_make(pool);
    rv = list_dir(ptemp, langdir, &names, error);
    for (i = 0; rv == APR_SUCCESS && i < names->nelts; i++) {
        const char *name = ((const char **)names->elts)[i];
        const char *path = apr_pstrcat(ptemp, langdir, "/", name, NULL);
        apr_finfo_t st;
        lang_t *lang;

        rv = apr_stat(&st, path, APR_FINFO_TYPE, ptemp);
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            *error = ioerr(ptemp, path, rv);
            break;
        }
        rv = APR_SUCCESS;
        if (st.filetype != APR_DIR) {
            continue;
        }
        if (!valid_code(name)) {
            *error = apr_psprintf(ptemp, "%s: not a language code (lower-case "
                                  "letters, digits, '_')", path);
            rv = APR_EINVAL;
            break;
        }
        lang = new_lang(pool, name);
        rv = load_lang(ptemp, path, lang, error);
        apr_hash_set(i18n->langs, lang->code, APR_HASH_KEY_STRING, lang);
    }
    if (rv == APR_SUCCESS) {
        i18n->en = apr_hash_get(i18n->langs, SHOP_I18N_FALLBACK,
                                APR_HASH_KEY_STRING);
        if (i18n->en == NULL) {
            *error = apr_psprintf(ptemp, "%s: no '" SHOP_I18N_FALLBACK
                                  "' language", langdir);
            rv = APR_EINVAL;
        }
    }
    if (rv == APR_SUCCESS) {
        for (hi = apr_hash_first(ptemp, i18n->langs); hi;
             hi = apr_hash_next(hi)) {
            lang_t *lang = apr_hash_this_val(hi);

            if (lang != i18n->en) {
                json_object_object_foreach(i18n->en->strings, key, val) {
                    if (!json_object_object_get_ex(lang->strings, key, NULL)) {
                        json_object_object_add(lang->strings, key,
                                               json_object_get(val));
                    }
                }
            }
            lang->context = json_object_new_object();
            apr_pool_cleanup_register(pool, lang->context, put_json,
                                      apr_pool_cleanup_null);
            json_object_object_add(lang->context, "str",
                                   json_object_get(lang->strings));
            json_object_object_add(lang->context, "lang",
                                   json_object_new_string(lang->code));
        }
        *out = i18n;
    }
    if (rv != APR_SUCCESS && *error) {
        *error = apr_pstrdup(pool, *error);
    }
    apr_pool_destroy(ptemp);
    return rv;
}

static const lang_t *find_lang(const shop_i18n_t *i18n, const char *code)
{
    if (i18n == NULL || code == NULL) {
        return NULL;
    }
    return apr_hash_get(i18n->langs, code, APR_HASH_KEY_STRING);
}

int shop_i18n_has_lang(const shop_i18n_t *i18n, const char *lang)
{
    return find_lang(i18n, lang) != NULL;
}

struct json_object *shop_i18n_strings(const shop_i18n_t *i18n,
                                      const char *lang)
{
    const lang_t *l = find_lang(i18n, lang);

    return l ? l->strings : NULL;
}

struct json_object *shop_i18n_context(const shop_i18n_t *i18n,
                                      const char *lang)
{
    const lang_t *l = find_lang(i18n, lang);

    return l ? l->context : NULL;
}

const char *shop_i18n_get(const shop_i18n_t *i18n, const char *lang,
                          const char *key)
{
    const lang_t *l = find_lang(i18n, lang);
    struct json_object *v;

    if (key == NULL) {
        return "";
    }
    if (l && json_object_object_get_ex(l->strings, key, &v)) {
        return json_object_get_string(v);
    }
    if (i18n && i18n->en
        && json_object_object_get_ex(i18n->en->strings, key, &v)) {
        return json_object_get_string(v);
    }
    return key;
}

/* The loaded language for a tag of `len` bytes: the whole tag, else its
 * first subtag.  NULL when neither is loaded or the tag is not made of
 * letters, digits, '-' and '_'. */
static const lang_t *match(const shop_i18n_t *i18n, const char *tag,
                           apr_size_t len)
{
    char code[SHOP_I18N_MAX_CODE + 1];
    const lang_t *l;
    apr_size_t i, main_len = 0;

    if (len == 0 || len > SHOP_I18N_MAX_CODE) {
        return NULL;
    }
    for (i = 0; i < len; i++) {
        char c = tag[i];

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        else if (c == '-') {
            c = '_';
        }
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                   || c == '_')) {
            return NULL;
        }
        if (c == '_' && main_len == 0) {
            main_len = i;
        }
        code[i] = c;
    }
    code[len] = '\0';
    l = apr_hash_get(i18n->langs, code, (apr_ssize_t)len);
    if (l == NULL && main_len > 0) {
        l = apr_hash_get(i18n->langs, code, (apr_ssize_t)main_len);
    }
    return l;
}

static int ows(char c)
{
    return c == ' ' || c == '\t';
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
 * thousandths; -1 when malformed. */
static int qvalue(const char *s, apr_size_t len)
{
    int q, scale = 100;
    apr_size_t i;

    if (len == 0 || (s[0] != '0' && s[0] != '1')) {
        return -1;
    }
    q = (s[0] - '0') * 1000;
    if (len == 1) {
        return q;
    }
    if (s[1] != '.' || len > 5) {
        return -1;
    }
    for (i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        q += (s[i] - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? -1 : q;
}

static const lang_t *match_accept(const shop_i18n_t *i18n, const char *h)
{
    const lang_t *best = NULL;
    int bestq = 0, ranges = 0;

    while (*h && ranges < SHOP_I18N_MAX_RANGES) {
        const char *tag;
        apr_size_t tlen;
        int q = 1000, ok = 1;

        while (*h == ',' || ows(*h)) {
            h++;
        }
        if (*h == '\0') {
            break;
        }
        tag = h;
        while (*h && *h != ',' && *h != ';' && !ows(*h)) {
            h++;
        }
        tlen = (apr_size_t)(h - tag);
        while (ows(*h)) {
            h++;
        }
        while (*h == ';') {
            const char *pname, *pval;
            apr_size_t plen;

            h++;
            while (ows(*h)) {
                h++;
            }
            pname = h;
            while (*h && *h != '=' && *h != ';' && *h != ',' && !ows(*h)) {
                h++;
            }
            plen = (apr_size_t)(h - pname);
            while (ows(*h)) {
                h++;
            }
            if (*h != '=') {
                ok = 0;
                continue;
            }
            h++;
            while (ows(*h)) {
                h++;
            }
            pval = h;
            while (*h && *h != ';' && *h != ',' && !ows(*h)) {
                h++;
            }
            if (plen == 1 && (pname[0] == 'q' || pname[0] == 'Q')) {
                q = qvalue(pval, (apr_size_t)(h - pval));
                ok = ok && q >= 0;
            }
            while (ows(*h)) {
                h++;
            }
        }
        if (*h != ',' && *h != '\0') {
            /* junk after the range: skip the element */
            ok = 0;
            while (*h && *h != ',') {
                h++;
            }
        }
        ranges++;
        if (ok && q > bestq && !(tlen == 1 && tag[0] == '*')) {
            const lang_t *l = match(i18n, tag, tlen);

            if (l) {
                best = l;
                bestq = q;
            }
        }
    }
    return best;
}

const char *shop_i18n_negotiate(const shop_i18n_t *i18n,
                                const char *moodle_lang,
                                const char *accept_language,
                                const char *default_lang)
{
    const lang_t *l = NULL;

    if (i18n == NULL) {
        return SHOP_I18N_FALLBACK;
    }
    if (moodle_lang) {
        l = match(i18n, moodle_lang, strlen(moodle_lang));
    }
    if (l == NULL && accept_language) {
        l = match_accept(i18n, accept_language);
    }
    if (l == NULL && default_lang) {
        l = match(i18n, default_lang, strlen(default_lang));
    }
    if (l == NULL) {
        l = i18n->en;
    }
    return l ? l->code : SHOP_I18N_FALLBACK;
}

const char *shop_i18n_label(const shop_i18n_t *i18n, apr_pool_t *p, const char *lang, const char *prefix,
                            const char *code)
{
    char *key = apr_pstrcat(p, prefix, code, NULL);
    for (char *c = key + strlen(prefix); *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    const char *label = shop_i18n_get(i18n, lang, key);
    return strcmp(label, key) ? label : code;
}
