package com.gitblit.plugin.goproxy.cache;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one cap on builds running at once, cached or not: a zip build is the proxy's expensive act (a tree walk,
 * every blob read and compressed). A caller waits for a slot, bounded, then gets {@link BuildsSaturatedException}.
 */
public final class BuildSlots {
    private final Semaphore slots;
    private final int capacity;
    private final long queueTimeoutMillis;

    public BuildSlots(int maxConcurrentBuilds, long queueTimeoutMillis) {
        this.capacity = Math.max(1, maxConcurrentBuilds);
        this.slots = new Semaphore(capacity, true);
        this.queueTimeoutMillis = queueTimeoutMillis;
    }

    public void acquire() throws BuildsSaturatedException {
        try {
            if (!slots.tryAcquire(queueTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new BuildsSaturatedException("all build slots are busy",
                        Math.max(1, TimeUnit.MILLISECONDS.toSeconds(queueTimeoutMillis)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildsSaturatedException("interrupted while waiting for a build slot", 1);
        }
    }

    public void release() {
        slots.release();
    }

    /** The cap. */
    public int capacity() {
        return capacity;
    }

    /** Builds waiting for a slot now. */
    public int waiting() {
        return slots.getQueueLength();
    }

    /** Slots free now (for tests and metrics). */
    public int available() {
        return slots.availablePermits();
    }
}
