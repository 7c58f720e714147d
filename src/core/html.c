/*
 * html.c -- see html.h.
 *
 * Three stages: clean() turns the bytes into well-formed UTF-8 without
 * controls; tokenize() reads tags, comments and text the way an HTML5
 * tokenizer would (only as far as needed to find where markup ends) and
 * drops the elements whose content must go; a sink then either rebuilds
 * the whitelisted tree (sanitize) or collects the text (to_text).  Safety
 * does not rest on the tokenizer being exact: every byte of output is
 * written by the sink, tags from a fixed list and text escaped, so a
 * misread input can lose content but not smuggle markup.
 */
#include "core/html.h"
#include "core/crypto.h"
#include "core/limits.h"
#include "core/ticket.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

/* ------------------------------------------------------------------ buffer */

typedef struct {
    apr_pool_t *p;
    char *b;
    apr_size_t n, cap;
} buf_t;

static void buf_init(buf_t *b, apr_pool_t *p, apr_size_t cap)
{
    b->p = p;
    b->cap = cap < 64 ? 64 : cap;
    b->b = apr_palloc(p, b->cap);
    b->n = 0;
    b->b[0] = '\0';
}

static void buf_put(buf_t *b, const char *s, apr_size_t n)
{
    if (b->n + n + 1 > b->cap) {
        apr_size_t cap = b->cap * 2;
        char *nb;
        while (cap < b->n + n + 1)
            cap *= 2;
        nb = apr_palloc(b->p, cap);
        memcpy(nb, b->b, b->n);
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->n, s, n);
    b->n += n;
    b->b[b->n] = '\0';
}

static void buf_puts(buf_t *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static void buf_putc(buf_t *b, char c)
{
    buf_put(b, &c, 1);
}

static void buf_put_cp(buf_t *b, unsigned long cp)
{
    char u[4];

    if (cp < 0x80) {
        u[0] = (char)cp;
        buf_put(b, u, 1);
    }
    else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, u, 2);
    }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, u, 3);
    }
    else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, u, 4);
    }
}

/* ----------------------------------------------------------- code points */

#define REPLACEMENT 0xFFFDul

/* Code points that never reach the output as themselves: controls (TAB
 * and LF excepted), surrogates, noncharacters, beyond Unicode. */
static int cp_bad(unsigned long cp)
{
    if (cp == '\t' || cp == '\n')
        return 0;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return 1;
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 1;
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return 1;
    return cp > 0x10FFFF;
}

/* Decode one UTF-8 sequence at s[0..n).  Returns its length and sets *cp;
 * for an ill-formed sequence returns the length of its maximal invalid
 * subpart (at least 1) and sets *cp to REPLACEMENT. */
