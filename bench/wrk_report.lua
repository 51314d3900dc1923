-- wrk script for bench/run.py: rotate through the paths listed in a file (if one is given
-- after "--"), and print the figures the run needs as one line of JSON.
local paths = {}
local index = 0

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if line ~= "" then
        table.insert(paths, line)
      end
    end
  end
end

function request()
  if #paths > 0 then
    index = index % #paths + 1
    return wrk.format(nil, paths[index])
  end
  return wrk.format()
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
