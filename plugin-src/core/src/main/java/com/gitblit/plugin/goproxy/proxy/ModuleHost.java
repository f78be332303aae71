package com.gitblit.plugin.goproxy.proxy;

import javax.servlet.http.HttpServletRequest;

import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.RepositoryAdmission;
import com.gitblit.plugin.goproxy.service.RepositoryResolver;

/**
 * Everything the proxy knows about the forge it runs in. Implementations hold no Go logic and no path
 * resolution: they say who is calling, which repositories exist ({@link #repositories()}, shared by all bases of
 * a host), and whether one caller may use one repository ({@link #admission()}).
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

    /** The host's repositories, as the one resolver of module paths sees them. */
    RepositoryResolver repositories();

    /** This host's rule: may a caller use a repository (readable, Go on, in this base's project). */
    RepositoryAdmission admission();

    /**
     * The repository holding {@code modulePath} for this caller (see {@link RepositoryResolver}), or
     * {@code null}: repositories the caller may not read do not exist for the caller.
     */
    default HostedRepository find(Caller caller, String modulePath, HttpServletRequest request) {
        return repositories().resolve(caller, moduleNamespace(request), modulePath, admission());
    }

    /**
     * True when some repository may be hidden from anonymous callers, so that an anonymous miss inside the
     * namespace must answer 401 (with {@link #realm()}) rather than 404. A host with no access control
     * answers 404 everywhere.
     */
    boolean hidesRepositories();

    /** The realm in {@code WWW-Authenticate: Basic realm="..."}. */
    String realm();
}
