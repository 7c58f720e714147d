/* test_mustache.c — the Mustache renderer against the official spec files
 * (each spec test its own cmocka case) and against our own uses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_thread_proc.h>
#include <json.h>

#include "core/mustache.h"

#define SPEC_DIR TESTDATA_DIR "/mustache-spec"

static const char *const spec_files[] = {
    "comments", "delimiters", "interpolation", "inverted", "partials",
    "sections", "~inheritance"
};

typedef struct {
    const char *file;
    struct json_object *test;
} spec_case_t;

static apr_pool_t *root;

/* ---- helpers */

static const char *render(shop_tpl_set_t *set, const char *name,
                          const char *json, apr_pool_t *p)
{
    struct json_object *data = json ? json_tokener_parse(json) : NULL;
    const char *out = NULL;
    apr_status_t rv;

    if (json) {
        assert_non_null(data);
    }
    rv = shop_tpl_render(set, name, data, p, &out, NULL);
    json_object_put(data);
    assert_int_equal(rv, APR_SUCCESS);
    return out;
}

static const char *render_src(const char *src, const char *json,
                              apr_pool_t *p)
{
    shop_tpl_set_t *set = shop_tpl_set_create(p);
    const char *err = NULL;

    assert_int_equal(shop_tpl_set_add(set, "t", src, strlen(src), &err),
                     APR_SUCCESS);
    return render(set, "t", json, p);
}

static const char *compile_error(const char *src, apr_pool_t *p)
{
    shop_tpl_set_t *set = shop_tpl_set_create(p);
    const char *err = NULL;

    assert_int_equal(shop_tpl_set_add(set, "page", src, strlen(src), &err),
                     APR_EINVAL);
    assert_non_null(err);
    assert_false(shop_tpl_set_has(set, "page"));
    return err;
}

/* ---- the spec */

static void run_spec_case(void **state)
{
    const spec_case_t *c = *state;
    struct json_object *t = c->test, *v, *partials;
    const char *name, *tpl, *expected, *out = NULL, *err = NULL;
    apr_pool_t *p;
    shop_tpl_set_t *set;
    apr_size_t out_len = 0;

    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    json_object_object_get_ex(t, "name", &v);
    name = json_object_get_string(v);
    if (json_object_object_get_ex(t, "partials", &partials)) {
        json_object_object_foreach(partials, pname, pval) {
            if (shop_tpl_set_add(set, pname, json_object_get_string(pval),
                                 (apr_size_t)json_object_get_string_len(pval),
                                 &err) != APR_SUCCESS) {
                fail_msg("%s / %s: partial %s: %s", c->file, name, pname, err);
            }
        }
    }
    json_object_object_get_ex(t, "template", &v);
    tpl = json_object_get_string(v);
    /* a name no partial can have */
    if (shop_tpl_set_add(set, " spec", tpl,
                         (apr_size_t)json_object_get_string_len(v), &err)
        != APR_SUCCESS) {
        fail_msg("%s / %s: %s", c->file, name, err);
    }
    json_object_object_get_ex(t, "expected", &v);
    expected = json_object_get_string(v);
    json_object_object_get_ex(t, "data", &v);
    if (shop_tpl_render(set, " spec", v, p, &out, &out_len) != APR_SUCCESS) {
        fail_msg("%s / %s: render failed", c->file, name);
    }
    if (out_len != (apr_size_t)strlen(expected)
        || strcmp(out, expected) != 0) {
        print_error("%s / %s\n  template: %s\n  expected: [%s]\n  got:      "
                    "[%s]\n", c->file, name, tpl, expected, out);
        fail_msg("%s / %s", c->file, name);
    }
    apr_pool_destroy(p);
}

/* Every spec file we were given is one of ours, and no optional module we
 * skip (lambdas, dynamic names) slipped in. */
