#!/usr/bin/env python3
"""Writes a checksum-database log in the proxy's on-disk format (docs/checksum-database.md, "Storage"):
records, offsets, times, hashes (x/mod's stored-hash layout) and tree, for the benchmark's large-log rows.

  sumdb_log.py <log dir> <module path> <records>

Record i is the go.sum lines of <module path> at v0.1.<i> (fake hashes); the server verifies every record
against its hashes when it opens the log, so a mistake here stops it from starting.
"""
import base64
import hashlib
import os
import struct
import sys
import time

folder, module, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(folder, exist_ok=True)


def leaf(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def stored_index(level, n):
    for _ in range(level):
        n = 2 * n + 1
    i = 0
    while n > 0:
        i += n
        n >>= 1
    return i + level


hashes = []
records = open(os.path.join(folder, "records"), "wb")
offsets = open(os.path.join(folder, "offsets"), "wb")
times = open(os.path.join(folder, "times"), "wb")
offset = 0
now = int(time.time() * 1e6) - count
for n in range(count):
    text = ("%s v0.1.%d h1:%s=\n%s v0.1.%d/go.mod h1:%s=\n" % (
        module, n, base64.b64encode(os.urandom(30)).decode()[:42], module, n,
        base64.b64encode(os.urandom(30)).decode()[:42])).encode()
    records.write(struct.pack(">I", len(text)) + text)
    offsets.write(struct.pack(">q", offset))
    times.write(struct.pack(">q", now + n))
    offset += 4 + len(text)
    h = leaf(text)
    hashes.append(h)
    level = 0
    m = n
    while m & 1:
        h = node(hashes[stored_index(level, (n >> level) - 1)], h)
        hashes.append(h)
        level += 1
        m >>= 1
for f in (records, offsets, times):
    f.close()
with open(os.path.join(folder, "hashes"), "wb") as f:
    f.write(b"".join(hashes))


def subtree(lo, hi):
    """Root of records [lo, hi) from stored complete subtrees, as x/mod's TreeHash."""
    if hi - lo == 1:
        return hashes[stored_index(0, lo)]
    size = hi - lo
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return hashes[stored_index(level, lo >> level)]
    k = 1 << ((hi - lo - 1).bit_length() - 1)
    return node(subtree(lo, lo + k), subtree(lo + k, hi))


root = subtree(0, count) if count else bytes(32)
with open(os.path.join(folder, "tree"), "w") as f:
    f.write("go.sum database tree\n%d\n%s\n" % (count, base64.b64encode(root).decode()))
