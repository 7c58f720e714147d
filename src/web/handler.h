/* The content handler of mod_shop (SetHandler shop). */
#ifndef SHOP_WEB_HANDLER_H
#define SHOP_WEB_HANDLER_H

#include "httpd.h"

/* DECLINED for requests not ours; otherwise the route's answer.  Handlers
 * send their bodies through render.h, which writes the session back first. */
int shop_handler(request_rec *r);

#endif
