-- wrk: print the figures the bench reads, as one parsable line.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d errors=%d non2xx=%d rps=%.1f p50=%.2f p95=%.2f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000))
end
