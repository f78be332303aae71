package com.gitblit.plugin.goproxy.proxy;

import javax.servlet.http.HttpServletRequest;

/**
 * Everything the proxy knows about the forge it runs in. Implementations hold no Go logic: Gitblit's
 * adapter answers with Gitblit's managers, the standalone host with a folder of bare repositories.
 */
public interface ModuleHost {

    /**
     * The module path prefix this host owns (Gitblit: the host and path of its canonical URL, e.g.
     * {@code git.example.com}); {@code ""} when every module path belongs to it. Inside the namespace a
     * miss answers like a private repository; outside it, every caller gets a plain 404.
     */
    String moduleNamespace(HttpServletRequest request);

    /** The caller, from the request's credentials; wrong or missing credentials give {@link Caller#ANONYMOUS}. */
    Caller authenticate(HttpServletRequest request);

    /**
     * The repository holding {@code modulePath}: the one with the longest root module path that is a path
     * prefix of it, among repositories the caller may read and that are enabled for Go. {@code null} when
     * there is none: repositories the caller may not read do not exist for the caller.
     */
    HostedRepository find(Caller caller, String modulePath, HttpServletRequest request);

    /**
     * True when some repository may be hidden from anonymous callers, so that an anonymous miss inside the
     * namespace must answer 401 (with {@link #realm()}) rather than 404. A host with no access control
     * answers 404 everywhere.
     */
    boolean hidesRepositories();

    /** The realm in {@code WWW-Authenticate: Basic realm="..."}. */
    String realm();
}
