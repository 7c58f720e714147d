/* i18n.h — interface strings by language, and choosing the language.
 *
 * Strings live in LANGDIR/<code>/NAME.json (LANGDIR is templates/lang): each
 * file a flat JSON object of snake_case keys to strings; the files of one
 * language are merged.  <code> is a Moodle language code: lower-case
 * letters, digits and '_' ("en", "fr", "pt_br").  "en" must exist: it is the
 * fallback, key by key, of every other language.
 *
 * Life cycle: loaded once (configuration or child init), then read-only:
 * every function below but shop_i18n_load() may run on many threads at once.
 * The json objects handed out are shared by all threads: never pass them to
 * json_object_get()/json_object_put() or add them into another object (the
 * json-c reference count is not atomic); put them under the request's data
 * with shop_tpl_render_layers() instead.
 */
#ifndef SHOP_I18N_H
#define SHOP_I18N_H

#include <apr_pools.h>
#include <apr_errno.h>

struct json_object;

#define SHOP_I18N_FALLBACK      "en"
/* Larger string files are refused. */
#define SHOP_I18N_MAX_FILE      ((apr_size_t)1 << 20)
/* Longest language code and key accepted. */
#define SHOP_I18N_MAX_CODE      31
#define SHOP_I18N_MAX_KEY       128
/* Accept-Language: only this many language ranges are considered. */
#define SHOP_I18N_MAX_RANGES    32

typedef struct shop_i18n shop_i18n_t;

/* Load every language under `langdir` (every subdirectory not starting with
 * '.'; *.json files in it, other files ignored).  On APR_SUCCESS *out is the
 * catalogue, allocated in `pool` and freed with it (its json objects by a
 * cleanup).  On failure *out is NULL and *error (if error is not NULL) says
 * what, with the file's path, allocated in `pool`: a file-system error, a
 * directory name that is not a language code, a file that is not a JSON
 * object of strings, a key that is not snake_case, the same key in two files
 * of a language (both named), no "en" language. */
apr_status_t shop_i18n_load(apr_pool_t *pool, const char *langdir,
                            shop_i18n_t **out, const char **error);

/* 1 if `lang` (exact code, e.g. "fr") was loaded, else 0. */
int shop_i18n_has_lang(const shop_i18n_t *i18n, const char *lang);

/* The read-only object {key: string} of `lang`, already completed with the
 * "en" string for each key it lacks; NULL if `lang` is not loaded.  Shared:
 * see the top of this file. */
struct json_object *shop_i18n_strings(const shop_i18n_t *i18n,
                                      const char *lang);

/* The read-only object {"str": shop_i18n_strings(lang), "lang": "<code>"},
 * to use as the bottom layer of shop_tpl_render_layers() so templates can say
 * {{str.key}} and lang="{{lang}}"; NULL if `lang` is not loaded. */
struct json_object *shop_i18n_context(const shop_i18n_t *i18n,
                                      const char *lang);

/* The string `key` of `lang`, else of "en" (also when `lang` is unknown or
 * NULL), else `key` itself.  Lives as long as the catalogue (or is `key`). */
const char *shop_i18n_get(const shop_i18n_t *i18n, const char *lang,
                          const char *key);

/* The name of a code in `lang`: the string prefix + code (lower-cased),
 * e.g. "country_" + "FR" -> "France", "paymode_" + "check"; the code itself
 * when there is no such string.  May allocate the key in p. */
const char *shop_i18n_label(const shop_i18n_t *i18n, apr_pool_t *p, const char *lang, const char *prefix,
                            const char *code);

/* Choose the language of a response, returning the code of a loaded
 * language (a string of the catalogue, never NULL: "en" at worst):
 *  1. `moodle_lang` (the user's Moodle preference; may be NULL): its code if
 *     loaded, else its main code ("fr_ca" -> "fr");
 *  2. `accept_language` (the request header, attacker-controlled; may be
 *     NULL): the loaded language of highest q ("fr-FR" -> "fr_fr", else "fr";
 *     q=0 and "*" never choose; on a tie the first listed wins; malformed
 *     ranges are skipped; at most SHOP_I18N_MAX_RANGES ranges are read);
 *  3. `default_lang` (the site's; may be NULL), as in 1;
 *  4. "en".
 * Codes are matched without regard to case, with '-' read as '_'. */
const char *shop_i18n_negotiate(const shop_i18n_t *i18n,
                                const char *moodle_lang,
                                const char *accept_language,
                                const char *default_lang);

#endif /* SHOP_I18N_H */
