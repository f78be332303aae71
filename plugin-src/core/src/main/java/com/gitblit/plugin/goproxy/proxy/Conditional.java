package com.gitblit.plugin.goproxy.proxy;

import javax.servlet.http.HttpServletRequest;

/** Conditional GET (RFC 9110 13.1): If-None-Match wins over If-Modified-Since when both are sent. */
final class Conditional {
    private Conditional() {
    }

    static boolean notModified(HttpServletRequest request, String etag, long lastModified) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            return etag != null && matches(ifNoneMatch, etag);
        }
        if (lastModified < 0) {
            return false;
        }
        long since;
        try {
            since = request.getDateHeader("If-Modified-Since");
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        // HTTP dates have whole seconds.
        return since >= 0 && lastModified / 1000 <= since / 1000;
    }

    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
