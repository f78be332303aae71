#!/usr/bin/env bash
# Benchmark harness for the Go module proxy (not part of the test run). In one run: generates deterministic
# repositories, starts the standalone proxy, nginx serving the same modules as a static GOPROXY tree, nginx +
# fcgiwrap + git-http-backend for go's direct mode over git HTTP, and measures with wrk, curl, git archive and
# the go command. Prints a table of ratios and writes it to <work>/results.md.
#
#   test-fixtures/bench/run.sh [work dir]      (default target/bench)
#
# Needs: java, mvn (to build the jar once), go, git, nginx, fcgiwrap, wrk, curl, python3, jcmd.
# On Debian: apt-get install -y golang-go git nginx fcgiwrap wrk curl python3
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mkdir -p "${1:-$root/target/bench}" && cd "${1:-$root/target/bench}" && pwd)"
for tool in java go git nginx fcgiwrap wrk curl python3 jcmd; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (Debian: apt-get install -y golang-go git nginx fcgiwrap wrk curl python3; a JDK for java/jcmd)" >&2; exit 1; }
done
jar="$root/target/goproxy-standalone.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ms() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1])*1000))" "$1"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b if b else float('inf')))" "$1" "$2"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print('%.3f' % (float(sys.argv[2])-float(sys.argv[1])))" "$1" "$(now)"; }

repos="$work/repos"
echo "== generating repositories (first run only) in $repos"
python3 "$root/test-fixtures/bench/gen_repos.py" "$repos"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

proxy_port="$(free_port)"; static_port="$(free_port)"; githttp_port="$(free_port)"
rm -rf "$work/data" "$work/static" "$work/gocache-"* "$work/nginx"
mkdir -p "$work/data" "$work/static" "$work/nginx"
echo "== starting the proxy on $proxy_port"
java -Xmx512m -jar "$jar" --repos "$repos" --prefix '' --listen "127.0.0.1:$proxy_port" --data "$work/data" \
  --cache-max-size 4g > "$work/proxy.log" 2>&1 &
proxy_pid=$!; pids+=("$proxy_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$proxy_port/go/github.com/bench/small/@v/list" >/dev/null && break; sleep 0.2; done
P="http://127.0.0.1:$proxy_port/go"

echo "== building the static GOPROXY tree from the proxy's answers"
fetch_static() { # module version
  local d="$work/static/go/$1/@v"; mkdir -p "$d"
  curl -sf "$P/$1/@v/list" -o "$d/list"
  for ext in info mod zip; do curl -sf "$P/$1/@v/$2.$ext" -o "$d/$2.$ext"; done
}
fetch_static github.com/bench/small v1.0.0
fetch_static github.com/bench/large v1.0.0

sock="$work/nginx/fcgiwrap.sock"
fcgiwrap -s "unix:$sock" & pids+=("$!")
sleep 0.5
nginx_user=""; [ "$(id -u)" = 0 ] && nginx_user="user root;"
cat > "$work/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  types { application/zip zip; application/json info; text/plain mod; }
  default_type text/plain;
  server { listen 127.0.0.1:$static_port; root $work/static; }
  server {
    listen 127.0.0.1:$githttp_port;
    location / {
      fastcgi_pass unix:$sock;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL 1;
      fastcgi_param PATH_INFO \$uri;
    }
  }
}
CONF
mkdir -p "$work/nginx/tmp"
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
S="http://127.0.0.1:$static_port/go"
G="http://127.0.0.1:$githttp_port"

results=()
row() { results+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); printf '%-46s ours=%-12s ref=%-12s ratio=%-6s target=%-10s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"; }
verdict() { python3 -c "import sys; r,op,t=float(sys.argv[1]),sys.argv[2],float(sys.argv[3]); print('PASS' if (r<=t if op=='le' else r>=t) else 'MISS')" "$1" "$2" "$3"; }

p50() { # url -> p50 in ms with 16 connections
  wrk -t2 -c16 -d6s --latency "$1" | awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'
}
rps() { wrk -t2 -c4 -d8s "$1" | awk '/Requests\/sec/ {print $2}'; }

echo "== warm .info, 16 clients (after a 5 s warm-up of each server)"
curl -sf "$P/github.com/bench/small/@v/v1.0.0.info" >/dev/null
wrk -t2 -c16 -d5s "$P/github.com/bench/small/@v/v1.0.0.info" >/dev/null
wrk -t2 -c16 -d5s "$S/github.com/bench/small/@v/v1.0.0.info" >/dev/null
ours=$(p50 "$P/github.com/bench/small/@v/v1.0.0.info"); ref=$(p50 "$S/github.com/bench/small/@v/v1.0.0.info")
r=$(ratio "$ours" "$ref"); row "warm .info p50 latency, 16 clients (ms)" "$ours" "$ref" "$r" "<= 1.5x" "$(verdict "$r" le 1.5)"

echo "== warm large .zip throughput"
size=$(stat -c %s "$work/static/go/github.com/bench/large/@v/v1.0.0.zip")
ours=$(rps "$P/github.com/bench/large/@v/v1.0.0.zip"); ref=$(rps "$S/github.com/bench/large/@v/v1.0.0.zip")
oursm=$(python3 -c "print('%.0f' % ($ours*$size/1048576))"); refm=$(python3 -c "print('%.0f' % ($ref*$size/1048576))")
r=$(ratio "$ours" "$ref"); row "warm large .zip throughput (MiB/s)" "$oursm" "$refm" "$r" ">= 0.7x" "$(verdict "$r" ge 0.7)"

