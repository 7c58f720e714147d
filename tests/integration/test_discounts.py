"""Discounts in the quote: offer codes (API and HTML form), throttling, stacked rules, item-list scope,
takeover, the buyer's Moodle context, and shipping once the checkout knows the destination.

Amounts are computed by hand from the demo catalogue (sql/demo/catalogue.sql) and rules
(sql/demo/discounts.sql): MUG-LOGO 12.00 + 20 % tax, LIVRE-EXCEL 29.00 + 5.5 %, EXCEL101 199.00 and
PM200-SESSION (440.00 from 5 units) tax exempt. BIENVENUE10 = 10 % of the bill (ordering 10),
PARTNER15/VIP20 = 15/20 % of EXCEL101 and PM200 (ordering 20), above 2000.00 of goods = 5 % (ordering 30).
"""
import re
import secrets
import time

import pytest

from conftest import token as session_token

SHOP1_RULE_IDS = (900, 901, 902, 903, 904, 905)


def put_item(s, token, code, quantity, shop=1):
    r = s.put("/api/v1/cart/items/%s?shop=%d" % (code, shop), json={"quantity": quantity},
              headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    return r.json()


def send_code(s, token, code, shop=1, **extra):
    return s.post("/api/v1/cart/discount-code?shop=%d" % shop, json=dict(code=code, **extra),
                  headers={"X-CSRF-Token": token})


def cart(s, shop=1):
    return s.get("/api/v1/cart?shop=%d" % shop).json()


_bump = None     # the bump_catalogues fixture, for add_rule


@pytest.fixture(autouse=True)
def fresh_limits(db, bump_catalogues):
    """Every test starts with no offer-code attempt counted (all tests share one client address)
    and without the rules tests insert."""
    global _bump
    _bump = bump_catalogues

    def clean():
        db.execute("DELETE FROM {shop}throttle WHERE bucket LIKE 'offercode:%%'")
        if db.execute("DELETE FROM {shop}discount WHERE id IN (900, 901, 902, 903, 904, 905)"):
            bump_catalogues()
    clean()
    yield
    clean()


def add_rule(db, rid, type_, ratio, code=None, operator="accumulate", ordering=25, rule_data=None,
             valid_from=None, valid_until=None, max_uses=None, uses=0, enabled=1):
    db.execute("INSERT INTO {shop}discount (id, shop_id, name, type, rule_data, ratio, apply_on, operator, enabled,"
               " valid_from, valid_until, ordering) VALUES (%s, 1, %s, %s, %s, %s, 'bill', %s, %s, %s, %s, %s)",
               rid, "Test rule %d" % rid, type_, rule_data, ratio, operator, enabled, valid_from, valid_until,
               ordering)
    if code:
        db.execute("INSERT INTO {shop}discount_code (discount_id, code, max_uses, uses) VALUES (%s, %s, %s, %s)",
                   rid, code, max_uses, uses)
    _bump()     # rules are read with the catalogue


def test_code_accepted_in_any_case_stored_once_and_discounts_at_once(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    assert cart(s)["totals"]["discount_minor"] == 0
    r = send_code(s, token, "  bienvenue10 ")
    assert r.status_code == 200, r.text
    body = r.json()
    # 10 % of 12.00 = 1.20 untaxed, its tax 0.24: 1.44 off 14.40
    t = body["totals"]
    assert t["discount_minor"] == -144 and t["to_pay_minor"] == 1296
    assert t["untaxed_minor"] == 1080 and t["taxes_minor"] == 216 and t["taxed_minor"] == 1296
    assert body["discounts"] == [{"id": 1, "label": "Bienvenue", "code": "BIENVENUE10", "ratio": "10",
                                  "amount_minor": -144, "untaxed_minor": -120,
                                  "amount_text": body["discounts"][0]["amount_text"]}]
    assert body["offer_codes"] == ["BIENVENUE10"]
    # the contract's shape is kept
    line = body["lines"][0]
    assert {"code", "quantity", "unit_minor", "unit_taxed_minor", "total_taxed_minor"} <= set(line)
    assert line["total_taxed_minor"] == 1440                  # the product line itself is not changed
    assert sum(x["amount_minor"] for x in t["taxes"]) == t["taxes_minor"]
    assert send_code(s, token, "BIENVENUE10").status_code == 200
    again = cart(s)
    assert again["offer_codes"] == ["BIENVENUE10"] and again["totals"]["discount_minor"] == -144


def test_wrong_disabled_expired_and_used_up_codes(new_session, db):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    r = send_code(s, token, "NOPE")
    assert r.status_code == 400 and r.json()["error"]["code"] == "offer_code_unknown"
    assert r.json()["error"]["fields"]["code"]
    assert send_code(s, token, "ANCIEN50").status_code == 400              # its rule is disabled
    add_rule(db, 901, "OfferCode", 10, code="EXPIRE", valid_until=int(time.time()) - 60)
    add_rule(db, 902, "OfferCode", 10, code="BIENTOT", valid_from=int(time.time()) + 3600)
    assert send_code(s, token, "EXPIRE").status_code == 400
    assert send_code(s, token, "BIENTOT").status_code == 400
    add_rule(db, 903, "OfferCode", 10, code="EPUISE", max_uses=1, uses=1)
    r = send_code(s, token, "epuise")
    assert r.status_code == 409 and r.json()["error"]["code"] == "offer_code_used_up"
    assert "code" in r.json()["error"]["fields"]
    assert send_code(s, token, "").status_code == 400
    assert send_code(s, token, "WELCOME10").status_code == 400             # shop 2's code
    assert cart(s)["offer_codes"] == [] and cart(s)["totals"]["discount_minor"] == 0


def test_html_form_field_error_in_french_and_english(new_session):
    for lang, message in (("fr", "Ce code promotionnel n’est pas valable."), ("en", "This offer code is not valid.")):
        s = new_session()
        s.headers["Accept-Language"] = lang
        token = session_token(s)
        put_item(s, token, "MUG-LOGO", 1)
        r = s.post("/cart/discount-code", data={"csrf_token": token, "code": "FAUX<b>", "shop": "1"})
        assert r.status_code == 400
        err = re.search(r'<p class="field-error" id="offer-code-error">([^<]*)</p>', r.text)
        assert err and err.group(1) == message, r.text[-2000:]
        field = re.search(r'<input type="text" id="offer-code"[^>]*>', r.text).group(0)
        assert 'aria-invalid="true"' in field and 'value="FAUX&lt;b&gt;"' in field
        r = s.post("/cart/discount-code", data={"csrf_token": token, "code": "bienvenue10", "shop": "1"},
                   allow_redirects=False)
        assert r.status_code == 303 and r.headers["Location"].endswith("/shop/cart")
        page = s.get("/cart").text
        assert "Bienvenue" in page and "BIENVENUE10" in page and "/cart/discount-code/remove" in page
        assert 'href="/shop/checkout"' in page
        r = s.post("/cart/discount-code/remove", data={"csrf_token": token, "code": "BIENVENUE10", "shop": "1"},
                   allow_redirects=False)
        assert r.status_code == 303
        assert cart(s)["offer_codes"] == [] and cart(s)["totals"]["discount_minor"] == 0


def test_api_removal_and_cart_clear_forget_codes(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    send_code(s, token, "BIENVENUE10")
    assert s.delete("/api/v1/cart/discount-code/NOT-THERE", headers={"X-CSRF-Token": token}).status_code == 200
    r = s.delete("/api/v1/cart/discount-code/bienvenue10", headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["offer_codes"] == [] and r.json()["totals"]["discount_minor"] == 0
    send_code(s, token, "BIENVENUE10")
    assert s.delete("/api/v1/cart", headers={"X-CSRF-Token": token}).status_code == 200
    put_item(s, token, "MUG-LOGO", 1)
    assert cart(s)["offer_codes"] == [] and cart(s)["totals"]["discount_minor"] == 0


def test_csrf_required_and_client_amounts_ignored(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    assert s.post("/api/v1/cart/discount-code", json={"code": "BIENVENUE10"}).status_code == 403
    assert s.post("/cart/discount-code", data={"code": "BIENVENUE10", "shop": "1"}).status_code == 403
    assert s.delete("/api/v1/cart/discount-code/BIENVENUE10").status_code == 403
    assert cart(s)["offer_codes"] == []
    r = send_code(s, token, "BIENVENUE10", ratio="100", discount_minor=-1440, amount_minor=-1440)
    assert r.status_code == 200 and r.json()["totals"]["discount_minor"] == -144


def test_wrong_codes_throttled(new_session):
    s = new_session()
    s.headers["Accept-Language"] = "fr"
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    for i in range(10):
        assert send_code(s, token, "WRONG%d" % i).status_code == 400, i
    r = send_code(s, token, "WRONG10")
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert r.headers.get("Retry-After") == "900" and "quart d’heure" in r.json()["error"]["message"]
    assert send_code(s, token, "BIENVENUE10").status_code == 429        # even the right code: nothing learnt
    page = s.post("/cart/discount-code", data={"csrf_token": token, "code": "BIENVENUE10", "shop": "1"})
    assert page.status_code == 429 and "Trop de codes essayés" in page.text
    # another session from the same address still has room below the address limit
    other = new_session()
    t2 = session_token(other)
    put_item(other, t2, "MUG-LOGO", 1)
    assert send_code(other, t2, "BIENVENUE10").status_code == 200


def test_address_limit(new_session):
    for n in range(3):
        s = new_session()
        token = session_token(s)
        for i in range(10):
            assert send_code(s, token, "X%d" % i).status_code == 400, (n, i)
    s = new_session()
    assert send_code(s, session_token(s), "BIENVENUE10").status_code == 429    # 31st from 127.0.0.1


def test_threshold_and_code_stack_on_original_amounts(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "PM200-SESSION", 5)                   # 5 x 440.00, exempt
    put_item(s, token, "MUG-LOGO", 1)                        # 12.00 + 2.40 tax
    c = cart(s)
    # goods 2214.40 > 2000.00: 5 % of 2212.00 untaxed = 110.60 (110.00 + 0.60, tax 0.12 of the mug)
    assert c["totals"]["goods_taxed_minor"] == 221440
    assert [(d["label"], d["amount_minor"]) for d in c["discounts"]] == [("Remise grosse commande", -11072)]
    assert c["totals"]["to_pay_minor"] == 221440 - 11072
    send_code(s, token, "BIENVENUE10")
    c = cart(s)
    # 10 % = 221.20 untaxed (220.00 + 1.20, mug tax 0.24), then 5 % = 110.60 (mug tax: 0.36 in all - 0.24)
    assert [(d["label"], d["code"], d["amount_minor"]) for d in c["discounts"]] == [
        ("Bienvenue", "BIENVENUE10", -22144), ("Remise grosse commande", None, -11072)]
    t = c["totals"]
    assert t["discount_minor"] == -33216 and t["to_pay_minor"] == 188224
    assert t["untaxed_minor"] == 221200 - 33180 and t["taxes_minor"] == 240 - 36
    html = s.get("/cart", headers={"Accept-Language": "en"}).text
    assert "Remise grosse commande" in html and "1,882.24" in html


def test_itemlist_scope(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    assert send_code(s, token, "vip20").status_code == 200
    c = cart(s)
    assert c["offer_codes"] == ["VIP20"] and c["discounts"] == [] and c["totals"]["discount_minor"] == 0
    put_item(s, token, "EXCEL101", 1)
    c = cart(s)
    # 20 % of EXCEL101 only (199.00, exempt): 39.80; the mug is not touched
    assert [(d["code"], d["ratio"], d["amount_minor"]) for d in c["discounts"]] == [("VIP20", "20", -3980)]
    assert c["totals"]["to_pay_minor"] == 19900 + 1440 - 3980


def test_takeover_discards_earlier_discounts_and_stops(new_session, db):
    add_rule(db, 900, "OfferCode", 30, code="TOUTPOURMOI", operator="takeover", ordering=25)
    s = new_session()
    token = session_token(s)
    put_item(s, token, "PM200-SESSION", 5)
    send_code(s, token, "BIENVENUE10")
    assert cart(s)["totals"]["discount_minor"] == -22000 - 11000
    assert send_code(s, token, "toutpourmoi").status_code == 200
    c = cart(s)
    # Bienvenue (ordering 10) is discarded, the threshold rule (30) is never reached
    assert [(d["label"], d["amount_minor"]) for d in c["discounts"]] == [("Test rule 900", -66000)]
    assert c["totals"]["to_pay_minor"] == 220000 - 66000


def test_undecodable_rule_is_skipped_with_a_log_line(new_session, db, expect_log):
    expect_log(r"SHOP0911: .*discount rule 904 skipped")
    add_rule(db, 904, "UserInstitution", 50, rule_data='{"institutions": 5}', ordering=1)
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1)
    c = cart(s)
    assert c["totals"]["discount_minor"] == 0 and c["totals"]["to_pay_minor"] == 1440


def test_buyer_institution_and_role(new_session, db, moodle_login):
    add_rule(db, 904, "UserInstitution", 7, rule_data='{"institutions": ["martin conseil"]}', ordering=1)
    add_rule(db, 905, "UserCapability", 3, rule_data='{"roles": ["student"]}', ordering=2)
    seen = {}
    for who in (None, 3, 4, 2):             # anonymous, Alice (Martin Conseil, student), Bob (student), admin
        s = new_session()
        if who:
            moodle_login(s, who)
        token = session_token(s)
        put_item(s, token, "MUG-LOGO", 1)
        seen[who] = [(d["id"], d["amount_minor"]) for d in cart(s)["discounts"]]
    # 7 % of 12.00 = 0.84 + tax 0.17 (0.168) ; 3 % = 0.36 + 0.07 (cumulative 0.2400 of 1.20 -> 0.24 - 0.17)
    assert seen[None] == [] and seen[2] == []
    assert seen[3] == [(904, -101), (905, -43)]
    assert seen[4] == [(905, -43)]


def test_shop_two_has_its_own_codes(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "MUG-LOGO", 1, shop=2)
    assert send_code(s, token, "BIENVENUE10", shop=2).status_code == 400
    r = send_code(s, token, "welcome10", shop=2)
    assert r.status_code == 200 and r.json()["offer_codes"] == ["WELCOME10"]
    assert r.json()["totals"]["discount_minor"] == -144
    assert cart(s, 1)["offer_codes"] == []                   # per shop
    page = s.get("/cart?shop=2").text
    assert 'href="/shop/checkout?shop=2"' in page


def customer(**over):
    u = secrets.token_hex(4)
    c = {"firstname": "Jeanne", "lastname": "Durand-" + u, "email": "jeanne.%s@example.org" % u,
         "organisation": "Atelier Durand", "address": "3 rue des Lilas", "zip": "69003", "city": "Lyon",
         "country": "FR", "phone": "+33 4 72 00 00 00"}
    c.update(over)
    return c


def test_shipping_priced_once_the_destination_is_known(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "LIVRE-EXCEL", 2)
    put_item(s, token, "MUG-LOGO", 1)
    c = cart(s)
    goods = 6119 + 1440
    assert c["shipping"]["needed"] is True and c["shipping"]["known"] is False
    assert c["totals"]["shipping_minor"] == 0 and c["totals"]["to_pay_minor"] == goods
    assert "livraison" in s.get("/cart", headers={"Accept-Language": "fr"}).text.lower()

    def ship(body):
        r = s.put("/api/v1/checkout/customer", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 200, r.text
        return cart(s)

    # rest of the world: flat 25.00 per bill + 20 %
    c = ship({"customer": customer(country="US", zip="02108", city="Boston"), "invoicing": None})
    assert c["shipping"]["known"] is True and c["totals"]["shipping_minor"] == 3000
    assert c["totals"]["to_pay_minor"] == goods + 3000
    # the invoicing address wins: Corsica, flat 15.00 per bill + 20 %
    inv = {"organisation": "ACME SA", "department": "", "lastname": "Comptable", "firstname": "Paul",
           "email": "compta@example.org", "address": "1 cours Napoléon", "zip": "20000", "city": "Ajaccio",
           "country": "FR", "vat_number": ""}
    c = ship({"customer": customer(), "invoicing": inv})
    assert c["totals"]["shipping_minor"] == 1800
    # EU (Germany): book 6.90 + 2.00 x 2 = 10.90, mug min(7.50 + 1.50, 15) = 9.00: 19.90 + 20 % = 23.88
    c = ship({"customer": customer(country="DE", zip="10115", city="Berlin"), "invoicing": None})
    assert c["totals"]["shipping_minor"] == 2388
    # a code never discounts shipping
    send_code(s, token, "BIENVENUE10")
    c = cart(s)
    assert c["totals"]["shipping_minor"] == 2388
    assert c["totals"]["to_pay_minor"] == goods + 2388 + c["totals"]["discount_minor"]
    page = s.get("/cart", headers={"Accept-Language": "en"}).text
    assert "Shipping" in page and "23.88" in page


def test_shipping_zone_france(new_session):
    s = new_session()
    token = session_token(s)
    put_item(s, token, "LIVRE-EXCEL", 2)
    put_item(s, token, "MUG-LOGO", 1)
    r = s.put("/api/v1/checkout/customer", json={"customer": customer(), "invoicing": None},
              headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    # zone FR (69xxx): 4.90 per book line + 5.90 per mug line = 10.80, taxed 20 %: 12.96
    assert cart(s)["totals"]["shipping_minor"] == 1296
