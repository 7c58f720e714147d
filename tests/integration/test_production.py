"""Production of bills (issue 5 point 2): a paid bill's PRODUCT lines are produced once through the default
action (product instance with a checked reference, billed event, feedback on the line and the bill), the bill
moves to COMPLETE; crons run again, even concurrently, never produce twice; a line failing for real (a MariaDB
trigger) keeps the payment and the bill SOLDOUT with the reason until a cron completes it; free orders end
COMPLETE; staff may have an order produced before payment (PREPROD), customers may not."""
import concurrent.futures
import json
import re
import secrets
import subprocess
import time

import pytest

from conftest import api, customer_body as customer, token

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def reference_ok(ref):
    """The checksum of src/core/product_ref.c, computed again here."""
    if not re.fullmatch(r"[%s]{4}(-[%s]{4}){3}" % (ALPHABET, ALPHABET), ref):
        return False
    chars = ref.replace("-", "")
    s = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(chars[:14])) % 1024
    return chars[14] == ALPHABET[s % 32] and chars[15] == ALPHABET[s // 32]


def account_customer(db, userid):
    """The customer step of a logged-in Moodle user: the account's own names and e-mail."""
    u = db.one("SELECT firstname, lastname, email FROM {mdl}user WHERE id = %s", userid)
    who = customer()
    who["customer"].update(firstname=u["firstname"], lastname=u["lastname"], email=u["email"])
    return who


def order(s, items, body=None, who=None):
    """Cart `items` ({code: qty}), customer step, then POST the order; returns the response."""
    tok = token(s)
    for code, qty in items.items():
        r = api(s, "PUT", "/api/v1/cart/items/%s" % code, {"quantity": qty}, tok)
        assert r.status_code == 200, r.text
    r = api(s, "PUT", "/api/v1/checkout/customer", who or customer(), tok)
    assert r.status_code == 200, r.text
    return api(s, "POST", "/api/v1/checkout/order", dict({"accept_terms": True}, **(body or {"paymode": "transfer"})), tok)


def placed(new_session, items):
    r = order(new_session(), items)
    assert r.status_code == 201, r.text
    return r.json()["transid"]


def bill_of(db, transid):
    return db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)


def product_lines(db, bill_id):
    return db.query("SELECT * FROM {shop}bill_line WHERE bill_id = %s AND type = 'PRODUCT' ORDER BY line_no", bill_id)


def instances(db, bill_id):
    return db.query("SELECT i.* FROM {shop}product_instance i JOIN {shop}bill_line l ON l.id = i.initial_line_id"
                    " WHERE l.bill_id = %s ORDER BY i.id", bill_id)


TODAY = time.strftime("%Y-%m-%d")


def pay_api(staff, db, transid):
    """A full offline payment recorded by staff (POST /api/v1/bills/TRANSID/payments)."""
    amount = bill_of(db, transid)["to_pay_minor"]
    body = {"amount_minor": amount, "reference": "VIR-" + secrets.token_hex(6), "date": TODAY, "paymode": "transfer"}
    r = api(staff, "POST", "/api/v1/bills/%s/payments" % transid, body, staff.tok)
    assert r.status_code in (200, 201), r.text
    return r.json()


def pay(db, shopctl, transid):
    """The money arrives: the bill is SOLDOUT as a payment leaves it, then `shopctl cron` produces it."""
    db.execute("UPDATE {shop}bill SET status = 'SOLDOUT', paid_minor = to_pay_minor, paid_at = UNIX_TIMESTAMP()"
               " WHERE transid = %s", transid)
    return shopctl("cron").stdout


def assert_produced_once(db, bill):
    lines = product_lines(db, bill["id"])
    inst = instances(db, bill["id"])
    assert lines and all(l["produced"] == 1 and l["produced_at"] and l["prepaid_at"] for l in lines)
    assert all(l["production_error"] is None and l["prepay_error"] is None for l in lines)
    assert sorted(i["initial_line_id"] for i in inst) == sorted(l["id"] for l in lines)      # one per line
    by_line = {i["initial_line_id"]: i for i in inst}
    for l in lines:
        i = by_line[l["id"]]
        assert reference_ok(i["reference"]), i["reference"]
        assert i["customer_id"] == bill["customer_id"] and i["current_line_id"] == i["initial_line_id"]
        assert i["product_code"] == l["code"] and i["product_id"] == l["product_id"] and i["context_type"] == ""
        assert i["status"] == "active" and i["test"] == bill["test"]
        data = json.loads(i["production_data"])
        assert data["action"] == json.loads(l["product_snapshot"])["action"]
        events = db.query("SELECT * FROM {shop}product_event WHERE instance_id = %s", i["id"])
        assert [(e["event_type"], e["line_id"]) for e in events] == [("billed", l["id"])]
        fb = json.loads(l["production_feedback"])
        assert "%d × " % l["quantity"] in fb["public"] and i["reference"] in fb["private"]
        assert i["reference"] in fb["salesadmin"] and bill["transid"] in fb["salesadmin"]
    return lines, inst


