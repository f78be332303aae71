#!/usr/bin/env bash
# Prints test-fixtures/scale/nginx.conf (what goes inside http { }) for given nodes, listening port and cache folder:
#   nginx-front.sh PORT CACHE-DIR NODE-ADDRESS...        e.g. nginx-front.sh 8080 /var/cache/nginx/goproxy 10.0.0.1:8081
# Used by run.sh here and by the benchmarks; the ITs do the same in Java (ScaleFixture.nginxConfig).
set -euo pipefail
[ "$#" -ge 3 ] || { echo "usage: nginx-front.sh PORT CACHE-DIR NODE-ADDRESS..." >&2; exit 2; }
port="$1" cache="$2"; shift 2
awk -v nodes="$*" '
  /^ *server 127\.0\.0\.1:808[1-3] / {
    if (!done) {
      n = split(nodes, address, " ")
      params = $0; sub(/^ *server [^ ]* /, "", params)
      for (i = 1; i <= n; i++) printf "    server %s %s\n", address[i], params
      done = 1
    }
    next
  }
  { print }' "$(dirname "$0")/nginx.conf" \
  | sed -e "s|listen 127.0.0.1:8080;|listen 127.0.0.1:$port;|" -e "s|/var/cache/nginx/goproxy|$cache|"
