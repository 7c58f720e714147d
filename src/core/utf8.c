/* UTF-8 clipping: see utf8.h. */
#include "core/utf8.h"

#include <string.h>
#include <apr_strings.h>

const char *shop_utf8_clip(apr_pool_t *p, const char *s, apr_size_t max)
{
    apr_size_t n = strlen(s);
    if (n <= max) return s;
    n = max;
    /* back over continuation bytes to the start of the character cut */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return apr_pstrmemdup(p, s, n);
}
