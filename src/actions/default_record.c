/* The default action (action.h): records the sale of a line whose product
 * names no action, or one not built yet.  Nothing happens in Moodle; the
 * customer owns one product instance per line (whatever the quantity), with
 * its reference, its validity window and a "billed" event, so the purchase
 * shows in the purchased products and can be renewed or prolonged later.
 *
 * context_type stays '' ("no Moodle object"): the instance says it was
 * only recorded, unlike registered_product, which std_registeredproduct
 * sets for licences it delivers.  production_data keeps the action name and
 * parameters of the snapshot, so staff see what was meant to run.
 *
 * Pre-pay has nothing to do. */
#include "actions/action.h"

#include <string.h>
#include <apr_strings.h>

#include "core/i18n.h"
#include "core/mustache.h"
#include "core/product_ref.h"
#include "core/validity.h"

#define REF_ATTEMPTS 5          /* 70 random bits: a second one is already a miracle */

static const shop_sql_t Q_INSTANCE_OF_LINE = {
    "action_default.instance_of_line",
    "SELECT id, reference FROM {shop}product_instance WHERE initial_line_id = %s ORDER BY id LIMIT 1"
};
static const shop_sql_t Q_REF_TAKEN = {
    "action_default.ref_taken",
    "SELECT 1 FROM {shop}product_instance WHERE reference = %s"
};
static const shop_sql_t Q_INSTANCE_INSERT = {
    "action_default.instance_insert",
    "INSERT INTO {shop}product_instance (customer_id, product_id, product_code, initial_line_id, current_line_id,"
    " reference, context_type, instance_id, start_at, end_at, status, production_data, test, created_at, modified_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, '', 0, %s, %s, 'active', %s, %s, %s, %s)"
};
static const shop_sql_t Q_EVENT_INSERT = {
    "action_default.event_insert",
    "INSERT INTO {shop}product_event (instance_id, line_id, event_type, data, userid, created_at)"
    " VALUES (%s, %s, 'billed', %s, NULL, %s)"
};

/* A parameter as text: local_shop's are strings, a hand-made JSON may hold numbers. */
static const char *param(apr_pool_t *pool, json_object *params, const char *key)
{
    json_object *v;
    if (!params || !json_object_is_type(params, json_type_object) || !json_object_object_get_ex(params, key, &v))
        return NULL;
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    if (json_object_is_type(v, json_type_int)) return apr_psprintf(pool, "%" APR_INT64_T_FMT, json_object_get_int64(v));
    return "?";         /* an object or a float: refused by shop_validity_compute */
}

static int snapshot_flag(json_object *snapshot, const char *key)
{
    json_object *v;
    return snapshot && json_object_object_get_ex(snapshot, key, &v) && json_object_get_boolean(v);
}

static const char *snapshot_str(json_object *snapshot, const char *key)
{
    json_object *v;
    return snapshot && json_object_object_get_ex(snapshot, key, &v) && json_object_is_type(v, json_type_string)
           ? json_object_get_string(v) : NULL;
}

static const char *window_error(apr_pool_t *pool, json_object *params, int renewable, apr_int64_t now,
                                apr_int64_t *start, apr_int64_t *end)
{
    const char *why = NULL;
    shop_validity_compute(param(pool, params, "starttime"), param(pool, params, "endtime"),
                          param(pool, params, "duration"), renewable, now, start, end, &why);
    return why;
}

/* The translated text `key` with {name} replaced by values already escaped
 * (texts are not format strings: a translator's '%' is harmless). */
static const char *text(apr_pool_t *pool, const shop_env_t *env, const char *lang, const char *key,
                        const char *const *names, const char *const *values, int n)
{
    const char *in = env && env->i18n ? shop_i18n_get(env->i18n, lang, key) : key, *out = "";
    /* one pass over the text: a value holding "{label}" is never read again */
    while (*in) {
        const char *brace = strchr(in, '{');
        if (!brace) break;
        int hit = -1;
        for (int i = 0; i < n && hit < 0; i++) {
            apr_size_t len = strlen(names[i]);
            if (!strncmp(brace + 1, names[i], len) && brace[1 + len] == '}') hit = i;
        }
        apr_size_t skip = hit < 0 ? 1 : strlen(names[hit]) + 2;
        out = apr_pstrcat(pool, out, apr_pstrmemdup(pool, in, brace - in), hit < 0 ? "{" : values[hit], NULL);
        in = brace + skip;
    }
    return apr_pstrcat(pool, out, in, NULL);
}

static const char *esc(apr_pool_t *pool, const char *s)
{
    return shop_tpl_escape_html(pool, s ? s : "", s ? strlen(s) : 0);
}

static void feedback(shop_action_ctx_t *ctx, const shop_action_line_t *line, const char *reference)
{
    apr_pool_t *p = ctx->pool;
    const char *staff_lang = ctx->env && ctx->env->default_lang ? ctx->env->default_lang : "en";
    static const char *const names[] = { "quantity", "label", "reference", "customer", "bill", "transid" };
    const char *values[] = {
        apr_psprintf(p, "%" APR_INT64_T_FMT, line->quantity), esc(p, line->label), esc(p, reference),
        apr_psprintf(p, "%" APR_INT64_T_FMT, line->customer_id), apr_psprintf(p, "%" APR_INT64_T_FMT, line->bill_id),
        esc(p, line->transid)
    };
    shop_feedback_add(ctx,
        apr_pstrcat(p, "<p>", text(p, ctx->env, line->lang, "production_registered", names, values, 2), "</p>", NULL),
        apr_pstrcat(p, "<p>", text(p, ctx->env, line->lang, "production_reference", names, values, 3), "</p>", NULL),
        apr_pstrcat(p, "<p>", text(p, ctx->env, staff_lang, "production_registered_staff", names, values, 6), "</p>", NULL));
}

