"""Legal numbering series in the back office (issue 5, bills follow-up), through HTTP with DB checks: the
list with each series' next number of the year and its documents, new and edit with the format checked
(field errors in English and French), unique codes, two series never making the same numbers, a series
frozen once it has numbered a document (a real invoice issued through the staff payments API on a bill
placed through the checkout API, in a series and shop of this module's own), the last enabled series of
each kind kept, the shop form's series selects; and the tax exemption note and the payment days printed
on that invoice.

Series, shops, taxes and bills made here are removed at the end; the demo series 1 (F) and 2 (AV) and
their counters are left as they were."""
import html
import json
import os
import re
import secrets
import subprocess
import time

import pytest

from conftest import field_errors

YEAR = time.localtime().tm_year
TODAY = time.strftime("%Y-%m-%d")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def strings(lang, name):
    with open(os.path.join(REPO, "templates", "lang", lang, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


EN = dict(strings("en", "admin"), **strings("en", "shop"), **strings("en", "admin_series"), **strings("en", "bills_api"))
FR = dict(strings("fr", "admin"), **strings("fr", "shop"), **strings("fr", "admin_series"), **strings("fr", "bills_api"))


def post(s, path, data):
    return s.post(path, data=dict(data, csrf_token=s.tok))


def api(s, method, path, body=None):
    return s.request(method, path, json=body, headers={"X-CSRF-Token": s.tok})


def code():
    return "ZT" + secrets.token_hex(3).upper()


def series_form(**kw):
    c = kw.pop("code") if "code" in kw else code()
    d = {"code": c, "kind": "invoice", "format": c + "{YYYY}-{NNNN}", "yearly_reset": "1", "enabled": "1",
         "seller": ""}
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


def flat_pdf_text(data):
    r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60, check=True)
    return " ".join(r.stdout.decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ").split())


class Made:
    """What the tests made, removed at the end of the module."""

    def __init__(self):
        self.series, self.shops, self.taxes, self.transids = [], [], [], []


@pytest.fixture(scope="module")
def made(db, stack):
    m = Made()
    demo = db.query("SELECT * FROM {shop}invoice_series WHERE id IN (1, 2) ORDER BY id")
    counters = db.query("SELECT * FROM {shop}invoice_counter WHERE series_id IN (1, 2) ORDER BY series_id, year")
    yield m
    data_dir = stack["SHOP_DATA_DIR"]
    for transid in m.transids:
        bid = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", transid)
        if not bid:
            continue
        for row in db.query("SELECT pdf_path FROM {shop}invoice WHERE bill_id = %s AND pdf_path IS NOT NULL", bid):
            try:
                os.unlink(os.path.join(data_dir, row["pdf_path"]))
            except OSError:
                pass
        customer = db.scalar("SELECT customer_id FROM {shop}bill WHERE id = %s", bid)
        db.execute("DELETE i FROM {shop}product_instance i JOIN {shop}bill_line l"
                   " ON l.id = i.initial_line_id OR l.id = i.current_line_id WHERE l.bill_id = %s", bid)
        db.execute("DELETE FROM {shop}invoice WHERE bill_id = %s AND kind = 'credit_note'", bid)
        db.execute("DELETE FROM {shop}invoice WHERE bill_id = %s", bid)
        db.execute("DELETE FROM {shop}bill WHERE id = %s", bid)
        db.execute("DELETE FROM {shop}trace WHERE transid = %s", transid)
        if customer and not db.scalar("SELECT COUNT(*) FROM {shop}bill WHERE customer_id = %s", customer):
            db.execute("DELETE FROM {shop}customer WHERE id = %s", customer)
    for sid in m.shops:
        db.execute("DELETE FROM {shop}shop WHERE id = %s", sid)
    for sid in m.series:
        db.execute("UPDATE {shop}shop SET invoice_series_id = NULL WHERE invoice_series_id = %s", sid)
        db.execute("UPDATE {shop}shop SET credit_series_id = NULL WHERE credit_series_id = %s", sid)
        db.execute("DELETE FROM {shop}invoice_counter WHERE series_id = %s", sid)
        db.execute("DELETE FROM {shop}invoice_series WHERE id = %s", sid)
    for tid in m.taxes:
        db.execute("DELETE FROM {shop}tax WHERE id = %s", tid)
    assert db.query("SELECT * FROM {shop}invoice_series WHERE id IN (1, 2) ORDER BY id") == demo
    assert db.query("SELECT * FROM {shop}invoice_counter WHERE series_id IN (1, 2) ORDER BY series_id, year") == counters


@pytest.fixture
def customer(new_session, moodle_login):
    s = new_session()
    moodle_login(s, 4)
    s.tok = s.get("/api/v1/session").json()["csrf_token"]
    return s


def create(staff, made, **kw):
    data = series_form(**kw)
    r = post(staff, "/admin/invoice-series/new", data)
    assert r.status_code == 303, field_errors(r.text)
    m = re.search(r"/admin/invoice-series/(\d+)\?saved=1$", r.headers["Location"])
    made.series.append(int(m.group(1)))
    return int(m.group(1)), data


def row_of(page, code_):
    """The cells of a series' row in the list."""
    m = re.search(r'<tr><td><a href="[^"]*/admin/invoice-series/\d+">%s</a></td>(.*?)</tr>' % re.escape(code_),
                  page, re.S)
    assert m, code_
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)]