static void test_spec_files_known(void **state)
{
    apr_pool_t *p;
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    (void)state;
    apr_pool_create(&p, root);
    assert_int_equal(apr_dir_open(&d, SPEC_DIR, p), APR_SUCCESS);
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        apr_size_t len = strlen(fi.name), i;
        int known = 0;

        if (len < 5 || strcmp(fi.name + len - 5, ".json") != 0) {
            continue;
        }
        for (i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++) {
            if (strlen(spec_files[i]) == len - 5
                && strncmp(fi.name, spec_files[i], len - 5) == 0) {
                known = 1;
            }
        }
        if (!known) {
            fail_msg("spec file %s is not run by this test", fi.name);
        }
        n++;
    }
    apr_dir_close(d);
    assert_int_equal(n, sizeof(spec_files) / sizeof(spec_files[0]));
    apr_pool_destroy(p);
}

/* ---- our own uses */

static void test_compile_errors(void **state)
{
    apr_pool_t *p;

    (void)state;
    apr_pool_create(&p, root);
    assert_string_equal(compile_error("a\n  {{#items}}\nx\n", p),
                        "page:2:3: unclosed section 'items'");
    assert_string_equal(compile_error("{{#a}}\n{{^b}}{{/a}}{{/b}}", p),
                        "page:2:7: closing tag 'a' does not match open "
                        "inverted section 'b' (opened at 2:1)");
    assert_string_equal(compile_error("ok\nthen {{/x}}", p),
                        "page:2:6: closing tag 'x' with no open section");
    assert_string_equal(compile_error("x\n\n  y {{name\n", p),
                        "page:3:5: unclosed tag: no '}}' after '{{'");
    assert_string_equal(compile_error("{{{raw}}", p),
                        "page:1:1: unclosed tag: no '}}}' after '{{'");
    assert_string_equal(compile_error("{{=<% %>=}}\n<%x}}", p),
                        "page:2:1: unclosed tag: no '%>' after '<%'");
    assert_string_equal(compile_error("a {{=<%>=}}", p),
                        "page:1:3: bad delimiter change '<%>': expected two "
                        "delimiters without '=' separated by space");
    assert_string_equal(compile_error("{{= a b c =}}", p),
                        "page:1:1: bad delimiter change 'a b c': expected two "
                        "delimiters without '=' separated by space");
    assert_string_equal(compile_error("{{ }}", p), "page:1:1: empty tag");
    assert_string_equal(compile_error("{{a b}}", p),
                        "page:1:1: space in tag name 'a b'");
    assert_string_equal(compile_error("{{<layout}}{{$title}}x{{/layout}}", p),
                        "page:1:23: closing tag 'layout' does not match open "
                        "block 'title' (opened at 1:12)");
    {
        char deep[SHOP_TPL_MAX_NESTING * 6 + 16];
        int i;

        deep[0] = '\0';
        for (i = 0; i <= SHOP_TPL_MAX_NESTING; i++) {
            strcat(deep, "{{#a}}");
        }
        assert_non_null(strstr(compile_error(deep, p), "nested deeper"));
    }
    apr_pool_destroy(p);
}

static void test_escaping(void **state)
{
    apr_pool_t *p;

    (void)state;
    apr_pool_create(&p, root);
    assert_string_equal(
        render_src("<p title=\"{{t}}\" data-x='{{t}}'>{{t}}</p>",
                   "{\"t\": \"<script>alert('x&y')</script>\\\"\"}", p),
        "<p title=\"&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"
        "&quot;\" data-x='&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script"
        "&gt;&quot;'>&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"
        "&quot;</p>");
    assert_string_equal(render_src("{{{t}}}|{{&t}}", "{\"t\": \"<b>'\"}", p),
                        "<b>'|<b>'");
    /* values are never re-parsed as templates */
    assert_string_equal(render_src("{{t}}", "{\"t\": \"{{t}}\"}", p), "{{t}}");
    assert_string_equal(shop_tpl_escape_html(p, "a<\"'>&", 6),
                        "a&lt;&quot;&#39;&gt;&amp;");
    apr_pool_destroy(p);
}