static apr_size_t utf8_next(const unsigned char *s, apr_size_t n,
                            unsigned long *cp)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    apr_size_t need, k;
    unsigned long v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    }
    else {
        *cp = REPLACEMENT;
        return 1;
    }
    for (k = 1; k <= need; k++) {
        unsigned char lo_k = k == 1 ? lo : 0x80, hi_k = k == 1 ? hi : 0xBF;
        if (k >= n || s[k] < lo_k || s[k] > hi_k) {
            *cp = REPLACEMENT;
            return k;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    *cp = v;
    return need + 1;
}

/* The input as well-formed UTF-8 without NUL or controls other than TAB
 * and LF (see html.h), NUL-terminated, in p. */
static char *clean(apr_pool_t *p, const char *in, apr_size_t len,
                   apr_size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    buf_t b;
    apr_size_t i = 0;

    buf_init(&b, p, len + len / 8 + 16);
    while (i < len) {
        apr_size_t start = i;
        unsigned long cp;

        /* copy runs of plain printable ASCII at once */
        while (i < len && s[i] >= 0x20 && s[i] < 0x7F)
            i++;
        if (i > start)
            buf_put(&b, in + start, i - start);
        if (i >= len)
            break;
        if (s[i] == '\r') {
            buf_putc(&b, '\n');
            i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (s[i] == '\f') {
            buf_putc(&b, ' ');
            i++;
            continue;
        }
        i += utf8_next(s + i, len - i, &cp);
        buf_put_cp(&b, cp_bad(cp) ? REPLACEMENT : cp);
    }
    *outlen = b.n;
    return b.b;
}

/* --------------------------------------------------------------- entities */

typedef struct {
    const char *name;
    unsigned int cp;
} entity_t;

/* HTML 4.01's 252 entities and &apos;, sorted by strcmp() for bsearch. */
static const entity_t entities[] = {
    { "AElig", 0xC6 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Agrave", 0xC0 },
    { "Alpha", 0x391 }, { "Aring", 0xC5 }, { "Atilde", 0xC3 }, { "Auml", 0xC4 }, { "Beta", 0x392 },
    { "Ccedil", 0xC7 }, { "Chi", 0x3A7 }, { "Dagger", 0x2021 }, { "Delta", 0x394 }, { "ETH", 0xD0 },
    { "Eacute", 0xC9 }, { "Ecirc", 0xCA }, { "Egrave", 0xC8 }, { "Epsilon", 0x395 },
    { "Eta", 0x397 }, { "Euml", 0xCB }, { "Gamma", 0x393 }, { "Iacute", 0xCD }, { "Icirc", 0xCE },
    { "Igrave", 0xCC }, { "Iota", 0x399 }, { "Iuml", 0xCF }, { "Kappa", 0x39A },
    { "Lambda", 0x39B }, { "Mu", 0x39C }, { "Ntilde", 0xD1 }, { "Nu", 0x39D }, { "OElig", 0x152 },
    { "Oacute", 0xD3 }, { "Ocirc", 0xD4 }, { "Ograve", 0xD2 }, { "Omega", 0x3A9 },
    { "Omicron", 0x39F }, { "Oslash", 0xD8 }, { "Otilde", 0xD5 }, { "Ouml", 0xD6 },
    { "Phi", 0x3A6 }, { "Pi", 0x3A0 }, { "Prime", 0x2033 }, { "Psi", 0x3A8 }, { "Rho", 0x3A1 },
    { "Scaron", 0x160 }, { "Sigma", 0x3A3 }, { "THORN", 0xDE }, { "Tau", 0x3A4 },
    { "Theta", 0x398 }, { "Uacute", 0xDA }, { "Ucirc", 0xDB }, { "Ugrave", 0xD9 },
    { "Upsilon", 0x3A5 }, { "Uuml", 0xDC }, { "Xi", 0x39E }, { "Yacute", 0xDD }, { "Yuml", 0x178 },
    { "Zeta", 0x396 }, { "aacute", 0xE1 }, { "acirc", 0xE2 }, { "acute", 0xB4 }, { "aelig", 0xE6 },
    { "agrave", 0xE0 }, { "alefsym", 0x2135 }, { "alpha", 0x3B1 }, { "amp", 0x26 },
    { "and", 0x2227 }, { "ang", 0x2220 }, { "apos", 0x27 }, { "aring", 0xE5 }, { "asymp", 0x2248 },
    { "atilde", 0xE3 }, { "auml", 0xE4 }, { "bdquo", 0x201E }, { "beta", 0x3B2 },
    { "brvbar", 0xA6 }, { "bull", 0x2022 }, { "cap", 0x2229 }, { "ccedil", 0xE7 },
    { "cedil", 0xB8 }, { "cent", 0xA2 }, { "chi", 0x3C7 }, { "circ", 0x2C6 }, { "clubs", 0x2663 },
    { "cong", 0x2245 }, { "copy", 0xA9 }, { "crarr", 0x21B5 }, { "cup", 0x222A },
    { "curren", 0xA4 }, { "dArr", 0x21D3 }, { "dagger", 0x2020 }, { "darr", 0x2193 },
    { "deg", 0xB0 }, { "delta", 0x3B4 }, { "diams", 0x2666 }, { "divide", 0xF7 },
    { "eacute", 0xE9 }, { "ecirc", 0xEA }, { "egrave", 0xE8 }, { "empty", 0x2205 },
    { "emsp", 0x2003 }, { "ensp", 0x2002 }, { "epsilon", 0x3B5 }, { "equiv", 0x2261 },
    { "eta", 0x3B7 }, { "eth", 0xF0 }, { "euml", 0xEB }, { "euro", 0x20AC }, { "exist", 0x2203 },
    { "fnof", 0x192 }, { "forall", 0x2200 }, { "frac12", 0xBD }, { "frac14", 0xBC },
    { "frac34", 0xBE }, { "frasl", 0x2044 }, { "gamma", 0x3B3 }, { "ge", 0x2265 }, { "gt", 0x3E },
    { "hArr", 0x21D4 }, { "harr", 0x2194 }, { "hearts", 0x2665 }, { "hellip", 0x2026 },
    { "iacute", 0xED }, { "icirc", 0xEE }, { "iexcl", 0xA1 }, { "igrave", 0xEC },
    { "image", 0x2111 }, { "infin", 0x221E }, { "int", 0x222B }, { "iota", 0x3B9 },
    { "iquest", 0xBF }, { "isin", 0x2208 }, { "iuml", 0xEF }, { "kappa", 0x3BA },
    { "lArr", 0x21D0 }, { "lambda", 0x3BB }, { "lang", 0x2329 }, { "laquo", 0xAB },
    { "larr", 0x2190 }, { "lceil", 0x2308 }, { "ldquo", 0x201C }, { "le", 0x2264 },
    { "lfloor", 0x230A }, { "lowast", 0x2217 }, { "loz", 0x25CA }, { "lrm", 0x200E },
    { "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", 0x3C }, { "macr", 0xAF },
    { "mdash", 0x2014 }, { "micro", 0xB5 }, { "middot", 0xB7 }, { "minus", 0x2212 },
    { "mu", 0x3BC }, { "nabla", 0x2207 }, { "nbsp", 0xA0 }, { "ndash", 0x2013 }, { "ne", 0x2260 },
    { "ni", 0x220B }, { "not", 0xAC }, { "notin", 0x2209 }, { "nsub", 0x2284 }, { "ntilde", 0xF1 },
    { "nu", 0x3BD }, { "oacute", 0xF3 }, { "ocirc", 0xF4 }, { "oelig", 0x153 }, { "ograve", 0xF2 },
    { "oline", 0x203E }, { "omega", 0x3C9 }, { "omicron", 0x3BF }, { "oplus", 0x2295 },
    { "or", 0x2228 }, { "ordf", 0xAA }, { "ordm", 0xBA }, { "oslash", 0xF8 }, { "otilde", 0xF5 },
    { "otimes", 0x2297 }, { "ouml", 0xF6 }, { "para", 0xB6 }, { "part", 0x2202 },
    { "permil", 0x2030 }, { "perp", 0x22A5 }, { "phi", 0x3C6 }, { "pi", 0x3C0 }, { "piv", 0x3D6 },
    { "plusmn", 0xB1 }, { "pound", 0xA3 }, { "prime", 0x2032 }, { "prod", 0x220F },
    { "prop", 0x221D }, { "psi", 0x3C8 }, { "quot", 0x22 }, { "rArr", 0x21D2 }, { "radic", 0x221A },
    { "rang", 0x232A }, { "raquo", 0xBB }, { "rarr", 0x2192 }, { "rceil", 0x2309 },
    { "rdquo", 0x201D }, { "real", 0x211C }, { "reg", 0xAE }, { "rfloor", 0x230B },
    { "rho", 0x3C1 }, { "rlm", 0x200F }, { "rsaquo", 0x203A }, { "rsquo", 0x2019 },
    { "sbquo", 0x201A }, { "scaron", 0x161 }, { "sdot", 0x22C5 }, { "sect", 0xA7 }, { "shy", 0xAD },
    { "sigma", 0x3C3 }, { "sigmaf", 0x3C2 }, { "sim", 0x223C }, { "spades", 0x2660 },
    { "sub", 0x2282 }, { "sube", 0x2286 }, { "sum", 0x2211 }, { "sup", 0x2283 }, { "sup1", 0xB9 },
    { "sup2", 0xB2 }, { "sup3", 0xB3 }, { "supe", 0x2287 }, { "szlig", 0xDF }, { "tau", 0x3C4 },
    { "there4", 0x2234 }, { "theta", 0x3B8 }, { "thetasym", 0x3D1 }, { "thinsp", 0x2009 },
    { "thorn", 0xFE }, { "tilde", 0x2DC }, { "times", 0xD7 }, { "trade", 0x2122 },
    { "uArr", 0x21D1 }, { "uacute", 0xFA }, { "uarr", 0x2191 }, { "ucirc", 0xFB },
    { "ugrave", 0xF9 }, { "uml", 0xA8 }, { "upsih", 0x3D2 }, { "upsilon", 0x3C5 }, { "uuml", 0xFC },
    { "weierp", 0x2118 }, { "xi", 0x3BE }, { "yacute", 0xFD }, { "yen", 0xA5 }, { "yuml", 0xFF },
    { "zeta", 0x3B6 }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};

static int entity_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const entity_t *)elt)->name);
}

