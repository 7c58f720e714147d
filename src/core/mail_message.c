/* RFC 5322 / MIME message building: see mail_message.h for the contract. */
#include "core/mail_message.h"

#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>

#define LINE_MAX_CHARS  78      /* RFC 5322 §2.1.1 "SHOULD" */
#define QP_MAX_CHARS    76      /* RFC 2045 §6.7 rule 5, soft break included */
#define WORD_INPUT      36      /* bytes per encoded word: 48 base64 chars + 12 = 60 */
#define LONG_WORD       900     /* a longer word is encoded (and so cut): RFC 5322 lines stop at 998 */
/* QP output never holds "=_": a boundary starting with it cannot collide. */
#define BOUNDARY        "=_mod_shop_alternative"

typedef struct buf {
    char *data;
    apr_size_t len, cap;
    apr_pool_t *p;
} buf_t;

static void buf_init(buf_t *b, apr_pool_t *p, apr_size_t cap)
{
    b->p = p;
    b->cap = cap < 256 ? 256 : cap;
    b->data = apr_palloc(p, b->cap);
    b->len = 0;
}

static void put(buf_t *b, const char *s, apr_size_t n)
{
    if (b->len + n + 1 > b->cap) {
        apr_size_t cap = b->cap * 2;
        while (b->len + n + 1 > cap) cap *= 2;
        char *bigger = apr_palloc(b->p, cap);
        memcpy(bigger, b->data, b->len);
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_(buf_t *b, const char *s)
{
    put(b, s, strlen(s));
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}

static int printable_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) return 0;
    return 1;
}

