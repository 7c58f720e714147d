/* Unit tests for src/core/ttf_subset.c: DejaVu Sans cut to a few characters
 * keeps their glyphs, widths and composite parts, makes a well-formed font
 * (table checksums, the whole-file adjustment), renames it when asked, and
 * refuses or survives damaged input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/ttf_subset.h"

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

typedef struct fx {
    apr_pool_t *p;
    unsigned char *font;
    apr_size_t len;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof(*fx));
    if (!fx || apr_pool_create(&fx->p, NULL) != APR_SUCCESS) return -1;
    FILE *f = fopen(FONT, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        fx->font = apr_palloc(fx->p, (apr_size_t)n);
        fx->len = fread(fx->font, 1, (size_t)n, f);
        fclose(f);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    apr_pool_destroy(fx->p);
    free(fx);
    return 0;
}

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The table `tag` of font f, or NULL. */
static const unsigned char *table(const unsigned char *f, apr_size_t len, const char *tag, uint32_t *tlen)
{
    unsigned n = be16(f + 4);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = f + 12 + 16 * i;
        if (memcmp(rec, tag, 4) != 0) continue;
        uint32_t off = be32(rec + 8);
        *tlen = be32(rec + 12);
        assert_true(off + *tlen <= len);
        return f + off;
    }
    return NULL;
}

static unsigned advance(const unsigned char *f, apr_size_t len, unsigned gid)
{
    uint32_t hl, ml;
    const unsigned char *hhea = table(f, len, "hhea", &hl), *hmtx = table(f, len, "hmtx", &ml);
    unsigned n = be16(hhea + 34);
    return be16(hmtx + 4 * (gid < n ? gid : n - 1));
}

static uint32_t sum(const unsigned char *p, uint32_t len)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i < len; i += 4) {
        unsigned char w[4] = { 0 };
        memcpy(w, p + i, len - i < 4 ? len - i : 4);
        s += be32(w);
    }
    return s;
}

static const unsigned CPS[] = { 'A', 'b', ' ', 0xE9 /* é */, 0x152 /* Œ */, 0x20AC /* € */, 0xC5 /* Å */ };
#define NCPS ((int)(sizeof(CPS) / sizeof(CPS[0])))

static unsigned char *cut(fx_t *fx, const char *suffix, apr_size_t *len)
{
    unsigned char *out;
    const char *error = "unset";
    if (!fx->font) skip();
    assert_int_equal(shop_ttf_subset(fx->p, fx->font, fx->len, CPS, NCPS, suffix, &out, len, &error), APR_SUCCESS);
    assert_null(error);
    return out;
}

static void test_keeps_asked_glyphs_and_widths(void **state)
{
    fx_t *fx = *state;
    apr_size_t len;
    unsigned char *out = cut(fx, NULL, &len);
    assert_true(len < 40000);
    uint32_t ml;
    unsigned glyphs = be16(table(out, len, "maxp", &ml) + 4);
    assert_true(glyphs >= NCPS + 1 && glyphs < 30);   /* .notdef, the asked ones, their components */
    for (int i = 0; i < NCPS; i++) {
        int oldg = shop_ttf_glyph_of(fx->font, fx->len, CPS[i]), newg = shop_ttf_glyph_of(out, len, CPS[i]);
        assert_true(oldg > 0);
        assert_true(newg > 0 && (unsigned)newg < glyphs);
        assert_int_equal(advance(out, len, (unsigned)newg), advance(fx->font, fx->len, (unsigned)oldg));
    }
    assert_int_equal(shop_ttf_glyph_of(out, len, 'Z'), 0);       /* not asked */
    assert_int_equal(shop_ttf_glyph_of(out, len, 0x3A9), 0);     /* Ω: not asked */
}

/* Every composite glyph of the subset names glyphs the subset has, each
 * with an outline or components of its own. */
static void test_composites_point_inside(void **state)
{
    fx_t *fx = *state;
    apr_size_t len;
    unsigned char *out = cut(fx, NULL, &len);
    uint32_t gl, ll, ml;
    const unsigned char *glyf = table(out, len, "glyf", &gl), *loca = table(out, len, "loca", &ll);
    unsigned glyphs = be16(table(out, len, "maxp", &ml) + 4), composites = 0;
    uint32_t hl;
    assert_int_equal(be16(table(out, len, "head", &hl) + 50), 1);   /* long offsets */
    assert_int_equal(ll, 4 * (glyphs + 1));
    for (unsigned g = 0; g < glyphs; g++) {
        uint32_t a = be32(loca + 4 * g), b = be32(loca + 4 * g + 4);
        assert_true(a <= b && b <= gl);
        if (b - a < 10 || (int16_t)be16(glyf + a) >= 0) continue;
        composites++;
        uint32_t at = a + 10;
        unsigned flags;
        do {
            flags = be16(glyf + at);
            unsigned comp = be16(glyf + at + 2);
            assert_true(comp < glyphs);
            assert_true(be32(loca + 4 * comp + 4) > be32(loca + 4 * comp));
            at += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
        } while (flags & 0x20);
    }
    assert_true(composites > 0);        /* é, Å, Œ... are made of parts in DejaVu */
}

