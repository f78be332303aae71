package com.gitblit.plugin.goproxy.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@link ArtifactStore} did since it opened: lookups that found a usable artifact (hits), lookups that did
 * not (misses: absent, or found damaged and discarded), and artifacts evicted to make room. Counted since start:
 * the administrator's view and the metrics read the same numbers.
 */
public final class StoreActivity {
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    void hit() {
        hits.incrementAndGet();
    }

    void miss() {
        misses.incrementAndGet();
    }

    void evicted() {
        evictions.incrementAndGet();
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public long evictions() {
        return evictions.get();
    }
}
