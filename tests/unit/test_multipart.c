/* Unit tests for src/core/multipart.c and src/core/sniff.c: boundary
 * extraction, body splitting, hostile bodies, limits, content sniffing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/limits.h"
#include "core/multipart.h"
#include "core/sniff.h"
#include "unit_pool.h"

#define B "----WebKitFormBoundary7MA4YWxkTrZu0gW"

static const char *boundary_ok(apr_pool_t *p, const char *ct)
{
    const char *b = NULL, *err = NULL;
    if (shop_multipart_boundary(p, ct, &b, &err) != APR_SUCCESS)
        fail_msg("'%s' refused: %s", ct, err);
    return b;
}

static void test_boundary(void **state)
{
    apr_pool_t *p = *state;
    static const char *bad[] = {
        NULL, "", "text/plain; boundary=x", "multipart/mixed; boundary=x",
        "multipart/form-dataX; boundary=x", "multipart/form-data", "multipart/form-data;",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc \"", "multipart/form-data; boundary=a@b",
        "multipart/form-data; boundary=\"a\\\"b\"", "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; BOUNDARY=a; boundary=a",
        "multipart/form-data boundary=a", "multipart/form-data; =a", "multipart/form-data; boundary",
        "multipart/form-data; boundary=a\x01",
        "multipart/form-data; boundary="
        "12345678901234567890123456789012345678901234567890123456789012345678901",
    };
    const char *b, *err;
    apr_size_t i;

    assert_string_equal(boundary_ok(p, "multipart/form-data; boundary=" B), B);
    assert_string_equal(boundary_ok(p, "Multipart/Form-Data;boundary=abc"), "abc");
    assert_string_equal(boundary_ok(p, "multipart/form-data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
    assert_string_equal(boundary_ok(p, "  multipart/form-data ; boundary = xyz ; x=y"), "xyz");
    assert_string_equal(boundary_ok(p, "multipart/form-data; boundary=\"a\\:b\""), "a:b");
    assert_string_equal(boundary_ok(p, "multipart/form-data; boundary=a=b?c"), "a=b?c");
    assert_string_equal(boundary_ok(p, "multipart/form-data;; boundary=q;"), "q");
    assert_string_equal(boundary_ok(p, "multipart/form-data; boundary="
        "1234567890123456789012345678901234567890123456789012345678901234567890"),
        "1234567890123456789012345678901234567890123456789012345678901234567890");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = "unset";
        err = NULL;
        if (shop_multipart_boundary(p, bad[i], &b, &err) == APR_SUCCESS)
            fail_msg("accepted '%s'", bad[i] ? bad[i] : "(null)");
        assert_null(b);
        assert_non_null(err);
    }
}

static apr_array_header_t *parse_ok(apr_pool_t *p, const char *body, apr_size_t len,
                                    const char *boundary)
{
    apr_array_header_t *parts = NULL;
    const char *err = NULL;
    if (shop_multipart_parse(p, body, len, boundary, NULL, &parts, &err) != APR_SUCCESS)
        fail_msg("refused: %s", err);
    assert_non_null(parts);
    return parts;
}

static apr_status_t parse_bad(apr_pool_t *p, const char *body, const char *boundary,
                              const shop_multipart_limits_t *lim)
{
    apr_array_header_t *parts = (apr_array_header_t *)1;
    const char *err = NULL;
    apr_status_t rv = shop_multipart_parse(p, body, strlen(body), boundary, lim, &parts, &err);
    if (rv == APR_SUCCESS)
        fail_msg("accepted: %s", body);
    assert_null(parts);
    assert_non_null(err);
    return rv;
}

#define PART(name) "Content-Disposition: form-data; name=\"" name "\"\r\n\r\n"

static void test_browser_body(void **state)
{
    apr_pool_t *p = *state;
    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\r\n--" "not the boundary";
    char *body = apr_pstrcat(p,
        "--" B "\r\n"
        PART("csrf") "tok123\r\n"
        "--" B "\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "Caf\xc3\xa9 \"quoted\"\r\nsecond line\r\n"
        "--" B "\r\n"
        "content-disposition: form-data; name=\"photo\"; filename=\"C:\\Users\\me\\p%22ic.png\"\r\n"
        "Content-Type:  image/png \r\n"
        "X-Ignored: yes\r\n"
        "\r\n", NULL);
    apr_size_t head = strlen(body);
    char *full = apr_palloc(p, head + sizeof png - 1 + 200);
    apr_size_t len;
    apr_array_header_t *parts;
    const shop_part_t *pt;
    apr_table_t *fields = apr_table_make(p, 4);

    memcpy(full, body, head);
    memcpy(full + head, png, sizeof png - 1);
    len = head + sizeof png - 1;
    memcpy(full + len, "\r\n--" B "--\r\nepilogue", strlen("\r\n--" B "--\r\nepilogue"));
    len += strlen("\r\n--" B "--\r\nepilogue");

    parts = parse_ok(p, full, len, B);
    assert_int_equal(parts->nelts, 3);
    pt = &APR_ARRAY_IDX(parts, 0, shop_part_t);
    assert_string_equal(pt->name, "csrf");
    assert_null(pt->filename);
    assert_string_equal(pt->content_type, "text/plain");
    assert_int_equal(pt->len, 6);
    assert_memory_equal(pt->data, "tok123", 6);
    assert_true(pt->data > full && pt->data < full + len);   /* into the body */

    pt = &APR_ARRAY_IDX(parts, 1, shop_part_t);
    assert_string_equal(pt->name, "title");
    assert_int_equal(pt->len, strlen("Caf\xc3\xa9 \"quoted\"\r\nsecond line"));

    pt = shop_multipart_get(parts, "photo");
    assert_non_null(pt);
    assert_string_equal(pt->filename, "p%22ic.png");
    assert_string_equal(pt->content_type, "image/png");
    assert_int_equal(pt->len, sizeof png - 1);
    assert_memory_equal(pt->data, png, sizeof png - 1);
    assert_int_equal(shop_sniff(pt->data, pt->len), SHOP_FILETYPE_PNG);
    assert_null(shop_multipart_get(parts, "Photo"));

    assert_int_equal(shop_multipart_fields(p, parts, fields, NULL), APR_SUCCESS);
    assert_int_equal(apr_table_elts(fields)->nelts, 2);
    assert_string_equal(apr_table_get(fields, "csrf"), "tok123");
    assert_string_equal(apr_table_get(fields, "title"), "Caf\xc3\xa9 \"quoted\"\r\nsecond line");
    assert_null(apr_table_get(fields, "photo"));
}

