"""Bills export to XLSX: `shopctl export bills` and GET /admin/bills/export, read back with openpyxl.

The data: two bills placed through the API (a logged-in Moodle user and a visitor), then moved by SQL into a
shop of this module and into 2011, plus bills inserted by SQL around the month and year boundaries, in three
currencies (2, 3 and 0 decimals), with an invoice and a credit note in series of this module, a bill without
lines and one without a customer. Every cell is compared with the database; each filter alone and combined
selects exactly the expected bills; access, bad input and the download's headers are checked."""
import datetime
import html
import io
import os
import re
import secrets
import time
import uuid

import openpyxl
import pytest

from conftest import ShopSession, token

BILL_HEADERS = ["id", "transactionid", "onlinetransactionid", "idnumber", "title", "worktype", "status",
                "emissiondate", "lastactiondate", "untaxedamount", "taxes", "amount", "items", "itemnames",
                "firstname", "lastname", "address", "city", "zip", "country", "email", "hasaccount", "username",
                "institution", "department", "currency", "paymode", "paid", "topay", "invoicedate", "shop"]
CREDIT_HEADERS = ["number", "date", "invoicenumber", "transactionid", "untaxedamount", "taxes", "amount",
                  "currency", "reason"]
EXPONENT = {"EUR": 2, "TND": 3, "JPY": 0}
FORMAT = {0: "#,##0", 2: "#,##0.00", 3: "#,##0.000"}


def local(y, mo, d, h=0, mi=0, s=0):
    return int(time.mktime((y, mo, d, h, mi, s, 0, 0, -1)))


def api(s, method, path, body, tok):
    return s.request(method, path, json=body, headers={"X-CSRF-Token": tok})


def place(stack, db, codes, userid=None):
    """A real order through the API; returns the bill id."""
    s = ShopSession(stack["SHOP_URL"])
    if userid:
        sid = secrets.token_hex(13)
        now = int(time.time())
        db.execute("INSERT INTO {mdl}sessions (state, sid, userid, sessdata, timecreated, timemodified, firstip,"
                   " lastip) VALUES (0, %s, %s, NULL, %s, %s, '127.0.0.1', '127.0.0.1')", sid, userid, now, now)
        s.cookies.set("MoodleSession", sid, path="/")
    tok = token(s)
    for code, q in codes:
        assert api(s, "PUT", "/api/v1/cart/items/" + code, {"quantity": q}, tok).status_code == 200
    who = {"firstname": "Lucie", "lastname": "Bernard", "email": "lucie.%s@example.org" % secrets.token_hex(4),
           "organisation": "Bernard Conseil", "address": "3 place du Marché", "zip": "75002", "city": "Paris",
           "country": "FR"}
    if userid:
        u = db.one("SELECT firstname, lastname, email FROM {mdl}user WHERE id = %s", userid)
        who.update(u)
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": who, "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    s.close()
    return db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", r.json()["transid"])


class Data:
    pass


