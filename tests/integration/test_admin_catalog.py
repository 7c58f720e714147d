"""Back office, catalogue area: catalogues, categories, CSV export/import, through HTTP with DB checks."""
import csv
import io
import re
import uuid

import pytest


def uid():
    return uuid.uuid4().hex[:8]


def login(new_session, shopctl, user):
    s = new_session()
    s.get(shopctl("ticket", str(user)).stdout.strip(), allow_redirects=False)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


@pytest.fixture
def staff(new_session, shopctl):
    return login(new_session, shopctl, 7)


def post(s, url, data=None, **kw):
    data = dict(data or {})
    data.setdefault("csrf_token", s.token)
    return s.post(url, data=data, **kw)


def field_error(html, field):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % re.escape(field), html)
    return m.group(1) if m else None


def new_catalogue(s, db, name=None, **fields):
    name = name or "Cat " + uid()
    data = {"name": name, "kind": "standalone"}
    data.update(fields)
    r = post(s, "/admin/catalogues/new", data)
    assert r.status_code == 303, r.text
    cid = db.scalar("SELECT id FROM {shop}catalogue WHERE name = %s", name)
    assert r.headers["Location"].endswith("/admin/catalogues/%d?saved=1" % cid)
    return cid


def new_category(s, db, catalogue, name=None, **fields):
    name = name or "Category " + uid()
    data = {"name": name, "visible": "1"}
    data.update(fields)
    if data["visible"] is None:                  # an unticked checkbox is not sent
        del data["visible"]
    r = post(s, "/admin/categories/new?catalogue=%d" % catalogue, data)
    assert r.status_code == 303, r.text
    assert r.headers["Location"].endswith("/admin/catalogues/%d/categories?saved=1" % catalogue)
    return db.scalar("SELECT id FROM {shop}category WHERE catalogue_id = %s AND name = %s", catalogue, name)


def version(db, cid):
    return db.scalar("SELECT cache_version FROM {shop}catalogue WHERE id = %s", cid)


# ---- catalogues

def test_catalogue_create_list_edit(staff, db):
    name = "Catalogue " + uid()
    cid = new_catalogue(staff, db, name, description='<p onclick="x()">Hello<script>alert(1)</script></p>',
                        country_restrictions=" fr, be ,ch", bill_footer="<b>Footer</b><img src=x onerror=y>")
    row = db.one("SELECT * FROM {shop}catalogue WHERE id = %s", cid)
    assert row["kind"] == "standalone" and row["master_id"] is None
    assert row["description"] == "<p>Hello</p>"
    assert row["bill_footer"] == "<b>Footer</b>"
    assert row["country_restrictions"] == "FR,BE,CH"

    page = staff.get("/admin/catalogues?q=" + name)
    assert page.status_code == 200 and name in page.text and "admin-nav" in page.text
    assert "/admin/catalogues/%d/categories" % cid in page.text

    form = staff.get("/admin/catalogues/%d" % cid)
    assert form.status_code == 200 and 'value="FR,BE,CH"' in form.text
    before = version(db, cid)
    r = post(staff, "/admin/catalogues/%d" % cid, {"name": name + " v2", "kind": "master",
                                                   "country_restrictions": ""})
    assert r.status_code == 303
    row = db.one("SELECT * FROM {shop}catalogue WHERE id = %s", cid)
    assert row["name"] == name + " v2" and row["kind"] == "master" and row["country_restrictions"] == ""
    assert row["description"] is None
    assert version(db, cid) > before
    assert "Catalogue" in staff.get("/admin/catalogues/%d?saved=1" % cid).text


