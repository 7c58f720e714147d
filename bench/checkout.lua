-- wrk script for the checkout benchmarks: each wrk thread is one buyer (a session prepared by
-- bench/buyers.py, listed in the file BENCH_BUYERS), sending METHOD PATH with a JSON body.  With two
-- bodies, requests alternate between them (a cart update that really changes the cart every time).
--   wrk -t16 -c16 -s bench/checkout.lua URL -- METHOD PATH BODY [BODY2]
dofile("bench/report.lua")

local buyers, next_buyer = {}, 0
for line in io.lines(os.getenv("BENCH_BUYERS")) do
  local cookie, token = line:match("^(.-) (%S+)$")
  buyers[#buyers + 1] = { cookie = cookie, token = token }
end

function setup(thread)
  local b = buyers[next_buyer % #buyers + 1]
  next_buyer = next_buyer + 1
  thread:set("cookie", b.cookie)
  thread:set("token", b.token)
end

local sent = 0

function init(args)
  method, path, bodies = args[1], args[2], { args[3], args[4] or args[3] }
end

function request()
  sent = sent + 1
  return wrk.format(method, path, {
    ["Cookie"] = cookie, ["X-CSRF-Token"] = token, ["Content-Type"] = "application/json"
  }, bodies[sent % 2 + 1])
end
