/* Discount rules: names as stored, and the condition of each of the ten
 * types (pricing.h).  The amounts are pricing.c's. */
#include <string.h>

#include "core/pricing.h"

static const char *const type_names[SHOP_DISCOUNT_NTYPES] = {
    "Unconditional", "UserInstitution", "LongTimeCustomer", "OrderNum",
    "OrderAmountThreshold", "UserCapability", "OfferCode",
    "MultipleOfferCode", "Partner", "PartnerMultipleOfferCode"
};

static const char *const op_names[SHOP_DISCOUNT_NOPS] = {
    "accumulate", "takeover", "stopchainifapplies", "stopchainifnotapplies"
};

const char *shop_discount_type_name(shop_discount_type_t t)
{
    return (unsigned)t < SHOP_DISCOUNT_NTYPES ? type_names[t] : NULL;
}

int shop_discount_type_parse(const char *s, shop_discount_type_t *out)
{
    int i;
    for (i = 0; s != NULL && i < SHOP_DISCOUNT_NTYPES; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (shop_discount_type_t)i;
            return 0;
        }
    return -1;
}

const char *shop_discount_op_name(shop_discount_op_t op)
{
    return (unsigned)op < SHOP_DISCOUNT_NOPS ? op_names[op] : NULL;
}

int shop_discount_op_parse(const char *s, shop_discount_op_t *out)
{
    int i;
    for (i = 0; s != NULL && i < SHOP_DISCOUNT_NOPS; i++)
        if (strcmp(s, op_names[i]) == 0) {
            *out = (shop_discount_op_t)i;
            return 0;
        }
    return -1;
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* equal once trimmed, ASCII case-insensitive; empty never matches */
static int same_text(const char *a, const char *b)
{
    size_t la, lb, i;

    if (a == NULL || b == NULL)
        return 0;
    while (space(*a))
        a++;
    while (space(*b))
        b++;
    la = strlen(a);
    lb = strlen(b);
    while (la > 0 && space(a[la - 1]))
        la--;
    while (lb > 0 && space(b[lb - 1]))
        lb--;
    if (la == 0 || la != lb)
        return 0;
    for (i = 0; i < la; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

static int entered(const shop_discount_context_t *ctx, const char *code)
{
    int i;
    if (ctx == NULL || ctx->offer_codes == NULL)
        return 0;
    for (i = 0; i < ctx->noffer_codes; i++)
        if (same_text(ctx->offer_codes[i], code))
            return 1;
    return 0;
}

static int source_ok(const char *sources, char source)
{
    char up = (source >= 'a' && source <= 'z') ? (char)(source - 'a' + 'A') : source;
    if (sources == NULL || *sources == '\0')
        return 1;
    return up != '\0' && strchr(sources, up) != NULL;
}

int shop_discount_condition(const shop_discount_t *d,
                            const shop_discount_context_t *ctx,
                            apr_int64_t goods_taxed_minor, int *code_index)
{
    int i, j, logged = ctx != NULL && ctx->logged_in;

    if (code_index)
        *code_index = -1;
    if (d == NULL)
        return 0;
    switch (d->type) {
    case SHOP_DISCOUNT_UNCONDITIONAL:
        return 1;
    case SHOP_DISCOUNT_USER_INSTITUTION:
        if (!logged || d->values == NULL)
            return 0;
        for (i = 0; i < d->nvalues; i++)
            if (same_text(ctx->institution, d->values[i]))
                return 1;
        return 0;
    case SHOP_DISCOUNT_LONG_TIME_CUSTOMER:
        if (!logged || ctx->customer_since <= 0 || ctx->now <= ctx->customer_since
            || d->number < 0 || d->number > APR_INT64_MAX / SHOP_DISCOUNT_DAY_SECONDS)
            return 0;
        return ctx->now - ctx->customer_since > d->number * SHOP_DISCOUNT_DAY_SECONDS;
    case SHOP_DISCOUNT_ORDER_COUNT:
        return ctx != NULL && ctx->paid_orders > d->number;
    case SHOP_DISCOUNT_ORDER_AMOUNT:
        return goods_taxed_minor > d->number;
    case SHOP_DISCOUNT_MOODLE_ROLE:
        if (!logged || d->values == NULL || ctx->roles == NULL)
            return 0;
        for (i = 0; i < ctx->nroles; i++)
            for (j = 0; j < d->nvalues; j++)
                if (ctx->roles[i] && d->values[j] && ctx->roles[i][0] != '\0'
                    && strcmp(ctx->roles[i], d->values[j]) == 0)
                    return 1;
        return 0;
    case SHOP_DISCOUNT_OFFER_CODE:
        if (d->ncodes < 1 || d->codes == NULL || !entered(ctx, d->codes[0].code))
            return 0;
        if (code_index)
            *code_index = 0;
        return 1;
    case SHOP_DISCOUNT_MULTIPLE_OFFER_CODE:
    case SHOP_DISCOUNT_PARTNER_MULTIPLE_CODE:
        for (i = 0; d->codes != NULL && i < d->ncodes; i++)
            if (entered(ctx, d->codes[i].code)) {
                if (code_index)
                    *code_index = i;
                return 1;
            }
        return 0;
    case SHOP_DISCOUNT_PARTNER:
        if (ctx == NULL || ctx->partner_key == NULL)
            return 0;
        for (i = 0; d->codes != NULL && i < d->ncodes; i++)
            if (same_text(ctx->partner_key, d->codes[i].partner_key)
                && source_ok(d->codes[i].sources, ctx->partner_source)) {
                if (code_index)
                    *code_index = i;
                return 1;
            }
        return 0;
    default:
        return 0;
    }
}
