"""The bills back office through HTTP, checked against the database: the list (counts per state, every
filter, the search, paging, newest first), access rules, the bill page (lines, totals, audit trail, the
buttons of its state only), transitions by button (CSRF, illegal ones refused, raw changes for site admins
only), offline payments, staff notes, manual bills (create, lines, exact totals, optimistic lock, field
errors in English and French, placing), the trace viewer, the dashboard (numbers equal to SQL aggregates,
one bar per month) and escaping of customer data everywhere.

Bills for the list are written straight into a shop of their own (currency CHF, made by the `lot` fixture),
so counts and filters are exact whatever other suites left in the database; bills that go through the
workflow are placed through the real checkout API."""
import hashlib
import html
import os
import re
import secrets
import time
from decimal import Decimal, ROUND_HALF_UP

import pytest

from conftest import token as api_token

STAFF, ADMIN, CUSTOMER = 7, 2, 4
STATES = ["WORKING", "PLACED", "PENDING", "PREPROD", "SOLDOUT", "PARTIAL", "COMPLETE", "PAYBACK", "FAILED",
          "REFUSED", "CANCELLED"]


# ------------------------------------------------------------------------------------------- helpers

def session(new_session, moodle_login, userid):
    s = new_session()
    moodle_login(s, userid)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


@pytest.fixture
def staff(new_session, moodle_login):
    return session(new_session, moodle_login, STAFF)


@pytest.fixture
def admin(new_session, moodle_login):
    return session(new_session, moodle_login, ADMIN)


def post(s, path, data, token=True):
    d = dict(data)
    if token:
        d["csrf_token"] = s.token
    return s.post(path, data=d)


def field_errors(text):
    return {m.group(1): html.unescape(m.group(2))
            for m in re.finditer(r'<p class="field-error" id="([a-z_A-Z-]+)-error">([^<]*)</p>', text)}


def tab_counts(text):
    """{status or "": count} of the state tabs of the list page."""
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r'data-status="([A-Z]*)">[^<]*<span class="count">(\d+)</span>', text)}


def listed(text):
    """Bill ids of the list page, in order."""
    return [int(x) for x in re.findall(r'<tr data-bill="(\d+)">', text)]


def money(minor):
    return Decimal(minor) / 100


def half_up(d):
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amounts(unit_minor, q, rate):
    """untaxed, tax of a line as core/tax.h computes them: one rounding per line."""
    untaxed = unit_minor * q
    taxed = half_up(Decimal(unit_minor) * (1 + Decimal(rate) / 100) * q)
    return untaxed, taxed - untaxed


_seq = [0]


def uniq(prefix="x"):
    _seq[0] += 1
    return "%s%d%s" % (prefix, _seq[0], secrets.token_hex(4))


def transid():
    return secrets.token_urlsafe(24)


def local_ts(y, m, d=15, h=12):
    return int(time.mktime((y, m, d, h, 0, 0, 0, 0, -1)))


@pytest.fixture(scope="module")
def lot(db):
    """A shop of its own (CHF) with two customers and 65 bills spread over states, years and months."""
    tag = uniq("lot")
    db.execute("INSERT INTO {shop}catalogue (name, kind) VALUES (%s, 'standalone')", "Bills test " + tag)
    cat = db.scalar("SELECT id FROM {shop}catalogue WHERE name = %s", "Bills test " + tag)
    db.execute("INSERT INTO {shop}shop (name, catalogue_id, currency, paymodes, enabled) VALUES (%s, %s, 'CHF', '{}', 1)",
               "Bills shop " + tag, cat)
    shop = db.scalar("SELECT id FROM {shop}shop WHERE catalogue_id = %s", cat)
    customers = []
    for first, last in (("Zoé", "Quenault" + tag), ("Marc", "Vireloup" + tag)):
        email = "%s.%s@example.net" % (first.lower()[:3], tag)
        db.execute("INSERT INTO {shop}customer (shop_id, firstname, lastname, email, country, created_at)"
                   " VALUES (%s, %s, %s, %s, 'CH', 0)", shop, first, last, email)
        customers.append({"id": db.scalar("SELECT id FROM {shop}customer WHERE email = %s", email),
                          "first": first, "last": last, "email": email})
    bills = []
    for i in range(65):
        year = 2023 if i < 20 else 2024
        month = 1 + i % 12
        status = STATES[i % len(STATES)]
        cust = customers[i % 2]
        created = local_ts(year, month, 1 + i % 27, 8 + i % 10)
        t = transid()
        inv = None
        if status in ("SOLDOUT", "COMPLETE", "PAYBACK"):
            inv = "T%s-%03d" % (tag, i)
        db.execute("INSERT INTO {shop}bill (transid, shop_id, customer_id, title, status, currency, to_pay_minor,"
                   " taxed_minor, paid_minor, invoice_series_id, invoice_number, created_at, modified_at)"
                   " VALUES (%s, %s, %s, %s, %s, 'CHF', %s, %s, %s, %s, %s, %s, %s)",
                   t, shop, cust["id"], "Lot bill %d" % i, status, 1000 + i, 1000 + i, 1000 + i if inv else 0,
                   1 if inv else None, inv, created, created)
        bills.append({"id": db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", t), "transid": t,
                      "status": status, "year": year, "month": month, "customer": cust, "invoice": inv,
                      "created": created})
    return {"shop": shop, "customers": customers, "bills": bills, "tag": tag}


def place_order(new_session, db, items=None, paymode="transfer"):
    """A real bill through the checkout API ({code: quantity}, EXCEL101 x 1 by default): its row."""
    s = new_session()
    tok = api_token(s)
    h = {"X-CSRF-Token": tok}
    for code, qty in (items or {"EXCEL101": 1}).items():
        assert s.put("/api/v1/cart/items/" + code, json={"quantity": qty}, headers=h).status_code == 200
    who = {"firstname": "Lucie", "lastname": "Bernard", "email": "buyer.%s@example.org" % secrets.token_hex(4),
           "organisation": "Bernard Conseil", "address": "3 place du Marché", "zip": "75002", "city": "Paris",
           "country": "FR"}
    r = s.put("/api/v1/checkout/customer", json={"customer": who, "invoicing": None}, headers=h)
    assert r.status_code == 200, r.text
    r = s.post("/api/v1/checkout/order", json={"paymode": paymode, "accept_terms": True}, headers=h)
    assert r.status_code == 201, r.text
    return db.one("SELECT * FROM {shop}bill WHERE transid = %s", r.json()["transid"])


