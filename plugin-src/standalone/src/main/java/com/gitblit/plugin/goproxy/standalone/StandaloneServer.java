package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.AsyncRequestLogWriter;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.cache.DataFolderLock;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.DownloadSlots;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;
import com.gitblit.plugin.goproxy.metrics.ProxyHealth;
import com.gitblit.plugin.goproxy.proxy.GoProxyServlet;
import com.gitblit.plugin.goproxy.proxy.OperatorRoutes;
import com.gitblit.plugin.goproxy.proxy.PlainText;
import com.gitblit.plugin.goproxy.proxy.WriteDeadline;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.service.TagWatcher;

/**
 * The standalone server: Jetty with the proxy at {@code /go/} (and its module pages at {@code /go/-/...},
 * {@link ModulePages}) over a folder of bare repositories, on HTTP,
 * HTTPS or both (the go command sends .netrc credentials only over HTTPS). Jetty's own error pages and
 * {@code Server} header are switched off: answers carry no stack traces and no version.
 */
public final class StandaloneServer implements AutoCloseable {
    /** Where the proxy is mounted. */
    static final String BASE = "/go/";

    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;
    private final ModuleService modules;
    private final WriteDeadline writeDeadline;
    private final TagWatcher tagWatcher;
    /** Why the server cannot serve (health's {@code down}), null while it serves. */
    private final AtomicReference<String> down;
    private final DataFolderLock folderLock;

    private StandaloneServer(Server server, ServerConnector http, ServerConnector https, ModuleService modules,
            WriteDeadline writeDeadline, TagWatcher tagWatcher, AtomicReference<String> down, DataFolderLock folderLock) {
        this.server = server;
        this.folderLock = folderLock;
        this.down = down;
        this.tagWatcher = tagWatcher;
        this.writeDeadline = writeDeadline;
        this.http = http;
        this.https = https;
        this.modules = modules;
    }

    /** What to serve and where. */
    public static final class Config {
        Path repositories;
        String prefix = "";
        String httpHost = "127.0.0.1";
        int httpPort = -1;
        String httpsHost = "127.0.0.1";
        int httpsPort = -1;
        TlsMaterial tls;
        Path usersFile;
        Path accessFile;
        ProxySettings settings = ProxySettings.builder().build();
        /** Hostile-client limits; defaults documented in docs/standalone.md. */
        ClientAddresses trustedProxies = ClientAddresses.direct();
        PasswordGuard.Settings passwordChecks = new PasswordGuard.Settings();
        boolean allowHttpCredentials;
        int maxDownloads = 150;
        int maxDownloadsPerClient = 32;
        long writeTimeoutMillis = 15_000;
        long headerTimeoutMillis = 10_000;
        Path accessLog;
        int maxThreads = 200;
        /** Seconds between looks for new version tags to pre-build; 0: no looks. */
        int prebuildIntervalSeconds;
        /** The bearer token {@code -/metrics} asks for; null: no metrics route. */
        String metricsToken;

        public Config repositories(Path value) {
            this.repositories = value;
            return this;
        }

        public Config prefix(String value) {
            this.prefix = value;
            return this;
        }

        /** Port 0 picks a free one. */
        public Config http(String host, int port) {
            this.httpHost = host;
            this.httpPort = port;
            return this;
        }

        public Config https(String host, int port, TlsMaterial material) {
            this.httpsHost = host;
            this.httpsPort = port;
            this.tls = material;
            return this;
        }

        public Config users(Path users, Path access) {
            this.usersFile = users;
            this.accessFile = access;
            return this;
        }

        public Config settings(ProxySettings value) {
            this.settings = value;
            return this;
        }

        /** Reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} count. */
        public Config trustedProxies(ClientAddresses value) {
            this.trustedProxies = value;
            return this;
        }

        public Config passwordChecks(PasswordGuard.Settings value) {
            this.passwordChecks = value;
            return this;
        }

        /** Accept Basic credentials over plain HTTP from other hosts (they cross the network in clear). */
        public Config allowHttpCredentials(boolean value) {
            this.allowHttpCredentials = value;
            return this;
        }

        /** Module downloads streaming at once: in all, per client address. */
        public Config maxDownloads(int total, int perClient) {
            this.maxDownloads = total;
            this.maxDownloadsPerClient = perClient;
            return this;
        }

        /**
         * Longest time one write of a response buffer (32 KiB) may wait for the client, blocking (a build) or not
         * (a stored download); 0 for no limit. Jetty 9.4's minimum response data rate did not cut off a slow
         * reader of an asynchronous write in our tests; this does.
         */
        public Config writeTimeout(long millis) {
            this.writeTimeoutMillis = millis;
            return this;
        }