/* windows-1252 for numeric references to 0x80..0x9F (HTML5); 0 = none */
static const unsigned short cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* The character reference at s[a] == '&' (s ends at n): appends what it
 * stands for to out and returns how many bytes it took; a '&' that starts
 * no known reference is itself (1 byte). */
static apr_size_t entity(const char *s, apr_size_t n, apr_size_t a, buf_t *out)
{
    apr_size_t k = a + 1, d0;

    if (k < n && s[k] == '#') {
        unsigned long v = 0;
        int hex = 0;

        k++;
        if (k < n && (s[k] == 'x' || s[k] == 'X')) {
            hex = 1;
            k++;
        }
        d0 = k;
        while (k < n && (hex ? shop_hex_digit((unsigned char)s[k]) >= 0 : is_digit(s[k]))) {
            v = v * (hex ? 16 : 10) + (unsigned long)(hex ? shop_hex_digit((unsigned char)s[k]) : s[k] - '0');
            if (v > 0x10FFFF)
                v = 0x110000;           /* saturate: still out of range */
            k++;
        }
        if (k == d0) {
            buf_putc(out, '&');
            return 1;
        }
        if (k < n && s[k] == ';')
            k++;
        if (v >= 0x80 && v <= 0x9F && cp1252[v - 0x80])
            v = cp1252[v - 0x80];
        buf_put_cp(out, (v == 0 || cp_bad(v)) ? REPLACEMENT : v);
        return k - a;
    }
    d0 = k;
    while (k < n && k - d0 < 16 && is_alnum(s[k]))
        k++;
    if (k > d0 && k - d0 < 16 && k < n && s[k] == ';') {
        char name[16];
        const entity_t *e;

        memcpy(name, s + d0, k - d0);
        name[k - d0] = '\0';
        e = bsearch(name, entities, sizeof(entities) / sizeof(entities[0]),
                    sizeof(entities[0]), entity_cmp);
        if (e) {
            buf_put_cp(out, e->cp);
            return k + 1 - a;
        }
    }
    buf_putc(out, '&');
    return 1;
}

static void decode_into(buf_t *out, const char *s, apr_size_t n)
{
    apr_size_t i = 0;

    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        apr_size_t a;

        if (!amp) {
            buf_put(out, s + i, n - i);
            return;
        }
        a = (apr_size_t)(amp - s);
        buf_put(out, s + i, a - i);
        i = a + entity(s, n, a, out);
    }
}

/* ------------------------------------------------------------------- tags */

/* Elements of the output.  EL_ROOT is the fragment itself (never on the
 * stack), EL_TEXT stands for text when fitting it into the tree. */
enum {
    EL_ROOT = 0, EL_P, EL_BR, EL_STRONG, EL_B, EL_EM, EL_I, EL_U, EL_S,
    EL_UL, EL_OL, EL_LI, EL_H2, EL_H3, EL_H4, EL_BLOCKQUOTE, EL_A,
    EL_TABLE, EL_THEAD, EL_TBODY, EL_TR, EL_TH, EL_TD, EL_SPAN, EL_HR,
    EL_TEXT, EL_COUNT
};

#define F_INLINE    0x01    /* phrasing element */
#define F_PHRASE    0x02    /* holds only phrasing content */
#define F_FLOW      0x04    /* holds flow content */
#define F_TABLE     0x08    /* table family */
#define F_VOID      0x10    /* no content, no end tag */
#define F_BLOCK     0x20    /* flow content that is not phrasing */

