"""Shop sessions (memcached + database write-through) and Moodle identity, with real Moodle tables."""
import re
import secrets
import time

import pytest
import requests

COOKIE = "ShopSession"


def session_cookie_header(r):
    for h in r.raw.headers.getlist("Set-Cookie"):
        if h.startswith(COOKIE + "="):
            return h
    return None


def start_session(http, lang="fr"):
    token = http.get("/api/v1/session").json()["csrf_token"]
    r = http.put("/api/v1/session/language", json={"lang": lang}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    return http.cookies[COOKIE]


def moodle_login(db, userid, sid=None, age=0):
    sid = sid or secrets.token_hex(13)
    now = int(time.time())
    db.execute("INSERT INTO {mdl}sessions (state, sid, userid, sessdata, timecreated, timemodified, firstip, lastip)"
               " VALUES (0, %s, %s, NULL, %s, %s, '127.0.0.1', '127.0.0.1')", sid, userid, now - age, now - age)
    return sid


def test_cookie_attributes(http):
    r = http.get("/api/v1/session")
    h = session_cookie_header(r)
    assert h, r.headers
    value = h.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{64}\.[A-Za-z0-9_-]{43}", value)
    attrs = [a.strip().lower() for a in h.split(";")[1:]]
    assert "httponly" in attrs and "samesite=lax" in attrs
    assert "secure" not in attrs          # plain http on loopback
    assert "path=/shop" in attrs


def test_session_kept_in_database_and_survives_memcached_restart(stack, http, db):
    cookie = start_session(http, "fr")
    sid = cookie.split(".")[0]
    row = db.one("SELECT data, userid FROM {shop}session WHERE id = %s", sid)
    assert row and '"lang":"fr"' in row["data"].replace(" ", "")
    stack.ctl("restart", "memcache")
    r = http.get("/api/v1/session")
    assert r.status_code == 200 and r.json()["lang"] == "fr"
    assert session_cookie_header(r) is None     # same session, no new cookie


def test_forged_or_unknown_cookie_gets_fresh_anonymous_session(new_session):
    for forged in ("0" * 64 + "." + "A" * 43, "garbage", "", "a" * 5000, secrets.token_hex(32) + ".xyz"):
        s = new_session()
        s.cookies.set(COOKIE, forged, path="/shop")
        r = s.get("/api/v1/session")
        assert r.status_code == 200
        assert r.json()["user"] is None
        h = session_cookie_header(r)
        assert h and (not forged or forged not in h)


def test_moodle_session_identifies_user_and_rotates_shop_session(http, db):
    cookie_before = start_session(http)
    sid = moodle_login(db, 4)
    http.cookies.set("MoodleSession", sid, path="/")
    r = http.get("/api/v1/session")
    user = r.json()["user"]
    assert user["id"] == 4 and user["fullname"] == "Bob Smith" and user["role"] == "customer"
    assert http.cookies[COOKIE] != cookie_before       # rotated on identity change
    # the data followed the shopper through the rotation
    assert r.json()["lang"] == "fr"


@pytest.mark.parametrize("userid,age,why", [
    (4, 8 * 3600 + 60, "timed out"),
    (8, 0, "suspended"),
    (9, 0, "deleted"),
    (1, 0, "guest"),
])
def test_moodle_session_refused(new_session, db, userid, age, why):
    s = new_session()
    s.cookies.set("MoodleSession", moodle_login(db, userid, age=age), path="/")
    r = s.get("/api/v1/session")
    assert r.status_code == 200 and r.json()["user"] is None, why


def test_moodle_logout_ends_shop_identity(http, db):
    sid = moodle_login(db, 6)
    http.cookies.set("MoodleSession", sid, path="/")
    assert http.get("/api/v1/session").json()["user"]["id"] == 6
    db.execute("DELETE FROM {mdl}sessions WHERE sid = %s", sid)
    assert http.get("/api/v1/session").json()["user"] is None


def test_roles_admin_staff_customer_anonymous(new_session, db):
    expected = {2: ("admin", 200), 7: ("staff", 200), 4: ("customer", 403)}
    for userid, (role, status) in expected.items():
        s = new_session()
        s.cookies.set("MoodleSession", moodle_login(db, userid), path="/")
        assert s.get("/api/v1/session").json()["user"]["role"] == role
        assert s.get("/admin/").status_code == status
    anon = new_session()
    assert anon.get("/admin/").status_code == 401


def test_ticket_login_once(shopctl, new_session, stack):
    url = shopctl("ticket", "3", "--url", "/admin/").stdout.strip()
    assert url.startswith(stack["SHOP_URL"] + "/login?ticket=")
    s = new_session()
    before = s.get("/api/v1/session")
    r = s.get(url, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == stack["SHOP_URL"] + "/admin/", r.text[-600:]
    assert s.get("/api/v1/session").json()["user"]["id"] == 3
    assert s.cookies[COOKIE] != before.cookies.get(COOKIE)
    # single use
    again = new_session().get(url, allow_redirects=False)
    assert again.status_code == 403


def test_tampered_and_expired_tickets_refused(shopctl, new_session):
    url = shopctl("ticket", "3").stdout.strip()
    base, token = url.split("ticket=")
    payload, mac = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    for bad in (flipped + "." + mac, payload + "." + mac[::-1], "x", payload):
        r = new_session().get(base + "ticket=" + bad)
        assert r.status_code in (400, 403), bad
    short = shopctl("ticket", "3", "--ttl", "1").stdout.strip()
    time.sleep(2.1)
    r = new_session().get(short)
    assert r.status_code == 403


def test_ticket_for_unusable_account_refused(shopctl, new_session):
    for userid in ("8", "9", "999"):
        r = new_session().get(shopctl("ticket", userid).stdout.strip())
        assert r.status_code == 403


def test_logout_needs_post_and_csrf(shopctl, new_session):
    s = new_session()
    s.get(shopctl("ticket", "5").stdout.strip())
    token = s.get("/api/v1/session").json()["csrf_token"]
    assert s.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    r = s.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    assert s.get("/api/v1/session").json()["user"] is None
