-- wrk script for bench/outage.py: rotates through the pages in PAGES (host|path|cookie lines) and
-- counts answers per quarter second by kind (status, and whether a page was served stale).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } timeval;
  int gettimeofday(timeval *tv, void *tz);
]]
local clock = ffi.new("timeval")
local function now()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_usec) / 1e6
end

local pages = {}
for line in io.lines(os.getenv("PAGES")) do
  local host, path, cookie = line:match("^([^|]*)|([^|]*)|(.*)$")
  pages[#pages + 1] = { host = host, path = path, cookie = cookie }
end

counts = {}  -- "bucket kind" -> n, read by done() from every thread
local turn = 0

request = function()
  turn = turn % #pages + 1
  local page = pages[turn]
  local headers = { Host = page.host }
  if page.cookie ~= "" then headers.Cookie = page.cookie end
  return wrk.format("GET", page.path, headers)
end

response = function(status, headers, body)
  local kind = tostring(status)
  if headers["X-Served-Stale"] then kind = kind .. "-stale" end
  local key = string.format("%d %s", math.floor(now() * 4), kind)
  counts[key] = (counts[key] or 0) + 1
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local out = io.open(os.getenv("OUT"), "w")
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do out:write(key, " ", n, "\n") end
  end
  local e = summary.errors
  out:write(string.format("socket connect=%d read=%d write=%d timeout=%d\n", e.connect, e.read, e.write, e.timeout))
  out:close()
end
