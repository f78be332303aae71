#!/usr/bin/env bash
# Benchmark harness for the Go module proxy (not part of the test run). Generates deterministic repositories,
# starts the standalone proxy, nginx serving the same modules as a static GOPROXY tree, nginx + fcgiwrap +
# git-http-backend for go's direct mode over git HTTP, and measures with wrk, git archive, the go command and
# the loopback load clients of loadclients.py. Every row is measured --runs times (default 3); the runs are
# interleaved (run 1 of every row, then run 2 of every row...) so that a burst of load from elsewhere on the
# machine hits one run of several rows rather than every run of one row, and each row reports the median with
# its range and the ratio of each run. Writes <work>/results.md; the per-run values stay in <work>/values.
#
#   test-fixtures/bench/run.sh [--rows a,b,...] [--runs N] [work dir]     (default target/bench)
#   test-fixtures/bench/run.sh --jar FILE ...                              another build of the standalone jar
#   test-fixtures/bench/run.sh --list                                      the row names
#
# The rows prebuilt, gbprebuilt and push* push tags (issue 16): into the bare folder of a standalone proxy run with
# --prebuild-interval, or with the git CLI over HTTP to a real Gitblit 1.9.3 with the plugin (gitblit.sh; the
# plugin zip from target/, built once like the jar).
#
# Needs: java, mvn (to build the jar once), go, git, nginx, fcgiwrap, wrk, curl, python3, jcmd, jstat.
# On Debian: apt-get install -y golang-go git nginx fcgiwrap wrk curl python3
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/test-fixtures/bench"
all_rows="info zipwarm zipcold godl concurrent list firstinfo heap slow flood depwarm depfirst prebuilt gbprebuilt push100 push100same push1000 gotab modlist nginxcache nodes3"
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  echo "Rows: $all_rows"
}
rows="$all_rows"; runs=3; work_arg=""; jar="$root/target/goproxy-standalone.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="${2//,/ }"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; rows="${rows//,/ }"; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --jar) jar="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --list) echo "$all_rows"; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "bench: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) work_arg="$1"; shift ;;
  esac
done
for r in $rows; do
  [[ " $all_rows " == *" $r "* ]] || { echo "bench: unknown row '$r' (rows: $all_rows)" >&2; exit 2; }
done
# Cold rows take a fresh version per run and the repositories hold three of each (gen_repos.py).
[[ "$runs" =~ ^[1-3]$ ]] || { echo "bench: --runs must be 1, 2 or 3" >&2; exit 2; }
want() { [[ " $rows " == *" $1 "* ]]; }

work="$(mkdir -p "${work_arg:-$root/target/bench}" && cd "${work_arg:-$root/target/bench}" && pwd)"
for tool in java go git nginx fcgiwrap wrk curl python3 jcmd jstat; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (Debian: apt-get install -y golang-go git nginx fcgiwrap wrk curl python3; a JDK for java/jcmd/jstat)" >&2; exit 1; }
done
[ -f "$jar" ] || [ "$jar" != "$root/target/goproxy-standalone.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
[ -f "$jar" ] || { echo "bench: no jar at $jar" >&2; exit 1; }
plugin_zip="$root/target/$(sed -n 's/^plugin.id=//p' "$root/plugin.properties")-$(sed -n 's/^plugin.version=//p' "$root/plugin.properties").zip"
if want gbprebuilt || want push100 || want push100same || want push1000; then
  [ -f "$plugin_zip" ] || (cd "$root" && mvn -B -q -DskipTests -pl plugin-src/gitblit -am package)
  [ -f "$plugin_zip" ] || { echo "bench: no plugin zip at $plugin_zip" >&2; exit 1; }
fi
began=$(date +%s); load_start=$(cut -d' ' -f1-3 /proc/loadavg)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
calc() { python3 -c "import sys; print(eval(sys.argv[1]))" "$1"; }
median() { python3 -c "import statistics,sys; print(round(statistics.median(float(x) for x in sys.argv[1:]), 3))" "$@"; }
clients() { python3 "$here/loadclients.py" "$@"; }
json() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, d))" "$1" "$2"; }
record() { echo "$3" >> "$work/values/$1.$2"; }
note() { echo "$*" >> "$work/notes.txt"; echo "    $*"; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)
# Wall and CPU seconds of a command whose output is discarded.
timed() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
wall = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %.4f" % (wall, u.ru_utime + u.ru_stime))
PY
}

