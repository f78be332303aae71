package com.gitblit.plugin.goproxy.proxy;

import java.util.List;

/** Builds the {@link ModuleService} a host gets for its settings. */
final class ModuleServices {
    private ModuleServices() {
    }

    /** OUTLINE: the git-backed service with ledger and cache replaces this once the source package lands. */
    static ModuleService create(ProxySettings settings) {
        return new ModuleService() {
            @Override
            public List<String> list(HostedRepository repository, String modulePath) throws ProxyError {
                throw notYet();
            }

            @Override
            public RevisionInfo info(HostedRepository repository, String modulePath, String query) throws ProxyError {
                throw notYet();
            }

            @Override
            public RevisionInfo latest(HostedRepository repository, String modulePath) throws ProxyError {
                throw notYet();
            }

            @Override
            public Artifact mod(HostedRepository repository, String modulePath, String version) throws ProxyError {
                throw notYet();
            }

            @Override
            public Artifact zip(HostedRepository repository, String modulePath, String version) throws ProxyError {
                throw notYet();
            }

            @Override
            public void forgetRepository(String repositoryName) {
            }

            private ProxyError notYet() {
                return ProxyError.notFound("not found: the module service is not implemented yet");
            }
        };
    }
}
