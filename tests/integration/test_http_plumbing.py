"""Request plumbing through a real httpd: routes, status codes, headers, bodies, CSRF, health and metrics."""
import json
import re

import pytest

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options")


def assert_secure_headers(r):
    for h in SECURITY_HEADERS:
        assert h in r.headers, (h, r.status_code, r.url)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in r.headers["Content-Security-Policy"]


def csrf(http):
    r = http.get("/api/v1/session")
    assert r.status_code == 200
    return r.json()["csrf_token"]


def test_health_reports_every_part(http):
    r = http.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["db"] == "ok" and body["memcache"] == "ok"
    assert isinstance(body["schema"], int) and body["schema"] >= 5
    assert re.match(r"^\d+\.\d+\.\d+", body["version"])
    assert r.headers["Content-Type"].startswith("application/json")
    assert_secure_headers(r)


def test_metrics_is_prometheus_text(http):
    http.get("/health")
    r = http.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE shop_requests_total counter" in r.text
    m = re.search(r'^shop_requests_total\{class="2xx"\} (\d+)$', r.text, re.M)
    assert m and int(m.group(1)) >= 1


def test_security_headers_on_every_kind_of_answer(http):
    for method, path in (("GET", "/"), ("GET", "/nowhere"), ("POST", "/health"), ("GET", "/api/v1/nothing"),
                         ("GET", "/assets/shop.css")):
        r = http.request(method, path)
        assert_secure_headers(r)


def test_unknown_path_is_404_html_and_api_json(http):
    r = http.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<html" in r.text
    r = http.get("/api/v1/nothing")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "not_found" and err["message"]


def test_wrong_method_is_405_with_allow(http):
    r = http.post("/health")
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]
    r = http.get("/logout")            # a state change via GET
    assert r.status_code == 405
    assert "POST" in r.headers["Allow"]
    r = http.head("/health")
    assert r.status_code == 200 and r.content == b""


def test_wrong_content_type_is_415(http):
    token = csrf(http)
    r = http.put("/api/v1/session/language", data="lang=fr", headers={
        "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert r.json()["error"]["code"] == "unsupported_media_type"


def test_oversized_body_is_413(http):
    token = csrf(http)
    big = json.dumps({"lang": "fr", "pad": "x" * 5000})
    r = http.put("/api/v1/session/language", data=big, headers={
        "X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    # a form over the 64 KiB cap, sent chunked so no Content-Length announces it
    def chunks():
        for _ in range(80):
            yield b"a=" + b"x" * 1022 + b"&"
    r = http.post("/language", data=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


@pytest.mark.parametrize("body", ["{", "[1,2]", '{"lang": "fr"} trailing', '{"a":' * 100 + "1" + "}" * 100,
                                  b'{"lang": "\xff\xfe"}'])
def test_malformed_json_is_400(http, body):
    token = csrf(http)
    r = http.put("/api/v1/session/language", data=body, headers={
        "X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_request"


def test_field_errors_name_the_field(http):
    token = csrf(http)
    r = http.put("/api/v1/session/language", json={"lang": "xx"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_parameters"
    assert "lang" in err["fields"]


def test_state_change_without_or_with_wrong_csrf_is_403(http, db):
    csrf(http)
    r = http.put("/api/v1/session/language", json={"lang": "fr"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = http.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": "A" * 43})
    assert r.status_code == 403
    r = http.post("/logout", data={"csrf_token": "forged"})
    assert r.status_code == 403
    # the token of another session does not work here either
    other = type(http)(http.base)
    theirs = csrf(other)
    r = http.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": theirs})
    assert r.status_code == 403


def test_language_change_with_csrf_is_kept_and_applied(http):
    token = csrf(http)
    r = http.put("/api/v1/session/language", json={"lang": "fr"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["lang"] == "fr"
    r = http.get("/no/such/page")
    assert r.status_code == 404 and 'lang="fr"' in r.text
    # the HTML form does the same and redirects to a local page only
    r = http.post("/language", data={"csrf_token": token, "lang": "en", "back": "/"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/shop/")
    r = http.post("/language", data={"csrf_token": token, "lang": "en", "back": "//evil.example/"})
    assert r.status_code == 400


def test_accept_language_picks_french(new_session):
    s = new_session()
    r = s.get("/no/such/page", headers={"Accept-Language": "de-DE;q=1, fr-FR;q=0.8, en;q=0.5"})
    assert 'lang="fr"' in r.text
    r = s.get("/api/v1/nothing", headers={"Accept-Language": "en-GB"})
    assert r.json()["error"]["message"]


def test_query_parameters_are_typed(http):
    r = http.get("/?shop=abc")
    assert r.status_code == 400
    r = http.get("/?shop=1&utm_source=ignored")
    assert r.status_code == 200
    r = http.get("/?shop=999999")
    assert r.status_code == 404


def test_assets_have_etag_and_cache(http):
    r = http.get("/assets/shop.css")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
    etag = r.headers["ETag"]
    assert "max-age" in r.headers["Cache-Control"]
    r = http.get("/assets/shop.css", headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert http.get("/assets/../secret").status_code == 404
