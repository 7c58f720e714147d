/*
 * currency.c -- ISO 4217 table (see currency.h).
 *
 * Symbols follow CLDR's usual forms for English and French, except where
 * CLDR writes the bare code for a currency that has a well-known sign
 * (TRY, ILS, KRW, JPY in French): shoppers read the sign more easily.
 */
#include <apr_lib.h>

#include "core/currency.h"

#define NBSP "\xC2\xA0"

static const shop_currency_t table[] = {
    /* local_shop's list (§3.9), in its order */
    { "EUR", 978, 2, "Euro",                   "\xE2\x82\xAC", "\xE2\x82\xAC", 0 },
    { "CHF", 756, 2, "Swiss franc",            "CHF",  "CHF",  1 },
    { "USD", 840, 2, "US dollar",              "$",    "$US",  0 },
    { "CAD", 124, 2, "Canadian dollar",        "CA$",  "$CA",  0 },
    { "AUD",  36, 2, "Australian dollar",      "A$",   "$AU",  0 },
    { "GBP", 826, 2, "Pound sterling",         "\xC2\xA3", "\xC2\xA3", 0 },
    { "TRY", 949, 2, "Turkish lira",           "\xE2\x82\xBA", "\xE2\x82\xBA", 0 },
    { "PLN", 985, 2, "Polish zloty",           "z\xC5\x82", "z\xC5\x82", 1 },
    { "RON", 946, 2, "Romanian leu",           "lei",  "lei",  1 },
    { "ILS", 376, 2, "Israeli new shekel",     "\xE2\x82\xAA", "\xE2\x82\xAA", 0 },
    { "KRW", 410, 0, "South Korean won",       "\xE2\x82\xA9", "\xE2\x82\xA9", 0 },
    { "JPY", 392, 0, "Japanese yen",           "\xC2\xA5", "\xC2\xA5", 0 },
    { "TND", 788, 3, "Tunisian dinar",         "DT",   "DT",   1 },
    { "MAD", 504, 2, "Moroccan dirham",        "MAD",  "MAD",  1 },
    /* the other numeric codes local_shop's bank gateways send, and a few more */
    { "SEK", 752, 2, "Swedish krona",          "kr",   "kr",   1 },
    { "NOK", 578, 2, "Norwegian krone",        "kr",   "kr",   1 },
    { "DKK", 208, 2, "Danish krone",           "kr.",  "kr.",  1 },
    { "CZK", 203, 2, "Czech koruna",           "K\xC4\x8D", "K\xC4\x8D", 1 },
    { "HUF", 348, 2, "Hungarian forint",       "Ft",   "Ft",   1 },
    { "NZD", 554, 2, "New Zealand dollar",     "NZ$",  "$NZ",  0 },
    { "SGD", 702, 2, "Singapore dollar",       "S$",   "$SG",  0 },
    { "BRL", 986, 2, "Brazilian real",         "R$",   "R$",   0 },
    { "ARS",  32, 2, "Argentine peso",         "ARS",  "$AR",  1 },
    { "KHR", 116, 2, "Cambodian riel",         "KHR",  "KHR",  1 },
    { "TWD", 901, 2, "New Taiwan dollar",      "NT$",  "NT$",  0 },
    { "CNY", 156, 2, "Chinese yuan",           "CN\xC2\xA5", "CNY", 0 },
    { "INR", 356, 2, "Indian rupee",           "\xE2\x82\xB9", "\xE2\x82\xB9", 0 },
    { "XOF", 952, 0, "West African CFA franc", "F\xE2\x80\xAF" "CFA", "F\xE2\x80\xAF" "CFA", 1 },
    { "XPF", 953, 0, "CFP franc",              "XPF",  "FCFP", 1 },
    { "BHD",  48, 3, "Bahraini dinar",         "BHD",  "BHD",  1 },
    { "KWD", 414, 3, "Kuwaiti dinar",          "KWD",  "KWD",  1 },
    { "JOD", 400, 3, "Jordanian dinar",        "JOD",  "JOD",  1 },
    { "OMR", 512, 3, "Omani rial",             "OMR",  "OMR",  1 },
};

#define NCUR ((int)(sizeof table / sizeof table[0]))

static int same_code(const char *a, const char *b)
{
    int i;
    for (i = 0; i < 3; i++)
        if (apr_toupper((unsigned char)a[i]) != b[i])
            return 0;
    return 1;
}

const shop_currency_t *shop_currency_get(const char *code)
{
    int i;

    if (code == NULL)
        return NULL;
    for (i = 0; i < 3; i++)
        if (!apr_isalpha((unsigned char)code[i]) || (code[i] & 0x80))
            return NULL;
    if (code[3] != '\0')
        return NULL;
    if (same_code(code, "GPB"))
        code = "GBP";
    for (i = 0; i < NCUR; i++)
        if (same_code(code, table[i].code))
            return &table[i];
    return NULL;
}

const shop_currency_t *shop_currency_at(int i)
{
    return i >= 0 && i < NCUR ? &table[i] : NULL;
}

int shop_currency_count(void)
{
    return NCUR;
}

int shop_currency_lang_is_fr(const char *lang)
{
    return lang != NULL && apr_tolower((unsigned char)lang[0]) == 'f'
           && apr_tolower((unsigned char)lang[1]) == 'r'
           && (lang[2] == '\0' || lang[2] == '_' || lang[2] == '-');
}

shop_currency_style_t shop_currency_style(const shop_currency_t *c,
                                          const char *lang)
{
    shop_currency_style_t s;

    if (shop_currency_lang_is_fr(lang)) {
        s.symbol = c->symbol_fr;
        s.before = 0;
        s.space = NBSP;
    }
    else {
        s.symbol = c->symbol_en;
        s.before = 1;
        s.space = c->en_space ? NBSP : "";
    }
    return s;
}
