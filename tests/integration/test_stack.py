"""The private stack itself: every part up, the static reference file served, the SMTP sink writing mails."""
import os
import smtplib
import subprocess

import requests

CONTRACT_ENV = ["SHOP_URL", "SHOP_DB_SOCKET", "SHOP_DB_NAME", "SHOP_DB_USER", "SHOP_DB_PASS", "SHOP_DB_PORT",
                "SHOP_MEMCACHE", "SHOP_HTTPD_CONF", "SHOP_ERROR_LOG", "SHOP_SMTP_SINK", "SHOP_DOCROOT",
                "SHOP_STATIC_URL", "SHOP_DSN"]


def test_static_file_served_and_all_parts_up(stack):
    r = requests.get(stack["SHOP_STATIC_URL"] + "/static10k.txt", timeout=10)
    assert r.status_code == 200
    assert len(r.content) == 10240
    with open(os.path.join(stack["SHOP_DOCROOT"], "static10k.txt"), "rb") as f:
        assert r.content == f.read()

    st = stack.ctl("status", check=False)
    assert st.returncode == 0, st.stdout
    lines = st.stdout.splitlines()
    for part in ("mariadb", "memcached", "smtp_sink", "httpd"):
        assert any(l.split()[:2] == [part, "up"] for l in lines), st.stdout


def test_env_has_contract_names(stack):
    missing = [n for n in CONTRACT_ENV if not stack.get(n)]
    assert not missing
    assert stack["SHOP_URL"].endswith("/shop") and not stack["SHOP_URL"].endswith("/")
    assert stack["SHOP_DSN"] == "host=127.0.0.1,port=%s,user=%s,pass=%s,dbname=%s" % (
        stack["SHOP_DB_PORT"], stack["SHOP_DB_USER"], stack["SHOP_DB_PASS"], stack["SHOP_DB_NAME"])
    host, port = stack["SHOP_MEMCACHE"].split(":")
    assert host == "127.0.0.1" and int(port) > 0


def test_database_is_utf8mb4_and_reachable_as_shop_user(db):
    row = db.one("SELECT @@character_set_server AS cs, @@collation_server AS co, CURRENT_USER() AS u")
    assert row["cs"] == "utf8mb4" and row["co"] == "utf8mb4_unicode_ci"
    assert row["u"].startswith("moodle@")
    assert db.scalar("SELECT %s", "Théière — €") == "Théière — €"


def test_memcached_answers(stack):
    out = subprocess.run(["memcstat", "--servers=" + stack["SHOP_MEMCACHE"]], text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
    assert out.returncode == 0 and "pid" in out.stdout, out.stdout


def test_smtp_sink_stores_mail(stack, mails):
    mails.clear()
    body = "Facture n° 2026-0001 — Total 1 234,56 €\r\n"
    msg = ("From: shop@example.org\r\nTo: buyer@example.org\r\nSubject: test\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
    with smtplib.SMTP("127.0.0.1", int(stack["SHOP_SMTP_PORT"]), timeout=10) as s:
        s.sendmail("shop@example.org", ["buyer@example.org"], msg.encode("utf-8"))
    got = mails()
    assert len(got) == 1
    m = got[0]
    assert m["X-Sink-Rcpt-To"] == "buyer@example.org"
    assert m.get_content() == body.replace("\r\n", "\n")


def test_error_log_clean_at_start(stack):
    """Start-up itself (config, module init, DB pool) logged nothing at warn or above.
    (Later lines belong to the tests that caused them: the per-test check covers those.)"""
    from conftest import BAD_LEVEL
    with open(stack["SHOP_ERROR_LOG"], "rb") as f:
        head = f.read(int(stack["START_LOG_SIZE"])).decode("utf-8", "replace")
    bad = [l for l in head.splitlines() if BAD_LEVEL.match(l)]
    assert not bad, "\n".join(bad[:20])