def lang(s, code_):
    assert s.put("/api/v1/session/language", json={"lang": code_}, headers={"X-CSRF-Token": s.tok}).status_code == 200


# ---------------------------------------------------------------- access

PAGES = ["/admin/invoice-series", "/admin/invoice-series/new", "/admin/invoice-series/1"]
POSTS = ["/admin/invoice-series/new", "/admin/invoice-series/1"]


def test_pages_staff_only(http, customer, staff):
    for path in PAGES:
        assert http.get(path).status_code == 401, path
        assert customer.get(path).status_code == 403, path
        r = staff.get(path)
        assert r.status_code == 200, path
        assert 'class="admin-nav"' in r.text
    # every back-office page links to the series
    assert "/admin/invoice-series" in staff.get("/admin/taxes").text
    assert staff.get("/admin/invoice-series/99999").status_code == 404
    assert staff.get("/admin/invoice-series/abc").status_code == 404
    assert post(staff, "/admin/invoice-series/99999", series_form()).status_code == 404


def test_changes_need_csrf_and_staff(http, customer, staff, db):
    before = db.query("SELECT * FROM {shop}invoice_series ORDER BY id")
    for path in POSTS:
        data = series_form(enabled=None)
        assert staff.post(path, data=data).status_code == 403, path                       # no token
        assert staff.post(path, data=dict(data, csrf_token="0" * 64)).status_code == 403, path
        assert customer.post(path, data=dict(data, csrf_token=customer.tok)).status_code == 403, path
        assert http.post(path, data=data).status_code == 401, path
    assert staff.get("/admin/invoice-series?page=x").status_code == 400                    # typed parameters
    assert db.query("SELECT * FROM {shop}invoice_series ORDER BY id") == before


# ---------------------------------------------------------------- list, new, edit

def test_list_shows_next_number_and_documents(staff, db, made):
    yearly, data = create(staff, made)
    fcode = code()
    forever, _ = create(staff, made, code=fcode, yearly_reset="0", format=fcode + "-{NNNNNN}")
    db.execute("INSERT INTO {shop}invoice_counter (series_id, year, next_value) VALUES (%s, %s, 124)", yearly, YEAR)
    db.execute("INSERT INTO {shop}invoice_counter (series_id, year, next_value) VALUES (%s, %s, 9)", yearly, YEAR - 1)
    db.execute("INSERT INTO {shop}invoice_counter (series_id, year, next_value) VALUES (%s, 0, 7)", forever)
    page = staff.get("/admin/invoice-series").text
    cells = row_of(page, data["code"])
    assert cells[:3] == ["Invoices", data["format"], "%s%d-0124" % (data["code"], YEAR)], cells
    assert cells[3:6] == ["Yes", "Yes", "0"], cells
    cells = row_of(page, fcode)
    assert cells[2] == fcode + "-000007" and cells[4] == "No", cells
    # the demo series, with the documents they numbered
    issued = db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE series_id = 1")
    nxt = db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR) or 1
    cells = row_of(page, "F")
    assert cells == ["Invoices", "F{YYYY}-{NNNNNN}", "F%d-%06d" % (YEAR, nxt), "Yes", "Yes", str(issued), ""], cells
    assert row_of(page, "AV")[0] == "Credit notes"
    # the edit page says the same, and a series whose counter has moved is frozen
    edit = staff.get("/admin/invoice-series/%d" % yearly).text
    assert re.search(r'id="next-number">%s%d-0124<' % (data["code"], YEAR), edit)
    assert 'id="frozen"' in edit and re.search(r'name="format"[^>]* disabled', edit)
    # search
    found = staff.get("/admin/invoice-series", params={"q": data["code"].lower()}).text
    assert data["code"] in found and ">AV</a>" not in found


