package com.gitblit.plugin.goproxy.source;

import java.time.Instant;

/**
 * What the proxy makes of one version-shaped tag of a repository: the module it belongs to, the version it
 * gives, and, when the proxy does not list it, why ({@link #reason()}, the proxy's own sentence). The pages and
 * the push hook show these; nobody else decides them.
 */
public final class TagListing {
    private final String tag;
    private final String modulePath;
    private final String version;
    private final String commit;
    private final Instant time;
    private final String reason;

    TagListing(String tag, String modulePath, String version, String commit, Instant time, String reason) {
        this.tag = tag;
        this.modulePath = modulePath;
        this.version = version;
        this.commit = commit;
        this.time = time;
        this.reason = reason;
    }

    /** The tag name without {@code refs/tags/}, e.g. {@code sub/v1.2.0}. */
    public String tag() {
        return tag;
    }

    /** The module the tag's directory and major version name. */
    public String modulePath() {
        return modulePath;
    }

    /** The version as {@code @v/list} has it when served (possibly with {@code +incompatible}); else the tag's. */
    public String version() {
        return version;
    }

    /** The commit the tag points at (peeled), or {@code null} when it names none. */
    public String commit() {
        return commit;
    }

    /** The commit's committer time, or {@code null} when it names none. */
    public Instant time() {
        return time;
    }

    public boolean served() {
        return reason == null;
    }

    /** Why the proxy does not serve this tag; {@code null} when it does. */
    public String reason() {
        return reason;
    }
}
