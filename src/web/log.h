/* Log tags.  Every line mod_shop writes starts with SHOPnnnn so operators can
 * grep and document them; httpd's AH numbers are httpd's own.  Numbers are
 * allocated per file in blocks of 100 (see README "Log messages"). */
#ifndef SHOP_WEB_LOG_H
#define SHOP_WEB_LOG_H

#include "http_log.h"

#define SHOPLOGNO(n) "SHOP" #n ": "

#endif
