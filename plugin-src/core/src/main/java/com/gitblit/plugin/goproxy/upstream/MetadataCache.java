package com.gitblit.plugin.goproxy.upstream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream answers that move (lists, {@code @latest}, queries), 404s included, kept for the metadata TTL and
 * afterwards as stale stand-ins for when the upstream cannot be reached. Bounded: the least recently used go.
 */
final class MetadataCache {
    private static final int MAX_ENTRIES = 20_000;

    private static final class Cached {
        final byte[] body;
        final String notFound;
        final long at;

        Cached(byte[] body, String notFound, long at) {
            this.body = body;
            this.notFound = notFound;
            this.at = at;
        }
    }

    interface Fallback {
        /** What to answer when the upstream is down and nothing is cached, or {@code null}. */
        byte[] answer() throws Exception;
    }

    private final long ttlMillis;
    private final Map<String, Cached> entries = Collections.synchronizedMap(new LinkedHashMap<String, Cached>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    });
    private final SingleFlight<byte[]> flights = new SingleFlight<>();

    MetadataCache(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    byte[] get(String path, ProxyChain chain, int maxBytes, Fallback fallback) throws UpstreamException {
        Cached e = entries.get(path);
        if (e != null && System.currentTimeMillis() - e.at < ttlMillis) {
            return answer(e);
        }
        return flights.run(path, () -> {
            try {
                byte[] body = chain.bytes(path, maxBytes);
                entries.put(path, new Cached(body, null, System.currentTimeMillis()));
                return body;
            } catch (UpstreamException failure) {
                if (failure.kind() == UpstreamException.Kind.NOT_FOUND) {
                    entries.put(path, new Cached(null, failure.getMessage(), System.currentTimeMillis()));
                    throw failure;
                }
                Cached stale = entries.get(path);
                if (stale != null) {
                    return answer(stale);
                }
                byte[] standIn = fallback == null ? null : fallback.answer();
                if (standIn != null) {
                    return standIn;
                }
                throw failure;
            }
        });
    }

    private static byte[] answer(Cached e) throws UpstreamException {
        if (e.body == null) {
            throw UpstreamException.notFound(e.notFound);
        }
        return e.body;
    }
}