/* A reference nobody holds yet (the unique key would refuse a duplicate,
 * but a failed statement would doom the whole line's transaction). */
static int new_reference(shop_action_ctx_t *ctx, const char **ref)
{
    for (int i = 0; i < REF_ATTEMPTS; i++) {
        shop_rows_t *rows;
        if (shop_product_ref_generate(ctx->pool, ref) != APR_SUCCESS) {
            ctx->error = "no random source for the product reference";
            return -1;
        }
        const char *args[] = { *ref };
        if (shop_db_select(ctx->db, &Q_REF_TAKEN, 1, args, &rows) != 0) {
            ctx->error = ctx->db->last_message;
            return -1;
        }
        if (rows->nrows == 0) return 0;
    }
    ctx->error = "no free product reference";
    return -1;
}

static const char *production_data(apr_pool_t *pool, const shop_action_line_t *line)
{
    json_object *o = json_object_new_object(), *params = NULL;
    const char *action = snapshot_str(line->snapshot, "action");
    json_object_object_add(o, "action", action ? json_object_new_string(action) : NULL);
    if (line->params) json_object_deep_copy(line->params, &params, NULL);
    json_object_object_add(o, "params", params);
    const char *s = apr_pstrdup(pool, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return s;
}

static int record(shop_action_ctx_t *ctx, const shop_action_line_t *line, const char **reference)
{
    apr_pool_t *p = ctx->pool;
    apr_int64_t start, end;
    const char *why = window_error(p, line->params, snapshot_flag(line->snapshot, "renewable"), ctx->now,
                                   &start, &end);
    if (why) {
        ctx->error = apr_pstrcat(p, "action parameters: ", why, NULL);
        return -1;
    }
    if (new_reference(ctx, reference) != 0) return -1;
    const char *line_id = shop_db_i64(p, line->line_id), *now = shop_db_i64(p, ctx->now);
    const char *args[] = {
        shop_db_i64(p, line->customer_id), line->product_id > 0 ? shop_db_i64(p, line->product_id) : NULL,
        line->code, line_id, line_id, *reference, shop_db_i64(p, start), shop_db_i64(p, end),
        production_data(p, line), line->test ? "1" : "0", now, now
    };
    int64_t id;
    if (shop_db_exec(ctx->db, &Q_INSTANCE_INSERT, 12, args, NULL) != 0 || shop_db_last_id(ctx->db, &id) != 0) {
        ctx->error = ctx->db->last_message;
        return -1;
    }
    json_object *data = json_object_new_object();
    json_object_object_add(data, "transid", json_object_new_string(line->transid ? line->transid : ""));
    json_object_object_add(data, "quantity", json_object_new_int64(line->quantity));
    const char *event_args[] = {
        shop_db_i64(p, id), line_id, apr_pstrdup(p, json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN)), now
    };
    json_object_put(data);
    if (shop_db_exec(ctx->db, &Q_EVENT_INSERT, 4, event_args, NULL) != 0) {
        ctx->error = ctx->db->last_message;
        return -1;
    }
    return 0;
}

static int postpay(shop_action_ctx_t *ctx, const shop_action_line_t *line)
{
    if (line->customer_id <= 0) {
        ctx->error = "the bill has no customer";
        return -1;
    }
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(ctx->pool, line->line_id) };
    if (shop_db_select(ctx->db, &Q_INSTANCE_OF_LINE, 1, args, &rows) != 0) {
        ctx->error = ctx->db->last_message;
        return -1;
    }
    /* an instance left by an earlier run of this line is the same sale */
    const char *reference = rows->nrows ? shop_rows_str(rows, 0, 1) : NULL;
    if (!reference && record(ctx, line, &reference) != 0) return -1;
    feedback(ctx, line, reference);
    return 0;
}

static int prepay(shop_action_ctx_t *ctx, const shop_action_line_t *line)
{
    return 0;
}

static const char *check(shop_action_ctx_t *ctx, json_object *params)
{
    apr_int64_t start, end;
    return window_error(ctx->pool, params, 0, ctx->now, &start, &end);
}

static const char *any_data(const shop_action_line_t *line)
{
    return NULL;
}

static int available(shop_action_ctx_t *ctx, const shop_action_line_t *line)
{
    return 1;
}

static apr_int64_t no_limit(shop_action_ctx_t *ctx, const shop_action_line_t *line)
{
    return 0;
}

static int nothing(shop_action_ctx_t *ctx, apr_int64_t instance_id)
{
    return 0;           /* nothing was done in Moodle, nothing to undo */
}

const shop_action_t shop_action_default = {
    .name = "",
    .params_schema = NULL,
    .validate_required_data = any_data,
    .is_available = available,
    .max_quantity = no_limit,
    .prepay = prepay,
    .postpay = postpay,
    .dismount = nothing,
    .suspend = nothing,
    .restore = nothing,
    .update = nothing,
    .check = check,
};
