"""Back-office setup: shops, seller settings, taxes, shipping zones and rules, through HTTP with DB checks.

Every refusal is answered next to its field (400), duplicates with 409; a tax edit shows on the next
storefront request.  Tests that change demo data put it back."""
import html
import re
import urllib.parse
import uuid

import pytest

from conftest import field_errors


@pytest.fixture
def staff(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "7").stdout.strip(), allow_redirects=False)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


@pytest.fixture
def customer(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "4").stdout.strip(), allow_redirects=False)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


def post(s, path, data):
    return s.post(path, data=dict(data, csrf_token=s.token))


def uniq(prefix):
    return "%s %s" % (prefix, uuid.uuid4().hex[:8])


def catver(db, cid):
    return db.scalar("SELECT cache_version FROM {shop}catalogue WHERE id = %s", cid)


# ---------------------------------------------------------------- access

PAGES = ["/admin/shops", "/admin/shops/new", "/admin/shops/1", "/admin/settings", "/admin/taxes", "/admin/taxes/new",
         "/admin/taxes/1", "/admin/shipping?catalogue=1", "/admin/shipping/zones/new?catalogue=1",
         "/admin/shipping/zones/1", "/admin/shipping/zones/1/rules"]
POSTS = ["/admin/shops/new", "/admin/shops/1", "/admin/shops/1/delete", "/admin/settings", "/admin/taxes/new",
         "/admin/taxes/1", "/admin/taxes/1/delete", "/admin/shipping/zones/new?catalogue=1", "/admin/shipping/zones/1",
         "/admin/shipping/zones/1/delete", "/admin/shipping/zones/1/rules", "/admin/shipping/zones/1/rules/1/delete"]


def test_pages_staff_only(http, customer, staff):
    for path in PAGES:
        assert http.get(path).status_code == 401, path
        assert customer.get(path).status_code == 403, path
        r = staff.get(path)
        assert r.status_code == 200, path
        assert 'class="admin-nav"' in r.text and "/admin/taxes" in r.text


def test_changes_need_post_csrf_and_staff(http, customer, staff, db):
    before = db.scalar("SELECT COUNT(*) FROM {shop}tax")
    for path in POSTS:
        assert staff.post(path, data={"title": "x"}).status_code == 403, path          # no token
        assert staff.post(path, data={"csrf_token": "0" * 64}).status_code == 403, path
        assert customer.post(path, data={"csrf_token": customer.token}).status_code == 403, path
        assert http.post(path, data={}).status_code == 401, path
    assert staff.get("/admin/taxes/1/delete").status_code == 405
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax") == before
    assert db.scalar("SELECT COUNT(*) FROM {shop}shop WHERE id = 1") == 1
    assert db.scalar("SELECT COUNT(*) FROM {shop}shipzone WHERE id = 1") == 1


def test_unknown_ids_are_404(staff):
    for path in ["/admin/shops/99999", "/admin/taxes/99999", "/admin/shipping/zones/99999",
                 "/admin/shipping/zones/99999/rules", "/admin/shipping?catalogue=99999"]:
        assert staff.get(path).status_code == 404, path
    assert post(staff, "/admin/taxes/99999", {"title": "x", "rate": "1"}).status_code == 404
    assert post(staff, "/admin/shipping/zones/1/rules/99999/delete", {}).status_code == 404


# ---------------------------------------------------------------- taxes

def tax_form(**kw):
    d = {"title": uniq("Test tax"), "country": "fr", "rate": "7,5", "formula": "$ttc = $ht * (1 + $tr / 100)"}
    d.update(kw)
    return d


def test_tax_crud(staff, db):
    page = staff.get("/admin/taxes/new")
    assert page.status_code == 200 and "$ttc = $ht * (1 + $tr / 100)" in html.unescape(page.text)
    data = tax_form()
    r = post(staff, "/admin/taxes/new", data)
    assert r.status_code == 303, r.text
    m = re.search(r"/admin/taxes/(\d+)\?saved=1$", r.headers["Location"])
    tid = int(m.group(1))
    row = db.one("SELECT title, country, rate, formula FROM {shop}tax WHERE id = %s", tid)
    assert row["title"] == data["title"] and row["country"] == "FR"
    assert str(row["rate"]) == "7.5000" and row["formula"] == data["formula"]
    edit = staff.get(r.headers["Location"])
    assert edit.status_code == 200 and "107.50" in edit.text          # preview of 100.00 at 7.5 %
    assert data["title"] in html.unescape(edit.text)
    listing = staff.get("/admin/taxes")
    assert data["title"] in html.unescape(listing.text)

    r = post(staff, "/admin/taxes/%d" % tid, tax_form(title="Renamed " + data["title"], country="", rate="19.6",
                                                       formula="$TTC = $HT + ($HT*$TR/100)"))
    assert r.status_code == 303
    row = db.one("SELECT title, country, rate, formula FROM {shop}tax WHERE id = %s", tid)
    assert row["title"].startswith("Renamed") and row["country"] is None and str(row["rate"]) == "19.6000"
    assert row["formula"] == "$TTC = $HT + ($HT*$TR/100)"
    assert "119.60" in staff.get("/admin/taxes/%d" % tid).text

    r = post(staff, "/admin/taxes/%d" % tid, tax_form(formula=""))        # empty formula: untaxed
    assert r.status_code == 303 and db.scalar("SELECT formula FROM {shop}tax WHERE id = %s", tid) == ""
    assert "100.00 → €100.00" in html.unescape(staff.get("/admin/taxes/%d" % tid).text)

    r = post(staff, "/admin/taxes/%d/delete" % tid, {})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/taxes?deleted=1")
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax WHERE id = %s", tid) == 0


