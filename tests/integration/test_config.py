"""Configuration checks at start: a bad value stops httpd with a message naming the directive and the value."""
import os
import re
import shutil
import socket
import subprocess

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def variant(stack, tmp_path, replace):
    """A copy of the stack's httpd.conf on its own port, pid file and error log, with edits applied."""
    conf = open(stack["SHOP_HTTPD_CONF"]).read()
    conf = re.sub(r"^Listen .*$", "Listen 127.0.0.1:%d" % free_port(), conf, flags=re.M)
    conf = re.sub(r"^PidFile .*$", "PidFile %s/httpd.pid" % tmp_path, conf, flags=re.M)
    conf = re.sub(r"^ErrorLog .*$", "ErrorLog %s/error.log" % tmp_path, conf, flags=re.M)
    conf = re.sub(r"^Mutex .*$", "Mutex file:%s default" % tmp_path, conf, flags=re.M)
    conf = re.sub(r"^DefaultRuntimeDir .*$", "DefaultRuntimeDir %s" % tmp_path, conf, flags=re.M)
    for old, new in replace:
        assert re.search(old, conf, flags=re.M), old
        conf = re.sub(old, new, conf, flags=re.M)
    path = tmp_path / "httpd.conf"
    path.write_text(conf)
    os.chmod(tmp_path, 0o777)
    return str(path)


def httpd_env(stack):
    """The environment stack.sh gives httpd: the ASan runtime preloaded for a build-san module."""
    env = dict(os.environ)
    if stack.get("SHOP_BUILD", "").rstrip("/").endswith("build-san"):
        asan = subprocess.run(["gcc", "-print-file-name=libasan.so"], text=True, stdout=subprocess.PIPE).stdout.strip()
        env.update(LD_PRELOAD=asan, ASAN_OPTIONS="detect_leaks=0:log_path=%s/asan" % stack["SHOP_LOG_DIR"],
                   UBSAN_OPTIONS="print_stacktrace=1:log_path=%s/ubsan" % stack["SHOP_LOG_DIR"])
    return env


def apache2(stack, *args):
    return subprocess.run(["apache2", *args], env=httpd_env(stack), text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)


def config_test(stack, path):
    return apache2(stack, "-t", "-f", path)


@pytest.mark.parametrize("old,new,expect", [
    (r"^ShopTestMode .*$", "ShopTestMode Maybe", "ShopTestMode"),
    (r"^ShopMemcache .*$", "ShopMemcache 127.0.0.1:notaport", "ShopMemcache: invalid value '127.0.0.1:notaport'"),
    (r"^ShopPublicURL .*$", "ShopPublicURL ftp://example.org/shop", "ShopPublicURL: invalid value 'ftp://example.org/shop'"),
    (r"^ShopTablePrefix .*$", "ShopTablePrefix Shop-", "ShopTablePrefix: invalid value 'Shop-'"),
    (r"^ShopSecretFile .*$", "ShopSecretFile /nonexistent/secret", "ShopSecretFile: invalid value '/nonexistent/secret'"),
    (r"^ShopTemplateDir .*$", "ShopTemplateDir /nonexistent", "ShopTemplateDir: invalid value '/nonexistent'"),
    (r"^ShopSMTP .*$", "ShopSMTP http://127.0.0.1:25", "ShopSMTP: invalid value 'http://127.0.0.1:25'"),
    (r"^ShopSalesRole .*$", "ShopSalesRole 'sales staff'", "ShopSalesRole: invalid value 'sales staff'"),
    (r"^ShopTestMode .*$", "ShopTestMode On\nShopGateway bitcoin key=1", "ShopGateway: invalid value 'bitcoin'"),
    (r"^ShopTestMode .*$", "ShopTestMode On\nShopGateway stripe secret_key", "ShopGateway: invalid value 'secret_key'"),
    (r"^ShopTestMode .*$", "ShopTestMode On\nShopLanguage French", "ShopLanguage: invalid value 'French'"),
    (r"^ShopTestMode .*$", "ShopTestMode On\nShopDefaultShop 0", "ShopDefaultShop: invalid value '0'"),
])
def test_bad_directive_value_stops_httpd(stack, tmp_path, old, new, expect):
    r = config_test(stack, variant(stack, tmp_path, [(old, new)]))
    assert r.returncode != 0
    assert expect in r.stdout, r.stdout


