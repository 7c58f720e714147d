/* UTF-8 text on libharu pages: see pdf_text.h. */
#include "services/pdf_text.h"
#include "core/ttf_subset.h"
#include "data/filestore.h"

#include <apr_file_io.h>

#include <apr_file_info.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>
#include <unistd.h>

#define REPLACEMENT "\xEF\xBF\xBD"     /* U+FFFD in UTF-8 */

/* The code points Windows-1252 writes: what the subset faces hold. */
static int winansi_points(unsigned *cps);

/* Keep the cut face as cache_dir/name: a temporary file renamed, readable
 * by everyone (a font; shopctl and httpd run as different users and each
 * must read what the other made). */
static apr_status_t keep(apr_pool_t *pool, const char *cache_dir, const char *name, const unsigned char *data,
                         apr_size_t len)
{
    apr_file_t *f;
    apr_size_t written;
    apr_status_t rv = apr_dir_make_recursive(cache_dir, APR_FPROT_OS_DEFAULT, pool);
    char *tmp = apr_pstrcat(pool, cache_dir, "/.", name, ".XXXXXX", NULL);
    if (rv == APR_SUCCESS) rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                                                         | APR_FOPEN_BINARY, pool);
    if (rv != APR_SUCCESS) return rv;
    rv = apr_file_write_full(f, data, len, &written);
    apr_status_t closed = apr_file_close(f);
    if (rv == APR_SUCCESS) rv = closed;
    if (rv == APR_SUCCESS) rv = apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD
                                                        | APR_FPROT_WREAD);
    if (rv == APR_SUCCESS) rv = apr_file_rename(tmp, apr_pstrcat(pool, cache_dir, "/", name, NULL), pool);
    if (rv != APR_SUCCESS) apr_file_remove(tmp, pool);
    return rv;
}

/* The face cut to Windows-1252 (core/ttf_subset.h), made once and kept
 * under cache_dir as <face>-winansi-<size>-<mtime>.ttf (a changed font file
 * gets a new one); NULL when it cannot be made or kept: the whole face is
 * then used, slower but the same on paper. */
static const char *subset_file(apr_pool_t *pool, const char *full, const char *face, const apr_finfo_t *fi,
                               const char *cache_dir)
{
    if (!cache_dir || !*cache_dir) return NULL;
    const char *name = apr_psprintf(pool, "%s-winansi-%" APR_OFF_T_FMT "-%" APR_TIME_T_FMT ".ttf", face, fi->size,
                                    apr_time_sec(fi->mtime));
    const char *path = apr_pstrcat(pool, cache_dir, "/", name, NULL);
    apr_finfo_t st;
    if (apr_stat(&st, path, APR_FINFO_TYPE, pool) == APR_SUCCESS && st.filetype == APR_REG)
        return access(path, R_OK) == 0 ? path : NULL;
    char *data;
    apr_size_t len, outlen;
    unsigned cps[256];
    unsigned char *out;
    const char *error;
    int n = winansi_points(cps);
    if (shop_file_read(pool, full, SHOP_TTF_MAX_INPUT, &data, &len) != APR_SUCCESS
        || shop_ttf_subset(pool, (const unsigned char *)data, len, cps, n, "-WinAnsi", &out, &outlen, &error)
               != APR_SUCCESS
        || keep(pool, cache_dir, name, out, outlen) != APR_SUCCESS)
        return NULL;
    return path;
}

static apr_status_t load_face(shop_pdf_fonts_t *f, apr_pool_t *pool, const char *font_dir, const char *cache_dir,
                              const char *face, const char **full, const char **name)
{
    apr_finfo_t fi;
    *full = apr_pstrcat(pool, font_dir, "/", face, ".ttf", NULL);
    if (apr_stat(&fi, *full, APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME, pool) != APR_SUCCESS
        || fi.filetype != APR_REG)
        return APR_ENOENT;
    const char *subset = subset_file(pool, *full, face, &fi, cache_dir);
    *name = HPDF_LoadTTFontFromFile(f->doc, subset ? subset : *full, HPDF_TRUE);
    return *name ? APR_SUCCESS : APR_EGENERAL;
}

apr_status_t shop_pdf_fonts_load(shop_pdf_fonts_t *f, apr_pool_t *pool, HPDF_Doc doc, const char *font_dir,
                                 const char *cache_dir)
{
    memset(f, 0, sizeof(*f));
    f->doc = doc;
    apr_status_t rv = load_face(f, pool, font_dir, cache_dir, "DejaVuSans", &f->regular_path, &f->regular_name);
    if (rv == APR_SUCCESS)
        rv = load_face(f, pool, font_dir, cache_dir, "DejaVuSans-Bold", &f->bold_path, &f->bold_name);
    if (rv != APR_SUCCESS) return rv;
    f->regular = HPDF_GetFont(doc, f->regular_name, "CP1252");
    f->bold = HPDF_GetFont(doc, f->bold_name, "CP1252");
    return f->regular && f->bold ? APR_SUCCESS : APR_EGENERAL;
}

