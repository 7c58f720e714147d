/* SMTP delivery with libcurl: see smtp_send.h. */
#include "services/smtp_send.h"

#include <apr_strings.h>
#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

struct shop_smtp {
    CURL *curl;
    const char *url;
    const char *password;       /* of the URL's user info, masked in errors; NULL = none */
    long connect_timeout, timeout;
};

/* libcurl's global state: made once per process (thread-safe since 7.84,
 * and once only either way). */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_start(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static apr_status_t close_curl(void *data)
{
    shop_smtp_t *s = data;
    curl_easy_cleanup(s->curl);
    return APR_SUCCESS;
}

/* The password of smtp://user:password@host, or NULL. */
static const char *url_password(apr_pool_t *p, const char *url)
{
    const char *auth = strstr(url, "://");
    if (!auth) return NULL;
    auth += 3;
    const char *end = auth + strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *c = auth; c < end; c++)
        if (*c == '@') at = c;
    if (!at) return NULL;
    const char *colon = memchr(auth, ':', at - auth);
    return colon && at > colon + 1 ? apr_pstrmemdup(p, colon + 1, at - colon - 1) : NULL;
}

shop_smtp_t *shop_smtp_open(apr_pool_t *p, const char *url, int hurry, const char **error)
{
    pthread_once(&curl_once, curl_start);
    shop_smtp_t *s = apr_pcalloc(p, sizeof(*s));
    s->curl = curl_easy_init();
    if (!s->curl) {
        *error = "libcurl could not make a handle";
        return NULL;
    }
    apr_pool_cleanup_register(p, s, close_curl, apr_pool_cleanup_null);
    s->url = apr_pstrdup(p, url);
    s->password = url_password(p, url);
    s->connect_timeout = hurry ? 1 : SHOP_SMTP_CONNECT_TIMEOUT;
    s->timeout = hurry ? 5 : SHOP_SMTP_TIMEOUT;
    return s;
}

typedef struct upload {
    const char *data;
    apr_size_t len, pos;
} upload_t;

static size_t read_message(char *buf, size_t size, size_t nitems, void *baton)
{
    upload_t *u = baton;
    size_t room = size * nitems, left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

/* Only printable ASCII goes to last_error and the logs; the password never. */
static const char *clean_error(apr_pool_t *p, const shop_smtp_t *s, const char *text)
{
    char *out = apr_pstrdup(p, text), *o = out;
    for (const char *c = out; *c; c++) *o++ = ((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f) ? *c : ' ';
    *o = '\0';
    while (o > out && o[-1] == ' ') *--o = '\0';
    if (s->password) {
        char *hit;
        while ((hit = strstr(out, s->password)) != NULL)
            out = apr_pstrcat(p, apr_pstrmemdup(p, out, hit - out), "***", hit + strlen(s->password), NULL);
    }
    return out;
}

shop_smtp_result_t shop_smtp_send(shop_smtp_t *s, apr_pool_t *p, const char *from, const char *to,
                                  const char *msg, apr_size_t len, const char **error)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    upload_t up = { msg, len, 0 };
    struct curl_slist *rcpt = curl_slist_append(NULL, apr_pstrcat(p, "<", to, ">", NULL));
    if (!rcpt) {
        *error = "out of memory";
        return SHOP_SMTP_FAILED;
    }
    CURL *c = s->curl;
    curl_easy_setopt(c, CURLOPT_URL, s->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, apr_pstrcat(p, "<", from, ">", NULL));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, s->connect_timeout);   /* the greeting included */
    curl_easy_setopt(c, CURLOPT_TIMEOUT, s->timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);              /* httpd threads: no SIGALRM */
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(c, CURLOPT_READDATA, NULL);
    curl_slist_free_all(rcpt);
    if (rc == CURLE_OK) return SHOP_SMTP_OK;
    const char *why = *errbuf ? errbuf : curl_easy_strerror(rc);
    *error = clean_error(p, s, code ? apr_psprintf(p, "SMTP %ld: %s", code, why) : why);
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST) return SHOP_SMTP_UNREACHABLE;
    if (rc == CURLE_OPERATION_TIMEDOUT) return SHOP_SMTP_TIMED_OUT;
    return SHOP_SMTP_FAILED;
}
