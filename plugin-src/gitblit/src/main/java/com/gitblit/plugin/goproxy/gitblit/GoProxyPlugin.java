package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.GitblitWicketPlugin;
import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.wicket.GitblitWicketApp;
import java.io.File;
import java.io.IOException;
import javax.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ro.fortsoft.pf4j.PluginWrapper;
import ro.fortsoft.pf4j.Version;

/**
 * The pf4j entry point named by {@code plugin.class} in plugin.properties: it starts and stops the proxy
 * ({@link GoProxyRuntime}) and prepares the data folder when Gitblit installs or upgrades the plugin.
 *
 * <p>What Gitblit does when (1.9.3 and 1.10.0, {@code PluginManager} over pf4j 0.9.0):
 * <ul>
 *   <li>server start: {@link #start()} for every plugin in {@code plugins/}, then the web application starts and
 *       collects the plugin filters once; {@link GoProxyFilter#init} says the proxy is in the chain;</li>
 *   <li>{@code plugin install} over SSH (URL or registry): {@link #onInstall()}, then {@link #start()}. The filter
 *       chain was built before, so {@code /go/}, go-get discovery and the browser redirect begin only at the next
 *       Gitblit restart; the repository listener (purge on delete and rename) and the Edit Repository field work
 *       at once. The start log line says so;</li>
 *   <li>{@code plugin stop} / {@code start}: {@link #stop()} / {@link #start()}; the filter stays in the chain and
 *       passes everything on while stopped;</li>
 *   <li>{@code plugin upgrade}: {@link #stop()} on the old version, its folder and zip deleted, its class loader
 *       closed; then the new version's {@link #onUpgrade} and {@link #start()}. The old filter stays in the chain,
 *       stopped, until restart; the restart brings the new version's filter;</li>
 *   <li>{@code plugin uninstall}: {@link #onUninstall()}, {@link #stop()}, folder and zip deleted. The data folder
 *       stays; the log says where.</li>
 * </ul>
 * Gitblit creates this object with pf4j and then injects its fields with Guice, which is how it gets the
 * same {@link GoProxyRuntime} as the extensions. As a {@link GitblitWicketPlugin} it also mounts the Go pages
 * ({@link GoPages}) when Gitblit's web application starts (it does so for plugins started by then).
 */
public class GoProxyPlugin extends GitblitWicketPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(GoProxyPlugin.class);

    @Inject
    GoProxyRuntime runtime;

    /**
     * Set by onInstall/onUpgrade ("installed", "upgraded from 0.1.0"): Gitblit is running, so its filter chain was
     * built without this plugin.
     */
    private volatile String addedWhileRunning;

    public GoProxyPlugin(PluginWrapper wrapper) {
        super(wrapper);
    }

    @Override
    public void start() {
        if (runtime == null) {
            LOG.error("goproxy: Gitblit did not inject the plugin's runtime; the Go module proxy stays off");
            return;
        }
        // The service prepares (creates or migrates) the data folder as it opens it, and refuses one it cannot
        // use (a newer format, say): /go/ then answers 503.
        runtime.start();
        if (runtime.filterInChain()) {
            LOG.info("goproxy {}: started; /{}/, go-get discovery and the browser redirect are active", version(),
                    GoProxyFilter.BASE);
        } else if (addedWhileRunning != null) {
            LOG.warn("goproxy {}: {} while Gitblit runs. Active now: the Edit Repository field and the cache purge"
                    + " on repository delete and rename. Not active until Gitblit restarts: /{}/, go-get discovery"
                    + " and the browser redirect (Gitblit builds its filter chain once, when it starts); until then"
                    + " Gitblit answers /{}/ as any unknown page.", version(), addedWhileRunning, GoProxyFilter.BASE,
                    GoProxyFilter.BASE);
        }
    }

    /** Gitblit's web application starts: the plugin's pages are mounted. */
    @Override
    protected void init(GitblitWicketApp app) {
        GoPages.mount(app);
        app.mount(GoTokensPage.MOUNT, GoTokensPage.class);
        GoAdminPages.mount(app);
    }

    @Override
    public void stop() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    @Override
    public void onInstall() {
        addedWhileRunning = "installed";
        LOG.info("goproxy {}: installing", version());
        prepareDataFolder("install");
    }

    @Override
    public void onUpgrade(Version oldVersion) {
        addedWhileRunning = "upgraded from " + oldVersion;
        LOG.info("goproxy: upgrading {} to {}", oldVersion, version());
        prepareDataFolder("upgrade from " + oldVersion);
    }

    @Override
    public void onUninstall() {
        File data = runtime == null ? null : runtime.dataFolder();
        LOG.warn("goproxy {}: uninstalled. Its data folder stays at {} (the ledger of every version served, which"
                + " a reinstall needs to keep serving the same bytes, and the module cache); delete it by hand if"
                + " the proxy is gone for good. /{}/ stays unanswered by the plugin; a Gitblit restart removes its"
                + " filter from the chain.", version(), data, GoProxyFilter.BASE);
    }

    /** At install and upgrade, so that the log says what happened to the data folder then; start does it too. */
    private void prepareDataFolder(String why) {
        if (runtime == null) {
            return;
        }
        File data = null;
        try {
            data = runtime.dataFolder();
            LOG.info("goproxy: {}: {}", why, DataFolderFormat.prepare(data.toPath()));
        } catch (IOException | RuntimeException e) {
            // Not thrown: Gitblit would report a failed install and leave the plugin half in place. The start
            // that follows tries again and, failing, leaves /go/ answering 503.
            LOG.error("goproxy: {}: the data folder {} cannot be prepared: {}", why, data, e.toString());
        }
    }

    private String version() {
        return String.valueOf(getWrapper().getDescriptor().getVersion());
    }
}
