package com.gitblit.plugin.goproxy.service;

import java.io.IOException;

import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;
import com.gitblit.plugin.goproxy.upstream.UpstreamModules;

/**
 * Builds the {@link ModuleService} for a host's settings. Hosts that mount several proxy bases (Gitblit: the
 * instance base and one per project) build it once and share it: two services over one data folder would each
 * believe they own it.
 */
public final class ModuleServices {
    private ModuleServices() {
    }

    /**
     * @throws IOException when the data folder cannot be used (not writable, written by a newer version,
     *         damaged); its message is one line for the operator
     */
    public static ModuleService create(ProxySettings settings) throws IOException {
        return create(settings, ProxyMetrics.NONE);
    }

    /** The same, reporting its work to {@code metrics}. */
    public static ModuleService create(ProxySettings settings, ProxyMetrics metrics) throws IOException {
        if (settings.upstream() != null && settings.dataDirectory() == null) {
            throw new IOException("the dependency proxy (upstream) needs a data folder to keep what it fetched");
        }
        ServiceStorage storage = ServiceStorage.open(settings, metrics);
        metrics.sources(storage);
        GitModuleService git = new GitModuleService(new ModuleSources(settings), storage, settings.prebuildQueueLength());
        if (settings.upstream() == null) {
            return git;
        }
        java.nio.file.Path data = settings.dataDirectory().toPath().resolve("upstream");
        // Kept third-party versions are promises like the ledger's, so no size limit evicts them.
        FileArtifactStore kept = new FileArtifactStore(data.resolve("artifacts"), Long.MAX_VALUE);
        UpstreamModules upstream = new UpstreamModules(settings.upstream(), storage.ledger, kept, data.resolve("spool"),
                metrics);
        org.slf4j.LoggerFactory.getLogger(ModuleServices.class).info(
                "goproxy: dependency proxy on, upstream {}, {} bytes kept", settings.upstream().proxies(), kept.size());
        git.attachThirdParty(new ThirdPartyModules(upstream));
        return git;
    }
}
