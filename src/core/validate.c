/*
 * validate.c -- see validate.h.
 *
 * Check-digit algorithms follow each administration's published rule; the
 * implementations were cross-checked against python-stdnum on random
 * numbers during development, and the unit tests hold numbers whose check
 * digits were worked out by hand.
 */
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

/* ---------------------------------------------------------------- helpers */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_alpha(char c)
{
    return is_upper(c) || is_lower(c);
}

static int is_alnum(char c)
{
    return is_alpha(c) || is_digit(c);
}

static char upper(char c)
{
    return is_lower(c) ? (char)(c - ('a' - 'A')) : c;
}

/* 1 if s[0..n) are all digits */
static int digits(const char *s, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static int all_digits(const char *s)
{
    return *s && digits(s, strlen(s));
}

/* Luhn: 1 if the digits s[0..n) (check digit last) pass */
static int luhn_ok(const char *s, apr_size_t n)
{
    unsigned sum = 0;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[n - 1 - i] - '0');
        if (i % 2) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* sum of w[i] * digit i over n digits */
static unsigned weighted(const char *s, const unsigned *w, apr_size_t n)
{
    unsigned sum = 0;
    apr_size_t i;

    for (i = 0; i < n; i++)
        sum += w[i] * (unsigned)(s[i] - '0');
    return sum;
}

/* the digits s[0..n) as a number mod m */
static unsigned mod_digits(const char *s, apr_size_t n, unsigned m)
{
    unsigned r = 0;
    apr_size_t i;

    for (i = 0; i < n; i++)
        r = (r * 10 + (unsigned)(s[i] - '0')) % m;
    return r;
}

/* ISO 7064 MOD 97-10 over letters and digits (A=10 .. Z=35), remainder
 * continued from r; -1 on any other character. */
static int mod97_alnum(const char *s, apr_size_t n, int r)
{
    apr_size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (is_digit(c))
            r = (r * 10 + (c - '0')) % 97;
        else if (is_upper(c))
            r = (r * 100 + (c - 'A' + 10)) % 97;
        else
            return -1;
    }
    return r;
}

/* ISO 7064 MOD 11-10 (DE, HR): 1 if the digits s[0..n) pass */
static int mod11_10_ok(const char *s, apr_size_t n)
{
    unsigned check = 5;
    apr_size_t i;

    for (i = 0; i < n; i++)
        check = (((check ? check : 10) * 2) % 11 + (unsigned)(s[i] - '0')) % 10;
    return check == 1;
}

/* -------------------------------------------------------------- normalise */

const char *shop_code_normalise(apr_pool_t *p, const char *s)
{
    char *o, *w;

    if (!s)
        return "";
    o = w = apr_palloc(p, strlen(s) + 1);
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '.' || *s == '-' || *s == '/')
            continue;
        *w++ = upper(*s);
    }
    *w = '\0';
    return o;
}

const char *shop_vat_normalise(apr_pool_t *p, const char *s)
{
    char *o = (char *)shop_code_normalise(p, s);

    if (o[0] == 'G' && o[1] == 'R') {
        o[0] = 'E';
        o[1] = 'L';
    }
    return o;
}

/* ------------------------------------------------------------------ email */

static int atext(char c)
{
    return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

const char *shop_validate_email(const char *s)
{
    const char *at, *d, *label;
    apr_size_t len, i;

    if (!s || !*s)
        return "error_required";
    len = strlen(s);
    at = strrchr(s, '@');
    if (!at || at == s || !at[1])
        return "error_email_invalid";
    if (len > SHOP_EMAIL_MAX || (apr_size_t)(at - s) > SHOP_EMAIL_LOCAL_MAX
        || strlen(at + 1) > SHOP_EMAIL_DOMAIN_MAX)
        return "error_email_too_long";
    /* local part: dot-atom */
    if (s[0] == '.' || at[-1] == '.')
        return "error_email_invalid";
    for (i = 0; s + i < at; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.')
                return "error_email_invalid";
        }
        else if (!atext(s[i]))
            return "error_email_invalid";
    }
    /* domain: two or more LDH labels */
    d = at + 1;
    label = d;
    for (;;) {
        const char *e = label;
        while (is_alnum(*e) || *e == '-')
            e++;
        if (e == label || e - label > 63 || label[0] == '-' || e[-1] == '-')
            return "error_email_invalid";
        if (*e == '\0') {
            if (label == d || !is_alpha(label[0]))
                return "error_email_invalid";       /* one label, or numeric TLD */
            return NULL;
        }
        if (*e != '.')
            return "error_email_invalid";
        label = e + 1;
    }
}

/* --------------------------------------------------------------- countries */