static int atext(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int dot_atoms(const char *s, apr_size_t n, int (*ok)(int))
{
    if (n == 0 || s[0] == '.' || s[n - 1] == '.') return 0;
    for (apr_size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return 0;
        } else if (!ok((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int domain_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

int shop_mail_addr_ok(const char *addr)
{
    if (!addr) return 0;
    apr_size_t n = strlen(addr);
    const char *at = strchr(addr, '@');
    if (n > SHOP_MAIL_MAX_ADDR || !at || strchr(at + 1, '@')) return 0;
    apr_size_t local = (apr_size_t)(at - addr);
    return local <= 64 && dot_atoms(addr, local, atext) && dot_atoms(at + 1, n - local - 1, domain_char);
}

const char *shop_mail_one_line(apr_pool_t *p, const char *s)
{
    if (!s) return "";
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;
    int space = 1;                      /* drops leading spaces */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == ' ') {
            if (!space) *o++ = ' ';
            space = 1;
        } else {
            *o++ = (char)c;
            space = 0;
        }
    }
    if (o > out && o[-1] == ' ') o--;
    *o = '\0';
    return out;
}

static const char *trim(apr_pool_t *p, const char *s, apr_size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return apr_pstrmemdup(p, s, n);
}

int shop_mail_parse_mailbox(apr_pool_t *p, const char *in, const char **name, const char **addr)
{
    *name = "";
    *addr = "";
    if (!in || has_control(in)) return 0;
    const char *lt = strrchr(in, '<');
    if (!lt) {
        *addr = trim(p, in, strlen(in));
        return shop_mail_addr_ok(*addr);
    }
    const char *gt = strchr(lt, '>');
    if (!gt || *trim(p, gt + 1, strlen(gt + 1))) return 0;
    *addr = apr_pstrmemdup(p, lt + 1, gt - lt - 1);
    const char *n = trim(p, in, lt - in);
    apr_size_t nl = strlen(n);
    if (nl >= 2 && n[0] == '"' && n[nl - 1] == '"') {
        /* a quoted-string: drop the quotes and the backslash escapes */
        char *u = apr_palloc(p, nl), *o = u;
        for (apr_size_t i = 1; i + 1 < nl; i++) {
            if (n[i] == '\\' && i + 2 < nl) i++;
            *o++ = n[i];
        }
        *o = '\0';
        n = u;
    }
    *name = n;
    return shop_mail_addr_ok(*addr);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(buf_t *b, const unsigned char *s, apr_size_t n)
{
    char q[4];
    for (apr_size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        q[0] = B64[v >> 18 & 63];
        q[1] = B64[v >> 12 & 63];
        q[2] = i + 1 < n ? B64[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? B64[v & 63] : '=';
        put(b, q, 4);
    }
}

/* Bytes of s[i..n) for the next encoded word: at most WORD_INPUT, cut
 * between UTF-8 characters (RFC 2047 §5: a word holds whole characters). */
static apr_size_t word_take(const char *s, apr_size_t i, apr_size_t n)
{
    apr_size_t take = n - i < WORD_INPUT ? n - i : WORD_INPUT;
    while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xc0) == 0x80) take--;
    return take;
}

static void word(buf_t *b, const char *s, apr_size_t n)
{
    puts_(b, "=?UTF-8?B?");
    base64(b, (const unsigned char *)s, n);
    puts_(b, "?=");
}

static apr_size_t word_len(apr_size_t n)
{
    return 12 + (n + 2) / 3 * 4;
}

static void encoded_words(buf_t *b, const char *s)
{
    apr_size_t n = strlen(s);
    for (apr_size_t i = 0, take; i < n; i += take) {
        take = word_take(s, i, n);
        if (i) puts_(b, "\r\n ");
        word(b, s + i, take);
    }
}

/* One piece of a header after the previous one: a space, or a fold when
 * the line would pass LINE_MAX_CHARS. */
static void separate(buf_t *b, apr_size_t *col, apr_size_t len)
{
    if (*col + 1 + len > LINE_MAX_CHARS) {
        puts_(b, "\r\n ");
        *col = 1;
    } else {
        puts_(b, " ");
        (*col)++;
    }
}

static int needs_encoding(const char *s, apr_size_t n)
{
    if (n > LONG_WORD) return 1;
    for (apr_size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e || (s[i] == '=' && i + 1 < n && s[i + 1] == '?'))
            return 1;
    return 0;
}

/* A text with non-ASCII words: ASCII words stay readable, each run of
 * words that need it becomes encoded words (their spaces inside, since the
 * space between two encoded words is not part of the text). */
static void mixed_text(buf_t *b, apr_size_t col, const char *s)
{
    apr_size_t n = strlen(s);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  ")) {
        encoded_words(b, s);                 /* spaces that words cannot carry */
        return;
    }
    int first = 1;
    for (apr_size_t i = 0; i < n;) {
        apr_size_t end = i + strcspn(s + i, " ");
        if (!needs_encoding(s + i, end - i)) {
            if (!first) separate(b, &col, end - i);
            put(b, s + i, end - i);
            col += end - i;
        } else {
            /* extend the run over the following words that need encoding */
            while (end < n) {
                apr_size_t next = end + 1 + strcspn(s + end + 1, " ");
                if (!needs_encoding(s + end + 1, next - end - 1)) break;
                end = next;
            }
            for (apr_size_t k = i, take; k < end; k += take) {
                take = word_take(s, k, end);
                if (!first || k > i) separate(b, &col, word_len(take));
                word(b, s + k, take);
                col += word_len(take);
            }
        }
        first = 0;
        i = end < n ? end + 1 : n;
    }
}

const char *shop_mail_encode_words(apr_pool_t *p, const char *s)
{
    if (!s) return "";
    if (printable_ascii(s)) return s;
    buf_t b;
    buf_init(&b, p, strlen(s) * 2 + 64);
    encoded_words(&b, s);
    return b.data;
}

/* "Subject: " + an ASCII text folded at spaces: unfolding (removing each
 * CRLF) gives the text back exactly. */
static void folded_ascii(buf_t *b, apr_size_t col, const char *s)
{
    apr_size_t n = strlen(s), start = 0;
    while (n - start + col > LINE_MAX_CHARS) {
        apr_size_t cut = 0;
        for (apr_size_t i = start + 1; i < n && i - start + col <= LINE_MAX_CHARS; i++)
            if (s[i] == ' ') cut = i;
        if (!cut) {                      /* a long word: fold at the next space after it */
            for (apr_size_t i = start + 1; i < n; i++)
                if (s[i] == ' ') { cut = i; break; }
            if (!cut) break;
        }
        put(b, s + start, cut - start);
        puts_(b, "\r\n");
        start = cut;                     /* the space opens the next line */
        col = 0;
    }
    put(b, s + start, n - start);
}

static void header_text(buf_t *b, const char *name, const char *value)
{
    puts_(b, name);
    puts_(b, ": ");
    int plain = printable_ascii(value) && !strstr(value, "=?");
    for (const char *w = value; plain && *w; w += strspn(w, " ")) {
        apr_size_t len = strcspn(w, " ");
        plain = len <= LONG_WORD;
        w += len;
    }
    if (plain) folded_ascii(b, strlen(name) + 2, value);
    else mixed_text(b, strlen(name) + 2, value);
    puts_(b, "\r\n");
}

static void mailbox(buf_t *b, const char *header, const char *name, const char *addr)
{
    puts_(b, header);
    puts_(b, ": ");
    if (name && *name) {
        if (printable_ascii(name)) {
            puts_(b, "\"");
            for (const char *c = name; *c; c++) {
                if (*c == '"' || *c == '\\') puts_(b, "\\");
                put(b, c, 1);
            }
            puts_(b, "\"");
        } else {
            encoded_words(b, name);
        }
        puts_(b, " ");
    }
    puts_(b, "<");
    puts_(b, addr);
    puts_(b, ">\r\n");
}

static void date_header(buf_t *b, apr_int64_t when)
{
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, apr_time_from_sec(when));
    puts_(b, apr_psprintf(b->p, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
                          months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec));
}

/* Quoted-printable (RFC 2045 §6.7) of a text whose lines may end in LF, CR
 * or CRLF; output lines end in CRLF and hold at most 76 characters. */
static void quoted_printable(buf_t *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t col = 0;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c == '\r' || c == '\n') {
            puts_(b, "\r\n");
            col = 0;
            s += (c == '\r' && s[1] == '\n') ? 2 : 1;
            continue;
        }
        int at_end = s[1] == '\0' || s[1] == '\r' || s[1] == '\n';
        int literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
        /* what would start an output line must not read as SMTP's end of
         * data nor as an mbox "From " line */
        if (col == 0 && (c == '.' || (c == 'F' && !strncmp(s, "From ", 5)))) literal = 0;
        apr_size_t width = literal ? 1 : 3;
        /* a soft break, unless this character ends the line and fits */
        if (col + width > QP_MAX_CHARS - 1 && !(at_end && col + width <= QP_MAX_CHARS)) {
            puts_(b, "=\r\n");
            col = 0;
            continue;                    /* judge the character again at column 0 */
        }
        if (literal) {
            put(b, s, 1);
        } else {
            char e[3] = { '=', hex[c >> 4], hex[c & 15] };
            put(b, e, 3);
        }
        col += width;
        s++;
    }
    if (col) puts_(b, "\r\n");
}

