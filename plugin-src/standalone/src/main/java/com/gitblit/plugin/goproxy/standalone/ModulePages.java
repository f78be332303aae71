package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.catalog.ClientSetup;
import com.gitblit.plugin.goproxy.catalog.GoModLinks;
import com.gitblit.plugin.goproxy.catalog.ModuleCatalog;
import com.gitblit.plugin.goproxy.catalog.ModuleEntry;
import com.gitblit.plugin.goproxy.catalog.ModuleListPage;
import com.gitblit.plugin.goproxy.catalog.ModuleSummary;
import com.gitblit.plugin.goproxy.catalog.VersionEntry;
import com.gitblit.plugin.goproxy.catalog.VersionPage;
import com.gitblit.plugin.goproxy.proxy.PlainText;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ServiceFailure;

/**
 * The catalog as plain HTML pages, below the proxy's base at {@code -/...} (a path with no {@code @}, so never a
 * proxy request): {@code -/modules} ({@code q}, {@code p}), {@code -/module?m=}, {@code -/version?m=&v=},
 * {@code -/setup}, {@code -/signin}. A viewer sees exactly the repositories the proxy would serve them (the same authentication
 * and admission); anything else, absent, hidden or malformed, is one fixed 404 page that echoes nothing.
 * The standalone server has no push rights, so nobody is shown the tags the proxy leaves out.
 */
final class ModulePages {
    static final String MODULES = "-/modules";
    static final String MODULE = "-/module";
    static final String VERSION = "-/version";
    static final String SETUP = "-/setup";
    static final String SIGN_IN = "-/signin";
    static final int PAGE_SIZE = 50;
    /** Longer searches are cut: no module path is longer. */
    static final int MAX_QUERY = 1024;
    static final String DOCS_SITE = "https://pkg.go.dev";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final byte[] NOT_FOUND = page("Not found",
            new Html().element("p", "No such module page.")).getBytes(StandardCharsets.UTF_8);

    private final FolderModuleHost host;
    private final ModuleCatalog catalog;
    private final String base;

    /** @param base where the proxy is mounted, e.g. {@code /go/} (for the setup lines) */
    private final ModuleService service;

    ModulePages(FolderModuleHost host, ModuleService service, String base) {
        this.service = service;
        this.host = host;
        this.catalog = new ModuleCatalog(service);
        this.base = base;
    }

    static boolean isPage(String below) {
        return below.equals(MODULES) || below.equals(MODULE) || below.equals(VERSION) || below.equals(SETUP)
                || below.equals(SIGN_IN);
    }

