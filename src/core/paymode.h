/* Which payment modes a buyer may choose at the order step (local_shop
 * §6.1), as a pure function of the shop's settings and who buys.
 *
 * Kinds: offline (check, transfer, funder, mandate: paid outside, staff
 * record the payment), online (paypal, stripe, systempay, mercanet,
 * sherlocks, ogone: a gateway confirms), test (instant success, for trying
 * the shop), freeorder (automatic for a total of zero, never chosen).
 *
 * A mode is offered when the shop enables it ({"name": true} in shop.paymodes)
 * and:
 *   offline  the buyer is logged in, or offline_anonymous is set (setting
 *            anonymousofflinepayments: local_shop's usenoninstantpayments
 *            capability granted to guests), or testoverride is on;
 *   online   its gateway is configured (ShopGateway NAME …), and not (test
 *            mode on, testoverride off and the buyer anonymous);
 *   test     the buyer is a site admin, or testoverride is on;
 *   freeorder never offered: a zero total uses it without a choice.
 * Order: the shop's default first, then the canonical order above. */
#ifndef SHOP_CORE_PAYMODE_H
#define SHOP_CORE_PAYMODE_H

#include <apr_pools.h>

#define SHOP_PAYMODE_MAX 12

typedef enum {
    SHOP_PAYMODE_OFFLINE,
    SHOP_PAYMODE_ONLINE,
    SHOP_PAYMODE_TEST,
    SHOP_PAYMODE_FREE
} shop_paymode_kind_t;

typedef struct shop_paymode_rules {
    const char *enabled_json;       /* shop.paymodes, NULL = none enabled */
    const char *default_mode;       /* shop.default_paymode, may be NULL */
    int logged_in, site_admin;
    int offline_anonymous;          /* setting anonymousofflinepayments */
    int test_mode, test_override;   /* settings `test`, `testoverride` */
    /* is a ShopGateway line configured for this online mode? */
    int (*gateway_configured)(const char *name, void *baton);
    void *baton;
} shop_paymode_rules_t;

/* All known mode names, canonical order (CONTRACT §5). */
extern const char *const shop_paymode_names[SHOP_PAYMODE_MAX];

/* The kind of a known mode name; -1 for an unknown name. */
int shop_paymode_kind(const char *name);

/* The modes offered (above) into out[] (static names), count returned. */
int shop_paymode_offered(const shop_paymode_rules_t *rules, const char *out[SHOP_PAYMODE_MAX]);

/* Is `name` among the offered modes? */
int shop_paymode_allowed(const shop_paymode_rules_t *rules, const char *name);

#endif
