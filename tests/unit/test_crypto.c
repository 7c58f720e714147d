/* Unit tests for src/core/crypto.c: RFC 4231 HMAC-SHA256 vectors, SHA-256,
 * hex, strict base64url, random ids, constant-time comparison. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_encode.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "unit_pool.h"

static const char *hex(apr_pool_t *p, const unsigned char *d, apr_size_t n)
{
    return shop_hex_encode(p, d, n);
}

typedef struct { unsigned char key[131]; apr_size_t klen; const char *data;
                 unsigned char bdata[50]; apr_size_t dlen; const char *mac; apr_size_t maclen; } vec_t;

static void test_hmac_rfc4231(void **state)
{
    apr_pool_t *p = *state;
    unsigned char out[SHOP_HMAC_SHA256_LEN];
    vec_t v[7];
    int i;

    memset(v, 0, sizeof v);
    /* 1 */
    memset(v[0].key, 0x0b, 20); v[0].klen = 20; v[0].data = "Hi There";
    v[0].mac = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
    /* 2 */
    memcpy(v[1].key, "Jefe", 4); v[1].klen = 4; v[1].data = "what do ya want for nothing?";
    v[1].mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    /* 3 */
    memset(v[2].key, 0xaa, 20); v[2].klen = 20; memset(v[2].bdata, 0xdd, 50); v[2].dlen = 50;
    v[2].mac = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe";
    /* 4 */
    for (i = 0; i < 25; i++) v[3].key[i] = (unsigned char)(i + 1);
    v[3].klen = 25; memset(v[3].bdata, 0xcd, 50); v[3].dlen = 50;
    v[3].mac = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
    /* 5: truncated to 128 bits */
    memset(v[4].key, 0x0c, 20); v[4].klen = 20; v[4].data = "Test With Truncation";
    v[4].mac = "a3b6167473100ee06e0c796c2955552b"; v[4].maclen = 16;
    /* 6 */
    memset(v[5].key, 0xaa, 131); v[5].klen = 131;
    v[5].data = "Test Using Larger Than Block-Size Key - Hash Key First";
    v[5].mac = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
    /* 7 */
    memset(v[6].key, 0xaa, 131); v[6].klen = 131;
    v[6].data = "This is a test using a larger than block-size key and a larger than "
                "block-size data. The key needs to be hashed before being used by the "
                "HMAC algorithm.";
    v[6].mac = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";

    for (i = 0; i < 7; i++) {
        const void *d = v[i].data ? (const void *)v[i].data : (const void *)v[i].bdata;
        apr_size_t dl = v[i].data ? strlen(v[i].data) : v[i].dlen;
        assert_int_equal(shop_hmac_sha256(v[i].key, v[i].klen, d, dl, out), APR_SUCCESS);
        assert_string_equal(hex(p, out, v[i].maclen ? v[i].maclen : sizeof out), v[i].mac);
    }
}

static void test_hmac_edge(void **state)
{
    unsigned char a[SHOP_HMAC_SHA256_LEN], b[SHOP_HMAC_SHA256_LEN];
    (void)state;
    /* empty key and empty data are legal HMAC inputs */
    assert_int_equal(shop_hmac_sha256(NULL, 0, NULL, 0, a), APR_SUCCESS);
    assert_int_equal(shop_hmac_sha256("", 0, "", 0, b), APR_SUCCESS);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(shop_hmac_sha256(NULL, 5, "x", 1, a), APR_EINVAL);
    assert_int_equal(shop_hmac_sha256("k", 1, NULL, 3, a), APR_EINVAL);
}