# ------------------------------------------------------------------------------------------- access

def test_access_refused_to_anonymous_and_customers(new_session, moodle_login, lot):
    bill = lot["bills"][1]["id"]
    anon = new_session()
    for path in ("/admin/bills", "/admin/bills/%d" % bill, "/admin/bills/new", "/admin/dashboard",
                 "/admin/bills/%d/trace" % bill, "/admin/trace"):
        assert anon.get(path).status_code == 401, path
    cust = session(new_session, moodle_login, CUSTOMER)
    for path in ("/admin/bills", "/admin/bills/%d" % bill, "/admin/dashboard", "/admin/bills/%d/trace" % bill):
        assert cust.get(path).status_code == 403, path
    r = post(cust, "/admin/bills/%d/transition" % bill, {"to": "CANCELLED", "reason": "x"})
    assert r.status_code == 403


# ------------------------------------------------------------------------------------------- the list

def test_counts_per_state_match_the_database(staff, db, lot):
    page = staff.get("/admin/bills")
    assert page.status_code == 200
    counts = tab_counts(page.text)
    want = {r["status"]: r["n"] for r in db.query("SELECT status, COUNT(*) AS n FROM {shop}bill GROUP BY status")}
    assert counts[""] == sum(want.values())
    for s in STATES:
        assert counts[s] == want.get(s, 0), s
    # within one shop
    counts = tab_counts(staff.get("/admin/bills?shop=%d" % lot["shop"]).text)
    assert counts[""] == 65
    for s in STATES:
        assert counts[s] == sum(1 for b in lot["bills"] if b["status"] == s), s
    # the tab of a state lists that state only, and its count is the total shown
    page = staff.get("/admin/bills?shop=%d&status=SOLDOUT" % lot["shop"])
    ids = listed(page.text)
    assert sorted(ids) == sorted(b["id"] for b in lot["bills"] if b["status"] == "SOLDOUT")
    assert 'aria-current="page" class="current" data-status="SOLDOUT"' in page.text


def test_filters_year_month_customer_currency(staff, db, lot):
    base = "/admin/bills?shop=%d" % lot["shop"]
    ids = lambda q: set(listed(staff.get(base + q).text))
    mine = lot["bills"]
    assert ids("&year=2023") == {b["id"] for b in mine if b["year"] == 2023}
    assert ids("&year=2024&month=3") == {b["id"] for b in mine if b["year"] == 2024 and b["month"] == 3}
    c0 = lot["customers"][0]
    theirs = sorted((b for b in mine if b["customer"]["id"] == c0["id"]), key=lambda b: (b["created"], b["id"]),
                    reverse=True)
    assert ids("&customer=%d" % c0["id"]) == {b["id"] for b in theirs[:30]}
    assert tab_counts(staff.get(base + "&customer=%d" % c0["id"]).text)[""] == sum(
        1 for b in mine if b["customer"]["id"] == c0["id"])
    # a customer by part of a name
    assert tab_counts(staff.get(base + "&customer=" + c0["last"][:12]).text)[""] == sum(
        1 for b in mine if b["customer"]["id"] == c0["id"])
    # currency: every CHF bill of the database, and none of this shop in EUR
    chf = db.scalar("SELECT COUNT(*) FROM {shop}bill WHERE currency = 'CHF'")
    assert tab_counts(staff.get("/admin/bills?currency=CHF").text)[""] == chf
    assert tab_counts(staff.get(base + "&currency=EUR").text)[""] == 0
    # month and year together with a state
    page = staff.get(base + "&year=2024&status=PLACED")
    assert set(listed(page.text)) == {b["id"] for b in mine if b["year"] == 2024 and b["status"] == "PLACED"}
    # the export link carries the same filters
    m = re.search(r'<a href="([^"]*/admin/bills/export\?[^"]*)">', page.text)
    link = html.unescape(m.group(1))
    assert "status=PLACED" in link and "year=2024" in link and "shop=%d" % lot["shop"] in link


def test_search_transid_invoice_name_email(staff, lot):
    base = "/admin/bills?shop=%d&q=" % lot["shop"]
    b = lot["bills"][7]
    assert listed(staff.get(base + b["transid"][3:20]).text) == [b["id"]]
    paid = next(x for x in lot["bills"] if x["invoice"])
    assert listed(staff.get(base + paid["invoice"]).text) == [paid["id"]]
    c1 = lot["customers"][1]
    by_name = tab_counts(staff.get(base + c1["last"]).text)[""]
    assert by_name == sum(1 for x in lot["bills"] if x["customer"]["id"] == c1["id"])
    assert tab_counts(staff.get(base + "%s %s" % (c1["first"], c1["last"])).text)[""] == by_name
    assert tab_counts(staff.get(base + c1["email"].upper()).text)[""] == by_name
    # LIKE wildcards are taken literally
    assert tab_counts(staff.get(base + "%25").text)[""] == 0
    assert tab_counts(staff.get(base + c1["last"].replace("i", "_", 1)).text)[""] == 0
    assert "No bill matches." in staff.get(base + "nothing-like-this").text


def test_paging_newest_first(staff, lot):
    base = "/admin/bills?shop=%d" % lot["shop"]
    newest = sorted(lot["bills"], key=lambda b: (b["created"], b["id"]), reverse=True)
    p1 = staff.get(base)
    assert listed(p1.text) == [b["id"] for b in newest[:30]]
    assert "Page 1 of 3" in p1.text
    p2 = staff.get(base + "&page=2")
    assert listed(p2.text) == [b["id"] for b in newest[30:60]]
    assert "Page 2 of 3" in p2.text and 'rel="prev"' in p2.text and 'rel="next"' in p2.text
    p3 = staff.get(base + "&page=3")
    assert listed(p3.text) == [b["id"] for b in newest[60:]]
    assert 'rel="next"' not in p3.text
    # the pager keeps the filters
    m = re.search(r'<a href="([^"]*)" rel="next">', p1.text)
    assert "shop=%d" % lot["shop"] in html.unescape(m.group(1))
    # beyond the last page: the last page
    assert listed(staff.get(base + "&page=99").text) == listed(p3.text)