static void part(buf_t *b, const char *type, const char *body)
{
    puts_(b, "Content-Type: ");
    puts_(b, type);
    puts_(b, "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
    quoted_printable(b, body);
}

static apr_status_t refuse(const char **error, const char *why)
{
    if (error) *error = why;
    return APR_EINVAL;
}

static apr_status_t check(const shop_mail_msg_t *m, const char **error)
{
    if (!m->from_addr || !shop_mail_addr_ok(m->from_addr)) return refuse(error, "invalid From address");
    if (!m->to_addr || !shop_mail_addr_ok(m->to_addr)) return refuse(error, "invalid recipient address");
    if (m->reply_to && *m->reply_to && !shop_mail_addr_ok(m->reply_to)) return refuse(error, "invalid Reply-To address");
    if (!m->message_id || !shop_mail_addr_ok(m->message_id)) return refuse(error, "invalid Message-ID");
    const char *names[] = { m->from_name, m->to_name };
    for (int i = 0; i < 2; i++) {
        if (!names[i]) continue;
        if (has_control(names[i])) return refuse(error, "a control character (line break) in a display name");
        if (strlen(names[i]) > SHOP_MAIL_MAX_NAME) return refuse(error, "display name too long");
    }
    if (!m->subject || !*m->subject) return refuse(error, "no subject");
    if (has_control(m->subject)) return refuse(error, "a control character (line break) in the subject");
    if (!m->text) return refuse(error, "no text body");
    if (strlen(m->subject) > SHOP_MAIL_MAX_SUBJECT || strlen(m->text) > SHOP_MAIL_MAX_BODY
        || (m->html && strlen(m->html) > SHOP_MAIL_MAX_BODY)) {
        if (error) *error = "subject or body too large";
        return APR_ENOSPC;
    }
    return APR_SUCCESS;
}

apr_status_t shop_mail_build(apr_pool_t *p, const shop_mail_msg_t *m, const char **out, apr_size_t *len,
                             const char **error)
{
    apr_status_t rv = check(m, error);
    if (rv != APR_SUCCESS) return rv;
    buf_t b;
    buf_init(&b, p, strlen(m->text) * 2 + (m->html ? strlen(m->html) * 2 : 0) + 1024);
    date_header(&b, m->date);
    mailbox(&b, "From", m->from_name, m->from_addr);
    mailbox(&b, "To", m->to_name, m->to_addr);
    if (m->reply_to && *m->reply_to) mailbox(&b, "Reply-To", NULL, m->reply_to);
    header_text(&b, "Subject", m->subject);
    puts_(&b, "Message-ID: <");
    puts_(&b, m->message_id);
    puts_(&b, ">\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
    if (m->html && *m->html) {
        puts_(&b, "Content-Type: multipart/alternative; boundary=\"" BOUNDARY "\"\r\n\r\n"
                  "This is a message in MIME format: text and HTML.\r\n--" BOUNDARY "\r\n");
        part(&b, "text/plain", m->text);
        puts_(&b, "--" BOUNDARY "\r\n");
        part(&b, "text/html", m->html);
        puts_(&b, "--" BOUNDARY "--\r\n");
    } else {
        part(&b, "text/plain", m->text);
    }
    *out = b.data;
    if (len) *len = b.len;
    return APR_SUCCESS;
}