@pytest.mark.parametrize("field,value,status", [
    ("title", "", 400),
    ("title", "T" * 129, 400),
    ("country", "FRA", 400),
    ("country", "F1", 400),
    ("rate", "", 400),
    ("rate", "abc", 400),
    ("rate", "150", 400),
    ("rate", "-1", 400),
    ("rate", "5.12345", 400),
    ("formula", "$ttc = system('x')", 400),
    ("formula", "$ttc = $ht *", 400),
    ("formula", "$ttc = $foo", 400),
    ("formula", "$x = $ht", 400),
    ("formula", "$ttc = $ht / 0", 400),
])
def test_tax_bad_input_per_field(staff, db, field, value, status):
    before = db.scalar("SELECT COUNT(*) FROM {shop}tax")
    r = post(staff, "/admin/taxes/new", tax_form(**{field: value}))
    assert r.status_code == status
    errors = field_errors(r.text)
    assert list(errors) == [field], errors
    assert value in html.unescape(r.text)                                    # submitted values shown back
    if field == "formula":
        assert re.search(r" at \d+$", errors["formula"]), errors          # the position of the error
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax") == before


def test_tax_formula_error_position_and_preview_on_rerender(staff):
    r = post(staff, "/admin/taxes/new", tax_form(formula="$ttc = system('x')"))
    msg = field_errors(r.text)["formula"]
    assert "system" in msg or "'" in msg
    assert int(re.search(r" at (\d+)$", msg).group(1)) in (7, 13)
    # a form with a bad title but a good rate and formula still previews the price
    r = post(staff, "/admin/taxes/new", tax_form(title="", rate="20"))
    assert r.status_code == 400 and "120.00" in r.text and list(field_errors(r.text)) == ["title"]
    # every bad field is reported at once
    r = post(staff, "/admin/taxes/new", tax_form(title="", country="XYZ", rate="x", formula="1 +"))
    assert sorted(field_errors(r.text)) == ["country", "formula", "rate", "title"]
    # a control character is refused before the handler
    assert post(staff, "/admin/taxes/new", tax_form(title="a\x01b")).status_code == 400


def test_tax_script_payload_escaped(staff, db):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    r = post(staff, "/admin/taxes/new", tax_form(title=payload[:120]))
    assert r.status_code == 303
    tid = int(re.search(r"/admin/taxes/(\d+)", r.headers["Location"]).group(1))
    try:
        for page in (staff.get("/admin/taxes"), staff.get("/admin/taxes/%d" % tid)):
            assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        r = post(staff, "/admin/taxes/new", tax_form(title="", formula=payload))
        assert r.status_code == 400 and "<script>alert(1)" not in r.text
    finally:
        post(staff, "/admin/taxes/%d/delete" % tid, {})


def test_tax_exemption_note(staff, db):
    note = "Exonération de TVA, article 261-4-4° a du CGI"
    r = post(staff, "/admin/taxes/new", tax_form(rate="0", formula="", exemption_note="  %s  " % note))
    assert r.status_code == 303, field_errors(r.text)
    tid = int(re.search(r"/admin/taxes/(\d+)", r.headers["Location"]).group(1))
    try:
        assert db.scalar("SELECT exemption_note FROM {shop}tax WHERE id = %s", tid) == note      # trimmed
        edit = staff.get("/admin/taxes/%d" % tid).text
        assert 'name="exemption_note" value="%s"' % html.escape(note) in edit
        listing = staff.get("/admin/taxes").text
        assert re.search(r'<td class="exemption-note">%s</td>' % re.escape(html.escape(note)), listing)
        assert tid in [int(i) for i in re.findall(r"/admin/taxes/(\d+)",
                                                   staff.get("/admin/taxes", params={"q": "261-4-4"}).text)]
        long_note = "é" * 255                                         # 255 characters, 510 bytes
        r = post(staff, "/admin/taxes/%d" % tid, tax_form(exemption_note=long_note))
        assert r.status_code == 303 and db.scalar("SELECT exemption_note FROM {shop}tax WHERE id = %s", tid) == long_note
        r = post(staff, "/admin/taxes/%d" % tid, tax_form())                                  # optional
        assert r.status_code == 303 and db.scalar("SELECT exemption_note FROM {shop}tax WHERE id = %s", tid) == ""
        for bad, message in (("é" * 256, "This is too long (maximum in characters): 255"),
                             ("ligne un\nligne deux", "This value is not valid."),
                             ("tab\there", "This value is not valid."),
                             ("C1 \u0085 control", "This value is not valid."),
                             ("hidden \u202e reversed", "This value is not valid."),
                             ("line \u2028 separator", "This value is not valid.")):
            r = post(staff, "/admin/taxes/%d" % tid, tax_form(exemption_note=bad))
            assert r.status_code == 400, bad
            assert field_errors(r.text) == {"exemption_note": message}, bad
            assert db.scalar("SELECT exemption_note FROM {shop}tax WHERE id = %s", tid) == ""
        assert post(staff, "/admin/taxes/%d" % tid, tax_form(exemption_note="a\x01b")).status_code == 400
        staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
        r = post(staff, "/admin/taxes/%d" % tid, tax_form(exemption_note="x" * 256))
        assert r.status_code == 400
        assert field_errors(r.text) == {"exemption_note": "C’est trop long (maximum en caractères): 255"}
        assert "Mention d’exonération" in r.text
    finally:
        staff.put("/api/v1/session/language", json={"lang": "en"}, headers={"X-CSRF-Token": staff.token})
        post(staff, "/admin/taxes/%d/delete" % tid, {})
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax WHERE id = %s", tid) == 0