static void test_values(void **state)
{
    apr_pool_t *p;

    (void)state;
    apr_pool_create(&p, root);
    assert_string_equal(
        render_src("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} [{{i}}]"
                   " [{{j}}]",
                   "{\"a\": 1.5, \"b\": 3.0, \"c\": 0.1, \"d\": -42,"
                   " \"e\": 9223372036854775807, \"f\": 18446744073709551615,"
                   " \"g\": true, \"h\": 1e300, \"i\": {\"x\": 1},"
                   " \"j\": [1]}", p),
        "1.5 3 0.1 -42 9223372036854775807 18446744073709551615 true 1e+300"
        " [] []");
    /* only missing, null, false and [] are falsey */
    assert_string_equal(
        render_src("{{#e}}e{{/e}}{{#z}}z{{/z}}{{^n}}n{{/n}}{{^f}}f{{/f}}"
                   "{{^l}}l{{/l}}{{^m}}m{{/m}}",
                   "{\"e\": \"\", \"z\": 0, \"n\": null, \"f\": false,"
                   " \"l\": []}", p),
        "eznflm");
    assert_string_equal(render_src("[{{x}}]", NULL, p), "[]");
    apr_pool_destroy(p);
}

static void test_layout_inheritance(void **state)
{
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err = NULL;
    static const char layout[] =
        "<!doctype html>\n"
        "<html lang=\"{{lang}}\">\n"
        "<head><title>{{$title}}{{str.site_title}}{{/title}}</title></head>\n"
        "<body>\n"
        "  <main>\n"
        "    {{$content}}\n"
        "    <p>nothing here</p>\n"
        "    {{/content}}\n"
        "  </main>\n"
        "  {{>footer}}\n"
        "</body>\n"
        "</html>\n";
    static const char footer[] = "<footer>\n  {{str.site_title}}\n</footer>\n";
    static const char page[] =
        "{{<layout}}\n"
        "{{$title}}{{product.name}} - {{str.site_title}}{{/title}}\n"
        "{{$content}}\n"
        "<h1>{{product.name}}</h1>\n"
        "{{#product.tags}}\n"
        "<span>{{.}}</span>\n"
        "{{/product.tags}}\n"
        "{{/content}}\n"
        "{{/layout}}\n";
    static const char expected[] =
        "<!doctype html>\n"
        "<html lang=\"fr\">\n"
        "<head><title>Caf\xc3\xa9 &lt;1&gt; - Boutique</title></head>\n"
        "<body>\n"
        "  <main>\n"
        "    <h1>Caf\xc3\xa9 &lt;1&gt;</h1>\n"
        "    <span>a</span>\n"
        "    <span>b</span>\n"
        "  </main>\n"
        "  <footer>\n"
        "    Boutique\n"
        "  </footer>\n"
        "</body>\n"
        "</html>\n";
    struct json_object *globals, *data, *layers[2];
    const char *out;

    (void)state;
    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_add(set, "layout", layout, strlen(layout),
                                      &err), APR_SUCCESS);
    assert_int_equal(shop_tpl_set_add(set, "footer", footer, strlen(footer),
                                      &err), APR_SUCCESS);
    assert_int_equal(shop_tpl_set_add(set, "front/product", page,
                                      strlen(page), &err), APR_SUCCESS);
    globals = json_tokener_parse("{\"lang\": \"fr\", \"str\": {\"site_title\":"
                                 " \"Boutique\"}}");
    data = json_tokener_parse("{\"product\": {\"name\": \"Caf\xc3\xa9 <1>\","
                              " \"tags\": [\"a\", \"b\"]}}");
    layers[0] = globals;
    layers[1] = data;
    assert_int_equal(shop_tpl_render_layers(set, "front/product", layers, 2, p,
                                            &out, NULL), APR_SUCCESS);
    assert_string_equal(out, expected);
    /* the layout alone shows its defaults */
    assert_int_equal(shop_tpl_render_layers(set, "layout", layers, 1, p, &out,
                                            NULL), APR_SUCCESS);
    assert_non_null(strstr(out, "<title>Boutique</title>"));
    assert_non_null(strstr(out, "\n    <p>nothing here</p>\n  </main>"));
    /* the layers were not touched: still one reference each */
    assert_int_equal(json_object_put(globals), 1);
    assert_int_equal(json_object_put(data), 1);
    apr_pool_destroy(p);
}

