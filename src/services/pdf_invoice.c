/* A bill's document as a PDF: see pdf_invoice.h.  Layout (A4 portrait, in
 * points from the bottom left):
 *   page 1   seller block (logo, identity) on the left; title, number,
 *            dates and the buyer's box on the right;
 *   then     the lines table (its header again on every page it reaches),
 *            the per-rate tax table beside the totals, payment terms, bank
 *            details, mentions, the training declaration;
 *   each page  the catalogue footer and "n/N" at the bottom.
 * A block that does not fit in what is left of a page starts the next one;
 * table rows are never cut. */
#include "services/pdf_invoice.h"
#include "services/pdf_text.h"
#include "core/money.h"

#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>

#define PAGE_W      595.276f
#define PAGE_H      841.89f
#define LEFT        42.0f
#define RIGHT       (PAGE_W - 42.0f)
#define WIDTH       (RIGHT - LEFT)
#define TOP         (PAGE_H - 42.0f)
#define BODY        8.0f          /* body text size */
#define SMALL       7.0f
#define LEADING     10.0f         /* line height of body text */
#define PAD         3.0f          /* table cell padding */
#define FOOTER_MAX  6             /* footer lines kept */
#define LOGO_W      150.0f
#define LOGO_H      60.0f

typedef struct pdf {
    apr_pool_t *pool;
    const shop_env_t *env;
    const shop_document_t *doc;
    HPDF_Doc h;
    shop_pdf_fonts_t f;
    apr_array_header_t *pages;   /* HPDF_Page */
    HPDF_Page page;
    float y;                     /* top of the next thing drawn */
    float bottom;                /* nothing goes below this */
    apr_array_header_t *footer;  /* shop_pdf_run_t */
    int soft;                    /* errors expected (the logo): not fatal */
    HPDF_STATUS error, detail;
} pdf_t;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    pdf_t *p = data;
    if (!p->soft && !p->error) {
        p->error = error;
        p->detail = detail;
    }
}