def test_tax_in_use_not_deleted(staff, db):
    r = post(staff, "/admin/taxes/1/delete", {})
    assert r.status_code == 409 and 'class="form-errors"' in r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax WHERE id = 1") == 1


def test_tax_edit_shows_on_next_storefront_request(staff, http, db):
    code = db.scalar("SELECT p.code FROM {shop}product p JOIN {shop}product_price pp ON pp.product_id = p.id"
                     " WHERE p.catalogue_id = 1 AND p.tax_id = 1 AND p.status = 'AVAILABLE' AND p.kind = 'product'"
                     " AND p.audience = 0 AND pp.currency = 'EUR' AND pp.tier = 1 AND pp.price_minor > 0"
                     " ORDER BY p.id LIMIT 1")
    assert code

    def taxed():
        body = http.get("/api/v1/catalog?shop=1").json()
        return {p["code"]: p for p in body["products"]}[code]

    base = taxed()
    untaxed = base["price_minor"]
    r = post(staff, "/admin/taxes/new", tax_form(rate="10"))
    tid = int(re.search(r"/admin/taxes/(\d+)", r.headers["Location"]).group(1))
    pid = db.scalar("SELECT id FROM {shop}product WHERE catalogue_id = 1 AND code = %s", code)
    db.execute("UPDATE {shop}product SET tax_id = %s WHERE id = %s", tid, pid)
    try:
        v0 = catver(db, 1)
        assert post(staff, "/admin/taxes/%d" % tid, tax_form(rate="10")).status_code == 303
        assert catver(db, 1) > v0 and catver(db, 2) > v0 - 1            # every catalogue bumped
        assert taxed()["price_taxed_minor"] == untaxed + (untaxed * 10 + 50) // 100
        assert post(staff, "/admin/taxes/%d" % tid, tax_form(rate="50")).status_code == 303
        assert taxed()["price_taxed_minor"] == untaxed + untaxed // 2 + (untaxed % 2)
        assert post(staff, "/admin/taxes/%d/delete" % tid, {}).status_code == 409     # in use
    finally:
        db.execute("UPDATE {shop}product SET tax_id = 1 WHERE id = %s", pid)
        assert post(staff, "/admin/taxes/%d/delete" % tid, {}).status_code == 303
    assert taxed()["price_taxed_minor"] == base["price_taxed_minor"]


# ---------------------------------------------------------------- shops

def shop_form(**kw):
    d = {"name": uniq("Test shop"), "description": "<p>Hello <b>there</b></p><script>alert(1)</script>",
         "currency": "CHF", "catalogue_id": "1", "terms": "<p>Terms</p><img src=x onerror=alert(1)>",
         "tabbed": "1", "navsteps": "shop, customer,order,payment,invoice", "paymode_check": "1",
         "paymode_transfer": "1", "default_paymode": "transfer", "customer_org": "1", "enduser_mobile": "1",
         "support_courseid": "2", "enabled": "1", "sortorder": "10", "force_leaflet": "1"}
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


