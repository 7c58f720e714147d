/* test_i18n.c — string catalogues and language negotiation.  Run from the
 * repository root (tests/run-unit.sh does): it also checks templates/lang. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <json.h>

#include "core/i18n.h"
#include "core/mustache.h"

static apr_pool_t *root;

typedef struct {
    apr_pool_t *p;
    const char *dir;
    apr_array_header_t *files;      /* to remove, in order */
    apr_array_header_t *dirs;       /* to remove, in reverse */
} fixture_t;

static void put_file(fixture_t *f, const char *rel, const char *text)
{
    const char *path = apr_pstrcat(f->p, f->dir, "/", rel, NULL);
    char *parent = apr_pstrdup(f->p, path);
    apr_file_t *fh;

    *strrchr(parent, '/') = '\0';
    if (strcmp(parent, f->dir) != 0
        && apr_dir_make(parent, APR_FPROT_OS_DEFAULT, f->p) == APR_SUCCESS) {
        *(const char **)apr_array_push(f->dirs) = parent;
    }
    assert_int_equal(apr_file_open(&fh, path, APR_FOPEN_WRITE
                                   | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                                   APR_FPROT_OS_DEFAULT, f->p), APR_SUCCESS);
    assert_int_equal(apr_file_write_full(fh, text, strlen(text), NULL),
                     APR_SUCCESS);
    apr_file_close(fh);
    *(const char **)apr_array_push(f->files) = path;
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof(*f));
    const char *tmp;
    char *tmpl;

    apr_pool_create(&f->p, root);
    apr_temp_dir_get(&tmp, f->p);
    tmpl = apr_pstrcat(f->p, tmp, "/test_i18n.XXXXXX", NULL);
    f->dir = mkdtemp(tmpl);
    f->files = apr_array_make(f->p, 8, sizeof(const char *));
    f->dirs = apr_array_make(f->p, 8, sizeof(const char *));
    *state = f;
    return f->dir ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    int i;

    for (i = 0; i < f->files->nelts; i++) {
        apr_file_remove(((const char **)f->files->elts)[i], f->p);
    }
    for (i = f->dirs->nelts - 1; i >= 0; i--) {
        apr_dir_remove(((const char **)f->dirs->elts)[i], f->p);
    }
    apr_dir_remove(f->dir, f->p);
    apr_pool_destroy(f->p);
    free(f);
    return 0;
}

static shop_i18n_t *load_ok(fixture_t *f)
{
    shop_i18n_t *i18n = NULL;
    const char *err = NULL;

    if (shop_i18n_load(f->p, f->dir, &i18n, &err) != APR_SUCCESS) {
        fail_msg("load: %s", err);
    }
    assert_non_null(i18n);
    return i18n;
}

static const char *load_error(fixture_t *f)
{
    shop_i18n_t *i18n = (shop_i18n_t *)1;
    const char *err = NULL;

    assert_int_not_equal(shop_i18n_load(f->p, f->dir, &i18n, &err),
                         APR_SUCCESS);
    assert_null(i18n);
    assert_non_null(err);
    return err;
}

static void three_langs(fixture_t *f)
{
    put_file(f, "en/common.json", "{\"hello\": \"Hello\", \"bye\": \"Bye\","
                                  " \"only_en\": \"English only\"}");
    put_file(f, "en/errors.json", "{\"e404\": \"Not found\"}");
    put_file(f, "en/README", "not json, ignored");
    put_file(f, "fr/common.json", "{\"hello\": \"Bonjour\", \"bye\": \"Au "
                                  "revoir\", \"e404\": \"Introuvable\"}");
    put_file(f, "pt_br/common.json", "{\"hello\": \"Ol\xc3\xa1\"}");
}

static void test_merge_and_fallback(void **state)
{
    fixture_t *f = *state;
    shop_i18n_t *i18n;
    struct json_object *fr, *v;

    three_langs(f);
    i18n = load_ok(f);
    assert_true(shop_i18n_has_lang(i18n, "en"));
    assert_true(shop_i18n_has_lang(i18n, "fr"));
    assert_true(shop_i18n_has_lang(i18n, "pt_br"));
    assert_false(shop_i18n_has_lang(i18n, "de"));
    assert_false(shop_i18n_has_lang(i18n, NULL));

    /* files of a language merged; en fills what fr lacks, at load time */
    fr = shop_i18n_strings(i18n, "fr");
    assert_non_null(fr);
    assert_true(json_object_object_get_ex(fr, "only_en", &v));
    assert_string_equal(json_object_get_string(v), "English only");
    assert_int_equal(json_object_object_length(fr), 4);
    assert_null(shop_i18n_strings(i18n, "de"));

    assert_string_equal(shop_i18n_get(i18n, "fr", "hello"), "Bonjour");
    assert_string_equal(shop_i18n_get(i18n, "fr", "e404"), "Introuvable");
    assert_string_equal(shop_i18n_get(i18n, "en", "e404"), "Not found");
    assert_string_equal(shop_i18n_get(i18n, "pt_br", "bye"), "Bye");
    assert_string_equal(shop_i18n_get(i18n, "de", "hello"), "Hello");
    assert_string_equal(shop_i18n_get(i18n, NULL, "hello"), "Hello");
    assert_string_equal(shop_i18n_get(i18n, "fr", "missing_key"),
                        "missing_key");
}