        /** An access log in NCSA extended format at {@code file}; {@code null} for none. */
        public Config accessLog(Path file) {
            this.accessLog = file;
            return this;
        }

        /** Longest time for a request line and headers to arrive. */
        public Config headerTimeout(long millis) {
            this.headerTimeoutMillis = millis;
            return this;
        }

        /** Looks for new or moved version tags every {@code seconds} and pre-builds their zips; 0 for never. */
        public Config prebuildInterval(int seconds) {
            this.prebuildIntervalSeconds = seconds;
            return this;
        }

        /** Serves {@code /go/-/metrics} to requests with {@code Authorization: Bearer <token>}; null for off. */
        public Config metricsToken(String token) {
            this.metricsToken = token;
            return this;
        }

        /** Jetty's worker threads. */
        public Config maxThreads(int value) {
            this.maxThreads = value;
            return this;
        }
    }

    public static StandaloneServer start(Config config) throws Exception {
        AccessPolicy access = config.usersFile == null ? AccessPolicy.open()
                : AccessPolicy.load(UsersFile.load(config.usersFile), config.accessFile)
                        .withTokens(StandaloneTokens.storeBeside(config.usersFile))
                        .guarded(config.passwordChecks, config.trustedProxies);
        if (access.tokens() != null) {
            // Users removed from the users file since the last start lose their tokens now.
            access.tokens().dropOrphans();
        }
        FolderModuleHost host = new FolderModuleHost(config.repositories, config.prefix, access);
        // Held while serving: the ledger commands refuse to touch a folder a server uses, and so does a second server.
        DataFolderLock folderLock = config.settings.dataDirectory() == null ? null
                : DataFolderLock.acquire(config.settings.dataDirectory().toPath(), LedgerCommand.owner("server"));
        PrometheusMetrics metrics = new PrometheusMetrics();
        ModuleService modules;
        try {
            // The forge's checksum database is named by the module prefix; without one there is no name to trust.
            modules = ModuleServices.create(config.settings, config.prefix, metrics);
        } catch (IOException | RuntimeException e) {
            closeQuietly(folderLock);
            throw e;
        }
        GoProxyServlet proxy = new GoProxyServlet(host, modules).metrics(metrics);
        AtomicReference<String> down = new AtomicReference<>("starting");
        ProxyHealth health = health(config.settings, metrics, down, modules);
        OperatorAccess operators = new OperatorAccess(config.metricsToken);
        ModulePages pages = new ModulePages(host, modules, BASE);
        WriteDeadline writeDeadline = new WriteDeadline(config.writeTimeoutMillis);
        proxy.writeDeadline(writeDeadline);
        StandaloneGate gate = new StandaloneGate(config.trustedProxies,
                new DownloadSlots(config.maxDownloads, config.maxDownloadsPerClient),
                config.allowHttpCredentials || StandaloneGate.isLoopback(config.httpHost));

        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads);
        threads.setName("goproxy");
        Server server = new Server(threads);
        HeaderDeadline headerDeadline = new HeaderDeadline(config.headerTimeoutMillis);
        server.addBean(headerDeadline);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
        // A client reading slower than one buffer per timeout is cut off instead of holding a thread for ever.
        hc.setBlockingTimeout(config.writeTimeoutMillis > 0 ? config.writeTimeoutMillis : -1);
        ServerConnector http = null;
        ServerConnector https = null;
        if (config.httpPort >= 0) {
            http = new ServerConnector(server, new HttpConnectionFactory(hc));
            http.setHost(config.httpHost);
            http.setPort(config.httpPort);
            http.addBean(headerDeadline, false);
            server.addConnector(http);
        }
        if (config.httpsPort >= 0) {
            HttpConfiguration tlsConfig = new HttpConfiguration(hc);
            tlsConfig.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory ssl = config.tls.contextFactory();
            https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(tlsConfig));
            https.setHost(config.httpsHost);
            https.setPort(config.httpsPort);
            https.addBean(headerDeadline, false);
            server.addConnector(https);
        }
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder servlet = new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String below = rawPathBelow(req, BASE);
                if (OperatorRoutes.HEALTH.equals(below)) {
                    // Before the gate: a load balancer holds no download slot and presents no credentials.
                    OperatorRoutes.health(health.check(), req, resp);
                } else if (OperatorRoutes.METRICS.equals(below)) {
                    operators.metrics(metrics, req, resp);
                } else if (ModulePages.isPage(below)) {
                    gate.handle(below, req, resp, (rq, rs) -> pages.handle(below, rq, rs));
                } else {
                    gate.handle(below, req, resp, (rq, rs) -> proxy.handle(below, rq, rs));
                }
            }
        });
        // Stored downloads are written with non-blocking output, so a slow reader holds no worker thread.
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, BASE + "*");
        context.setErrorHandler(new PlainErrorHandler());
        server.setHandler(context);
        server.setErrorHandler(new PlainErrorHandler());
        if (config.accessLog != null) {
            // NCSA extended format, written by Jetty's own background writer: a request never waits for the log.
            AsyncRequestLogWriter writer = new AsyncRequestLogWriter(config.accessLog.toString());
            writer.setAppend(true);
            writer.setRetainDays(0);
            server.setRequestLog(new CustomRequestLog(writer, CustomRequestLog.EXTENDED_NCSA_FORMAT));
        }
        server.setStopAtShutdown(true);
        if (access.tokens() != null) {
            final com.gitblit.plugin.goproxy.token.TokenStore tokens = access.tokens().store();
            // Last-used times are kept in memory between writes: write them when Jetty stops (also on SIGTERM).
            server.addLifeCycleListener(new org.eclipse.jetty.util.component.AbstractLifeCycle.AbstractLifeCycleListener() {
                @Override
                public void lifeCycleStopped(org.eclipse.jetty.util.component.LifeCycle event) {
                    try {
                        tokens.flush();
                    } catch (IOException e) {
                        System.err.println("goproxy: could not write the last-used times of access tokens: " + e);
                    }
                }
            });
        }
        try {
            server.start();
        } catch (Exception e) {
            writeDeadline.close();
            modules.close();
            closeQuietly(folderLock);
            throw e;
        }
        down.set(null);
        TagWatcher tagWatcher = null;
        if (config.prebuildIntervalSeconds > 0) {
            tagWatcher = new TagWatcher(modules, host::allRepositories, 1000L * config.prebuildIntervalSeconds);
            tagWatcher.start();
        }
        return new StandaloneServer(server, http, https, modules, writeDeadline, tagWatcher, down, folderLock);
    }

    private static void closeQuietly(DataFolderLock lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                System.err.println("goproxy: could not release the data folder's lock: " + e);
            }
        }
    }

    private static ProxyHealth health(ProxySettings settings, PrometheusMetrics metrics,
            AtomicReference<String> down, ModuleService modules) {
        Path data = settings.dataDirectory() == null ? null : settings.dataDirectory().toPath();
        return new ProxyHealth(down::get, data == null ? null : DataFolderFormat.ledger(data),
                data == null ? null : DataFolderFormat.artifacts(data),
                settings.upstream() == null ? null : metrics::upstreamReached,
                modules.state().database() == null ? null : modules.state()::sharedDatabaseReachable);
    }

    public int httpPort() {
        return http == null ? -1 : http.getLocalPort();
    }

    public int httpsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    /** Looks for new version tags finished so far; -1 when pre-building is off. */
    int prebuildLooks() {
        return tagWatcher == null ? -1 : tagWatcher.looks();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops Jetty, then the module service (its build threads and open files). */
    @Override
    public void close() throws Exception {
        // Load balancers that ask while Jetty drains are told to go elsewhere.
        down.set("stopping");
        try {
            if (tagWatcher != null) {
                tagWatcher.close();
            }
            server.stop();
        } finally {
            writeDeadline.close();
            modules.close();
            closeQuietly(folderLock);
        }
    }

    /**
     * The request path below {@code base}, still percent-encoded: the proxy decodes it exactly once. Jetty's
     * path info is decoded already (and normalised), so it would be decoded twice ({@code %252f} becoming a
     * slash) and {@code a/../b} would arrive as {@code b}.
     */
    static String rawPathBelow(HttpServletRequest request, String base) {
        String uri = request.getRequestURI();
        String prefix = request.getContextPath() + base;
        return uri != null && uri.startsWith(prefix) ? uri.substring(prefix.length()) : "";
    }

    /** Anything Jetty answers itself (unknown paths, bad requests): one plain line, never a stack trace. */
    private static final class PlainErrorHandler extends ErrorHandler {
        /** Requests Jetty rejects before any handler runs (a URI climbing out of the root, say). */
        @Override
        public java.nio.ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields fields) {
            fields.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            fields.put(org.eclipse.jetty.http.HttpHeader.CACHE_CONTROL, "no-store");
            return org.eclipse.jetty.util.BufferUtil.toBuffer("bad request\n");
        }

        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            baseRequest.setHandled(true);
            int status = response.getStatus();
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            PlainText.write(response, status, status == 404 ? "not found" : "error " + status);
        }
    }
}