def test_shop_crud(staff, http, db):
    assert "Boutique de formation" in staff.get("/admin/shops").text
    page = staff.get("/admin/shops/new")
    for code in ("EUR", "CHF", "USD", "CAD", "AUD", "GBP", "TRY", "PLN", "RON", "ILS", "KRW", "JPY", "TND", "MAD"):
        assert 'value="%s"' % code in page.text
    for mode in ("check", "transfer", "funder", "mandate", "freeorder", "test", "paypal", "stripe", "systempay",
                 "mercanet", "sherlocks", "ogone"):
        assert 'name="paymode_%s"' % mode in page.text
    data = shop_form()
    v1 = catver(db, 1)
    r = post(staff, "/admin/shops/new", data)
    assert r.status_code == 303, field_errors(r.text)
    sid = int(re.search(r"/admin/shops/(\d+)\?saved=1$", r.headers["Location"]).group(1))
    try:
        row = db.one("SELECT * FROM {shop}shop WHERE id = %s", sid)
        assert row["name"] == data["name"] and row["currency"] == "CHF" and row["catalogue_id"] == 1
        assert "<b>there</b>" in row["description"] and "script" not in row["description"]
        assert "onerror" not in row["terms"] and "<p>Terms</p>" in row["terms"]
        assert row["navsteps"] == "shop,customer,order,payment,invoice"
        import json
        modes = json.loads(row["paymodes"])
        assert modes["check"] is True and modes["transfer"] is True and modes["paypal"] is False
        assert len(modes) == 12 and row["default_paymode"] == "transfer"
        assert (row["customer_organisation_required"], row["enduser_organisation_required"],
                row["enduser_mobilephone_required"], row["print_tabbed_categories"], row["enabled"]) == (1, 0, 1, 1, 1)
        assert row["support_courseid"] == 2 and row["sortorder"] == 10
        assert (row["force_download_leaflet"], row["allow_tax"]) == (1, 0)
        assert catver(db, 1) > v1
        assert http.get("/api/v1/catalog?shop=%d" % sid).json()["shop"]["currency"] == "CHF"
        edit = staff.get(r.headers["Location"])
        assert edit.status_code == 200 and html.escape(data["name"]) in edit.text
        assert re.search(r'name="paymode_check" value="1"[^>]*checked', edit.text)
        assert re.search(r'value="transfer"[^>]*checked', edit.text)

        r = post(staff, "/admin/shops/%d" % sid, shop_form(name=data["name"], currency="JPY", tabbed=None,
                                                            enabled=None, paymode_check=None, default_paymode="",
                                                            navsteps="", catalogue_id="2", support_courseid="0",
                                                            force_leaflet=None, allow_tax="1"))
        assert r.status_code == 303
        row = db.one("SELECT * FROM {shop}shop WHERE id = %s", sid)
        assert row["currency"] == "JPY" and row["enabled"] == 0 and row["print_tabbed_categories"] == 0
        assert row["default_paymode"] is None and row["navsteps"] == "" and row["catalogue_id"] == 2
        assert json.loads(row["paymodes"])["check"] is False and row["support_courseid"] == 0
        assert (row["force_download_leaflet"], row["allow_tax"]) == (0, 1)
        assert http.get("/api/v1/catalog?shop=%d" % sid).status_code == 404        # disabled: gone from the front
    finally:
        r = post(staff, "/admin/shops/%d/delete" % sid, {})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/shops?deleted=1")
    assert db.scalar("SELECT COUNT(*) FROM {shop}shop WHERE id = %s", sid) == 0


@pytest.mark.parametrize("change,field,status", [
    ({"name": ""}, "name", 400),
    ({"name": "N" * 256}, "name", 400),
    ({"name": "Boutique de formation"}, "name", 409),
    ({"currency": "XYZ"}, "currency", 400),
    ({"currency": ""}, "currency", 400),
    ({"catalogue_id": "abc"}, "catalogue_id", 400),
    ({"catalogue_id": "99999"}, "catalogue_id", 400),
    ({"default_paymode": "paypal"}, "default_paymode", 400),
    ({"default_paymode": "bitcoin"}, "default_paymode", 400),
    ({"navsteps": "shop,bogus"}, "navsteps", 400),
    ({"navsteps": "payment,shop"}, "navsteps", 400),
    ({"navsteps": "shop,shop"}, "navsteps", 400),
    ({"support_courseid": "99999"}, "support_courseid", 400),
    ({"support_courseid": "two"}, "support_courseid", 400),
    ({"sortorder": "1.5"}, "sortorder", 400),
])
def test_shop_bad_input_per_field(staff, db, change, field, status):
    before = db.scalar("SELECT COUNT(*) FROM {shop}shop")
    r = post(staff, "/admin/shops/new", shop_form(**change))
    assert r.status_code == status
    assert list(field_errors(r.text)) == [field], field_errors(r.text)
    assert db.scalar("SELECT COUNT(*) FROM {shop}shop") == before


def test_shop_script_payloads_escaped_in_form(staff):
    payload = '"><script>alert(1)</script>'
    r = post(staff, "/admin/shops/new", shop_form(name="", description=payload, navsteps=payload))
    assert r.status_code == 400
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_shop_rename_to_taken_name_is_409(staff, db):
    r = post(staff, "/admin/shops/new", shop_form())
    sid = int(re.search(r"/admin/shops/(\d+)", r.headers["Location"]).group(1))
    try:
        name = db.scalar("SELECT name FROM {shop}shop WHERE id = %s", sid)
        r = post(staff, "/admin/shops/%d" % sid, shop_form(name="Training shop"))
        assert r.status_code == 409 and "name" in field_errors(r.text)
        assert db.scalar("SELECT name FROM {shop}shop WHERE id = %s", sid) == name
    finally:
        post(staff, "/admin/shops/%d/delete" % sid, {})


