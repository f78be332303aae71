package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.HttpRequestFilter;
import com.gitblit.models.RepositoryModel;
import com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled;
import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;
import com.gitblit.plugin.goproxy.proxy.GoImportPage;
import com.gitblit.plugin.goproxy.proxy.OperatorRoutes;
import com.gitblit.plugin.goproxy.proxy.PercentDecoding;
import com.gitblit.plugin.goproxy.proxy.PlainText;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.token.TokenSignIn;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ro.fortsoft.pf4j.Extension;

/**
 * Where the plugin meets Gitblit's requests. Gitblit runs every plugin filter on every request, before its own
 * authentication and servlets. Paths are taken below the context path, undecoded. Routes, in order:
 * <ol>
 *   <li>GET/HEAD with {@code go-get=1} in the query: the go command's discovery request for the import path
 *       {@code <module namespace>/<path>}, answered with the go-import page, or exactly as the proxy answers a
 *       module the caller may not download ({@link GoImportPage}). No Gitblit
 *       page takes that parameter;</li>
 *   <li>{@code /go/@project/<project>/...}: the proxy base of one Gitblit project (a module path has no
 *       {@code @}, so this can never be a module);</li>
 *   <li>{@code /go/...}: the instance proxy base;</li>
 *   <li>a path a browser may open for a module or package: passed on to Gitblit, and only its 404 may become a
 *       redirect to the repository's page ({@link RepositoryPageRedirect});</li>
 *   <li>everything else: passed down the chain untouched, except a request presenting a Go access token, which is
 *       answered 401 here: a token is only for the proxy and go-get discovery, never for git, RPC or the web UI,
 *       and must not reach Gitblit's authentication realms at all.</li>
 * </ol>
 * While the proxy is stopped ({@link GoProxyRuntime}: {@code plugin stop}, uninstalled, upgraded and not yet
 * restarted) every request goes down the chain untouched, so Gitblit answers {@code /go/} as any unknown path.
 * The filter answers for its own routes completely: anything unexpected becomes a logged 500 with a one-line
 * text body (Jetty's error page would print the stack trace), and a body that broke off after it was committed
 * aborts the connection so that no client mistakes it for a whole answer.
 */
