"""Integration fixtures: a real httpd + mod_shop, MariaDB, memcached and SMTP sink on loopback.

The stack runs from REPO/.run/test (SHOP_TEST_RUN_DIR overrides), fresh for each pytest session: any
previous one is stopped and deleted first, and it is stopped (run dir kept for post-mortem) at the end.
SHOP_BUILD (default build) picks the build (build-san: ASan/UBSan preloaded into httpd).
SHOP_TEST_REUSE=1 keeps an already running test stack and leaves it running (quick local iterations).
SHOP_PORT is ignored (it is the demo's); SHOP_TEST_PORT forces the test httpd's port.

Fixtures
  stack            dict of `conf/stack.sh env` (SHOP_URL, SHOP_DSN, SHOP_ERROR_LOG, ...), plus stack.ctl(*args)
  new_session      factory: new_session() -> requests.Session whose relative URLs ("/health") go to SHOP_URL
  http             one such session per test
  db               MariaDB helper (pymysql, autocommit, reconnects after a DB restart):
                   db.query(sql, *args) -> list of dicts, db.one(...), db.scalar(...), db.execute(...) -> rowcount;
                   "{mdl}" and "{shop}" in SQL become the table prefixes; args use %s placeholders
  shopctl          shopctl(*args, input=None, check=True) -> CompletedProcess (text), run with the stack env
  mails            mails() -> list of email.message.Message received by the SMTP sink so far (sorted by name);
                   mails.clear() empties the sink
  expect_log       expect_log(regex): lines of the error_log matching regex do not fail this test
  moodle_login     moodle_login(session, userid) -> sid: a live Moodle session of that user (mdl_sessions row,
                   MoodleSession cookie on `session`)
  bump_catalogues  bump_catalogues(): every catalogue's version moves, in the database and in memcached, as the
                   back office does after an edit; SQL edits of products, zones or discount rules need it

Plain helpers (from conftest import ...)
  token(s)         the session's CSRF token (GET /api/v1/session)
  api(s, method, path, body=None, tok=None, **kw)
                   a JSON request with the X-CSRF-Token header (tok, else a fresh token(s))
  sign(stack, transid, expires)
                   the signed "expires.mac" of a bill's public download link
  memcache_delete(stack, key)
                   deletes one memcached key (what an edit does to a catalogue's version key)
  field_errors(text)
                   {field: message} of the field errors shown in a page
  customer_body(n=None, country="FR", zip_="75002")
                   a PUT /api/v1/checkout/customer body: a new buyer (email jeanne.<n>@example.org), no invoicing

Every test fails if, while it ran, the error_log got a line at level warn, error, crit, alert or emerg
that it did not expect, or a new ASan/UBSan report appeared in RUN/logs.
"""
import base64
import email
import email.policy
import glob
import hashlib
import hmac
import html
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import time
import urllib.parse

import pymysql
import pymysql.cursors
import pytest
import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STACK_SH = os.path.join(REPO, "conf", "stack.sh")
RUN_DIR = os.environ.get("SHOP_TEST_RUN_DIR") or os.path.join(REPO, ".run", "test")

BAD_LEVEL = re.compile(r"^\[[^\]]*\] \[[^\]:]*:(warn|error|crit|alert|emerg)\] ")

_stack = None  # the running stack's env, once the `stack` fixture is up


class Stack(dict):
    """The env of the running stack; ctl() runs conf/stack.sh on it (e.g. stack.ctl("restart", "db"))."""

    def env(self):
        e = _stack_env(self["SHOP_RUN_DIR"])
        e.update((k, v) for k, v in self.items() if k.startswith("SHOP_"))
        return e

    def ctl(self, *args, check=True):
        return subprocess.run([STACK_SH, *args], env=self.env(), check=check, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)


def _stack_env(run_dir):
    env = dict(os.environ, SHOP_RUN_DIR=run_dir)
    # a SHOP_PORT meant for the demo stack must not pull the test stack onto the same port
    env.pop("SHOP_PORT", None)
    if os.environ.get("SHOP_TEST_PORT"):
        env["SHOP_PORT"] = os.environ["SHOP_TEST_PORT"]
    return env


def _read_env(run_dir):
    out = subprocess.run([STACK_SH, "env"], env=_stack_env(run_dir), check=True, text=True,
                         stdout=subprocess.PIPE, timeout=60).stdout
    vals = {}
    for line in out.splitlines():
        if not line.startswith("export "):
            continue
        name, _, value = line[len("export "):].partition("=")
        vals[name] = shlex.split(value)[0] if value else ""
    return vals


