package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.service.HostedRepository;
import org.eclipse.jgit.lib.Repository;

/**
 * The repository a push is being received into, as the module service sees it during the push: the receive
 * pack's own handle, which already holds the pushed objects. The service's close of each use only releases the
 * use; the handle stays Gitblit's.
 */
final class PushedRepository implements HostedRepository {
    private final String name;
    private final String rootModulePath;
    private final Repository repository;

    PushedRepository(String name, String rootModulePath, Repository repository) {
        this.name = name;
        this.rootModulePath = rootModulePath;
        this.repository = repository;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String rootModulePath() {
        return rootModulePath;
    }

    @Override
    public boolean anonymousReadable() {
        return false;
    }

    @Override
    public Repository open() {
        repository.incrementOpen();
        return repository;
    }
}
