"""Checkout step "requirements": required data per unit (HTML form and PUT /api/v1/checkout/requirements)."""
import html as htmllib

from conftest import token as session_token

SESSION = "PM200-SESSION"   # per_unit seats; jobtitle (text, required), funding (select, required),
                            # accessibility (textarea), certificate (checkbox)
EXT = "EXCEL101-EXT"        # productcode (text, required, maxlength 19); no seats; logged-in users only


def put_cart(s, token, code, quantity):
    r = s.put("/api/v1/cart/items/" + code, json={"quantity": quantity}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text


def put_rq(s, token, body):
    return s.put("/api/v1/checkout/requirements", json=body, headers={"X-CSRF-Token": token})


def unit(i=0, **over):
    u = {"jobtitle": "Chef de projet %d" % i, "funding": "company", "accessibility": "", "certificate": False}
    u.update(over)
    return u


def steps(s):
    return {x["name"]: x for x in s.get("/api/v1/checkout").json()["steps"]}


def cart_with(new_session, code=SESSION, quantity=2, lang=None, login=None):
    s = new_session()
    if login:
        assert s.get(login, allow_redirects=True).status_code == 200
    if lang:
        s.headers["Accept-Language"] = lang
    token = session_token(s)
    put_cart(s, token, code, quantity)
    return s, token


def test_skipped_when_no_product_asks(new_session):
    s, token = cart_with(new_session, "LIVRE-EXCEL", 1)
    r = s.get("/checkout/requirements", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/customer")
    assert steps(s)["requirements"]["needed"] is False
    s, token = cart_with(new_session, "FRBIZ-COACHING", 2)          # seats, no required data
    r = s.get("/checkout/requirements", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/participants")


def test_lost_cart(new_session):
    s = new_session()
    token = session_token(s)
    r = s.get("/checkout/requirements", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/?notice=cart_lost")
    r = put_rq(s, token, {SESSION: [unit()]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "cart_empty"


def test_page_lists_widgets_per_unit(new_session):
    s, token = cart_with(new_session, SESSION, 2)
    r = s.get("/checkout/requirements", allow_redirects=False)
    assert r.status_code == 200
    page = r.text
    for u in (0, 1):
        for f in ("jobtitle", "funding", "accessibility", "certificate"):
            assert 'name="rd.%s.%d.%s"' % (SESSION, u, f) in page
    assert "Fonction du participant" in page and 'for="rd-PM200-SESSION-0-jobtitle"' in page
    assert '<option value="opco">OPCO</option>' in page
    assert 'aria-describedby="rd-PM200-SESSION-1-accessibility-desc"' in page      # the widget's desc
    assert 'size="40"' in page                                                     # the widget's attrs
    assert page.count("<fieldset") == 2


def test_csrf_required(new_session):
    s, token = cart_with(new_session)
    assert s.post("/checkout/requirements", data={"nav": "next"}).status_code == 403
    assert s.put("/api/v1/checkout/requirements", json={SESSION: [unit(), unit(1)]}).status_code == 403
    assert steps(s)["requirements"]["complete"] is False


def test_form_errors_next_to_fields_values_kept(new_session):
    s, token = cart_with(new_session, SESSION, 2)
    data = {"csrf_token": token, "nav": "next",
            "rd.PM200-SESSION.0.jobtitle": "Acheteuse", "rd.PM200-SESSION.0.funding": "bank",   # not an option
            "rd.PM200-SESSION.1.jobtitle": "x" * 256, "rd.PM200-SESSION.1.funding": "opco",    # too long
            "rd.PM200-SESSION.1.accessibility": "ok\x07", "rd.PM200-SESSION.1.certificate": "maybe"}
    r = s.post("/checkout/requirements", data=data)
    assert r.status_code == 400
    page = htmllib.unescape(r.text)
    assert 'id="rd-PM200-SESSION-0-funding-error">Choose one of the options offered.' in page
    assert 'id="rd-PM200-SESSION-1-jobtitle-error">This text is too long.' in page
    assert 'id="rd-PM200-SESSION-1-accessibility-error">This text contains characters' in page
    assert 'id="rd-PM200-SESSION-1-certificate-error">This value has the wrong type.' in page
    assert 'aria-describedby="rd-PM200-SESSION-0-funding-error"' in page
    assert 'value="Acheteuse"' in page                                  # what was typed is kept
    assert 'id="rd-PM200-SESSION-0-jobtitle-error"' not in page
    # the good values were stored; the step is not complete
    state = s.get("/api/v1/checkout").json()["state"]["requirements"][SESSION]
    assert state[0]["jobtitle"] == "Acheteuse" and "funding" not in state[0]
    assert steps(s)["requirements"]["complete"] is False
    # a name that is not in the cart: the whole form is refused, nothing changes
    r = s.post("/checkout/requirements", data={"csrf_token": token, "rd.NOPE.0.jobtitle": "x",
                                               "rd.PM200-SESSION.0.jobtitle": "Autre"})
    assert r.status_code == 400 and "does not match your cart" in r.text
    r = s.post("/checkout/requirements", data={"csrf_token": token, "rd.PM200-SESSION.2.jobtitle": "x"})
    assert r.status_code == 400                                          # unit 3 of 2
    assert s.get("/api/v1/checkout").json()["state"]["requirements"][SESSION][0]["jobtitle"] == "Acheteuse"


def test_required_fields_in_french(new_session):
    s, token = cart_with(new_session, SESSION, 1, lang="fr")
    r = s.post("/checkout/requirements", data={"csrf_token": token, "nav": "next"})
    assert r.status_code == 400
    page = htmllib.unescape(r.text)
    assert 'id="rd-PM200-SESSION-0-jobtitle-error">Ce champ est obligatoire.' in page
    assert 'id="rd-PM200-SESSION-0-funding-error">Ce champ est obligatoire.' in page
    r = put_rq(s, token, {SESSION: [unit(funding="bank")]})
    assert r.json()["error"]["fields"]["PM200-SESSION.0.funding"] == "Choisissez l'une des options proposées."


def test_html_complete_then_next_and_back(new_session):
    s, token = cart_with(new_session, SESSION, 2)
    data = {"csrf_token": token, "nav": "next"}
    for u in (0, 1):
        data["rd.PM200-SESSION.%d.jobtitle" % u] = "  Responsable %d " % u
        data["rd.PM200-SESSION.%d.funding" % u] = "opco"
    data["rd.PM200-SESSION.1.certificate"] = "1"
    data["rd.PM200-SESSION.0.accessibility"] = "Rampe d'accès\r\nmerci"
    r = s.post("/checkout/requirements", data=data)
    assert r.status_code == 303 and r.headers["Location"].endswith("/checkout/participants")
    stored = s.get("/api/v1/checkout").json()["state"]["requirements"][SESSION]
    assert stored[0] == {"jobtitle": "Responsable 0", "funding": "opco", "accessibility": "Rampe d'accès\nmerci",
                         "certificate": False}
    assert stored[1]["certificate"] is True
    page = s.get("/checkout/requirements", allow_redirects=False).text
    assert 'value="Responsable 1"' in page and "checked" in page
    # back saves without blocking on errors
    r = s.post("/checkout/requirements", data={"csrf_token": token, "nav": "back",
                                               "rd.PM200-SESSION.0.jobtitle": "", "rd.PM200-SESSION.0.funding": "opco",
                                               "rd.PM200-SESSION.1.jobtitle": "B", "rd.PM200-SESSION.1.funding": "opco"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/cart")
    assert steps(s)["requirements"]["complete"] is False                 # unit 1 lost its job title


def test_api_field_errors(new_session, shopctl):
    s, token = cart_with(new_session, SESSION, 2, login=shopctl("ticket", "6").stdout.strip())
    put_cart(s, token, EXT, 1)
    r = put_rq(s, token, {
        SESSION: [unit(0, jobtitle="", hack="x"), unit(1, funding="OPCO", certificate="peut-être",
                                                       accessibility=["list"])],
        EXT: [{"productcode": "ABCD-EFGH-IJKL-MNOPQ"}],                   # 20 > maxlength 19
        "LIVRE-EXCEL": [{}], "NOPE": [{}]})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_requirements" and err["message"]
    f = err["fields"]
    assert f["PM200-SESSION.0.jobtitle"] == "This field is required."
    assert f["PM200-SESSION.0.hack"] == "This product asks for no such field."
    assert f["PM200-SESSION.1.funding"] == "Choose one of the options offered."
    assert f["PM200-SESSION.1.certificate"] == "This value has the wrong type."
    assert f["PM200-SESSION.1.accessibility"] == "This value has the wrong type."
    assert f["EXCEL101-EXT.0.productcode"] == "This text is too long."
    assert "LIVRE-EXCEL" in f and "NOPE" in f
    assert "state" not in s.get("/api/v1/checkout").json() or \
        "requirements" not in s.get("/api/v1/checkout").json()["state"]     # all or nothing
    r = put_rq(s, token, {SESSION: [unit(0)]})                               # 1 unit for 2 in the cart
    assert r.status_code == 400 and "PM200-SESSION" in r.json()["error"]["fields"]
    r = put_rq(s, token, {SESSION: [unit(0), "x"]})
    assert r.status_code == 400 and "PM200-SESSION.1" in r.json()["error"]["fields"]


def test_api_completeness_follows_the_cart(new_session, shopctl):
    s, token = cart_with(new_session, SESSION, 2, login=shopctl("ticket", "6").stdout.strip())
    put_cart(s, token, EXT, 1)
    r = put_rq(s, token, {SESSION: [unit(0), unit(1, certificate=True)]})
    assert r.status_code == 200 and r.json()["complete"] is False and r.json()["next"] == "requirements"
    r = put_rq(s, token, {EXT: [{"productcode": "ABCD-EFGH-IJKL-MNOP"}]})   # the other product keeps its values
    body = r.json()
    assert r.status_code == 200 and body["step"] == "requirements" and body["complete"] is True
    assert body["next"] == "participants"
    # one more unit: incomplete until its values are given; the first two stay
    put_cart(s, token, SESSION, 3)
    assert steps(s)["requirements"]["complete"] is False
    assert s.get("/checkout/participants", allow_redirects=False).headers["Location"].endswith("/checkout/requirements")
    assert 'name="rd.PM200-SESSION.2.jobtitle"' in s.get("/checkout/requirements", allow_redirects=False).text
    put_cart(s, token, SESSION, 2)
    assert steps(s)["requirements"]["complete"] is True
    # the product leaves the cart: nothing asked of it any more
    put_cart(s, token, SESSION, 0)
    put_cart(s, token, EXT, 0)
    put_cart(s, token, "LIVRE-EXCEL", 1)
    assert steps(s)["requirements"]["needed"] is False
