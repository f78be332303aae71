package com.gitblit.plugin.goproxy.release;

import com.gitblit.plugin.goproxy.module.PseudoVersion;
import com.gitblit.plugin.goproxy.module.SemVer;

/**
 * A git tag read the way the go command reads tags: {@code vX.Y.Z[-pre]} for the module at the repository root,
 * {@code <dir>/vX.Y.Z[-pre]} for the module in directory {@code dir} (cmd/go's codeDir). Only exactly canonical
 * semantic versions are versions; a pseudo-version-shaped tag is never one; other tags that look like versions
 * ({@code v1.2}, {@code v1.2.3+build}) are ignored by the go command, which a releaser wants to hear.
 */
public final class VersionTag {
    public enum Kind {
        /** A canonical semantic version: a release of a module. */
        VERSION,
        /** Canonical, but shaped like a pseudo-version: cmd/go never takes it for a version. */
        PSEUDO_VERSION,
        /** Starts like a version ({@code v} and a digit) but is not a canonical semantic version. */
        NOT_CANONICAL,
        /** Any other tag: none of the go command's business. */
        OTHER
    }

    private final String name;
    private final String dir;
    private final String version;
    private final Kind kind;

    private VersionTag(String name, String dir, String version, Kind kind) {
        this.name = name;
        this.dir = dir;
        this.version = version;
        this.kind = kind;
    }

    /** Reads a tag name ({@code v1.2.3}, {@code sub/v1.2.3}) or a full ref name ({@code refs/tags/...}). */
    public static VersionTag parse(String tagOrRef) {
        String name = tagOrRef.startsWith("refs/tags/") ? tagOrRef.substring("refs/tags/".length()) : tagOrRef;
        int slash = name.lastIndexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash);
        String v = name.substring(slash + 1);
        Kind kind;
        if (v.length() < 2 || v.charAt(0) != 'v' || v.charAt(1) < '0' || v.charAt(1) > '9') {
            kind = Kind.OTHER;
        } else if (!v.equals(SemVer.canonical(v))) {
            kind = Kind.NOT_CANONICAL;
        } else if (PseudoVersion.isPseudoVersion(v)) {
            kind = Kind.PSEUDO_VERSION;
        } else {
            kind = Kind.VERSION;
        }
        return new VersionTag(name, dir, v, kind);
    }

    /** The tag name without {@code refs/tags/}. */
    public String name() {
        return name;
    }

    /** The module directory in the repository: {@code ""} for the root. */
    public String dir() {
        return dir;
    }

    /** The part after the last slash, e.g. {@code v1.2.3}. */
    public String version() {
        return version;
    }

    public Kind kind() {
        return kind;
    }

    /** The canonical form the go command would want ({@code v1.2} → {@code v1.2.0}); empty if there is none. */
    public String canonicalSuggestion() {
        return SemVer.canonical(version);
    }

    /**
     * The module paths this tag can be a version of, in the order cmd/go would prefer them, for a repository whose
     * root module path is {@code root}: {@code root/dir}, and for a {@code v2+} tag first {@code root/dir/vN}
     * (go.mod with the major suffix) and then {@code root/dir} itself ({@code +incompatible}, no go.mod).
     */
    public java.util.List<Candidate> candidates(String root) {
        java.util.List<Candidate> out = new java.util.ArrayList<>(2);
        String prefix = dir.isEmpty() ? root : root + "/" + dir;
        String major = SemVer.major(version);
        if (!major.equals("v0") && !major.equals("v1")) {
            out.add(new Candidate(prefix + "/" + major, version));
            out.add(new Candidate(prefix, version + "+incompatible"));
        } else {
            out.add(new Candidate(prefix, version));
        }
        return out;
    }

    /** One module version a tag may stand for. */
    public static final class Candidate {
        public final String modulePath;
        public final String version;

        Candidate(String modulePath, String version) {
            this.modulePath = modulePath;
            this.version = version;
        }

        @Override
        public String toString() {
            return modulePath + "@" + version;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
