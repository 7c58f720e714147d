"""Back-office products through HTTP: the form (every field, refusals next to the field), list, delete,
clone, convert, elements, slave copies, files and their media route, access rules.

Every test works in catalogues and shops of its own (made by the `cat` fixture), so the demo catalogue
other suites read stays as seeded."""
import hashlib
import re
import struct
import time
import zlib

import pytest


def tiny_png(color=b"\x00\xff\x00"):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" + color)) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def staff(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "7").stdout.strip(), allow_redirects=False)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


_seq = [0]


def _make_catalogue(db, kind="standalone", master=None, currency="EUR"):
    _seq[0] += 1
    name = "Products test %d %s %f" % (_seq[0], kind, time.time())
    db.execute("INSERT INTO {shop}catalogue (name, kind, master_id) VALUES (%s, %s, %s)", name, kind, master)
    cid = db.scalar("SELECT id FROM {shop}catalogue WHERE name = %s", name)
    db.execute("INSERT INTO {shop}shop (name, catalogue_id, currency, paymodes, enabled) VALUES (%s, %s, %s, '{}', 1)",
               "Shop of " + name, cid, currency)
    sid = db.scalar("SELECT id FROM {shop}shop WHERE catalogue_id = %s", cid)
    db.execute("INSERT INTO {shop}category (catalogue_id, name, seo_alias, sortorder, visible) VALUES (%s, 'Courses', %s, 1, 1)",
               cid, "courses-%d" % cid)
    cat_id = db.scalar("SELECT id FROM {shop}category WHERE catalogue_id = %s", cid)
    return {"id": cid, "shop": sid, "category": cat_id}


@pytest.fixture
def cat(db):
    return _make_catalogue(db)


def form(staff, cat, **over):
    data = {"csrf_token": staff.token, "catalogue": str(cat["id"]), "code": "PRD1", "name": "A product",
            "short_description": "Short", "description": "<p>Long</p>", "status": "AVAILABLE",
            "category": str(cat["category"]), "tax": "1", "tier1_up_to": "", "tier1_price": "10.00",
            "audience": "0", "max_quantity": "0", "seat_mode": "none", "sortorder": "1"}
    for k, v in over.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return data


def create(staff, cat, **over):
    r = staff.post("/admin/products/new", data=form(staff, cat, **over))
    assert r.status_code == 303, r.text[:2000]
    m = re.search(r"/admin/products/(\d+)\?saved=1$", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def catalog(new_session, shop):
    r = new_session().get("/api/v1/catalog?shop=%d" % shop)
    assert r.status_code == 200
    return {p["code"]: p for p in r.json()["products"]}


def field_error(html, field):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % re.escape(field), html)
    return m.group(1) if m else None


# ---------------------------------------------------------------- create / edit

def test_create_stores_every_field_and_shows_on_the_storefront(staff, cat, db, new_session):
    pid = create(staff, cat, code="Web-Course_1", name="Web course", tier1_up_to="9", tier1_price="12,50",
                 tier2_up_to="", tier2_price="10.00", audience="1", max_quantity="20", seat_mode="per_unit",
                 renewable="1", requires_shipping="1", stock="15", seo_alias="web-course", passcode="S3cret!",
                 action="std_enrolonecourse", action_params='{"coursename": "WEB1", "role": "student"}',
                 production_data='{"ref": 1}',
                 required_data='[{"field": "jobtitle", "label": "Job", "type": "text", "required": true}]',
                 notes="<p>staff only</p>", terms="<p>Terms</p>")
    row = db.one("SELECT * FROM {shop}product WHERE id = %s", pid)
    assert row["catalogue_id"] == cat["id"] and row["code"] == "Web-Course_1" and row["name"] == "Web course"
    assert row["status"] == "AVAILABLE" and row["kind"] == "product" and row["category_id"] == cat["category"]
    assert row["tax_id"] == 1 and row["audience"] == 1 and row["max_quantity"] == 20
    assert row["seat_mode"] == "per_unit" and row["renewable"] == 1 and row["requires_shipping"] == 1
    assert row["stock"] == 15 and row["seo_alias"] == "web-course" and row["action"] == "std_enrolonecourse"
    assert '"coursename"' in row["action_params"] and '"jobtitle"' in row["required_data"]
    assert row["notes"] == "<p>staff only</p>" and row["terms"] == "<p>Terms</p>"
    # passcode: hashed, never the clear text, verifiable SHA-512 crypt
    assert row["passcode_hash"].startswith("$6$") and "S3cret!" not in row["passcode_hash"]
    import crypt  # noqa: deprecated but present in Debian's python3.11
    assert crypt.crypt("S3cret!", row["passcode_hash"]) == row["passcode_hash"]
    tiers = db.query("SELECT tier, up_to, price_minor, currency FROM {shop}product_price WHERE product_id = %s ORDER BY tier", pid)
    assert [(t["tier"], t["up_to"], t["price_minor"], t["currency"]) for t in tiers] == [(1, 9, 1250, "EUR"), (2, None, 1000, "EUR")]
    # the form never shows the passcode; it shows the taxed preview of each tier (20 %)
    page = staff.get("/admin/products/%d?saved=1" % pid)
    assert page.status_code == 200 and "S3cret!" not in page.text and "$6$" not in page.text
    assert 'id="tier1_taxed">€15.00<' in page.text and 'id="tier2_taxed">€12.00<' in page.text
    assert 'value="12.50"' in page.text and 'class="admin-nav"' in page.text
    # logged-in audience: the anonymous storefront does not list it, staff see it
    assert "Web-Course_1" not in catalog(new_session, cat["shop"])


