#!/usr/bin/env bash
# Starts a real Gitblit with the Go module proxy plugin on 127.0.0.1, with a demo repository that serves Go
# modules (tagged v1.0.0, v1.1.0, a submodule and a v2) and a private one, and prints the go commands to try,
# over HTTP and over HTTPS with a certificate the go command accepts. Runs in the foreground; Ctrl-C stops it.
#
#   test-fixtures/demo/run-gitblit-demo.sh            # HTTP on 8080, HTTPS on 8443, Gitblit 1.9.3
#   DEMO_HTTP_PORT=9080 DEMO_HTTPS_PORT=9443 test-fixtures/demo/run-gitblit-demo.sh
#   DEMO_GITBLIT_VERSION=1.10.0 test-fixtures/demo/run-gitblit-demo.sh   # needs Gitblit 1.10.0 in a Maven
#                                                     # repository: see test-fixtures/gitblit-build/
#
# Needs a JDK (8 or newer: java and keytool) and git; Maven when the plugin or Gitblit's jars must be fetched
# or built. Everything it writes is under target/gitblit-demo/ (recreated on every run).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${DEMO_GITBLIT_VERSION:-1.9.3}"
http_port="${DEMO_HTTP_PORT:-8080}"
https_port="${DEMO_HTTPS_PORT:-8443}"
demo="$root/target/gitblit-demo"
data="$demo/data"
pki="$demo/pki"
try="$demo/try"
module="127.0.0.1/demo/hello"
private_module="127.0.0.1/demo/private"
private_user="alice"
private_password="alice-demo"

say() { printf '%s\n' "$*"; }
die() { printf 'run-gitblit-demo: %s\n' "$*" >&2; exit 1; }

command -v java >/dev/null || die "java is not on the PATH (a JDK 8 or newer is needed)"
command -v git >/dev/null || die "git is not on the PATH"

# ---- the plugin zip: built by Maven unless a zip newer than the sources is there already
zip="$(ls -t "$root"/target/goproxy-*.zip 2>/dev/null | head -n 1 || true)"
if [ -z "$zip" ] || [ -n "$(find "$root/plugin-src" "$root/plugin.properties" "$root/pom.xml" -name target -prune -o -newer "$zip" -print -quit)" ]; then
  command -v mvn >/dev/null || die "the plugin zip must be built, and mvn is not on the PATH"
  say "Building the plugin (mvn package, tests skipped)..."
  (cd "$root" && mvn -B -q -DskipTests package)
  zip="$(ls -t "$root"/target/goproxy-*.zip | head -n 1)"
fi

# ---- Gitblit and its libraries, from the same Maven repositories as the build
classpath_file="$root/target/gitblit-runtime/classpath-$version.txt"
classpath_ok() {
  [ -s "$classpath_file" ] || return 1
  local IFS=:
  for jar in $(cat "$classpath_file"); do [ -f "$jar" ] || return 1; done
}
if ! classpath_ok; then
  command -v mvn >/dev/null || die "Gitblit's jars must be resolved, and mvn is not on the PATH"
  say "Resolving Gitblit $version with Maven..."
  mkdir -p "$(dirname "$classpath_file")"
  (cd "$root/test-fixtures/gitblit-runtime" \
    && mvn -B -q dependency:build-classpath -Dgitblit.version="$version" -Dmdep.outputFile="$classpath_file") \
    || die "Maven could not resolve com.gitblit:gitblit:$version (1.10.0 is not in Gitblit's Maven repository: build it with test-fixtures/gitblit-build/build-gitblit-1.10.0.sh)"
fi
classpath="$(cat "$classpath_file")"
gitblit_jar="$(tr ':' '\n' < "$classpath_file" | grep -E '/gitblit-[0-9][^/]*\.jar$' | head -n 1)"
[ -n "$gitblit_jar" ] || die "no gitblit jar in $classpath_file"

# ---- a fresh data folder: Gitblit's defaults, a few demo settings, the accounts, the plugin
rm -rf "$demo"
mkdir -p "$data/plugins" "$data/git/demo" "$demo/src" "$pki" "$try"
if command -v unzip >/dev/null; then
  unzip -p "$gitblit_jar" defaults.properties > "$data/defaults.properties"
