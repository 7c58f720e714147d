/* Unit tests for src/core/bill_state.c: every (from, to) pair, allowed or
 * refused, for staff and for the system; the side effects of each; names,
 * parsing, the paid and closed predicates.  The expectations are written
 * here a second time, in another shape (a grid and the lists), so a
 * slip in the table shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/bill_state.h"

/* Rows: from; columns: to, both in enum order
 *   W  PL PE PR SO PA CO PB FA RE CA
 * '.' no transition, 'S' staff only, 'Y' system only, 'B' both. */
static const char *const grid[SHOP_BS_COUNT] = {
    /* WORKING   */ ". S S . . S . . . . B",
    /* PLACED    */ ". . S B B Y . . Y Y B",
    /* PENDING   */ ". . . Y B Y . . Y B B",
    /* PREPROD   */ ". . . . . B B . . . .",
    /* SOLDOUT   */ ". . . . . . B S . . .",
    /* PARTIAL   */ ". . . . Y . S S . . .",
    /* COMPLETE  */ ". . . . . . . S . . .",
    /* PAYBACK   */ ". . . . . . . . . . S",
    /* FAILED    */ ". . . . B . . . . . S",
    /* REFUSED   */ ". . S . B . . . . . .",
    /* CANCELLED */ ". . . . . . . . . . .",
};

static char cell(int from, int to)
{
    return grid[from][to * 2];
}

/* The list of manual transitions (local_shop §4.2), verbatim. */
static const char *const manual[] = {
    "PLACED>PENDING", "PLACED>PREPROD", "PLACED>SOLDOUT", "PLACED>CANCELLED", "PAYBACK>CANCELLED",
    "WORKING>PLACED", "WORKING>PENDING", "WORKING>PARTIAL", "WORKING>CANCELLED", "PENDING>CANCELLED",
    "PENDING>REFUSED", "PENDING>SOLDOUT", "PREPROD>COMPLETE", "PREPROD>PARTIAL", "PARTIAL>COMPLETE",
    "PARTIAL>PAYBACK", "SOLDOUT>COMPLETE", "SOLDOUT>PAYBACK", "REFUSED>PENDING", "REFUSED>SOLDOUT",
    "FAILED>CANCELLED", "FAILED>SOLDOUT",
};

/* Added to local_shop's list: refunding a bill that production completed. */
static const char *const extensions[] = { "COMPLETE>PAYBACK" };

/* What the shop does by itself (payments, gateways, production, cron). */
static const char *const automatic[] = {
    "PLACED>SOLDOUT", "PENDING>SOLDOUT", "PARTIAL>SOLDOUT", "REFUSED>SOLDOUT", "FAILED>SOLDOUT",
    "PLACED>PARTIAL", "PENDING>PARTIAL", "PLACED>REFUSED", "PENDING>REFUSED", "PLACED>FAILED",
    "PENDING>FAILED", "PLACED>CANCELLED", "PENDING>CANCELLED", "WORKING>CANCELLED", "SOLDOUT>COMPLETE",
    "PLACED>PREPROD", "PENDING>PREPROD", "PREPROD>PARTIAL", "PREPROD>COMPLETE",
};

static void split(const char *pair, shop_bill_status_t *from, shop_bill_status_t *to)
{
    char a[16], b[16];
    const char *gt = strchr(pair, '>');
    assert_non_null(gt);
    snprintf(a, sizeof a, "%.*s", (int)(gt - pair), pair);
    snprintf(b, sizeof b, "%s", gt + 1);
    assert_int_equal(shop_bill_status_parse(a, from), 0);
    assert_int_equal(shop_bill_status_parse(b, to), 0);
}

static int listed(const char *const *list, size_t n, int from, int to)
{
    size_t i;
    shop_bill_status_t f, t;
    for (i = 0; i < n; i++) {
        split(list[i], &f, &t);
        if ((int)f == from && (int)t == to)
            return 1;
    }
    return 0;
}

#define PAID_FX  (SHOP_BT_INVOICE | SHOP_BT_SELL_STOCK | SHOP_BT_PAID_AT | SHOP_BT_MAIL_CONFIRM)
#define EFFECTS  (~(unsigned)(SHOP_BT_STAFF | SHOP_BT_SYSTEM))

