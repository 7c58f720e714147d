/* UTF-8 text on libharu pages: the fonts of a document, each string in the
 * encoding that can write it, measured, wrapped and drawn.
 *
 * A string Windows-1252 can write is drawn with the single-byte fonts
 * (U+202F and U+2007 become U+00A0, U+2009 a space; tabs become spaces,
 * other control characters are dropped) and faces cut to those
 * characters; any other string with the whole faces through libharu's
 * "UTF-8" encoder (CID fonts), loaded on first need (libharu builds a
 * 64K-entry map for each: 20 ms and 300 KB a face, which a document in
 * French, English or German never pays).  In UTF-8 strings,
 * bytes that are not UTF-8, and characters outside the Basic Multilingual
 * Plane, become U+FFFD.
 *
 * Everything lives in the caller's pool and HPDF_Doc; not shared between
 * threads. */
#ifndef SHOP_SERVICES_PDF_TEXT_H
#define SHOP_SERVICES_PDF_TEXT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <hpdf.h>

typedef struct shop_pdf_fonts {
    HPDF_Doc doc;
    const char *regular_path, *bold_path;   /* the whole faces */
    const char *regular_name, *bold_name;   /* the faces loaded for CP1252: subsets when they could be made */
    HPDF_Font regular, bold;                /* CP1252 */
    HPDF_Font uregular, ubold;              /* UTF-8, NULL until needed */
} shop_pdf_fonts_t;

/* A string ready to draw: bytes in the encoding of font. */
typedef struct shop_pdf_run {
    HPDF_Font font;
    const char *bytes;         /* NUL-terminated */
    apr_size_t len;
    int utf8;                  /* bytes are UTF-8 (font is a CID font) */
} shop_pdf_run_t;

/* Load DejaVuSans.ttf and DejaVuSans-Bold.ttf of font_dir, embedded.  For
 * Windows-1252 text, each face is cut to those characters once
 * (core/ttf_subset.h: 36 KB instead of 760, and a tenth of the time) and
 * the cut kept in cache_dir (NULL: no cache, the whole faces are used),
 * where a font file that changes gets a new one.  APR_SUCCESS, or
 * APR_ENOENT when a file is missing (libharu would only say "file not
 * found" through the error handler). */
apr_status_t shop_pdf_fonts_load(shop_pdf_fonts_t *f, apr_pool_t *pool, HPDF_Doc doc, const char *font_dir,
                                 const char *cache_dir);

/* utf8 (NULL gives "") as a run of the regular or bold face. */
shop_pdf_run_t shop_pdf_run(apr_pool_t *pool, shop_pdf_fonts_t *f, const char *utf8, int bold);

/* Width of r in points at `size`. */
float shop_pdf_width(const shop_pdf_run_t *r, float size);

/* utf8 cut into runs no wider than `width` at `size`: at '\n', then at
 * spaces (dropped where a line ends), a word wider than the line cut
 * between characters.  At least one run (an empty one for ""). */
apr_array_header_t *shop_pdf_wrap(apr_pool_t *pool, shop_pdf_fonts_t *f, const char *utf8, int bold, float size,
                                  float width);

/* Draw r with its baseline starting at (x, y). */
void shop_pdf_draw(HPDF_Page page, const shop_pdf_run_t *r, float size, float x, float y);

#endif