def test_bad_filters_answer_400_with_a_message(staff):
    for q, text in (("year=20x4", "The year must be"), ("month=13&year=2024", "The month must be"),
                    ("status=PAID", "This state does not exist"), ("currency=XYZ", "This currency is not known"),
                    ("shop=-1", "This shop does not exist")):
        r = staff.get("/admin/bills?" + q)
        assert r.status_code == 400, q
        assert text in r.text, q


def c_sql(*parts):
    """SQL of src/data/bill_admin_repo.c, put together as its build() does from the macros named in `parts`
    (and "fragment:N" for entry N of its fragments[] table), placeholders as '?'."""
    src = open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "data", "bill_admin_repo.c")).read()
    defs = {m.group(1): m.group(2) for m in re.finditer(r"#define (\w+)((?:[^\n]*\\\n)*[^\n]*)", src)}

    def expand(expr):
        out = ""
        for lit, macro in re.findall(r'"((?:[^"\\]|\\.)*)"|\b([A-Z][A-Z_]{3,})\b', expr):
            if macro:
                out += expand(defs[macro]) if macro in defs else ""
            else:
                out += lit.replace('\\"', '"')
        return out
    table = re.search(r"fragments\[F_COUNT\] = \{(.*?)\n\};", src, re.S).group(1)
    entries = re.findall(r"\{ (.*?), \d \},", table)
    sql = "".join(expand(entries[int(p.split(":")[1])]) if p.startswith("fragment:") else expand(p) for p in parts)
    return sql.replace("{shop}", "shop_").replace("{mdl}", "mdl_").replace("%s", "?")


def handler_reads(root, sql, args):
    """Rows the storage engine read to execute the prepared `sql` with `args` (Handler_read_* deltas, minus
    what SHOW STATUS itself reads)."""
    def counters():
        return {r["Variable_name"]: int(r["Value"]) for r in root.query("SHOW SESSION STATUS LIKE 'Handler_read%%'")}
    root.execute("PREPARE bo_q FROM %s", sql)
    for i, a in enumerate(args):
        root.execute("SET @bo_a%d = %%s" % i, str(a))
    a0 = counters()
    a1 = counters()
    root.query("EXECUTE bo_q USING " + ", ".join("@bo_a%d" % i for i in range(len(args))))
    a2 = counters()
    root.execute("DEALLOCATE PREPARE bo_q")
    return {k: (a2[k] - a1[k]) - (a1[k] - a0[k]) for k in a2}


def test_list_queries_use_the_bill_indexes(db, lot):
    """With 5,000 more bills (deleted at the end) and fresh index statistics, a page of the list reads a page
    of rows through bill_status_ix / bill_created_ix / bill_shop_ix, never the whole table, and the per-state
    counts read the index alone: the "any" comparisons of the statement fold away when it is executed."""
    root = db.as_root()
    try:
        root.execute("INSERT INTO {shop}bill (transid, shop_id, status, currency, created_at)"
                     " SELECT CONCAT('IndexCheckBill', LPAD(seq, 10, '0')), %s,"
                     " ELT(1 + seq %% 11, 'WORKING', 'PLACED', 'PENDING', 'PREPROD', 'SOLDOUT', 'PARTIAL', 'COMPLETE',"
                     " 'PAYBACK', 'FAILED', 'REFUSED', 'CANCELLED'), 'CHF', 1600000000 + seq * 600 FROM seq_1_to_5000",
                     lot["shop"])
        root.query("ANALYZE TABLE {shop}bill")
        head = ("LIST_COLUMNS", "FROM_BILL", "JOIN_CUSTOMER", "WHERE_CREATED")
        every = [0, 2 ** 63 - 1]
        for label, sql, args in (
                ("a state", c_sql(*head, "fragment:0", "LIST_ORDER"), every + ["PLACED", 30, 60]),
                ("every state", c_sql(*head, "LIST_ORDER"), every + [30, 30]),
                ("a shop", c_sql(*head, "fragment:1", "LIST_ORDER"), every + [lot["shop"], 30, 0]),
                ("a year", c_sql(*head, "LIST_ORDER"), [local_ts(2020, 1, 1, 0), local_ts(2021, 1, 1, 0), 30, 0])):
            reads = handler_reads(root, sql, args)
            assert reads["Handler_read_rnd_next"] == 0, (label, reads)
            assert sum(reads.values()) < 400, (label, reads)
        # the counts of every state read bill_status_ix alone, one entry per bill
        counts = handler_reads(root, c_sql("COUNT_COLUMNS", "FROM_BILL", "WHERE_CREATED", "COUNT_GROUP"), every)
        total = root.scalar("SELECT COUNT(*) FROM {shop}bill")
        assert counts["Handler_read_rnd_next"] == 0 and counts["Handler_read_next"] <= total + 50, counts
        plan = root.one("EXPLAIN " + c_sql("COUNT_COLUMNS", "FROM_BILL", "WHERE_CREATED", "COUNT_GROUP")
                        .replace("?", "%s"), 0, 2 ** 63 - 1)
        assert plan["key"] == "bill_status_ix" and "Using index" in plan["Extra"], plan
        # and within a day, only that day's entries (rnd_next: the rows of the 11 groups, not of the bill table)
        counts = handler_reads(root, c_sql("COUNT_COLUMNS", "FROM_BILL", "WHERE_CREATED", "COUNT_GROUP"),
                               [local_ts(2020, 10, 1, 0), local_ts(2020, 10, 2, 0)])
        assert counts["Handler_read_rnd_next"] <= len(STATES) + 1 and sum(counts.values()) < 400, counts
    finally:
        root.execute("DELETE FROM {shop}bill WHERE transid LIKE 'IndexCheckBill%%'")
        root.query("ANALYZE TABLE {shop}bill")
        root.close()


# ------------------------------------------------------------------------------------------- the bill page

