package com.gitblit.plugin.goproxy.admin;

import java.util.Collections;
import java.util.List;

import com.gitblit.plugin.goproxy.cache.LedgerEntry;

/** A pinned version: its ledger entry and the artifacts cached for it at its pinned commit. */
public final class PinnedVersion {
    private final LedgerEntry entry;
    private final List<CachedArtifact> artifacts;

    PinnedVersion(LedgerEntry entry, List<CachedArtifact> artifacts) {
        this.entry = entry;
        this.artifacts = Collections.unmodifiableList(artifacts);
    }

    public String version() {
        return entry.version();
    }

    public String commit() {
        return entry.commit();
    }

    /** Null until the go.mod was first served. */
    public String modH1() {
        return entry.modH1();
    }

    /** Null until the zip was first built. */
    public String zipH1() {
        return entry.zipH1();
    }

    public long pinnedAtMillis() {
        return entry.recordedAt();
    }

    /** "request", "push", "upstream", "admin", or "not recorded" for entries older than this record. */
    public String origin() {
        return entry.origin() == null ? "not recorded" : entry.origin().word();
    }

    public List<CachedArtifact> artifacts() {
        return artifacts;
    }

    public long cachedBytes() {
        long total = 0;
        for (CachedArtifact a : artifacts) {
            total += a.bytes();
        }
        return total;
    }
}
