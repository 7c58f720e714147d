/* fuzz_i18n.c — language negotiation over hostile input (the
 * Accept-Language header and the Moodle preference are attacker-controlled).
 *
 * Input: ACCEPT_LANGUAGE [ '\0' MOODLE_LANG [ '\0' DEFAULT_LANG ] ]
 * The answer must always be a loaded language.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_file_io.h>

#include "core/i18n.h"

static apr_pool_t *root;
static shop_i18n_t *i18n;
static char dir[] = "/tmp/fuzz_i18n.XXXXXX";

static const char *const files[][2] = {
    { "en", "{\"hello\": \"Hello\", \"bye\": \"Bye\"}" },
    { "fr", "{\"hello\": \"Bonjour\"}" },
    { "pt_br", "{\"hello\": \"Ol\xc3\xa1\"}" },
    { "zh_cn", "{\"bye\": \"\xe5\x86\x8d\xe8\xa7\x81\"}" },
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void)
{
    apr_pool_t *p;
    size_t i;

    apr_pool_create(&p, NULL);
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const char *sub = apr_pstrcat(p, dir, "/", files[i][0], NULL);

        apr_file_remove(apr_pstrcat(p, sub, "/common.json", NULL), p);
        apr_dir_remove(sub, p);
    }
    apr_dir_remove(dir, p);
    apr_pool_destroy(p);
    /* frees the catalogue, so the leak check at exit finds nothing */
    apr_pool_destroy(root);
    apr_terminate();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *err = NULL;
    size_t i;

    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&root, NULL);
    if (mkdtemp(dir) == NULL) {
        abort();
    }
    atexit(cleanup);
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const char *sub = apr_pstrcat(root, dir, "/", files[i][0], NULL);
        apr_file_t *f;

        if (apr_dir_make(sub, APR_FPROT_OS_DEFAULT, root) != APR_SUCCESS
            || apr_file_open(&f, apr_pstrcat(root, sub, "/common.json", NULL),
                             APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                             APR_FPROT_OS_DEFAULT, root) != APR_SUCCESS
            || apr_file_write_full(f, files[i][1], strlen(files[i][1]), NULL)
               != APR_SUCCESS) {
            abort();
        }
        apr_file_close(f);
    }
    if (shop_i18n_load(root, dir, &i18n, &err) != APR_SUCCESS) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 2);
    const char *accept, *moodle = NULL, *def = NULL, *lang;
    char *nul;

    memcpy(buf, data, size);
    buf[size] = '\0';
    buf[size + 1] = '\0';
    accept = buf;
    nul = memchr(buf, '\0', size);
    if (nul) {
        moodle = nul + 1;
        nul = memchr(moodle, '\0', (size_t)(buf + size - moodle));
        if (nul) {
            def = nul + 1;
        }
    }
    lang = shop_i18n_negotiate(i18n, moodle, accept, def);
    if (lang == NULL || !shop_i18n_has_lang(i18n, lang)) {
        __builtin_trap();
    }
    if (shop_i18n_get(i18n, lang, accept) == NULL
        || shop_i18n_get(i18n, moodle, "hello") == NULL) {
        __builtin_trap();
    }
    shop_i18n_strings(i18n, moodle);
    free(buf);
    return 0;
}
