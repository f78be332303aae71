package com.gitblit.plugin.goproxy.module;

/**
 * A module path split at its major-version suffix (x/mod {@code SplitPathVersion}):
 * {@code example.com/a/v3} → ({@code example.com/a}, {@code /v3}); {@code gopkg.in/yaml.v2} →
 * ({@code gopkg.in/yaml}, {@code .v2}); no suffix → (path, {@code ""}).
 */
public final class PathVersion {
    private final String prefix;
    private final String pathMajor;

    public PathVersion(String prefix, String pathMajor) {
        this.prefix = prefix;
        this.pathMajor = pathMajor;
    }

    public String prefix() {
        return prefix;
    }

    /** {@code ""}, {@code "/vN"} or (gopkg.in) {@code ".vN"} / {@code ".vN-unstable"}. */
    public String pathMajor() {
        return pathMajor;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PathVersion)) {
            return false;
        }
        PathVersion other = (PathVersion) o;
        return prefix.equals(other.prefix) && pathMajor.equals(other.pathMajor);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode() * 31 + pathMajor.hashCode();
    }

    @Override
    public String toString() {
        return prefix + "|" + pathMajor;
    }
}
