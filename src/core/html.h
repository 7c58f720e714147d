/*
 * html.h -- whitelist sanitizer for staff-authored rich text, and its plain
 * text forms.
 *
 * Shop, category and product descriptions, terms and bill footers are
 * written by staff in HTML and printed raw by the templates ({{{...}}}).
 * They must go through shop_html_sanitize() when they are saved (and may
 * go through it again when read: it is idempotent, sanitize(sanitize(x)) ==
 * sanitize(x)), so that what a template prints raw is always HTML that this
 * file produced.
 *
 * What the sanitizer outputs -- re-serialized by us, never copied from the
 * input -- is well-formed HTML made only of:
 *   p br strong b em i u s ul ol li h2 h3 h4 blockquote span hr
 *   table thead tbody tr th td
 *     with no attribute at all, and
 *   a href="..."
 *     whose href, after entity decoding and trimming, is one of
 *       http://HOST... or https://HOST...  (scheme in any case)
 *       mailto:SOMETHING
 *       a same-site path as shop_safe_local_path() accepts (ticket.h):
 *         starts with one '/' (not "//", not "/\"), printable ASCII only
 *     is at most 2048 bytes (SHOP_MAX_REDIRECT_PATH),
 *     and holds no control character (browsers drop TAB/CR/LF inside URLs,
 *     so "java\tscript:" and "/\t/evil" are refused, not repaired).  An
 *     absolute http(s) link also gets rel="noopener noreferrer"; no target
 *     is ever added (opening windows is the reader's choice; without a
 *     target there is no window.opener to protect, rel is defence in depth
 *     should a template or script add one).  An <a> whose href is missing
 *     or refused is dropped like an unknown tag (its text stays).
 *   Text, with & < > " ' escaped as &amp; &lt; &gt; &quot; &#39;.
 *
 * How the input is read (a simplified HTML5 tokenizer):
 *   - Bytes that are not well-formed UTF-8 become U+FFFD (one per maximal
 *     invalid subpart), as do NUL, C0 controls other than TAB and LF, DEL
 *     and C1 controls.  CR and CRLF become LF, FF a space.  The input is
 *     never refused for its encoding.
 *   - Entities in text and in href are decoded and re-escaped on output:
 *     the 252 HTML 4 named entities and &apos; (with their ';'), decimal
 *     and hex numeric references (';' optional, as in HTML5).  A numeric
 *     reference to 0, to a surrogate, above U+10FFFF, to a control or to a
 *     noncharacter gives U+FFFD; 0x80..0x9F map through windows-1252 as in
 *     HTML5.  An unknown name is kept as text ("&foo;" -> "&amp;foo;").
 *   - Tag names are matched ASCII-case-insensitively.  Other tags are
 *     dropped and their text kept; a dropped block-level tag (div, h1,
 *     section, pre, ...) leaves a newline so words do not run together.
 *     These are dropped with everything inside them: script, style, iframe,
 *     object, applet, template, noscript, noembed, noframes, xmp, textarea,
 *     title, svg and math (an <svg/> or <math/> written self-closing has no
 *     content).  embed is void: only the tag goes.  An unterminated element
 *     of this kind drops the rest of the input.
 *   - Comments (an unterminated one drops the rest of the input), CDATA
 *     sections (up to "]]>"), processing instructions, doctypes and bogus markup
 *     ("</ x>", "<!x>") are dropped.  A '<' that does not start a tag is
 *     text ("a < b", "<<script>").  A tag cut by the end of input is dropped.
 *
 * How the output is built (a simplified HTML5 tree builder):
 *   - Unclosed elements are closed; stray end tags are dropped; an end tag
 *     closes the elements opened inside it (</p> closes an open <b>).
 *   - p, h2-h4 and inline elements hold only inline content: a block
 *     start tag closes them first (no p inside p, no list inside a
 *     heading); an <a> inside an <a> closes the first; <li>, <td>, <th>,
 *     <tr>, <thead>, <tbody> close their open siblings.
 *   - Lists and tables get the wrappers they need: text or a block in a
 *     ul/ol opens an li, an li outside a list opens a ul, a tr in a table
 *     opens a tbody, a cell outside a row opens a tr, text in a table opens
 *     the cell.  Whitespace-only text goes where it is without wrappers.
 *     Table parts outside any table are dropped (text kept).
 *   - Formatting closed by a block is not reopened inside it:
 *     "<b>a<p>b" gives "<b>a</b><p>b</p>".
 *   - At most SHOP_HTML_MAX_DEPTH elements are open at once: deeper start
 *     tags are dropped (text kept), and text that would need a wrapper at
 *     that depth (in a list or table) is dropped.
 *
 * Memory: results are allocated in p.  All functions are thread-safe and
 * may run in any phase; none keeps state between calls.
 */
#ifndef SHOP_CORE_HTML_H
#define SHOP_CORE_HTML_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Larger input is refused by shop_html_sanitize (APR_ENOSPC). */
#define SHOP_HTML_MAX_INPUT     (256 * 1024)
/* Open elements at once in the sanitized output. */
#define SHOP_HTML_MAX_DEPTH     64

/* Sanitize in[0..len) (need not be NUL-terminated; may be NULL when len is
 * 0, giving "").  On APR_SUCCESS *out is the sanitized HTML, NUL-terminated,
 * in p.  On failure *out is NULL and *error a static English string:
 *   APR_ENOSPC  len > SHOP_HTML_MAX_INPUT
 *   APR_EINVAL  in is NULL with len > 0
 * Nothing else fails: bad markup and bad encoding are repaired. */
apr_status_t shop_html_sanitize(apr_pool_t *p, const char *in, apr_size_t len,
                                const char **out, const char **error);

/* The text of in[0..len) for plain-text mails, PDF, XLSX cells and meta
 * descriptions: tags removed (and the content of script, style, ... as
 * above), entities decoded, block boundaries and <br> turned into
 * whitespace, every run of ASCII whitespace collapsed to one space, leading
 * and trailing whitespace removed (U+00A0 is kept as it is).  The result is
 * PLAIN TEXT, well-formed UTF-8 without control characters: it is NOT
 * escaped ("&lt;b&gt;" gives "<b>"), so escape it for wherever it goes.
 * No size limit (the work is linear).  in NULL gives "". Never NULL. */
const char *shop_html_to_text(apr_pool_t *p, const char *in, apr_size_t len);

/* shop_html_to_text() cut to at most max_chars characters (Unicode code
 * points, the ellipsis included): when the text is longer, it is cut at
 * the last space that leaves room for "…" (U+2026), trailing spaces and
 * ",;:" before the cut are removed, and "…" is appended; a single word
 * longer than the room is cut inside.  max_chars 0 gives "". Never NULL;
 * plain text, NOT escaped. */
const char *shop_html_excerpt(apr_pool_t *p, const char *in, apr_size_t len,
                              apr_size_t max_chars);

#endif /* SHOP_CORE_HTML_H */
