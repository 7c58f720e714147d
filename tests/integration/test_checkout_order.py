"""The order step and placement: terms, payment modes, the placed bill and its lines, refreshing an unpaid
bill, never touching a paid one, stock held atomically (200 buyers for the last 10 units) and released once."""
import concurrent.futures
import json
import os
import re
import subprocess
import time

import pytest

from conftest import api, customer_body as customer, token


def ready_to_order(s, items, who=None, shop=1):
    """A session with `items` ({code: qty}) in the cart and the customer step done."""
    tok = token(s)
    q = "" if shop == 1 else "?shop=%d" % shop
    for code, qty in items.items():
        r = api(s, "PUT", "/api/v1/cart/items/%s%s" % (code, q), {"quantity": qty}, tok)
        assert r.status_code == 200, r.text
    r = api(s, "PUT", "/api/v1/checkout/customer" + q, who or customer(), tok)
    assert r.status_code == 200, r.text
    return tok


def place(s, tok, paymode="transfer", accept=True, shop=1):
    q = "" if shop == 1 else "?shop=%d" % shop
    return api(s, "POST", "/api/v1/checkout/order" + q, {"paymode": paymode, "accept_terms": accept}, tok)


def test_anonymous_buyer_places_an_order(new_session, db):
    s = new_session()
    tok = ready_to_order(s, {"EXCEL101": 1, "PACK-MANAGER": 1})
    cart = s.get("/api/v1/cart").json()
    r = place(s, tok)
    assert r.status_code == 201, r.text
    body = r.json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", body["transid"])            # 192 random bits
    assert body["status"] == "PLACED" and body["currency"] == "EUR"
    assert body["to_pay_minor"] == cart["totals"]["to_pay_minor"]
    assert body["payment"]["url"] == "/shop/pay/" + body["transid"]
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", body["transid"])
    assert bill["status"] == "PLACED" and bill["paymode"] == "transfer" and bill["userid"] is None
    assert bill["to_pay_minor"] == cart["totals"]["to_pay_minor"] and bill["worktype"] == "PROD"
    assert bill["taxed_minor"] + bill["shipping_minor"] == bill["to_pay_minor"]
    assert bill["terms_hash"] and len(bill["terms_hash"]) == 64 and bill["terms_ip"] == "127.0.0.1"
    assert bill["terms_accepted_at"] and bill["customer_id"]
    cust = db.one("SELECT * FROM {shop}customer WHERE id = %s", bill["customer_id"])
    assert cust["lastname"].upper() == "MARTIN"
    lines = db.query("SELECT * FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill["id"])
    assert [l["type"] for l in lines] == ["PRODUCT", "PRODUCT"] and [l["code"] for l in lines] == ["EXCEL101", "PACK-MANAGER"]
    assert sum(l["total_minor"] for l in lines) == bill["to_pay_minor"]
    snap = json.loads(lines[0]["product_snapshot"])
    assert snap["code"] == "EXCEL101" and snap["action"] == "std_enrolonecourse" and snap["tiers"]
    assert snap["tax"]["rate"] and snap["unit_minor"] == lines[0]["unit_minor"]
    audit = db.query("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s", bill["id"])
    assert [(a["from_status"], a["to_status"]) for a in audit] == [(None, "PLACED")]
    page = s.get("/pay/" + body["transid"])
    assert page.status_code == 200 and "IBAN" in page.text and "FR76" in page.text.replace(" ", "")
    # another visitor cannot read it
    assert new_session().get("/pay/" + body["transid"]).status_code == 404


def test_terms_paymode_and_csrf_are_checked(new_session, db):
    s = new_session()
    tok = ready_to_order(s, {"EXCEL101": 1})
    before = db.scalar("SELECT COUNT(*) FROM {shop}bill")
    r = place(s, tok, accept=False)
    assert r.status_code == 400 and "accept_terms" in r.json()["error"]["fields"]
    r = api(s, "POST", "/api/v1/checkout/order", {"accept_terms": True}, tok)
    assert r.status_code == 400 and "paymode" in r.json()["error"]["fields"]
    for mode in ("test", "freeorder", "paypal", "funder", "nope"):      # admins only, automatic, no gateway, disabled
        r = place(s, tok, paymode=mode)
        assert r.status_code == 400 and "paymode" in r.json()["error"]["fields"], mode
    r = s.post("/api/v1/checkout/order", json={"paymode": "transfer", "accept_terms": True})
    assert r.status_code == 403
    # client prices are ignored: the order is the server's
    r = api(s, "POST", "/api/v1/checkout/order",
            {"paymode": "transfer", "accept_terms": True, "to_pay_minor": 1}, tok)
    assert r.status_code == 201 and r.json()["to_pay_minor"] > 1
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill") == before + 1


def test_field_errors_in_french_on_the_page(new_session):
    s = new_session()
    tok = ready_to_order(s, {"EXCEL101": 1})
    api(s, "PUT", "/api/v1/session/language", {"lang": "fr"}, tok)
    r = s.post("/checkout/order", data={"csrf_token": tok, "nav": "next", "paymode": "transfer"})
    assert r.status_code == 400
    assert "Veuillez accepter les conditions générales de vente." in r.text
    assert 'aria-describedby="accept_terms-error"' in r.text


def test_order_needs_the_earlier_steps(new_session):
    s = new_session()
    tok = token(s)
    r = place(s, tok)
    assert r.status_code == 409 and r.json()["error"]["code"] == "cart_empty"
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    r = place(s, tok)
    assert r.status_code == 409 and r.json()["error"]["code"] == "step_incomplete"
    assert r.json()["error"]["fields"]["step"] == "customer"
    page = s.get("/checkout/order", allow_redirects=False)
    assert page.status_code == 303 and page.headers["Location"].endswith("/checkout/customer")


def test_replacing_refreshes_the_unpaid_bill_and_never_a_paid_one(new_session, db):
    s = new_session()
    tok = ready_to_order(s, {"EXCEL101": 1})
    first = place(s, tok).json()["transid"]
    assert api(s, "PUT", "/api/v1/cart/items/PACK-MANAGER", {"quantity": 1}, tok).status_code == 200
    r = place(s, tok, paymode="check")
    assert r.status_code == 200 and r.json()["transid"] == first and r.json()["refreshed"]
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", first)
    codes = [l["code"] for l in db.query("SELECT code FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill["id"])]
    assert codes == ["EXCEL101", "PACK-MANAGER"] and bill["paymode"] == "check" and bill["version"] == 1
    audit = db.query("SELECT from_status, to_status FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id", bill["id"])
    assert [(a["from_status"], a["to_status"]) for a in audit] == [(None, "PLACED"), ("PLACED", "PLACED")]
    # once paid, the bill is never altered by the cart
    db.execute("UPDATE {shop}bill SET status = 'SOLDOUT', paid_minor = to_pay_minor WHERE id = %s", bill["id"])
    assert api(s, "PUT", "/api/v1/cart/items/PACK-MANAGER", {"quantity": 0}, tok).status_code == 200
    r = place(s, tok)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_paid"
    after = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill["id"])
    assert after["to_pay_minor"] == bill["to_pay_minor"] and after["version"] == 1
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s", bill["id"]) == 2
    # that order is done: the cart starts afresh and the paid bill stays readable by this session
    assert s.get("/api/v1/cart").json()["lines"] == []
    assert s.get("/order/" + first).status_code == 200
    ready_to_order(s, {"EXCEL101": 1})
    r = place(s, tok)
    assert r.status_code == 201 and r.json()["transid"] != first


def test_html_flow_places_and_shows_the_order(new_session, db):
    s = new_session()
    tok = ready_to_order(s, {"EXCEL101": 1})
    page = s.get("/checkout/order")
    assert page.status_code == 200 and "EXCEL101" in page.text and 'name="paymode"' in page.text
    assert 'aria-current="step"' in page.text
    r = s.post("/checkout/order", data={"csrf_token": tok, "nav": "next", "paymode": "check", "accept_terms": "1"},
               allow_redirects=False)
    assert r.status_code == 303 and "/shop/pay/" in r.headers["Location"]
    transid = r.headers["Location"].rsplit("/", 1)[1]
    assert db.scalar("SELECT paymode FROM {shop}bill WHERE transid = %s", transid) == "check"
    pay = s.get(r.headers["Location"])
    assert pay.status_code == 200 and "Formations Démo SAS" in pay.text
    back = s.post("/checkout/order", data={"csrf_token": tok, "nav": "back"}, allow_redirects=False)
    assert back.status_code == 303 and back.headers["Location"].endswith("/checkout/customer")


@pytest.fixture
def limited_product(db, bump_catalogues):
    """A copy of EXCEL101 with 10 units in stock and no action (code STOCK-TEST)."""
    cols = [r["COLUMN_NAME"] for r in db.query(
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        " AND TABLE_NAME = %s AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION", "shop_product")]
    override = {"code": "'STOCK-TEST'", "name": "'Stock test'", "stock": "10", "reserved": "0", "action": "NULL", "max_quantity": "0",
                "action_params": "NULL", "seo_alias": "NULL", "idnumber": "''"}
    select = ", ".join(override.get(c, c) for c in cols)
    db.execute("INSERT INTO {shop}product (%s) SELECT %s FROM {shop}product WHERE code = 'EXCEL101' AND catalogue_id = 1"
               % (", ".join(cols), select))
    pid = db.scalar("SELECT id FROM {shop}product WHERE code = 'STOCK-TEST'")
    db.execute("INSERT INTO {shop}product_price (product_id, currency, tier, up_to, price_minor)"
               " SELECT %s, currency, tier, up_to, price_minor FROM {shop}product_price WHERE product_id ="
               " (SELECT id FROM {shop}product WHERE code = 'EXCEL101' AND catalogue_id = 1)", pid)
    bump_catalogues()
    yield pid
    db.execute("DELETE FROM {shop}bill WHERE id IN (SELECT bill_id FROM {shop}stock_reservation WHERE product_id = %s)", pid)
    db.execute("DELETE FROM {shop}bill_line WHERE product_id = %s", pid)
    db.execute("DELETE FROM {shop}product WHERE id = %s", pid)
    bump_catalogues()


def stock(db, pid):
    return db.one("SELECT stock, reserved FROM {shop}product WHERE id = %s", pid)


def test_stock_held_refreshed_and_released_once_by_cron(new_session, db, stack, shopctl, limited_product):
    pid = limited_product
    s = new_session()
    tok = ready_to_order(s, {"STOCK-TEST": 3})
    transid = place(s, tok).json()["transid"]
    assert stock(db, pid) == {"stock": 10, "reserved": 3}
    bill_id = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", transid)
    hold = db.one("SELECT * FROM {shop}stock_reservation WHERE bill_id = %s", bill_id)
    assert hold["quantity"] == 3 and hold["released"] == 0 and hold["expires_at"] >= int(time.time()) + 86000
    # re-placing with another quantity replaces the hold, it does not add to it
    assert api(s, "PUT", "/api/v1/cart/items/STOCK-TEST", {"quantity": 2}, tok).status_code == 200
    assert place(s, tok).status_code == 200
    assert stock(db, pid)["reserved"] == 2
    # not expired yet: cron leaves it
    out = shopctl("cron").stdout
    assert "stock holds released: 0" in out and stock(db, pid)["reserved"] == 2
    db.execute("UPDATE {shop}stock_reservation SET expires_at = %s WHERE bill_id = %s", int(time.time()) - 1, bill_id)
    # two crons at once: the hold is given back exactly once
    exe = os.path.join(stack["SHOP_BUILD"], "shopctl")
    procs = [subprocess.Popen([exe, "cron"], stdout=subprocess.PIPE, text=True, env=stack.env()) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    counts = sorted(int(re.search(r"stock holds released: (\d+)", o).group(1)) for o in outs)
    assert counts == [0, 1]
    assert stock(db, pid)["reserved"] == 0
    assert db.scalar("SELECT released FROM {shop}stock_reservation WHERE bill_id = %s", bill_id) == 1
    assert "stock holds released: 0" in shopctl("cron").stdout and stock(db, pid)["reserved"] == 0


def test_200_buyers_for_the_last_10_units(new_session, db, limited_product):
    pid = limited_product
    buyers = []

    def prepare(i):
        s = new_session()
        return s, ready_to_order(s, {"STOCK-TEST": 1}, who=customer("c%03d" % i))

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        buyers = list(pool.map(prepare, range(200)))
    for s, _ in buyers:
        s.close()           # a fresh connection each: the server may have closed idle keep-alive ones
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda b: place(b[0], b[1]), buyers))
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) == 10, statuses
    refused = [a for a in answers if a.status_code != 201]
    assert len(refused) == 190
    assert all(a.status_code == 409 and a.json()["error"]["code"] == "sold_out" for a in refused)
    assert all("STOCK-TEST" in json.dumps(a.json()["error"]["fields"]) for a in refused)
    assert stock(db, pid) == {"stock": 10, "reserved": 10}
    assert db.scalar("SELECT COUNT(*) FROM {shop}stock_reservation WHERE product_id = %s AND released = 0", pid) == 10
    assert db.scalar("SELECT COUNT(DISTINCT b.id) FROM {shop}bill b JOIN {shop}bill_line l ON l.bill_id = b.id"
                     " WHERE l.product_id = %s", pid) == 10


SETTINGS_TTL = 2.5      # each httpd child reads the settings again after 2 s (src/web/runtime.h)


def test_offline_modes_need_an_account_unless_the_shop_lets_guests_use_them(new_session, db):
    db.execute("UPDATE {shop}setting SET value = '0' WHERE name = 'anonymousofflinepayments'")
    time.sleep(SETTINGS_TTL)
    try:
        s = new_session()
        tok = ready_to_order(s, {"EXCEL101": 1})
        r = place(s, tok, paymode="transfer")
        assert r.status_code == 400 and "paymode" in r.json()["error"]["fields"]
        page = s.get("/checkout/order", headers={"Accept-Language": "en"}).text
        assert 'name="paymode"' not in page and "No payment mode is available to you" in page
    finally:
        db.execute("UPDATE {shop}setting SET value = '1' WHERE name = 'anonymousofflinepayments'")
        time.sleep(SETTINGS_TTL)
