"""Bill states through the API (issue 5, point 1 and the numbering half of point 3): every staff
transition on real bills, illegal ones refused with a message and nothing written, raw changes kept
to site admins and audited, offline payments (full, partial, duplicate, over-payment), invoice and
credit-note numbers, stock sold or given back, who may read a bill, and bad input in English and
French."""
import hashlib
import re
import secrets
import time

import pytest

from conftest import api, sign, token

STATES = ["WORKING", "PLACED", "PENDING", "PREPROD", "SOLDOUT", "PARTIAL", "COMPLETE", "PAYBACK", "FAILED",
          "REFUSED", "CANCELLED"]

# local_shop §4.2: the transitions staff may apply (the back-office buttons)
STAFF = {("PLACED", "PENDING"), ("PLACED", "PREPROD"), ("PLACED", "SOLDOUT"), ("PLACED", "CANCELLED"),
         ("PAYBACK", "CANCELLED"), ("WORKING", "PLACED"), ("WORKING", "PENDING"), ("WORKING", "PARTIAL"),
         ("WORKING", "CANCELLED"), ("PENDING", "CANCELLED"), ("PENDING", "REFUSED"), ("PENDING", "SOLDOUT"),
         ("PREPROD", "COMPLETE"), ("PREPROD", "PARTIAL"), ("PARTIAL", "COMPLETE"), ("PARTIAL", "PAYBACK"),
         ("SOLDOUT", "COMPLETE"), ("SOLDOUT", "PAYBACK"), ("REFUSED", "PENDING"), ("REFUSED", "SOLDOUT"),
         ("FAILED", "CANCELLED"), ("FAILED", "SOLDOUT"),
         ("COMPLETE", "PAYBACK")}                  # added: a refund of a bill production completed
NEEDS_REASON = {"CANCELLED", "PAYBACK", "REFUSED"}
YEAR = time.localtime().tm_year
TODAY = time.strftime("%Y-%m-%d")
INVOICE_RE = re.compile(r"^F%d-\d{6}$" % YEAR)
CREDIT_RE = re.compile(r"^AV%d-\d{6}$" % YEAR)


@pytest.fixture
def admin(new_session, moodle_login):
    s = new_session()
    moodle_login(s, 2)                       # a site admin
    s.tok = token(s)
    return s


def transition(s, transid, to, reason=None, raw=None, tok=None):
    body = {"to": to}
    if reason is not None:
        body["reason"] = reason
    if raw is not None:
        body["raw"] = raw
    return api(s, "POST", "/api/v1/bills/%s/transition" % transid, body, tok or getattr(s, "tok", None))


def pay(s, transid, amount, reference=None, date=TODAY, paymode="transfer", tok=None):
    body = {"amount_minor": amount, "reference": reference or "VIR-" + secrets.token_hex(6), "date": date,
            "paymode": paymode}
    return api(s, "POST", "/api/v1/bills/%s/payments" % transid, body, tok or getattr(s, "tok", None))


def identity():
    return {"firstname": "Inès", "lastname": "Moreau", "email": "ines.%s@example.org" % secrets.token_hex(4),
            "organisation": "Moreau SARL", "address": "8 rue Oberkampf", "zip": "75011", "city": "Paris",
            "country": "FR"}


def place(new_session, items=(("EXCEL101", 1),), paymode="transfer", session=None, email=None):
    """A real order through the API; returns (session, transid)."""
    s = session or new_session()
    tok = token(s)
    for code, q in items:
        r = api(s, "PUT", "/api/v1/cart/items/" + code, {"quantity": q}, tok)
        assert r.status_code == 200, r.text
    who = identity()
    if email:
        who["email"] = email
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": who, "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": paymode, "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    return s, r.json()["transid"]


