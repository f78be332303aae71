package com.gitblit.plugin.goproxy.admin;

import java.util.Collections;
import java.util.List;

/**
 * One module of one repository as the admin view shows it: its pinned versions, newest first, and the artifacts
 * cached for it that no pin names (pre-built at a push and not downloaded yet, or left from a forgotten pin).
 */
public final class ModuleInventory {
    private final String repositoryKey;
    private final String modulePath;
    private final List<PinnedVersion> versions;
    private final List<CachedArtifact> unpinned;

    ModuleInventory(String repositoryKey, String modulePath, List<PinnedVersion> versions,
            List<CachedArtifact> unpinned) {
        this.repositoryKey = repositoryKey;
        this.modulePath = modulePath;
        this.versions = Collections.unmodifiableList(versions);
        this.unpinned = Collections.unmodifiableList(unpinned);
    }

    /** Gitblit's repository name (the standalone server's repository key); "upstream:" for third-party modules. */
    public String repositoryKey() {
        return repositoryKey;
    }

    public String modulePath() {
        return modulePath;
    }

    public List<PinnedVersion> versions() {
        return versions;
    }

    public List<CachedArtifact> unpinnedArtifacts() {
        return unpinned;
    }

    public long cachedBytes() {
        long total = 0;
        for (PinnedVersion v : versions) {
            total += v.cachedBytes();
        }
        for (CachedArtifact a : unpinned) {
            total += a.bytes();
        }
        return total;
    }

    /** The latest use of any of its artifacts, or -1. */
    public long lastUsedMillis() {
        long last = -1;
        for (PinnedVersion v : versions) {
            for (CachedArtifact a : v.artifacts()) {
                last = Math.max(last, a.lastUsedMillis());
            }
        }
        for (CachedArtifact a : unpinned) {
            last = Math.max(last, a.lastUsedMillis());
        }
        return last;
    }

    public PinnedVersion version(String version) {
        for (PinnedVersion v : versions) {
            if (v.version().equals(version)) {
                return v;
            }
        }
        return null;
    }
}
