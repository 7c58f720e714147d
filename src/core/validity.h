/* The validity window of a product instance (local_shop §7.1,
 * shop_compute_enrol_time), from the action parameters frozen in the bill
 * line (every value a string, as local_shop's handlerparams):
 *   start: `starttime` (Unix time) when given, else now;
 *   end:   `endtime` when given: Unix time, or "+<n>D" / "+<n>H" after start;
 *          else `duration` days after start when given;
 *          else a year after start for a renewable product;
 *          else 0 (unlimited).
 * The real actions (enrolments, seats) and the default action share it. */
#ifndef SHOP_CORE_VALIDITY_H
#define SHOP_CORE_VALIDITY_H

#include <apr.h>

#define SHOP_VALIDITY_DEFAULT_DAYS  365
#define SHOP_VALIDITY_MAX_DAYS      (100 * 366)     /* longer is a typo */

/* Parameters (NULL or "" = not given).  0 with *start and *end, or -1 with
 * *error (a static English reason for staff: which parameter, what is wrong)
 * when a value is not a number, out of range, or ends before it starts. */
int shop_validity_compute(const char *starttime, const char *endtime, const char *duration, int renewable,
                          apr_int64_t now, apr_int64_t *start, apr_int64_t *end, const char **error);

#endif