static void test_context_in_template(void **state)
{
    fixture_t *f = *state;
    shop_i18n_t *i18n;
    shop_tpl_set_t *set = shop_tpl_set_create(f->p);
    static const char src[] = "<html lang=\"{{lang}}\">{{str.hello}}, "
                              "{{name}}! {{str.only_en}}";
    struct json_object *data, *layers[2];
    const char *out, *err;

    three_langs(f);
    i18n = load_ok(f);
    assert_int_equal(shop_tpl_set_add(set, "t", src, strlen(src), &err),
                     APR_SUCCESS);
    data = json_tokener_parse("{\"name\": \"Zo\xc3\xa9\"}");
    layers[0] = shop_i18n_context(i18n, "fr");
    layers[1] = data;
    assert_int_equal(shop_tpl_render_layers(set, "t", layers, 2, f->p, &out,
                                            NULL), APR_SUCCESS);
    assert_string_equal(out, "<html lang=\"fr\">Bonjour, Zo\xc3\xa9! English "
                             "only");
    json_object_put(data);
    assert_null(shop_i18n_context(i18n, "de"));
}

static void test_load_errors(void **state)
{
    fixture_t *f = *state;
    const char *err;

    put_file(f, "en/a.json", "{\"x\": \"1\"}");
    put_file(f, "en/b.json", "{\"y\": \"2\", \"x\": \"3\"}");
    err = load_error(f);
    assert_non_null(strstr(err, "duplicate key 'x'"));
    assert_non_null(strstr(err, "/en/a.json"));
    assert_non_null(strstr(err, "/en/b.json"));

    put_file(f, "en/b.json", "{\"y\": 2}");
    assert_non_null(strstr(load_error(f), "the value of 'y' is not a string"));
    put_file(f, "en/b.json", "{\"Bad-Key\": \"2\"}");
    assert_non_null(strstr(load_error(f), "key 'Bad-Key' is not snake_case"));
    put_file(f, "en/b.json", "[\"y\"]");
    assert_non_null(strstr(load_error(f), "/en/b.json: not a JSON object"));
    put_file(f, "en/b.json", "{\"y\": \"2\"");
    assert_non_null(strstr(load_error(f), "/en/b.json: invalid JSON"));
    put_file(f, "en/b.json", "{\"y\": \"2\"} {}");
    assert_non_null(strstr(load_error(f), "/en/b.json: invalid JSON at byte "
                                          "11"));
    put_file(f, "en/b.json", "{\"y\": \"2\"}\r\n\t \n");
    load_ok(f);
    put_file(f, "en/b.json", "{\"y\": \"\xff\"}");
    assert_non_null(strstr(load_error(f), "/en/b.json: invalid JSON"));
    put_file(f, "en/b.json", "{}");
    put_file(f, "Fr/a.json", "{}");
    assert_non_null(strstr(load_error(f), "/Fr: not a language code"));
}

static void test_needs_en(void **state)
{
    fixture_t *f = *state;

    put_file(f, "fr/a.json", "{\"x\": \"1\"}");
    assert_non_null(strstr(load_error(f), ": no 'en' language"));
}

static void test_missing_dir(void **state)
{
    fixture_t *f = *state;
    shop_i18n_t *i18n;
    const char *err = NULL;

    assert_int_not_equal(shop_i18n_load(f->p, apr_pstrcat(f->p, f->dir,
                                                          "/nope", NULL),
                                        &i18n, &err), APR_SUCCESS);
    assert_non_null(strstr(err, "/nope: "));
}