def make_bill(db, status, amount=24000, tax=4000, line="MANUAL"):
    """A bill in `status` written with SQL (when how it got there does not matter): one line, a customer.  A
    MANUAL line has nothing to produce, so a paid bill stays SOLDOUT; a PRODUCT line is produced after
    payment and the bill moves on to COMPLETE."""
    now = int(time.time())
    transid = "T" + secrets.token_hex(12)
    placed = None if status == "WORKING" else now
    db.execute("INSERT INTO {shop}customer (shop_id, firstname, lastname, email, country, created_at, modified_at)"
               " VALUES (1, 'Paul', 'Durand', %s, 'FR', %s, %s)", "paul.%s@example.org" % secrets.token_hex(4), now, now)
    cid = db.scalar("SELECT LAST_INSERT_ID()")
    db.execute("INSERT INTO {shop}bill (transid, shop_id, customer_id, status, currency, lang, untaxed_minor,"
               " taxes_minor, taxed_minor, to_pay_minor, paymode, placed_at, created_at, modified_at)"
               " VALUES (%s, 1, %s, %s, 'EUR', 'en', %s, %s, %s, %s, 'transfer', %s, %s, %s)",
               transid, cid, status, amount - tax, tax, amount, amount, placed, now, now)
    bid = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", transid)
    db.execute("INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, quantity, unit_minor,"
               " untaxed_minor, tax_id, tax_rate, tax_minor, total_minor, product_id, created_at, modified_at)"
               " VALUES (%s, 'EUR', 1, %s, 'EXCEL101', 'Excel', 1, %s, %s, 1, 20, %s, %s, %s, %s, %s)",
               bid, line, amount - tax, amount - tax, tax, amount, 1 if line == "PRODUCT" else None, now, now)
    return transid, bid


def snapshot(db, bid):
    """Everything a refused change must leave as it was."""
    return (db.one("SELECT status, version, modified_at, paid_minor, invoice_number, paid_at FROM {shop}bill"
                   " WHERE id = %s", bid),
            db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id = %s", bid),
            db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE bill_id = %s", bid),
            db.scalar("SELECT COUNT(*) FROM {shop}payment_event WHERE bill_id = %s", bid))


def last_audit(db, bid):
    return db.query("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id DESC LIMIT 1", bid)[0]


# ------------------------------------------------------------------ every staff transition

@pytest.mark.parametrize("frm,to", sorted(STAFF))
def test_staff_transition(staff, db, frm, to):
    transid, bid = make_bill(db, frm)
    if frm in ("SOLDOUT", "PAYBACK", "COMPLETE", "PARTIAL"):
        db.execute("UPDATE {shop}bill SET paid_minor = to_pay_minor WHERE id = %s", bid)
    before = int(time.time())
    reason = "customer asked (%s)" % secrets.token_hex(3) if to in NEEDS_REASON else None
    r = transition(staff, transid, to, reason)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == body["to"] == to and body["from"] == frm and body["changed"] is True
    bill = db.one("SELECT * FROM {shop}bill WHERE id = %s", bid)
    assert bill["status"] == to and bill["version"] == 1 and bill["modified_at"] >= before
    if frm == "WORKING":
        assert bill["placed_at"] >= before                  # a manual bill is placed when it leaves WORKING
    a = last_audit(db, bid)
    assert (a["from_status"], a["to_status"], a["userid"], a["source"], a["raw"]) == (frm, to, 7, "api", 0)
    assert a["reason"] == reason and before <= a["created_at"] <= int(time.time())
    trace = db.query("SELECT * FROM {shop}trace WHERE transid = %s AND source = 'workflow'", transid)
    assert any("%s -> %s" % (frm, to) in t["message"] for t in trace)
    invoices = db.query("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bid)
    if to == "SOLDOUT" or (to == "COMPLETE" and frm != "SOLDOUT"):
        # paid now: the legal number, paid_at, a confirmation to sales staff
        assert len(invoices) == 1 and INVOICE_RE.match(invoices[0]["number"])
        assert bill["invoice_number"] == invoices[0]["number"] == body["invoice_number"]
        assert invoices[0]["taxed_minor"] == 24000 and invoices[0]["taxes_minor"] == 4000
        assert invoices[0]["issued_by"] == 7
        assert bill["paid_at"] >= before and bill["sale_at"] >= before
        assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s"
                         " AND template = 'transaction_confirmed'", bid) >= 1
    else:
        assert invoices == [] and bill["invoice_number"] is None and bill["paid_at"] is None


def test_staff_transitions_offered(staff, db):
    """GET as staff lists the buttons of the bill's state: exactly the staff transitions."""
    for frm in STATES:
        transid, _ = make_bill(db, frm)
        r = staff.get("/api/v1/bills/" + transid)
        assert r.status_code == 200
        assert sorted(r.json()["allowed_transitions"]) == sorted(t for f, t in STAFF if f == frm), frm


