package com.gitblit.plugin.goproxy.metrics;

/**
 * What the proxy reports about its own work, as events; where they go (Prometheus, nowhere) is the host's
 * choice. No method takes a module path or a repository name: a label with one would name private modules to
 * whoever reads the metrics and grow without bound.
 */
public interface ProxyMetrics {

    /** Reports nothing. */
    ProxyMetrics NONE = new ProxyMetrics() {
    };

    /** Where values that are read rather than counted (cache size, ledger size, builds running) come from. */
    default void sources(MetricsSources sources) {
    }

    /**
     * One answered request.
     *
     * @param route a fixed route name ({@code list}, {@code info}, {@code zip}, {@code invalid}, ...)
     * @param bodyBytes bytes of the body sent (0 for HEAD, 304 and errors without a declared length)
     */
    default void request(String route, int status, long nanos, long bodyBytes) {
    }

    /** An artifact ({@code info}, {@code mod}, {@code zip}) asked of the cache: stored already, or not. */
    default void cacheLookup(String kind, boolean hit) {
    }

    /** The cache deleted a stored artifact of {@code bytes} to stay under its size limit. */
    default void cacheEvicted(long bytes) {
    }

    /** A build got its slot after waiting {@code nanos}; {@code granted} false: it gave up (all slots busy). */
    default void buildSlotWait(long nanos, boolean granted) {
    }

    /** A build ended. */
    default void buildFinished(long nanos, boolean succeeded) {
    }

    /**
     * One request to an upstream proxy or checksum database.
     *
     * @param reached an HTTP answer came back (whatever its status)
     * @param succeeded the answer was a 200 read in full
     */
    default void upstreamFetch(boolean reached, boolean succeeded) {
    }

    /** The forge's checksum database appended a module version's record to its log (a version already in it: not). */
    default void checksumRecordAppended() {
    }
}