def test_good_config_passes(stack, tmp_path):
    r = config_test(stack, variant(stack, tmp_path, []))
    assert r.returncode == 0, r.stdout


def test_template_error_stops_httpd_with_file_and_line(stack, tmp_path):
    tpl = tmp_path / "templates"
    shutil.copytree(os.path.join(os.path.dirname(stack["SHOP_SQL_DIR"]), "templates"), tpl)
    (tpl / "front" / "home.mustache").write_text("line one\n{{#shop}}\nunclosed section\n")
    os.system("chmod -R a+rX %s" % tmp_path)
    path = variant(stack, tmp_path, [(r"^ShopTemplateDir .*$", "ShopTemplateDir %s" % tpl)])
    r = apache2(stack, "-f", path, "-k", "start")
    log = open(tmp_path / "error.log").read() if (tmp_path / "error.log").exists() else ""
    try:
        assert "SHOP0001" in log + r.stdout, log + r.stdout
        assert re.search(r"front/home[^:]*:\d+", log + r.stdout), log + r.stdout
    finally:
        pid = tmp_path / "httpd.pid"
        if pid.exists():
            apache2(stack, "-f", path, "-k", "stop")


class Variant:
    """A second httpd on the same stack, with edited configuration, started and stopped by the test."""

    def __init__(self, stack, tmp_path, replace):
        self.stack = stack
        self.path = variant(stack, tmp_path, replace)
        self.port = int(re.search(r"^Listen 127.0.0.1:(\d+)", open(self.path).read(), re.M).group(1))
        self.url = "http://127.0.0.1:%d/shop" % self.port

    def __enter__(self):
        assert apache2(self.stack, "-f", self.path, "-k", "start").returncode == 0
        for _ in range(100):
            try:
                import requests
                requests.get(self.url + "/health", timeout=2)
                return self
            except Exception:
                import time
                time.sleep(0.1)
        raise AssertionError("variant httpd did not start")

    def __exit__(self, *exc):
        apache2(self.stack, "-f", self.path, "-k", "stop")
        import time
        time.sleep(1.0)


def test_cookie_secure_on(stack, tmp_path):
    import requests
    with Variant(stack, tmp_path, [(r"^ShopTestMode .*$", "ShopTestMode On\nShopCookieSecure On")]) as v:
        r = requests.get(v.url + "/api/v1/session", timeout=10)
        cookie = [h for h in r.raw.headers.getlist("Set-Cookie") if h.startswith("ShopSession=")][0]
        assert "Secure" in cookie and "HttpOnly" in cookie


def test_moodle_sessioncookie_suffix(stack, tmp_path, db):
    """Moodle's cookie is MoodleSession + the `sessioncookie` setting."""
    import requests
    import secrets
    import time
    root = db.as_root()
    sid = secrets.token_hex(13)
    now = int(time.time())
    root.execute("INSERT INTO {mdl}sessions (state, sid, userid, timecreated, timemodified) VALUES (0, %s, 4, %s, %s)",
                 sid, now, now)
    root.execute("UPDATE {mdl}config SET value = 'Site2' WHERE name = 'sessioncookie'")
    try:
        with Variant(stack, tmp_path, []) as v:      # a fresh child reads the setting
            s = requests.Session()
            s.cookies.set("MoodleSession", sid, path="/")
            assert s.get(v.url + "/api/v1/session", timeout=10).json()["user"] is None
            s = requests.Session()
            s.cookies.set("MoodleSessionSite2", sid, path="/")
            assert s.get(v.url + "/api/v1/session", timeout=10).json()["user"]["id"] == 4
    finally:
        root.execute("UPDATE {mdl}config SET value = '' WHERE name = 'sessioncookie'")
