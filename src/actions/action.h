/* Product actions (local_shop "handlers"): what buying a product does in
 * Moodle.  One shop_action_t per file of src/actions/, found by name
 * (the product's `action`, local_shop's handler names: std_enrolonecourse,
 * ...).  A line whose product names no action, or an action not built yet,
 * runs the default action (actions/default_record.c), which records the
 * sale: a product instance row, its "billed" event and the feedback
 * "N x LABEL registered".
 *
 * Contract of prepay/postpay: they run INSIDE the production transaction of
 * one bill line (services/production.c), write only through ctx->db, and
 * must be idempotent with respect to what they find (a pre-pay may run
 * again, e.g. an account already created is reused).  They return 0 and
 * append to ctx->feedback, or non-zero with ctx->error set to a short
 * human reason (the transaction is then rolled back and the reason stored
 * on the line). */
#ifndef SHOP_ACTIONS_ACTION_H
#define SHOP_ACTIONS_ACTION_H

#include <json.h>
#include "data/db.h"
#include "services/env.h"

/* Feedback of production: HTML fragments (escaped by the action) for the
 * buyer (public), the buyer's private data (private: access details, sent by
 * mail) and sales staff (salesadmin). */
typedef struct shop_feedback {
    const char *public_html, *private_html, *salesadmin_html;
} shop_feedback_t;

/* What an action sees of one bill line. */
typedef struct shop_action_line {
    apr_int64_t line_id, bill_id, shop_id, customer_id, product_id;
    apr_int64_t buyer_userid;           /* bill.userid, 0 = anonymous */
    apr_int64_t customer_userid;        /* the customer's Moodle account, 0 = none */
    const char *transid, *code, *label, *lang;
    apr_int64_t quantity;
    int test;                           /* bill in test mode */
    json_object *snapshot;              /* frozen product (bill_line.product_snapshot), may be NULL */
    json_object *params;                /* snapshot.action_params, may be NULL */
    json_object *required_data;         /* may be NULL */
    json_object *seats;                 /* may be NULL */
} shop_action_line_t;

typedef struct shop_action_ctx {
    shop_db_t *db;                      /* inside the line's transaction */
    const shop_env_t *env;
    apr_pool_t *pool;
    apr_int64_t now;
    shop_feedback_t feedback;           /* append with shop_feedback_add() */
    const char *error;                  /* set on failure */
} shop_action_ctx_t;

typedef struct shop_action {
    const char *name;
    const char *params_schema;          /* JSON schema text of action_params, NULL = none */
    /* NULL when the required data typed by the buyer fits, else an i18n key */
    const char *(*validate_required_data)(const shop_action_line_t *line);
    int (*is_available)(shop_action_ctx_t *ctx, const shop_action_line_t *line);
    apr_int64_t (*max_quantity)(shop_action_ctx_t *ctx, const shop_action_line_t *line);   /* 0 = no limit */
    int (*prepay)(shop_action_ctx_t *ctx, const shop_action_line_t *line);
    int (*postpay)(shop_action_ctx_t *ctx, const shop_action_line_t *line);
    int (*dismount)(shop_action_ctx_t *ctx, apr_int64_t instance_id);
    int (*suspend)(shop_action_ctx_t *ctx, apr_int64_t instance_id);
    int (*restore)(shop_action_ctx_t *ctx, apr_int64_t instance_id);
    int (*update)(shop_action_ctx_t *ctx, apr_int64_t instance_id);
    /* "test products" screen: NULL when the parameters are usable, else why not */
    const char *(*check)(shop_action_ctx_t *ctx, json_object *params);
} shop_action_t;

/* The action called `name`, or the default action for NULL, "" and names
 * not (yet) implemented.  Never NULL. */
const shop_action_t *shop_action_find(const char *name);

/* Is `name` implemented by its own action (not the default)? */
int shop_action_implemented(const char *name);

/* The default action: records the sale. */
extern const shop_action_t shop_action_default;

/* Append fragments (NULL = nothing) to the feedback, in ctx->pool. */
void shop_feedback_add(shop_action_ctx_t *ctx, const char *public_html, const char *private_html,
                       const char *salesadmin_html);

#endif