def test_paid_bill_is_produced_once_then_complete(new_session, db, shopctl):
    transid = placed(new_session, {"EXCEL101": 1, "MUG-LOGO": 3})
    bill = bill_of(db, transid)
    assert bill["status"] == "PLACED"
    assert shopctl("cron").returncode == 0 and not instances(db, bill["id"])          # unpaid: nothing
    out = pay(db, shopctl, transid)
    assert re.search(r"^production retried: \d+ bills?, 0 still failing$", out, re.M), out
    bill = bill_of(db, transid)
    assert bill["status"] == "COMPLETE"
    lines, inst = assert_produced_once(db, bill)
    # EXCEL101 has one year (renewable, duration param absent: a year); MUG-LOGO no end
    excel = next(i for i in inst if i["product_code"] == "EXCEL101")
    mug = next(i for i in inst if i["product_code"] == "MUG-LOGO")
    params = json.loads(lines[0]["product_snapshot"])["action_params"] or {}
    if "duration" not in params and "endtime" not in params:
        assert excel["end_at"] - excel["start_at"] == 365 * 86400
    assert mug["end_at"] == 0
    fb = json.loads(bill["production_feedback"])
    assert "1 × " in fb["public"] and "3 × " in fb["public"] and excel["reference"] in fb["private"]
    assert "<" not in fb["public"].replace("<p>", "").replace("</p>", "")          # labels are escaped
    audit = db.query("SELECT from_status, to_status, source, userid FROM {shop}bill_state_log WHERE bill_id = %s"
                     " ORDER BY id", bill["id"])
    assert audit[-1] == {"from_status": "SOLDOUT", "to_status": "COMPLETE", "source": "cron", "userid": None}
    trace = db.query("SELECT level, source, message FROM {shop}trace WHERE transid = %s ORDER BY id", transid)
    assert sum(1 for t in trace if t["source"] == "production" and "post-pay done" in t["message"]) == 2
    # more crons: nothing produced again, nothing changed
    for _ in range(2):
        shopctl("cron")
    assert len(instances(db, bill["id"])) == 2
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_event e JOIN {shop}bill_line l ON l.id = e.line_id"
                     " WHERE l.bill_id = %s", bill["id"]) == 2
    assert bill_of(db, transid)["production_feedback"] == bill["production_feedback"]


def test_concurrent_crons_never_produce_twice(new_session, db, stack):
    transids = [placed(new_session, {"EXCEL101": 1, "TSHIRT-LOGO": 2, "SAFE1": 1}) for _ in range(6)]
    for t in transids:
        db.execute("UPDATE {shop}bill SET status = 'SOLDOUT', paid_minor = to_pay_minor WHERE transid = %s", t)
    exe = stack["SHOP_BUILD"] + "/shopctl"

    def cron(_):
        return subprocess.run([exe, "cron"], env=stack.env(), text=True, capture_output=True, timeout=120)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(cron, range(8)))
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    for t in transids:
        bill = bill_of(db, t)
        assert bill["status"] == "COMPLETE"
        assert_produced_once(db, bill)
        assert db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id = %s AND to_status = 'COMPLETE'",
                         bill["id"]) == 1
        assert db.scalar("SELECT COUNT(*) FROM {shop}trace WHERE transid = %s AND source = 'production'"
                         " AND message LIKE '%%post-pay done'", t) == 3


@pytest.fixture
def disk_full(db):
    """TSHIRT-LOGO cannot be recorded: a trigger refuses its product instances, as a full disk would."""
    root = db.as_root()
    root.execute("DROP TRIGGER IF EXISTS shop_test_disk_full")
    root.execute("CREATE TRIGGER shop_test_disk_full BEFORE INSERT ON {shop}product_instance FOR EACH ROW"
                 " BEGIN IF NEW.product_code = 'TSHIRT-LOGO' THEN"
                 " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'; END IF; END")

    def drop():
        root.execute("DROP TRIGGER IF EXISTS shop_test_disk_full")
    yield drop
    drop()
    root.close()


