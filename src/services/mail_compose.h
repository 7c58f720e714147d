/* Turning a mail template and its data into a subject, a text body and an
 * optional HTML body (services/mailer.h's template scheme).
 *
 * Templates (ShopTemplateDir/mail/, names as core/mustache.h loads them):
 *   mail/NAME.LANG        (NAME.LANG.mustache)       required: first line
 *                         "Subject: ...", then a blank line, then the text
 *   mail/NAME.LANG.html   (NAME.LANG.html.mustache)  optional HTML body
 * The language is the first of LANG, its main code ("fr" for "fr_ca"),
 * the default language, "en" that has a text template; the HTML template
 * of that same language is used when there is one.
 *
 * Escaping: the renderer HTML-escapes {{x}}.  HTML templates use {{x}}.
 * Text templates use {{{x}}} on purpose: every value the mailer puts in
 * the data is plain text made safe for a text mail (control characters
 * removed from one-line values, HTML turned into text), and the subject
 * line can never be split by a value.
 * Under the data, the strings of the language are available as
 * {{str.KEY}} (i18n) as in page templates. */
#ifndef SHOP_SERVICES_MAIL_COMPOSE_H
#define SHOP_SERVICES_MAIL_COMPOSE_H

#include <json.h>
#include "services/env.h"

typedef struct shop_mail_content {
    const char *lang;          /* the language rendered */
    const char *subject;       /* one line, trimmed */
    const char *text;
    const char *html;          /* NULL when the template has no HTML body */
} shop_mail_content_t;

/* Render template `name` for `lang` over `data` (not consumed).
 * APR_SUCCESS, or APR_ENOENT (no template in any language) / APR_EINVAL
 * (no "Subject:" first line, render error) with *error set. */
apr_status_t shop_mail_compose(apr_pool_t *p, const shop_env_t *env, const char *name, const char *lang,
                               json_object *data, shop_mail_content_t *out, const char **error);

/* A one-line plain-text value for the data (control characters gone). */
json_object *shop_mail_str(apr_pool_t *p, const char *s);

#endif
