"""Whole checkouts to a placed bill: a logged-in Moodle user (paid and free orders), stacked discounts with
offer codes, a shipped book to two zones, a slave-catalogue buyer.  Every bill is checked line by line:
lines sum to the totals, per-rate taxes are sums of lines, the bill is what the cart showed."""
import json
import secrets

import pytest

from conftest import api, token


def identity(country="FR", zip_="75002", city="Paris", email=None):
    return {"firstname": "Lucie", "lastname": "Bernard", "email": email or "lucie.%s@example.org" % secrets.token_hex(4),
            "organisation": "Bernard Conseil", "address": "3 place du Marché", "zip": zip_, "city": city,
            "country": country}


def checked_bill(db, transid, cart):
    """The bill of transid, after checking it against the cart the buyer saw and against its own lines."""
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    lines = db.query("SELECT * FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill["id"])
    t = cart["totals"]
    assert bill["to_pay_minor"] == t["to_pay_minor"]
    assert bill["discount_minor"] == t["discount_minor"] and bill["shipping_minor"] == t["shipping_minor"]
    assert sum(l["total_minor"] for l in lines) == bill["to_pay_minor"]
    goods_and_discounts = [l for l in lines if l["type"] != "SHIPPING"]
    assert sum(l["untaxed_minor"] for l in goods_and_discounts) == bill["untaxed_minor"]
    assert sum(l["tax_minor"] for l in goods_and_discounts) == bill["taxes_minor"]
    assert sum(l["total_minor"] for l in lines if l["type"] == "DISCOUNT") == bill["discount_minor"]
    for l in lines:
        assert l["total_minor"] == l["untaxed_minor"] + l["tax_minor"]
    # per-rate taxes of the cart are the sums of the bill's lines of that rate
    for tax in t["taxes"]:
        rate_lines = [l for l in lines if l["tax_rate"] is not None and float(l["tax_rate"]) == float(tax["rate"])
                      and l["tax_id"] is not None]
        assert sum(l["tax_minor"] for l in rate_lines) == tax["amount_minor"], tax
    return bill, lines


def test_logged_in_moodle_user_pays_by_cheque(new_session, db, moodle_login):
    s = new_session()
    moodle_login(s, 4)                                   # Bob
    tok = token(s)
    me = s.get("/api/v1/session").json()["user"]
    assert me and me["id"] == 4
    bob = db.one("SELECT firstname, lastname, email FROM {mdl}user WHERE id = 4")
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    who = identity(email=bob["email"])
    who.update(firstname=bob["firstname"], lastname=bob["lastname"])
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": who, "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    cart = s.get("/api/v1/cart").json()
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "check", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    bill, lines = checked_bill(db, r.json()["transid"], cart)
    assert bill["userid"] == 4 and bill["terms_userid"] == 4 and bill["paymode"] == "check"
    assert db.scalar("SELECT userid FROM {shop}customer WHERE id = %s", bill["customer_id"]) == 4
    assert s.get("/pay/" + bill["transid"]).status_code == 200



def test_free_order_asks_no_payment_mode(new_session, db):
    s2 = new_session()                                       # the free discovery course is for visitors
    tok2 = token(s2)
    assert api(s2, "PUT", "/api/v1/cart/items/SAFE1-DECOUVERTE", {"quantity": 1}, tok2).status_code == 200
    assert api(s2, "PUT", "/api/v1/checkout/customer", {"customer": identity(), "invoicing": None}, tok2).status_code == 200
    page = s2.get("/checkout/order").text
    assert 'name="paymode"' not in page
    r = api(s2, "POST", "/api/v1/checkout/order", {"accept_terms": True}, tok2)
    assert r.status_code == 201 and r.json()["to_pay_minor"] == 0
    assert db.scalar("SELECT paymode FROM {shop}bill WHERE transid = %s", r.json()["transid"]) == "freeorder"


@pytest.fixture
def no_throttle(db):
    db.execute("DELETE FROM {shop}throttle WHERE bucket LIKE 'offercode:%%'")
    yield
    db.execute("DELETE FROM {shop}throttle WHERE bucket LIKE 'offercode:%%'")


def test_stacked_discounts_with_offer_codes(new_session, db, no_throttle):
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    assert api(s, "PUT", "/api/v1/cart/items/MUG-LOGO", {"quantity": 2}, tok).status_code == 200
    for code in ("bienvenue10", "VIP20"):
        r = api(s, "POST", "/api/v1/cart/discount-code", {"code": code}, tok)
        assert r.status_code == 200, r.text
    assert api(s, "PUT", "/api/v1/checkout/customer", {"customer": identity(), "invoicing": None}, tok).status_code == 200
    cart = s.get("/api/v1/cart").json()
    uses = {r["code"]: r["uses"] for r in db.query("SELECT code, uses FROM {shop}discount_code WHERE code IN ('BIENVENUE10', 'VIP20')")}
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    bill, lines = checked_bill(db, r.json()["transid"], cart)
    # BIENVENUE10: 10 % of every product line; VIP20: 20 % of EXCEL101 only, both on the original amounts
    excel = next(l for l in lines if l["code"] == "EXCEL101")
    mug = next(l for l in lines if l["code"] == "MUG-LOGO")
    d1 = [l for l in lines if l["type"] == "DISCOUNT" and l["discount_id"] == 1]
    d2 = [l for l in lines if l["type"] == "DISCOUNT" and l["discount_id"] == 2]
    assert sum(l["untaxed_minor"] for l in d1) == -round((excel["untaxed_minor"] + mug["untaxed_minor"]) * 0.10)
    assert sum(l["untaxed_minor"] for l in d2) == -round(excel["untaxed_minor"] * 0.20)
    assert len(d1) == 2                                       # one line per tax rate of its scope
    assert json.loads(d2[0]["discount_data"])["code"] == "VIP20"
    assert bill["discount_minor"] < 0
    after = {r["code"]: r["uses"] for r in db.query("SELECT code, uses FROM {shop}discount_code WHERE code IN ('BIENVENUE10', 'VIP20')")}
    assert after == {c: n + 1 for c, n in uses.items()}
    # placing again refreshes the bill and does not count the codes twice
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 200 and r.json()["refreshed"]
    again = {r["code"]: r["uses"] for r in db.query("SELECT code, uses FROM {shop}discount_code WHERE code IN ('BIENVENUE10', 'VIP20')")}
    assert again == after


def test_offer_code_used_up_between_quote_and_order(new_session, db, bump_catalogues, no_throttle):
    db.execute("INSERT INTO {shop}discount_code (id, discount_id, code, ratio, max_uses, uses)"
               " VALUES (950, 2, 'ONCEONLY', 5, 1, 0)")
    bump_catalogues()
    try:
        s = new_session()
        tok = token(s)
        api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok)
        assert api(s, "POST", "/api/v1/cart/discount-code", {"code": "ONCEONLY"}, tok).status_code == 200
        assert api(s, "PUT", "/api/v1/checkout/customer", {"customer": identity(), "invoicing": None}, tok).status_code == 200
        shown = s.get("/api/v1/cart").json()
        assert shown["totals"]["discount_minor"] < 0
        db.execute("UPDATE {shop}discount_code SET uses = 1 WHERE id = 950")      # someone else used it meanwhile
        before = db.scalar("SELECT COUNT(*) FROM {shop}bill")
        r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True,
                                                    "expected_to_pay_minor": shown["totals"]["to_pay_minor"]}, tok)
        # the use limit is enforced at placement: nothing is placed, the code leaves the cart
        assert r.status_code == 409 and r.json()["error"]["code"] == "code_exhausted"
        assert db.scalar("SELECT COUNT(*) FROM {shop}bill") == before
        now = s.get("/api/v1/cart").json()
        assert now["offer_codes"] == [] and now["totals"]["discount_minor"] == 0
        # the amount shown before is no longer the price: the page asks to confirm the new one
        page = s.post("/checkout/order", data={"csrf_token": tok, "nav": "next", "paymode": "transfer",
                                               "accept_terms": "1",
                                               "expected_to_pay": str(shown["totals"]["to_pay_minor"])})
        assert page.status_code == 409 and "Prices changed" in page.text
        r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True,
                                                    "expected_to_pay_minor": now["totals"]["to_pay_minor"]}, tok)
        assert r.status_code == 201 and r.json()["to_pay_minor"] == now["totals"]["to_pay_minor"]
    finally:
        db.execute("DELETE FROM {shop}discount_code WHERE id = 950")
        bump_catalogues()


