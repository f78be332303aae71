"""Existence timing: does a private repository answer an anonymous caller measurably slower than a path that
names nothing? Paired requests on one keep-alive connection, in random order per pair, after a warm-up.

    python3 existence_timing.py HOST PORT PATH_OF_A_PRIVATE_MODULE PATH_OF_NOTHING PAIRS
"""
import http.client, sys, time, random, statistics
host, port, existing, absent, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
c = http.client.HTTPConnection(host, port)
def t(path):
    s = time.perf_counter_ns(); c.request("GET", path); r = c.getresponse(); r.read(); return (time.perf_counter_ns() - s) / 1000.0, r.status
for _ in range(300):
    t(existing); t(absent)
slower = 0; de = []; da = []
for i in range(n):
    order = [existing, absent] if random.random() < 0.5 else [absent, existing]
    res = {p: t(p) for p in order}
    e, a = res[existing][0], res[absent][0]
    de.append(e); da.append(a)
    if e > a: slower += 1
print("status existing=%d absent=%d" % (res[existing][1], res[absent][1]))
print("median us existing=%.1f absent=%.1f diff=%.1f; existing slower in %d of %d pairs" % (statistics.median(de), statistics.median(da), statistics.median(de) - statistics.median(da), slower, n))
