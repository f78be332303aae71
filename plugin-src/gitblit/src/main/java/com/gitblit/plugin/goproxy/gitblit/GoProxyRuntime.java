package com.gitblit.plugin.goproxy.gitblit;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.manager.IRuntimeManager;
import com.gitblit.manager.IUserManager;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.plugin.goproxy.admin.LedgerVerification;
import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;
import com.gitblit.plugin.goproxy.metrics.ProxyHealth;
import com.gitblit.plugin.goproxy.proxy.AuthenticationThrottled;
import com.gitblit.plugin.goproxy.proxy.OperatorRoutes;
import com.gitblit.plugin.goproxy.token.TokenStore;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.proxy.GoImportPage;
import com.gitblit.plugin.goproxy.proxy.GoProxyServlet;
import com.gitblit.plugin.goproxy.release.PushCheckMode;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.LedgerVerifier;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.models.RepositoryModel;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's state, one per Gitblit: the module host on Gitblit's managers, the one {@link ModuleService} (one
 * ledger, one cache) behind the instance base and every project base, and the go-get page. Gitblit creates each
 * extension through its Guice injector; this class is a Guice singleton, so the filter, the repository listener
 * and the plugin class share it.
 *
 * <p>Lifecycle. Gitblit keeps a plugin's filter in its chain from web-app start to shutdown, whatever happens to
 * the plugin in between ({@code plugin stop}, {@code uninstall}, {@code upgrade} over SSH). So the proxy runs
 * between {@link #start()} and {@link #stop()}, which {@link GoProxyPlugin} calls, not for the filter's lifetime:
 * <ul>
 *   <li>stopped (also before the first start): the filter passes every request down the chain; no thread, open
 *       repository or file of the proxy is left;</li>
 *   <li>{@link #start()}: settings are read again and the service is built anew;</li>
 *   <li>{@link #stop()}: new requests pass by at once, requests already inside finish (bounded wait), then the
 *       service is closed.</li>
 * </ul>
 *
 * <p>A failure while starting (an unusable data folder, say) must never take Gitblit down with it: pf4j would
 * drop the filter and Gitblit's web application would fail to start, answering 503 everywhere. It is logged
 * once, and the proxy paths then answer 503 while the rest of Gitblit works.
 */
@Singleton
public class GoProxyRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(GoProxyRuntime.class);
    /** How long {@link #stop()} lets requests already inside the proxy finish before closing the service. */
    private static final long DRAIN_MILLIS = 30_000;

    private final IRuntimeManager runtime;
    private final IRepositoryManager repositories;
    private final IAuthenticationManager authentication;
    private final IUserManager users;
    private final IStoredSettings settings;
    private final Object lifecycle = new Object();
    private final AtomicInteger inside = new AtomicInteger();
    /** Whether new requests may enter; read first thing by the filter on every request. */
    private volatile boolean accepting;
    /** Set once Gitblit put the filter in its chain (at web-app start); a plugin installed later has none. */
    private volatile boolean filterInChain;
    private volatile Running running;

    /**
     * The runtime Guice made last in this class loader: one per plugin load (each version gets its own class
     * loader), for the SSH command, which Gitblit creates without injection.
     */
    private static volatile GoProxyRuntime latest;

    /** Without Gitblit's user service: no Go access tokens. */
    public GoProxyRuntime(IRuntimeManager runtime, IRepositoryManager repositories,
            IAuthenticationManager authentication) {
        this(runtime, repositories, authentication, null);
    }

    @Inject
    public GoProxyRuntime(IRuntimeManager runtime, IRepositoryManager repositories,
            IAuthenticationManager authentication, IUserManager users) {
        // Nothing is built here: Guice creates this object when the plugin is created, started or not.
        this.runtime = runtime;
        this.repositories = repositories;
        this.authentication = authentication;
        this.users = users;
        this.settings = runtime.getSettings();
        latest = this;
    }

    static GoProxyRuntime latest() {
        return latest;
    }

    /** Builds the proxy from the settings as they are now. Does nothing while it runs. */
    public void start() {
        synchronized (lifecycle) {
            if (running != null) {
                return;
            }
            running = Running.open(runtime, repositories, authentication, users, settings);
            accepting = true;
            if (!running.failed()) {
                LOG.info("goproxy: Go module proxy started (module namespace {}; data folder {}; Go on by default: {})",
                        describeNamespace(), running.dataFolder,
                        settings.getBoolean(PluginSettings.ENABLED_BY_DEFAULT, false));
            }
        }
    }

    /**
     * Stops the proxy: from now on the filter passes every request down the chain; requests already inside may
     * finish (up to {@link #DRAIN_MILLIS}); then the service's threads and files are released.
     */
    public void stop() {
        synchronized (lifecycle) {
            Running r = running;
            if (r == null) {
                return;
            }
            accepting = false;
            drain();
            running = null;
            r.close();
            LOG.info("goproxy: Go module proxy stopped; /{}/ and go-get discovery pass on to Gitblit until it starts"
                    + " again", GoProxyFilter.BASE);
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (inside.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inside.get() > 0) {
            LOG.warn("goproxy: {} request(s) still inside the Go proxy after {} s; closing it under them",
                    inside.get(), DRAIN_MILLIS / 1000);
        }
    }

    /**
     * A request may use the proxy: true until {@link #stop()}; then the caller must {@link #leave()}. Must stay
     * cheap and load no class: after {@code plugin uninstall} Gitblit closes this plugin's class loader but keeps
     * calling its filter until restart.
     */
    boolean enter() {
        inside.incrementAndGet();
        if (accepting) {
            return true;
        }
        inside.decrementAndGet();
        return false;
    }

    void leave() {
        inside.decrementAndGet();
    }

    /** Gitblit initialised the filter: it sits in the chain, so /go/ is live while the proxy runs. */
    void filterInitialised() {
        filterInChain = true;
        LOG.info("goproxy: /{}/ and go-get discovery are in Gitblit's filter chain", GoProxyFilter.BASE);
    }

    boolean filterInChain() {
        return filterInChain;
    }

    /** Whether the proxy runs (started and not stopped; possibly failed). */
    boolean isRunning() {
        return running != null;
    }

    /** The data folder the settings name (read now, not when the proxy started). */
    File dataFolder() {
        return PluginSettings.dataFolder(runtime);
    }

    /**
     * What is active now, for {@code ssh ... goproxy status}: a few lines, the first saying whether {@code /go/}
     * is served and, when not, what would make it so.
     */
    String statusReport() {
        Running r = running;
        String base = "/" + GoProxyFilter.BASE + "/";
        StringBuilder sb = new StringBuilder();
        if (r == null) {
            sb.append("stopped: ").append(base).append(" and go-get discovery pass on to Gitblit (plugin start goproxy)");
        } else if (r.failed()) {
            sb.append("failed to start: ").append(base).append(" answers 503; the Gitblit log has the reason (")
                    .append(r.failure).append(')');
        } else if (!filterInChain) {
            sb.append("running, but not in Gitblit's filter chain: restart Gitblit to activate ").append(base)
                    .append(", go-get discovery and the browser redirect (installed or upgraded while Gitblit ran)");
        } else {
            sb.append("serving ").append(base).append(", go-get discovery and the browser redirect");
        }
        sb.append("\nactive now: ").append(r != null && !r.failed()
                ? "the Edit Repository field, the cache purge on repository delete and rename" : "nothing");
        if (r != null && !r.failed()) {
            sb.append("\nmodule namespace: ").append(describeNamespace());
            sb.append("\ndata folder: ").append(r.dataFolder);
            com.gitblit.plugin.goproxy.service.ThirdPartyModules third = r.modules.thirdParty();
            sb.append("\ndependency proxy: ").append(third == null ? "off (" + PluginSettings.UPSTREAM + ")"
                    : "on, " + third.storedBytes() + " bytes of third-party versions kept (never evicted)");
        }
        return sb.toString();
    }

    /** What started, for tests: the service of the running proxy, or null. */
    ModuleService service() {
        Running r = running;
        return r == null ? null : r.modules;
    }

    /** The data folder the running proxy uses (null: stopped, failed, or none), for the admin pages' audit log. */
    File runningDataFolder() {
        Running r = running;
        return r == null || r.failed() ? null : r.dataFolder;
    }

    /**
     * {@code goproxy forget}: unpins one version and drops what is cached for it; returns the line to print. The act
     * is written to the audit log as {@code who}'s, like the admin page's.
     */
    String forget(String who, String modulePath, String version) {
        Running r = running;
        if (r == null || r.failed()) {
            return "goproxy: the proxy is not running; nothing was forgotten";
        }
        try {
            boolean forgotten = r.dataFolder == null ? r.modules.forgetVersion(modulePath, version)
                    : new com.gitblit.plugin.goproxy.admin.AdminActions(r.modules,
                            new com.gitblit.plugin.goproxy.admin.AuditLog(r.dataFolder.toPath()))
                            .forgetVersion(who, modulePath, version);
            return forgotten
                    ? "goproxy: " + modulePath + "@" + version + " forgotten: its next download resolves the tag anew"
                    : "goproxy: " + modulePath + "@" + version + " was not pinned; its cached files (if any) are gone";
        } catch (IOException e) {
            LOG.error("goproxy: forgetting {}@{} failed: {}", modulePath, version, e.toString());
            return "goproxy: forgetting " + modulePath + "@" + version + " failed: " + e.getMessage();
        }
    }

    /** What a push to one repository is checked against: the running service, the module root, the modes. */
    static final class PushTarget {
        final ModuleService service;
        /** Null when the module namespace is unknown (no goproxy.moduleHost, no web.canonicalUrl, no request yet). */
        final String rootModulePath;
        final PushCheckMode pushChecks;
        final PushCheckMode protectReleasedTags;

        PushTarget(ModuleService service, String rootModulePath, PushCheckMode pushChecks,
                PushCheckMode protectReleasedTags) {
            this.service = service;
            this.rootModulePath = rootModulePath;
            this.pushChecks = pushChecks;
            this.protectReleasedTags = protectReleasedTags;
        }
    }

    /**
     * The push checks for {@code model}, read now (live settings, the repository's fields as they are); null when
     * the proxy is not serving or Go is off for the repository.
     */
    PushTarget pushTarget(RepositoryModel model) {
        Running r = running;
        if (r == null || r.failed() || model == null || !new GoSwitch(settings).isEnabled(model)) {
            return null;
        }
        String root = rootModulePath(r, model);
        return new PushTarget(r.modules, root, PluginSettings.pushChecks(settings, model),
                PluginSettings.protectReleasedTags(settings));
    }

    private static String rootModulePath(Running r, RepositoryModel model) {
        String ns = r.host.namespace().withoutRequest();
        return ns == null ? null
                : ns.isEmpty() ? RepositoryNames.withoutDotGit(model.name) : ns + "/" + RepositoryNames.withoutDotGit(model.name);
    }

    /**
     * The admin view's "verify the ledger": starts the verification in the background unless one runs; returns the
     * sentence the page shows. Every repository the ledger names is read, whoever may read it and whether Go is on
     * for it now: what a pinned version is does not depend on either.
     */
    String verifyLedger(String who) throws IOException {
        final Running r = running;
        if (r == null || r.failed() || r.verification == null || r.dataFolder == null) {
            return "Nothing to verify: the proxy is not running with a data folder.";
        }
        AuditLog audit = AuditLog.of(r.dataFolder.toPath(), r.modules.state().database());
        if (r.host.namespace().withoutRequest() == null) {
            // Without it no repository has a module path, and every version would read as unreadable.
            String why = "the module namespace is not known yet (set " + PluginSettings.MODULE_HOST
                    + " or web.canonicalUrl, or let the proxy answer one request first)";
            audit.append(who, LedgerVerification.ACTION, LedgerVerification.TARGET, "refused: " + why);
            return "Not started: " + why + ".";
        }
        final VersionLedger ledger = r.modules.state().ledger();
        LedgerVerifier verifier = new LedgerVerifier(r.proxySettings, ledger, name -> {
            RepositoryModel model = repositories.getRepositoryModel(name);
            return model == null ? null : hosted(model, rootModulePath(r, model));
        });
        return r.verification.start(who, audit, verifier::verify);
    }

    /** The running proxy's ledger verification (last result, run going on), or null. */
    LedgerVerification ledgerVerification() {
        Running r = running;
        return r == null || r.failed() ? null : r.verification;
    }

    /** A repository as the service opens it after a push (for background builds that outlive the push). */
    HostedRepository hosted(RepositoryModel model, String rootModulePath) {
        return new GitblitRepository(repositories, model, rootModulePath, false);
    }

    /** The proxy between start and stop: built from the settings of that start. */
    private static final class Running {
        final GitblitModuleHost host;
        final GitblitTokens tokens;
        final ModuleService modules;
        final GoProxyServlet instanceProxy;
        final GoImportPage goImportPage;
        final File dataFolder;
        final RuntimeException failure;
        final PrometheusMetrics metrics;
        final ProxyHealth health;
        /** goproxy.accessLog, or null. */
        volatile com.gitblit.plugin.goproxy.proxy.AccessLog accessLog;
        /** Set by {@link #open} on success; the verifier re-derives with the settings the service serves with. */
        ProxySettings proxySettings;
        final LedgerVerification verification;

        private Running(GitblitModuleHost host, GitblitTokens tokens, ModuleService modules, File dataFolder,
                RuntimeException failure) {
            this(host, tokens, modules, dataFolder, failure, null, false);
        }

        private Running(GitblitModuleHost host, GitblitTokens tokens, ModuleService modules, File dataFolder,
                RuntimeException failure, PrometheusMetrics metrics, boolean upstream) {
            this.metrics = metrics;
            this.health = metrics == null ? null : new ProxyHealth(() -> null,
                    dataFolder == null ? null : DataFolderFormat.ledger(dataFolder.toPath()),
                    dataFolder == null ? null : DataFolderFormat.artifacts(dataFolder.toPath()),
                    upstream ? metrics::upstreamReached : null,
                    modules == null || modules.state().database() == null ? null
                            : modules.state()::sharedDatabaseReachable);
            this.host = host;
            this.tokens = tokens;
            this.modules = modules;
            this.dataFolder = dataFolder;
            this.failure = failure;
            this.instanceProxy = failure == null ? new GoProxyServlet(host, modules).metrics(metrics) : null;
            this.verification = failure == null ? new LedgerVerification() : null;
            this.goImportPage = failure == null ? new GoImportPage(host) : null;
        }

        static Running open(IRuntimeManager runtime, IRepositoryManager repositories,
                IAuthenticationManager authentication, IUserManager users, IStoredSettings settings) {
            try {
                CustomFieldRegistration.register(settings);
                ModuleNamespace namespace = new ModuleNamespace(settings);
                ProxySettings proxySettings = PluginSettings.proxySettings(runtime);
                PrometheusMetrics metrics = new PrometheusMetrics();
                ModuleService modules = ModuleServices.create(proxySettings, namespace.withoutRequest(), metrics);
                GitblitTokens tokens = users == null || !PluginSettings.accessTokens(settings) ? null
                        : openTokens(proxySettings.dataDirectory(), users);
                GitblitModuleHost host = new GitblitModuleHost(repositories, authentication, settings,
                        namespace, tokens);
                Running running = new Running(host, tokens, modules, proxySettings.dataDirectory(), null, metrics,
                        proxySettings.upstream() != null);
                File accessLog = PluginSettings.accessLog(runtime);
                if (accessLog != null) {
                    try {
                        running.accessLog = com.gitblit.plugin.goproxy.proxy.AccessLog.open(accessLog.toPath());
                    } catch (IOException e) {
                        LOG.error("goproxy: no access log: {} cannot be written ({})", accessLog, e.toString());
                    }
                }
                running.proxySettings = proxySettings;
                return running;
            } catch (IOException e) {
                // One line: the data folder is the operator's to fix, a stack trace would only hide the reason.
                LOG.error("goproxy: the Go module proxy could not start: {}; /{}/ answers 503 until it is started"
                        + " again (plugin start, or a Gitblit restart)", e.getMessage(), GoProxyFilter.BASE);
                return new Running(null, null, null, null, new IllegalStateException(e.getMessage(), e));
            } catch (RuntimeException e) {
                LOG.error("goproxy: the Go module proxy could not start; /{}/ answers 503 until it is started again"
                        + " (plugin start, or a Gitblit restart)", GoProxyFilter.BASE, e);
                return new Running(null, null, null, null, e);
            }
        }

        /** A damaged token file switches tokens off (logged), not the whole proxy. */
        private static GitblitTokens openTokens(File dataFolder, IUserManager users) {
            try {
                return new GitblitTokens(TokenStore.open(dataFolder.toPath()), users);
            } catch (IOException e) {
                LOG.error("goproxy: Go access tokens are off until the next start: {}", e.getMessage());
                return null;
            }
        }

        boolean failed() {
            return failure != null;
        }

        void close() {
            if (tokens != null) {
                try {
                    tokens.store().flush();
                } catch (IOException e) {
                    LOG.error("goproxy: could not write the last-used times of Go access tokens: {}", e.toString());
                }
            }
            if (accessLog != null) {
                try {
                    accessLog.close();
                } catch (IOException e) {
                    LOG.warn("goproxy: closing the access log: {}", e.toString());
                }
            }
            if (verification != null) {
                verification.close();
            }
            if (modules == null) {
                return;
            }
            try {
                modules.close();
            } catch (RuntimeException e) {
                LOG.error("goproxy: closing the Go module service failed: {}", e.toString());
            }
        }
    }

    private String describeNamespace() {
        String configured = settings.getString(PluginSettings.MODULE_HOST, "").trim();
        if (!configured.isEmpty()) {
            return configured + " (" + PluginSettings.MODULE_HOST + ")";
        }
        String canonical = ModuleNamespace.fromUrl(settings.getString(Keys.web.canonicalUrl, "").trim());
        return canonical != null ? canonical + " (" + Keys.web.canonicalUrl + ")" : "taken from each request's host name";
    }

    /** True when starting failed: every proxy answer is then a 503. */
    boolean failed() {
        Running r = running;
        return r != null && r.failed();
    }

    IStoredSettings settings() {
        return settings;
    }

    private Running current() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("the Go module proxy is stopped");
        }
        return r;
    }

    /** The Go access tokens of the running proxy, or null (stopped, failed, or tokens switched off). */
    GitblitTokens tokens() {
        Running r = running;
        return r == null ? null : r.tokens;
    }

    /** What the Go pages read, or {@code null} while the proxy is stopped or failed to start. */
    GoPageData pageData() {
        Running r = running;
        return r == null || r.failed() ? null : new GoPageData(r.host, r.modules, settings, repositories);
    }

    /** The access log (goproxy.accessLog) of the running proxy, or null. */
    com.gitblit.plugin.goproxy.proxy.AccessLog accessLog() {
        Running r = running;
        return r == null ? null : r.accessLog;
    }

    /** The proxy base at {@code /go/}: every enabled repository the caller may clone. */
    GoProxyServlet instanceProxy() {
        return current().instanceProxy;
    }

    /** A proxy base that sees one project's repositories only, over the shared service. */
    GoProxyServlet projectProxy(String project) {
        Running r = current();
        return GoProxyServlet.forgeOnly(r.host.forProject(project), r.modules).metrics(r.metrics);
    }

    /** {@code /go/-/health}: down while starting failed or stopping, else the service's own check. */
    ProxyHealth.Report health() {
        Running r = running;
        if (r == null || !accepting) {
            return new ProxyHealth.Report(ProxyHealth.Report.Status.DOWN, "the Go module proxy is stopped");
        }
        if (r.failed()) {
            return new ProxyHealth.Report(ProxyHealth.Report.Status.DOWN,
                    "the Go module proxy failed to start (see the Gitblit log)");
        }
        return r.health.check();
    }

    /**
     * The metrics when this request may read them (a Gitblit administrator, or the bearer token of
     * {@link PluginSettings#METRICS_TOKEN}); null otherwise, and the caller answers as for any unknown path.
     */
    PrometheusMetrics metricsFor(HttpServletRequest request) {
        Running r = running;
        if (r == null || r.failed()) {
            return null;
        }
        if (OperatorRoutes.bearerMatches(request, PluginSettings.metricsToken(settings))) {
            return r.metrics;
        }
        Caller caller;
        try {
            caller = r.host.authenticate(request);
        } catch (AuthenticationThrottled e) {
            return null;
        }
        Object user = caller.principal();
        return user instanceof UserModel && ((UserModel) user).canAdmin() ? r.metrics : null;
    }

    GoImportPage goImportPage() {
        return current().goImportPage;
    }

    /** The module path a request path below the context names: {@code <namespace>/<path>}. */
    String modulePathOf(HttpServletRequest request, String decodedPath) {
        String ns = current().host.moduleNamespace(request);
        if (decodedPath.isEmpty()) {
            return ns;
        }
        return ns.isEmpty() ? decodedPath : ns + "/" + decodedPath;
    }

    /** The enabled repository the caller may view whose root module path prefixes {@code modulePath}; or null. */
    RepositoryModel viewableRepository(HttpServletRequest request, String modulePath) {
        GitblitModuleHost host = current().host;
        Caller caller = host.authenticate(request);
        return host.findViewable(caller, modulePath, request);
    }

    /** A repository was created or forked: module paths may now resolve to it. */
    void repositoryAdded(String name) {
        Running r = running;
        if (r != null && r.host != null) {
            r.host.repositoriesChanged();
        }
    }

    /**
     * A repository was deleted or renamed: whatever the proxy cached under the old name must go. While the proxy
     * is stopped nothing is purged (the service is closed); Gitblit calls this listener only for a started plugin.
     */
    void repositoryGone(String name, String why) {
        Running r = running;
        if (r == null || r.modules == null) {
            return;
        }
        r.host.repositoriesChanged();
        LOG.info("goproxy: repository {} {}: purging what the Go proxy cached for it", name, why);
        try {
            r.modules.forgetRepository(name);
        } catch (IOException e) {
            LOG.error("goproxy: could not purge the Go proxy's cache of {}: {}", name, e.toString());
        }
    }
}
