#!/usr/bin/env bash
# Regenerates expected-direct.txt: what the real go command in direct mode (git, offline) answers for every
# module and query of queries.txt over the repositories build.sh makes. One line per module@query:
#   module@query <TAB> Version <TAB> Time <TAB> Sum <TAB> GoModSum      (or: module@query <TAB> error)
# and one per module: module@list <TAB> versions
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
bash "$here/build.sh" "$tmp/repos" >/dev/null
{
  printf '[protocol "file"]\n\tallow = always\n'
  for r in "$tmp"/repos/github.com/acme/*.git; do
    n="$(basename "$r" .git)"; printf '[url "file://%s"]\n\tinsteadOf = https://github.com/acme/%s\n' "$r" "$n"
  done
} > "$tmp/gitconfig"
go() {
  env -i PATH=/usr/bin:/bin HOME="$tmp" GOPATH="$tmp/gopath" GOCACHE="$tmp/gocache" GOFLAGS=-modcacherw GOSUMDB=off \
    GOPROXY=direct GOTOOLCHAIN=local GIT_CONFIG_GLOBAL="$tmp/gitconfig" GIT_CONFIG_NOSYSTEM=1 /usr/bin/go "$@"
}
out="$here/expected-direct.txt"
: > "$out.new"
grep -v '^#' "$here/queries.txt" | while IFS=$'\t' read -r module queries; do
  [ -n "$module" ] || continue
  printf '%s@list\t%s\n' "$module" "$(cd "$tmp" && go list -m -versions "$module" 2>/dev/null | cut -d' ' -f2- | sed "s|^$module\$||")" >> "$out.new"
  for q in $queries; do
    json="$(cd "$tmp" && go mod download -json "$module@$q" 2>/dev/null || true)"
    python3 - "$module@$q" "$json" >> "$out.new" <<'PY'
import json, sys
key, text = sys.argv[1], sys.argv[2]
d = json.loads(text) if text.strip() else {"Error": "no output"}
if "Error" in d:
    print(key + "\terror")
else:
    info = json.load(open(d["Info"]))
    print("\t".join([key, d["Version"], info["Time"], d["Sum"], d["GoModSum"]]))
PY
  done
done
mv "$out.new" "$out"
echo "wrote $out"
