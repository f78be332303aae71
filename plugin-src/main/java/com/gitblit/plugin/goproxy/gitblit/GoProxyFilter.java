package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.HttpRequestFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import ro.fortsoft.pf4j.Extension;

/**
 * Gitblit runs every plugin {@link HttpRequestFilter} on every request, before its own authentication.
 * Rules this filter keeps:
 * <ul>
 * <li>only paths under {@code /go/} (after the context path) are ours; every other request goes down
 *     the chain untouched;</li>
 * <li>for our paths nothing escapes: any failure becomes a one-line {@code text/plain} answer, never a
 *     container error page with a stack trace.</li>
 * </ul>
 * Placeholder: every {@code /go/} path answers 404 until the proxy is mounted here.
 */
@Extension
public class GoProxyFilter extends HttpRequestFilter {

    static final String PREFIX = "/go/";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !isOurs((HttpServletRequest) request)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse http = (HttpServletResponse) response;
        try {
            plainText(http, HttpServletResponse.SC_NOT_FOUND, "not found");
        } catch (RuntimeException | IOException e) {
            // The client went away or the response is broken: nothing useful can be sent any more.
            if (!http.isCommitted()) {
                http.reset();
                http.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
    }

    private static boolean isOurs(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null) {
            return false;
        }
        String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return path.startsWith(PREFIX);
    }

    private static void plainText(HttpServletResponse response, int status, String line) throws IOException {
        byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