    void handle(String below, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            PlainText.write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed");
            return;
        }
        Caller caller = host.authenticate(request);
        if (below.equals(SIGN_IN)) {
            signIn(caller, response);
            return;
        }
        String html;
        try {
            switch (below) {
                case MODULES:
                    html = modules(caller, request.getParameter("q"), request.getParameter("p"));
                    break;
                case MODULE:
                    html = module(caller, request.getParameter("m"), request);
                    break;
                case VERSION:
                    html = version(caller, request.getParameter("m"), request.getParameter("v"), request);
                    break;
                default:
                    html = setup(caller, request);
                    break;
            }
        } catch (ServiceFailure e) {
            if (e.kind() == ServiceFailure.Kind.NOT_FOUND) {
                html = null;
            } else {
                PlainText.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "module pages unavailable now");
                return;
            }
        } catch (IOException e) {
            // A repository or the folder could not be read: one line, no detail that could name a path.
            PlainText.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "module pages unavailable now");
            return;
        }
        byte[] body = html == null ? NOT_FOUND : html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(html == null ? HttpServletResponse.SC_NOT_FOUND : HttpServletResponse.SC_OK);
        response.setContentType("text/html; charset=utf-8");
        // What a page shows depends on who asks.
        response.setHeader("Cache-Control", "private, no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Defence in depth behind the escaping: no script runs and nothing loads, whatever a page holds.
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /**
     * The one page that asks a browser for credentials (the others answer hidden and absent alike with 404, never
     * 401, so a browser would never send any): 401 until the caller is signed in, then on to the list.
     */
    private void signIn(Caller caller, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (caller.isAnonymous()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + host.realm() + "\", charset=\"UTF-8\"");
            PlainText.write(response, HttpServletResponse.SC_UNAUTHORIZED, "sign in to see your private modules");
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", "modules");
    }

    private String modules(Caller caller, String query, String pageParam) throws IOException {
        String q = query == null ? "" : query.trim();
        if (q.length() > MAX_QUERY) {
            q = q.substring(0, MAX_QUERY);
        }
        int page = 1;
        try {
            page = pageParam == null ? 1 : Integer.parseInt(pageParam.trim());
        } catch (NumberFormatException e) {
            // not a number: the first page
        }
        ModuleListPage list = catalog.instance(host.downloadable(caller), q, page, PAGE_SIZE);
        Html h = new Html();
        h.open("form", "method", "get", "action", "modules")
                .open("input", "type", "search", "name", "q", "value", q, "placeholder", "module path contains")
                .open("button", "type", "submit").text("search").close("button").close("form");
        h.element("p", list.total() + (list.total() == 1 ? " module" : " modules"), "class", "go-count");
        h.open("table", "class", "go-module-list").open("tr").element("th", "module").element("th", "latest")
                .element("th", "time").close("tr");
        for (ModuleSummary s : list.rows()) {
            h.open("tr", "class", "go-module-row", "data-module", s.path()).open("td")
                    .link(moduleUrl(s.path()), s.path()).close("td").open("td");
            if (s.latest() != null) {
                h.link(versionUrl(s.path(), s.latest()), s.latest());
            }
            h.close("td").element("td", time(s.time())).close("tr");
        }
        h.close("table");
        if (list.pages() > 1) {
            h.open("p", "class", "go-pager").text("page " + list.page() + " of " + list.pages() + " ");
            if (list.page() > 1) {
                h.link(listUrl(q, list.page() - 1), "previous", "class", "go-prev").text(" ");
            }
            if (list.page() < list.pages()) {
                h.link(listUrl(q, list.page() + 1), "next", "class", "go-next");
            }
            h.close("p");
        }
        return page("Go modules", h);
    }

    private String module(Caller caller, String modulePath, HttpServletRequest request)
            throws ServiceFailure, IOException {
        HostedRepository repository = repository(caller, modulePath, request);
        ModuleEntry m = repository == null ? null : catalog.module(repository, modulePath, false);
        if (m == null) {
            return null;
        }
        Html h = new Html();
        h.element("h2", m.path(), "class", "go-module-path");
        if (m.latest() != null) {
            h.open("p").text("latest: ").link(versionUrl(m.path(), m.latest()), m.latest(), "class", "go-latest")
                    .close("p");
            h.element("pre", m.goGet(), "class", "go-get");
        } else {
            h.element("p", "no version yet: " + m.latestProblem(), "class", "go-no-latest");
        }
        h.open("table", "class", "go-versions").open("tr").element("th", "version").element("th", "time")
                .element("th", "").element("th", "commit").close("tr");
        for (VersionEntry v : m.versions()) {
            h.open("tr", "class", "go-version", "data-version", v.version()).open("td")
                    .link(versionUrl(m.path(), v.version()), v.version()).close("td")
                    .element("td", time(v.time())).open("td");
            marks(h, v);
            h.close("td").element("td", v.commit().substring(0, 12) + " " + v.tag()).close("tr");
        }
        h.close("table");
        h.element("p", "Tags the proxy does not serve are not listed: this server has no push rights to decide who"
                + " may see them.", "class", "go-omitted-note");
        return page(m.path(), h);
    }

    private String version(Caller caller, String modulePath, String version, HttpServletRequest request)
            throws ServiceFailure, IOException {
        HostedRepository repository = repository(caller, modulePath, request);
        if (repository == null || version == null) {
            return null;
        }
        GoModLinks links = new GoModLinks(host.moduleNamespace(request), ModulePages::moduleUrl, DOCS_SITE);
        VersionPage page = catalog.version(repository, modulePath, version, links);
        if (page == null) {
            return null;
        }
        VersionEntry v = page.entry();
        Html h = new Html();
        h.open("h2", "class", "go-module-path").link(moduleUrl(page.modulePath()), page.modulePath()).text(" ")
                .element("span", v.version(), "class", "go-version-name").close("h2");
        h.open("p").text(time(v.time()) + " \u00b7 commit " + page.commit() + " ");
        marks(h, v);
        h.close("p");
        h.element("pre", "go get " + page.modulePath() + "@" + v.version(), "class", "go-get");
        h.element("h3", "go.mod").open("pre", "class", "go-mod");
        for (GoModLinks.Line line : page.goMod()) {
            for (GoModLinks.Segment s : line.segments()) {
                h.link(s.href(), s.text());
            }
            h.text("\n");
        }
        h.close("pre").element("h3", "Packages").open("ul", "class", "go-packages");
        for (String p : page.packages()) {
            h.element("li", page.importPath(p));
        }
        h.close("ul").element("h3", "go.sum");
        List<String> sums = page.goSumLines();
        if (sums.isEmpty()) {
            h.element("p", "Not served yet: the hashes are recorded when go first downloads this version (a page"
                    + " never builds a zip).", "class", "go-sum-none");
        } else {
            h.open("pre", "class", "go-sum");
            for (String line : sums) {
                h.text(line + "\n");
            }
            h.close("pre");
        }
        return page(page.modulePath() + " " + v.version(), h);
    }

    private String setup(Caller caller, HttpServletRequest request) {
        String proxyBase = request.getScheme() + "://" + authority(request) + base.substring(0, base.length() - 1);
        String namespace = host.moduleNamespace(request);
        ClientSetup setup = new ClientSetup(proxyBase, null, namespace, request.getServerName(),
                caller.isAnonymous() ? null : caller.name());
        Html h = new Html();
        h.element("p", "For a developer machine:");
        if (service.checksumDatabase() != null) {
            setup.checksumDatabase(service.checksumDatabase().verifierKey(), service.thirdParty() != null);
        }
        StringBuilder lines = new StringBuilder("export " + setup.goproxy() + "\n");
        if (!namespace.isEmpty() && setup.needsGonosumdb()) {
            lines.append("export ").append(setup.gonosumdb()).append('\n');
        }
        h.element("pre", lines.toString(), "class", "go-env");
        if (setup.gosumdb() != null) {
            h.element("p", setup.gosumdbNote(), "class", "go-gosumdb-note");
            h.element("pre", "export " + setup.gosumdb(), "class", "go-gosumdb");
        }
        h.element("p", "For private modules, in ~/.netrc (the go command sends it over HTTPS only):");
        h.element("pre", setup.netrc(), "class", "go-netrc");
        if (!namespace.isEmpty()) {
            h.element("p", setup.goprivateNote(), "class", "go-goprivate");
        }
        return page("Go setup", h);
    }

    /** The repository holding {@code modulePath} that this caller may download from, or null. */
    private HostedRepository repository(Caller caller, String modulePath, HttpServletRequest request) {
        if (modulePath == null || modulePath.isEmpty() || modulePath.length() > MAX_QUERY) {
            return null;
        }
        return host.find(caller, modulePath, request);
    }

    private static void marks(Html h, VersionEntry v) {
        if (v.prerelease()) {
            h.element("span", "prerelease", "class", "go-prerelease").text(" ");
        }
        if (v.retracted()) {
            h.element("span", "retracted", "class", "go-retracted").text(" ");
            if (!v.retraction().isEmpty()) {
                h.element("span", v.retraction(), "class", "go-rationale");
            }
        }
    }

    private static String authority(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean standard = port <= 0 || ("https".equals(request.getScheme()) ? port == 443 : port == 80);
        return request.getServerName() + (standard ? "" : ":" + port);
    }

    private static String page(String title, Html body) {
        Html h = new Html();
        h.open("head").open("meta", "charset", "utf-8").element("title", title)
                .element("style", "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{padding:2px 8px;text-align:left}.go-retracted{color:#b00}"
                        + ".go-prerelease{color:#a60}pre{background:#f4f4f4;padding:6px}")
                .close("head").open("body").open("p", "class", "go-nav").link("modules", "Go modules").text(" | ")
                .link("setup", "Go setup").text(" | ")
                .link("signin", "sign in").close("p").element("h1", title);
        return "<!DOCTYPE html>\n<html>" + h + body + "</body></html>\n";
    }

    static String moduleUrl(String modulePath) {
        return "module?m=" + encode(modulePath);
    }

    static String versionUrl(String modulePath, String version) {
        return "version?m=" + encode(modulePath) + "&v=" + encode(version);
    }

    private static String listUrl(String query, int page) {
        return "modules?" + (query.isEmpty() ? "" : "q=" + encode(query) + "&") + "p=" + page;
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private static String encode(String s) {
        try {
            return URLEncoder.encode(s, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
