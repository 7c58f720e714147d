"""Mails: written to the outbox with the event, sent through SMTP after commit, retried by `shopctl cron` with backoff.

The stack's SMTP sink writes every message it accepts to SHOP_SMTP_SINK (fixture `mails`); `conf/stack.sh stop smtp`
takes it down.  Sales staff = sam.sales (user 7, sales role at system context).  Templates whose events belong to other
layers (production feedback, transaction confirmed, account created) are queued with `shopctl mail queue`, the
operators' way to send a notice again, which runs the same service functions as the events."""
import base64
import hashlib
import hmac
import os
import re
import secrets
import socket
import subprocess
import threading
import time

import pytest

from conftest import api, token

SAM = "sam.sales@example.com"


def identity(**over):
    who = {"firstname": "Lucie", "lastname": "Bernard", "email": "lucie.%s@example.org" % secrets.token_hex(4),
           "organisation": "Bernard Conseil", "address": "3 place du Marché", "zip": "75002", "city": "Paris",
           "country": "FR"}
    who.update(over)
    return who


def place_order(new_session, lang="en", **who):
    """Place an order (the Excel course and two mugs) by bank transfer through the API;
    (response, elapsed seconds, identity)."""
    s = new_session()
    s.headers["Accept-Language"] = lang
    tok = token(s)
    for code, qty in (("EXCEL101", 1), ("MUG-LOGO", 2)):
        assert api(s, "PUT", "/api/v1/cart/items/" + code, {"quantity": qty}, tok).status_code == 200
    person = identity(**who)
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": person, "invoicing": None}, tok)
    assert r.status_code == 200, r.text
    t0 = time.monotonic()
    r = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    elapsed = time.monotonic() - t0
    if r.status_code in (200, 201):
        settle(r.json()["transid"])
    return r, elapsed, person


_db = None


@pytest.fixture(autouse=True)
def _outbox_db(db):
    global _db
    _db = db