def test_illegal_transitions_refused_and_nothing_written(staff, db):
    bills = {frm: make_bill(db, frm) for frm in STATES}
    refused = 0
    for frm in STATES:
        transid, bid = bills[frm]
        for to in STATES:
            if to == frm or (frm, to) in STAFF:
                continue
            before = snapshot(db, bid)
            r = transition(staff, transid, to, "trying")
            assert r.status_code == 409, (frm, to, r.text)
            err = r.json()["error"]
            assert err["code"] == "illegal_transition"
            assert "from %s to %s" % (frm, to) in err["message"]
            assert snapshot(db, bid) == before
            refused += 1
    assert refused == 11 * 10 - len(STAFF)
    # the shop's own transitions are not staff buttons: PLACED -> PARTIAL needs a payment
    transid, bid = make_bill(db, "PLACED")
    r = transition(staff, transid, "PARTIAL")
    assert r.status_code == 409 and "from PLACED to PARTIAL" in r.json()["error"]["message"]


def test_same_state_is_a_noop(staff, db):
    transid, bid = make_bill(db, "PENDING")
    before = snapshot(db, bid)
    r = transition(staff, transid, "PENDING")
    assert r.status_code == 200 and r.json()["changed"] is False
    assert snapshot(db, bid) == before


def test_reason_required(staff, db):
    for to, frm in (("CANCELLED", "PLACED"), ("REFUSED", "PENDING"), ("PAYBACK", "SOLDOUT")):
        transid, bid = make_bill(db, frm)
        before = snapshot(db, bid)
        for reason in (None, "", "   \n "):
            r = transition(staff, transid, to, reason)
            assert r.status_code == 400, r.text
            assert "reason" in r.json()["error"]["fields"]
        assert snapshot(db, bid) == before


# ------------------------------------------------------------------ raw changes

def test_raw_change_by_admin_is_audited(admin, staff, new_session, db):
    transid, bid = make_bill(db, "PLACED")
    # sales staff may not, whatever the pair
    before = snapshot(db, bid)
    r = transition(staff, transid, "COMPLETE", "fix", raw=True)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = transition(staff, transid, "PENDING", "fix", raw=True)
    assert r.status_code == 403
    r = transition(staff, transid, "PENDING", raw=True)          # refused for what it is, reason or not
    assert r.status_code == 403
    # nor anybody anonymous (no login: 401 before anything else)
    anon = new_session()
    r = transition(anon, transid, "COMPLETE", "fix", raw=True, tok=token(anon))
    assert r.status_code == 401
    assert snapshot(db, bid) == before
    # a raw change needs a reason
    r = transition(admin, transid, "COMPLETE", raw=True)
    assert r.status_code == 400 and "reason" in r.json()["error"]["fields"]
    # the admin sets any state, without side effects (no invoice although COMPLETE is a paid state)
    r = transition(admin, transid, "COMPLETE", "imported from the old shop", raw=True)
    assert r.status_code == 200 and r.json()["status"] == "COMPLETE"
    bill = db.one("SELECT * FROM {shop}bill WHERE id = %s", bid)
    assert bill["status"] == "COMPLETE" and bill["invoice_number"] is None and bill["paid_at"] is None
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE bill_id = %s", bid) == 0
    a = last_audit(db, bid)
    assert (a["from_status"], a["to_status"], a["userid"], a["raw"], a["reason"]) == \
        ("PLACED", "COMPLETE", 2, 1, "imported from the old shop")
    # a normal (non-raw) transition by the admin is audited raw = 0
    transid2, bid2 = make_bill(db, "PLACED")
    assert transition(admin, transid2, "PENDING").status_code == 200
    assert last_audit(db, bid2)["raw"] == 0 and last_audit(db, bid2)["userid"] == 2


def test_state_changes_need_csrf_and_staff(staff, new_session, moodle_login, db):
    transid, bid = make_bill(db, "PLACED")
    before = snapshot(db, bid)
    for path, body in (("transition", {"to": "PENDING"}),
                       ("payments", {"amount_minor": 100, "reference": "X1", "date": TODAY, "paymode": "check"})):
        url = "/api/v1/bills/%s/%s" % (transid, path)
        r = staff.post(url, json=body)                                     # no token
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
        r = staff.post(url, json=body, headers={"X-CSRF-Token": "0" * 64})
        assert r.status_code == 403
        customer = new_session()
        moodle_login(customer, 4)                                         # a customer, not staff
        r = api(customer, "POST", url, body)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert snapshot(db, bid) == before