def test_failing_line_keeps_the_money_and_a_cron_completes_it(new_session, db, shopctl, disk_full):
    transid = placed(new_session, {"EXCEL101": 1, "TSHIRT-LOGO": 2})
    out = pay(db, shopctl, transid)
    assert re.search(r"^production retried: \d+ bills?, 1 still failing$", out, re.M), out
    bill = bill_of(db, transid)
    assert bill["status"] == "SOLDOUT" and bill["paid_minor"] == bill["to_pay_minor"] > 0
    excel, shirt = product_lines(db, bill["id"])
    assert excel["produced"] == 1 and excel["production_error"] is None
    assert shirt["produced"] == 0 and shirt["production_error"] == "disk full" and shirt["production_attempts"] == 1
    assert shirt["prepaid_at"] is None or shirt["prepaid_at"] > 0
    assert [i["product_code"] for i in instances(db, bill["id"])] == ["EXCEL101"]
    errors = db.query("SELECT message FROM {shop}trace WHERE transid = %s AND level = 'error'", transid)
    assert any("TSHIRT-LOGO" in e["message"] and "disk full" in e["message"] for e in errors)
    fb = json.loads(bill["production_feedback"])
    assert "TSHIRT" not in fb["salesadmin"] and "1 × " in fb["public"]
    # still failing: counted again, never half-written
    shopctl("cron")
    shirt = product_lines(db, bill["id"])[1]
    assert shirt["production_attempts"] == 2 and shirt["produced"] == 0
    assert bill_of(db, transid)["status"] == "SOLDOUT"
    # the disk has room again
    disk_full()
    out = shopctl("cron").stdout
    assert re.search(r"^production retried: \d+ bills?, 0 still failing$", out, re.M), out
    bill = bill_of(db, transid)
    assert bill["status"] == "COMPLETE" and bill["paid_minor"] == bill["to_pay_minor"]
    lines, inst = assert_produced_once(db, bill)
    assert lines[1]["production_attempts"] == 2
    fb = json.loads(bill["production_feedback"])
    assert "2 × " in fb["public"] and all(i["reference"] in fb["private"] for i in inst)


def test_unpaid_and_cancelled_bills_are_never_produced(new_session, db, shopctl):
    transids = [placed(new_session, {"EXCEL101": 1}) for _ in range(3)]
    for t, status in zip(transids, ("PENDING", "CANCELLED", "PAYBACK")):
        db.execute("UPDATE {shop}bill SET status = %s WHERE transid = %s", status, t)
    shopctl("cron")
    for t in transids:
        bill = bill_of(db, t)
        assert not instances(db, bill["id"])
        assert all(l["produced"] == 0 and l["production_attempts"] == 0 for l in product_lines(db, bill["id"]))


def test_payment_through_the_api_produces_at_once(new_session, db, staff, shopctl, mails):
    transid = placed(new_session, {"EXCEL101": 1, "MUG-LOGO": 1})
    answer = pay_api(staff, db, transid)
    assert answer["status"] == "COMPLETE", answer
    bill = bill_of(db, transid)
    assert bill["status"] == "COMPLETE" and bill["paid_minor"] == bill["to_pay_minor"] and bill["invoice_number"]
    assert_produced_once(db, bill)
    audit = [(a["from_status"], a["to_status"]) for a in
             db.query("SELECT from_status, to_status FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id", bill["id"])]
    assert audit == [(None, "PLACED"), ("PLACED", "SOLDOUT"), ("SOLDOUT", "COMPLETE")]
    # the customer is told once, with the public and private feedback
    rows = db.query("SELECT * FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'", bill["id"])
    assert len(rows) == 1 and rows[0]["status"] == "sent"
    cust = db.one("SELECT email FROM {shop}customer WHERE id = %s", bill["customer_id"])
    assert rows[0]["to_addr"] == cust["email"]
    shopctl("cron")
    assert len(instances(db, bill["id"])) == 2
    assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'",
                     bill["id"]) == 1