def settle(transid, limit=15.0):
    """The order's mails are sent once the answer has gone (after the response): wait until the first
    attempt of each is over (sent, or queued again with its error)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = _db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox o JOIN {shop}bill b ON b.id = o.bill_id"
                          " WHERE b.transid = %s AND (o.status = 'sending' OR (o.status = 'queued'"
                          " AND o.attempts = 0))", transid)
        if not busy:
            return
        time.sleep(0.05)
    raise AssertionError("the mails of order %s were not attempted within %.0f s" % (transid, limit))


def body_text(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content()


@pytest.fixture
def raw(stack):
    """The bytes of a received mail exactly as the SMTP sink got them."""
    def read(msg):
        with open(os.path.join(stack["SHOP_SMTP_SINK"], str(msg["X-Sink-File"])), "rb") as f:
            return f.read()
    return read


def cron(shopctl):
    out = shopctl("cron").stdout
    m = re.search(r"mails sent: (\d+), failed \(retry later\): (\d+), gave up: (\d+)", out)
    assert m, out
    return tuple(int(x) for x in m.groups())


@pytest.fixture
def outbox(db, stack, mails):
    """An empty outbox and sink, the SMTP sink up; the sink is brought back up whatever the test did."""
    stack.ctl("start", "smtp")
    db.execute("DELETE FROM {shop}mail_outbox")
    # the mugs held by earlier orders go back on the shelf (orders here are never paid)
    db.execute("UPDATE {shop}stock_reservation SET released = 1 WHERE released = 0")
    db.execute("UPDATE {shop}product SET reserved = 0")
    mails.clear()
    yield
    stack.ctl("start", "smtp")


def rows(db, where="1=1", *args):
    return db.query("SELECT * FROM {shop}mail_outbox WHERE " + where + " ORDER BY id", *args)


def insert_row(db, subject, to="lucie@example.org", status="queued", attempts=0, next_at=0, bill_id=None):
    db.execute("INSERT INTO {shop}mail_outbox (to_addr, to_name, subject, body_text, template, bill_id, status,"
               " attempts, next_attempt_at, created_at) VALUES (%s, 'Lucie', %s, 'Hello\nbody\n', 'test', %s, %s,"
               " %s, %s, UNIX_TIMESTAMP())", to, subject, bill_id, status, attempts, next_at)
    return db.scalar("SELECT MAX(id) FROM {shop}mail_outbox")


def test_order_received_goes_to_sales_staff_in_their_language(new_session, db, stack, mails, outbox, raw):
    r, elapsed, who = place_order(new_session)
    assert r.status_code == 201, r.text
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", r.json()["transid"])
    [row] = rows(db, "bill_id = %s", bill["id"])
    assert row["template"] == "order_received" and row["to_addr"] == SAM and row["status"] == "sent"
    assert row["attempts"] == 0 and row["sent_at"] and row["last_error"] is None
    [msg] = mails()
    assert msg["X-Sink-Rcpt-To"] == SAM and msg["X-Sink-Mail-From"] == "shop@example.org"
    assert msg["To"].addresses[0].addr_spec == SAM and msg["To"].addresses[0].display_name == "Sam Sales"
    assert msg["From"].addresses[0].addr_spec == "shop@example.org"
    assert msg["Reply-To"].addresses[0].addr_spec == who["email"]      # staff answer the customer directly
    assert msg["Auto-Submitted"] == "auto-generated" and msg["Message-ID"].endswith("@example.org>")
    order_number = "B-%s-%d" % (time.strftime("%Y%m%d", time.gmtime(bill["created_at"])), bill["id"])
    subject = msg["Subject"]
    assert subject.startswith("New order %s from Lucie Bernard (" % order_number), subject
    text = body_text(msg)
    assert "Hello Sam Sales," in text
    assert "Lucie Bernard <%s>" % who["email"] in text and "Bernard Conseil" in text and "Paris, France" in text
    assert "Payment      Bank transfer" in text and "Items: 3" in text
    assert "1 x Excel : les fondamentaux (en ligne) [EXCEL101]" in text
    assert re.search(r"^  2 x Mug Formations Démo \[MUG-LOGO\]  €\d+\.\d\d$", text, re.M), text
    assert bill["transid"] in text
    assert "%s/admin/bills/%d" % (stack["SHOP_URL"], bill["id"]) in text
    # amounts as the bill has them, formatted for English readers
    def en(minor):
        return "€{:,}.{:02d}".format(minor // 100, minor % 100)
    for label, col in (("Total excl. tax", "untaxed_minor"), ("Taxes", "taxes_minor"),
                       ("Total incl. tax", "taxed_minor"), ("To pay", "to_pay_minor")):
        assert re.search(r"^%s +%s$" % (re.escape(label), re.escape(en(bill[col]))), text, re.M), (label, text)
    assert en(bill["to_pay_minor"]) in subject
    data = raw(msg)
    assert b"\r\n" in data and not re.search(rb"[^\r]\n", data.split(b"\r\n\r\n", 1)[1])
    assert b"password" not in data.lower() and b"$6$" not in data
    # the customer's language does not matter: the staff member's does
    db.execute("UPDATE {mdl}user SET lang = 'fr' WHERE id = 7")
    try:
        mails.clear()
        r, _, who = place_order(new_session, lang="en")
        assert r.status_code == 201, r.text
        [msg] = mails()
        fr_bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", r.json()["transid"])
        assert fr_bill["lang"] == "en"
        # the subject is RFC 2047 encoded on the wire (€ and no-break spaces), Python decodes it
        assert re.search(rb"\r\nSubject: Nouvelle commande B-\S+ de Lucie Bernard\s+=\?UTF-8\?B\?", raw(msg))
        subject = msg["Subject"]
        assert subject.startswith("Nouvelle commande B-") and " de Lucie Bernard (" in subject
        amount = "{:,}".format(fr_bill["to_pay_minor"] // 100).replace(",", "\u202f") + ",%02d\u00a0€" % (
            fr_bill["to_pay_minor"] % 100)
        assert amount in subject, (amount, subject)
        text = body_text(msg)
        assert "Bonjour Sam Sales," in text and "Virement bancaire" in text and "Paris, France" in text
        assert "Total HT" in text and "À payer" in text
    finally:
        db.execute("UPDATE {mdl}user SET lang = 'en' WHERE id = 7")


def test_no_sales_staff_falls_back_to_seller_mail(new_session, db, mails, outbox):
    db.execute("UPDATE {mdl}role_assignments SET contextid = 13 WHERE id = 1")     # Sam: sales in a course only
    try:
        r, _, _ = place_order(new_session)
        assert r.status_code == 201, r.text
        [msg] = mails()
        assert msg["X-Sink-Rcpt-To"] == "ventes@formations-demo.example"
        assert msg["To"].addresses[0].display_name == "Formations Démo SAS"
    finally:
        db.execute("UPDATE {mdl}role_assignments SET contextid = 1 WHERE id = 1")


def test_refreshed_order_sends_no_second_notice(new_session, db, mails, outbox):
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    assert api(s, "PUT", "/api/v1/checkout/customer", {"customer": identity(), "invoicing": None}, tok).status_code == 200
    r1 = api(s, "POST", "/api/v1/checkout/order", {"paymode": "transfer", "accept_terms": True}, tok)
    settle(r1.json()["transid"])
    r2 = api(s, "POST", "/api/v1/checkout/order", {"paymode": "check", "accept_terms": True}, tok)
    assert r1.status_code == 201 and r2.status_code == 200 and r2.json()["refreshed"]
    settle(r2.json()["transid"])
    assert len(mails()) == 1
    assert len(rows(db)) == 1


def crons_at_once(stack, n):
    """n `shopctl cron` at the same time; the total of their "mails sent"."""
    env = stack.env()
    exe = stack["SHOP_BUILD"] + "/shopctl"
    procs = [subprocess.Popen([exe, "cron"], env=env, stdout=subprocess.PIPE, text=True) for _ in range(n)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    return sum(int(re.search(r"mails sent: (\d+)", o).group(1)) for o in outs)


# Other layers (production retries in cron) may queue mails of their own bills meanwhile: the checks below look
# at this test's rows and mails, and take cron's counts as lower bounds.

def test_smtp_down_nothing_lost_retried_with_backoff_sent_once(new_session, db, stack, mails, outbox, shopctl):
    stack.ctl("stop", "smtp")
    placed = []
    for _ in range(3):
        r, elapsed, _ = place_order(new_session)
        assert r.status_code == 201, r.text
        assert elapsed < 3, elapsed                            # a refused connection costs nothing
        placed.append(r.json()["transid"])
    before = int(time.time())
    ids = [db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", t) for t in placed]
    mine = "bill_id IN (%s, %s, %s)"

    def my_rows():
        return rows(db, mine, *ids)

    def my_mails():
        return [m for m in mails() if any(t in body_text(m) for t in placed)]

    queued = my_rows()
    assert len(queued) == 3 and all(q["status"] == "queued" and q["attempts"] == 1 for q in queued)
    for q in queued:
        assert "connect" in q["last_error"].lower(), q["last_error"]
        assert before + 30 < q["next_attempt_at"] <= before + 61          # 1 minute after the first failure
    assert mails() == []
    # not due yet: cron leaves them alone
    cron(shopctl)
    assert [(q["status"], q["attempts"]) for q in my_rows()] == [("queued", 1)] * 3
    # due, SMTP still down: second attempt, longer backoff (5 minutes)
    db.execute("UPDATE {shop}mail_outbox SET next_attempt_at = UNIX_TIMESTAMP() - 1 WHERE " + mine, *ids)
    t = int(time.time())
    sent, failed, gave_up = cron(shopctl)
    assert sent == 0 and failed >= 3 and gave_up == 0
    again = my_rows()
    assert all(q["status"] == "queued" and q["attempts"] == 2 and q["last_error"] for q in again)
    assert all(t + 290 <= q["next_attempt_at"] <= t + 310 for q in again), [q["next_attempt_at"] - t for q in again]
    # SMTP back: nothing goes before the backoff ends
    stack.ctl("start", "smtp")
    cron(shopctl)
    assert my_mails() == [] and {q["status"] for q in my_rows()} == {"queued"}
    # due: two crons at once send every mail exactly once
    db.execute("UPDATE {shop}mail_outbox SET next_attempt_at = UNIX_TIMESTAMP() - 1 WHERE " + mine, *ids)
    assert crons_at_once(stack, 2) >= 3
    got = my_mails()
    assert len(got) == 3 and len({m["Message-ID"] for m in got}) == 3
    assert sorted(t for m in got for t in placed if t in body_text(m)) == sorted(placed)
    assert all(m["X-Sink-Rcpt-To"] == SAM for m in got)
    assert all(q["status"] == "sent" and q["attempts"] == 2 and q["last_error"] is None for q in my_rows())
    cron(shopctl)
    assert len(my_mails()) == 3


def test_hanging_smtp_server_holds_up_one_order_per_process_at_most(new_session, db, stack, outbox):
    """A relay that accepts connections and never greets: the first order of an httpd process waits for the 5 s
    connect timeout (libcurl counts the greeting in it), the next ones only 1 s (for a minute the process gives a
    relay that timed out the short timeouts); every mail stays queued."""
    stack.ctl("stop", "smtp")
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(stack["SHOP_SMTP_PORT"])))
    srv.listen(16)
    srv.settimeout(0.2)
    held, stop = [], threading.Event()

    def swallow():
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except socket.timeout:
                pass
    th = threading.Thread(target=swallow, daemon=True)
    th.start()
    try:
        times, placed = [], []
        for _ in range(4):
            r, elapsed, _ = place_order(new_session)
            assert r.status_code == 201, r.text
            times.append(elapsed)
            placed.append(r.json()["transid"])
        assert len([t for t in times if t > 4]) <= 2, times           # ServerLimit 2: once per child at most
        assert all(t < 8 for t in times) and len([t for t in times if t < 3]) >= 2, times
        for t in placed:
            [row] = db.query("SELECT o.* FROM {shop}mail_outbox o JOIN {shop}bill b ON b.id = o.bill_id"
                             " WHERE b.transid = %s", t)
            assert row["status"] == "queued" and row["attempts"] == 1, row
            assert "timed out" in row["last_error"], row["last_error"]
    finally:
        stop.set()
        th.join()
        for c in held:
            c.close()
        srv.close()


def test_concurrent_crons_never_send_twice(db, stack, mails, outbox):
    subjects = {"Bulk mail %03d" % i for i in range(60)}
    for s in sorted(subjects):
        insert_row(db, s)
    assert crons_at_once(stack, 4) >= 60
    got = [m for m in mails() if m["Subject"].startswith("Bulk mail")]
    assert len(got) == 60 and {m["Subject"] for m in got} == subjects
    assert {r["status"] for r in rows(db, "template = 'test'")} == {"sent"}


def test_gives_up_after_max_attempts_and_on_unsendable(db, stack, mails, outbox, shopctl):
    last = insert_row(db, "Twelfth try", attempts=11)                 # SHOP_MAIL_MAX_ATTEMPTS = 12
    stack.ctl("stop", "smtp")
    assert cron(shopctl)[2] >= 1
    row = rows(db, "id = %s", last)[0]
    assert row["status"] == "failed" and row["attempts"] == 12 and "connect" in row["last_error"].lower()
    stack.ctl("start", "smtp")
    cron(shopctl)
    assert rows(db, "id = %s", last)[0]["status"] == "failed"           # failed stays failed
    bad = insert_row(db, "Unsendable", to="not an address")
    assert cron(shopctl)[2] >= 1
    row = rows(db, "id = %s", bad)[0]
    assert row["status"] == "failed" and row["attempts"] == 1 and "invalid recipient" in row["last_error"]
    assert [m for m in mails() if m["Subject"] in ("Twelfth try", "Unsendable")] == []


def test_mail_left_sending_by_a_crash_is_sent_after_the_lease(db, mails, outbox, shopctl):
    now = int(time.time())
    stale = insert_row(db, "Left sending", status="sending", next_at=now - 1)       # lease over
    live = insert_row(db, "Being sent", status="sending", next_at=now + 300)       # another sender holds it
    assert cron(shopctl)[0] >= 1
    assert rows(db, "id = %s", stale)[0]["status"] == "sent"
    assert rows(db, "id = %s", stale)[0]["attempts"] == 1                           # the lost attempt counts
    assert rows(db, "id = %s", live)[0]["status"] == "sending"
    assert [m["Subject"] for m in mails() if m["Subject"] in ("Left sending", "Being sent")] == ["Left sending"]


def test_header_injection_through_the_customer_name(new_session, db, mails, outbox, shopctl, raw):
    evil = "Eve\r\nBcc: evil@example.net\r\nX-Injected: yes"
    # the checkout refuses the name ...
    s = new_session()
    tok = token(s)
    assert api(s, "PUT", "/api/v1/cart/items/EXCEL101", {"quantity": 1}, tok).status_code == 200
    r = api(s, "PUT", "/api/v1/checkout/customer", {"customer": identity(firstname=evil), "invoicing": None}, tok)
    assert r.status_code == 400 and "customer.firstname" in r.json()["error"]["fields"], r.text
    # ... but a name may reach a bill another way (back office, import, an older version): the mail stays whole
    r, _, _ = place_order(new_session)
    assert r.status_code == 201, r.text
    bill_id = db.scalar("SELECT id FROM {shop}bill WHERE transid = %s", r.json()["transid"])
    db.execute("UPDATE {shop}customer c JOIN {shop}bill b ON b.customer_id = c.id SET c.firstname = %s"
               " WHERE b.id = %s", evil, bill_id)
    db.execute("UPDATE {shop}mail_outbox SET status = 'failed' WHERE bill_id = %s", bill_id)    # resend
    mails.clear()
    shopctl("mail", "queue", "order_received", bill_id)
    [msg] = mails()
    assert msg["X-Sink-Rcpt-To"] == SAM
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    head = raw(msg).split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"\r\nX-Injected:" not in head
    assert "from Eve Bcc: evil@example.net X-Injected: yes Bernard (" in msg["Subject"]
    assert "Eve Bcc: evil@example.net X-Injected: yes Bernard <" in body_text(msg)


def test_production_feedback_to_the_customer(new_session, db, stack, mails, outbox, shopctl):
    r, _, who = place_order(new_session, lang="fr")
    assert r.status_code == 201, r.text
    transid = r.json()["transid"]
    bill = db.one("SELECT id, lang FROM {shop}bill WHERE transid = %s", transid)
    assert bill["lang"] == "fr"
    db.execute("UPDATE {shop}bill SET production_feedback = %s WHERE id = %s",
               '{"public": "<p>Votre cours <b>Excel</b> est ouvert.</p><p>Bonne formation !</p>",'
               ' "private": "<p>Code d\'accès : 1234 &amp; plus<script>alert(1)</script></p>",'
               ' "salesadmin": "<p>Inscrit : utilisateur 3</p>"}', bill["id"])
    mails.clear()
    shopctl("mail", "queue", "production_feedback", bill["id"])
    [msg] = mails()
    assert msg["X-Sink-Rcpt-To"] == who["email"]
    assert msg["Reply-To"].addresses[0].addr_spec == "support@formations-demo.example"
    assert msg["Subject"].startswith("Votre commande B-") and msg["Subject"].endswith(" est prête")
    text = body_text(msg)
    assert "Votre cours Excel est ouvert.\nBonne formation !" in text
    assert "Code d'accès : 1234 & plus" in text and "script" not in text and "Inscrit" not in text
    assert "<b>" not in text and "&amp;" not in text
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "<b>Excel</b>" in html and "<script>" not in html and "Inscrit" not in html
    assert "support@formations-demo.example" in text and "+33 1 23 45 67 89" in text
    # the signed read link: {public}/bill/TRANSID?sig=EXPIRES.MAC, 90 days, HMAC under the site secret
    m = re.search(re.escape(stack["SHOP_URL"]) + r"/bill/" + re.escape(transid) + r"\?sig=(\d+)\.([A-Za-z0-9_-]+)",
                  text)
    assert m, text
    expires, mac = int(m.group(1)), m.group(2)
    assert abs(expires - (time.time() + 90 * 86400)) < 120
    key = open(stack["SHOP_SECRET_FILE"], "rb").read().rstrip(b"\n")
    want = base64.urlsafe_b64encode(hmac.new(key, b"shop-bill-v1|%s|%d" % (transid.encode(), expires),
                                             hashlib.sha256).digest()).rstrip(b"=").decode()
    assert mac == want
    assert 'href="%s/bill/%s?sig=%s.%s"' % (stack["SHOP_URL"], transid, expires, mac) in html.replace("&amp;", "&")


def test_transaction_confirmed_to_staff(new_session, db, mails, outbox, shopctl):
    r, _, who = place_order(new_session)
    assert r.status_code == 201, r.text
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", r.json()["transid"])
    db.execute("UPDATE {shop}bill SET paid_minor = to_pay_minor, production_feedback = %s WHERE id = %s",
               '{"salesadmin": "<p>Enrolled <i>user 3</i> in EXCEL101</p>"}', bill["id"])
    db.execute("INSERT INTO {shop}payment_event (gateway, event_id, transid, bill_id, amount_minor, currency, outcome,"
               " result, paid_on, received_at) VALUES ('transfer', %s, %s, %s, %s, 'EUR', 'paid', 'applied',"
               " '2026-01-15', UNIX_TIMESTAMP())", "VIR-" + secrets.token_hex(4), bill["transid"], bill["id"],
               bill["to_pay_minor"])
    mails.clear()
    shopctl("mail", "queue", "transaction_confirmed", bill["id"])
    [msg] = mails()
    assert msg["X-Sink-Rcpt-To"] == SAM
    assert msg["Subject"].startswith("Payment confirmed: order B-")
    text = body_text(msg)
    paid = "€{:,}.{:02d}".format(bill["to_pay_minor"] // 100, bill["to_pay_minor"] % 100)
    assert re.search(r"2026-01-15  %s  Bank transfer  ref\. VIR-" % re.escape(paid), text), text
    assert "Enrolled user 3 in EXCEL101" in text
    assert "Lucie Bernard <%s>" % who["email"] in text


def test_payment_by_staff_queues_transaction_confirmed(new_session, db, mails, outbox, moodle_login):
    r, _, _ = place_order(new_session)
    assert r.status_code == 201, r.text
    transid = r.json()["transid"]
    bill = db.one("SELECT * FROM {shop}bill WHERE transid = %s", transid)
    staff = new_session()
    moodle_login(staff, 7)
    mails.clear()
    p = api(staff, "POST", "/api/v1/bills/%s/payments" % transid,
            {"amount_minor": bill["to_pay_minor"], "reference": "VIR-" + secrets.token_hex(4),
             "date": time.strftime("%Y-%m-%d"), "paymode": "transfer"})
    if p.status_code in (404, 501):
        pytest.skip("the payments API is not there yet")
    assert p.status_code in (200, 201), p.text
    confirmed = [m for m in mails() if m["Subject"].startswith("Payment confirmed")]
    assert len(confirmed) == 1 and confirmed[0]["X-Sink-Rcpt-To"] == SAM
    assert db.scalar("SELECT COUNT(*) FROM {shop}mail_outbox WHERE bill_id = %s AND template ="
                     " 'transaction_confirmed' AND status = 'sent'", bill["id"]) == 1


def test_account_created_carries_a_moodle_reset_token_never_a_password(db, stack, mails, outbox, shopctl, raw):
    db.execute("DELETE FROM {mdl}user_password_resets WHERE userid = 3")
    db.execute("INSERT INTO {mdl}user_password_resets (userid, timerequested, timererequested, token)"
               " VALUES (3, 1, 0, 'oldoldoldoldoldoldoldoldoldoldol')")
    t0 = int(time.time())
    shopctl("mail", "queue", "account_created", 3)
    [reset] = db.query("SELECT * FROM {mdl}user_password_resets WHERE userid = 3")
    assert re.fullmatch(r"[A-Za-z0-9]{32}", reset["token"]) and reset["token"] != "oldoldoldoldoldoldoldoldoldoldol"
    assert t0 <= reset["timerequested"] <= t0 + 5 and reset["timererequested"] == 0
    [msg] = mails()
    assert msg["X-Sink-Rcpt-To"] == "alice.martin@example.com"         # Alice reads French (mdl_user.lang)
    assert msg["Subject"] == "Votre compte sur Formations Démo SAS : choisissez votre mot de passe"
    text = body_text(msg)
    links = re.findall(r"https?://\S+", text)
    reset_link = "%s/login/forgot_password.php?token=%s" % (stack["SHOP_MOODLE_URL"], reset["token"])
    assert reset_link in links
    assert [l for l in links if "token=" in l] == [reset_link]
    assert "Identifiant : alice.martin" in text and "30 minutes" in text
    assert "%s/login/forgot_password.php\n" % stack["SHOP_MOODLE_URL"] in text     # how to ask a new link
    pwhash = db.scalar("SELECT password FROM {mdl}user WHERE id = 3")
    data = raw(msg)
    assert pwhash.encode() not in data and b"$6$" not in data
    # Moodle's own lifetime setting is what the mail announces
    db.execute("INSERT INTO {mdl}config (name, value) VALUES ('pwresettime', '3600')")
    try:
        mails.clear()
        shopctl("mail", "queue", "account_created", 4)
        [msg] = mails()
        assert msg["Subject"] == "Your account on Formations Démo SAS: choose your password"
        assert "It works once and for 60 minutes" in body_text(msg)
        assert db.scalar("SELECT COUNT(*) FROM {mdl}user_password_resets WHERE userid = 4") == 1
    finally:
        db.execute("DELETE FROM {mdl}config WHERE name = 'pwresettime'")


def test_mail_queue_command_refuses_bad_input(shopctl):
    r = shopctl("mail", "queue", "nosuch", "1", check=False)
    assert r.returncode == 2 and "usage" in r.stderr
    r = shopctl("mail", "queue", "order_received", "-3", check=False)
    assert r.returncode == 2
    r = shopctl("mail", "queue", "order_received", "99999999", check=False)
    assert r.returncode == 1 and "nothing queued" in r.stderr
    r = shopctl("mail", "status")
    assert r.returncode == 0
