/*
 * cookie.c -- see cookie.h.
 */
#include "core/cookie.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

/* RFC 7230 tchar */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 cookie-octet */
static int is_cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A)
        || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

/* a equals the ASCII literal lit ignoring ASCII case (no locale) */
static int ieq(const char *a, const char *lit)
{
    for (; *a && *lit; a++, lit++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*lit;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *lit;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

apr_array_header_t *shop_cookie_parse(apr_pool_t *p, const char *header)
{
    apr_array_header_t *jar = apr_array_make(p, 8, sizeof(shop_cookie_t));
    const char *s = header;
    int seen = 0;

    if (s == NULL || strlen(s) > SHOP_MAX_COOKIE_HEADER)
        return jar;
    while (*s && seen < SHOP_MAX_COOKIES) {
        const char *end = strchr(s, ';');
        const char *pe = end ? end : s + strlen(s);
        const char *n0 = s, *n1, *v0, *v1, *c;
        shop_cookie_t *ck;
        int ok = 1;

        s = end ? end + 1 : pe;
        while (n0 < pe && is_blank(*n0))
            n0++;
        if (n0 == pe)
            continue;                     /* empty pair: "a=1;; b=2" */
        seen++;
        v0 = memchr(n0, '=', (apr_size_t)(pe - n0));
        if (v0 == NULL)
            continue;
        n1 = v0++;
        while (n1 > n0 && is_blank(n1[-1]))
            n1--;
        v1 = pe;
        while (v0 < v1 && is_blank(*v0))
            v0++;
        while (v1 > v0 && is_blank(v1[-1]))
            v1--;
        if (v1 - v0 >= 2 && *v0 == '"' && v1[-1] == '"') {
            v0++;
            v1--;
        }
        if (n1 == n0 || n1 - n0 > SHOP_MAX_COOKIE_NAME
            || v1 - v0 > SHOP_MAX_COOKIE_VALUE)
            continue;
        for (c = n0; c < n1 && ok; c++)
            ok = is_tchar((unsigned char)*c);
        for (c = v0; c < v1 && ok; c++)
            ok = (unsigned char)*c >= 0x20 && *c != 0x7f;
        if (!ok)
            continue;
        ck = apr_array_push(jar);
        ck->name = apr_pstrmemdup(p, n0, (apr_size_t)(n1 - n0));
        ck->value = apr_pstrmemdup(p, v0, (apr_size_t)(v1 - v0));
    }
    return jar;
}

const char *shop_cookie_get(const apr_array_header_t *jar, const char *name)
{
    int i;

    if (jar == NULL || name == NULL)
        return NULL;
    for (i = 0; i < jar->nelts; i++) {
        const shop_cookie_t *ck = &APR_ARRAY_IDX(jar, i, shop_cookie_t);
        if (strcmp(ck->name, name) == 0)
            return ck->value;
    }
    return NULL;
}

apr_array_header_t *shop_cookie_all(apr_pool_t *p, const apr_array_header_t *jar,
                                    const char *name)
{
    apr_array_header_t *vals = apr_array_make(p, 2, sizeof(const char *));
    int i;

    if (jar == NULL || name == NULL)
        return vals;
    for (i = 0; i < jar->nelts; i++) {
        const shop_cookie_t *ck = &APR_ARRAY_IDX(jar, i, shop_cookie_t);
        if (strcmp(ck->name, name) == 0)
            APR_ARRAY_PUSH(vals, const char *) = ck->value;
    }
    return vals;
}

const char *shop_cookie_find(apr_pool_t *p, const char *header, const char *name)
{
    return shop_cookie_get(shop_cookie_parse(p, header), name);
}

const char *shop_cookie_format(apr_pool_t *p, const char *name, const char *value,
                               const char *path, long max_age, unsigned flags,
                               const char *samesite)
{
    const char *ss = NULL, *c;
    apr_size_t nlen, vlen;

    if (name == NULL || value == NULL || max_age < -1
        || (flags & ~(unsigned)(SHOP_COOKIE_SECURE | SHOP_COOKIE_HTTPONLY)))
        return NULL;
    nlen = strlen(name);
    vlen = strlen(value);
    if (nlen == 0 || nlen > SHOP_MAX_COOKIE_NAME || vlen > SHOP_MAX_COOKIE_VALUE)
        return NULL;
    for (c = name; *c; c++)
        if (!is_tchar((unsigned char)*c))
            return NULL;
    for (c = value; *c; c++)
        if (!is_cookie_octet((unsigned char)*c))
            return NULL;
    if (path) {
        if (path[0] != '/' || strlen(path) > SHOP_MAX_REDIRECT_PATH)
            return NULL;
        for (c = path; *c; c++)
            if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f
                || *c == ';' || *c == ',')
                return NULL;
    }
    if (samesite) {
        if (ieq(samesite, "Lax"))
            ss = "Lax";
        else if (ieq(samesite, "Strict"))
            ss = "Strict";
        else if (ieq(samesite, "None") && (flags & SHOP_COOKIE_SECURE))
            ss = "None";
        else
            return NULL;
    }
    /* browsers drop prefixed cookies that break their rules: fail loudly here */
    if (strncmp(name, "__Secure-", 9) == 0 && !(flags & SHOP_COOKIE_SECURE))
        return NULL;
    if (strncmp(name, "__Host-", 7) == 0
        && (!(flags & SHOP_COOKIE_SECURE) || path == NULL || strcmp(path, "/") != 0))
        return NULL;

    return apr_pstrcat(p, name, "=", value,
                       path ? "; Path=" : "", path ? path : "",
                       max_age >= 0 ? apr_psprintf(p, "; Max-Age=%ld", max_age) : "",
                       (flags & SHOP_COOKIE_SECURE) ? "; Secure" : "",
                       (flags & SHOP_COOKIE_HTTPONLY) ? "; HttpOnly" : "",
                       ss ? "; SameSite=" : "", ss ? ss : "",
                       NULL);
}