def test_edit_shows_on_the_next_storefront_request(staff, cat, db, new_session):
    pid = create(staff, cat, code="EDIT1", name="Before")
    assert catalog(new_session, cat["shop"])["EDIT1"]["name"] == "Before"
    r = staff.post("/admin/products/%d" % pid, data=form(staff, cat, code="EDIT1", name="After", tier1_price="20"))
    assert r.status_code == 303
    p = catalog(new_session, cat["shop"])["EDIT1"]
    assert p["name"] == "After" and p["price_minor"] == 2000 and p["price_taxed_minor"] == 2400
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_price WHERE product_id = %s", pid) == 1


def test_script_payloads_escaped_in_form_and_sanitized_on_storefront(staff, cat, db, new_session):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)><p onclick="x()">ok <a href="javascript:alert(3)">l</a></p>'
    pid = create(staff, cat, code="XSS1", name='Name "><script>alert(4)</script>', description=payload,
                 short_description=payload)
    row = db.one("SELECT name, description FROM {shop}product WHERE id = %s", pid)
    assert "<script" not in row["description"] and "onerror" not in row["description"]
    assert "javascript:" not in row["description"] and "<p>ok" in row["description"]
    page = staff.get("/admin/products/%d" % pid).text
    assert "<script>alert(4)" not in page and "&lt;script&gt;alert(4)" in page
    p = catalog(new_session, cat["shop"])["XSS1"]
    assert "<script" not in p["description"] and "onclick" not in p["description"]
    front = new_session().get("/product/XSS1?shop=%d" % cat["shop"])
    assert front.status_code == 200 and "<script>alert" not in front.text and "onerror" not in front.text
    # a re-rendered form shows what was typed, escaped
    r = staff.post("/admin/products/new", data=form(staff, cat, code="XSS2", name="",
                                                   description="<script>alert(5)</script>"))
    assert r.status_code == 400
    assert 'id="tier1_taxed">€12.00<' in r.text        # the preview is computed on a re-render too
    assert "<script>alert(5)" not in r.text and "&lt;script&gt;alert(5)&lt;/script&gt;" in r.text


@pytest.mark.parametrize("over,field,message", [
    ({"code": ""}, "code", "required"),
    ({"code": "bad code!"}, "code", "letters, digits"),
    ({"code": "A" * 33}, "code", "too long"),
    ({"name": None}, "name", "required"),
    ({"name": "n" * 256}, "name", "too long"),
    ({"status": "SOLD"}, "status", "Choose one"),
    ({"category": "999999"}, "category", "Choose one"),
    ({"tax": "abc"}, "tax", "Choose one"),
    ({"audience": "5"}, "audience", "out of range"),
    ({"audience": "x"}, "audience", "whole number"),
    ({"max_quantity": "1001"}, "max_quantity", "out of range"),
    ({"stock": "-1"}, "stock", "out of range"),
    ({"seat_mode": "two"}, "seat_mode", "Choose one"),
    ({"seo_alias": "Bad Alias"}, "seo_alias", "lower-case"),
    ({"action": "std-bad!"}, "action", "lower-case"),
    ({"action_params": "[1, 2]"}, "action_params", "JSON object"),
    ({"action_params": "{coursename: 1}"}, "action_params", "not valid JSON"),
    ({"production_data": "{"}, "production_data", "not valid JSON"),
    ({"sortorder": "1.5"}, "sortorder", "whole number"),
    ({"tier1_price": ""}, "tier1_price", "required"),
    ({"tier1_price": "-5"}, "tier1_price", "0 or more"),
    ({"tier1_price": "12,345"}, "tier1_price", ""),
    ({"tier1_price": "abc"}, "tier1_price", "amount"),
    ({"tier1_up_to": "10", "tier2_up_to": "5", "tier2_price": "9"}, "tier2_up_to", "increase"),
    ({"tier1_up_to": "", "tier2_up_to": "", "tier2_price": "9"}, "tier1_up_to", "last tier"),
    ({"tier1_up_to": "0"}, "tier1_up_to", "out of range"),
    ({"tier6_up_to": "", "tier6_price": "3"}, "tiers", "1 to 5"),
    ({"required_data": '[{"field": "a", "label": "A", "type": "text"}, {"field": "b", "label": "B", "type": "radio"}]'},
     "required_data", "element 2, key « type »"),
    ({"required_data": '[{"field": "a", "label": "A", "type": "text", "onclick": "x"}]'},
     "required_data", "« onclick »"),
    ({"required_data": '[{"field": "a",]'}, "required_data", "not valid JSON"),
    ({"passcode": "a\tb"}, "passcode", "printable"),
])
def test_bad_input_refused_next_to_the_field(staff, cat, db, over, field, message):
    before = db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s", cat["id"])
    r = staff.post("/admin/products/new", data=form(staff, cat, **over))
    assert r.status_code == 400, r.text[:500]
    err = field_error(r.text, field)
    assert err is not None, "no error next to %s" % field
    assert message in err
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s", cat["id"]) == before
    # submitted values are shown back (never the passcode)
    if over.get("name"):
        assert ('value="%s"' % over["name"]) in r.text
    if "passcode" in over:
        assert over["passcode"] not in r.text


