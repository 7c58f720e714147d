/* Placeholder: replaced by the issue-5 work on this command. */
#include "cli/cli.h"

int shop_cli_bill(shop_cli_t *cli, int argc, const char *const *argv)
{
    return shop_cli_fail(SHOP_EXIT_FAILURE, "shopctl bill: not built yet");
}
