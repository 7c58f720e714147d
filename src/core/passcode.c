/* Passcode hashing: see passcode.h. */
#include "core/passcode.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "core/crypto.h"
#include "core/form.h"

static const char salt_chars[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int shop_passcode_acceptable(const char *clear)
{
    if (!clear) return 0;
    size_t n = strlen(clear);
    if (n == 0 || n > SHOP_PASSCODE_MAX || !shop_utf8_valid(clear, n, NULL)) return 0;
    for (const unsigned char *c = (const unsigned char *)clear; *c; c++)
        if (*c < 0x20 || *c == 0x7f) return 0;
    return 1;
}

/* crypt_r's work area is too large for a thread stack in a module. */
static char *crypt_into(apr_pool_t *p, const char *clear, const char *setting)
{
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    if (!cd) return NULL;
    const char *out = crypt_r(clear, setting, cd);
    /* crypt_r reports failure with NULL or a string starting with '*' */
    char *copy = out && out[0] == '$' ? apr_pstrdup(p, out) : NULL;
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return copy;
}

apr_status_t shop_passcode_hash(apr_pool_t *p, const char *clear, const char **hash)
{
    if (!shop_passcode_acceptable(clear)) return APR_EINVAL;
    unsigned char raw[SHOP_PASSCODE_SALT_LEN];
    if (shop_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) return APR_EGENERAL;
    char setting[3 + SHOP_PASSCODE_SALT_LEN + 2];
    memcpy(setting, "$6$", 3);
    for (int i = 0; i < SHOP_PASSCODE_SALT_LEN; i++) setting[3 + i] = salt_chars[raw[i] & 63];
    setting[3 + SHOP_PASSCODE_SALT_LEN] = '$';
    setting[4 + SHOP_PASSCODE_SALT_LEN] = '\0';
    char *h = crypt_into(p, clear, setting);
    if (!h) return APR_EGENERAL;
    *hash = h;
    return APR_SUCCESS;
}

int shop_passcode_verify(const char *hash, const char *clear)
{
    if (!hash || !clear || strncmp(hash, "$6$", 3) != 0 || !shop_passcode_acceptable(clear)) return 0;
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    if (!cd) return 0;
    const char *again = crypt_r(clear, hash, cd);
    /* same salt, same rounds: equal lengths when the passcode is right;
     * the comparison itself does not stop at the first difference */
    size_t n = strlen(hash);
    int ok = again && again[0] == '$' && strlen(again) == n && shop_ct_equal(again, hash, n);
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return ok;
}
