#!/usr/bin/env bash
# The second way to run the proxy: the standalone server over demo repositories it creates (a root module with
# tags, a module in a subdirectory, a v2; branch main), on 127.0.0.1:8090 (8080 is the Gitblit demo's), printing
# the go commands to try. Ctrl-C stops it.
#
#   test-fixtures/demo/run-standalone-demo.sh            # DEMO_LISTEN=127.0.0.1:9090 to move it
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/target/goproxy-standalone.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/plugin-src" "$root/pom.xml" -name target -prune -o -newer "$jar" -print -quit)" ]; then
  echo "Building the standalone jar (mvn package, tests skipped)..."
  (cd "$root" && mvn -B -q -DskipTests package)
fi
demo="$root/target/standalone-demo"
rm -rf "$demo"
exec java -jar "$jar" demo --dir "$demo" --listen "${DEMO_LISTEN:-127.0.0.1:8090}"
