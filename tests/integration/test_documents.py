"""Bill documents (issue 5, point 4): the invoice PDF and its legal mentions, checked as text against golden
files (pdftotext -layout) for five buyers: a consumer with taxable goods, a consumer of exempt training, a
French business, an EU business (reverse charge) and a public buyer; long bills over several pages; UTF-8;
stored invoices served byte for byte with the SHA-256 of the database, a tampered file refused; who may read
them; `shopctl bill pdf`; the buyer's kind from the checkout to the invoice; credit notes.

The golden bills are written with SQL in a shop, catalogue, taxes and numbering series of their own, dated
2024-03-14 12:00 UTC, with the seller settings of the demo set for the module and put back after it, so
their text never varies.  SHOP_GOLDEN_UPDATE=1 rewrites the golden files (then read them before
committing)."""
import concurrent.futures
import decimal
import glob
import hashlib
import json
import os
import re
import secrets
import struct
import subprocess
import time
import zlib

import pytest

from conftest import api, sign, token

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(REPO, "tests", "data", "golden")
ARTIFACTS = os.path.join(REPO, "tests", "artifacts", "pdf")

SHOP, CATALOGUE, SERIES = 990090, 990090, 990090   # far from the ids other tests get
TAX20, TAX55, EXEMPT = 990090, 990091, 990092
T0 = 1710417600                                  # 2024-03-14 12:00:00 UTC
FIRST_BILL = 990101
PREFIX = "DOCTEST-"

SELLER = {
    "sellername": "Formations Démo SAS",
    "sellerlegalform": "SAS au capital de 10 000 €",
    "selleraddress": "12 rue des Exemples",
    "sellerzip": "75011",
    "sellercity": "Paris",
    "sellercountry": "FR",
    "sellersiren": "912345675",
    "sellersiret": "91234567500017",
    "sellerrcs": "RCS Paris 912 345 675",
    "tvaeurope": "FR65912345675",
    "sellertrainingdeclaration": "11755555575",
    "sellertrainingdeclarationtext": "Déclaration d'activité enregistrée sous le numéro 11 75 55555 75 auprès du "
                                     "préfet de région d'Île-de-France. Cet enregistrement ne vaut pas agrément "
                                     "de l'État.",
    "iban": "FR7699999000011234567890152",
    "bic": "DEMOFRPPXXX",
    "invoicepaymentterms": "Paiement à réception de la facture.",
    "invoicelatepenalties": "En cas de retard de paiement : pénalités au taux de trois fois le taux d'intérêt "
                            "légal et indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 du "
                            "Code de commerce).",
    "vatexemptionnote": "Exonération de TVA, article 261-4-4° a du CGI.",
}
UNSET = ("invoicepaymentdays", "sellerlogo")


def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def pdf_text(data, first=None, last=None):
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    r = subprocess.run(args + ["-", "-"], input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=60, check=True)
    return r.stdout.decode("utf-8")


