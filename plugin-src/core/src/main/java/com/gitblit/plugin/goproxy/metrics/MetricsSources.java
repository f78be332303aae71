package com.gitblit.plugin.goproxy.metrics;

/**
 * Values read when the metrics are scraped rather than counted as they happen. Each returns -1 when it does
 * not apply (no data folder, no cache).
 */
public interface MetricsSources {
    MetricsSources NONE = new MetricsSources() {
    };

    default long cacheBytes() {
        return -1;
    }

    default long cacheLimitBytes() {
        return -1;
    }

    /** Pinned versions in the ledger. */
    default long ledgerVersions() {
        return -1;
    }

    default long buildsRunning() {
        return -1;
    }

    /** Builds waiting for a slot now. */
    default long buildsWaiting() {
        return -1;
    }
}
