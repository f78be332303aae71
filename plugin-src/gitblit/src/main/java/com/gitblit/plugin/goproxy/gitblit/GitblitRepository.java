package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import java.io.IOException;
import org.eclipse.jgit.lib.Repository;

/** A Gitblit repository the caller was admitted to, opened through Gitblit's repository manager. */
final class GitblitRepository implements HostedRepository {
    private final IRepositoryManager repositories;
    private final RepositoryModel model;
    private final String rootModulePath;
    private final boolean anonymousReadable;

    GitblitRepository(IRepositoryManager repositories, RepositoryModel model, String rootModulePath,
            boolean anonymousReadable) {
        this.repositories = repositories;
        this.model = model;
        this.rootModulePath = rootModulePath;
        this.anonymousReadable = anonymousReadable;
    }

    @Override
    public String name() {
        return model.name;
    }

    @Override
    public String rootModulePath() {
        return rootModulePath;
    }

    @Override
    public boolean anonymousReadable() {
        return anonymousReadable;
    }

    @Override
    public Repository open() throws IOException {
        Repository repository = repositories.getRepository(model.name, false);
        if (repository == null) {
            // Gitblit hands out no repository while it collects garbage in it.
            throw new IOException("repository " + model.name + " is not available right now");
        }
        return repository;
    }

    RepositoryModel model() {
        return model;
    }
}
