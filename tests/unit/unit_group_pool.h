/* The fixture of unit tests whose helpers allocate outside the test body:
 * APR initialised and one pool, `pool`, for the whole group (cmocka group
 * setup / teardown: cmocka_run_group_tests(tests, setup, teardown)).
 * unit_pool.h is the per-test one. */
#ifndef SHOP_TESTS_UNIT_GROUP_POOL_H
#define SHOP_TESTS_UNIT_GROUP_POOL_H

#include <apr_general.h>
#include <apr_pools.h>

static apr_pool_t *pool;

static int setup(void **state)
{
    (void)state;
    apr_initialize();
    return apr_pool_create(&pool, NULL) == APR_SUCCESS ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}

#endif