/* The side effects the issue asks for, by rule. */
static unsigned expected_effects(int from, int to)
{
    switch (to) {
    case SHOP_BS_PENDING:   return SHOP_BT_PREPAY;
    case SHOP_BS_SOLDOUT:   return PAID_FX | SHOP_BT_PREPAY | SHOP_BT_POSTPAY;
    case SHOP_BS_PREPROD:   return SHOP_BT_PREPAY | SHOP_BT_POSTPAY | SHOP_BT_SELL_STOCK;
    case SHOP_BS_CANCELLED: return SHOP_BT_RELEASE_STOCK | SHOP_BT_CREDIT;
    case SHOP_BS_PAYBACK:   return SHOP_BT_CREDIT;
    case SHOP_BS_COMPLETE:  return from == SHOP_BS_SOLDOUT ? 0 : PAID_FX;
    default:                return 0;
    }
}

static void test_every_pair(void **state)
{
    int from, to, allowed = 0, refused = 0;
    (void)state;
    for (from = 0; from < SHOP_BS_COUNT; from++)
        for (to = 0; to < SHOP_BS_COUNT; to++) {
            const shop_bill_transition_t *t = shop_bill_transition_find(from, to);
            char c = cell(from, to);
            int staff = c == 'S' || c == 'B', sys = c == 'Y' || c == 'B';
            if (c == '.') {
                if (t != NULL)
                    fail_msg("%s -> %s should be refused", shop_bill_status_name(from), shop_bill_status_name(to));
                refused++;
                continue;
            }
            if (t == NULL)
                fail_msg("%s -> %s should be allowed", shop_bill_status_name(from), shop_bill_status_name(to));
            allowed++;
            assert_int_equal((int)t->from, from);
            assert_int_equal((int)t->to, to);
            assert_int_equal(!!(t->flags & SHOP_BT_STAFF), staff);
            assert_int_equal(!!(t->flags & SHOP_BT_SYSTEM), sys);
            /* the grid agrees with the lists */
            assert_int_equal(listed(manual, sizeof manual / sizeof *manual, from, to)
                             || listed(extensions, sizeof extensions / sizeof *extensions, from, to), staff);
            assert_int_equal(listed(automatic, sizeof automatic / sizeof *automatic, from, to), sys);
            if ((t->flags & EFFECTS) != expected_effects(from, to))
                fail_msg("%s -> %s effects 0x%x, expected 0x%x", shop_bill_status_name(from),
                         shop_bill_status_name(to), t->flags & EFFECTS, expected_effects(from, to));
            assert_true(from != to);
        }
    assert_int_equal(allowed + refused, SHOP_BS_COUNT * SHOP_BS_COUNT);
    assert_int_equal(allowed, 30);
}

static void test_lists_complete(void **state)
{
    size_t i;
    shop_bill_status_t f, t;
    (void)state;
    assert_int_equal(sizeof manual / sizeof *manual, 22);
    for (i = 0; i < sizeof manual / sizeof *manual; i++) {
        split(manual[i], &f, &t);
        assert_non_null(shop_bill_transition_find(f, t));
        assert_true(shop_bill_transition_find(f, t)->flags & SHOP_BT_STAFF);
    }
    for (i = 0; i < sizeof automatic / sizeof *automatic; i++) {
        split(automatic[i], &f, &t);
        assert_non_null(shop_bill_transition_find(f, t));
        assert_true(shop_bill_transition_find(f, t)->flags & SHOP_BT_SYSTEM);
    }
}

