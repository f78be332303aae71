#!/usr/bin/env python3
"""Turns the per-run values run.sh recorded into the results table: one row per scenario, each the median
of its runs with the range, the ratio of every run, and a verdict.

  table.py <values dir>

<values dir>/<row>.<metric> holds one number per line, one line per run, in run order. A row whose files
are missing was not run (run.sh --rows) and is left out.
"""
import os
import statistics
import sys


def load(values, row, metric):
    path = os.path.join(values, "%s.%s" % (row, metric))
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return [float(line) for line in f if line.strip()]


def fmt(v):
    if v == float("inf"):
        return "inf"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.2f" % v


def summary(vals):
    """median (min-max) of the runs; just the value for one run."""
    if len(vals) == 1:
        return fmt(vals[0])
    return "%s (%s-%s)" % (fmt(statistics.median(vals)), fmt(min(vals)), fmt(max(vals)))


class Row:
    """A scenario. ratio: 'ours/ref', 'ref/ours' or None. check: (what, op, limit) with what 'ratio' or
    'ours'. every: the verdict needs every run to meet the target, not only the median."""

    def __init__(self, key, label, ref_label, target, check, ratio="ours/ref", every=False, context=False):
        self.key, self.label, self.ref_label = key, label, ref_label
        self.target, self.check, self.ratio, self.every, self.context = target, check, ratio, every, context

    def render(self, values):
        ours = load(values, self.key, "ours")
        if not ours:
            return None
        ref = load(values, self.key, "ref")
        ratios = None
        if self.ratio and ref and len(ref) == len(ours):
            a, b = (ours, ref) if self.ratio == "ours/ref" else (ref, ours)
            ratios = [x / y if y else float("inf") for x, y in zip(a, b)]
        ref_cell = "-" if not ref else summary(ref) + (" " + self.ref_label if self.ref_label else "")
        if ratios:
            ratio_cell = fmt(statistics.median(ratios))
            if len(ratios) > 1:
                ratio_cell += " [" + " ".join(fmt(r) for r in ratios) + "]"
        else:
            ratio_cell = "-"
        if self.context:
            result = "-"
        else:
            what, op, limit = self.check
            series = ratios if what == "ratio" else ours
            judged = series if self.every else [statistics.median(series)]
            ok = all((v <= limit) if op == "<=" else (v >= limit) if op == ">=" else (v < limit) for v in judged)
            result = "PASS" if ok else "MISS"
        return "| %s | %s | %s | %s | %s | %s |" % (self.label, summary(ours), ref_cell, ratio_cell, self.target, result)


