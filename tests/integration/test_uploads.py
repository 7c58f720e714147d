"""Multipart uploads through the back office: typed from content, size-capped, CSRF-protected, stored atomically."""
import hashlib
import os
import struct
import zlib

import pytest


def tiny_png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def staff(new_session, shopctl):
    s = new_session()
    s.get(shopctl("ticket", "7").stdout.strip(), allow_redirects=False)
    s.token = s.get("/api/v1/session").json()["csrf_token"]
    return s


def test_logo_upload_stored_and_served(stack, staff, db):
    png = tiny_png()
    r = staff.post("/admin/settings/logo", data={"csrf_token": staff.token},
                   files={"logo": ("evil.txt", png, "text/plain")})        # the claim is ignored, the bytes decide
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/settings/logo?saved=1")
    path = db.scalar("SELECT value FROM {shop}setting WHERE name = 'sellerlogo'")
    assert path == "seller/logo.png"
    with open(os.path.join(stack["SHOP_RUN_DIR"], "data", path), "rb") as f:
        assert f.read() == png
    served = staff.get("/media/seller-logo")
    assert served.status_code == 200 and served.content == png
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["ETag"].strip('"') == hashlib.sha256(png).hexdigest()[:32]
    again = staff.get("/media/seller-logo", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    page = staff.get("/admin/settings/logo?saved=1")
    assert page.status_code == 200 and "/media/seller-logo?v=" in page.text


@pytest.mark.parametrize("content,status,message", [
    (b"<script>alert(1)</script>", 415, "PNG"),
    (b"%PDF-1.4\n...", 415, "PNG"),
    (b"", 400, "file"),
])
def test_logo_refused_with_field_error(staff, content, status, message):
    r = staff.post("/admin/settings/logo", data={"csrf_token": staff.token},
                   files={"logo": ("logo.png", content, "image/png")})
    assert r.status_code == status
    assert 'class="field-error"' in r.text and message in r.text
    assert "<script>alert(1)" not in r.text


def test_logo_too_large_and_body_cap(staff):
    big = tiny_png() + b"\x00" * (1024 * 1024 + 10)
    r = staff.post("/admin/settings/logo", data={"csrf_token": staff.token},
                   files={"logo": ("logo.png", big, "image/png")})
    assert r.status_code == 413 and 'class="field-error"' in r.text
    huge = b"\x00" * (5 * 1024 * 1024)
    r = staff.post("/admin/settings/logo", data={"csrf_token": staff.token},
                   files={"logo": ("logo.png", huge, "image/png")})
    assert r.status_code == 413


def test_logo_upload_needs_csrf_staff_and_multipart(staff, new_session, shopctl):
    png = tiny_png()
    r = staff.post("/admin/settings/logo", files={"logo": ("logo.png", png, "image/png")})
    assert r.status_code == 403
    r = staff.post("/admin/settings/logo", data={"csrf_token": staff.token, "logo": "x"})
    assert r.status_code == 415
    customer = new_session()
    customer.get(shopctl("ticket", "4").stdout.strip(), allow_redirects=False)
    token = customer.get("/api/v1/session").json()["csrf_token"]
    r = customer.post("/admin/settings/logo", data={"csrf_token": token},
                      files={"logo": ("logo.png", png, "image/png")})
    assert r.status_code == 403


def test_malformed_multipart_is_400(staff):
    body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + staff.token.encode() + b"\r\n--XyZ"
    r = staff.post("/admin/settings/logo", data=body,
                   headers={"Content-Type": "multipart/form-data; boundary=XyZ"})
    assert r.status_code == 400