def test_unknown_bill(staff):
    assert transition(staff, "NoSuchBill0123456789", "PENDING").status_code == 404
    assert pay(staff, "NoSuchBill0123456789", 100).status_code == 404
    assert staff.get("/api/v1/bills/NoSuchBill0123456789").status_code == 404


# ------------------------------------------------------------------ payments

def test_offline_payment_in_full_invoices_the_bill(new_session, staff, db, stack):
    _, transid = place(new_session, items=(("MUG-LOGO", 2), ("EXCEL101", 1)))
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    mug = db.one("SELECT stock, reserved, sold FROM {shop}product WHERE code = 'MUG-LOGO'")
    counter = db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR) or 1
    ref = "VIR-%s" % secrets.token_hex(5)
    r = pay(staff, transid, bill["to_pay_minor"], ref, paymode="check")
    assert r.status_code == 201, r.text
    body = r.json()
    # paid (SOLDOUT), then produced after commit (COMPLETE)
    assert body["status"] == "COMPLETE" and body["to_pay_minor"] == 0 and body["duplicate"] is False
    after = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill["id"])
    assert after["status"] == "COMPLETE" and after["paid_minor"] == bill["to_pay_minor"]
    assert INVOICE_RE.match(after["invoice_number"]) and body["invoice_number"] == after["invoice_number"]
    assert int(after["invoice_number"].split("-")[1]) == counter             # the next number of the series
    assert db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR) == counter + 1
    assert after["paid_at"] and after["invoiced_at"] and after["sale_at"]
    inv = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s", bill["id"])
    assert inv["kind"] == "invoice" and inv["taxed_minor"] == bill["to_pay_minor"] and inv["year"] == YEAR
    assert inv["taxes_minor"] == db.scalar("SELECT SUM(tax_minor) FROM {shop}bill_line WHERE bill_id = %s", bill["id"])
    ev = db.one("SELECT * FROM {shop}payment_event WHERE bill_id = %s", bill["id"])
    assert (ev["gateway"], ev["event_id"], ev["result"], ev["userid"], str(ev["paid_on"])) == ("check", ref, "applied", 7, TODAY)
    log = db.query("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id", bill["id"])
    assert [(a["from_status"], a["to_status"], a["userid"]) for a in log] == \
        [(None, "PLACED", None), ("PLACED", "SOLDOUT", 7), ("SOLDOUT", "COMPLETE", None)]
    assert log[1]["source"] == "api" and ref in log[1]["reason"]
    assert log[2]["reason"] == "production complete"
    # the invoice's PDF is made at issue and stored with its hash
    assert inv["pdf_path"] is None or len(inv["pdf_sha256"]) == 64
    stored = db.one("SELECT pdf_path, pdf_sha256 FROM {shop}invoice WHERE id = %s", inv["id"])
    assert stored["pdf_path"] and len(stored["pdf_sha256"]) == 64
    # the held mugs are sold: out of the stock and of the reservation
    now = db.one("SELECT stock, reserved, sold FROM {shop}product WHERE code = 'MUG-LOGO'")
    assert (now["stock"], now["reserved"], now["sold"]) == (mug["stock"] - 2, mug["reserved"] - 2, mug["sold"] + 2)
    assert db.scalar("SELECT released FROM {shop}stock_reservation WHERE bill_id = %s", bill["id"]) == 1
    assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template = 'transaction_confirmed'",
                     bill["id"]) >= 1
    # the buyer sees the invoice number
    got = staff.get("/api/v1/bills/" + transid).json()
    assert got["invoice_number"] == after["invoice_number"]
    assert [d["kind"] for d in got["documents"]] == ["invoice"]
    assert got["documents"][0]["number"] == after["invoice_number"]
    # served as stored: the bytes whose hash was recorded
    origin = re.match(r"^https?://[^/]+", stack["SHOP_URL"]).group(0)
    pdf = staff.get(origin + got["documents"][0]["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == stored["pdf_sha256"]


def test_partial_then_rest(staff, db):
    transid, bid = make_bill(db, "PENDING", amount=30000, tax=5000)
    r = pay(staff, transid, 10000, "P1-" + transid)
    assert r.status_code == 201 and r.json()["status"] == "PARTIAL" and r.json()["to_pay_minor"] == 20000
    bill = db.one("SELECT * FROM {shop}bill WHERE id = %s", bid)
    assert bill["status"] == "PARTIAL" and bill["invoice_number"] is None and bill["paid_at"] is None
    r = pay(staff, transid, 5000, "P2-" + transid)                     # another instalment: still PARTIAL
    assert r.status_code == 201 and r.json()["status"] == "PARTIAL" and r.json()["paid_minor"] == 15000
    r = pay(staff, transid, 15000, "P3-" + transid, paymode="funder")
    assert r.status_code == 201 and r.json()["status"] == "SOLDOUT" and r.json()["to_pay_minor"] == 0
    bill = db.one("SELECT * FROM {shop}bill WHERE id = %s", bid)
    assert bill["paid_minor"] == 30000 and INVOICE_RE.match(bill["invoice_number"]) and bill["paid_at"]
    log = [(a["from_status"], a["to_status"]) for a in
           db.query("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id", bid)]
    assert log == [("PENDING", "PARTIAL"), ("PARTIAL", "SOLDOUT")]


def test_duplicate_reference_changes_nothing(staff, db):
    transid, bid = make_bill(db, "PLACED", amount=30000)
    ref = "DUP-" + secrets.token_hex(4)
    assert pay(staff, transid, 10000, ref).status_code == 201
    before = snapshot(db, bid)
    for _ in range(2):
        r = pay(staff, transid, 10000, ref)
        assert r.status_code == 200 and r.json()["duplicate"] is True
        assert r.json()["paid_minor"] == 10000 and r.json()["status"] == "PARTIAL"
    assert snapshot(db, bid) == before
    # the same reference for another bill is refused, not taken for a replay
    other, obid = make_bill(db, "PLACED")
    r = pay(staff, other, 10000, ref)
    assert r.status_code == 409 and r.json()["error"]["code"] == "reference_used"
    assert "reference" in r.json()["error"]["fields"]
    assert db.scalar("SELECT paid_minor FROM {shop}bill WHERE id = %s", obid) == 0


def test_over_payment_and_wrong_state_refused(staff, db):
    transid, bid = make_bill(db, "PLACED", amount=30000)
    before = snapshot(db, bid)[:3]
    ref = "OVER-" + secrets.token_hex(4)
    r = pay(staff, transid, 30001, ref)
    assert r.status_code == 409 and r.json()["error"]["code"] == "payment_mismatch"
    assert "amount_minor" in r.json()["error"]["fields"] and "300.00" in r.json()["error"]["message"]
    assert snapshot(db, bid)[:3] == before
    ev = db.one("SELECT result, result_detail FROM {shop}payment_event WHERE event_id = %s", ref)
    assert ev == {"result": "mismatch", "result_detail": "amount"}           # the event is kept
    # the same reference again: refused again, and nothing moves
    r = pay(staff, transid, 30000, ref)
    assert r.status_code == 409 and "reference" in r.json()["error"]["fields"]
    assert snapshot(db, bid)[:3] == before
    # a paid bill takes no more payments, a cancelled one none at all
    paid, pbid = make_bill(db, "PLACED")
    assert pay(staff, paid, 24000).status_code == 201
    r = pay(staff, paid, 100)
    assert r.status_code == 409 and "SOLDOUT" in r.json()["error"]["message"]
    gone, gbid = make_bill(db, "CANCELLED")
    r = pay(staff, gone, 100)
    assert r.status_code == 409 and "CANCELLED" in r.json()["error"]["message"]
    assert db.scalar("SELECT paid_minor FROM {shop}bill WHERE id = %s", gbid) == 0
    work, wbid = make_bill(db, "WORKING")
    assert pay(staff, work, 100).status_code == 409


def test_empty_draft_leaves_working_only_to_be_cancelled(staff, db):
    """The workflow itself refuses it (the back office and the API alike): a WORKING bill without
    customer or lines cannot be placed, pending or partly paid, only cancelled."""
    transid, bid = make_bill(db, "WORKING")
    db.execute("DELETE FROM {shop}bill_line WHERE bill_id = %s", bid)
    before = snapshot(db, bid)
    r = transition(staff, transid, "PLACED")
    assert r.status_code == 409 and r.json()["error"]["code"] == "bill_incomplete"
    assert "no line" in r.json()["error"]["message"]
    assert snapshot(db, bid) == before
    db.execute("UPDATE {shop}bill SET customer_id = NULL WHERE id = %s", bid)
    r = transition(staff, transid, "PENDING")
    assert r.status_code == 409 and "no customer" in r.json()["error"]["message"]
    assert transition(staff, transid, "CANCELLED", reason="never sent").status_code == 200


def test_trusted_bill_paid_becomes_complete(staff, db):
    transid, bid = make_bill(db, "PLACED", line="PRODUCT")
    assert transition(staff, transid, "PREPROD").status_code == 200
    r = pay(staff, transid, 24000)
    assert r.status_code == 201 and r.json()["status"] == "COMPLETE"
    assert INVOICE_RE.match(db.scalar("SELECT invoice_number FROM {shop}bill WHERE id = %s", bid))


# ------------------------------------------------------------------ credit notes and stock

def test_cancelling_an_invoiced_bill_issues_one_credit_note(staff, db):
    transid, bid = make_bill(db, "PLACED", amount=12000, tax=2000)
    assert pay(staff, transid, 12000).status_code == 201
    inv = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bid)
    r = transition(staff, transid, "PAYBACK", "course cancelled by us")
    assert r.status_code == 200 and CREDIT_RE.match(r.json()["credit_note_number"])
    r = transition(staff, transid, "CANCELLED", "refund sent")
    assert r.status_code == 200 and r.json()["credit_note_number"] is None
    notes = db.query("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'credit_note'", bid)
    assert len(notes) == 1
    cn = notes[0]
    assert cn["credits_invoice_id"] == inv["id"] and cn["series_id"] == 2 and CREDIT_RE.match(cn["number"])
    assert (cn["untaxed_minor"], cn["taxes_minor"], cn["taxed_minor"]) == \
        (-inv["untaxed_minor"], -inv["taxes_minor"], -inv["taxed_minor"]) == (-10000, -2000, -12000)
    assert cn["reason"] == "course cancelled by us" and cn["issued_by"] == 7
    # the invoice itself never changes; the bill keeps its number
    assert db.one("SELECT * FROM {shop}invoice WHERE id = %s", inv["id"]) == inv
    assert db.scalar("SELECT invoice_number FROM {shop}bill WHERE id = %s", bid) == inv["number"]
    got = staff.get("/api/v1/bills/" + transid).json()
    assert [(d["kind"], d["number"]) for d in got["documents"]] == [("invoice", inv["number"]), ("credit_note", cn["number"])]


def test_cancelling_unpaid_bill_gives_stock_back(new_session, staff, db):
    mug0 = db.one("SELECT stock, reserved FROM {shop}product WHERE code = 'MUG-LOGO'")
    _, transid = place(new_session, items=(("MUG-LOGO", 3),))
    bid = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", transid)
    held = db.one("SELECT stock, reserved FROM {shop}product WHERE code = 'MUG-LOGO'")
    assert (held["stock"], held["reserved"]) == (mug0["stock"], mug0["reserved"] + 3)
    r = transition(staff, transid, "CANCELLED", "customer changed their mind")
    assert r.status_code == 200 and r.json()["credit_note_number"] is None
    back = db.one("SELECT stock, reserved FROM {shop}product WHERE code = 'MUG-LOGO'")
    assert back == mug0
    assert db.scalar("SELECT released FROM {shop}stock_reservation WHERE bill_id = %s", bid) == 1
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE bill_id = %s", bid) == 0


def test_pending_then_soldout_by_staff(new_session, staff, db):
    """A real order: confirmed (PENDING), then marked paid by staff (SOLDOUT) with its invoice."""
    _, transid = place(new_session)
    assert transition(staff, transid, "PENDING").status_code == 200
    r = transition(staff, transid, "SOLDOUT")
    assert r.status_code == 200 and INVOICE_RE.match(r.json()["invoice_number"])
    assert r.json()["to"] == "SOLDOUT" and r.json()["status"] == "COMPLETE"      # produced after commit
    log = [(a["from_status"], a["to_status"], a["userid"]) for a in db.query(
        "SELECT l.* FROM {shop}bill_state_log l JOIN {shop}bill b ON b.id = l.bill_id WHERE b.transid = %s ORDER BY l.id",
        transid)]
    assert log == [(None, "PLACED", None), ("PLACED", "PENDING", 7), ("PENDING", "SOLDOUT", 7),
                   ("SOLDOUT", "COMPLETE", None)]
    # a delivered order can still be refunded, with its credit note
    r = transition(staff, transid, "PAYBACK", "refund after delivery")
    assert r.status_code == 200 and CREDIT_RE.match(r.json()["credit_note_number"])


def test_free_bill_gets_no_number(staff, db):
    transid, bid = make_bill(db, "PLACED", amount=0, tax=0)
    counter = db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR)
    r = transition(staff, transid, "SOLDOUT")
    assert r.status_code == 200 and r.json()["invoice_number"] is None
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE bill_id = %s", bid) == 0
    assert db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR) == counter
    assert db.scalar("SELECT paid_at FROM {shop}bill WHERE id = %s", bid)


