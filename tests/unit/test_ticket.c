/* Unit tests for src/core/ticket.c: issue/verify round trip, tampering,
 * expiry, wrong key, malformed tokens, and the same-site path check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "core/limits.h"
#include "core/ticket.h"
#include "unit_pool.h"

static const char KEY[] = "0123456789abcdef0123456789abcdef-test-key";
static const char KEY2[] = "0123456789abcdef0123456789abcdef-test-keY";
#define KLEN (sizeof KEY - 1)
#define NOW ((apr_int64_t)1700000000)

static const char *issue(apr_pool_t *p, apr_int64_t uid, apr_int64_t ttl, const char *path)
{
    const char *tok = NULL;
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, uid, ttl, NOW, path, &tok), APR_SUCCESS);
    assert_non_null(tok);
    return tok;
}

/* Sign an arbitrary payload as the real code would: for structure tests. */
static const char *forge(apr_pool_t *p, const char *key, const char *payload, apr_size_t plen)
{
    unsigned char mac[SHOP_HMAC_SHA256_LEN];
    char *msg = apr_pstrcat(p, "shop-ticket-v1|", apr_pstrmemdup(p, payload, plen), NULL);
    apr_size_t mlen = strlen("shop-ticket-v1|") + plen;
    memcpy(msg + strlen("shop-ticket-v1|"), payload, plen);
    assert_int_equal(shop_hmac_sha256(key, strlen(key), msg, mlen, mac), APR_SUCCESS);
    return apr_pstrcat(p, shop_base64url_encode(p, payload, plen), ".",
                       shop_base64url_encode(p, mac, sizeof mac), NULL);
}

static void test_roundtrip(void **state)
{
    apr_pool_t *p = *state;
    shop_ticket_t t;
    const char *tok = issue(p, 42, 600, "/shop/order/ABC123?x=1#frag");
    const char *c;

    for (c = tok; *c; c++)
        assert_true(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", *c));
    memset(&t, 0, sizeof t);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW, &t), SHOP_TICKET_OK);
    assert_int_equal(t.userid, 42);
    assert_int_equal(t.expires, NOW + 600);
    assert_int_equal(strlen(t.nonce_hex), 32);
    assert_string_equal(t.path, "/shop/order/ABC123?x=1#frag");
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW + 599, &t), SHOP_TICKET_OK);

    tok = issue(p, APR_INT64_MAX, SHOP_MAX_TICKET_TTL, NULL);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW, &t), SHOP_TICKET_OK);
    assert_int_equal(t.userid, APR_INT64_MAX);
    assert_null(t.path);
    tok = issue(p, 7, 1, "");
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW, &t), SHOP_TICKET_OK);
    assert_null(t.path);
    /* NULL ticket pointer is allowed */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW, NULL), SHOP_TICKET_OK);
}

static void test_nonces_differ(void **state)
{
    apr_pool_t *p = *state;
    shop_ticket_t a, b;
    const char *t1 = issue(p, 5, 60, NULL), *t2 = issue(p, 5, 60, NULL);

    assert_string_not_equal(t1, t2);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, t1, NOW, &a), SHOP_TICKET_OK);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, t2, NOW, &b), SHOP_TICKET_OK);
    assert_string_not_equal(a.nonce_hex, b.nonce_hex);
}

static void test_expired(void **state)
{
    apr_pool_t *p = *state;
    shop_ticket_t t;
    const char *tok = issue(p, 9, 300, "/x");

    memset(&t, 0, sizeof t);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW + 300, &t), SHOP_TICKET_EXPIRED);
    assert_int_equal(t.userid, 9);          /* filled for the log */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, tok, NOW + 100000, &t), SHOP_TICKET_EXPIRED);
}

