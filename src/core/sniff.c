/*
 * sniff.c -- see sniff.h.
 */
#include "core/sniff.h"

#include <string.h>

static int at(const unsigned char *d, apr_size_t len, apr_size_t off,
              const char *magic, apr_size_t mlen)
{
    return len >= off + mlen && memcmp(d + off, magic, mlen) == 0;
}

shop_filetype_e shop_sniff(const void *data, apr_size_t len)
{
    const unsigned char *d = data;

    if (d == NULL)
        return SHOP_FILETYPE_UNKNOWN;
    if (at(d, len, 0, "\x89PNG\r\n\x1a\n", 8) && at(d, len, 12, "IHDR", 4))
        return SHOP_FILETYPE_PNG;
    if (at(d, len, 0, "\xff\xd8\xff", 3))
        return SHOP_FILETYPE_JPEG;
    if (at(d, len, 0, "GIF87a", 6) || at(d, len, 0, "GIF89a", 6))
        return SHOP_FILETYPE_GIF;
    if (at(d, len, 0, "RIFF", 4) && at(d, len, 8, "WEBP", 4)
        && (at(d, len, 12, "VP8 ", 4) || at(d, len, 12, "VP8L", 4)
            || at(d, len, 12, "VP8X", 4)))
        return SHOP_FILETYPE_WEBP;
    if (at(d, len, 0, "%PDF-", 5))
        return SHOP_FILETYPE_PDF;
    return SHOP_FILETYPE_UNKNOWN;
}

const char *shop_filetype_mime(shop_filetype_e type)
{
    switch (type) {
    case SHOP_FILETYPE_PNG:  return "image/png";
    case SHOP_FILETYPE_JPEG: return "image/jpeg";
    case SHOP_FILETYPE_GIF:  return "image/gif";
    case SHOP_FILETYPE_WEBP: return "image/webp";
    case SHOP_FILETYPE_PDF:  return "application/pdf";
    case SHOP_FILETYPE_UNKNOWN:
    default:                 return "unknown";
    }
}

const char *shop_filetype_ext(shop_filetype_e type)
{
    switch (type) {
    case SHOP_FILETYPE_PNG:  return ".png";
    case SHOP_FILETYPE_JPEG: return ".jpg";
    case SHOP_FILETYPE_GIF:  return ".gif";
    case SHOP_FILETYPE_WEBP: return ".webp";
    case SHOP_FILETYPE_PDF:  return ".pdf";
    case SHOP_FILETYPE_UNKNOWN:
    default:                 return "";
    }
}

const char *shop_sniff_mime(const void *data, apr_size_t len)
{
    return shop_filetype_mime(shop_sniff(data, len));
}