static const struct {
    const char *name;
    unsigned char flags;
} els[EL_COUNT] = {
    [EL_ROOT] = { "", F_FLOW },
    [EL_P] = { "p", F_PHRASE | F_BLOCK },
    [EL_BR] = { "br", F_VOID },
    [EL_STRONG] = { "strong", F_INLINE | F_PHRASE },
    [EL_B] = { "b", F_INLINE | F_PHRASE },
    [EL_EM] = { "em", F_INLINE | F_PHRASE },
    [EL_I] = { "i", F_INLINE | F_PHRASE },
    [EL_U] = { "u", F_INLINE | F_PHRASE },
    [EL_S] = { "s", F_INLINE | F_PHRASE },
    [EL_UL] = { "ul", F_BLOCK },
    [EL_OL] = { "ol", F_BLOCK },
    [EL_LI] = { "li", F_FLOW },
    [EL_H2] = { "h2", F_PHRASE | F_BLOCK },
    [EL_H3] = { "h3", F_PHRASE | F_BLOCK },
    [EL_H4] = { "h4", F_PHRASE | F_BLOCK },
    [EL_BLOCKQUOTE] = { "blockquote", F_FLOW | F_BLOCK },
    [EL_A] = { "a", F_INLINE | F_PHRASE },
    [EL_TABLE] = { "table", F_TABLE | F_BLOCK },
    [EL_THEAD] = { "thead", F_TABLE },
    [EL_TBODY] = { "tbody", F_TABLE },
    [EL_TR] = { "tr", F_TABLE },
    [EL_TH] = { "th", F_TABLE | F_FLOW },
    [EL_TD] = { "td", F_TABLE | F_FLOW },
    [EL_SPAN] = { "span", F_INLINE | F_PHRASE },
    [EL_HR] = { "hr", F_VOID | F_BLOCK },
    [EL_TEXT] = { "", 0 },
};

/* What the tokenizer does with a tag */
enum {
    K_KEEP,         /* whitelisted element (el says which) */
    K_RAW,          /* content dropped, read as raw text up to its end tag */
    K_NEST,         /* content dropped, read as markup up to the matching end tag */
    K_FOREIGN,      /* as K_NEST, but "<svg/>" has no content */
    K_SEP           /* dropped block-level tag: leaves a line break */
};

typedef struct {
    const char *name;
    unsigned char kind;
    unsigned char el;
} tagdef_t;

static const tagdef_t tags[] = {
    { "a", K_KEEP, EL_A }, { "b", K_KEEP, EL_B }, { "blockquote", K_KEEP, EL_BLOCKQUOTE },
    { "br", K_KEEP, EL_BR }, { "em", K_KEEP, EL_EM }, { "h2", K_KEEP, EL_H2 },
    { "h3", K_KEEP, EL_H3 }, { "h4", K_KEEP, EL_H4 }, { "hr", K_KEEP, EL_HR },
    { "i", K_KEEP, EL_I }, { "li", K_KEEP, EL_LI }, { "ol", K_KEEP, EL_OL },
    { "p", K_KEEP, EL_P }, { "s", K_KEEP, EL_S }, { "span", K_KEEP, EL_SPAN },
    { "strong", K_KEEP, EL_STRONG }, { "table", K_KEEP, EL_TABLE },
    { "tbody", K_KEEP, EL_TBODY }, { "td", K_KEEP, EL_TD }, { "th", K_KEEP, EL_TH },
    { "thead", K_KEEP, EL_THEAD }, { "tr", K_KEEP, EL_TR }, { "u", K_KEEP, EL_U },
    { "ul", K_KEEP, EL_UL },

    { "iframe", K_RAW, 0 }, { "noembed", K_RAW, 0 }, { "noframes", K_RAW, 0 },
    { "noscript", K_RAW, 0 }, { "script", K_RAW, 0 }, { "style", K_RAW, 0 },
    { "textarea", K_RAW, 0 }, { "title", K_RAW, 0 }, { "xmp", K_RAW, 0 },

    { "applet", K_NEST, 0 }, { "object", K_NEST, 0 }, { "template", K_NEST, 0 },
    { "math", K_FOREIGN, 0 }, { "svg", K_FOREIGN, 0 },

    { "address", K_SEP, 0 }, { "article", K_SEP, 0 }, { "aside", K_SEP, 0 },
    { "body", K_SEP, 0 }, { "caption", K_SEP, 0 }, { "center", K_SEP, 0 },
    { "dd", K_SEP, 0 }, { "details", K_SEP, 0 }, { "dialog", K_SEP, 0 },
    { "dir", K_SEP, 0 }, { "div", K_SEP, 0 }, { "dl", K_SEP, 0 }, { "dt", K_SEP, 0 },
    { "fieldset", K_SEP, 0 }, { "figcaption", K_SEP, 0 }, { "figure", K_SEP, 0 },
    { "footer", K_SEP, 0 }, { "form", K_SEP, 0 }, { "h1", K_SEP, 0 },
    { "h5", K_SEP, 0 }, { "h6", K_SEP, 0 }, { "head", K_SEP, 0 },
    { "header", K_SEP, 0 }, { "hgroup", K_SEP, 0 }, { "html", K_SEP, 0 },
    { "legend", K_SEP, 0 }, { "listing", K_SEP, 0 }, { "main", K_SEP, 0 },
    { "menu", K_SEP, 0 }, { "nav", K_SEP, 0 }, { "optgroup", K_SEP, 0 },
    { "option", K_SEP, 0 }, { "plaintext", K_SEP, 0 }, { "pre", K_SEP, 0 },
    { "section", K_SEP, 0 }, { "select", K_SEP, 0 }, { "summary", K_SEP, 0 },
    { "tfoot", K_SEP, 0 },
};

