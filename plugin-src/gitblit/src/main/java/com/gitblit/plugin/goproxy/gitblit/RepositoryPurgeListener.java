package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.RepositoryLifeCycleListener;
import com.gitblit.models.RepositoryModel;
import javax.inject.Inject;
import ro.fortsoft.pf4j.Extension;

/**
 * Tells the proxy when a repository's name stops naming it, so that nothing cached under the old name is ever
 * served again: a deleted repository, or the old name of a renamed one (its module path changed with it).
 * Gitblit calls listeners after the fact and logs what they throw. Every change also refreshes the
 * resolver's view of the repository names.
 */
@Extension
public class RepositoryPurgeListener extends RepositoryLifeCycleListener {
    private final GoProxyRuntime runtime;

    @Inject
    public RepositoryPurgeListener(GoProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onCreation(RepositoryModel repository) {
        runtime.repositoryAdded(repository.name);
    }

    @Override
    public void onFork(RepositoryModel origin, RepositoryModel fork) {
        runtime.repositoryAdded(fork.name);
    }

    @Override
    public void onRename(String oldName, RepositoryModel repository) {
        runtime.repositoryGone(oldName, "renamed to " + repository.name);
    }

    @Override
    public void onDeletion(RepositoryModel repository) {
        runtime.repositoryGone(repository.name, "deleted");
    }
}
