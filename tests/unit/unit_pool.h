/* The fixture most unit tests share: a fresh APR pool per test in *state,
 * destroyed after it (cmocka setup / teardown). */
#ifndef SHOP_TESTS_UNIT_POOL_H
#define SHOP_TESTS_UNIT_POOL_H

#include <apr_pools.h>

static inline int setup(void **state)
{
    apr_pool_t *p;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return -1;
    *state = p;
    return 0;
}

static inline int teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

#endif