def flat(data):
    """The text in drawing order (pdftotext -raw), every run of white space one space: a phrase wrapped over
    lines of its own column reads whole."""
    r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60, check=True)
    return " ".join(r.stdout.decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ").split())


def normal(text):
    """pdftotext's layout, with the no-break spaces written as spaces and no trailing blanks."""
    lines = [l.replace("\u00a0", " ").replace("\u202f", " ").rstrip() for l in text.split("\n")]
    while lines and not lines[-1].strip("\f "):
        lines.pop()
    return "\n".join(lines) + "\n"


def pages(data):
    r = subprocess.run(["pdfinfo", "-"], input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=60, check=True)
    return int(re.search(rb"^Pages:\s+(\d+)", r.stdout, re.M).group(1))


def is_pdf(r):
    return r.status_code == 200 and r.headers["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"


# ------------------------------------------------------------------ fixtures: the golden world


class Docs:
    """Writes bills with SQL in the module's own shop; remembers them for the cleanup."""

    def __init__(self, db, stack):
        self.db, self.stack = db, stack
        self.next_id = FIRST_BILL

    def bill(self, key, identity, lines, status="SOLDOUT", lang="fr", paid=None, number=None, engagement=None,
             customer_country="FR", due_at=None):
        """A bill (fixed id, transid DOCTEST-key), its lines (code, label, quantity, unit, tax_id, rate) and,
        with `number`, its invoice.  Returns (transid, bill id, invoice id)."""
        db = self.db
        bid = self.next_id
        self.next_id += 1
        transid = PREFIX + key
        rows, untaxed, taxes = [], 0, 0
        for n, (code, label, qty, unit, tax, rate) in enumerate(lines, 1):
            u = qty * unit
            t = int((decimal.Decimal(u) * decimal.Decimal(rate) / 100).quantize(0, decimal.ROUND_HALF_UP))
            rows.append((bid, n, code, label, qty, unit, u, tax, rate, t, u + t))
            untaxed += u
            taxes += t
        total = untaxed + taxes
        paid = total if paid is None else paid
        db.execute("INSERT INTO {shop}customer (shop_id, firstname, lastname, email, country, created_at, modified_at)"
                   " VALUES (%s, 'Doc', 'Test', 'doctest@example.org', %s, %s, %s)", SHOP, customer_country, T0, T0)
        cid = db.scalar("SELECT LAST_INSERT_ID()")
        db.execute("INSERT INTO {shop}bill (id, transid, shop_id, customer_id, status, currency, lang, untaxed_minor,"
                   " taxes_minor, taxed_minor, to_pay_minor, paid_minor, paymode, invoicing_identity, engagement_number,"
                   " sale_at, paid_at, due_at, placed_at, created_at, modified_at)"
                   " VALUES (%s, %s, %s, %s, %s, 'EUR', %s, %s, %s, %s, %s, %s, 'transfer', %s, %s, %s, %s, %s, %s, %s, %s)",
                   bid, transid, SHOP, cid, status, lang, untaxed, taxes, total, total, paid,
                   json.dumps(identity, ensure_ascii=False) if identity is not None else None, engagement,
                   T0 if paid else None, T0 if paid else None, due_at, T0, T0, T0)
        for r in rows:
            # delivered already: production (shopctl cron) leaves these lines alone
            db.execute("INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, quantity, unit_minor,"
                       " untaxed_minor, tax_id, tax_rate, tax_minor, total_minor, prepaid_at, produced, produced_at,"
                       " created_at, modified_at)"
                       " VALUES (%s, 'EUR', %s, 'PRODUCT', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, 0, 0)",
                       *r, T0, T0)
        iid = None
        if number:
            db.execute("INSERT INTO {shop}invoice (series_id, number, year, kind, bill_id, currency, untaxed_minor,"
                       " taxes_minor, taxed_minor, issued_at, issued_by) VALUES (%s, %s, 2024, 'invoice', %s, 'EUR',"
                       " %s, %s, %s, %s, 7)", SERIES, number, bid, untaxed, taxes, total, T0)
            iid = db.scalar("SELECT id FROM {shop}invoice WHERE series_id = %s AND number = %s", SERIES, number)
            db.execute("UPDATE {shop}bill SET invoice_series_id = %s, invoice_number = %s, invoiced_at = %s"
                       " WHERE id = %s", SERIES, number, T0, bid)
        return transid, bid, iid


def purge(db, data_dir):
    bills = [r["id"] for r in db.query("SELECT id FROM {shop}bill WHERE transid LIKE %s", PREFIX + "%")]
    for bid in bills:
        for row in db.query("SELECT pdf_path FROM {shop}invoice WHERE bill_id = %s AND pdf_path IS NOT NULL", bid):
            try:
                os.unlink(os.path.join(data_dir, row["pdf_path"]))
            except OSError:
                pass
        db.execute("DELETE i FROM {shop}product_instance i JOIN {shop}bill_line l"
                   " ON l.id = i.initial_line_id OR l.id = i.current_line_id WHERE l.bill_id = %s", bid)
        db.execute("DELETE FROM {shop}invoice WHERE bill_id = %s AND kind = 'credit_note'", bid)
        db.execute("DELETE FROM {shop}invoice WHERE bill_id = %s", bid)
        db.execute("DELETE FROM {shop}bill WHERE id = %s", bid)
    db.execute("DELETE FROM {shop}trace WHERE transid LIKE %s", PREFIX + "%")
    db.execute("DELETE FROM {shop}customer WHERE email = 'doctest@example.org'")
    for path in glob.glob(os.path.join(data_dir, "invoices", "2024", "F2024-0090*.pdf")):
        os.unlink(path)


@pytest.fixture(scope="module")
def docs(db, stack):
    data_dir = stack["SHOP_DATA_DIR"]
    purge(db, data_dir)
    db.execute("INSERT IGNORE INTO {shop}tax (id, title, country, rate, formula, exemption_note) VALUES"
               " (%s, 'TVA 20 %%', 'FR', 20, '$ttc = $ht * (1 + $tr / 100)', ''),"
               " (%s, 'TVA 5,5 %% (livres)', 'FR', 5.5, '$ttc = $ht * (1 + $tr / 100)', ''),"
               " (%s, 'Formation exonérée', 'FR', 0, '', 'Exonération de TVA, article 261-4-4° a du CGI"
               " (formation professionnelle continue).')", TAX20, TAX55, EXEMPT)
    db.execute("INSERT IGNORE INTO {shop}catalogue (id, name, kind, bill_footer) VALUES (%s, 'Catalogue des documents',"
               " 'standalone', '<p>Formations Démo SAS — <b>12 rue des Exemples</b>, 75011 Paris.<br>SIRET 912 345 675"
               " 00017 &middot; TVA FR65912345675</p>')", CATALOGUE)
    db.execute("INSERT IGNORE INTO {shop}shop (id, name, catalogue_id, currency, enabled) VALUES"
               " (%s, 'Boutique des documents', %s, 'EUR', 0)", SHOP, CATALOGUE)
    db.execute("INSERT IGNORE INTO {shop}invoice_series (id, code, kind, format, yearly_reset, enabled)"
               " VALUES (%s, 'DOCTEST', 'invoice', 'F{YYYY}-{NNNNNN}', 1, 0)", SERIES)
    saved = {r["name"]: r["value"] for r in db.query("SELECT name, value FROM {shop}setting")}
    for name, value in SELLER.items():
        db.execute("INSERT INTO {shop}setting (name, value) VALUES (%s, %s) ON DUPLICATE KEY UPDATE value = %s",
                   name, value, value)
    for name in UNSET:
        db.execute("DELETE FROM {shop}setting WHERE name = %s", name)
    yield Docs(db, stack)
    purge(db, data_dir)
    for name in list(SELLER) + list(UNSET):
        if name in saved:
            db.execute("INSERT INTO {shop}setting (name, value) VALUES (%s, %s) ON DUPLICATE KEY UPDATE value = %s",
                       name, saved[name], saved[name])
        else:
            db.execute("DELETE FROM {shop}setting WHERE name = %s", name)


CONSUMER = {"firstname": "Lucie", "lastname": "Bernard", "email": "lucie.bernard@example.org",
            "address": "3 place du Marché", "zip": "75002", "city": "Paris", "country": "FR"}
BUSINESS = {"organisation": "Bernard Conseil SARL", "department": "Service formation", "firstname": "Lucie",
            "lastname": "Bernard", "email": "compta@bernard-conseil.example", "address": "3 place du Marché",
            "zip": "75002", "city": "Paris", "country": "FR", "vat_number": "FR44732829320",
            "buyer_type": "business", "siren": "732829320"}
EU_BUSINESS = {"organisation": "Müller Weiterbildung GmbH", "firstname": "Jürgen", "lastname": "Müller",
               "address": "Königstraße 12", "zip": "70173", "city": "Stuttgart", "country": "DE",
               "vat_number": "DE136695976", "buyer_type": "business"}
PUBLIC = {"organisation": "Université de Démo", "department": "Direction des ressources humaines",
          "firstname": "Claire", "lastname": "Martin", "address": "1 avenue de l'Université", "zip": "69007",
          "city": "Lyon", "country": "FR", "buyer_type": "public", "siren": "130015332",
          "engagement_number": "EJ-2024-000417", "service_code": "DRH-FORMATION"}

GOLDEN_CASES = {
    # name: (identity, lines, lang, paid, engagement)
    "consumer_taxable": (CONSUMER, [("LIVRE-EXCEL", "Excel pour les pros (livre papier)", 2, 2990, TAX55, "5.5"),
                                    ("EXCEL101", "Excel : les fondamentaux (en ligne), accès 12 mois", 1, 25000, TAX20,
                                     "20")], "fr", None, None),
    "consumer_exempt": (dict(CONSUMER, buyer_type="individual"),
                        [("PM200", "Gestion de projet — formation en ligne certifiante", 1, 69000, EXEMPT, "0")],
                        "fr", None, None),
    "fr_business": (BUSINESS, [("PM200-INTRA", "Gestion de projet : session intra-entreprise (2 jours)", 1, 240000,
                                TAX20, "20"),
                               ("MUG-LOGO", "Mug Formations Démo", 12, 850, TAX20, "20")], "fr", 100000, None),
    "eu_business": (EU_BUSINESS, [("EXCEL-AVANCE", "Advanced Excel: macros and Power Query (e-learning)", 5, 39000,
                                   None, "0")], "en", None, None),
    "public_buyer": (PUBLIC, [("SAFE1-PRESENTIEL", "Sécurité au travail : session présentielle", 8, 45000, EXEMPT,
                               "0")], "fr", 0, "EJ-2024-000417"),
}


@pytest.fixture(scope="module")
def golden_bills(docs):
    out = {}
    for n, (name, (who, lines, lang, paid, engagement)) in enumerate(GOLDEN_CASES.items(), 1):
        out[name] = docs.bill(name.replace("_", "-") + "-golden", who, lines, lang=lang, paid=paid,
                              number="F2024-0090%02d" % n, engagement=engagement)
    return out


# ------------------------------------------------------------------ golden documents


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_golden_invoice(name, golden_bills, staff, db, stack):
    transid, bid, iid = golden_bills[name]
    r = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(r), r.text[:300]
    assert r.headers["Cache-Control"] == "private, no-store"
    assert r.headers["Content-Disposition"] == 'inline; filename="invoice-F2024-0090%02d.pdf"' % (
        list(GOLDEN_CASES).index(name) + 1)
    text = normal(pdf_text(r.content))
    path = os.path.join(GOLDEN, "invoice_%s.txt" % name)
    if os.environ.get("SHOP_GOLDEN_UPDATE") == "1":
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(path, encoding="utf-8") as f:
        assert text == f.read(), "the text of %s changed (SHOP_GOLDEN_UPDATE=1 rewrites %s)" % (name, path)
    # issued documents are stored at their first reading, with their hash
    inv = db.one("SELECT pdf_path, pdf_sha256 FROM {shop}invoice WHERE id = %s", iid)
    assert inv["pdf_path"] == "invoices/2024/F2024-0090%02d.pdf" % (list(GOLDEN_CASES).index(name) + 1)
    assert inv["pdf_sha256"] == hashlib.sha256(r.content).hexdigest()
    if name == "fr_business":
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(os.path.join(ARTIFACTS, "invoice-fr-business.pdf"), "wb") as f:
            f.write(r.content)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        os.path.join(ARTIFACTS, "invoice-fr-business.pdf"), os.path.join(ARTIFACTS, "invoice-page1")],
                       check=True, timeout=60)
        assert os.path.getsize(os.path.join(ARTIFACTS, "invoice-page1.png")) > 5000


