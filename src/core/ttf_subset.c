/* ttf_subset.c -- a TrueType font cut down to some characters: see
 * ttf_subset.h.  References: the OpenType specification, tables cmap
 * (format 4), glyf (composite glyph flags), head, hhea, hmtx, loca, maxp,
 * post, and the table directory's checksums. */
#include "core/ttf_subset.h"

#include <apr_strings.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* composite glyph flags */
#define ARG_1_AND_2_ARE_WORDS    0x0001
#define WE_HAVE_A_SCALE          0x0008
#define MORE_COMPONENTS          0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO     0x0080

typedef struct tbl {
    const unsigned char *data;
    uint32_t len;
} tbl_t;

typedef struct font {
    tbl_t head, hhea, maxp, loca, glyf, hmtx, cmap, os2, name, cvt, fpgm, prep, gasp, post;
    unsigned num_glyphs, num_hmetrics;
    int long_loca;
    const unsigned char *cmap4;          /* the format 4 subtable used */
    uint32_t cmap4_len;
} font_t;

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The Unicode format 4 subtable of cmap: (3,1), else (0,*). */
static int find_cmap4(font_t *f)
{
    const tbl_t *c = &f->cmap;
    if (c->len < 4) return -1;
    unsigned n = be16(c->data + 2);
    if (4 + 8 * (uint32_t)n > c->len) return -1;
    int best = -1;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = c->data + 4 + 8 * i;
        unsigned platform = be16(rec), encoding = be16(rec + 2);
        uint32_t off = be32(rec + 4);
        int rank = platform == 3 && encoding == 1 ? 2 : platform == 0 ? 1 : 0;
        if (!rank || rank <= best || off > c->len || c->len - off < 14 || be16(c->data + off) != 4) continue;
        uint32_t len = be16(c->data + off + 2);
        if (len < 16 || len > c->len - off) continue;
        unsigned segs = be16(c->data + off + 6) / 2;
        if (!segs || 16 + 8 * (uint32_t)segs > len) continue;
        best = rank;
        f->cmap4 = c->data + off;
        f->cmap4_len = len;
    }
    return best > 0 ? 0 : -1;
}

static int parse(font_t *f, const unsigned char *buf, apr_size_t len, const char **error)
{
    memset(f, 0, sizeof(*f));
    *error = "not a TrueType font (bad table directory)";
    if (!buf || len < 12 || len > SHOP_TTF_MAX_INPUT) return -1;
    uint32_t version = be32(buf);
    if (version != 0x00010000 && version != 0x74727565) {
        *error = version == 0x4F54544F ? "a CFF (OpenType PostScript) font: only TrueType outlines are cut"
                                       : "not a TrueType font";
        return -1;
    }
    unsigned n = be16(buf + 4);
    if (12 + 16 * (apr_size_t)n > len) return -1;
    static const struct { const char *tag; size_t at; } known[] = {
        { "head", offsetof(font_t, head) }, { "hhea", offsetof(font_t, hhea) }, { "maxp", offsetof(font_t, maxp) },
        { "loca", offsetof(font_t, loca) }, { "glyf", offsetof(font_t, glyf) }, { "hmtx", offsetof(font_t, hmtx) },
        { "cmap", offsetof(font_t, cmap) }, { "OS/2", offsetof(font_t, os2) }, { "name", offsetof(font_t, name) },
        { "cvt ", offsetof(font_t, cvt) }, { "fpgm", offsetof(font_t, fpgm) }, { "prep", offsetof(font_t, prep) },
        { "gasp", offsetof(font_t, gasp) }, { "post", offsetof(font_t, post) }
    };
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = buf + 12 + 16 * i;
        uint32_t off = be32(rec + 8), tlen = be32(rec + 12);
        if (off > len || tlen > len - off) return -1;
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
            if (memcmp(rec, known[k].tag, 4) != 0) continue;
            tbl_t *t = (tbl_t *)((char *)f + known[k].at);
            t->data = buf + off;
            t->len = tlen;
        }
    }
    *error = "a table the subset needs (head, hhea, maxp, loca, glyf, hmtx, cmap) is missing or short";
    if (f->head.len < 54 || f->hhea.len < 36 || f->maxp.len < 6 || !f->loca.data || !f->glyf.data
        || !f->hmtx.data || !f->cmap.data)
        return -1;
    f->num_glyphs = be16(f->maxp.data + 4);
    f->num_hmetrics = be16(f->hhea.data + 34);
    unsigned fmt = be16(f->head.data + 50);
    *error = "inconsistent glyph counts or loca format";
    if (!f->num_glyphs || !f->num_hmetrics || f->num_hmetrics > f->num_glyphs || fmt > 1) return -1;
    f->long_loca = (int)fmt;
    if (f->loca.len < ((uint32_t)f->num_glyphs + 1) * (f->long_loca ? 4 : 2)) return -1;
    if (f->hmtx.len < 4 * (uint32_t)f->num_hmetrics + 2 * (uint32_t)(f->num_glyphs - f->num_hmetrics)) return -1;
    *error = "no Unicode cmap of format 4";
    if (find_cmap4(f) != 0) return -1;
    *error = NULL;
    return 0;
}