@pytest.mark.parametrize("country,zip_,city", [("DE", "10115", "Berlin"), ("US", "02108", "Boston")])
def test_shipped_book_to_two_zones(new_session, db, country, zip_, city):
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/LIVRE-EXCEL", {"quantity": 2}, tok).status_code == 200
    r = api(s, "PUT", "/api/v1/checkout/customer",
            {"customer": identity(country=country, zip_=zip_, city=city), "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    cart = s.get("/api/v1/cart").json()
    assert cart["totals"]["shipping_minor"] > 0
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    bill, lines = checked_bill(db, r.json()["transid"], cart)
    ship = [l for l in lines if l["type"] == "SHIPPING"]
    assert len(ship) == 1 and ship[0]["total_minor"] == bill["shipping_minor"] == cart["totals"]["shipping_minor"]
    # book 6.90 + 2.00 x 2 = 10.90 + 20 % in the EU; 25.00 + 20 % for the rest of the world
    assert bill["shipping_minor"] == {"DE": 1308, "US": 3000}[country]
    hold = db.one("SELECT quantity, released FROM {shop}stock_reservation r JOIN {shop}product p ON p.id = r.product_id"
                  " WHERE r.bill_id = %s AND p.code = 'LIVRE-EXCEL'", bill["id"])
    assert hold == {"quantity": 2, "released": 0}
    db.execute("UPDATE {shop}product p JOIN {shop}stock_reservation r ON r.product_id = p.id"
               " SET p.reserved = p.reserved - r.quantity, r.released = 1 WHERE r.bill_id = %s AND r.released = 0", bill["id"])


def test_slave_catalogue_buyer(new_session, db):
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101?shop=2", {"quantity": 1}, tok).status_code == 200
    r = api(s, "PUT", "/api/v1/checkout/customer?shop=2", {"customer": identity(), "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    cart = s.get("/api/v1/cart?shop=2").json()
    page = s.get("/checkout/order?shop=2")
    assert page.status_code == 200 and "Excel essentials" in page.text
    r = api(s, "POST", "/api/v1/checkout/order?shop=2", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    bill, lines = checked_bill(db, r.json()["transid"], cart)
    assert bill["shop_id"] == 2
    snap = json.loads(lines[0]["product_snapshot"])
    assert lines[0]["label"] == snap["name"] == "Excel essentials (online course)"
    assert snap["catalogue_id"] == 2
    # the two shops' checkouts are separate: shop 1 has no cart here
    assert api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok).status_code == 409