static void test_shapes(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *parts;
    const char *body;
    const shop_part_t *pt;

    /* preamble, transport padding, empty values, empty file input */
    body = "preamble line\r\n--xyz \t\r\n" PART("a") "\r\n--xyz\r\n"
           "Content-Disposition: form-data; name=f; filename=\"\"\r\n"
           "Content-Type: application/octet-stream\r\n\r\n"
           "\r\n--xyz--";
    parts = parse_ok(p, body, strlen(body), "xyz");
    assert_int_equal(parts->nelts, 2);
    pt = &APR_ARRAY_IDX(parts, 0, shop_part_t);
    assert_int_equal(pt->len, 0);
    pt = &APR_ARRAY_IDX(parts, 1, shop_part_t);
    assert_string_equal(pt->name, "f");
    assert_string_equal(pt->filename, "");
    assert_int_equal(pt->len, 0);

    /* no part at all */
    parts = parse_ok(p, "--xyz--\r\n", 9, "xyz");
    assert_int_equal(parts->nelts, 0);

    /* boundary text inside data but not at a line start is data */
    body = "--xyz\r\n" PART("a") "x--xyz y\r\n-xyz --xyz\r\n--xyz--";
    parts = parse_ok(p, body, strlen(body), "xyz");
    assert_int_equal(parts->nelts, 1);
    pt = &APR_ARRAY_IDX(parts, 0, shop_part_t);
    assert_int_equal(pt->len, strlen("x--xyz y\r\n-xyz --xyz"));

    /* directory parts are stripped from filenames */
    body = "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\n"
           "root\r\n--xyz--";
    parts = parse_ok(p, body, strlen(body), "xyz");
    assert_string_equal(APR_ARRAY_IDX(parts, 0, shop_part_t).filename, "passwd");

    /* unknown parameters and filename* are ignored; case of names kept */
    body = "--xyz\r\nContent-Disposition: FORM-DATA; Name=\"Qty\"; filename*=UTF-8''x; foo=bar\r\n\r\n"
           "3\r\n--xyz--";
    parts = parse_ok(p, body, strlen(body), "xyz");
    assert_string_equal(APR_ARRAY_IDX(parts, 0, shop_part_t).name, "Qty");
    assert_null(APR_ARRAY_IDX(parts, 0, shop_part_t).filename);

    /* repeated field names are all kept */
    body = "--xyz\r\n" PART("a") "1\r\n--xyz\r\n" PART("a") "2\r\n--xyz--";
    parts = parse_ok(p, body, strlen(body), "xyz");
    assert_int_equal(parts->nelts, 2);
}