/* Where glyph gid lies in glyf: 0, or -1 when loca points outside. */
static int glyph_range(const font_t *f, unsigned gid, uint32_t *off, uint32_t *len)
{
    uint32_t a, b;
    if (f->long_loca) {
        a = be32(f->loca.data + 4 * gid);
        b = be32(f->loca.data + 4 * gid + 4);
    } else {
        a = 2 * be16(f->loca.data + 2 * gid);
        b = 2 * be16(f->loca.data + 2 * gid + 2);
    }
    if (a > b || b > f->glyf.len) return -1;
    *off = a;
    *len = b - a;
    return 0;
}

static unsigned cmap_lookup_raw(const font_t *f, unsigned cp)
{
    const unsigned char *t = f->cmap4;
    unsigned segs = be16(t + 6) / 2;
    const unsigned char *ends = t + 14, *starts = ends + 2 * segs + 2, *deltas = starts + 2 * segs,
                        *ranges = deltas + 2 * segs;
    for (unsigned i = 0; i < segs; i++) {
        unsigned end = be16(ends + 2 * i), start = be16(starts + 2 * i);
        if (cp > end) continue;
        if (cp < start) return 0;
        unsigned delta = be16(deltas + 2 * i), ro = be16(ranges + 2 * i);
        if (!ro) return (cp + delta) & 0xFFFF;
        uint32_t at = (uint32_t)(ranges + 2 * i - t) + ro + 2 * (cp - start);
        if (at + 2 > f->cmap4_len) return 0;
        unsigned g = be16(t + at);
        return g ? (g + delta) & 0xFFFF : 0;
    }
    return 0;
}

/* The glyph of cp; 0 for none, and for an index the font does not have. */
static unsigned cmap_lookup(const font_t *f, unsigned cp)
{
    unsigned g = cmap_lookup_raw(f, cp);
    return g < f->num_glyphs ? g : 0;
}

typedef struct subset {
    const font_t *f;
    unsigned char *keep;      /* per old glyph id */
    const char *error;
} subset_t;

/* Call fn on each component of the composite glyph at g[0..len); -1 when
 * it runs past its end. */
static int components(const unsigned char *g, uint32_t len, int (*fn)(subset_t *, unsigned char *, int), subset_t *s,
                      int depth)
{
    uint32_t at = 10;
    unsigned flags;
    do {
        if (at + 4 > len) return -1;
        flags = be16(g + at);
        if (fn(s, (unsigned char *)g + at + 2, depth) != 0) return -1;
        at += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) at += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
        if (at > len) return -1;
    } while (flags & MORE_COMPONENTS);
    return 0;
}

static int keep_glyph(subset_t *s, unsigned gid, int depth);

static int keep_component(subset_t *s, unsigned char *index, int depth)
{
    return keep_glyph(s, be16(index), depth + 1);
}

static int keep_glyph(subset_t *s, unsigned gid, int depth)
{
    const font_t *f = s->f;
    uint32_t off, len;
    if (depth > SHOP_TTF_MAX_DEPTH) {
        s->error = "composite glyphs nested too deep";
        return -1;
    }
    if (gid >= f->num_glyphs) {
        s->error = "a composite glyph names a glyph the font does not have";
        return -1;
    }
    if (s->keep[gid]) return 0;
    s->keep[gid] = 1;
    if (glyph_range(f, gid, &off, &len) != 0 || (len && len < 10)) {
        s->error = "a glyph lies outside the glyf table";
        return -1;
    }
    if (len && (int16_t)be16(f->glyf.data + off) < 0
        && components(f->glyf.data + off, len, keep_component, s, depth) != 0) {
        if (!s->error) s->error = "a composite glyph is truncated";
        return -1;
    }
    return 0;
}

