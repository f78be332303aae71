package com.gitblit.plugin.goproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * What {@link PrometheusMetrics} writes for reported events, in the Prometheus text format; the real Prometheus
 * server reads it in PrometheusScrapeIT.
 */
class PrometheusMetricsTest {

    private static String exposition(PrometheusMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsRequestsByRouteAndStatusWithTimesAndBytes() throws Exception {
        PrometheusMetrics m = new PrometheusMetrics();
        m.request("zip", 200, 30_000_000L, 1000);
        m.request("zip", 200, 2_000_000_000L, 500);
        m.request("info", 404, 1_000_000L, 0);
        String text = exposition(m);
        assertTrue(text.contains("goproxy_requests_total{route=\"zip\",status=\"200\"} 2"), text);
        assertTrue(text.contains("goproxy_requests_total{route=\"info\",status=\"404\"} 1"), text);
        assertTrue(text.contains("goproxy_response_bytes_total{route=\"zip\"} 1500"), text);
        assertTrue(text.contains("goproxy_request_duration_seconds_bucket{route=\"zip\",le=\"0.05\"} 1"), text);
        assertTrue(text.contains("goproxy_request_duration_seconds_bucket{route=\"zip\",le=\"2.5\"} 2"), text);
        assertTrue(text.contains("goproxy_request_duration_seconds_count{route=\"zip\"} 2"), text);
        assertTrue(m.contentType().startsWith("text/plain; version=0.0.4"), m.contentType());
    }

    @Test
    void cacheBuildsAndUpstream() throws Exception {
        PrometheusMetrics m = new PrometheusMetrics();
        m.cacheLookup("zip", true);
        m.cacheLookup("zip", false);
        m.cacheEvicted(4096);
        m.buildSlotWait(5_000_000L, true);
        m.buildSlotWait(30_000_000_000L, false);
        m.buildFinished(100_000_000L, true);
        m.buildFinished(100_000_000L, false);
        assertEquals(null, m.upstreamReached());
        m.upstreamFetch(true, true);
        m.upstreamFetch(false, false);
        String text = exposition(m);
        assertTrue(text.contains("goproxy_cache_lookups_total{kind=\"zip\",result=\"hit\"} 1"), text);
        assertTrue(text.contains("goproxy_cache_lookups_total{kind=\"zip\",result=\"miss\"} 1"), text);
        assertTrue(text.contains("goproxy_cache_evictions_total 1"), text);
        assertTrue(text.contains("goproxy_cache_evicted_bytes_total 4096"), text);
        assertTrue(text.contains("goproxy_build_queue_wait_seconds_count 1"), text);
        assertTrue(text.contains("goproxy_builds_refused_total 1"), text);
        assertTrue(text.contains("goproxy_builds_total{result=\"ok\"} 1"), text);
        assertTrue(text.contains("goproxy_builds_total{result=\"failed\"} 1"), text);
        assertTrue(text.contains("goproxy_upstream_fetches_total{result=\"ok\"} 1"), text);
        assertTrue(text.contains("goproxy_upstream_fetches_total{result=\"unreachable\"} 1"), text);
        assertEquals(Boolean.FALSE, m.upstreamReached());
    }

    @Test
    void sampledValuesComeFromTheSourcesAndAreLeftOutWhenAbsent() throws Exception {
        PrometheusMetrics m = new PrometheusMetrics();
        assertFalse(exposition(m).contains("goproxy_cache_size_bytes "), "no source yet");
        m.sources(new MetricsSources() {
            @Override
            public long cacheBytes() {
                return 12345;
            }

            @Override
            public long ledgerVersions() {
                return 7;
            }
        });
        String text = exposition(m);
        assertTrue(text.contains("goproxy_cache_size_bytes 12345"), text);
        assertTrue(text.contains("goproxy_ledger_versions 7"), text);
        assertFalse(text.contains("goproxy_cache_limit_bytes "), "a source answering -1 leaves its gauge out");
    }

    @Test
    void twoInstancesKeepTheirOwnCounts() throws Exception {
        PrometheusMetrics a = new PrometheusMetrics();
        PrometheusMetrics b = new PrometheusMetrics();
        a.request("list", 200, 1, 1);
        assertTrue(exposition(a).contains("goproxy_requests_total{route=\"list\",status=\"200\"} 1"));
        assertFalse(exposition(b).contains("route=\"list\""), "registries are shared");
    }
}