static void test_wrong_key(void **state)
{
    apr_pool_t *p = *state;
    shop_ticket_t t;
    const char *tok = issue(p, 9, 300, NULL);

    t.userid = -1;
    assert_int_equal(shop_ticket_verify(p, KEY2, KLEN, tok, NOW, &t), SHOP_TICKET_BAD_SIGNATURE);
    assert_int_equal(t.userid, -1);         /* untouched */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN - 1, tok, NOW, &t), SHOP_TICKET_BAD_SIGNATURE);
    /* an expired ticket under the wrong key is a bad signature, not expired */
    assert_int_equal(shop_ticket_verify(p, KEY2, KLEN, tok, NOW + 1000, &t), SHOP_TICKET_BAD_SIGNATURE);
}

static void test_bit_flips(void **state)
{
    apr_pool_t *p = *state;
    const char *tok = issue(p, 1234, 300, "/a");
    apr_size_t len = strlen(tok), i;
    int bit;

    /* flip each bit of each char: never OK */
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            char *m = apr_pstrdup(p, tok);
            shop_ticket_status_e st;
            m[i] = (char)(m[i] ^ (1 << bit));
            if (m[i] == '\0')
                continue;
            st = shop_ticket_verify(p, KEY, KLEN, m, NOW, NULL);
            if (st == SHOP_TICKET_OK)
                fail_msg("flip at %zu bit %d accepted", i, bit);
        }
    }
    /* flips in the decoded payload and MAC give BAD_SIGNATURE */
    {
        const char *dot = strchr(tok, '.');
        unsigned char *pl, *mac;
        apr_size_t pn, mn;
        assert_int_equal(shop_base64url_decode(p, tok, (apr_size_t)(dot - tok), &pl, &pn), APR_SUCCESS);
        assert_int_equal(shop_base64url_decode(p, dot + 1, strlen(dot + 1), &mac, &mn), APR_SUCCESS);
        for (i = 0; i < pn; i++) {
            unsigned char save = pl[i];
            pl[i] ^= 0x01;
            assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
                apr_pstrcat(p, shop_base64url_encode(p, pl, pn), dot, NULL), NOW, NULL),
                SHOP_TICKET_BAD_SIGNATURE);
            pl[i] = save;
        }
        for (i = 0; i < mn; i++) {
            unsigned char save = mac[i];
            mac[i] ^= 0x80;
            assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
                apr_pstrcat(p, apr_pstrmemdup(p, tok, (apr_size_t)(dot - tok)), ".",
                            shop_base64url_encode(p, mac, mn), NULL), NOW, NULL),
                SHOP_TICKET_BAD_SIGNATURE);
            mac[i] = save;
        }
    }
}

static void test_swapped_payload(void **state)
{
    apr_pool_t *p = *state;
    const char *a = issue(p, 1, 300, NULL), *b = issue(p, 2, 300, NULL);
    const char *da = strchr(a, '.'), *db = strchr(b, '.');
    /* payload of a with the MAC of b, and the reverse */
    const char *ab = apr_pstrcat(p, apr_pstrmemdup(p, a, (apr_size_t)(da - a)), db, NULL);
    const char *ba = apr_pstrcat(p, apr_pstrmemdup(p, b, (apr_size_t)(db - b)), da, NULL);

    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, ab, NOW, NULL), SHOP_TICKET_BAD_SIGNATURE);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, ba, NOW, NULL), SHOP_TICKET_BAD_SIGNATURE);
    /* a payload with a raw HMAC of another domain ("csrf|") does not pass either */
    {
        unsigned char mac[SHOP_HMAC_SHA256_LEN];
        unsigned char *pl;
        apr_size_t pn;
        const char *msg;
        assert_int_equal(shop_base64url_decode(p, a, (apr_size_t)(da - a), &pl, &pn), APR_SUCCESS);
        msg = apr_pstrcat(p, "csrf|", (const char *)pl, NULL);
        assert_int_equal(shop_hmac_sha256(KEY, KLEN, msg, strlen(msg), mac), APR_SUCCESS);
        assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
            apr_pstrcat(p, apr_pstrmemdup(p, a, (apr_size_t)(da - a)), ".",
                        shop_base64url_encode(p, mac, sizeof mac), NULL), NOW, NULL),
            SHOP_TICKET_BAD_SIGNATURE);
    }
}

