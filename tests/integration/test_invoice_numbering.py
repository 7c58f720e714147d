"""Gapless invoice numbers under fire (issue 5, point 3): 1,000 payable bills are paid by 16 client threads
through two httpd instances sharing one MariaDB and memcached, while a chaos thread kills the shop's
MariaDB connections mid-flight and kill -9s httpd children of both instances.  Clients retry a failed
payment with the same reference (idempotent) until every bill is paid.  Then the series F numbers of the
year are exactly 1..N, no gap, no duplicate; every paid bill has one invoice; the counter is N + 1."""
import os
import queue
import random
import re
import secrets
import signal
import threading
import time

import requests

from test_config import apache2, variant

BILLS = 1000
CLIENTS = 16
AMOUNT = 12000
YEAR = time.localtime().tm_year
TODAY = time.strftime("%Y-%m-%d")
DEADLINE = 240                     # seconds for the whole run before the test gives up


CHAOS_LOG = (r"SHOP\d{4}: .*\b(2006|2013|1927)\b", r"\[dbd:", r"\[mpm_event:(warn|error)\].*(child|signal)",
             r"\[core:(warn|error)\].*(child|signal|Killed)")
BAD_LEVEL = re.compile(r"^\[[^\]]*\] \[[^\]:]*:(warn|error|crit|alert|emerg)\] ")


class SecondHttpd:
    """Another httpd on the same stack (same database, memcached, secret), own port, pid file and log:
    test_config's variant of the stack's configuration."""

    def __init__(self, stack, tmp_path):
        self.stack = stack
        self.conf = variant(stack, tmp_path, [])
        self.port = int(re.search(r"^Listen 127.0.0.1:(\d+)", open(self.conf).read(), re.M).group(1))
        self.pidfile = str(tmp_path / "httpd.pid")
        self.log = str(tmp_path / "error.log")
        self.url = "http://127.0.0.1:%d/shop" % self.port

    def __enter__(self):
        r = apache2(self.stack, "-f", self.conf, "-k", "start")
        assert r.returncode == 0, r.stdout
        wait_healthy(self.url)
        return self

    def __exit__(self, *exc):
        apache2(self.stack, "-f", self.conf, "-k", "stop")
        for _ in range(100):
            if not os.path.exists(self.pidfile):
                break
            time.sleep(0.1)


def wait_healthy(url, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            r = requests.get(url + "/health", timeout=2)
            if r.status_code == 200 and r.json()["db"] == "ok":
                return r.json()
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.2)
    raise AssertionError("%s is not healthy after %ds" % (url, seconds))


