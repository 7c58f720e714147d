#!/bin/sh
# Install the Debian packages mod_shop needs (build, demo stack, every test layer, benchmarks),
# then the browser-test npm packages. Idempotent, and quick when everything is already there.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)

PKGS="apache2 apache2-dev apache2-utils libapr1-dev libaprutil1-dev libaprutil1-dbd-mysql
mariadb-server mariadb-client libmariadb-dev memcached libmemcached-tools
libcurl4-openssl-dev libhpdf-dev libxlsxwriter-dev libjson-c-dev libcmocka-dev libssl-dev libcrypt-dev
fonts-dejavu-core gcc make pkg-config curl ca-certificates procps
wrk poppler-utils python3 python3-pytest python3-pytest-timeout python3-requests python3-aiosmtpd python3-openpyxl python3-pypdf
python3-pymysql clang libclang-rt-14-dev chromium"

if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi

# one dpkg-query for all: it prints "name installed" for each installed package
# shellcheck disable=SC2086
have=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PKGS 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
missing=
for p in $PKGS; do
    printf '%s\n' "$have" | grep -qx -- "$p" || missing="$missing $p"
done
# node and npm may come from Debian or from another distribution of node: only the commands matter
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm  >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    echo "install-deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# Browser tests: playwright-core and axe-core, pinned by package-lock.json (node_modules is not committed)
B="$REPO/tests/browser"
if [ -f "$B/package-lock.json" ]; then
    if [ ! -d "$B/node_modules/playwright-core" ] || [ ! -d "$B/node_modules/axe-core" ] \
       || [ "$B/package-lock.json" -nt "$B/node_modules/.package-lock.json" ]; then
        echo "install-deps: npm ci in tests/browser"
        (cd "$B" && npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
exit 0
