package com.gitblit.plugin.goproxy.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;

/**
 * GET requests to upstream proxies and checksum databases: timeouts on connect and on every read, at most
 * five redirects and only to http(s) (never from https down to http), no cookies, no credentials, and bodies
 * bounded in size, spooled to a file when large.
 */
final class UpstreamHttp {
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_LIMIT = 512;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final ProxyMetrics metrics;

    UpstreamHttp(int connectTimeoutMillis, int readTimeoutMillis) {
        this(connectTimeoutMillis, readTimeoutMillis, ProxyMetrics.NONE);
    }

    UpstreamHttp(int connectTimeoutMillis, int readTimeoutMillis, ProxyMetrics metrics) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.metrics = metrics;
    }

    /** The body of a 200 answer, at most {@code maxBytes}. */
    byte[] getBytes(String url, int maxBytes) throws UpstreamException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        get(url, maxBytes, out);
        return out.toByteArray();
    }

    /** Writes the body of a 200 answer, at most {@code maxBytes}, to {@code file} (replacing it). */
    void getToFile(String url, long maxBytes, Path file) throws UpstreamException {
        try (OutputStream out = Files.newOutputStream(file)) {
            get(url, maxBytes, out);
        } catch (IOException e) {
            throw UpstreamException.unavailable("cannot spool " + url + ": " + e.getMessage());
        }
    }

    /** Writes the body of a 200 answer, at most {@code maxBytes}, to {@code out}. */
    void get(String url, long maxBytes, OutputStream out) throws UpstreamException {
        boolean[] reached = {false};
        try {
            get(url, maxBytes, out, reached);
            metrics.upstreamFetch(true, true);
        } catch (UpstreamException | RuntimeException e) {
            metrics.upstreamFetch(reached[0], false);
            throw e;
        }
    }

    /** {@code reached[0]} is set once any HTTP answer came back. */
    private void get(String url, long maxBytes, OutputStream out, boolean[] reached) throws UpstreamException {
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) new URL(current).openConnection();
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                c.setConnectTimeout(connectTimeoutMillis);
                c.setReadTimeout(readTimeoutMillis);
                c.setRequestProperty("User-Agent", "gitblit-goproxy");
                c.setRequestProperty("Accept-Encoding", "identity");
                int status = c.getResponseCode();
                reached[0] = true;
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    current = redirect(current, c.getHeaderField("Location"));
                    continue;
                }
                if (status == 404 || status == 410) {
                    // The upstream's own reason, as cmd/go would show it; its address stays out of the answer.
                    String why = firstLine(c);
                    throw UpstreamException.notFound(why.isEmpty() ? "not found: " + status + " from the upstream"
                            : why.startsWith("not found") ? why : "not found: " + why);
                }
                if (status != 200) {
                    throw UpstreamException.unavailable(errorLine(c, current, status));
                }
                long length = c.getContentLengthLong();
                if (length > maxBytes) {
                    throw UpstreamException.refused("not found: the upstream's answer is too large (" + length
                            + " bytes; limit is " + maxBytes + ")");
                }
                copy(c.getInputStream(), out, maxBytes, current);
                return;
            } catch (IOException e) {
                throw UpstreamException.unavailable("reading " + current + ": " + e.getMessage());
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
        throw UpstreamException.unavailable(url + ": too many redirects");
    }

    private static String redirect(String from, String location) throws UpstreamException {
        if (location == null) {
            throw UpstreamException.unavailable(from + ": redirect without a location");
        }
        URI target;
        try {
            target = URI.create(from).resolve(location);
        } catch (IllegalArgumentException e) {
            throw UpstreamException.unavailable(from + ": malformed redirect location");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secureBefore = from.toLowerCase(Locale.ROOT).startsWith("https:");
        if (!(scheme.equals("https") || (scheme.equals("http") && !secureBefore)) || target.getRawUserInfo() != null) {
            throw UpstreamException.unavailable(from + ": refused redirect to " + target.getScheme() + " URL");
        }
        return target.toString();
    }

    private static void copy(InputStream in, OutputStream out, long maxBytes, String url)
            throws IOException, UpstreamException {
        try (InputStream body = in) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = body.read(buf)) > 0;) {
                total += n;
                if (total > maxBytes) {
                    throw UpstreamException.refused("not found: the upstream's answer is too large (limit is "
                            + maxBytes + " bytes)");
                }
                out.write(buf, 0, n);
            }
        }
    }

    /** The status and the first line of the upstream's error body, which is what cmd/go would print. */
    private static String errorLine(HttpURLConnection c, String url, int status) {
        String first = firstLine(c);
        return url + ": " + status + (first.isEmpty() ? "" : " " + first);
    }

    private static String firstLine(HttpURLConnection c) {
        String first = "";
        try (InputStream err = c.getErrorStream()) {
            if (err != null) {
                byte[] buf = new byte[ERROR_BODY_LIMIT];
                int n = 0;
                for (int r; n < buf.length && (r = err.read(buf, n, buf.length - n)) > 0;) {
                    n += r;
                }
                String text = new String(buf, 0, n, StandardCharsets.UTF_8).trim();
                int nl = text.indexOf('\n');
                first = nl < 0 ? text : text.substring(0, nl);
            }
        } catch (IOException e) {
            // The status alone says enough.
        }
        return first.replaceAll("[\\p{Cntrl}]", " ");
    }
}