def test_golden_mentions(golden_bills, staff):
    """What each buyer's invoice must say, independently of the golden files' layout."""
    def text(name):
        return normal(pdf_text(staff.get("/bill/%s.pdf" % golden_bills[name][0]).content))

    consumer = text("consumer_taxable")
    assert "Facture" in consumer and "F2024-009001" in consumer and "14/03/2024" in consumer
    assert "5,5 %" in consumer and "20 %" in consumer
    assert "40 €" not in consumer and "Autoliquidation" not in consumer and "Exonération" not in consumer
    assert "Reste à payer" in consumer
    exempt = text("consumer_exempt")
    assert "Exonération de TVA, article 261-4-4° a du CGI (formation professionnelle continue)." in exempt
    assert "40 €" not in exempt
    business = text("fr_business")
    assert "SIREN : 732829320" in business and "FR44732829320" in business
    assert "indemnité forfaitaire de 40 € pour frais de recouvrement" in business
    assert re.search(r"Déjà réglé\s+1 000,00 €", business) and re.search(r"Reste à payer\s+2 002,40 €", business)
    eu = text("eu_business")
    assert "Invoice" in eu and "Reverse charge — Article 196 of Directive 2006/112/EC" in eu
    assert "DE136695976" in eu and "Germany" in eu and "Total VAT" in eu
    public = text("public_buyer")
    assert "N° d'engagement : EJ-2024-000417" in public and "Code service : DRH-FORMATION" in public
    assert "Exonération de TVA" in public and "40 €" in public
    assert "Date d'échéance : 13/04/2024" in public                  # 30 days for public buyers


