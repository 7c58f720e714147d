/* libFuzzer target: HTML sanitizer, text and excerpt (src/core/html.c).
 * Oracle: no crash or sanitizer report, and for every input
 *   - sanitize succeeds (up to the size limit) and its output is
 *     well-formed UTF-8 made only of whitelisted tags, properly nested
 *     (depth <= SHOP_HTML_MAX_DEPTH), <a> with nothing but an escaped href
 *     of an allowed scheme (and our rel), and text whose only '&' start
 *     the five escapes;
 *   - sanitize is idempotent: sanitize(out) == out;
 *   - to_text is UTF-8 without controls, with whitespace collapsed;
 *   - excerpt keeps within its length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/form.h"
#include "core/html.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static const char *const allowed[] = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3",
    "h4", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "span", "hr",
    NULL
};

static int is_allowed(const char *name, size_t n)
{
    int i;
    for (i = 0; allowed[i]; i++)
        if (strlen(allowed[i]) == n && memcmp(allowed[i], name, n) == 0)
            return 1;
    return 0;
}

/* length of an escape at s ("&amp;" ...), 0 if none */
static size_t escape_len(const char *s)
{
    static const char *const esc[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", NULL };
    int i;
    for (i = 0; esc[i]; i++)
        if (strncmp(s, esc[i], strlen(esc[i])) == 0)
            return strlen(esc[i]);
    return 0;
}

static void check_href(const char *v, size_t n)
{
    char *d = malloc(n + 1);
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        if (v[i] == '<' || v[i] == '>' || v[i] == '"' || v[i] == '\'')
            abort();
        if (v[i] == '&') {
            size_t e = escape_len(v + i);
            if (!e)
                abort();
            d[o++] = v[i + 1] == 'a' ? '&' : v[i + 1] == 'l' ? '<' : v[i + 1] == 'g' ? '>'
                     : v[i + 1] == 'q' ? '"' : '\'';
            i += e - 1;
        }
        else
            d[o++] = v[i];
    }
    d[o] = '\0';
    for (i = 0; i < o; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
            abort();
    if (!(strncasecmp(d, "http://", 7) == 0 || strncasecmp(d, "https://", 8) == 0
          || strncasecmp(d, "mailto:", 7) == 0
          || (d[0] == '/' && d[1] != '/' && d[1] != '\\')))
        abort();
    free(d);
}

static void check_html(const char *s)
{
    size_t n = strlen(s), i = 0;
    const char *stack[SHOP_HTML_MAX_DEPTH];
    size_t sl[SHOP_HTML_MAX_DEPTH];
    int depth = 0;

    if (!shop_utf8_valid(s, n, NULL))
        abort();
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n')
            abort();
        if (c == '>' || c == '"' || c == '\'')
            abort();
        if (c == '&') {
            size_t e = escape_len(s + i);
            if (!e)
                abort();
            i += e;
            continue;
        }
        if (c != '<') {
            i++;
            continue;
        }
        if (s[i + 1] == '/') {
            const char *name = s + i + 2;
            const char *gt = strchr(name, '>');
            size_t nl;
            if (!gt)
                abort();
            nl = (size_t)(gt - name);
            if (depth == 0 || sl[depth - 1] != nl || memcmp(stack[depth - 1], name, nl) != 0)
                abort();
            depth--;
            i = (size_t)(gt - s) + 1;
            continue;
        }
        if (strncmp(s + i, "<a href=\"", 9) == 0) {
            const char *v = s + i + 9, *q = strchr(v, '"');
            if (!q)
                abort();
            check_href(v, (size_t)(q - v));
            if (strncmp(q, "\">", 2) == 0)
                i = (size_t)(q - s) + 2;
            else if (strncmp(q, "\" rel=\"noopener noreferrer\">", 28) == 0)
                i = (size_t)(q - s) + 28;
            else
                abort();
            if (depth >= SHOP_HTML_MAX_DEPTH)
                abort();
            stack[depth] = "a";
            sl[depth++] = 1;
            continue;
        }
        {
            const char *name = s + i + 1, *gt = strchr(name, '>');
            size_t nl;
            if (!gt)
                abort();
            nl = (size_t)(gt - name);
            if (!is_allowed(name, nl))
                abort();
            i = (size_t)(gt - s) + 1;
            if ((nl == 2 && memcmp(name, "br", 2) == 0) || (nl == 2 && memcmp(name, "hr", 2) == 0))
                continue;
            if (depth >= SHOP_HTML_MAX_DEPTH)
                abort();
            stack[depth] = name;
            sl[depth++] = nl;
        }
    }
    if (depth != 0)
        abort();
}

static void check_text(const char *t)
{
    size_t n = strlen(t), i;
    if (!shop_utf8_valid(t, n, NULL))
        abort();
    if (n && (t[0] == ' ' || t[n - 1] == ' '))
        abort();
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 || c == 0x7f)
            abort();
        if (c == ' ' && t[i + 1] == ' ')
            abort();
    }
}

static size_t chars(const char *s)
{
    size_t c = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            c++;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *out = NULL, *again = NULL, *err = NULL, *t;
    size_t max = size ? data[0] % 40 : 10;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return 0;
    if (shop_html_sanitize(p, (const char *)data, size, &out, &err) != APR_SUCCESS) {
        if (size <= SHOP_HTML_MAX_INPUT || out != NULL || err == NULL)
            abort();
    }
    else {
        check_html(out);
        if (shop_html_sanitize(p, out, strlen(out), &again, &err) != APR_SUCCESS
            || strcmp(out, again) != 0)
            abort();
    }
    t = shop_html_to_text(p, (const char *)data, size);
    check_text(t);
    t = shop_html_excerpt(p, (const char *)data, size, max);
    if (chars(t) > max || !shop_utf8_valid(t, strlen(t), NULL))
        abort();
    apr_pool_destroy(p);
    return 0;
}
