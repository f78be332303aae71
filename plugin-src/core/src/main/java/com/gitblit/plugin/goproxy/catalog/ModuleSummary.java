package com.gitblit.plugin.goproxy.catalog;

import java.time.Instant;

/** A row of the instance-wide module list. */
public final class ModuleSummary {
    private final String path;
    private final String repository;
    private final String latest;
    private final Instant time;

    ModuleSummary(String path, String repository, String latest, Instant time) {
        this.path = path;
        this.repository = repository;
        this.latest = latest;
        this.time = time;
    }

    public String path() {
        return path;
    }

    /** The host's name of the repository holding it. */
    public String repository() {
        return repository;
    }

    /** {@code @latest}, or {@code null} when there is none. */
    public String latest() {
        return latest;
    }

    public Instant time() {
        return time;
    }
}