def test_duplicate_code_and_alias_are_409(staff, cat, db):
    pid = create(staff, cat, code="DUPE", seo_alias="dupe")
    r = staff.post("/admin/products/new", data=form(staff, cat, code="dupe", name="Other"))
    assert r.status_code == 409 and "already has this code" in field_error(r.text, "code")
    assert 'value="Other"' in r.text
    r = staff.post("/admin/products/new", data=form(staff, cat, code="DUPE2", seo_alias="dupe"))
    assert r.status_code == 409 and field_error(r.text, "seo_alias")
    # the same code in another catalogue is fine; saving a product with its own code too
    other = _make_catalogue(db)
    create(staff, other, code="DUPE")
    r = staff.post("/admin/products/%d" % pid, data=form(staff, cat, code="DUPE", seo_alias="dupe", name="Renamed"))
    assert r.status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s AND code = 'DUPE'", cat["id"]) == 1


def test_passcode_change_keep_and_clear(staff, cat, db):
    pid = create(staff, cat, code="PASS1", passcode="first-code")
    h1 = db.scalar("SELECT passcode_hash FROM {shop}product WHERE id = %s", pid)
    assert staff.post("/admin/products/%d" % pid, data=form(staff, cat, code="PASS1")).status_code == 303
    assert db.scalar("SELECT passcode_hash FROM {shop}product WHERE id = %s", pid) == h1
    assert staff.post("/admin/products/%d" % pid, data=form(staff, cat, code="PASS1", passcode="second")).status_code == 303
    h2 = db.scalar("SELECT passcode_hash FROM {shop}product WHERE id = %s", pid)
    assert h2 != h1 and h2.startswith("$6$") and "second" not in h2
    assert staff.post("/admin/products/%d" % pid, data=form(staff, cat, code="PASS1", passcode_clear="1")).status_code == 303
    assert db.scalar("SELECT passcode_hash FROM {shop}product WHERE id = %s", pid) is None


# ---------------------------------------------------------------- list

def test_list_search_status_filter_and_paging(staff, cat):
    for i in range(3):
        create(staff, cat, code="LIST%d" % i, name="Listed %d" % i, status="PREVIEW" if i == 2 else "AVAILABLE")
    r = staff.get("/admin/catalogues/%d/products" % cat["id"])
    assert r.status_code == 200 and "LIST0" in r.text and "LIST2" in r.text and 'class="admin-nav"' in r.text
    r = staff.get("/admin/catalogues/%d/products?q=listed 1" % cat["id"])
    assert "LIST1" in r.text and "LIST0" not in r.text
    r = staff.get("/admin/catalogues/%d/products?status=PREVIEW" % cat["id"])
    assert "LIST2" in r.text and "LIST1" not in r.text
    create(staff, cat, code="LIST-NOCAT", category="")
    r = staff.get("/admin/catalogues/%d/products?category=%d" % (cat["id"], cat["category"]))
    assert "LIST0" in r.text and "LIST-NOCAT" not in r.text
    r = staff.get("/admin/catalogues/%d/products?q=%%25" % cat["id"])        # '%' is searched literally
    assert "LIST0" not in r.text
    r = staff.get("/admin/catalogues/%d/products?page=99" % cat["id"])
    assert r.status_code == 200 and "1 / 1" in r.text
    assert staff.get("/admin/catalogues/999999/products").status_code == 404


# ------------------------------------------------------ delete, clone, convert, elements

def test_delete_with_confirmation(staff, cat, db, new_session):
    pid = create(staff, cat, code="DEL1")
    page = staff.get("/admin/products/%d/delete" % pid)
    assert page.status_code == 200 and "DEL1" in page.text and 'method="post"' in page.text
    assert staff.get("/admin/products/%d" % pid).status_code == 200
    r = staff.post("/admin/products/%d/delete" % pid, data={"csrf_token": staff.token})
    assert r.status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE id = %s", pid) == 0
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_price WHERE product_id = %s", pid) == 0
    assert "DEL1" not in catalog(new_session, cat["shop"])
    assert staff.post("/admin/products/%d/delete" % pid, data={"csrf_token": staff.token}).status_code == 404


