/* Unit tests for src/core/seats.c: seats per line, required roles, the
 * participant's normalisation and checks, assignments and completeness. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>

#include "core/seats.h"

static apr_pool_t *pool;

static const char *role(apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, const char *);
}

static void test_seat_count(void **state)
{
    (void)state;
    assert_int_equal(shop_seats_count("none", 5), 0);
    assert_int_equal(shop_seats_count("one", 5), 1);
    assert_int_equal(shop_seats_count("per_unit", 5), 5);
    assert_int_equal(shop_seats_count("per_unit", 0), 0);
    assert_int_equal(shop_seats_count("one", 0), 0);
    assert_int_equal(shop_seats_count("bogus", 3), 0);
    assert_int_equal(shop_seats_count(NULL, 3), 0);
}

static void test_required_roles(void **state)
{
    (void)state;
    apr_array_header_t *r = shop_seats_roles(pool, NULL);
    assert_int_equal(r->nelts, 1);
    assert_string_equal(role(r, 0), "student");
    r = shop_seats_roles(pool, "{\"requiredroles\": \"student\"}");
    assert_int_equal(r->nelts, 1);
    r = shop_seats_roles(pool, "{\"requiredroles\": \" Teacher , _supervisor,student, teacher,bad role,x<y\"}");
    assert_int_equal(r->nelts, 3);
    assert_string_equal(role(r, 0), "student");
    assert_string_equal(role(r, 1), "teacher");
    assert_string_equal(role(r, 2), "supervisor");      /* local_shop's _supervisor */
    r = shop_seats_roles(pool, "not json");
    assert_int_equal(r->nelts, 1);
    r = shop_seats_roles(pool, "{\"requiredroles\": 3}");
    assert_int_equal(r->nelts, 1);
    r = shop_seats_roles(pool, "{\"requiredroles\": \"a,b,c,d,e,f,g,h,i,j\"}");
    assert_int_equal(r->nelts, SHOP_SEATS_MAX_ROLES);
    assert_int_equal(shop_seats_role_cap("student", 3, 5), 3);
    assert_int_equal(shop_seats_role_cap("teacher", 1, 5), 5);
}

static void test_normalise(void **state)
{
    (void)state;
    shop_participant_t pt = { "  de la  fontaine ", "jean-PIERRE  o'neil", "  Jean.Dupont@Example.COM ",
                              "saint-étienne", " 06 12 ", " Acme ", 0 };
    shop_participant_normalise(pool, &pt);
    assert_string_equal(pt.lastname, "DE LA FONTAINE");
    assert_string_equal(pt.firstname, "Jean-Pierre O'Neil");
    assert_string_equal(pt.email, "jean.dupont@example.com");
    assert_string_equal(pt.city, "SAINT-ÉTIENNE");
    assert_string_equal(pt.phone, "06 12");
    assert_string_equal(pt.institution, "Acme");

    shop_participant_t acc = { "lœuvre", "ÉLODIE", "a@b.fr", "żory", NULL, NULL, 0 };
    shop_participant_normalise(pool, &acc);
    assert_string_equal(acc.lastname, "LŒUVRE");
    assert_string_equal(acc.firstname, "Élodie");
    assert_string_equal(acc.city, "ŻORY");
    assert_string_equal(acc.phone, "");
    /* ß has no one-character capital; ÿ does (Ÿ); non-Latin text is kept */
    shop_participant_t other = { "straße ÿ", "ñandú", "a@b.fr", "東京", NULL, NULL, 0 };
    shop_participant_normalise(pool, &other);
    assert_string_equal(other.lastname, "STRAßE Ÿ");
    assert_string_equal(other.firstname, "Ñandú");
    assert_string_equal(other.city, "東京");
}

static int has(shop_seats_error_t *e, int n, const char *field, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].field, field) == 0 && strcmp(e[i].key, key) == 0) return 1;
    return 0;
}