#define MAX_TAG_NAME 16

static const tagdef_t *tag_lookup(const char *name, apr_size_t n)
{
    char low[MAX_TAG_NAME];
    apr_size_t i;

    if (n >= MAX_TAG_NAME)
        return NULL;
    for (i = 0; i < n; i++)
        low[i] = lower(name[i]);
    low[n] = '\0';
    for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
        if (strcmp(low, tags[i].name) == 0)
            return &tags[i];
    return NULL;
}

/* -------------------------------------------------------------- tokenizer */

enum { MK_OTHER, MK_START, MK_END };

typedef struct {
    int kind;
    const char *name;
    apr_size_t nlen;
    int selfclosing;
    int has_href;
    const char *href;
    apr_size_t hlen;
} mk_t;

/* A tag from its name at s[k] (an ASCII letter).  Attributes are read as
 * HTML5 does, so that a '>' inside a quoted value does not end the tag;
 * only the first href is kept.  A tag cut by the end of input is nothing. */
static apr_size_t read_tag(const char *s, apr_size_t n, apr_size_t k, int kind,
                           mk_t *m)
{
    apr_size_t j = k;

    m->name = s + k;
    while (j < n && !is_ws(s[j]) && s[j] != '/' && s[j] != '>')
        j++;
    m->nlen = j - k;
    for (;;) {
        apr_size_t an, anlen, vlen = 0;
        const char *vs = NULL;

        while (j < n && is_ws(s[j]))
            j++;
        if (j >= n)
            return n;
        if (s[j] == '>') {
            m->kind = kind;
            return j + 1;
        }
        if (s[j] == '/') {
            if (j + 1 < n && s[j + 1] == '>') {
                m->selfclosing = 1;
                m->kind = kind;
                return j + 2;
            }
            j++;
            continue;
        }
        an = j++;                   /* the first character may be '=' or a quote */
        while (j < n && !is_ws(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '=')
            j++;
        anlen = j - an;
        while (j < n && is_ws(s[j]))
            j++;
        if (j < n && s[j] == '=') {
            j++;
            while (j < n && is_ws(s[j]))
                j++;
            if (j >= n)
                return n;
            if (s[j] == '"' || s[j] == '\'') {
                const char *q = memchr(s + j + 1, s[j], n - j - 1);
                if (!q)
                    return n;
                vs = s + j + 1;
                vlen = (apr_size_t)(q - vs);
                j = (apr_size_t)(q - s) + 1;
            }
            else if (s[j] != '>') {
                vs = s + j;
                while (j < n && !is_ws(s[j]) && s[j] != '>')
                    j++;
                vlen = (apr_size_t)(s + j - vs);
            }
        }
        if (kind == MK_START && !m->has_href && anlen == 4
            && strncasecmp(s + an, "href", 4) == 0) {
            m->has_href = 1;
            m->href = vs ? vs : "";
            m->hlen = vlen;
        }
    }
}

/* Up to and including the next '>' (bogus comments, doctypes, CDATA, PIs). */
static apr_size_t read_bogus(const char *s, apr_size_t n, apr_size_t k)
{
    const char *gt = k < n ? memchr(s + k, '>', n - k) : NULL;
    return gt ? (apr_size_t)(gt - s) + 1 : n;
}

/* A comment whose "<!--" ends before s[k]. */
static apr_size_t read_comment(const char *s, apr_size_t n, apr_size_t k)
{
    if (k < n && s[k] == '>')
        return k + 1;                           /* "<!-->" */
    if (k + 1 < n && s[k] == '-' && s[k + 1] == '>')
        return k + 2;                           /* "<!--->" */
    while (k + 2 < n) {
        const char *d = memchr(s + k, '-', n - k - 2);
        if (!d)
            break;
        k = (apr_size_t)(d - s);
        if (s[k + 1] == '-') {
            if (s[k + 2] == '>')
                return k + 3;
            if (s[k + 2] == '!' && k + 3 < n && s[k + 3] == '>')
                return k + 4;
        }
        k++;
    }
    return n;
}

/* Markup at s[i] == '<': the offset just past it, with m->kind telling
 * what it was; i itself when this '<' is only text. */
static apr_size_t read_markup(const char *s, apr_size_t n, apr_size_t i, mk_t *m)
{
    apr_size_t k = i + 1;

    memset(m, 0, sizeof(*m));
    m->kind = MK_OTHER;
    if (k >= n)
        return i;
    if (is_alpha(s[k]))
        return read_tag(s, n, k, MK_START, m);
    if (s[k] == '/') {
        if (k + 1 >= n)
            return i;
        if (is_alpha(s[k + 1]))
            return read_tag(s, n, k + 1, MK_END, m);
        if (s[k + 1] == '>')
            return k + 2;
        return read_bogus(s, n, k + 1);
    }
    if (s[k] == '!') {
        if (k + 2 < n && s[k + 1] == '-' && s[k + 2] == '-')
            return read_comment(s, n, k + 3);
        if (n - k > 7 && memcmp(s + k + 1, "[CDATA[", 7) == 0) {
            /* HTML5 ends this bogus comment at the first '>'; we drop the
             * whole section: only content can be lost that way */
            apr_size_t j;
            for (j = k + 8; j + 2 < n; j++)
                if (s[j] == ']' && s[j + 1] == ']' && s[j + 2] == '>')
                    return j + 3;
            return n;
        }
        return read_bogus(s, n, k + 1);
    }
    if (s[k] == '?')
        return read_bogus(s, n, k + 1);
    return i;
}

/* Past the end tag of a raw text element named name, from s[k]; the end of
 * input when there is none. */
static apr_size_t skip_raw(const char *s, apr_size_t n, apr_size_t k,
                           const char *name)
{
    apr_size_t nl = strlen(name);

    while (k < n) {
        const char *lt = memchr(s + k, '<', n - k);
        apr_size_t q, j;
        mk_t m;

        if (!lt)
            break;
        q = (apr_size_t)(lt - s);
        k = q + 1;
        if (n - q < nl + 2 || s[q + 1] != '/')
            continue;
        for (j = 0; j < nl; j++)
            if (lower(s[q + 2 + j]) != name[j])
                break;
        if (j < nl)
            continue;
        j = q + 2 + nl;
        if (j < n && !is_ws(s[j]) && s[j] != '/' && s[j] != '>')
            continue;
        return read_markup(s, n, q, &m);
    }
    return n;
}

typedef struct sink_t sink_t;
struct sink_t {
    /* decoded text; s[n] is not necessarily NUL */
    void (*text)(sink_t *k, const char *s, apr_size_t n);
    /* a whitelisted start tag; href is the decoded value for <a>, or NULL */
    void (*start)(sink_t *k, int el, const char *href);
    void (*end)(sink_t *k, int el);
    /* a dropped block-level tag */
    void (*sep)(sink_t *k);
};

static void flush_text(sink_t *k, buf_t *tb, const char *s, apr_size_t n)
{
    if (n == 0)
        return;
    tb->n = 0;
    decode_into(tb, s, n);
    k->text(k, tb->b, tb->n);
}

static void tokenize(apr_pool_t *p, const char *s, apr_size_t n, sink_t *k)
{
    buf_t tb, hb;
    apr_size_t i = 0, ts = 0;
    const tagdef_t *skip = NULL;
    apr_size_t skip_depth = 0;

    buf_init(&tb, p, 256);
    buf_init(&hb, p, 64);
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        const tagdef_t *t;
        apr_size_t e;
        mk_t m;

        if (!lt)
            break;
        i = (apr_size_t)(lt - s);
        e = read_markup(s, n, i, &m);
        if (e == i) {
            i++;
            continue;
        }
        if (!skip)
            flush_text(k, &tb, s + ts, i - ts);
        i = ts = e;
        if (m.kind == MK_OTHER)
            continue;
        t = tag_lookup(m.name, m.nlen);
        if (skip) {
            if (t == skip) {
                if (m.kind == MK_END)
                    skip_depth--;
                else if (!(t->kind == K_FOREIGN && m.selfclosing))
                    skip_depth++;
                if (skip_depth == 0)
                    skip = NULL;
            }
            else if (t && t->kind == K_RAW && m.kind == MK_START)
                i = ts = skip_raw(s, n, i, t->name);
            continue;
        }
        if (!t)
            continue;
        switch (t->kind) {
        case K_KEEP:
            if (m.kind == MK_END)
                k->end(k, t->el);
            else if (t->el == EL_A) {
                if (m.has_href) {
                    hb.n = 0;
                    decode_into(&hb, m.href, m.hlen);
                    k->start(k, t->el, apr_pstrmemdup(p, hb.b, hb.n));
                }
            }
            else
                k->start(k, t->el, NULL);
            break;
        case K_RAW:
            if (m.kind == MK_START)
                i = ts = skip_raw(s, n, i, t->name);
            break;
        case K_NEST:
        case K_FOREIGN:
            if (m.kind == MK_START && !(t->kind == K_FOREIGN && m.selfclosing)) {
                skip = t;
                skip_depth = 1;
            }
            break;
        default:
            k->sep(k);
            break;
        }
    }
    if (!skip)
        flush_text(k, &tb, s + ts, n - ts);
}