@pytest.mark.parametrize("case", ["org_without_kind", "individual_with_org", "eu_with_vat_charged",
                                  "eu_without_vat_number", "same_country_vat", "customer_row", "penalties_without_40"])
def test_mentions_follow_the_buyer(case, docs, staff, db):
    """Who is a business, when the reverse charge applies, the 40 € always stated, the customer row when the
    bill has no frozen identity."""
    course = [("PM200", "Gestion de projet", 1, 10000, None, "0")]
    taxed = [("PM200", "Gestion de projet", 1, 10000, TAX20, "20")]
    who, lines, lang = {
        "org_without_kind": (dict(CONSUMER, organisation="ACME SA"), taxed, "fr"),
        "individual_with_org": (dict(CONSUMER, organisation="ACME SA", buyer_type="individual"), taxed, "fr"),
        "eu_with_vat_charged": (EU_BUSINESS, taxed, "en"),
        "eu_without_vat_number": (dict(EU_BUSINESS, vat_number=""), course, "en"),
        "same_country_vat": (dict(BUSINESS), course, "fr"),
        "customer_row": (None, taxed, "fr"),
        "penalties_without_40": (BUSINESS, taxed, "fr"),
    }[case]
    transid, _, _ = docs.bill("mentions-" + case.replace("_", "-"), who, lines, status="PENDING", paid=0, lang=lang)
    if case == "penalties_without_40":
        db.execute("UPDATE {shop}setting SET value = 'Pénalités de retard : trois fois le taux légal.'"
                   " WHERE name = 'invoicelatepenalties'")
    try:
        data = staff.get("/bill/%s.pdf" % transid).content
    finally:
        db.execute("UPDATE {shop}setting SET value = %s WHERE name = 'invoicelatepenalties'",
                   SELLER["invoicelatepenalties"])
    text = flat(data)
    reverse = "Reverse charge" in text or "Autoliquidation" in text
    penalties = "pénalités au taux de trois fois" in text or "Pénalités de retard" in text
    if case == "org_without_kind":
        assert penalties and "40 €" in text and not reverse
    elif case == "individual_with_org":
        assert not penalties and "40 €" not in text
    elif case in ("eu_with_vat_charged", "eu_without_vat_number", "same_country_vat"):
        assert not reverse and penalties                     # VAT charged, no number, or a French buyer
    elif case == "customer_row":
        assert "Doc Test" in text and "France" in text and not penalties
    elif case == "penalties_without_40":
        assert "Pénalités de retard : trois fois le taux légal." in text
        assert "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €" in text


# ------------------------------------------------------------------ stored invoices


