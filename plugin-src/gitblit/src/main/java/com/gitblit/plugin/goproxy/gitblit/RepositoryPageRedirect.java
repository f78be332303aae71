package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a browser that opens a module or package path ({@code /team/lib/sub/pkg}, as documentation sites link
 * them) to Gitblit's page of the repository, without ever shadowing a Gitblit URL. Rules:
 * <ul>
 *   <li>only plain page requests are candidates: GET or HEAD, no query string, a clean path
 *       ({@link RepositoryNames#isClean}), not under one of Gitblit's servlet paths ({@code /r/}, {@code /raw/},
 *       {@code /rpc/}, ... and the LFS {@code /info/lfs/} paths), whose answers, 404s included, are Gitblit's
 *       own;</li>
 *   <li>the request goes to Gitblit first; only when Gitblit answers 404 (the container's "no such page", sent
 *       through {@code sendError} before any byte of body) is the repository looked up, and only an enabled
 *       repository the caller may view turns the 404 into a 302 to its summary page. Every other answer,
 *       every other 404, passes through unchanged.</li>
 * </ul>
 */
final class RepositoryPageRedirect extends HttpServletResponseWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryPageRedirect.class);

    /** First path elements Gitblit's servlets own (WebModule), and our own base. */
    private static final Set<String> GITBLIT_PATHS = new HashSet<String>(Arrays.asList(
            "r", "git", "raw", "pages", "rpc", "zip", "feed", "federation", "sparkleshare", "graph", "pt",
            "robots.txt", "logo.png", "com", GoProxyFilter.BASE));

    /** Decides where a 404 should go instead; {@code null} to keep the 404. */
    interface Target {
        String forNotFound();
    }

    private final Target target;
    private boolean decided;
    private boolean redirected;

    RepositoryPageRedirect(HttpServletResponse response, Target target) {
        super(response);
        this.target = target;
    }

    /** Whether {@code path} (below the context, no leading slash, still percent-encoded) is a candidate. */
    static boolean mayApply(HttpServletRequest request, String path) {
        return mayApply(request.getMethod(), request.getQueryString(), path);
    }

    static boolean mayApply(String method, String query, String path) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if (query != null && !query.isEmpty()) {
            return false;
        }
        String clean = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!RepositoryNames.isClean(clean) || clean.contains("/info/lfs/") || clean.endsWith("/info/lfs")) {
            return false;
        }
        int slash = clean.indexOf('/');
        return !GITBLIT_PATHS.contains(slash < 0 ? clean : clean.substring(0, slash));
    }

    @Override
    public void sendError(int status) throws IOException {
        if (!redirectInstead(status)) {
            super.sendError(status);
        }
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (!redirectInstead(status)) {
            super.sendError(status, message);
        }
    }

    @Override
    public void setStatus(int status) {
        if (redirected) {
            return;
        }
        try {
            if (!redirectInstead(status)) {
                super.setStatus(status);
            }
        } catch (IOException e) {
            LOG.warn("goproxy: redirect to the repository page failed: {}", e.toString());
        }
    }

    @Override
    @Deprecated
    public void setStatus(int status, String message) {
        setStatus(status);
    }

    // Once redirected, whatever Gitblit still writes for its 404 goes nowhere.

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return redirected ? new Discard() : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return redirected ? new PrintWriter(new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }) : super.getWriter();
    }

    @Override
    public void setHeader(String name, String value) {
        if (!redirected) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!redirected) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setContentType(String type) {
        if (!redirected) {
            super.setContentType(type);
        }
    }

    @Override
    public void setContentLength(int length) {
        if (!redirected) {
            super.setContentLength(length);
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!redirected) {
            super.setContentLengthLong(length);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (!redirected) {
            super.sendRedirect(location);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!redirected) {
            super.flushBuffer();
        }
    }

    /** True if the 404 was turned into a redirect (then the caller must not answer any more). */
    private boolean redirectInstead(int status) throws IOException {
        if (redirected) {
            return true;
        }
        if (status != HttpServletResponse.SC_NOT_FOUND || decided || isCommitted()) {
            return false;
        }
        decided = true;
        String location;
        try {
            location = target.forNotFound();
        } catch (RuntimeException e) {
            // Gitblit's own 404 is still a right answer; never let our lookup break it.
            LOG.warn("goproxy: repository page lookup failed: {}", e.toString());
            return false;
        }
        if (location == null) {
            return false;
        }
        super.resetBuffer();
        super.sendRedirect(location);
        redirected = true;
        return true;
    }

    private static final class Discard extends ServletOutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            // Never asynchronous: Gitblit's filter chain does not support it.
        }
    }
}
