#!/usr/bin/env bash
# Starts a real Gitblit 1.9.3 with the Go module proxy plugin on 127.0.0.1, with a demo repository that
# serves Go modules (tagged v1.0.0, v1.1.0, a submodule and a v2), and prints the go commands to try.
# Runs in the foreground; Ctrl-C stops Gitblit.
#
#   test-fixtures/demo/run-gitblit-demo.sh            # HTTP on 8080, HTTPS on 8443
#   DEMO_HTTP_PORT=9080 DEMO_HTTPS_PORT=9443 test-fixtures/demo/run-gitblit-demo.sh
#
# Needs a JDK (8 or newer) and git; Maven when the plugin or Gitblit's jars must be fetched or built.
# Everything it writes is under target/gitblit-demo/ (recreated on every run).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
http_port="${DEMO_HTTP_PORT:-8080}"
https_port="${DEMO_HTTPS_PORT:-8443}"
demo="$root/target/gitblit-demo"
data="$demo/data"
module="127.0.0.1/demo/hello"

say() { printf '%s\n' "$*"; }
die() { printf 'run-gitblit-demo: %s\n' "$*" >&2; exit 1; }

command -v java >/dev/null || die "java is not on the PATH (a JDK 8 or newer is needed)"
command -v git >/dev/null || die "git is not on the PATH"

# ---- the plugin zip: built by Maven unless a zip newer than the sources is there already
zip="$(ls -t "$root"/target/goproxy-*.zip 2>/dev/null | head -n 1 || true)"
if [ -z "$zip" ] || [ -n "$(find "$root/plugin-src/main" "$root/plugin.properties" "$root/pom.xml" -newer "$zip" -print -quit)" ]; then
  command -v mvn >/dev/null || die "the plugin zip must be built, and mvn is not on the PATH"
  say "Building the plugin (mvn package, tests skipped)..."
  (cd "$root" && mvn -B -q -DskipTests package)
  zip="$(ls -t "$root"/target/goproxy-*.zip | head -n 1)"
fi