def test_master_slave_and_release_on_delete(staff, db):
    master = new_catalogue(staff, db, kind="master")
    slave = new_catalogue(staff, db, kind="slave", master_id=str(master))
    assert db.one("SELECT kind, master_id FROM {shop}catalogue WHERE id = %s", slave) == \
        {"kind": "slave", "master_id": master}
    listing = staff.get("/admin/catalogues").text
    assert 'href="/shop/admin/catalogues/%d"' % master in listing or "/admin/catalogues/%d" % master in listing

    confirm = staff.get("/admin/catalogues/%d/delete" % master)
    assert confirm.status_code == 200 and 'name="slaves" value="release"' in confirm.text
    # no choice for a master with slaves: refused
    r = post(staff, "/admin/catalogues/%d/delete" % master)
    assert r.status_code == 400 and db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id = %s", master) == 1
    before = version(db, slave)
    r = post(staff, "/admin/catalogues/%d/delete" % master, {"slaves": "release"})
    assert r.status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id = %s", master) == 0
    assert db.one("SELECT kind, master_id FROM {shop}catalogue WHERE id = %s", slave) == \
        {"kind": "standalone", "master_id": None}
    assert version(db, slave) > before


def test_delete_master_with_its_slaves(staff, db):
    master = new_catalogue(staff, db, kind="master")
    s1 = new_catalogue(staff, db, kind="slave", master_id=str(master))
    s2 = new_catalogue(staff, db, kind="slave", master_id=str(master))
    cat = new_category(staff, db, s1)
    r = post(staff, "/admin/catalogues/%d/delete" % master, {"slaves": "delete"})
    assert r.status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id IN (%s, %s, %s)", master, s1, s2) == 0
    assert db.scalar("SELECT COUNT(*) FROM {shop}category WHERE id = %s", cat) == 0


def test_master_that_becomes_standalone_releases_its_slaves(staff, db):
    master = new_catalogue(staff, db, kind="master")
    slave = new_catalogue(staff, db, kind="slave", master_id=str(master))
    name = db.scalar("SELECT name FROM {shop}catalogue WHERE id = %s", master)
    assert post(staff, "/admin/catalogues/%d" % master, {"name": name, "kind": "standalone"}).status_code == 303
    assert db.one("SELECT kind, master_id FROM {shop}catalogue WHERE id = %s", slave) == \
        {"kind": "standalone", "master_id": None}


def test_delete_refused_while_a_shop_sells_it(staff, db):
    # demo: shop 1 sells master catalogue 1, shop 2 sells its slave 2
    r = post(staff, "/admin/catalogues/1/delete", {"slaves": "release"})
    assert r.status_code == 409 and "sold by a shop" in r.text
    r = post(staff, "/admin/catalogues/2/delete")
    assert r.status_code == 409
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id IN (1, 2)") == 2
    assert db.one("SELECT kind, master_id FROM {shop}catalogue WHERE id = 2") == {"kind": "slave", "master_id": 1}
    # deleting a free master whose slave is sold is refused when the slaves would go too
    master = new_catalogue(staff, db, kind="master")
    slave = new_catalogue(staff, db, kind="slave", master_id=str(master))
    shop_id = None
    try:
        db.execute("INSERT INTO {shop}shop (name, catalogue_id, currency) VALUES (%s, %s, 'EUR')", "Shop " + uid(), slave)
        shop_id = db.scalar("SELECT id FROM {shop}shop WHERE catalogue_id = %s", slave)
        r = post(staff, "/admin/catalogues/%d/delete" % master, {"slaves": "delete"})
        assert r.status_code == 409 and 'role="alert"' in r.text
        assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id IN (%s, %s)", master, slave) == 2
    finally:
        if shop_id:
            db.execute("DELETE FROM {shop}shop WHERE id = %s", shop_id)