/* -------------------------------------------------------------- sanitizer */

typedef struct {
    sink_t k;                   /* first: the sink callbacks get &san->k */
    apr_pool_t *p;
    buf_t out;
    unsigned char stack[SHOP_HTML_MAX_DEPTH];
    int depth;
} san_t;

static void put_escaped(buf_t *b, const char *s, apr_size_t n)
{
    apr_size_t i, from = 0;

    for (i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_put(b, s + from, i - from);
        buf_puts(b, rep);
        from = i + 1;
    }
    buf_put(b, s + from, n - from);
}

static int top(const san_t *st)
{
    return st->depth ? st->stack[st->depth - 1] : EL_ROOT;
}

static int is_phrasing(int el)
{
    return el == EL_TEXT || el == EL_BR || (els[el].flags & F_INLINE);
}

static int is_flow(int el)
{
    return is_phrasing(el) || (els[el].flags & F_BLOCK);
}

/* Whether parent may hold child as it is. */
static int accepts(int parent, int child)
{
    unsigned f = els[parent].flags;

    if (f & F_FLOW)
        return is_flow(child);
    if (f & F_PHRASE)
        return is_phrasing(child);
    switch (parent) {
    case EL_UL:
    case EL_OL:
        return child == EL_LI;
    case EL_TABLE:
        return child == EL_THEAD || child == EL_TBODY;
    case EL_THEAD:
    case EL_TBODY:
        return child == EL_TR;
    case EL_TR:
        return child == EL_TH || child == EL_TD;
    }
    return 0;
}

