package com.gitblit.plugin.goproxy.source;

import java.time.Instant;

/** A module version resolved to a commit: what {@code .info} says, and what {@code .mod}/{@code .zip} read. */
public final class Revision {
    private final String version;
    private final Instant time;
    private final String commit;

    public Revision(String version, Instant time, String commit) {
        this.version = version;
        this.time = time;
        this.commit = commit;
    }

    public String version() {
        return version;
    }

    /** The committer time, whole seconds. */
    public Instant time() {
        return time;
    }

    /** The full commit id, 40 hex digits. */
    public String commit() {
        return commit;
    }

    @Override
    public String toString() {
        return version + " (" + commit + ")";
    }
}
