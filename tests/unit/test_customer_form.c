/* Unit tests for src/core/customer_form.c: required rules, normalisation,
 * catalogue countries, the locked e-mail of a logged-in buyer, VAT numbers,
 * the buyer's kind and references (SIREN, engagement number, service code). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "core/customer_form.h"

#include "unit_pool.h"

static shop_party_t good_customer(void)
{
    shop_party_t c = { .firstname = "Jeanne", .lastname = "Durand", .email = "jeanne@example.org",
                       .address = "3 rue des Lilas", .zip = "69003", .city = "Lyon", .country = "FR" };
    return c;
}

static shop_party_t good_invoicing(void)
{
    shop_party_t i = { .organisation = "ACME SA", .department = "Achats", .firstname = "Paul",
                       .lastname = "Comptable", .email = "", .address = "1 place Bellecour", .zip = "69002",
                       .city = "Lyon", .country = "FR", .vat_number = "" };
    return i;
}

/* The error of `field`, failing when it is not `key`. */
static void expect(const apr_array_header_t *errors, const char *field, const char *key)
{
    const char *got = shop_customer_form_error(errors, field);
    if (!key && got) fail_msg("%s: unexpected %s", field, got);
    if (key && (!got || strcmp(got, key) != 0)) fail_msg("%s: %s, expected %s", field, got ? got : "none", key);
}

static void test_good_customer_normalised(void **state)
{
    shop_party_t c = good_customer();
    c.firstname = "  Jeanne ";
    c.country = " fr";
    c.zip = "69003 ";
    c.phone = "\t+33 4 72 00 00 00";
    apr_array_header_t *e = shop_customer_form_check(*state, &c, NULL, NULL);
    assert_int_equal(e->nelts, 0);
    assert_string_equal(c.firstname, "Jeanne");
    assert_string_equal(c.country, "FR");
    assert_string_equal(c.zip, "69003");
    assert_string_equal(c.phone, "+33 4 72 00 00 00");
    assert_string_equal(c.organisation, "");      /* absent becomes "" */
    assert_string_equal(c.vat_number, "");
}

static void test_required_fields(void **state)
{
    shop_party_t c = { 0 };
    apr_array_header_t *e = shop_customer_form_check(*state, &c, NULL, NULL);
    const char *const required[] = { "customer.firstname", "customer.lastname", "customer.email",
                                     "customer.address", "customer.zip", "customer.city", "customer.country" };
    for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++)
        expect(e, required[i], "customer_error_required");
    expect(e, "customer.organisation", NULL);
    expect(e, "customer.phone", NULL);
    assert_int_equal(e->nelts, 7);
    /* form order: firstname first */
    assert_string_equal(APR_ARRAY_IDX(e, 0, shop_field_error_t).field, "customer.firstname");

    shop_customer_rules_t org = { .org_required = 1 };
    c = good_customer();
    e = shop_customer_form_check(*state, &c, NULL, &org);
    expect(e, "customer.organisation", "customer_error_required");
    c.organisation = "ACME";
    e = shop_customer_form_check(*state, &c, NULL, &org);
    assert_int_equal(e->nelts, 0);
}

static void test_address_optional_with_invoicing_unless_shipping(void **state)
{
    shop_party_t c = good_customer(), inv = good_invoicing();
    c.address = "";
    c.zip = "";
    apr_array_header_t *e = shop_customer_form_check(*state, &c, &inv, NULL);
    assert_int_equal(e->nelts, 0);
    e = shop_customer_form_check(*state, &c, NULL, NULL);
    expect(e, "customer.address", "customer_error_required");
    expect(e, "customer.zip", "customer_error_required");
    shop_customer_rules_t ship = { .needs_shipping = 1 };
    e = shop_customer_form_check(*state, &c, &inv, &ship);
    expect(e, "customer.address", "customer_error_required");
    expect(e, "customer.zip", "customer_error_required");
    /* the country stays required in every case */
    c = good_customer();
    c.country = "";
    e = shop_customer_form_check(*state, &c, &inv, NULL);
    expect(e, "customer.country", "customer_error_required");
}

