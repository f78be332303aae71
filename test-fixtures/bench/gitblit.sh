# Starts a real Gitblit 1.9.3 for the benchmark rows that push to one (sourced by run.sh), the way the integration
# tests start it (testing.GitblitInstance): GitBlitServer in its own JVM on the runtime classpath the it module's
# build resolves (target/gitblit-runtime/classpath-1.9.3.txt), a fresh base folder with Gitblit's own
# defaults.properties, the test overrides of test-fixtures/gitblit-runtime/gitblit.properties, admin/admin, and
# the plugin zip in plugins/ when one is given. HTTP only, on loopback.
#
#   gitblit_start <home> <plugin zip or ""> [setting=value ...]    sets gb_port, gb_pid, gb_log, gb_git
#   gitblit_stop
#
# Repositories are copied into $gb_git before the start (Gitblit finds them there); a repository's Go switch is
# its git config field gitblit.customFields.goProxy.
#
# The classpath, when missing, is resolved with Maven (offline, from the local repository):
#   mvn -B -o -q -f test-fixtures/gitblit-runtime/pom.xml dependency:build-classpath -Dgitblit.version=1.9.3 \
#     -Dmdep.outputFile=target/gitblit-runtime/classpath-1.9.3.txt

gitblit_classpath() {
  local file="$root/target/gitblit-runtime/classpath-1.9.3.txt"
  if [ ! -s "$file" ]; then
    mvn -B -o -q -f "$root/test-fixtures/gitblit-runtime/pom.xml" dependency:build-classpath -Dgitblit.version=1.9.3 \
      -Dmdep.outputFile="$file" >&2 || { echo "bench: cannot resolve Gitblit's classpath into $file" >&2; exit 1; }
  fi
  cat "$file"
}

gitblit_start() { # home plugin-zip settings...
  local home="$1" zip="$2"; shift 2
  local cp base jar
  cp="$(gitblit_classpath)"
  base="$home/data"; gb_git="$base/git"; gb_log="$home/gitblit.log"
  mkdir -p "$base/plugins" "$gb_git"
  jar="$(tr ':' '\n' <<<"$cp" | grep -E '/gitblit-[0-9][^/]*\.jar$' | head -1)"
  [ -n "$jar" ] || { echo "bench: no gitblit jar in the classpath" >&2; exit 1; }
  [ -f "$base/defaults.properties" ] || python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("defaults.properties"))' "$jar" > "$base/defaults.properties"
  gb_port="$(free_port)"
  {
    cat "$root/test-fixtures/gitblit-runtime/gitblit.properties"
    echo
    echo "# ---- written by test-fixtures/bench/gitblit.sh ----"
    echo "server.httpPort = $gb_port"
    echo "server.httpsPort = 0"
    for s in "$@"; do echo "${s%%=*} = ${s#*=}"; done
  } > "$base/gitblit.properties"
  printf '[user "admin"]\n\tpassword = "admin"\n\trole = "#admin"\n\trole = "#notfederated"\n' > "$base/users.conf"
  rm -f "$base/plugins/"*.zip
  [ -z "$zip" ] || cp "$zip" "$base/plugins/"
  ( cd "$home" && exec env -u GITBLIT_HOME java -Xmx1g -XX:+UseSerialGC -Djava.awt.headless=true \
      --add-opens java.base/java.lang=ALL-UNNAMED -cp "$cp" com.gitblit.GitBlitServer --baseFolder "$base" \
      --httpPort "$gb_port" --httpsPort 0 --gitPort 0 --sshPort 0 --shutdownPort 0 >> "$gb_log" 2>&1 ) &
  gb_pid=$!; pids+=("$gb_pid")
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gb_port/")" = 200 ] && return 0
    kill -0 "$gb_pid" 2>/dev/null || break
    sleep 0.3
  done
  echo "bench: Gitblit did not start; see $gb_log" >&2; tail -30 "$gb_log" >&2; exit 1
}

gitblit_stop() {
  [ -n "${gb_pid:-}" ] || return 0
  kill "$gb_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$gb_pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$gb_pid" 2>/dev/null || true
  gb_pid=""
}
