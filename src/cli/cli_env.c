/* shopctl's services environment (services/env.h): the same templates,
 * strings and secret the module loads at start, from the options or the
 * SHOP_* environment. */
#include "cli/cli.h"
#include "data/filestore.h"

#include <apr_strings.h>

static const char *no_slash(apr_pool_t *p, const char *url)
{
    if (!url) return NULL;
    apr_size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') n--;
    return apr_pstrmemdup(p, url, n);
}

int shop_cli_env(shop_cli_t *cli, const shop_env_t **out)
{
    if (cli->env) {
        *out = cli->env;
        return SHOP_EXIT_OK;
    }
    if (!cli->template_dir)
        return shop_cli_fail(SHOP_EXIT_USAGE, "no template directory: give --template-dir or set SHOP_TEMPLATE_DIR");
    if (!cli->secret_file)
        return shop_cli_fail(SHOP_EXIT_USAGE, "no secret: give --secret-file or set SHOP_SECRET_FILE");
    shop_env_t *env = apr_pcalloc(cli->pool, sizeof(*env));
    const char *error = NULL;
    shop_tpl_set_t *templates = shop_tpl_set_create(cli->pool);
    if (shop_tpl_set_load_dir(templates, cli->template_dir, &error) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "templates in %s: %s", cli->template_dir, error);
    shop_i18n_t *i18n = NULL;
    const char *langdir = apr_pstrcat(cli->pool, cli->template_dir, "/lang", NULL);
    if (shop_i18n_load(cli->pool, langdir, &i18n, &error) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "strings in %s: %s", langdir, error);
    const unsigned char *key;
    apr_size_t keylen;
    if (shop_secret_read(cli->pool, cli->secret_file, &key, &keylen, &error) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "secret file %s: %s", cli->secret_file, error);
    env->templates = templates;
    env->i18n = i18n;
    env->data_dir = cli->data_dir;
    env->font_dir = SHOP_DEFAULT_FONT_DIR;
    env->public_url = no_slash(cli->pool, cli->public_url);
    env->moodle_url = no_slash(cli->pool, cli->moodle_url);
    env->smtp_url = cli->smtp_url;
    env->mail_from = cli->mail_from;
    env->secret = key;
    env->secret_len = keylen;
    env->sales_role = cli->sales_role;
    env->default_lang = "en";
    cli->env = env;
    *out = env;
    return SHOP_EXIT_OK;
}