def test_stored_invoice_is_served_as_stored(golden_bills, staff, db, stack, shopctl):
    transid, bid, iid = golden_bills["fr_business"]
    first = staff.get("/bill/%s.pdf" % transid)
    again = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(first) and first.content == again.content
    row = db.one("SELECT pdf_path, pdf_sha256 FROM {shop}invoice WHERE id = %s", iid)
    on_disk = open(os.path.join(stack["SHOP_DATA_DIR"], row["pdf_path"]), "rb").read()
    assert on_disk == first.content and hashlib.sha256(on_disk).hexdigest() == row["pdf_sha256"]
    st = os.stat(os.path.join(stack["SHOP_DATA_DIR"], row["pdf_path"]))
    assert st.st_mode & 0o777 == 0o640
    # the same document through its own URL and through shopctl
    doc = staff.get("/bill/%s/documents/%d.pdf" % (transid, iid))
    assert is_pdf(doc) and doc.content == first.content
    out = subprocess.run([os.path.join(stack["SHOP_BUILD"], "shopctl"), "bill", "pdf", transid], env=stack.env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert out.returncode == 0 and out.stdout == first.content
    # a later change of the seller's settings does not touch an issued invoice
    db.execute("UPDATE {shop}setting SET value = 'Autre Nom SAS' WHERE name = 'sellername'")
    try:
        assert staff.get("/bill/%s.pdf" % transid).content == first.content
    finally:
        db.execute("UPDATE {shop}setting SET value = %s WHERE name = 'sellername'", SELLER["sellername"])


def test_tampered_or_missing_invoice_is_never_served(golden_bills, staff, db, stack, shopctl, expect_log):
    expect_log(r"SHOP2202")
    transid, bid, iid = golden_bills["consumer_taxable"]
    good = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(good)
    path = os.path.join(stack["SHOP_DATA_DIR"], db.scalar("SELECT pdf_path FROM {shop}invoice WHERE id = %s", iid))
    original = open(path, "rb").read()
    st = os.stat(path)
    tampered = original.replace(b"F2024-009001", b"F2024-009009", 1)
    assert tampered != original and len(tampered) == len(original)
    try:
        with open(path, "wb") as f:
            f.write(tampered)
        for url in ("/bill/%s.pdf" % transid, "/bill/%s/documents/%d.pdf" % (transid, iid)):
            r = staff.get(url)
            assert r.status_code == 500 and r.headers["Content-Type"].startswith("text/html")
            assert b"%PDF" not in r.content and b"F2024-009009" not in r.content
            assert "integrity check" in r.text
        assert db.scalar("SELECT COUNT(*) FROM {shop}trace WHERE transid = %s AND level = 'error'"
                         " AND message LIKE %s", transid, "%does not match its SHA-256%") >= 1
        r = shopctl("bill", "pdf", transid, check=False)
        assert r.returncode == 1 and "altered" in r.stderr and not r.stdout
        os.unlink(path)                                       # gone: still never made again silently
        r = staff.get("/bill/%s.pdf" % transid)
        assert r.status_code == 500 and b"%PDF" not in r.content
        assert db.scalar("SELECT pdf_sha256 FROM {shop}invoice WHERE id = %s", iid) == hashlib.sha256(original).hexdigest()
    finally:
        with open(path, "wb") as f:
            f.write(original)
        os.chown(path, st.st_uid, st.st_gid)
        os.chmod(path, 0o640)
    assert staff.get("/bill/%s.pdf" % transid).content == original


def test_missing_pdf_is_made_once_and_never_replaced(docs, staff, db, stack):
    """An invoice whose PDF was not stored (a crash after issuing) gets it at its first reading; two readers
    at once store one file."""
    transid, bid, iid = docs.bill("race-golden", CONSUMER, [("EXCEL101", "Excel", 1, 10000, TAX20, "20")],
                                  number="F2024-009090")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: staff.get("/bill/%s.pdf" % transid).content, range(8)))
    assert len(set(got)) == 1 and got[0][:5] == b"%PDF-"
    row = db.one("SELECT pdf_path, pdf_sha256 FROM {shop}invoice WHERE id = %s", iid)
    assert row["pdf_path"] == "invoices/2024/F2024-009090.pdf"
    assert hashlib.sha256(got[0]).hexdigest() == row["pdf_sha256"]
    folder = os.path.join(stack["SHOP_DATA_DIR"], "invoices", "2024")
    assert sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*F2024-009090*"))) == \
        ["F2024-009090.pdf"]
    assert not glob.glob(os.path.join(folder, ".pdf-*"))       # no temporary file left


