/* Payment mode visibility (paymode.h). */
#include "core/paymode.h"

#include <string.h>
#include <json.h>

const char *const shop_paymode_names[SHOP_PAYMODE_MAX] = {
    "check", "transfer", "funder", "mandate", "freeorder", "test",
    "paypal", "stripe", "systempay", "mercanet", "sherlocks", "ogone"
};

int shop_paymode_kind(const char *name)
{
    for (int i = 0; name && i < SHOP_PAYMODE_MAX; i++) {
        if (strcmp(name, shop_paymode_names[i])) continue;
        return i < 4 ? SHOP_PAYMODE_OFFLINE : i == 4 ? SHOP_PAYMODE_FREE : i == 5 ? SHOP_PAYMODE_TEST
             : SHOP_PAYMODE_ONLINE;
    }
    return -1;
}

static int enabled(json_object *modes, const char *name)
{
    json_object *v;
    return modes && json_object_object_get_ex(modes, name, &v) && json_object_is_type(v, json_type_boolean)
           && json_object_get_boolean(v);
}

static int visible(const shop_paymode_rules_t *r, const char *name)
{
    switch (shop_paymode_kind(name)) {
    case SHOP_PAYMODE_OFFLINE:
        return r->logged_in || r->offline_anonymous || r->test_override;
    case SHOP_PAYMODE_ONLINE:
        if (r->test_mode && !r->test_override && !r->logged_in) return 0;
        return r->gateway_configured && r->gateway_configured(name, r->baton);
    case SHOP_PAYMODE_TEST:
        return r->site_admin || r->test_override;
    default:
        return 0;
    }
}

int shop_paymode_offered(const shop_paymode_rules_t *r, const char *out[SHOP_PAYMODE_MAX])
{
    json_object *modes = r->enabled_json ? json_tokener_parse(r->enabled_json) : NULL;
    if (modes && !json_object_is_type(modes, json_type_object)) {
        json_object_put(modes);
        modes = NULL;
    }
    int n = 0;
    int def = -1;
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++)
        if (r->default_mode && !strcmp(r->default_mode, shop_paymode_names[i])) def = i;
    if (def >= 0 && enabled(modes, shop_paymode_names[def]) && visible(r, shop_paymode_names[def]))
        out[n++] = shop_paymode_names[def];
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++)
        if (i != def && enabled(modes, shop_paymode_names[i]) && visible(r, shop_paymode_names[i]))
            out[n++] = shop_paymode_names[i];
    json_object_put(modes);
    return n;
}

int shop_paymode_allowed(const shop_paymode_rules_t *r, const char *name)
{
    const char *list[SHOP_PAYMODE_MAX];
    int n = shop_paymode_offered(r, list);
    for (int i = 0; name && i < n; i++)
        if (!strcmp(list[i], name)) return 1;
    return 0;
}
