package com.gitblit.plugin.goproxy.catalog;

import java.util.Collections;
import java.util.List;

/** One module of a repository as its Go tab shows it. */
public final class ModuleEntry {
    private final String path;
    private final String latest;
    private final String latestProblem;
    private final List<VersionEntry> versions;
    private final List<OmittedTag> omitted;

    ModuleEntry(String path, String latest, String latestProblem, List<VersionEntry> versions,
            List<OmittedTag> omitted) {
        this.path = path;
        this.latest = latest;
        this.latestProblem = latestProblem;
        this.versions = Collections.unmodifiableList(versions);
        this.omitted = Collections.unmodifiableList(omitted);
    }

    public String path() {
        return path;
    }

    /** What {@code @latest} answers, or {@code null} when it fails ({@link #latestProblem()} says why). */
    public String latest() {
        return latest;
    }

    public String latestProblem() {
        return latestProblem;
    }

    /** The line a user copies: {@code go get <path>@<latest>}; {@code null} without a latest version. */
    public String goGet() {
        return latest == null ? null : "go get " + path + "@" + latest;
    }

    /** Listed versions, newest first. */
    public List<VersionEntry> versions() {
        return versions;
    }

    /** Tags the proxy leaves out, with why; empty unless the catalog was asked for them. */
    public List<OmittedTag> omitted() {
        return omitted;
    }
}