def test_cron_stores_the_missing_pdfs(docs, shopctl, db, stack):
    transid, bid, iid = docs.bill("cron-stores-it", CONSUMER, [("EXCEL101", "Excel", 1, 10000, TAX20, "20")],
                                  number="F2024-009091")
    assert db.scalar("SELECT pdf_path FROM {shop}invoice WHERE id = %s", iid) is None
    r = shopctl("cron")
    assert re.search(r"^invoice PDFs stored: [1-9]\d*$", r.stdout, re.M), r.stdout
    row = db.one("SELECT pdf_path, pdf_sha256 FROM {shop}invoice WHERE id = %s", iid)
    assert row["pdf_path"] == "invoices/2024/F2024-009091.pdf"
    data = open(os.path.join(stack["SHOP_DATA_DIR"], row["pdf_path"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == row["pdf_sha256"] and "F2024-009091" in flat(data)
    assert re.search(r"^invoice PDFs stored: 0$", shopctl("cron").stdout, re.M)     # nothing left to do
    assert db.scalar("SELECT COUNT(*) FROM {shop}trace WHERE transid = %s AND message LIKE %s", transid,
                     "invoice F2024-009091 stored%") == 1


# ------------------------------------------------------------------ long bills, UTF-8, order sheets


def test_long_bill_runs_over_pages_with_the_header_again(docs, staff):
    lines = [("CODE-%02d" % i, "Formation numéro %d : un intitulé assez long pour tenir sur deux lignes de la"
              " colonne désignation du tableau" % i, i % 3 + 1, 1000 + i, TAX20, "20") for i in range(1, 61)]
    transid, _, _ = docs.bill("long-bill-sixty", CONSUMER, lines, status="PLACED", paid=0)
    r = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(r)
    n = pages(r.content)
    assert n >= 2
    text = pdf_text(r.content)
    for i in range(1, 61):
        assert "CODE-%02d" % i in text
    for p in range(1, n + 1):
        page = pdf_text(r.content, p, p)
        assert "%d/%d" % (p, n) in page
        assert "Formations Démo SAS — 12 rue des Exemples" in page                      # the footer on each page
        if "CODE-" in page:
            assert re.search(r"Réf\.\s+Désignation\s+Qté", page), "table header missing on page %d" % p
    assert "Total TTC" in pdf_text(r.content, n, n)


def test_utf8_survives(docs, staff):
    lines = [("UTF8-A", "« Œuvres & œnologie » — été", 1, 1000, TAX20, "20"),
             ("UTF8-B", "3 € le café, Müller über alles", 1, 100, TAX20, "20"),
             ("UTF8-C", "Szkolenie w Łodzi — Ωmega ☃", 1, 2000, TAX20, "20"),
             ("UTF8-D", "Ἀθῆναι", 1, 100, TAX20, "20")]
    who = dict(CONSUMER, firstname="Zoë", lastname="Łukasiewicz-Ødegård", city="Besançon")
    transid, _, _ = docs.bill("utf8-everywhere", who, lines, status="PENDING", paid=0)
    r = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(r)
    text = normal(pdf_text(r.content))
    for s in ("« Œuvres & œnologie » — été", "3 € le café, Müller über alles", "Szkolenie w Łodzi — Ωmega ☃",
              "Ἀθῆναι", "Zoë Łukasiewicz-Ødegård", "Besançon", "Formations Démo SAS", "10,00 €", "1,00 €"):
        assert s in text, s


def test_order_sheet_and_pro_forma_are_not_invoices(docs, staff, db):
    transid, bid, _ = docs.bill("order-sheet-placed", CONSUMER, [("EXCEL101", "Excel", 1, 10000, TAX20, "20")],
                                status="PLACED", paid=0)
    r = staff.get("/bill/%s.pdf" % transid)
    assert is_pdf(r)
    text = normal(pdf_text(r.content))
    assert "Bon de commande" in text and "BON DE COMMANDE — ce document n'est pas une facture" in flat(r.content)
    assert "B-20240314-%d" % bid in text and "Facture" not in text.replace("facture", "")
    assert r.headers["Content-Disposition"] == 'inline; filename="order-B-20240314-%d.pdf"' % bid
    # drawn again on every request, identical while the bill does not change
    assert staff.get("/bill/%s.pdf" % transid).content == r.content
    assert db.scalar("SELECT COUNT(*) FROM {shop}invoice WHERE bill_id = %s", bid) == 0
    transid, bid, _ = docs.bill("pro-forma-working", BUSINESS, [("PM200", "Gestion de projet", 3, 69000, TAX20, "20")],
                                status="WORKING", paid=0, lang="en", due_at=T0 + 15 * 86400)
    data = staff.get("/bill/%s.pdf" % transid).content
    text = normal(pdf_text(data))
    assert "Pro-forma invoice" in text and "PRO-FORMA — not an invoice" in flat(data)
    assert "Due date: 2024-03-29" in text and "Still to pay" in text


def test_renders_in_parallel_identically(docs, staff):
    """Each request draws its own document: many at once give the same bytes (no shared libharu state)."""
    transid, _, _ = docs.bill("parallel-drawing", CONSUMER,
                              [("C-%d" % i, "Ligne %d" % i, 1, 100 * i, TAX20, "20") for i in range(1, 9)],
                              status="PLACED", paid=0)
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        got = list(pool.map(lambda _: staff.get("/bill/%s.pdf" % transid), range(48)))
    assert all(is_pdf(r) for r in got)
    assert len({r.content for r in got}) == 1


def png(width, height, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_seller_logo_is_drawn(docs, staff, db, stack):
    folder = os.path.join(stack["SHOP_DATA_DIR"], "seller")
    made = not os.path.isdir(folder)
    if made:        # as httpd would make it (its owner): the logo upload test stores there afterwards
        os.makedirs(folder)
        owner = os.stat(stack["SHOP_DATA_DIR"])
        os.chown(folder, owner.st_uid, owner.st_gid)
    path = os.path.join(folder, "logo-doctest.png")
    with open(path, "wb") as f:
        f.write(png(300, 100, (30, 90, 160)))
    os.chmod(path, 0o644)
    transid, _, _ = docs.bill("with-a-logo", CONSUMER, [("EXCEL101", "Excel", 1, 10000, TAX20, "20")],
                              status="PLACED", paid=0)
    db.execute("INSERT INTO {shop}setting (name, value) VALUES ('sellerlogo', 'seller/logo-doctest.png')"
               " ON DUPLICATE KEY UPDATE value = 'seller/logo-doctest.png'")
    try:
        r = staff.get("/bill/%s.pdf" % transid)
        assert is_pdf(r)
        listed = subprocess.run(["pdfimages", "-list", "-"], input=r.content, stdout=subprocess.PIPE, timeout=60,
                                check=True).stdout.decode()
        assert re.search(r"^\s+1\s+\d+\s+image\s+300\s+100\s", listed, re.M), listed
        # a logo setting pointing outside ShopDataDir, or at something that is not an image, is ignored
        for bad in ("../secret", "/etc/passwd", "seller/missing.png"):
            db.execute("UPDATE {shop}setting SET value = %s WHERE name = 'sellerlogo'", bad)
            r = staff.get("/bill/%s.pdf" % transid)
            assert is_pdf(r) and b"/Subtype /Image" not in r.content
    finally:
        db.execute("DELETE FROM {shop}setting WHERE name = 'sellerlogo'")
        os.unlink(path)
        if made:
            os.rmdir(folder)


# ------------------------------------------------------------------ who may read


def test_access_rules(golden_bills, docs, new_session, staff, stack):
    transid, bid, iid = golden_bills["eu_business"]
    other, _, other_iid = golden_bills["consumer_exempt"]
    unknown = new_session().get("/bill/DOCTEST-no-such-bill-here.pdf")
    assert unknown.status_code == 404
    for url in ("/bill/%s" % transid, "/bill/%s.pdf" % transid, "/bill/%s/documents/%d.pdf" % (transid, iid)):
        r = new_session().get(url)                               # another session: the same 404 as unknown
        assert r.status_code == 404 and b"%PDF" not in r.content, url
    now = int(time.time())
    good = sign(stack, transid, now + 3600)
    s = new_session()
    r = s.get("/bill/%s.pdf?sig=%s" % (transid, good))
    assert is_pdf(r) and r.content == staff.get("/bill/%s.pdf" % transid).content
    page = s.get("/bill/%s?sig=%s" % (transid, good))
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert ("/bill/%s.pdf?sig=%s" % (transid, good)) in page.text                   # links keep the reader's access
    assert ("/bill/%s/documents/%d.pdf?sig=%s" % (transid, iid, good)) in page.text
    assert s.get("/bill/%s/documents/%d.pdf?sig=%s" % (transid, iid, good)).status_code == 200
    for sig in (sign(stack, transid, now - 1), good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
                sign(stack, other, now + 3600)):
        for url in ("/bill/%s.pdf?sig=%s" % (transid, sig), "/bill/%s?sig=%s" % (transid, sig)):
            assert new_session().get(url).status_code == 404, url
    assert new_session().get("/bill/%s.pdf?sig=1.x/y" % transid).status_code in (400, 404)
    # a document of another bill, or a name that is not ID.pdf, is not found through this bill
    for doc in ("%d.pdf" % other_iid, "%d" % iid, "x.pdf", "0.pdf", "%d.pdf.pdf" % iid, "-1.pdf"):
        assert staff.get("/bill/%s/documents/%s" % (transid, doc)).status_code == 404, doc


def test_bill_page(golden_bills, staff, db):
    transid, bid, iid = golden_bills["public_buyer"]
    db.execute("UPDATE {shop}bill SET production_feedback = %s WHERE id = %s", json.dumps(
        {"public": "<p>Accès ouvert à <b>8 stagiaires</b><script>alert(1)</script></p>", "private": "mot-de-passe-42",
         "salesadmin": "note interne"}), bid)
    r = staff.get("/bill/%s" % transid, headers={"Accept-Language": "fr"})
    assert r.status_code == 200
    t = r.text
    assert "F2024-009005" in t and "SAFE1-PRESENTIEL" in t and "EJ-2024-000417" in t and "DRH-FORMATION" in t
    assert "/bill/%s.pdf" % transid in t and "/bill/%s/documents/%d.pdf" % (transid, iid) in t
    assert "/admin/bills/%d" % bid in t                                             # staff get the back office
    assert "Accès ouvert à <b>8 stagiaires</b>" in t                                 # public feedback, sanitized
    assert "alert(1)" not in t and "mot-de-passe-42" not in t and "note interne" not in t
    assert "<script" not in t.split("<main", 1)[-1].lower()


# ------------------------------------------------------------------ shopctl


def test_shopctl_bill_pdf(docs, golden_bills, shopctl, stack, tmp_path):
    transid, _, _ = docs.bill("shopctl-order-sheet", CONSUMER, [("EXCEL101", "Excel", 1, 10000, TAX20, "20")],
                              status="PENDING", paid=0)
    out = tmp_path / "sheet.pdf"
    r = shopctl("bill", "pdf", transid, "-o", str(out))
    assert r.returncode == 0 and "bytes to" in r.stderr
    data = out.read_bytes()
    assert data[:5] == b"%PDF-" and os.stat(out).st_mode & 0o777 == 0o640
    assert "BON DE COMMANDE — ce document n'est pas une facture" in flat(data)
    assert not list(tmp_path.glob("sheet.pdf.*"))                           # no temporary file left
    r = shopctl("bill", "pdf", "DOCTEST-nobody-has-this", check=False)
    assert r.returncode == 1 and "no bill" in r.stderr
    for args in (("bill",), ("bill", "pdf"), ("bill", "png", transid), ("bill", "pdf", "short"),
                 ("bill", "pdf", "bad/transid/0123456789"), ("bill", "pdf", transid, "-x", "y"),
                 ("bill", "pdf", transid, "-o")):
        r = shopctl(*args, check=False)
        assert r.returncode == 2 and r.stderr.strip(), args


# ------------------------------------------------------------------ from the checkout to the invoice


def checkout(new_session, invoicing, items=(("EXCEL101", 1),)):
    s = new_session()
    tok = token(s)
    for code, q in items:
        assert api(s, "PUT", "/api/v1/cart/items/" + code, {"quantity": q}, tok).status_code == 200
    who = {"firstname": "Claire", "lastname": "Martin", "email": "claire.%s@example.org" % secrets.token_hex(4),
           "organisation": "Université de Démo", "address": "1 avenue de l'Université", "zip": "69007",
           "city": "Lyon", "country": "FR"}
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": who, "invoicing": invoicing}, tok)
    return s, tok, r


def test_public_buyer_from_checkout_to_invoice_and_credit_note(new_session, staff, db, stack):
    assert luhn_ok("130015332")
    invoicing = dict(PUBLIC, email="", engagement_number=" EJ-2026-0099 ", buyer_type="Public",
                     siren="130 015 332", vat_number="")
    s, tok, r = checkout(new_session, invoicing)
    assert r.status_code == 200, r.text
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    assert r.status_code == 201, r.text
    transid = r.json()["transid"]
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    assert bill["engagement_number"] == "EJ-2026-0099"
    frozen = json.loads(bill["invoicing_identity"])
    assert (frozen["buyer_type"], frozen["siren"], frozen["service_code"]) == ("public", "130015332", "DRH-FORMATION")
    # the buyer downloads the order sheet, then staff record the payment: the invoice is issued and stored
    sheet = s.get("/bill/%s.pdf" % transid)
    assert is_pdf(sheet) and "EJ-2026-0099" in pdf_text(sheet.content)
    pay = api(staff, "POST", "/api/v1/bills/%s/payments" % transid,
              {"amount_minor": bill["to_pay_minor"], "reference": "MANDAT-%s" % secrets.token_hex(4),
               "date": time.strftime("%Y-%m-%d"), "paymode": "transfer"}, staff.tok)
    assert pay.status_code == 201, pay.text
    number = pay.json()["invoice_number"]
    inv = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'", bill["id"])
    assert inv["number"] == number and inv["pdf_path"] and len(inv["pdf_sha256"]) == 64
    got = s.get("/bill/%s.pdf" % transid)
    assert is_pdf(got) and hashlib.sha256(got.content).hexdigest() == inv["pdf_sha256"]
    text = normal(pdf_text(got.content))
    for needle in (number, "EJ-2026-0099", "DRH-FORMATION", "130015332", "Université de Démo", "40 €"):
        assert needle in text, needle
    page = s.get("/bill/%s" % transid).text
    assert number in page and "/bill/%s/documents/%d.pdf" % (transid, inv["id"]) in page
    # refunded: a credit note referencing the invoice, its own stored PDF
    # (a reason holding the placeholder its template uses is printed as typed, never expanded again)
    r = api(staff, "POST", "/api/v1/bills/%s/transition" % transid,
            {"to": "PAYBACK", "reason": "session annulée {reason}"}, staff.tok)
    assert r.status_code == 200, r.text
    cn = db.one("SELECT * FROM {shop}invoice WHERE bill_id = %s AND kind = 'credit_note'", bill["id"])
    assert cn and cn["pdf_path"] and cn["credits_invoice_id"] == inv["id"]
    doc = s.get("/bill/%s/documents/%d.pdf" % (transid, cn["id"]))
    assert is_pdf(doc) and hashlib.sha256(doc.content).hexdigest() == cn["pdf_sha256"]
    assert doc.headers["Content-Disposition"] == 'inline; filename="credit-note-%s.pdf"' % cn["number"]
    text = normal(pdf_text(doc.content))
    assert cn["number"] in text and number in text and "session annulée {reason}" in text
    assert re.search(r"-\d[\d ,.]*\s?€|-€\d", text), "credit note amounts are negative"
    # the current document of the bill stays its invoice
    assert s.get("/bill/%s.pdf" % transid).content == got.content


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_buyer_references_bad_input(new_session, lang):
    invoicing = dict(PUBLIC, email="", vat_number="", buyer_type="government", siren="130015333",
                     engagement_number="x" * 65, service_code="a\u0007b")
    s = new_session()
    s.headers["Accept-Language"] = lang
    _, _, r = checkout(lambda: s, invoicing)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_customer"
    assert set(err["fields"]) == {"invoicing.buyer_type", "invoicing.siren", "invoicing.engagement_number",
                                  "invoicing.service_code"}
    word = {"en": "SIREN", "fr": "SIREN"}[lang]
    assert word in err["fields"]["invoicing.siren"]
    if lang == "fr":
        assert "type d'acheteur" in err["fields"]["invoicing.buyer_type"]
    # not text at all
    _, _, r = checkout(lambda: s, dict(PUBLIC, email="", vat_number="", siren=130015332))
    assert r.status_code == 400 and "invoicing.siren" in r.json()["error"]["fields"]


def test_buyer_references_in_the_html_form(new_session):
    s, tok, r = checkout(new_session, None)
    assert r.status_code == 200
    page = s.get("/checkout/customer").text
    assert 'name="invoicing_buyer_type"' in page and 'name="invoicing_siren"' in page
    assert 'name="invoicing_engagement_number"' in page and 'value="public"' in page
    form = {"csrf_token": tok, "customer_firstname": "Claire", "customer_lastname": "Martin",
            "customer_email": "claire.%s@example.org" % secrets.token_hex(4), "customer_organisation": "Université",
            "customer_address": "1 avenue", "customer_zip": "69007", "customer_city": "Lyon",
            "customer_country": "FR", "use_invoicing": "1", "invoicing_organisation": "Université de Démo",
            "invoicing_lastname": "Martin", "invoicing_firstname": "Claire", "invoicing_address": "1 avenue",
            "invoicing_zip": "69007", "invoicing_city": "Lyon", "invoicing_country": "FR",
            "invoicing_buyer_type": "public", "invoicing_siren": "12345", "invoicing_engagement_number": "EJ-1"}
    r = s.post("/checkout/customer", data=form)
    assert r.status_code == 400 and 'id="invoicing_siren-error"' in r.text
    assert 'value="EJ-1"' in r.text                                    # what was typed is kept
    form["invoicing_siren"] = "130015332"
    r = s.post("/checkout/customer", data=form)
    assert r.status_code == 303, r.text[:500]
    state = s.get("/api/v1/checkout").json()
    text = json.dumps(state)
    assert "130015332" in text and "EJ-1" in text
