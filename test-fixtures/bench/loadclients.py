#!/usr/bin/env python3
"""Load clients for the benchmark harness (run.sh): bounded in count and time, loopback only.

  loadclients.py get URL                 one timed GET: first byte, last body byte, end of response
  loadclients.py seq URL...              sequential GETs on one keep-alive connection; one time (s) per line
  loadclients.py probe PROBE_URL         PROBE_URL timed with no load (the reference for the next two);
                                         --keep-alive N --warmup W: over N persistent connections, after W
                                         unmeasured requests (also for slow and flood)
  loadclients.py slow ZIP_URL PROBE_URL  slow readers of ZIP_URL while PROBE_URL is timed
  loadclients.py flood URL... PROBE_URL  wrong-password flood on the URLs (spread over the clients) while
                                         anonymous PROBE_URL is timed

probe, slow and flood print one JSON object: the probe's percentiles (ms) and what the load actually did, so a
reader of the results can tell a server that held up from a load that never got going. Every socket goes to
127.0.0.1 or ::1 (anything else is refused), every loop ends at a deadline, and the number of connections
never exceeds --clients plus the probe's own.
"""
import argparse
import asyncio
import base64
import json
import multiprocessing
import queue
import random
import resource
import socket
import threading
import time
import urllib.parse

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def target(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or u.hostname not in LOOPBACK:
        raise SystemExit("loadclients: only http://127.0.0.1 or ::1 URLs, not " + url)
    path = u.path + ("?" + u.query if u.query else "")
    return u.hostname, u.port or 80, path


def source_address(index, sources, host):
    """With sources > 1, client i speaks from 127.1.x.y, one of `sources` loopback addresses (all of 127/8 is
    loopback on Linux): distinct clients, as the server sees them, without leaving the machine."""
    if sources <= 1:
        return None
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("loadclients: --sources needs an http://127.0.0.1 URL")
    n = index % sources
    return ("127.1.%d.%d" % (n // 250, n % 250 + 1), 0)


def request_bytes(host, port, path, authorization=None, close=False):
    lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (host, port), "User-Agent: goproxy-bench"]
    if authorization:
        lines.append("Authorization: " + authorization)
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


class Response:
    """An HTTP/1.1 response read off a blocking socket, timing the first byte, last body byte and end."""

    def __init__(self, sock, start):
        self.sock = sock
        self.start = start
        self.buf = b""
        self.first = None
        self.last_body = None
        self.body = 0
        self.status = 0
        self.keep_alive = True

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("closed mid-response")
        if self.first is None:
            self.first = time.monotonic()
        self.buf += data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _take(self, n):
        """Consumes n body bytes, timing the arrival of the last one."""
        while n > 0:
            if not self.buf:
                self._fill()
            k = min(n, len(self.buf))
            self.buf = self.buf[k:]
            n -= k
            self.body += k
            self.last_body = time.monotonic()

    def read(self):
        self.status = int(self._line().split()[1])
        headers = {}
        while True:
            line = self._line()
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        self.keep_alive = headers.get("connection", "").lower() != "close"
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                self._take(size)
                self._line()
        elif "content-length" in headers:
            self._take(int(headers["content-length"]))
        else:
            self.keep_alive = False
            try:
                while True:
                    self._fill()
                    self.body += len(self.buf)
                    self.last_body = time.monotonic()
                    self.buf = b""
            except ConnectionError:
                pass
        return time.monotonic()


def timed_get(host, port, path, authorization=None, timeout=30.0, sock=None):
    """One GET on sock (kept open when the server allows) or on a new connection closed after it.
    Returns (status, seconds, response, the socket to reuse or None)."""
    start = time.monotonic()
    close = sock is None
    if close:
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(timeout)
    sock.sendall(request_bytes(host, port, path, authorization, close=close))
    resp = Response(sock, start)
    end = resp.read()
    if close or not resp.keep_alive:
        sock.close()
        sock = None
    return resp.status, end - start, resp, sock


def cmd_get(args):
    host, port, path = target(args.url)
    status, total, resp, _ = timed_get(host, port, path, timeout=120)
    first = resp.first - resp.start
    last = (resp.last_body or resp.first) - resp.start
    print(json.dumps({"status": status, "bytes": resp.body, "first_byte": round(first, 4),
                      "last_body_byte": round(last, 4), "end": round(total, 4),
                      "after_last_byte": round(total - last, 4)}))


def cmd_seq(args):
    """Keep-alive: the time of each answer without a connection set-up or a process start in it."""
    sock = None
    for url in args.urls:
        host, port, path = target(url)
        if sock is None:
            sock = socket.create_connection((host, port), timeout=30)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        status, seconds, _, sock = timed_get(host, port, path, sock=sock)
        print("%.6f %d" % (seconds, status), flush=True)
    if sock:
        sock.close()


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def probe_process(url, count, rate, timeout, go, out, keep_alive=0, warmup=0):
    """Open-loop probe: request i is due at i/rate seconds whatever the earlier ones do, and its time runs from
    when it was due, so a server that falls behind is charged for the queue too (no coordinated omission). A
    timeout counts as `timeout` seconds.

    keep_alive=0: each request on a new connection, as a new client would (connection set-up and a thread start
    in the probe are in every sample). keep_alive=N: N persistent connections, each with its own thread, take the
    due requests in turn, after `warmup` unmeasured requests on them (the server's JIT and the probe's own first
    requests are not what a p99 should report); a connection the server closes is opened again, and that
    request's sample includes the new connection."""
    host, port, path = target(url)
    go.wait()
    if keep_alive > 0:
        out.put(keep_alive_probe(host, port, path, count, rate, timeout, keep_alive, warmup))
        return
    times, statuses, errors = [], {}, []
    lock = threading.Lock()

    def one():
        try:
            status, seconds, _, _ = timed_get(host, port, path, timeout=timeout)
        except Exception as e:  # any failure is a failed probe, counted, never a lost sample
            status, seconds = 0, timeout
            with lock:
                errors.append(type(e).__name__)
        with lock:
            times.append(seconds)
            statuses[status] = statuses.get(status, 0) + 1

    t0 = time.monotonic()
    threads = []
    for i in range(count):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(timeout + 5)
    out.put(summary(times, statuses, errors))


def summary(times, statuses, errors, **extra):
    ms = [v * 1000 for v in times]
    result = {"n": len(ms), "p50": round(percentile(ms, 50), 2), "p90": round(percentile(ms, 90), 2),
              "p99": round(percentile(ms, 99), 2), "max": round(max(ms), 2),
              "statuses": {str(k): v for k, v in sorted(statuses.items())},
              "errors": len(errors)}
    result.update(extra)
    return result


def keep_alive_probe(host, port, path, count, rate, timeout, connections, warmup):
    socks = [None] * connections

    def get(k, sock_timeout):
        status, _, _, socks[k] = timed_get(host, port, path, timeout=sock_timeout, sock=socks[k] or connect())

    def connect():
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    for i in range(warmup):
        try:
            get(i % connections, timeout)
        except Exception:
            socks[i % connections] = None
    times, statuses, errors = [], {}, []
    lock = threading.Lock()
    next_index = [0]
    t0 = time.monotonic() + 0.05

    def worker(k):
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= count:
                return
            due = t0 + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                status, _, _, socks[k] = timed_get(host, port, path, timeout=timeout, sock=socks[k] or connect())
                seconds = time.monotonic() - due
            except Exception as e:  # a failed probe, counted, never a lost sample
                status, seconds = 0, timeout
                socks[k] = None
                with lock:
                    errors.append(type(e).__name__)
            with lock:
                times.append(min(seconds, timeout))
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(count / rate + timeout * count + 5)
    for sock in socks:
        if sock:
            sock.close()
    return summary(times, statuses, errors, keep_alive=connections, warmup=warmup)


class Probe:
    """The probe in its own process, so the load's event loop cannot delay or pace it. Started before the
    load opens any socket (a forked child would otherwise hold the load's connections open), then released."""

    def __init__(self, url, count, rate, timeout, keep_alive=0, warmup=0):
        self.go = multiprocessing.Event()
        self.out = multiprocessing.Queue()
        self.proc = multiprocessing.Process(target=probe_process,
                                            args=(url, count, rate, timeout, self.go, self.out, keep_alive, warmup))
        self.proc.start()

    async def run(self):
        self.go.set()
        while self.proc.is_alive() and self.out.empty():
            await asyncio.sleep(0.1)
        try:
            result = self.out.get(timeout=5)
        except queue.Empty:
            raise SystemExit("loadclients: the probe process ended without a result")
        self.proc.join()
        return result


async def slow_reader(source, host, port, path, rate, deadline, stats):
    """Holds one connection reading `rate` bytes a second until the deadline; reconnects if dropped."""
    loop = asyncio.get_running_loop()
    tick = 0.25
    while time.monotonic() < deadline:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        # A small receive window: the server's writes block after a few KiB instead of filling megabytes.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if source:
            sock.bind(source)
        sock.setblocking(False)
        got_any = receiving = False
        try:
            await asyncio.wait_for(loop.sock_connect(sock, (host, port)), max(0.1, deadline - time.monotonic()))
            stats["connects"] += 1
            await loop.sock_sendall(sock, request_bytes(host, port, path, close=True))
            while time.monotonic() < deadline:
                await asyncio.sleep(tick)
                try:
                    data = sock.recv(max(1, int(rate * tick)))
                except BlockingIOError:
                    continue
                if not data:
                    stats["closed_by_server"] += 1
                    break
                if not got_any:
                    got_any = True
                    code = data[9:12].decode("ascii", "replace") if data.startswith(b"HTTP/1.1 ") else "?"
                    stats["statuses"][code] = stats["statuses"].get(code, 0) + 1
                    receiving = code == "200"  # a refusal's few bytes are not a reader holding a download
                    if receiving:
                        stats["receiving"] += 1
                stats["bytes"] += len(data)
        except (OSError, asyncio.TimeoutError):
            stats["errors"] += 1
        finally:
            if receiving:
                stats["receiving"] -= 1
            sock.close()
        if time.monotonic() < deadline:
            # Back in a second: persistent, but 400 readers and not a connection flood of their own.
            await asyncio.sleep(1.0)


async def slow_main(args):
    host, port, path = target(args.zip_url)
    prober = Probe(args.probe_url, args.probe_count, args.probe_rate, args.timeout, args.keep_alive, args.warmup)
    stats = {"connects": 0, "receiving": 0, "closed_by_server": 0, "errors": 0, "bytes": 0, "statuses": {}}
    start = time.monotonic()
    probe_start = start + args.ramp + args.settle
    # A backstop only: the load is cancelled as soon as the probe is done.
    deadline = probe_start + args.probe_count / args.probe_rate + args.timeout + 30
    rng = random.Random(7)
    tasks = []
    for i in range(args.clients):
        rate = rng.uniform(args.min_rate, args.max_rate)
        source = source_address(i, args.sources, host)
        tasks.append(asyncio.create_task(slow_reader(source, host, port, path, rate, deadline, stats)))
        await asyncio.sleep(args.ramp / args.clients)
    await asyncio.sleep(max(0, probe_start - time.monotonic()))
    receiving_at_probe = stats["receiving"]
    probe = await prober.run()
    receiving_after_probe = stats["receiving"]
    deadline_now = time.monotonic()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    seconds = deadline_now - start
    return {"probe": probe, "load": {"clients": args.clients, "receiving_at_probe_start": receiving_at_probe,
                                     "receiving_at_probe_end": receiving_after_probe,
                                     "connects": stats["connects"], "closed_by_server": stats["closed_by_server"],
                                     "errors": stats["errors"], "statuses": stats["statuses"],
                                     "avg_rate_bps": round(stats["bytes"] / max(1, args.clients) / seconds)}}


async def probe_only(args):
    return await Probe(args.probe_url, args.probe_count, args.probe_rate, args.timeout, args.keep_alive, args.warmup).run()


async def flooder(source, host, port, path, users, rate, deadline, stats, rng):
    """Closed-loop client sending wrong passwords, at most `rate` requests a second, until the deadline."""
    reader = writer = None
    interval = 1.0 / rate
    await asyncio.sleep(rng.uniform(0, interval))
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, local_addr=source),
                                                        max(0.1, deadline - began))
            user = rng.choice(users)
            secret = "wrong-%016x" % rng.getrandbits(64)
            auth = "Basic " + base64.b64encode(("%s:%s" % (user, secret)).encode()).decode()
            writer.write(request_bytes(host, port, path, auth))
            await writer.drain()
            status, keep = await asyncio.wait_for(read_async_response(reader), max(0.1, deadline - time.monotonic()))
            stats["statuses"][str(status)] = stats["statuses"].get(str(status), 0) + 1
            stats["requests"] += 1
            if not keep:
                writer.close()
                reader = writer = None
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
            stats["errors"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
        rest = interval - (time.monotonic() - began)
        if rest > 0:
            await asyncio.sleep(rest)
    if writer is not None:
        writer.close()


async def read_async_response(reader):
    status = int((await reader.readuntil(b"\r\n")).split()[1])
    headers = {}
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    keep = headers.get("connection", "").lower() != "close"
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()
        keep = False
    return status, keep


async def flood_main(args):
    targets = [target(u) for u in args.urls]
    prober = Probe(args.probe_url, args.probe_count, args.probe_rate, args.timeout, args.keep_alive, args.warmup)
    stats = {"requests": 0, "errors": 0, "statuses": {}}
    users = args.users.split(",")
    start = time.monotonic()
    probe_start = start + args.settle
    # A backstop only: the load is cancelled as soon as the probe is done.
    deadline = probe_start + args.probe_count / args.probe_rate + args.timeout + 30
    rng = random.Random(11)
    tasks = []
    for i in range(args.clients):
        host, port, path = targets[i % len(targets)]
        tasks.append(asyncio.create_task(flooder(source_address(i, args.sources, host), host, port, path, users,
                                                 args.rate, deadline, stats, random.Random(rng.getrandbits(32)))))
    await asyncio.sleep(max(0, probe_start - time.monotonic()))
    before = stats["requests"]
    t_probe = time.monotonic()
    probe = await prober.run()
    during = (stats["requests"] - before) / max(0.001, time.monotonic() - t_probe)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"probe": probe, "load": {"clients": args.clients, "requests": stats["requests"],
                                     "requests_per_s_during_probe": round(during, 1),
                                     "statuses": stats["statuses"], "errors": stats["errors"],
                                     "flood_client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("get")
    g.add_argument("url")
    s = sub.add_parser("seq")
    s.add_argument("urls", nargs="+")
    for name in ("probe", "slow", "flood"):
        p = sub.add_parser(name)
        if name == "slow":
            p.add_argument("zip_url")
        elif name == "flood":
            p.add_argument("urls", nargs="+", metavar="url")
        p.add_argument("probe_url")
        p.add_argument("--probe-count", type=int, default=200)
        p.add_argument("--probe-rate", type=float, default=20.0, help="probe requests started per second")
        p.add_argument("--timeout", type=float, default=10.0, help="a probe slower than this counts as this")
        p.add_argument("--settle", type=float, default=3.0, help="seconds of load before the probe starts")
        p.add_argument("--keep-alive", type=int, default=0,
                       help="probe over this many persistent connections (0: a new connection per probe)")
        p.add_argument("--warmup", type=int, default=0, help="unmeasured probe requests first (with --keep-alive)")
        if name != "probe":
            p.add_argument("--sources", type=int, default=1,
                           help="spread the clients over this many loopback source addresses (127.1.x.y)")
    sl = sub.choices["slow"]
    sl.add_argument("--clients", type=int, default=400)
    sl.add_argument("--min-rate", type=float, default=1024, help="bytes/s of the slowest reader")
    sl.add_argument("--max-rate", type=float, default=2048, help="bytes/s of the fastest reader")
    sl.add_argument("--ramp", type=float, default=2.0, help="seconds over which the readers connect")
    fl = sub.choices["flood"]
    fl.add_argument("--clients", type=int, default=250)
    fl.add_argument("--users", default="alice", help="comma-separated user names to send wrong passwords for")
    fl.add_argument("--rate", type=float, default=10.0,
                    help="at most this many requests a second per client (keeps the flood's own CPU bounded)")
    args = ap.parse_args()
    if args.cmd in ("probe", "slow", "flood"):
        if not (0 < getattr(args, "clients", 1) <= 1000 and 0 < args.probe_count <= 2000 and 0 < args.timeout <= 60
                and 0 < getattr(args, "sources", 1) <= 1000 and 0 <= args.keep_alive <= 16
                and 0 <= args.warmup <= 2000):
            raise SystemExit("loadclients: bounds are 1..1000 clients and sources, 1..2000 probes, a timeout up to 60 s,"
                             " 0..16 keep-alive connections, 0..2000 warm-up requests")
        for url in getattr(args, "urls", []) + [getattr(args, "zip_url", args.probe_url), args.probe_url]:
            target(url)
    if args.cmd == "get":
        cmd_get(args)
    elif args.cmd == "seq":
        cmd_seq(args)
    elif args.cmd == "probe":
        print(json.dumps({"probe": asyncio.run(probe_only(args))}))
    else:
        result = asyncio.run(slow_main(args) if args.cmd == "slow" else flood_main(args))
        print(json.dumps(result))


if __name__ == "__main__":
    main()
