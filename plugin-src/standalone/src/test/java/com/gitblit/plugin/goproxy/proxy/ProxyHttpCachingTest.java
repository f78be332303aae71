package com.gitblit.plugin.goproxy.proxy;

import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP caching over a real server: strong ETags from the recorded h1, 304 on If-None-Match and
 * If-Modified-Since, long immutable caching for versions, short for lists, and {@code private} whenever the
 * repository is not anonymous-readable (a shared cache must never hand a private module to someone else).
 */
@Tag("jgit")
class ProxyHttpCachingTest {
    private static final String PUBLIC = "git.example.com/open/lib";
    private static final String PRIVATE = "git.example.com/closed/lib";

    @TempDir
    Path tmp;

    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        GitDirRepository open = repository("open", PUBLIC, true);
        GitDirRepository closed = repository("closed", PRIVATE, false);
        ModuleHost host = new ModuleHost() {
            @Override
            public String moduleNamespace(HttpServletRequest request) {
                return "git.example.com";
            }

            @Override
            public Caller authenticate(HttpServletRequest request) {
                return "Basic YWxpY2U6c2VjcmV0".equals(request.getHeader("Authorization")) ? Caller.user("alice")
                        : Caller.ANONYMOUS;
            }

            @Override
            public com.gitblit.plugin.goproxy.service.RepositoryResolver repositories() {
                return new com.gitblit.plugin.goproxy.service.RepositoryResolver(java.util.Collections::emptyList);
            }

            @Override
            public com.gitblit.plugin.goproxy.service.RepositoryAdmission admission() {
                return (caller, name, root) -> null;
            }

            @Override
            public HostedRepository find(Caller caller, String modulePath, HttpServletRequest request) {
                if (modulePath.startsWith(PUBLIC)) {
                    return open;
                }
                return modulePath.startsWith(PRIVATE) && caller != Caller.ANONYMOUS ? closed : null;
            }

            @Override
            public boolean hidesRepositories() {
                return true;
            }

            @Override
            public String realm() {
                return "test";
            }
        };
        GoProxyServlet proxy = new GoProxyServlet(host, com.gitblit.plugin.goproxy.service.ModuleServices.create(
                ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build()));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                proxy.handle(req.getPathInfo() == null ? "" : req.getPathInfo().substring(1), req, resp);
            }
        }), "/go/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/go/";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void versionsAreImmutableWithStrongEtagsAndAnswer304() throws Exception {
        // The first response streams while the zip is built, before its h1 is known; later ones carry it.
        assertEquals(200, get(PUBLIC + "/@v/v1.0.0.zip", null, null).statusCode());
        HttpResponse<byte[]> zip = get(PUBLIC + "/@v/v1.0.0.zip", null, null);
        assertEquals(200, zip.statusCode());
        String etag = zip.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"h1:[A-Za-z0-9+/]{43}=\""), etag);
        assertTrue(zip.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertTrue(zip.headers().firstValue("Cache-Control").orElse("").startsWith("public"));

        assertEquals(304, get(PUBLIC + "/@v/v1.0.0.zip", "If-None-Match", etag).statusCode());
        String lastModified = zip.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals(304, get(PUBLIC + "/@v/v1.0.0.zip", "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, get(PUBLIC + "/@v/v1.0.0.zip", "If-None-Match", "\"h1:other\"").statusCode());

        HttpResponse<byte[]> mod = get(PUBLIC + "/@v/v1.0.0.mod", null, null);
        String modEtag = mod.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get(PUBLIC + "/@v/v1.0.0.mod", "If-None-Match", modEtag).statusCode());
    }

    @Test
    void listsAndLatestAreShortLived() throws Exception {
        HttpResponse<byte[]> list = get(PUBLIC + "/@v/list", null, null);
        assertEquals(200, list.statusCode());
        assertEquals("v1.0.0\n", new String(list.body(), StandardCharsets.UTF_8));
        String cc = list.headers().firstValue("Cache-Control").orElse("");
        assertTrue(cc.contains("max-age=60") && !cc.contains("immutable"), cc);
        assertTrue(get(PUBLIC + "/@latest", null, null).headers().firstValue("Cache-Control").orElse("")
                .contains("max-age=60"));
    }

    @Test
    void privateRepositoryAnswersAreNeverSharedCacheable() throws Exception {
        assertEquals(401, get(PRIVATE + "/@v/v1.0.0.zip", null, null).statusCode());
        for (String path : new String[] {"/@v/list", "/@latest", "/@v/v1.0.0.info", "/@v/v1.0.0.mod", "/@v/v1.0.0.zip"}) {
            HttpResponse<byte[]> r = get(PRIVATE + path, "Authorization", "Basic YWxpY2U6c2VjcmV0");
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Cache-Control").orElse("").startsWith("private"), path);
        }
    }

    @Test
    void headDescribesWithoutBody() throws Exception {
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + PUBLIC + "/@v/v1.0.0.mod"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(("module " + PUBLIC + "\n").length()),
                head.headers().firstValue("Content-Length").orElse(""));
    }

    private HttpResponse<byte[]> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private GitDirRepository repository(String name, String modulePath, boolean anonymous) throws Exception {
        try (JGitRepo repo = JGitRepo.init(tmp.resolve(name))) {
            repo.tag("v1.0.0", repo.commit("go.mod", "module " + modulePath + "\n", "lib.go", "package lib\n"));
            return new GitDirRepository(name + ".git", modulePath, repo.gitDir().toFile(), anonymous);
        }
    }
}