# ------------------------------------------------------------------ reading a bill

def test_who_reads_a_bill(new_session, moodle_login, staff, db, stack):
    buyer, transid = place(new_session)
    r = buyer.get("/api/v1/bills/" + transid)
    assert r.status_code == 200
    b = r.json()
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    assert b["transid"] == transid and b["status"] == "PLACED" and b["invoice_number"] is None
    assert b["currency"] == "EUR" and b["paid_minor"] == 0 and b["to_pay_minor"] == bill["to_pay_minor"]
    assert b["totals"] == {k: bill[k] for k in ("untaxed_minor", "taxes_minor", "taxed_minor", "discount_minor",
                                                 "shipping_minor", "to_pay_minor")}
    line = b["lines"][0]
    assert set(line) == {"line_no", "type", "code", "label", "quantity", "unit_minor", "untaxed_minor", "tax_rate",
                         "tax_minor", "total_minor"}
    assert line["code"] == "EXCEL101" and line["total_minor"] == line["untaxed_minor"] + line["tax_minor"]
    assert "documents" not in b and "allowed_transitions" not in b           # staff only
    unknown = new_session().get("/api/v1/bills/NoSuchBill0123456789")
    stranger = new_session().get("/api/v1/bills/" + transid)
    assert stranger.status_code == unknown.status_code == 404 and stranger.json() == unknown.json()
    # a signed link, as in mails
    now = int(time.time())
    assert new_session().get("/api/v1/bills/%s?sig=%s" % (transid, sign(stack, transid, now + 3600))).status_code == 200
    assert new_session().get("/api/v1/bills/%s?sig=%s" % (transid, sign(stack, transid, now - 1))).status_code == 404
    other, _ = make_bill(db, "PLACED")
    assert new_session().get("/api/v1/bills/%s?sig=%s" % (transid, sign(stack, other, now + 3600))).status_code == 404
    forged = sign(stack, transid, now + 3600)[:-2] + "AA"
    assert new_session().get("/api/v1/bills/%s?sig=%s" % (transid, forged)).status_code == 404
    assert new_session().get("/api/v1/bills/%s?sig=%s" % (transid, "1.x/y")).status_code in (400, 404)
    # staff see everything, with their buttons
    s = staff.get("/api/v1/bills/" + transid).json()
    assert s["documents"] == [] and sorted(s["allowed_transitions"]) == ["CANCELLED", "PENDING", "PREPROD", "SOLDOUT"]
    # the Moodle owner: the account that placed it, or the customer's account
    bob = new_session()
    moodle_login(bob, 4)
    _, mine = place(new_session, session=bob, email=db.scalar("SELECT email FROM {mdl}user WHERE id = 4"))
    again = new_session()
    moodle_login(again, 4)
    assert again.get("/api/v1/bills/" + mine).status_code == 200
    chloe = new_session()
    moodle_login(chloe, 5)
    assert chloe.get("/api/v1/bills/" + mine).status_code == 404
    cid = db.scalar("SELECT customer_id FROM {shop}bill WHERE transid = %s", other)
    db.execute("UPDATE {shop}customer SET userid = 5 WHERE id = %s", cid)
    try:
        assert chloe.get("/api/v1/bills/" + other).status_code == 200
    finally:
        db.execute("UPDATE {shop}customer SET userid = NULL WHERE id = %s", cid)
    # the payment page answers the same people
    assert buyer.get("/pay/" + transid).status_code == 200
    assert new_session().get("/pay/" + transid).status_code == 404


