package com.gitblit.plugin.goproxy.release;

/**
 * The proxy's verdict on one version tag at one commit: the module version it would be served as, or why it would
 * not be served, worded exactly as the proxy's own 404 for that version.
 */
public final class TagVerdict {
    private final VersionTag tag;
    private final String modulePath;
    private final String version;
    private final String problem;

    private TagVerdict(VersionTag tag, String modulePath, String version, String problem) {
        this.tag = tag;
        this.modulePath = modulePath;
        this.version = version;
        this.problem = problem;
    }

    public static TagVerdict served(VersionTag tag, String modulePath, String version) {
        return new TagVerdict(tag, modulePath, version, null);
    }

    public static TagVerdict notServed(VersionTag tag, String modulePath, String version, String problem) {
        return new TagVerdict(tag, modulePath, version, problem);
    }

    public VersionTag tag() {
        return tag;
    }

    public boolean served() {
        return problem == null;
    }

    public String modulePath() {
        return modulePath;
    }

    public String version() {
        return version;
    }

    /** The proxy's one-line reason; null when served. */
    public String problem() {
        return problem;
    }
}
