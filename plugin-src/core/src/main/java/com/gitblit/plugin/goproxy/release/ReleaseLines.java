package com.gitblit.plugin.goproxy.release;

/**
 * The sentences a pusher reads (git prints them as {@code remote: goproxy: ...}), in one place so that the push
 * hook of every host says the same thing.
 */
public final class ReleaseLines {
    public static final String PREFIX = "goproxy: ";

    private ReleaseLines() {
    }

    public static String verdict(TagVerdict v) {
        if (v.served()) {
            return PREFIX + v.modulePath() + "@" + v.version() + " will be served";
        }
        return PREFIX + "tag " + v.tag().name() + " will not be served: " + v.problem();
    }

    /** The reason git shows next to a refused tag ({@code ! [remote rejected] ... (reason)}). */
    public static String rejection() {
        return PREFIX + "not a servable version (goproxy.pushChecks = reject)";
    }

    public static String ignored(VersionTag tag) {
        String canonical = tag.canonicalSuggestion();
        if (tag.kind() == VersionTag.Kind.PSEUDO_VERSION) {
            return PREFIX + "tag " + tag.name() + " will not be served: it has the form of a pseudo-version, which"
                    + " the go command never takes for a tagged version";
        }
        return PREFIX + "tag " + tag.name() + " is ignored by the go command: " + tag.version()
                + " is not a canonical semantic version"
                + (canonical.isEmpty() ? "" : " (" + (tag.dir().isEmpty() ? "" : tag.dir() + "/") + canonical
                        + " would be)");
    }

    /** A released version's tag moved or went: the go command keeps getting what it got first. */
    public static String pinned(String modulePath, String version, String pinnedCommit, boolean deleted) {
        return PREFIX + modulePath + "@" + version + " was downloaded before and stays pinned to commit "
                + pinnedCommit + " for the go command; " + (deleted ? "deleting" : "moving")
                + " its tag changes nothing it serves";
    }

    public static String pinnedRejection() {
        return PREFIX + "released version (goproxy.protectReleasedTags = reject)";
    }

    public static String queueFull(int skipped) {
        return PREFIX + skipped + " version(s) beyond the pre-build queue will be built at their first download";
    }

    public static String noNamespace() {
        return PREFIX + "no checks: set goproxy.moduleHost or web.canonicalUrl so that module paths are known";
    }
}
