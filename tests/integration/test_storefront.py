"""The storefront on the demo catalogue: listing rules, audiences, slave catalogue, prices, API shape, freshness."""
import re
import secrets
import time

import pytest

from conftest import memcache_delete


def bump(stack, db, catalogue_id):
    db.execute("UPDATE {shop}catalogue SET cache_version = cache_version + 1 WHERE id = %s OR master_id = %s",
               catalogue_id, catalogue_id)
    for row in db.query("SELECT id FROM {shop}catalogue WHERE id = %s OR master_id = %s", catalogue_id, catalogue_id):
        memcache_delete(stack, "shop_catver:%d" % row["id"])


def catalog(session, shop=None):
    r = session.get("/api/v1/catalog" + ("?shop=%d" % shop if shop else ""))
    assert r.status_code == 200, r.text
    return r.json()


def codes(cat):
    return {p["code"] for p in cat["products"]}


def test_api_shape_matches_the_contract(http):
    cat = catalog(http)
    assert cat["shop"]["currency"] == "EUR" and cat["shop"]["id"] == 1
    assert cat["categories"] and all({"id", "name"} <= set(c) for c in cat["categories"])
    for p in cat["products"]:
        for key in ("code", "name", "price_minor", "price_taxed_minor", "currency", "tiers", "status", "seat_mode",
                    "required_data", "action", "kind", "elements"):
            assert key in p or (p["kind"] == "set" and key in ("price_minor", "price_taxed_minor")), (key, p["code"])
        assert p["seat_mode"] in ("none", "one", "per_unit")
        assert p["kind"] in ("product", "set", "bundle")
        assert isinstance(p["required_data"], list)
        for t in p["tiers"]:
            assert set(t) >= {"up_to", "price_minor"}


def test_listing_rules_for_anonymous(http):
    cat = catalog(http)
    seen = codes(cat)
    assert "EXCEL-AVANCE" not in seen            # PREVIEW
    assert "SAFE1-PRESENTIEL" not in seen        # SUSPENDED
    assert "SAFE1" in seen                       # PROVIDING is listed
    assert "WORD2010" not in seen                # in a hidden category
    assert "PM200" not in seen                   # logged-in only
    assert "EXCEL101-QUIZ" not in seen           # customers only
    assert "SAFE1-DECOUVERTE" in seen            # logged-out only
    assert {c["name"] for c in cat["categories"]} >= {"Formations en ligne", "Sessions tutorées"}
    assert "Archives" not in {c["name"] for c in cat["categories"]}


def test_audience_for_logged_in_user_customer_and_staff(new_session, shopctl, db):
    user = new_session()
    user.get(shopctl("ticket", "6").stdout.strip(), allow_redirects=False)
    seen = codes(catalog(user))
    assert "PM200" in seen and "SAFE1-DECOUVERTE" not in seen and "EXCEL101-QUIZ" not in seen

    db.execute("INSERT IGNORE INTO {shop}customer (shop_id, userid, firstname, lastname, email, country, created_at,"
               " modified_at) VALUES (1, 5, 'Chloé', 'Dubois', 'chloe.dubois@example.com', 'FR', 0, 0)")
    customer = new_session()
    customer.get(shopctl("ticket", "5").stdout.strip(), allow_redirects=False)
    assert "EXCEL101-QUIZ" in codes(catalog(customer))

    staff = new_session()
    staff.get(shopctl("ticket", "7").stdout.strip(), allow_redirects=False)
    seen = codes(catalog(staff))
    assert {"EXCEL-AVANCE", "SAFE1-PRESENTIEL", "WORD2010"} <= seen


