/* shopctl ticket USERID [--url PATH] [--ttl SECONDS]: a signed, single-use
 * login URL (demo login, mail links, tests). */
#include "cli/cli.h"
#include "core/ticket.h"
#include "data/filestore.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <stdio.h>
#include <string.h>

#define TICKET_TTL_DEFAULT 3600

static int read_secret(shop_cli_t *cli, const unsigned char **key, apr_size_t *len)
{
    const char *why = NULL;
    if (!cli->secret_file)
        return shop_cli_fail(SHOP_EXIT_USAGE, "no secret: give --secret-file or set SHOP_SECRET_FILE");
    if (shop_secret_read(cli->pool, cli->secret_file, key, len, &why) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_FAILURE, "secret file %s: %s", cli->secret_file, why);
    return SHOP_EXIT_OK;
}

int shop_cli_ticket(shop_cli_t *cli, int argc, const char *const *argv)
{
    if (argc < 1) return shop_cli_fail(SHOP_EXIT_USAGE, "usage: shopctl ticket USERID [--url PATH] [--ttl SECONDS]");
    char *end;
    apr_int64_t userid = apr_strtoi64(argv[0], &end, 10);
    if (*end || userid < 1) return shop_cli_fail(SHOP_EXIT_USAGE, "USERID must be a positive integer, not '%s'", argv[0]);
    const char *path = NULL;
    apr_int64_t ttl = TICKET_TTL_DEFAULT;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) return shop_cli_fail(SHOP_EXIT_USAGE, "option %s needs a value", argv[i]);
        if (!strcmp(argv[i], "--url")) path = argv[i + 1];
        else if (!strcmp(argv[i], "--ttl")) ttl = apr_atoi64(argv[i + 1]);
        else return shop_cli_fail(SHOP_EXIT_USAGE, "unknown option %s", argv[i]);
    }
    if (path && !shop_safe_local_path(path))
        return shop_cli_fail(SHOP_EXIT_USAGE, "--url must be a path of the shop such as /account, not '%s'", path);
    if (!cli->public_url) return shop_cli_fail(SHOP_EXIT_USAGE, "no shop URL: give --public-url or set SHOP_URL");

    const unsigned char *key;
    apr_size_t keylen;
    int rc = read_secret(cli, &key, &keylen);
    if (rc != SHOP_EXIT_OK) return rc;
    const char *token;
    if (shop_ticket_issue(cli->pool, key, keylen, userid, ttl, apr_time_sec(apr_time_now()), path, &token) != APR_SUCCESS)
        return shop_cli_fail(SHOP_EXIT_USAGE, "cannot issue a ticket (ttl must be between 1 and the maximum)");
    size_t n = strlen(cli->public_url);
    while (n > 0 && cli->public_url[n - 1] == '/') n--;
    printf("%.*s/login?ticket=%s\n", (int)n, cli->public_url, token);
    return SHOP_EXIT_OK;
}