def test_create_and_edit(staff, db, made):
    page = staff.get("/admin/invoice-series/new")
    assert page.status_code == 200 and 'name="format"' in page.text and 'id="frozen"' not in page.text
    payload = '<script>alert(1)</script> & Cie'
    sid, data = create(staff, made, seller=payload)
    row = db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid)
    assert (row["code"], row["kind"], row["format"], row["yearly_reset"], row["enabled"], row["seller"]) == \
        (data["code"], "invoice", data["format"], 1, 1, payload)
    assert row["created_at"] >= int(time.time()) - 60
    edit = staff.get("/admin/invoice-series/%d?saved=1" % sid)
    assert edit.status_code == 200 and 'role="status"' in edit.text
    assert re.search(r'id="next-number">%s%d-0001<' % (data["code"], YEAR), edit.text)
    for page in (edit, staff.get("/admin/invoice-series")):
        assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    # unused: everything may change, even the kind
    new_code = code()
    r = post(staff, "/admin/invoice-series/%d" % sid, series_form(code=new_code, kind="credit_note", yearly_reset="0",
                                                                 format=new_code + "-{NNNNNNNN}", seller="Filiale SAS",
                                                                 enabled=None))
    assert r.status_code == 303, field_errors(r.text)
    assert r.headers["Location"].endswith("/admin/invoice-series/%d?saved=1" % sid)
    row = db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid)
    assert (row["code"], row["kind"], row["format"], row["yearly_reset"], row["enabled"], row["seller"]) == \
        (new_code, "credit_note", new_code + "-{NNNNNNNN}", 0, 0, "Filiale SAS")
    cells = row_of(staff.get("/admin/invoice-series").text, new_code)
    assert cells[:5] == ["Credit notes", new_code + "-{NNNNNNNN}", new_code + "-00000001", "No", "No"], cells