static void test_negotiate(void **state)
{
    fixture_t *f = *state;
    shop_i18n_t *i18n;

    three_langs(f);
    i18n = load_ok(f);
    /* Moodle's preference first, by its code then its main code */
    assert_string_equal(shop_i18n_negotiate(i18n, "fr", "en", "en"), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, "fr_ca", "en", NULL), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, "pt_br", NULL, NULL),
                        "pt_br");
    assert_string_equal(shop_i18n_negotiate(i18n, "PT-BR", NULL, NULL),
                        "pt_br");
    /* then Accept-Language, by q */
    assert_string_equal(shop_i18n_negotiate(i18n, "de", "fr-FR,en;q=0.8",
                                            "en"), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL,
                                            "de;q=1, en;q=0.5, fr;q=0.9",
                                            NULL), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL,
                                            "en;q=0.5, fr;q=0.500", NULL),
                        "en");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "pt-BR, fr;q=0.1",
                                            NULL), "pt_br");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "pt-PT;q=0.9, fr;"
                                            "q=0.8", NULL), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "*, fr;q=0.1", "en"),
                        "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "fr;q=0, de", "en"),
                        "en");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "FR ; Q = 0.7 ",
                                            "en"), "fr");
    /* malformed ranges are skipped, not fatal */
    assert_string_equal(shop_i18n_negotiate(i18n, NULL,
                                            "fr;q=2, fr;q=0.1234, fr;q=x, "
                                            "fr junk, f\xc3\xa9, en;q=0.1",
                                            "fr"), "en");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, ",,;;=,;q=,", "fr"),
                        "fr");
    /* then the site default, then en */
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, "de", "fr_be"), "fr");
    assert_string_equal(shop_i18n_negotiate(i18n, "xx", "de", "it"), "en");
    assert_string_equal(shop_i18n_negotiate(i18n, NULL, NULL, NULL), "en");
    assert_string_equal(shop_i18n_negotiate(NULL, "fr", NULL, NULL), "en");
    /* only the first SHOP_I18N_MAX_RANGES ranges count */
    {
        char *h = apr_pstrdup(f->p, "");
        int i;

        for (i = 0; i < SHOP_I18N_MAX_RANGES; i++) {
            h = apr_pstrcat(f->p, h, "de, ", NULL);
        }
        assert_string_equal(shop_i18n_negotiate(i18n, NULL,
                                                apr_pstrcat(f->p, h, "fr",
                                                            NULL), NULL),
                            "en");
    }
    /* the code returned belongs to the catalogue */
    {
        char moodle[] = "fr";
        const char *code = shop_i18n_negotiate(i18n, moodle, NULL, NULL);

        moodle[0] = 'x';
        assert_string_equal(code, "fr");
    }
}

/* The shipped strings: they load, en and fr have the same keys, and the
 * ones the server needs are there. */
static void test_shipped_strings(void **state)
{
    fixture_t *f = *state;
    shop_i18n_t *i18n = NULL;
    const char *err = NULL;
    static const char *const needed[] = {
        "site_title", "nav_catalogue", "nav_cart", "nav_account",
        "nav_back_office", "nav_log_in", "nav_log_out",
        "error_400_title", "error_400_message", "error_403_title",
        "error_403_message", "error_404_title", "error_404_message",
        "error_405_title", "error_405_message", "error_413_title",
        "error_413_message", "error_415_title", "error_415_message",
        "error_500_title", "error_500_message", "error_503_title",
        "error_503_message", "csrf_failed", "session_expired",
        "login_ticket_invalid", "login_ticket_expired", "schema_behind",
        "health_ok", "health_degraded", "health_down"
    };
    struct json_object *en, *fr;
    size_t i;

    if (shop_i18n_load(f->p, "templates/lang", &i18n, &err) != APR_SUCCESS) {
        fail_msg("templates/lang: %s", err);
    }
    en = shop_i18n_strings(i18n, "en");
    fr = shop_i18n_strings(i18n, "fr");
    assert_non_null(en);
    assert_non_null(fr);
    assert_int_equal(json_object_object_length(en),
                     json_object_object_length(fr));
    for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        if (!json_object_object_get_ex(en, needed[i], NULL)) {
            fail_msg("en lacks %s", needed[i]);
        }
    }
    /* every fr string is its own, not the en fallback */
    json_object_object_foreach(en, key, val) {
        const char *t = shop_i18n_get(i18n, "fr", key);

        /* a single word may be spelled the same (Description, Actions, Taxes):
         * a sentence that is the English text was not translated */
        int allowed = strchr(json_object_get_string(val), ' ') == NULL;
        if (strcmp(t, json_object_get_string(val)) == 0 && !allowed) {
            fail_msg("fr %s is the en text", key);
        }
    }
    assert_string_equal(shop_i18n_get(i18n, "fr", "site_title"), "Boutique");
    assert_string_equal(shop_i18n_get(i18n, "en", "site_title"), "Shop");
    /* the name of a code, any case, else the code itself */
    assert_string_equal(shop_i18n_label(i18n, f->p, "fr", "country_", "FR"), "France");
    assert_string_equal(shop_i18n_label(i18n, f->p, "en", "country_", "de"), "Germany");
    assert_string_equal(shop_i18n_label(i18n, f->p, "fr", "country_", "XX"), "XX");
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merge_and_fallback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_context_in_template, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_needs_en, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negotiate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_strings, setup,
                                        teardown),
    };
    int failed;

    apr_initialize();
    apr_pool_create(&root, NULL);
    failed = cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
    apr_pool_destroy(root);
    apr_terminate();
    return failed ? 1 : 0;
}