@pytest.mark.parametrize("fields,field,status", [
    ({"name": ""}, "name", 400),
    ({"name": "x" * 256}, "name", 400),
    ({"name": "ok", "kind": "weird"}, "kind", 400),
    ({"name": "ok", "kind": "slave"}, "master_id", 400),
    ({"name": "ok", "kind": "slave", "master_id": "abc"}, "master_id", 400),
    ({"name": "ok", "kind": "slave", "master_id": "999999"}, "master_id", 400),
    ({"name": "ok", "country_restrictions": "FR,FRA"}, "country_restrictions", 400),
    ({"name": "ok", "country_restrictions": "F1"}, "country_restrictions", 400),
    ({"name": "ok", "country_restrictions": "FR,ZZ"}, "country_restrictions", 400),
    ({"name": "Catalogue principal"}, "name", 409),
])
def test_catalogue_bad_input(staff, db, fields, field, status):
    count = db.scalar("SELECT COUNT(*) FROM {shop}catalogue")
    data = {"kind": "standalone"}
    data.update(fields)
    if data.get("name") == "ok":
        data["name"] = "Bad " + uid()
    r = post(staff, "/admin/catalogues/new", data)
    assert r.status_code == status
    assert field_error(r.text, field), r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue") == count
    if fields.get("name", "").startswith("x"):
        assert 'value="%s"' % ("x" * 256) in r.text          # the submitted value comes back


def test_catalogue_slave_of_a_non_master_or_itself(staff, db):
    standalone = new_catalogue(staff, db)
    r = post(staff, "/admin/catalogues/new", {"name": "S " + uid(), "kind": "slave", "master_id": str(standalone)})
    assert r.status_code == 400 and field_error(r.text, "master_id")
    master = new_catalogue(staff, db, kind="master")
    name = db.scalar("SELECT name FROM {shop}catalogue WHERE id = %s", master)
    r = post(staff, "/admin/catalogues/%d" % master, {"name": name, "kind": "slave", "master_id": str(master)})
    assert r.status_code == 400 and field_error(r.text, "master_id")
    assert db.scalar("SELECT kind FROM {shop}catalogue WHERE id = %s", master) == "master"


def test_catalogue_script_in_name_is_escaped(staff, db):
    name = '<script>alert("c")</script> ' + uid()
    cid = new_catalogue(staff, db, name)
    for page in (staff.get("/admin/catalogues", params={"q": name}), staff.get("/admin/catalogues/%d" % cid),
                 staff.get("/admin/catalogues/%d/categories" % cid), staff.get("/admin/catalogues/%d/delete" % cid)):
        assert page.status_code == 200
        assert '<script>alert("c")' not in page.text
        assert "&lt;script&gt;" in page.text


def test_unknown_catalogue_is_404(staff):
    assert staff.get("/admin/catalogues/99999999").status_code == 404
    assert staff.get("/admin/catalogues/99999999/categories").status_code == 404
    assert post(staff, "/admin/catalogues/99999999", {"name": "x"}).status_code == 404


# ---- access control

def test_csrf_and_roles(staff, new_session, shopctl, db):
    count = db.scalar("SELECT COUNT(*) FROM {shop}catalogue")
    r = staff.post("/admin/catalogues/new", data={"name": "No token " + uid()})
    assert r.status_code == 403
    r = staff.post("/admin/catalogues/new", data={"name": "Bad token " + uid(), "csrf_token": "x" * 64})
    assert r.status_code == 403
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue") == count

    cat = db.scalar("SELECT MIN(id) FROM {shop}category WHERE catalogue_id = 1")
    for path in ("/admin/categories/%d/move" % cat, "/admin/categories/%d/visibility" % cat,
                 "/admin/categories/%d/delete" % cat, "/admin/catalogues/1/delete"):
        assert staff.post(path, data={"direction": "up"}).status_code == 403
    assert staff.get("/admin/categories/%d/delete" % cat).status_code == 405

    customer = login(new_session, shopctl, 4)
    anonymous = new_session()
    anonymous.token = anonymous.get("/api/v1/session").json()["csrf_token"]
    for s, code in ((customer, 403), (anonymous, 401)):
        for path in ("/admin/catalogues", "/admin/catalogues/new", "/admin/catalogues/1",
                     "/admin/catalogues/1/categories", "/admin/catalogues/1/categories.csv",
                     "/admin/categories/%d" % cat, "/admin/categories/new?catalogue=1"):
            assert s.get(path).status_code == code, path
        assert post(s, "/admin/catalogues/new", {"name": "Intruder " + uid()}).status_code == code
        assert post(s, "/admin/categories/%d/visibility" % cat).status_code == code
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue") == count
    assert db.scalar("SELECT visible FROM {shop}category WHERE id = %s", cat) == 1


