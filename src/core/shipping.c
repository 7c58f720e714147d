/*
 * shipping.c -- zone applicability, zip patterns and the shipping amount
 * (see shipping.h for the syntax and the rules).
 *
 * Zip patterns are compiled to a list of (character set, min, max) atoms and
 * matched by dynamic programming over (atom, position): time is bounded by
 * atoms x zip length x repeat bound whatever the pattern, which a
 * backtracking matcher (or a libc regex with back-references) cannot
 * promise.  The applicability is compiled to a postfix program of rules,
 * '&' and '|', evaluated over a fixed stack.
 */
#include <string.h>

#include <apr_strings.h>

#include "core/shipping.h"

/* ---- zip patterns */

typedef struct {
    unsigned char set[32];      /* bit c: byte c matches */
    unsigned char min, max;     /* repeat bounds; max UNBOUNDED = no bound */
} atom_t;

#define UNBOUNDED 255

struct shop_ship_zip_t {
    int anchor_start, anchor_end;
    int natoms;
    atom_t *atoms;
};

static apr_status_t fail(shop_formula_error_t *err, apr_size_t pos,
                         const char *what)
{
    if (err) {
        err->pos = pos;
        apr_snprintf(err->msg, sizeof err->msg, "%s at %" APR_SIZE_T_FMT,
                     what, pos);
    }
    return APR_EINVAL;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z');
}