@pytest.mark.parametrize("change,field,key", [
    ({"code": ""}, "code", "error_required"),
    ({"code": "A B", "format": "ZQ{YYYY}{NNNN}"}, "code", "series_error_code"),
    ({"code": "F/2", "format": "ZQ{YYYY}{NNNN}"}, "code", "series_error_code"),
    ({"code": "C" * 17}, "code", "error_too_long"),
    ({"kind": "quote"}, "kind", "error_bad_choice"),
    ({"kind": ""}, "kind", "error_required"),
    ({"yearly_reset": "2"}, "yearly_reset", "error_bad_choice"),
    ({"format": ""}, "format", "error_required"),
    ({"format": "F{YYYY}"}, "format", "numbering_error_no_counter"),
    ({"format": "F{YYYY}-{NNN}-{NNN}"}, "format", "numbering_error_many_counters"),
    ({"format": "F/{YYYY}-{NNNN}"}, "format", "numbering_error_bad_char"),
    ({"format": "F {YYYY}-{NNNN}"}, "format", "numbering_error_bad_char"),
    ({"format": "F{YYYY}-{XX}{NNNN}"}, "format", "numbering_error_bad_token"),
    ({"format": "F{YYYY}-{NNNNNNNNNNNNN}"}, "format", "numbering_error_bad_token"),
    ({"format": "F{YYYY}-{NNNN"}, "format", "numbering_error_bad_token"),
    ({"format": "F-{NNNNNN}"}, "format", "numbering_error_no_year"),
    ({"format": "ABCDEFGHIJKLMNOPQRSTUVWXYZ{YYYY}-{NNNNNN}"}, "format", "numbering_error_too_long"),
    ({"format": "F" * 65 + "{NNNN}"}, "format", "error_too_long"),
    ({"seller": "Première ligne\nseconde"}, "seller", "error_bad_value"),
    ({"seller": "Vendeur\u202eSAS"}, "seller", "error_bad_value"),
    ({"seller": "Vendeur\u0085SAS"}, "seller", "error_bad_value"),
    ({"seller": "é" * 256}, "seller", "error_too_many_chars"),
])
def test_bad_input_per_field(staff, db, change, field, key):
    before = db.scalar("SELECT COUNT(*) FROM {shop}invoice_series")
    r = post(staff, "/admin/invoice-series/new", series_form(**change))
    assert r.status_code == 400
    errors = field_errors(r.text)
    assert list(errors) == [field], errors
    assert errors[field].startswith(EN[key]), (errors, EN[key])
    assert 'class="form-errors"' in r.text
    if field in ("code", "format"):                                             # shown back as typed
        assert 'value="%s"' % html.escape(change[field]) in r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice_series") == before


def test_long_seller_in_characters_not_bytes(staff, db, made):
    sid, _ = create(staff, made, seller="é" * 255)                  # 510 bytes, 255 characters
    assert db.scalar("SELECT seller FROM {shop}invoice_series WHERE id = %s", sid) == "é" * 255


def test_bad_format_in_french(staff, db):
    lang(staff, "fr")
    try:
        page = staff.get("/admin/invoice-series/new")
        assert "Nouvelle série" in page.text and 'lang="fr"' in page.text
        for fmt, key in (("F-{NNNNNN}", "numbering_error_no_year"), ("F{YYYY}", "numbering_error_no_counter"),
                         ("F/{YYYY}{NN}", "numbering_error_bad_char"), ("F{Q}{NN}{YY}", "numbering_error_bad_token"),
                         ("{NN}{N}{YY}", "numbering_error_many_counters")):
            r = post(staff, "/admin/invoice-series/new", series_form(format=fmt))
            assert r.status_code == 400
            assert field_errors(r.text) == {"format": FR[key]}, fmt
        r = post(staff, "/admin/invoice-series/new", series_form(code="F"))
        assert r.status_code == 409 and field_errors(r.text) == {"code": FR["series_error_duplicate_code"]}
    finally:
        lang(staff, "en")


def test_duplicate_code(staff, db, made):
    a, data = create(staff, made)
    b, _ = create(staff, made)
    count = db.scalar("SELECT COUNT(*) FROM {shop}invoice_series")
    for dup in (data["code"], data["code"].lower(), "F", "av"):
        r = post(staff, "/admin/invoice-series/new", series_form(code=dup, format=code() + "{YYYY}{NNNN}"))
        assert r.status_code == 409 and field_errors(r.text) == {"code": EN["series_error_duplicate_code"]}, dup
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice_series") == count
    before = db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", b)
    r = post(staff, "/admin/invoice-series/%d" % b, series_form(code=data["code"], format=before["format"]))
    assert r.status_code == 409 and list(field_errors(r.text)) == ["code"]
    assert db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", b) == before


def test_two_series_never_make_the_same_numbers(staff, db, made):
    a, data = create(staff, made)
    r = post(staff, "/admin/invoice-series/new", series_form(format=data["code"].lower() + "{YYYY}-{NNNN}"))
    assert r.status_code == 409
    assert field_errors(r.text) == {"format": EN["series_error_same_numbers"] + ": " + data["code"]}
    r = post(staff, "/admin/invoice-series/new", series_form(format="F{YYYY}-{NNNNNN}", kind="credit_note"))
    assert r.status_code == 409 and list(field_errors(r.text)) == ["format"]      # the demo F's numbers
    # another legal seller numbers on its own
    b, _ = create(staff, made, format=data["format"], seller="Autre vendeur SARL")
    # ...but may not take the first seller then
    r = post(staff, "/admin/invoice-series/%d" % b, series_form(code=db.scalar(
        "SELECT code FROM {shop}invoice_series WHERE id = %s", b), format=data["format"], seller=""))
    assert r.status_code == 409 and list(field_errors(r.text)) == ["format"]


