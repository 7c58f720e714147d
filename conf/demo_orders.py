#!/usr/bin/python3
"""Demo orders: a few bills made through the shop's own API, so the demo's back office has something to
show (the bill list, a paid bill with its invoice and PDF, the dashboard).  Run by conf/demo.sh once: it
does nothing when the demo database holds bills already.
   conf/demo_orders.py        (environment from `conf/stack.sh env`)

Orders, each by its own anonymous buyer through the checkout API:
  1. a course paid by transfer, recorded by the sales user (Sam, user 7)  -> invoiced, produced, COMPLETE
  2. a book and a mug paid in part                                        -> PARTIAL
  3. T-shirts and a mug by cheque, not paid yet                           -> PLACED
  4. a free discovery module                                              -> COMPLETE (free order)
"""
import datetime
import os
import subprocess
import sys
import unicodedata

import requests

URL = os.environ["SHOP_URL"].rstrip("/")


def mariadb(sql):
    out = subprocess.run(["mariadb", "--no-defaults", "--socket=" + os.environ["SHOP_DB_SOCKET"], "-uroot", "-N",
                          "-B", os.environ["SHOP_DB_NAME"], "-e", sql],
                         check=True, stdout=subprocess.PIPE, text=True, timeout=30).stdout
    return out.strip()


def session():
    s = requests.Session()
    s.tok = s.get(URL + "/api/v1/session", timeout=10).json()["csrf_token"]
    return s


def call(s, method, path, body=None, ok=(200, 201)):
    r = s.request(method, URL + path, json=body, headers={"X-CSRF-Token": s.tok}, timeout=60)
    if r.status_code not in ok:
        raise SystemExit("demo orders: %s %s answered %d: %s" % (method, path, r.status_code, r.text[:300]))
    return r.json()


def order(items, who, paymode):
    s = session()
    for code, qty in items:
        call(s, "PUT", "/api/v1/cart/items/" + code, {"quantity": qty})
    call(s, "PUT", "/api/v1/checkout/customer", {"customer": who, "invoicing": None})
    body = {"accept_terms": True}
    if paymode:
        body["paymode"] = paymode
    return call(s, "POST", "/api/v1/checkout/order", body)


def staff():
    """Sam Sales (the sales role), logged in by a ticket from shopctl."""
    link = subprocess.run([os.path.join(os.environ["SHOP_BUILD"], "shopctl"), "ticket", "7"], check=True,
                          stdout=subprocess.PIPE, text=True, timeout=30).stdout.split()[0]
    s = requests.Session()
    s.get(link, timeout=10, allow_redirects=False)
    s.tok = s.get(URL + "/api/v1/session", timeout=10).json()["csrf_token"]
    return s


def ascii_name(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def buyer(first, last, city, org=""):
    return {"firstname": first, "lastname": last, "email": "%s.%s@example.org" % (ascii_name(first), ascii_name(last)),
            "organisation": org or "%s Conseil" % last, "address": "5 rue de la Démo", "zip": "75011",
            "city": city, "country": "FR"}


def main():
    if mariadb("SELECT COUNT(*) FROM shop_bill") != "0":
        return
    today = datetime.date.today().isoformat()
    sam = staff()
    paid = order([("EXCEL101", 1)], buyer("Hélène", "Garnier", "Lyon"), "transfer")
    call(sam, "POST", "/api/v1/bills/%s/payments" % paid["transid"],
         {"amount_minor": paid["to_pay_minor"], "reference": "VIR-DEMO-0001", "date": today, "paymode": "transfer"})
    part = order([("LIVRE-EXCEL", 1), ("MUG-LOGO", 2)], buyer("Marc", "Lefèvre", "Nantes"), "transfer")
    call(sam, "POST", "/api/v1/bills/%s/payments" % part["transid"],
         {"amount_minor": part["to_pay_minor"] // 2, "reference": "VIR-DEMO-0002", "date": today,
          "paymode": "transfer"})
    order([("TSHIRT-LOGO", 2), ("MUG-LOGO", 1)], buyer("Inès", "Roussel", "Lille"), "check")
    order([("SAFE1-DECOUVERTE", 1)], buyer("Paul", "Mercier", "Rennes"), None)
    print("  demo orders: 4 bills placed through the API (one invoiced, one partly paid, one waiting, one free)")


if __name__ == "__main__":
    try:
        main()
    except (requests.RequestException, subprocess.SubprocessError, OSError) as e:
        sys.exit("demo orders: %s" % e)