def test_default_shop_is_not_deleted(staff, db):
    default = staff.get("/api/v1/session").json()["shop"]
    r = post(staff, "/admin/shops/%d/delete" % default, {})
    assert r.status_code == 409 and 'class="form-errors"' in r.text
    assert db.scalar("SELECT COUNT(*) FROM {shop}shop WHERE id = %s", default) == 1


def test_shop_with_bills_is_not_deleted(staff, db):
    r = post(staff, "/admin/shops/new", shop_form())
    sid = int(re.search(r"/admin/shops/(\d+)", r.headers["Location"]).group(1))
    transid = uuid.uuid4().hex
    db.execute("INSERT INTO {shop}bill (transid, shop_id, currency) VALUES (%s, %s, 'CHF')", transid, sid)
    try:
        r = post(staff, "/admin/shops/%d/delete" % sid, {})
        assert r.status_code == 409 and 'class="form-errors"' in r.text
        assert db.scalar("SELECT COUNT(*) FROM {shop}shop WHERE id = %s", sid) == 1
        # disabling is the way
        r = post(staff, "/admin/shops/%d" % sid, shop_form(name=db.scalar("SELECT name FROM {shop}shop WHERE id = %s", sid),
                                                            enabled=None))
        assert r.status_code == 303 and db.scalar("SELECT enabled FROM {shop}shop WHERE id = %s", sid) == 0
    finally:
        db.execute("DELETE FROM {shop}bill WHERE transid = %s", transid)
        post(staff, "/admin/shops/%d/delete" % sid, {})
    assert db.scalar("SELECT COUNT(*) FROM {shop}shop WHERE id = %s", sid) == 0


# ---------------------------------------------------------------- settings

TEXT_SETTINGS = ["sellername", "sellerlegalform", "selleraddress", "sellerzip", "sellercity", "sellercountry",
                 "sellerbillingaddress", "sellerbillingzip", "sellerbillingcity", "sellerbillingcountry", "sellermail",
                 "sellermailsupport", "sellerphonesupport", "sellerID", "sellersiren", "sellersiret", "tvaeurope",
                 "sellerrcs", "sellerape", "sellertrainingdeclaration", "sellertrainingdeclarationtext", "banking",
                 "bankcode", "bankoffice", "bankaccount", "bankaccountkey", "iban", "bic", "invoicepaymentterms",
                 "invoicelatepenalties", "vatexemptionnote", "defaultcurrency", "defaultnavsteps", "maxitemsperpage",
                 "shortdescriptionthreshold", "invoicepaymentdays"]
FLAGS = ["useshipping", "useslavecatalogs", "userenewableproducts", "hideproductswhennotavailable",
         "presalenotification", "pdfenabled", "test", "testoverride", "anonymousofflinepayments"]


