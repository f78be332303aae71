#!/usr/bin/env python3
"""Generates the benchmark repositories with git fast-import: deterministic content, fixed dates.

  gen_repos.py <repos dir>
  gen_repos.py --pages <repos dir>     the module pages' folder only (served with --prefix pages.bench.test):
                                       tags.git (10,000 tags, as below) and p001.git .. p999.git (v1.0.0 each),
                                       1,000 repositories in all

github.com/bench/small.git   a 50-file module, v1.0.0
github.com/bench/large.git   ~100 MiB, 5,000 files (10 incompressible 5 MiB blobs), tags v1.0.0 .. v1.0.9
github.com/bench/huge.git    ~480 MiB (48 incompressible 10 MiB blobs), v1.0.0 .. v1.0.2
github.com/bench/warm.git    ~20 MiB, 1,000 files (2 incompressible 5 MiB blobs), v1.0.0 .. v1.0.2: zips built
                             before the cold-zip row, so that the JIT has compiled the build path by then
github.com/bench/tags.git    10,000 tags v1.<i/100>.<i%100> on 10,000 commits
github.com/bench/mNNNN.git   3,000 small repositories, v1.0.0 each (a fresh thousand for each of 3 runs)
github.com/bench/wNNN.git    300 more, asked first to warm the path of a repository's first .info

A repository that exists is kept, so a new kind added here is generated on the next run without redoing the rest.
"""
import concurrent.futures
import os
import random
import subprocess
import sys

PAGES = len(sys.argv) > 2 and sys.argv[1] == "--pages"
ROOT = sys.argv[-1]
DATE = 1704067200


def fast_import(name, stream_writer, folder=("github.com", "bench")):
    path = os.path.join(ROOT, *folder, name + ".git")
    if os.path.exists(path):
        return
    subprocess.run(["git", "init", "-q", "--bare", path], check=True)
    p = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    stream_writer(p.stdin)
    p.stdin.close()
    if p.wait() != 0:
        raise SystemExit("fast-import failed for " + name)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=path, check=True)


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.tick = DATE

    def blob(self, data):
        self.mark += 1
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data)
        self.out.write(b"\n")
        return self.mark

    def commit(self, files, message, parent=None, deleteall=False):
        self.mark += 1
        self.tick += 3600
        msg = message.encode()
        self.out.write(b"commit refs/heads/main\nmark :%d\n" % self.mark)
        self.out.write(b"author Bench <bench@example.com> %d +0000\n" % self.tick)
        self.out.write(b"committer Bench <bench@example.com> %d +0000\n" % self.tick)
        self.out.write(b"data %d\n%s\n" % (len(msg), msg))
        if parent:
            self.out.write(b"from :%d\n" % parent)
        if deleteall:
            self.out.write(b"deleteall\n")
        for path, mark in files.items():
            self.out.write(b"M 100644 :%d %s\n" % (mark, path.encode()))
        return self.mark

    def tag(self, name, commit):
        self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), commit))


def text(rng, size):
    words = [b"func", b"return", b"package", b"var", b"const", b"type", b"struct", b"interface", b"if", b"else"]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" " + (b"%x" % rng.getrandbits(32)) + (b"\n" if rng.random() < 0.15 else b" ")
    return bytes(out[:size])


def small(out):
    s = Stream(out)
    rng = random.Random(1)
    files = {"go.mod": s.blob(b"module github.com/bench/small\n\ngo 1.19\n")}
    for i in range(49):
        files["pkg%d/f%d.go" % (i % 5, i)] = s.blob(b"package pkg\n\n" + text(rng, 2000))
    c = s.commit(files, "small")
    s.tag("v1.0.0", c)


def large(out):
    s = Stream(out)
    rng = random.Random(2)
    files = {"go.mod": s.blob(b"module github.com/bench/large\n\ngo 1.19\n")}
    for i in range(4989):
        files["dir%02d/sub%d/file%04d.go" % (i % 50, i % 7, i)] = s.blob(b"package large\n\n" + text(rng, 10000))
    for i in range(10):
        files["assets/blob%02d.bin" % i] = s.blob(rng.randbytes(5 << 20))
    c = s.commit(files, "large v1.0.0")
    s.tag("v1.0.0", c)
    for v in range(1, 10):
        files["version.go"] = s.blob(b"package large\n\nconst Version = %d\n" % v)
        c = s.commit(files, "large v1.0.%d" % v, parent=c)
        s.tag("v1.0.%d" % v, c)


def huge(out):
    s = Stream(out)
    rng = random.Random(3)
    files = {"go.mod": s.blob(b"module github.com/bench/huge\n\ngo 1.19\n")}
    for i in range(48):
        files["data/blob%02d.bin" % i] = s.blob(rng.randbytes(10 << 20))
    c = s.commit(files, "huge v1.0.0")
    s.tag("v1.0.0", c)
    for v in range(1, 3):
        files["version.go"] = s.blob(b"package huge\n\nconst Version = %d\n" % v)
        c = s.commit(files, "huge v1.0.%d" % v, parent=c)
        s.tag("v1.0.%d" % v, c)


def warm(out):
    s = Stream(out)
    rng = random.Random(4)
    files = {"go.mod": s.blob(b"module github.com/bench/warm\n\ngo 1.19\n")}
    for i in range(997):
        files["dir%02d/file%04d.go" % (i % 20, i)] = s.blob(b"package warm\n\n" + text(rng, 10000))
    for i in range(2):
        files["assets/blob%02d.bin" % i] = s.blob(rng.randbytes(5 << 20))
    c = s.commit(files, "warm v1.0.0")
    s.tag("v1.0.0", c)
    for v in range(1, 3):
        files["version.go"] = s.blob(b"package warm\n\nconst Version = %d\n" % v)
        c = s.commit(files, "warm v1.0.%d" % v, parent=c)
        s.tag("v1.0.%d" % v, c)


def tags(out, module=b"github.com/bench/tags"):
    s = Stream(out)
    files = {"go.mod": s.blob(b"module %s\n\ngo 1.19\n" % module)}
    c = None
    for i in range(10000):
        files["n.go"] = s.blob(b"package tags\n\nconst N = %d\n" % i)
        c = s.commit(files, "tag %d" % i, parent=c)
        s.tag("v1.%d.%d" % (i // 100, i % 100), c)


def many(index, name="m%04d", namespace=b"github.com/bench"):
    def write(out):
        s = Stream(out)
        files = {
            "go.mod": s.blob(b"module %s/%s\n\ngo 1.19\n" % (namespace, (name % index).encode())),
            "m.go": s.blob(b"package m\n\nconst I = %d\n" % index),
        }
        s.tag("v1.0.0", s.commit(files, name % index))
    return write


if PAGES:
    os.makedirs(ROOT, exist_ok=True)
    fast_import("tags", lambda out: tags(out, b"pages.bench.test/tags"), folder=())
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for f in [pool.submit(fast_import, "p%03d" % i, many(i, "p%03d", b"pages.bench.test"), ())
                  for i in range(1, 1000)]:
            f.result()
    print("module pages' repositories in", ROOT)
    sys.exit(0)

os.makedirs(os.path.join(ROOT, "github.com", "bench"), exist_ok=True)
fast_import("small", small)
fast_import("large", large)
fast_import("huge", huge)
fast_import("warm", warm)
fast_import("tags", tags)
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    jobs = [pool.submit(fast_import, "m%04d" % i, many(i)) for i in range(3000)]
    jobs += [pool.submit(fast_import, "w%03d" % i, many(i, "w%03d")) for i in range(300)]
    for f in jobs:
        f.result()
print("repositories in", ROOT)