@pytest.fixture(scope="module")
def data(stack, db):
    d = Data()
    tag = uuid.uuid4().hex[:8]
    # Bob's Moodle account gets an institution and a department for the export to show
    d.bob = db.one("SELECT institution, department FROM {mdl}user WHERE id = 4")
    db.execute("UPDATE {mdl}user SET institution = 'Université Lumière', department = 'Formation continue'"
               " WHERE id = 4")
    d.shop_a_name = "Export Test Shop %s" % tag
    db.execute("INSERT INTO {shop}shop (name, catalogue_id, currency, paymodes) VALUES (%s, 1, 'EUR', '{}')",
               d.shop_a_name)
    d.shop_a = db.scalar("SELECT id FROM {shop}shop WHERE name = %s", d.shop_a_name)
    db.execute("INSERT INTO {shop}shop (name, catalogue_id, currency, paymodes) VALUES (%s, 1, 'EUR', '{}')",
               "Export other shop %s" % tag)
    d.shop_b = db.scalar("SELECT id FROM {shop}shop WHERE name = %s", "Export other shop %s" % tag)
    db.execute("INSERT INTO {shop}invoice_series (code, kind, format) VALUES (%s, 'invoice', 'XT{YYYY}-{NNNNNN}'),"
               " (%s, 'credit_note', 'XA{YYYY}-{NNNNNN}')", "XT" + tag, "XA" + tag)
    d.series = db.scalar("SELECT id FROM {shop}invoice_series WHERE code = %s", "XT" + tag)
    d.credit_series = db.scalar("SELECT id FROM {shop}invoice_series WHERE code = %s", "XA" + tag)
    db.execute("INSERT INTO {shop}customer (firstname, lastname, email, organisation, address, zip, city, country)"
               " VALUES ('Zoé', 'Lefèvre', %s, 'Acme', '12 rue de l''Église', '69002', 'Lyon', 'FR')",
               "zoe.%s@example.org" % tag)
    d.customer = db.scalar("SELECT id FROM {shop}customer WHERE email = %s", "zoe.%s@example.org" % tag)

    # two real orders, moved into the test shop and into March 2011
    d.api1 = place(stack, db, [("EXCEL101", 1)], userid=4)
    d.api2 = place(stack, db, [("EXCEL101", 1), ("MUG-LOGO", 2)])
    d.moved = {r["id"]: r for r in db.query("SELECT id, shop_id, created_at, modified_at FROM {shop}bill"
                                             " WHERE id IN (%s, %s)", d.api1, d.api2)}
    db.execute("UPDATE {shop}bill SET shop_id = %s, created_at = %s, modified_at = %s WHERE id = %s",
               d.shop_a, local(2011, 3, 10, 10, 30), local(2011, 3, 11, 8, 0, 5), d.api1)
    db.execute("UPDATE {shop}bill SET shop_id = %s, created_at = %s, modified_at = %s WHERE id = %s",
               d.shop_a, local(2011, 3, 20, 9), local(2011, 3, 20, 9), d.api2)

    def bill(shop, status, currency, created, untaxed, taxes, customer=True, paid=0, shipping=0, **kw):
        transid = "exp" + secrets.token_hex(12)
        cols = dict(transid=transid, shop_id=shop, customer_id=d.customer if customer else None,
                    title=kw.pop("title", "Bill %s" % transid[:8]), status=status, currency=currency,
                    untaxed_minor=untaxed, taxes_minor=taxes, taxed_minor=untaxed + taxes,
                    shipping_minor=shipping, to_pay_minor=untaxed + taxes + shipping, paid_minor=paid,
                    created_at=created, modified_at=kw.pop("modified", created + 3600), **kw)
        db.execute("INSERT INTO {shop}bill (%s) VALUES (%s)" % (", ".join(cols), ", ".join(["%s"] * len(cols))),
                   *cols.values())
        return db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", transid)

    def line(bill_id, currency, no, code, label, untaxed, tax):
        db.execute("INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, quantity,"
                   " unit_minor, untaxed_minor, tax_minor, total_minor) VALUES (%s, %s, %s, 'PRODUCT', %s, %s, 1,"
                   " %s, %s, %s, %s)", bill_id, currency, no, code, label, untaxed, untaxed, tax, untaxed + tax)

    def invoice(bill_id, series, number, kind, amounts, issued, credits=None, reason=None):
        u, t = amounts
        db.execute("INSERT INTO {shop}invoice (series_id, number, year, kind, bill_id, credits_invoice_id, currency,"
                   " untaxed_minor, taxes_minor, taxed_minor, reason, issued_at) VALUES (%s, %s, 2011, %s, %s, %s,"
                   " 'EUR', %s, %s, %s, %s, %s)", series, number, kind, bill_id, credits, u, t, u + t, reason, issued)
        return db.scalar("SELECT id FROM {shop}invoice WHERE series_id = %s AND number = %s", series, number)

    # the last second of March: a large amount, two lines written out of order, an invoice
    d.mar_end = bill(d.shop_a, "SOLDOUT", "EUR", local(2011, 3, 31, 23, 59, 59), 123456789, 24691358,
                     paid=123456789 + 24691358 + 500, shipping=500, paymode="transfer", gateway_ref="VIR-42",
                     invoiced_at=local(2011, 4, 2, 8, 15))
    line(d.mar_end, "EUR", 2, "B-CODE", "Second, with a comma", 23456789, 4691358)
    line(d.mar_end, "EUR", 1, "A-CODE", "Première ligne", 100000000, 20000000)
    d.mar_number = "XT2011-%s" % tag
    inv = invoice(d.mar_end, d.series, d.mar_number, "invoice", (123456789, 24691358), local(2011, 4, 2, 8, 15))
    db.execute("UPDATE {shop}bill SET invoice_series_id = %s, invoice_number = %s WHERE id = %s",
               d.series, d.mar_number, d.mar_end)
    # the first second of April: invoiced then cancelled with a credit note
    d.apr = bill(d.shop_a, "CANCELLED", "EUR", local(2011, 4, 1), 10, 2, paymode="check",
                 invoiced_at=local(2011, 4, 1, 9))
    line(d.apr, "EUR", 1, "MUG-LOGO", "Mug", 10, 2)
    d.apr_number = "XT2011-A%s" % tag
    inv2 = invoice(d.apr, d.series, d.apr_number, "invoice", (10, 2), local(2011, 4, 1, 9))
    db.execute("UPDATE {shop}bill SET invoice_series_id = %s, invoice_number = %s WHERE id = %s",
               d.series, d.apr_number, d.apr)
    d.credit_number = "XA2011-%s" % tag
    d.credit = invoice(d.apr, d.credit_series, d.credit_number, "credit_note", (-10, -2), local(2011, 4, 3, 14, 5),
                       credits=inv2, reason="Commande annulée par le client")
    assert inv
    # three decimals, no lines
    d.tnd = bill(d.shop_a, "PENDING", "TND", local(2011, 7, 1, 12), 1234567, 0, paymode="check")
    # the last second of 2011, a manual bill without customer
    d.dec_end = bill(d.shop_a, "WORKING", "EUR", local(2011, 12, 31, 23, 59, 59), 0, 0, customer=False,
                     worktype="OTHER", title="")
    # no decimals, the first second of 2012
    d.jpy = bill(d.shop_a, "PLACED", "JPY", local(2012, 1, 1), 5000, 400, paymode="transfer")
    line(d.jpy, "JPY", 1, "EXCEL101", "Excel", 5000, 400)
    # another shop
    d.other = bill(d.shop_b, "COMPLETE", "EUR", local(2011, 5, 5, 10), 1000, 200, paid=1200, paymode="check")
    d.sql_bills = [d.mar_end, d.apr, d.tnd, d.dec_end, d.jpy, d.other]
    d.shop_a_bills = {d.api1, d.api2, d.mar_end, d.apr, d.tnd, d.dec_end, d.jpy}
    yield d

    db.execute("DELETE FROM {shop}invoice WHERE kind = 'credit_note' AND series_id = %s", d.credit_series)
    db.execute("UPDATE {shop}bill SET invoice_series_id = NULL, invoice_number = NULL WHERE invoice_series_id = %s",
               d.series)
    db.execute("DELETE FROM {shop}invoice WHERE series_id = %s", d.series)
    db.execute("DELETE FROM {shop}invoice_series WHERE id IN (%s, %s)", d.series, d.credit_series)
    for b in d.sql_bills:
        db.execute("DELETE FROM {shop}bill WHERE id = %s", b)
    for b, row in d.moved.items():
        db.execute("UPDATE {shop}bill SET shop_id = %s, created_at = %s, modified_at = %s WHERE id = %s",
                   row["shop_id"], row["created_at"], row["modified_at"], b)
    db.execute("DELETE FROM {shop}customer WHERE id = %s", d.customer)
    db.execute("DELETE FROM {shop}shop WHERE id IN (%s, %s)", d.shop_a, d.shop_b)
    db.execute("UPDATE {mdl}user SET institution = %s, department = %s WHERE id = 4",
               d.bob["institution"], d.bob["department"])


