package com.gitblit.plugin.goproxy.module;

/** One {@code retract} interval of a go.mod: {@code [low, high]}, inclusive; low == high for a single version. */
public final class Retraction {
    private final String low;
    private final String high;
    private final String rationale;

    public Retraction(String low, String high, String rationale) {
        this.low = low;
        this.high = high;
        this.rationale = rationale;
    }

    public String low() {
        return low;
    }

    public String high() {
        return high;
    }

    /** The comment text x/mod takes as the rationale, or {@code ""}. */
    public String rationale() {
        return rationale;
    }

    /** True iff {@code version} lies in the interval by semver comparison. */
    public boolean covers(String version) {
        return SemVer.compare(low, version) <= 0 && SemVer.compare(version, high) <= 0;
    }

    @Override
    public String toString() {
        return low.equals(high) ? low : "[" + low + ", " + high + "]";
    }
}
