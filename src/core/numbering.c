/*
 * numbering.c -- see numbering.h.
 *
 * One scanner walks the format for both validation and formatting, so what
 * validates is exactly what formats.
 */
#include "core/numbering.h"

#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

typedef enum { TOK_LITERAL, TOK_YYYY, TOK_YY, TOK_COUNTER } tok_kind_t;

/* The token at *s: its kind, its length in the format, counter width. */
static shop_numfmt_status_t scan(const char *s, tok_kind_t *kind, size_t *len, int *width)
{
    const char *close;
    size_t n, i;

    if (*s != '{') {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
              || c == '-' || c == '_' || c == '.'))
            return c == '}' ? SHOP_NUMFMT_BAD_TOKEN : SHOP_NUMFMT_BAD_CHAR;
        *kind = TOK_LITERAL;
        *len = 1;
        return SHOP_NUMFMT_OK;
    }
    close = strchr(s, '}');
    if (close == NULL)
        return SHOP_NUMFMT_BAD_TOKEN;
    n = (size_t)(close - s - 1);
    *len = n + 2;
    if (n == 4 && strncmp(s + 1, "YYYY", 4) == 0) {
        *kind = TOK_YYYY;
        return SHOP_NUMFMT_OK;
    }
    if (n == 2 && strncmp(s + 1, "YY", 2) == 0) {
        *kind = TOK_YY;
        return SHOP_NUMFMT_OK;
    }
    if (n == 0 || n > SHOP_NUMBER_MAX_WIDTH)
        return SHOP_NUMFMT_BAD_TOKEN;
    for (i = 1; i <= n; i++)
        if (s[i] != 'N')
            return SHOP_NUMFMT_BAD_TOKEN;
    *kind = TOK_COUNTER;
    *width = (int)n;
    return SHOP_NUMFMT_OK;
}

/* Walk the format; with out (SHOP_NUMBER_MAX_LEN + 1 bytes) also format.
 * `base` is the length of the numbers whose counter fits its width: it must
 * fit the column, whatever the counter. */
static shop_numfmt_status_t walk(const char *format, int yearly_reset, int year, apr_int64_t counter,
                                 char *out)
{
    const char *s;
    int counters = 0, years = 0;
    size_t used = 0, base = 0;

    if (format == NULL || *format == '\0')
        return SHOP_NUMFMT_EMPTY;
    if (strlen(format) > SHOP_NUMBER_FORMAT_MAX)
        return SHOP_NUMFMT_TOO_LONG;
    for (s = format; *s;) {
        tok_kind_t kind;
        size_t len;
        int width = 0, w;
        char piece[32];
        shop_numfmt_status_t st = scan(s, &kind, &len, &width);

        if (st != SHOP_NUMFMT_OK)
            return st;
        switch (kind) {
        case TOK_LITERAL:
            piece[0] = *s;
            piece[1] = '\0';
            w = 1;
            break;
        case TOK_YYYY:
            years++;
            w = snprintf(piece, sizeof piece, "%04d", year);
            break;
        case TOK_YY:
            years++;
            w = snprintf(piece, sizeof piece, "%02d", year % 100);
            break;
        default:
            counters++;
            w = snprintf(piece, sizeof piece, "%0*" APR_INT64_T_FMT, width, counter);
            base += (size_t)width;
            break;
        }
        if (kind != TOK_COUNTER)
            base += (size_t)w;
        if (out) {
            if (used + (size_t)w > SHOP_NUMBER_MAX_LEN)
                return SHOP_NUMFMT_TOO_LONG;
            memcpy(out + used, piece, (size_t)w);
        }
        used += (size_t)w;
        s += len;
    }
    if (counters == 0)
        return SHOP_NUMFMT_NO_COUNTER;
    if (counters > 1)
        return SHOP_NUMFMT_MANY_COUNTERS;
    if (yearly_reset && years == 0)
        return SHOP_NUMFMT_NO_YEAR;
    if (base > SHOP_NUMBER_MAX_LEN)
        return SHOP_NUMFMT_TOO_LONG;
    if (out)
        out[used] = '\0';
    return SHOP_NUMFMT_OK;
}

shop_numfmt_status_t shop_numbering_validate(const char *format, int yearly_reset)
{
    /* a four-digit year and counter 1 stand for every number */
    return walk(format, yearly_reset, 2000, 1, NULL);
}

const char *shop_numbering_status_key(shop_numfmt_status_t st)
{
    switch (st) {
    case SHOP_NUMFMT_OK:            return NULL;
    case SHOP_NUMFMT_EMPTY:         return "numbering_error_empty";
    case SHOP_NUMFMT_TOO_LONG:      return "numbering_error_too_long";
    case SHOP_NUMFMT_BAD_CHAR:      return "numbering_error_bad_char";
    case SHOP_NUMFMT_BAD_TOKEN:     return "numbering_error_bad_token";
    case SHOP_NUMFMT_NO_COUNTER:    return "numbering_error_no_counter";
    case SHOP_NUMFMT_MANY_COUNTERS: return "numbering_error_many_counters";
    case SHOP_NUMFMT_NO_YEAR:       return "numbering_error_no_year";
    }
    return "numbering_error_bad_token";
}

const char *shop_numbering_format(apr_pool_t *p, const char *format, int year, apr_int64_t counter)
{
    char out[SHOP_NUMBER_MAX_LEN + 1];

    if (year < 1 || year > 9999 || counter < 1)
        return NULL;
    if (walk(format, 0, year, counter, out) != SHOP_NUMFMT_OK)
        return NULL;
    return apr_pstrdup(p, out);
}

const char *shop_order_number(apr_pool_t *p, apr_int64_t bill_id, apr_int64_t created_at)
{
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, apr_time_from_sec(created_at));
    return apr_psprintf(p, "B-%04d%02d%02d-%" APR_INT64_T_FMT, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        bill_id);
}
