package com.gitblit.plugin.goproxy.admin;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;

/** One stored artifact as the admin view lists it. */
public final class CachedArtifact {
    private final ArtifactKey key;
    private final long bytes;
    private final long lastUsedMillis;

    CachedArtifact(ArtifactKey key, long bytes, long lastUsedMillis) {
        this.key = key;
        this.bytes = bytes;
        this.lastUsedMillis = lastUsedMillis;
    }

    public String version() {
        return key.version();
    }

    public String commit() {
        return key.commit();
    }

    /** "zip", "mod" or "info". */
    public String kind() {
        return key.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    public long bytes() {
        return bytes;
    }

    /** Milliseconds since the epoch, or -1 if unknown. */
    public long lastUsedMillis() {
        return lastUsedMillis;
    }
}
