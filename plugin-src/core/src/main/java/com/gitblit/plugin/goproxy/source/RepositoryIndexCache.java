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
    private final RepositoryFaultLog faultLog = new RepositoryFaultLog();

    public RepositoryIndexCache(final int maxRepositories) {
        this.indexes = new LinkedHashMap<String, RefIndex>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RefIndex> eldest) {
                return size() > maxRepositories;
            }
        };
    }

    /**
     * The index of {@code repository} at its current ref state: a few stat calls when nothing changed (see
     * {@link RefStateStamp}), else a comparison of every ref, and a rebuild only when a ref really moved.
     */
    RefIndex index(String repositoryKey, Repository repository) throws IOException {
        RefIndex cached;
        synchronized (indexes) {
            cached = indexes.get(repositoryKey);
        }
        if (cached != null && !cached.faultsPersist(repository)) {
            cached = null; // objects came back (a repair): what was derived while they were missing is void
        }
        if (cached != null && cached.stamp != null && cached.stamp.equals(RefStateStamp.of(repository, cached.refDirectories))) {
            return cached;
        }
        // The stamp is taken before the refs are read: a change in between makes the stamp older than the index,
        // which costs a recomputation later, never a stale hit.
        java.util.Set<String> stampedDirs = cached != null && cached.refDirectories != null ? cached.refDirectories
                : RefStateStamp.directoriesOf(java.util.Collections.<String>emptySet());
        RefStateStamp stamp = RefStateStamp.of(repository, stampedDirs);
        Map<String, org.eclipse.jgit.lib.Ref> refs = RefIndex.refs(repository);
        java.util.Set<String> dirs = RefStateStamp.directoriesOf(refs.keySet());
        if (!stampedDirs.containsAll(dirs)) {
            stamp = null; // refs live in directories the stamp did not cover: stamp them next time
        }
        byte[] now = RefIndex.fingerprint(refs);
        if (cached != null && Arrays.equals(cached.fingerprint, now)) {
            RefIndex restamped = cached.withStamp(stamp, dirs);
            synchronized (indexes) {
                indexes.put(repositoryKey, restamped);
            }
            return restamped;
        }
        // Built outside the lock: a large repository must not stall requests for the others.
        RefIndex fresh = RefIndex.build(repository, refs, now).withStamp(stamp, dirs);
        synchronized (indexes) {
            indexes.put(repositoryKey, fresh);
        }
        return fresh;
    }

    /** Where the damage these repositories show is reported, once per repository and kind. */
    public RepositoryFaultLog faultLog() {
        return faultLog;
    }

    /** A repository was deleted or renamed. */
    public void forget(String repositoryKey) {
        synchronized (indexes) {
            indexes.remove(repositoryKey);
        }
    }
}