# ---------------------------------------------------------------- the last enabled series of each kind

def test_last_enabled_series_of_each_kind_is_kept(staff, db, made):
    others = [r["id"] for r in db.query("SELECT id FROM {shop}invoice_series WHERE enabled = 1 AND id NOT IN (1, 2)")]
    demo = db.query("SELECT * FROM {shop}invoice_series WHERE id IN (1, 2) ORDER BY id")
    mine, data = create(staff, made, kind="credit_note")
    try:
        db.execute("UPDATE {shop}invoice_series SET enabled = 0 WHERE id <> 1 AND id <> 2 AND id <> %s", mine)
        for sid, key in ((1, "series_error_last_invoice"),):
            d = demo[0]
            form = {"code": d["code"], "kind": d["kind"], "format": d["format"], "yearly_reset": str(d["yearly_reset"])}
            r = post(staff, "/admin/invoice-series/%d" % sid, form)                 # enabled unchecked
            assert r.status_code == 409, r.text
            assert field_errors(r.text) == {"enabled": EN[key]}
            r = post(staff, "/admin/invoice-series/%d" % sid, {"seller": ""})      # frozen fields left out
            assert r.status_code == 409 and list(field_errors(r.text)) == ["enabled"]
        # with another enabled credit note series, AV... is not the last; but mine becomes the last one
        db.execute("UPDATE {shop}invoice_series SET enabled = 0 WHERE id = 2")
        r = post(staff, "/admin/invoice-series/%d" % mine, dict(data, kind="credit_note", enabled=None))
        assert r.status_code == 409 and field_errors(r.text) == {"enabled": EN["series_error_last_credit_note"]}
        r = post(staff, "/admin/invoice-series/%d" % mine, dict(data, kind="invoice"))     # its kind, too
        assert r.status_code == 409 and field_errors(r.text) == {"kind": EN["series_error_last_credit_note"]}
        assert db.one("SELECT kind, enabled FROM {shop}invoice_series WHERE id = %s", mine) == \
            {"kind": "credit_note", "enabled": 1}
        # once AV is back, mine may go
        db.execute("UPDATE {shop}invoice_series SET enabled = 1 WHERE id = 2")
        r = post(staff, "/admin/invoice-series/%d" % mine, dict(data, kind="credit_note", enabled=None))
        assert r.status_code == 303 and db.scalar("SELECT enabled FROM {shop}invoice_series WHERE id = %s", mine) == 0
    finally:
        db.execute("UPDATE {shop}invoice_series SET enabled = 1 WHERE id = 2")
        for sid in others:
            db.execute("UPDATE {shop}invoice_series SET enabled = 1 WHERE id = %s", sid)
    assert db.query("SELECT * FROM {shop}invoice_series WHERE id IN (1, 2) ORDER BY id") == demo


# ---------------------------------------------------------------- the shop's series

def shop_form(**kw):
    d = {"name": "Series shop %s" % secrets.token_hex(4), "currency": "EUR", "catalogue_id": "1",
         "paymode_transfer": "1", "default_paymode": "transfer", "enabled": "1", "sortorder": "90",
         "support_courseid": "0", "invoice_series_id": "", "credit_series_id": ""}
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


def create_shop(staff, made, **kw):
    data = shop_form(**kw)
    r = post(staff, "/admin/shops/new", data)
    assert r.status_code == 303, field_errors(r.text)
    sid = int(re.search(r"/admin/shops/(\d+)\?saved=1$", r.headers["Location"]).group(1))
    made.shops.append(sid)
    return sid, data


