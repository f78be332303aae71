package com.gitblit.plugin.goproxy.proxy;

import javax.servlet.http.HttpServletRequest;

import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;

/**
 * Decides who may learn what about a module path (DESIGN.md "Who sees what", rules digest 19.4):
 * <ul>
 *   <li>outside the host's module namespace every caller gets a plain 404, so a
 *       {@code GOPROXY=forge,https://proxy.golang.org} chain falls through for public modules;</li>
 *   <li>inside it, a module path that matches no repository the caller may read answers exactly like a
 *       private one: 401 with a Basic challenge for anonymous callers when the host hides repositories,
 *       404 otherwise, with one fixed body, so that neither status nor body tells a private repository
 *       from a missing or disabled one;</li>
 *   <li>except that a proper path prefix of a module the caller may download always answers 404.</li>
 * </ul>
 */
final class Gatekeeper {
    private final ModuleHost host;

    Gatekeeper(ModuleHost host) {
        this.host = host;
    }

    /** The repository to serve {@code modulePath} from; throws the uniform miss otherwise. */
    HostedRepository admit(HttpServletRequest request, String modulePath) throws ProxyError {
        String namespace = host.moduleNamespace(request);
        if (!inNamespace(namespace, modulePath)) {
            throw ProxyError.notFound("not found: " + modulePath + " is not served here");
        }
        Caller caller = host.authenticate(request);
        HostedRepository repository = host.find(caller, modulePath, request);
        if (repository != null) {
            return repository;
        }
        throw miss(caller, namespace, modulePath);
    }

    /**
     * The one answer for "no such module, or not yours to know about". A path above a module the caller may
     * download gets the 404 whatever exists there (go-proxy-rules 19.8): the go command asks parent paths
     * too and would otherwise report their 401 instead of the module's own error.
     */
    private ProxyError miss(Caller caller, String namespace, String modulePath) {
        String message = "not found: module " + modulePath + ": no such module, or access denied";
        if (caller.isAnonymous() && host.hidesRepositories()
                && !host.repositories().isParentOfAdmitted(caller, namespace, modulePath, host.admission())) {
            return ProxyError.unauthorized(message);
        }
        return ProxyError.notFound(message);
    }

    static boolean inNamespace(String namespace, String modulePath) {
        if (namespace == null || namespace.isEmpty()) {
            return true;
        }
        return modulePath.equals(namespace)
                || (modulePath.startsWith(namespace) && modulePath.charAt(namespace.length()) == '/');
    }
}