static void test_transitions_from(void **state)
{
    const shop_bill_transition_t *out[SHOP_BS_COUNT];
    int from, to, n, k;
    (void)state;
    for (from = 0; from < SHOP_BS_COUNT; from++) {
        unsigned whos[3] = { SHOP_BT_STAFF, SHOP_BT_SYSTEM, SHOP_BT_STAFF | SHOP_BT_SYSTEM };
        for (k = 0; k < 3; k++) {
            int want = 0;
            n = shop_bill_transitions_from(from, whos[k], out, SHOP_BS_COUNT);
            for (to = 0; to < SHOP_BS_COUNT; to++) {
                char c = cell(from, to);
                int ok = (c == 'B') || (c == 'S' && (whos[k] & SHOP_BT_STAFF)) || (c == 'Y' && (whos[k] & SHOP_BT_SYSTEM));
                want += ok;
            }
            assert_int_equal(n, want);
            while (n-- > 0) {
                assert_int_equal((int)out[n]->from, from);
                assert_true(out[n]->flags & whos[k]);
            }
        }
    }
    /* max is honoured */
    assert_int_equal(shop_bill_transitions_from(SHOP_BS_PLACED, SHOP_BT_SYSTEM, out, 2), 2);
    assert_int_equal(shop_bill_transitions_from(SHOP_BS_PLACED, SHOP_BT_SYSTEM, out, 0), 0);
    /* staff of a PLACED bill: the four buttons, in table order */
    n = shop_bill_transitions_from(SHOP_BS_PLACED, SHOP_BT_STAFF, out, SHOP_BS_COUNT);
    assert_int_equal(n, 4);
    assert_int_equal(out[0]->to, SHOP_BS_PENDING);
    assert_int_equal(out[1]->to, SHOP_BS_PREPROD);
    assert_int_equal(out[2]->to, SHOP_BS_SOLDOUT);
    assert_int_equal(out[3]->to, SHOP_BS_CANCELLED);
    assert_int_equal(shop_bill_transitions_from(SHOP_BS_COMPLETE, SHOP_BT_SYSTEM, out, SHOP_BS_COUNT), 0);
    assert_int_equal(shop_bill_transitions_from(SHOP_BS_COMPLETE, SHOP_BT_STAFF, out, SHOP_BS_COUNT), 1);
    assert_int_equal(shop_bill_transitions_from(SHOP_BS_CANCELLED, SHOP_BT_STAFF | SHOP_BT_SYSTEM, out, SHOP_BS_COUNT), 0);
}

static void test_names(void **state)
{
    static const char *const want[] = { "WORKING", "PLACED", "PENDING", "PREPROD", "SOLDOUT", "PARTIAL",
                                        "COMPLETE", "PAYBACK", "FAILED", "REFUSED", "CANCELLED" };
    shop_bill_status_t s;
    int i;
    (void)state;
    for (i = 0; i < SHOP_BS_COUNT; i++) {
        assert_string_equal(shop_bill_status_name(i), want[i]);
        assert_int_equal(shop_bill_status_parse(want[i], &s), 0);
        assert_int_equal((int)s, i);
    }
    assert_null(shop_bill_status_name(SHOP_BS_COUNT));
    assert_null(shop_bill_status_name((shop_bill_status_t)-1));
    assert_int_equal(shop_bill_status_parse("placed", &s), -1);
    assert_int_equal(shop_bill_status_parse("PLACED ", &s), -1);
    assert_int_equal(shop_bill_status_parse("", &s), -1);
    assert_int_equal(shop_bill_status_parse("RECOVERING", &s), -1);
    assert_int_equal(shop_bill_status_parse(NULL, &s), -1);
}

static void test_predicates(void **state)
{
    int s;
    (void)state;
    for (s = 0; s < SHOP_BS_COUNT; s++) {
        int paid = s == SHOP_BS_SOLDOUT || s == SHOP_BS_COMPLETE || s == SHOP_BS_PAYBACK;
        int closed = s == SHOP_BS_CANCELLED || s == SHOP_BS_REFUSED || s == SHOP_BS_FAILED || s == SHOP_BS_COMPLETE;
        assert_int_equal(shop_bill_status_is_paid(s), paid);
        assert_int_equal(shop_bill_status_is_closed(s), closed);
    }
    /* the invoice is issued only when entering a paid state from an unpaid one */
    for (s = 0; s < SHOP_BS_COUNT; s++) {
        int to;
        for (to = 0; to < SHOP_BS_COUNT; to++) {
            const shop_bill_transition_t *t = shop_bill_transition_find(s, to);
            if (t && (t->flags & SHOP_BT_INVOICE)) {
                assert_true(shop_bill_status_is_paid(to));
                assert_false(shop_bill_status_is_paid(s));
            }
            /* nothing leaves CANCELLED; COMPLETE only for a refund */
            if (s == SHOP_BS_CANCELLED || (s == SHOP_BS_COMPLETE && to != SHOP_BS_PAYBACK))
                assert_null(t);
        }
    }
}

static void test_reason_required(void **state)
{
    int s;
    (void)state;
    for (s = 0; s < SHOP_BS_COUNT; s++) {
        int want = s == SHOP_BS_CANCELLED || s == SHOP_BS_PAYBACK || s == SHOP_BS_REFUSED;
        assert_int_equal(shop_bill_reason_required(s, 0), want);
        assert_int_equal(shop_bill_reason_required(s, 1), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_lists_complete),
        cmocka_unit_test(test_transitions_from),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_predicates),
        cmocka_unit_test(test_reason_required),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
