-- wrk script for benchmarks/run.py: one endpoint's load, or a journey mixing several
-- kinds of request.
--
--   wrk ... -s load.lua URL -- OPTION... KIND...
--
-- OPTION is key=value:
--   auth=none|token|cookie  how requests authenticate
--   creds=FILE              tokens (auth=token) or Cookie header values (auth=cookie), one a
--                           line; requests rotate through them. A write by cookie sends the
--                           cookie's csrftoken as the X-CSRFToken header, as the pages do.
--   threads=N               wrk's -t (a thread takes its share of a "unique" list by it)
--   zipf=S                  the exponent of "zipf" kinds (default 1)
--   seed=N                  random seed (each thread adds its number)
--   timing=1                per-kind latency; needs one connection per thread (-t = -c), so
--                           that each response belongs to the request this thread sent last
-- KIND is name|weight|pick|method|file: a request of this kind is drawn with probability
-- weight / sum of weights, and its path (method "get") or "METHOD PATH JSON-BODY" line
-- (method "write") taken from file by pick:
--   cycle   the lines in turn, each thread starting at its own place
--   zipf    line k (from 1) with probability proportional to 1/k^S: the file is in order of
--           popularity
--   unique  each line once: thread t takes lines t, t+N, t+2N, … and starts over only when
--           its share runs out (reported as "cycled")
-- Prints one line "WRKJSON {...}" at the end: wrk's figures, and per kind the requests,
-- answers by status, latency percentiles (timing=1) and how many distinct lines were sent.

local auth = "none"
local creds = {}
local csrf = {}
local kinds = {}
local total_weight = 0
local zipf_exponent = 1.0
local thread_count = 1
local timing = false
local counter = 0
local now_us = nil

-- Per thread, read back by done() (wrk copies flat tables between threads only).
counts = {}  -- "kind/requests", "kind/sent", "kind/status/404", "kind/taken", … -> count
latencies = {}  -- "kind" index .. ":" .. n -> microseconds
seen = {}  -- "kind:line" -> true, for zipf kinds
meta = {}  -- "count", "kind/name", "kind/pick", "kind/lines": done() runs where init did not

local threads = {}
local next_thread_id = 0

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local function read_lines(file)
  local out = {}
  if file == nil or file == "" or file == "-" then
    return out
  end
  for line in io.lines(file) do
    if #line > 0 then
      out[#out + 1] = line
    end
  end
  return out
end

local function bump(key, by)
  counts[key] = (counts[key] or 0) + (by or 1)
end

local function monotonic_clock()
  local ok, ffi = pcall(require, "ffi")
  if not ok then
    return nil
  end
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock_id, bench_timespec *tp);
  ]])
  local ts = ffi.new("bench_timespec[1]")
  return function()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts[0].tv_sec) * 1000000 + tonumber(ts[0].tv_nsec) / 1000
  end
end

local function zipf_table(n, exponent)
  local cumulative, sum = {}, 0
  for k = 1, n do
    sum = sum + 1 / (k ^ exponent)
    cumulative[k] = sum
  end
  return cumulative, sum
end

local function zipf_draw(kind)
  local target = math.random() * kind.zipf_total
  local low, high = 1, #kind.zipf_cumulative
  while low < high do
    local mid = math.floor((low + high) / 2)
    if kind.zipf_cumulative[mid] < target then
      low = mid + 1
    else
      high = mid
    end
  end
  return low
end