static void test_malformed(void **state)
{
    apr_pool_t *p = *state;
    static const char *bad[] = {
        "",                                                     /* empty */
        "no boundary here",
        "--xyz",                                                /* nothing after */
        "--xyz\r\n",                                            /* truncated */
        "--xyz\r\n" PART("a") "data",                           /* no closing boundary */
        "--xyz\r\n" PART("a") "data\r\n--xyz",                  /* cut after delimiter */
        "--xyz\r\n" PART("a") "data\r\n--xyz\r\n",              /* cut before next part */
        "--xyzX\r\n" PART("a") "1\r\n--xyz--",                  /* longer boundary line */
        "--xyz\r\n" PART("a") "1\r\n--xyzX\r\n--xyz--",         /* delimiter then garbage */
        "--xyz garbage\r\n" PART("a") "1\r\n--xyz--",
        "--xyz\r\n--xyz\r\n" PART("a") "1\r\n--xyz--",          /* duplicated boundary */
        "--xyz\r\n\r\n1\r\n--xyz--",                            /* no headers */
        "--xyz\r\nContent-Type: text/plain\r\n\r\n1\r\n--xyz--",/* no disposition */
        "--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a\r\n"
            "Content-Disposition: form-data; name=b\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a/b\r\n"
            "Content-Type: c/d\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--xyz--",  /* folded */
        "--xyz\r\nContent-Disposition form-data; name=a\r\n\r\n1\r\n--xyz--",
        "--xyz\nContent-Disposition: form-data; name=a\n\n1\n--xyz--",           /* bare LF */
        "--xyz\r\nContent-Disposition: form-data; name=a\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a\r\n1\r\n--xyz--",      /* no blank line */
        "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n--xyz--",       /* blank line is the delimiter's */
        "--xyz\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=\"\xc3\x28\"\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a; filename=\"\xc0\xaf.png\"\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a\r\nContent-Type:\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a\r\nContent-Type: \xc3\xa9\r\n\r\n1\r\n--xyz--",
        "--xyz\r\nContent-Disposition: form-data; name=a b\r\n\r\n1\r\n--xyz--",
        ": x\r\n--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--X",
    };
    apr_size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        apr_array_header_t *parts = (apr_array_header_t *)1;
        const char *err = NULL;
        apr_status_t rv = shop_multipart_parse(p, bad[i], strlen(bad[i]), "xyz", NULL, &parts, &err);
        if (i == sizeof bad / sizeof bad[0] - 1) {
            /* a preamble that is not a delimiter line is fine; the epilogue is ignored */
            assert_int_equal(rv, APR_SUCCESS);
            continue;
        }
        if (rv != APR_EINVAL)
            fail_msg("case %zu accepted (rv %d): %s", i, rv, bad[i]);
        assert_null(parts);
        assert_non_null(err);
    }
    /* NULL body, bad boundary argument */
    assert_int_equal(parse_bad(p, "--xyz--", "", NULL), APR_EINVAL);
    assert_int_equal(parse_bad(p, "--a@b--", "a@b", NULL), APR_EINVAL);
    {
        apr_array_header_t *parts;
        assert_int_equal(shop_multipart_parse(p, NULL, 0, "xyz", NULL, &parts, NULL), APR_EINVAL);
        assert_int_equal(shop_multipart_parse(p, "--xyz--", 7, NULL, NULL, &parts, NULL), APR_EINVAL);
    }
}

