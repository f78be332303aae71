package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jgit.lib.Repository;

/**
 * Ref indexes of many repositories, shared by all requests of a host: tag and branch listings are computed
 * once per repository ref state and rebuilt when the cheap ref-state check shows any change, however it was
 * made (push, mirror fetch, gc, pack-refs). Least recently used indexes go beyond the bound.
 */
public final class RepositoryIndexCache {
    private final Map<String, RefIndex> indexes;

    public RepositoryIndexCache(final int maxRepositories) {
        this.indexes = new LinkedHashMap<String, RefIndex>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RefIndex> eldest) {
                return size() > maxRepositories;
            }
        };
    }

    /** The index of {@code repository} at its current ref state. */
    RefIndex index(String repositoryKey, Repository repository) throws IOException {
        Map<String, org.eclipse.jgit.lib.Ref> refs = RefIndex.refs(repository);
        byte[] now = RefIndex.fingerprint(refs);
        synchronized (indexes) {
            RefIndex cached = indexes.get(repositoryKey);
            if (cached != null && Arrays.equals(cached.fingerprint, now)) {
                return cached;
            }
        }
        // Built outside the lock: a large repository must not stall requests for the others.
        RefIndex fresh = RefIndex.build(repository, refs, now);
        synchronized (indexes) {
            indexes.put(repositoryKey, fresh);
        }
        return fresh;
    }

    /** A repository was deleted or renamed. */
    public void forget(String repositoryKey) {
        synchronized (indexes) {
            indexes.remove(repositoryKey);
        }
    }
}
