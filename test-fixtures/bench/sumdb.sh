#!/usr/bin/env bash
# Benchmark rows of the forge's checksum database (issue 20), apart from run.sh: a 100,000-record log written
# in the server's format (sumdb_log.py), the standalone jar serving it, nginx serving the same tile, and wrk.
#
#   [JAR=other.jar] test-fixtures/bench/sumdb.sh [work dir]       (default target/bench-sumdb)
#
# Rows: warm lookup p50 (target <= 2 ms), a full hash tile p50 against nginx serving the same bytes (<= 1.5x),
# an index page of 2,000 over 100,000 versions p50 for one client (<= 50 ms), 10,000 appends
# as pins make them (<= 10 s, the product's ChecksumLog class from the jar), with 1,000 appends each committed
# on its own for context. Needs java, javac, git, nginx, wrk, curl, python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/test-fixtures/bench"
jar="${JAR:-$root/target/goproxy-standalone.jar}"
work="$(mkdir -p "${1:-$root/target/bench-sumdb}" && cd "${1:-$root/target/bench-sumdb}" && pwd)"
[ -f "$jar" ] || { echo "bench: build the jar first (mvn -B -DskipTests package)" >&2; exit 1; }
rm -rf "$work"/*; mkdir -p "$work/repos/bench" "$work/data/sumdb/log" "$work/static" "$work/nginx/tmp" "$work/src"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
p50() { wrk -t2 -c16 -d5s --latency "$1" | awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'; }
pids=(); trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$work/nginx/pid" ] && kill "$(cat "$work/nginx/pid")" 2>/dev/null || true' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# One real module, so that a lookup passes the download rule and pins a real version.
git -C "$work/src" init -q -b main
printf 'module bench.example/bench/lib\n\ngo 1.19\n' > "$work/src/go.mod"; printf 'package lib\n' > "$work/src/lib.go"
git -C "$work/src" add -A; git -C "$work/src" -c user.name=b -c user.email=b@example.com commit -qm lib
git -C "$work/src" tag v1.0.0; git clone -q --bare "$work/src" "$work/repos/bench/lib.git"

echo "== writing a log of 100,000 records"
python3 "$here/sumdb_log.py" "$work/data/sumdb/log" bench.example/bench/lib 100000
port=$(free_port)
java -Xmx512m -jar "$jar" --repos "$work/repos" --prefix bench.example --listen "127.0.0.1:$port" --data "$work/data" \
  > "$work/proxy.log" 2>&1 & pids+=("$!")
B="http://127.0.0.1:$port/go"
for _ in $(seq 150); do curl -sf -o /dev/null "$B/sumdb/bench.example/latest" && break; sleep 0.2; done
curl -sf "$B/sumdb/bench.example/latest" >/dev/null || { echo "bench: the proxy did not start; see $work/proxy.log" >&2; exit 1; }
lookup="$B/sumdb/bench.example/lookup/bench.example/bench/lib@v1.0.0"
curl -sf "$lookup" > /dev/null   # pins v1.0.0 and appends its record
tile="tile/8/0/200"              # a full tile in the middle of the log
curl -sf "$B/sumdb/bench.example/$tile" -o "$work/static/tile"
[ "$(stat -c %s "$work/static/tile")" = 8192 ] || { echo "bench: $tile is not a full tile" >&2; exit 1; }
since=$(curl -sf "$B/index?limit=2000" | sed -n '2000p' | sed 's/.*"Timestamp":"\([^"]*\)".*/\1/')
sport=$(free_port); nginx_user=""; [ "$(id -u)" = 0 ] && nginx_user="user root;"
cat > "$work/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes 2; daemon on; pid $work/nginx/pid; error_log $work/nginx/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$sport; location / { root $work/static; default_type application/octet-stream; } } }
CONF
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"

for warm in 1 2; do p50 "$lookup" >/dev/null; p50 "$B/sumdb/bench.example/$tile" >/dev/null; done
lookup_ms=$(p50 "$lookup")
tile_ours=$(p50 "$B/sumdb/bench.example/$tile"); tile_ref=$(p50 "http://127.0.0.1:$sport/tile")
# One client asking for one page at a time: the latency of a page, not of a queue of 16.
index_ms=$(wrk -t1 -c1 -d5s --latency "$B/index?since=$since&limit=2000" | awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}')

cat > "$work/Appends.java" <<'JAVA'
import java.nio.file.Paths;
import java.util.Collections;
import com.gitblit.plugin.goproxy.cache.ChecksumLog;
public class Appends {
    public static void main(String[] a) throws Exception {
        try (ChecksumLog log = ChecksumLog.open(Paths.get(a[0]))) {
            // As pins append: each record written, one commit (fsync, new root) for all of them.
            long t = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                String m = "bench.example/append/m" + i;
                log.add(Collections.singletonList(m + " v1.0.0 h1:z=\n" + m + " v1.0.0/go.mod h1:m=\n"));
            }
            log.commit();
            double pinned = (System.nanoTime() - t) / 1e9;
            // As lookups of never-seen versions append: each one committed before it is answered.
            t = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                String m = "bench.example/lookup/m" + i;
                log.append(Collections.singletonList(m + " v1.0.0 h1:z=\n" + m + " v1.0.0/go.mod h1:m=\n"));
            }
            System.out.printf("%.2f %.2f%n", pinned, (System.nanoTime() - t) / 1e9);
        }
    }
}
JAVA
javac -cp "$jar" -d "$work" "$work/Appends.java"
read -r appends_s committed_s < <(java -cp "$jar:$work" Appends "$work/appends-log")

ratio=$(python3 -c "print(round($tile_ours / $tile_ref, 2))")
verdict() { python3 -c "print('PASS' if $1 else 'MISS')"; }
{
  echo "| row | measured | target | |"
  echo "|---|---|---|---|"
  echo "| warm lookup p50 (16 connections) | ${lookup_ms} ms | <= 2 ms | $(verdict "$lookup_ms <= 2") |"
  echo "| full hash tile p50, ours / nginx | ${tile_ours} / ${tile_ref} ms = ${ratio}x | <= 1.5x | $(verdict "$ratio <= 1.5") |"
  echo "| index page of 2,000 over 100,001 versions p50 | ${index_ms} ms | <= 50 ms | $(verdict "$index_ms <= 50") |"
  echo "| 10,000 appends as pins make them (written, one commit) | ${appends_s} s | <= 10 s | $(verdict "$appends_s <= 10") |"
  echo "| context: 1,000 appends each committed on its own (a lookup of a never-seen version) | ${committed_s} s | | |"
  echo
  echo "Load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%F)."
} | tee "$work/results.md"
