package com.gitblit.plugin.goproxy.service;

import java.time.Instant;

import com.gitblit.plugin.goproxy.source.VersionContents;

/** A version as the pages show it (see {@link ModuleService#view}). */
public final class VersionView {
    private final String version;
    private final Instant time;
    private final String commit;
    private final VersionContents contents;
    private final String modH1;
    private final String zipH1;

    VersionView(String version, Instant time, String commit, VersionContents contents, String modH1, String zipH1) {
        this.version = version;
        this.time = time;
        this.commit = commit;
        this.contents = contents;
        this.modH1 = modH1;
        this.zipH1 = zipH1;
    }

    public String version() {
        return version;
    }

    public Instant time() {
        return time;
    }

    public String commit() {
        return commit;
    }

    public VersionContents contents() {
        return contents;
    }

    /** The recorded {@code h1:} of the go.mod, or {@code null} when this version was never served. */
    public String modH1() {
        return modH1;
    }

    /** The recorded {@code h1:} of the zip, or {@code null} when its zip was never built. */
    public String zipH1() {
        return zipH1;
    }
}