@pytest.fixture
def staff(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "7").stdout.strip(), allow_redirects=False)
    return s


@pytest.fixture
def customer(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "4").stdout.strip(), allow_redirects=False)
    return s


def export(shopctl, tmp_path, *args):
    """shopctl export bills ARGS; returns (stdout, workbook)."""
    path = tmp_path / ("bills-%s.xlsx" % uuid.uuid4().hex[:6])
    r = shopctl("export", "bills", *[str(a) for a in args], "-o", str(path))
    return r.stdout, openpyxl.load_workbook(path)


def sheet_rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]


def ids(wb):
    return [r["id"] for r in sheet_rows(wb["Bills"])[1]]


def expected_bill(db, bill_id):
    b = db.one("SELECT b.*, s.name AS shop_name FROM {shop}bill b JOIN {shop}shop s ON s.id = b.shop_id"
               " WHERE b.id = %s", bill_id)
    lines = db.query("SELECT code, label FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no", bill_id)
    c = db.one("SELECT * FROM {shop}customer WHERE id = %s", b["customer_id"]) if b["customer_id"] else {}
    u = db.one("SELECT username, institution, department FROM {mdl}user WHERE id = %s",
               c["userid"]) if c.get("userid") else {}
    exp = EXPONENT[b["currency"]]

    def text(v):
        return v if v not in ("", None) else None

    def money(v):
        return v / 10 ** exp

    def date(t):
        return datetime.datetime.fromtimestamp(t) if t else None
    return {
        "id": b["id"], "transactionid": b["transid"], "onlinetransactionid": text(b["gateway_ref"]),
        "idnumber": text(b["invoice_number"]), "title": text(b["title"]), "worktype": b["worktype"],
        "status": b["status"], "emissiondate": date(b["created_at"]), "lastactiondate": date(b["modified_at"]),
        "untaxedamount": money(b["untaxed_minor"]), "taxes": money(b["taxes_minor"]),
        "amount": money(b["taxed_minor"]),
        "items": ",".join(l["code"] for l in lines) or None,
        "itemnames": ", ".join(l["label"] for l in lines) or None,
        "firstname": text(c.get("firstname")), "lastname": text(c.get("lastname")),
        "address": text(c.get("address")), "city": text(c.get("city")), "zip": text(c.get("zip")),
        "country": text(c.get("country")), "email": text(c.get("email")), "hasaccount": c.get("userid"),
        "username": text(u.get("username")), "institution": text(u.get("institution")),
        "department": text(u.get("department")), "currency": b["currency"], "paymode": text(b["paymode"]),
        "paid": money(b["paid_minor"]), "topay": money(b["to_pay_minor"]), "invoicedate": date(b["invoiced_at"]),
        "shop": b["shop_name"],
    }


