/* UTF-8 text cut to a byte budget (a column, a spreadsheet cell) without
 * splitting a character: a database column or a file format refuses a
 * broken sequence.  Pure. */
#ifndef SHOP_CORE_UTF8_H
#define SHOP_CORE_UTF8_H

#include <apr_pools.h>

/* s itself when it holds at most max bytes, else a copy (in p) of its
 * longest prefix of at most max bytes that ends between characters. */
const char *shop_utf8_clip(apr_pool_t *p, const char *s, apr_size_t max);

#endif
