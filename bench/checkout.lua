-- wrk script for the checkout benchmarks: the buyers are sessions prepared by bench/buyers.py (listed in
-- the file BENCH_BUYERS, one per line); each wrk thread takes its share of them and sends their requests in
-- turn, so with as many buyers as connections each buyer has one request in flight at a time. METHOD PATH
-- with a JSON body; with two bodies, a buyer's requests alternate between them (a cart update that really
-- changes the cart every time).
--   wrk -tT -cC -s bench/checkout.lua URL -- METHOD PATH BODY [BODY2]     (C buyers in BENCH_BUYERS)
dofile("bench/report.lua")

local buyers, threads = {}, {}
for line in io.lines(os.getenv("BENCH_BUYERS")) do
  local cookie, token = line:match("^(.-) (%S+)$")
  buyers[#buyers + 1] = { cookie = cookie, token = token }
end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

function init(args)
  method, path, bodies = args[1], args[2], { args[3], args[4] or args[3] }
  -- this thread's buyers: every nth line of the file, n the number of threads (set by done-time count)
  mine, turn = {}, 0
  local nthreads = tonumber(os.getenv("BENCH_THREADS_N") or "1")
  for i = id, #buyers, nthreads do mine[#mine + 1] = buyers[i] end
end

function request()
  turn = turn + 1
  local b = mine[(turn - 1) % #mine + 1]
  local round = math.floor((turn - 1) / #mine)
  return wrk.format(method, path, {
    ["Cookie"] = b.cookie, ["X-CSRF-Token"] = b.token, ["Content-Type"] = "application/json"
  }, bodies[round % 2 + 1])
end
