package com.gitblit.plugin.goproxy.service;

import java.io.File;
import java.io.IOException;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** A hosted repository over a git directory (a work tree's .git or a bare one), as the service sees one. */
public final class GitDirRepository implements HostedRepository {
    private final String name;
    private final String root;
    private final File gitDir;
    private final boolean anonymous;

    public GitDirRepository(String name, String root, File gitDir) {
        this(name, root, gitDir, true);
    }

    public GitDirRepository(String name, String root, File gitDir, boolean anonymous) {
        this.name = name;
        this.root = root;
        this.gitDir = gitDir;
        this.anonymous = anonymous;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String rootModulePath() {
        return root;
    }

    @Override
    public boolean anonymousReadable() {
        return anonymous;
    }

    @Override
    public Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    }
}
