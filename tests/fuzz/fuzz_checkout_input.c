/* What buyers type at the checkout reaches these pure functions unfiltered:
 * participants (names are case-mapped byte by byte over UTF-8), customer and
 * invoicing identities (e-mail, zip per country, VAT check digits), and
 * required-data values.  Every input must get an answer (an error count in
 * range, a value or a reason), never a crash, a leak or undefined behaviour.
 * The input is split on NUL bytes into the fields. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <json.h>

#include "core/customer_form.h"
#include "core/required_values.h"
#include "core/seats.h"

static const char *WIDGETS =
    "[{\"field\":\"job\",\"label\":\"Job\",\"type\":\"text\",\"required\":true,\"attrs\":{\"maxlength\":\"40\"}},"
    "{\"field\":\"notes\",\"label\":\"Notes\",\"type\":\"textarea\"},"
    "{\"field\":\"cert\",\"label\":\"Certificate\",\"type\":\"checkbox\"},"
    "{\"field\":\"level\",\"label\":\"Level\",\"type\":\"select\",\"required\":true,"
    "\"options\":{\"a\":\"Beginner\",\"b\":\"Expert\"}}]";

/* The next NUL-terminated piece of the input, or "". */
static const char *piece(apr_pool_t *p, const uint8_t **data, size_t *size)
{
    const uint8_t *end = memchr(*data, 0, *size);
    size_t n = end ? (size_t)(end - *data) : *size;
    const char *s = apr_pstrmemdup(p, (const char *)*data, n);
    *data += n + (end ? 1 : 0);
    *size -= n + (end ? 1 : 0);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static apr_pool_t *root;
    if (!ready) {
        apr_initialize();
        apr_pool_create(&root, NULL);
        ready = 1;
    }
    apr_pool_t *p;
    apr_pool_create(&p, root);

    const char *f[12];
    for (int i = 0; i < 12; i++) f[i] = piece(p, &data, &size);

    shop_participant_t pt = { f[0], f[1], f[2], f[3], f[4], f[5], 0 };
    shop_participant_normalise(p, &pt);
    shop_seats_error_t errs[SHOP_PARTICIPANT_NFIELDS];
    int n = shop_participant_validate(&pt, 1, 1, errs);
    if (n < 0 || n > SHOP_PARTICIPANT_NFIELDS) abort();
    json_object_put(shop_participant_json(&pt));

    shop_party_t customer = { f[1], f[0], f[2], f[5], f[6], f[7], f[8], f[3], f[9], f[4], NULL };
    shop_party_t invoicing = { f[1], f[0], f[2], f[5], f[6], f[7], f[8], f[3], f[9], f[4], f[10] };
    shop_customer_rules_t rules = { f[11], 1, 1, NULL };
    apr_array_header_t *e = shop_customer_form_check(p, &customer, &invoicing, &rules);
    if (!e) abort();

    shop_rv_widget_t *w;
    int nw = shop_rv_widgets(p, WIDGETS, &w);
    if (nw != 4) abort();
    for (int i = 0; i < nw; i++) {
        json_object *v = json_object_new_string(f[6 + i]), *norm = NULL;
        const char *key = shop_rv_check_value(p, &w[i], v, &norm);
        if (!key && !norm) abort();
        json_object_put(norm);
        json_object_put(v);
    }
    json_object *unit = json_tokener_parse(f[10]);
    json_object *out = NULL;
    shop_rv_error_t rerrs[8];
    shop_rv_check_unit(p, w, nw, unit, &out, rerrs, 8);
    json_object_put(out);
    json_object_put(unit);
    apr_pool_destroy(p);
    return 0;
}