static void test_malformed(void **state)
{
    apr_pool_t *p = *state;
    const char *tok = issue(p, 3, 60, NULL);
    char *big = apr_palloc(p, SHOP_MAX_TICKET_LEN + 2);
    static const char *bad[] = {
        "", ".", "abc", "abc.", ".abc", "a.b.c", "Zm9v.Zm9v", "Zm9v.Zm9v=", "Zm9v==.AAAA",
        "!!!.AAAA", "Zm9v.A", "Zm 9v.AAAA",
    };
    apr_size_t i;

    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, NULL, NOW, NULL), SHOP_TICKET_MALFORMED);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (shop_ticket_verify(p, KEY, KLEN, bad[i], NOW, NULL) != SHOP_TICKET_MALFORMED)
            fail_msg("'%s' not malformed", bad[i]);
    /* two dots, padding, trailing junk on a real token */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, apr_pstrcat(p, tok, ".", NULL), NOW, NULL),
                     SHOP_TICKET_MALFORMED);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, apr_pstrcat(p, tok, "=", NULL), NOW, NULL),
                     SHOP_TICKET_MALFORMED);
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, apr_pstrcat(p, tok, "A", NULL), NOW, NULL),
                     SHOP_TICKET_MALFORMED);
    /* truncated MAC */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
                     apr_pstrndup(p, tok, strlen(tok) - 3), NOW, NULL), SHOP_TICKET_MALFORMED);
    memset(big, 'A', SHOP_MAX_TICKET_LEN + 1);
    big[100] = '.';
    big[SHOP_MAX_TICKET_LEN + 1] = '\0';
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, big, NOW, NULL), SHOP_TICKET_MALFORMED);
}

static void test_signed_but_bad_payload(void **state)
{
    apr_pool_t *p = *state;
    static const char *payloads[] = {
        "", "1|2|3", "1|2|00112233445566778899aabbccddeeff",              /* no path field */
        "0|2000000000|00112233445566778899aabbccddeeff|",                  /* userid 0 */
        "-1|2000000000|00112233445566778899aabbccddeeff|",
        "01|2000000000|00112233445566778899aabbccddeeff|",                 /* leading zero */
        "+1|2000000000|00112233445566778899aabbccddeeff|",
        "1|2000000000|00112233445566778899AABBCCDDEEFF|",                  /* uppercase nonce */
        "1|2000000000|00112233445566778899aabbccddeef|",                   /* short nonce */
        "1|2000000000|00112233445566778899aabbccddeeff0|",
        "1|x|00112233445566778899aabbccddeeff|",
        "1|99999999999999999999|00112233445566778899aabbccddeeff|",        /* overflow */
        "9223372036854775808|2000000000|00112233445566778899aabbccddeeff|",
        "1|2000000000|00112233445566778899aabbccddeeff|//evil.example",
        "1|2000000000|00112233445566778899aabbccddeeff|https://evil",
        "1|2000000000|00112233445566778899aabbccddeeff|/a\r\nb",
        "1 |2000000000|00112233445566778899aabbccddeeff|",
    };
    const char nul[] = "1|2000000000|00112233445566778899aabbccddeeff|/a\0b";
    shop_ticket_t t;
    apr_size_t i;

    for (i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        const char *tok = forge(p, KEY, payloads[i], strlen(payloads[i]));
        if (shop_ticket_verify(p, KEY, KLEN, tok, NOW, &t) != SHOP_TICKET_MALFORMED)
            fail_msg("payload '%s' accepted", payloads[i]);
    }
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN, forge(p, KEY, nul, sizeof nul - 1), NOW, &t),
                     SHOP_TICKET_MALFORMED);
    /* and a well-formed forged one passes: the format is what we think */
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
        forge(p, KEY, "1|2000000000|00112233445566778899aabbccddeeff|/ok|x", 51), NOW, &t),
        SHOP_TICKET_OK);
    assert_string_equal(t.path, "/ok|x");
    assert_int_equal(shop_ticket_verify(p, KEY, KLEN,
        forge(p, KEY, "1|0|00112233445566778899aabbccddeeff|", 37), NOW, &t),
        SHOP_TICKET_EXPIRED);
}