/* The renumbering, for patching copied composite glyphs. */
typedef struct renumber {
    subset_t base;
    const unsigned *newid;
} renumber_t;

static int patch_component(subset_t *s, unsigned char *index, int depth)
{
    put16(index, ((renumber_t *)s)->newid[be16(index)]);
    return 0;
}

static uint32_t checksum(const unsigned char *p, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < len; i += 4) {
        unsigned char w[4] = { 0, 0, 0, 0 };
        memcpy(w, p + i, len - i < 4 ? len - i : 4);
        sum += be32(w);
    }
    return sum;
}

typedef struct out_tbl {
    char tag[4];
    unsigned char *data;
    uint32_t len;
} out_tbl_t;

static int by_tag(const void *a, const void *b)
{
    return memcmp(((const out_tbl_t *)a)->tag, ((const out_tbl_t *)b)->tag, 4);
}

static unsigned char *copy_of(apr_pool_t *p, const tbl_t *t)
{
    unsigned char *c = apr_palloc(p, t->len ? t->len : 1);
    if (t->len) memcpy(c, t->data, t->len);
    return c;
}

/* One (3,1) format 4 subtable mapping the code points to their new ids. */
static unsigned char *build_cmap(apr_pool_t *p, const unsigned *cps, const unsigned *gids, int n, uint32_t *len)
{
    unsigned (*seg)[3] = apr_palloc(p, sizeof(*seg) * (size_t)(n + 1));   /* start, end, gid of start */
    int segs = 0;
    for (int i = 0; i < n; i++) {
        if (segs && cps[i] == seg[segs - 1][1] + 1 && gids[i] == seg[segs - 1][2] + (cps[i] - seg[segs - 1][0])) {
            seg[segs - 1][1] = cps[i];
            continue;
        }
        seg[segs][0] = seg[segs][1] = cps[i];
        seg[segs][2] = gids[i];
        segs++;
    }
    seg[segs][0] = seg[segs][1] = 0xFFFF;
    seg[segs][2] = 0;
    segs++;
    uint32_t sub = 16 + 8 * (uint32_t)segs;
    *len = 12 + sub;
    unsigned char *c = apr_pcalloc(p, *len), *t = c + 12;
    put16(c + 2, 1);
    put16(c + 4, 3);
    put16(c + 6, 1);
    put32(c + 8, 12);
    unsigned range = 1, selector = 0;
    while (range * 2 <= (unsigned)segs) {
        range *= 2;
        selector++;
    }
    put16(t, 4);
    put16(t + 2, sub);
    put16(t + 6, 2 * segs);
    put16(t + 8, 2 * range);
    put16(t + 10, selector);
    put16(t + 12, 2 * segs - 2 * range);
    unsigned char *ends = t + 14, *starts = ends + 2 * segs + 2, *deltas = starts + 2 * segs;
    for (int i = 0; i < segs; i++) {
        put16(ends + 2 * i, seg[i][1]);
        put16(starts + 2 * i, seg[i][0]);
        put16(deltas + 2 * i, i == segs - 1 ? 1 : (seg[i][2] - seg[i][0]) & 0xFFFF);
    }
    return c;
}

/* The name table with only records 0-6 (copyright to PostScript name) and
 * `suffix` appended to the PostScript name, so that a document holding the
 * subset and the whole face tells them apart (libharu keys faces by that
 * name).  NULL when the table cannot be read. */
