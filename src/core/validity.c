/* Validity windows of product instances (validity.h). */
#include "core/validity.h"

#include <string.h>

#define DAY 86400
/* 2100-01-01: a later absolute date is a typo */
#define MAX_TIME APR_INT64_C(4102444800)

static int given(const char *s)
{
    return s && *s;
}

/* Decimal digits only, at most `max`; -1 when not. */
static apr_int64_t number(const char *s, apr_int64_t max)
{
    apr_int64_t v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
        if (v > max) return -1;
    }
    return v;
}

int shop_validity_compute(const char *starttime, const char *endtime, const char *duration, int renewable,
                          apr_int64_t now, apr_int64_t *start, apr_int64_t *end, const char **error)
{
    *start = now;
    *end = 0;
    *error = NULL;
    if (given(starttime) && (*start = number(starttime, MAX_TIME)) < 0) {
        *error = "starttime is not a Unix time";
        return -1;
    }
    if (given(endtime)) {
        apr_size_t n = strlen(endtime);
        char unit = endtime[n - 1];
        if (endtime[0] == '+' && n > 2 && (unit == 'D' || unit == 'd' || unit == 'H' || unit == 'h')) {
            char digits[16];
            apr_int64_t count = -1;
            if (n - 2 < sizeof(digits)) {
                memcpy(digits, endtime + 1, n - 2);
                digits[n - 2] = '\0';
                count = number(digits, unit == 'D' || unit == 'd' ? SHOP_VALIDITY_MAX_DAYS : SHOP_VALIDITY_MAX_DAYS * 24);
            }
            if (count < 0) {
                *error = "endtime is not +<days>D or +<hours>H";
                return -1;
            }
            *end = *start + count * (unit == 'D' || unit == 'd' ? DAY : 3600);
        }
        else if ((*end = number(endtime, MAX_TIME)) < 0) {
            *error = "endtime is neither a Unix time nor +<days>D or +<hours>H";
            return -1;
        }
    }
    else if (given(duration)) {
        apr_int64_t days = number(duration, SHOP_VALIDITY_MAX_DAYS);
        if (days < 0) {
            *error = "duration is not a number of days";
            return -1;
        }
        *end = *start + days * DAY;
    }
    else if (renewable)
        *end = *start + SHOP_VALIDITY_DEFAULT_DAYS * DAY;
    if (*end != 0 && *end < *start) {
        *error = "endtime is before the start";
        return -1;
    }
    return 0;
}