def test_prices_tiers_and_taxes(http):
    products = {p["code"]: p for p in catalog(http)["products"]}
    book = products["LIVRE-EXCEL"]                 # 29.00 at 5.5 %
    assert book["price_minor"] == 2900 and book["price_taxed_minor"] == 3060
    mug = products["MUG-LOGO"]                     # 12.00 at 20 %
    assert mug["price_taxed_minor"] == 1440
    session = products["PM200-SESSION"]
    assert [t["up_to"] for t in session["tiers"]] == [4, 9, 19, None]
    assert [t["price_minor"] for t in session["tiers"]] == [49000, 44000, 39000, 34000]
    assert products["CARNET-NOTES"]["available"] is False      # stock 0
    assert products["GOODIES"]["kind"] == "set" and set(products["GOODIES"]["elements"]) == {
        "MUG-LOGO", "TSHIRT-LOGO", "CARNET-NOTES"}
    assert products["PACK-MANAGER"]["kind"] == "bundle" and products["PACK-MANAGER"]["price_minor"] == 59900


def test_slave_catalogue_overrides_by_code(new_session):
    s = new_session()
    cat = catalog(s, shop=2)
    products = {p["code"]: p for p in cat["products"]}
    assert products["PM200-SESSION"]["name"] != "" and [t["price_minor"] for t in products["PM200-SESSION"]["tiers"]] \
        == [52000, 47000, 42000]
    master = {p["code"]: p for p in catalog(s, shop=1)["products"]}
    for code in ("EXCEL101", "SAFE1", "LIVRE-EXCEL"):     # English overrides of French names
        assert products[code]["name"] != master[code]["name"], code
    assert products["FRBIZ-COACHING"]["name"] == master["FRBIZ-COACHING"]["name"]   # not overridden
    # technical fields stay the master's
    assert products["PM200-SESSION"]["seat_mode"] == master["PM200-SESSION"]["seat_mode"]


def test_catalogue_page_tabs_breadcrumb_and_cards(http):
    r = http.get("/")
    assert r.status_code == 200
    assert 'aria-current="page"' in r.text and "Formations en ligne" in r.text
    assert 'id="product-SAFE1"' in r.text and 'id="product-PM200"' not in r.text
    r = http.get("/?category=boutique")
    assert r.status_code == 200 and 'id="product-LIVRE-EXCEL"' in r.text and 'id="product-GOODIES"' in r.text
    assert "Sold out" in r.text or "Épuisé" in r.text
    assert http.get("/?category=archives").status_code == 404      # hidden
    assert http.get("/?category=nope").status_code == 404
    assert http.get("/?shop=2").status_code == 200                  # stacked categories
    assert "category-" in http.get("/?shop=2").text


def test_product_page(http):
    r = http.get("/product/PM200-SESSION")
    assert r.status_code == 200 and "<table class=\"tiers\"" in r.text and "class=\"breadcrumb\"" in r.text
    assert http.get("/product/EXCEL-AVANCE").status_code == 404
    assert http.get("/product/NO-SUCH").status_code == 404
    assert http.get("/product/<script>").status_code in (400, 404)


def test_empty_catalogue_gives_a_clear_page(http, db, stack):
    cat_id = 900 + secrets.randbelow(90)
    db.execute("INSERT INTO {shop}catalogue (id, name, kind, cache_version) VALUES (%s, %s, 'standalone', 1)",
               cat_id, "Empty %d" % cat_id)
    db.execute("INSERT INTO {shop}shop (id, name, catalogue_id, currency, enabled) VALUES (%s, %s, %s, 'EUR', 1)",
               cat_id, "Empty shop %d" % cat_id, cat_id)
    r = http.get("/?shop=%d" % cat_id)
    assert r.status_code == 200 and 'class="empty"' in r.text


def test_edit_shows_on_next_request_in_every_child(stack, db, new_session):
    s = new_session()
    for _ in range(20):                    # both children cache the model
        catalog(s)
    new_name = "Livre Excel %s" % secrets.token_hex(3)
    db.execute("UPDATE {shop}product SET name = %s WHERE code = 'LIVRE-EXCEL' AND catalogue_id = 1", new_name)
    bump(stack, db, 1)
    for _ in range(20):
        names = {p["code"]: p["name"] for p in catalog(s)["products"]}
        assert names["LIVRE-EXCEL"] == new_name


