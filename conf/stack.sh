#!/bin/bash
# The private mod_shop stack for the demo and the tests: MariaDB, memcached, an SMTP sink and httpd
# with mod_shop, all on 127.0.0.1, all under one run directory, each stopped by its own pid.
#
#   conf/stack.sh start                      start whatever part is not running (first time: free ports, new DB)
#   conf/stack.sh stop                       stop what this run directory started
#   conf/stack.sh status                     one line per part, up or down (exit 3 if any is down)
#   conf/stack.sh env                        `export NAME=value` lines describing the running stack
#   conf/stack.sh restart db|memcache|smtp|httpd   stop and start one part on the same port
#   conf/stack.sh stop smtp | start smtp      take the SMTP sink down / bring it back (mail retry tests)
#
# Environment:
#   SHOP_RUN_DIR   run directory (default REPO/.run; the tests use REPO/.run/test)
#   SHOP_BUILD     build directory holding mod_shop.so and shopctl (default build, or build-san when SAN=1);
#                  a directory whose name ends in -san runs httpd with ASan preloaded
#   SHOP_PORT      force httpd's port (otherwise the one saved in RUN/ports, or a free one)
#   SHOP_MODULE    auto (default) | on | off: with "auto" the Shop* directives are written commented out
#                  when mod_shop.so does not know them yet; "off" does not load mod_shop at all
#   SHOP_SHOPCTL_OPTIONAL=1   a failing `shopctl schema install|seed demo` warns instead of failing start
#   SHOP_ACCESS_LOG=1         also write RUN/logs/access.log
set -euo pipefail
umask 022

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN=${SHOP_RUN_DIR:-$REPO/.run}
case $RUN in /*) ;; *) RUN=$PWD/$RUN ;; esac
PY=/usr/bin/python3
MODDIR=/usr/lib/apache2/modules
DB_NAME=moodle
DB_USER=moodle

STATE=$RUN/ports
SOCK=$RUN/run/mysqld.sock
DB_PID=$RUN/run/mariadb.pid
MC_PID=$RUN/run/memcached.pid
SMTP_PID=$RUN/run/smtp_sink.pid
HTTPD_PID=$RUN/run/httpd.pid
HTTPD_CONF=$RUN/httpd/httpd.conf
ERROR_LOG=$RUN/logs/error_log
DOCROOT=$RUN/htdocs
SECRET=$RUN/secret
DBPASS_FILE=$RUN/dbpass

say()  { printf 'stack: %s\n' "$*"; }
warn() { printf 'stack: WARNING: %s\n' "$*" >&2; }
die()  { printf 'stack: ERROR: %s\n' "$*" >&2; exit 1; }

# single-quote a value for the shell
q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- state (ports, build) saved per run dir
HTTP_PORT= DB_PORT= MC_PORT= SMTP_PORT= BUILD_DIR=
load_state() {
    [ -f "$STATE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE"
}
save_state() {
    local tmp=$STATE.tmp
    {
        echo "HTTP_PORT=$HTTP_PORT"
        echo "DB_PORT=$DB_PORT"
        echo "MC_PORT=$MC_PORT"
        echo "SMTP_PORT=$SMTP_PORT"
        echo "BUILD_DIR=$(q "$BUILD_DIR")"
    } > "$tmp"
    mv -f "$tmp" "$STATE"
}

# N distinct free ports on 127.0.0.1, held open together so they differ
free_ports() {
    "$PY" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
port_free() {
    "$PY" - "$1" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)
PY
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

resolve_build() {
    local b=${SHOP_BUILD:-}
    if [ -z "$b" ]; then
        if [ -n "${SAN:-}" ] && [ "${SAN:-}" != 0 ]; then b=build-san; else b=build; fi
    fi
    case $b in /*) ;; *) b=$REPO/$b ;; esac
    BUILD_DIR=$b
}
is_san() { case $(basename "$BUILD_DIR") in *-san) return 0 ;; esac; return 1; }

# ---------------------------------------------------------------- pids
# alive PIDFILE NAME: the pid in PIDFILE runs and its command line mentions NAME
alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(tr -dc 0-9 < "$1")
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    # the command line must name the part and this run directory: a recycled pid is not ours
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -F -- "$2" | grep -qF -- "$RUN/"
}
pid_of() { tr -dc 0-9 < "$1"; }
wait_gone() { # PID SECONDS
    local i=0 n=$(( $2 * 10 ))
    while [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; do
        i=$((i + 1)); [ $i -ge $n ] && return 1
        sleep 0.1
    done
}
# stop_pid PIDFILE NAME SECONDS: SIGTERM, wait, SIGKILL as a last resort
stop_pid() {
    local pid
    alive "$1" "$2" || { rm -f "$1"; return 0; }
    pid=$(pid_of "$1")
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$3"; then
        warn "$2 (pid $pid) still running after $3 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 5 || true
    fi
    rm -f "$1"
}

# ---------------------------------------------------------------- MariaDB
dbroot() { mariadb --no-defaults --socket="$SOCK" -uroot --default-character-set=utf8mb4 "$@"; }

db_start() {
    alive "$DB_PID" mariadbd && return 0
    local fresh=0 t0 pid i
    mkdir -p "$RUN/db" "$RUN/run" "$RUN/logs" "$RUN/tmp"
    [ ${#SOCK} -lt 100 ] || die "socket path too long for a unix socket ($SOCK): use a shorter SHOP_RUN_DIR"
    port_free "$DB_PORT" || die "MariaDB port $DB_PORT is in use by another program (edit or delete $STATE)"
    if [ ! -d "$RUN/db/mysql" ]; then
        fresh=1
        t0=$(now_ms)
        mariadb-install-db --no-defaults --datadir="$RUN/db" --user="$(id -un)" \
            --auth-root-authentication-method=normal --skip-test-db > "$RUN/logs/install-db.log" 2>&1 \
            || { tail -20 "$RUN/logs/install-db.log" >&2; die "mariadb-install-db failed (see $RUN/logs/install-db.log)"; }
        say "MariaDB datadir created in $(( $(now_ms) - t0 )) ms"
    fi
    rm -f "$SOCK"
    setsid /usr/sbin/mariadbd --no-defaults --datadir="$RUN/db" --socket="$SOCK" \
        --port="$DB_PORT" --bind-address=127.0.0.1 --pid-file="$DB_PID" \
        --log-error="$RUN/logs/mariadb.err" --tmpdir="$RUN/tmp" --user="$(id -un)" --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --max-connections=400 --innodb-buffer-pool-size=64M --innodb-log-file-size=64M \
        --thread-handling=pool-of-threads \
        < /dev/null > /dev/null 2>&1 9>&- &
    pid=$!
    for i in $(seq 1 300); do
        if dbroot -e 'SELECT 1' > /dev/null 2>&1; then break; fi
        if ! [ -d "/proc/$pid" ]; then
            tail -20 "$RUN/logs/mariadb.err" >&2 || true
            die "mariadbd exited at start (see $RUN/logs/mariadb.err)"
        fi
        sleep 0.1
    done
    dbroot -e 'SELECT 1' > /dev/null 2>&1 || die "MariaDB did not answer within 30 s (see $RUN/logs/mariadb.err)"
    [ -s "$DB_PID" ] || echo "$pid" > "$DB_PID"
    say "MariaDB up on 127.0.0.1:$DB_PORT (pid $(pid_of "$DB_PID"))"
    [ $fresh = 0 ] || rm -f "$RUN/.moodle-loaded"
    return 0
}

db_pass() {
    if [ ! -s "$DBPASS_FILE" ]; then
        # hex only: DBDParams values end at any of " \r\n\t;|,"
        (umask 077; "$PY" -c 'import secrets; print(secrets.token_hex(16))' > "$DBPASS_FILE")
    fi
    tr -dc 0-9a-zA-Z < "$DBPASS_FILE"
}

# Database, user, Moodle tables (once), wwwroot, then the shop schema and demo data through shopctl.
db_setup() {
    local pass files f sum
    pass=$(db_pass)
    dbroot <<SQL
CREATE DATABASE IF NOT EXISTS $DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$pass';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$pass';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';
SQL
    # The Moodle tables and demo site: loaded when the database is new, when tables are missing, or when
    # the files changed since the last load (they are idempotent: CREATE TABLE IF NOT EXISTS, INSERT IGNORE).
    shopt -s nullglob
    files=("$REPO"/sql/moodle/*.sql)
    [ -f "$REPO/sql/demo/moodle_demo.sql" ] && files+=("$REPO/sql/demo/moodle_demo.sql")
    shopt -u nullglob
    if [ ${#files[@]} -eq 0 ]; then
        warn "no sql/moodle/*.sql yet: the Moodle tables are not loaded"
    else
        sum=$( { printf '%s\n' "${files[@]}"; cat "${files[@]}"; } | sha1sum | cut -d' ' -f1)
        if [ "$(cat "$RUN/.moodle-loaded" 2>/dev/null)" != "$sum" ] || ! moodle_tables_present; then
            for f in "${files[@]}"; do
                sed -e 's/{mdl}/mdl_/g' -e 's/{shop}/shop_/g' "$f" | dbroot "$DB_NAME" 2> "$RUN/logs/sql-load.err" \
                    || { cat "$RUN/logs/sql-load.err" >&2; die "loading ${f#"$REPO"/} failed"; }
            done
            [ -f "$REPO/sql/demo/moodle_demo.sql" ] || warn "sql/demo/moodle_demo.sql is missing: no demo Moodle site"
            echo "$sum" > "$RUN/.moodle-loaded"
            say "Moodle tables and demo site loaded (${#files[@]} files)"
        fi
    fi
    if moodle_tables_present; then
        dbroot "$DB_NAME" -e "UPDATE mdl_config SET value='http://127.0.0.1:$HTTP_PORT' WHERE name='wwwroot'"
    fi
    run_shopctl schema install
    run_shopctl seed demo
}
moodle_tables_present() {
    [ "$(dbroot -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$DB_NAME' AND table_name='mdl_config'")" = 1 ]
}

run_shopctl() {
    local ctl=$BUILD_DIR/shopctl out rc=0
    if [ ! -x "$ctl" ]; then
        warn "$ctl not built: skipped \`shopctl $*\`"
        return 0
    fi
    out=$(export_env; "$ctl" "$@" 2>&1) || rc=$?
    if [ $rc -ne 0 ]; then
        printf '%s\n' "$out" >&2
        if [ "${SHOP_SHOPCTL_OPTIONAL:-}" = 1 ]; then
            warn "shopctl $* failed (exit $rc), ignored because SHOP_SHOPCTL_OPTIONAL=1"
        else
            die "shopctl $* failed (exit $rc)"
        fi
    fi
}

db_stop() { stop_pid "$DB_PID" mariadbd 120; }

# ---------------------------------------------------------------- memcached
mc_start() {
    alive "$MC_PID" memcached && return 0
    mkdir -p "$RUN/run" "$RUN/logs"
    port_free "$MC_PORT" || die "memcached port $MC_PORT is in use by another program (edit or delete $STATE)"
    rm -f "$MC_PID"
    memcached -d -u "$(id -un)" -l 127.0.0.1 -p "$MC_PORT" -U 0 -m 64 -c 1024 -P "$MC_PID" \
        > "$RUN/logs/memcached.log" 2>&1 9>&- || die "memcached did not start (see $RUN/logs/memcached.log)"
    wait_port "$MC_PORT" 10 || die "memcached does not listen on $MC_PORT"
    for _ in $(seq 1 50); do [ -s "$MC_PID" ] && break; sleep 0.1; done
    say "memcached up on 127.0.0.1:$MC_PORT (pid $(pid_of "$MC_PID"))"
}
mc_stop() { stop_pid "$MC_PID" memcached 10; }

wait_port() { # PORT SECONDS
    local i
    for i in $(seq 1 $(( $2 * 10 ))); do port_open "$1" && return 0; sleep 0.1; done
    return 1
}

# ---------------------------------------------------------------- SMTP sink
smtp_start() {
    alive "$SMTP_PID" smtp_sink.py && return 0
    mkdir -p "$RUN/run" "$RUN/logs" "$RUN/mail"
    port_free "$SMTP_PORT" || die "SMTP sink port $SMTP_PORT is in use by another program (edit or delete $STATE)"
    rm -f "$SMTP_PID"
    setsid "$PY" "$REPO/conf/smtp_sink.py" --port "$SMTP_PORT" --dir "$RUN/mail" --pidfile "$SMTP_PID" \
        < /dev/null >> "$RUN/logs/smtp_sink.log" 2>&1 9>&- &
    wait_port "$SMTP_PORT" 10 || { tail -5 "$RUN/logs/smtp_sink.log" >&2; die "SMTP sink did not start (see $RUN/logs/smtp_sink.log)"; }
    for _ in $(seq 1 50); do [ -s "$SMTP_PID" ] && break; sleep 0.1; done
    say "SMTP sink up on 127.0.0.1:$SMTP_PORT, mails in $RUN/mail"
}
smtp_stop() { stop_pid "$SMTP_PID" smtp_sink.py 10; }

# ---------------------------------------------------------------- httpd
module_mode() {
    local so=$BUILD_DIR/mod_shop.so mode=${SHOP_MODULE:-auto}
    case $mode in
        off) echo off ;;
        on)  [ -f "$so" ] || die "$so not built (make -f Makefile.apxs)"; echo on ;;
        *)   if [ ! -f "$so" ]; then echo off
             elif grep -q -a ShopMoodlePrefix "$so"; then echo on
             else echo stub; fi ;;
    esac
}

write_httpd_conf() {
    local mode=$1 pass sc mc lm
    pass=$(db_pass)
    sc='' mc='' lm=''
    [ "$mode" = on ]  || sc='# '
    [ "$mode" = off ] && lm='# '
    [ "${SHOP_ACCESS_LOG:-}" = 1 ] || mc='# '
    mkdir -p "$RUN/httpd"
    cat > "$HTTPD_CONF.tmp" <<EOF
# Generated by conf/stack.sh: edits are lost at the next start.
ServerRoot "$RUN/httpd"
ServerName 127.0.0.1:$HTTP_PORT
Listen 127.0.0.1:$HTTP_PORT
PidFile "$HTTPD_PID"
DefaultRuntimeDir "$RUN/run"
Mutex file:$RUN/run default
ErrorLog "$ERROR_LOG"
LogLevel warn
User www-data
Group www-data
ServerTokens Prod
ServerSignature Off
TraceEnable Off
Timeout 60

LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule mime_module $MODDIR/mod_mime.so
LoadModule dir_module $MODDIR/mod_dir.so
LoadModule alias_module $MODDIR/mod_alias.so
LoadModule dbd_module $MODDIR/mod_dbd.so
<IfModule !log_config_module>
    LoadModule log_config_module $MODDIR/mod_log_config.so
</IfModule>
${lm}LoadModule shop_module "$BUILD_DIR/mod_shop.so"

StartServers 2
ServerLimit 2
ThreadsPerChild 50
ThreadLimit 50
MaxRequestWorkers 100
# spare threads well below the maximum, so a burst of 50 buyers does not log AH10159
MinSpareThreads 20
MaxSpareThreads 100
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 5

TypesConfig /etc/mime.types
AddDefaultCharset utf-8
DirectoryIndex index.html
LogFormat "%h %l %u %t \"%r\" %>s %b %D" timing
${mc}CustomLog "$RUN/logs/access.log" timing

DBDriver mysql
DBDParams "host=127.0.0.1,port=$DB_PORT,user=$DB_USER,pass=$pass,dbname=$DB_NAME"
DBDMin 1
DBDKeep 16
DBDMax 50
DBDExptime 300
DBDInitSQL "SET NAMES utf8mb4"

DocumentRoot "$DOCROOT"
<Directory />
    Require all denied
    AllowOverride None
    Options None
</Directory>
<Directory "$DOCROOT">
    Require all granted
</Directory>

${sc}ShopMoodlePrefix mdl_
${sc}ShopTablePrefix  shop_
${sc}ShopMoodleURL    http://127.0.0.1:$HTTP_PORT
${sc}ShopPublicURL    http://127.0.0.1:$HTTP_PORT/shop
${sc}ShopMemcache     127.0.0.1:$MC_PORT
${sc}ShopSecretFile   "$SECRET"
${sc}ShopDataDir      "$RUN/data"
${sc}ShopTemplateDir  "$REPO/templates"
${sc}ShopSMTP         smtp://127.0.0.1:$SMTP_PORT
${sc}ShopMailFrom     "Demo shop <shop@example.org>"
${sc}ShopTestMode     On
${sc}ShopSalesRole    sales
<Location /shop>
${sc}    SetHandler shop
    Require all granted
</Location>
EOF
    if [ -f "$HTTPD_CONF" ] && cmp -s "$HTTPD_CONF" "$HTTPD_CONF.tmp"; then
        rm -f "$HTTPD_CONF.tmp"; return 1
    fi
    mv -f "$HTTPD_CONF.tmp" "$HTTPD_CONF"
    return 0
}

prepare_files() {
    mkdir -p "$RUN/run" "$RUN/logs/san" "$RUN/data" "$DOCROOT/static"
    if [ ! -s "$SECRET" ]; then
        (umask 077; "$PY" -c 'import secrets,sys; sys.stdout.write(secrets.token_hex(32))' > "$SECRET")
    fi
    if [ "$(id -u)" -eq 0 ]; then
        chown root:www-data "$SECRET"; chmod 640 "$SECRET"
        chown www-data:www-data "$RUN/data"; chmod 750 "$RUN/data"
        chown www-data:www-data "$RUN/logs/san"; chmod 770 "$RUN/logs/san"
    fi
    if [ ! -f "$DOCROOT/static/static10k.txt" ]; then
        "$PY" -c 'import sys; line=b"mod_shop static reference file: 10 KiB of text served by the same httpd.\n"; sys.stdout.buffer.write((line*200)[:10240])' \
            > "$DOCROOT/static/static10k.txt"
    fi
    [ -f "$DOCROOT/index.html" ] || printf '<!doctype html><title>mod_shop stack</title><p><a href="/shop/">shop</a>\n' > "$DOCROOT/index.html"
}

httpd_env() {
    if is_san; then
        local asan
        asan=$(gcc -print-file-name=libasan.so)
        echo "LD_PRELOAD=$asan"
        # the children run as www-data: their reports go to a directory they may write
        echo "ASAN_OPTIONS=detect_leaks=0:log_path=$RUN/logs/san/asan"
        echo "UBSAN_OPTIONS=print_stacktrace=1:log_path=$RUN/logs/san/ubsan"
    fi
}

httpd_ctl() { # -k start|stop|graceful, and -t
    local -a envs=()
    mapfile -t envs < <(httpd_env)
    env "${envs[@]}" /usr/sbin/apache2 -f "$HTTPD_CONF" "$@" 9>&-
}

httpd_start() {
    local mode changed=0 out i code
    prepare_files
    mode=$(module_mode)
    write_httpd_conf "$mode" && changed=1
    if alive "$HTTPD_PID" apache2; then
        [ $changed = 1 ] || return 0
        # a full restart, not graceful: a switch to or from the ASan build changes the preloaded runtime
        say "httpd configuration changed: restarting httpd"
        httpd_stop
    fi
    [ "$mode" = stub ] && warn "$BUILD_DIR/mod_shop.so does not know the Shop* directives yet: they are commented out in $HTTPD_CONF"
    [ "$mode" = off ] && warn "mod_shop is not loaded (SHOP_MODULE=off or no $BUILD_DIR/mod_shop.so)"
    port_free "$HTTP_PORT" || die "httpd port $HTTP_PORT is in use by another program (set SHOP_PORT, or edit $STATE)"
    rm -f "$HTTPD_PID"
    if ! out=$(httpd_ctl -k start 2>&1); then
        printf '%s\n' "$out" >&2
        [ -f "$ERROR_LOG" ] && tail -5 "$ERROR_LOG" >&2
        die "httpd did not start (config $HTTPD_CONF, log $ERROR_LOG)"
    fi
    [ -n "$out" ] && printf '%s\n' "$out" >&2
    for i in $(seq 1 200); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$HTTP_PORT/static/static10k.txt" || true)
        [ "$code" = 200 ] && break
        if [ $i -gt 10 ] && ! alive "$HTTPD_PID" apache2; then break; fi
        sleep 0.1
    done
    if [ "$code" != 200 ]; then
        [ -f "$ERROR_LOG" ] && tail -20 "$ERROR_LOG" >&2
        die "httpd does not serve http://127.0.0.1:$HTTP_PORT/static/static10k.txt (got '$code'); see $ERROR_LOG"
    fi
    code=$(curl -s -o "$RUN/run/health.out" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT/shop/health" || true)
    say "httpd up on http://127.0.0.1:$HTTP_PORT (pid $(pid_of "$HTTPD_PID"), module: $mode, /shop/health: $code)"
    if [ "$mode" = on ] && [ "$code" != 200 ]; then
        warn "/shop/health answered $code: $(head -c 200 "$RUN/run/health.out" 2>/dev/null | tr -s '\n\t ' ' ') (see $ERROR_LOG)"
    fi
}

httpd_stop() {
    local pid
    alive "$HTTPD_PID" apache2 || { rm -f "$HTTPD_PID"; return 0; }
    pid=$(pid_of "$HTTPD_PID")
    httpd_ctl -k stop > /dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 30; then
        warn "httpd (pid $pid) still running after 30 s: SIGKILL to it and its children"
        pkill -KILL -P "$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 5 || true
    fi
    rm -f "$HTTPD_PID"
}

# ---------------------------------------------------------------- commands
export_env() {
    local pass
    pass=$(db_pass)
    export SHOP_URL="http://127.0.0.1:$HTTP_PORT/shop"
    export SHOP_MOODLE_URL="http://127.0.0.1:$HTTP_PORT"
    export SHOP_HTTP_PORT="$HTTP_PORT"
    export SHOP_DB_SOCKET="$SOCK"
    export SHOP_DB_NAME="$DB_NAME"
    export SHOP_DB_USER="$DB_USER"
    export SHOP_DB_PASS="$pass"
    export SHOP_DB_PORT="$DB_PORT"
    export SHOP_DSN="host=127.0.0.1,port=$DB_PORT,user=$DB_USER,pass=$pass,dbname=$DB_NAME"
    export SHOP_MEMCACHE="127.0.0.1:$MC_PORT"
    export SHOP_HTTPD_CONF="$HTTPD_CONF"
    export SHOP_HTTPD_PID_FILE="$HTTPD_PID"
    export SHOP_ERROR_LOG="$ERROR_LOG"
    export SHOP_SMTP_SINK="$RUN/mail"
    export SHOP_SMTP_PORT="$SMTP_PORT"
    export SHOP_SMTP="smtp://127.0.0.1:$SMTP_PORT"
    export SHOP_MAIL_FROM="Demo shop <shop@example.org>"
    export SHOP_DOCROOT="$DOCROOT/static"
    export SHOP_STATIC_URL="http://127.0.0.1:$HTTP_PORT/static"
    export SHOP_RUN_DIR="$RUN"
    export SHOP_LOG_DIR="$RUN/logs"
    export SHOP_DATA_DIR="$RUN/data"
    export SHOP_SECRET_FILE="$SECRET"
    export SHOP_SQL_DIR="$REPO/sql"
    export SHOP_TEMPLATE_DIR="$REPO/templates"
    export SHOP_BUILD="$BUILD_DIR"
    export SHOP_REPO="$REPO"
    if is_san; then export SHOP_SAN=1; else export SHOP_SAN=0; fi
}
ENV_NAMES="SHOP_URL SHOP_MOODLE_URL SHOP_HTTP_PORT SHOP_DB_SOCKET SHOP_DB_NAME SHOP_DB_USER SHOP_DB_PASS SHOP_DB_PORT
SHOP_DSN SHOP_MEMCACHE SHOP_HTTPD_CONF SHOP_HTTPD_PID_FILE SHOP_ERROR_LOG SHOP_SMTP_SINK SHOP_SMTP_PORT SHOP_DOCROOT
SHOP_STATIC_URL SHOP_RUN_DIR SHOP_LOG_DIR SHOP_DATA_DIR SHOP_SECRET_FILE SHOP_SQL_DIR SHOP_TEMPLATE_DIR SHOP_BUILD
SHOP_REPO SHOP_SAN SHOP_SMTP SHOP_MAIL_FROM"

init_state() {
    mkdir -p "$RUN"
    local fresh_ports
    if ! load_state; then
        read -r HTTP_PORT DB_PORT MC_PORT SMTP_PORT <<< "$(free_ports 4)"
    fi
    if [ -n "${SHOP_PORT:-}" ]; then HTTP_PORT=$SHOP_PORT; fi
    # a saved port another program took while we were down: take a new one (not for httpd if forced)
    if ! alive "$DB_PID" mariadbd && ! port_free "$DB_PORT"; then
        fresh_ports=$(free_ports 1); warn "port $DB_PORT taken: MariaDB moves to $fresh_ports"; DB_PORT=$fresh_ports; fi
    if ! alive "$MC_PID" memcached && ! port_free "$MC_PORT"; then
        fresh_ports=$(free_ports 1); warn "port $MC_PORT taken: memcached moves to $fresh_ports"; MC_PORT=$fresh_ports; fi
    if ! alive "$SMTP_PID" smtp_sink.py && ! port_free "$SMTP_PORT"; then
        fresh_ports=$(free_ports 1); warn "port $SMTP_PORT taken: SMTP sink moves to $fresh_ports"; SMTP_PORT=$fresh_ports; fi
    if [ -z "${SHOP_PORT:-}" ] && ! alive "$HTTPD_PID" apache2 && ! port_free "$HTTP_PORT"; then
        fresh_ports=$(free_ports 1); warn "port $HTTP_PORT taken: httpd moves to $fresh_ports"; HTTP_PORT=$fresh_ports; fi
    # the build directory comes from the environment at start, and is kept for env and restart
    resolve_build
    save_state
}

need_state() { load_state || die "no stack in $RUN (run: conf/stack.sh start)"; }

lock() {
    mkdir -p "$RUN"
    exec 9> "$RUN/.lock"
    flock -w 300 9 || die "another stack.sh holds $RUN/.lock"
}

cmd_start() {
    local t0
    t0=$(now_ms)
    lock
    init_state
    db_start
    mc_start
    smtp_start
    db_setup
    httpd_start
    say "started in $(( $(now_ms) - t0 )) ms; run dir $RUN"
}

cmd_stop() {
    [ -d "$RUN" ] || { say "nothing to stop ($RUN does not exist)"; return 0; }
    lock
    load_state || true
    httpd_stop
    smtp_stop
    mc_stop
    db_stop
    say "stopped ($RUN)"
}

cmd_status() {
    local down=0 line
    load_state || true
    for line in "mariadb:$DB_PID:mariadbd:$DB_PORT" "memcached:$MC_PID:memcached:$MC_PORT" \
                "smtp_sink:$SMTP_PID:smtp_sink.py:$SMTP_PORT" "httpd:$HTTPD_PID:apache2:$HTTP_PORT"; do
        IFS=: read -r name pidf pat port <<< "$line"
        if alive "$pidf" "$pat"; then
            printf '%-10s up    pid %-8s 127.0.0.1:%s\n' "$name" "$(pid_of "$pidf")" "$port"
        else
            printf '%-10s down\n' "$name"; down=1
        fi
    done
    [ $down = 0 ] || exit 3
}

cmd_env() {
    local n
    need_state
    export_env
    for n in $ENV_NAMES; do printf 'export %s=%s\n' "$n" "$(q "${!n}")"; done
}

cmd_restart() {
    lock
    need_state
    case ${1:-} in
        db|mariadb)      db_stop; db_start ;;
        memcache|memcached) mc_stop; mc_start ;;
        smtp)            smtp_stop; smtp_start ;;
        httpd|apache)    httpd_stop; httpd_start ;;
        *) echo "usage: $0 restart db|memcache|smtp|httpd" >&2; exit 2 ;;
    esac
}

case ${1:-} in
    start)   if [ "${2:-}" = smtp ]; then lock; need_state; smtp_start; else cmd_start; fi ;;
    stop)    if [ "${2:-}" = smtp ]; then lock; need_state; smtp_stop; else cmd_stop; fi ;;
    status)  cmd_status ;;
    env)     cmd_env ;;
    restart) shift; cmd_restart "$@" ;;
    *) echo "usage: $0 start|stop|status|env|restart db|memcache|smtp|httpd|stop smtp|start smtp" >&2; exit 2 ;;
esac