function init(args)
  local my_id = thread_id or 0
  local seed = 1
  for i = 1, #args do
    local key, value = args[i]:match("^(%w+)=(.*)$")
    if key == "auth" then
      auth = value
    elseif key == "creds" then
      creds = read_lines(value)
    elseif key == "threads" then
      thread_count = tonumber(value)
    elseif key == "zipf" then
      zipf_exponent = tonumber(value)
    elseif key == "seed" then
      seed = tonumber(value)
    elseif key == "timing" then
      timing = value == "1"
    elseif key == nil then
      local name, weight, pick, method, file = args[i]:match("^([^|]+)|([^|]+)|([^|]+)|([^|]+)|(.+)$")
      local kind = {
        name = name, weight = tonumber(weight), pick = pick, method = method,
        lines = read_lines(file), next = 0,
      }
      total_weight = total_weight + kind.weight
      kind.upto = total_weight
      kinds[#kinds + 1] = kind
    end
  end
  meta["count"] = #kinds
  for i, kind in ipairs(kinds) do
    meta[i .. "/name"], meta[i .. "/pick"], meta[i .. "/lines"] = kind.name, kind.pick, #kind.lines
  end
  for i, line in ipairs(creds) do
    csrf[i] = line:match("csrftoken=([^;]+)")
  end
  for _, kind in ipairs(kinds) do
    if kind.pick == "zipf" then
      kind.zipf_cumulative, kind.zipf_total = zipf_table(#kind.lines, zipf_exponent)
    elseif kind.pick == "unique" then
      kind.next = my_id
    else
      -- Threads start at different places, so they do not send the same requests in step.
      kind.next = my_id * 7919
    end
  end
  -- Nearby seeds start LuaJIT's generator in nearly the same state, and each thread of a
  -- journey draws only a few kinds: spread the threads' seeds over the whole range.
  math.randomseed(((my_id + 1) * 2654435761) % 4294967296 + seed % 1000003)
  if timing then
    now_us = monotonic_clock()
  end
end

local function pick_kind()
  if #kinds == 1 then
    return 1
  end
  local roll = math.random() * total_weight
  for i, kind in ipairs(kinds) do
    if roll < kind.upto then
      return i
    end
  end
  return #kinds
end

local function pick_line(index, kind)
  local n = #kind.lines
  if kind.pick == "zipf" then
    local k = zipf_draw(kind)
    seen[index .. ":" .. k] = true
    return kind.lines[k]
  elseif kind.pick == "unique" then
    local position = kind.next
    kind.next = kind.next + thread_count
    bump(kind.name .. "/taken")
    if position >= n then
      bump(kind.name .. "/repeats")
    end
    return kind.lines[(position % n) + 1]
  end
  kind.next = kind.next + 1
  return kind.lines[(kind.next % n) + 1]
end

local pending_kind = nil
local pending_start = nil

function request()
  counter = counter + 1
  local index = pick_kind()
  local kind = kinds[index]
  local line = pick_line(index, kind)
  local headers = {}
  local cred = nil
  if #creds > 0 then
    cred = (counter % #creds) + 1
    if auth == "token" then
      headers["Authorization"] = "Bearer " .. creds[cred]
    elseif auth == "cookie" then
      headers["Cookie"] = creds[cred]
    end
  end
  bump(kind.name .. "/sent")
  pending_kind = index
  if now_us ~= nil then
    pending_start = now_us()
  end
  if kind.method == "write" then
    local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
    if auth == "cookie" and cred ~= nil and csrf[cred] ~= nil then
      headers["X-CSRFToken"] = csrf[cred]
    end
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/json"
      return wrk.format(method, path, headers, body)
    end
    return wrk.format(method, path, headers)
  end
  return wrk.format("GET", line, headers)
end

function response(status, headers, body)
  -- Exact for a journey, which runs one connection per thread; an endpoint has one kind.
  local index = pending_kind or 1
  local name = kinds[index].name
  bump(name .. "/requests")
  if status < 200 or status > 299 then
    bump(name .. "/status/" .. status)
  end
  if pending_start ~= nil then
    local key = name .. "/latencies"
    local n = (counts[key] or 0) + 1
    counts[key] = n
    latencies[index .. ":" .. n] = now_us() - pending_start
    pending_kind, pending_start = nil, nil
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return 0
  end
  local rank = math.max(1, math.ceil(p / 100 * #sorted))
  return sorted[rank]
end

function done(summary, latency, requests)
  local merged = {}
  local per_kind_latencies = {}
  local distinct = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts") or {}) do
      merged[key] = (merged[key] or 0) + count
    end
    for key, value in pairs(thread:get("latencies") or {}) do
      local index = tonumber(key:match("^(%d+):"))
      per_kind_latencies[index] = per_kind_latencies[index] or {}
      table.insert(per_kind_latencies[index], value)
    end
    for key, _ in pairs(thread:get("seen") or {}) do
      distinct[key] = true
    end
  end
  local info = threads[1]:get("meta")
  local kind_parts = {}
  for index = 1, info["count"] do
    local kind = {
      name = info[index .. "/name"], pick = info[index .. "/pick"],
      lines = info[index .. "/lines"],
    }
    local statuses = {}
    local non2xx = 0
    for key, count in pairs(merged) do
      local status = key:match("^" .. kind.name:gsub("%p", "%%%0") .. "/status/(%d+)$")
      if status ~= nil then
        statuses[#statuses + 1] = string.format('"%s": %d', status, count)
        non2xx = non2xx + count
      end
    end
    local values = per_kind_latencies[index] or {}
    table.sort(values)
    local drawn = 0
    for key, _ in pairs(distinct) do
      if key:match("^(%d+):") == tostring(index) then
        drawn = drawn + 1
      end
    end
    local taken = merged[kind.name .. "/taken"] or 0
    local repeats = merged[kind.name .. "/repeats"] or 0
    kind_parts[#kind_parts + 1] = string.format(
      '"%s": {"pick": "%s", "lines": %d, "sent": %d, "requests": %d, "non2xx": %d, '
        .. '"statuses": {%s}, "taken": %d, "repeats": %d, "distinct_drawn": %d, "timed": %d, '
        .. '"latency_us": {"p50": %.0f, "p95": %.0f, "p99": %.0f, "max": %.0f}}',
      kind.name, kind.pick, kind.lines, merged[kind.name .. "/sent"] or 0,
      merged[kind.name .. "/requests"] or 0, non2xx, table.concat(statuses, ", "), taken,
      repeats, drawn, #values, percentile(values, 50), percentile(values, 95), percentile(values, 99),
      values[#values] or 0
    )
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, '
      .. '"p99": %d}, "kinds": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), table.concat(kind_parts, ", ")
  ))
end
