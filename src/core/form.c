/*
 * form.c -- see form.h.
 */
#include "core/form.h"
#include "core/crypto.h"
#include "core/limits.h"

#include <string.h>

#include <apr_strings.h>

int shop_utf8_valid(const char *str, apr_size_t len, apr_size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        apr_size_t n, k;
        unsigned char lo = 0x80, hi = 0xBF;   /* range of the 2nd byte */

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;                    /* overlong */
            else if (c == 0xED)
                hi = 0x9F;                    /* UTF-16 surrogates */
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;                    /* overlong */
            else if (c == 0xF4)
                hi = 0x8F;                    /* above U+10FFFF */
        }
        else
            goto fail;                        /* 80..C1, F5..FF */
        if (len - i <= n)
            goto fail;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto fail;
        for (k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                goto fail;
        i += n + 1;
    }
    return 1;

fail:
    if (bad)
        *bad = i;
    return 0;
}

/* Decode src[0..len) into dst (room for len + 1).  Returns the decoded
 * length, or -1 with *why set; *where is the offset in src of the fault. */
static apr_ssize_t decode(const char *src, apr_size_t len, char *dst,
                          const char **why, apr_size_t *where)
{
    apr_size_t i, o = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            int hi, lo;
            if (len - i < 3
                || (hi = shop_hex_digit((unsigned char)src[i + 1])) < 0
                || (lo = shop_hex_digit((unsigned char)src[i + 2])) < 0) {
                *why = "invalid percent escape";
                *where = i;
                return -1;
            }
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (c == '\0') {
            *why = "NUL byte";
            *where = i;
            return -1;
        }
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
    return (apr_ssize_t)o;
}

apr_status_t shop_form_parse(apr_pool_t *p, const char *data, apr_size_t len,
                             apr_table_t **out, const char **error)
{
    return shop_form_parse_ex(p, data, len, NULL, out, error);
}

apr_status_t shop_form_parse_query(apr_pool_t *p, const char *args,
                                   apr_table_t **out, const char **error)
{
    shop_form_limits_t lim = { 0, 0, SHOP_MAX_QUERY_STRING };

    return shop_form_parse_ex(p, args, args ? strlen(args) : 0, &lim, out, error);
}

apr_status_t shop_form_parse_ex(apr_pool_t *p, const char *data, apr_size_t len,
                                const shop_form_limits_t *lim,
                                apr_table_t **out, const char **error)
{
    int max_fields = SHOP_MAX_FORM_FIELDS;
    apr_size_t max_name = SHOP_MAX_FIELD_NAME, max_bytes = SHOP_MAX_BODY_FORM;
    apr_table_t *t;
    apr_size_t pos = 0;
    int fields = 0;
    char *buf;
    const char *msg = NULL;
    apr_status_t rv = APR_SUCCESS;

    *out = NULL;
    if (lim) {
        if (lim->max_fields > 0)
            max_fields = lim->max_fields;
        if (lim->max_name > 0)
            max_name = lim->max_name;
        if (lim->max_bytes > 0)
            max_bytes = lim->max_bytes;
    }
    if (data == NULL && len) {
        msg = "no data";
        rv = APR_EINVAL;
        goto done;
    }
    if (len > max_bytes) {
        msg = "form data too large";
        rv = APR_ENOSPC;
        goto done;
    }
    t = apr_table_make(p, 8);
    /* one scratch copy holds every decoded name and value: decoding
     * never grows a string, and each pair is at most len bytes */
    buf = apr_palloc(p, len + 2);

    while (pos < len) {
        const char *pair = data + pos;
        const char *amp = memchr(pair, '&', len - pos);
        apr_size_t plen = amp ? (apr_size_t)(amp - pair) : len - pos;
        const char *eq = memchr(pair, '=', plen);
        apr_size_t nlen = eq ? (apr_size_t)(eq - pair) : plen;
        apr_size_t vlen = eq ? plen - nlen - 1 : 0;
        apr_ssize_t dn, dv;
        apr_size_t where = 0, bad = 0, k;
        const char *why = NULL;
        char *name, *value;

        pos += plen + 1;
        if (plen == 0)
            continue;
        if (++fields > max_fields) {
            msg = apr_psprintf(p, "too many fields (max %d)", max_fields);
            rv = APR_ENOSPC;
            goto done;
        }
        name = buf;
        dn = decode(pair, nlen, name, &why, &where);
        if (dn < 0) {
            msg = apr_psprintf(p, "%s in field name at byte %" APR_SIZE_T_FMT,
                               why, (apr_size_t)(pair - data) + where);
            rv = APR_EINVAL;
            goto done;
        }
        if (dn == 0) {
            msg = apr_psprintf(p, "empty field name at byte %" APR_SIZE_T_FMT,
                               (apr_size_t)(pair - data));
            rv = APR_EINVAL;
            goto done;
        }
        if ((apr_size_t)dn > max_name) {
            msg = apr_psprintf(p, "field name too long (max %" APR_SIZE_T_FMT
                               " bytes)", max_name);
            rv = APR_ENOSPC;
            goto done;
        }
        for (k = 0; k < (apr_size_t)dn; k++) {
            unsigned char c = (unsigned char)name[k];
            if (c < 0x20 || c == 0x7f) {
                msg = "control character in field name";
                rv = APR_EINVAL;
                goto done;
            }
        }
        if (!shop_utf8_valid(name, (apr_size_t)dn, &bad)) {
            msg = "invalid UTF-8 in field name";
            rv = APR_EINVAL;
            goto done;
        }
        value = name + dn + 1;
        dv = decode(eq ? eq + 1 : "", vlen, value, &why, &where);
        if (dv < 0) {
            msg = apr_psprintf(p, "%s in value of '%s' at byte %" APR_SIZE_T_FMT,
                               why, name, (apr_size_t)(eq + 1 - data) + where);
            rv = APR_EINVAL;
            goto done;
        }
        if (!shop_utf8_valid(value, (apr_size_t)dv, &bad)) {
            msg = apr_psprintf(p, "invalid UTF-8 in value of '%s'", name);
            rv = APR_EINVAL;
            goto done;
        }
        apr_table_add(t, name, value);
    }
    *out = t;

done:
    if (rv != APR_SUCCESS && error)
        *error = msg;
    return rv;
}