else
  (cd "$data" && jar xf "$gitblit_jar" defaults.properties)
fi
store_password="demo-$RANDOM$RANDOM"
cat > "$data/gitblit.properties" <<PROPS
include = defaults.properties
server.httpBindInterface = 127.0.0.1
server.httpsBindInterface = 127.0.0.1
server.redirectToHttpsPort = false
# HTTPS serves serverKeyStore.jks, made below: a certificate naming 127.0.0.1 and localhost.
server.storePassword = $store_password
server.certificateAlias = demo-server
git.daemonPort = 0
git.sshPort = 0
# The module paths of this Gitblit start with the host of its canonical URL: $module...
web.canonicalUrl = http://127.0.0.1:$http_port
web.allowLuceneIndexing = false
gitblit.testRun = true
PROPS
# users.conf: admin, and $private_user, who may clone (R) the private repository.
cat > "$data/users.conf" <<USERS
[user "admin"]
	password = admin
	role = "#admin"
	role = "#notfederated"
[user "$private_user"]
	password = $private_password
	repository = "R:demo/private.git"
USERS
cp "$zip" "$data/plugins/"

# ---- HTTPS: a demo certificate authority and a server certificate with subject alternative names.
# The go command (Go 1.15+) ignores a certificate's common name: without SANs it refuses the connection
# ("x509: certificate relies on legacy Common Name field"). One host name only (the common name and the DNS
# SAN alike, IP addresses aside): Gitblit 1.10.0's Jetty refuses to start HTTPS on a certificate that names
# two. keytool comes with every JDK.
command -v keytool >/dev/null || die "keytool is not on the PATH (it comes with the JDK)"
kt() {
  local out
  out="$(keytool "$@" 2>&1)" || { printf '%s\n' "$out" >&2; die "keytool $1 failed"; }
}
ca_store="$pki/ca.p12"
server_store="$data/serverKeyStore.jks"
kt -genkeypair -keystore "$ca_store" -storetype PKCS12 -storepass "$store_password" -alias demo-ca \
  -keyalg EC -keysize 256 -validity 30 -dname "CN=Gitblit Go proxy demo CA" \
  -ext bc:c -ext ku:c=keyCertSign,cRLSign
kt -exportcert -keystore "$ca_store" -storetype PKCS12 -storepass "$store_password" -alias demo-ca -rfc \
  -file "$pki/ca.pem"
kt -genkeypair -keystore "$server_store" -storetype JKS -storepass "$store_password" -keypass "$store_password" \
  -alias demo-server -keyalg EC -keysize 256 -validity 30 -dname "CN=localhost"
kt -certreq -keystore "$server_store" -storetype JKS -storepass "$store_password" -alias demo-server \
  -file "$pki/server.csr"
kt -gencert -keystore "$ca_store" -storetype PKCS12 -storepass "$store_password" -alias demo-ca \
  -infile "$pki/server.csr" -outfile "$pki/server.pem" -rfc -validity 30 \
  -ext san=dns:localhost,ip:127.0.0.1 -ext ku:c=digitalSignature -ext eku=serverAuth
# The CA first, so that keytool can chain the signed certificate to it when it replaces the request's.
kt -importcert -keystore "$server_store" -storetype JKS -storepass "$store_password" -alias demo-ca \
  -file "$pki/ca.pem" -noprompt
kt -importcert -keystore "$server_store" -storetype JKS -storepass "$store_password" -alias demo-server \
  -file "$pki/server.pem"
ca_pem="$pki/ca.pem"

# ---- the demo repositories, pushed into Gitblit's folder
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Demo" GIT_AUTHOR_EMAIL="demo@example.com"
export GIT_COMMITTER_NAME="Demo" GIT_COMMITTER_EMAIL="demo@example.com"
export GIT_AUTHOR_DATE="2024-01-02T03:04:05Z" GIT_COMMITTER_DATE="2024-01-02T03:04:05Z"

# demo/hello.git: module $module, a submodule, a v2, and work on main after v2.0.0.
src="$demo/src/hello"
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
printf '\n// Farewell says goodbye (not released yet).\nfunc Farewell() string { return "Goodbye from Gitblit" }\n' >> "$src/hello.go"
GIT_COMMITTER_DATE="2024-01-03T03:04:05Z" git -C "$src" commit -q -a -m "work after v2.0.0"
git clone -q --bare "$src" "$data/git/demo/hello.git"
# The per-repository switch, as the Edit Repository page stores it.
git config -f "$data/git/demo/hello.git/config" gitblit.customFields.goProxy true