def selected(page, name):
    select = re.search(r'<select id="%s" name="%s"[^>]*>(.*?)</select>' % (name, name), page, re.S).group(1)
    opts = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    return [v for v, s, _ in opts if s], {v: html.unescape(label) for v, _, label in opts}


def test_shop_series_selects(staff, db, made):
    inv, idata = create(staff, made)
    cn, cdata = create(staff, made, kind="credit_note")
    page = staff.get("/admin/shops/new").text
    sel, opts = selected(page, "invoice_series_id")
    assert sel == [""] and opts[""].startswith("First enabled series (") and str(inv) in opts and str(cn) not in opts
    assert opts[str(inv)] == "%s — %s" % (idata["code"], idata["format"])
    sel, opts = selected(page, "credit_series_id")
    assert sel == [""] and str(cn) in opts and str(inv) not in opts and "2" in opts

    sid, data = create_shop(staff, made, invoice_series_id=str(inv), credit_series_id=str(cn))
    assert db.one("SELECT invoice_series_id, credit_series_id FROM {shop}shop WHERE id = %s", sid) == \
        {"invoice_series_id": inv, "credit_series_id": cn}
    page = staff.get("/admin/shops/%d" % sid).text
    assert selected(page, "invoice_series_id")[0] == [str(inv)] and selected(page, "credit_series_id")[0] == [str(cn)]
    series_page = staff.get("/admin/invoice-series/%d" % inv).text
    assert re.search(r'<ul id="used-by"><li><a href="[^"]*/admin/shops/%d">' % sid, series_page)

    # the wrong kind, a series that does not exist, not a number: refused next to the field, nothing written
    for field, value, key in (("invoice_series_id", str(cn), "setup_error_series_invoice"),
                              ("credit_series_id", str(inv), "setup_error_series_credit_note"),
                              ("invoice_series_id", "999999999", "setup_error_series_invoice"),
                              ("credit_series_id", "abc", "error_not_a_number"),
                              ("invoice_series_id", "0", "error_out_of_range")):
        before = db.one("SELECT * FROM {shop}shop WHERE id = %s", sid)
        r = post(staff, "/admin/shops/%d" % sid, dict(data, name="Renamed " + data["name"], **{field: value}))
        assert r.status_code == 400, (field, value)
        errors = field_errors(r.text)
        assert list(errors) == [field] and errors[field].startswith(EN[key]), errors
        assert db.one("SELECT * FROM {shop}shop WHERE id = %s", sid) == before
        r = post(staff, "/admin/shops/new", shop_form(**{field: value}))
        assert r.status_code == 400 and list(field_errors(r.text)) == [field]

    # a series a shop issues from is neither disabled nor given another kind
    r = post(staff, "/admin/invoice-series/%d" % inv, dict(idata, enabled=None))
    assert r.status_code == 409 and field_errors(r.text) == {"enabled": EN["series_error_disable_in_use"]}
    r = post(staff, "/admin/invoice-series/%d" % cn, dict(cdata, kind="invoice"))
    assert r.status_code == 409 and field_errors(r.text) == {"kind": EN["series_error_kind_in_use"]}
    assert db.one("SELECT kind, enabled FROM {shop}invoice_series WHERE id = %s", cn) == {"kind": "credit_note", "enabled": 1}

    # a disabled series stays chosen where it was, but is not offered elsewhere
    db.execute("UPDATE {shop}invoice_series SET enabled = 0 WHERE id = %s", inv)
    page = staff.get("/admin/shops/%d" % sid).text
    sel, opts = selected(page, "invoice_series_id")
    assert sel == [str(inv)] and opts[str(inv)].endswith("(disabled)")
    assert str(inv) not in selected(staff.get("/admin/shops/new").text, "invoice_series_id")[1]
    assert post(staff, "/admin/shops/%d" % sid, data).status_code == 303
    other, _ = create_shop(staff, made)
    r = post(staff, "/admin/shops/%d" % other, dict(shop_form(), invoice_series_id=str(inv)))
    assert r.status_code == 400
    assert field_errors(r.text) == {"invoice_series_id": EN["setup_error_series_disabled"]}
    assert db.scalar("SELECT invoice_series_id FROM {shop}shop WHERE id = %s", other) is None

    # back to the default: the column is NULL, and the series may be disabled
    db.execute("UPDATE {shop}invoice_series SET enabled = 1 WHERE id = %s", inv)
    assert post(staff, "/admin/shops/%d" % sid, dict(data, invoice_series_id="", credit_series_id="")).status_code == 303
    assert db.one("SELECT invoice_series_id, credit_series_id FROM {shop}shop WHERE id = %s", sid) == \
        {"invoice_series_id": None, "credit_series_id": None}
    assert post(staff, "/admin/invoice-series/%d" % inv, dict(idata, enabled=None)).status_code == 303


