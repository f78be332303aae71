package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;

import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.manager.IRuntimeManager;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.proxy.GoImportPage;
import com.gitblit.plugin.goproxy.proxy.GoProxyServlet;
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
 * extension through its Guice injector; this class is a Guice singleton, so the filter and the repository
 * listener share it.
 *
 * <p>A failure while setting up (an unusable data folder, say) must never take Gitblit down with it: pf4j would
 * drop the filter and Gitblit's web application would fail to start, answering 503 everywhere. It is logged
 * once, and the proxy paths then answer 503 while the rest of Gitblit works.
 */
@Singleton
public class GoProxyRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(GoProxyRuntime.class);

    private final IStoredSettings settings;
    private final GitblitModuleHost host;
    private final ModuleService modules;
    private final GoProxyServlet instanceProxy;
    private final GoImportPage goImportPage;
    private final RuntimeException failure;

    @Inject
    public GoProxyRuntime(IRuntimeManager runtime, IRepositoryManager repositories,
            IAuthenticationManager authentication) {
        this.settings = runtime.getSettings();
        GitblitModuleHost h = null;
        ModuleService m = null;
        RuntimeException failed = null;
        try {
            CustomFieldRegistration.register(settings);
            h = new GitblitModuleHost(repositories, authentication, settings, new ModuleNamespace(settings));
            ProxySettings proxySettings = PluginSettings.proxySettings(runtime);
            m = ModuleServices.create(proxySettings);
            LOG.info("goproxy: Go module proxy at /{}/ (module namespace {}; data folder {}; Go on by default: {})",
                    GoProxyFilter.BASE, describeNamespace(), proxySettings.dataDirectory(),
                    settings.getBoolean(PluginSettings.ENABLED_BY_DEFAULT, false));
        } catch (IOException e) {
            // One line: the data folder is the operator's to fix, a stack trace would only hide the reason.
            LOG.error("goproxy: the Go module proxy could not start: {}; /{}/ answers 503 until Gitblit restarts",
                    e.getMessage(), GoProxyFilter.BASE);
            failed = new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.error("goproxy: the Go module proxy could not start; /{}/ answers 503 until Gitblit restarts",
                    GoProxyFilter.BASE, e);
            failed = e;
        }
        this.host = h;
        this.modules = m;
        this.failure = failed;
        this.instanceProxy = failed == null ? new GoProxyServlet(h, m) : null;
        this.goImportPage = failed == null ? new GoImportPage(h) : null;
    }

    private String describeNamespace() {
        String configured = settings.getString(PluginSettings.MODULE_HOST, "").trim();
        if (!configured.isEmpty()) {
            return configured + " (" + PluginSettings.MODULE_HOST + ")";
        }
        String canonical = ModuleNamespace.fromUrl(settings.getString(Keys.web.canonicalUrl, "").trim());
        return canonical != null ? canonical + " (" + Keys.web.canonicalUrl + ")" : "taken from each request's host name";
    }

    /** True when setting up failed: every proxy answer is then a 503. */
    boolean failed() {
        return failure != null;
    }

    IStoredSettings settings() {
        return settings;
    }

    /** The proxy base at {@code /go/}: every enabled repository the caller may clone. */
    GoProxyServlet instanceProxy() {
        return instanceProxy;
    }

    /** A proxy base that sees one project's repositories only, over the shared service. */
    GoProxyServlet projectProxy(String project) {
        return new GoProxyServlet(host.forProject(project), modules);
    }

    GoImportPage goImportPage() {
        return goImportPage;
    }

    /** The module path a request path below the context names: {@code <namespace>/<path>}. */
    String modulePathOf(HttpServletRequest request, String decodedPath) {
        String ns = host.moduleNamespace(request);
        if (decodedPath.isEmpty()) {
            return ns;
        }
        return ns.isEmpty() ? decodedPath : ns + "/" + decodedPath;
    }

    /** The enabled repository the caller may view whose root module path prefixes {@code modulePath}; or null. */
    RepositoryModel viewableRepository(HttpServletRequest request, String modulePath) {
        Caller caller = host.authenticate(request);
        return host.findViewable(caller, modulePath, request);
    }

    /** A repository was created or forked: module paths may now resolve to it. */
    void repositoryAdded(String name) {
        if (host != null) {
            host.repositoriesChanged();
        }
    }

    /** A repository was deleted or renamed: whatever the proxy cached under the old name must go. */
    void repositoryGone(String name, String why) {
        LOG.info("goproxy: repository {} {}: purging what the Go proxy cached for it", name, why);
        if (host != null) {
            host.repositoriesChanged();
        }
        if (modules == null) {
            return;
        }
        try {
            modules.forgetRepository(name);
        } catch (IOException e) {
            LOG.error("goproxy: could not purge the Go proxy's cache of {}: {}", name, e.toString());
        }
    }
}
