#!/usr/bin/env bash
# Builds Gitblit 1.10.0 from its official source tag and writes it, with the one artifact it needs that is not
# on Maven Central, into a file-layout Maven repository that this project's build and demo can use.
#
#   test-fixtures/gitblit-build/build-gitblit-1.10.0.sh [REPOSITORY]     # default: target/gitblit-1.10.0-maven
#
# It also installs the two artifacts into the local Maven repository (~/.m2, or -Dmaven.repo.local through
# MAVEN_ARGS), where this project's build, its tests and DEMO_GITBLIT_VERSION=1.10.0 of the demo find them
# beside 1.9.3 from Gitblit's official repository.
#
# Why: Gitblit's Maven repository (github.com/gitblit-org/gitblit-maven, https://gitblit-org.github.io/gitblit-maven/)
# ends at 1.9.3; Gitblit 1.10.0 was released only as GO and WAR downloads and as the source tag v1.10.0.
#
# How, following Gitblit's own build (build.xml + build.moxie at the tag): Ant with the Moxie toolkit 0.10.0,
# target "buildGO" (compiles, copies WEB-INF/web.xml into the classes) and then "buildMavenArtifacts"
# ("mx:package" and "mx:deploy" into ${maven.directory}: gitblit-1.10.0.jar and its pom, plus gbapi), in one
# Ant run with the single-check executor so that "compile" runs once and the web.xml stays in the jar, as in
# the jar of the GO release. guice-servlet 5.1.0-gb2 (Gitblit's fork) is copied from gitblit-maven.
#
# Needs: git, curl, Apache Ant 1.10 and a JDK (Gitblit's CI builds 1.10.0 with JDK 8 and 11; JDK 17 works too:
# the copy this project's CI uses was built with it), and access to github.com, gitblit-org.github.io and
# Maven Central. Not run by the test suite (CI has no network).
set -euo pipefail

tag="v1.10.0"
commit="22f4aea663df9887b5596c693fb00b86252d8654"   # what tag v1.10.0 points at
version="1.10.0"
moxie_version="0.10.0"
moxie_url="https://gitblit-org.github.io/moxie/maven/com/gitblit/moxie/moxie-toolkit/$moxie_version/moxie-toolkit-$moxie_version.jar"
gitblit_maven="https://gitblit-org.github.io/gitblit-maven"

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/target/gitblit-$version-maven}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$root/target/gitblit-$version-build"

die() { printf 'build-gitblit-%s: %s\n' "$version" "$*" >&2; exit 1; }
for tool in git curl ant java javac; do
  command -v "$tool" >/dev/null || die "$tool is not on the PATH"
done

rm -rf "$work"
mkdir -p "$work"

command -v mvn >/dev/null || die "mvn is not on the PATH"

# ---- the source at the tag, with its submodules (Gitblit's CI checks out with submodules: the data folder's
# gitignore templates come from one)
git clone --quiet --depth 1 --branch "$tag" --recurse-submodules --shallow-submodules \
  https://github.com/gitblit-org/gitblit.git "$work/gitblit"
actual="$(git -C "$work/gitblit" rev-parse HEAD)"
[ "$actual" = "$commit" ] || die "tag $tag is $actual, expected $commit: not the released source"

# ---- Moxie: build.xml downloads it from an http:// URL (GitHub Pages now redirects it to https://); fetch it
# over https ourselves and put it where build.xml looks (its <get> skips a file that exists).
moxie_dir="$work/moxie"
mkdir -p "$moxie_dir"
curl -fsSL -o "$moxie_dir/moxie-toolkit-$moxie_version.jar" "$moxie_url"

# ---- build: GO first (web.xml into the classes), then the Maven artifacts, "compile" only once
(cd "$work/gitblit" && ant \
  -Dant.executor.class=org.apache.tools.ant.helper.SingleCheckExecutor \
  -Dmoxie.dir="$moxie_dir" \
  -Dmaven.directory="$out" \
  buildGO buildMavenArtifacts)

jar="$out/com/gitblit/gitblit/$version/gitblit-$version.jar"
pom="$out/com/gitblit/gitblit/$version/gitblit-$version.pom"
[ -f "$jar" ] && [ -f "$pom" ] || die "Moxie did not deploy gitblit-$version.jar and .pom into $out"
# What GitBlitServer needs from its own jar (GO mode runs from the jar plus its dependencies).
entries="$(unzip -Z1 "$jar" 2>/dev/null || jar tf "$jar")"
for entry in com/gitblit/GitBlitServer.class com/gitblit/Keys.class defaults.properties WEB-INF/web.xml; do
  grep -qx "$entry" <<<"$entries" || die "$jar has no $entry"
done

# ---- Gitblit's guice-servlet fork, the one dependency that is not on Maven Central
gs="com/google/inject/extensions/guice-servlet/5.1.0-gb2"
mkdir -p "$out/$gs"
for f in guice-servlet-5.1.0-gb2.jar guice-servlet-5.1.0-gb2.pom; do
  curl -fsSL -o "$out/$gs/$f" "$gitblit_maven/$gs/$f"
  curl -fsSL -o "$out/$gs/$f.sha1" "$gitblit_maven/$gs/$f.sha1"
  want="$(cut -c1-40 < "$out/$gs/$f.sha1")"
  got="$(sha1sum "$out/$gs/$f" | cut -c1-40)"
  [ "$want" = "$got" ] || die "$f: sha1 $got, gitblit-maven says $want"
done

# ---- into the local Maven repository, next to whatever else is there (1.9.3 from the official repository)
install() { mvn -B -q -Dstyle.color=never ${MAVEN_ARGS:-} install:install-file -Dfile="$1" -DpomFile="$2"; }
install "$jar" "$pom"
install "$out/$gs/guice-servlet-5.1.0-gb2.jar" "$out/$gs/guice-servlet-5.1.0-gb2.pom"

cat <<TEXT
Gitblit $version is in the Maven repository $out and in the local Maven repository:
  $(sha1sum "$jar")
This project's build, tests and demo now find it:
  mvn -B -Dstyle.color=never verify
  DEMO_GITBLIT_VERSION=$version test-fixtures/demo/run-gitblit-demo.sh
TEXT
