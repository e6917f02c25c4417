-- The load that benchmarks/run.py sends with wrk: a GET, or a form POST when WRK_BODY is
-- set; with the Cookie header in WRK_COOKIE, when set (a logged-in user's). At the end it
-- prints one line of JSON for run.py.
local body = os.getenv("WRK_BODY")
if body then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("WRK_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "p50_ms": %.3f, "p95_ms": %.3f, '
      .. '"socket_errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