# ---------------------------------------------------------------- content

def test_every_cell_of_the_shop_export(data, db, shopctl, tmp_path):
    out, wb = export(shopctl, tmp_path, "--shop", data.shop_a)
    assert wb.sheetnames == ["Bills", "Credit notes"]
    assert re.match(r"^exported 7 bills, 1 credit notes to .*\.xlsx$", out.strip()), out
    header, rows = sheet_rows(wb["Bills"])
    assert header == BILL_HEADERS
    assert [r["id"] for r in rows] == sorted(data.shop_a_bills)        # by id
    for row in rows:
        assert row == expected_bill(db, row["id"]), row["id"]


def test_values_that_matter(data, shopctl, tmp_path):
    _, wb = export(shopctl, tmp_path, "--shop", data.shop_a)
    ws = wb["Bills"]
    rows = {r["id"]: r for r in sheet_rows(ws)[1]}
    big = rows[data.mar_end]
    # int64 minor units become exact decimals: 1,234,567.89 + 246,913.58 = 1,481,481.47, shipping 5.00 to pay
    assert big["untaxedamount"] == 1234567.89 and big["taxes"] == 246913.58 and big["amount"] == 1481481.47
    assert big["topay"] == 1481486.47 and big["paid"] == 1481486.47
    assert big["idnumber"] == data.mar_number and big["onlinetransactionid"] == "VIR-42"
    assert big["items"] == "A-CODE,B-CODE" and big["itemnames"] == "Première ligne, Second, with a comma"
    assert big["emissiondate"] == datetime.datetime(2011, 3, 31, 23, 59, 59)
    assert big["invoicedate"] == datetime.datetime(2011, 4, 2, 8, 15)
    assert rows[data.tnd]["untaxedamount"] == 1234.567 and rows[data.tnd]["items"] is None
    assert rows[data.jpy]["amount"] == 5400 and rows[data.jpy]["emissiondate"] == datetime.datetime(2012, 1, 1)
    assert rows[data.dec_end]["firstname"] is None and rows[data.dec_end]["worktype"] == "OTHER"
    bob = rows[data.api1]
    assert (bob["hasaccount"], bob["username"], bob["institution"], bob["department"]) == \
        (4, "bob.smith", "Université Lumière", "Formation continue")
    assert bob["items"] == "EXCEL101"
    assert rows[data.api2]["hasaccount"] is None and rows[data.api2]["username"] is None
    # number formats: the currency's decimals; dates are date cells
    col = {h: i for i, h in enumerate(BILL_HEADERS)}
    for r in ws.iter_rows(min_row=2):
        cur = r[col["currency"]].value
        for name in ("untaxedamount", "taxes", "amount", "paid", "topay"):
            assert r[col[name]].number_format == FORMAT[EXPONENT[cur]], (cur, name)
        assert r[col["emissiondate"]].is_date and r[col["emissiondate"]].number_format == "yyyy-mm-dd hh:mm"