static void test_issue_refuses(void **state)
{
    apr_pool_t *p = *state;
    const char *tok = "x";
    static const char *paths[] = {
        "//evil.example", "/\\evil.example", "https://evil", "https:evil", "javascript:alert(1)",
        "/a\r\nLocation: x", "/a\nb", "/\t/evil", "evil", "/a b", "/\xc3\xa9", "/a\\b",
    };
    apr_size_t i;

    assert_int_equal(shop_ticket_issue(p, KEY, 31, 1, 60, NOW, NULL, &tok), APR_EINVAL);
    assert_null(tok);
    assert_int_equal(shop_ticket_issue(p, NULL, 0, 1, 60, NOW, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 0, 60, NOW, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, -5, 60, NOW, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, 0, NOW, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, -1, NOW, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, SHOP_MAX_TICKET_TTL + 1, NOW, NULL, &tok),
                     APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, 60, -1, NULL, &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, 60, APR_INT64_MAX - 10, NULL, &tok),
                     APR_EINVAL);
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_int_equal(shop_ticket_issue(p, KEY, KLEN, 1, 60, NOW, paths[i], &tok), APR_EINVAL);
    assert_int_equal(shop_ticket_verify(p, KEY, 31, "a.b", NOW, NULL), SHOP_TICKET_ERROR);
    assert_int_equal(shop_ticket_verify(p, NULL, 0, "a.b", NOW, NULL), SHOP_TICKET_ERROR);
}

static void test_safe_local_path(void **state)
{
    apr_pool_t *p = *state;
    static const char *good[] = {
        "/", "/shop", "/shop/order/ABC?x=1&y=%2F%2Fz#top", "/a/b/../c", "/%2F%2Fevil", "/a:b",
        "/@evil.example", "/~user/", "/a//b",
    };
    static const char *bad[] = {
        "", "shop", "//evil.example", "///evil", "/\\evil", "/\\/evil", "\\\\evil", "/a\\b",
        "https://evil", "https:evil", "http:/evil", "javascript:alert(1)", "JavaScript:x",
        "data:text/html,x", "/a\rb", "/a\nb", "/a\r\nSet-Cookie: x=1", "/\t/evil", "/ /evil",
        "/a b", "/a\x7f", "/\xc3\xa9", "/\x01", " /a", "?x", "#x", ".", "../a",
    };
    char *longp = apr_palloc(p, SHOP_MAX_REDIRECT_PATH + 2);
    apr_size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!shop_safe_local_path(good[i]))
            fail_msg("'%s' refused", good[i]);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (shop_safe_local_path(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
    assert_false(shop_safe_local_path(NULL));
    memset(longp, 'a', SHOP_MAX_REDIRECT_PATH + 1);
    longp[0] = '/';
    longp[SHOP_MAX_REDIRECT_PATH] = '\0';
    assert_true(shop_safe_local_path(longp));
    longp[SHOP_MAX_REDIRECT_PATH] = 'a';
    longp[SHOP_MAX_REDIRECT_PATH + 1] = '\0';
    assert_false(shop_safe_local_path(longp));
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(shop_ticket_status_name(SHOP_TICKET_OK), "ok");
    assert_string_equal(shop_ticket_status_name(SHOP_TICKET_MALFORMED), "malformed");
    assert_string_equal(shop_ticket_status_name(SHOP_TICKET_BAD_SIGNATURE), "bad signature");
    assert_string_equal(shop_ticket_status_name(SHOP_TICKET_EXPIRED), "expired");
    assert_string_equal(shop_ticket_status_name(SHOP_TICKET_ERROR), "error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_nonces_differ),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_swapped_payload),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_signed_but_bad_payload),
        cmocka_unit_test(test_issue_refuses),
        cmocka_unit_test(test_safe_local_path),
        cmocka_unit_test(test_status_names),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