static void test_recursion_limit(void **state)
{
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err = NULL, *out = "x";
    static const char self[] = "a{{>self}}";
    static const char loop[] = "{{<loop}}{{$b}}{{$b}}x{{/b}}{{/b}}{{/loop}}";

    (void)state;
    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_add(set, "self", self, strlen(self), &err),
                     APR_SUCCESS);
    assert_int_equal(shop_tpl_render(set, "self", NULL, p, &out, NULL),
                     APR_EINVAL);
    assert_null(out);
    assert_int_equal(shop_tpl_set_add(set, "loop", loop, strlen(loop), &err),
                     APR_SUCCESS);
    assert_int_equal(shop_tpl_render(set, "loop", NULL, p, &out, NULL),
                     APR_EINVAL);
    assert_int_equal(shop_tpl_render(set, "nope", NULL, p, &out, NULL),
                     APR_ENOENT);
    apr_pool_destroy(p);
}

static void test_work_limits(void **state)
{
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err = NULL, *out;
    struct json_object *data;
    /* 100^8 iterations */
    static const char many[] =
        "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}.{{/a}}{{/a}}{{/a}}"
        "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
    static const char big[] =
        "{{#a}}{{#a}}{{#a}}{{#a}}{{{s}}}{{/a}}{{/a}}{{/a}}{{/a}}";
    char *s = malloc(10001);
    int i;

    (void)state;
    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    data = json_object_new_object();
    json_object_object_add(data, "a", json_object_new_array());
    for (i = 0; i < 100; i++) {
        json_object_array_add(json_object_object_get(data, "a"),
                              json_object_new_int(i));
    }
    memset(s, 'x', 10000);
    s[10000] = '\0';
    json_object_object_add(data, "s", json_object_new_string(s));
    free(s);
    assert_int_equal(shop_tpl_set_add(set, "many", many, strlen(many), &err),
                     APR_SUCCESS);
    assert_int_equal(shop_tpl_render(set, "many", data, p, &out, NULL),
                     APR_EINVAL);
    assert_int_equal(shop_tpl_set_add(set, "big", big, strlen(big), &err),
                     APR_SUCCESS);
    assert_int_equal(shop_tpl_render(set, "big", data, p, &out, NULL),
                     APR_ENOSPC);
    json_object_put(data);
    apr_pool_destroy(p);
}

static void write_file(apr_pool_t *p, const char *path, const char *text)
{
    apr_file_t *f;
    apr_size_t len = strlen(text);

    assert_int_equal(apr_file_open(&f, path, APR_FOPEN_WRITE
                                   | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                                   APR_FPROT_OS_DEFAULT, p), APR_SUCCESS);
    assert_int_equal(apr_file_write_full(f, text, len, NULL), APR_SUCCESS);
    apr_file_close(f);
}

