package com.gitblit.plugin.goproxy.service;

import java.io.IOException;

import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
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
        return create(settings, null, ProxyMetrics.NONE);
    }

    /**
     * The same with the forge's own checksum database named {@code checksumDatabase} (the host's fixed module
     * namespace, e.g. {@code git.example.com}; null for none, as when the namespace follows each request's
     * host name and there is no one name for clients to trust), reporting its work to {@code metrics}.
     */
    public static ModuleService create(ProxySettings settings, String checksumDatabase, ProxyMetrics metrics)
            throws IOException {
        if (settings.upstream() != null && settings.dataDirectory() == null) {
            throw new IOException("the dependency proxy (upstream) needs a data folder to keep what it fetched");
        }
        ServiceStorage storage = ServiceStorage.open(settings, metrics);
        metrics.sources(storage);
        GitModuleService git = new GitModuleService(new ModuleSources(settings), storage, settings.prebuildQueueLength());
        if (storage.database() != null) {
            // Nodes sharing a ledger share one checksum log and key too: one tree, whichever node a client asks.
            attachSharedChecksumDatabase(git, storage.database(), checksumDatabase, metrics);
        } else {
            attachChecksumDatabase(git, settings, checksumDatabase, metrics);
        }
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
        // Third-party versions proven by their upstream database go into the forge's own too, so that one
        // GOSUMDB verifies everything a client fetches through this proxy.
        upstream.onVerifiedPin(git::logInChecksumDatabase);
        git.attachThirdParty(new ThirdPartyModules(upstream));
        return git;
    }

    private static void attachChecksumDatabase(GitModuleService git, ProxySettings settings, String name,
            ProxyMetrics metrics) throws IOException {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModuleServices.class);
        if (settings.dataDirectory() == null) {
            log.info("goproxy: no checksum database: it needs a data folder");
            return;
        }
        if (name == null || name.isEmpty()) {
            log.warn("goproxy: no checksum database: the module namespace is not fixed (it follows each request's"
                    + " host name), so there is no name for clients to trust; set the module host to have one");
            return;
        }
        try {
            git.attachChecksumDatabase(ForgeChecksumDatabase.open(settings.dataDirectory(),
                    name, git, metrics));
        } catch (SumdbException e) {
            // Fail closed for the database alone: modules are still served, but nothing is signed over a log that
            // contradicts itself, and clients that verify against it stop (their download fails "verifying").
            log.error("goproxy: the checksum database is off: {}", e.getMessage());
        }
    }

    /**
     * For the wiring of nodes that share a PostgreSQL database: their checksum database keeps its log and key there
     * (one tree, one key for every node) instead of in the data folder. A key made for another name turns the
     * checksum database off, as the file one does; a database that is down now is not an error (see
     * {@link ForgeChecksumDatabase#open(PostgresDatabase, String, ModuleService, ProxyMetrics)}).
     */
    static void attachSharedChecksumDatabase(GitModuleService git, PostgresDatabase database, String name,
            ProxyMetrics metrics) throws IOException {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModuleServices.class);
        if (name == null || name.isEmpty()) {
            log.warn("goproxy: no checksum database: the module namespace is not fixed (it follows each request's"
                    + " host name), so there is no name for clients to trust; set the module host to have one");
            return;
        }
        try {
            git.attachChecksumDatabase(ForgeChecksumDatabase.open(database, name, git, metrics));
        } catch (SumdbException e) {
            log.error("goproxy: the checksum database is off: {}", e.getMessage());
        }
    }
}