# ---- categories

def test_category_tree_crud_move_visibility_delete(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "Alpha", seo_alias="alpha-" + uid(), description="<p>A</p>")
    b = new_category(staff, db, cid, "Beta")
    c = new_category(staff, db, cid, "Gamma", parent_id=str(a))
    rows = {r["id"]: r for r in db.query("SELECT * FROM {shop}category WHERE catalogue_id = %s", cid)}
    assert rows[a]["sortorder"] == 1 and rows[b]["sortorder"] == 2 and rows[c]["parent_id"] == a
    assert rows[a]["description"] == "<p>A</p>" and rows[b]["seo_alias"] is None

    tree = staff.get("/admin/catalogues/%d/categories" % cid)
    assert tree.status_code == 200 and "admin-nav" in tree.text
    assert re.search(r'class="depth-1"><a href="[^"]*/admin/categories/%d">Gamma' % c, tree.text)
    assert re.search(r'class="depth-0"><a href="[^"]*/admin/categories/%d">Alpha' % a, tree.text)
    assert tree.text.index("Alpha") < tree.text.index("Gamma") < tree.text.index("Beta")
    found = staff.get("/admin/catalogues/%d/categories" % cid, params={"q": "gam"}).text
    assert ">Gamma</a>" in found and ">Alpha</a>" not in found and ">Beta</a>" not in found
    assert db.scalar("SELECT COUNT(*) FROM {shop}catalogue WHERE id = %s", cid) == 1
    listing = staff.get("/admin/catalogues", params={"q": db.scalar("SELECT name FROM {shop}catalogue WHERE id = %s", cid)})
    assert re.search(r'/admin/catalogues/%d/categories">3</a>' % cid, listing.text)

    # edit
    v0 = version(db, cid)
    form = staff.get("/admin/categories/%d" % b)
    assert form.status_code == 200 and 'value="Beta"' in form.text
    r = post(staff, "/admin/categories/%d" % b, {"name": "Beta 2", "seo_title": "T", "seo_keywords": "k1, k2",
                                                 "seo_description": "D", "visible": "1"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/categories/%d?saved=1" % b)
    row = db.one("SELECT * FROM {shop}category WHERE id = %s", b)
    assert (row["name"], row["seo_title"], row["seo_keywords"], row["seo_description"], row["visible"]) == \
        ("Beta 2", "T", "k1, k2", "D", 1)
    assert version(db, cid) > v0

    # move Beta up: swapped with Alpha, renumbered 1..n
    assert post(staff, "/admin/categories/%d/move" % b, {"direction": "up"}).status_code == 303
    order = [r["id"] for r in db.query("SELECT id FROM {shop}category WHERE catalogue_id = %s AND parent_id IS NULL"
                                       " ORDER BY sortorder", cid)]
    assert order == [b, a]
    assert [r["sortorder"] for r in db.query("SELECT sortorder FROM {shop}category WHERE catalogue_id = %s"
                                             " AND parent_id IS NULL ORDER BY sortorder", cid)] == [1, 2]
    # already first: nothing moves
    assert post(staff, "/admin/categories/%d/move" % b, {"direction": "up"}).status_code == 303
    assert db.scalar("SELECT sortorder FROM {shop}category WHERE id = %s", b) == 1
    assert post(staff, "/admin/categories/%d/move" % b, {"direction": "sideways"}).status_code == 400
    assert post(staff, "/admin/categories/%d/move" % b, {"direction": "down"}).status_code == 303
    assert db.scalar("SELECT sortorder FROM {shop}category WHERE id = %s", b) == 2

    # visibility toggles
    assert post(staff, "/admin/categories/%d/visibility" % a).status_code == 303
    assert db.scalar("SELECT visible FROM {shop}category WHERE id = %s", a) == 0
    assert post(staff, "/admin/categories/%d/visibility" % a).status_code == 303
    assert db.scalar("SELECT visible FROM {shop}category WHERE id = %s", a) == 1

    # delete: refused with children, refused with products, then allowed
    r = post(staff, "/admin/categories/%d/delete" % a)
    assert r.status_code == 409 and "subcategories" in r.text
    db.execute("INSERT INTO {shop}product (catalogue_id, category_id, code, name) VALUES (%s, %s, %s, 'P')",
               cid, c, "P" + uid())
    r = post(staff, "/admin/categories/%d/delete" % c)
    assert r.status_code == 409 and "products" in r.text
    db.execute("DELETE FROM {shop}product WHERE category_id = %s", c)
    assert post(staff, "/admin/categories/%d/delete" % c).status_code == 303
    assert post(staff, "/admin/categories/%d/delete" % a).status_code == 303
    assert db.scalar("SELECT COUNT(*) FROM {shop}category WHERE id IN (%s, %s)", a, c) == 0


def test_category_new_form_preselects_parent(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "Parent")
    page = staff.get("/admin/categories/new", params={"catalogue": cid, "parent": a})
    assert page.status_code == 200 and '<option value="%d" selected>' % a in page.text
    assert staff.get("/admin/categories/new", params={"catalogue": 99999999}).status_code == 404
    assert staff.get("/admin/categories/new", params={"catalogue": "abc"}).status_code == 400


def test_category_bad_input(staff, db):
    cid = new_catalogue(staff, db)
    other = new_catalogue(staff, db)
    alias = "dup-" + uid()
    a = new_category(staff, db, cid, "A", seo_alias=alias)
    child = new_category(staff, db, cid, "Child", parent_id=str(a))
    foreign = new_category(staff, db, other, "Foreign")
    count = db.scalar("SELECT COUNT(*) FROM {shop}category")
    cases = [
        ({"name": ""}, "name", 400),
        ({"name": "n" * 256}, "name", 400),
        ({"name": "ok", "seo_alias": "Bad Alias"}, "seo_alias", 400),
        ({"name": "ok", "seo_alias": "-starts-with-dash"}, "seo_alias", 400),
        ({"name": "ok", "seo_alias": "a" * 65}, "seo_alias", 400),
        ({"name": "ok", "seo_alias": alias}, "seo_alias", 409),
        ({"name": "ok", "parent_id": "abc"}, "parent_id", 400),
        ({"name": "ok", "parent_id": str(foreign)}, "parent_id", 400),
        ({"name": "ok", "seo_title": "t" * 256}, "seo_title", 400),
    ]
    for fields, field, status in cases:
        r = post(staff, "/admin/categories/new?catalogue=%d" % cid, fields)
        assert r.status_code == status, (fields, r.status_code)
        assert field_error(r.text, field), fields
        assert db.scalar("SELECT COUNT(*) FROM {shop}category") == count
    # the same alias in another catalogue is fine
    assert new_category(staff, db, other, "Same alias", seo_alias=alias)
    # self parent and cycles on edit
    r = post(staff, "/admin/categories/%d" % a, {"name": "A", "parent_id": str(a)})
    assert r.status_code == 400 and field_error(r.text, "parent_id")
    r = post(staff, "/admin/categories/%d" % a, {"name": "A", "parent_id": str(child)})
    assert r.status_code == 400 and "loop" in field_error(r.text, "parent_id")
    assert db.scalar("SELECT parent_id FROM {shop}category WHERE id = %s", a) is None
    # the edit form does not offer the category nor its descendants as parents
    form = staff.get("/admin/categories/%d" % a).text
    assert '<option value="%d"' % child not in form and '<option value="%d"' % a not in form
    # a duplicate alias on edit
    r = post(staff, "/admin/categories/%d" % child, {"name": "Child", "seo_alias": alias})
    assert r.status_code == 409 and field_error(r.text, "seo_alias")


def test_script_payloads_escaped_in_forms_and_sanitized_on_storefront(staff, db, http):
    alias = "xss-" + uid()
    payload = '<script>alert("n")</script>'
    cat = new_category(staff, db, 1, payload + alias, seo_alias=alias,
                       description='<p>Safe<script>alert("d")</script><a href="javascript:alert(1)">x</a></p>')
    try:
        stored = db.scalar("SELECT description FROM {shop}category WHERE id = %s", cat)
        assert stored.startswith("<p>Safe") and "<script" not in stored and "javascript:" not in stored
        form = staff.get("/admin/categories/%d" % cat).text
        assert payload not in form and "&lt;script&gt;" in form
        # a refused form shows the submitted payload escaped
        r = post(staff, "/admin/categories/%d" % cat, {"name": payload, "seo_alias": "BAD ALIAS"})
        assert r.status_code == 400 and payload not in r.text and "&lt;script&gt;alert" in r.text
        tree = staff.get("/admin/catalogues/1/categories").text
        assert payload not in tree
        front = http.get("/", params={"shop": 1, "category": alias})
        assert front.status_code == 200
        assert '<div class="category-description">%s</div>' % stored in front.text
        assert payload not in front.text and "&lt;script&gt;alert" in front.text
        assert 'alert("d")' not in front.text and "javascript:" not in front.text
        api = http.get("/api/v1/catalog", params={"shop": 1}).json()
        assert any(c["name"] == payload + alias for c in api["categories"])    # JSON carries the text as data
    finally:
        post(staff, "/admin/categories/%d/delete" % cat)
    assert db.scalar("SELECT COUNT(*) FROM {shop}category WHERE id = %s", cat) == 0


def test_edit_shows_on_next_storefront_request(staff, db, http):
    alias = "fresh-" + uid()
    cat = new_category(staff, db, 1, "Fresh " + alias, seo_alias=alias)
    try:
        names = [c["name"] for c in http.get("/api/v1/catalog", params={"shop": 1}).json()["categories"]]
        assert "Fresh " + alias in names
        http.get("/api/v1/catalog", params={"shop": 1})                  # the child's cache is warm
        r = post(staff, "/admin/categories/%d" % cat, {"name": "Renamed " + alias, "seo_alias": alias, "visible": "1"})
        assert r.status_code == 303
        for _ in range(4):                                                 # whichever child answers
            names = [c["name"] for c in http.get("/api/v1/catalog", params={"shop": 1}).json()["categories"]]
            assert "Renamed " + alias in names and "Fresh " + alias not in names
        # the slave catalogue 2 (shop 2) shows its master's categories: bumped too
        names = [c["name"] for c in http.get("/api/v1/catalog", params={"shop": 2}).json()["categories"]]
        assert "Renamed " + alias in names
        assert post(staff, "/admin/categories/%d/visibility" % cat).status_code == 303
        names = [c["name"] for c in http.get("/api/v1/catalog", params={"shop": 1}).json()["categories"]]
        assert "Renamed " + alias not in names
        page = http.get("/", params={"shop": 1, "category": alias})
        assert page.status_code == 404
    finally:
        post(staff, "/admin/categories/%d/delete" % cat)


# ---- CSV

def export(s, cid):
    r = s.get("/admin/catalogues/%d/categories.csv" % cid)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"] == 'attachment; filename="categories-%d.csv"' % cid
    assert r.content.startswith(b"\xef\xbb\xbf")
    return r.content


def import_csv(s, cid, content, dry_run):
    data = {"csrf_token": s.token}
    if dry_run:
        data["dry_run"] = "1"
    if isinstance(content, str):
        content = content.encode("utf-8")
    return s.post("/admin/catalogues/%d/categories/import" % cid, data=data,
                  files={"file": ("categories.csv", content, "text/csv")})


def import_errors(html):
    return [(int(m.group(1)), m.group(2)) for m in
            re.finditer(r'<tr class="import-error" data-line="(\d+)" data-field="([^"]*)">', html)]


def snapshot(db, cid):
    return db.query("SELECT id, parent_id, name, seo_alias, visible, sortorder, description, modified_at"
                    " FROM {shop}category WHERE catalogue_id = %s ORDER BY id", cid)


def test_csv_export_escapes_formulas_and_quotes(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "=HYPERLINK(\"http://evil\")", description="<p>a;b</p>")
    b = new_category(staff, db, cid, "-2+3", parent_id=str(a), visible=None)
    c = new_category(staff, db, cid, "@SUM(A1)")
    d = new_category(staff, db, cid, "+cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(export(staff, cid).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["id", "parent", "name", "alias", "visible", "sortorder", "description"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[str(a)][2] == "'=HYPERLINK(\"http://evil\")"
    assert by_id[str(a)][6] == "<p>a;b</p>"
    assert by_id[str(b)][1:3] == [str(a), "'-2+3"] and by_id[str(b)][4] == "0"
    assert by_id[str(c)][2] == "'@SUM(A1)"
    assert by_id[str(d)][2].startswith("'+cmd")
    assert [r[0] for r in rows[1:]] == [str(a), str(b), str(c), str(d)]      # tree order
    # nothing a spreadsheet would run: no cell starts with a formula character
    for r in rows[1:]:
        for cell in r:
            assert not cell or cell[0] not in "=+-@"


def test_csv_round_trip_dry_run_then_apply(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "-Alpha", seo_alias="alpha")
    b = new_category(staff, db, cid, "Beta", parent_id=str(a), description="<p>B</p>")
    original = export(staff, cid)

    # the export imported as it is changes nothing but is accepted
    r = import_csv(staff, cid, original, dry_run=False)
    assert r.status_code == 200 and import_errors(r.text) == []
    assert [(x["name"], x["parent_id"], x["seo_alias"], x["description"]) for x in snapshot(db, cid)] == \
        [("-Alpha", None, "alpha", None), ("Beta", a, None, "<p>B</p>")]

    text = original.decode("utf-8-sig").replace("Beta", "Beta renamed")
    text += ";alpha;Gamma;gamma;1;;<p>G<script>x()</script></p>\r\n;gamma;Delta;;0;;\r\n"
    before = snapshot(db, cid)
    v0 = version(db, cid)
    r = import_csv(staff, cid, text, dry_run=True)
    assert r.status_code == 200 and "Dry run" in r.text and import_errors(r.text) == []
    assert re.search(r'class="created">2<', r.text) and re.search(r'class="updated">2<', r.text)
    assert snapshot(db, cid) == before and version(db, cid) == v0            # dry run wrote nothing

    r = import_csv(staff, cid, text, dry_run=False)
    assert r.status_code == 200 and "applied" in r.text
    rows = {x["name"]: x for x in snapshot(db, cid)}
    assert rows["Beta renamed"]["id"] == b and rows["Beta renamed"]["parent_id"] == a
    assert rows["Gamma"]["parent_id"] == a and rows["Gamma"]["seo_alias"] == "gamma"
    assert rows["Gamma"]["description"] == "<p>G</p>"
    assert rows["Delta"]["parent_id"] == rows["Gamma"]["id"] and rows["Delta"]["visible"] == 0
    assert version(db, cid) > v0

    # the new export reads back the same tree
    again = list(csv.reader(io.StringIO(export(staff, cid).decode("utf-8-sig")), delimiter=";"))
    assert [r[2] for r in again[1:]] == ["'-Alpha", "Beta renamed", "Gamma", "Delta"]


def test_csv_comma_separator_and_local_shop_columns(staff, db):
    cid = new_catalogue(staff, db)
    text = "\ufeffname,parentid,description,visible\r\n\"One, first\",,<b>x</b>,1\r\nTwo,,,0\r\n"
    r = import_csv(staff, cid, text, dry_run=False)
    assert r.status_code == 200, r.text
    rows = {x["name"]: x for x in snapshot(db, cid)}
    assert set(rows) == {"One, first", "Two"} and rows["Two"]["visible"] == 0
    assert rows["One, first"]["description"] == "<b>x</b>"


def test_csv_bad_line_rejects_everything(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "Keep", seo_alias="keep")
    before = snapshot(db, cid)
    text = ("id;parent;name;alias;visible;sortorder;description\n"
            ";;Good;good;1;;\n"                      # line 2: fine
            ";;Bad alias;Not An Alias;1;;\n"         # line 3: alias
            ";;;;1;;\n"                              # line 4: name missing
            ";nowhere;Orphan;;1;;\n"                 # line 5: parent unknown
            "%d;;Keep;keep;maybe;;\n"                # line 6: visible
            "999999999;;Ghost;;1;;\n"                # line 7: id of no category here
            ";;Dup;keep;1;;\n"                       # line 8: alias taken
            ";;Cols;x\n"                             # line 9: column count
            "%d;%d;Keep;keep;1;;\n" % (a, a, a))     # line 10: its own parent
    for dry_run in (True, False):
        r = import_csv(staff, cid, text, dry_run=dry_run)
        assert r.status_code == (200 if dry_run else 400)
        errors = import_errors(r.text)
        assert (3, "alias") in errors and (4, "name") in errors and (5, "parent") in errors
        assert (6, "visible") in errors and (7, "id") in errors and (8, "alias") in errors
        assert (9, "") in errors and (10, "parent") in errors
        assert not any(line == 2 for line, _ in errors)
        assert snapshot(db, cid) == before
    assert "Nothing was imported" in r.text


def test_csv_cycle_malformed_missing_and_too_large(staff, db):
    cid = new_catalogue(staff, db)
    a = new_category(staff, db, cid, "A")
    b = new_category(staff, db, cid, "B", parent_id=str(a))
    before = snapshot(db, cid)
    # A under B while B is under A: a loop across two lines
    r = import_csv(staff, cid, "id;parent;name\n%d;%d;A\n%d;%d;B\n" % (a, b, b, a), dry_run=False)
    assert r.status_code == 400 and (2, "parent") in import_errors(r.text)
    # broken CSV: the line of the open quote is named
    r = import_csv(staff, cid, 'name;alias\n"ok";a\n"open;b\n', dry_run=False)
    assert r.status_code == 400 and (3, "") in import_errors(r.text)
    r = import_csv(staff, cid, "name;colour\nx;red\n", dry_run=True)
    assert (1, "colour") in import_errors(r.text)
    r = import_csv(staff, cid, b"name\n\xff\xfe\n", dry_run=True)
    assert r.status_code == 400 and (2, "") in import_errors(r.text)
    r = import_csv(staff, cid, b"", dry_run=True)                           # file input left empty
    assert r.status_code == 400 and "Choose a CSV file" in r.text
    r = staff.post("/admin/catalogues/%d/categories/import" % cid, data={"csrf_token": staff.token})
    assert r.status_code == 415                                              # not a multipart form
    big = "name\n" + ("x" * 99 + "\n") * 21000
    r = import_csv(staff, cid, big, dry_run=True)
    assert r.status_code == 413
    r = staff.post("/admin/catalogues/%d/categories/import" % cid,
                   files={"file": ("c.csv", b"name\nZ\n", "text/csv")})
    assert r.status_code == 403
    assert snapshot(db, cid) == before


def test_french_pages(staff, db):
    staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
    cid = new_catalogue(staff, db)
    r = post(staff, "/admin/categories/new?catalogue=%d" % cid, {"name": ""})
    assert r.status_code == 400 and 'lang="fr"' in r.text
    r = post(staff, "/admin/catalogues/new", {"name": "X " + uid(), "country_restrictions": "ZZZ"})
    assert "Ce n'est pas un code pays" in r.text or "Ce n&#39;est pas un code pays" in r.text
    page = staff.get("/admin/catalogues/%d/categories" % cid)
    assert "Importer un fichier CSV" in page.text