def test_failed_line_after_an_api_payment_keeps_invoice_and_money(new_session, db, staff, shopctl, disk_full,
                                                                   expect_log):
    expect_log(r"action_default\.instance_insert failed: MySQL error 1644: disk full")
    transid = placed(new_session, {"TSHIRT-LOGO": 1, "EXCEL101": 1})
    answer = pay_api(staff, db, transid)
    assert answer["status"] == "SOLDOUT", answer
    bill = bill_of(db, transid)
    assert bill["status"] == "SOLDOUT" and bill["paid_minor"] == bill["to_pay_minor"] and bill["invoice_number"]
    lines = {l["code"]: l for l in product_lines(db, bill["id"])}
    shirt, excel = lines["TSHIRT-LOGO"], lines["EXCEL101"]
    assert shirt["production_error"] == "disk full" and shirt["production_attempts"] == 1 and not shirt["produced"]
    assert excel["produced"] == 1
    assert not db.query("SELECT 1 FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'",
                        bill["id"])
    disk_full()
    shopctl("cron")
    after = bill_of(db, transid)
    assert after["status"] == "COMPLETE" and after["invoice_number"] == bill["invoice_number"]
    assert after["paid_minor"] == bill["paid_minor"]
    assert_produced_once(db, after)


def test_free_order_ends_complete(new_session, db):
    s = new_session()
    r = order(s, {"SAFE1-DECOUVERTE": 1}, body={})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "COMPLETE" and r.json()["to_pay_minor"] == 0
    bill = bill_of(db, r.json()["transid"])
    assert bill["status"] == "COMPLETE" and bill["paymode"] == "freeorder" and bill["paid_minor"] == 0
    lines, inst = assert_produced_once(db, bill)
    assert inst[0]["product_code"] == "SAFE1-DECOUVERTE" and inst[0]["end_at"] > inst[0]["start_at"]
    audit = db.query("SELECT from_status, to_status, userid, source FROM {shop}bill_state_log WHERE bill_id = %s"
                     " ORDER BY id", bill["id"])
    assert [(a["from_status"], a["to_status"]) for a in audit] == [(None, "PLACED"), ("PLACED", "SOLDOUT"),
                                                                   ("SOLDOUT", "COMPLETE")]
    assert all(a["userid"] is None and a["source"] == "api" for a in audit[1:])
    # the buyer may read the bill and its feedback
    got = s.get("/api/v1/bills/" + bill["transid"])
    assert got.status_code == 200 and got.json()["status"] == "COMPLETE"
    # the order is done: the cart starts afresh, the session still reads the bill and its status page
    cart = s.get("/api/v1/cart").json()
    assert cart["lines"] == [], cart
    assert s.get("/order/" + bill["transid"]).status_code == 200
    assert new_session().get("/order/" + bill["transid"]).status_code == 404     # anyone else: unknown


def test_free_order_in_html_lands_on_its_status_page(new_session, db):
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/SAFE1-DECOUVERTE", {"quantity": 1}, tok).status_code == 200
    assert api(s, "PUT", "/api/v1/checkout/customer", customer(), tok).status_code == 200
    r = s.post("/checkout/order", data={"csrf_token": tok, "accept_terms": "1"})
    assert r.status_code == 303, r.text
    transid = r.headers["Location"].rsplit("/", 1)[1]
    assert r.headers["Location"].endswith("/order/" + transid)
    assert bill_of(db, transid)["status"] == "COMPLETE"
    page = s.get("/order/" + transid)
    assert page.status_code == 200 and transid in page.text
    assert s.get("/api/v1/cart").json()["lines"] == []


def test_staff_produce_now_before_payment(new_session, db, moodle_login, staff, shopctl):
    r = order(staff, {"EXCEL101": 1, "MUG-LOGO": 2}, body={"paymode": "transfer", "produce_now": True},
              who=account_customer(db, 7))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "PREPROD"
    bill = bill_of(db, r.json()["transid"])
    assert bill["status"] == "PREPROD" and bill["paid_minor"] == 0 and bill["invoice_number"] is None
    assert_produced_once(db, bill)
    audit = db.query("SELECT from_status, to_status, userid FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id",
                     bill["id"])
    assert (audit[-1]["from_status"], audit[-1]["to_status"], audit[-1]["userid"]) == ("PLACED", "PREPROD", 7)
    assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'",
                     bill["id"]) == 1
    shopctl("cron")
    assert bill_of(db, bill["transid"])["status"] == "PREPROD" and len(instances(db, bill["id"])) == 2
    # the payment comes later: COMPLETE, nothing produced again
    answer = pay_api(staff, db, bill["transid"])
    assert answer["status"] == "COMPLETE", answer
    assert len(instances(db, bill["id"])) == 2
    assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'",
                     bill["id"]) == 1


