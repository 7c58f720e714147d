/*
 * currency.h -- the ISO 4217 currencies the shop knows, and how each is
 * written in a language.
 *
 * One compiled-in, read-only table: the fourteen currencies of local_shop
 * (EUR CHF USD CAD AUD GBP TRY PLN RON ILS KRW JPY TND MAD) plus a few more
 * (SEK NOK DKK CZK HUF NZD SGD BRL ARS KHR TWD CNY INR XOF XPF BHD KWD JOD
 * OMR) -- every numeric code a bank gateway of local_shop can send.  Each
 * entry has its exponent (digits of the minor unit: JPY 0, EUR 2, TND 3),
 * its numeric code (gateways) and its symbol per language.
 *
 * Languages: a Moodle language code.  "fr" and every "fr_*" ("fr_ca") use
 * the French rules; anything else, NULL included, the English ones (the
 * shop's fallback language):
 *   en  symbol before the number, glued ("€1,234.56", "$5.00", "¥1,235"),
 *       or after a no-break space when the symbol is made of letters
 *       ("CHF 1,234.56", "MAD 10.00");
 *   fr  symbol after the number and a no-break space U+00A0
 *       ("1 234,56 €", "1 235 ¥").
 * The digit grouping and decimal mark belong to money.h.
 *
 * Lookup is by the three-letter code, case-insensitive.  "GPB", local_shop's
 * misspelt British pound (§3.9), is read as GBP so legacy rows still resolve.
 *
 * Memory: entries and strings are static constants, valid forever, never
 * to be freed or modified.  Thread-safe, any phase.
 */
#ifndef SHOP_CORE_CURRENCY_H
#define SHOP_CORE_CURRENCY_H

#include <apr.h>

/* largest exponent in the table (TND, BHD, KWD, JOD, OMR) */
#define SHOP_CURRENCY_MAX_EXPONENT  3
/* the shop default (local_shop setting defaultcurrency) */
#define SHOP_CURRENCY_DEFAULT       "EUR"

typedef struct shop_currency_t {
    const char *code;           /* "EUR": ISO 4217 alphabetic, upper case */
    int numeric;                /* 978: ISO 4217 numeric */
    int exponent;               /* minor-unit digits, 0..3 */
    const char *name;           /* English name, "Euro" (labels are i18n's) */
    const char *symbol_en;      /* "€", "CHF", "CA$" */
    const char *symbol_fr;      /* "€", "CHF", "$CA" */
    int en_space;               /* en: a no-break space after symbol_en */
} shop_currency_t;

/* How a currency is written in a language (see above). */
typedef struct shop_currency_style_t {
    const char *symbol;         /* UTF-8 */
    int before;                 /* 1: symbol then number; 0: number then symbol */
    const char *space;          /* "" or "\u00A0" between them */
} shop_currency_style_t;

/* The entry for code (three ASCII letters, any case), or NULL if code is
 * NULL, not three letters or not in the table. */
const shop_currency_t *shop_currency_get(const char *code);

/* Entry i of the table (0 .. shop_currency_count() - 1), NULL beyond;
 * table order: local_shop's fourteen first, as §3.9 lists them. */
const shop_currency_t *shop_currency_at(int i);
int shop_currency_count(void);

/* 1 if lang selects the French rules ("fr", "fr_ca"), else 0. */
int shop_currency_lang_is_fr(const char *lang);

/* The symbol, position and spacing of c in lang. */
shop_currency_style_t shop_currency_style(const shop_currency_t *c,
                                          const char *lang);

#endif /* SHOP_CORE_CURRENCY_H */