static void test_headers_too_long(void **state)
{
    apr_pool_t *p = *state;
    char *pad = apr_palloc(p, SHOP_MAX_PART_HEADERS + 1);
    const char *body;

    memset(pad, 'x', SHOP_MAX_PART_HEADERS);
    pad[SHOP_MAX_PART_HEADERS] = '\0';
    body = apr_pstrcat(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ", pad,
                       "\r\n\r\n1\r\n--xyz--", NULL);
    assert_int_equal(parse_bad(p, body, "xyz", NULL), APR_EINVAL);
}

static const char *repeat_parts(apr_pool_t *p, int n, int files, apr_size_t size)
{
    char *data = apr_palloc(p, size + 1);
    const char *body = "";
    int i;

    memset(data, 'd', size);
    data[size] = '\0';
    for (i = 0; i < n; i++)
        body = apr_pstrcat(p, body, "--b\r\nContent-Disposition: form-data; name=\"f",
                           apr_itoa(p, i), "\"", files ? "; filename=\"x.bin\"" : "",
                           "\r\n\r\n", data, "\r\n", NULL);
    return apr_pstrcat(p, body, "--b--\r\n", NULL);
}

static void test_limits(void **state)
{
    apr_pool_t *p = *state;
    shop_multipart_limits_t lim = { 3, 2, 10, 5, 0 };
    apr_array_header_t *parts;
    const char *body, *err;

    body = repeat_parts(p, SHOP_MAX_MULTIPART_PARTS, 0, 1);
    parse_ok(p, body, strlen(body), "b");
    body = repeat_parts(p, SHOP_MAX_MULTIPART_PARTS + 1, 0, 1);
    assert_int_equal(parse_bad(p, body, "b", NULL), APR_ENOSPC);
    body = repeat_parts(p, SHOP_MAX_UPLOAD_PARTS, 1, 1);
    parse_ok(p, body, strlen(body), "b");
    body = repeat_parts(p, SHOP_MAX_UPLOAD_PARTS + 1, 1, 1);
    assert_int_equal(parse_bad(p, body, "b", NULL), APR_ENOSPC);

    /* custom limits: 3 parts, 2 files, file 10 bytes, field 5 bytes */
    body = repeat_parts(p, 3, 0, 5);
    assert_int_equal(shop_multipart_parse(p, body, strlen(body), "b", &lim, &parts, &err), APR_SUCCESS);
    body = repeat_parts(p, 4, 0, 1);
    assert_int_equal(parse_bad(p, body, "b", &lim), APR_ENOSPC);
    body = repeat_parts(p, 1, 0, 6);
    assert_int_equal(parse_bad(p, body, "b", &lim), APR_ENOSPC);
    body = repeat_parts(p, 2, 1, 10);
    assert_int_equal(shop_multipart_parse(p, body, strlen(body), "b", &lim, &parts, &err), APR_SUCCESS);
    body = repeat_parts(p, 3, 1, 1);
    assert_int_equal(parse_bad(p, body, "b", &lim), APR_ENOSPC);
    body = repeat_parts(p, 1, 1, 11);
    assert_int_equal(parse_bad(p, body, "b", &lim), APR_ENOSPC);
    lim.max_total = 20;
    body = repeat_parts(p, 1, 0, 1);
    assert_int_equal(parse_bad(p, body, "b", &lim), APR_ENOSPC);

    /* the default total: SHOP_MAX_BODY_UPLOAD */
    {
        apr_size_t n = SHOP_MAX_BODY_UPLOAD + 1;
        char *big = apr_palloc(p, n);
        memset(big, 'x', n);
        memcpy(big, "--b--", 5);
        assert_int_equal(shop_multipart_parse(p, big, n, "b", NULL, &parts, &err), APR_ENOSPC);
        assert_int_equal(shop_multipart_parse(p, big, n - 1, "b", NULL, &parts, &err), APR_SUCCESS);
    }
}