static void test_load_dir(void **state)
{
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err = NULL, *tmp, *dir;
    char *tmpl;

    (void)state;
    apr_pool_create(&p, root);
    assert_int_equal(apr_temp_dir_get(&tmp, p), APR_SUCCESS);
    tmpl = apr_pstrcat(p, tmp, "/test_mustache.XXXXXX", NULL);
    dir = mkdtemp(tmpl);
    assert_non_null(dir);
    assert_int_equal(apr_dir_make_recursive(apr_pstrcat(p, dir, "/front/deep",
                                                        NULL),
                                            APR_FPROT_OS_DEFAULT, p),
                     APR_SUCCESS);
    apr_dir_make(apr_pstrcat(p, dir, "/.hidden", NULL), APR_FPROT_OS_DEFAULT,
                 p);
    write_file(p, apr_pstrcat(p, dir, "/layout.mustache", NULL),
               "[{{$body}}{{/body}}]");
    write_file(p, apr_pstrcat(p, dir, "/front/catalog.mustache", NULL),
               "{{<layout}}{{$body}}{{>front/deep/item}}{{/body}}{{/layout}}");
    write_file(p, apr_pstrcat(p, dir, "/front/deep/item.mustache", NULL),
               "{{n}}");
    write_file(p, apr_pstrcat(p, dir, "/front/notes.txt", NULL), "{{#x}}");
    write_file(p, apr_pstrcat(p, dir, "/.hidden/bad.mustache", NULL), "{{#x}}");

    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_load_dir(set, dir, &err), APR_SUCCESS);
    assert_null(err);
    assert_true(shop_tpl_set_has(set, "layout"));
    assert_true(shop_tpl_set_has(set, "front/catalog"));
    assert_true(shop_tpl_set_has(set, "front/deep/item"));
    assert_false(shop_tpl_set_has(set, "front/notes"));
    assert_false(shop_tpl_set_has(set, ".hidden/bad"));
    assert_false(shop_tpl_set_has(set, "front/catalog.mustache"));
    assert_string_equal(render(set, "front/catalog", "{\"n\": 7}", p), "[7]");

    /* a compile error names the template */
    write_file(p, apr_pstrcat(p, dir, "/front/deep/broken.mustache", NULL),
               "ok\n{{#x}}");
    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_load_dir(set, dir, &err), APR_EINVAL);
    assert_string_equal(err, "front/deep/broken:2:1: unclosed section 'x'");

    set = shop_tpl_set_create(p);
    assert_int_not_equal(shop_tpl_set_load_dir(set, apr_pstrcat(p, dir,
                                                                "/none", NULL),
                                               &err), APR_SUCCESS);
    assert_non_null(strstr(err, "/none: "));

    apr_file_remove(apr_pstrcat(p, dir, "/front/deep/broken.mustache", NULL),
                    p);
    apr_file_remove(apr_pstrcat(p, dir, "/front/deep/item.mustache", NULL), p);
    apr_file_remove(apr_pstrcat(p, dir, "/front/catalog.mustache", NULL), p);
    apr_file_remove(apr_pstrcat(p, dir, "/front/notes.txt", NULL), p);
    apr_file_remove(apr_pstrcat(p, dir, "/layout.mustache", NULL), p);
    apr_file_remove(apr_pstrcat(p, dir, "/.hidden/bad.mustache", NULL), p);
    apr_dir_remove(apr_pstrcat(p, dir, "/front/deep", NULL), p);
    apr_dir_remove(apr_pstrcat(p, dir, "/front", NULL), p);
    apr_dir_remove(apr_pstrcat(p, dir, "/.hidden", NULL), p);
    apr_dir_remove(dir, p);
    apr_pool_destroy(p);
}

/* Blocks and partials keep the indentation of where they are placed. */
static void test_indentation(void **state)
{
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err = NULL;
    static const char list[] = "<ul>\n{{#items}}\n  <li>{{.}}</li>\n{{/items}}"
                               "\n</ul>\n";
    static const char page[] = "<div>\n  {{>list}}\n\n  {{>list}}</div>\n";

    (void)state;
    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_add(set, "list", list, strlen(list), &err),
                     APR_SUCCESS);
    assert_int_equal(shop_tpl_set_add(set, "page", page, strlen(page), &err),
                     APR_SUCCESS);
    /* an empty line of a partial gets no trailing blanks; an inline partial
     * is not indented */
    assert_string_equal(render(set, "page", "{\"items\": [1, 2]}", p),
                        "<div>\n  <ul>\n    <li>1</li>\n    <li>2</li>\n"
                        "  </ul>\n\n  <ul>\n  <li>1</li>\n  <li>2</li>\n"
                        "</ul>\n</div>\n");
    apr_pool_destroy(p);
}

/* Threads rendering one set over one shared data object, as httpd's workers
 * do: same output every time, data untouched. */
typedef struct {
    const shop_tpl_set_t *set;
    struct json_object *layers[2];
    const char *expected;
    int bad;
} shared_t;

