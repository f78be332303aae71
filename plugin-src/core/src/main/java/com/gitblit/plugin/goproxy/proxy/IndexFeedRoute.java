package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.cache.StorageException;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;

/**
 * {@code /index?since=<RFC 3339>&limit=<n>}: the forge's versions in the order they were pinned, one JSON object
 * a line ({@code {"Path","Version","Timestamp"}}), as index.golang.org answers. {@code since} is inclusive, as
 * there; every timestamp is distinct, so a client that continues from the last entry's Timestamp gets exactly
 * that entry again first and never misses one. Only versions the caller may download are listed.
 */
final class IndexFeedRoute {
    static final int MAX_LIMIT = 2000;
    /** Records one request may read to fill its page (a caller who may see little pages on through since). */
    private static final int SCAN_LIMIT = 100_000;

    private IndexFeedRoute() {
    }

    static void handle(ForgeChecksumDatabase db, ModuleHost host, HttpServletRequest request,
            HttpServletResponse response, boolean head) throws ProxyError, IOException, AuthenticationThrottled {
        if (db == null) {
            throw ProxyError.notFound("not found: this server has no index feed (it needs a fixed module namespace)");
        }
        long since;
        int limit;
        try {
            String s = request.getParameter("since");
            since = s == null || s.isEmpty() ? 0 : micros(OffsetDateTime.parse(s).toInstant());
            String l = request.getParameter("limit");
            limit = l == null || l.isEmpty() ? MAX_LIMIT : Integer.parseInt(l);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            PlainText.write(response, 400, "bad request: since must be an RFC 3339 time and limit a number");
            return;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            PlainText.write(response, 400, "bad request: limit must be between 1 and " + MAX_LIMIT);
            return;
        }
        Caller caller = host.authenticate(request);
        Map<String, Boolean> seen = new HashMap<>();
        List<ForgeChecksumDatabase.IndexEntry> entries;
        try {
            entries = db.index(since, limit, SCAN_LIMIT,
                    path -> seen.computeIfAbsent(path, p -> host.find(caller, p, request) != null));
        } catch (StorageException e) {
            throw ForgeSumdbRoutes.unavailable(e);
        }
        StringBuilder body = new StringBuilder();
        for (ForgeChecksumDatabase.IndexEntry e : entries) {
            body.append("{\"Path\":\"").append(json(e.path)).append("\",\"Version\":\"").append(json(e.version))
                    .append("\",\"Timestamp\":\"").append(rfc3339(e.micros)).append("\"}\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "private, no-cache");
        response.setContentLength(bytes.length);
        if (!head) {
            OutputStream out = response.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** Go's RFC3339Nano: UTC, the fraction without trailing zeros (none at all when zero). */
    static String rfc3339(long micros) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        String whole = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String base = whole.substring(0, whole.length() - 1);
        long fraction = Math.floorMod(micros, 1_000_000L);
        if (fraction == 0) {
            return base + "Z";
        }
        String digits = String.format("%06d", fraction).replaceAll("0+$", "");
        return base + "." + digits + "Z";
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