/* The next code point of s[0..n), *adv bytes long; -1 for bytes that are
 * not well-formed UTF-8 (*adv 1: skip one byte). */
static long next_cp(const unsigned char *s, apr_size_t n, apr_size_t *adv)
{
    *adv = 1;
    unsigned c = s[0];
    if (c < 0x80) return c;
    int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0) : c >= 0xC2 ? 2 : 0;
    if (!len || (apr_size_t)len > n) return -1;
    long cp = c & (0xFF >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return -1;
    *adv = (apr_size_t)len;
    return cp;
}

static const struct { unsigned short cp; unsigned char code; } high[] = {
        { 0x20AC, 0x80 }, { 0x201A, 0x82 }, { 0x0192, 0x83 }, { 0x201E, 0x84 }, { 0x2026, 0x85 },
        { 0x2020, 0x86 }, { 0x2021, 0x87 }, { 0x02C6, 0x88 }, { 0x2030, 0x89 }, { 0x0160, 0x8A },
        { 0x2039, 0x8B }, { 0x0152, 0x8C }, { 0x017D, 0x8E }, { 0x2018, 0x91 }, { 0x2019, 0x92 },
        { 0x201C, 0x93 }, { 0x201D, 0x94 }, { 0x2022, 0x95 }, { 0x2013, 0x96 }, { 0x2014, 0x97 },
        { 0x02DC, 0x98 }, { 0x2122, 0x99 }, { 0x0161, 0x9A }, { 0x203A, 0x9B }, { 0x0153, 0x9C },
        { 0x017E, 0x9E }, { 0x0178, 0x9F },
        { 0x202F, 0xA0 }, { 0x2007, 0xA0 }, { 0x2009, 0x20 }, { 0x200A, 0x20 }, { 0x2002, 0x20 },
        { 0x2003, 0x20 }, { 0x2011, 0x2D }
};

/* Windows-1252 code of cp, 0 for a character to leave out, -1 when the
 * encoding cannot write it. */
static int cp1252(long cp)
{
    if (cp == '\t') return ' ';
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    if (cp < 0x7F || (cp >= 0xA0 && cp <= 0xFF)) return (int)cp;
    for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++)
        if (high[i].cp == cp) return high[i].code;
    return -1;
}

static int winansi_points(unsigned *cps)
{
    int n = 0;
    for (unsigned c = 0x20; c < 0x7F; c++) cps[n++] = c;
    for (unsigned c = 0xA0; c <= 0xFF; c++) cps[n++] = c;
    for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++)
        if (high[i].code >= 0x80 && high[i].code < 0xA0) cps[n++] = high[i].cp;
    return n;
}

/* utf8 in Windows-1252, or NULL when some character does not fit. */
static char *to_cp1252(apr_pool_t *pool, const char *utf8, apr_size_t n, apr_size_t *outlen)
{
    char *out = apr_palloc(pool, n + 1), *o = out;
    const unsigned char *s = (const unsigned char *)utf8;
    apr_size_t adv;
    for (apr_size_t i = 0; i < n; i += adv) {
        long cp = next_cp(s + i, n - i, &adv);
        int code = cp < 0 ? -1 : cp1252(cp);
        if (code < 0) return NULL;
        if (code) *o++ = (char)code;
    }
    *o = '\0';
    *outlen = (apr_size_t)(o - out);
    return out;
}

/* utf8 made safe for libharu's UTF-8 encoder: well-formed, BMP only, no
 * control character. */
static char *clean_utf8(apr_pool_t *pool, const char *utf8, apr_size_t n, apr_size_t *outlen)
{
    char *out = apr_palloc(pool, n * 3 + 1), *o = out;
    const unsigned char *s = (const unsigned char *)utf8;
    apr_size_t adv;
    for (apr_size_t i = 0; i < n; i += adv) {
        long cp = next_cp(s + i, n - i, &adv);
        if (cp == '\t') *o++ = ' ';
        else if (cp >= 0 && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))) continue;
        else if (cp < 0 || cp > 0xFFFF) {
            memcpy(o, REPLACEMENT, 3);
            o += 3;
        } else {
            memcpy(o, s + i, adv);
            o += adv;
        }
    }
    *o = '\0';
    *outlen = (apr_size_t)(o - out);
    return out;
}