def test_bill_page_lines_audit_and_buttons_of_its_state(staff, db, new_session):
    bill = place_order(new_session, db)
    page = staff.get("/admin/bills/%d" % bill["id"])
    assert page.status_code == 200
    t = page.text
    lines = db.query("SELECT * FROM {shop}bill_line WHERE bill_id = %s", bill["id"])
    for l in lines:
        assert 'data-line="%d"' % l["id"] in t
    assert bill["transid"] in t
    assert "B-" in t and "-%d" % bill["id"] in t
    # audit: the placement row
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id = %s", bill["id"]) >= 1
    assert "Placed" in t
    # buttons: the staff transitions of PLACED, nothing else
    shown = set(re.findall(r'class="transition" data-to="([A-Z]+)"', t))
    assert shown == {"PENDING", "PREPROD", "SOLDOUT", "CANCELLED"}
    # staff are no site admins: no raw change form
    assert "/raw" not in t
    # totals
    assert "Taxes per rate" in t
    assert staff.get("/admin/bills/999999999").status_code == 404


def test_transition_by_button_with_csrf(staff, db, new_session):
    bill = place_order(new_session, db)
    path = "/admin/bills/%d/transition" % bill["id"]
    # no token: refused, nothing changes
    r = post(staff, path, {"to": "PENDING"}, token=False)
    assert r.status_code == 403
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill["id"]) == "PLACED"
    r = post(staff, path, {"to": "PENDING", "reason": "customer called"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/bills/%d?done=transition" % bill["id"])
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill["id"]) == "PENDING"
    log = db.one("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id DESC LIMIT 1", bill["id"])
    assert (log["from_status"], log["to_status"], log["userid"], log["source"], log["raw"]) == \
        ("PLACED", "PENDING", STAFF, "web", 0)
    assert log["reason"] == "customer called"
    page = staff.get(r.headers["Location"])
    assert "The state was changed." in page.text and "Sam Sales" in page.text
    assert set(re.findall(r'class="transition" data-to="([A-Z]+)"', page.text)) == {"SOLDOUT", "REFUSED", "CANCELLED"}


def test_illegal_transition_by_forged_post_is_refused(staff, db, new_session):
    bill = place_order(new_session, db)
    before = db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id = %s", bill["id"])
    for to in ("WORKING", "COMPLETE", "PAYBACK"):
        r = post(staff, "/admin/bills/%d/transition" % bill["id"], {"to": to, "reason": "forged"})
        assert r.status_code == 409, to
        assert "not allowed from the bill" in r.text and "PLACED → %s" % to in r.text
    r = post(staff, "/admin/bills/%d/transition" % bill["id"], {"to": "NOSUCH"})
    assert r.status_code == 400
    # cancelling needs a reason
    r = post(staff, "/admin/bills/%d/transition" % bill["id"], {"to": "CANCELLED", "reason": "  "})
    assert r.status_code == 400 and "a reason is required" in r.text
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill["id"]) == "PLACED"
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id = %s", bill["id"]) == before


def test_raw_change_only_for_site_admins(staff, admin, db, new_session):
    bill = place_order(new_session, db)
    path = "/admin/bills/%d/raw" % bill["id"]
    assert post(staff, path, {"to": "COMPLETE", "reason": "fix"}).status_code == 403
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill["id"]) == "PLACED"
    assert "/admin/bills/%d/raw" % bill["id"] in admin.get("/admin/bills/%d" % bill["id"]).text
    r = post(admin, path, {"to": "COMPLETE", "reason": ""})
    assert r.status_code == 400 and "a reason is required" in r.text
    r = post(admin, path, {"to": "COMPLETE", "reason": "imported from the old shop"})
    assert r.status_code == 303
    log = db.one("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s ORDER BY id DESC LIMIT 1", bill["id"])
    assert (log["from_status"], log["to_status"], log["userid"], log["raw"]) == ("PLACED", "COMPLETE", ADMIN, 1)
    b = db.one("SELECT status, invoice_number FROM {shop}bill WHERE id = %s", bill["id"])
    assert b["status"] == "COMPLETE" and b["invoice_number"] is None      # no side effect
    assert '<span class="badge">raw</span>' in admin.get("/admin/bills/%d" % bill["id"]).text


def test_offline_payment_and_notes(staff, db, new_session):
    bill = place_order(new_session, db, paymode="check")
    path = "/admin/bills/%d/payment" % bill["id"]
    today = time.strftime("%Y-%m-%d")
    r = post(staff, path, {"amount": "12,345", "reference": "has space", "date": "2024-02-30", "paymode": "cash"})
    assert r.status_code == 400
    errs = field_errors(r.text)
    assert set(errs) >= {"pay-amount", "pay-reference", "pay-date"}
    r = post(staff, path, {"amount": str(money(bill["to_pay_minor"] + 1)), "reference": "CHQ-" + secrets.token_hex(4),
                           "date": today, "paymode": "check"})
    assert r.status_code == 409 and "more than what is still to pay" in r.text
    ref = "CHQ-" + secrets.token_hex(4)
    half = bill["to_pay_minor"] // 2
    r = post(staff, path, {"amount": str(money(half)), "reference": ref, "date": today, "paymode": "check"})
    assert r.status_code == 303, r.text[:3000]
    b = db.one("SELECT status, paid_minor FROM {shop}bill WHERE id = %s", bill["id"])
    assert b["paid_minor"] == half and b["status"] == "PARTIAL"
    ev = db.one("SELECT * FROM {shop}payment_event WHERE bill_id = %s AND result = 'applied'", bill["id"])
    assert ev["gateway"] == "check" and ev["event_id"] == ref and ev["amount_minor"] == half
    # the same reference again: refused, nothing counted twice
    r = post(staff, path, {"amount": str(money(half)), "reference": ref, "date": today, "paymode": "check"})
    assert r.status_code == 409
    assert db.scalar("SELECT paid_minor FROM {shop}bill WHERE id = %s", bill["id"]) == half
    page = staff.get("/admin/bills/%d" % bill["id"]).text
    assert ref in page
    # notes
    r = post(staff, "/admin/bills/%d/notes" % bill["id"], {"note": ""})
    assert r.status_code == 400 and "note-error" in r.text
    r = post(staff, "/admin/bills/%d/notes" % bill["id"], {"note": "Called the accountant\nwill pay <soon>"})
    assert r.status_code == 303
    n = db.one("SELECT * FROM {shop}bill_note WHERE bill_id = %s", bill["id"])
    assert n["userid"] == STAFF and n["note"] == "Called the accountant\nwill pay <soon>"
    assert "will pay &lt;soon&gt;" in staff.get("/admin/bills/%d" % bill["id"]).text