static const char countries[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW",
    "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN",
    "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG",
    "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI",
    "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
    "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR",
    "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
    "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
    "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
    "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
    "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR",
    "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD",
    "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

static int cc_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int country_known(const char *cc)
{
    char key[3];

    if (!is_upper(cc[0]) || !is_upper(cc[1]))
        return 0;
    key[0] = cc[0];
    key[1] = cc[1];
    key[2] = '\0';
    return bsearch(key, countries, sizeof(countries) / sizeof(countries[0]),
                   sizeof(countries[0]), cc_cmp) != NULL;
}

const char *shop_validate_country(const char *cc)
{
    if (!cc || !*cc)
        return "error_required";
    if (strlen(cc) != 2 || !country_known(cc))
        return "error_country_invalid";
    return NULL;
}

/* -------------------------------------------------------------------- VAT */

#define VAT_BAD     "error_vat_invalid"
#define VAT_SUM     "error_vat_checksum"

static const char *vat_at(const char *n)
{
    static const unsigned w[7] = { 1, 2, 1, 2, 1, 2, 1 };
    unsigned s = 0, i;

    if (strlen(n) != 9 || n[0] != 'U' || !digits(n + 1, 8))
        return VAT_BAD;
    for (i = 0; i < 7; i++) {
        unsigned d = w[i] * (unsigned)(n[1 + i] - '0');
        s += d / 10 + d % 10;
    }
    return (unsigned)(n[8] - '0') == (16 - s % 10) % 10 ? NULL : VAT_SUM;
}

static const char *vat_be(const char *n)
{
    if (strlen(n) != 10 || !all_digits(n) || (n[0] != '0' && n[0] != '1'))
        return VAT_BAD;
    return 97 - mod_digits(n, 8, 97) == mod_digits(n + 8, 2, 100) ? NULL : VAT_SUM;
}

static const char *vat_de(const char *n)
{
    if (strlen(n) != 9 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    return mod11_10_ok(n, 9) ? NULL : VAT_SUM;
}

static const char *vat_dk(const char *n)
{
    static const unsigned w[8] = { 2, 7, 6, 5, 4, 3, 2, 1 };

    if (strlen(n) != 8 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    return weighted(n, w, 8) % 11 == 0 ? NULL : VAT_SUM;
}

static const char *vat_ee(const char *n)
{
    static const unsigned w[9] = { 3, 7, 1, 3, 7, 1, 3, 7, 1 };

    if (strlen(n) != 9 || !all_digits(n))
        return VAT_BAD;
    return weighted(n, w, 9) % 10 == 0 ? NULL : VAT_SUM;
}

static const char *vat_el(const char *n)
{
    unsigned c = 0, i;

    if (strlen(n) != 9 || !all_digits(n))
        return VAT_BAD;
    for (i = 0; i < 8; i++)
        c = c * 2 + (unsigned)(n[i] - '0');
    return c * 2 % 11 % 10 == (unsigned)(n[8] - '0') ? NULL : VAT_SUM;
}

static char dni_letter(unsigned long v)
{
    return "TRWAGMYFPDXBNJZSQVHLCKE"[v % 23];
}

/* ES: NIF of a company (CIF), a resident (DNI), a foreigner (NIE) or the
 * K, L, M special cases, as the Agencia Tributaria defines them. */
static const char *vat_es(const char *n)
{
    char c0 = n[0], last;

    if (strlen(n) != 9 || !digits(n + 1, 7) || !is_alnum(n[8]) || !is_alnum(c0))
        return VAT_BAD;
    last = n[8];
    if (is_digit(c0) || c0 == 'X' || c0 == 'Y' || c0 == 'Z') {
        unsigned long v = mod_digits(n + 1, 7, 10000000u);
        v += (unsigned long)(is_digit(c0) ? c0 - '0' : c0 - 'X') * 10000000ul;
        return last == dni_letter(v) ? NULL : VAT_SUM;
    }
    if (c0 == 'K' || c0 == 'L' || c0 == 'M') {
        unsigned long v = mod_digits(n + 1, 7, 10000000u);
        return last == dni_letter(v) ? NULL : VAT_SUM;
    }
    if (strchr("ABCDEFGHJNPQRSUVW", c0)) {
        /* the Luhn check digit of the 7 digits, as a digit or J,A..I */
        unsigned s = 0, i, chk;
        for (i = 0; i < 7; i++) {
            unsigned d = (unsigned)(n[1 + i] - '0');
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            s += d;
        }
        chk = (10 - s % 10) % 10;
        return (last == (char)('0' + chk) || last == "JABCDEFGHI"[chk]) ? NULL : VAT_SUM;
    }
    return VAT_BAD;
}

static const char *vat_fi(const char *n)
{
    static const unsigned w[8] = { 7, 9, 10, 5, 8, 4, 2, 1 };

    if (strlen(n) != 8 || !all_digits(n))
        return VAT_BAD;
    return weighted(n, w, 8) % 11 == 0 ? NULL : VAT_SUM;
}

/* FR: key + SIREN.  A numeric key is (12 + 3 * (SIREN mod 97)) mod 97; the
 * older alphanumeric keys are checked as python-stdnum does.  Monaco's
 * numbers (SIREN starting 000) are not SIRENs: no Luhn for them. */
static const char *vat_fr(const char *n)
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    const char *k0, *k1;
    const char *siren = n + 2;
    unsigned long v;
    long check;

    if (strlen(n) != 11 || !all_digits(siren) || !n[0] || !n[1])
        return VAT_BAD;
    k0 = strchr(alpha, n[0]);
    k1 = strchr(alpha, n[1]);
    if (!k0 || !k1)
        return VAT_BAD;
    if (strncmp(siren, "000", 3) != 0 && !luhn_ok(siren, 9))
        return VAT_SUM;
    v = strtoul(siren, NULL, 10);
    if (is_digit(n[0]) && is_digit(n[1]))
        return (unsigned long)((n[0] - '0') * 10 + (n[1] - '0')) == (12 + 3 * (v % 97)) % 97
               ? NULL : VAT_SUM;
    if (is_digit(n[0]))
        check = (k0 - alpha) * 24 + (k1 - alpha) - 10;
    else
        check = (k0 - alpha) * 34 + (k1 - alpha) - 100;
    return (long)((v + 1 + (unsigned long)(check / 11)) % 11) == check % 11 ? NULL : VAT_SUM;
}

static const char *vat_hr(const char *n)
{
    if (strlen(n) != 11 || !all_digits(n))
        return VAT_BAD;
    return mod11_10_ok(n, 11) ? NULL : VAT_SUM;
}

static const char *vat_hu(const char *n)
{
    static const unsigned w[8] = { 9, 7, 3, 1, 9, 7, 3, 1 };

    if (strlen(n) != 8 || !all_digits(n))
        return VAT_BAD;
    return weighted(n, w, 8) % 10 == 0 ? NULL : VAT_SUM;
}

/* IE: 7 digits and a check letter, with an optional second letter (W or
 * A..I) that weighs 9; or the old form digit, letter, '+' or '*', 5 digits, check
 * letter, read as 0 + the 5 digits + the first digit. */
static const char *vat_ie(const char *n)
{
    static const char alpha[] = "WABCDEFGHIJKLMNOPQRSTUV";
    static const unsigned w[7] = { 8, 7, 6, 5, 4, 3, 2 };
    apr_size_t len = strlen(n);
    char d[7];
    unsigned s;
    const char *c;

    if ((len != 8 && len != 9) || !is_digit(n[0]) || !digits(n + 2, 5))
        return VAT_BAD;
    if (!n[7] || !strchr(alpha, n[7]) || (len == 9 && !strchr(alpha, n[8])))
        return VAT_BAD;
    if (is_digit(n[1])) {
        memcpy(d, n, 7);
        s = weighted(d, w, 7);
        if (len == 9)
            s += 9 * (unsigned)(strchr(alpha, n[8]) - alpha);
    }
    else if ((is_upper(n[1]) || n[1] == '+' || n[1] == '*') && len == 8) {
        d[0] = '0';
        memcpy(d + 1, n + 2, 5);
        d[6] = n[0];
        s = weighted(d, w, 7);
    }
    else
        return VAT_BAD;
    c = alpha + s % 23;
    return *c == n[7] ? NULL : VAT_SUM;
}

static const char *vat_it(const char *n)
{
    unsigned office;

    if (strlen(n) != 11 || !all_digits(n) || strncmp(n, "0000000", 7) == 0)
        return VAT_BAD;
    office = mod_digits(n + 7, 3, 1000);
    if (!((office >= 1 && office <= 100) || office == 120 || office == 121
          || office == 888 || office == 999))
        return VAT_BAD;
    return luhn_ok(n, 11) ? NULL : VAT_SUM;
}

static const char *vat_lu(const char *n)
{
    if (strlen(n) != 8 || !all_digits(n))
        return VAT_BAD;
    return mod_digits(n, 6, 89) == mod_digits(n + 6, 2, 100) ? NULL : VAT_SUM;
}

static const char *vat_mt(const char *n)
{
    static const unsigned w[8] = { 3, 4, 6, 7, 8, 9, 10, 1 };

    if (strlen(n) != 8 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    return weighted(n, w, 8) % 37 == 0 ? NULL : VAT_SUM;
}

/* NL: 9 digits, 'B', 2 digits.  Either the elfproef of the 9 digits
 * (weights 9..2, the last digit -1) or, for the sole traders' numbers
 * issued since 2020, MOD 97-10 over "NL" + the whole number. */
static const char *vat_nl(const char *n)
{
    static const unsigned w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
    unsigned s;
    int r;

    if (strlen(n) != 12 || !digits(n, 9) || n[9] != 'B' || !digits(n + 10, 2)
        || strncmp(n, "000000000", 9) == 0 || strcmp(n + 10, "00") == 0)
        return VAT_BAD;
    s = weighted(n, w, 8);
    if ((s + 11 * 10 - (unsigned)(n[8] - '0')) % 11 == 0)
        return NULL;
    r = mod97_alnum("NL", 2, 0);
    r = mod97_alnum(n, 12, r);
    return r == 1 ? NULL : VAT_SUM;
}

static const char *vat_pl(const char *n)
{
    static const unsigned w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };

    if (strlen(n) != 10 || !all_digits(n))
        return VAT_BAD;
    return weighted(n, w, 9) % 11 == (unsigned)(n[9] - '0') ? NULL : VAT_SUM;
}

static const char *vat_pt(const char *n)
{
    static const unsigned w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

    if (strlen(n) != 9 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    return (11 - weighted(n, w, 8) % 11) % 11 % 10 == (unsigned)(n[8] - '0') ? NULL : VAT_SUM;
}

static const char *vat_ro(const char *n)
{
    static const unsigned w[9] = { 7, 5, 3, 2, 1, 7, 5, 3, 2 };
    apr_size_t len = strlen(n);
    char d[9];

    if (len < 2 || len > 10 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    memset(d, '0', 9);
    memcpy(d + 9 - (len - 1), n, len - 1);
    return 10 * weighted(d, w, 9) % 11 % 10 == (unsigned)(n[len - 1] - '0') ? NULL : VAT_SUM;
}

static const char *vat_se(const char *n)
{
    if (strlen(n) != 12 || !all_digits(n) || strcmp(n + 10, "01") != 0)
        return VAT_BAD;
    return luhn_ok(n, 10) ? NULL : VAT_SUM;
}

static const char *vat_si(const char *n)
{
    static const unsigned w[7] = { 8, 7, 6, 5, 4, 3, 2 };
    unsigned c;

    if (strlen(n) != 8 || !all_digits(n) || n[0] == '0')
        return VAT_BAD;
    c = 11 - weighted(n, w, 7) % 11;
    if (c == 10)
        c = 0;
    return c == (unsigned)(n[7] - '0') ? NULL : VAT_SUM;
}

/* A 10-digit Czech/Slovak birth number (rodné číslo): YYMMDD (women's
 * months + 50, + 20 when the serials overflowed), a serial, and the whole
 * number divisible by 11 -- before 1985 a remainder of 10 was written 0. */
static int birth_number_ok(const char *n)
{
    static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned year = 1900 + mod_digits(n, 2, 100);
    unsigned month = mod_digits(n + 2, 2, 100) % 50 % 20;
    unsigned day = mod_digits(n + 4, 2, 100);
    unsigned check;
    int leap;

    if (year < 1954)
        year += 100;
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1]
        || (month == 2 && day == 29 && !leap))
        return 0;
    check = mod_digits(n, 9, 11);
    if (year < 1985)
        check %= 10;
    return check == (unsigned)(n[9] - '0');
}

/* SK: a legal person's number (not starting with 0, third digit 2, 3, 4,
 * 7, 8 or 9, divisible by 11), or a birth number used as VAT number. */
static const char *vat_sk(const char *n)
{
    if (strlen(n) != 10 || !all_digits(n))
        return VAT_BAD;
    if (birth_number_ok(n))
        return NULL;
    if (n[0] == '0' || !strchr("234789", n[2]))
        return VAT_BAD;
    return mod_digits(n, 10, 11) == 0 ? NULL : VAT_SUM;
}

/* format only */
static const char *vat_bg(const char *n)
{
    apr_size_t len = strlen(n);
    return (len == 9 || len == 10) && all_digits(n) ? NULL : VAT_BAD;
}

static const char *vat_cy(const char *n)
{
    return strlen(n) == 9 && digits(n, 8) && is_upper(n[8]) ? NULL : VAT_BAD;
}

static const char *vat_cz(const char *n)
{
    apr_size_t len = strlen(n);
    return len >= 8 && len <= 10 && all_digits(n) ? NULL : VAT_BAD;
}

static const char *vat_lt(const char *n)
{
    apr_size_t len = strlen(n);
    return (len == 9 || len == 12) && all_digits(n) ? NULL : VAT_BAD;
}

static const char *vat_lv(const char *n)
{
    return strlen(n) == 11 && all_digits(n) ? NULL : VAT_BAD;
}

/* Northern Ireland: the UK formats (standard, branch, government
 * departments GD, health authorities HA) */
static const char *vat_xi(const char *n)
{
    apr_size_t len = strlen(n);

    if ((len == 9 || len == 12) && all_digits(n))
        return NULL;
    if (len == 5 && (strncmp(n, "GD", 2) == 0 || strncmp(n, "HA", 2) == 0) && digits(n + 2, 3))
        return NULL;
    return VAT_BAD;
}

static const struct {
    char prefix[3];
    int checksum;
    const char *(*check)(const char *national);
} vat_countries[] = {
    { "AT", 1, vat_at }, { "BE", 1, vat_be }, { "BG", 0, vat_bg }, { "CY", 0, vat_cy },
    { "CZ", 0, vat_cz }, { "DE", 1, vat_de }, { "DK", 1, vat_dk }, { "EE", 1, vat_ee },
    { "EL", 1, vat_el }, { "ES", 1, vat_es }, { "FI", 1, vat_fi }, { "FR", 1, vat_fr },
    { "HR", 1, vat_hr }, { "HU", 1, vat_hu }, { "IE", 1, vat_ie }, { "IT", 1, vat_it },
    { "LT", 0, vat_lt }, { "LU", 1, vat_lu }, { "LV", 0, vat_lv }, { "MT", 1, vat_mt },
    { "NL", 1, vat_nl }, { "PL", 1, vat_pl }, { "PT", 1, vat_pt }, { "RO", 1, vat_ro },
    { "SE", 1, vat_se }, { "SI", 1, vat_si }, { "SK", 1, vat_sk }, { "XI", 0, vat_xi },
};

static int vat_country(const char *s)
{
    int i;

    for (i = 0; i < (int)(sizeof(vat_countries) / sizeof(vat_countries[0])); i++)
        if (s[0] == vat_countries[i].prefix[0] && s[1] == vat_countries[i].prefix[1])
            return i;
    return -1;
}

const char *shop_validate_vat(const char *vat)
{
    int c;

    if (!vat || !*vat)
        return "error_required";
    if (!vat[1] || (c = vat_country(vat)) < 0)
        return "error_vat_country";
    if (strlen(vat) > 16)
        return VAT_BAD;
    return vat_countries[c].check(vat + 2);
}

int shop_vat_has_checksum(const char *prefix)
{
    int c;

    if (!prefix || !prefix[0] || !prefix[1] || prefix[2])
        return 0;
    c = vat_country(prefix);
    return c >= 0 && vat_countries[c].checksum;
}

/* ------------------------------------------------------------ SIREN/SIRET */

const char *shop_validate_siren(const char *s)
{
    if (!s || !*s)
        return "error_required";
    if (strlen(s) != 9 || !all_digits(s) || !luhn_ok(s, 9))
        return "error_siren_invalid";
    return NULL;
}

const char *shop_validate_siret(const char *s)
{
    if (!s || !*s)
        return "error_required";
    if (strlen(s) != 14 || !all_digits(s) || !luhn_ok(s, 9))
        return "error_siret_invalid";
    if (strncmp(s, "356000000", 9) == 0 && strcmp(s, "35600000000048") != 0) {
        /* La Poste: sum of the digits a multiple of 5 */
        unsigned sum = 0, i;
        for (i = 0; i < 14; i++)
            sum += (unsigned)(s[i] - '0');
        return sum % 5 == 0 ? NULL : "error_siret_invalid";
    }
    return luhn_ok(s, 14) ? NULL : "error_siret_invalid";
}

/* ------------------------------------------------------------------- IBAN */

/* SWIFT IBAN registry, as copied in python-stdnum 1.18 (stdnum/iban.dat):
 * country, IBAN length, BBAN structure (count + n digits, a uppercase
 * letters, c letters or digits). */
static const struct {
    char cc[3];
    unsigned char len;
    const char *bban;
} ibans[] = {
    { "AD", 24, "4n4n12c" }, { "AE", 23, "3n16n" }, { "AL", 28, "8n16c" },
    { "AT", 20, "5n11n" }, { "AZ", 28, "4a20c" }, { "BA", 20, "3n3n8n2n" },
    { "BE", 16, "3n7n2n" }, { "BG", 22, "4a4n2n8c" }, { "BH", 22, "4a14c" },
    { "BI", 27, "5n5n11n2n" }, { "BR", 29, "8n5n10n1a1c" }, { "BY", 28, "4c4n16c" },
    { "CH", 21, "5n12c" }, { "CR", 22, "4n14n" }, { "CY", 28, "3n5n16c" },
    { "CZ", 24, "4n6n10n" }, { "DE", 22, "8n10n" }, { "DJ", 27, "5n5n11n2n" },
    { "DK", 18, "4n9n1n" }, { "DO", 28, "4c20n" }, { "EE", 20, "2n2n11n1n" },
    { "EG", 29, "4n4n17n" }, { "ES", 24, "4n4n1n1n10n" }, { "FI", 18, "3n11n" },
    { "FO", 18, "4n9n1n" }, { "FR", 27, "5n5n11c2n" }, { "GB", 22, "4a6n8n" },
    { "GE", 22, "2a16n" }, { "GI", 23, "4a15c" }, { "GL", 18, "4n9n1n" },
    { "GR", 27, "3n4n16c" }, { "GT", 28, "4c20c" }, { "HR", 21, "7n10n" },
    { "HU", 28, "3n4n1n15n1n" }, { "IE", 22, "4a6n8n" }, { "IL", 23, "3n3n13n" },
    { "IQ", 23, "4a3n12n" }, { "IS", 26, "4n2n6n10n" }, { "IT", 27, "1a5n5n12c" },
    { "JO", 30, "4a4n18c" }, { "KW", 30, "4a22c" }, { "KZ", 20, "3n13c" },
    { "LB", 28, "4n20c" }, { "LC", 32, "4a24c" }, { "LI", 21, "5n12c" }, { "LT", 20, "5n11n" },
    { "LU", 20, "3n13c" }, { "LV", 21, "4a13c" }, { "LY", 25, "3n3n15n" },
    { "MC", 27, "5n5n11c2n" }, { "MD", 24, "2c18c" }, { "ME", 22, "3n13n2n" },
    { "MK", 19, "3n10c2n" }, { "MR", 27, "5n5n11n2n" }, { "MT", 31, "4a5n18c" },
    { "MU", 30, "4a2n2n12n3n3a" }, { "NL", 18, "4a10n" }, { "NO", 15, "4n6n1n" },
    { "PK", 24, "4a16c" }, { "PL", 28, "8n16n" }, { "PS", 29, "4a21c" },
    { "PT", 25, "4n4n11n2n" }, { "QA", 29, "4a21c" }, { "RO", 24, "4a16c" },
    { "RS", 22, "3n13n2n" }, { "RU", 33, "9n5n15c" }, { "SA", 24, "2n18c" },
    { "SC", 31, "4a2n2n16n3a" }, { "SD", 18, "2n12n" }, { "SE", 24, "3n16n1n" },
    { "SI", 19, "5n8n2n" }, { "SK", 24, "4n6n10n" }, { "SM", 27, "1a5n5n12c" },
    { "ST", 25, "4n4n11n2n" }, { "SV", 28, "4a20n" }, { "TL", 23, "3n14n2n" },
    { "TN", 24, "2n3n13n2n" }, { "TR", 26, "5n1n16c" }, { "UA", 29, "6n19c" },
    { "VA", 22, "3n15n" }, { "VG", 24, "4a16n" }, { "XK", 20, "4n10n2n" },
};

/* 1 if s matches a BBAN structure such as "5n5n11c2n" exactly */
static int bban_ok(const char *s, const char *fmt)
{
    while (*fmt) {
        unsigned cnt = 0;
        char t;
        while (is_digit(*fmt))
            cnt = cnt * 10 + (unsigned)(*fmt++ - '0');
        t = *fmt++;
        for (; cnt > 0; cnt--, s++) {
            if (t == 'n' ? !is_digit(*s) : t == 'a' ? !is_upper(*s) : !(is_digit(*s) || is_upper(*s)))
                return 0;
        }
    }
    return *s == '\0';
}

const char *shop_validate_iban(const char *iban)
{
    apr_size_t len, i;
    int r;

    if (!iban || !*iban)
        return "error_required";
    len = strlen(iban);
    if (len < 5 || !is_upper(iban[0]) || !is_upper(iban[1]) || !digits(iban + 2, 2))
        return "error_iban_invalid";
    for (i = 0; i < sizeof(ibans) / sizeof(ibans[0]); i++)
        if (iban[0] == ibans[i].cc[0] && iban[1] == ibans[i].cc[1])
            break;
    if (i == sizeof(ibans) / sizeof(ibans[0]) || len != ibans[i].len
        || !bban_ok(iban + 4, ibans[i].bban))
        return "error_iban_invalid";
    /* check digits are 98 - (n mod 97): 02..98, never 00, 01 or 99 */
    if (strncmp(iban + 2, "00", 2) == 0 || strncmp(iban + 2, "01", 2) == 0
        || strncmp(iban + 2, "99", 2) == 0)
        return "error_iban_checksum";
    r = mod97_alnum(iban + 4, len - 4, 0);
    r = mod97_alnum(iban, 4, r);
    return r == 1 ? NULL : "error_iban_checksum";
}

const char *shop_iban_format(apr_pool_t *p, const char *iban)
{
    apr_size_t n = strlen(iban), i, o = 0;
    char *s = apr_palloc(p, n + n / 4 + 1);

    for (i = 0; i < n; i++) {
        if (i && i % 4 == 0)
            s[o++] = ' ';
        s[o++] = iban[i];
    }
    s[o] = '\0';
    return s;
}

/* -------------------------------------------------------------------- BIC */

const char *shop_validate_bic(const char *bic)
{
    apr_size_t len, i;

    if (!bic || !*bic)
        return "error_required";
    len = strlen(bic);
    if (len != 8 && len != 11)
        return "error_bic_invalid";
    for (i = 0; i < 4; i++)
        if (!is_upper(bic[i]))
            return "error_bic_invalid";
    if (!country_known(bic + 4))
        return "error_bic_invalid";
    for (i = 6; i < len; i++)
        if (!is_upper(bic[i]) && !is_digit(bic[i]))
            return "error_bic_invalid";
    return NULL;
}

/* --------------------------------------------------------------------- RF */

const char *shop_validate_rf(const char *rf)
{
    apr_size_t len, i;
    int r;

    if (!rf || !*rf)
        return "error_required";
    len = strlen(rf);
    if (len < 5 || len > 4 + SHOP_RF_REF_MAX || rf[0] != 'R' || rf[1] != 'F'
        || !digits(rf + 2, 2))
        return "error_rf_invalid";
    for (i = 4; i < len; i++)
        if (!is_upper(rf[i]) && !is_digit(rf[i]))
            return "error_rf_invalid";
    if (strncmp(rf + 2, "00", 2) == 0 || strncmp(rf + 2, "01", 2) == 0
        || strncmp(rf + 2, "99", 2) == 0)
        return "error_rf_checksum";
    r = mod97_alnum(rf + 4, len - 4, 0);
    r = mod97_alnum(rf, 4, r);
    return r == 1 ? NULL : "error_rf_checksum";
}

apr_status_t shop_rf_create(apr_pool_t *p, const char *ref, const char **out)
{
    char buf[4 + SHOP_RF_REF_MAX + 1];
    apr_size_t len, i;
    int r;

    *out = NULL;
    if (!ref)
        return APR_EINVAL;
    len = strlen(ref);
    if (len < 1 || len > SHOP_RF_REF_MAX)
        return APR_EINVAL;
    for (i = 0; i < len; i++) {
        if (!is_alnum(ref[i]))
            return APR_EINVAL;
        buf[4 + i] = upper(ref[i]);
    }
    buf[4 + len] = '\0';
    r = mod97_alnum(buf + 4, len, 0);
    r = mod97_alnum("RF00", 4, r);
    r = 98 - r;
    buf[0] = 'R';
    buf[1] = 'F';
    buf[2] = (char)('0' + r / 10);
    buf[3] = (char)('0' + r % 10);
    *out = apr_pstrdup(p, buf);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------- postcodes */

static int pc_digits_range(const char *s, apr_size_t n, unsigned lo, unsigned hi)
{
    unsigned v;

    if (strlen(s) != n || !digits(s, n))
        return 0;
    v = mod_digits(s, n, 100000);
    return v >= lo && v <= hi;
}

/* GB: outward A9 A99 A9A AA9 AA99 AA9A, inward 9AA */
static int pc_gb(const char *s)
{
    char c[8];
    apr_size_t len = strlen(s), n = 0, i, out;

    if (len < 5 || len > 8)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] == ' ') {
            if (i != len - 4)
                return 0;
            continue;
        }
        if (!is_alnum(s[i]) || n >= 7)
            return 0;
        c[n++] = upper(s[i]);
    }
    c[n] = '\0';
    if (strcmp(c, "GIR0AA") == 0)
        return 1;
    if (n < 5 || !is_digit(c[n - 3]) || !is_upper(c[n - 2]) || !is_upper(c[n - 1])
        || strchr("CIKMOV", c[n - 2]) || strchr("CIKMOV", c[n - 1]))
        return 0;
    out = n - 3;
    if (!is_upper(c[0]))
        return 0;
    if (out == 2)
        return is_digit(c[1]);
    if (out == 3)
        return (is_digit(c[1]) && is_alnum(c[2]))             /* A99, A9A */
               || (is_upper(c[1]) && is_digit(c[2]));         /* AA9 */
    return out == 4 && is_upper(c[1]) && is_digit(c[2]) && is_alnum(c[3]);  /* AA99, AA9A */
}

