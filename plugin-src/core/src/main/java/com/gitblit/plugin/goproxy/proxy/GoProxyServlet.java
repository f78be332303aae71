package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;
import com.gitblit.plugin.goproxy.service.Artifact;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.RevisionInfo;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.service.ThirdPartyModules;

/**
 * The GOPROXY protocol under a base path. The standalone host mounts it as a servlet on {@code /go/*};
 * Gitblit's filter calls {@link #handle} with the path below its base itself.
 *
 * <p>Order of decisions, each with one answer: method (GET/HEAD, else 405), path syntax (404 with the
 * reason), the host's namespace and the caller's right to read (404, or 401 for anonymous callers of a host
 * that hides repositories), then the Go answer from the {@link ModuleService} (404 with cmd/go's reason for
 * any unknown or invalid version). Nothing but an unexpected fault gives a 500, and its body never carries
 * a stack trace.
 */
public class GoProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GoProxyServlet.class);

    private final transient ModuleHost host;
    private final transient ModuleService modules;
    private final transient Gatekeeper gate;
    private transient volatile WriteDeadline writeDeadline;
    private transient volatile ProxyMetrics metrics = ProxyMetrics.NONE;
    /** The dependency proxy, on the instance base only; {@code null} on project bases and when it is off. */
    private final transient ThirdPartyModules thirdParty;

    /** The instance base: the forge's modules, and third-party modules when the dependency proxy is on. */
    public GoProxyServlet(ModuleHost host, ModuleService modules) {
        this(host, modules, modules.thirdParty());
    }

    private GoProxyServlet(ModuleHost host, ModuleService modules, ThirdPartyModules thirdParty) {
        this.host = host;
        this.modules = modules;
        this.gate = new Gatekeeper(host);
        this.thirdParty = thirdParty;
    }

    /** A base that serves the forge's modules only (Gitblit's project bases). */
    public static GoProxyServlet forgeOnly(ModuleHost host, ModuleService modules) {
        return new GoProxyServlet(host, modules, null);
    }

    /**
     * Bounds each asynchronous write of a stored download, as the container's blocking timeout bounds a thread's
     * write; without one a slow client is bounded only by the connection's idle timeout.
     */
    public void writeDeadline(WriteDeadline deadline) {
        this.writeDeadline = deadline;
    }

    /** Where each answered request is reported (route, status, time, body bytes). */
    public GoProxyServlet metrics(ProxyMetrics value) {
        this.metrics = value == null ? ProxyMetrics.NONE : value;
        return this;
    }

    /** The request path below the proxy's base, without a leading slash and still percent-encoded. */
    protected String proxyPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String prefix = request.getContextPath() + request.getServletPath();
        String path = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        handle(proxyPath(request), request, response);
    }

    /**
     * Answers one request whose path below the base is {@code path} (raw, percent-encoded). Throws only when
     * a response body broke off after it was committed, so that the container aborts the connection and the
     * client sees a failed download instead of a short one.
     */
    public void handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        String[] route = {"invalid"};
        try {
            answer(path, request, response, route);
        } finally {
            metrics.request(route[0], response.getStatus(), System.nanoTime() - started,
                    bodyBytes(request, response));
        }
    }

    /** The declared length of a body actually sent (a stored download's may still be on its way). */
    private static long bodyBytes(HttpServletRequest request, HttpServletResponse response) {
        if ("HEAD".equals(request.getMethod()) || response.getStatus() == HttpServletResponse.SC_NOT_MODIFIED) {
            return 0;
        }
        String length = response.getHeader("Content-Length");
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code route[0]} is set to the route's fixed name once the path parsed. */
    private void answer(String path, HttpServletRequest request, HttpServletResponse response, String[] route)
            throws IOException {
        boolean head = "HEAD".equals(request.getMethod());
        try {
            if (!head && !"GET".equals(request.getMethod())) {
                response.setHeader("Allow", "GET, HEAD");
                throw ProxyError.methodNotAllowed("method not allowed: the module proxy protocol is read-only");
            }
            if (path.equals("index")) {
                IndexFeedRoute.handle(modules.checksumDatabase(), host, request, response, head);
                return;
            }
            ProxyRequest parsed = ProxyRequest.parse(path);
            route[0] = parsed.kind().name().toLowerCase(java.util.Locale.ROOT);
            if (parsed.kind() == ProxyRequest.Kind.SUMDB) {
                ForgeChecksumDatabase forge = modules.checksumDatabase();
                if (forge != null && parsed.sumdbPath().startsWith(forge.name() + "/")) {
                    ForgeSumdbRoutes.handle(forge, thirdParty, host, gate,
                            parsed.sumdbPath().substring(forge.name().length() + 1), request, response, head);
                } else {
                    ThirdPartyRoutes.sumdb(thirdParty, host, parsed.sumdbPath(), request, response, head);
                }
                return;
            }
            if (thirdParty != null && !Gatekeeper.inNamespace(host.moduleNamespace(request), parsed.modulePath())) {
                ThirdPartyRoutes.module(thirdParty, host, parsed, request, response, head);
                return;
            }
            HostedRepository repository = gate.admit(request, parsed.modulePath());
            try {
                answer(parsed, repository, request, response, head);
            } catch (ServiceFailure e) {
                throw ProxyError.of(e);
            }
        } catch (ProxyError e) {
            e.writeTo(response, host.realm());
        } catch (AuthenticationThrottled e) {
            response.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
            PlainText.write(response, 429, e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (response.isCommitted()) {
                LOG.warn("{} {}: response broke off: {}", request.getMethod(), request.getRequestURI(), e.toString());
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            response.reset();
            PlainText.write(response, 500, "internal error: see the server log");
        }
    }

    private void answer(ProxyRequest parsed, HostedRepository repository, HttpServletRequest request,
            HttpServletResponse response, boolean head) throws ServiceFailure, ProxyError, IOException {
        String module = parsed.modulePath();
        boolean open = repository.anonymousReadable();
        switch (parsed.kind()) {
            case LIST: {
                List<String> versions = modules.list(repository, module);
                StringBuilder body = new StringBuilder();
                for (String v : versions) {
                    body.append(v).append('\n');
                }
                writeText(response, head, "text/plain; charset=utf-8", body.toString(),
                        CachePolicy.forAnswer(false, open));
                return;
            }
            case LATEST: {
                RevisionInfo info = modules.latest(repository, module);
                writeText(response, head, "application/json", info.toJson(), CachePolicy.forAnswer(false, open));
                return;
            }
            case INFO: {
                RevisionInfo info = modules.info(repository, module, parsed.version());
                // Only a query that names the version it resolved to stays true forever.
                boolean immutable = info.version().equals(parsed.version());
                if (immutable) {
                    response.setDateHeader("Last-Modified", info.time().toEpochMilli());
                }
                writeText(response, head, "application/json", info.toJson(), CachePolicy.forAnswer(immutable, open));
                return;
            }
            case MOD:
                sendArtifact(request, response, head, modules.mod(repository, module, parsed.version()), open);
                return;
            case ZIP:
                sendArtifact(request, response, head, modules.zip(repository, module, parsed.version()), open);
                return;
            default:
                throw ProxyError.notFound("not found");
        }
    }

    /** Writes the artifact and closes it, unless its body goes on asynchronously, which then closes it. */
    private void sendArtifact(HttpServletRequest request, HttpServletResponse response, boolean head,
            Artifact artifact, boolean anonymousReadable) throws IOException {
        boolean handedOver = false;
        try {
            handedOver = writeArtifact(request, response, head, artifact, anonymousReadable);
        } finally {
            if (!handedOver) {
                artifact.close();
            }
        }
    }

    /**
     * A complete body (a stored artifact) is written asynchronously where the container allows it, so that a
     * slow reader holds no thread; a body built while it is written (and every body in a container without
     * asynchronous support, Gitblit's) is written by this thread. Returns true when the body was handed over.
     */
    private boolean writeArtifact(HttpServletRequest request, HttpServletResponse response, boolean head,
            Artifact artifact, boolean anonymousReadable) throws IOException {
        return writeArtifact(request, response, head, artifact, anonymousReadable, writeDeadline, true);
    }

    /**
     * Headers, conditional answer and body of an artifact; with {@code mayGoAsync}, a complete body goes on
     * asynchronously (true returned: the body, not the caller, then closes the artifact).
     */
    static boolean writeArtifact(HttpServletRequest request, HttpServletResponse response, boolean head,
            Artifact artifact, boolean anonymousReadable, WriteDeadline deadline, boolean mayGoAsync)
            throws IOException {
        response.setHeader("Cache-Control", CachePolicy.forAnswer(true, anonymousReadable));
        String etag = artifact.etag() == null ? null : '"' + artifact.etag() + '"';
        if (etag != null) {
            response.setHeader("ETag", etag);
        }
        if (artifact.lastModified() >= 0) {
            response.setDateHeader("Last-Modified", artifact.lastModified());
        }
        if (Conditional.notModified(request, etag, artifact.lastModified())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return false;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(artifact.contentType());
        if (artifact.length() >= 0) {
            response.setContentLengthLong(artifact.length());
        }
        if (head) {
            return false;
        }
        if (mayGoAsync && request.isAsyncSupported()) {
            InputStream body = artifact.completeBody();
            if (body != null) {
                AsyncBody.start(request, response, body, artifact, deadline);
                return true;
            }
        }
        OutputStream out = response.getOutputStream();
        artifact.writeTo(out);
        out.flush();
        return false;
    }

    private static void writeText(HttpServletResponse response, boolean head, String contentType, String body,
            String cacheControl) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", cacheControl);
        response.setContentLength(bytes.length);
        if (!head) {
            response.getOutputStream().write(bytes);
        }
    }
}
