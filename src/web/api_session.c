/* The session as the JSON API sees it, and the shopper's language choice
 * (JSON and HTML form). */
#include "web/pages.h"
#include "web/render.h"
#include "web/session.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/i18n.h"

int shop_api_session_get(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    json_object *body = json_object_new_object();
    json_object_object_add(body, "csrf_token", json_object_new_string(shop_req_csrf_token(req)));
    json_object *user = NULL;
    if (id->userid > 0) {
        user = json_object_new_object();
        json_object_object_add(user, "id", json_object_new_int64(id->userid));
        json_object_object_add(user, "fullname", json_object_new_string(
            apr_pstrcat(req->r->pool, id->firstname ? id->firstname : "", " ", id->lastname ? id->lastname : "", NULL)));
        json_object_object_add(user, "role", json_object_new_string(
            id->role == SHOP_ROLE_ADMIN ? "admin" : id->role == SHOP_ROLE_STAFF ? "staff" : "customer"));
    }
    json_object_object_add(body, "user", user);
    json_object_object_add(body, "shop", json_object_new_int(shop_conf_default_shop(req->dconf)));
    json_object_object_add(body, "lang", json_object_new_string(shop_req_lang(req)));
    return shop_render_json(req, HTTP_OK, body);
}

/* PUT /api/v1/session/language {"lang":"fr"} and POST /language (form: lang, back). */
int shop_api_session_language(shop_req_t *req)
{
    const char *lang = NULL;
    json_object *v;
    if (req->json && json_object_object_get_ex(req->json, "lang", &v) && json_object_is_type(v, json_type_string))
        lang = json_object_get_string(v);
    else if (!req->json)
        lang = shop_req_param(req, "lang");
    if (!lang || !shop_i18n_has_lang(req->rt->i18n, lang)) {
        json_object *fields = json_object_new_object();
        json_object_object_add(fields, "lang", json_object_new_string("error_unknown_language"));
        return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_parameters", "error_400_message", fields);
    }
    shop_session_t *s = shop_req_session(req);
    json_object_object_add(s->data, "lang", json_object_new_string(lang));
    shop_session_touch(s);
    req->lang = NULL;
    if (req->json) {
        json_object *body = json_object_new_object();
        json_object_object_add(body, "lang", json_object_new_string(lang));
        return shop_render_json(req, HTTP_OK, body);
    }
    const char *back = shop_req_param(req, "back");
    return shop_redirect_local(req, back ? back : "/");
}