echo "== cold large .zip vs git archive"
t=$(curl -s -o /dev/null -w '%{time_total}' "$P/github.com/bench/large/@v/v1.0.1.zip")
start=$(now); git -C "$repos/github.com/bench/large.git" archive --format=zip v1.0.1 > /dev/null; ga=$(since "$start")
r=$(ratio "$t" "$ga"); row "cold large .zip, time to last byte (s)" "$t" "$ga" "$r" "<= 1.5x" "$(verdict "$r" le 1.5)"

echo "== cold go mod download: proxy vs direct mode over git HTTP"
gitcfg="$work/gitconfig"; printf '[url "%s/github.com/bench/large.git"]\n\tinsteadOf = https://github.com/bench/large\n' "$G" > "$gitcfg"
godl() { # proxy gocache-dir
  env -i PATH="$PATH" HOME="$work" GOPATH="$2" GOMODCACHE="$2/mod" GOCACHE="$2/build" GOFLAGS=-modcacherw \
    GOSUMDB=off GOPROXY="$1" GIT_CONFIG_GLOBAL="$gitcfg" GIT_CONFIG_NOSYSTEM=1 \
    go mod download -json github.com/bench/large@v1.0.2 > /dev/null
}
start=$(now); godl "$P/" "$work/gocache-proxy"; tp=$(since "$start")
start=$(now); godl direct "$work/gocache-direct"; td=$(since "$start")
r=$(ratio "$td" "$tp"); row "cold large module, go mod download (s)" "$tp" "$td" "$r" ">= 3x faster" "$(verdict "$r" ge 3)"
# The go command's own share (download, hash, unzip 5,000 files): the same version again, now cached by the
# proxy, into a fresh module cache. No proxy can make the cold download faster than this.
rm -rf "$work/gocache-floor"; start=$(now); godl "$P/" "$work/gocache-floor"; tf=$(since "$start")
row "  go mod download of a cached zip: client floor (s)" "$tf" "$td" "$(ratio "$td" "$tf")" "(context)" "-"

echo "== 64 concurrent cold requests for one zip"
before=$(grep -c "goproxy: building .*large@v1.0.3" "$work/proxy.log" || true)
mkdir -p "$work/concurrent"; rm -f "$work/concurrent/"*
seq 64 | xargs -P64 -I{} curl -s -o "$work/concurrent/{}.zip" "$P/github.com/bench/large/@v/v1.0.3.zip"
builds=$(( $(grep -c "goproxy: building .*large@v1.0.3" "$work/proxy.log" || true) - before ))
distinct=$(sha256sum "$work/concurrent/"*.zip | awk '{print $1}' | sort -u | wc -l)
row "64 concurrent cold requests, one zip" "$builds build(s)" "$distinct distinct body" "-" "1 build, 1 body" "$([ "$builds" = 1 ] && [ "$distinct" = 1 ] && echo PASS || echo MISS)"

echo "== @v/list on 10,000 tags, warm"
curl -sf "$P/github.com/bench/tags/@v/list" -o "$work/tags-list.txt"
lines=$(wc -l < "$work/tags-list.txt")
times=$(for _ in $(seq 21); do curl -s -o /dev/null -w '%{time_total}\n' "$P/github.com/bench/tags/@v/list"; done | sort -n | sed -n 11p)
row "@v/list on 10,000 tags ($lines listed), warm median (ms)" "$(ms "$times")" "-" "-" "< 50 ms" "$(python3 -c "print('PASS' if $times*1000 < 50 else 'MISS')")"

echo "== first .info across 1,000 repositories"
for i in $(seq 0 999); do
  curl -s -o /dev/null -w '%{time_total}\n' "$P/github.com/bench/m$(printf %04d "$i")/@v/v1.0.0.info"
done > "$work/first-info.txt"
first=$(head -10 "$work/first-info.txt" | sort -n | sed -n 5p); last=$(tail -10 "$work/first-info.txt" | sort -n | sed -n 5p)
r=$(ratio "$last" "$first"); row "first .info, repos #991-1000 vs #1-10 (median ms)" "$(ms "$last")" "$(ms "$first")" "$r" "<= 1.5x" "$(verdict "$r" le 1.5)"

echo "== heap while streaming a ~480 MiB module"
heap() { jcmd "$proxy_pid" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen|total/ && /used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,","",v); sub("K","",v); print int(v/1024); exit}}'; }
jcmd "$proxy_pid" GC.run >/dev/null 2>&1 || true; sleep 1
idle=$(heap); rss_idle=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$proxy_pid/status")
curl -s -o /dev/null --limit-rate 200M "$P/github.com/bench/huge/@v/v1.0.0.zip" & cpid=$!
peak=$idle; rss_peak=$rss_idle
while kill -0 "$cpid" 2>/dev/null; do
  h=$(heap); [ -n "$h" ] && [ "$h" -gt "$peak" ] && peak=$h
  r2=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$proxy_pid/status"); [ "$r2" -gt "$rss_peak" ] && rss_peak=$r2
  sleep 0.2
done
growth=$((peak - idle))
row "heap growth streaming ~480 MiB (MiB; RSS ${rss_idle}->${rss_peak})" "$growth" "idle $idle" "-" "< 64 MiB" "$([ "$growth" -lt 64 ] && echo PASS || echo MISS)"

{
  echo "| scenario | ours | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)" GiB"}' /proc/meminfo); $(java -version 2>&1 | head -1); $(go version); $(git --version); nginx $(nginx -v 2>&1 | sed 's/.*\///')"
} > "$work/results.md"
echo; cat "$work/results.md"