/* The element to open implicitly in parent so that child fits, or 0. */
static int wrapper(int parent, int child)
{
    switch (parent) {
    case EL_UL:
    case EL_OL:
        return is_flow(child) ? EL_LI : 0;
    case EL_TABLE:
        return (child == EL_TR || child == EL_TD || child == EL_TH || is_flow(child))
               ? EL_TBODY : 0;
    case EL_THEAD:
    case EL_TBODY:
        return (child == EL_TD || child == EL_TH || is_flow(child)) ? EL_TR : 0;
    case EL_TR:
        return is_flow(child) ? EL_TD : 0;
    }
    if ((els[parent].flags & F_FLOW) && child == EL_LI)
        return EL_UL;
    return 0;
}

static int push(san_t *st, int el)
{
    if (st->depth >= SHOP_HTML_MAX_DEPTH)
        return 0;
    st->stack[st->depth++] = (unsigned char)el;
    buf_putc(&st->out, '<');
    buf_puts(&st->out, els[el].name);
    buf_putc(&st->out, '>');
    return 1;
}

static void pop(san_t *st)
{
    int el = st->stack[--st->depth];

    buf_puts(&st->out, "</");
    buf_puts(&st->out, els[el].name);
    buf_putc(&st->out, '>');
}

static void pop_through(san_t *st, int k)
{
    while (st->depth > k)
        pop(st);
}

/* Close, or open wrappers, until the current element accepts el.  0 when
 * el has no place here (it is then dropped). */
static int fit(san_t *st, int el)
{
    for (;;) {
        int t = top(st), w;

        if (accepts(t, el))
            return 1;
        if ((els[t].flags & F_PHRASE) && !is_phrasing(el)) {
            pop(st);
            continue;
        }
        w = wrapper(t, el);
        if (w && push(st, w))
            continue;
        return 0;
    }
}

/* Index of the innermost table-family element, or -1. */
static int innermost_table_part(const san_t *st)
{
    int k;

    for (k = st->depth - 1; k >= 0; k--)
        if (els[st->stack[k]].flags & F_TABLE)
            return k;
    return -1;
}

/* A start tag that ends an open sibling, as HTML5's implied end tags do. */
static void close_siblings(san_t *st, int el)
{
    int k;

    switch (el) {
    case EL_A:
        for (k = st->depth - 1; k >= 0 && (els[st->stack[k]].flags & F_INLINE); k--)
            if (st->stack[k] == EL_A) {
                pop_through(st, k);
                break;
            }
        break;
    case EL_LI:
        for (k = st->depth - 1; k >= 0 && (els[st->stack[k]].flags & F_PHRASE); k--)
            ;
        if (k >= 0 && st->stack[k] == EL_LI)
            pop_through(st, k);
        break;
    case EL_TD:
    case EL_TH:
        k = innermost_table_part(st);
        if (k >= 0 && (st->stack[k] == EL_TD || st->stack[k] == EL_TH))
            pop_through(st, k);
        break;
    case EL_TR:
        k = innermost_table_part(st);
        if (k >= 0 && (st->stack[k] == EL_TD || st->stack[k] == EL_TH)) {
            pop_through(st, k);
            k = innermost_table_part(st);
        }
        if (k >= 0 && st->stack[k] == EL_TR)
            pop_through(st, k);
        break;
    case EL_THEAD:
    case EL_TBODY:
        while ((k = innermost_table_part(st)) >= 0 && st->stack[k] != EL_TABLE)
            pop_through(st, k);
        break;
    }
}

/* 1 if the decoded href may be written, and *external for http(s). */
static int href_ok(const char *h, int *external)
{
    apr_size_t n = strlen(h), i;
    const char *colon;

    *external = 0;
    if (n == 0 || n > SHOP_MAX_REDIRECT_PATH)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)h[i] < 0x20 || h[i] == 0x7F)
            return 0;
    if (h[0] == '/')
        return shop_safe_local_path(h);
    colon = strchr(h, ':');
    if (!colon)
        return 0;
    if ((colon - h == 4 && strncasecmp(h, "http", 4) == 0)
        || (colon - h == 5 && strncasecmp(h, "https", 5) == 0)) {
        const char *host = colon + 3;
        if (colon[1] != '/' || colon[2] != '/' || *host == '\0'
            || strchr("/\\?#@ ", *host))
            return 0;
        *external = 1;
        return 1;
    }
    if (colon - h == 6 && strncasecmp(h, "mailto", 6) == 0)
        return colon[1] != '\0' && colon[1] != ' ';
    return 0;
}

static int all_space(const char *s, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++)
        if (!is_ws(s[i]))
            return 0;
    return 1;
}

static void san_text(sink_t *k, const char *s, apr_size_t n)
{
    san_t *st = (san_t *)k;

    if (!all_space(s, n) && !fit(st, EL_TEXT))
        return;
    put_escaped(&st->out, s, n);
}

