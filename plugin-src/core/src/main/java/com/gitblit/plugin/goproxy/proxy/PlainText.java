package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/**
 * The one way every route writes an error: a single line of {@code text/plain}, which the go command prints to
 * its user. Never stored by caches (a 404 becomes a 200 once the tag is pushed, a 401 depends on who asks),
 * and never sniffed: the line may echo the request, and a browser must not take it for HTML.
 */
public final class PlainText {
    private PlainText() {
    }

    public static void write(HttpServletResponse response, int status, String message) throws IOException {
        byte[] bytes = (ProxyError.oneLine(message) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Cache-Control", CachePolicy.forError());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
