/*
 * multipart.c -- see multipart.h.
 */
#include "core/multipart.h"
#include "core/form.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

#define MAX_PART_CONTENT_TYPE 255

static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* s[0..len) equals the lowercase ASCII literal lit, ignoring ASCII case
 * (no locale: strncasecmp follows LC_CTYPE) */
static int ieq(const char *s, apr_size_t len, const char *lit)
{
    apr_size_t i;

    if (strlen(lit) != len)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c != (unsigned char)lit[i])
            return 0;
    }
    return 1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 2046 bchars */
static int is_bchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static int boundary_ok(const char *b, apr_size_t len)
{
    apr_size_t i;

    if (len == 0 || len > SHOP_MAX_BOUNDARY || b[len - 1] == ' ')
        return 0;
    for (i = 0; i < len; i++)
        if (!is_bchar((unsigned char)b[i]))
            return 0;
    return 1;
}

/* First occurrence of needle[0..nlen) in hay[0..hlen), or NULL.  The
 * needles used here start with '\r' and (delimiters) hold no other CR, so
 * the memchr walk stays linear in hlen. */
static const char *find(const char *hay, apr_size_t hlen,
                        const char *needle, apr_size_t nlen)
{
    const char *s = hay, *end = hay + hlen;

    while ((apr_size_t)(end - s) >= nlen) {
        s = memchr(s, needle[0], (apr_size_t)(end - s) - nlen + 1);
        if (s == NULL)
            return NULL;
        if (memcmp(s, needle, nlen) == 0)
            return s;
        s++;
    }
    return NULL;
}

/* Parse ";" separated name=value parameters in s[0..end) into params
 * (lowercase keys are not needed: apr tables ignore case).  Values are
 * tokens or quoted strings; quoted_pair says whether '\' escapes inside
 * quotes (RFC 7230) or is literal (browsers' Content-Disposition).
 * Returns NULL, or what is wrong. */
static const char *parse_params(apr_pool_t *p, const char *s, const char *end,
                                int quoted_pair, apr_table_t *params)
{
    for (;;) {
        const char *n0, *n1, *v0;
        char *val, *o;

        while (s < end && is_blank(*s))
            s++;
        if (s == end)
            return NULL;
        if (*s != ';')
            return "expected ';' between parameters";
        s++;
        while (s < end && is_blank(*s))
            s++;
        if (s == end || *s == ';')
            continue;
        n0 = s;
        while (s < end && is_tchar((unsigned char)*s))
            s++;
        n1 = s;
        if (n1 == n0)
            return "bad parameter name";
        while (s < end && is_blank(*s))
            s++;
        if (s == end || *s != '=')
            return "parameter without value";
        s++;
        while (s < end && is_blank(*s))
            s++;
        if (s < end && *s == '"') {
            v0 = ++s;
            o = val = apr_palloc(p, (apr_size_t)(end - v0) + 1);
            while (s < end && *s != '"') {
                if (quoted_pair && *s == '\\') {
                    if (++s == end)
                        break;
                }
                *o++ = *s++;
            }
            if (s == end)
                return "unterminated quoted string";
            s++;
            *o = '\0';
        }
        else {
            v0 = s;
            while (s < end && !is_blank(*s) && *s != ';' && *s != '"'
                   && (unsigned char)*s > 0x20 && *s != 0x7f)
                s++;
            if (s == v0)
                return "empty parameter value";
            val = apr_pstrmemdup(p, v0, (apr_size_t)(s - v0));
        }
        {
            char *name = apr_pstrmemdup(p, n0, (apr_size_t)(n1 - n0));
            if (apr_table_get(params, name) != NULL)
                return apr_psprintf(p, "repeated parameter '%s'", name);
            apr_table_setn(params, name, val);
        }
    }
}

apr_status_t shop_multipart_boundary(apr_pool_t *p, const char *content_type,
                                     const char **boundary, const char **error)
{
    static const char want[] = "multipart/form-data";
    const char *s = content_type, *end, *t0, *b;
    const char *msg;
    apr_table_t *params;

    *boundary = NULL;
    if (s == NULL) {
        msg = "no Content-Type";
        goto fail;
    }
    end = s + strlen(s);
    while (s < end && is_blank(*s))
        s++;
    t0 = s;
    while (s < end && (is_tchar((unsigned char)*s) || *s == '/'))
        s++;
    if (!ieq(t0, (apr_size_t)(s - t0), want)) {
        msg = "Content-Type is not multipart/form-data";
        goto fail;
    }
    params = apr_table_make(p, 4);
    if ((msg = parse_params(p, s, end, 1, params)) != NULL)
        goto fail;
    b = apr_table_get(params, "boundary");
    if (b == NULL) {
        msg = "no boundary parameter";
        goto fail;
    }
    if (!boundary_ok(b, strlen(b))) {
        msg = "invalid boundary";
        goto fail;
    }
    *boundary = b;
    return APR_SUCCESS;

fail:
    if (error)
        *error = msg;
    return APR_EINVAL;
}