def test_shop_series_errors_in_french(staff, made):
    cn, _ = create(staff, made, kind="credit_note")
    lang(staff, "fr")
    try:
        r = post(staff, "/admin/shops/new", shop_form(invoice_series_id=str(cn)))
        assert r.status_code == 400
        assert field_errors(r.text) == {"invoice_series_id": FR["setup_error_series_invoice"]}
        assert "Série des factures" in r.text and "Première série active" in r.text
    finally:
        lang(staff, "en")


# ---------------------------------------------------------------- a real invoice freezes its series

def place(new_session, shop):
    s = new_session()
    s.tok = s.get("/api/v1/session").json()["csrf_token"]
    r = api(s, "PUT", "/api/v1/cart/items/EXCEL101?shop=%d" % shop, {"quantity": 1})
    assert r.status_code == 200, r.text
    who = {"firstname": "Agnès", "lastname": "Série", "email": "agnes.%s@example.org" % secrets.token_hex(4),
           "address": "4 rue des Comptes", "zip": "75011", "city": "Paris", "country": "FR"}
    r = api(s, "PUT", "/api/v1/checkout/customer?shop=%d" % shop, {"customer": who, "invoicing": None})
    assert r.status_code == 200, r.text
    r = api(s, "POST", "/api/v1/checkout/order?shop=%d" % shop, {"paymode": "transfer", "accept_terms": True})
    assert r.status_code == 201, r.text
    return s, r.json()["transid"]


