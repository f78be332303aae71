package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.service.HostedRepository;

/**
 * The answer to {@code GET https://<import path>?go-get=1}, the go command's discovery request (rules digest
 * 15.1, 15.2; cmd/go {@code vcs.RepoRootForImportPath}). Rules it keeps:
 * <ul>
 *   <li>the page is HTML whose {@code <head>} starts with exactly one
 *       {@code <meta name="go-import" content="PREFIX mod PROXY-BASE">}: the client reads tokens only up to
 *       {@code </head>} or {@code <body>}, keeps tags with exactly three fields, and lets a {@code mod} entry
 *       win over others with the same prefix;</li>
 *   <li>PREFIX is the root module path of the repository holding the import path, so the same tag is served
 *       for every path below it (the client checks that {@code https://PREFIX?go-get=1} repeats the tag when
 *       PREFIX is shorter than what it asked for), and the {@code mod} VCS sends the client to this proxy
 *       with the full module path, submodules and {@code /vN} included;</li>
 *   <li>who may not download the module gets exactly the proxy's answer for it (the uniform miss of
 *       {@link Gatekeeper}: 401 with a challenge for anonymous callers of a host that hides repositories,
 *       404 otherwise, same one-line body): no meta, so discovery never reveals a repository.</li>
 * </ul>
 */
public final class GoImportPage {
    private final ModuleHost host;
    private final Gatekeeper gate;

    public GoImportPage(ModuleHost host) {
        this.host = host;
        this.gate = new Gatekeeper(host);
    }

    /** Where the page links for people who open it in a browser; {@code null} for no link. */
    public interface SourceLink {
        String urlOf(HostedRepository repository);
    }

    /**
     * Answers a GET or HEAD {@code ?go-get=1} request for {@code importPath} (a module or package path).
     *
     * @param proxyBaseUrl the absolute URL of the proxy base the meta tag points to
     */
    public void answer(String importPath, String proxyBaseUrl, SourceLink link, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        HostedRepository repository;
        try {
            repository = gate.admit(request, importPath);
        } catch (ProxyError e) {
            writeError(response, e);
            return;
        } catch (AuthenticationThrottled e) {
            response.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
            PlainText.write(response, 429, e.getMessage());
            return;
        }
        String page = render(repository.rootModulePath(), proxyBaseUrl, link == null ? null : link.urlOf(repository));
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", CachePolicy.forAnswer(false, repository.anonymousReadable()));
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** The page for the module rooted at {@code prefix}, served by the proxy at {@code proxyBaseUrl}. */
    public static String render(String prefix, String proxyBaseUrl, String sourceUrl) {
        String p = escape(prefix);
        StringBuilder html = new StringBuilder(512)
                .append("<!DOCTYPE html>\n<html>\n<head>\n")
                .append("<meta name=\"go-import\" content=\"").append(p).append(" mod ").append(escape(proxyBaseUrl))
                .append("\">\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<title>").append(p).append("</title>\n")
                .append("</head>\n<body>\n")
                .append("<p>Go module <code>").append(p).append("</code>: <code>go get ").append(p).append("</code></p>\n");
        if (sourceUrl != null) {
            html.append("<p><a href=\"").append(escape(sourceUrl)).append("\">Source</a></p>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private void writeError(HttpServletResponse response, ProxyError e) throws IOException {
        e.writeTo(response, host.realm());
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