# ---- Gitblit 1.9.3 and its libraries, from the same Maven repositories as the build
classpath_file="$root/target/gitblit-runtime/classpath.txt"
classpath_ok() {
  [ -s "$classpath_file" ] || return 1
  local IFS=:
  for jar in $(cat "$classpath_file"); do [ -f "$jar" ] || return 1; done
}
if ! classpath_ok; then
  command -v mvn >/dev/null || die "Gitblit's jars must be resolved, and mvn is not on the PATH"
  say "Resolving Gitblit 1.9.3 with Maven..."
  mkdir -p "$(dirname "$classpath_file")"
  (cd "$root/test-fixtures/gitblit-runtime" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$classpath_file")
fi
classpath="$(cat "$classpath_file")"
gitblit_jar="$(tr ':' '\n' < "$classpath_file" | grep -E '/gitblit-[0-9][^/]*\.jar$' | head -n 1)"
[ -n "$gitblit_jar" ] || die "no gitblit jar in $classpath_file"

# ---- a fresh data folder: Gitblit's defaults, a few demo settings, admin/admin, the plugin
rm -rf "$demo"
mkdir -p "$data/plugins" "$data/git/demo" "$demo/src"
if command -v unzip >/dev/null; then
  unzip -p "$gitblit_jar" defaults.properties > "$data/defaults.properties"
else
  (cd "$data" && jar xf "$gitblit_jar" defaults.properties)
fi
cat > "$data/gitblit.properties" <<PROPS
include = defaults.properties
server.httpBindInterface = 127.0.0.1
server.httpsBindInterface = 127.0.0.1
server.redirectToHttpsPort = false
git.daemonPort = 0
git.sshPort = 0
# The module paths of this Gitblit start with the host of its canonical URL: $module...
web.canonicalUrl = http://127.0.0.1:$http_port
web.allowLuceneIndexing = false
gitblit.testRun = true
PROPS
printf '[user "admin"]\n\tpassword = admin\n\trole = "#admin"\n\trole = "#notfederated"\n' > "$data/users.conf"
cp "$zip" "$data/plugins/"

# ---- the demo repository: module $module, a submodule, and a v2, pushed into Gitblit's folder
src="$demo/src/hello"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Demo" GIT_AUTHOR_EMAIL="demo@example.com"
export GIT_COMMITTER_NAME="Demo" GIT_COMMITTER_EMAIL="demo@example.com"
export GIT_AUTHOR_DATE="2024-01-02T03:04:05Z" GIT_COMMITTER_DATE="2024-01-02T03:04:05Z"
git init -q -b main "$src"
cat > "$src/go.mod" <<GO
module $module

go 1.19
GO
cat > "$src/hello.go" <<'GO'
// Package hello is the Gitblit Go proxy demo.
package hello

// Greeting says hello.
func Greeting() string { return "Hello from Gitblit" }
GO
git -C "$src" add -A && git -C "$src" commit -q -m "hello" && git -C "$src" tag v1.0.0
cat > "$src/hello.go" <<'GO'
// Package hello is the Gitblit Go proxy demo.
package hello

// Greeting says hello.
func Greeting() string { return "Hello from Gitblit, v1.1.0" }
GO
mkdir -p "$src/sub"
printf 'module %s/sub\n\ngo 1.19\n' "$module" > "$src/sub/go.mod"
printf '// Package sub is a module in a subdirectory of the demo repository.\npackage sub\n\n// Name names it.\nconst Name = "sub"\n' > "$src/sub/sub.go"
git -C "$src" add -A && git -C "$src" commit -q -m "v1.1.0 and a submodule" && git -C "$src" tag v1.1.0 && git -C "$src" tag sub/v0.1.0
printf 'module %s/v2\n\ngo 1.19\n' "$module" > "$src/go.mod"
sed -i.bak 's/v1.1.0/v2/' "$src/hello.go" && rm -f "$src/hello.go.bak"
git -C "$src" add -A && git -C "$src" commit -q -m "v2" && git -C "$src" tag v2.0.0
git clone -q --bare "$src" "$data/git/demo/hello.git"
# The per-repository switch, as the Edit Repository page stores it.
git config -f "$data/git/demo/hello.git/config" gitblit.customFields.goProxy true

# ---- start Gitblit (in the background of this script, so that we can wait for it and print the commands)
java_opts=(-Xmx512m -Djava.awt.headless=true)
if java --add-opens java.base/java.lang=ALL-UNNAMED -version >/dev/null 2>&1; then
  # Java 9+: Gitblit 1.9.3's Guice defines classes by reflection.
  java_opts+=(--add-opens java.base/java.lang=ALL-UNNAMED)
fi
log="$demo/gitblit.log"
java "${java_opts[@]}" -cp "$classpath" com.gitblit.GitBlitServer --baseFolder "$data" \
  --httpPort "$http_port" --httpsPort "$https_port" --gitPort 0 --sshPort 0 --shutdownPort 0 > "$log" 2>&1 &
gitblit_pid=$!

stop() {
  trap - INT TERM
  if kill -0 "$gitblit_pid" 2>/dev/null; then
    say ""
    say "Stopping Gitblit..."
    kill -TERM "$gitblit_pid" 2>/dev/null || true
    wait "$gitblit_pid" 2>/dev/null || true
  fi
  say "Gitblit stopped."
  exit 0
}
trap stop INT TERM

http_status() {
  # A plain HTTP/1.0 GET through bash's /dev/tcp: no curl needed.
  local status=""
  if { exec 3<>"/dev/tcp/127.0.0.1/$http_port"; } 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    read -r _ status _ <&3 || true
    exec 3<&- 3>&-
  fi
  printf '%s' "$status"
}

say "Starting Gitblit 1.9.3 (log: $log)..."
for _ in $(seq 1 900); do
  kill -0 "$gitblit_pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "Gitblit exited; its log is above"; }
  status="$(http_status /)"
  [ "$status" = 200 ] && break
  [ "$status" = 503 ] && { tail -n 40 "$log" >&2; kill "$gitblit_pid"; die "Gitblit answered 503 (its web application failed)"; }
  sleep 0.1
done
[ "$(http_status /)" = 200 ] || { kill "$gitblit_pid"; die "Gitblit did not answer on port $http_port within 90 s"; }

proxy="http://127.0.0.1:$http_port/go"
env="GOPROXY=$proxy GONOSUMDB=127.0.0.1 GOFLAGS=-mod=mod"
# Gitblit made its own certificate authority for HTTPS; the go command trusts it through SSL_CERT_FILE.
ca_pem="$demo/gitblit-ca.pem"
https_line="(no keytool on the PATH to export Gitblit's CA certificate: HTTPS not shown)"
if command -v keytool >/dev/null && keytool -printcert -rfc -file "$data/certs/ca.cer" > "$ca_pem" 2>/dev/null; then
  https_line="SSL_CERT_FILE=$ca_pem GOPROXY=https://localhost:$https_port/go GONOSUMDB=127.0.0.1 GOFLAGS=-mod=mod go get $module@v1.0.0"
fi
cat <<TEXT

Gitblit 1.9.3 with the Go module proxy plugin is running.
  Web UI:     http://127.0.0.1:$http_port/  (admin / admin)  -- the repository: demo/hello.git
  Go proxy:   $proxy/
  HTTPS:      https://localhost:$https_port/ (certificate from Gitblit's own CA; the go command sends
              .netrc credentials over HTTPS only: private repositories need it, see docs/gitblit-plugin.md)

Try it in another terminal (go 1.19 or newer):

  mkdir -p /tmp/gitblit-go-demo && cd /tmp/gitblit-go-demo && go mod init example.com/try
  $env go get $module@v1.1.0
  $env go get $module/sub@v0.1.0
  $env go get $module/v2@v2.0.0
  $env go list -m -versions $module
  curl http://127.0.0.1:$http_port/go/$module/@v/list

Over HTTPS:

  $https_line

Press Ctrl-C to stop Gitblit.
DEMO READY $proxy
TEXT

wait "$gitblit_pid" || true
say "Gitblit exited; its log: $log"
