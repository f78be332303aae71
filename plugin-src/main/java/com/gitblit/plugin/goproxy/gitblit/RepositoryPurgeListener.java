package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.RepositoryLifeCycleListener;
import com.gitblit.models.RepositoryModel;
import javax.inject.Inject;
import ro.fortsoft.pf4j.Extension;

/**
 * Tells the proxy when a repository's name stops naming it, so that nothing cached under the old name is ever
 * served again: a deleted repository, or the old name of a renamed one (its module path changed with it).
 * Gitblit calls listeners after the fact and logs what they throw; creation and forks need nothing.
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
        // Nothing cached yet.
    }

    @Override
    public void onFork(RepositoryModel origin, RepositoryModel fork) {
        // The fork is a new repository; the origin is unchanged.
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
