/* Required-data descriptors are JSON typed by staff: the validator must
 * answer every input without crashing, and an error must point inside it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/required_data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int nfields = -1;
    shop_rd_error_t err;
    apr_status_t rv = shop_required_data_validate((const char *)data, size, &nfields, &err);
    if (rv == APR_SUCCESS && nfields < 0) abort();
    if (rv != APR_SUCCESS && err.offset > size) abort();
    return 0;
}
