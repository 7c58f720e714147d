#!/bin/bash
# After `conf/stack.sh start`: where the demo shop is and how to log in.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_lines=$("$REPO/conf/stack.sh" env) || { echo "demo: the stack is not started (conf/stack.sh start)" >&2; exit 1; }
eval "$env_lines"

ticket() { # USERID: a one-line login URL from shopctl, or nothing
    [ -x "$SHOP_BUILD/shopctl" ] || return 0
    "$SHOP_BUILD/shopctl" ticket "$1" 2>/dev/null | head -n 1 || true
}

cat <<TXT

mod_shop demo is running (run dir $SHOP_RUN_DIR)
  shop:         $SHOP_URL/
  back office:  $SHOP_URL/admin/   (bills: $SHOP_URL/admin/bills, dashboard: $SHOP_URL/admin/dashboard)
  health:       $SHOP_URL/health
TXT
# a few bills through the shop's own API, the first time (bills list, invoice, dashboard)
/usr/bin/python3 "$REPO/conf/demo_orders.py" \
    || echo "demo: the demo orders were not made (see above); the shop works without them" >&2
admin=$(ticket 2)
customer=$(ticket 3)
case $admin in
    http*) echo "  log in as the admin (user 2):    $admin"
           case $customer in http*) echo "  log in as a customer (user 3):   $customer" ;; esac ;;
    *)     echo "  log in: no login link yet (\`$SHOP_BUILD/shopctl ticket USERID\` prints one once shopctl knows it)" ;;
esac
cat <<TXT
  mails sent by the shop land in $SHOP_SMTP_SINK/
  httpd error log:  $SHOP_ERROR_LOG
  shell variables:  eval "\$(conf/stack.sh env)"
Stop everything with: make -f Makefile.apxs stop

TXT