# ------------------------------------------------------------------ bad input, two languages

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_bad_input_field_errors(staff, db, lang):
    if lang == "fr":
        assert api(staff, "PUT", "/api/v1/session/language", {"lang": "fr"}, staff.tok).status_code == 200
    transid, bid = make_bill(db, "PLACED")
    before = snapshot(db, bid)
    words = {"en": ("Unknown bill state", "true or false", "not known here", "required"),
             "fr": ("État de facture inconnu", "true ou false", "pas connu ici", "obligatoire")}[lang]

    def fields(r):
        assert r.status_code == 400, r.text
        err = r.json()["error"]
        assert err["code"] == "invalid_request" and err["message"]
        return err["fields"]

    assert words[0] in fields(transition(staff, transid, "PAID"))["to"]
    assert words[0] in fields(transition(staff, transid, "pending"))["to"]
    assert words[3] in fields(api(staff, "POST", "/api/v1/bills/%s/transition" % transid, {}, staff.tok))["to"]
    assert words[1] in fields(transition(staff, transid, "PENDING", raw="yes"))["raw"]
    f = fields(api(staff, "POST", "/api/v1/bills/%s/transition" % transid, {"to": "PENDING", "tu": "x"}, staff.tok))
    assert words[2] in f["tu"]
    assert "reason" in fields(transition(staff, transid, "CANCELLED", "x" * 1001))
    assert "reason" in fields(transition(staff, transid, "CANCELLED", "bad\u0007bell"))
    assert "reason" in fields(transition(staff, transid, "CANCELLED", 42))

    def pay_fields(**kw):
        body = {"amount_minor": 100, "reference": "R-1", "date": TODAY, "paymode": "transfer"}
        body.update(kw)
        for k in [k for k, v in body.items() if v is KeyError]:
            del body[k]
        return fields(api(staff, "POST", "/api/v1/bills/%s/payments" % transid, body, staff.tok))

    for bad in (0, -5, 1.5, "100", None, True, 10 ** 16):
        assert "amount_minor" in pay_fields(amount_minor=bad), bad
    assert words[3] in pay_fields(amount_minor=KeyError)["amount_minor"]
    for bad in ("", " R-1", "R-1 ", "x" * 129, "tab\there", "é-accent", 12):
        assert "reference" in pay_fields(reference=bad), bad
    future = "%d-01-01" % (YEAR + 1)
    for bad in ("2024-02-30", "2023-02-29", "24-01-01", "01/02/2024", "2024-1-01", "1999-12-31", "", 20240101):
        assert "date" in pay_fields(date=bad), bad
    msg = pay_fields(date=future)["date"]
    assert ("future" if lang == "en" else "futur") in msg
    assert set(pay_fields(amount_minor=0, date="2024-02-29")) == {"amount_minor"}     # a leap day is a day
    for bad in ("paypal", "test", "freeorder", "bogus", "TRANSFER", ""):
        assert "paymode" in pay_fields(paymode=bad), bad
    f = pay_fields(amount_minor=0, reference="", date="x", paymode="cash", extra=1)
    assert set(f) == {"amount_minor", "reference", "date", "paymode", "extra"}
    assert snapshot(db, bid) == before
    # the illegal-transition message in the language too
    r = transition(staff, transid, "COMPLETE")
    assert r.status_code == 409
    assert r.json()["error"]["message"] == {"en": "This bill cannot go from PLACED to COMPLETE.",
                                           "fr": "Cette facture ne peut pas passer de PLACED à COMPLETE."}[lang]
    # body that is not JSON, or too big
    r = staff.post("/api/v1/bills/%s/transition" % transid, data="to=PENDING",
                   headers={"X-CSRF-Token": staff.tok, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = staff.post("/api/v1/bills/%s/transition" % transid, data="{\"to\":", headers={"X-CSRF-Token": staff.tok,
                                                                                  "Content-Type": "application/json"})
    assert r.status_code == 400
    r = api(staff, "POST", "/api/v1/bills/%s/transition" % transid, {"to": "PENDING", "reason": "x" * 9000}, staff.tok)
    assert r.status_code == 413
    assert snapshot(db, bid) == before