def test_clone_convert_elements_unlink(staff, cat, db):
    pid = create(staff, cat, code="CLN", tier1_up_to="5", tier1_price="30", tier2_price="25", action="std_prorogate",
                 action_params='{"timeshift": "30"}')
    r = staff.post("/admin/products/%d/clone" % pid, data={"csrf_token": staff.token})
    assert r.status_code == 303
    c1 = db.one("SELECT * FROM {shop}product WHERE catalogue_id = %s AND code = 'CLN1'", cat["id"])
    assert c1 and c1["status"] == "PREVIEW" and c1["action"] == "std_prorogate"
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_price WHERE product_id = %s", c1["id"]) == 2
    staff.post("/admin/products/%d/clone" % pid, data={"csrf_token": staff.token})
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s AND code = 'CLN11'", cat["id"]) == 1

    # convert to a bundle: action and parameters cleared
    r = staff.post("/admin/products/%d/convert" % pid, data={"csrf_token": staff.token, "to": "bundle"})
    assert r.status_code == 303
    row = db.one("SELECT kind, action, action_params FROM {shop}product WHERE id = %s", pid)
    assert row == {"kind": "bundle", "action": None, "action_params": None}
    assert staff.post("/admin/products/%d/convert" % pid, data={"csrf_token": staff.token, "to": "box"}).status_code == 400

    # elements: by code, same catalogue, not itself, not twice
    e1 = create(staff, cat, code="EL-A")
    e2 = create(staff, cat, code="EL-B")
    assert staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "EL-A"}).status_code == 303
    assert staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "el-b"}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_element WHERE container_id = %s", pid) == 2
    r = staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "CLN"})
    assert r.status_code == 400 and field_error(r.text, "element")
    r = staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "NOPE"})
    assert r.status_code == 400 and field_error(r.text, "element")
    other_box = create(staff, cat, code="BOX2")
    staff.post("/admin/products/%d/convert" % other_box, data={"csrf_token": staff.token, "to": "set"})
    r = staff.post("/admin/products/%d/elements" % other_box, data={"csrf_token": staff.token, "element": "EL-A"})
    assert r.status_code == 409 and "already an element" in field_error(r.text, "element")
    r = staff.post("/admin/products/%d/elements" % e2, data={"csrf_token": staff.token, "element": "EL-A"})
    assert r.status_code == 400        # a plain product has no elements
    other = _make_catalogue(db)
    create(staff, other, code="FOREIGN")
    r = staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "FOREIGN"})
    assert r.status_code == 400

    # cloning a bundle copies its elements as new products
    staff.post("/admin/products/%d/clone" % pid, data={"csrf_token": staff.token})
    clone = db.scalar("SELECT id FROM {shop}product WHERE catalogue_id = %s AND code = 'CLN111'", cat["id"])
    codes = [r["code"] for r in db.query("SELECT p.code FROM {shop}product_element e JOIN {shop}product p ON p.id = e.element_id"
                                         " WHERE e.container_id = %s ORDER BY p.code", clone)]
    assert codes == ["EL-A1", "EL-B1"]

    page = staff.get("/admin/products/%d" % pid).text
    assert "EL-A" in page and "EL-B" in page
    assert staff.post("/admin/products/%d/unlink" % pid, data={"csrf_token": staff.token, "element": "EL-A"}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_element WHERE container_id = %s", pid) == 1
    assert staff.post("/admin/products/%d/unlink" % pid, data={"csrf_token": staff.token, "all": "1"}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_element WHERE container_id = %s", pid) == 0
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE id IN (%s, %s)", e1, e2) == 2


# ---------------------------------------------------------------- slave catalogues

def test_slave_copy_edit_free_and_master_delete(staff, db, new_session):
    master = _make_catalogue(db, "master")
    slave = _make_catalogue(db, "slave", master=master["id"])
    pid = create(staff, master, code="MST", name="Nom maître", tier1_price="100", tax="1")
    r = staff.get("/admin/catalogues/%d/products" % slave["id"])
    assert r.status_code == 200 and "MST" in r.text and "/products/MST/copy" in r.text

    r = staff.post("/admin/catalogues/%d/products/MST/copy" % slave["id"], data={"csrf_token": staff.token})
    assert r.status_code == 303
    ov = db.one("SELECT * FROM {shop}product_override WHERE catalogue_id = %s AND product_code = 'MST'", slave["id"])
    assert ov["name"] == "Nom maître" and ov["tax_id"] == 1 and ov["override_prices"] == 1
    assert db.scalar("SELECT price_minor FROM {shop}product_override_price WHERE override_id = %s", ov["id"]) == 10000
    # a second copy changes nothing
    assert staff.post("/admin/catalogues/%d/products/MST/copy" % slave["id"], data={"csrf_token": staff.token}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_override WHERE catalogue_id = %s", slave["id"]) == 1
    assert "/products/MST/free" in staff.get("/admin/catalogues/%d/products" % slave["id"]).text

    # the override form: texts, tax and tiers; technical fields read-only
    page = staff.get("/admin/products/%d?catalogue=%d" % (pid, slave["id"]))
    assert page.status_code == 200 and 'name="action"' not in page.text and 'name="code"' not in page.text
    r = staff.post("/admin/products/%d" % pid, data={"csrf_token": staff.token, "catalogue": str(slave["id"]),
                                                     "name": "English name", "tier1_price": "80", "tax": "",
                                                     "status": "SUSPENDED", "code": "HACK"})
    assert r.status_code == 303
    ov = db.one("SELECT * FROM {shop}product_override WHERE id = %s", ov["id"])
    assert ov["name"] == "English name" and ov["tax_id"] is None
    assert db.scalar("SELECT price_minor FROM {shop}product_override_price WHERE override_id = %s", ov["id"]) == 8000
    m = db.one("SELECT code, status, name FROM {shop}product WHERE id = %s", pid)
    assert m == {"code": "MST", "status": "AVAILABLE", "name": "Nom maître"}
    p = catalog(new_session, slave["shop"])["MST"]
    assert p["name"] == "English name" and p["price_minor"] == 8000 and p["price_taxed_minor"] == 8000
    assert catalog(new_session, master["shop"])["MST"]["name"] == "Nom maître"

    # renaming the master product's code carries the copy along
    r = staff.post("/admin/products/%d" % pid, data=form(staff, master, code="MST-R", name="Nom maître", tier1_price="100"))
    assert r.status_code == 303
    assert db.scalar("SELECT product_code FROM {shop}product_override WHERE id = %s", ov["id"]) == "MST-R"
    assert catalog(new_session, slave["shop"])["MST-R"]["name"] == "English name"
    r = staff.post("/admin/products/%d" % pid, data=form(staff, master, code="MST", name="Nom maître", tier1_price="100"))
    assert r.status_code == 303

    # free the copy, make it again, then deleting the master product removes it
    assert staff.post("/admin/catalogues/%d/products/MST/free" % slave["id"], data={"csrf_token": staff.token}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_override WHERE catalogue_id = %s", slave["id"]) == 0
    assert catalog(new_session, slave["shop"])["MST"]["name"] == "Nom maître"
    staff.post("/admin/catalogues/%d/products/MST/copy" % slave["id"], data={"csrf_token": staff.token})
    assert staff.post("/admin/products/%d/delete" % pid, data={"csrf_token": staff.token}).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_override WHERE catalogue_id = %s", slave["id"]) == 0
    # a product created "in" the slave goes to its master
    r = staff.post("/admin/products/new", data=form(staff, slave, code="VIA-SLAVE", category=""))
    assert r.status_code == 303
    assert db.scalar("SELECT catalogue_id FROM {shop}product WHERE code = 'VIA-SLAVE'") == master["id"]
    # copy/free on a catalogue that is not a slave, or of an unknown code
    assert staff.post("/admin/catalogues/%d/products/MST/copy" % master["id"], data={"csrf_token": staff.token}).status_code == 404
    assert staff.post("/admin/catalogues/%d/products/NOPE/copy" % slave["id"], data={"csrf_token": staff.token}).status_code == 404


# ---------------------------------------------------------------- files

def test_upload_image_and_leaflet_served_with_etag(staff, cat, db, stack, new_session):
    pid = create(staff, cat, code="FILES1")
    png = tiny_png()
    r = staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token},
                   files={"image": ("x.txt", png, "text/plain"), "leaflet": ("l.bin", PDF, "application/octet-stream")})
    assert r.status_code == 303, r.text[:500]
    row = db.one("SELECT image_ref, thumb_ref, leaflet_ref FROM {shop}product WHERE id = %s", pid)
    assert row == {"image_ref": "products/%d/image.png" % pid, "thumb_ref": None, "leaflet_ref": "products/%d/leaflet.pdf" % pid}
    with open("%s/data/%s" % (stack["SHOP_RUN_DIR"], row["image_ref"]), "rb") as f:
        assert f.read() == png
    anon = new_session()
    got = anon.get("/media/products/%d/image" % pid)
    assert got.status_code == 200 and got.content == png and got.headers["Content-Type"] == "image/png"
    assert got.headers["ETag"].strip('"') == hashlib.sha256(png).hexdigest()[:32]
    assert "max-age=300" in got.headers["Cache-Control"] and "public" in got.headers["Cache-Control"]
    assert anon.get("/media/products/%d/image" % pid, headers={"If-None-Match": got.headers["ETag"]}).status_code == 304
    leaflet = anon.get("/media/products/%d/leaflet" % pid)
    assert leaflet.status_code == 200 and leaflet.content == PDF and leaflet.headers["Content-Type"] == "application/pdf"
    assert leaflet.headers["Content-Disposition"].startswith("attachment")
    assert anon.get("/media/products/%d/thumb" % pid).status_code == 404
    assert anon.get("/media/products/%d/other" % pid).status_code == 404
    # a product that is not listed keeps its files to staff
    db.execute("UPDATE {shop}product SET status = 'PREVIEW' WHERE id = %s", pid)
    assert anon.get("/media/products/%d/image" % pid).status_code == 404
    assert staff.get("/media/products/%d/image" % pid).status_code == 200
    # replace, then clear
    png2 = tiny_png(b"\xff\x00\x00")
    staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token}, files={"image": ("a.png", png2, "image/png")})
    assert staff.get("/media/products/%d/image" % pid).content == png2
    r = staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token, "clear_leaflet": "1"},
                   files={"thumb": ("t.png", png, "image/png")})
    assert r.status_code == 303
    row = db.one("SELECT image_ref, thumb_ref, leaflet_ref FROM {shop}product WHERE id = %s", pid)
    assert row["leaflet_ref"] is None and row["thumb_ref"] == "products/%d/thumb.png" % pid