/* The whole face with the UTF-8 encoder (the subset lacks the glyphs). */
static HPDF_Font utf8_font(shop_pdf_fonts_t *f, int bold)
{
    if (!f->uregular && !f->ubold) HPDF_UseUTFEncodings(f->doc);
    HPDF_Font *slot = bold ? &f->ubold : &f->uregular;
    if (!*slot) {
        const char *name = HPDF_LoadTTFontFromFile(f->doc, bold ? f->bold_path : f->regular_path, HPDF_TRUE);
        if (name) *slot = HPDF_GetFont(f->doc, name, "UTF-8");
    }
    return *slot;
}

static shop_pdf_run_t run_of(apr_pool_t *pool, shop_pdf_fonts_t *f, const char *utf8, apr_size_t n, int bold)
{
    shop_pdf_run_t r = { 0 };
    char *b = to_cp1252(pool, utf8, n, &r.len);
    if (b) {
        r.font = bold ? f->bold : f->regular;
    } else {
        b = clean_utf8(pool, utf8, n, &r.len);
        r.font = utf8_font(f, bold);
        r.utf8 = 1;
    }
    r.bytes = b;
    return r;
}

shop_pdf_run_t shop_pdf_run(apr_pool_t *pool, shop_pdf_fonts_t *f, const char *utf8, int bold)
{
    if (!utf8) utf8 = "";
    return run_of(pool, f, utf8, strlen(utf8), bold);
}

static float width_of(HPDF_Font font, const char *bytes, apr_size_t len, float size)
{
    if (!font || !len) return 0;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)bytes, (HPDF_UINT)len);
    return (float)tw.width * size / 1000.0f;
}

float shop_pdf_width(const shop_pdf_run_t *r, float size)
{
    return width_of(r->font, r->bytes, r->len, size);
}

/* Bytes of the character starting at bytes[i] in the run's encoding. */
static apr_size_t char_len(const shop_pdf_run_t *r, apr_size_t i)
{
    if (!r->utf8) return 1;
    apr_size_t n = 1;
    while (i + n < r->len && ((unsigned char)r->bytes[i + n] & 0xC0) == 0x80) n++;
    return n;
}

static void push(apr_pool_t *pool, apr_array_header_t *out, const shop_pdf_run_t *whole, apr_size_t from,
                 apr_size_t to)
{
    shop_pdf_run_t *r = apr_array_push(out);
    *r = *whole;
    while (to > from && whole->bytes[to - 1] == ' ') to--;
    r->bytes = apr_pstrmemdup(pool, whole->bytes + from, to - from);
    r->len = to - from;
}

/* One paragraph (no '\n') into lines. */
static void wrap_run(apr_pool_t *pool, apr_array_header_t *out, const shop_pdf_run_t *whole, float size,
                     float width)
{
    const char *b = whole->bytes;
    apr_size_t n = whole->len, start = 0;
    while (start < n && b[start] == ' ') start++;
    if (start == n) {
        push(pool, out, whole, 0, 0);
        return;
    }
    while (start < n) {
        apr_size_t end = start, fit = start;
        /* whole words while they fit */
        while (end < n) {
            apr_size_t next = end;
            while (next < n && b[next] == ' ') next++;
            while (next < n && b[next] != ' ') next++;
            if (width_of(whole->font, b + start, next - start, size) > width) break;
            end = fit = next;
        }
        if (fit == start) {
            /* a word wider than the line: as many characters as fit, one at least */
            apr_size_t i = start + char_len(whole, start);
            while (i < n && b[i] != ' ') {
                apr_size_t c = char_len(whole, i);
                if (width_of(whole->font, b + start, i + c - start, size) > width) break;
                i += c;
            }
            fit = i;
        }
        push(pool, out, whole, start, fit);
        start = fit;
        while (start < n && b[start] == ' ') start++;
    }
}

apr_array_header_t *shop_pdf_wrap(apr_pool_t *pool, shop_pdf_fonts_t *f, const char *utf8, int bold, float size,
                                  float width)
{
    apr_array_header_t *out = apr_array_make(pool, 4, sizeof(shop_pdf_run_t));
    if (!utf8) utf8 = "";
    for (;;) {
        const char *nl = strchr(utf8, '\n');
        apr_size_t n = nl ? (apr_size_t)(nl - utf8) : strlen(utf8);
        if (n && utf8[n - 1] == '\r') n--;
        shop_pdf_run_t whole = run_of(pool, f, utf8, n, bold);
        wrap_run(pool, out, &whole, size, width);
        if (!nl) break;
        utf8 = nl + 1;
    }
    return out;
}

void shop_pdf_draw(HPDF_Page page, const shop_pdf_run_t *r, float size, float x, float y)
{
    if (!r->len) return;
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, r->font, size);
    HPDF_Page_TextOut(page, x, y, r->bytes);
    HPDF_Page_EndText(page);
}
