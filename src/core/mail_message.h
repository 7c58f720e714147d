/* An outgoing mail as RFC 5322 / MIME bytes, ready for SMTP DATA.  Pure:
 * no I/O, no clock, no randomness (the caller gives the date and the
 * Message-ID), so the same input always gives the same bytes.
 *
 * What is built:
 *   Date, From, To, Reply-To (when given), Subject, Message-ID,
 *   MIME-Version, Auto-Submitted: auto-generated (RFC 3834: an automatic
 *   notification, no vacation replies), then
 *   - text only: Content-Type text/plain; charset=UTF-8, quoted-printable;
 *   - text + HTML: multipart/alternative, the text part first, both parts
 *     UTF-8 quoted-printable (the boundary starts with "=_", which
 *     quoted-printable output can never contain).
 *   Every line ends with CRLF, whatever the input used (LF, CR, CRLF), and
 *   is at most 78 characters long except a header's single long word.
 *   A body line starting with "." or "From " has that character encoded, so
 *   neither SMTP dot-stuffing nor mbox "From " quoting can change it.
 *
 * Header values: a display name or a subject is sent as it is when it is
 * printable ASCII (a subject folded at spaces), else as RFC 2047 encoded
 * words (UTF-8, base64) of at most 75 characters, folded: a display name
 * whole, a subject by runs of the words that need it (its ASCII words stay
 * readable; a word that looks like an encoded word, or longer than a line,
 * is encoded too).  Header injection is impossible: any control
 * character (CR and LF included) in a header value, a name or an address
 * refuses the whole message (APR_EINVAL with a message), it is never
 * repaired.  Addresses must be plain addr-specs (local@domain, printable
 * ASCII, no space, no quote, no angle bracket, no comma, no parenthesis):
 * exactly what goes inside <...>.
 *
 * Memory: everything in the pool given.  Thread-safe. */
#ifndef SHOP_CORE_MAIL_MESSAGE_H
#define SHOP_CORE_MAIL_MESSAGE_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Longest address, name and subject accepted (bytes).  A subject of 998
 * bytes is the line limit of RFC 5322; the outbox holds 500 characters. */
#define SHOP_MAIL_MAX_ADDR     254
#define SHOP_MAIL_MAX_NAME     255
#define SHOP_MAIL_MAX_SUBJECT  2000
/* Bodies larger than this are refused (the outbox rows stay far below). */
#define SHOP_MAIL_MAX_BODY     ((apr_size_t)8 << 20)

typedef struct shop_mail_msg {
    const char *from_addr, *from_name;   /* name may be NULL or "" */
    const char *to_addr, *to_name;
    const char *reply_to;                /* an address, NULL or "" = none */
    const char *subject;                 /* UTF-8 */
    const char *text;                    /* UTF-8 text body, never NULL */
    const char *html;                    /* UTF-8 HTML body, NULL or "" = text only */
    apr_int64_t date;                    /* seconds since the epoch, written in UTC */
    const char *message_id;              /* "local@domain" without <>, same rules as an address */
} shop_mail_msg_t;

/* Build the message.  APR_SUCCESS with *out (NUL-terminated) and *len;
 * APR_EINVAL with *error (static English text) when a field is missing or
 * refused (rules above); APR_ENOSPC when a body or subject is too large. */
apr_status_t shop_mail_build(apr_pool_t *p, const shop_mail_msg_t *m, const char **out, apr_size_t *len,
                             const char **error);

/* Split "Name <addr>", "<addr>" or "addr" (ShopMailFrom) into a name (""
 * when none, surrounding double quotes removed) and an addr-spec.  1 when
 * the address is acceptable (shop_mail_addr_ok), else 0. */
int shop_mail_parse_mailbox(apr_pool_t *p, const char *in, const char **name, const char **addr);

/* 1 when `addr` is an acceptable addr-spec (rules above), else 0. */
int shop_mail_addr_ok(const char *addr);

/* `s` with every control character (C0, DEL; CR, LF and TAB included)
 * replaced by a space and runs of spaces collapsed, trimmed: what a name or
 * a one-line value becomes before it goes near a header.  NULL gives "". */
const char *shop_mail_one_line(apr_pool_t *p, const char *s);

/* RFC 2047 encoded words for all of `s` (UTF-8) when it is not printable
 * ASCII, else `s` itself; words are separated by CRLF SP (folding). */
const char *shop_mail_encode_words(apr_pool_t *p, const char *s);

#endif