def test_issued_series_is_frozen_and_the_invoice_prints_the_tax_note(staff, new_session, db, made):
    sid, data = create(staff, made)
    shop, _ = create_shop(staff, made, invoice_series_id=str(sid))
    f_counter = db.query("SELECT * FROM {shop}invoice_counter WHERE series_id = 1 ORDER BY year")
    days = db.scalar("SELECT value FROM {shop}setting WHERE name = 'invoicepaymentdays'")

    buyer, transid = place(new_session, shop)
    made.transids.append(transid)
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    assert bill["shop_id"] == shop
    # a tax of the line's rate with an exemption note, made through the form; the line takes it (same
    # rate: the amounts stay right)
    line = db.one("SELECT id, tax_rate FROM {shop}bill_line WHERE bill_id = %s AND code = 'EXCEL101'", bill["id"])
    note = "Mention %s : régime particulier, art. 297 A du CGI" % data["code"]
    r = post(staff, "/admin/taxes/new", {"title": "TVA %s" % data["code"], "country": "FR", "rate": str(line["tax_rate"]),
                                         "formula": "$ttc = $ht * (1 + $tr / 100)", "exemption_note": note})
    assert r.status_code == 303, field_errors(r.text)
    tax = int(re.search(r"/admin/taxes/(\d+)", r.headers["Location"]).group(1))
    made.taxes.append(tax)
    db.execute("UPDATE {shop}bill_line SET tax_id = %s WHERE id = %s", tax, line["id"])
    db.execute("INSERT INTO {shop}setting (name, value) VALUES ('invoicepaymentdays', '45')"
               " ON DUPLICATE KEY UPDATE value = '45'")
    try:
        r = api(staff, "POST", "/api/v1/bills/%s/payments" % transid,
                {"amount_minor": bill["to_pay_minor"], "reference": "VIR-" + secrets.token_hex(5), "date": TODAY,
                 "paymode": "transfer"})
        assert r.status_code == 201, r.text
        number = r.json()["invoice_number"]
        assert number == "%s%d-0001" % (data["code"], YEAR)
        inv = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bill["id"])
        assert inv["series_id"] == sid and inv["number"] == number and inv["pdf_path"]
        # the invoice as stored: the tax's note, and the due date 45 days after issue
        pdf = buyer.get("/bill/%s.pdf" % transid)
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        text = flat_pdf_text(pdf.content)
        assert number in text and note in text, text
        due = {time.strftime("%Y-%m-%d", f(inv["issued_at"] + 45 * 86400)) for f in (time.localtime, time.gmtime)}
        assert any("Due date: " + d in text for d in due), text
    finally:
        if days is None:
            db.execute("DELETE FROM {shop}setting WHERE name = 'invoicepaymentdays'")
        else:
            db.execute("UPDATE {shop}setting SET value = %s WHERE name = 'invoicepaymentdays'", days)
    assert db.query("SELECT * FROM {shop}invoice_counter WHERE series_id = 1 ORDER BY year") == f_counter

    # the list and the page say so
    cells = row_of(staff.get("/admin/invoice-series").text, data["code"])
    assert cells[2] == "%s%d-0002" % (data["code"], YEAR) and cells[5] == "1", cells
    page = staff.get("/admin/invoice-series/%d" % sid).text
    assert 'id="frozen"' in page and re.search(r'id="issued">1<', page)
    for name in ("code", "format"):
        assert re.search(r'<input[^>]* name="%s"[^>]* disabled>' % name, page), name
    for name in ("kind", "yearly_reset"):
        assert re.search(r'<select id="%s" name="%s"[^>]* disabled>' % (name, name), page), name
    assert not re.search(r'name="seller"[^>]* disabled', page)

    # code, kind, format and yearly reset are frozen: refused next to each field, nothing written
    before = db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid)
    for field, value in (("format", data["code"] + "{YYYY}-{NNNNNN}"), ("kind", "credit_note"), ("code", code()),
                         ("yearly_reset", "0")):
        r = post(staff, "/admin/invoice-series/%d" % sid, dict(data, **{field: value}))
        assert r.status_code == 409, (field, r.text)
        assert field_errors(r.text) == {field: EN["series_error_frozen"]}, field
        assert db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid) == before
    r = post(staff, "/admin/invoice-series/%d" % sid, dict(data, format=code() + "{YYYY}{NN}", code=code()))
    assert r.status_code == 409 and sorted(field_errors(r.text)) == ["code", "format"]
    lang(staff, "fr")
    try:
        r = post(staff, "/admin/invoice-series/%d" % sid, dict(data, format=data["code"] + "{YY}-{NNNN}"))
        assert r.status_code == 409 and field_errors(r.text) == {"format": FR["series_error_frozen"]}
    finally:
        lang(staff, "en")
    assert db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid) == before

    # the seller still changes: with the frozen fields as they are, or left out (the page disables them)
    r = post(staff, "/admin/invoice-series/%d" % sid, dict(data, seller="Formations Démo SAS"))
    assert r.status_code == 303
    r = post(staff, "/admin/invoice-series/%d" % sid, {"seller": "Formations Démo SAS — Lyon", "enabled": "1"})
    assert r.status_code == 303
    after = db.one("SELECT * FROM {shop}invoice_series WHERE id = %s", sid)
    assert after["seller"] == "Formations Démo SAS — Lyon"
    assert {k: after[k] for k in ("code", "kind", "format", "yearly_reset", "enabled")} == \
        {k: before[k] for k in ("code", "kind", "format", "yearly_reset", "enabled")}
    # ...and it is disabled once the shop issues elsewhere
    assert post(staff, "/admin/shops/%d" % shop, shop_form(name=db.scalar(
        "SELECT name FROM {shop}shop WHERE id = %s", shop))).status_code == 303
    r = post(staff, "/admin/invoice-series/%d" % sid, {"seller": after["seller"]})
    assert r.status_code == 303 and db.scalar("SELECT enabled FROM {shop}invoice_series WHERE id = %s", sid) == 0