def test_paid_bill_shows_its_documents(staff, db, new_session):
    bill = place_order(new_session, db, paymode="transfer")
    r = post(staff, "/admin/bills/%d/payment" % bill["id"], {"amount": str(money(bill["to_pay_minor"])),
             "reference": "VIR-" + secrets.token_hex(4), "date": time.strftime("%Y-%m-%d"), "paymode": "transfer"})
    assert r.status_code == 303
    b = db.one("SELECT status, invoice_number FROM {shop}bill WHERE id = %s", bill["id"])
    assert b["status"] in ("SOLDOUT", "COMPLETE") and b["invoice_number"]
    page = staff.get("/admin/bills/%d" % bill["id"]).text
    inv = db.one("SELECT id, number FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bill["id"])
    assert "/bill/%s/documents/%d.pdf" % (bill["transid"], inv["id"]) in page
    assert "/bill/%s.pdf" % bill["transid"] in page
    assert inv["number"] in page
    # paid: no payment form any more
    assert "/payment" not in page


def test_issued_invoice_cannot_be_edited_or_deleted(staff, admin, db, new_session):
    """QUALITY R8: an issued invoice is never edited or deleted, and its stored PDF keeps its hash."""
    bill = place_order(new_session, db, paymode="transfer")
    r = post(staff, "/admin/bills/%d/payment" % bill["id"], {"amount": str(money(bill["to_pay_minor"])),
             "reference": "VIR-" + secrets.token_hex(4), "date": time.strftime("%Y-%m-%d"), "paymode": "transfer"})
    assert r.status_code == 303
    inv = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bill["id"])
    pdf = staff.get("/bill/%s/documents/%d.pdf" % (bill["transid"], inv["id"]))
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == inv["pdf_sha256"]
    # even moved back to WORKING by a raw change, the invoiced bill is not editable
    assert post(admin, "/admin/bills/%d/raw" % bill["id"], {"to": "WORKING", "reason": "test R8"}).status_code == 303
    assert staff.get("/admin/bills/%d/edit" % bill["id"]).status_code == 409
    lines = db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s", bill["id"])
    r = post(staff, "/admin/bills/%d/lines/new" % bill["id"], {"version": str(version(db, bill["id"])), "code": "X",
             "label": "Extra", "quantity": "1", "unit_price": "10", "tax": ""})
    assert r.status_code == 409 and "credit note" in r.text
    r = post(staff, "/admin/bills/%d/edit" % bill["id"], {"version": str(version(db, bill["id"])),
             "shop": str(bill["shop_id"]), "title": "changed"})
    assert r.status_code == 409
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s", bill["id"]) == lines
    # no way to delete a bill or a document
    for method, path in (("POST", "/admin/bills/%d/delete" % bill["id"]), ("DELETE", "/api/v1/bills/" + bill["transid"]),
                         ("DELETE", "/bill/%s/documents/%d.pdf" % (bill["transid"], inv["id"]))):
        r = staff.request(method, path, headers={"X-CSRF-Token": staff.token})
        assert r.status_code in (404, 405), (method, path, r.status_code)
    assert db.one("SELECT * FROM {shop}invoice WHERE id = %s", inv["id"]) == inv
    again = staff.get("/bill/%s/documents/%d.pdf" % (bill["transid"], inv["id"]))
    assert again.content == pdf.content


@pytest.fixture
def shirt_fails(db):
    """TSHIRT-LOGO cannot be produced: a trigger refuses its product instances."""
    root = db.as_root()
    root.execute("DROP TRIGGER IF EXISTS shop_test_bo_shirt")
    root.execute("CREATE TRIGGER shop_test_bo_shirt BEFORE INSERT ON {shop}product_instance FOR EACH ROW"
                 " BEGIN IF NEW.product_code = 'TSHIRT-LOGO' THEN"
                 " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no more shirts'; END IF; END")

    def drop():
        root.execute("DROP TRIGGER IF EXISTS shop_test_bo_shirt")
    yield drop
    drop()
    root.close()


def test_production_feedback_and_retry_button(staff, db, new_session, shirt_fails, expect_log):
    expect_log(r"no more shirts")
    bill = place_order(new_session, db, {"EXCEL101": 1, "TSHIRT-LOGO": 1})
    path = "/admin/bills/%d" % bill["id"]
    assert "/produce" not in staff.get(path).text            # nothing to produce before payment
    r = post(staff, path + "/payment", {"amount": str(money(bill["to_pay_minor"])), "reference": "VIR-" + secrets.token_hex(4),
                                        "date": time.strftime("%Y-%m-%d"), "paymode": "transfer"})
    assert r.status_code == 303
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill["id"]) == "SOLDOUT"
    page = staff.get(path).text
    assert "Production failed: no more shirts" in page and path + "/produce" in page
    assert post(staff, path + "/produce", {"csrf_token": "forged"}, token=False).status_code == 403
    r = post(staff, path + "/produce", {})                   # still failing: said so, nothing half-done
    assert r.status_code == 303 and "produced=0&failed=1" in r.headers["Location"]
    assert db.scalar("SELECT production_attempts FROM {shop}bill_line WHERE bill_id = %s AND code = 'TSHIRT-LOGO'",
                     bill["id"]) == 2
    shirt_fails()
    r = post(staff, path + "/produce", {})
    assert r.status_code == 303 and "produced=1&failed=0" in r.headers["Location"]
    page = staff.get(r.headers["Location"]).text
    assert "Production was run again." in page and "lines produced: 1" in page
    b = db.one("SELECT status, production_feedback FROM {shop}bill WHERE id = %s", bill["id"])
    assert b["status"] == "COMPLETE" and b["production_feedback"]
    assert "/produce" not in page and "For the customer" in page
    # a bill that is not paid has nothing to produce
    other = place_order(new_session, db)
    r = post(staff, "/admin/bills/%d/produce" % other["id"], {})
    assert r.status_code == 409 and "paid or trusted bills only" in r.text


