/* The customer step's identities (local_shop §3.6): the customer (who buys)
 * and, optionally, a distinct invoicing identity (whom the bill names),
 * checked and normalised before they are kept in the checkout state and
 * recorded in {shop}customer.  Pure: no I/O, everything in the caller's pool.
 *
 * Fields (the JSON names of the API and of the checkout state):
 *   customer   firstname* lastname* email* organisation(*) address(*) zip(*)
 *              city* country* phone
 *   invoicing  organisation* department firstname* lastname* email
 *              address* zip* city* country* vat_number
 * Required rules:
 *   - customer.organisation when the shop asks for it (org_required);
 *   - customer.address and customer.zip when there is no invoicing identity
 *     (local_shop's rule: the invoicing address then stands for it), and
 *     always when the cart holds a product to ship (needs_shipping): the
 *     goods need somewhere to go;
 *   - the customer's country is always required (the record's country).
 * Checks: names by shop_validate_person_name; texts by shop_validate_text
 * with the column lengths below; e-mails by shop_validate_email; zip by
 * shop_validate_postcode for the country given; countries by
 * shop_validate_country and the catalogue's list (`countries`: comma list of
 * ISO codes, "" or NULL = every assigned code); the VAT number by
 * shop_validate_vat (format, and check digits where validate.h knows them)
 * after shop_vat_normalise, and its prefix must be the invoicing country's
 * (GR is written EL; XI, Northern Ireland, goes with GB).
 * The buyer's references, kept with the invoicing identity and printed on
 * documents (services/document.h), are checked apart
 * (shop_customer_buyer_check): buyer_type "" (told by the organisation),
 * individual, business or public (any case); siren by shop_validate_siren
 * after shop_code_normalise; engagement_number (a public purchase order)
 * and service_code (Chorus Pro) one-line texts of at most
 * SHOP_CUSTOMER_ENGAGEMENT_MAX and SHOP_CUSTOMER_SERVICE_CODE_MAX
 * characters.
 * Logged in (account_email set): the customer's e-mail is the account's; an
 * empty one is filled with it, a different one is an error (the address of
 * an account is not changed from the shop).
 *
 * Normalisation (in place, new strings in the pool): every value trimmed;
 * countries and zips upper-cased; the VAT number compacted and upper-cased.
 * Absent (NULL) fields become "". */
#ifndef SHOP_CORE_CUSTOMER_FORM_H
#define SHOP_CORE_CUSTOMER_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Column lengths (characters) of {shop}customer and of the invoicing JSON. */
#define SHOP_CUSTOMER_ORG_MAX      255
#define SHOP_CUSTOMER_ADDRESS_MAX  255
#define SHOP_CUSTOMER_CITY_MAX     120
#define SHOP_CUSTOMER_ZIP_MAX      20
#define SHOP_CUSTOMER_DEPT_MAX     120
#define SHOP_CUSTOMER_ENGAGEMENT_MAX   64
#define SHOP_CUSTOMER_SERVICE_CODE_MAX 100

typedef struct shop_party {
    const char *firstname, *lastname, *email, *organisation, *department;
    const char *address, *zip, *city, *country, *phone, *vat_number;
} shop_party_t;

/* The buyer's kind and references (JSON names of the invoicing identity). */
typedef struct shop_buyer_refs {
    const char *buyer_type, *siren, *engagement_number, *service_code;
} shop_buyer_refs_t;

typedef struct shop_customer_rules {
    const char *countries;     /* the catalogue's list, "" or NULL = all */
    int org_required;          /* the shop's customer_org_required */
    int needs_shipping;        /* a cart product requires shipping */
    const char *account_email; /* the logged-in account's e-mail, NULL when anonymous */
} shop_customer_rules_t;

/* One field error: `field` is "customer.email", "invoicing.vat_number", …;
 * `key` an i18n key of templates/lang (customer_error_*). */
typedef struct shop_field_error {
    const char *field, *key;
} shop_field_error_t;

/* Normalise and check `customer` and `invoicing` (NULL: no distinct
 * invoicing identity).  Returns the errors (shop_field_error_t, at most one
 * per field, in form order), empty when both are acceptable. */
apr_array_header_t *shop_customer_form_check(apr_pool_t *p, shop_party_t *customer, shop_party_t *invoicing,
                                             const shop_customer_rules_t *rules);

/* Normalise refs (absent fields become "", buyer_type lower-cased, siren
 * compacted) and append their errors (fields "invoicing.buyer_type", ...)
 * to `errors`. */
void shop_customer_buyer_check(apr_pool_t *p, shop_buyer_refs_t *refs, apr_array_header_t *errors);

/* Is `cc` (upper-case ISO code) offered by the catalogue list `countries`
 * (comma list, any case, blanks ignored; "" or NULL = every code)? 1 or 0.
 * Does not check that cc is an assigned code. */
int shop_customer_country_offered(const char *countries, const char *cc);

/* The key of the error recorded for `field`, or NULL. */
const char *shop_customer_form_error(const apr_array_header_t *errors, const char *field);

#endif