static unsigned char *build_name(apr_pool_t *p, const tbl_t *name, const char *suffix, uint32_t *len)
{
    if (name->len < 6) return NULL;
    unsigned count = be16(name->data + 2), strings = be16(name->data + 4);
    if (6 + 12 * (uint32_t)count > name->len || strings > name->len) return NULL;
    size_t slen = strlen(suffix);
    uint32_t size = 6, kept = 0, text = 0;
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = name->data + 6 + 12 * i;
        unsigned id = be16(r + 6), l = be16(r + 8), off = be16(r + 10), platform = be16(r);
        if (id > 6) continue;
        if ((uint32_t)strings + off + l > name->len) return NULL;
        kept++;
        text += l + (id == 6 ? (uint32_t)slen * (platform == 1 ? 1 : 2) : 0);
    }
    size += 12 * kept + text;
    unsigned char *o = apr_pcalloc(p, size), *rec = o + 6, *str = o + 6 + 12 * kept;
    put16(o + 2, kept);
    put16(o + 4, 6 + 12 * kept);
    uint32_t at = 0;
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = name->data + 6 + 12 * i;
        unsigned id = be16(r + 6), l = be16(r + 8), off = be16(r + 10), platform = be16(r);
        if (id > 6) continue;
        memcpy(rec, r, 8);
        memcpy(str + at, name->data + strings + off, l);
        uint32_t n = l;
        if (id == 6) {
            for (size_t k = 0; k < slen; k++) {
                if (platform != 1) str[at + n++] = 0;
                str[at + n++] = (unsigned char)suffix[k];
            }
        }
        put16(rec + 8, n);
        put16(rec + 10, at);
        at += n;
        rec += 12;
    }
    *len = size;
    return o;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

