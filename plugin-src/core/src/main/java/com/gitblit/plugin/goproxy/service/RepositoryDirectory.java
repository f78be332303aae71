package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.util.Collection;

/** What a host lists for the {@link RepositoryResolver}: the names of all its repositories. */
public interface RepositoryDirectory {

    /**
     * Every repository's name below the host's root ({@code team/lib.git} bare, {@code team/lib} non-bare),
     * whether or not Go is on for it or anyone may read it. Called every few seconds at most, and after
     * {@link RepositoryResolver#invalidate()}.
     */
    Collection<String> repositoryNames() throws IOException;
}