static void san_start(sink_t *k, int el, const char *href)
{
    san_t *st = (san_t *)k;
    char *h = NULL;
    int external = 0;

    if (el == EL_A) {
        apr_size_t b = 0, e;

        /* URL parsers drop leading and trailing C0 controls and spaces */
        e = strlen(href);
        while (b < e && is_ws(href[b]))
            b++;
        while (e > b && is_ws(href[e - 1]))
            e--;
        h = apr_pstrmemdup(st->p, href + b, e - b);
        if (!href_ok(h, &external))
            return;
    }
    close_siblings(st, el);
    if (!fit(st, el))
        return;
    if (els[el].flags & F_VOID) {
        buf_putc(&st->out, '<');
        buf_puts(&st->out, els[el].name);
        buf_putc(&st->out, '>');
        return;
    }
    if (el != EL_A) {
        push(st, el);
        return;
    }
    if (st->depth >= SHOP_HTML_MAX_DEPTH)
        return;
    st->stack[st->depth++] = EL_A;
    buf_puts(&st->out, "<a href=\"");
    put_escaped(&st->out, h, strlen(h));
    buf_puts(&st->out, external ? "\" rel=\"noopener noreferrer\">" : "\">");
}

/* Whether an open e stops the search for the element that </el> closes
 * (HTML5's scopes, simplified). */
static int end_scope_stops(int el, int e)
{
    if (els[el].flags & F_INLINE)
        return !(els[e].flags & F_INLINE);
    switch (el) {
    case EL_LI:
        return e == EL_UL || e == EL_OL || e == EL_TABLE || e == EL_TD || e == EL_TH;
    case EL_TD:
    case EL_TH:
    case EL_TR:
    case EL_THEAD:
    case EL_TBODY:
        return e == EL_TABLE;
    case EL_TABLE:
        return 0;
    }
    return e == EL_TABLE || e == EL_TD || e == EL_TH;
}

static void san_end(sink_t *k, int el)
{
    san_t *st = (san_t *)k;
    int i;

    for (i = st->depth - 1; i >= 0; i--) {
        if (st->stack[i] == el) {
            pop_through(st, i);
            return;
        }
        if (end_scope_stops(el, st->stack[i]))
            return;
    }
}

static void san_sep(sink_t *k)
{
    buf_putc(&((san_t *)k)->out, '\n');
}

apr_status_t shop_html_sanitize(apr_pool_t *p, const char *in, apr_size_t len,
                                const char **out, const char **error)
{
    san_t st;
    const char *s;
    apr_size_t n;

    *out = NULL;
    if (in == NULL && len > 0) {
        *error = "no input";
        return APR_EINVAL;
    }
    if (len > SHOP_HTML_MAX_INPUT) {
        *error = "HTML text too large";
        return APR_ENOSPC;
    }
    s = clean(p, in ? in : "", len, &n);
    memset(&st, 0, sizeof(st));
    st.k.text = san_text;
    st.k.start = san_start;
    st.k.end = san_end;
    st.k.sep = san_sep;
    st.p = p;
    buf_init(&st.out, p, n + n / 4 + 64);
    tokenize(p, s, n, &st.k);
    pop_through(&st, 0);
    *out = st.out.b;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------- text */

typedef struct {
    sink_t k;
    buf_t out;
} txt_t;

static void txt_text(sink_t *k, const char *s, apr_size_t n)
{
    buf_put(&((txt_t *)k)->out, s, n);
}

static void txt_tag(sink_t *k, int el)
{
    if (!(els[el].flags & F_INLINE))
        buf_putc(&((txt_t *)k)->out, ' ');
}

static void txt_start(sink_t *k, int el, const char *href)
{
    txt_tag(k, el);
}

static void txt_sep(sink_t *k)
{
    buf_putc(&((txt_t *)k)->out, ' ');
}

const char *shop_html_to_text(apr_pool_t *p, const char *in, apr_size_t len)
{
    txt_t st;
    const char *s;
    char *o;
    apr_size_t n, i, w = 0;
    int space = 0;

    if (in == NULL)
        return "";
    s = clean(p, in, len, &n);
    memset(&st, 0, sizeof(st));
    st.k.text = txt_text;
    st.k.start = txt_start;
    st.k.end = txt_tag;
    st.k.sep = txt_sep;
    buf_init(&st.out, p, n + 16);
    tokenize(p, s, n, &st.k);
    /* collapse whitespace in place */
    o = st.out.b;
    for (i = 0; i < st.out.n; i++) {
        if (is_ws(o[i])) {
            space = 1;
            continue;
        }
        if (space && w > 0)
            o[w++] = ' ';
        space = 0;
        o[w++] = o[i];
    }
    o[w] = '\0';
    return o;
}

/* Bytes of the first max code points of s (well-formed UTF-8). */
static apr_size_t prefix_bytes(const char *s, apr_size_t max, apr_size_t *count)
{
    apr_size_t i = 0, c = 0;

    while (s[i] && c < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        c++;
    }
    if (count)
        *count = c;
    return i;
}

const char *shop_html_excerpt(apr_pool_t *p, const char *in, apr_size_t len,
                              apr_size_t max_chars)
{
    const char *t = shop_html_to_text(p, in, len);
    apr_size_t all, cut;

    if (max_chars == 0)
        return "";
    all = prefix_bytes(t, max_chars, NULL);
    if (t[all] == '\0')
        return t;                       /* fits */
    cut = prefix_bytes(t, max_chars - 1, NULL);
    if (t[cut] != ' ') {
        /* back to the last space of the prefix, unless it is one word */
        apr_size_t k = cut;
        while (k > 0 && t[k - 1] != ' ')
            k--;
        if (k > 0)
            cut = k;
    }
    while (cut > 0 && strchr(" ,;:", t[cut - 1]))
        cut--;
    return apr_pstrcat(p, apr_pstrmemdup(p, t, cut), "\xE2\x80\xA6", NULL);
}
