#!/usr/bin/env bash
# Several proxy nodes on one machine, as docs/scale.md describes them on several: PostgreSQL (Debian's server,
# its own data folder) holds the version ledger, three standalone nodes serve the same repositories with their
# own data folders, nginx in front (test-fixtures/scale/nginx.conf) balances, retries and caches. Everything
# listens on 127.0.0.1 and lives under target/scale/ (PostgreSQL's data folder: a temporary folder, see below).
# It prints the lines to try; Ctrl-C stops everything.
#
#   test-fixtures/scale/run.sh    # SCALE_PORT=9070 moves nginx (default 8070); the nodes take the next three
#                                 # ports, PostgreSQL the ninth; SCALE_DIR, SCALE_JAR move the folder and the jar
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${SCALE_JAR:-$root/target/goproxy-standalone.jar}"
pgbin=/usr/lib/postgresql/15/bin
base="${SCALE_PORT:-8070}"
dir="${SCALE_DIR:-$root/target/scale}"
nginx_port=$base
node_ports=($((base + 1)) $((base + 2)) $((base + 3)))
pg_port=$((base + 9))

for tool in "$pgbin/initdb" /usr/sbin/nginx git java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (Debian: postgresql-15, nginx, git, a JDK)" >&2; exit 1; }
done
for port in "$nginx_port" "${node_ports[@]}" "$pg_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: 127.0.0.1:$port is in use; SCALE_PORT=<another base> moves everything" >&2
    exit 1
  fi
done
if [ ! -f "$jar" ]; then
  echo "Building the standalone jar (mvn package, tests skipped)..."
  (cd "$root" && mvn -B -q -DskipTests package)
fi

pids=()
pg_user=""
pg_root=""
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping nginx, the nodes and PostgreSQL..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_root" ]; then
    if [ -f "$pg_root/db/postmaster.pid" ]; then
      as_pg "$pgbin/pg_ctl" -D "$pg_root/db" -m fast -w stop >/dev/null || true
    fi
    cp "$pg_root/postgres.log" "$dir/postgres.log" 2>/dev/null || true
    rm -rf "$pg_root"
  fi
  echo "Stopped."
}
trap stop EXIT
trap 'exit 130' INT TERM

# initdb refuses to run as root: as root, PostgreSQL runs as nobody in a folder of its own under /tmp (a folder
# under the checkout may not be reachable for nobody).
if [ "$(id -u)" -eq 0 ]; then
  pg_user=nobody
  as_pg() { (cd / && runuser -u "$pg_user" -- "$@"); }
else
  as_pg() { "$@"; }
fi
pg_root="$(mktemp -d /tmp/goproxy-scale-pg.XXXXXX)"
if [ -n "$pg_user" ]; then chown "$pg_user" "$pg_root"; fi

rm -rf "$dir"
mkdir -p "$dir/repos" "$dir/work" "$dir/nginx"
chmod 755 "$dir" "$dir/nginx"

echo "Creating the demo repository example.test/hello (v1.0.0, v1.1.0)..."
src="$dir/work/hello"
git init -q -b main "$src"
g() { git -C "$src" -c user.name=Demo -c user.email=demo@example.test "$@"; }
printf 'module example.test/hello\n\ngo 1.19\n' > "$src/go.mod"
printf 'package hello\n\n// Hello greets.\nfunc Hello() string { return "hello" }\n' > "$src/hello.go"
g add -A && g commit -q -m "hello" && g tag v1.0.0
printf 'package hello\n\n// Hello greets.\nfunc Hello() string { return "hello, nodes" }\n' > "$src/hello.go"
g commit -q -am "hello, nodes" && g tag v1.1.0
git clone -q --bare "$src" "$dir/repos/hello.git"

echo "Starting PostgreSQL on 127.0.0.1:$pg_port..."
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
printf '%s\n' "$password" > "$dir/ledger-password"
chmod 600 "$dir/ledger-password"
printf '%s\n' "$password" > "$pg_root/pwfile"
if [ -n "$pg_user" ]; then chown "$pg_user" "$pg_root/pwfile"; fi
as_pg "$pgbin/initdb" -D "$pg_root/db" -U goproxy --pwfile="$pg_root/pwfile" --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/postgres-initdb.log"
as_pg "$pgbin/pg_ctl" -D "$pg_root/db" -l "$pg_root/postgres.log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $pg_root" start >/dev/null
as_pg "$pgbin/createdb" -h "$pg_root" -p "$pg_port" -U goproxy goproxy
ledger="jdbc:postgresql://127.0.0.1:$pg_port/goproxy?user=goproxy"

echo "Starting three nodes on 127.0.0.1:${node_ports[0]}, ${node_ports[1]}, ${node_ports[2]}..."
for i in 0 1 2; do
  java -Xmx256m -jar "$jar" --repos "$dir/repos" --prefix example.test --data "$dir/node$((i + 1))" \
    --listen "127.0.0.1:${node_ports[$i]}" --trusted-proxies 127.0.0.1 \
    --ledger "$ledger" --ledger-password-file "$dir/ledger-password" >"$dir/node$((i + 1)).log" 2>&1 &
  pids+=($!)
done
for i in 0 1 2; do
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:${node_ports[$i]}/go/-/health" 2>/dev/null && break
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "run.sh: node$((i + 1)) stopped:" >&2; tail -20 "$dir/node$((i + 1)).log" >&2; exit 1; }
    sleep 0.5
  done
done

echo "Starting nginx on 127.0.0.1:$nginx_port..."
# The template with this run's nodes, port and cache folder, inside what /etc/nginx/nginx.conf would give.
http="$("$root/test-fixtures/scale/nginx-front.sh" "$nginx_port" "$dir/nginx/cache" \
  "127.0.0.1:${node_ports[0]}" "127.0.0.1:${node_ports[1]}" "127.0.0.1:${node_ports[2]}")"
# As root (a CI machine, a container) nginx's workers would switch to nobody, who may not reach this folder.
nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root;"
cat >"$dir/nginx/nginx.conf" <<EOF
$nginx_user
daemon off;
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 256; }
http {
  access_log $dir/nginx/access.log;
  client_body_temp_path $dir/nginx/client_body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
$http
}
EOF
/usr/sbin/nginx -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" &
pids+=($!)
nginx_up=false
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/go/-/health" 2>/dev/null && { nginx_up=true; break; }
  sleep 0.5
done
$nginx_up || { echo "run.sh: nginx does not answer /go/-/health:" >&2; tail -20 "$dir/nginx/error.log" >&2; exit 1; }

proxy="http://127.0.0.1:$nginx_port/go/"
sumdb="$(grep -o 'GOSUMDB="example.test+[^ "]*' "$dir/node1.log" | head -1 | sed 's/^GOSUMDB="//' || true)"
if [ -n "$sumdb" ]; then
  env_line="GOPROXY=$proxy GOSUMDB=$sumdb GOFLAGS=-mod=mod"
else
  env_line="GOPROXY=$proxy GONOSUMDB=example.test GOFLAGS=-mod=mod"
fi
cat <<EOF

Three Go module proxy nodes behind nginx: $proxy (PostgreSQL ledger on 127.0.0.1:$pg_port, logs in $dir)
Try, in another terminal:

  mkdir -p /tmp/goproxy-scale-try && cd /tmp/goproxy-scale-try && go mod init example.com/try
  $env_line go get example.test/hello@v1.1.0
  $env_line go list -m -versions example.test/hello
  curl -sI ${proxy}example.test/hello/@v/v1.1.0.zip      # twice: X-Cache-Status MISS, then HIT

Ctrl-C stops everything.
EOF
wait "${pids[@]}"
