#!/usr/bin/env bash
# Existence timing (issue 13): a private repository against a path that names nothing, anonymous callers,
# 1,000 paired requests to the standalone server. Usage: existence_timing.sh target/goproxy-standalone.jar
set -euo pipefail
jar=$1; w=$(mktemp -d); mkdir -p $w/repos
git init -q --bare $w/repos/secret/lib.git
git init -q --bare $w/repos/public/lib.git
printf 'secret-pw\n' | java -jar $jar hash-password alice > $w/users 2>/dev/null
printf 'public/** anonymous\nsecret/* alice\n' > $w/access
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx256m -jar $jar --repos $w/repos --prefix git.example.com --users $w/users --access $w/access --listen 127.0.0.1:$port > $w/log 2>&1 &
pid=$!; trap "kill $pid; rm -rf $w" EXIT
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$port/go/git.example.com/public/lib/@v/list && break; sleep 0.2; done
python3 "$(dirname "$0")/existence_timing.py" 127.0.0.1 $port /go/git.example.com/secret/lib/@v/list /go/git.example.com/secret/nope/@v/list 1000