@pytest.fixture(scope="session")
def stack():
    global _stack
    reuse = os.environ.get("SHOP_TEST_REUSE") == "1"
    env = _stack_env(RUN_DIR)
    if not reuse:
        if os.path.isdir(RUN_DIR):
            subprocess.run([STACK_SH, "stop"], env=env, timeout=300,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.rmtree(RUN_DIR)
    t0 = time.monotonic()
    r = subprocess.run([STACK_SH, "start"], env=env, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    if r.returncode != 0:
        pytest.exit("conf/stack.sh start failed (exit %d):\n%s" % (r.returncode, r.stdout), returncode=3)
    s = Stack(_read_env(RUN_DIR))
    s["START_SECONDS"] = "%.2f" % (time.monotonic() - t0)
    s["START_OUTPUT"] = r.stdout
    try:
        s["START_LOG_SIZE"] = str(os.path.getsize(s["SHOP_ERROR_LOG"]))
    except OSError:
        s["START_LOG_SIZE"] = "0"
    _stack = s
    try:
        yield s
    finally:
        _stack = None
        if not reuse:
            subprocess.run([STACK_SH, "stop"], env=env, timeout=300,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class ShopSession(requests.Session):
    """requests.Session with a base URL: relative URLs are resolved against SHOP_URL + "/"."""

    def __init__(self, base):
        super().__init__()
        self.base = base.rstrip("/") + "/"

    def request(self, method, url, *args, **kwargs):
        if not re.match(r"^[a-z]+://", url):
            url = urllib.parse.urljoin(self.base, url.lstrip("/"))
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)


def token(s):
    return s.get("/api/v1/session").json()["csrf_token"]


def api(s, method, path, body=None, tok=None, **kw):
    return s.request(method, path, json=body, headers={"X-CSRF-Token": tok or token(s)}, **kw)


def sign(stack, transid, expires):
    key = open(stack["SHOP_SECRET_FILE"], "rb").read().rstrip(b"\r\n")
    mac = hmac.new(key, ("shop-bill-v1|%s|%d" % (transid, expires)).encode(), hashlib.sha256).digest()
    return "%d.%s" % (expires, base64.urlsafe_b64encode(mac).rstrip(b"=").decode())


def memcache_delete(stack, key):
    host, port = stack["SHOP_MEMCACHE"].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"delete %s\r\n" % key.encode())
        sock.recv(100)


def field_errors(text):
    """{field: message} of the field errors shown in a page."""
    return {m.group(1): html.unescape(m.group(2))
            for m in re.finditer(r'<p class="field-error" id="([a-z_A-Z]+)-error">([^<]*)</p>', text)}


def customer_body(n=None, country="FR", zip_="75002"):
    n = n or secrets.token_hex(4)
    return {"customer": {"firstname": "Jeanne", "lastname": "Martin", "email": "jeanne.%s@example.org" % n,
                         "organisation": "Atelier Martin", "address": "1 rue de la Paix", "zip": zip_,
                         "city": "Paris", "country": country}, "invoicing": None}


@pytest.fixture(scope="session")
def new_session(stack):
    made = []

    def factory(base=None):
        s = ShopSession(base or stack["SHOP_URL"])
        made.append(s)
        return s

    yield factory
    for s in made:
        s.close()


@pytest.fixture
def http(new_session):
    return new_session()


class DB:
    """Small pymysql helper on the stack's database, as the shop's DB user (or root over the socket)."""

    def __init__(self, st, root=False):
        self.st = st
        self.root = root
        self.conn = None

    def _connect(self):
        st = self.st
        if self.root:
            args = dict(unix_socket=st["SHOP_DB_SOCKET"], user="root", password="")
        else:
            args = dict(host="127.0.0.1", port=int(st["SHOP_DB_PORT"]), user=st["SHOP_DB_USER"],
                        password=st["SHOP_DB_PASS"])
        return pymysql.connect(database=st["SHOP_DB_NAME"], charset="utf8mb4", autocommit=True,
                               cursorclass=pymysql.cursors.DictCursor, connect_timeout=10, **args)

    def _cursor(self):
        if self.conn is None:
            self.conn = self._connect()
        else:
            try:
                self.conn.ping(reconnect=True)
            except pymysql.err.Error:
                self.conn = self._connect()
        return self.conn.cursor()

    @staticmethod
    def sql(text):
        return text.replace("{mdl}", "mdl_").replace("{shop}", "shop_")

    def query(self, sql, *args):
        with self._cursor() as c:
            c.execute(self.sql(sql), args or None)
            return list(c.fetchall())

    def one(self, sql, *args):
        rows = self.query(sql, *args)
        assert len(rows) <= 1, "expected at most one row, got %d: %s" % (len(rows), sql)
        return rows[0] if rows else None

    def scalar(self, sql, *args):
        row = self.one(sql, *args)
        return None if row is None else next(iter(row.values()))

    def execute(self, sql, *args):
        with self._cursor() as c:
            return c.execute(self.sql(sql), args or None)

    def as_root(self):
        return DB(self.st, root=True)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@pytest.fixture(scope="session")
def db(stack):
    d = DB(stack)
    yield d
    d.close()


@pytest.fixture(scope="session")
def shopctl(stack):
    def run(*args, input=None, check=True, timeout=300):
        exe = os.path.join(stack["SHOP_BUILD"], "shopctl")
        r = subprocess.run([exe, *[str(a) for a in args]], env=stack.env(), input=input, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError("shopctl %s: exit %d\nstdout: %s\nstderr: %s"
                                 % (" ".join(map(str, args)), r.returncode, r.stdout, r.stderr))
        return r
    return run


@pytest.fixture(scope="session")
def moodle_login(db):
    def login(session, userid):
        sid = secrets.token_hex(13)
        now = int(time.time())
        db.execute("INSERT INTO {mdl}sessions (state, sid, userid, sessdata, timecreated, timemodified, firstip,"
                   " lastip) VALUES (0, %s, %s, NULL, %s, %s, '127.0.0.1', '127.0.0.1')", sid, userid, now, now)
        session.cookies.set("MoodleSession", sid, path="/")
        return sid
    return login


@pytest.fixture
def staff(new_session, moodle_login):
    """A session of sam.sales (user 7, the sales role) with its CSRF token in .tok (some test files keep
    their own `staff`, logged in by ticket)."""
    s = new_session()
    moodle_login(s, 7)
    s.tok = s.get("/api/v1/session").json()["csrf_token"]
    return s


@pytest.fixture(scope="session")
def bump_catalogues(stack, db):
    def bump():
        db.execute("UPDATE {shop}catalogue SET cache_version = cache_version + 1")
        host, port = stack["SHOP_MEMCACHE"].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as c:
            for row in db.query("SELECT id FROM {shop}catalogue"):
                c.sendall(b"delete shop_catver:%d\r\n" % row["id"])
                c.recv(100)
    return bump


@pytest.fixture
def mails(stack):
    folder = stack["SHOP_SMTP_SINK"]

    def read():
        out = []
        for path in sorted(glob.glob(os.path.join(folder, "*.eml"))):
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            msg["X-Sink-File"] = os.path.basename(path)
            out.append(msg)
        return out

    def clear():
        for path in glob.glob(os.path.join(folder, "*.eml")):
            os.unlink(path)

    read.clear = clear
    return read


@pytest.fixture
def expect_log(request):
    allowed = request.node.__dict__.setdefault("_shop_expected_log", [])

    def add(regex):
        allowed.append(re.compile(regex))
    return add


def _sanitizer_reports(st):
    logs = st["SHOP_LOG_DIR"]
    return set(glob.glob(os.path.join(logs, "asan*")) + glob.glob(os.path.join(logs, "ubsan*"))
               + glob.glob(os.path.join(logs, "san", "asan*")) + glob.glob(os.path.join(logs, "san", "ubsan*")))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    st = _stack
    if st is None:
        yield
        return
    log = st["SHOP_ERROR_LOG"]
    try:
        start = os.path.getsize(log)
    except OSError:
        start = 0
    reports = _sanitizer_reports(st)
    outcome = yield
    if outcome.excinfo is not None:
        return  # the test already failed: its own reason comes first
    time.sleep(0.03)  # lines logged just after the last response went out
    try:
        with open(log, "rb") as f:
            f.seek(start)
            new = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        new = []
    allowed = item.__dict__.get("_shop_expected_log", [])
    bad = [l for l in new if BAD_LEVEL.match(l) and not any(rx.search(l) for rx in allowed)]
    fresh = sorted(_sanitizer_reports(st) - reports)
    msgs = []
    if bad:
        msgs.append("unexpected error_log lines (%s):\n  %s" % (log, "\n  ".join(bad[:30])))
    for path in fresh[:3]:
        with open(path, errors="replace") as f:
            msgs.append("sanitizer report %s:\n%s" % (path, f.read()[:4000]))
    if msgs:
        pytest.fail("\n".join(msgs), pytrace=False)


_exitstatus = 0


def pytest_sessionfinish(session, exitstatus):
    global _exitstatus
    _exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """A test that left non-daemon threads running (e.g. a load generator whose assertion failed before it
    stopped them) would keep the interpreter alive forever once the report is written: name them and exit."""
    import sys
    import threading
    left = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if left:
        sys.stderr.write("conftest: %d non-daemon thread(s) still running after the session (%s): exiting anyway\n"
                         % (len(left), ", ".join(t.name for t in left[:5])))
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exitstatus or 1)