static int is_punct(char c)
{
    return c > ' ' && c < 0x7f && !is_alnum(c);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void set_add(atom_t *a, unsigned char c)
{
    a->set[c >> 3] |= (unsigned char)(1u << (c & 7));
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c - 'A' + 'a');
    a->set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static int set_has(const atom_t *a, unsigned char c)
{
    return (a->set[c >> 3] >> (c & 7)) & 1;
}

static const char *show(char *buf, apr_size_t size, const char *what,
                        unsigned char c)
{
    if (c > ' ' && c < 0x7f)
        apr_snprintf(buf, size, "%s '%c'", what, c);
    else
        apr_snprintf(buf, size, "%s '\\x%02x'", what, c);
    return buf;
}

/* a class "[...]" starting at p[*i] == '['; *i ends past ']' */
static apr_status_t parse_class(const char *p, apr_size_t len, apr_size_t *i,
                                atom_t *a, apr_size_t base,
                                shop_formula_error_t *err)
{
    apr_size_t k = *i + 1, start = *i;
    int neg = 0, n = 0, b;
    char msg[64];

    if (k < len && p[k] == '^') {
        neg = 1;
        k++;
    }
    while (k < len && p[k] != ']') {
        char c = p[k], d;
        if (c == '\\' && k + 1 < len && is_punct(p[k + 1]))
            c = p[++k];
        else if (c == '\\' && k + 1 < len && p[k + 1] == 'd') {
            for (d = '0'; d <= '9'; d++)
                set_add(a, (unsigned char)d);
            k += 2;
            n++;
            continue;
        }
        else if (!is_alnum(c) && c != ' ' && c != '-')
            return fail(err, base + k,
                        show(msg, sizeof msg, "unsupported character", (unsigned char)c));
        /* a range "x-y" (a '-' first or last is itself) */
        if (k + 2 < len && p[k + 1] == '-' && p[k + 2] != ']' && is_alnum(c)) {
            d = p[k + 2];
            if (!is_alnum(d) || d < c
                || ((c <= '9') != (d <= '9'))
                || ((c >= 'a') != (d >= 'a')))
                return fail(err, base + k, "bad range in class");
            for (; c <= d; c++)
                set_add(a, (unsigned char)c);
            k += 3;
        }
        else {
            set_add(a, (unsigned char)c);
            k++;
        }
        n++;
    }
    if (k >= len)
        return fail(err, base + start, "missing ']'");
    if (n == 0)
        return fail(err, base + start, "empty class");
    if (neg)
        for (b = 0; b < 32; b++)
            a->set[b] = (unsigned char)~a->set[b];
    *i = k + 1;
    return APR_SUCCESS;
}

/* a number 0..SHOP_SHIP_MAX_REPEAT at p[*i] */
static int parse_count(const char *p, apr_size_t len, apr_size_t *i, int *out)
{
    int v = 0, nd = 0;
    while (*i < len && p[*i] >= '0' && p[*i] <= '9') {
        v = v * 10 + (p[*i] - '0');
        (*i)++;
        if (++nd > 2 || v > SHOP_SHIP_MAX_REPEAT)
            return 0;
    }
    *out = v;
    return nd > 0;
}

static apr_status_t zip_compile_at(apr_pool_t *p, const char *pat,
                                   apr_size_t len, apr_size_t base,
                                   shop_ship_zip_t **out,
                                   shop_formula_error_t *err)
{
    atom_t atoms[SHOP_SHIP_MAX_PATTERN];
    shop_ship_zip_t *z;
    apr_size_t i = 0;
    int n = 0, d;
    char msg[64];
    apr_status_t rv;

    if (len == 0)
        return fail(err, base, "empty zip pattern");
    if (len > SHOP_SHIP_MAX_PATTERN)
        return fail(err, base, "zip pattern longer than 64 bytes");
    z = apr_pcalloc(p, sizeof *z);
    if (pat[0] == '^') {
        z->anchor_start = 1;
        i++;
    }
    while (i < len) {
        char c = pat[i];
        atom_t *a = &atoms[n];

        if (c == '$' && i == len - 1) {
            z->anchor_end = 1;
            break;
        }
        if (c == '$' || c == '^')
            return fail(err, base + i,
                        c == '$' ? "'$' only at the end" : "'^' only at the start");
        if (c == '?' || c == '*' || c == '+' || c == '{')
            return fail(err, base + i, "nothing to repeat");
        memset(a, 0, sizeof *a);
        a->min = a->max = 1;
        if (c == '.') {
            memset(a->set, 0xff, sizeof a->set);
            i++;
        }
        else if (c == '[') {
            if ((rv = parse_class(pat, len, &i, a, base, err)) != APR_SUCCESS)
                return rv;
        }
        else if (c == '\\') {
            if (i + 1 < len && pat[i + 1] == 'd') {
                for (d = '0'; d <= '9'; d++)
                    set_add(a, (unsigned char)d);
            }
            else if (i + 1 < len && (is_punct(pat[i + 1]) || pat[i + 1] == ' '))
                set_add(a, (unsigned char)pat[i + 1]);
            else
                return fail(err, base + i, "unsupported escape");
            i += 2;
        }
        else if (is_alnum(c) || c == ' ' || c == '-') {
            set_add(a, (unsigned char)c);
            i++;
        }
        else
            return fail(err, base + i,
                        show(msg, sizeof msg, "unsupported character", (unsigned char)c));

        /* one optional quantifier */
        if (i < len) {
            apr_size_t q = i;
            int lo, hi;
            switch (pat[i]) {
            case '?': a->min = 0; a->max = 1; i++; break;
            case '*': a->min = 0; a->max = UNBOUNDED; i++; break;
            case '+': a->min = 1; a->max = UNBOUNDED; i++; break;
            case '{':
                i++;
                if (!parse_count(pat, len, &i, &lo))
                    return fail(err, base + q, "bad repeat count (0 to 32)");
                hi = lo;
                if (i < len && pat[i] == ',') {
                    i++;
                    hi = UNBOUNDED;
                    if (i < len && pat[i] != '}'
                        && !parse_count(pat, len, &i, &hi))
                        return fail(err, base + q, "bad repeat count (0 to 32)");
                }
                if (i >= len || pat[i] != '}')
                    return fail(err, base + q, "missing '}'");
                if (hi < lo)
                    return fail(err, base + q, "bad repeat range");
                i++;
                a->min = (unsigned char)lo;
                a->max = (unsigned char)hi;
                break;
            default:
                break;
            }
            if (i > q && i < len
                && (pat[i] == '?' || pat[i] == '*' || pat[i] == '+'
                    || pat[i] == '{'))
                return fail(err, base + i, "repeated quantifier");
        }
        n++;
    }
    z->natoms = n;
    z->atoms = apr_pmemdup(p, atoms, (apr_size_t)n * sizeof(atom_t));
    *out = z;
    return APR_SUCCESS;
}

apr_status_t shop_ship_zip_compile(apr_pool_t *p, const char *pat,
                                   apr_size_t len, shop_ship_zip_t **out,
                                   shop_formula_error_t *err)
{
    if (p == NULL || pat == NULL || out == NULL)
        return fail(err, 0, "bad arguments");
    return zip_compile_at(p, pat, len, 0, out, err);
}

static int zip_match_n(const shop_ship_zip_t *z, const char *s, apr_size_t len)
{
    unsigned char dp[SHOP_SHIP_MAX_PATTERN + 1][SHOP_SHIP_MAX_ZIP + 1];
    int i, j, k, n = z->natoms, L = (int)len;

    if (len > SHOP_SHIP_MAX_ZIP)
        return 0;
    for (j = 0; j <= L; j++)
        dp[n][j] = z->anchor_end ? j == L : 1;
    for (i = n - 1; i >= 0; i--) {
        const atom_t *a = &z->atoms[i];
        for (j = 0; j <= L; j++) {
            int maxk = a->max == UNBOUNDED ? L - j
                       : (a->max < L - j ? a->max : L - j);
            dp[i][j] = 0;
            for (k = 0; k <= maxk; k++) {
                if (k > 0 && !set_has(a, (unsigned char)s[j + k - 1]))
                    break;
                if (k >= a->min && dp[i + 1][j + k]) {
                    dp[i][j] = 1;
                    break;
                }
            }
        }
    }
    if (z->anchor_start)
        return dp[0][0];
    for (j = 0; j <= L; j++)
        if (dp[0][j])
            return 1;
    return 0;
}

/* the zip without surrounding spaces */
static const char *trim(const char *s, apr_size_t *len)
{
    apr_size_t e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = strlen(s);
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    *len = e;
    return s;
}

int shop_ship_zip_match(const shop_ship_zip_t *z, const char *zip)
{
    apr_size_t len;
    if (z == NULL)
        return 0;
    zip = trim(zip ? zip : "", &len);
    return zip_match_n(z, zip, len);
}

/* ---- applicability */

typedef struct {
    int any_country;
    int ncountries;
    char (*countries)[4];       /* lower case, NUL-terminated */
    int any_zip;
    int nzips;
    shop_ship_zip_t **zips;
} rule_t;

enum { A_RULE, A_AND, A_OR };

typedef struct {
    unsigned char code;
    unsigned char rule;         /* A_RULE: index */
} aop_t;

struct shop_ship_applic_t {
    int nrules;
    rule_t *rules;
    int nops;
    aop_t *ops;
};

typedef struct {
    apr_pool_t *p;
    const char *s;
    apr_size_t len, i;
    rule_t rules[SHOP_SHIP_MAX_RULES];
    int nrules;
    aop_t ops[2 * SHOP_SHIP_MAX_RULES];
    int nops;
    shop_formula_error_t *err;
} aparser_t;

static void skip_ws(aparser_t *ps)
{
    while (ps->i < ps->len
           && (ps->s[ps->i] == ' ' || ps->s[ps->i] == '\t'
               || ps->s[ps->i] == '\r' || ps->s[ps->i] == '\n'))
        ps->i++;
}

static apr_status_t expect(aparser_t *ps, char c)
{
    char msg[64], want[16];

    skip_ws(ps);
    if (ps->i < ps->len && ps->s[ps->i] == c) {
        ps->i++;
        return APR_SUCCESS;
    }
    apr_snprintf(want, sizeof want, "'%c'", c);
    if (ps->i >= ps->len)
        apr_snprintf(msg, sizeof msg, "expected %s, found the end", want);
    else if ((unsigned char)ps->s[ps->i] > ' ' && (unsigned char)ps->s[ps->i] < 0x7f)
        apr_snprintf(msg, sizeof msg, "expected %s, found '%c'", want,
                     ps->s[ps->i]);
    else
        apr_snprintf(msg, sizeof msg, "expected %s, found '\\x%02x'", want,
                     (unsigned char)ps->s[ps->i]);
    return fail(ps->err, ps->i, msg);
}

/* [i, e) without surrounding spaces */
static void trim_span(const char *s, apr_size_t *i, apr_size_t *e)
{
    while (*i < *e && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
    while (*e > *i && (s[*e - 1] == ' ' || s[*e - 1] == '\t'))
        (*e)--;
}

/* "[fr, be]" or "[*]" at ps->i (just past '[') */
static apr_status_t parse_countries(aparser_t *ps, rule_t *r)
{
    char codes[SHOP_SHIP_MAX_COUNTRIES][4];
    apr_size_t open = ps->i - 1, end, b, e, k;
    int n = 0;

    for (end = ps->i; end < ps->len && ps->s[end] != ']'; end++) {
        char c = ps->s[end];
        if (!(is_alnum(c) && !(c >= '0' && c <= '9')) && c != ',' && c != ' '
            && c != '\t' && c != '*') {
            char msg[64];
            return fail(ps->err, end,
                        show(msg, sizeof msg, "unexpected character", (unsigned char)c));
        }
    }
    if (end >= ps->len)
        return fail(ps->err, open, "missing ']'");
    b = ps->i;
    e = end;
    trim_span(ps->s, &b, &e);
    if (e - b == 1 && ps->s[b] == '*') {
        r->any_country = 1;
        ps->i = end + 1;
        return APR_SUCCESS;
    }
    for (;;) {
        apr_size_t ib = b, ie = b;
        while (ie < e && ps->s[ie] != ',')
            ie++;
        b = ie;
        trim_span(ps->s, &ib, &ie);
        if (ie == ib)
            return fail(ps->err, ib, "empty country code");
        if (ps->s[ib] == '*')
            return fail(ps->err, ib, "'*' must be alone");
        if (ie - ib < 2 || ie - ib > 3)
            return fail(ps->err, ib, "a country code has 2 or 3 letters");
        for (k = ib; k < ie; k++)
            if (!is_alnum(ps->s[k]) || (ps->s[k] >= '0' && ps->s[k] <= '9'))
                return fail(ps->err, k, "a country code has 2 or 3 letters");
        if (n == SHOP_SHIP_MAX_COUNTRIES)
            return fail(ps->err, ib, "more than 64 countries in a rule");
        for (k = 0; k < ie - ib; k++)
            codes[n][k] = lower(ps->s[ib + k]);
        codes[n][ie - ib] = '\0';
        n++;
        if (b >= e)
            break;
        b++;                                /* past ',' */
    }
    r->ncountries = n;
    r->countries = apr_pmemdup(ps->p, codes, (apr_size_t)n * sizeof codes[0]);
    ps->i = end + 1;
    return APR_SUCCESS;
}

/* "[06..., ^9.....$]" or "[*]" at ps->i (just past '[') */
static apr_status_t parse_zips(aparser_t *ps, rule_t *r)
{
    shop_ship_zip_t *zips[SHOP_SHIP_MAX_ZIPS];
    apr_size_t open = ps->i - 1, k, item = ps->i, b, e;
    int depth = 1, braces = 0, n = 0, done = 0;
    apr_status_t rv;

    for (k = ps->i; k < ps->len && !done; k++) {
        char c = ps->s[k];
        int split = 0;
        if (c == '\\') {
            k++;
            continue;
        }
        if (c == '[')
            depth++;
        else if (c == ']') {
            if (--depth == 0)
                split = done = 1;
        }
        else if (c == '{')
            braces++;
        else if (c == '}' && braces > 0)
            braces--;
        else if (c == ',' && depth == 1 && braces == 0)
            split = 1;
        if (!split)
            continue;
        b = item;
        e = k;
        trim_span(ps->s, &b, &e);
        if (e - b == 1 && ps->s[b] == '*') {
            if (n > 0 || !done)
                return fail(ps->err, b, "'*' must be alone");
            r->any_zip = 1;
        }
        else {
            if (n == SHOP_SHIP_MAX_ZIPS)
                return fail(ps->err, b, "more than 16 zip patterns in a rule");
            if (e == b)
                return fail(ps->err, b, "empty zip pattern");
            if ((rv = zip_compile_at(ps->p, ps->s + b, e - b, b, &zips[n],
                                     ps->err)) != APR_SUCCESS)
                return rv;
            n++;
        }
        item = k + 1;
    }
    if (!done)
        return fail(ps->err, open, "missing ']'");
    r->nzips = n;
    r->zips = apr_pmemdup(ps->p, zips, (apr_size_t)n * sizeof zips[0]);
    ps->i = k;
    return APR_SUCCESS;
}

static apr_status_t emit(aparser_t *ps, int code, int rule)
{
    /* at most one op per rule and one per operator between rules */
    if (ps->nops >= (int)(sizeof ps->ops / sizeof ps->ops[0]))
        return fail(ps->err, ps->i, "applicability too complex");
    ps->ops[ps->nops].code = (unsigned char)code;
    ps->ops[ps->nops].rule = (unsigned char)rule;
    ps->nops++;
    return APR_SUCCESS;
}

static apr_status_t parse_or(aparser_t *ps, int depth);

static apr_status_t parse_primary(aparser_t *ps, int depth)
{
    apr_status_t rv;
    rule_t *r;
    apr_size_t at, open;

    if ((rv = expect(ps, '(')) != APR_SUCCESS)
        return rv;
    open = ps->i - 1;
    skip_ws(ps);
    if (ps->i < ps->len && ps->s[ps->i] == '[') {
        at = ps->i;
        if (ps->nrules == SHOP_SHIP_MAX_RULES)
            return fail(ps->err, at, "more than 64 rules");
        r = &ps->rules[ps->nrules];
        memset(r, 0, sizeof *r);
        ps->i++;
        if ((rv = parse_countries(ps, r)) != APR_SUCCESS)
            return rv;
        if ((rv = expect(ps, '[')) != APR_SUCCESS
            || (rv = parse_zips(ps, r)) != APR_SUCCESS
            || (rv = expect(ps, ')')) != APR_SUCCESS)
            return rv;
        return emit(ps, A_RULE, ps->nrules++);
    }
    if (depth >= SHOP_SHIP_MAX_DEPTH)
        return fail(ps->err, open, "nesting deeper than 16");
    if ((rv = parse_or(ps, depth + 1)) != APR_SUCCESS)
        return rv;
    return expect(ps, ')');
}

static apr_status_t parse_and(aparser_t *ps, int depth)
{
    apr_status_t rv = parse_primary(ps, depth);

    while (rv == APR_SUCCESS) {
        skip_ws(ps);
        if (ps->i >= ps->len || ps->s[ps->i] != '&')
            break;
        ps->i++;
        if ((rv = parse_primary(ps, depth)) == APR_SUCCESS)
            rv = emit(ps, A_AND, 0);
    }
    return rv;
}

static apr_status_t parse_or(aparser_t *ps, int depth)
{
    apr_status_t rv = parse_and(ps, depth);

    while (rv == APR_SUCCESS) {
        skip_ws(ps);
        if (ps->i >= ps->len || ps->s[ps->i] != '|')
            break;
        ps->i++;
        if ((rv = parse_and(ps, depth)) == APR_SUCCESS)
            rv = emit(ps, A_OR, 0);
    }
    return rv;
}

apr_status_t shop_ship_applic_compile(apr_pool_t *p, const char *text,
                                      apr_size_t len,
                                      shop_ship_applic_t **out,
                                      shop_formula_error_t *err)
{
    aparser_t *ps;
    shop_ship_applic_t *a;
    apr_status_t rv;
    apr_size_t k;
    char msg[64];

    if (p == NULL || text == NULL || out == NULL)
        return fail(err, 0, "bad arguments");
    if (len > SHOP_SHIP_MAX_APPLIC)
        return fail(err, SHOP_SHIP_MAX_APPLIC,
                    "applicability longer than 1024 bytes");
    for (k = 0; k < len; k++)
        if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r'
            && text[k] != '\n')
            break;
    if (k == len) {
        *out = NULL;
        return APR_SUCCESS;
    }
    /* the parser holds 64 rules: from the pool, it is not worth a big stack
     * frame; the compiled result copies only what is used */
    ps = apr_pcalloc(p, sizeof *ps);
    ps->p = p;
    ps->s = text;
    ps->len = len;
    ps->err = err;
    if ((rv = parse_or(ps, 0)) != APR_SUCCESS)
        return rv;
    skip_ws(ps);
    if (ps->i < ps->len) {
        if (ps->s[ps->i] == ')')
            return fail(err, ps->i, "unbalanced ')'");
        return fail(err, ps->i,
                    show(msg, sizeof msg, "unexpected character",
                         (unsigned char)ps->s[ps->i]));
    }
    a = apr_palloc(p, sizeof *a);
    a->nrules = ps->nrules;
    a->rules = apr_pmemdup(p, ps->rules, (apr_size_t)ps->nrules * sizeof(rule_t));
    a->nops = ps->nops;
    a->ops = apr_pmemdup(p, ps->ops, (apr_size_t)ps->nops * sizeof(aop_t));
    *out = a;
    return APR_SUCCESS;
}

/* country: up to 3 letters, lower-cased into buf; "" when absent or not a
 * code (then only '*' matches) */
static void norm_country(const char *country, char buf[4])
{
    int k;

    buf[0] = '\0';
    if (country == NULL)
        return;
    while (*country == ' ')
        country++;
    for (k = 0; k < 3 && is_alnum(country[k]) && !(country[k] >= '0' && country[k] <= '9'); k++)
        buf[k] = lower(country[k]);
    buf[k] = '\0';
    while (country[k] == ' ')
        k++;
    if (country[k] != '\0' || k < 2)
        buf[0] = '\0';
}

static int rule_match(const rule_t *r, const char *country, const char *zip,
                      apr_size_t ziplen)
{
    int k, ok = r->any_country;

    for (k = 0; !ok && k < r->ncountries && country[0]; k++) {
        const char *c = r->countries[k];
        ok = strcmp(c, country) == 0
             || (strcmp(c, "uk") == 0 && strcmp(country, "gb") == 0)
             || (strcmp(c, "gb") == 0 && strcmp(country, "uk") == 0);
    }
    if (!ok)
        return 0;
    if (r->any_zip)
        return 1;
    for (k = 0; k < r->nzips; k++)
        if (zip_match_n(r->zips[k], zip, ziplen))
            return 1;
    return 0;
}

int shop_ship_applic_match(const shop_ship_applic_t *a, const char *country,
                           const char *zip)
{
    unsigned char st[SHOP_SHIP_MAX_RULES + 1];
    char cc[4];
    int i, sp = 0;
    apr_size_t ziplen;

    if (a == NULL || a->nops == 0)
        return 0;
    norm_country(country, cc);
    zip = trim(zip ? zip : "", &ziplen);
    for (i = 0; i < a->nops; i++) {
        switch (a->ops[i].code) {
        case A_RULE:
            st[sp++] = (unsigned char)rule_match(&a->rules[a->ops[i].rule], cc,
                                                 zip, ziplen);
            break;
        case A_AND:
            sp--;
            st[sp - 1] = st[sp - 1] && st[sp];
            break;
        default:
            sp--;
            st[sp - 1] = st[sp - 1] || st[sp];
            break;
        }
    }
    return sp == 1 && st[0];
}

/* ---- formulas, zones, the amount */

static const char *const ship_vars[SHOP_SHIP_NVARS] = {
    "a", "b", "c", "ht", "ttc", "q"
};

apr_status_t shop_ship_formula_compile(apr_pool_t *p, const char *formula,
                                       const shop_formula_t **out,
                                       shop_formula_error_t *err)
{
    shop_formula_t *f;
    apr_size_t len, k;
    apr_status_t rv;

    *out = NULL;
    if (formula == NULL)
        return APR_SUCCESS;
    len = strlen(formula);
    for (k = 0; k < len; k++)
        if (formula[k] != ' ' && formula[k] != '\t' && formula[k] != '\r'
            && formula[k] != '\n')
            break;
    if (k == len)
        return APR_SUCCESS;
    if (len > SHOP_SHIP_MAX_FORMULA)
        return fail(err, SHOP_SHIP_MAX_FORMULA, "formula longer than 255 bytes");
    rv = shop_formula_compile(p, formula, len, ship_vars, SHOP_SHIP_NVARS,
                              SHOP_SHIP_TARGET, &f, err);
    if (rv == APR_SUCCESS)
        *out = f;
    return rv;
}

int shop_ship_zone_code_valid(const char *code)
{
    int k;
    if (code == NULL)
        return 0;
    for (k = 0; code[k]; k++)
        if (k >= SHOP_SHIP_MAX_ZONE_CODE || !is_alnum(code[k]))
            return 0;
    return k > 0;
}

static int is_fallback(const shop_ship_zone_t *z)
{
    return z->code != NULL && strcmp(z->code, SHOP_SHIP_FALLBACK_ZONE) == 0;
}

int shop_ship_choose_zone(const shop_ship_zone_t *zones, int nzones,
                          const char *country, const char *zip)
{
    int i;

    if (zones == NULL)
        return -1;
    for (i = 0; i < nzones; i++)
        if (!is_fallback(&zones[i])
            && shop_ship_applic_match(zones[i].applicability, country, zip))
            return i;
    for (i = 0; i < nzones; i++)
        if (is_fallback(&zones[i]))
            return i;
    return -1;
}

static int same_code(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

apr_status_t shop_ship_compute(const shop_ship_zone_t *zones, int nzones,
                               const shop_ship_line_t *lines, int nlines,
                               const char *country, const char *zip,
                               const shop_currency_t *c,
                               shop_ship_result_t *res,
                               shop_formula_error_t *err)
{
    const shop_ship_zone_t *z;
    shop_tax_amounts_t amounts;
    shop_dec_t sum = SHOP_DEC_ZERO;
    apr_int64_t untaxed = 0;
    apr_status_t rv;
    int i, k, any = 0, zi;

    if (res == NULL || c == NULL || nzones < 0 || nlines < 0
        || (nzones > 0 && zones == NULL) || (nlines > 0 && lines == NULL))
        return fail(err, 0, "bad arguments");
    memset(res, 0, sizeof *res);
    for (k = 0; k < nlines; k++) {
        if (lines[k].quantity < 0)
            return fail(err, 0, "negative quantity");
        if (lines[k].quantity > 0)
            any = 1;
    }
    if (nzones == 0) {
        res->deliverable = 1;
        return APR_SUCCESS;
    }
    if ((zi = shop_ship_choose_zone(zones, nzones, country, zip)) < 0)
        return APR_SUCCESS;                 /* not deliverable */
    z = &zones[zi];
    res->deliverable = 1;
    res->zone = z;

    if (z->bill_scope_minor != 0) {
        if (z->bill_scope_minor < 0)
            return fail(err, 0, "negative bill-scope shipping amount");
        res->bill_scope = 1;
        untaxed = any ? z->bill_scope_minor : 0;
    }
    else {
        for (i = 0; i < z->nrules; i++) {
            const shop_ship_rule_t *r = &z->rules[i];
            for (k = 0; k < nlines; k++) {
                const shop_ship_line_t *l = &lines[k];
                shop_dec_t v, vals[SHOP_SHIP_NVARS];

                if (l->quantity <= 0 || !same_code(r->product_code, l->product_code))
                    continue;
                if (r->value_minor > 0)
                    v = shop_dec_from_minor(r->value_minor, c->exponent);
                else if (r->formula != NULL) {
                    vals[SHOP_SHIP_VAR_A] = r->a;
                    vals[SHOP_SHIP_VAR_B] = r->b;
                    vals[SHOP_SHIP_VAR_C] = r->c;
                    vals[SHOP_SHIP_VAR_HT] = shop_dec_from_minor(l->ht_minor, c->exponent);
                    vals[SHOP_SHIP_VAR_TTC] = shop_dec_from_minor(l->ttc_minor, c->exponent);
                    vals[SHOP_SHIP_VAR_Q] = shop_dec_from_int(l->quantity);
                    if ((rv = shop_formula_eval(r->formula, vals, SHOP_SHIP_NVARS,
                                                &v, err)) != APR_SUCCESS) {
                        res->failed_rule = r;
                        return rv;
                    }
                    if (shop_dec_sign(v) < 0) {
                        res->failed_rule = r;
                        return fail(err, 0, "the shipping formula gave a negative amount");
                    }
                }
                else
                    continue;
                if ((rv = shop_dec_add(sum, v, &sum)) != APR_SUCCESS)
                    return rv;
            }
        }
        if ((rv = shop_dec_to_minor(sum, c->exponent, &untaxed)) != APR_SUCCESS)
            return rv;
    }
    if ((rv = shop_tax_line(z->tax, untaxed, 1, c, &amounts, err)) != APR_SUCCESS)
        return rv;
    res->untaxed_minor = amounts.untaxed_minor;
    res->tax_minor = amounts.tax_minor;
    res->taxed_minor = amounts.taxed_minor;
    return APR_SUCCESS;
}
