package com.gitblit.plugin.goproxy.module;

import java.time.Instant;

/**
 * Pseudo-versions (x/mod module/pseudo.go): {@code vX.0.0-yyyymmddhhmmss-abcdefabcdef},
 * {@code vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef}, {@code vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef},
 * each optionally followed by build metadata such as {@code +incompatible}.
 */
public final class PseudoVersion {
    private PseudoVersion() {
    }

    /** x/mod IsPseudoVersion. */
    public static boolean isPseudoVersion(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod IsZeroPseudoVersion. */
    public static boolean isZeroPseudoVersion(String v) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * x/mod PseudoVersion(major, older, t, rev): {@code major} is {@code "v0"}, {@code "v2"}, ... ({@code ""}
     * means v0); {@code older} is the base tag's version or {@code ""}; {@code time} is the commit time
     * (formatted in UTC); {@code rev} the 12-digit short commit id.
     */
    public static String build(String major, String older, Instant time, String rev) {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod ZeroPseudoVersion. */
    public static String zero(String major) {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod PseudoVersionBase: the base version, {@code ""} for the no-base form. */
    public static String base(String v) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod PseudoVersionTime. */
    public static Instant time(String v) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod PseudoVersionRev. */
    public static String rev(String v) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }
}
