package com.gitblit.plugin.goproxy.service;

/** A host's one question about a repository: may this caller use it for Go, and if so, here it is. */
public interface RepositoryAdmission {

    /**
     * The repository named {@code repositoryName}, whose root module path is {@code rootModulePath}, when the
     * caller may read it and Go is on for it; {@code null} otherwise (also when it is gone since it was listed).
     */
    HostedRepository admit(Caller caller, String repositoryName, String rootModulePath);
}