# ------------------------------------------------------------------------------------------- manual bills

def header(s, **over):
    d = {"shop": "1", "customer": "", "moodle_user": "", "title": "Consulting", "lang": "en", "paymode": "transfer",
         "assigned": str(STAFF), "due": "2031-01-31", "expected": "", "engagement": "EJ-2031-007"}
    d.update(over)
    return d


def created_id(r):
    assert r.status_code == 303, r.text[:3000]
    m = re.search(r"/admin/bills/(\d+)/edit\?saved=1$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def version(db, bill_id):
    return db.scalar("SELECT version FROM {shop}bill WHERE id = %s", bill_id)


def add_line(s, db, bill_id, **over):
    d = {"version": str(version(db, bill_id)), "code": "CONS", "label": "Consulting day", "description": "",
         "quantity": "1", "unit_price": "100.00", "tax": "", "due": ""}
    d.update(over)
    return post(s, "/admin/bills/%d/lines/new" % bill_id, d)


def test_manual_bill_create_lines_exact_totals_and_place(staff, db):
    r = post(staff, "/admin/bills/new", header(staff, moodle_user="3"))
    bill_id = created_id(r)
    b = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill_id)
    assert b["status"] == "WORKING" and len(b["transid"]) == 32 and b["assigned_userid"] == STAFF
    assert b["engagement_number"] == "EJ-2031-007" and b["currency"] == "EUR" and b["paymode"] == "transfer"
    assert db.scalar("SELECT userid FROM {shop}customer WHERE id = %s", b["customer_id"]) == 3
    log = db.one("SELECT * FROM {shop}bill_state_log WHERE bill_id = %s", bill_id)
    assert log["from_status"] is None and log["to_status"] == "WORKING" and log["userid"] == STAFF
    # lines: 2 x 1,250.00 at 20 %, 7 x 0.33 at 5.5 % (one rounding per line), 3 x 19.99 untaxed
    assert add_line(staff, db, bill_id, code="CONS", label="Consulting day", quantity="2", unit_price="1 250,00",
                    tax="1").status_code == 303
    assert add_line(staff, db, bill_id, code="BOOK", label="Booklet", quantity="7", unit_price="0.33",
                    tax="3").status_code == 303
    assert add_line(staff, db, bill_id, code="FEE", label="Exam fee", quantity="3", unit_price="19.99").status_code == 303
    want = [line_amounts(125000, 2, "20"), line_amounts(33, 7, "5.5"), (5997, 0)]
    rows = db.query("SELECT * FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill_id)
    assert [(l["untaxed_minor"], l["tax_minor"]) for l in rows] == want
    assert [l["type"] for l in rows] == ["MANUAL"] * 3 and [l["line_no"] for l in rows] == [1, 2, 3]
    assert all(l["total_minor"] == l["untaxed_minor"] + l["tax_minor"] for l in rows)
    b = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill_id)
    assert b["untaxed_minor"] == sum(u for u, _ in want) and b["taxes_minor"] == sum(t for _, t in want)
    assert b["taxed_minor"] == b["untaxed_minor"] + b["taxes_minor"] == b["to_pay_minor"]
    assert b["version"] == 3
    # change a line, move it, delete another: totals follow
    book = rows[1]["id"]
    form = staff.get("/admin/bills/%d/lines/%d" % (bill_id, book))
    assert form.status_code == 200 and 'name="unit_price" value="0.33"' in form.text
    r = post(staff, "/admin/bills/%d/lines/%d" % (bill_id, book), {
        "version": str(version(db, bill_id)), "code": "BOOK", "label": "Booklet", "description": "Printed",
        "quantity": "10", "unit_price": "0.33", "tax": "3", "due": "2031-02-01"})
    assert r.status_code == 303
    r = post(staff, "/admin/bills/%d/lines/%d/move" % (bill_id, book), {"version": str(version(db, bill_id)), "dir": "up"})
    assert r.status_code == 303
    assert [l["code"] for l in db.query("SELECT code FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill_id)] \
        == ["BOOK", "CONS", "FEE"]
    fee = rows[2]["id"]
    r = post(staff, "/admin/bills/%d/lines/%d/delete" % (bill_id, fee), {"version": str(version(db, bill_id))})
    assert r.status_code == 303
    want = [line_amounts(33, 10, "5.5"), line_amounts(125000, 2, "20")]
    b = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill_id)
    assert b["untaxed_minor"] == sum(u for u, _ in want) and b["taxes_minor"] == sum(t for _, t in want)
    assert b["to_pay_minor"] == b["untaxed_minor"] + b["taxes_minor"]
    page = staff.get("/admin/bills/%d/edit" % bill_id).text
    assert "€2,503.48" in page or "€" in page
    # placed from the bill page: the button of WORKING
    assert "PLACED" in re.findall(r'class="transition" data-to="([A-Z]+)"', staff.get("/admin/bills/%d" % bill_id).text)
    r = post(staff, "/admin/bills/%d/transition" % bill_id, {"to": "PLACED"})
    assert r.status_code == 303
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill_id) == "PLACED"
    # no longer editable
    assert staff.get("/admin/bills/%d/edit" % bill_id).status_code == 409
    assert add_line(staff, db, bill_id).status_code == 409


def test_manual_bill_needs_customer_and_lines_to_leave_working(staff, db):
    bill_id = created_id(post(staff, "/admin/bills/new", header(staff)))
    r = post(staff, "/admin/bills/%d/transition" % bill_id, {"to": "PLACED"})
    assert r.status_code == 409 and "Choose the customer" in r.text
    cust = db.scalar("SELECT id FROM {shop}customer ORDER BY id LIMIT 1")
    r = post(staff, "/admin/bills/%d/edit" % bill_id, header(staff, customer=str(cust),
                                                             version=str(version(db, bill_id))))
    assert r.status_code == 303
    r = post(staff, "/admin/bills/%d/transition" % bill_id, {"to": "PLACED"})
    assert r.status_code == 409 and "at least one line" in r.text
    assert db.scalar("SELECT status FROM {shop}bill WHERE id = %s", bill_id) == "WORKING"
    # cancelling a draft needs neither
    r = post(staff, "/admin/bills/%d/transition" % bill_id, {"to": "CANCELLED", "reason": "test"})
    assert r.status_code == 303