def test_produce_now_is_for_staff_only(new_session, db, moodle_login, staff):
    customer_s = new_session()
    moodle_login(customer_s, 4)                                      # Bob, a customer
    before = db.scalar("SELECT COUNT(*) FROM {shop}bill")
    r = order(customer_s, {"EXCEL101": 1}, body={"paymode": "transfer", "produce_now": True},
              who=account_customer(db, 4))
    assert r.status_code == 403, r.text
    err = r.json()["error"]
    assert err["code"] == "forbidden" and "produce_now" in err["fields"] and "staff" in err["message"]
    anonymous = new_session()
    r = order(anonymous, {"EXCEL101": 1}, body={"paymode": "transfer", "produce_now": True})
    assert r.status_code == 403
    r = api(customer_s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True,
                                                            "produce_now": "yes"})
    assert r.status_code == 400 and "produce_now" in r.json()["error"]["fields"]
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill") == before                    # nothing placed
    # the form: the box is offered to staff only, and refused when forged
    assert 'name="produce_now"' not in customer_s.get("/checkout/order").text
    tok = token(customer_s)
    r = customer_s.post("/checkout/order", data={"csrf_token": tok, "paymode": "transfer", "accept_terms": "1",
                                                 "produce_now": "1"})
    assert r.status_code == 403 and "Only sales staff may have an order produced before payment." in r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill") == before
    tok = token(staff)
    assert api(staff, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    assert api(staff, "PUT", "/api/v1/checkout/customer", account_customer(db, 7), tok).status_code == 200
    page = staff.get("/checkout/order", headers={"Accept-Language": "en"}).text
    assert 'name="produce_now"' in page and "Produce now, before payment (trusted customer)" in page


def test_trusted_order_with_a_failing_line_stays_preprod_until_cron(new_session, db, staff, shopctl, disk_full,
                                                                     expect_log):
    expect_log(r"action_default\.instance_insert failed: MySQL error 1644: disk full")
    r = order(staff, {"TSHIRT-LOGO": 1, "EXCEL101": 1}, body={"paymode": "transfer", "produce_now": True},
              who=account_customer(db, 7))
    assert r.status_code == 201 and r.json()["status"] == "PREPROD", r.text
    bill = bill_of(db, r.json()["transid"])
    lines = {l["code"]: l for l in product_lines(db, bill["id"])}
    assert lines["TSHIRT-LOGO"]["production_error"] == "disk full" and lines["EXCEL101"]["produced"] == 1
    # the feedback mail waits for the whole order
    mail = "SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'production_feedback'"
    assert db.scalar(mail, bill["id"]) == 0
    disk_full()
    out = shopctl("cron").stdout
    assert re.search(r"^production retried: [1-9]\d* bills?, 0 still failing$", out, re.M), out
    after = bill_of(db, bill["transid"])
    assert after["status"] == "PREPROD" and after["paid_minor"] == 0
    assert_produced_once(db, after)
    assert db.scalar(mail, bill["id"]) == 1
    shopctl("cron")
    assert db.scalar(mail, bill["id"]) == 1


def test_feedback_in_the_buyers_language(new_session, db):
    s = new_session()
    s.headers["Accept-Language"] = "fr"
    r = order(s, {"SAFE1-DECOUVERTE": 1}, body={})
    assert r.status_code == 201, r.text
    bill = bill_of(db, r.json()["transid"])
    assert bill["lang"] == "fr" and bill["status"] == "COMPLETE"
    fb = json.loads(bill["production_feedback"])
    assert "1 × Découverte gratuite" in fb["public"] and "enregistré" in fb["public"]
    assert "référence" in fb["private"]


def test_labels_are_escaped_and_never_read_as_placeholders(new_session, db, shopctl):
    transid = placed(new_session, {"MUG-LOGO": 1})
    bill = bill_of(db, transid)
    db.execute("UPDATE {shop}bill_line SET label = %s WHERE bill_id = %s AND code = 'MUG-LOGO'",
               '<script>x</script> {label}{quantity} & "co"', bill["id"])
    pay(db, shopctl, transid)
    bill = bill_of(db, transid)
    assert bill["status"] == "COMPLETE"
    fb = json.loads(bill["production_feedback"])
    assert "<script>" not in json.dumps(fb)
    assert "1 × &lt;script&gt;x&lt;/script&gt; {label}{quantity} &amp; &quot;co&quot; registered" in fb["public"]