def test_layout(data, shopctl, tmp_path):
    _, wb = export(shopctl, tmp_path, "--shop", data.shop_a)
    for name, headers, n in (("Bills", BILL_HEADERS, 7), ("Credit notes", CREDIT_HEADERS, 1)):
        ws = wb[name]
        assert all(c.font.b for c in ws[1]), name                   # bold header
        assert ws.freeze_panes == "A2", name                        # frozen
        last = openpyxl.utils.get_column_letter(len(headers))
        assert ws.auto_filter.ref == "A1:%s%d" % (last, n + 1), name
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width > 5
                   for i in range(len(headers))), name
    dims = wb["Bills"].column_dimensions
    hidden = [h for i, h in enumerate(BILL_HEADERS) if dims[openpyxl.utils.get_column_letter(i + 1)].hidden]
    assert hidden == ["hasaccount"]


def test_credit_notes_sheet(data, shopctl, tmp_path):
    _, wb = export(shopctl, tmp_path, "--shop", data.shop_a)
    header, rows = sheet_rows(wb["Credit notes"])
    assert header == CREDIT_HEADERS
    transid = [r for r in sheet_rows(wb["Bills"])[1] if r["id"] == data.apr][0]["transactionid"]
    assert rows == [{"number": data.credit_number, "date": datetime.datetime(2011, 4, 3, 14, 5),
                     "invoicenumber": data.apr_number, "transactionid": transid, "untaxedamount": -0.1,
                     "taxes": -0.02, "amount": -0.12, "currency": "EUR", "reason": "Commande annulée par le client"}]
    assert wb["Credit notes"]["E2"].number_format == "#,##0.00"
    # the credit note follows its bill: a filter that leaves the bill out leaves it out
    _, march = export(shopctl, tmp_path, "--shop", data.shop_a, "--year", 2011, "--month", 3)
    assert sheet_rows(march["Credit notes"])[1] == []


