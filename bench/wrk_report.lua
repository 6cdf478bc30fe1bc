-- Checks every answer and prints wrk's figures as one JSON line (wrk's own --latency output has
-- no p95). An answer is wrong when its status is not 200 (a redirect to the sign-in page
-- included: wrk itself counts only statuses above 399) or when its body lacks BENCH_MARKER or is
-- shorter than BENCH_MIN_BYTES.
local marker = os.getenv("BENCH_MARKER") or ""
local min_bytes = tonumber(os.getenv("BENCH_MIN_BYTES") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrong_status = 0
  wrong_body = 0
end

function response(status, headers, body)
  if status ~= 200 then
    wrong_status = wrong_status + 1
  elseif #body < min_bytes or (marker ~= "" and not string.find(body, marker, 1, true)) then
    wrong_body = wrong_body + 1
  end
end

done = function(summary, latency, requests)
  local bad_status, bad_body = 0, 0
  for _, thread in ipairs(threads) do
    bad_status = bad_status + thread:get("wrong_status")
    bad_body = bad_body + thread:get("wrong_body")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "wrong_status": %d, "wrong_body": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    bad_status, bad_body,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
