/* Route matching and parameter types: see router.h.  The table itself is in
 * routes.c. */
#include "web/router.h"

#include <apr_strings.h>
#include <apr_lib.h>

#define MAX_CAPTURES 4

/* Match one pattern; captures are copied into the pool. */
static int pattern_match(apr_pool_t *pool, const char *pattern, const char *path,
                         const char **captures)
{
    int ncap = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            if (!seg_end) seg_end = s + strlen(s);
            if (!close || seg_end == s || ncap >= MAX_CAPTURES) return 0;
            captures[ncap++] = apr_pstrndup(pool, s, seg_end - s);
            p = close + 1;
            s = seg_end;
            continue;
        }
        if (*p != *s) return 0;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

static int method_admits(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0
        || (strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

const shop_route_t *shop_route_match(apr_pool_t *pool, const char *method, const char *path,
                                     const char **captures, int *path_known, const char **allow)
{
    *path_known = 0;
    *allow = NULL;
    const char *scratch[MAX_CAPTURES];
    for (const shop_route_t *const *table = shop_route_tables; *table; table++) {
        for (const shop_route_t *rt = *table; rt->pattern; rt++) {
            if (!pattern_match(pool, rt->pattern, path, scratch)) continue;
            if (method_admits(rt->method, method)) {
                for (int i = 0; i < MAX_CAPTURES; i++) captures[i] = scratch[i];
                return rt;
            }
            *path_known = 1;
            *allow = *allow ? apr_pstrcat(pool, *allow, ", ", rt->method, NULL) : rt->method;
            if (strcmp(rt->method, "GET") == 0) *allow = apr_pstrcat(pool, *allow, ", HEAD", NULL);
        }
    }
    return NULL;
}

/* Well-formed UTF-8 without C0 controls other than tab/newline, or DEL. */
static int clean_text(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return 0;
            s++;
            continue;
        }
        int extra = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c <= 0xdf ? 1 : -1;
        if (extra < 0) return 0;
        unsigned cp = c & (0x3f >> extra);
        for (int i = 1; i <= extra; i++) {
            if ((s[i] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        s += extra + 1;
    }
    return 1;
}

const char *shop_param_check(const shop_param_t *p, const char *value)
{
    size_t n = strlen(value);
    if (p->maxlen > 0 && n > (size_t)p->maxlen) return "too long";
    switch (p->type) {
    case SHOP_P_ID:
    case SHOP_P_INT: {
        const char *c = value;
        if (p->type == SHOP_P_INT && *c == '-') c++;
        if (!*c || n > 18) return "not a whole number";
        for (; *c; c++)
            if (!apr_isdigit(*c)) return "not a whole number";
        if (p->type == SHOP_P_ID && apr_atoi64(value) < 1) return "not a valid id";
        return NULL;
    }
    case SHOP_P_CODE:
    case SHOP_P_TOKEN:
        if (!n) return "empty";
        for (const char *c = value; *c; c++)
            if (!(apr_isalnum(*c) || *c == '_' || *c == '-' || (p->type == SHOP_P_TOKEN && *c == '.')))
                return "contains characters that are not allowed";
        return NULL;
    case SHOP_P_LOCALPATH:
        if (value[0] != '/' || value[1] == '/' || value[1] == '\\' || strpbrk(value, "\\\r\n"))
            return "not a local path";
        return clean_text((const unsigned char *)value) ? NULL : "invalid characters";
    case SHOP_P_TEXT:
        return clean_text((const unsigned char *)value) ? NULL : "invalid characters";
    }
    return "unknown parameter type";
}
