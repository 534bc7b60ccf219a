-- wrk script for benchmarks/run.py.
--
--   wrk ... -s rotate.lua URL -- PATHS_FILE TOKENS_FILE MODE
--
-- MODE "get": each request takes the next path of PATHS_FILE (one per line).
-- MODE "write": each line of PATHS_FILE is "METHOD PATH JSON-BODY"; the body is sent as JSON.
-- TOKENS_FILE (may be "-" for none) holds personal access tokens, one per line; requests
-- rotate through them as "Authorization: Bearer ...".
-- Counts non-2xx answers per status and prints one line "WRKJSON {...}" at the end.

local paths = {}
local tokens = {}
local mode = "get"
local counter = 0
non2xx = 0
statuses = {}

local threads = {}
local next_thread_id = 0

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local function read_lines(file)
  local out = {}
  if file == nil or file == "-" then
    return out
  end
  for line in io.lines(file) do
    if #line > 0 then
      out[#out + 1] = line
    end
  end
  return out
end

function init(args)
  paths = read_lines(args[1])
  tokens = read_lines(args[2])
  mode = args[3] or "get"
  -- Threads start at different places, so they do not send the same requests in step.
  counter = (thread_id or 0) * 7919
end

function request()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1]
  end
  local line = paths[(counter % #paths) + 1]
  if mode == "write" then
    local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/json"
      return wrk.format(method, path, headers, body)
    end
    return wrk.format(method, path, headers)
  end
  return wrk.format("GET", line, headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_non2xx = 0
  local merged = {}
  for _, thread in ipairs(threads) do
    total_non2xx = total_non2xx + (thread:get("non2xx") or 0)
    local per_status = thread:get("statuses") or {}
    for status, count in pairs(per_status) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"non2xx": %d, "statuses": {%s}, "latency_us": {"mean": %.1f, "max": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, total_non2xx, table.concat(parts, ", "), latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)
  ))
end
