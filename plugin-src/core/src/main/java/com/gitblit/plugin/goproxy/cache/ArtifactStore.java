package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.util.List;

/**
 * Built artifacts (zips, go.mod files), evictable and rebuildable: unlike the {@link VersionLedger}, losing them
 * costs a rebuild, never a promise. What an implementation guarantees, checked by one compliance test:
 * <ul>
 *   <li>an artifact becomes visible whole or not at all (a crash mid-write leaves nothing under its key);</li>
 *   <li>what {@link #get} returns is what was written: the size and a digest taken while writing are checked
 *       before or while it is read, and a damaged artifact is discarded (then rebuilt) instead of served;</li>
 *   <li>the size limit holds at insert, drafts being written included: room is made before a build starts;</li>
 *   <li>{@link #forget} and {@link #purgeRepository} remove artifacts for good; readers that opened one before
 *       keep reading what they opened.</li>
 * </ul>
 */
public interface ArtifactStore {

    /** The stored artifact, or {@code null} (absent, or found damaged and discarded); counts as a use. */
    StoredArtifact get(ArtifactKey key) throws IOException;

    /**
     * Starts writing {@code key}, making room for about {@code expectedBytes} first.
     *
     * @throws StorageException when the store cannot take it (no room, not writable)
     */
    ArtifactDraft create(ArtifactKey key, long expectedBytes) throws IOException;

    /** The artifacts stored for a repository. */
    List<StoredArtifact> list(String repositoryKey) throws IOException;

    /** Removes one artifact; true if it was there. */
    boolean forget(ArtifactKey key) throws IOException;

    /** Removes every artifact of a repository (deleted or renamed: its name no longer names it). */
    void purgeRepository(String repositoryKey) throws IOException;

    /** Bytes held by stored artifacts and drafts being written. */
    long size();

    /** The size limit. */
    long maxBytes();

    /** Hits, misses and evictions since the store opened; a store that does not count reports zeros. */
    default StoreActivity activity() {
        return new StoreActivity();
    }

    /**
     * When the artifact was last served or stored (milliseconds since the epoch; for artifacts found on disk at
     * start, when they were written), or -1 if it is not stored. Unlike {@link #get}, this is not a use.
     */
    default long lastUsedMillis(ArtifactKey key) {
        return -1;
    }
}