def children(pidfile):
    """Pids of the httpd children of the parent in pidfile."""
    try:
        parent = int(open(pidfile).read().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = open("/proc/%s/stat" % d).read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            out.append(int(d))
    return out


def make_bills(db, n):
    now = int(time.time())
    db.execute("INSERT INTO {shop}customer (shop_id, firstname, lastname, email, country, created_at, modified_at)"
               " VALUES (1, 'Gap', 'Less', %s, 'FR', %s, %s)", "gapless.%s@example.org" % secrets.token_hex(4), now, now)
    cid = db.scalar("SELECT LAST_INSERT_ID()")
    tag = secrets.token_hex(4)
    transids = ["GAP%s%05d%s" % (tag, i, secrets.token_hex(4)) for i in range(n)]
    for start in range(0, n, 200):
        chunk = transids[start:start + 200]
        db.execute("INSERT INTO {shop}bill (transid, shop_id, customer_id, status, currency, lang, untaxed_minor,"
                   " taxes_minor, taxed_minor, to_pay_minor, paymode, placed_at, created_at, modified_at) VALUES "
                   + ", ".join(["(%s, 1, %s, 'PLACED', 'EUR', 'en', 10000, 2000, 12000, 12000, 'transfer', %s, %s, %s)"]
                               * len(chunk)),
                   *[v for t in chunk for v in (t, cid, now, now, now)])
    rows = db.query("SELECT id, transid FROM {shop}bill WHERE customer_id = %s ORDER BY id", cid)
    assert len(rows) == n
    for start in range(0, n, 200):
        chunk = rows[start:start + 200]
        db.execute("INSERT INTO {shop}bill_line (bill_id, currency, line_no, type, code, label, quantity, unit_minor,"
                   " untaxed_minor, tax_id, tax_rate, tax_minor, total_minor, product_id, created_at, modified_at) VALUES "
                   + ", ".join(["(%s, 'EUR', 1, 'PRODUCT', 'EXCEL101', 'Excel', 1, 10000, 10000, 1, 20, 2000, 12000, 1,"
                                " %s, %s)"] * len(chunk)),
                   *[v for r in chunk for v in (r["id"], now, now)])
    return cid, rows


class Chaos(threading.Thread):
    """Kills the shop's MariaDB connections and httpd children at random until stopped."""

    def __init__(self, stack, root, pidfiles, spare_connection):
        super().__init__(daemon=True)
        self.stack, self.root, self.pidfiles, self.spare = stack, root, pidfiles, spare_connection
        self.stop = threading.Event()
        self.killed_connections = self.killed_children = 0
        self.rng = random.Random()

    def run(self):
        while not self.stop.wait(self.rng.uniform(0.15, 0.5)):
            try:
                if self.rng.random() < 0.6:
                    self.kill_connections()
                else:
                    self.kill_child()
            except Exception:          # the chaos must not stop on its own hiccups
                pass

    def kill_connections(self):
        busy = [p for p in self.root.query("SHOW PROCESSLIST")
                if p["User"] == self.stack["SHOP_DB_USER"] and p["Id"] != self.spare]
        # rather those in the middle of something
        busy.sort(key=lambda p: (p["Command"] == "Sleep", self.rng.random()))
        for p in busy[:self.rng.randint(1, 3)]:
            try:
                self.root.execute("KILL %d" % p["Id"])
                self.killed_connections += 1
            except Exception:
                pass

    def kill_child(self):
        pids = children(self.rng.choice(self.pidfiles))
        if pids:
            try:
                os.kill(self.rng.choice(pids), signal.SIGKILL)
                self.killed_children += 1
            except ProcessLookupError:
                pass


def test_gapless_numbers_under_kills(stack, db, shopctl, tmp_path, expect_log):
    # what the chaos makes httpd and the shop say: lost connections (MySQL 2006, 2013, 1927) and killed
    # children, nothing else
    for pattern in CHAOS_LOG:
        expect_log(pattern)
    root = db.as_root()
    _, bills = make_bills(db, BILLS)
    ids = [b["id"] for b in bills]
    f_before = db.scalar("SELECT COALESCE(MAX(next_value), 1) FROM {shop}invoice_counter WHERE series_id = 1"
                         " AND year = %s", YEAR)
    main_pidfile = re.search(r'^PidFile "?([^"\n]+)"?', open(stack["SHOP_HTTPD_CONF"]).read(), re.M).group(1)

    with SecondHttpd(stack, tmp_path) as second:
        urls = [stack["SHOP_URL"].rstrip("/"), second.url]
        todo = queue.Queue()
        for i, b in enumerate(bills):
            todo.put((i, b["transid"]))
        results, retries, errors = {}, [0], []
        lock = threading.Lock()
        sessions = []
        for k in range(CLIENTS):
            s = requests.Session()
            sid = secrets.token_hex(13)
            now = int(time.time())
            db.execute("INSERT INTO {mdl}sessions (state, sid, userid, sessdata, timecreated, timemodified, firstip,"
                       " lastip) VALUES (0, %s, 7, NULL, %s, %s, '127.0.0.1', '127.0.0.1')", sid, now, now)
            s.cookies.set("MoodleSession", sid)
            # the shop session (and its CSRF token) is shared by both instances: memcached + database
            s.tok = s.get(urls[k % 2] + "/api/v1/session", timeout=10).json()["csrf_token"]
            sessions.append(s)
        started = time.monotonic()

        def client(k):
            s = sessions[k]
            rng = random.Random(k)
            while time.monotonic() - started < DEADLINE:
                try:
                    i, transid = todo.get_nowait()
                except queue.Empty:
                    return
                body = {"amount_minor": AMOUNT, "reference": "GAP-" + transid, "date": TODAY, "paymode": "transfer"}
                while time.monotonic() - started < DEADLINE:
                    url = rng.choice(urls) + "/api/v1/bills/%s/payments" % transid
                    try:
                        r = s.post(url, json=body, headers={"X-CSRF-Token": s.tok}, timeout=20)
                    except requests.RequestException:
                        r = None
                    if r is not None and r.status_code in (200, 201):
                        with lock:
                            results[i] = r.json()
                        break
                    if r is not None and r.status_code not in (500, 502, 503):
                        with lock:
                            errors.append((transid, r.status_code, r.text))
                        break
                    with lock:
                        retries[0] += 1
                    time.sleep(rng.uniform(0.02, 0.1))

        chaos = Chaos(stack, root, [main_pidfile, second.pidfile], db.scalar("SELECT CONNECTION_ID()"))
        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        chaos.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        chaos.stop.set()
        chaos.join()
        # settle: both instances answer again, with the database
        for u in urls:
            wait_healthy(u)
        # the second instance's log is held to the same rule as the stack's
        bad = [l for l in open(second.log, errors="replace") if BAD_LEVEL.match(l)
               and not any(re.search(p, l) for p in CHAOS_LOG)]
        assert bad == [], bad[:10]

    print("\n%d payments in %.1f s (%.0f/s) over 2 httpd, %d retries, %d connections killed, %d children killed"
          % (BILLS, elapsed, BILLS / elapsed, retries[0], chaos.killed_connections, chaos.killed_children))
    assert errors == []
    assert len(results) == BILLS, "%d bills paid in %ds" % (len(results), DEADLINE)
    assert chaos.killed_connections > 0 and chaos.killed_children > 0
    # paid; produced after commit unless a kill interrupted that (cron finishes it)
    assert all(r["status"] in ("SOLDOUT", "COMPLETE") and r["to_pay_minor"] == 0 for r in results.values())

    # every bill paid once, invoiced once
    marks = ",".join(str(i) for i in ids)
    paid = db.query("SELECT status IN ('SOLDOUT', 'COMPLETE') paid, paid_minor, invoice_series_id, COUNT(*) n"
                    " FROM {shop}bill WHERE id IN (%s) GROUP BY 1, paid_minor, invoice_series_id, invoice_number IS NULL"
                    % marks)
    assert [(p["paid"], p["paid_minor"], p["invoice_series_id"], p["n"]) for p in paid] == [(1, AMOUNT, 1, BILLS)]
    assert db.scalar("SELECT COUNT(*) FROM {shop}payment_event WHERE bill_id IN (%s) AND result = 'applied'" % marks) == BILLS
    assert db.scalar("SELECT COUNT(*) FROM {shop}payment_event WHERE bill_id IN (%s)" % marks) == BILLS
    inv = db.query("SELECT i.number, i.bill_id, b.invoice_number FROM {shop}invoice i JOIN {shop}bill b ON b.id = i.bill_id"
                   " WHERE i.bill_id IN (%s) AND i.kind = 'invoice'" % marks)
    assert len(inv) == BILLS and all(r["number"] == r["invoice_number"] for r in inv)
    assert len({r["bill_id"] for r in inv}) == BILLS
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_state_log WHERE bill_id IN (%s) AND to_status = 'SOLDOUT'"
                     % marks) == BILLS
    # production never ran twice for a line, whatever was killed
    # production a kill interrupted is finished by cron; no line was ever produced twice
    for _ in range(10):
        if not db.scalar("SELECT COUNT(*) FROM {shop}bill WHERE id IN (%s) AND status = 'SOLDOUT'" % marks):
            break
        shopctl("cron")
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill WHERE id IN (%s) AND status = 'COMPLETE'" % marks) == BILLS
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill_line WHERE bill_id IN (%s) AND produced = 1" % marks) == BILLS
    assert db.scalar("SELECT COUNT(*) FROM {shop}product_instance i JOIN {shop}bill_line l ON l.id = i.initial_line_id"
                     " WHERE l.bill_id IN (%s)" % marks) == BILLS

    # the series F of the year: exactly 1..N, no gap, no duplicate, counter N + 1
    numbers = [r["number"] for r in db.query("SELECT number FROM {shop}invoice WHERE series_id = 1 AND year = %s", YEAR)]
    assert all(re.match(r"^F%d-\d{6}$" % YEAR, n) for n in numbers)
    values = sorted(int(n.split("-")[1]) for n in numbers)
    n = len(values)
    assert values == list(range(1, n + 1))
    counter = db.scalar("SELECT next_value FROM {shop}invoice_counter WHERE series_id = 1 AND year = %s", YEAR)
    assert counter == n + 1
    # this run's bills took exactly the BILLS numbers after those issued before it
    ours = sorted(int(r["number"].split("-")[1]) for r in inv)
    assert ours == list(range(f_before, f_before + BILLS))
    # every paid bill of the series has its invoice: N = number of invoiced (paid) bills
    assert db.scalar("SELECT COUNT(*) FROM {shop}bill WHERE invoice_series_id = 1 AND invoice_number LIKE %s",
                     "F%d-%%" % YEAR) == n
