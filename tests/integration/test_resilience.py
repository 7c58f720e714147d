"""The module keeps serving through a MariaDB restart, and refuses to serve on a schema that is behind."""
import secrets
import threading
import time

import requests


def moodle_cookie(db, userid):
    sid = secrets.token_hex(13)
    now = int(time.time())
    db.execute("INSERT INTO {mdl}sessions (state, sid, userid, timecreated, timemodified) VALUES (0, %s, %s, %s, %s)",
               sid, userid, now, now)
    return sid


def test_mariadb_restart_under_load(stack, db, expect_log):
    """Prepared statements die with the server (MySQL 2030/2006/2013); the module re-prepares and retries."""
    # While MariaDB is down, mod_dbd and the shop say so; that is expected here.
    expect_log(r"AH0062\d|AH0063\d|AH0265\d|AH00\d+: DBD|SHOP0202|SHOP0203|SHOP0401|mod_dbd|dbd_")
    sid = moodle_cookie(db, 4)
    url = stack["SHOP_URL"] + "/api/v1/session"
    results = []            # (time, ok)
    stop = threading.Event()

    def hammer():
        s = requests.Session()
        s.cookies.set("MoodleSession", sid, path="/")
        while not stop.is_set():
            try:
                r = s.get(url, timeout=10)
                ok = r.status_code == 200 and (r.json().get("user") or {}).get("id") == 4
            except requests.RequestException:
                ok = False
            results.append((time.monotonic(), ok))

    workers = [threading.Thread(target=hammer) for _ in range(4)]
    for w in workers:
        w.start()
    time.sleep(1.0)
    before = sum(1 for _, ok in results if ok)
    assert before > 10, "no load before the restart"
    stack.ctl("restart", "db")
    back = time.monotonic()
    time.sleep(8.0)
    stop.set()
    for w in workers:
        w.join()

    after = [ok for t, ok in results if t > back + 5.0]
    assert len(after) > 20, "too few requests measured after the restart"
    assert all(after), "%d of %d requests failed more than 5 s after MariaDB came back" % (
        after.count(False), len(after))


def reconnect_count(stack):
    metrics = requests.get(stack["SHOP_URL"] + "/metrics", timeout=10).text
    line = [l for l in metrics.splitlines() if l.startswith("shop_db_reconnects_total ")]
    return int(line[0].split()[1])


def test_killed_connections_lose_statements_and_recover(stack, db):
    """Killing the pooled connections server-side makes the client reconnect without its prepared
    statements (error 2030 or 2006/2013): every request must still succeed, by re-preparing and retrying."""
    sid = moodle_cookie(db, 4)
    s = requests.Session()
    s.cookies.set("MoodleSession", sid, path="/")
    for _ in range(20):          # warm every pooled connection of both children
        assert s.get(stack["SHOP_URL"] + "/api/v1/session", timeout=10).status_code == 200
    before = reconnect_count(stack)
    root = db.as_root()
    ids = [r["ID"] for r in root.query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = %s",
                                       stack["SHOP_DB_USER"])]
    assert ids, "no pooled connection to kill"
    for i in ids:
        try:
            root.execute("KILL CONNECTION %s" % int(i))
        except Exception:
            pass                # it may have closed by itself meanwhile
    for _ in range(40):
        r = s.get(stack["SHOP_URL"] + "/api/v1/session", timeout=10)
        assert r.status_code == 200 and r.json()["user"]["id"] == 4
    assert reconnect_count(stack) > before


def test_schema_behind_answers_503_and_names_the_fix(stack, db, expect_log):
    expect_log(r"SHOP0101")
    root = db.as_root()
    row = root.one("SELECT * FROM {shop}schema_version ORDER BY version DESC LIMIT 1")
    root.execute("DELETE FROM {shop}schema_version WHERE version = %s", row["version"])
    try:
        stack.ctl("restart", "httpd")       # a fresh child has to look at the schema again
        r = requests.get(stack["SHOP_URL"] + "/", timeout=10)
        assert r.status_code == 503
        h = requests.get(stack["SHOP_URL"] + "/health", timeout=10)
        assert h.status_code == 503 and h.json()["schema"] == row["version"] - 1
        with open(stack["SHOP_ERROR_LOG"], errors="replace") as f:
            assert "shopctl schema upgrade" in f.read()
    finally:
        root.execute("INSERT INTO {shop}schema_version (version, name, applied_at) VALUES (%s, %s, %s)",
                     row["version"], row["name"], row["applied_at"])
    # each child looks again within SHOP_SCHEMA_RECHECK (2 s): then every answer is 200
    deadline = time.monotonic() + 10
    streak = 0
    while time.monotonic() < deadline and streak < 8:
        streak = streak + 1 if requests.get(stack["SHOP_URL"] + "/", timeout=10).status_code == 200 else 0
        time.sleep(0.25)
    assert streak >= 8, "the shop did not come back within 10 s of the schema being restored"


def test_shopctl_schema_status_and_idempotent_install(shopctl):
    st = shopctl("schema", "status").stdout
    assert "up to date" in st
    out = shopctl("schema", "install").stdout
    assert "0 migrations applied" in out
    assert shopctl("seed", "demo").returncode == 0
    bad = shopctl("schema", "sideways", check=False)
    assert bad.returncode == 2 and bad.stderr.startswith("shopctl: ")
    nodb = shopctl("--dsn", "host=127.0.0.1,port=1,user=x,pass=y,dbname=z", "schema", "status", check=False)
    assert nodb.returncode == 1 and "cannot connect" in nodb.stderr