static int text_ok(const char *s, apr_size_t len, apr_size_t max)
{
    apr_size_t i;

    if (len > max)
        return 0;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return shop_utf8_valid(s, len, NULL);
}

/* Parse the header block h[0..hlen) (lines, each without its CRLF, the
 * last one followed by CRLF too) into part.  NULL or what is wrong. */
static const char *parse_headers(apr_pool_t *p, const char *h, apr_size_t hlen,
                                 shop_part_t *part)
{
    const char *s = h, *end = h + hlen;
    int have_cd = 0;

    part->content_type = NULL;
    while (s < end) {
        const char *eol = find(s, (apr_size_t)(end - s), "\r\n", 2);
        const char *n0 = s, *v0, *v1, *c;
        apr_size_t nlen;

        if (eol == NULL)
            eol = end;
        if (is_blank(*s))
            return "folded part header";
        while (s < eol && is_tchar((unsigned char)*s))
            s++;
        nlen = (apr_size_t)(s - n0);
        if (nlen == 0 || s == eol || *s != ':')
            return "malformed part header";
        v0 = s + 1;
        v1 = eol;
        for (c = v0; c < v1; c++)
            if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
                return "control character in part header";
        while (v0 < v1 && is_blank(*v0))
            v0++;
        while (v1 > v0 && is_blank(v1[-1]))
            v1--;
        s = eol + 2;

        if (ieq(n0, nlen, "content-disposition")) {
            const char *t0 = v0, *name, *fn;
            apr_table_t *params = apr_table_make(p, 4);
            const char *msg;

            if (have_cd++)
                return "repeated Content-Disposition";
            while (v0 < v1 && is_tchar((unsigned char)*v0))
                v0++;
            if (!ieq(t0, (apr_size_t)(v0 - t0), "form-data"))
                return "part is not form-data";
            if ((msg = parse_params(p, v0, v1, 0, params)) != NULL)
                return msg;
            name = apr_table_get(params, "name");
            if (name == NULL || *name == '\0')
                return "part without a name";
            if (!text_ok(name, strlen(name), SHOP_MAX_FIELD_NAME))
                return "invalid part name";
            part->name = name;
            fn = apr_table_get(params, "filename");
            if (fn) {
                const char *base = fn, *k;
                for (k = fn; *k; k++)
                    if (*k == '/' || *k == '\\')
                        base = k + 1;
                if (!text_ok(base, strlen(base), SHOP_MAX_FILENAME))
                    return "invalid filename";
                fn = base;
            }
            part->filename = fn;
        }
        else if (ieq(n0, nlen, "content-type")) {
            if (part->content_type)
                return "repeated Content-Type";
            if (v1 == v0 || v1 - v0 > MAX_PART_CONTENT_TYPE)
                return "invalid part Content-Type";
            for (c = v0; c < v1; c++)
                if ((unsigned char)*c >= 0x7f)
                    return "invalid part Content-Type";
            part->content_type = apr_pstrmemdup(p, v0, (apr_size_t)(v1 - v0));
        }
    }
    if (!have_cd)
        return "part without Content-Disposition";
    if (part->content_type == NULL)
        part->content_type = "text/plain";
    return NULL;
}

