"""Checkout step "customer": identity, distinct invoicing identity, the {shop}customer record, login rules."""
import html as htmllib
import json
import re
import secrets

import pytest

from conftest import memcache_delete, token as session_token

COURSE = "EXCEL101"      # nothing to ship, no required data, no seats
SHIPPED = "MUG-LOGO"     # requires shipping


def uid():
    return secrets.token_hex(4)


def set_lang(s, token, lang):
    assert s.put("/api/v1/session/language", json={"lang": lang}, headers={"X-CSRF-Token": token}).status_code == 200


def fill_cart(s, code=COURSE, shop=1):
    token = session_token(s)
    r = s.put("/api/v1/cart/items/%s?shop=%d" % (code, shop), json={"quantity": 1}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    return token


def customer(**over):
    c = {"firstname": "Jeanne", "lastname": "Durand-" + uid(), "email": "jeanne.%s@example.org" % uid(),
         "organisation": "Atelier Durand", "address": "3 rue des Lilas", "zip": "69003", "city": "Lyon",
         "country": "FR", "phone": "+33 4 72 00 00 00"}
    c.update(over)
    return c


def invoicing(**over):
    i = {"organisation": "ACME SA", "department": "Achats", "lastname": "Comptable", "firstname": "Paul",
         "email": "compta@example.org", "address": "1 place Bellecour", "zip": "69002", "city": "Lyon",
         "country": "FR", "vat_number": "FR 40 303 265 045"}
    i.update(over)
    return i


def put(s, token, body, shop=1):
    return s.put("/api/v1/checkout/customer?shop=%d" % shop, json=body, headers={"X-CSRF-Token": token})


def form(c, inv=None, nav="next", token=None):
    data = {"customer_" + k: v for k, v in c.items()}
    if inv is not None:
        data.update({"invoicing_" + k: v for k, v in inv.items()})
        data["use_invoicing"] = "1"
    data["nav"] = nav
    if token:
        data["csrf_token"] = token
    return data


def state(s, shop=1):
    return s.get("/api/v1/checkout?shop=%d" % shop).json()


def step(s, name, shop=1):
    return [x for x in state(s, shop)["steps"] if x["name"] == name][0]


def moodle_user(db, email=None):
    """A fresh active Moodle account (nothing else in the suite touches it)."""
    u = uid()
    db.execute("INSERT INTO {mdl}user (auth, confirmed, mnethostid, username, firstname, lastname, email, lang,"
               " city, country) VALUES ('manual', 1, 1, %s, 'Zoé', %s, %s, 'fr', 'Nantes', 'FR')",
               "buyer" + u, "Martin-" + u, email or "buyer.%s@example.com" % u)
    return db.scalar("SELECT id FROM {mdl}user WHERE username = %s", "buyer" + u)


def restrict_countries(stack, db, countries):
    """Catalogue 1 (shop 1's master) offers only `countries`; its slave follows through the version bump."""
    db.execute("UPDATE {shop}catalogue SET country_restrictions = %s, cache_version = cache_version + 1"
               " WHERE id = 1", countries)
    db.execute("UPDATE {shop}catalogue SET cache_version = cache_version + 1 WHERE master_id = 1")
    for row in db.query("SELECT id FROM {shop}catalogue WHERE id = 1 OR master_id = 1"):
        memcache_delete(stack, "shop_catver:%d" % row["id"])


def field_error(page, field_id):
    m = re.search(r'<p class="field-error" id="%s-error">(.*?)</p>' % field_id, page, re.S)
    return htmllib.unescape(m.group(1)) if m else None


def input_tag(page, field_id):
    m = re.search(r'<(?:input|select)[^>]* id="%s"[^>]*>' % field_id, page)
    assert m, field_id
    return m.group(0)


# ---------------------------------------------------------------- happy paths

def test_anonymous_api_records_customer_and_invoicing(new_session, db):
    s = new_session()
    token = fill_cart(s)
    c, inv = customer(), invoicing()
    r = put(s, token, {"customer": c, "invoicing": inv})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["step"] == "customer" and body["complete"] is True and body["next"] == "order"
    cid = body["customer_id"]
    row = db.one("SELECT * FROM {shop}customer WHERE id = %s", cid)
    for k in ("firstname", "lastname", "email", "organisation", "address", "zip", "city", "country", "phone"):
        assert row[k] == c[k], k
    assert row["userid"] is None and row["shop_id"] == 1 and row["created_at"] > 0
    info = json.loads(row["invoicing_info"])
    assert info["organisation"] == "ACME SA" and info["department"] == "Achats"
    assert info["vat_number"] == "FR40303265045"            # stored compact
    st = state(s)["state"]
    assert st["customer_id"] == cid and st["customer"]["email"] == c["email"]
    assert st["invoicing"]["vat_number"] == "FR40303265045"
    assert step(s, "customer")["complete"] is True


def test_anonymous_html_form(new_session, db, stack):
    s = new_session()
    token = fill_cart(s)
    page = s.get("/checkout/customer", allow_redirects=False)
    assert page.status_code == 200
    text = page.text
    login = stack["SHOP_MOODLE_URL"] + "/login/index.php"
    assert 'href="%s"' % login in text                       # log in, then come back
    assert 'href="/shop/checkout/customer"' in text
    assert "readonly" not in input_tag(text, "customer_email")
    assert 'aria-current="step"' in text
    assert '<option value="FR">France</option>' in text or '<option value="FR"' in text
    c = customer(organisation="Mairie de Lyon")
    r = s.post("/checkout/customer", data=form(c, token=token))
    assert r.status_code == 303 and r.headers["Location"].endswith("/shop/checkout/order"), r.text
    cid = state(s)["state"]["customer_id"]
    row = db.one("SELECT * FROM {shop}customer WHERE id = %s", cid)
    assert row["email"] == c["email"] and row["organisation"] == "Mairie de Lyon"
    assert row["invoicing_info"] is None and "invoicing" not in state(s)["state"]
    # back on the page, the values are there
    again = s.get("/checkout/customer", allow_redirects=False).text
    assert 'value="%s"' % c["lastname"] in again


def test_same_email_and_lastname_reuse_the_record(new_session, db):
    c = customer()
    s1 = new_session()
    id1 = put(s1, fill_cart(s1), {"customer": c}).json()["customer_id"]
    s2 = new_session()
    c2 = dict(c, lastname=c["lastname"].upper(), email=c["email"].upper(), city="Villeurbanne", zip="69100")
    r = put(s2, fill_cart(s2), {"customer": c2, "invoicing": invoicing()})
    assert r.status_code == 200, r.text
    assert r.json()["customer_id"] == id1
    assert db.scalar("SELECT COUNT(*) FROM {shop}customer WHERE email = %s", c["email"]) == 1
    row = db.one("SELECT * FROM {shop}customer WHERE id = %s", id1)
    assert row["city"] == "Villeurbanne" and json.loads(row["invoicing_info"])["organisation"] == "ACME SA"
    # another last name is another customer
    s3 = new_session()
    id3 = put(s3, fill_cart(s3), {"customer": dict(c, lastname="Autre")}).json()["customer_id"]
    assert id3 != id1


def test_logged_in_buyer_prefilled_email_locked_record_bound(new_session, db, moodle_login):
    userid = moodle_user(db)
    email = db.scalar("SELECT email FROM {mdl}user WHERE id = %s", userid)
    lastname = db.scalar("SELECT lastname FROM {mdl}user WHERE id = %s", userid)
    # a record from an earlier purchase, bound to the account
    db.execute("INSERT INTO {shop}customer (shop_id, userid, firstname, lastname, email, organisation, address, zip,"
               " city, country, invoicing_info) VALUES (1, %s, 'Old', 'Name', %s, 'Old Org', '7 quai Est', '44000',"
               " 'Nantes', 'FR', %s)", userid, email, json.dumps({"organisation": "Facturé SARL", "city": "Rennes"}))
    old_id = db.scalar("SELECT id FROM {shop}customer WHERE userid = %s", userid)
    s = new_session()
    moodle_login(s, userid)
    token = fill_cart(s)
    page = s.get("/checkout/customer", allow_redirects=False).text
    assert 'value="Zoé"' in page and 'value="%s"' % lastname in page      # names from the account
    assert 'value="7 quai Est"' in page and 'value="44000"' in page         # address from the record
    assert 'value="Facturé SARL"' in page                                  # last invoicing identity
    assert "readonly" in input_tag(page, "customer_email") and 'value="%s"' % email in page
    assert "/login/index.php" not in re.sub(r"<header.*?</header>", "", page, flags=re.S)
    # a different e-mail is refused, the account's is recorded on the same row
    r = put(s, token, {"customer": customer(email="someone.else@example.org", lastname=lastname)})
    assert r.status_code == 400 and "customer.email" in r.json()["error"]["fields"]
    r = put(s, token, {"customer": customer(email="", lastname=lastname, firstname="Zoé")})
    assert r.status_code == 200, r.text
    assert r.json()["customer_id"] == old_id
    row = db.one("SELECT * FROM {shop}customer WHERE id = %s", old_id)
    assert row["userid"] == userid and row["email"] == email and row["address"] == "3 rue des Lilas"
    # the HTML form with a tampered e-mail gets the error next to the field
    r = s.post("/checkout/customer", data=form(customer(email="x@example.org", lastname=lastname), token=token))
    assert r.status_code == 400 and field_error(r.text, "customer_email")


def test_logged_in_buyer_adopts_the_unbound_record(new_session, db, moodle_login):
    userid = moodle_user(db)
    email, lastname = db.one("SELECT email, lastname FROM {mdl}user WHERE id = %s", userid).values()
    anon = new_session()
    c = customer(email=email, lastname=lastname)
    # bought anonymously before the account existed: simulate with a direct row
    db.execute("INSERT INTO {shop}customer (shop_id, firstname, lastname, email, country) VALUES (1, 'Zoé', %s, %s,"
               " 'FR')", lastname, email)
    unbound = db.scalar("SELECT id FROM {shop}customer WHERE email = %s AND userid IS NULL", email)
    moodle_login(anon, userid)
    r = put(anon, fill_cart(anon), {"customer": c})
    assert r.status_code == 200, r.text
    assert r.json()["customer_id"] == unbound
    assert db.scalar("SELECT userid FROM {shop}customer WHERE id = %s", unbound) == userid


@pytest.mark.parametrize("lang,text", [("en", "An account uses this address: please log in."),
                                       ("fr", "Un compte utilise cette adresse : veuillez vous connecter.")])
def test_account_email_needs_login(new_session, db, lang, text):
    s = new_session()
    token = fill_cart(s)
    set_lang(s, token, lang)
    r = put(s, token, {"customer": customer(email="Alice.Martin@example.com")})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "account_exists" and err["fields"]["customer.email"] == text
    r = s.post("/checkout/customer", data=form(customer(email="alice.martin@example.com"), token=token))
    assert r.status_code == 400
    assert field_error(r.text, "customer_email").startswith(text)
    assert 'aria-describedby="customer_email-error"' in input_tag(r.text, "customer_email")
    assert re.search(r'id="customer_email-error">[^<]*<a href="[^"]*/login/index.php"', r.text)
    assert "customer_id" not in state(s)["state"]


def test_email_of_a_bound_customer_needs_login(new_session, db):
    userid = moodle_user(db)
    other = "billing.%s@example.net" % uid()           # not a Moodle address, but bound through the record
    db.execute("INSERT INTO {shop}customer (shop_id, userid, firstname, lastname, email, country)"
               " VALUES (1, %s, 'Zoé', 'Martin', %s, 'FR')", userid, other)
    s = new_session()
    r = put(s, fill_cart(s), {"customer": customer(email=other)})
    assert r.status_code == 400 and r.json()["error"]["code"] == "account_exists"


# ---------------------------------------------------------------- field errors

LONG = "x" * 101

BAD = [
    ({"customer": customer(firstname="")}, "customer.firstname", "This field is required."),
    ({"customer": customer(lastname=LONG)}, "customer.lastname", "This name is too long (100 characters at most)."),
    ({"customer": customer(lastname="<b>")}, "customer.lastname", None),
    ({"customer": customer(email="jeanne@")}, "customer.email", "Enter a valid e-mail address."),
    ({"customer": customer(email="")}, "customer.email", "This field is required."),
    ({"customer": customer(organisation="")}, "customer.organisation", "This field is required."),   # shop 1 asks
    ({"customer": customer(organisation="o" * 256)}, "customer.organisation", "This text is too long."),
    ({"customer": customer(address="")}, "customer.address", "This field is required."),
    ({"customer": customer(zip="7500")}, "customer.zip", "This postcode is not valid for the country."),
    ({"customer": customer(zip="")}, "customer.zip", "This field is required."),
    ({"customer": customer(city="c" * 121)}, "customer.city", "This text is too long."),
    ({"customer": customer(country="ZZ")}, "customer.country", "Choose a country from the list."),
    ({"customer": customer(country="")}, "customer.country", "This field is required."),
    ({"customer": customer(phone="12")}, "customer.phone", "Enter a phone number (6 to 20 digits)."),
    ({"customer": customer(firstname=42)}, "customer.firstname", "This value must be text."),
    ({"customer": customer(), "invoicing": invoicing(organisation="")}, "invoicing.organisation", None),
    ({"customer": customer(), "invoicing": invoicing(lastname="")}, "invoicing.lastname", None),
    ({"customer": customer(), "invoicing": invoicing(zip="ABC")}, "invoicing.zip", None),
    ({"customer": customer(), "invoicing": invoicing(email="compta@")}, "invoicing.email", None),
    ({"customer": customer(), "invoicing": invoicing(vat_number="FR41303265045")}, "invoicing.vat_number",
     "This VAT number has wrong check digits."),
    ({"customer": customer(), "invoicing": invoicing(vat_number="FR4030326504")}, "invoicing.vat_number",
     "This VAT number has the wrong format for its country."),
    ({"customer": customer(), "invoicing": invoicing(vat_number="DE136695976")}, "invoicing.vat_number",
     "This VAT number belongs to another country than the invoicing country."),
    ({"customer": "Jeanne"}, "customer", "This value must be text."),
    ({}, "customer.lastname", "This field is required."),
]


@pytest.mark.parametrize("body,field,message", BAD, ids=[b[1] + "-%d" % i for i, b in enumerate(BAD)])
def test_bad_input_is_a_field_error(new_session, body, field, message):
    s = new_session()
    token = fill_cart(s)
    r = put(s, token, body)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_customer"
    assert field in err["fields"], err
    if message:
        assert err["fields"][field] == message
    assert not step(s, "customer")["complete"] and "customer_id" not in state(s)["state"]


def test_vat_numbers_accepted(new_session, db):
    s = new_session()
    token = fill_cart(s)
    body = {"customer": customer(), "invoicing": invoicing(country="DE", zip="10115", city="Berlin",
                                                           vat_number="de136695976")}
    r = put(s, token, body)
    assert r.status_code == 200, r.text
    assert state(s)["state"]["invoicing"]["vat_number"] == "DE136695976"
    r = put(s, token, {"customer": customer(), "invoicing": invoicing(vat_number="")})
    assert r.status_code == 200                          # optional
    assert state(s)["state"]["invoicing"]["vat_number"] == ""
    r = put(s, token, {"customer": customer(), "invoicing": None})
    assert r.status_code == 200 and "invoicing" not in state(s)["state"]


def test_html_errors_next_to_fields_values_kept(new_session):
    s = new_session()
    token = fill_cart(s)
    set_lang(s, token, "fr")
    c = customer(zip="7500", email="pas-une-adresse")
    r = s.post("/checkout/customer", data=form(c, invoicing(vat_number="FR41303265045"), token=token))
    assert r.status_code == 400
    page = r.text
    assert field_error(page, "customer_zip") == "Ce code postal n’est pas valide pour ce pays."
    assert field_error(page, "customer_email") == "Saisissez une adresse électronique valide."
    assert field_error(page, "invoicing_vat_number") == "La clé de ce numéro de TVA est fausse."
    assert 'aria-invalid="true"' in input_tag(page, "customer_zip")
    assert "customer_zip-error" in input_tag(page, "customer_zip")
    assert 'value="%s"' % c["lastname"] in page and 'value="pas-une-adresse"' in page
    assert re.search(r'<details class="invoicing" open>', page)
    assert 'id="use_invoicing" name="use_invoicing" value="1" checked' in page
    assert 'role="alert"' in page


def test_address_optional_with_invoicing_unless_goods_are_shipped(new_session):
    s = new_session()
    token = fill_cart(s, COURSE)
    c = customer(address="", zip="")
    assert put(s, token, {"customer": c}).status_code == 400
    r = put(s, token, {"customer": c, "invoicing": invoicing()})
    assert r.status_code == 200, r.text
    s2 = new_session()
    token2 = fill_cart(s2, SHIPPED)
    r = put(s2, token2, {"customer": c, "invoicing": invoicing()})
    assert r.status_code == 400 and {"customer.address", "customer.zip"} <= set(r.json()["error"]["fields"])
    assert "ship" in s2.get("/checkout/customer", allow_redirects=False).text          # the help says why


def test_catalogue_country_restriction(new_session, stack, db):
    s = new_session()
    token = fill_cart(s)
    assert put(s, token, {"customer": customer(country="DE", zip="10115", city="Berlin")}).status_code == 200
    assert step(s, "customer")["complete"]
    before = db.scalar("SELECT country_restrictions FROM {shop}catalogue WHERE id = 1")
    restrict_countries(stack, db, "FR,be")
    try:
        # what was accepted is no longer: the step must be done again
        assert not step(s, "customer")["complete"]
        r = put(s, token, {"customer": customer(country="DE", zip="10115")})
        assert r.status_code == 400
        assert r.json()["error"]["fields"]["customer.country"] == "This shop does not sell to this country."
        r = put(s, token, {"customer": customer(), "invoicing": invoicing(country="CH", zip="1204", vat_number="")})
        assert r.status_code == 400 and "invoicing.country" in r.json()["error"]["fields"]
        assert put(s, token, {"customer": customer(country="BE", zip="1000", city="Bruxelles")}).status_code == 200
        page = s.get("/checkout/customer", allow_redirects=False).text
        select = re.search(r'<select id="customer_country".*?</select>', page, re.S).group(0)
        assert re.findall(r'<option value="([A-Z]*)"', select) == ["", "BE", "FR"]
    finally:
        restrict_countries(stack, db, before)
    assert 'value="DE"' in s.get("/checkout/customer", allow_redirects=False).text


def test_identity_change_makes_the_step_incomplete(new_session, db, moodle_login):
    s = new_session()
    token = fill_cart(s)
    assert put(s, token, {"customer": customer()}).status_code == 200
    assert step(s, "customer")["complete"]
    moodle_login(s, moodle_user(db))
    assert not step(s, "customer")["complete"]          # the e-mail is no longer the buyer's
    r = s.get("/checkout/order", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/customer")


# ---------------------------------------------------------------- navigation, CSRF, lost cart

def test_back_keeps_valid_data_only(new_session):
    s = new_session()
    token = fill_cart(s)
    c = customer()
    r = s.post("/checkout/customer", data=form(c, nav="back", token=token))
    assert r.status_code == 303 and r.headers["Location"].endswith("/shop/cart")
    st = state(s)["state"]
    assert st["customer"]["lastname"] == c["lastname"] and "customer_id" not in st
    assert 'value="%s"' % c["lastname"] in s.get("/checkout/customer", allow_redirects=False).text
    # recorded, then a Back with the same data keeps the record; with bad data changes nothing
    assert s.post("/checkout/customer", data=form(c, token=token)).status_code == 303
    cid = state(s)["state"]["customer_id"]
    assert s.post("/checkout/customer", data=form(c, nav="back", token=token)).status_code == 303
    assert state(s)["state"]["customer_id"] == cid
    s.post("/checkout/customer", data=form(customer(email="bad"), nav="back", token=token))
    st = state(s)["state"]
    assert st["customer"]["email"] == c["email"] and st["customer_id"] == cid


def test_csrf_required(new_session):
    s = new_session()
    fill_cart(s)
    assert s.put("/api/v1/checkout/customer", json={"customer": customer()}).status_code == 403
    assert s.put("/api/v1/checkout/customer", json={"customer": customer()},
                 headers={"X-CSRF-Token": "0" * 40}).status_code == 403
    assert s.post("/checkout/customer", data=form(customer())).status_code == 403
    assert "customer" not in state(s)["state"]


def test_lost_cart(new_session):
    s = new_session()
    token = session_token(s)
    r = put(s, token, {"customer": customer()})
    assert r.status_code == 409 and r.json()["error"]["code"] == "cart_empty"
    r = s.get("/checkout/customer", allow_redirects=False)
    assert r.status_code == 303 and "notice=cart_lost" in r.headers["Location"]
    r = s.post("/checkout/customer", data=form(customer(), token=token))
    assert r.status_code == 303 and "notice=cart_lost" in r.headers["Location"]


def test_other_shop(new_session, db):
    """Shop 2 does not ask for an organisation; the record notes where it was made."""
    s = new_session()
    token = fill_cart(s, COURSE, shop=2)
    r = put(s, token, {"customer": customer(organisation="")}, shop=2)
    assert r.status_code == 200, r.text
    assert db.scalar("SELECT shop_id FROM {shop}customer WHERE id = %s", r.json()["customer_id"]) == 2
    assert s.get("/checkout/customer?shop=2", allow_redirects=False).status_code == 200