def test_stale_version_gives_409_and_writes_nothing(staff, db):
    bill_id = created_id(post(staff, "/admin/bills/new", header(staff)))
    v = version(db, bill_id)
    assert add_line(staff, db, bill_id, unit_price="10.00").status_code == 303
    before = db.one("SELECT to_pay_minor, version, title FROM {shop}bill WHERE id = %s", bill_id)
    r = post(staff, "/admin/bills/%d/lines/new" % bill_id, {"version": str(v), "code": "X", "label": "Late",
                                                            "quantity": "1", "unit_price": "5.00"})
    assert r.status_code == 409 and "changed meanwhile" in r.text
    r = post(staff, "/admin/bills/%d/edit" % bill_id, header(staff, title="Other", version=str(v)))
    assert r.status_code == 409 and "changed meanwhile" in r.text
    line = db.scalar("SELECT id FROM {shop}bill_line WHERE bill_id = %s", bill_id)
    r = post(staff, "/admin/bills/%d/lines/%d/delete" % (bill_id, line), {"version": str(v)})
    assert r.status_code == 409
    assert db.one("SELECT to_pay_minor, version, title FROM {shop}bill WHERE id = %s", bill_id) == before
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s", bill_id) == 1


def test_manual_bill_field_errors_in_english_and_french(staff, db):
    r = post(staff, "/admin/bills/new", header(staff, shop="999999", customer="abc", assigned="4", due="2031-02-30",
                                               lang="de", moodle_user="999999"))
    assert r.status_code == 400
    errs = field_errors(r.text)
    assert errs["shop"] == "Choose one of the options offered."
    assert errs["customer"] == "Enter a whole number."
    assert errs["assigned"].startswith("Choose a member of the sales staff")
    assert errs["due"].startswith("Enter a real date")
    assert errs["lang"] == "Choose one of the options offered."
    r = post(staff, "/admin/bills/new", header(staff, customer="", moodle_user="9"))      # a deleted account
    assert field_errors(r.text)["moodle_user"].startswith("There is no active Moodle user")
    bill_id = created_id(post(staff, "/admin/bills/new", header(staff)))
    r = add_line(staff, db, bill_id, label="", quantity="0", unit_price="12.345", tax="999")
    assert r.status_code == 400
    errs = field_errors(r.text)
    assert set(errs) == {"label", "quantity", "unit_price", "tax"}
    assert errs["label"] == "This field is required."
    r = add_line(staff, db, bill_id, unit_price="-5")
    assert field_errors(r.text)["unit_price"] == "The unit price cannot be negative."
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id = %s", bill_id) == 0
    staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
    try:
        r = add_line(staff, db, bill_id, label="", quantity="abc", unit_price="")
        assert r.status_code == 400 and 'lang="fr"' in r.text
        errs = field_errors(r.text)
        assert errs["label"] == "Ce champ est obligatoire."
        assert errs["quantity"] == "Saisissez un nombre entier."
        assert errs["unit_price"] == "Ce champ est obligatoire."
        r = post(staff, "/admin/bills/new", header(staff, due="31/01/2031"))
        assert field_errors(r.text)["due"].startswith("Saisissez une date réelle")
        assert "Nouvelle facture manuelle" in staff.get("/admin/bills/new").text
    finally:
        staff.put("/api/v1/session/language", json={"lang": "en"}, headers={"X-CSRF-Token": staff.token})


def test_manual_bill_customer_search(staff, lot):
    c = lot["customers"][1]
    page = staff.get("/admin/bills/new?customer_q=" + c["last"]).text
    assert c["email"] in page and "/admin/bills/new?customer=%d" % c["id"] in page
    page = staff.get("/admin/bills/new?customer=%d" % c["id"]).text
    assert 'name="customer" value="%d"' % c["id"] in page


# ------------------------------------------------------------------------------------------- trace

def test_trace_viewer(staff, db, new_session):
    bill = place_order(new_session, db)
    now = int(time.time())
    db.execute("INSERT INTO {shop}trace (transid, created_at, usec, level, source, message) VALUES"
               " (%s, %s, 123456, 'warn', 'gateway:test', 'callback <b>late</b>'), (%s, %s, 7, 'info', 'cron', 'second')",
               bill["transid"], now, bill["transid"], now)
    page = staff.get("/admin/bills/%d/trace" % bill["id"])
    assert page.status_code == 200
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456", page.text)
    assert re.search(r"\d\d:\d\d:\d\d\.000007", page.text)
    assert "gateway:test" in page.text and "callback &lt;b&gt;late&lt;/b&gt;" in page.text
    assert page.text.index(".123456") < page.text.index(".000007")
    same = staff.get("/admin/trace?transid=" + bill["transid"])
    assert same.status_code == 200 and ".123456" in same.text and "/admin/bills/%d" % bill["id"] in same.text
    assert staff.get("/admin/trace?transid=bad%20id!").status_code == 400
    unknown = staff.get("/admin/trace?transid=NoSuchTransaction123")
    assert unknown.status_code == 200 and "no bill has this transaction id" in unknown.text
    assert staff.get("/admin/bills/999999999/trace").status_code == 404


# ------------------------------------------------------------------------------------------- dashboard

def month_key(ts):
    t = time.localtime(ts)
    return "%04d-%02d" % (t.tm_year, t.tm_mon)


