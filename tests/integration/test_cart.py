"""The cart in the session: checked against the catalogue, priced on the server, kept across memcached restarts."""
import re

from conftest import token as session_token


def add(s, token, code, quantity=1, shop=1):
    return s.post("/cart/add", data={"csrf_token": token, "code": code, "quantity": str(quantity), "shop": str(shop)})


def test_buy_button_fills_the_cart_and_prices_come_from_the_server(new_session):
    s = new_session()
    token = session_token(s)
    page = s.get("/?category=boutique").text
    assert 'action="/shop/cart/add"' in page
    r = add(s, token, "LIVRE-EXCEL", 2)
    assert r.status_code == 303 and r.headers["Location"].endswith("/shop/cart")
    assert add(s, token, "MUG-LOGO", 1).status_code == 303
    cart = s.get("/api/v1/cart").json()
    lines = {l["code"]: l for l in cart["lines"]}
    assert lines["LIVRE-EXCEL"]["quantity"] == 2 and lines["LIVRE-EXCEL"]["unit_minor"] == 2900
    assert lines["LIVRE-EXCEL"]["total_taxed_minor"] == 6119          # 58.00 at 5.5 %: 61.19
    assert lines["MUG-LOGO"]["total_taxed_minor"] == 1440
    t = cart["totals"]
    assert t["untaxed_minor"] == 5800 + 1200 and t["taxed_minor"] == 6119 + 1440
    assert t["taxes_minor"] == t["taxed_minor"] - t["untaxed_minor"]
    assert sum(x["amount_minor"] for x in t["taxes"]) == t["taxes_minor"]
    assert t["to_pay_minor"] == t["taxed_minor"] and cart["currency"] == "EUR"
    html = s.get("/cart").text
    assert "LIVRE-EXCEL" in html and "61.19" in html


