/*
 * tiers.c -- quantity price tiers (see tiers.h for the rule).
 */
#include "core/tiers.h"

static const char *const up_to_field[SHOP_TIERS_MAX] = {
    "tiers[0].up_to", "tiers[1].up_to", "tiers[2].up_to", "tiers[3].up_to",
    "tiers[4].up_to"
};
static const char *const price_field[SHOP_TIERS_MAX] = {
    "tiers[0].price_minor", "tiers[1].price_minor", "tiers[2].price_minor",
    "tiers[3].price_minor", "tiers[4].price_minor"
};

apr_status_t shop_tiers_index(const shop_tier_t *t, int n, apr_int64_t q,
                              int *index)
{
    int i;

    if (t == NULL || n < 1 || n > SHOP_TIERS_MAX || q < 1)
        return APR_EINVAL;
    for (i = 0; i < n - 1; i++)
        if (t[i].up_to == SHOP_TIER_UNLIMITED || q <= t[i].up_to)
            break;
    *index = i;
    return APR_SUCCESS;
}

apr_status_t shop_tiers_unit_price(const shop_tier_t *t, int n, apr_int64_t q,
                                   apr_int64_t *unit_minor)
{
    int i;
    apr_status_t rv = shop_tiers_index(t, n, q, &i);

    if (rv == APR_SUCCESS)
        *unit_minor = t[i].price_minor;
    return rv;
}

apr_status_t shop_tiers_line_total(apr_int64_t unit_minor, apr_int64_t q,
                                   apr_int64_t *total_minor)
{
    apr_int64_t r;

    if (q < 0)
        return APR_EINVAL;
    if (__builtin_mul_overflow(unit_minor, q, &r))
        return APR_ERANGE;
    *total_minor = r;
    return APR_SUCCESS;
}

static apr_status_t bad(shop_tier_error_t *err, int index, const char *field,
                        const char *key)
{
    if (err) {
        err->index = index;
        err->field = field;
        err->key = key;
    }
    return APR_EINVAL;
}

apr_status_t shop_tiers_validate(const shop_tier_t *t, int n,
                                 shop_tier_error_t *err)
{
    int i;

    if (t == NULL || n < 1 || n > SHOP_TIERS_MAX)
        return bad(err, -1, "tiers", "tiers_error_count");
    for (i = 0; i < n; i++) {
        apr_int64_t u = t[i].up_to;
        if (u != SHOP_TIER_UNLIMITED && (u < 1 || u > SHOP_TIERS_MAX_UP_TO))
            return bad(err, i, up_to_field[i], "tiers_error_up_to");
        if (u == SHOP_TIER_UNLIMITED && i != n - 1)
            return bad(err, i, up_to_field[i], "tiers_error_unlimited_not_last");
        if (i > 0 && u != SHOP_TIER_UNLIMITED && u <= t[i - 1].up_to)
            return bad(err, i, up_to_field[i], "tiers_error_not_ascending");
        if (t[i].price_minor < 0 || t[i].price_minor > SHOP_TIERS_MAX_PRICE)
            return bad(err, i, price_field[i], "tiers_error_price");
    }
    return APR_SUCCESS;
}

apr_status_t shop_tiers_range(const shop_tier_t *t, int n, int i,
                              apr_int64_t *from, apr_int64_t *to)
{
    if (t == NULL || n < 1 || n > SHOP_TIERS_MAX || i < 0 || i >= n)
        return APR_EINVAL;
    if (i > 0 && (t[i - 1].up_to < 1 || t[i - 1].up_to > SHOP_TIERS_MAX_UP_TO))
        return APR_EINVAL;
    *from = i == 0 ? 1 : t[i - 1].up_to + 1;
    *to = i == n - 1 ? SHOP_TIER_UNLIMITED : t[i].up_to;
    return APR_SUCCESS;
}

int shop_tiers_from_legacy(const apr_int64_t range[SHOP_TIERS_MAX],
                           const apr_int64_t price[SHOP_TIERS_MAX],
                           shop_tier_t out[SHOP_TIERS_MAX])
{
    int i;

    for (i = 0; i < SHOP_TIERS_MAX; i++) {
        out[i].price_minor = price[i];
        if (i == SHOP_TIERS_MAX - 1 || range[i] == 0) {
            out[i].up_to = SHOP_TIER_UNLIMITED;
            return i + 1;
        }
        out[i].up_to = range[i];
    }
    return SHOP_TIERS_MAX;
}
