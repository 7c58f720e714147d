/* Micro-benchmark of services/pdf_invoice.c alone (no database, no HTTP):
 * a synthetic 8-line French invoice drawn N times on T threads, each
 * drawing in its own pool.  Prints one line: documents/s, bytes per PDF.
 * Built and run by bench/pdf.sh:  pdf_render TEMPLATE_DIR FONT_DIR DATA_DIR N T [compact]
 * (DATA_DIR: the cut fonts are kept in DATA_DIR/fonts, as under ShopDataDir; "-": whole fonts). */
#include "services/pdf_invoice.h"
#include "core/i18n.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static shop_env_t env;
static shop_document_t doc;
static int per_thread, flags;
static apr_size_t last_len;

static void build(apr_pool_t *p)
{
    static shop_doc_line_t lines[8];
    static shop_doc_tax_t taxes[2];
    static const char *mentions[2];
    doc.kind = SHOP_DOC_INVOICE;
    doc.lang = "fr";
    doc.title = "Facture";
    doc.number = "F2026-000123";
    doc.order_number = "B-20260115-42";
    doc.currency = shop_currency_get("EUR");
    doc.issued_at = doc.sale_at = doc.due_at = doc.created_at = 1768478400;
    doc.paymode = "transfer";
    doc.seller.id.name = "Formations Démo SAS";
    doc.seller.id.address = "12 rue des Exemples";
    doc.seller.id.zip = "75011";
    doc.seller.id.city = "Paris";
    doc.seller.id.country = "FR";
    doc.seller.id.siren = "912345675";
    doc.seller.id.vat_number = "FR65912345675";
    doc.seller.iban = "FR7699999000011234567890152";
    doc.seller.bic = "DEMOFRPPXXX";
    doc.buyer.name = doc.buyer.organisation = "Bernard Conseil SARL";
    doc.buyer.person = "Lucie Bernard";
    doc.buyer.address = "3 place du Marché";
    doc.buyer.zip = "75002";
    doc.buyer.city = "Paris";
    doc.buyer.country = "FR";
    doc.buyer.type = SHOP_BUYER_BUSINESS;
    for (int i = 0; i < 8; i++) {
        lines[i].type = "PRODUCT";
        lines[i].code = apr_psprintf(p, "CODE-%d", i);
        lines[i].label = "Excel : les fondamentaux (en ligne), accès 90 jours — support œuvre";
        lines[i].quantity = i + 1;
        lines[i].unit_minor = 5000;
        lines[i].untaxed_minor = 5000 * (i + 1);
        lines[i].tax_minor = 1000 * (i + 1);
        lines[i].total_minor = 6000 * (i + 1);
        lines[i].tax_id = 1;
        lines[i].rate = "20";
        doc.untaxed_minor += lines[i].untaxed_minor;
        doc.taxes_minor += lines[i].tax_minor;
    }
    doc.taxed_minor = doc.untaxed_minor + doc.taxes_minor;
    doc.paid_minor = doc.taxed_minor;
    taxes[0] = (shop_doc_tax_t){ 1, "TVA taux normal", "20", doc.untaxed_minor, doc.taxes_minor };
    doc.lines = lines;
    doc.nlines = 8;
    doc.taxes = taxes;
    doc.ntaxes = 1;
    mentions[0] = "Pénalités de retard : trois fois le taux d'intérêt légal.";
    mentions[1] = "Indemnité forfaitaire pour frais de recouvrement : 40 €.";
    doc.mentions = mentions;
    doc.nmentions = 2;
    doc.payment_terms = "Paiement à réception de la facture.";
    doc.footer = "Formations Démo SAS, 12 rue des Exemples, 75011 Paris. SIRET 912 345 675 00017.";
}

static void *APR_THREAD_FUNC worker(apr_thread_t *t, void *data)
{
    apr_pool_t *p;
    apr_pool_create(&p, NULL);
    for (int i = 0; i < per_thread; i++) {
        const char *pdf, *error;
        apr_size_t len;
        if (shop_pdf_invoice_render(p, &env, &doc, flags, &pdf, &len, &error) != APR_SUCCESS) {
            fprintf(stderr, "render failed: %s\n", error);
            exit(1);
        }
        last_len = len;
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: pdf_render TEMPLATE_DIR FONT_DIR DATA_DIR|- N THREADS [compact]\n");
        return 2;
    }
    apr_initialize();
    apr_pool_t *pool;
    apr_pool_create(&pool, NULL);
    shop_i18n_t *i18n;
    const char *error;
    if (shop_i18n_load(pool, apr_pstrcat(pool, argv[1], "/lang", NULL), &i18n, &error) != APR_SUCCESS) {
        fprintf(stderr, "strings: %s\n", error);
        return 1;
    }
    env.i18n = i18n;
    env.font_dir = argv[2];
    env.data_dir = strcmp(argv[3], "-") ? argv[3] : NULL;
    int n = atoi(argv[4]), threads = atoi(argv[5]);
    flags = argc > 6 && !strcmp(argv[6], "compact") ? SHOP_PDF_COMPACT : 0;
    if (n < 1 || threads < 1 || threads > 64) return 2;
    per_thread = n / threads;
    build(pool);
    apr_thread_t *th[64];
    apr_time_t t0 = apr_time_now();
    for (int i = 0; i < threads; i++) apr_thread_create(&th[i], NULL, worker, NULL, pool);
    for (int i = 0; i < threads; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, th[i]);
    }
    double secs = (double)(apr_time_now() - t0) / APR_USEC_PER_SEC;
    printf("%d documents in %.2f s on %d threads: %.0f documents/s, %" APR_SIZE_T_FMT " bytes each%s\n",
           per_thread * threads, secs, threads, per_thread * threads / secs, last_len, flags ? " (compact)" : "");
    return 0;
}
