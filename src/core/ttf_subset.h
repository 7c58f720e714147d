/* ttf_subset.h -- a TrueType font cut down to the characters a document
 * uses, so that embedding it costs what those glyphs cost.
 *
 * Why: libharu 2.3 embeds a TrueType face with all of its glyph index
 * tables and glyph names (about 140 KB for DejaVu Sans, each document) and
 * spends most of a PDF's time copying them.  The shop draws Windows-1252
 * text with a face reduced to those 250 characters (pdf_text.c); the full
 * face is used only for text outside that set.
 *
 * What the subset keeps: glyph 0 (.notdef), the glyphs the cmap gives for
 * the code points asked (absent ones are skipped), and the components of
 * composite glyphs, renumbered in their original order; the tables head,
 * hhea, maxp, OS/2, cvt, fpgm, prep and gasp as they are (head with
 * long loca offsets and a new checksum adjustment, hhea and maxp with the
 * new counts); glyf, loca, hmtx rebuilt; cmap rebuilt as one (3,1)
 * format 4 subtable; post as version 3 (no glyph names); name as it is,
 * or, given a suffix, with its records 0 to 6 only (copyright notice to
 * PostScript name) and the suffix appended to the PostScript name.  Kerning and
 * OpenType layout tables are dropped: the shop's PDFs do not use them.
 *
 * Input is untrusted bytes: every offset and length is checked; a font
 * this code does not understand is refused, never half-read.  Pure: no
 * I/O, no state; thread-safe.  Output in the caller's pool. */
#ifndef SHOP_CORE_TTF_SUBSET_H
#define SHOP_CORE_TTF_SUBSET_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Fonts larger than this are refused (DejaVu Sans is 760 KB). */
#define SHOP_TTF_MAX_INPUT (16 * 1024 * 1024)
/* Composite glyphs nested deeper than this are refused. */
#define SHOP_TTF_MAX_DEPTH 8

/* Subset font[0..len) to the code points cps[0..ncps) (Unicode, BMP);
 * ps_suffix (NULL = none) is appended to the PostScript name.
 * APR_SUCCESS with *out and *outlen; APR_EINVAL with *error (a static
 * English sentence) for input that is not a TrueType font this code can
 * cut (no glyf outline, no Unicode cmap, truncated or inconsistent
 * tables). */
apr_status_t shop_ttf_subset(apr_pool_t *p, const unsigned char *font, apr_size_t len, const unsigned *cps,
                             int ncps, const char *ps_suffix, unsigned char **out, apr_size_t *outlen,
                             const char **error);

/* The glyph index the font's Unicode cmap gives for cp, 0 when none, -1
 * when the font cannot be read (tests and diagnostics).  U+FFFF, and an
 * index beyond the font's glyphs, give 0. */
int shop_ttf_glyph_of(const unsigned char *font, apr_size_t len, unsigned cp);

#endif
