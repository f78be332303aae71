package com.gitblit.plugin.goproxy.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@link ProxyMetrics} kept in a Prometheus registry of its own (never the library's default one, which a
 * second proxy in the same JVM, or another plugin, would share) and written in the Prometheus text format.
 * Labels hold fixed words and status codes only. The sampled values come from {@link MetricsSources}, set
 * once the service they describe exists; a source answering -1 leaves its gauge out.
 */
public final class PrometheusMetrics implements ProxyMetrics {
    private static final double[] REQUEST_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] BUILD_SECONDS = {0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram requestSeconds;
    private final Counter responseBytes;
    private final Counter cacheLookups;
    private final Counter evictions;
    private final Counter evictedBytes;
    private final Counter builds;
    private final Histogram buildSeconds;
    private final Histogram slotWaitSeconds;
    private final Counter slotsRefused;
    private final Counter upstreamFetches;
    private final Counter checksumAppends;
    private volatile MetricsSources sources = MetricsSources.NONE;
    /** The last upstream request's outcome: null before the first. */
    private volatile Boolean upstreamReached;

    public PrometheusMetrics() {
        requests = Counter.builder().name("goproxy_requests").help("Proxy requests answered, by route and status.")
                .labelNames("route", "status").register(registry);
        requestSeconds = Histogram.builder().name("goproxy_request_duration_seconds")
                .help("Time to answer a proxy request (a stored download: until its body was handed over), by route.")
                .labelNames("route").classicOnly().classicUpperBounds(REQUEST_SECONDS).register(registry);
        responseBytes = Counter.builder().name("goproxy_response_bytes").help("Body bytes of proxy answers, by route.")
                .labelNames("route").register(registry);
        cacheLookups = Counter.builder().name("goproxy_cache_lookups")
                .help("Artifacts asked of the cache, by kind (info, mod, zip) and result (hit: stored, miss: not).")
                .labelNames("kind", "result").register(registry);
        evictions = Counter.builder().name("goproxy_cache_evictions")
                .help("Stored artifacts deleted to keep the cache under its size limit.").register(registry);
        evictedBytes = Counter.builder().name("goproxy_cache_evicted_bytes")
                .help("Bytes of the evicted artifacts.").register(registry);
        builds = Counter.builder().name("goproxy_builds").help("Artifact builds ended, by result.")
                .labelNames("result").register(registry);
        buildSeconds = Histogram.builder().name("goproxy_build_duration_seconds").help("Time an artifact build took.")
                .classicOnly().classicUpperBounds(BUILD_SECONDS).register(registry);
        slotWaitSeconds = Histogram.builder().name("goproxy_build_queue_wait_seconds")
                .help("Time a build waited for a free build slot.")
                .classicOnly().classicUpperBounds(BUILD_SECONDS).register(registry);
        slotsRefused = Counter.builder().name("goproxy_builds_refused")
                .help("Builds refused because every build slot stayed busy for the queue timeout.").register(registry);
        upstreamFetches = Counter.builder().name("goproxy_upstream_fetches")
                .help("Requests to upstream proxies and checksum databases, by result (ok, error: an answer other"
                        + " than 200 or a broken body, unreachable: no answer).")
                .labelNames("result").register(registry);
        checksumAppends = Counter.builder().name("goproxy_checksum_database_appends")
                .help("Module versions appended to the forge's checksum database log.").register(registry);
        sampled("goproxy_cache_size_bytes", "Bytes held by the artifact cache.", MetricsSources::cacheBytes);
        sampled("goproxy_cache_limit_bytes", "The artifact cache's size limit.", MetricsSources::cacheLimitBytes);
        sampled("goproxy_ledger_versions", "Versions pinned in the ledger.", MetricsSources::ledgerVersions);
        sampled("goproxy_builds_running", "Artifact builds running now.", MetricsSources::buildsRunning);
        sampled("goproxy_builds_waiting", "Builds waiting for a build slot now.", MetricsSources::buildsWaiting);
    }

    private void sampled(String name, String help, ToLongFunction<MetricsSources> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> {
            long v = value.applyAsLong(sources);
            if (v >= 0) {
                callback.call(v);
            }
        }).register(registry);
    }

    @Override
    public void sources(MetricsSources value) {
        this.sources = value == null ? MetricsSources.NONE : value;
    }

    /** The content type of {@link #writeTo}'s output. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /**
     * Whether the last upstream request got an answer; null when there was none yet (or no upstream is set).
     */
    public Boolean upstreamReached() {
        return upstreamReached;
    }

    @Override
    public void request(String route, int status, long nanos, long bodyBytes) {
        requests.labelValues(route, Integer.toString(status)).inc();
        requestSeconds.labelValues(route).observe(nanos / NANOS_PER_SECOND);
        if (bodyBytes > 0) {
            responseBytes.labelValues(route).inc(bodyBytes);
        }
    }

    @Override
    public void cacheLookup(String kind, boolean hit) {
        cacheLookups.labelValues(kind, hit ? "hit" : "miss").inc();
    }

    @Override
    public void cacheEvicted(long bytes) {
        evictions.inc();
        evictedBytes.inc(Math.max(0, bytes));
    }

    @Override
    public void buildSlotWait(long nanos, boolean granted) {
        if (granted) {
            slotWaitSeconds.observe(nanos / NANOS_PER_SECOND);
        } else {
            slotsRefused.inc();
        }
    }

    @Override
    public void buildFinished(long nanos, boolean succeeded) {
        builds.labelValues(succeeded ? "ok" : "failed").inc();
        buildSeconds.observe(nanos / NANOS_PER_SECOND);
    }

    @Override
    public void upstreamFetch(boolean reached, boolean succeeded) {
        upstreamReached = reached;
        upstreamFetches.labelValues(succeeded ? "ok" : reached ? "error" : "unreachable").inc();
    }

    @Override
    public void checksumRecordAppended() {
        checksumAppends.inc();
    }
}
