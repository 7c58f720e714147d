#!/usr/bin/python3
"""Prepare N buyers for the checkout benchmarks: each a shop session whose cart holds one EXCEL101 and whose
customer step is done.  Prints one line per buyer: "<Cookie header value> <CSRF token>".
   bench/buyers.py SHOP_URL N"""
import sys

import requests

url, n = sys.argv[1].rstrip("/"), int(sys.argv[2])
for i in range(n):
    s = requests.Session()
    token = s.get(url + "/api/v1/session", timeout=10).json()["csrf_token"]
    h = {"X-CSRF-Token": token}
    r = s.put(url + "/api/v1/cart/items/EXCEL101", json={"quantity": 1}, headers=h, timeout=10)
    r.raise_for_status()
    who = {"customer": {"firstname": "Bench", "lastname": "Buyer", "email": "bench.buyer%d@example.org" % i,
                        "organisation": "Bench SARL", "address": "1 rue du Test", "zip": "75001", "city": "Paris",
                        "country": "FR"}, "invoicing": None}
    r = s.put(url + "/api/v1/checkout/customer", json=who, headers=h, timeout=10)
    r.raise_for_status()
    cookie = "; ".join("%s=%s" % (c.name, c.value) for c in s.cookies)
    print(cookie, token)