static void test_bad_values(void **state)
{
    char longname[120], longtext[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    memset(longtext, 'b', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    shop_party_t c = { .firstname = longname, .lastname = "<script>", .email = "not-an-email",
                       .organisation = longtext, .address = "ok", .zip = "7500", .city = "Paris",
                       .country = "FR", .phone = "12" };
    apr_array_header_t *e = shop_customer_form_check(*state, &c, NULL, NULL);
    expect(e, "customer.firstname", "customer_error_name_too_long");
    expect(e, "customer.lastname", "customer_error_name_invalid");
    expect(e, "customer.email", "customer_error_email_invalid");
    expect(e, "customer.organisation", "customer_error_text_too_long");
    expect(e, "customer.zip", "customer_error_postcode_invalid");
    expect(e, "customer.phone", "customer_error_phone_invalid");
    expect(e, "customer.address", NULL);
    c = good_customer();
    c.country = "ZZ";
    c.zip = "7500";       /* not judged against a country that does not exist */
    e = shop_customer_form_check(*state, &c, NULL, NULL);
    expect(e, "customer.country", "customer_error_country_invalid");
    expect(e, "customer.zip", NULL);
    c = good_customer();
    c.country = "GB";
    c.zip = "sw1a 1aa";
    e = shop_customer_form_check(*state, &c, NULL, NULL);
    assert_int_equal(e->nelts, 0);
    assert_string_equal(c.zip, "SW1A 1AA");
}

static void test_catalogue_countries(void **state)
{
    shop_customer_rules_t r = { .countries = " fr, be ,CH" };
    shop_party_t c = good_customer();
    assert_int_equal(shop_customer_form_check(*state, &c, NULL, &r)->nelts, 0);
    c.country = "DE";
    c.zip = "10115";
    expect(shop_customer_form_check(*state, &c, NULL, &r), "customer.country", "customer_error_country_not_offered");
    shop_party_t inv = good_invoicing();
    c = good_customer();
    inv.country = "US";
    inv.zip = "10001";
    expect(shop_customer_form_check(*state, &c, &inv, &r), "invoicing.country", "customer_error_country_not_offered");
    assert_true(shop_customer_country_offered("", "JP"));
    assert_true(shop_customer_country_offered(NULL, "JP"));
    assert_true(shop_customer_country_offered(" , ", "JP"));
    assert_true(shop_customer_country_offered("FR,BE", "BE"));
    assert_false(shop_customer_country_offered("FR,BE", "B"));
    assert_false(shop_customer_country_offered("FRA", "FR"));
}

static void test_logged_in_email_locked(void **state)
{
    shop_customer_rules_t r = { .account_email = "Alice.Martin@example.com" };
    shop_party_t c = good_customer();
    c.email = "";
    assert_int_equal(shop_customer_form_check(*state, &c, NULL, &r)->nelts, 0);
    assert_string_equal(c.email, "Alice.Martin@example.com");
    c = good_customer();
    c.email = "alice.martin@EXAMPLE.com";
    assert_int_equal(shop_customer_form_check(*state, &c, NULL, &r)->nelts, 0);
    c = good_customer();
    expect(shop_customer_form_check(*state, &c, NULL, &r), "customer.email", "customer_error_email_locked");
}

static void test_invoicing_required_and_vat(void **state)
{
    shop_party_t c = good_customer(), inv = { 0 };
    apr_array_header_t *e = shop_customer_form_check(*state, &c, &inv, NULL);
    const char *const required[] = { "invoicing.organisation", "invoicing.lastname", "invoicing.firstname",
                                     "invoicing.address", "invoicing.zip", "invoicing.city", "invoicing.country" };
    for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++)
        expect(e, required[i], "customer_error_required");
    expect(e, "invoicing.email", NULL);
    expect(e, "invoicing.department", NULL);
    expect(e, "invoicing.vat_number", NULL);
    assert_int_equal(e->nelts, 7);

    inv = good_invoicing();
    inv.vat_number = "fr 40-303.265.045";
    assert_int_equal(shop_customer_form_check(*state, &c, &inv, NULL)->nelts, 0);
    assert_string_equal(inv.vat_number, "FR40303265045");
    inv.vat_number = "FR41303265045";                /* wrong key */
    expect(shop_customer_form_check(*state, &c, &inv, NULL), "invoicing.vat_number", "customer_error_vat_checksum");
    inv.vat_number = "FR4030326504";                 /* too short */
    expect(shop_customer_form_check(*state, &c, &inv, NULL), "invoicing.vat_number", "customer_error_vat_invalid");
    inv.vat_number = "US123456789";
    expect(shop_customer_form_check(*state, &c, &inv, NULL), "invoicing.vat_number", "customer_error_vat_country");
    inv.vat_number = "DE136695976";                  /* a good German number for a French company */
    expect(shop_customer_form_check(*state, &c, &inv, NULL), "invoicing.vat_number",
           "customer_error_vat_country_mismatch");
    inv.country = "DE";
    inv.zip = "10115";
    assert_int_equal(shop_customer_form_check(*state, &c, &inv, NULL)->nelts, 0);
    inv.email = "compta@";
    expect(shop_customer_form_check(*state, &c, &inv, NULL), "invoicing.email", "customer_error_email_invalid");
}

static void test_greece_uses_el(void **state)
{
    /* EL 094259216: weights 256..2 over 09425921 = 1634; 1634 mod 11 = 6 */
    shop_party_t c = good_customer(), inv = good_invoicing();
    inv.country = "GR";
    inv.zip = "10431";
    inv.vat_number = "EL094259216";
    apr_array_header_t *e = shop_customer_form_check(*state, &c, &inv, NULL);
    expect(e, "invoicing.vat_number", NULL);
    inv.vat_number = "GR094259216";                  /* normalised to EL */
    e = shop_customer_form_check(*state, &c, &inv, NULL);
    expect(e, "invoicing.vat_number", NULL);
    assert_string_equal(inv.vat_number, "EL094259216");
}

static void test_buyer_refs_normalised(void **state)
{
    apr_array_header_t *e = apr_array_make(*state, 2, sizeof(shop_field_error_t));
    shop_buyer_refs_t b = { .buyer_type = " Public ", .siren = "912 345 675", .engagement_number = " EJ-2026-0042 ",
                            .service_code = "SERVICE-FORMATION" };
    shop_customer_buyer_check(*state, &b, e);
    assert_int_equal(e->nelts, 0);
    assert_string_equal(b.buyer_type, "public");
    assert_string_equal(b.siren, "912345675");
    assert_string_equal(b.engagement_number, "EJ-2026-0042");
    shop_buyer_refs_t none = { 0 };                       /* every reference is optional */
    shop_customer_buyer_check(*state, &none, e);
    assert_int_equal(e->nelts, 0);
    assert_string_equal(none.buyer_type, "");
    assert_string_equal(none.siren, "");
    for (const char *const *k = (const char *const[]){ "individual", "BUSINESS", "", NULL }; *k; k++) {
        shop_buyer_refs_t ok = { .buyer_type = *k };
        shop_customer_buyer_check(*state, &ok, e);
    }
    assert_int_equal(e->nelts, 0);
}

static void test_buyer_refs_errors(void **state)
{
    char longer[80];
    memset(longer, '7', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    apr_array_header_t *e = apr_array_make(*state, 4, sizeof(shop_field_error_t));
    shop_buyer_refs_t b = { .buyer_type = "government", .siren = "912345676", .engagement_number = longer,
                            .service_code = "line\nbreak" };
    shop_customer_buyer_check(*state, &b, e);
    expect(e, "invoicing.buyer_type", "customer_error_buyer_type");
    expect(e, "invoicing.siren", "customer_error_siren_invalid");       /* wrong check digit */
    expect(e, "invoicing.engagement_number", "customer_error_text_too_long");
    expect(e, "invoicing.service_code", "customer_error_text_invalid");
    assert_int_equal(e->nelts, 4);
    apr_array_header_t *e2 = apr_array_make(*state, 1, sizeof(shop_field_error_t));
    shop_buyer_refs_t short_siren = { .siren = "12345678" };
    shop_customer_buyer_check(*state, &short_siren, e2);
    expect(e2, "invoicing.siren", "customer_error_siren_invalid");
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_customer_normalised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_optional_with_invoicing_unless_shipping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalogue_countries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logged_in_email_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invoicing_required_and_vat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_greece_uses_el, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buyer_refs_normalised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buyer_refs_errors, setup, teardown),
    };
    apr_initialize();
    int failed = cmocka_run_group_tests_name("customer_form", tests, NULL, NULL);
    apr_terminate();
    return failed ? 1 : 0;
}