@Extension
public class GoProxyFilter extends HttpRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(GoProxyFilter.class);

    /** The instance proxy base, below the context path. */
    static final String BASE = "go";
    static final String PROJECT_BASE = "@project/";

    private final GoProxyRuntime runtime;
    private final GitblitDownloads downloads;

    @Inject
    public GoProxyFilter(GoProxyRuntime runtime) {
        this.runtime = runtime;
        this.downloads = GitblitDownloads.create(runtime.settings());
    }

    /** Gitblit calls this once, when its web application starts with this plugin started. */
    @Override
    public void init(FilterConfig config) {
        runtime.filterInitialised();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // First, and loading no class: a stopped or uninstalled plugin's filter stays in Gitblit's chain.
        if (!runtime.enter()) {
            if (!stoppedHealth(request, response)) {
                chain.doFilter(request, response);
            }
            return;
        }
        try {
            route(request, response, chain);
        } finally {
            runtime.leave();
        }
    }

    /**
     * {@code /go/-/health} of a stopped (or uninstalled) plugin: {@code down}, written with the servlet API only
     * (this plugin's class loader may be closed). Everything else of a stopped plugin goes to Gitblit.
     */
    private static boolean stoppedHealth(ServletRequest request, ServletResponse response) throws IOException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            return false;
        }
        HttpServletRequest http = (HttpServletRequest) request;
        String context = http.getContextPath() == null ? "" : http.getContextPath();
        if (!(context + "/" + BASE + "/" + OperatorRoutes.HEALTH).equals(http.getRequestURI())
                || !("GET".equals(http.getMethod()) || "HEAD".equals(http.getMethod()))) {
            return false;
        }
        HttpServletResponse out = (HttpServletResponse) response;
        byte[] body = "down: the Go module proxy is stopped\n".getBytes("UTF-8");
        out.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        out.setContentType("text/plain; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setContentLength(body.length);
        if (!"HEAD".equals(http.getMethod())) {
            out.getOutputStream().write(body);
        }
        return true;
    }

    private void route(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        final HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        final String path = pathBelowContext(http);
        if (path == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean goGet = isGoGet(http) && discoveryOn();
        boolean proxyPath = path.equals(BASE) || path.startsWith(BASE + "/");
        if (!goGet && !proxyPath && TokenSignIn.presentsToken(http.getHeader("Authorization"))) {
            out.setHeader("WWW-Authenticate", "Basic realm=\"" + com.gitblit.Constants.NAME + "\"");
            PlainText.write(out, HttpServletResponse.SC_UNAUTHORIZED,
                    "a Go access token is accepted only by the Go module proxy (/" + BASE + "/) and go-get discovery");
            return;
        }
        if (goGet) {
            answer(http, out, new Route() {
                @Override
                public void answer(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                    goGet(req, rsp, path);
                }
            });
        } else if (path.equals(BASE + "/" + OperatorRoutes.HEALTH)) {
            // Before the 503 of a failed start, which health reports as down; no download slot either.
            OperatorRoutes.health(runtime.health(), http, out);
        } else if (proxyPath) {
            final String below = path.equals(BASE) ? "" : path.substring(BASE.length() + 1);
            answer(http, out, new Route() {
                @Override
                public void answer(final HttpServletRequest req, final HttpServletResponse rsp) throws IOException {
                    downloads.run(below, req, rsp, new GitblitDownloads.Download() {
                        @Override
                        public void run() throws IOException {
                            proxy(req, rsp, below);
                        }
                    });
                }
            });
        } else if (!runtime.failed() && RepositoryPageRedirect.mayApply(http, path) && discoveryOn()) {
            chain.doFilter(request, new RepositoryPageRedirect(out, new RepositoryPageRedirect.Target() {
                @Override
                public String forNotFound() {
                    return repositoryPage(http, path);
                }
            }));
        } else {
            chain.doFilter(request, response);
        }
    }

    /** Read per request, so that the setting is live; only for requests that may need it. */
    private boolean discoveryOn() {
        return PluginSettings.goGetDiscovery(runtime.settings());
    }

    private interface Route {
        void answer(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, Route route) throws IOException {
        try {
            if (runtime.failed()) {
                PlainText.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                        "the Go module proxy failed to start: see the Gitblit log");
                return;
            }
            route.answer(request, response);
        } catch (IOException | RuntimeException e) {
            if (response.isCommitted()) {
                // Let the container abort the connection: a short body must not look complete.
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
            LOG.error("goproxy: {} {} failed", request.getMethod(), request.getRequestURI(), e);
            response.reset();
            PlainText.write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error: see the server log");
        }
    }

    private void proxy(HttpServletRequest request, HttpServletResponse response, String below) throws IOException {
        try {
            answer(request, response, below);
        } finally {
            com.gitblit.plugin.goproxy.proxy.AccessLog log = runtime.accessLog();
            if (log != null) {
                log.record(request, response);
            }
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, String below) throws IOException {
        if (OperatorRoutes.METRICS.equals(below)) {
            PrometheusMetrics metrics = runtime.metricsFor(request);
            if (metrics != null) {
                OperatorRoutes.metrics(metrics, request, response);
                return;
            }
            // Anyone else gets what the proxy gives any path that names no module: the route stays unseen.
        }
        if (!below.startsWith(PROJECT_BASE)) {
            runtime.instanceProxy().handle(below, request, response);
            return;
        }
        String rest = below.substring(PROJECT_BASE.length());
        int slash = rest.indexOf('/');
        String project = slash <= 0 ? null : PercentDecoding.decode(rest.substring(0, slash));
        if (project == null || project.isEmpty()) {
            PlainText.write(response, HttpServletResponse.SC_NOT_FOUND,
                    "not found: a project's proxy base is /" + BASE + "/" + PROJECT_BASE + "<project>/");
            return;
        }
        runtime.projectProxy(project).handle(rest.substring(slash + 1), request, response);
    }

    private void goGet(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        String decoded = PercentDecoding.decode(stripTrailingSlash(path));
        // An undecodable path is no module path: it gets the same miss as an absent repository.
        String importPath = runtime.modulePathOf(request, decoded == null ? path : decoded);
        final String context = contextPath(request);
        runtime.goImportPage().answer(importPath, ProxyBaseUrl.of(request, runtime.settings()),
                new GoImportPage.SourceLink() {
                    @Override
                    public String urlOf(HostedRepository repository) {
                        return summaryPage(context, repository.name());
                    }
                }, request, response);
    }

    private String repositoryPage(HttpServletRequest request, String path) {
        String modulePath = runtime.modulePathOf(request, stripTrailingSlash(path));
        RepositoryModel model;
        try {
            model = runtime.viewableRepository(request, modulePath);
        } catch (AuthenticationThrottled e) {
            // A browser's 404 stays a 404: no redirect is worth a password check that may not run now.
            return null;
        }
        return model == null ? null : summaryPage(contextPath(request), model.name);
    }

    static String summaryPage(String context, String repositoryName) {
        try {
            // Gitblit's page parameter form works whatever web.mountParameters says.
            return context + "/summary/?r=" + URLEncoder.encode(repositoryName, "UTF-8").replace("%2F", "/");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request path below the context path without its leading slash, undecoded; null if there is none. */
    static String pathBelowContext(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return null;
        }
        String context = contextPath(request);
        if (!uri.startsWith(context)) {
            return null;
        }
        String path = uri.substring(context.length());
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String contextPath(HttpServletRequest request) {
        String context = request.getContextPath();
        return context == null ? "" : context;
    }

    /** {@code go-get=1} among the query parameters, read from the raw query (never from a request body). */
    static boolean isGoGet(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String query = request.getQueryString();
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&")) {
            if (parameter.equals("go-get=1")) {
                return true;
            }
        }
        return false;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