def test_tier_price_applies_to_the_whole_quantity(new_session):
    s = new_session()
    token = session_token(s)
    r = s.put("/api/v1/cart/items/PM200-SESSION", json={"quantity": 5}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    line = [l for l in r.json()["lines"] if l["code"] == "PM200-SESSION"][0]
    assert line["unit_minor"] == 44000 and line["total_minor"] == 5 * 44000


def test_refusals_with_reasons(new_session):
    s = new_session()
    token = session_token(s)
    assert add(s, token, "CARNET-NOTES").status_code == 409           # sold out
    assert add(s, token, "GOODIES").status_code == 409                # a set is not bought itself
    assert add(s, token, "PACK-MANAGER-PM200").status_code == 409     # an element of a bundle
    assert add(s, token, "EXCEL-AVANCE").status_code == 404           # PREVIEW
    assert add(s, token, "NO-SUCH").status_code == 404
    assert add(s, token, "PM200-INTRA").status_code == 403            # passcode not typed
    assert add(s, token, "LIVRE-EXCEL", 11).status_code == 409        # stock 10
    assert add(s, token, "PM200-SESSION", 31).status_code == 409      # max 30 per order
    assert add(s, token, "LIVRE-EXCEL", 0).status_code == 400
    r = s.put("/api/v1/cart/items/LIVRE-EXCEL", json={"quantity": 11}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_enough" and "quantity" in r.json()["error"]["fields"]
    r = s.put("/api/v1/cart/items/LIVRE-EXCEL", json={"quantity": "2"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400
    assert s.get("/api/v1/cart").json()["lines"] == []                # nothing was half-added


def test_client_prices_are_ignored_and_csrf_required(new_session):
    s = new_session()
    token = session_token(s)
    r = s.put("/api/v1/cart/items/MUG-LOGO", json={"quantity": 1, "price_minor": 1, "unit_minor": 1},
              headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["lines"][0]["unit_minor"] == 1200
    assert s.put("/api/v1/cart/items/MUG-LOGO", json={"quantity": 2}).status_code == 403
    assert s.post("/cart/add", data={"code": "MUG-LOGO", "quantity": "1"}).status_code == 403
    assert s.get("/cart/add").status_code == 405


def test_update_remove_clear(new_session):
    s = new_session()
    token = session_token(s)
    add(s, token, "MUG-LOGO", 1)
    add(s, token, "TSHIRT-LOGO", 1)
    assert s.post("/cart/update", data={"csrf_token": token, "code": "MUG-LOGO", "quantity": "3", "shop": "1"}).status_code == 303
    assert {l["code"]: l["quantity"] for l in s.get("/api/v1/cart").json()["lines"]} == {"MUG-LOGO": 3, "TSHIRT-LOGO": 1}
    s.post("/cart/update", data={"csrf_token": token, "code": "MUG-LOGO", "quantity": "0", "shop": "1"})
    assert [l["code"] for l in s.get("/api/v1/cart").json()["lines"]] == ["TSHIRT-LOGO"]
    r = s.delete("/api/v1/cart", headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["lines"] == []


def test_cart_survives_memcached_restart_and_belongs_to_its_session(stack, new_session):
    s = new_session()
    token = session_token(s)
    add(s, token, "MUG-LOGO", 2)
    stack.ctl("restart", "memcache")
    assert [(l["code"], l["quantity"]) for l in s.get("/api/v1/cart").json()["lines"]] == [("MUG-LOGO", 2)]
    assert new_session().get("/api/v1/cart").json()["lines"] == []


def test_passcode_then_buy(new_session):
    s = new_session()
    token = session_token(s)
    assert s.post("/api/v1/products/PM200-INTRA/passcode", json={"passcode": "DEMO2026"},
                  headers={"X-CSRF-Token": token}).status_code == 200
    assert add(s, token, "PM200-INTRA", 3).status_code == 303
    assert s.get("/api/v1/cart").json()["lines"][0]["quantity"] == 3


def test_summary_fragment(new_session):
    s = new_session()
    token = session_token(s)
    assert "(" not in s.get("/cart/summary").text
    add(s, token, "MUG-LOGO", 2)
    frag = s.get("/cart/summary")
    assert frag.status_code == 200 and "(2)" in frag.text and "28.80" in frag.text and "<html" not in frag.text


def test_prefill_link_asks_before_adding(new_session):
    s = new_session()
    token = session_token(s)
    page = s.get("/cart/prefill?MUG-LOGO=2&LIVRE-EXCEL=1&partner=ACME-1&bad%3Ccode=1&TSHIRT-LOGO=x")
    assert page.status_code == 200 and "MUG-LOGO" in page.text and "LIVRE-EXCEL" in page.text
    assert "bad<code" not in page.text and "TSHIRT-LOGO" not in page.text
    assert s.get("/api/v1/cart").json()["lines"] == []          # a GET changed nothing
    action = re.search(r'action="([^"]*cart/prefill[^"]*)"', page.text).group(1).replace("&amp;", "&")
    r = s.post(action.replace("/shop/", "/", 1) if action.startswith("/shop/") else action, data={"csrf_token": token})
    assert r.status_code == 303
    assert {l["code"]: l["quantity"] for l in s.get("/api/v1/cart").json()["lines"]} == {"MUG-LOGO": 2, "LIVRE-EXCEL": 1}
    assert s.post("/cart/prefill?MUG-LOGO=1", data={"x": "1"}).status_code == 403
    assert s.get("/cart/prefill?nothing=here").status_code == 400


def test_checkout_button_and_clear_forgets_the_checkout(new_session):
    s = new_session()
    token = session_token(s)
    add(s, token, "MUG-LOGO", 1)
    page = s.get("/cart").text
    assert 'href="/shop/checkout"' in page and 'action="/shop/cart/discount-code"' in page
    s.post("/api/v1/cart/discount-code", json={"code": "BIENVENUE10"}, headers={"X-CSRF-Token": token})
    assert s.get("/api/v1/checkout").json()["state"].get("offer_codes") == ["BIENVENUE10"]
    assert s.post("/cart/clear", data={"csrf_token": token, "shop": "1"}).status_code in (200, 303)
    assert not s.get("/api/v1/checkout").json()["state"].get("offer_codes")
    assert s.get("/api/v1/cart").json()["offer_codes"] == []
