package com.gitblit.plugin.goproxy.upstream;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.gitblit.plugin.goproxy.sumdb.ChecksumDatabase;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;

/**
 * The configured checksum databases, as cmd/go's "proxying a checksum database" expects them under
 * {@code /sumdb/<name>/}: {@code supported}, {@code latest}, {@code lookup/...} and {@code tile/...}, fetched
 * through the upstream proxy's own {@code /sumdb/<name>/} when it says it supports the database, else from the
 * database's URL. Full tiles never change and are kept; {@code latest}, partial tiles and lookups for a
 * minute. The same answers feed the dependency proxy's own verification, so one fetch serves both.
 */
public final class SumdbRelay {
    private static final int MAX_ANSWER = 1 << 20;
    private static final long BRIEF_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final Pattern PATH = Pattern.compile(
            "latest|lookup/[A-Za-z0-9._~!/+@-]{1,2048}|tile/[0-9]{1,2}/(data|[0-9]{1,2})(/x[0-9]{3})*/[0-9]{3}(\\.p/[0-9]{1,3})?");

    private static final class Cached {
        final byte[] body;
        final long at;
        final boolean forever;

        Cached(byte[] body, long at, boolean forever) {
            this.body = body;
            this.at = at;
            this.forever = forever;
        }
    }

    private final Map<String, SumdbSetting> databases = new LinkedHashMap<>();
    private final ProxyChain chain;
    private final long supportTtlMillis;
    private final Map<String, Cached> cache = Collections.synchronizedMap(new LinkedHashMap<String, Cached>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    });
    /** Per database: the upstream proxy base that passes it through ("" = none, go to the database), and when. */
    private final Map<String, String[]> route = new java.util.concurrent.ConcurrentHashMap<>();
    private final SingleFlight<byte[]> flights = new SingleFlight<>();

    SumdbRelay(List<SumdbSetting> settings, ProxyChain chain, long supportTtlMillis) {
        for (SumdbSetting s : settings) {
            databases.put(s.name(), s);
        }
        this.chain = chain;
        this.supportTtlMillis = supportTtlMillis;
    }

    /** True for a configured database's name. */
    public boolean supports(String name) {
        return databases.containsKey(name);
    }

    /**
     * The answer for {@code rest} below {@code /sumdb/<name>/} ({@code supported} answers an empty body).
     *
     * @throws UpstreamException NOT_FOUND for unknown databases or paths and the database's own 404s
     */
    public byte[] get(String name, String rest) throws UpstreamException {
        SumdbSetting db = databases.get(name);
        if (db == null) {
            throw UpstreamException.notFound("not found: checksum database " + name + " is not proxied here");
        }
        if (rest.equals("supported")) {
            return new byte[0];
        }
        if (!PATH.matcher(rest).matches() || rest.contains("..") || rest.contains("//")) {
            throw UpstreamException.notFound("not found: not a checksum database path: " + rest);
        }
        String key = name + "/" + rest;
        Cached c = cache.get(key);
        if (c != null && (c.forever || System.currentTimeMillis() - c.at < BRIEF_MILLIS)) {
            return c.body;
        }
        return flights.run(key, () -> {
            try {
                byte[] body = fetch(db, rest);
                boolean forever = rest.startsWith("tile/") && !rest.contains(".p/");
                cache.put(key, new Cached(body, System.currentTimeMillis(), forever));
                return body;
            } catch (UpstreamException e) {
                Cached stale = cache.get(key);
                if (e.kind() == UpstreamException.Kind.UNAVAILABLE && stale != null) {
                    return stale.body;
                }
                throw e;
            }
        });
    }

    private byte[] fetch(SumdbSetting db, String rest) throws UpstreamException {
        String via = proxyFor(db.name());
        if (!via.isEmpty()) {
            return chain.http().getBytes(via + "/sumdb/" + db.name() + "/" + rest, MAX_ANSWER);
        }
        return chain.http().getBytes(db.url() + "/" + rest, MAX_ANSWER);
    }

    /** The first upstream proxy that supports the database, or "" to go to the database itself. */
    private String proxyFor(String name) {
        String[] known = route.get(name);
        if (known != null && System.currentTimeMillis() - Long.parseLong(known[1]) < supportTtlMillis) {
            return known[0];
        }
        String base;
        try {
            base = chain.walk(url -> {
                chain.http().getBytes(url + "/sumdb/" + name + "/supported", 1024);
                return url;
            });
        } catch (UpstreamException e) {
            base = "";
        }
        route.put(name, new String[] {base, Long.toString(System.currentTimeMillis())});
        return base;
    }

    /** A verifying client of the database {@code name}, reading through this relay, its newest tree kept in {@code memory}. */
    ChecksumDatabase client(String name, ChecksumDatabase.TreeMemory memory) throws IOException, SumdbException {
        SumdbSetting db = databases.get(name);
        return new ChecksumDatabase(db.key(), path -> {
            try {
                return get(name, path);
            } catch (UpstreamException e) {
                if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
                    return null;
                }
                throw new IOException(e.getMessage());
            }
        }, memory);
    }
}