static void test_checksums(void **state)
{
    fx_t *fx = *state;
    apr_size_t len;
    unsigned char *out = cut(fx, NULL, &len);
    assert_int_equal(len % 4, 0);
    assert_int_equal(sum(out, (uint32_t)len), 0xB1B0AFBAu);
    unsigned n = be16(out + 4);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = out + 12 + 16 * i;
        if (i) assert_true(memcmp(rec - 16, rec, 4) < 0);      /* sorted by tag */
        if (!memcmp(rec, "head", 4)) continue;                 /* its adjustment field changed after */
        assert_int_equal(be32(rec + 4), sum(out + be32(rec + 8), be32(rec + 12)));
    }
    uint32_t pl;
    const unsigned char *post = table(out, len, "post", &pl);
    assert_int_equal(pl, 32);
    assert_int_equal(be32(post), 0x00030000);
}

static void test_rename(void **state)
{
    fx_t *fx = *state;
    apr_size_t len;
    unsigned char *out = cut(fx, "-WinAnsi", &len);
    uint32_t nl;
    const unsigned char *name = table(out, len, "name", &nl);
    unsigned count = be16(name + 2), strings = be16(name + 4), found = 0;
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = name + 6 + 12 * i;
        assert_true(be16(r + 6) <= 6);
        if (be16(r) == 1 && be16(r + 6) == 6) {
            assert_int_equal(be16(r + 8), strlen("DejaVuSans-WinAnsi"));
            assert_memory_equal(name + strings + be16(r + 10), "DejaVuSans-WinAnsi", 18);
            found++;
        }
    }
    assert_int_equal(found, 1);
}

static void test_refuses_what_it_cannot_read(void **state)
{
    fx_t *fx = *state;
    unsigned char *out;
    apr_size_t len;
    const char *error;
    static const unsigned char otto[16] = { 'O', 'T', 'T', 'O' };
    assert_int_equal(shop_ttf_subset(fx->p, otto, sizeof otto, CPS, NCPS, NULL, &out, &len, &error), APR_EINVAL);
    assert_non_null(strstr(error, "CFF"));
    assert_int_equal(shop_ttf_subset(fx->p, (const unsigned char *)"hello", 5, CPS, NCPS, NULL, &out, &len, &error),
                     APR_EINVAL);
    assert_int_equal(shop_ttf_subset(fx->p, NULL, 0, CPS, NCPS, NULL, &out, &len, &error), APR_EINVAL);
    assert_null(out);
    assert_int_equal(shop_ttf_glyph_of((const unsigned char *)"x", 1, 'A'), -1);
}

/* Cut anywhere, the font is refused or read without going out of bounds
 * (the SAN build checks the second part). */
static void test_truncated_and_damaged(void **state)
{
    fx_t *fx = *state;
    if (!fx->font) skip();
    unsigned char *out;
    apr_size_t len;
    const char *error;
    for (apr_size_t n = 0; n < fx->len; n += n < 1024 ? 7 : 9973) {
        apr_status_t rv = shop_ttf_subset(fx->p, fx->font, n, CPS, NCPS, "-X", &out, &len, &error);
        assert_true(rv == APR_SUCCESS || rv == APR_EINVAL);
        if (rv == APR_EINVAL) assert_non_null(error);
    }
    unsigned char *copy = malloc(fx->len);
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        memcpy(copy, fx->font, fx->len);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            /* the directory and the small tables first, anywhere else sometimes */
            apr_size_t at = (seed >> 8) % (round % 2 ? fx->len : 4096);
            copy[at] = (unsigned char)(seed >> 3);
        }
        apr_status_t rv = shop_ttf_subset(fx->p, copy, fx->len, CPS, NCPS, "-X", &out, &len, &error);
        assert_true(rv == APR_SUCCESS || rv == APR_EINVAL);
    }
    free(copy);
}

int main(void)
{
    apr_initialize();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keeps_asked_glyphs_and_widths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_composites_point_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checksums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_what_it_cannot_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_and_damaged, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