def test_invoice_issued_by_a_real_payment(stack, db, staff, shopctl, tmp_path):
    """An offline payment through the staff API makes the bill paid and gives it its legal number: the
    export shows that number, the invoice date and the paid amount."""
    bill_id = place(stack, db, [("EXCEL101", 1)])
    b = db.one("SELECT transid, to_pay_minor FROM {shop}bill WHERE id = %s", bill_id)
    tok = staff.get("/api/v1/session").json()["csrf_token"]
    r = staff.post("/api/v1/bills/%s/payments" % b["transid"], headers={"X-CSRF-Token": tok},
                   json={"amount_minor": b["to_pay_minor"], "reference": "VIR-" + secrets.token_hex(4),
                         "date": datetime.date.today().isoformat(), "paymode": "transfer"})
    assert r.status_code in (200, 201), r.text
    after = db.one("SELECT * FROM {shop}bill WHERE id = %s", bill_id)
    number = db.scalar("SELECT number FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bill_id)
    assert number and after["invoice_number"] == number and after["paid_minor"] == b["to_pay_minor"]
    _, wb = export(shopctl, tmp_path, "--shop", after["shop_id"], "--year", datetime.date.today().year)
    row = [r for r in sheet_rows(wb["Bills"])[1] if r["id"] == bill_id][0]
    assert row == expected_bill(db, bill_id)
    assert row["idnumber"] == number and row["paid"] == b["to_pay_minor"] / 100
    assert row["invoicedate"] == datetime.datetime.fromtimestamp(after["invoiced_at"])


# ---------------------------------------------------------------- filters

def test_each_filter(data, shopctl, tmp_path):
    d = data
    cases = [
        (["--year", 2011], [d.api1, d.api2, d.mar_end, d.apr, d.tnd, d.dec_end, d.other]),
        (["--year", 2012, "--shop", d.shop_a], [d.jpy]),
        (["--year", 2011, "--month", 3, "--shop", d.shop_a], [d.api1, d.api2, d.mar_end]),
        (["--year", 2011, "--month", "04"], [d.apr]),
        (["--year", 2011, "--month", 12], [d.dec_end]),
        (["--status", "CANCELLED", "--shop", d.shop_a], [d.apr]),
        (["--status", "soldout", "--shop", d.shop_a], [d.mar_end]),
        (["--currency", "TND", "--shop", d.shop_a], [d.tnd]),
        (["--currency", "jpy", "--shop", d.shop_a], [d.jpy]),
        (["--shop", d.shop_b], [d.other]),
        (["--shop", d.shop_b, "--status", "PLACED"], []),
        (["--year", 2011, "--month", 5, "--status", "COMPLETE", "--currency", "EUR", "--shop", d.shop_b], [d.other]),
        (["--year", 1999], []),
    ]
    for args, want in cases:
        out, wb = export(shopctl, tmp_path, *args)
        assert ids(wb) == sorted(want), args
        assert out.startswith("exported %d bills, " % len(want)), (args, out)


def test_empty_export_still_has_headers(shopctl, tmp_path):
    out, wb = export(shopctl, tmp_path, "--year", 1999)
    assert sheet_rows(wb["Bills"]) == (BILL_HEADERS, [])
    assert sheet_rows(wb["Credit notes"]) == (CREDIT_HEADERS, [])
    assert wb["Bills"].auto_filter.ref == "A1:AE1"
    assert re.match(r"^exported 0 bills, 0 credit notes to ", out)


# ---------------------------------------------------------------- shopctl usage

@pytest.mark.parametrize("args, message", [
    (["--year", "abc"], "--year: the year must be a number from 1970 to 9999"),
    (["--year", "1969"], "--year: the year must be"),
    (["--year", "-2011"], "--year: the year must be"),
    (["--month", "3"], "--month: a month needs a year"),
    (["--year", "2011", "--month", "13"], "--month: the month must be a number from 1 to 12"),
    (["--year", "2011", "--month", "0"], "--month: the month must be"),
    (["--status", "PAID"], "--status: the status must be one of WORKING"),
    (["--shop", "0"], "--shop: the shop must be a shop id"),
    (["--shop", "1x"], "--shop: the shop must be a shop id"),
    (["--shop", "99999999"], "--shop 99999999: there is no shop with this id"),
    (["--currency", "XYZ"], "--currency: the currency must be an ISO 4217 code"),
    (["--year"], "option --year needs a value"),
    (["--colour", "red"], "unknown option --colour"),
    (["--year", "2011", "--year", "2012"], "option --year is given twice"),
])
def test_cli_bad_usage(shopctl, tmp_path, args, message):
    path = tmp_path / "never.xlsx"
    r = shopctl("export", "bills", "-o", str(path), *args, check=False)
    assert r.returncode == 2, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert not path.exists() and os.listdir(tmp_path) == []


def test_cli_needs_bills_and_output(shopctl, tmp_path):
    for args in (["export"], ["export", "invoices", "-o", str(tmp_path / "x.xlsx")], ["export", "bills"]):
        r = shopctl(*args, check=False)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert os.listdir(tmp_path) == []


def test_cli_unwritable_output(shopctl, tmp_path):
    r = shopctl("export", "bills", "-o", str(tmp_path / "missing-dir" / "x.xlsx"), check=False)
    assert r.returncode == 1 and "cannot write" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- back office

def download(s, **params):
    return s.get("/admin/bills/export", params=params)


def test_admin_download_is_the_same_workbook(data, staff, shopctl, tmp_path, stack):
    tmpdir = os.path.join(stack["SHOP_DATA_DIR"], "tmp", "exports")
    r = download(staff, shop=data.shop_a, year="2011", month="", status="", currency="")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    slug = "export-test-shop-" + data.shop_a_name.rsplit(" ", 1)[1]
    m = re.match(r'^attachment; filename="bills-%s-(\d{8})-(\d{4})\.xlsx"$' % slug, r.headers["Content-Disposition"])
    assert m, r.headers["Content-Disposition"]
    stamp = datetime.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M")
    assert abs((datetime.datetime.now() - stamp).total_seconds()) < 180
    assert r.headers["Cache-Control"] == "no-store"
    assert int(r.headers["Content-Length"]) == len(r.content)
    web = openpyxl.load_workbook(io.BytesIO(r.content))
    _, cli = export(shopctl, tmp_path, "--shop", data.shop_a, "--year", 2011)
    for name in ("Bills", "Credit notes"):
        assert sheet_rows(web[name]) == sheet_rows(cli[name])
    assert ids(web) == sorted(data.shop_a_bills - {data.jpy})
    assert os.listdir(tmpdir) == []                         # the temporary file is gone


def test_admin_filters_and_name_without_shop(data, staff):
    r = download(staff, year="2011", month="4", status="cancelled", currency="eur")
    assert r.status_code == 200
    assert re.match(r'^attachment; filename="bills-all-\d{8}-\d{4}\.xlsx"$', r.headers["Content-Disposition"])
    assert ids(openpyxl.load_workbook(io.BytesIO(r.content))) == [data.apr]


def test_admin_access(data, http, customer):
    assert download(http, shop=data.shop_a).status_code == 401
    r = download(customer, shop=data.shop_a)
    assert r.status_code == 403 and "spreadsheetml" not in r.headers.get("Content-Type", "")
    assert http.post("/admin/bills/export").status_code in (401, 403, 405)


@pytest.mark.parametrize("params, message", [
    ({"year": "abc"}, "The year must be a number from 1970 to 9999."),
    ({"year": "20111"}, "The year must be a number from 1970 to 9999."),
    ({"month": "3"}, "Choose a year to export a month."),
    ({"year": "2011", "month": "13"}, "The month must be a number from 1 to 12."),
    ({"status": "PAID"}, "Unknown bill status"),
    ({"shop": "-1"}, "The shop must be given by its number."),
    ({"shop": "99999999"}, "There is no shop with this number."),
    ({"currency": "EURO"}, "Unknown currency"),
])
def test_admin_bad_filters(staff, params, message):
    r = download(staff, **params)
    assert r.status_code == 400
    assert message in html.unescape(r.text)
    assert "spreadsheetml" not in r.headers["Content-Type"]


def test_admin_bad_filter_in_french(staff):
    tok = staff.get("/api/v1/session").json()["csrf_token"]
    assert staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": tok}).status_code == 200
    r = download(staff, year="2011", month="treize")
    assert r.status_code == 400
    assert "Le mois doit être un nombre de 1 à 12." in html.unescape(r.text)