# demo/private.git: module $private_module; only $private_user (and admin) may clone it, so only they get it.
psrc="$demo/src/private"
git init -q -b main "$psrc"
printf 'module %s\n\ngo 1.19\n' "$private_module" > "$psrc/go.mod"
printf '// Package private is visible to permitted users only.\npackage private\n\n// Secret is not for everyone.\nconst Secret = "for alice"\n' > "$psrc/private.go"
git -C "$psrc" add -A && git -C "$psrc" commit -q -m "private" && git -C "$psrc" tag v0.1.0
git clone -q --bare "$psrc" "$data/git/demo/private.git"
git config -f "$data/git/demo/private.git/config" gitblit.customFields.goProxy true
# View, clone and push restricted to named users (Edit Repository → access restriction "authenticated
# view, clone & push", authorization "named users").
git config -f "$data/git/demo/private.git/config" gitblit.accessRestriction VIEW
git config -f "$data/git/demo/private.git/config" gitblit.authorizationControl NAMED

# ---- start Gitblit (in the background of this script, so that we can wait for it and print the commands)
java_opts=(-Xmx512m -Djava.awt.headless=true)
if java --add-opens java.base/java.lang=ALL-UNNAMED -version >/dev/null 2>&1; then
  # Java 9+: Gitblit 1.9.3's Guice defines classes by reflection, 1.10.0's markdown renderer (pegdown) too.
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

say "Starting Gitblit $version (log: $log)..."
for _ in $(seq 1 900); do
  kill -0 "$gitblit_pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "Gitblit exited; its log is above"; }
  status="$(http_status /)"
  [ "$status" = 200 ] && break
  [ "$status" = 503 ] && { tail -n 40 "$log" >&2; kill "$gitblit_pid"; die "Gitblit answered 503 (its web application failed)"; }
  sleep 0.1
done
[ "$(http_status /)" = 200 ] || { kill "$gitblit_pid"; die "Gitblit did not answer on port $http_port within 90 s"; }
grep -q "Setting up HTTPS transport on port $https_port" "$log" \
  || { kill "$gitblit_pid"; tail -n 40 "$log" >&2; die "Gitblit did not set up HTTPS (its log is above)"; }

proxy="http://127.0.0.1:$http_port/go"
env="GOPROXY=$proxy GONOSUMDB=127.0.0.1 GOFLAGS=-mod=mod"
https_env="SSL_CERT_FILE=$ca_pem GOPROXY=https://127.0.0.1:$https_port/go GONOSUMDB=127.0.0.1 GOFLAGS=-mod=mod"
netrc="$demo/netrc"
cat <<TEXT

Gitblit $version with the Go module proxy plugin is running.
  Web UI:     http://127.0.0.1:$http_port/  (admin / admin)  -- repositories demo/hello.git, demo/private.git
  Go proxy:   $proxy/  and  https://127.0.0.1:$https_port/go/
  HTTPS:      certificate for 127.0.0.1 and localhost from the demo's own CA, $ca_pem
              (the go command trusts it through SSL_CERT_FILE; it sends .netrc credentials over HTTPS only)

Try it in another terminal (go 1.19 or newer):

  cd $try && go mod init example.com/try
  $env go get $module@v1.1.0
  $env go get $module/sub@v0.1.0
  $env go get $module/v2@v2.0.0
  $env go get $module/v2@main
  $env go list -m -versions $module
  curl -sS http://127.0.0.1:$http_port/go/$module/@v/list

Over HTTPS, and the private module $private_module ($private_user's .netrc; NETRC names the file):

  $https_env go get $module@v1.0.0
  printf 'machine 127.0.0.1 login $private_user password $private_password\\n' > $netrc
  NETRC=$netrc $https_env go get $private_module@v0.1.0

Press Ctrl-C to stop Gitblit.
DEMO READY $proxy
TEXT

wait "$gitblit_pid" || true
say "Gitblit exited; its log: $log"
