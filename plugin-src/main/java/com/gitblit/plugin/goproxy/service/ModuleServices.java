package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.util.List;

import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
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
        if (settings.upstream() != null && settings.dataDirectory() == null) {
            throw new IOException("the dependency proxy (upstream) needs a data folder to keep what it fetched");
        }
        ServiceStorage storage = ServiceStorage.open(settings);
        GitModuleService git = new GitModuleService(new ModuleSources(settings), storage);
        if (settings.upstream() == null) {
            return git;
        }
        java.nio.file.Path data = settings.dataDirectory().toPath().resolve("upstream");
        // Kept third-party versions are promises like the ledger's, so no size limit evicts them.
        FileArtifactStore kept = new FileArtifactStore(data.resolve("artifacts"), Long.MAX_VALUE);
        UpstreamModules upstream = new UpstreamModules(settings.upstream(), storage.ledger, kept, data.resolve("spool"));
        org.slf4j.LoggerFactory.getLogger(ModuleServices.class).info(
                "goproxy: dependency proxy on, upstream {}, {} bytes kept", settings.upstream().proxies(), kept.size());
        return new WithThirdParty(git, new ThirdPartyModules(upstream));
    }

    /** The forge's service, plus the dependency proxy. */
    private static final class WithThirdParty implements ModuleService {
        private final ModuleService forge;
        private final ThirdPartyModules thirdParty;

        WithThirdParty(ModuleService forge, ThirdPartyModules thirdParty) {
            this.forge = forge;
            this.thirdParty = thirdParty;
        }

        @Override
        public ThirdPartyModules thirdParty() {
            return thirdParty;
        }

        @Override
        public List<String> list(HostedRepository repository, String modulePath) throws ServiceFailure, IOException {
            return forge.list(repository, modulePath);
        }

        @Override
        public RevisionInfo info(HostedRepository repository, String modulePath, String query)
                throws ServiceFailure, IOException {
            return forge.info(repository, modulePath, query);
        }

        @Override
        public RevisionInfo latest(HostedRepository repository, String modulePath) throws ServiceFailure, IOException {
            return forge.latest(repository, modulePath);
        }

        @Override
        public Artifact mod(HostedRepository repository, String modulePath, String version)
                throws ServiceFailure, IOException {
            return forge.mod(repository, modulePath, version);
        }

        @Override
        public Artifact zip(HostedRepository repository, String modulePath, String version)
                throws ServiceFailure, IOException {
            return forge.zip(repository, modulePath, version);
        }

        @Override
        public void forgetRepository(String repositoryName) throws IOException {
            forge.forgetRepository(repositoryName);
        }

        @Override
        public boolean forgetVersion(String modulePath, String version) throws IOException {
            return forge.forgetVersion(modulePath, version);
        }

        @Override
        public void close() {
            forge.close();
        }
    }
}
