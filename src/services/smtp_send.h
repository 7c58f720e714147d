/* Sending a built message (core/mail_message.h) through an SMTP server with
 * libcurl: ShopSMTP is smtp://HOST[:PORT] (STARTTLS used when the server
 * offers it) or smtps://HOST[:PORT]; credentials, when needed, go in the
 * URL (smtp://user:password@host) and are never written to an error text.
 * Timeouts: 5 s to connect, 20 s for the whole exchange.
 *
 * One shop_smtp_t sends any number of messages one after the other,
 * keeping its connection open between them (libcurl reuses it).  It is
 * closed by a cleanup of the pool it was opened in.  Not for two threads at
 * once: each request or command opens its own. */
#ifndef SHOP_SERVICES_SMTP_SEND_H
#define SHOP_SERVICES_SMTP_SEND_H

#include <apr_pools.h>

#define SHOP_SMTP_CONNECT_TIMEOUT 5
#define SHOP_SMTP_TIMEOUT         20

typedef struct shop_smtp shop_smtp_t;

/* NULL when libcurl cannot make a handle (*error set).  Timeouts are the
 * two above, or, with hurry, 1 s to connect and 5 s in all. */
shop_smtp_t *shop_smtp_open(apr_pool_t *p, const char *url, int hurry, const char **error);

typedef enum {
    SHOP_SMTP_OK = 0,
    SHOP_SMTP_UNREACHABLE,   /* no connection (refused, unknown name): the server is down */
    SHOP_SMTP_TIMED_OUT,     /* no connection or no answer in time: down, and slow to say so */
    SHOP_SMTP_FAILED         /* the server answered but did not take the message */
} shop_smtp_result_t;

/* Send msg[0..len) from `from` to `to` (bare addr-specs, the envelope).
 * On failure *error (in p) says why, with the server's reply when there is
 * one, the URL's password masked. */
shop_smtp_result_t shop_smtp_send(shop_smtp_t *s, apr_pool_t *p, const char *from, const char *to,
                                  const char *msg, apr_size_t len, const char **error);

#endif