static void test_fields_refuse(void **state)
{
    apr_pool_t *p = *state;
    const char body1[] = "--b\r\n" PART("a") "x\0y\r\n--b--";
    const char *body2 = "--b\r\n" PART("a") "\xff\r\n--b--";
    const char body3[] = "--b\r\nContent-Disposition: form-data; name=a; filename=z\r\n\r\n\xff\0\r\n--b--";
    apr_array_header_t *parts;
    const char *err = NULL;

    parts = parse_ok(p, body1, sizeof body1 - 1, "b");
    assert_int_equal(shop_multipart_fields(p, parts, apr_table_make(p, 1), &err), APR_EINVAL);
    assert_string_equal(err, "NUL byte in field 'a'");
    parts = parse_ok(p, body2, strlen(body2), "b");
    assert_int_equal(shop_multipart_fields(p, parts, apr_table_make(p, 1), &err), APR_EINVAL);
    /* binary file parts are not fields */
    parts = parse_ok(p, body3, sizeof body3 - 1, "b");
    assert_int_equal(shop_multipart_fields(p, parts, apr_table_make(p, 1), &err), APR_SUCCESS);
}

static void test_large_file(void **state)
{
    apr_pool_t *p = *state;
    apr_size_t size = 6 * 1024 * 1024, hl;
    const char *head = "--" B "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\n"
                       "Content-Type: application/pdf\r\n\r\n";
    const char *tail = "\r\n--" B "--\r\n";
    char *body;
    apr_array_header_t *parts;
    const shop_part_t *pt;

    hl = strlen(head);
    body = apr_palloc(p, hl + size + strlen(tail));
    memcpy(body, head, hl);
    memset(body + hl, '\r', size);               /* worst case for the delimiter search */
    memcpy(body + hl, "%PDF-1.7\n", 9);
    memcpy(body + hl + size, tail, strlen(tail));
    parts = parse_ok(p, body, hl + size + strlen(tail), B);
    pt = &APR_ARRAY_IDX(parts, 0, shop_part_t);
    assert_int_equal(pt->len, size);
    assert_int_equal(shop_sniff(pt->data, pt->len), SHOP_FILETYPE_PDF);
}

static void test_sniff(void **state)
{
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
                                         0, 0, 0, 0x0d, 'I', 'H', 'D', 'R' };
    static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F' };
    (void)state;

    assert_int_equal(shop_sniff(png, sizeof png), SHOP_FILETYPE_PNG);
    assert_int_equal(shop_sniff(png, sizeof png - 1), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff(png, 8), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff(jpg, sizeof jpg), SHOP_FILETYPE_JPEG);
    assert_int_equal(shop_sniff(jpg, 2), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("GIF89a\x01\x00", 8), SHOP_FILETYPE_GIF);
    assert_int_equal(shop_sniff("GIF87a", 6), SHOP_FILETYPE_GIF);
    assert_int_equal(shop_sniff("GIF88a", 6), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("RIFF\x24\0\0\0WEBPVP8 ", 16), SHOP_FILETYPE_WEBP);
    assert_int_equal(shop_sniff("RIFF\x24\0\0\0WEBPVP8L", 16), SHOP_FILETYPE_WEBP);
    assert_int_equal(shop_sniff("RIFF\x24\0\0\0WEBPVP8X", 16), SHOP_FILETYPE_WEBP);
    assert_int_equal(shop_sniff("RIFF\x24\0\0\0WAVEfmt ", 16), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("RIFF\x24\0\0\0WEBP", 12), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("%PDF-1.4\n", 9), SHOP_FILETYPE_PDF);
    assert_int_equal(shop_sniff(" %PDF-1.4", 9), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("<html><script>", 14), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("<svg xmlns=", 11), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff("", 0), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff(NULL, 0), SHOP_FILETYPE_UNKNOWN);
    assert_int_equal(shop_sniff(NULL, 10), SHOP_FILETYPE_UNKNOWN);

    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_PNG), "image/png");
    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_JPEG), "image/jpeg");
    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_GIF), "image/gif");
    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_WEBP), "image/webp");
    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_PDF), "application/pdf");
    assert_string_equal(shop_filetype_mime(SHOP_FILETYPE_UNKNOWN), "unknown");
    assert_string_equal(shop_filetype_mime((shop_filetype_e)99), "unknown");
    assert_string_equal(shop_filetype_ext(SHOP_FILETYPE_JPEG), ".jpg");
    assert_string_equal(shop_filetype_ext(SHOP_FILETYPE_UNKNOWN), "");
    assert_string_equal(shop_sniff_mime("%PDF-", 5), "application/pdf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_browser_body),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_headers_too_long),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_fields_refuse),
        cmocka_unit_test(test_large_file),
        cmocka_unit_test(test_sniff),
    };
    int rc;
    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
