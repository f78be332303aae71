package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.OutputStream;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.service.Artifact;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.service.ThirdPartyModules;

/**
 * The routes of the dependency proxy: module paths outside the forge's namespace, and {@code /sumdb/<name>/}.
 * A caller who may not use it (goproxy.upstreamAccess) gets the same plain 404 as when it is off, so that a
 * client's GOPROXY chain falls through; a path the allow/deny lists refuse gets a 404 that says why. The
 * caller's credentials serve only to decide this: they are never sent upstream.
 */
final class ThirdPartyRoutes {
    private ThirdPartyRoutes() {
    }

    static void module(ThirdPartyModules modules, ModuleHost host, ProxyRequest parsed, HttpServletRequest request,
            HttpServletResponse response, boolean head) throws ProxyError, IOException, AuthenticationThrottled {
        String module = parsed.modulePath();
        Caller caller = host.authenticate(request);
        if (!modules.mayUse(caller)) {
            throw ProxyError.notFound("not found: " + module + " is not served here");
        }
        String refusal = modules.refusal(module);
        if (refusal != null) {
            throw ProxyError.notFound(refusal);
        }
        boolean open = modules.openToAnonymous();
        try {
            switch (parsed.kind()) {
                case LIST:
                    write(response, head, modules.list(module), CachePolicy.forAnswer(false, open));
                    return;
                case LATEST:
                    write(response, head, modules.latest(module), CachePolicy.forAnswer(false, open));
                    return;
                case INFO:
                    write(response, head, modules.info(module, parsed.version()),
                            CachePolicy.forAnswer(modules.isVersion(parsed.version()), open));
                    return;
                case MOD:
                    try (Artifact a = modules.mod(module, parsed.version())) {
                        GoProxyServlet.writeArtifact(request, response, head, a, open, null, false);
                    }
                    return;
                case ZIP:
                    try (Artifact a = modules.zip(module, parsed.version())) {
                        GoProxyServlet.writeArtifact(request, response, head, a, open, null, false);
                    }
                    return;
                default:
                    throw ProxyError.notFound("not found");
            }
        } catch (ServiceFailure e) {
            throw ProxyError.of(e);
        }
    }

    /**
     * {@code /sumdb/<name>/...}: 404 for databases not configured, and whenever the dependency proxy is off or
     * the caller may not use it, so that the go command asks the database itself.
     */
    static void sumdb(ThirdPartyModules modules, ModuleHost host, String path, HttpServletRequest request,
            HttpServletResponse response, boolean head) throws ProxyError, IOException, AuthenticationThrottled {
        int slash = path.indexOf('/');
        String name = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        if (modules == null || !modules.supportsSumdb(name) || !modules.mayUse(host.authenticate(request))) {
            throw ProxyError.notFound("not found: this proxy does not serve the checksum database " + name);
        }
        try (Artifact a = modules.sumdb(name, rest)) {
            boolean forever = rest.startsWith("tile/") && !rest.contains(".p/");
            String age = forever ? "max-age=" + CachePolicy.VERSION_SECONDS + ", immutable" : "max-age=60";
            write(response, head, a, (modules.openToAnonymous() ? "public, " : "private, ") + age);
        } catch (ServiceFailure e) {
            throw ProxyError.of(e);
        }
    }

    private static void write(HttpServletResponse response, boolean head, Artifact a, String cacheControl)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(a.contentType());
        response.setHeader("Cache-Control", cacheControl);
        response.setContentLengthLong(a.length());
        if (!head) {
            OutputStream out = response.getOutputStream();
            a.writeTo(out);
            out.flush();
        }
    }
}