@pytest.mark.parametrize("files,status,field", [
    ({"image": ("i.png", b"<script>alert(1)</script>", "image/png")}, 415, "image"),
    ({"image": ("i.png", PDF, "image/png")}, 415, "image"),
    ({"leaflet": ("l.pdf", tiny_png(), "application/pdf")}, 415, "leaflet"),
    ({"thumb": ("t.png", tiny_png() + b"\x00" * (2 * 1024 * 1024), "image/png")}, 413, "thumb"),
    ({"leaflet": ("l.pdf", PDF + b"\x00" * (5 * 1024 * 1024), "application/pdf")}, 413, "leaflet"),
])
def test_upload_refused_with_field_message(staff, cat, db, files, status, field):
    pid = create(staff, cat, code="FILES2")
    r = staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token}, files=files)
    assert r.status_code == status
    assert field_error(r.text, field) and "<script>alert(1)" not in r.text
    assert db.one("SELECT image_ref, thumb_ref, leaflet_ref FROM {shop}product WHERE id = %s", pid) == \
        {"image_ref": None, "thumb_ref": None, "leaflet_ref": None}


# ---------------------------------------------------------------- access

def test_access_rules(staff, cat, new_session, shopctl):
    pid = create(staff, cat, code="ACC1")
    anon = new_session()
    assert anon.get("/admin/catalogues/%d/products" % cat["id"]).status_code == 401
    assert anon.get("/admin/products/%d" % pid).status_code == 401
    customer = new_session()
    customer.get(shopctl("ticket", "4").stdout.strip(), allow_redirects=False)
    token = customer.token = customer.get("/api/v1/session").json()["csrf_token"]
    assert customer.get("/admin/products/%d" % pid).status_code == 403
    assert customer.post("/admin/products/%d/delete" % pid, data={"csrf_token": token}).status_code == 403
    assert customer.post("/admin/products/new", data=form(customer, cat, code="CUST")).status_code == 403
    # staff without the CSRF token, or with another session's
    assert staff.post("/admin/products/%d/delete" % pid, data={"confirm": "1"}).status_code == 403
    assert staff.post("/admin/products/%d/delete" % pid, data={"csrf_token": token}).status_code == 403
    assert staff.post("/admin/products/new", data=form(staff, cat, code="NOCSRF", csrf_token=None)).status_code == 403
    assert staff.get("/admin/products/%d/delete" % pid).status_code == 200
    assert staff.get("/admin/products/999999").status_code == 404
    assert staff.get("/admin/products/new?catalogue=999999").status_code == 404


