-- wrk reporter: one machine-readable line after the human-readable report.
-- BENCH requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N non2xx=N errors=N
done = function(summary, latency, requests)
  local e = summary.errors
  local errs = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, errs))
end