apr_status_t shop_multipart_parse(apr_pool_t *p, const char *body, apr_size_t len,
                                  const char *boundary,
                                  const shop_multipart_limits_t *lim,
                                  apr_array_header_t **parts, const char **error)
{
    int max_parts = SHOP_MAX_MULTIPART_PARTS, max_files = SHOP_MAX_UPLOAD_PARTS;
    apr_size_t max_file = SHOP_MAX_UPLOAD_PART, max_field = SHOP_MAX_MULTIPART_FIELD;
    apr_size_t max_total = SHOP_MAX_BODY_UPLOAD;
    apr_array_header_t *arr;
    const char *end = body + len, *s, *msg = NULL;
    char *delim;
    apr_size_t blen, dlen;
    int files = 0;
    apr_status_t rv = APR_EINVAL;

    *parts = NULL;
    if (lim) {
        if (lim->max_parts > 0)
            max_parts = lim->max_parts;
        if (lim->max_files > 0)
            max_files = lim->max_files;
        if (lim->max_file > 0)
            max_file = lim->max_file;
        if (lim->max_field > 0)
            max_field = lim->max_field;
        if (lim->max_total > 0)
            max_total = lim->max_total;
    }
    blen = boundary ? strlen(boundary) : 0;
    if (!boundary_ok(boundary, blen)) {
        msg = "invalid boundary";
        goto done;
    }
    if (body == NULL) {
        msg = "no body";
        goto done;
    }
    if (len > max_total) {
        msg = "upload too large";
        rv = APR_ENOSPC;
        goto done;
    }
    delim = apr_pstrcat(p, "\r\n--", boundary, NULL);
    dlen = blen + 4;
    arr = apr_array_make(p, 4, sizeof(shop_part_t));

    /* the first delimiter may open the body without its CRLF */
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
        s = body + dlen - 2;
    else if ((s = find(body, len, delim, dlen)) != NULL)
        s += dlen;
    else {
        msg = "boundary not found";
        goto done;
    }

    /* s is just past a delimiter */
    for (;;) {
        const char *hend, *next, *data;
        shop_part_t *part;
        apr_size_t hmax;

        if (end - s >= 2 && s[0] == '-' && s[1] == '-')
            break;                                  /* close delimiter */
        while (s < end && is_blank(*s))
            s++;
        if (end - s < 2 || s[0] != '\r' || s[1] != '\n') {
            msg = (s == end) ? "truncated body" : "boundary followed by garbage";
            goto done;
        }
        s += 2;
        if (arr->nelts >= max_parts) {
            msg = apr_psprintf(p, "too many parts (max %d)", max_parts);
            rv = APR_ENOSPC;
            goto done;
        }
        next = find(s, (apr_size_t)(end - s), delim, dlen);
        if (next == NULL) {
            msg = "truncated body (no closing boundary)";
            goto done;
        }
        part = apr_array_push(arr);
        memset(part, 0, sizeof *part);
        /* headers end with an empty line before the next delimiter */
        hmax = (apr_size_t)(next - s);
        if (hmax > SHOP_MAX_PART_HEADERS + 2)
            hmax = SHOP_MAX_PART_HEADERS + 2;
        if (hmax >= 2 && s[0] == '\r' && s[1] == '\n') {
            hend = s;
            data = s + 2;
        }
        else if ((hend = find(s, hmax, "\r\n\r\n", 4)) != NULL) {
            hend += 2;                              /* keep the last CRLF */
            data = hend + 2;
        }
        else {
            msg = (apr_size_t)(next - s) > SHOP_MAX_PART_HEADERS
                  ? "part headers too long" : "malformed part headers";
            goto done;
        }
        if ((msg = parse_headers(p, s, (apr_size_t)(hend - s), part)) != NULL)
            goto done;
        part->data = data;
        part->len = (apr_size_t)(next - data);
        if (part->filename) {
            if (++files > max_files) {
                msg = apr_psprintf(p, "too many files (max %d)", max_files);
                rv = APR_ENOSPC;
                goto done;
            }
            if (part->len > max_file) {
                msg = apr_psprintf(p, "file '%s' too large", part->name);
                rv = APR_ENOSPC;
                goto done;
            }
        }
        else if (part->len > max_field) {
            msg = apr_psprintf(p, "field '%s' too large", part->name);
            rv = APR_ENOSPC;
            goto done;
        }
        s = next + dlen;
    }
    *parts = arr;
    rv = APR_SUCCESS;

done:
    if (rv != APR_SUCCESS && error)
        *error = msg;
    return rv;
}

apr_status_t shop_multipart_fields(apr_pool_t *p, const apr_array_header_t *parts,
                                   apr_table_t *fields, const char **error)
{
    int i;

    for (i = 0; parts && i < parts->nelts; i++) {
        const shop_part_t *part = &APR_ARRAY_IDX(parts, i, shop_part_t);
        if (part->filename)
            continue;
        if (memchr(part->data, '\0', part->len) != NULL) {
            if (error)
                *error = apr_psprintf(p, "NUL byte in field '%s'", part->name);
            return APR_EINVAL;
        }
        if (!shop_utf8_valid(part->data, part->len, NULL)) {
            if (error)
                *error = apr_psprintf(p, "invalid UTF-8 in field '%s'", part->name);
            return APR_EINVAL;
        }
        apr_table_add(fields, part->name, apr_pstrmemdup(p, part->data, part->len));
    }
    return APR_SUCCESS;
}

const shop_part_t *shop_multipart_get(const apr_array_header_t *parts,
                                      const char *name)
{
    int i;

    for (i = 0; parts && name && i < parts->nelts; i++) {
        const shop_part_t *part = &APR_ARRAY_IDX(parts, i, shop_part_t);
        if (strcmp(part->name, name) == 0)
            return part;
    }
    return NULL;
}