static void test_sha256(void **state)
{
    apr_pool_t *p = *state;
    assert_string_equal(shop_sha256_hex(p, "abc", 3),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(shop_sha256_hex(p, "", 0),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_string_equal(shop_sha256_hex(p, NULL, 0),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_null(shop_sha256_hex(p, NULL, 1));
}

static void test_hex(void **state)
{
    apr_pool_t *p = *state;
    unsigned char *out = NULL;
    apr_size_t n = 99;

    assert_string_equal(shop_hex_encode(p, "\x00\x01\xab\xff", 4), "0001abff");
    assert_string_equal(shop_hex_encode(p, "", 0), "");
    assert_int_equal(shop_hex_decode(p, "0001ABff", 8, &out, &n), APR_SUCCESS);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "\x00\x01\xab\xff", 4);
    assert_int_equal(shop_hex_decode(p, "", 0, &out, &n), APR_SUCCESS);
    assert_int_equal(n, 0);
    out = NULL;
    assert_int_equal(shop_hex_decode(p, "abc", 3, &out, &n), APR_EINVAL);
    assert_int_equal(shop_hex_decode(p, "zz", 2, &out, &n), APR_EINVAL);
    assert_int_equal(shop_hex_decode(p, "0g", 2, &out, &n), APR_EINVAL);
    assert_int_equal(shop_hex_decode(p, " 0", 2, &out, &n), APR_EINVAL);
    assert_null(out);
}

static void test_base64url_vectors(void **state)
{
    apr_pool_t *p = *state;
    static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *enc[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
    unsigned char *out;
    apr_size_t n, i;

    for (i = 0; i < 7; i++) {
        assert_string_equal(shop_base64url_encode(p, plain[i], strlen(plain[i])), enc[i]);
        assert_int_equal(shop_base64url_decode(p, enc[i], strlen(enc[i]), &out, &n), APR_SUCCESS);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(out, plain[i], n);
        assert_int_equal(out[n], '\0');
    }
    /* URL alphabet */
    assert_string_equal(shop_base64url_encode(p, "\xfb\xff", 2), "-_8");
    assert_int_equal(shop_base64url_decode(p, "-_8", 3, &out, &n), APR_SUCCESS);
    assert_memory_equal(out, "\xfb\xff", 2);
}

static void test_base64url_strict(void **state)
{
    apr_pool_t *p = *state;
    static const struct { const char *s; apr_size_t len; } bad[] = {
        { "Zg==", 4 }, { "Zg=", 3 },            /* padding */
        { "Z", 1 }, { "Zm9vY", 5 },             /* length mod 4 == 1 */
        { "Zh", 2 }, { "Zm9", 3 },              /* non-zero leftover bits */
        { "Zm+v", 4 }, { "Zm/v", 4 },           /* standard alphabet */
        { "Zm9 v", 5 }, { "Zm9v\n", 5 },        /* whitespace */
        { "Zm\0v", 4 },                         /* NUL */
        { "Zm9vYmFz=", 9 }, { "\xc3\xa9\xc3\xa9", 4 },
    };
    unsigned char *out = NULL;
    apr_size_t n, i;

    assert_int_equal(shop_base64url_decode(p, "Zm8", 3, &out, &n), APR_SUCCESS);
    out = NULL;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(shop_base64url_decode(p, bad[i].s, bad[i].len, &out, &n), APR_EINVAL);
    assert_null(out);
}

static void test_base64url_against_apr(void **state)
{
    apr_pool_t *p = *state;
    unsigned char buf[257];
    apr_size_t len;

    for (len = 0; len < sizeof buf; len++) {
        const char *ours, *theirs;
        unsigned char *back;
        apr_size_t n;
        assert_int_equal(shop_random_bytes(buf, len), APR_SUCCESS);
        ours = shop_base64url_encode(p, buf, len);
        theirs = apr_pencode_base64_binary(p, buf, (apr_ssize_t)len, APR_ENCODE_BASE64URL, NULL);
        assert_non_null(ours);
        if (len)        /* APR returns NULL for empty input */
            assert_string_equal(ours, theirs);
        assert_int_equal(strlen(ours), SHOP_B64URL_LEN(len));
        assert_int_equal(shop_base64url_decode(p, ours, strlen(ours), &back, &n), APR_SUCCESS);
        assert_int_equal(n, len);
        assert_memory_equal(back, buf, len);
    }
}

static void test_random(void **state)
{
    apr_pool_t *p = *state;
    const char *a = shop_random_id(p, 32), *b = shop_random_id(p, 32), *c;
    apr_size_t i;

    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    for (i = 0; i < 64; i++)
        assert_true((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
    c = shop_random_id(p, 16);
    assert_int_equal(strlen(c), 32);
    assert_null(shop_random_id(p, 0));
    assert_null(shop_random_id(p, 1025));
    assert_non_null(shop_random_id(p, 1024));
}

static void test_ct(void **state)
{
    (void)state;
    assert_true(shop_ct_equal("abc", "abc", 3));
    assert_false(shop_ct_equal("abc", "abd", 3));
    assert_true(shop_ct_equal(NULL, NULL, 0));
    assert_false(shop_ct_equal(NULL, "a", 1));
    assert_true(shop_ct_streq("token", "token"));
    assert_false(shop_ct_streq("token", "tokens"));
    assert_false(shop_ct_streq("token", "tokeN"));
    assert_true(shop_ct_streq("", ""));
    assert_false(shop_ct_streq(NULL, NULL));
    assert_false(shop_ct_streq("a", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_hmac_edge),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_base64url_vectors),
        cmocka_unit_test(test_base64url_strict),
        cmocka_unit_test(test_base64url_against_apr),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_ct),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
