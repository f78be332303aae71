package com.gitblit.plugin.goproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;
import com.gitblit.plugin.goproxy.metrics.ProxyHealth;

/**
 * The two routes for operators below the proxy's base, {@code -/metrics} and {@code -/health} (no module path
 * starts with {@code -}). Who may read the metrics is the host's decision; these only write the answers.
 */
public final class OperatorRoutes {
    public static final String METRICS = "-/metrics";
    public static final String HEALTH = "-/health";

    private OperatorRoutes() {
    }

    public static boolean isOperatorRoute(String below) {
        return METRICS.equals(below) || HEALTH.equals(below);
    }

    /** The health line, never cached; GET and HEAD only. */
    public static void health(ProxyHealth.Report report, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!readOnly(request, response)) {
            return;
        }
        write(request, response, report.httpStatus(), "text/plain; charset=utf-8",
                (report.line() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The metrics in the Prometheus text format, never cached; GET and HEAD only. */
    public static void metrics(PrometheusMetrics metrics, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!readOnly(request, response)) {
            return;
        }
        // Written whole before the headers, so that a failure while sampling is still a clean 500.
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        metrics.writeTo(body);
        write(request, response, 200, metrics.contentType(), body.toByteArray());
    }

    /**
     * Whether {@code Authorization: Bearer <token>} carries exactly {@code expected} (compared in constant
     * time); false when no token is configured.
     */
    public static boolean bearerMatches(HttpServletRequest request, String expected) {
        if (expected == null || expected.isEmpty()) {
            return false;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean readOnly(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        response.setHeader("Allow", "GET, HEAD");
        PlainText.write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed");
        return false;
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, int status,
            String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