repos="$work/repos"
# The module pages' rows have a folder and a server of their own; run alone, nothing else is generated or started.
pages_only=true
for r in $rows; do [[ " gotab modlist " == *" $r "* ]] || pages_only=false; done
if ! $pages_only; then
echo "== generating repositories (first run only) in $repos"
python3 "$here/gen_repos.py" "$repos"
fi

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  for f in "$work"/nodes3/*/nginx.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$work/data" "$work/data-auth" "$work/static" "$work/gocache-"* "$work/nginx" "$work/values" "$work/notes.txt"
mkdir -p "$work/data" "$work/static" "$work/nginx/tmp" "$work/values"
start_proxy() { # port data-dir log extra-args...
  local port="$1" data="$2" log="$3"; shift 3
  java -Xmx512m -Xlog:gc:file="$log.gc" -jar "$jar" --repos "${proxy_repos:-$repos}" --prefix '' --listen "127.0.0.1:$port" \
    --data "$data" --cache-max-size 4g "$@" > "$log" 2>&1 &
  started_pid=$!; pids+=("$started_pid")
  for _ in $(seq 150); do
    curl -s -o /dev/null "http://127.0.0.1:$port/go/github.com/bench/small/@v/list" && return 0
    sleep 0.2
  done
  echo "bench: the proxy on $port did not start; see $log" >&2; exit 1
}
if ! $pages_only; then
proxy_port="$(free_port)"; static_port="$(free_port)"; githttp_port="$(free_port)"
pre_git_port="$(free_port)"; gbpre_git_port="$(free_port)"; front_port="$(free_port)"
echo "== starting the proxy on $proxy_port"
start_proxy "$proxy_port" "$work/data" "$work/proxy.log"; proxy_pid=$started_pid
P="http://127.0.0.1:$proxy_port/go"

echo "== building the static GOPROXY tree from the proxy's answers"
fetch_static() { # module version
  local d="$work/static/go/$1/@v"; mkdir -p "$d"
  curl -sf "$P/$1/@v/list" -o "$d/list"
  for ext in info mod zip; do curl -sf "$P/$1/@v/$2.$ext" -o "$d/$2.$ext"; done
}
fetch_static github.com/bench/small v1.0.0
fetch_static github.com/bench/large v1.0.0
# The dependency proxy's first-fetch row needs one version per run that nobody fetched through it yet.
if want depfirst; then for v in 1 2 3; do fetch_static github.com/bench/large "v1.0.$v"; done; fi

sock="$work/nginx/fcgiwrap.sock"
git_server() { # port project-root: git-http-backend, the go command's direct mode over git HTTP
  cat <<SRV
  server {
    listen 127.0.0.1:$1;
    location / {
      fastcgi_pass unix:$sock;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $2;
      fastcgi_param GIT_HTTP_EXPORT_ALL 1;
      fastcgi_param PATH_INFO \$uri;
    }
  }
SRV
}
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
$(git_server "$githttp_port" "$repos")
$(git_server "$pre_git_port" "$work/prebuild/repos")
$(git_server "$gbpre_git_port" "$work/gitblit-pre/data/git")
$(if want nginxcache; then "$root/test-fixtures/scale/nginx-front.sh" "$front_port" "$work/nginx/cache" "127.0.0.1:$proxy_port"; fi)
}
CONF
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
S="http://127.0.0.1:$static_port/go"
# The dependency proxy: a second standalone proxy whose namespace holds none of the bench modules, so that it
# fetches them from the static tree (nginx) as its upstream. No checksum database is reachable offline here:
# the rows measure fetching, zip checks and keeping, not the sumdb lookup (one small request per version).
if want depwarm || want depfirst; then
  dep_port="$(free_port)"
  echo "== starting the dependency proxy on $dep_port (upstream: the static tree)"
  rm -rf "$work/data-dep"; mkdir -p "$work/data-dep"
  start_proxy "$dep_port" "$work/data-dep" "$work/proxy-dep.log" --prefix forge.bench.test --upstream "$S" \
    --upstream-sumdbs ''
  D="http://127.0.0.1:$dep_port/go"
fi
G="http://127.0.0.1:$githttp_port"
small_info="github.com/bench/small/@v/v1.0.0.info"
large_pack_dir="$repos/github.com/bench/large.git/objects/pack"
fi

# The module pages (issue 17) over a folder of exactly 1,000 repositories, one of them with 10,000 tags.
if want gotab || want modlist; then
  pages_repos="$work/pagerepos"
  echo "== generating the module pages' repositories (first run only) in $pages_repos"
  python3 "$here/gen_repos.py" --pages "$pages_repos"
  pages_port="$(free_port)"; rm -rf "$work/data-pages"; mkdir -p "$work/data-pages"
  echo "== starting the proxy for the module pages on $pages_port"
  java -Xmx512m -jar "$jar" --repos "$pages_repos" --prefix pages.bench.test --listen "127.0.0.1:$pages_port" \
    --data "$work/data-pages" > "$work/proxy-pages.log" 2>&1 &
  pages_pid=$!; pids+=("$pages_pid")
  for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$pages_port/go/-/setup" && break; sleep 0.2; done
  W="http://127.0.0.1:$pages_port/go/-"
fi

# Ours first in odd runs, the reference first in even runs: neither side always meets the warmer machine.
ours_first() { (( $1 % 2 == 1 )); }

p50() { # url -> p50 latency in ms, 16 connections
  wrk -t2 -c16 -d3s --latency "$1" | awk '/^ +50%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'
}
row_info() {
  local k=$1 o r
  if [ "$k" = 1 ]; then
    curl -sf "$P/$small_info" >/dev/null
    wrk -t2 -c16 -d3s "$P/$small_info" >/dev/null; wrk -t2 -c16 -d3s "$S/$small_info" >/dev/null
  fi
  if ours_first "$k"; then o=$(p50 "$P/$small_info"); r=$(p50 "$S/$small_info")
  else r=$(p50 "$S/$small_info"); o=$(p50 "$P/$small_info"); fi
  record info ours "$o"; record info ref "$r"; note "info run $k: ours ${o} ms, nginx ${r} ms"
}

mibps() { # url size -> MiB/s over 4 connections
  wrk -t2 -c4 -d3s "$1" | awk -v size="$2" '/Requests\/sec/ {printf "%.1f\n", $2*size/1048576}'
}
row_zipwarm() {
  local k=$1 o r size url=github.com/bench/large/@v/v1.0.0.zip
  size=$(stat -c %s "$work/static/go/$url")
  if ours_first "$k"; then o=$(mibps "$P/$url" "$size"); r=$(mibps "$S/$url" "$size")
  else r=$(mibps "$S/$url" "$size"); o=$(mibps "$P/$url" "$size"); fi
  record zipwarm ours "$o"; record zipwarm ref "$r"; note "zipwarm run $k: ours ${o} MiB/s, nginx ${r} MiB/s"
}

# Cold zip vs git archive. The measurement's own part in the old spread: a first build in a fresh JVM runs
# interpreted code and is ~2x slower, so the JIT is warmed on another module first; both sides start with the
# pack in the page cache; the order alternates; CPU seconds are recorded beside wall time, since on a shared
# 2-core machine wall time also measures everyone else.
row_zipcold() {
  local k=$1 v="v1.0.$1" out t tl c0 c1 ga
  if [ "$k" = 1 ]; then
    for w in 0 1 2; do clients get "$P/github.com/bench/warm/@v/v1.0.$w.zip" >/dev/null; done
  fi
  cat "$large_pack_dir"/* > /dev/null
  proxy_side() {
    c0=$(cpu_ticks "$proxy_pid"); out=$(clients get "$P/github.com/bench/large/@v/$v.zip"); c1=$(cpu_ticks "$proxy_pid")
  }
  if ours_first "$k"; then proxy_side; ga=$(timed git -C "$repos/github.com/bench/large.git" archive --format=zip "$v")
  else ga=$(timed git -C "$repos/github.com/bench/large.git" archive --format=zip "$v"); proxy_side; fi
  t=$(json "$out" end); tl=$(json "$out" after_last_byte)
  record zipcold ours "$t"; record zipcold ref "${ga% *}"
  record zipcold_cpu ours "$(calc "($c1-$c0)/$tck")"; record zipcold_cpu ref "${ga#* }"
  note "zipcold run $k ($v): proxy ${t} s (first byte $(json "$out" first_byte) s, end of response ${tl} s after the last body byte), CPU $(calc "($c1-$c0)/$tck") s; git archive ${ga% *} s, CPU ${ga#* } s; load $(cut -d' ' -f1 /proc/loadavg)"
}

gitcfg="$work/gitconfig"; printf '[url "%s/github.com/bench/large.git"]\n\tinsteadOf = https://github.com/bench/large\n' "${G:-}" > "$gitcfg"
godl() { # proxy gocache-dir version [gitconfig for direct mode] -> seconds
  rm -rf "$2"
  local s; s=$(date +%s.%N)
  env -i PATH="$PATH" HOME="$work" GOPATH="$2" GOMODCACHE="$2/mod" GOCACHE="$2/build" GOFLAGS=-modcacherw \
    GOSUMDB=off GOPROXY="$1" GIT_CONFIG_GLOBAL="${4:-$gitcfg}" GIT_CONFIG_NOSYSTEM=1 \
    go mod download -json "github.com/bench/large@$3" > /dev/null
  calc "round($(date +%s.%N)-$s, 3)"
}
row_godl() {
  local k=$1 v="v1.0.$(( 3 + $1 ))" tp td tf
  if ours_first "$k"; then tp=$(godl "$P/" "$work/gocache-proxy" "$v"); td=$(godl direct "$work/gocache-direct" "$v")
  else td=$(godl direct "$work/gocache-direct" "$v"); tp=$(godl "$P/" "$work/gocache-proxy" "$v"); fi
  # The go command's own share (download, hash, unzip 5,000 files): the same version again, now cached by the
  # proxy, into a fresh module cache. No proxy can make the cold download faster than this.
  tf=$(godl "$P/" "$work/gocache-floor" "$v")
  record godl ours "$tp"; record godl ref "$td"; record godl_floor ours "$tf"; record godl_floor ref "$td"
  note "godl run $k ($v): proxy ${tp} s, direct ${td} s, floor ${tf} s"
}

# 64 clients from 64 loopback addresses: from one address a per-client download limit would answer some of
# them with an error, and their bodies would count as a second distinct body.
row_concurrent() {
  local k=$1 v="v1.0.$(( 6 + $1 ))" before builds distinct codes
  before=$(grep -c "goproxy: building .*large@$v" "$work/proxy.log" || true)
  rm -rf "$work/concurrent"; mkdir -p "$work/concurrent"
  codes=$(seq 64 | xargs -P64 -I{} curl -s --interface "127.1.0.{}" -o "$work/concurrent/{}.zip" -w '%{http_code}\n' \
    "$P/github.com/bench/large/@v/$v.zip" | sort | uniq -c | awk '{printf "%s%sx%s", sep, $1, $2; sep=" "}')
  builds=$(( $(grep -c "goproxy: building .*large@$v" "$work/proxy.log" || true) - before ))
  distinct=$(sha256sum "$work/concurrent/"*.zip | awk '{print $1}' | sort -u | wc -l)
  [ "$codes" = "64x200" ] || distinct="$distinct (answers $codes)"
  record concurrent builds "$builds"; record concurrent bodies "${distinct%% *}"
  record concurrent not200 "$(awk -v c="$codes" 'BEGIN {n=split(c, a, " "); t=0; for (i=1;i<=n;i++) {split(a[i], p, "x"); if (p[2] != "200") t+=p[1]}; print t}')"
  note "concurrent run $k ($v): $builds build(s), $distinct distinct body/bodies"
}

row_list() {
  local k=$1 times urls=()
  [ "$k" = 1 ] && curl -sf "$P/github.com/bench/tags/@v/list" -o "$work/tags-list.txt"
  for _ in $(seq 21); do urls+=("$P/github.com/bench/tags/@v/list"); done
  times=$(clients seq "${urls[@]}" | awk '{print $1*1000}')
  record list ours "$(median $times)"
  note "list run $k: median $(median $times) ms of 21 on one connection ($(wc -l < "$work/tags-list.txt") versions listed)"
}

# A thousand repositories never asked before, one keep-alive connection: does the cost of a first .info grow
# with the number of repositories already seen? Each run takes a fresh thousand (m0000-m0999, m1000-...).
# Medians of fifty at each end: ten single first .infos, each with an fsync, were at the mercy of the disk.
row_firstinfo() {
  local k=$1 base=$(( ($1 - 1) * 1000 )) urls=() first last
  # Each first .info writes a ledger entry with fsync: start with no other row's gigabyte still being written.
  sync; sleep 1
  if [ "$k" = 1 ]; then
    # The first of these would otherwise also be the JVM's first calls of this path (and the first entries of
    # a fresh ledger): warm it on 300 other repositories never asked before.
    for i in $(seq 0 299); do urls+=("$P/github.com/bench/w$(printf %03d "$i")/@v/v1.0.0.info"); done
    clients seq "${urls[@]}" >/dev/null; urls=()
  fi
  for i in $(seq "$base" $(( base + 999 ))); do urls+=("$P/github.com/bench/m$(printf %04d "$i")/@v/v1.0.0.info"); done
  clients seq "${urls[@]}" | awk '{print $1*1000}' > "$work/first-info.$k.txt"
  first=$(median $(head -50 "$work/first-info.$k.txt")); last=$(median $(tail -50 "$work/first-info.$k.txt"))
  record firstinfo ours "$last"; record firstinfo ref "$first"
  note "firstinfo run $k: #$((base+951))-$((base+1000)) median ${last} ms, #$((base+1))-$((base+50)) ${first} ms"
}

# The live heap: what is left after each collection while the ~480 MiB module streams (read from the GC log),
# against what is left after a full collection before it. Heap "used" would count garbage: JGit reads each
# 10 MiB blob into one array, a humongous allocation that stays in the old generation until the next cycle, so
# peak "used" swung from 50 to 470 MiB between runs with the same live set. Peak used (jstat, every 100 ms) and
# RSS are in the raw figures.
gc_after() { # gc-log first-line -> "after" MiB of every pause from that line on
  tail -n +"$2" "$1" | { grep -E 'Pause (Young|Full)' || true; } | sed -E 's/.* ([0-9]+)M->([0-9]+)M\(.*/\2/'
}
row_heap() {
  local k=$1 v="v1.0.$(( $1 - 1 ))" gclog="$work/proxy.log.gc" idle live peak n rss_idle rss_peak cpid jpid r2
  jcmd "$proxy_pid" GC.run >/dev/null 2>&1 || true; sleep 0.5
  n=$(wc -l < "$gclog"); idle=$(grep -E 'Pause Full' "$gclog" | tail -1 | sed -E 's/.* ([0-9]+)M->([0-9]+)M\(.*/\2/')
  jstat -gc "$proxy_pid" 100 > "$work/jstat.$k.txt" 2>/dev/null & jpid=$!
  rss_idle=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$proxy_pid/status"); rss_peak=$rss_idle
  curl -s -o /dev/null --limit-rate 200M "$P/github.com/bench/huge/@v/$v.zip" & cpid=$!
  while kill -0 "$cpid" 2>/dev/null; do
    r2=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$proxy_pid/status"); [ "$r2" -gt "$rss_peak" ] && rss_peak=$r2
    sleep 0.2
  done
  kill "$jpid" 2>/dev/null || true; wait "$jpid" 2>/dev/null || true
  peak=$(awk 'NR==1 {for (i=1;i<=NF;i++) c[$i]=i; next}
    /^ *[0-9]/ {u=($c["S0U"]+$c["S1U"]+$c["EU"]+$c["OU"])/1024; if (u>p) p=u} END {printf "%d\n", p}' "$work/jstat.$k.txt")
  # No collection during the stream: count everything used as live (an upper bound).
  live=$(gc_after "$gclog" $(( n + 1 )) | sort -n | tail -1); live=${live:-$peak}
  record heap ours "$(( live - idle ))"; record heap ref "$idle"
  note "heap run $k (huge $v): live ${idle} MiB before, at most ${live} MiB after any collection during the stream ($(gc_after "$gclog" $(( n + 1 )) | wc -l) pauses); peak used ${peak} MiB; RSS ${rss_idle} -> ${rss_peak} MiB"
}

# 400 readers from 400 loopback addresses, as 400 clients would be: from one address a per-client limit turns
# most of them away, and the row would measure that limit and the reconnection churn instead. The probe starts
# after 20 s of reading, longer than the server's write timeout (15 s by default), so that it meets the attack's
# steady state, not its first seconds. The probe measures the server, not itself: 1,000 samples (a p99 of 150
# is its second-worst value), over 4 keep-alive connections after 300 unmeasured requests (a new connection
# and a new probe thread per sample, on a cold JIT, cost more than the answer: ~380 ms p99 with no load at all),
# each sample timed from when it was due so that a server falling behind is still charged for the wait.
probe_args=(--probe-count 1000 --probe-rate 50 --keep-alive 4 --warmup 300)
row_slow() {
  local k=$1 base loaded
  base=$(clients probe "$P/$small_info" "${probe_args[@]}")
  loaded=$(clients slow "$P/github.com/bench/large/@v/v1.0.0.zip" "$P/$small_info" --clients 400 --sources 400 \
    --settle 20 "${probe_args[@]}" --timeout 5)
  record slow ours "$(json "$loaded" 'probe["p99"]')"; record slow ref "$(json "$base" 'probe["p99"]')"
  note "slow run $k: unloaded $base"
  note "slow run $k: loaded $loaded"
  # Let the server finish with the dropped connections before anything else is measured.
  for _ in $(seq 20); do
    [ "$(curl -s -o /dev/null -m 5 -w '%{time_total}' "$P/$small_info" | awk '{print ($1 < 0.05)}')" = 1 ] && break
    sleep 0.5
  done
}

# A second proxy over the same repositories with a users file: small is public, the rest needs alice or bob.
# Half the flood asks for a private module, half for the public one, with wrong passwords for alice, bob and a
# user who does not exist; the anonymous probe asks for the public one. Each flood client has its own loopback
# address (a limit per client address must not make 250 clients look like one), and sends at most 2 requests a
# second: 500 a second would need 25 cores if each cost a 50 ms password check, while the flood's own CPU stays
# small enough not to be what slows the probe on a 2-core machine (at 10 a second it took 70% of a core).
auth_port=""
start_auth_proxy() {
  local auth="$work/auth"; mkdir -p "$auth" "$work/data-auth"
  : > "$auth/users"
  for u in alice bob; do echo "bench-$u-secret" | java -jar "$jar" hash-password "$u" >> "$auth/users"; done
  printf 'github.com/bench/small anonymous\ngithub.com/bench/** alice bob\n' > "$auth/access"
  auth_port="$(free_port)"
  start_proxy "$auth_port" "$work/data-auth" "$work/proxy-auth.log" --users "$auth/users" --access "$auth/access"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$auth_port/go/github.com/bench/m0000/@v/v1.0.0.info")
  [ "$code" = 401 ] || { echo "bench: the private module answered $code to an anonymous caller, want 401" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -u alice:bench-alice-secret "http://127.0.0.1:$auth_port/go/github.com/bench/m0000/@v/v1.0.0.info")
  [ "$code" = 200 ] || { echo "bench: alice got $code for the private module, want 200" >&2; exit 1; }
}
row_flood() {
  local k=$1 A base loaded
  [ -n "$auth_port" ] || start_auth_proxy
  A="http://127.0.0.1:$auth_port/go"
  [ "$k" = 1 ] && clients probe "$A/$small_info" --probe-count 60 --probe-rate 30 >/dev/null
  base=$(clients probe "$A/$small_info" --probe-count 60 --probe-rate 30)
  loaded=$(clients flood "$A/github.com/bench/m0001/@v/v1.0.0.info" "$A/$small_info" "$A/$small_info" \
    --clients 250 --sources 250 --users alice,bob,mallory --rate 2 --probe-count 100 --probe-rate 20 --timeout 5)
  record flood ours "$(json "$loaded" 'probe["p90"]')"; record flood ref "$(json "$base" 'probe["p90"]')"
  note "flood run $k: unloaded $base"
  note "flood run $k: loaded $loaded"
}

row_depwarm() { # third-party zip kept by the dependency proxy vs nginx serving the same file
  local k=$1 o r size url=github.com/bench/large/@v/v1.0.0.zip
  size=$(stat -c %s "$work/static/go/$url")
  [ "$k" = 1 ] && curl -sf "$D/$url" -o /dev/null
  if ours_first "$k"; then o=$(mibps "$D/$url" "$size"); r=$(mibps "$S/$url" "$size")
  else r=$(mibps "$S/$url" "$size"); o=$(mibps "$D/$url" "$size"); fi
  record depwarm ours "$o"; record depwarm ref "$r"; note "depwarm run $k: dependency proxy ${o} MiB/s, nginx ${r} MiB/s"
}
row_depfirst() { # go mod download of a version the dependency proxy has not kept yet vs from its upstream directly
  local k=$1 v="v1.0.$1" tp td
  if ours_first "$k"; then tp=$(godl "$D/" "$work/gocache-dep" "$v"); td=$(godl "$S/" "$work/gocache-static" "$v")
  else td=$(godl "$S/" "$work/gocache-static" "$v"); tp=$(godl "$D/" "$work/gocache-dep" "$v"); fi
  record depfirst ours "$tp"; record depfirst ref "$td"; note "depfirst run $k ($v): through the forge ${tp} s, upstream directly ${td} s"
}

# ---- Several nodes (issue 22): nginx's cache in front, and three nodes against one ----
row_nginxcache() { # a warm zip through nginx's proxy cache (test-fixtures/scale/nginx.conf) vs nginx static
  local k=$1 o r size url=github.com/bench/large/@v/v1.0.0.zip F="http://127.0.0.1:$front_port/go"
  size=$(stat -c %s "$work/static/go/$url")
  if [ "$k" = 1 ]; then
    for _ in 1 2 3; do curl -sf -o /dev/null "$F/$url"; done
    curl -sf -D - -o /dev/null "$F/$url" | grep -qi '^X-Cache-Status: HIT' \
      || { echo "bench: nginx's cache does not keep $url" >&2; exit 1; }
  fi
  if ours_first "$k"; then o=$(mibps "$F/$url" "$size"); r=$(mibps "$S/$url" "$size")
  else r=$(mibps "$S/$url" "$size"); o=$(mibps "$F/$url" "$size"); fi
  record nginxcache ours "$o"; record nginxcache ref "$r"; note "nginxcache run $k: nginx's proxy cache ${o} MiB/s, nginx static ${r} MiB/s"
}

# Cold builds of six distinct versions (large v1.0.4-v1.0.9, ~100 MiB each), all asked at once through nginx
# (test-fixtures/scale/nginx.conf): three nodes, each with its own empty data folder, against one node. Every run
# starts the four nodes afresh (empty caches), each first building the warm module once (a fresh JVM's first
# builds run interpreted code). The bodies of both sides must be identical, version by version.
nodes3_front() { # name port nodes... -> starts nginx in $work/nodes3/<name>
  local name=$1 port=$2 d="$work/nodes3/$1"; shift 2
  mkdir -p "$d"
  cat > "$d/nginx.conf" <<CONF
$nginx_user
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 256; }
http {
  access_log $d/access.log;
  client_body_temp_path $d/tmp; proxy_temp_path $d/tmp; fastcgi_temp_path $d/tmp; uwsgi_temp_path $d/tmp; scgi_temp_path $d/tmp;
$("$root/test-fixtures/scale/nginx-front.sh" "$port" "$d/cache" "$@")
}
CONF
  nginx -c "$d/nginx.conf" -e "$d/error.log"
}
nodes3_side() { # name front-url -> seconds until all six versions arrived
  local t0 v codes="$work/nodes3/$1.codes"; t0=$(date +%s.%N)
  : > "$codes"
  for v in 4 5 6 7 8 9; do
    (echo "v1.0.$v $(curl -s -o "$work/nodes3/$1-v1.0.$v.zip" -w '%{http_code}' "$2/github.com/bench/large/@v/v1.0.$v.zip")" >> "$codes") &
  done
  wait
  local t; t=$(elapsed "$t0")
  [ "$(grep -c ' 200$' "$codes")" = 6 ] || { echo "bench: cold downloads through $1: $(tr '\n' ' ' < "$codes"); $(head -c 300 "$work/nodes3/$1"-v1.0.*.zip 2>/dev/null | tr -c '[:print:]' ' ' | head -c 600)" >&2; exit 1; }
  echo "$t"
}
row_nodes3() {
  local k=$1 ports=() node_pids=() t1 t3 same=0 v p
  rm -rf "$work/nodes3"; mkdir -p "$work/nodes3"
  for i in 0 1 2 3; do
    p="$(free_port)"; ports+=("$p")
    # A node with six builds asked at once keeps four waiting; on a busy 2-core machine longer than the default 30 s.
    start_proxy "$p" "$work/nodes3/data$i" "$work/nodes3/node$i.log" --build-queue-timeout 120; node_pids+=("$started_pid")
    curl -sf -o /dev/null "http://127.0.0.1:$p/go/github.com/bench/warm/@v/v1.0.0.zip"
  done
  local one_port three_port; one_port="$(free_port)"; three_port="$(free_port)"
  nodes3_front one "$one_port" "127.0.0.1:${ports[0]}"
  nodes3_front three "$three_port" "127.0.0.1:${ports[1]}" "127.0.0.1:${ports[2]}" "127.0.0.1:${ports[3]}"
  cat "$large_pack_dir"/* > /dev/null
  if ours_first "$k"; then t3=$(nodes3_side three "http://127.0.0.1:$three_port/go"); t1=$(nodes3_side one "http://127.0.0.1:$one_port/go")
  else t1=$(nodes3_side one "http://127.0.0.1:$one_port/go"); t3=$(nodes3_side three "http://127.0.0.1:$three_port/go"); fi
  for v in 4 5 6 7 8 9; do
    cmp -s "$work/nodes3/one-v1.0.$v.zip" "$work/nodes3/three-v1.0.$v.zip" && same=$((same + 1))
  done
  local builds=""; for i in 1 2 3; do builds="$builds $(grep -c 'goproxy: building .*github.com/bench/large@' "$work/nodes3/node$i.log" || true)"; done
  for n in one three; do nginx -c "$work/nodes3/$n/nginx.conf" -e "$work/nodes3/$n/error.log" -s stop || true; done
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  record nodes3 ours "$t3"; record nodes3 ref "$t1"; record nodes3_same ours "$same"
  note "nodes3 run $k: six cold versions at once, three nodes ${t3} s (builds per node:$builds), one node ${t1} s; identical bodies $same of 6; load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$work/nodes3"/*.zip "$work/nodes3"/data*
}

# ---- Tags pushed (issue 16): pre-built zips and the push checks' cost ----
source "$here/gitblit.sh"
push_src="$work/push-src.git"
if want prebuilt || want gbprebuilt || want push100 || want push100same || want push1000; then
  echo "== preparing the commits to tag (first run only) in $push_src"
  python3 "$here/push_source.py" "$repos/github.com/bench/large.git" "$push_src" pre=4 gbpre=3 \
    p100-1=100 p100-2=100 p100-3=100 same=3 p1000-1=1000 p1000-2=1000 p1000-3=1000 >/dev/null
fi
commits() { git -C "$push_src" rev-list --reverse "v1.0.9..bench/$1"; }
pushgit() { env -i PATH="$PATH" HOME="$work" GIT_CONFIG_NOSYSTEM=1 git -C "$push_src" "$@"; }
elapsed() { calc "round($(date +%s.%N)-$1, 3)"; }
# Until <file> holds a line with <text> (what the proxy logs when a pre-build is done), at most <seconds>.
await_log() { # file text seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: no \"$2\" in $1 after $3 s" >&2; exit 1
}
# The download after the pre-build must not build again: the one build of <version> in <log> is the pre-build's.
builds_of() { grep -c "goproxy: building .*github.com/bench/large@$2(" "$1" || true; }

# Standalone: a second proxy over a copy of the large module, watching its tags every second. A sentinel tag
# pushed and pre-built first proves the watcher's first look (which only records what is there) is behind it.
start_prebuild_proxy() {
  rm -rf "$work/prebuild" "$work/data-prebuild"; mkdir -p "$work/prebuild/repos/github.com/bench" "$work/data-prebuild"
  git clone -q --bare "$repos/github.com/bench/large.git" "$work/prebuild/repos/github.com/bench/large.git"
  pre_port="$(free_port)"
  proxy_repos="$work/prebuild/repos" start_proxy "$pre_port" "$work/data-prebuild" "$work/proxy-prebuild.log" \
    --prebuild-interval 1
  printf '[url "http://127.0.0.1:%s/github.com/bench/large.git"]\n\tinsteadOf = https://github.com/bench/large\n' \
    "$pre_git_port" > "$work/gitconfig-prebuild"
  local c; c=$(commits pre | sed -n 4p)
  pushgit push -q "$work/prebuild/repos/github.com/bench/large.git" "$c:refs/tags/v1.50.0"
  await_log "$work/proxy-prebuild.log" "goproxy: pre-built github.com/bench/large@v1.50.0 at $c" 120
}
row_prebuilt() {
  local k=$1 v="v1.50.$1" c t0 tw tp td b
  [ -n "${pre_port:-}" ] || start_prebuild_proxy
  c=$(commits pre | sed -n "${k}p")
  t0=$(date +%s.%N)
  pushgit push -q "$work/prebuild/repos/github.com/bench/large.git" "$c:refs/tags/$v"
  await_log "$work/proxy-prebuild.log" "goproxy: pre-built github.com/bench/large@$v at $c" 300
  tw=$(elapsed "$t0")
  if ours_first "$k"; then tp=$(godl "http://127.0.0.1:$pre_port/go/" "$work/gocache-pre" "$v")
    td=$(godl direct "$work/gocache-pre-direct" "$v" "$work/gitconfig-prebuild")
  else td=$(godl direct "$work/gocache-pre-direct" "$v" "$work/gitconfig-prebuild")
    tp=$(godl "http://127.0.0.1:$pre_port/go/" "$work/gocache-pre" "$v"); fi
  b=$(builds_of "$work/proxy-prebuild.log" "$v")
  [ "$b" = 1 ] || echo "bench: $v was built $b times; the download did not use the pre-built zip" >&2
  record prebuilt ours "$tp"; record prebuilt ref "$td"
  note "prebuilt run $k ($v): pushed and pre-built in ${tw} s (watcher every 1 s); go mod download ${tp} s, direct ${td} s; builds of $v: $b; load $(cut -d' ' -f1 /proc/loadavg)"
}

# Gitblit 1.9.3 with the plugin, a copy of the large module as bench/large.git with Go on (module path
# github.com/bench/large through goproxy.moduleHost), tags pushed with the git CLI over HTTP as admin.
start_gitblit_pre() {
  rm -rf "$work/gitblit-pre"; mkdir -p "$work/gitblit-pre/data/git/bench"
  git clone -q --bare "$repos/github.com/bench/large.git" "$work/gitblit-pre/data/git/bench/large.git"
  git config -f "$work/gitblit-pre/data/git/bench/large.git/config" gitblit.customFields.goProxy true
  gitblit_start "$work/gitblit-pre" "$plugin_zip" goproxy.moduleHost=github.com
  gbpre_port=$gb_port; gbpre_log=$gb_log
  printf '[url "http://127.0.0.1:%s/bench/large.git"]\n\tinsteadOf = https://github.com/bench/large\n' \
    "$gbpre_git_port" > "$work/gitconfig-gbpre"
}
row_gbprebuilt() {
  local k=$1 v="v1.60.$1" c t0 tw tp td b
  [ -n "${gbpre_port:-}" ] || start_gitblit_pre
  c=$(commits gbpre | sed -n "${k}p")
  t0=$(date +%s.%N)
  pushgit push -q "http://admin:admin@127.0.0.1:$gbpre_port/r/bench/large.git" "$c:refs/tags/$v" 2>/dev/null
  await_log "$gbpre_log" "goproxy: pre-built github.com/bench/large@$v at $c" 300
  tw=$(elapsed "$t0")
  if ours_first "$k"; then tp=$(godl "http://127.0.0.1:$gbpre_port/go/" "$work/gocache-gbpre" "$v")
    td=$(godl direct "$work/gocache-gbpre-direct" "$v" "$work/gitconfig-gbpre")
  else td=$(godl direct "$work/gocache-gbpre-direct" "$v" "$work/gitconfig-gbpre")
    tp=$(godl "http://127.0.0.1:$gbpre_port/go/" "$work/gocache-gbpre" "$v"); fi
  b=$(builds_of "$gbpre_log" "$v")
  [ "$b" = 1 ] || echo "bench: $v was built $b times in Gitblit; the download did not use the pre-built zip" >&2
  record gbprebuilt ours "$tp"; record gbprebuilt ref "$td"
  note "gbprebuilt run $k ($v): pushed over HTTP and pre-built in ${tw} s; go mod download through Gitblit ${tp} s, direct ${td} s; builds of $v: $b; load $(cut -d' ' -f1 /proc/loadavg)"
}

# One Gitblit with the plugin and two copies of the large module: bench/large.git with Go on (pushChecks=warn,
# the default queue of 100) and bench/large-off.git with Go off. The same tags on the same new commits are
# pushed to each; before the next push the pre-builds the Go-on push queued are waited for (the log says when
# each is built or skipped), so that they do not run during another push.
start_gitblit_push() {
  rm -rf "$work/gitblit-push"; mkdir -p "$work/gitblit-push/data/git/bench"
  local r
  for r in large large-off; do
    git clone -q --bare "$repos/github.com/bench/large.git" "$work/gitblit-push/data/git/bench/$r.git"
  done
  git config -f "$work/gitblit-push/data/git/bench/large.git/config" gitblit.customFields.goProxy true
  git config -f "$work/gitblit-push/data/git/bench/large-off.git/config" gitblit.customFields.goProxy false
  gitblit_start "$work/gitblit-push" "$plugin_zip" goproxy.moduleHost=github.com goproxy.pushChecks=warn
  gbpush_port=$gb_port; gbpush_log=$gb_log
}
push_tags() { # repository output-file refspecs... -> seconds
  local repo="$1" out="$2" t0; shift 2
  t0=$(date +%s.%N)
  pushgit push "http://admin:admin@127.0.0.1:$gbpush_port/r/bench/$repo.git" "$@" > "$out" 2>&1
  elapsed "$t0"
}
await_prebuilds() { # minor queued
  local i n
  for ((i = 0; i < 6000; i++)); do
    n=$(grep -cE "goproxy: (pre-built|not pre-building) github.com/bench/large@v1\.$1\." "$gbpush_log" || true)
    [ "$n" -ge "$2" ] && return 0
    sleep 0.1
  done
  echo "bench: only $n of $2 queued pre-builds of v1.$1.* ended in 600 s" >&2
}
# Pushes <refspecs> to the Go-on and the Go-off repository; sets on, off, served, left, queued.
push_both() { # row k minor refspecs...
  local row=$1 k=$2 minor=$3; shift 3
  local outon="$work/push-$row-$k-on.txt" outoff="$work/push-$row-$k-off.txt"
  if ours_first "$k"; then on=$(push_tags large "$outon" "$@"); off=$(push_tags large-off "$outoff" "$@")
  else off=$(push_tags large-off "$outoff" "$@"); on=$(push_tags large "$outon" "$@"); fi
  served=$(grep -c "goproxy: github.com/bench/large@v1\.$minor\.[0-9]* will be served" "$outon" || true)
  left=$(sed -nE 's/.*goproxy: ([0-9]+) version\(s\) beyond the pre-build queue.*/\1/p' "$outon"); left=${left:-0}
  queued=$(( $# - left ))
  grep -q "goproxy" "$outoff" && echo "bench: the Go-off push printed goproxy lines: $outoff" >&2
  [ "$(grep -c ' \[new tag\] ' "$outon")" = $# ] || { echo "bench: the push did not create $# tags: $outon" >&2; exit 1; }
  await_prebuilds "$minor" "$queued"
}
push_row() { # row k minor group: one tag per commit of the group, or per <count> on one commit
  local row=$1 k=$2 minor=$3; shift 3
  local specs=() i=0 c
  [ -n "${gbpush_port:-}" ] || start_gitblit_push
  if [ "$1" = same ]; then
    c=$(commits same | sed -n "${k}p")
    for ((i = 0; i < $2; i++)); do specs+=("$c:refs/tags/v1.$minor.$i"); done
  else
    for c in $(commits "$1"); do specs+=("$c:refs/tags/v1.$minor.$i"); i=$((i + 1)); done
  fi
  push_both "$row" "$k" "$minor" "${specs[@]}"
  record "$row" ours "$on"; record "$row" ref "$off"
  note "$row run $k (${#specs[@]} tags v1.$minor.*): Go on ${on} s ($served verdicts 'will be served', $queued queued for pre-building, $left left for the first download), Go off ${off} s; load $(cut -d' ' -f1 /proc/loadavg)"
}
row_push100() { push_row push100 "$1" $(( 100 + $1 )) "p100-$1"; }
row_push100same() { push_row push100same "$1" $(( 300 + $1 )) same 100; }
row_push1000() {
  push_row push1000 "$1" $(( 200 + $1 )) "p1000-$1"
  record push1000_queue ours "$queued"
}

# Warm page views: the first run first views the page 30 times (compiled code, every ref state's answers kept),
# then each run times 21 views on one keep-alive connection; the server's CPU per view is recorded beside them,
# since on a shared machine the wall time also measures everyone else.
page_row() { # run row url
  local k=$1 row=$2 url=$3 times c0 c1 cpu urls=()
  if [ "$k" = 1 ]; then for _ in $(seq 30); do curl -sf -o /dev/null "$url"; done; fi
  for _ in $(seq 21); do urls+=("$url"); done
  c0=$(cpu_ticks "$pages_pid")
  times=$(clients seq "${urls[@]}" | awk '$2 == 200 {print $1*1000}')
  c1=$(cpu_ticks "$pages_pid")
  [ "$(echo "$times" | wc -w)" = 21 ] || { echo "bench: $url did not answer 200 every time" >&2; exit 1; }
  cpu=$(calc "round(($c1 - $c0) * 1000.0 / $tck / 21, 1)")
  record "$row" ours "$(median $times)"; record "${row}_cpu" ours "$cpu"
  note "$row run $k: median $(median $times) ms of 21 views on one connection, server CPU $cpu ms per view"
}
row_gotab() { page_row "$1" gotab "$W/module?m=pages.bench.test/tags"; }
row_modlist() { page_row "$1" modlist "$W/modules"; }

for k in $(seq "$runs"); do
  for r in $all_rows; do
    want "$r" || continue
    echo "== run $k of $runs: $r"
    "row_$r" "$k"
  done
done

{
  python3 "$here/table.py" "$work/values"
  echo
  echo "Runs: $runs; rows: $rows; $(date -u +%Y-%m-%dT%H:%MZ), $(( $(date +%s) - began )) s; jar: $jar."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)" GiB"}' /proc/meminfo); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(java -version 2>&1 | head -1); $(go version); $(git --version); nginx $(nginx -v 2>&1 | sed 's/.*\///')"
  echo
  echo "Per run:"
  echo '```'
  cat "$work/notes.txt"
  echo '```'
} > "$work/results.md"
echo; cat "$work/results.md"
