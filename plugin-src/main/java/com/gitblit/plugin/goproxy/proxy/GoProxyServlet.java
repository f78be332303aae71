package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The GOPROXY protocol under a base path. Both hosts mount it: the standalone host as a servlet on
 * {@code /go/*}, Gitblit's filter by calling {@link #service(HttpServletRequest, HttpServletResponse)} for
 * paths below {@code /go/}. The path after the base is taken from {@link #proxyPath(HttpServletRequest)}.
 *
 * <p>OUTLINE ONLY: the lead is writing the real implementation; until then every request answers 404.
 */
public class GoProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ModuleHost host;
    private final transient ProxySettings settings;

    public GoProxyServlet(ModuleHost host, ProxySettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** The request path below the proxy's base, without a leading slash and still percent-encoded. */
    protected String proxyPath(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null) {
            return "";
        }
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().println("not found: the proxy is not implemented yet");
    }

    ModuleHost host() {
        return host;
    }

    ProxySettings settings() {
        return settings;
    }
}