static int pc_ca(const char *s)
{
    char c[7];
    apr_size_t len = strlen(s), n = 0, i;

    if (len != 6 && len != 7)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] == ' ' && i == 3 && len == 7)
            continue;
        c[n++] = upper(s[i]);
    }
    if (n != 6)
        return 0;
    for (i = 0; i < 6; i++) {
        if (i % 2 ? !is_digit(c[i]) : (!is_upper(c[i]) || strchr("DFIOQU", c[i])))
            return 0;
    }
    return c[0] != 'W' && c[0] != 'Z';
}

static int pc_loose(const char *s)
{
    apr_size_t len = strlen(s), i;

    if (len < 2 || len > 10 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
        return 0;
    for (i = 0; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != ' ' && s[i] != '-')
            return 0;
    return 1;
}

const char *shop_validate_postcode(const char *country, const char *s)
{
    int ok;

    if (!s || !*s)
        return "error_required";
    if (!country)
        country = "";
    if (strcmp(country, "FR") == 0)
        ok = pc_digits_range(s, 5, 1000, 98999);
    else if (strcmp(country, "DE") == 0)
        ok = pc_digits_range(s, 5, 1000, 99999);
    else if (strcmp(country, "BE") == 0 || strcmp(country, "CH") == 0)
        ok = pc_digits_range(s, 4, 1000, 9999);
    else if (strcmp(country, "US") == 0)
        ok = (strlen(s) == 5 && digits(s, 5))
             || (strlen(s) == 10 && digits(s, 5) && s[5] == '-' && digits(s + 6, 4));
    else if (strcmp(country, "GB") == 0)
        ok = pc_gb(s);
    else if (strcmp(country, "CA") == 0)
        ok = pc_ca(s);
    else
        ok = pc_loose(s);
    return ok ? NULL : "error_postcode_invalid";
}

/* ------------------------------------------------------- phone, codes */

const char *shop_validate_phone(const char *s)
{
    apr_size_t i, nd = 0;

    if (!s || !*s)
        return "error_required";
    if (strlen(s) > 32)
        return "error_phone_invalid";
    for (i = 0; s[i]; i++) {
        if (is_digit(s[i]))
            nd++;
        else if (s[i] == '+' ? i != 0 : !strchr(" .-()", s[i]))
            return "error_phone_invalid";
    }
    return nd >= 6 && nd <= 20 ? NULL : "error_phone_invalid";
}

const char *shop_validate_product_code(const char *s)
{
    apr_size_t i;

    if (!s || !*s)
        return "error_required";
    for (i = 0; s[i]; i++)
        if (i >= 32 || !(is_alnum(s[i]) || s[i] == '_' || s[i] == '-'))
            return "error_product_code_invalid";
    return NULL;
}

const char *shop_validate_alias(const char *s)
{
    apr_size_t i;

    if (!s || !*s)
        return "error_required";
    if (!is_lower(s[0]) && !is_digit(s[0]))
        return "error_alias_invalid";
    for (i = 1; s[i]; i++)
        if (i >= 64 || !(is_lower(s[i]) || is_digit(s[i]) || s[i] == '_' || s[i] == '-'))
            return "error_alias_invalid";
    return NULL;
}

/* ------------------------------------------------------------- UTF-8 text */

/* Next code point of well-formed UTF-8 at *s, which it advances; 0 ends,
 * -1 for ill-formed input. */
static long next_cp(const char **sp)
{
    const unsigned char *s = (const unsigned char *)*sp;
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    unsigned long v;
    int n, k;

    if (c < 0x80) {
        if (c)
            (*sp)++;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        v = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    }
    else
        return -1;
    for (k = 1; k <= n; k++) {
        unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (s[k] < l || s[k] > h)
            return -1;              /* also stops at the NUL */
        v = (v << 6) | (s[k] & 0x3F);
    }
    *sp += n + 1;
    return (long)v;
}

static int cp_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

static int cp_space(long cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

/* Walk s: count code points into *count; 0 if ill-formed or if accept()
 * refuses one; *blank says whether all were whitespace. */
static int scan(const char *s, int (*accept)(long cp, int flag), int flag,
                apr_size_t *count, int *blank)
{
    long cp;

    *count = 0;
    *blank = 1;
    while ((cp = next_cp(&s)) > 0) {
        if (!accept(cp, flag))
            return 0;
        if (!cp_space(cp))
            *blank = 0;
        (*count)++;
    }
    return cp == 0;
}

static int name_char(long cp, int flag)
{
    return !cp_control(cp) && cp != '<' && cp != '>'
           && !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069);
}

static int text_char(long cp, int newlines)
{
    if (cp == '\n' || cp == '\r' || cp == '\t')
        return newlines;
    return !cp_control(cp);
}

const char *shop_validate_person_name(const char *s)
{
    apr_size_t n;
    int blank;

    if (!s || !*s)
        return "error_required";
    if (!scan(s, name_char, 0, &n, &blank))
        return "error_name_invalid";
    if (blank)
        return "error_required";
    return n > SHOP_PERSON_NAME_MAX ? "error_name_too_long" : NULL;
}

const char *shop_validate_text(const char *s, apr_size_t maxlen, int allow_newlines)
{
    apr_size_t n;
    int blank;

    if (!s || !*s)
        return "error_required";
    if (!scan(s, text_char, allow_newlines, &n, &blank))
        return "error_text_invalid";
    if (blank)
        return "error_required";
    return n > maxlen ? "error_text_too_long" : NULL;
}
