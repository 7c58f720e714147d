/* A bill's document (services/document.h) drawn as a PDF with libharu: A4,
 * DejaVu Sans (regular and bold, from env->font_dir) embedded, several pages
 * when the lines do not fit on one (the table header repeated on each), the
 * page number "n/N" and the catalogue footer on every page.
 *
 * Text: every string is UTF-8.  A string that Windows-1252 can write (the
 * Latin alphabets of western Europe, € œ « » – — … included; U+202F, the
 * narrow no-break space of French amounts, is drawn as U+00A0) uses the
 * faces cut to that character set (services/pdf_text.h, kept under
 * ShopDataDir/fonts) with that single-byte encoding; any other string is
 * drawn with the whole faces through libharu's "UTF-8" encoder (a CID font
 * with a ToUnicode map), loaded only when a document needs it: both
 * extract as Unicode (pdftotext), and the common case stays small (about
 * 40 KB) and fast (about 2 ms).
 *
 * Deterministic: the same document and flags give the same bytes (the
 * creation date is the document's issue date; libharu writes no random
 * file id without encryption), so golden tests compare text, and a stored
 * invoice could be made again identical.
 *
 * Thread-safe: each call has its own HPDF_Doc and error handler, freed by a
 * cleanup of `pool` when the call returns; no shared state. */
#ifndef SHOP_SERVICES_PDF_INVOICE_H
#define SHOP_SERVICES_PDF_INVOICE_H

#include "services/document.h"

/* Compress the embedded fonts too: smaller files for a little more time.
 * For documents made once and stored (invoices, credit notes); order
 * sheets drawn on each request leave it out. */
#define SHOP_PDF_COMPACT 0x1

/* Draw doc.  APR_SUCCESS with *pdf (in pool) and *len; otherwise an error
 * with *error, an English sentence for the log (missing font, libharu
 * error number). */
apr_status_t shop_pdf_invoice_render(apr_pool_t *pool, const shop_env_t *env, const shop_document_t *doc,
                                     int flags, const char **pdf, apr_size_t *len, const char **error);

#endif
