/* The product actions by name (action.h).  The names are local_shop's
 * handlers (§7.2), so a catalogue imported from local_shop keeps working:
 * each maps to its implementation, or to NULL while it is not built yet
 * (the Product actions issue fills them in); NULL runs the default action,
 * which records the sale without touching Moodle. */
#include "actions/action.h"

#include <string.h>
#include <apr_strings.h>

typedef struct entry {
    const char *name;
    const shop_action_t *action;        /* NULL = not built yet: the default action runs */
} entry_t;

static const entry_t actions[] = {
    { "std_enrolonecourse", NULL },
    { "std_enrolonecoursemultiple", NULL },
    { "std_assignroleoncontext", NULL },
    { "std_extendenrolperiod", NULL },
    { "std_prorogate", NULL },
    { "std_registeredproduct", NULL },
    { "std_setuponecoursesession", NULL },
    { "std_generateseats", NULL },
    { "std_createcourse", NULL },
    { "std_createcategory", NULL },
    { "std_addquizattempts", NULL },
    { "std_addtrainingcredits", NULL },
    { "std_openltiaccess", NULL },
    { "std_unlockpdcertificate", NULL },
    { "std_createvinstance", NULL },
    { NULL, NULL }
};

static const entry_t *entry_of(const char *name)
{
    for (const entry_t *e = actions; name && e->name; e++)
        if (!strcmp(e->name, name)) return e;
    return NULL;
}

const shop_action_t *shop_action_find(const char *name)
{
    const entry_t *e = entry_of(name);
    return e && e->action ? e->action : &shop_action_default;
}

int shop_action_implemented(const char *name)
{
    const entry_t *e = entry_of(name);
    return e && e->action;
}

static const char *append(apr_pool_t *pool, const char *to, const char *more)
{
    if (!more || !*more) return to;
    return to && *to ? apr_pstrcat(pool, to, more, NULL) : apr_pstrdup(pool, more);
}

void shop_feedback_add(shop_action_ctx_t *ctx, const char *public_html, const char *private_html,
                       const char *salesadmin_html)
{
    ctx->feedback.public_html = append(ctx->pool, ctx->feedback.public_html, public_html);
    ctx->feedback.private_html = append(ctx->pool, ctx->feedback.private_html, private_html);
    ctx->feedback.salesadmin_html = append(ctx->pool, ctx->feedback.salesadmin_html, salesadmin_html);
}
