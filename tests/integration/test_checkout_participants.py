"""Checkout step "participants": people named for the seats and their roles (HTML actions and
PUT /api/v1/checkout/participants)."""
import html as htmllib
import json

from conftest import token as session_token

SESSION = "PM200-SESSION"     # per_unit seats, role student only, has required data
COACHING = "FRBIZ-COACHING"   # one seat, requiredroles student,teacher, no required data
ALICE = "alice.martin@example.com"   # Moodle user 3


def put_cart(s, token, code, quantity):
    r = s.put("/api/v1/cart/items/" + code, json={"quantity": quantity}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text


def put_p(s, token, body):
    return s.put("/api/v1/checkout/participants", json=body, headers={"X-CSRF-Token": token})


def person(i, **over):
    p = {"lastname": "employé%d" % i, "firstname": "jean-marc", "email": "Staff%d@Acme.example" % i, "city": "lyon"}
    p.update(over)
    return p


def steps(s):
    return {x["name"]: x for x in s.get("/api/v1/checkout").json()["steps"]}


def state(s):
    return s.get("/api/v1/checkout").json()["state"]


def seat_cart(new_session, quantity=3, lang=None, code=SESSION, login=None):
    """A cart of `quantity` seats of `code`, with the requirements step done."""
    s = new_session()
    if lang:
        s.headers["Accept-Language"] = lang
    if login:
        assert s.get(login, allow_redirects=True).status_code == 200
    token = session_token(s)
    put_cart(s, token, code, quantity)
    if code == SESSION:
        units = [{"jobtitle": "Poste %d" % i, "funding": "company"} for i in range(quantity)]
        r = s.put("/api/v1/checkout/requirements", json={SESSION: units}, headers={"X-CSRF-Token": token})
        assert r.status_code == 200 and r.json()["next"] == "participants", r.text
    return s, token


def post(s, token, **data):
    data["csrf_token"] = token
    return s.post("/checkout/participants", data=data)


def test_skipped_when_no_seats(new_session):
    s = new_session()
    token = session_token(s)
    put_cart(s, token, "LIVRE-EXCEL", 2)
    r = s.get("/checkout/participants", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/customer")
    assert steps(s)["participants"]["needed"] is False


def test_lost_cart(new_session):
    s = new_session()
    token = session_token(s)
    r = s.get("/checkout/participants", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/?notice=cart_lost")
    r = put_p(s, token, {"participants": [], "assignments": {}})
    assert r.status_code == 409 and r.json()["error"]["code"] == "cart_empty"


def test_requirements_first(new_session):
    s = new_session()
    token = session_token(s)
    put_cart(s, token, SESSION, 1)
    r = s.get("/checkout/participants", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/requirements")


def test_csrf_required(new_session):
    s, token = seat_cart(new_session, 1)
    assert s.post("/checkout/participants", data=dict(person(1), action="add")).status_code == 403
    assert s.put("/api/v1/checkout/participants", json={"participants": [person(1)]}).status_code == 403
    assert "participants" not in state(s)


def test_company_buys_three_seats_api(new_session):
    s, token = seat_cart(new_session, 3)
    people = [person(i) for i in range(3)]
    r = put_p(s, token, {"participants": people,
                         "assignments": {SESSION: {"student": ["staff0@acme.example", "STAFF1@acme.example"]}}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["complete"] is False and body["next"] == "participants" and body["seats_left"] == 1
    # normalised: LASTNAME, Firstname, CITY, email lower case
    p0 = body["participants"][0]
    assert (p0["lastname"], p0["firstname"], p0["city"], p0["email"]) == \
        ("EMPLOYÉ0", "Jean-Marc", "LYON", "staff0@acme.example")
    assert "userid" not in p0                    # an anonymous buyer is not told who has an account
    r = put_p(s, token, {"participants": people,
                         "assignments": {SESSION: {"student": [p["email"] for p in people]}}})
    assert r.status_code == 200 and r.json()["complete"] is True and r.json()["next"] == "customer"
    assert r.json()["seats_left"] == 0
    st = state(s)
    assert st["assignments"][SESSION]["student"] == ["staff0@acme.example", "staff1@acme.example", "staff2@acme.example"]
    assert len(st["participants"]) == 3
    r = s.get("/checkout/participants", allow_redirects=False)
    assert r.status_code == 200 and "Every seat is assigned." in r.text


def test_company_buys_three_seats_html(new_session):
    s, token = seat_cart(new_session, 3)
    page = s.get("/checkout/participants").text
    assert "3 seats remain to be assigned." in page and "disabled" in page and 'id="next-help"' in page
    for i in range(3):
        r = post(s, token, action="add", **person(i))
        assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/participants"), r.text
    # Next refused while seats are free
    r = post(s, token, nav="next")
    assert r.status_code == 400 and "Not every seat is assigned yet" in r.text
    for i in range(3):
        r = post(s, token, action="assign", code=SESSION, role="student", email="staff%d@acme.example" % i)
        assert r.status_code == 303, r.text
    page = s.get("/checkout/participants").text
    assert "Every seat is assigned." in page and "EMPLOYÉ2" in page and 'id="next-help"' not in page
    assert "(3/3)" in page and 'value="assign"' not in page          # no select once the role is full
    r = post(s, token, nav="next")
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/customer")
    r = post(s, token, nav="back")
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/requirements")
    # unassign and remove
    assert post(s, token, action="unassign", code=SESSION, role="student", email="staff2@acme.example").status_code == 303
    assert steps(s)["participants"]["complete"] is False
    assert post(s, token, action="remove", email="staff1@acme.example").status_code == 303
    st = state(s)
    assert st["assignments"][SESSION]["student"] == ["staff0@acme.example"]     # removal took the seat
    assert [p["email"] for p in st["participants"]] == ["staff0@acme.example", "staff2@acme.example"]


def test_moodle_account_recognised_by_email(new_session, shopctl, db):
    # a logged-in buyer (a company entering its staff) sees who already has an account
    s, token = seat_cart(new_session, 1, lang="fr", login=shopctl("ticket", "4").stdout.strip())
    token = session_token(s)
    r = post(s, token, action="add", lastname="Martin", firstname="alice", email=" Alice.Martin@Example.com ")
    assert r.status_code == 303
    p = state(s)["participants"][0]
    assert p["userid"] == 3 and p["email"] == ALICE and p["lastname"] == "MARTIN"
    page = htmllib.unescape(s.get("/checkout/participants", headers={"Accept-Language": "en"}).text)
    assert "has an account" in page                                  # Bob's Moodle language is English
    r = put_p(s, token, {"participants": [person(1), {"lastname": "Martin", "firstname": "Alice", "email": ALICE,
                                                      "userid": 99}]})
    assert [x["userid"] for x in r.json()["participants"]] == [0, 3]              # the client's userid is ignored


def test_accounts_recognised_but_not_revealed_to_anonymous_buyers(new_session, db):
    s, token = seat_cart(new_session, 1, lang="fr")
    r = post(s, token, action="add", lastname="Martin", firstname="alice", email=ALICE)
    assert r.status_code == 303
    p = state(s)["participants"][0]
    assert "userid" not in p and p["email"] == ALICE
    page = htmllib.unescape(s.get("/checkout/participants").text)
    assert "a déjà un compte" not in page
    r = put_p(s, token, {"participants": [{"lastname": "Martin", "firstname": "Alice", "email": ALICE}]})
    assert r.status_code == 200 and "userid" not in r.json()["participants"][0]
    # the shop itself knows: the session (server side) holds the account id for the order
    sid = s.cookies["ShopSession"].split(".")[0]
    data = json.loads(db.scalar("SELECT data FROM {shop}session WHERE id = %s", sid))
    assert data["checkout"]["1"]["participants"][0]["userid"] == 3


def test_add_myself(new_session, shopctl):
    s, token = seat_cart(new_session, 1, login=shopctl("ticket", "4").stdout.strip())
    token = session_token(s)
    page = s.get("/checkout/participants").text
    assert 'value="add_self"' in page
    r = post(s, token, action="add_self")
    assert r.status_code == 303
    p = state(s)["participants"][0]
    assert p["userid"] == 4 and p["email"]
    assert 'value="add_self"' not in s.get("/checkout/participants").text
    anon, t2 = seat_cart(new_session, 1)
    assert post(anon, t2, action="add_self").status_code == 400


def test_field_errors_html(new_session):
    s, token = seat_cart(new_session, 1)
    r = post(s, token, action="add", lastname="", firstname="<b>", email="not-an-email", city="x" * 101)
    assert r.status_code == 400
    page = htmllib.unescape(r.text)
    assert 'id="p-lastname-error">This field is required.' in page
    assert 'id="p-firstname-error">This name contains characters that are not allowed.' in page
    assert 'id="p-email-error">Enter a valid e-mail address.' in page
    assert 'id="p-city-error">This text is too long.' in page
    assert 'value="not-an-email"' in page                                       # typed values kept
    assert post(s, token, action="add", **person(1)).status_code == 303
    r = post(s, token, action="add", **person(1))
    assert r.status_code == 400 and "already listed" in r.text
    r = post(s, token, action="assign", code=SESSION, role="student", email="nobody@example.com")
    assert r.status_code == 400 and "not among the participants" in r.text
    r = post(s, token, action="assign", code=SESSION, role="teacher", email="staff1@acme.example")
    assert r.status_code == 400 and "does not ask for this role" in r.text
    r = post(s, token, action="assign", code="LIVRE-EXCEL", role="student", email="staff1@acme.example")
    assert r.status_code == 400 and "has no seats" in r.text
    r = post(s, token, action="explode")
    assert r.status_code == 400
    assert len(state(s)["participants"]) == 1                                   # the cart and list survive
    assert s.get("/api/v1/cart").json()["lines"][0]["code"] == SESSION


def test_field_errors_in_french(new_session):
    s, token = seat_cart(new_session, 1, lang="fr")
    r = post(s, token, action="add", lastname="Dupont", firstname="Jean", email="jean@")
    assert r.status_code == 400
    assert 'id="p-email-error">Saisissez une adresse de courriel valide.' in htmllib.unescape(r.text)
    r = put_p(s, token, {"participants": [person(0, email="x")]})
    assert r.json()["error"]["fields"]["participants.0.email"] == "Saisissez une adresse de courriel valide."


def test_field_errors_api(new_session):
    s, token = seat_cart(new_session, 3)
    r = put_p(s, token, {
        "participants": [person(0), person(1, lastname=""), person(2, email="bad"), person(3, email="STAFF0@acme.example"),
                         person(4, firstname=7), person(5, extra="x"), "x"],
        "assignments": {SESSION: {"student": ["staff0@acme.example", "nobody@acme.example"], "teacher": []},
                        "NOPE": {"student": []}, "LIVRE-EXCEL": {"student": []}}})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_participants"
    f = err["fields"]
    assert f["participants.1.lastname"] == "This field is required."
    assert f["participants.2.email"] == "Enter a valid e-mail address."
    assert f["participants.3.email"] == "A participant with this e-mail address is already listed."
    assert "participants.4.firstname" in f and "participants.5.extra" in f and "participants.6" in f
    assert f["assignments.PM200-SESSION.student"] == "This person is not among the participants."
    assert f["assignments.PM200-SESSION.teacher"] == "This product does not ask for this role."
    assert "assignments.NOPE" in f and "assignments.LIVRE-EXCEL" in f
    assert "participants" not in state(s)
    four = [person(i) for i in range(4)]
    r = put_p(s, token, {"participants": four, "assignments": {SESSION: {"student": [p["email"] for p in four]}}})
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["assignments.PM200-SESSION.student"] == "Every place of this role is already assigned."
    r = put_p(s, token, {"participants": {"a": 1}})
    assert r.status_code == 400 and "participants" in r.json()["error"]["fields"]


def test_quantity_changes_recompute_completeness(new_session):
    s, token = seat_cart(new_session, 3)
    people = [person(i) for i in range(3)]
    r = put_p(s, token, {"participants": people, "assignments": {SESSION: {"student": [p["email"] for p in people]}}})
    assert r.json()["complete"] is True
    put_cart(s, token, SESSION, 2)                  # fewer seats: the third seat is dropped on read
    assert steps(s)["participants"]["complete"] is True
    assert state(s)["assignments"][SESSION]["student"] == ["staff0@acme.example", "staff1@acme.example"]
    put_cart(s, token, SESSION, 4)                  # more seats: incomplete (and requirements too)
    st = steps(s)
    assert st["participants"]["complete"] is False and st["requirements"]["complete"] is False


def test_maximum_of_participants(new_session):
    s, token = seat_cart(new_session, 1)
    many = [person(i) for i in range(201)]
    r = put_p(s, token, {"participants": many})
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["participants"] == "An order cannot name more participants than this."
    r = put_p(s, token, {"participants": many[:200]})
    assert r.status_code == 200 and len(r.json()["participants"]) == 200
    r = post(s, token, action="add", **person(500))
    assert r.status_code == 400 and "cannot name more participants" in r.text
    assert len(state(s)["participants"]) == 200


def test_required_roles_column(new_session):
    s, token = seat_cart(new_session, 2, code=COACHING)       # one seat, student and teacher
    page = s.get("/checkout/participants").text
    assert "Trainees" in page and "Teachers" in page and 'id="as-FRBIZ-COACHING-teacher"' not in page  # no one to pick yet
    for i in range(2):
        assert post(s, token, action="add", **person(i)).status_code == 303
    page = s.get("/checkout/participants").text
    assert 'id="as-FRBIZ-COACHING-teacher"' in page and 'id="as-FRBIZ-COACHING-student"' in page
    assert post(s, token, action="assign", code=COACHING, role="student", email="staff0@acme.example").status_code == 303
    r = post(s, token, action="assign", code=COACHING, role="teacher", email="staff0@acme.example")
    assert r.status_code == 400 and "already holds a role" in r.text
    page = s.get("/checkout/participants").text
    assert "a required role still needs someone" in page
    assert steps(s)["participants"]["complete"] is False
    assert post(s, token, action="assign", code=COACHING, role="teacher", email="staff1@acme.example").status_code == 303
    assert steps(s)["participants"]["complete"] is True
    r = put_p(s, token, {"participants": [person(0), person(1)],
                         "assignments": {COACHING: {"student": ["staff0@acme.example", "staff1@acme.example"]}}})
    assert r.status_code == 400 and "assignments.FRBIZ-COACHING.student" in r.json()["error"]["fields"]   # one seat