static apr_status_t free_doc(void *h)
{
    HPDF_Free((HPDF_Doc)h);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------- words */

static const char *str(pdf_t *p, const char *key)
{
    return shop_document_text(p->env, p->doc, key);
}

static const char *labelled(pdf_t *p, const char *key, const char *value)
{
    return apr_pstrcat(p->pool, str(p, key), str(p, "doc_colon"), value, NULL);
}

static const char *money(pdf_t *p, apr_int64_t v)
{
    return shop_money_pformat(p->pool, v, p->doc->currency, p->doc->lang);
}

static const char *date(pdf_t *p, apr_int64_t t)
{
    return shop_document_date(p->pool, p->env->i18n, p->doc->lang, t);
}

static const char *rate(pdf_t *p, const char *r)
{
    return shop_document_rate(p->pool, p->doc->lang, r);
}

static const char *country(pdf_t *p, const char *cc)
{
    return cc ? shop_i18n_label(p->env->i18n, p->pool, p->doc->lang, "country_", cc) : NULL;
}

/* ------------------------------------------------------------- drawing */

static void text_at(pdf_t *p, float x, float y, const char *t, int bold, float size)
{
    shop_pdf_run_t r = shop_pdf_run(p->pool, &p->f, t, bold);
    shop_pdf_draw(p->page, &r, size, x, y);
}

static void run_at(pdf_t *p, const shop_pdf_run_t *r, float size, float x, float y, int right_edge)
{
    shop_pdf_draw(p->page, r, size, right_edge ? x - shop_pdf_width(r, size) : x, y);
}

static void new_page(pdf_t *p)
{
    p->page = HPDF_AddPage(p->h);
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    APR_ARRAY_PUSH(p->pages, HPDF_Page) = p->page;
    p->y = TOP;
}

/* Room for h points, else a new page.  1 when a page was started. */
static int ensure(pdf_t *p, float h)
{
    if (p->y - h >= p->bottom) return 0;
    new_page(p);
    return 1;
}

static void fill_rect(pdf_t *p, float x, float y, float w, float h, float gray)
{
    HPDF_Page_SetGrayFill(p->page, gray);
    HPDF_Page_Rectangle(p->page, x, y, w, h);
    HPDF_Page_Fill(p->page);
    HPDF_Page_SetGrayFill(p->page, 0);
}

static void rule(pdf_t *p, float x, float y, float w, float gray)
{
    HPDF_Page_SetGrayStroke(p->page, gray);
    HPDF_Page_SetLineWidth(p->page, 0.5f);
    HPDF_Page_MoveTo(p->page, x, y);
    HPDF_Page_LineTo(p->page, x + w, y);
    HPDF_Page_Stroke(p->page);
    HPDF_Page_SetGrayStroke(p->page, 0);
}

/* A wrapped paragraph at x, width w, going to the next page when needed. */
static void paragraph(pdf_t *p, float x, float w, const char *t, int bold, float size)
{
    float lead = size * 1.3f;
    apr_array_header_t *lines = shop_pdf_wrap(p->pool, &p->f, t, bold, size, w);
    for (int i = 0; i < lines->nelts; i++) {
        ensure(p, lead);
        p->y -= lead;
        run_at(p, &APR_ARRAY_IDX(lines, i, shop_pdf_run_t), size, x, p->y + 2, 0);
    }
}

/* Lines of a block drawn later: text, bold, size. */
typedef struct item {
    const char *text;
    int bold;
    float size;
} item_t;

static void add(apr_array_header_t *items, const char *text, int bold, float size)
{
    if (!text || !*text) return;
    item_t *it = apr_array_push(items);
    it->text = text;
    it->bold = bold;
    it->size = size;
}

/* Draw items wrapped in width w from y down; returns the y reached. */
static float column(pdf_t *p, float x, float y, float w, const apr_array_header_t *items)
{
    for (int i = 0; i < items->nelts; i++) {
        const item_t *it = &APR_ARRAY_IDX(items, i, item_t);
        apr_array_header_t *lines = shop_pdf_wrap(p->pool, &p->f, it->text, it->bold, it->size, w);
        for (int k = 0; k < lines->nelts; k++) {
            y -= it->size * 1.3f;
            run_at(p, &APR_ARRAY_IDX(lines, k, shop_pdf_run_t), it->size, x, y + 2, 0);
        }
    }
    return y;
}

static float column_height(pdf_t *p, float w, const apr_array_header_t *items)
{
    float h = 0;
    for (int i = 0; i < items->nelts; i++) {
        const item_t *it = &APR_ARRAY_IDX(items, i, item_t);
        h += it->size * 1.3f * (float)shop_pdf_wrap(p->pool, &p->f, it->text, it->bold, it->size, w)->nelts;
    }
    return h;
}

/* ------------------------------------------------------------- header */

static float logo(pdf_t *p, float y)
{
    const shop_doc_seller_t *s = &p->doc->seller;
    if (!s->logo) return y;
    p->soft = 1;
    HPDF_Image img = s->logo_png ? HPDF_LoadPngImageFromMem(p->h, (const HPDF_BYTE *)s->logo, (HPDF_UINT)s->logo_len)
                                 : HPDF_LoadJpegImageFromMem(p->h, (const HPDF_BYTE *)s->logo, (HPDF_UINT)s->logo_len);
    p->soft = 0;
    if (!img) {
        HPDF_ResetError(p->h);     /* a broken logo leaves the document without one */
        return y;
    }
    float w = (float)HPDF_Image_GetWidth(img), h = (float)HPDF_Image_GetHeight(img);
    if (w <= 0 || h <= 0) return y;
    float scale = LOGO_W / w < LOGO_H / h ? LOGO_W / w : LOGO_H / h;
    if (scale > 1) scale = 1;
    HPDF_Page_DrawImage(p->page, img, LEFT, y - h * scale, w * scale, h * scale);
    return y - h * scale - 8;
}

static const char *joined(pdf_t *p, const char *a, const char *sep, const char *b)
{
    if (a && b) return apr_pstrcat(p->pool, a, sep, b, NULL);
    return a ? a : b;
}

static float seller(pdf_t *p)
{
    const shop_doc_seller_t *s = &p->doc->seller;
    apr_array_header_t *items = apr_array_make(p->pool, 12, sizeof(item_t));
    add(items, s->id.name, 1, 11);
    add(items, s->legal_form, 0, BODY);
    add(items, s->id.address, 0, BODY);
    add(items, joined(p, s->id.zip, " ", s->id.city), 0, BODY);
    add(items, country(p, s->id.country), 0, BODY);
    add(items, joined(p, s->id.siren ? apr_pstrcat(p->pool, str(p, "doc_siren"), " ", s->id.siren, NULL) : NULL, " — ",
                      s->id.siret ? apr_pstrcat(p->pool, str(p, "doc_siret"), " ", s->id.siret, NULL) : NULL), 0, SMALL);
    add(items, s->rcs, 0, SMALL);
    if (s->id.vat_number) add(items, labelled(p, "doc_vat_number", s->id.vat_number), 0, SMALL);
    if (s->training_declaration) add(items, labelled(p, "doc_training_declaration", s->training_declaration), 0, SMALL);
    return column(p, LEFT, logo(p, TOP), 250, items);
}

static float buyer(pdf_t *p, float y)
{
    const shop_doc_party_t *b = &p->doc->buyer;
    const float x = 322, w = RIGHT - x;
    apr_array_header_t *items = apr_array_make(p->pool, 12, sizeof(item_t));
    add(items, str(p, "doc_buyer"), 1, SMALL);
    add(items, b->name, 1, 10);
    add(items, b->department, 0, BODY);
    if (b->organisation) add(items, b->person, 0, BODY);
    add(items, b->address, 0, BODY);
    add(items, joined(p, b->zip, " ", b->city), 0, BODY);
    add(items, country(p, b->country), 0, BODY);
    if (b->vat_number) add(items, labelled(p, "doc_vat_number", b->vat_number), 0, BODY);
    if (b->siren) add(items, labelled(p, "doc_siren", b->siren), 0, BODY);
    if (b->engagement_number) add(items, labelled(p, "doc_engagement_number", b->engagement_number), 1, BODY);
    if (b->service_code) add(items, labelled(p, "doc_service_code", b->service_code), 1, BODY);
    add(items, b->email, 0, SMALL);
    float h = column_height(p, w - 2 * 6, items) + 10;
    HPDF_Page_SetGrayStroke(p->page, 0.6f);
    HPDF_Page_SetLineWidth(p->page, 0.6f);
    HPDF_Page_Rectangle(p->page, x, y - h, w, h);
    HPDF_Page_Stroke(p->page);
    HPDF_Page_SetGrayStroke(p->page, 0);
    column(p, x + 6, y - 4, w - 2 * 6, items);
    return y - h;
}

static float title_block(pdf_t *p)
{
    const shop_document_t *d = p->doc;
    const float x = 322, w = RIGHT - x;
    apr_array_header_t *items = apr_array_make(p->pool, 12, sizeof(item_t));
    add(items, d->title, 1, 16);
    add(items, d->number, 1, 11);
    add(items, d->notice, 1, BODY);
    int invoice = d->kind == SHOP_DOC_INVOICE || d->kind == SHOP_DOC_CREDIT_NOTE;
    add(items, labelled(p, invoice ? "doc_issue_date" : "doc_order_date", date(p, d->issued_at)), 0, BODY);
    if (d->sale_at && d->kind != SHOP_DOC_CREDIT_NOTE) add(items, labelled(p, "doc_sale_date", date(p, d->sale_at)), 0, BODY);
    if (d->due_at && d->kind != SHOP_DOC_CREDIT_NOTE) add(items, labelled(p, "doc_due_date", date(p, d->due_at)), 0, BODY);
    if (invoice) add(items, labelled(p, "doc_order_number", d->order_number), 0, BODY);
    if (d->paymode && *d->paymode && d->kind != SHOP_DOC_CREDIT_NOTE) {
        const char *key = apr_pstrcat(p->pool, "paymode_", d->paymode, NULL), *mode = str(p, key);
        add(items, labelled(p, "doc_paymode", strcmp(mode, key) ? mode : d->paymode), 0, BODY);
    }
    if (d->kind == SHOP_DOC_CREDIT_NOTE && d->credited_number) {
        const char *t = shop_document_fill(p->pool, str(p, "doc_credits_invoice"), "number", d->credited_number);
        add(items, shop_document_fill(p->pool, t, "date", date(p, d->credited_at)), 1, BODY);
        if (d->reason) add(items, shop_document_fill(p->pool, str(p, "doc_credit_reason"), "reason", d->reason), 0, BODY);
    }
    float y = column(p, x, TOP, w, items);
    return buyer(p, y - 8);
}

/* ------------------------------------------------------------- lines table */

typedef struct col {
    const char *key;
    float w;
    int right;
    int small;                 /* drawn at SMALL whatever the row's size (codes of up to 64 characters) */
} col_t;

static const col_t COLS[] = {
    { "doc_col_code", 80, 0, 1 }, { "doc_col_label", 0, 0, 0 }, { "doc_col_quantity", 30, 1, 0 },
    { "doc_col_unit", 74, 1, 0 }, { "doc_col_rate", 38, 1, 0 }, { "doc_col_total", 78, 1, 0 }
};
#define NCOLS ((int)(sizeof(COLS) / sizeof(COLS[0])))

typedef struct row {
    apr_array_header_t *cells[NCOLS];   /* shop_pdf_run_t lines */
    float h;
} row_t;

static float col_width(int i)
{
    if (COLS[i].w > 0) return COLS[i].w;
    float rest = WIDTH;
    for (int k = 0; k < NCOLS; k++) rest -= COLS[k].w;
    return rest;
}

static float cell_size(int i, float size)
{
    return COLS[i].small && size > SMALL ? SMALL : size;
}

static row_t make_row(pdf_t *p, const char *const *cells, int bold, float size)
{
    row_t r;
    float most = size * 1.25f;
    for (int i = 0; i < NCOLS; i++) {
        float cs = cell_size(i, size);
        r.cells[i] = shop_pdf_wrap(p->pool, &p->f, cells[i], bold, cs, col_width(i) - 2 * PAD);
        if ((float)r.cells[i]->nelts * cs * 1.25f > most) most = (float)r.cells[i]->nelts * cs * 1.25f;
    }
    r.h = most + 2 * PAD;
    return r;
}

static void draw_row(pdf_t *p, const row_t *r, float size)
{
    float x = LEFT;
    for (int i = 0; i < NCOLS; i++) {
        float w = col_width(i), y = p->y - PAD, cs = cell_size(i, size);
        for (int k = 0; k < r->cells[i]->nelts; k++) {
            y -= k ? cs * 1.25f : size * 1.25f;      /* first lines of a row share their baseline */
            const shop_pdf_run_t *run = &APR_ARRAY_IDX(r->cells[i], k, shop_pdf_run_t);
            run_at(p, run, cs, COLS[i].right ? x + w - PAD : x + PAD, y + 2, COLS[i].right);
        }
        x += w;
    }
    p->y -= r->h;
}

static row_t header_row(pdf_t *p)
{
    const char *cells[NCOLS];
    for (int i = 0; i < NCOLS; i++) cells[i] = str(p, COLS[i].key);
    return make_row(p, cells, 1, SMALL);
}

static void draw_header(pdf_t *p, const row_t *hdr)
{
    fill_rect(p, LEFT, p->y - hdr->h, WIDTH, hdr->h, 0.9f);
    draw_row(p, hdr, SMALL);
}

static void lines_table(pdf_t *p)
{
    const shop_document_t *d = p->doc;
    row_t hdr = header_row(p);
    for (int i = 0; i < d->nlines; i++) {
        const shop_doc_line_t *l = &d->lines[i];
        const char *cells[NCOLS] = {
            l->code, l->label, apr_psprintf(p->pool, "%" APR_INT64_T_FMT, l->quantity), money(p, l->unit_minor),
            l->tax_id ? rate(p, l->rate) : "—", money(p, l->untaxed_minor)
        };
        row_t r = make_row(p, cells, 0, BODY);
        if (i == 0) {
            ensure(p, hdr.h + r.h);
            draw_header(p, &hdr);
        } else if (ensure(p, r.h)) {
            draw_header(p, &hdr);
        }
        draw_row(p, &r, BODY);
        rule(p, LEFT, p->y, WIDTH, 0.8f);
    }
    if (!d->nlines) {
        ensure(p, hdr.h);
        draw_header(p, &hdr);
    }
    p->y -= 12;
}

/* ------------------------------------------------------------- taxes and totals */

#define TAX_W 300.0f
#define TAX_RATE_R (LEFT + TAX_W - 164)     /* right edges of the rate and base columns */
#define TAX_BASE_R (LEFT + TAX_W - 82)

/* The tax titles, wrapped to their column. */
static apr_array_header_t **tax_titles(pdf_t *p)
{
    apr_array_header_t **t = apr_palloc(p->pool, sizeof(*t) * (size_t)(p->doc->ntaxes + 1));
    for (int i = 0; i < p->doc->ntaxes; i++)
        t[i] = shop_pdf_wrap(p->pool, &p->f, p->doc->taxes[i].title, 0, BODY, TAX_RATE_R - 40 - LEFT);
    return t;
}

static float tax_height(pdf_t *p, apr_array_header_t **titles)
{
    float h = 14 + 12;
    for (int i = 0; i < p->doc->ntaxes; i++) h += 2 + 10 * (float)titles[i]->nelts;
    return h;
}

static void tax_table(pdf_t *p, float y, apr_array_header_t **titles)
{
    const shop_document_t *d = p->doc;
    const float xr = LEFT + TAX_W;
    text_at(p, LEFT, y - 10, str(p, "doc_taxes_title"), 1, BODY);
    y -= 14;
    fill_rect(p, LEFT, y - 12, TAX_W, 12, 0.9f);
    shop_pdf_run_t r;
    text_at(p, LEFT + PAD, y - 9, str(p, "doc_tax_col_tax"), 1, SMALL);
    r = shop_pdf_run(p->pool, &p->f, str(p, "doc_tax_col_rate"), 1);
    run_at(p, &r, SMALL, TAX_RATE_R, y - 9, 1);
    r = shop_pdf_run(p->pool, &p->f, str(p, "doc_tax_col_base"), 1);
    run_at(p, &r, SMALL, TAX_BASE_R, y - 9, 1);
    r = shop_pdf_run(p->pool, &p->f, str(p, "doc_tax_col_amount"), 1);
    run_at(p, &r, SMALL, xr - PAD, y - 9, 1);
    y -= 12;
    for (int i = 0; i < d->ntaxes; i++) {
        const shop_doc_tax_t *t = &d->taxes[i];
        for (int k = 0; k < titles[i]->nelts; k++)
            run_at(p, &APR_ARRAY_IDX(titles[i], k, shop_pdf_run_t), BODY, LEFT + PAD, y - 9 - 10 * (float)k, 0);
        r = shop_pdf_run(p->pool, &p->f, t->tax_id ? rate(p, t->rate) : "—", 0);
        run_at(p, &r, BODY, TAX_RATE_R, y - 9, 1);
        r = shop_pdf_run(p->pool, &p->f, money(p, t->base_minor), 0);
        run_at(p, &r, BODY, TAX_BASE_R, y - 9, 1);
        r = shop_pdf_run(p->pool, &p->f, money(p, t->amount_minor), 0);
        run_at(p, &r, BODY, xr - PAD, y - 9, 1);
        y -= 2 + 10 * (float)titles[i]->nelts;
        rule(p, LEFT, y, TAX_W, 0.8f);
    }
}

static int totals_rows(const shop_document_t *d)
{
    return d->kind == SHOP_DOC_CREDIT_NOTE ? 3 : 5;
}

static void totals(pdf_t *p, float y)
{
    const shop_document_t *d = p->doc;
    const char *keys[] = { "doc_total_untaxed", "doc_total_taxes", "doc_total_taxed", "doc_paid", "doc_to_pay" };
    apr_int64_t values[] = { d->untaxed_minor, d->taxes_minor, d->taxed_minor, d->paid_minor, d->remaining_minor };
    const float x = RIGHT - 200;
    y -= 14;
    for (int i = 0; i < totals_rows(d); i++) {
        int bold = i == 2 || i == 4;
        if (bold) fill_rect(p, x, y - 13, 200, 13, 0.92f);
        text_at(p, x + PAD, y - 9.5f, str(p, keys[i]), bold, BODY + bold);
        shop_pdf_run_t r = shop_pdf_run(p->pool, &p->f, money(p, values[i]), bold);
        run_at(p, &r, BODY + bold, RIGHT - PAD, y - 9.5f, 1);
        y -= 14;
    }
}

static void taxes_and_totals(pdf_t *p)
{
    apr_array_header_t **titles = tax_titles(p);
    float th = tax_height(p, titles), sh = 14 + 14 * (float)totals_rows(p->doc);
    ensure(p, th > sh ? th : sh);
    tax_table(p, p->y, titles);
    totals(p, p->y);
    p->y -= (th > sh ? th : sh) + 12;
}

/* ------------------------------------------------------------- the rest */

static void closing(pdf_t *p)
{
    const shop_document_t *d = p->doc;
    if (d->payment_terms) paragraph(p, LEFT, WIDTH, labelled(p, "doc_payment_terms", d->payment_terms), 0, BODY);
    if (d->kind != SHOP_DOC_CREDIT_NOTE && d->seller.iban) {
        const char *t = shop_document_fill(p->pool, str(p, "doc_bank"), "iban", d->seller.iban);
        paragraph(p, LEFT, WIDTH, shop_document_fill(p->pool, t, "bic", d->seller.bic ? d->seller.bic : ""), 0, BODY);
    }
    if (d->nmentions) p->y -= 6;
    for (int i = 0; i < d->nmentions; i++) paragraph(p, LEFT, WIDTH, d->mentions[i], 0, SMALL);
    if (d->seller.training_text) {
        p->y -= 4;
        paragraph(p, LEFT, WIDTH, d->seller.training_text, 0, SMALL);
    }
}

static void footers(pdf_t *p)
{
    int n = p->pages->nelts;
    for (int i = 0; i < n; i++) {
        p->page = APR_ARRAY_IDX(p->pages, i, HPDF_Page);
        float y = 36 + (float)p->footer->nelts * 9;
        for (int k = 0; k < p->footer->nelts; k++) {
            const shop_pdf_run_t *r = &APR_ARRAY_IDX(p->footer, k, shop_pdf_run_t);
            y -= 9;
            run_at(p, r, SMALL, LEFT + (WIDTH - shop_pdf_width(r, SMALL)) / 2, y, 0);
        }
        shop_pdf_run_t num = shop_pdf_run(p->pool, &p->f, apr_psprintf(p->pool, "%d/%d", i + 1, n), 0);
        run_at(p, &num, SMALL, RIGHT, 22, 1);
    }
}

static void info(pdf_t *p)
{
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, apr_time_from_sec(p->doc->issued_at));
    HPDF_Date when = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0 };
    HPDF_SetInfoDateAttr(p->h, HPDF_INFO_CREATION_DATE, when);
    /* PDFDocEncoding: ASCII only, as the number and title always are in en/fr */
    char *title = apr_pstrcat(p->pool, p->doc->number ? p->doc->number : "", NULL);
    for (char *c = title; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E) *c = '?';
    HPDF_SetInfoAttr(p->h, HPDF_INFO_TITLE, title);
    HPDF_SetInfoAttr(p->h, HPDF_INFO_CREATOR, "mod_shop");
}