static void *APR_THREAD_FUNC render_many(apr_thread_t *thd, void *data)
{
    shared_t *sh = data;
    apr_pool_t *p;
    int i;

    apr_pool_create_unmanaged_ex(&p, NULL, NULL);
    for (i = 0; i < 300; i++) {
        const char *out;

        if (shop_tpl_render_layers(sh->set, "page", sh->layers, 2, p, &out,
                                   NULL) != APR_SUCCESS
            || strcmp(out, sh->expected) != 0) {
            sh->bad++;
        }
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    /* a plain return: apr_thread_exit() unwinds in a way ASan misreads */
    (void)thd;
    return NULL;
}

static void test_concurrent_renders(void **state)
{
    static const char layout[] = "<title>{{$t}}{{str.title}}{{/t}}</title>\n"
                                 "  {{$body}}\n  {{/body}}\n";
    static const char page[] = "{{<layout}}{{$body}}\n{{#items}}\n"
                               "<li>{{name}} {{price}}</li>\n{{/items}}\n"
                               "{{/body}}{{/layout}}\n";
    apr_thread_t *thr[4];
    shared_t sh;
    apr_pool_t *p;
    shop_tpl_set_t *set;
    const char *err;
    apr_status_t rv;
    int i;

    (void)state;
    apr_pool_create(&p, root);
    set = shop_tpl_set_create(p);
    assert_int_equal(shop_tpl_set_add(set, "layout", layout, strlen(layout),
                                      &err), APR_SUCCESS);
    assert_int_equal(shop_tpl_set_add(set, "page", page, strlen(page), &err),
                     APR_SUCCESS);
    memset(&sh, 0, sizeof(sh));
    sh.set = set;
    sh.layers[0] = json_tokener_parse("{\"str\": {\"title\": \"Shop\"}}");
    sh.layers[1] = json_tokener_parse("{\"items\": [{\"name\": \"a<\","
                                      " \"price\": 1.5}, {\"name\": \"b\","
                                      " \"price\": 2}]}");
    assert_int_equal(shop_tpl_render_layers(set, "page", sh.layers, 2, p,
                                            &sh.expected, NULL), APR_SUCCESS);
    assert_string_equal(sh.expected, "<title>Shop</title>\n"
                                     "  <li>a&lt; 1.5</li>\n"
                                     "  <li>b 2</li>\n");
    for (i = 0; i < 4; i++) {
        assert_int_equal(apr_thread_create(&thr[i], NULL, render_many, &sh, p),
                         APR_SUCCESS);
    }
    for (i = 0; i < 4; i++) {
        apr_thread_join(&rv, thr[i]);
    }
    assert_int_equal(sh.bad, 0);
    assert_int_equal(json_object_put(sh.layers[0]), 1);
    assert_int_equal(json_object_put(sh.layers[1]), 1);
    apr_pool_destroy(p);
}

int main(void)
{
    static const struct CMUnitTest own[] = {
        cmocka_unit_test(test_spec_files_known),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_layout_inheritance),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_work_limits),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_indentation),
        cmocka_unit_test(test_concurrent_renders),
    };
    struct CMUnitTest *spec;
    struct json_object *files[sizeof(spec_files) / sizeof(spec_files[0])];
    spec_case_t *cases;
    size_t nfiles = sizeof(spec_files) / sizeof(spec_files[0]), i, n = 0;
    int failed;

    apr_initialize();
    apr_pool_create(&root, NULL);

    for (i = 0; i < nfiles; i++) {
        const char *path = apr_pstrcat(root, SPEC_DIR "/", spec_files[i],
                                       ".json", NULL);
        struct json_object *tests;

        files[i] = json_object_from_file(path);
        if (files[i] == NULL
            || !json_object_object_get_ex(files[i], "tests", &tests)) {
            fprintf(stderr, "cannot read %s\n", path);
            return 1;
        }
        n += json_object_array_length(tests);
    }
    spec = calloc(n, sizeof(*spec));
    cases = calloc(n, sizeof(*cases));
    n = 0;
    for (i = 0; i < nfiles; i++) {
        struct json_object *tests, *name;
        size_t k;

        json_object_object_get_ex(files[i], "tests", &tests);
        for (k = 0; k < json_object_array_length(tests); k++) {
            cases[n].file = spec_files[i];
            cases[n].test = json_object_array_get_idx(tests, k);
            json_object_object_get_ex(cases[n].test, "name", &name);
            spec[n].name = apr_pstrcat(root, spec_files[i], ": ",
                                       json_object_get_string(name), NULL);
            spec[n].test_func = run_spec_case;
            spec[n].initial_state = &cases[n];
            n++;
        }
    }
    printf("mustache spec: %zu tests in %zu files\n", n, nfiles);
    failed = _cmocka_run_group_tests("mustache_spec", spec, n, NULL, NULL);
    failed += cmocka_run_group_tests_name("mustache_own", own, NULL, NULL);

    free(spec);
    free(cases);
    for (i = 0; i < nfiles; i++) {
        json_object_put(files[i]);
    }
    apr_pool_destroy(root);
    apr_terminate();
    return failed ? 1 : 0;
}
