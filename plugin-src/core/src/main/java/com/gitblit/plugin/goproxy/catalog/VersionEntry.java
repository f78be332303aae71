package com.gitblit.plugin.goproxy.catalog;

import java.time.Instant;

/** One listed version of a module: its tag, commit and time, and whether it is a prerelease or retracted. */
public final class VersionEntry {
    private final String version;
    private final String tag;
    private final String commit;
    private final Instant time;
    private final boolean prerelease;
    private final String retraction;

    VersionEntry(String version, String tag, String commit, Instant time, boolean prerelease, String retraction) {
        this.version = version;
        this.tag = tag;
        this.commit = commit;
        this.time = time;
        this.prerelease = prerelease;
        this.retraction = retraction;
    }

    public String version() {
        return version;
    }

    /** The tag naming it, e.g. {@code sub/v1.2.0}. */
    public String tag() {
        return tag;
    }

    public String commit() {
        return commit;
    }

    public Instant time() {
        return time;
    }

    public boolean prerelease() {
        return prerelease;
    }

    public boolean retracted() {
        return retraction != null;
    }

    /** The rationale of the retraction ({@code ""} when the go.mod gives none); {@code null} when not retracted. */
    public String retraction() {
        return retraction;
    }
}
