package com.gitblit.plugin.goproxy.service;

import org.eclipse.jgit.lib.Repository;

import com.gitblit.plugin.goproxy.source.ModuleSource;
import com.gitblit.plugin.goproxy.source.RepositoryIndexCache;
import com.gitblit.plugin.goproxy.source.SourceSettings;

/**
 * Makes the per-request {@link ModuleSource} for a hosted repository, all of them sharing one index cache so
 * that tag listings are computed once per repository ref state, not once per request.
 */
final class ModuleSources {
    /** Enough for a large forge's active repositories; an index is a few hundred bytes per tag. */
    private static final int INDEXED_REPOSITORIES = 4096;

    private final SourceSettings settings;
    private final RepositoryIndexCache indexes = new RepositoryIndexCache(INDEXED_REPOSITORIES);

    ModuleSources(ProxySettings proxySettings) {
        this.settings = proxySettings.sourceSettings();
    }

    ModuleSource of(Repository git, HostedRepository repository) {
        return new ModuleSource(git, repository.name(), repository.rootModulePath(), settings, indexes);
    }

    void forget(String repositoryName) {
        indexes.forget(repositoryName);
    }
}