# ---------------------------------------------------------------- CSV

HEADER = ("code;name;status;category;tax;tier1_up_to;tier1_price;tier2_up_to;tier2_price;tier3_up_to;tier3_price;"
          "tier4_up_to;tier4_price;tier5_up_to;tier5_price;audience;max_quantity;seat_mode;action;stock;short_description")


def csv_line(code, name="CSV product", status="AVAILABLE", category="", tax="", tiers=(("", "10.00"),),
             audience="0", max_quantity="0", seat_mode="none", action="", stock="", short=""):
    cells = [code, name, status, category, tax]
    for i in range(5):
        cells += list(tiers[i]) if i < len(tiers) else ["", ""]
    cells += [audience, max_quantity, seat_mode, action, stock, short]
    return ";".join(cells)


def import_csv(staff, cat, text, dry_run):
    data = {"csrf_token": staff.token}
    if dry_run:
        data["dry_run"] = "1"
    return staff.post("/admin/catalogues/%d/products/import" % cat["id"], data=data,
                      files={"file": ("p.csv", text.encode("utf-8"), "text/csv")})


def report(html):
    return {int(m.group(1)): m.group(2) for m in re.finditer(r'data-line="(\d+)" data-op="(\w+)"', html)}


def test_csv_export_defuses_formulas(staff, cat):
    create(staff, cat, code="CSV-EXP1", name="=HYPERLINK(\"http://evil\")", tier1_up_to="4", tier1_price="12,50",
           tier2_price="10", short_description="@SUM(A1)", audience="-1", stock="7")
    create(staff, cat, code="CSV-EXP2", name="+cmd|' /C calc'!A0")
    r = staff.get("/admin/catalogues/%d/products.csv" % cat["id"])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == HEADER
    exp1 = next(l for l in lines if l.startswith("CSV-EXP1;"))
    assert "'=HYPERLINK" in exp1 and ";'@SUM(A1)" in exp1 and ";4;12.50;;10.00;" in exp1 and ";'-1;" in exp1
    assert ";courses-%d;1;" % cat["id"] in exp1 and ";7;" in exp1
    exp2 = next(l for l in lines if l.startswith("CSV-EXP2;"))
    assert exp2.startswith("CSV-EXP2;'+cmd")
    for line in lines[1:]:
        for cell in line.split(";"):
            assert not cell.startswith(("=", "+", "@")), line