def test_descriptions_are_sanitized(stack, db, http):
    evil = '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(2)">link</a><img src=x onerror=y></p>'
    db.execute("UPDATE {shop}product SET short_description = %s WHERE code = 'MUG-LOGO' AND catalogue_id = 1", evil)
    bump(stack, db, 1)
    r = http.get("/?category=boutique")
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "onclick" not in r.text and "javascript:" not in r.text
    assert "onerror" not in r.text
    api = {p["code"]: p for p in catalog(http)["products"]}
    assert "<script" not in (api["MUG-LOGO"]["short_description"] or "")


def test_unknown_shop_is_404(http):
    assert http.get("/?shop=424242").status_code == 404
    assert http.get("/api/v1/catalog?shop=424242").status_code == 404


def test_passcode_unlocks_buying_and_is_throttled(new_session, db):
    s = new_session()
    token = s.get("/api/v1/session").json()["csrf_token"]
    page = s.get("/product/PM200-INTRA")
    assert page.status_code == 200 and 'class="passcode"' in page.text and 'action="/shop/cart/add"' not in page.text
    r = s.post("/api/v1/products/PM200-INTRA/passcode", json={"passcode": "WRONG"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 403 and r.json()["error"]["code"] == "passcode_wrong" and "passcode" in r.json()["error"]["fields"]
    r = s.post("/api/v1/products/PM200-INTRA/passcode", json={"passcode": "DEMO2026"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"      # no token
    r = s.post("/api/v1/products/PM200-INTRA/passcode", json={"passcode": "DEMO2026"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["passed"] is True
    page = s.get("/product/PM200-INTRA")
    assert 'class="passcode"' not in page.text and 'action="/shop/cart/add"' in page.text
    stored = db.scalar("SELECT passcode_hash FROM {shop}product WHERE code = 'PM200-INTRA' AND catalogue_id = 1")
    assert stored and "DEMO2026" not in stored

    guesser = new_session()
    token = guesser.get("/api/v1/session").json()["csrf_token"]
    statuses = [guesser.post("/product/PM200-INTRA/passcode", data={"csrf_token": token, "passcode": "guess%d" % i}).status_code
                for i in range(7)]
    assert statuses[:5] == [403] * 5 and statuses[5:] == [429, 429]
    # even the right code is refused while throttled
    r = guesser.post("/product/PM200-INTRA/passcode", data={"csrf_token": token, "passcode": "DEMO2026"})
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert new_session().post("/api/v1/products/NOPE/passcode", json={"passcode": "x"},
                              headers={"X-CSRF-Token": "x"}).status_code == 403


def test_shared_anonymous_pages_carry_each_visitors_own_token(new_session):
    tokens = []
    for _ in range(3):
        s = new_session()
        page = s.get("/?category=sessions")
        assert page.status_code == 200
        found = set(re.findall(r'name="csrf_token" value="([^"]+)"', page.text))
        assert len(found) == 1
        token = found.pop()
        assert token == s.get("/api/v1/session").json()["csrf_token"]
        # and it works for a state change
        assert s.post("/language", data={"csrf_token": token, "lang": "fr", "back": "/"}).status_code == 303
        tokens.append(token)
    assert len(set(tokens)) == 3
    # a visitor who unlocked a passcode sees their own page, others still the locked one
    a, b = new_session(), new_session()
    token = a.get("/api/v1/session").json()["csrf_token"]
    assert a.post("/api/v1/products/PM200-INTRA/passcode", json={"passcode": "DEMO2026"},
                  headers={"X-CSRF-Token": token}).status_code == 200
    card = lambda text: text.split('id="product-PM200-INTRA"')[1].split("</article>")[0]
    assert 'class="passcode"' not in card(a.get("/?category=sessions").text)
    assert 'class="passcode"' in card(b.get("/?category=sessions").text)
