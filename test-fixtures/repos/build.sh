#!/usr/bin/env bash
# Builds the fixture repositories of the parity tests: bare repositories under <out>/github.com/acme/<name>.git
# covering what direct mode decides (tags, branches, pseudo-versions of all three forms, subdirectory modules,
# major versions by /vN go.mod and by vN/ directory, +incompatible, nested modules, vendor directories,
# .gitattributes conversions, root LICENSE inheritance, symlinks, retractions, a go.mod naming another module,
# a legacy repository without go.mod). Deterministic: fixed author, committer and dates.
#
#   test-fixtures/repos/build.sh <out>
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Fixture GIT_AUTHOR_EMAIL=fixture@example.com
export GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fixture@example.com
tick=1704067200 # 2024-01-01T00:00:00Z, one hour more per commit

commit() { # message
  tick=$((tick + 3600))
  GIT_AUTHOR_DATE="@$tick +0000" GIT_COMMITTER_DATE="@$tick +0000" git commit -q --allow-empty -m "$1"
}
start() { # name
  rm -rf "$work/$1"; mkdir -p "$work/$1"; cd "$work/$1"; git init -q -b main .
}
finish() { # name
  git clone -q --bare "$work/$1" "$out/github.com/acme/$1.git"
}
file() { # path content
  mkdir -p "$(dirname "$1")"; printf '%b' "$2" > "$1"; git add -- "$1"
}
mkdir -p "$out/github.com/acme"

# lib: the everyday module. Releases, a prerelease, a branch after the last tag, a retraction.
start lib
file go.mod 'module github.com/acme/lib\n\ngo 1.19\n'
file lib.go 'package lib\n\nfunc Hello() string { return "hello" }\n'
file LICENSE 'Fixture license\n'
commit "v1.0.0"; git tag v1.0.0
file lib.go 'package lib\n\nfunc Hello() string { return "hello, again" }\n'
commit "v1.1.0"; git tag -a v1.1.0 -m "annotated v1.1.0"
file extra.go 'package lib\n\nconst Extra = 1\n'
commit "v1.2.0-rc.1"; git tag v1.2.0-rc.1
file go.mod 'module github.com/acme/lib\n\ngo 1.19\n\n// Published by mistake.\nretract v1.0.0\n'
commit "after rc"
file more.go 'package lib\n\nconst More = 2\n'
commit "head of main"
git checkout -q -b feature
file feature.go 'package lib\n\nconst Feature = 3\n'
commit "feature work"
git checkout -q main
git tag not-a-version
git tag v1.3 # not canonical: ignored by the list, usable as a query
finish lib

# mono: modules in subdirectories, a nested module inside the root one, vendor, LICENSE inheritance.
start mono
file go.mod 'module github.com/acme/mono\n\ngo 1.19\n'
file root.go 'package mono\n'
file LICENSE 'Mono license\n'
file vendor/modules.txt '# vendored\n'
file vendor/example.com/dep/dep.go 'package dep\n'
file internal/vendor/x.go 'package vendor\n'
file tools/go.mod 'module github.com/acme/mono/tools\n\ngo 1.19\n'
file tools/tool.go 'package tools\n'
file tools/nested/GO.MOD 'module github.com/acme/mono/tools/nested\n'
file tools/nested/n.go 'package nested\n'
commit "mono v0.1.0"; git tag v0.1.0; git tag tools/v0.2.0
file tools/tool.go 'package tools\n\nconst V = 2\n'
commit "tools v0.3.0"; git tag tools/v0.3.0
file tools/LICENSE 'Tools own license\n'
commit "tools license"; git tag tools/v0.4.0
finish mono

# major: v2 by /v2 in the root go.mod, v3 in a v3/ directory.
start major
file go.mod 'module github.com/acme/major\n\ngo 1.19\n'
file m.go 'package major\n'
commit "v1.0.0"; git tag v1.0.0
file go.mod 'module github.com/acme/major/v2\n\ngo 1.19\n'
commit "v2.0.0"; git tag v2.0.0
file m.go 'package major\n\nconst Two = 2\n'
commit "v2.1.0"; git tag v2.1.0
file v3/go.mod 'module github.com/acme/major/v3\n\ngo 1.19\n'
file v3/m.go 'package major\n\nconst Three = 3\n'
commit "v3.0.0"; git tag v3.0.0
commit "after v3"
finish major

# legacy: no go.mod, tags up to v2 (+incompatible).
start legacy
file legacy.go 'package legacy\n'
commit "v1.0.0"; git tag v1.0.0
file legacy.go 'package legacy\n\nconst X = 1\n'
commit "v2.0.0"; git tag v2.0.0
file legacy.go 'package legacy\n\nconst X = 2\n'
commit "v2.1.0"; git tag v2.1.0
commit "untagged head"
finish legacy

# attrs: .gitattributes conversions git archive applies, a symlink, an export-ignore file.
start attrs
file go.mod 'module github.com/acme/attrs\n\ngo 1.19\n'
file .gitattributes '*.txt text eol=crlf\n*.id ident\nsecret.go export-ignore\n*.bin binary\n'
file a.txt 'line one\nline two\n'
file v.id '$Id$\n'
file secret.go 'package attrs\n'
file data.bin '\x00\x01\x02\r\n'
file attrs.go 'package attrs\n'
ln -s attrs.go link.go; git add link.go
commit "v1.0.0"; git tag v1.0.0
finish attrs

# other: a go.mod naming another module (never listed), then a good one.
start other
file go.mod 'module example.com/somewhere/else\n\ngo 1.19\n'
file o.go 'package other\n'
commit "v1.0.0 with a foreign module path"; git tag v1.0.0
file go.mod 'module github.com/acme/other\n\ngo 1.19\n'
commit "v1.1.0"; git tag v1.1.0
finish other

# untagged: no tags at all; @latest is a pseudo-version of HEAD.
start untagged
file go.mod 'module github.com/acme/untagged\n\ngo 1.19\n'
file u.go 'package untagged\n'
commit "first"
commit "second"
finish untagged

# odd: pseudo-version-shaped and invalid tags, an unparseable go.mod at one tag, upper-case path elements,
# a gitlink (git submodule) entry, untagged commits after a tag.
start odd
file go.mod 'module github.com/acme/odd\n\ngo 1.19\n'
file Upper/Case.go 'package upper\n'
file README.md 'odd\n'
commit "v1.0.0"; git tag v1.0.0
git tag v1.0.1-0.20240101000000-abcdefabcdef   # pseudo-version-shaped: never a version
git tag v1.0.0-bad..tag 2>/dev/null || true
file go.mod 'module github.com/acme/odd\n\ngo 1.19\nrequire (\n'
commit "broken go.mod"; git tag v1.1.0
file go.mod 'module github.com/acme/odd\n\ngo 1.19\n'
git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendored-submodule
commit "v1.2.0 with a gitlink"; git tag v1.2.0
commit "untagged after v1.2.0"
finish odd

# app: depends on lib, to show go get resolving one served module through another.
start app
file go.mod 'module github.com/acme/app\n\ngo 1.19\n\nrequire github.com/acme/lib v1.1.0\n'
file app.go 'package app\n\nimport "github.com/acme/lib"\n\n// Greeting uses lib.\nfunc Greeting() string { return lib.Hello() }\n'
commit "v1.0.0"; git tag v1.0.0
finish app

echo "fixtures in $out"
