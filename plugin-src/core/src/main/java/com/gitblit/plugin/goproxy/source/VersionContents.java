package com.gitblit.plugin.goproxy.source;

import java.util.Collections;
import java.util.List;

/** What a version holds, for a page: its directory in the repository, its go.mod and its package directories. */
public final class VersionContents {
    private final String directory;
    private final byte[] goMod;
    private final List<String> packages;

    VersionContents(String directory, byte[] goMod, List<String> packages) {
        this.directory = directory;
        this.goMod = goMod;
        this.packages = Collections.unmodifiableList(packages);
    }

    /** The module's directory in the repository at that commit ({@code ""} for the root). */
    public String directory() {
        return directory;
    }

    public byte[] goMod() {
        return goMod.clone();
    }

    /** Package directories relative to {@link #directory()}, {@code ""} for the module's root package. */
    public List<String> packages() {
        return packages;
    }
}