def test_dashboard_equals_sql_and_draws_one_bar_per_month(staff, db, lot):
    now = time.localtime()
    y, m = now.tm_year, now.tm_mon
    keys = []
    for i in range(11, -1, -1):
        mm, yy = m - i, y
        while mm < 1:
            mm += 12
            yy -= 1
        keys.append("%04d-%02d" % (yy, mm))
    # paid CHF bills this month and three months ago
    for k, amount in ((keys[-1], 12345), (keys[-4], 6789), (keys[-4], 11)):
        yy, mm = map(int, k.split("-"))
        t = transid()
        db.execute("INSERT INTO {shop}bill (transid, shop_id, customer_id, status, currency, to_pay_minor, paid_minor,"
                   " taxed_minor, created_at, paid_at) VALUES (%s, %s, %s, 'SOLDOUT', 'CHF', %s, %s, %s, %s, %s)",
                   t, lot["shop"], lot["customers"][0]["id"], amount, amount, amount, local_ts(yy, mm, 2),
                   local_ts(yy, mm, 2))
        # products sold: many cheap ones, few dear ones (the two tops differ)
        bid = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", t)
        for no, (code, q, unit) in enumerate((("DASHMANY", 400, 1), ("DASHDEAR", 1, 9000000)), 1):
            db.execute("INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, quantity,"
                       " unit_minor, untaxed_minor, total_minor, created_at, modified_at)"
                       " VALUES (%s, 'CHF', %s, 'PRODUCT', %s, %s, %s, %s, %s, %s, %s, %s)",
                       bid, no, code, code.title(), q, unit, q * unit, q * unit, local_ts(yy, mm, 2),
                       local_ts(yy, mm, 2))
    page = staff.get("/admin/dashboard")
    assert page.status_code == 200
    t = page.text
    # the table against SQL, per currency and month
    start = local_ts(int(keys[0][:4]), int(keys[0][5:]), 1, 0) - 12 * 3600
    want = {}
    for r in db.query("SELECT currency, paid_at, to_pay_minor FROM {shop}bill WHERE status IN"
                      " ('SOLDOUT', 'COMPLETE', 'PAYBACK') AND paid_at >= %s", start):
        k = month_key(r["paid_at"])
        if k in keys:
            want[(r["currency"], k)] = want.get((r["currency"], k), 0) + r["to_pay_minor"]
    currencies = re.findall(r'<th scope="col" class="amount">([A-Z]{3})</th>', t)
    assert "CHF" in currencies
    rows = re.findall(r'<tr data-month="(\d{4}-\d\d)">(.*?)</tr>', t, re.S)
    assert [k for k, _ in rows] == keys
    for k, cells in rows:
        minors = [int(x) for x in re.findall(r'data-minor="(-?\d+)"', cells)]
        assert len(minors) == len(currencies)
        for cur, got in zip(currencies, minors):
            assert got == want.get((cur, k), 0), (cur, k)
    assert want[("CHF", keys[-4])] >= 6800
    # one chart per currency, one bar per month, accessible
    svgs = re.findall(r"<svg .*?</svg>", t, re.S)
    assert len(svgs) == len(currencies)
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert svg.count('<rect class="bar series-0"') == 12
        assert "<script" not in svg and "style=" not in svg
    # bills per state against SQL
    for r in db.query("SELECT status, COUNT(*) AS n FROM {shop}bill GROUP BY status"):
        assert re.search(r'<tr data-status="%s"><th scope="row"><a [^>]*>[^<]*</a></th><td class="amount">%d</td>'
                         % (r["status"], r["n"]), t), r
    # top products against SQL
    top = db.query("SELECT l.code, SUM(l.quantity) AS q FROM {shop}bill b JOIN {shop}bill_line l ON l.bill_id = b.id"
                   " WHERE b.status IN ('SOLDOUT', 'COMPLETE', 'PAYBACK') AND b.paid_at >= %s AND l.type = 'PRODUCT'"
                   " GROUP BY l.code, b.currency ORDER BY q DESC, SUM(l.total_minor) DESC, l.code LIMIT 10",
                   local_ts(int(keys[0][:4]), int(keys[0][5:]), 1, 0))
    section = t[t.index('class="list top-quantity"'):t.index('class="list top-revenue"')]
    shown = re.findall(r"<tr><td>\d+</td><td>([^<]*)</td><td>[^<]*</td><td class=\"amount\">(\d+)</td>", section)
    assert [(c, int(q)) for c, q in shown] == [(r["code"], int(r["q"])) for r in top]
    top = db.query("SELECT l.code, SUM(l.quantity) AS q FROM {shop}bill b JOIN {shop}bill_line l ON l.bill_id = b.id"
                   " WHERE b.status IN ('SOLDOUT', 'COMPLETE', 'PAYBACK') AND b.paid_at >= %s AND l.type = 'PRODUCT'"
                   " GROUP BY l.code, b.currency ORDER BY SUM(l.total_minor) DESC, q DESC, l.code LIMIT 10",
                   local_ts(int(keys[0][:4]), int(keys[0][5:]), 1, 0))
    section = t[t.index('class="list top-revenue"'):]
    shown = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>[^<]*</td><td class=\"amount\">[^<]*</td>"
                       r"<td class=\"amount\">(\d+)</td>", section)
    assert shown and [(int(n), c, int(q)) for n, c, q in shown] == [(i + 1, r["code"], int(r["q"])) for i, r in enumerate(top)]


# ------------------------------------------------------------------------------------------- escaping

def test_customer_data_is_escaped_everywhere(staff, db, new_session, lot):
    evil_first, evil_last = "<script>alert(1)</script>", '"><img src=x onerror=alert(2)>'
    bill = place_order(new_session, db)
    cust = bill["customer_id"]
    # the checkout refuses such names: they come from elsewhere (an import, an old shop)
    db.execute("UPDATE {shop}customer SET firstname = %s, lastname = %s WHERE id = %s", evil_first, evil_last, cust)
    db.execute("UPDATE {shop}bill SET title = %s WHERE id = %s", "<svg onload=alert(3)>", bill["id"])
    pages = [staff.get("/admin/bills?customer=%d" % cust).text, staff.get("/admin/bills/%d" % bill["id"]).text,
             staff.get("/admin/bills?q=" + "onerror").text,
             staff.get("/admin/bills/new?customer_q=onerror").text, staff.get("/admin/bills/new?customer=%d" % cust).text]
    for p in pages:
        assert "<script>alert(1)" not in p and "<img src=x" not in p and "<svg onload" not in p
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "&lt;svg onload=alert(3)&gt;" in pages[1]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[3]
