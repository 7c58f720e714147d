/*
 * sniff.h -- file type from content bytes (magic numbers).
 *
 * Uploads are typed from their content, never from the client's filename or
 * Content-Type.  Only the types the shop accepts are recognised; everything
 * else is SHOP_FILETYPE_UNKNOWN, which callers refuse or serve as
 * application/octet-stream with Content-Disposition: attachment.
 *
 * Signatures checked (offsets in bytes):
 *   PNG   89 50 4E 47 0D 0A 1A 0A at 0 and "IHDR" at 12
 *   JPEG  FF D8 FF at 0
 *   GIF   "GIF87a" or "GIF89a" at 0
 *   WEBP  "RIFF" at 0, "WEBP" at 8, "VP8 ", "VP8L" or "VP8X" at 12
 *   PDF   "%PDF-" at 0 (not anywhere in the first KiB as readers allow)
 * A match says the file starts like one, not that it is well-formed.
 *
 * Memory: no allocation; returned strings are static constants.
 * Thread-safe, any phase.
 */
#ifndef SHOP_CORE_SNIFF_H
#define SHOP_CORE_SNIFF_H

#include <apr.h>

typedef enum shop_filetype_e {
    SHOP_FILETYPE_UNKNOWN = 0,
    SHOP_FILETYPE_PNG,
    SHOP_FILETYPE_JPEG,
    SHOP_FILETYPE_GIF,
    SHOP_FILETYPE_WEBP,
    SHOP_FILETYPE_PDF
} shop_filetype_e;

/* Type of data[0..len); data may be NULL when len is 0 (UNKNOWN). */
shop_filetype_e shop_sniff(const void *data, apr_size_t len);

/* MIME type: "image/png", "image/jpeg", "image/gif", "image/webp",
 * "application/pdf"; "unknown" for SHOP_FILETYPE_UNKNOWN.  Never NULL. */
const char *shop_filetype_mime(shop_filetype_e type);

/* File extension with its dot (".png", ".jpg", ".gif", ".webp", ".pdf"),
 * "" for UNKNOWN.  Never NULL. */
const char *shop_filetype_ext(shop_filetype_e type);

/* shop_filetype_mime(shop_sniff(data, len)). */
const char *shop_sniff_mime(const void *data, apr_size_t len);

#endif /* SHOP_CORE_SNIFF_H */
