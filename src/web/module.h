/* The module record, declared for the web layer's files (defined in mod_shop.c). */
#ifndef SHOP_WEB_MODULE_H
#define SHOP_WEB_MODULE_H

#include "httpd.h"
#include "http_config.h"

extern module AP_MODULE_DECLARE_DATA shop_module;

#endif