static apr_status_t save(pdf_t *p, const char **pdf, apr_size_t *len)
{
    if (HPDF_SaveToStream(p->h) != HPDF_OK || p->error) return APR_EGENERAL;
    HPDF_UINT32 size = HPDF_GetStreamSize(p->h);
    char *buf = apr_palloc(p->pool, size ? size : 1);
    HPDF_UINT32 got = 0;
    HPDF_ResetStream(p->h);
    while (got < size) {
        HPDF_UINT32 n = size - got;
        HPDF_STATUS st = HPDF_ReadFromStream(p->h, (HPDF_BYTE *)buf + got, &n);
        got += n;
        if (st == HPDF_STREAM_EOF || n == 0) break;
        if (st != HPDF_OK) return APR_EGENERAL;
    }
    if (got != size) return APR_EGENERAL;
    *pdf = buf;
    *len = size;
    return APR_SUCCESS;
}

apr_status_t shop_pdf_invoice_render(apr_pool_t *pool, const shop_env_t *env, const shop_document_t *doc,
                                     int flags, const char **pdf, apr_size_t *len, const char **error)
{
    pdf_t p;
    memset(&p, 0, sizeof(p));
    p.pool = pool;
    p.env = env;
    p.doc = doc;
    *pdf = NULL;
    *len = 0;
    p.h = HPDF_New(on_error, &p);
    if (!p.h) {
        *error = "libharu could not start a document (out of memory)";
        return APR_ENOMEM;
    }
    apr_pool_cleanup_register(pool, p.h, free_doc, apr_pool_cleanup_null);
    HPDF_SetCompressionMode(p.h, flags & SHOP_PDF_COMPACT ? HPDF_COMP_ALL
                                                        : HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
    apr_status_t rv = shop_pdf_fonts_load(&p.f, pool, p.h, env->font_dir ? env->font_dir : SHOP_DEFAULT_FONT_DIR,
                                          env->data_dir ? apr_pstrcat(pool, env->data_dir, "/fonts", NULL) : NULL);
    if (rv == APR_SUCCESS && !p.error) {
        p.pages = apr_array_make(pool, 4, sizeof(HPDF_Page));
        p.footer = doc->footer ? shop_pdf_wrap(pool, &p.f, doc->footer, 0, SMALL, WIDTH)
                               : apr_array_make(pool, 1, sizeof(shop_pdf_run_t));
        if (p.footer->nelts > FOOTER_MAX) p.footer->nelts = FOOTER_MAX;
        p.bottom = 36 + (float)p.footer->nelts * 9 + 10;
        new_page(&p);
        float left = seller(&p), right = title_block(&p);
        p.y = (left < right ? left : right) - 18;
        lines_table(&p);
        taxes_and_totals(&p);
        closing(&p);
        footers(&p);
        info(&p);
        rv = save(&p, pdf, len);
    }
    if (rv == APR_ENOENT) {
        *error = apr_psprintf(pool, "DejaVuSans.ttf or DejaVuSans-Bold.ttf missing in %s (package fonts-dejavu-core)",
                              env->font_dir ? env->font_dir : SHOP_DEFAULT_FONT_DIR);
    } else if (rv != APR_SUCCESS || p.error) {
        *error = apr_psprintf(pool, "libharu error 0x%04X (detail %u) drawing %s", (unsigned)p.error,
                              (unsigned)p.detail, doc->number ? doc->number : "a document");
        rv = APR_EGENERAL;
        *pdf = NULL;
        *len = 0;
    }
    apr_pool_cleanup_run(pool, p.h, free_doc);
    return rv;
}