apr_status_t shop_ttf_subset(apr_pool_t *p, const unsigned char *font, apr_size_t len, const unsigned *cps,
                             int ncps, const char *ps_suffix, unsigned char **out, apr_size_t *outlen,
                             const char **error)
{
    font_t f;
    *out = NULL;
    *outlen = 0;
    if (parse(&f, font, len, error) != 0 || ncps < 0) {
        if (!*error) *error = "bad arguments";
        return APR_EINVAL;
    }

    /* the code points asked, sorted, without duplicates, with their glyph */
    unsigned *cp = apr_palloc(p, sizeof(unsigned) * (size_t)(ncps + 1));
    unsigned *old = apr_palloc(p, sizeof(unsigned) * (size_t)(ncps + 1));
    int n = 0;
    if (ncps) memcpy(cp, cps, sizeof(unsigned) * (size_t)ncps);
    qsort(cp, (size_t)ncps, sizeof(unsigned), cmp_unsigned);
    subset_t s = { &f, apr_pcalloc(p, f.num_glyphs), NULL };
    if (keep_glyph(&s, 0, 0) != 0) goto bad;
    for (int i = 0; i < ncps; i++) {
        /* U+FFFF, a noncharacter, is the cmap's end marker */
        if ((n && cp[n - 1] == cp[i]) || cp[i] >= 0xFFFF) continue;
        unsigned g = cmap_lookup(&f, cp[i]);
        if (!g || g >= f.num_glyphs) continue;
        cp[n] = cp[i];
        old[n++] = g;
        if (keep_glyph(&s, g, 0) != 0) goto bad;
    }

    /* new ids in the old order; glyf, loca, hmtx */
    unsigned *newid = apr_pcalloc(p, sizeof(unsigned) * f.num_glyphs);
    unsigned count = 0;
    uint32_t glyf_len = 0;
    for (unsigned g = 0; g < f.num_glyphs; g++) {
        uint32_t off, glen;
        if (!s.keep[g]) continue;
        newid[g] = count++;
        glyph_range(&f, g, &off, &glen);
        glyf_len += (glen + 3) & ~3u;
    }
    unsigned char *glyf = apr_pcalloc(p, glyf_len ? glyf_len : 1);
    unsigned char *loca = apr_palloc(p, 4 * ((size_t)count + 1));
    unsigned char *hmtx = apr_palloc(p, 4 * (size_t)count);
    renumber_t rn = { { &f, s.keep, NULL }, newid };
    uint32_t at = 0;
    for (unsigned g = 0, k = 0; g < f.num_glyphs; g++) {
        uint32_t off, glen;
        if (!s.keep[g]) continue;
        glyph_range(&f, g, &off, &glen);
        put32(loca + 4 * k, at);
        memcpy(glyf + at, f.glyf.data + off, glen);
        if (glen && (int16_t)be16(glyf + at) < 0) components(glyf + at, glen, patch_component, &rn.base, 0);
        at += (glen + 3) & ~3u;
        unsigned m = g < f.num_hmetrics ? g : f.num_hmetrics - 1;
        put16(hmtx + 4 * k, be16(f.hmtx.data + 4 * m));
        put16(hmtx + 4 * k + 2, g < f.num_hmetrics ? be16(f.hmtx.data + 4 * g + 2)
                                                   : be16(f.hmtx.data + 4 * f.num_hmetrics + 2 * (g - f.num_hmetrics)));
        k++;
    }
    put32(loca + 4 * count, at);
    for (int i = 0; i < n; i++) old[i] = newid[old[i]];

    /* the tables */
    out_tbl_t t[14];
    int nt = 0;
#define ADD(tagname, d, l) do { memcpy(t[nt].tag, tagname, 4); t[nt].data = (d); t[nt].len = (l); nt++; } while (0)
    unsigned char *head = copy_of(p, &f.head);
    put32(head + 8, 0);
    put16(head + 50, 1);
    ADD("head", head, f.head.len);
    unsigned char *hhea = copy_of(p, &f.hhea);
    put16(hhea + 34, count);
    ADD("hhea", hhea, f.hhea.len);
    unsigned char *maxp = copy_of(p, &f.maxp);
    put16(maxp + 4, count);
    ADD("maxp", maxp, f.maxp.len);
    ADD("glyf", glyf, glyf_len);
    ADD("loca", loca, 4 * (count + 1));
    ADD("hmtx", hmtx, 4 * count);
    uint32_t cmap_len;
    ADD("cmap", build_cmap(p, cp, old, n, &cmap_len), cmap_len);
    unsigned char *post = apr_pcalloc(p, 32);
    put32(post, 0x00030000);
    if (f.post.len >= 16) memcpy(post + 4, f.post.data + 4, 12);
    ADD("post", post, 32);
    if (f.os2.data) ADD("OS/2", copy_of(p, &f.os2), f.os2.len);
    if (f.name.data && ps_suffix && *ps_suffix) {
        uint32_t name_len;
        unsigned char *name = build_name(p, &f.name, ps_suffix, &name_len);
        if (!name) {
            *error = "the name table is truncated";
            return APR_EINVAL;
        }
        ADD("name", name, name_len);
    } else if (f.name.data) {
        ADD("name", copy_of(p, &f.name), f.name.len);
    }
    if (f.cvt.data) ADD("cvt ", copy_of(p, &f.cvt), f.cvt.len);
    if (f.fpgm.data) ADD("fpgm", copy_of(p, &f.fpgm), f.fpgm.len);
    if (f.prep.data) ADD("prep", copy_of(p, &f.prep), f.prep.len);
    if (f.gasp.data) ADD("gasp", copy_of(p, &f.gasp), f.gasp.len);
#undef ADD
    qsort(t, (size_t)nt, sizeof(t[0]), by_tag);

    apr_size_t total = 12 + 16 * (apr_size_t)nt;
    for (int i = 0; i < nt; i++) total += (t[i].len + 3) & ~3u;
    unsigned char *o = apr_pcalloc(p, total);
    unsigned range = 1, selector = 0;
    while (range * 2 <= (unsigned)nt) {
        range *= 2;
        selector++;
    }
    put32(o, 0x00010000);
    put16(o + 4, (unsigned)nt);
    put16(o + 6, 16 * range);
    put16(o + 8, selector);
    put16(o + 10, 16 * (unsigned)nt - 16 * range);
    uint32_t pos = 12 + 16 * (uint32_t)nt, head_at = 0;
    for (int i = 0; i < nt; i++) {
        unsigned char *rec = o + 12 + 16 * i;
        memcpy(rec, t[i].tag, 4);
        memcpy(o + pos, t[i].data, t[i].len);
        put32(rec + 4, checksum(o + pos, t[i].len));
        put32(rec + 8, pos);
        put32(rec + 12, t[i].len);
        if (!memcmp(t[i].tag, "head", 4)) head_at = pos;
        pos += (t[i].len + 3) & ~3u;
    }
    put32(o + head_at + 8, 0xB1B0AFBAu - checksum(o, (uint32_t)total));
    *out = o;
    *outlen = total;
    *error = NULL;
    return APR_SUCCESS;
bad:
    *error = s.error ? s.error : "the font cannot be cut";
    return APR_EINVAL;
}

int shop_ttf_glyph_of(const unsigned char *font, apr_size_t len, unsigned cp)
{
    font_t f;
    const char *error;
    if (parse(&f, font, len, &error) != 0) return -1;
    return cp >= 0xFFFF ? 0 : (int)cmap_lookup(&f, cp);
}