def test_csv_import_dry_run_then_apply_and_round_trip(staff, cat, db, new_session):
    pid = create(staff, cat, code="CSV-OLD", name="Old name", tier1_price="5")
    text = "\n".join([HEADER,
                      csv_line("csv-old", name="New name", tiers=(("9", "12,50"), ("", "11.00")), stock="3"),
                      csv_line("CSV-NEW", name="Created by CSV", category="courses-%d" % cat["id"], tax="1",
                               short="<b>bold</b><script>x()</script>", seat_mode="per_unit", action="std_enrolonecourse")])
    r = import_csv(staff, cat, text, dry_run=True)
    assert r.status_code == 200, r.text[:1500]
    assert report(r.text) == {2: "update", 3: "create"}
    assert db.scalar("SELECT name FROM {shop}product WHERE id = %s", pid) == "Old name"
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s AND code = 'CSV-NEW'", cat["id"]) == 0

    r = import_csv(staff, cat, text, dry_run=False)
    assert r.status_code == 200 and "applied" in r.text
    assert db.scalar("SELECT name FROM {shop}product WHERE id = %s", pid) == "New name"
    assert db.scalar("SELECT stock FROM {shop}product WHERE id = %s", pid) == 3
    assert [(t["up_to"], t["price_minor"]) for t in db.query(
        "SELECT up_to, price_minor FROM {shop}product_price WHERE product_id = %s ORDER BY tier", pid)] == [(9, 1250), (None, 1100)]
    new = db.one("SELECT * FROM {shop}product WHERE catalogue_id = %s AND code = 'CSV-NEW'", cat["id"])
    assert new["category_id"] == cat["category"] and new["tax_id"] == 1 and new["seat_mode"] == "per_unit"
    assert "<script" not in new["short_description"] and "<b>bold</b>" in new["short_description"]
    assert catalog(new_session, cat["shop"])["CSV-NEW"]["price_taxed_minor"] == 1200

    # what the export writes, the import reads back unchanged
    exported = staff.get("/admin/catalogues/%d/products.csv" % cat["id"]).content.decode("utf-8")
    before = db.query("SELECT code, name, status, category_id, tax_id, audience, max_quantity, seat_mode, action, stock,"
                      " short_description FROM {shop}product WHERE catalogue_id = %s ORDER BY code", cat["id"])
    r = staff.post("/admin/catalogues/%d/products/import" % cat["id"], data={"csrf_token": staff.token},
                   files={"file": ("p.csv", exported.encode("utf-8"), "text/csv")})
    assert r.status_code == 200 and set(report(r.text).values()) == {"update"}
    after = db.query("SELECT code, name, status, category_id, tax_id, audience, max_quantity, seat_mode, action, stock,"
                     " short_description FROM {shop}product WHERE catalogue_id = %s ORDER BY code", cat["id"])
    assert after == before


@pytest.mark.parametrize("line,field,message", [
    (csv_line("BAD 1"), "code", "letters"),
    (csv_line("B2", name=""), "name", "required"),
    (csv_line("B3", status="SOLD"), "status", "Choose one"),
    (csv_line("B4", category="nope"), "category", "SEO alias"),
    (csv_line("B5", tax="999999"), "tax", "Choose one"),
    (csv_line("B6", tiers=(("10", "5"), ("5", "4"))), "tier2_up_to", "increase"),
    (csv_line("B7", tiers=(("", "12,345"),)), "tier1_price", ""),
    (csv_line("B8", tiers=(("", "-1"),)), "tier1_price", "0 or more"),
    (csv_line("B9", audience="3"), "audience", "out of range"),
    (csv_line("B10", seat_mode="all"), "seat_mode", "Choose one"),
    (csv_line("B11", stock="-2"), "stock", "out of range"),
    (csv_line("B12", action="Bad-Action"), "action", "lower-case"),
    (csv_line("B13") + ";extra", "line", "columns"),
])
def test_csv_import_errors_name_line_and_field_and_write_nothing(staff, cat, db, line, field, message):
    text = "\n".join([HEADER, csv_line("GOOD-1"), line, csv_line("GOOD-2")])
    for dry in (True, False):
        r = import_csv(staff, cat, text, dry_run=dry)
        assert r.status_code == 400
        assert report(r.text) == {2: "create", 3: "error", 4: "create"}
        m = re.search(r'data-line="3".*?</tr>', r.text, re.S)
        err = re.search(r'data-field="%s">([^<]*)<' % re.escape(field), m.group(0))
        assert err and message in err.group(1), m.group(0)
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id = %s", cat["id"]) == 0


