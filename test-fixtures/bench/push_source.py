#!/usr/bin/env python3
"""The commits the push rows tag: a bare clone of the large module with, per group, a chain of new commits on top
of its v1.0.9, each changing only version.go (as a release would), on branch bench/<group>.

  push_source.py <large.git> <target.git> <group>=<count> ...

Fixed dates, so the commits are the same on every machine. A target that exists is kept.
"""
import os
import subprocess
import sys

DATE = 1767225600

source, target = sys.argv[1], sys.argv[2]
groups = [(g.split("=")[0], int(g.split("=")[1])) for g in sys.argv[3:]]
if not os.path.exists(target):
    subprocess.run(["git", "clone", "-q", "--bare", source, target], check=True)
    base = subprocess.run(["git", "-C", target, "rev-parse", "v1.0.9^{commit}"], check=True, capture_output=True,
                          text=True).stdout.strip()
    p = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=target, stdin=subprocess.PIPE)
    tick = DATE
    for name, count in groups:
        for i in range(count):
            tick += 60
            body = b"package large\n\nconst Version = \"%s-%d\"\n" % (name.encode(), i)
            msg = b"%s %d" % (name.encode(), i)
            p.stdin.write(b"commit refs/heads/bench/%s\n" % name.encode())
            p.stdin.write(b"author Bench <bench@example.com> %d +0000\n" % tick)
            p.stdin.write(b"committer Bench <bench@example.com> %d +0000\n" % tick)
            p.stdin.write(b"data %d\n%s\n" % (len(msg), msg))
            if i == 0:
                p.stdin.write(b"from %s\n" % base.encode())
            p.stdin.write(b"M 100644 inline version.go\ndata %d\n%s\n" % (len(body), body))
    p.stdin.close()
    if p.wait() != 0:
        raise SystemExit("fast-import failed in " + target)
print(target)
