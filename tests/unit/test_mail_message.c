/* Unit tests for src/core/mail_message.c: RFC 5322 / MIME messages, header
 * injection refused, RFC 2047 subjects, quoted-printable bodies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/mail_message.h"
#include "unit_pool.h"

static shop_mail_msg_t base(void)
{
    shop_mail_msg_t m = {
        .from_addr = "shop@example.org", .from_name = "Demo shop",
        .to_addr = "sam.sales@example.com", .to_name = "Sam Sales",
        .subject = "New order", .text = "Hello\nWorld\n", .date = 1700000000,
        .message_id = "abc.1@example.org",
    };
    return m;
}

static const char *build(apr_pool_t *p, const shop_mail_msg_t *m)
{
    const char *out = NULL, *err = NULL;
    apr_size_t len = 0;
    apr_status_t rv = shop_mail_build(p, m, &out, &len, &err);
    if (rv != APR_SUCCESS) fail_msg("build failed: %s", err);
    assert_int_equal(strlen(out), len);
    return out;
}

/* Every line ends in CRLF, no bare CR or LF, no line above `max` chars. */
static void assert_crlf_lines(const char *msg, size_t max)
{
    size_t col = 0;
    for (const char *c = msg; *c; c++) {
        if (*c == '\r') {
            assert_int_equal(c[1], '\n');
            c++;
            col = 0;
            continue;
        }
        assert_int_not_equal(*c, '\n');
        col++;
        assert_true(col <= max);
    }
    assert_int_equal(col, 0);
}

/* The value of header `name` (unfolded), or NULL. */
static const char *header(apr_pool_t *p, const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n");
    size_t nl = strlen(name);
    for (const char *l = msg; l && l < end; l = strstr(l, "\r\n") + 2) {
        if (strncmp(l, name, nl) || l[nl] != ':') continue;
        const char *v = l + nl + 2, *e = v;
        while (!(e[0] == '\r' && e[1] == '\n' && e[2] != ' ')) e++;
        char *out = apr_pstrmemdup(p, v, e - v), *o = out;
        for (const char *s = out; *s; s++) {
            if (s[0] == '\r' && s[1] == '\n') { s++; continue; }
            *o++ = *s;
        }
        *o = '\0';
        return out;
    }
    return NULL;
}

static int b64val(int c)
{
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *f = strchr(a, c);
    return c && f ? (int)(f - a) : -1;
}

/* RFC 2047 decoding of an unfolded header value: encoded words decoded,
 * the space between two of them dropped, other text kept as it is. */
static const char *decode_words(apr_pool_t *p, const char *v)
{
    char *out = apr_pcalloc(p, strlen(v) + 1), *o = out;
    int prev_encoded = 0;
    const char *space = v;
    while (*v) {
        if (strchr(" \r\n", *v)) { space = v; v += strspn(v, " \r\n"); continue; }
        int encoded = strncmp(v, "=?UTF-8?B?", 10) == 0;
        /* the blanks before this token, unless they sit between two encoded words */
        if (o > out && !(encoded && prev_encoded)) { memcpy(o, space, (size_t)(v - space)); o += v - space; }
        prev_encoded = encoded;
        if (!encoded) {
            size_t n = strcspn(v, " \r\n");
            memcpy(o, v, n);
            o += n;
            v += n;
            space = v;
            continue;
        }
        const char *e = strstr(v + 10, "?=");
        assert_non_null(e);
        assert_true(e + 2 - v <= 75);
        unsigned acc = 0;
        int bits = 0;
        for (const char *c = v + 10; c < e; c++) {
            if (*c == '=') break;
            acc = acc << 6 | (unsigned)b64val(*c);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                *o++ = (char)(acc >> bits & 0xff);
            }
        }
        /* a word holds whole UTF-8 characters: it never ends inside one */
        unsigned char last = (unsigned char)o[-1];
        assert_true(last < 0x80 || (last & 0xc0) == 0x80);
        v = e + 2;
        space = v;
    }
    *o = '\0';
    return out;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Quoted-printable decoding: soft breaks removed, hard breaks kept (CRLF). */
