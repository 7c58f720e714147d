/* Mail templates to subject and bodies: see mail_compose.h. */
#include "services/mail_compose.h"
#include "core/mail_message.h"

#include <apr_strings.h>
#include <string.h>

json_object *shop_mail_str(apr_pool_t *p, const char *s)
{
    return json_object_new_string(shop_mail_one_line(p, s));
}

static const char *tpl_name(apr_pool_t *p, const char *name, const char *lang, const char *suffix)
{
    return apr_pstrcat(p, "mail/", name, ".", lang, suffix, NULL);
}

/* The first language of the fallback chain that has a text template. */
static const char *pick_lang(apr_pool_t *p, const shop_env_t *env, const char *name, const char *lang)
{
    const char *main_code = NULL;
    if (lang && strchr(lang, '_')) main_code = apr_pstrndup(p, lang, strchr(lang, '_') - lang);
    const char *chain[] = { lang, main_code, env->default_lang, "en" };
    for (size_t i = 0; i < sizeof chain / sizeof *chain; i++)
        if (chain[i] && *chain[i] && shop_tpl_set_has(env->templates, tpl_name(p, name, chain[i], "")))
            return chain[i];
    return NULL;
}

static apr_status_t render(apr_pool_t *p, const shop_env_t *env, const char *tpl, const char *lang,
                           json_object *data, const char **out)
{
    json_object *layers[2];
    int n = 0;
    json_object *strings = env->i18n ? shop_i18n_context(env->i18n, lang) : NULL;
    if (!strings && env->i18n) strings = shop_i18n_context(env->i18n, "en");
    if (strings) layers[n++] = strings;
    layers[n++] = data;
    return shop_tpl_render_layers(env->templates, tpl, layers, n, p, out, NULL);
}

apr_status_t shop_mail_compose(apr_pool_t *p, const shop_env_t *env, const char *name, const char *lang,
                               json_object *data, shop_mail_content_t *out, const char **error)
{
    memset(out, 0, sizeof(*out));
    const char *chosen = pick_lang(p, env, name, lang);
    if (!chosen) {
        *error = apr_psprintf(p, "no mail template mail/%s.LANG.mustache", name);
        return APR_ENOENT;
    }
    const char *text;
    apr_status_t rv = render(p, env, tpl_name(p, name, chosen, ""), chosen, data, &text);
    if (rv != APR_SUCCESS) {
        *error = apr_psprintf(p, "mail/%s.%s: render failed", name, chosen);
        return APR_EINVAL;
    }
    if (strncmp(text, "Subject:", 8) != 0) {
        *error = apr_psprintf(p, "mail/%s.%s: the first line is not \"Subject: ...\"", name, chosen);
        return APR_EINVAL;
    }
    const char *eol = text + 8 + strcspn(text + 8, "\r\n");
    out->subject = shop_mail_one_line(p, apr_pstrmemdup(p, text + 8, eol - (text + 8)));
    if (!*out->subject) {
        *error = apr_psprintf(p, "mail/%s.%s: empty subject", name, chosen);
        return APR_EINVAL;
    }
    /* the body starts after the blank line that follows the subject */
    const char *body = eol;
    for (int breaks = 0; breaks < 2 && (*body == '\r' || *body == '\n'); breaks++)
        body += (body[0] == '\r' && body[1] == '\n') ? 2 : 1;
    out->text = body;
    out->lang = chosen;
    const char *html_tpl = tpl_name(p, name, chosen, ".html");
    if (shop_tpl_set_has(env->templates, html_tpl)) {
        if (render(p, env, html_tpl, chosen, data, &out->html) != APR_SUCCESS) {
            *error = apr_psprintf(p, "mail/%s.%s.html: render failed", name, chosen);
            return APR_EINVAL;
        }
    }
    return APR_SUCCESS;
}