def test_csv_import_refusals(staff, cat, db):
    r = import_csv(staff, cat, "\n".join([HEADER, csv_line("DUP"), csv_line("dup")]), dry_run=True)
    assert r.status_code == 400 and report(r.text) == {2: "create", 3: "error"} and "line 2" in r.text
    r = import_csv(staff, cat, "code;name\nX;Y\n", dry_run=True)
    assert r.status_code == 400 and 'id="file-error"' in r.text and "line 1" in r.text
    r = import_csv(staff, cat, HEADER + '\nA;"open quote\n', dry_run=True)
    assert r.status_code == 400 and 'id="file-error"' in r.text
    r = staff.post("/admin/catalogues/%d/products/import" % cat["id"], data={"csrf_token": staff.token, "dry_run": "1"},
                   files={"other": ("p.csv", b"x", "text/csv")})
    assert r.status_code == 400 and 'id="file-error"' in r.text
    master = _make_catalogue(db, "master")
    slave = _make_catalogue(db, "slave", master=master["id"])
    r = import_csv(staff, slave, "\n".join([HEADER, csv_line("S1")]), dry_run=False)
    assert r.status_code == 400 and 'id="file-error"' in r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}product WHERE catalogue_id IN (%s, %s)", cat["id"], master["id"]) == 0
    # staff only, CSRF
    assert staff.post("/admin/catalogues/%d/products/import" % cat["id"],
                      files={"file": ("p.csv", HEADER.encode(), "text/csv")}).status_code == 403


def test_clone_copies_files_and_leaflet_disposition_follows_the_shop(staff, cat, db, new_session, stack):
    pid = create(staff, cat, code="CLF")
    png = tiny_png()
    assert staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token},
                      files={"thumb": ("t.png", png, "image/png"), "leaflet": ("l.pdf", PDF, "application/pdf")}).status_code == 303
    assert staff.post("/admin/products/%d/clone" % pid, data={"csrf_token": staff.token}).status_code == 303
    clone = db.one("SELECT id, thumb_ref, leaflet_ref FROM {shop}product WHERE catalogue_id = %s AND code = 'CLF1'", cat["id"])
    assert clone["thumb_ref"] == "products/%d/thumb.png" % clone["id"]
    # replacing the original's thumbnail leaves the clone's alone
    png2 = tiny_png(b"\x00\x00\xff")
    staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token}, files={"thumb": ("t.png", png2, "image/png")})
    assert staff.get("/media/products/%d/thumb" % clone["id"]).content == png
    assert staff.get("/media/products/%d/thumb" % pid).content == png2
    # deleting the original removes its files, not the clone's
    import os
    data = os.path.join(stack["SHOP_RUN_DIR"], "data", "products")
    assert staff.post("/admin/products/%d/delete" % pid, data={"csrf_token": staff.token}).status_code == 303
    assert not os.path.exists(os.path.join(data, str(pid)))
    assert os.path.exists(os.path.join(data, str(clone["id"]), "thumb.png"))
    pid = clone["id"]
    staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token},
               files={"leaflet": ("l.pdf", PDF, "application/pdf")})
    db.execute("UPDATE {shop}product SET status = 'AVAILABLE' WHERE id = %s", pid)
    db.execute("UPDATE {shop}shop SET force_download_leaflet = 0 WHERE id = %s", cat["shop"])
    r = new_session().get("/media/products/%d/leaflet" % pid)
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("inline")


def test_messages_in_the_users_language(staff, cat):
    r = staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
    assert r.status_code in (200, 204)
    r = staff.post("/admin/products/new", data=form(staff, cat, code="FR 1", tier1_price="abc"))
    assert r.status_code == 400 and '<html lang="fr"' in r.text
    assert "lettres" in field_error(r.text, "code") and "montant" in field_error(r.text, "tier1_price")
    page = staff.get("/admin/products/new?catalogue=%d" % cat["id"])
    assert "Paliers de prix" in page.text and "Nouveau produit" in page.text


def test_form_pages_have_unique_ids_and_labelled_controls(staff, cat, db):
    import html.parser

    class Scan(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.labels, self.controls = [], set(), []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                self.ids.append(a["id"])
            if tag == "label" and "for" in a:
                self.labels.add(a["for"])
            if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
                self.controls.append(a.get("id"))

    pid = create(staff, cat, code="A11Y", passcode="x1")
    staff.post("/admin/products/%d/convert" % pid, data={"csrf_token": staff.token, "to": "set"})
    el = create(staff, cat, code="A11Y-EL")
    staff.post("/admin/products/%d/elements" % pid, data={"csrf_token": staff.token, "element": "A11Y-EL"})
    staff.post("/admin/products/%d/files" % pid, data={"csrf_token": staff.token},
               files={"image": ("i.png", tiny_png(), "image/png")})
    for url in ("/admin/products/%d" % pid, "/admin/products/new?catalogue=%d" % cat["id"],
                "/admin/catalogues/%d/products" % cat["id"], "/admin/products/%d/delete" % el):
        page = staff.get(url)
        assert page.status_code == 200, url
        scan = Scan()
        scan.feed(page.text)
        dupes = {i for i in scan.ids if scan.ids.count(i) > 1}
        assert not dupes, (url, dupes)
        unlabelled = [c for c in scan.controls if c not in scan.labels]
        assert not unlabelled, (url, unlabelled)
