/* Seats and participants of an order (local_shop step "users", §3.5): how
 * many seats a cart line holds, which roles its product asks for, the people
 * the buyer names (participants) and who holds which seat (assignments).
 *
 * Seats of a line: seat_mode "none" 0, "one" 1, "per_unit" the quantity.
 *
 * Roles of a product: "student" first, then the comma list of the
 * action_params JSON key "requiredroles" (trimmed, lower-cased, names
 * [a-z0-9_]{1,SHOP_SEATS_ROLE_MAX}, duplicates and bad names ignored, at most
 * SHOP_SEATS_MAX_ROLES).  local_shop maps "supervisor" to its pseudo-role
 * "_supervisor"; we keep (and accept both spellings as) "supervisor" in the
 * API and the session, the actions layer translating it when it enrols.
 *
 * Assignments of a line, a JSON object {role: ["email", ...]}:
 *   - only participants of the order, only roles the product asks for;
 *   - "student" at most the line's seats, any other role at most the line's
 *     quantity (local_shop's cap: assigns <= quantity);
 *   - a person holds at most one role on one product (a trainee who is also
 *     the session's teacher is a mistake a buyer wants to hear about).
 * A line is complete when exactly its seats are held by students and every
 * other role it asks for is held by at least one person: local_shop only
 * counted assignments >= seats, which let a session go out without the
 * teacher or supervisor its action needs.
 *
 * Participants, a JSON array of objects {"lastname","firstname","email",
 * "city","phone","institution","userid"}, one per email (lower-cased), at
 * most SHOP_SEATS_MAX_PARTICIPANTS per order.
 *
 * Pure: no I/O.  Strings are allocated in the pool given; json-c objects
 * passed in are read or changed in place, never released. */
#ifndef SHOP_CORE_SEATS_H
#define SHOP_CORE_SEATS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json.h>

#define SHOP_SEATS_MAX_PARTICIPANTS 200   /* people named in one order */
#define SHOP_SEATS_MAX_ROLES        8     /* roles of one product, "student" included */
#define SHOP_SEATS_ROLE_MAX         32    /* bytes of a role name */
#define SHOP_PARTICIPANT_CITY_MAX   100   /* characters */
#define SHOP_PARTICIPANT_ORG_MAX    255   /* characters of an institution */
#define SHOP_PARTICIPANT_NFIELDS    6

/* Seats of a line (0 for an unknown mode or a quantity < 1). */
apr_int64_t shop_seats_count(const char *seat_mode, apr_int64_t quantity);

/* The roles of a product (const char *, "student" first); action_params may
 * be NULL or unreadable (then only "student"). */
apr_array_header_t *shop_seats_roles(apr_pool_t *p, const char *action_params);

/* How many people a role of a line may hold (rules above). */
apr_int64_t shop_seats_role_cap(const char *role, apr_int64_t seats, apr_int64_t quantity);

typedef struct shop_participant {
    const char *lastname, *firstname, *email, *city, *phone, *institution;  /* NULL = "" */
    apr_int64_t userid;        /* Moodle account recognised by email, 0 = none */
} shop_participant_t;

/* In place, copies in p: every field trimmed, runs of spaces made one,
 * LASTNAME and CITY upper-cased, Firstname capitalised per word (after a
 * space, hyphen or apostrophe; the rest lower-cased), email lower-cased.
 * Case mapping covers ASCII, Latin-1 and Latin Extended-A (é -> É, œ -> Œ),
 * other characters are kept. */
void shop_participant_normalise(apr_pool_t *p, shop_participant_t *pt);

/* One field error: field name ("lastname", ...) and a message key of
 * templates/lang (participant_error_*). */
typedef struct shop_seats_error {
    const char *field;
    const char *key;
} shop_seats_error_t;

/* Check a normalised participant: lastname, firstname, email required
 * (names by shop_validate_person_name, email by shop_validate_email), city
 * optional text, phone required when phone_required (shop_validate_phone),
 * institution required when org_required.  Fills errs (at most
 * SHOP_PARTICIPANT_NFIELDS, one per field) and returns their number. */
int shop_participant_validate(const shop_participant_t *pt, int phone_required, int org_required,
                              shop_seats_error_t errs[SHOP_PARTICIPANT_NFIELDS]);

/* The participant as stored ({"lastname", ..., "userid"}). */
json_object *shop_participant_json(const shop_participant_t *pt);

/* Read a stored or submitted participant object (strings copied in p;
 * missing or non-string fields are ""). */
void shop_participant_from_json(apr_pool_t *p, json_object *o, shop_participant_t *pt);

/* Index of the participant with this email (compared without case) in the
 * participants array, or -1. */
int shop_participants_find(json_object *participants, const char *email);

/* Trimmed, lower-cased email (ASCII), in p. */
const char *shop_seats_email_key(apr_pool_t *p, const char *email);

/* A seat line as the checks see it. */
typedef struct shop_seat_line {
    const char *code;
    apr_int64_t quantity, seats;
    apr_array_header_t *roles;          /* const char *, from shop_seats_roles() */
} shop_seat_line_t;

/* Is `role` one the line asks for? */
int shop_seats_role_required(const shop_seat_line_t *line, const char *role);

/* May `email` (a normalised key) take `role` on the line, given its
 * assignments so far (an object {role: [emails]}, may be NULL)?  `known`:
 * the email belongs to a participant.  NULL when yes, else a message key:
 * participant_error_unknown, assign_error_role, assign_error_full,
 * assign_error_duplicate. */
const char *shop_seats_assign_check(const shop_seat_line_t *line, json_object *assign, const char *role,
                                    const char *email, int known);

/* Drop what no longer holds from a line's assignments (in place): roles the
 * product does not ask for, non-strings, people no longer participants
 * (participants may be NULL: none), repeats, entries beyond a role's cap
 * (the cart quantity went down).  Returns the number of entries dropped. */
int shop_seats_prune(const shop_seat_line_t *line, json_object *assign, json_object *participants);

/* People holding `role` on the line (0 when none). */
int shop_seats_held(json_object *assign, const char *role);

/* Complete per the rule above (assign may be NULL). */
int shop_seats_line_complete(const shop_seat_line_t *line, json_object *assign);

#endif