@pytest.fixture
def settings(db):
    saved = db.query("SELECT name, value, modified_at FROM {shop}setting")
    current = {r["name"]: r["value"] for r in saved}
    form = {n: current.get(n, "") for n in TEXT_SETTINGS}
    for n in FLAGS:
        if current.get(n) == "1":
            form[n] = "1"
    form["stockholdminutes"] = str(int(current.get("stockholdseconds", "3600")) // 60)
    form["defaultlanguage"] = current.get("defaultlanguage", "")
    yield form
    db.execute("DELETE FROM {shop}setting")
    for r in saved:
        db.execute("INSERT INTO {shop}setting (name, value, modified_at) VALUES (%s, %s, %s)",
                   r["name"], r["value"], r["modified_at"])


def setting(db, name):
    return db.scalar("SELECT value FROM {shop}setting WHERE name = %s", name)


def test_settings_page_and_save(staff, db, settings):
    page = staff.get("/admin/settings")
    assert page.status_code == 200
    assert "/admin/settings/logo" in page.text and "Formations Démo SAS" in html.unescape(page.text)
    assert 'value="FR7699999000011234567890152"' in page.text
    form = dict(settings, sellername="Nouvelle Société <b>&</b>", iban="fr76 3000 6000 0112 3456 7890 189",
                bic="bnpafrpp", sellercountry="be", sellerzip="1000", stockholdminutes="30", useshipping="1", defaultlanguage="fr",
                defaultcurrency="CHF", sellersiren="732 829 320", sellersiret="73282932000074",
                tvaeurope="FR 40 303 265 045")
    form.pop("testoverride", None)
    form.pop("anonymousofflinepayments", None)
    r = post(staff, "/admin/settings", form)
    assert r.status_code == 303, field_errors(r.text)
    assert r.headers["Location"].endswith("/admin/settings?saved=1")
    assert setting(db, "sellername") == "Nouvelle Société <b>&</b>"
    assert setting(db, "iban") == "FR7630006000011234567890189"
    assert setting(db, "bic") == "BNPAFRPP" and setting(db, "sellercountry") == "BE"
    assert setting(db, "stockholdseconds") == "1800" and setting(db, "useshipping") == "1"
    assert setting(db, "testoverride") == "0" and setting(db, "defaultlanguage") == "fr"
    assert setting(db, "anonymousofflinepayments") == "0"
    assert setting(db, "sellersiren") == "732829320" and setting(db, "tvaeurope") == "FR40303265045"
    assert setting(db, "defaultcurrency") == "CHF"
    page = staff.get("/admin/settings?saved=1")
    assert "Nouvelle Société &lt;b&gt;&amp;&lt;/b&gt;" in page.text and 'value="30"' in page.text
    # the default currency is the one the tax preview uses
    assert "CHF" in staff.get("/admin/taxes/1").text


def test_settings_payment_days(staff, db, settings):
    page = staff.get("/admin/settings").text
    assert re.search(r'<label for="invoicepaymentdays">Payment term in days', page)
    for given, stored in (("45", "45"), (" 365 ", "365"), ("0", "0"), ("", "0")):
        r = post(staff, "/admin/settings", dict(settings, invoicepaymentdays=given))
        assert r.status_code == 303, field_errors(r.text)
        assert setting(db, "invoicepaymentdays") == stored, given
    assert 'id="invoicepaymentdays" name="invoicepaymentdays" value="0"' in staff.get("/admin/settings").text
    form = dict(settings)
    form.pop("invoicepaymentdays")                                    # left out: payable on receipt
    assert post(staff, "/admin/settings", form).status_code == 303 and setting(db, "invoicepaymentdays") == "0"
    staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
    try:
        r = post(staff, "/admin/settings", dict(settings, invoicepaymentdays="400"))
        assert r.status_code == 400
        assert field_errors(r.text)["invoicepaymentdays"].endswith("0 – 365")
        assert "Délai de paiement en jours" in r.text
    finally:
        staff.put("/api/v1/session/language", json={"lang": "en"}, headers={"X-CSRF-Token": staff.token})


@pytest.mark.parametrize("field,value", [
    ("sellername", ""),
    ("sellername", "S" * 300),
    ("iban", "FR7630006000011234567890188"),
    ("iban", "NOTANIBAN"),
    ("bic", "BNP"),
    ("sellermail", "not-an-address"),
    ("sellermailsupport", "a@b@c.fr"),
    ("sellercountry", "France"),
    ("sellersiren", "123456789"),
    ("sellersiret", "73282932000075"),
    ("tvaeurope", "FR00303265045"),
    ("sellerphonesupport", "call me"),
    ("defaultcurrency", "XYZ"),
    ("defaultlanguage", "de"),
    ("defaultnavsteps", "order,shop"),
    ("maxitemsperpage", "0"),
    ("maxitemsperpage", "many"),
    ("stockholdminutes", "-5"),
    ("sellerzip", "7501"),
    ("invoicepaymentdays", "-1"),
    ("invoicepaymentdays", "366"),
    ("invoicepaymentdays", "30.5"),
    ("invoicepaymentdays", "thirty"),
])
def test_settings_bad_input_per_field(staff, db, settings, field, value):
    before = db.query("SELECT name, value FROM {shop}setting ORDER BY name")
    r = post(staff, "/admin/settings", dict(settings, **{field: value}))
    assert r.status_code == 400
    assert list(field_errors(r.text)) == [field], field_errors(r.text)
    assert db.query("SELECT name, value FROM {shop}setting ORDER BY name") == before


# ---------------------------------------------------------------- shipping

def zone_form(**kw):
    d = {"code": "T" + uuid.uuid4().hex[:3].upper(), "description": "Test zone", "bill_scope": "12,50",
         "currency": "EUR", "tax_id": "1", "applicability": "([ch,li][*]) | ([de][^8])", "sortorder": "50"}
    d.update(kw)
    return {k: v for k, v in d.items() if v is not None}


def test_zones_listed_in_order(staff):
    page = staff.get("/admin/shipping?catalogue=1")
    assert page.status_code == 200
    codes = re.findall(r'/admin/shipping/zones/\d+">([A-Z0-9]+)</a>', page.text)
    assert codes[:4] == ["FR", "COR", "EU", "00"]
    assert "€15.00" in page.text or "15.00" in page.text
    assert staff.get("/admin/shipping").status_code == 200          # first catalogue by default


def test_zone_and_rules_crud(staff, db):
    v = catver(db, 1)
    data = zone_form(description='<script>alert(1)</script>')
    r = post(staff, "/admin/shipping/zones/new?catalogue=1", data)
    assert r.status_code == 303, field_errors(r.text)
    zid = int(re.search(r"/admin/shipping/zones/(\d+)\?saved=1$", r.headers["Location"]).group(1))
    try:
        row = db.one("SELECT * FROM {shop}shipzone WHERE id = %s", zid)
        assert (row["catalogue_id"], row["code"], row["bill_scope_minor"], row["currency"], row["tax_id"],
                row["sortorder"]) == (1, data["code"], 1250, "EUR", 1, 50)
        assert row["applicability"] == data["applicability"]
        assert catver(db, 1) > v
        edit = staff.get("/admin/shipping/zones/%d" % zid)
        assert 'value="12.50"' in edit.text
        for page in (edit, staff.get("/admin/shipping?catalogue=1")):
            assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text

        r = post(staff, "/admin/shipping/zones/%d" % zid, zone_form(code=data["code"], bill_scope="", tax_id="",
                                                                    currency="JPY", sortorder="-1"))
        assert r.status_code == 303
        row = db.one("SELECT * FROM {shop}shipzone WHERE id = %s", zid)
        assert row["bill_scope_minor"] == 0 and row["tax_id"] is None and row["currency"] == "JPY"
        assert row["sortorder"] == -1
        r = post(staff, "/admin/shipping/zones/%d" % zid, zone_form(code=data["code"], currency="EUR"))
        assert r.status_code == 303

        # rules
        rules = "/admin/shipping/zones/%d/rules" % zid
        assert staff.get(rules).status_code == 200
        r = post(staff, rules, {"product_code": "LIVRE-EXCEL", "value": "", "formula": "$shp = $a + $b * $q",
                                "a": "1,5", "b": "2", "c": ""})
        assert r.status_code == 303, field_errors(r.text)
        rule = db.one("SELECT * FROM {shop}shipping WHERE zone_id = %s", zid)
        assert rule["product_code"] == "LIVRE-EXCEL" and rule["value_minor"] == 0 and rule["currency"] == "EUR"
        assert rule["formula"] == "$shp = $a + $b * $q" and str(rule["a"]) == "1.5000" and str(rule["b"]) == "2.0000"
        r = post(staff, rules, {"product_code": "LIVRE-EXCEL", "value": "3"})
        assert r.status_code == 409 and "product_code" in field_errors(r.text)
        page = staff.get(rules + "?edit=%d" % rule["id"])
        assert 'name="rule_id" value="%d"' % rule["id"] in page.text and 'value="1.5"' in page.text
        r = post(staff, rules, {"rule_id": str(rule["id"]), "product_code": "MUG-LOGO", "value": "4,90", "formula": ""})
        assert r.status_code == 303
        rule = db.one("SELECT * FROM {shop}shipping WHERE zone_id = %s", zid)
        assert rule["product_code"] == "MUG-LOGO" and rule["value_minor"] == 490 and rule["formula"] == ""
        # a fixed amount is in the zone's currency: the currency cannot change under it
        r = post(staff, "/admin/shipping/zones/%d" % zid, zone_form(code=data["code"], currency="JPY", bill_scope=""))
        assert r.status_code == 400 and "currency" in field_errors(r.text)
        assert db.scalar("SELECT currency FROM {shop}shipzone WHERE id = %s", zid) == "EUR"
        r = post(staff, rules + "/%d/delete" % rule["id"], {})
        assert r.status_code == 303 and db.scalar("SELECT COUNT(*) FROM {shop}shipping WHERE zone_id = %s", zid) == 0
        assert post(staff, rules, {"product_code": "LIVRE-EXCEL", "value": "1"}).status_code == 303
    finally:
        r = post(staff, "/admin/shipping/zones/%d/delete" % zid, {})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/shipping?catalogue=1&deleted=1")
    assert db.scalar("SELECT COUNT(*) FROM {shop}shipzone WHERE id = %s", zid) == 0
    assert db.scalar("SELECT COUNT(*) FROM {shop}shipping WHERE zone_id = %s", zid) == 0


@pytest.mark.parametrize("change,field,status", [
    ({"code": ""}, "code", 400),
    ({"code": "TOOLONG"}, "code", 400),
    ({"code": "A-B"}, "code", 400),
    ({"code": "FR"}, "code", 409),
    ({"bill_scope": "12.345"}, "bill_scope", 400),
    ({"bill_scope": "-5"}, "bill_scope", 400),
    ({"bill_scope": "abc"}, "bill_scope", 400),
    ({"currency": "XYZ"}, "currency", 400),
    ({"tax_id": "99999"}, "tax_id", 400),
    ({"tax_id": "x"}, "tax_id", 400),
    ({"applicability": "([fr][*]"}, "applicability", 400),
    ({"applicability": "([fr][*]) ; drop table"}, "applicability", 400),
    ({"applicability": ""}, "applicability", 400),
    ({"description": "D" * 256}, "description", 400),
    ({"sortorder": "first"}, "sortorder", 400),
])
def test_zone_bad_input_per_field(staff, db, change, field, status):
    before = db.scalar("SELECT COUNT(*) FROM {shop}shipzone")
    r = post(staff, "/admin/shipping/zones/new?catalogue=1", zone_form(**change))
    assert r.status_code == status
    errors = field_errors(r.text)
    assert list(errors) == [field], errors
    if field == "applicability" and change["applicability"]:
        assert re.search(r" at \d+$", errors[field]), errors
    assert db.scalar("SELECT COUNT(*) FROM {shop}shipzone") == before


def test_fallback_zone_needs_no_applicability(staff, db):
    r = post(staff, "/admin/shipping/zones/new?catalogue=2", zone_form(code="00", applicability=""))
    assert r.status_code == 303, field_errors(r.text)
    zid = int(re.search(r"/admin/shipping/zones/(\d+)", r.headers["Location"]).group(1))
    assert db.scalar("SELECT catalogue_id FROM {shop}shipzone WHERE id = %s", zid) == 2
    assert post(staff, "/admin/shipping/zones/%d/delete" % zid, {}).status_code == 303


@pytest.mark.parametrize("change,field,status", [
    ({"product_code": ""}, "product_code", 400),
    ({"product_code": "NO-SUCH-PRODUCT"}, "product_code", 400),
    ({"value": "1.234"}, "value", 400),
    ({"value": "-1"}, "value", 400),
    ({"formula": "$shp = system('x')"}, "formula", 400),
    ({"formula": "$shp = $d"}, "formula", 400),
    ({"formula": "$ttc = $a"}, "formula", 400),
    ({"a": "1.23456"}, "a", 400),
    ({"b": "abc"}, "b", 400),
    ({"c": "99999999999"}, "c", 400),
])
def test_rule_bad_input_per_field(staff, db, change, field, status):
    before = db.scalar("SELECT COUNT(*) FROM {shop}shipping")
    data = {"product_code": "CARNET-NOTES", "value": "", "formula": "$shp = $a", "a": "1", "b": "0", "c": "0"}
    data.update(change)
    r = post(staff, "/admin/shipping/zones/3/rules", data)
    assert r.status_code == status
    errors = field_errors(r.text)
    assert list(errors) == [field], errors
    if field == "formula":
        assert re.search(r" at \d+$", errors[field]), errors
    assert db.scalar("SELECT COUNT(*) FROM {shop}shipping") == before


def test_french_page_and_errors(staff):
    staff.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": staff.token})
    page = staff.get("/admin/taxes/new")
    assert "Nouvelle taxe" in page.text
    r = post(staff, "/admin/taxes/new", tax_form(title=""))
    assert r.status_code == 400 and "obligatoire" in field_errors(r.text)["title"]
    shops = staff.get("/admin/shops")
    assert "Nouvelle boutique" in shops.text and 'lang="fr"' in shops.text
    r = post(staff, "/admin/shipping/zones/new?catalogue=1", zone_form(applicability="([fr][*]"))
    assert r.status_code == 400 and "Applicabilité invalide" in field_errors(r.text)["applicability"]
    staff.put("/api/v1/session/language", json={"lang": "en"}, headers={"X-CSRF-Token": staff.token})


def test_lists_search_and_paging(staff, db):
    tag = uuid.uuid4().hex[:8]
    ids = []
    per = db.scalar("SELECT value FROM {shop}setting WHERE name = 'maxitemsperpage'")
    try:
        for i in range(3):
            r = post(staff, "/admin/taxes/new", tax_form(title="Paged %s %d" % (tag, i)))
            ids.append(int(re.search(r"/admin/taxes/(\d+)", r.headers["Location"]).group(1)))
        page = staff.get("/admin/taxes?q=PAGED+" + tag)
        assert sorted(re.findall(r"Paged %s \d" % tag, page.text)) == ["Paged %s %d" % (tag, i) for i in range(3)]
        assert "TVA taux normal" not in page.text and 'value="PAGED %s"' % tag in page.text
        db.execute("UPDATE {shop}setting SET value = '2' WHERE name = 'maxitemsperpage'")
        first = staff.get("/admin/taxes?q=" + tag)
        assert len(re.findall(r"Paged %s \d" % tag, first.text)) == 2
        nxt = html.unescape(re.search(r'href="([^"]+)" rel="next"', first.text).group(1))
        assert "q=" + tag in nxt and "page=2" in nxt
        second = staff.get(urllib.parse.urljoin(staff.base, nxt))
        assert len(re.findall(r"Paged %s \d" % tag, second.text)) == 1 and 'rel="prev"' in second.text
        assert "Boutique de formation" in staff.get("/admin/shops?q=boutique").text
        assert "Boutique de formation" not in staff.get("/admin/shops?q=" + tag).text
        assert staff.get("/admin/taxes?page=x").status_code == 400
    finally:
        db.execute("UPDATE {shop}setting SET value = %s WHERE name = 'maxitemsperpage'", per)
        for tid in ids:
            post(staff, "/admin/taxes/%d/delete" % tid, {})
    assert db.scalar("SELECT COUNT(*) FROM {shop}tax WHERE title LIKE %s", "Paged " + tag + "%") == 0