static void test_validate(void **state)
{
    (void)state;
    shop_seats_error_t e[SHOP_PARTICIPANT_NFIELDS];
    shop_participant_t ok = { "DUPONT", "Jean", "jean@example.com", "", "", "", 0 };
    assert_int_equal(shop_participant_validate(&ok, 0, 0, e), 0);

    shop_participant_t empty = { "", "", "", "", "", "", 0 };
    int n = shop_participant_validate(&empty, 1, 1, e);
    assert_int_equal(n, 5);
    assert_true(has(e, n, "lastname", "participant_error_required"));
    assert_true(has(e, n, "firstname", "participant_error_required"));
    assert_true(has(e, n, "email", "participant_error_required"));
    assert_true(has(e, n, "phone", "participant_error_required"));
    assert_true(has(e, n, "institution", "participant_error_required"));

    char longname[160];
    memset(longname, 'A', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    shop_participant_t bad = { "<b>X</b>", longname, "not-an-email", "PARIS\x01", "12", "", 0 };
    n = shop_participant_validate(&bad, 1, 0, e);
    assert_int_equal(n, 5);
    assert_true(has(e, n, "lastname", "participant_error_name_invalid"));
    assert_true(has(e, n, "firstname", "participant_error_name_too_long"));
    assert_true(has(e, n, "email", "participant_error_email_invalid"));
    assert_true(has(e, n, "city", "participant_error_text_invalid"));
    assert_true(has(e, n, "phone", "participant_error_phone_invalid"));
    /* optional phone: not asked, not checked when empty */
    shop_participant_t nophone = { "DUPONT", "Jean", "jean@example.com", "", "", "", 0 };
    assert_int_equal(shop_participant_validate(&nophone, 0, 1, e), 1);
    assert_string_equal(e[0].field, "institution");
}

static void test_json_round_trip(void **state)
{
    (void)state;
    shop_participant_t pt = { "DUPONT", "Jean", "jean@example.com", "LYON", "", "Acme", 42 }, back;
    json_object *o = shop_participant_json(&pt);
    shop_participant_from_json(pool, o, &back);
    assert_string_equal(back.lastname, "DUPONT");
    assert_string_equal(back.institution, "Acme");
    assert_int_equal(back.userid, 42);
    json_object *list = json_object_new_array();
    json_object_array_add(list, o);
    assert_int_equal(shop_participants_find(list, "JEAN@example.com"), 0);
    assert_int_equal(shop_participants_find(list, "other@example.com"), -1);
    assert_int_equal(shop_participants_find(NULL, "x"), -1);
    json_object_put(list);
    assert_string_equal(shop_seats_email_key(pool, " A@B.Fr "), "a@b.fr");
}

static json_object *people(int n)
{
    json_object *list = json_object_new_array();
    for (int i = 0; i < n; i++) {
        char email[32];
        snprintf(email, sizeof(email), "p%d@example.com", i);
        shop_participant_t pt = { "X", "Y", email, "", "", "", 0 };
        json_object_array_add(list, shop_participant_json(&pt));
    }
    return list;
}

static void assign(json_object *a, const char *r, const char *email)
{
    json_object *list;
    if (!json_object_object_get_ex(a, r, &list)) {
        list = json_object_new_array();
        json_object_object_add(a, r, list);
    }
    json_object_array_add(list, json_object_new_string(email));
}

static void test_assignments_and_completeness(void **state)
{
    (void)state;
    shop_seat_line_t line = { "S", 3, 3, shop_seats_roles(pool, "{\"requiredroles\": \"student,teacher\"}") };
    json_object *a = json_object_new_object();
    assert_false(shop_seats_line_complete(&line, NULL));
    assert_string_equal(shop_seats_assign_check(&line, a, "student", "p0@example.com", 0), "participant_error_unknown");
    assert_string_equal(shop_seats_assign_check(&line, a, "manager", "p0@example.com", 1), "assign_error_role");
    assert_null(shop_seats_assign_check(&line, a, "student", "p0@example.com", 1));
    assign(a, "student", "p0@example.com");
    assert_string_equal(shop_seats_assign_check(&line, a, "student", "p0@example.com", 1), "assign_error_duplicate");
    assert_string_equal(shop_seats_assign_check(&line, a, "teacher", "P0@example.com", 1), "assign_error_duplicate");
    assign(a, "student", "p1@example.com");
    assign(a, "student", "p2@example.com");
    assert_string_equal(shop_seats_assign_check(&line, a, "student", "p3@example.com", 1), "assign_error_full");
    assert_false(shop_seats_line_complete(&line, a));        /* the teacher is missing */
    assign(a, "teacher", "p3@example.com");
    assert_true(shop_seats_line_complete(&line, a));
    assert_int_equal(shop_seats_held(a, "student"), 3);

    /* the quantity goes down to 2: the third student goes, the line is complete again with 2 */
    json_object *ps = people(5);
    line.quantity = line.seats = 2;
    assert_int_equal(shop_seats_prune(&line, a, ps), 1);
    assert_int_equal(shop_seats_held(a, "student"), 2);
    assert_true(shop_seats_line_complete(&line, a));
    assert_int_equal(shop_seats_prune(&line, a, ps), 0);     /* idempotent */

    /* a participant removed, a role the product no longer asks for, junk */
    json_object_array_del_idx(ps, 0, 1);
    assign(a, "manager", "p4@example.com");
    json_object_object_add(a, "teacher2", json_object_new_int(3));
    assign(a, "student", "p1@example.com");                 /* a repeat */
    assert_int_equal(shop_seats_prune(&line, a, ps), 4);
    assert_int_equal(shop_seats_held(a, "student"), 1);
    assert_false(json_object_object_get_ex(a, "manager", NULL));
    assert_false(json_object_object_get_ex(a, "teacher2", NULL));
    assert_false(shop_seats_line_complete(&line, a));
    json_object_put(a);
    json_object_put(ps);

    /* "one" seat mode: one student whatever the quantity, other roles up to the quantity */
    shop_seat_line_t one = { "C", 10, 1, shop_seats_roles(pool, "{\"requiredroles\": \"student,teacher\"}") };
    a = json_object_new_object();
    assign(a, "student", "p0@example.com");
    assert_string_equal(shop_seats_assign_check(&one, a, "student", "p1@example.com", 1), "assign_error_full");
    assert_null(shop_seats_assign_check(&one, a, "teacher", "p1@example.com", 1));
    json_object_put(a);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seat_count),
        cmocka_unit_test(test_required_roles),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_assignments_and_completeness),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
