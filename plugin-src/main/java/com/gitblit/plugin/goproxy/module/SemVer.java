package com.gitblit.plugin.goproxy.module;

import java.util.List;

/**
 * Go's semantic versions (golang.org/x/mod/semver): always with a leading {@code v}, shorthands
 * {@code v1} and {@code v1.2}, prereleases and build metadata. Invalid input gives {@code ""} where Go
 * gives {@code ""}; invalid versions compare below all valid ones and equal to each other.
 */
public final class SemVer {
    private SemVer() {
    }

    public static boolean isValid(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code vMAJOR.MINOR.PATCH[-pre]}, build metadata dropped; {@code ""} if invalid. */
    public static String canonical(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code "v2"} for {@code v2.1.0}; {@code ""} if invalid. */
    public static String major(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code "v2.1"} for {@code v2.1.0}; {@code ""} if invalid. */
    public static String majorMinor(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code "-rc.1"} (with the dash) or {@code ""}. */
    public static String prerelease(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@code "+meta"} (with the plus) or {@code ""}. */
    public static String build(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** -1, 0 or +1, as semver.Compare. */
    public static int compare(String v, String w) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The larger of two versions (semver.Max): {@code v} when equal. */
    public static String max(String v, String w) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Sorts in place by {@link #compare}, ties broken by Go string order (newer x/mod semver.Sort). */
    public static void sort(List<String> versions) {
        throw new UnsupportedOperationException("TODO");
    }
}