ROWS = [
    Row("info", "warm .info p50 latency, 16 clients (ms)", "nginx", "<= 1.5x", ("ratio", "<=", 1.5)),
    Row("zipwarm", "warm large .zip throughput (MiB/s)", "nginx", ">= 0.7x", ("ratio", ">=", 0.7)),
    Row("zipcold", "cold large .zip, time to last byte (s)", "git archive", "<= 1.5x every run",
        ("ratio", "<=", 1.5), every=True),
    Row("zipcold_cpu", "  the same, CPU time of the server vs git archive (s)", "git archive", "(context)", None,
        context=True),
    Row("godl", "cold large module, go mod download (s)", "direct mode", ">= 3x faster", ("ratio", ">=", 3.0),
        ratio="ref/ours"),
    Row("godl_floor", "  go mod download of a cached zip: client floor (s)", "direct mode", "(context)", None,
        ratio="ref/ours", context=True),
    Row("list", "@v/list on 10,000 tags, warm median (ms)", None, "< 50 ms", ("ours", "<", 50.0), ratio=None),
    Row("firstinfo", "first .info, repos #951-1000 vs #1-50 (median ms)", "#1-50", "<= 1.5x", ("ratio", "<=", 1.5)),
    Row("heap", "live heap growth streaming ~480 MiB (MiB)", "live before", "< 64 MiB", ("ours", "<", 64.0), ratio=None),
    Row("slow", "normal .info p99 with 400 slow zip readers (ms)", "unloaded", "< 100 ms", ("ours", "<", 100.0)),
    Row("depwarm", "third-party large .zip kept by the dependency proxy, throughput (MiB/s)", "nginx", ">= 0.7x",
        ("ratio", ">=", 0.7)),
    Row("depfirst", "third-party large module, first go mod download through the forge (s)", "upstream directly",
        "<= 1.3x", ("ratio", "<=", 1.3)),
    Row("gotab", "module page (Go tab) of a repository with 10,000 tags, warm median (ms)", None, "< 300 ms",
        ("ours", "<", 300.0), ratio=None),
    Row("gotab_cpu", "  the same, server CPU per view (ms)", None, "(context)", None, ratio=None, context=True),
    Row("modlist", "instance module list over 1,000 repositories, warm median (ms)", None, "< 300 ms",
        ("ours", "<", 300.0), ratio=None),
    Row("modlist_cpu", "  the same, server CPU per view (ms)", None, "(context)", None, ratio=None, context=True),
    Row("flood", "public anonymous .info p90, 250-client wrong-password flood (ms)", "unloaded", "< 100 ms",
        ("ours", "<", 100.0)),
    Row("prebuilt", "large module pushed and pre-built, first go mod download: standalone --prebuild-interval (s)",
        "direct mode", ">= 3.5x faster", ("ratio", ">=", 3.5), ratio="ref/ours"),
    Row("gbprebuilt", "the same, pushed over HTTP to Gitblit 1.9.3 with the plugin (s)", "direct mode", ">= 3.5x faster",
        ("ratio", ">=", 3.5), ratio="ref/ours"),
    Row("push100", "push of 100 version tags on 100 new commits of the large module, Go on, pushChecks=warn (s)",
        "Go off", "<= 1.2x", ("ratio", "<=", 1.2)),
    Row("push100same", "push of 100 version tags on one new commit, Go on (s)", "Go off", "<= 1.2x",
        ("ratio", "<=", 1.2)),
    Row("push1000", "push of 1,000 version tags on 1,000 new commits, Go on (s)", "Go off", "(context)", None,
        context=True),
    Row("push1000_queue", "  the same: versions queued for pre-building (prebuildQueueLength 100)", None,
        "<= 102 (100 + in flight)", ("ours", "<=", 102.0), ratio=None),
    Row("nginxcache", "warm large .zip through nginx's proxy cache, nodes' front (MiB/s)", "nginx static", ">= 0.7x",
        ("ratio", ">=", 0.7)),
    Row("nodes3", "six cold large .zip at once: three nodes vs one, time to the last (s)", "one node", "(context)",
        None, context=True),
    Row("nodes3_same", "  the same: versions whose bodies are identical on both sides (of 6)", "", "6 of 6",
        ("ours", ">=", 6), ratio=None),
]


def concurrent_row(values):
    builds = load(values, "concurrent", "builds")
    bodies = load(values, "concurrent", "bodies")
    if not builds:
        return None
    not200 = load(values, "concurrent", "not200") or [0] * len(builds)
    ok = all(b == 1 for b in builds) and all(d == 1 for d in bodies) and not any(not200)
    per_run = ", ".join("%d/%d" % (b, d) + (" (%d not 200)" % n if n else "") for b, d, n in zip(builds, bodies, not200))
    return "| 64 concurrent cold requests, one zip: builds/distinct bodies | %s | - | - | 1 build, 1 body | %s |" % (
        per_run, "PASS" if ok else "MISS")


def main():
    values = sys.argv[1]
    print("| scenario | ours: median (range) | reference: median (range) | ratio: median [each run] | target | result |")
    print("|---|---|---|---|---|---|")
    for row in ROWS:
        line = row.render(values)
        if line:
            print(line)
        if row.key == "godl_floor":
            line = concurrent_row(values)
            if line:
                print(line)


if __name__ == "__main__":
    main()