static const char *qp_decode(apr_pool_t *p, const char *s, size_t n)
{
    char *out = apr_pcalloc(p, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n') { i += 2; continue; }
        if (s[i] == '=') {
            assert_true(hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
            *o++ = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
            i += 2;
            continue;
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

static const char *body_of(const char *msg)
{
    const char *b = strstr(msg, "\r\n\r\n");
    assert_non_null(b);
    return b + 4;
}

static void test_text_only(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.reply_to = "lucie@example.org";
    const char *msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    assert_string_equal(header(p, msg, "Date"), "Tue, 14 Nov 2023 22:13:20 +0000");
    assert_string_equal(header(p, msg, "From"), "\"Demo shop\" <shop@example.org>");
    assert_string_equal(header(p, msg, "To"), "\"Sam Sales\" <sam.sales@example.com>");
    assert_string_equal(header(p, msg, "Reply-To"), "<lucie@example.org>");
    assert_string_equal(header(p, msg, "Subject"), "New order");
    assert_string_equal(header(p, msg, "Message-ID"), "<abc.1@example.org>");
    assert_string_equal(header(p, msg, "MIME-Version"), "1.0");
    assert_string_equal(header(p, msg, "Auto-Submitted"), "auto-generated");
    assert_string_equal(header(p, msg, "Content-Type"), "text/plain; charset=UTF-8");
    assert_string_equal(header(p, msg, "Content-Transfer-Encoding"), "quoted-printable");
    assert_string_equal(body_of(msg), "Hello\r\nWorld\r\n");
    /* deterministic: same input, same bytes */
    assert_string_equal(msg, build(p, &m));
}

static void test_no_name_no_reply_to(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.from_name = NULL;
    m.to_name = "";
    m.date = 0;
    const char *msg = build(p, &m);
    assert_string_equal(header(p, msg, "From"), "<shop@example.org>");
    assert_string_equal(header(p, msg, "To"), "<sam.sales@example.com>");
    assert_null(header(p, msg, "Reply-To"));
    assert_string_equal(header(p, msg, "Date"), "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void test_header_injection_refused(void **state)
{
    apr_pool_t *p = *state;
    const char *out, *err;
    const char *bad[] = { "Order\r\nBcc: evil@example.net", "Order\nBcc: x@y.z", "Order\rX", "Tab\there", "Del\x7f" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        shop_mail_msg_t m = base();
        m.subject = bad[i];
        out = "unchanged";
        assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
        assert_string_equal(out, "unchanged");
        m = base();
        m.to_name = bad[i];
        assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
        m = base();
        m.from_name = bad[i];
        assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
    }
    const char *bad_addr[] = { "a@b.c\r\nBcc: evil@example.net", "a@b.c>, <evil@example.net", "a b@c.d", "\"a\"@b.c",
                               "a@b", "@b.c", "a@", "a@@b.c", "a.@b.c", "a..b@c.d", "a@b..c", "a@-b.c(x)", "é@b.c",
                               "a@b.c,d@e.f", "", "a<b@c.d" };
    for (size_t i = 0; i < sizeof bad_addr / sizeof *bad_addr; i++) {
        shop_mail_msg_t m = base();
        m.to_addr = bad_addr[i];
        if (i == 4) {
            /* a dotless domain is a valid addr-spec (localhost): accepted */
            assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_SUCCESS);
            continue;
        }
        assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
        assert_string_equal(err, "invalid recipient address");
        m = base();
        m.reply_to = bad_addr[i];
        if (!*bad_addr[i]) continue;           /* "" means no Reply-To */
        assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
    }
    shop_mail_msg_t m = base();
    m.subject = "";
    assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
    m = base();
    m.message_id = "no-at-sign";
    assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
}

static void test_utf8_subject_and_name(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.subject = "Nouvelle commande de Chloé Dubois — 1 234,56 € (Formations Démo SAS, Île-de-France)";
    m.to_name = "Chloé \"Dubois\"";
    const char *msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    const char *subject = header(p, msg, "Subject");
    /* ASCII words stay readable, the others are encoded, folded */
    assert_true(strncmp(subject, "Nouvelle commande de =?UTF-8?B?", 31) == 0);
    assert_string_equal(decode_words(p, subject), m.subject);
    /* a word that looks encoded is encoded, so it reads back as typed */
    m.subject = "Order =?UTF-8?B?QQ==?= é";
    assert_string_equal(decode_words(p, header(p, build(p, &m), "Subject")), m.subject);
    m.subject = "Résumé  two spaces";
    assert_string_equal(decode_words(p, header(p, build(p, &m), "Subject")), m.subject);
    const char *to = header(p, msg, "To");
    const char *lt = strstr(to, " <sam.sales@example.com>");
    assert_non_null(lt);
    assert_string_equal(decode_words(p, apr_pstrmemdup(p, to, lt - to)), m.to_name);
    /* every character kept whole, even when a word is full of 2- and 3-byte ones */
    const char *accents = "ééééééééééééééééééééééééééééééééééééééééééééééé€€€€€€€€€€€€€€€€€€€œœœ";
    assert_string_equal(decode_words(p, shop_mail_encode_words(p, accents)), accents);
    assert_string_equal(shop_mail_encode_words(p, "plain ASCII"), "plain ASCII");
}

static void test_ascii_quoted_name(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.to_name = "O'Brien, \"Pat\" \\ Co";
    const char *msg = build(p, &m);
    assert_string_equal(header(p, msg, "To"), "\"O'Brien, \\\"Pat\\\" \\\\ Co\" <sam.sales@example.com>");
}

static void test_long_ascii_subject_folds(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.subject = "Order received: a rather long subject line that goes well past the seventy-eight character "
                "limit of a header line, so it must be folded at spaces and unfold to the very same text";
    const char *msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    assert_string_equal(header(p, msg, "Subject"), m.subject);
    /* a word too long for a line (998) is encoded, hence cut */
    char word[1001];
    memset(word, 'x', 1000);
    word[1000] = '\0';
    m.subject = apr_pstrcat(p, "Order ", word, " end", NULL);
    msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    assert_string_equal(decode_words(p, header(p, msg, "Subject")), m.subject);
}

static void test_quoted_printable_body(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    char longline[301];
    memset(longline, 'x', 300);
    longline[300] = '\0';
    /* a '.' lands at column 0 of a continuation line: 75 x then ".y" */
    char dotcont[80];
    memset(dotcont, 'a', 75);
    strcpy(dotcont + 75, ".yz");
    m.text = apr_pstrcat(p, "Montant : 1 234,56 €\n.\n.hidden\nFrom here\n", longline, "\r\n", dotcont,
                         "\rtrailing space \nequals = sign\ttab\t\n", NULL);
    const char *msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    const char *body = body_of(msg);
    size_t col = 0;
    for (const char *c = body; *c; c++) {
        if (*c == '\r') { col = 0; c++; continue; }
        if (col == 0) {
            /* nothing starts a line as "." or "From " */
            assert_int_not_equal(*c, '.');
            assert_true(strncmp(c, "From ", 5) != 0);
        }
        col++;
        assert_true(col <= 76);
        assert_true((unsigned char)*c < 0x80);
    }
    /* no whitespace before a hard line break */
    assert_null(strstr(body, " \r\n"));
    assert_null(strstr(body, "\t\r\n"));
    const char *expect = apr_pstrcat(p, "Montant : 1 234,56 €\r\n.\r\n.hidden\r\nFrom here\r\n", longline, "\r\n",
                                     dotcont, "\r\ntrailing space \r\nequals = sign\ttab\t\r\n", NULL);
    assert_string_equal(qp_decode(p, body, strlen(body)), expect);
}

static void test_multipart_alternative(void **state)
{
    apr_pool_t *p = *state;
    shop_mail_msg_t m = base();
    m.text = "Total: 12,00 €\n";
    m.html = "<p>Total&nbsp;: <b>12,00 €</b></p>\n";
    const char *msg = build(p, &m);
    assert_crlf_lines(msg, 78);
    const char *ct = header(p, msg, "Content-Type");
    assert_string_equal(ct, "multipart/alternative; boundary=\"=_mod_shop_alternative\"");
    const char *t = strstr(msg, "--=_mod_shop_alternative\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    const char *h = strstr(msg, "--=_mod_shop_alternative\r\nContent-Type: text/html; charset=UTF-8\r\n"
                                "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    const char *end = strstr(msg, "\r\n--=_mod_shop_alternative--\r\n");
    assert_non_null(t);
    assert_non_null(h);
    assert_non_null(end);
    assert_true(t < h && h < end);
    const char *tb = strstr(t, "\r\n\r\n") + 4, *hb = strstr(h, "\r\n\r\n") + 4;
    assert_string_equal(qp_decode(p, tb, (size_t)(h - 2 - tb)), "Total: 12,00 €");
    assert_string_equal(qp_decode(p, hb, (size_t)(end - hb)), "<p>Total&nbsp;: <b>12,00 €</b></p>");
    /* the boundary never shows up inside a part */
    assert_null(strstr(tb, "=_mod_shop_alternative\r\nContent-Type: text/plain"));
    /* empty html means text only */
    m.html = "";
    assert_string_equal(header(p, build(p, &m), "Content-Type"), "text/plain; charset=UTF-8");
}

static void test_parse_mailbox(void **state)
{
    apr_pool_t *p = *state;
    const char *name, *addr;
    assert_int_equal(shop_mail_parse_mailbox(p, "Demo shop <shop@example.org>", &name, &addr), 1);
    assert_string_equal(name, "Demo shop");
    assert_string_equal(addr, "shop@example.org");
    assert_int_equal(shop_mail_parse_mailbox(p, "  shop@example.org ", &name, &addr), 1);
    assert_string_equal(name, "");
    assert_string_equal(addr, "shop@example.org");
    assert_int_equal(shop_mail_parse_mailbox(p, "\"Shop, \\\"Inc\\\"\" <a@b.c>", &name, &addr), 1);
    assert_string_equal(name, "Shop, \"Inc\"");
    assert_int_equal(shop_mail_parse_mailbox(p, "<a@b.c>", &name, &addr), 1);
    assert_string_equal(name, "");
    assert_string_equal(addr, "a@b.c");
    assert_int_equal(shop_mail_parse_mailbox(p, "Shop <a@b.c> trailing", &name, &addr), 0);
    assert_int_equal(shop_mail_parse_mailbox(p, "Shop <a@b.c", &name, &addr), 0);
    assert_int_equal(shop_mail_parse_mailbox(p, "Shop\r\n <a@b.c>", &name, &addr), 0);
    assert_int_equal(shop_mail_parse_mailbox(p, "not an address", &name, &addr), 0);
    assert_int_equal(shop_mail_parse_mailbox(p, NULL, &name, &addr), 0);
}

static void test_one_line(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(shop_mail_one_line(p, "  Lucie\r\nBcc: x@y.z\t Bernard  "), "Lucie Bcc: x@y.z Bernard");
    assert_string_equal(shop_mail_one_line(p, "Chloé\x01\x7f"), "Chloé");
    assert_string_equal(shop_mail_one_line(p, NULL), "");
    assert_string_equal(shop_mail_one_line(p, "\n\n"), "");
}

static void test_limits(void **state)
{
    apr_pool_t *p = *state;
    const char *out, *err;
    shop_mail_msg_t m = base();
    char *big = apr_palloc(p, SHOP_MAIL_MAX_SUBJECT + 2);
    memset(big, 'a', SHOP_MAIL_MAX_SUBJECT + 1);
    big[SHOP_MAIL_MAX_SUBJECT + 1] = '\0';
    m.subject = big;
    assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_ENOSPC);
    m = base();
    char name[SHOP_MAIL_MAX_NAME + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    m.to_name = name;
    assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
    m = base();
    m.text = NULL;
    assert_int_equal(shop_mail_build(p, &m, &out, NULL, &err), APR_EINVAL);
}

int main(void)
{
    apr_initialize();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_name_no_reply_to, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_injection_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_subject_and_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ascii_quoted_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_ascii_subject_folds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_printable_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multipart_alternative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_mailbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
