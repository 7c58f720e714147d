/*
 * validate.h -- validators for what customers and staff type in forms.
 *
 * Each shop_validate_*() returns NULL when the value is acceptable, or an
 * i18n message key (snake_case, a static string: never freed, never NULL
 * on failure) naming what is wrong, for the form to show next to the field:
 *
 *   error_required             NULL or "" (every validator: an optional
 *                              field that is empty is not validated at all)
 *   error_email_invalid        error_email_too_long
 *   error_country_invalid
 *   error_vat_invalid          wrong format for its country
 *   error_vat_country          prefix is not an EU VAT country
 *   error_vat_checksum         well formed, wrong check digits
 *   error_siren_invalid        error_siret_invalid
 *   error_iban_invalid         format, country or length
 *   error_iban_checksum
 *   error_bic_invalid
 *   error_rf_invalid           error_rf_checksum
 *   error_postcode_invalid
 *   error_phone_invalid
 *   error_product_code_invalid error_alias_invalid
 *   error_name_invalid         error_name_too_long
 *   error_text_invalid         error_text_too_long
 *
 * Inputs are NUL-terminated C strings.  Validators never modify or keep
 * them, allocate nothing, and are thread-safe (tables are const).  They
 * check; they do not repair: identifiers (VAT, IBAN, BIC, RF, SIREN,
 * SIRET) are checked in their compact form, so pass what the user typed
 * through shop_code_normalise() / shop_vat_normalise() first, and store
 * the normalised form.
 */
#ifndef SHOP_CORE_VALIDATE_H
#define SHOP_CORE_VALIDATE_H

#include <apr_pools.h>
#include <apr_errno.h>

#define SHOP_EMAIL_MAX          254  /* RFC 5321 path (256) less "<>" */
#define SHOP_EMAIL_LOCAL_MAX    64
#define SHOP_EMAIL_DOMAIN_MAX   255
#define SHOP_PERSON_NAME_MAX    100  /* characters */
#define SHOP_RF_REF_MAX         21   /* characters of an RF reference after "RFkk" */

/* Pragmatic RFC 5321 subset: local@domain, no quoted local part, no IP
 * literal, ASCII only (an IDN domain in its xn-- form).  Local part: atext
 * characters (A-Z a-z 0-9 !#$%&'*+/=?^_`{|}~-) in dot-separated non-empty
 * atoms, at most 64 bytes.  Domain: at most 255 bytes, at least two labels
 * of 1..63 letters, digits and '-' (not at either end), the last starting
 * with a letter.  Whole address at most 254 bytes.  No space, CR or LF
 * anywhere. Case is kept as typed (the domain is case-insensitive). */
const char *shop_validate_email(const char *s);

/* An ISO 3166-1 alpha-2 code in uppercase: the 249 assigned codes (ISO
 * 3166 as of 2023, as in tzdata's iso3166.tab) plus XK (Kosovo: user
 * assigned, used by the EU, SWIFT and the IBAN registry).  "fr" is refused:
 * store codes in uppercase. */
const char *shop_validate_country(const char *cc);

/* Uppercase ASCII letters and drop spaces, TABs, dots, dashes and
 * slashes: "fr 40-303.265.045" -> "FR40303265045".  Other bytes are kept
 * (and will fail validation).  Returns a new string in p; NULL gives "".
 * For IBAN, BIC, RF references, SIREN and SIRET as typed by people. */
const char *shop_code_normalise(apr_pool_t *p, const char *s);

/* shop_code_normalise(), and the ISO prefix GR is written EL (Greece's VAT
 * prefix). */
const char *shop_vat_normalise(apr_pool_t *p, const char *s);

/* An EU VAT identification number in normalised form: country prefix
 * (AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO
 * SE SI SK, and XI for Northern Ireland), then the national number in its
 * national format.  Check digits are verified for AT BE DE DK EE EL ES FI
 * FR HR HU IE IT LU MT NL PL PT RO SE SI SK (shop_vat_has_checksum()); the
 * others (BG CY CZ LT LV XI) are checked for format only.  Whether the
 * number is registered is another question (VIES), not answered here. */
const char *shop_validate_vat(const char *vat);

/* 1 if shop_validate_vat() verifies the check digits of numbers with this
 * two-letter prefix, else 0. */
int shop_vat_has_checksum(const char *prefix);

/* French SIREN: 9 digits, Luhn.  SIRET: 14 digits, Luhn, whose first nine
 * are a valid SIREN; La Poste's establishments (SIREN 356000000) use the
 * sum of digits modulo 5 instead, as INSEE documents. */
const char *shop_validate_siren(const char *s);
const char *shop_validate_siret(const char *s);

/* IBAN (ISO 13616) in compact uppercase form: a country of the SWIFT IBAN
 * registry (82 countries, from python-stdnum's copy of it), the length and
 * BBAN structure (digits, letters, alphanumerics by position) registered
 * for it, check digits 02..98, and the whole number mod 97 == 1. */
const char *shop_validate_iban(const char *iban);

/* A valid compact IBAN in groups of four ("FR14 2004 1010 ..."), in p. */
const char *shop_iban_format(apr_pool_t *p, const char *iban);

/* BIC (ISO 9362): 4 letters (institution), a country (ISO 3166 or XK),
 * 2 letters or digits (location), optionally 3 more (branch); uppercase. */
const char *shop_validate_bic(const char *bic);

/* ISO 11649 creditor reference in compact form: "RF", two check digits,
 * 1..21 letters or digits; the reference moved after "RFkk" and read with
 * A=10..Z=35 is 1 mod 97. */
const char *shop_validate_rf(const char *rf);

/* Build the RF reference for ref (1..21 ASCII letters or digits, any case;
 * letters are uppercased): *out = "RF" + check digits + REF, in p.
 * APR_EINVAL (and *out NULL) when ref is not acceptable. */
apr_status_t shop_rf_create(apr_pool_t *p, const char *ref, const char **out);

/* A postal code for country (uppercase ISO code; NULL or unknown means
 * loose).  Letters may be in either case; a single space may separate
 * the two parts where one is written (GB, CA).
 *   FR  5 digits, 01000..98999        BE, CH  4 digits, 1000..9999
 *   DE  5 digits, 01000..99999        US  12345 or 12345-6789
 *   GB  outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward 9AA, or GIR 0AA
 *   CA  A9A 9A9, without D F I O Q U, nor W Z as first letter
 *   others: 2..10 letters, digits, spaces and dashes, starting and ending
 *           with a letter or digit */
const char *shop_validate_postcode(const char *country, const char *s);

/* A phone number, loosely: digits, spaces, dots, dashes, parentheses and
 * a '+' only in front; 6..20 digits; at most 32 bytes. */
const char *shop_validate_phone(const char *s);

/* [A-Za-z0-9_-]{1,32} */
const char *shop_validate_product_code(const char *s);

/* SEO alias (URL slug): [a-z0-9][a-z0-9_-]{0,63} */
const char *shop_validate_alias(const char *s);

/* 1..SHOP_PERSON_NAME_MAX characters of well-formed UTF-8, not only
 * whitespace, without control characters (C0, DEL, C1), '<', '>', or the
 * bidirectional embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069) that make a name display as something else. */
const char *shop_validate_person_name(const char *s);

/* Free text: well-formed UTF-8 of at most maxlen characters (code points),
 * without control characters (C0, DEL, C1); with allow_newlines, LF, CR
 * and TAB are allowed.  Not only whitespace. */
const char *shop_validate_text(const char *s, apr_size_t maxlen, int allow_newlines);

#endif /* SHOP_CORE_VALIDATE_H */
