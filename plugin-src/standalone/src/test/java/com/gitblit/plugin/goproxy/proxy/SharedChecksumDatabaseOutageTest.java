package com.gitblit.plugin.goproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/**
 * The checksum database over PostgreSQL, through the real servlet: while the database is down, a lookup of a
 * version not logged yet, the signed head and the index feed answer 503 with Retry-After (a client or
 * nginx tries again, never trusts a "not found"); once it is back the same version is logged once and the head
 * covers it.
 */
@Tag("jgit")
@Tag("postgres")
class SharedChecksumDatabaseOutageTest {
    private static final String NS = "git.example.com";
    private static final String LIB = NS + "/team/lib";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whileTheDatabaseIsDownSumdbAnswersTryAgain() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        GitDirRepository lib;
        try (JGitRepo repo = JGitRepo.init(tmp.resolve("lib"))) {
            repo.tag("v1.0.0", repo.commit("go.mod", "module " + LIB + "\n", "lib.go", "package lib\n"));
            repo.tag("v1.1.0", repo.commit("lib.go", "package lib\n\nconst V = 1\n"));
            lib = new GitDirRepository("team/lib.git", LIB, repo.gitDir().toFile(), true);
        }
        try (PostgresDatabase db = PostgresDatabase.open(postgres.newDatabase(), postgres.passwordFile().toFile(), 4);
                ModuleService git = ModuleServices.create(ProxySettings.builder()
                        .dataDirectory(tmp.resolve("data").toFile()).build());
                ForgeChecksumDatabase sums = ForgeChecksumDatabase.open(db, NS, git, null)) {
            Server server = serve(withChecksumDatabase(git, sums), lib);
            try {
                String base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                        + "/go/sumdb/" + NS + "/";
                HttpResponse<byte[]> first = get(base + "lookup/" + LIB + "@v1.0.0");
                assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.UTF_8));
                byte[] head = get(base + "latest").body();

                postgres.stop();
                try {
                    for (String what : new String[] {"lookup/" + LIB + "@v1.1.0", "latest"}) {
                        HttpResponse<byte[]> r = get(base + what);
                        assertEquals(503, r.statusCode(), what);
                        assertEquals("30", r.headers().firstValue("Retry-After").orElse(""), what);
                        assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith(
                                "the checksum database cannot be used right now; retry later"), what);
                    }
                    HttpResponse<byte[]> index = get(base.replace("/sumdb/" + NS + "/", "/index?since=2020-01-01T00:00:00Z"));
                    assertEquals(503, index.statusCode());
                    assertTrue(index.headers().firstValue("Retry-After").isPresent());
                } finally {
                    postgres.startAgain();
                }

                assertArrayEquals(head, get(base + "latest").body(), "nothing changed while it was down");
                HttpResponse<byte[]> later = get(base + "lookup/" + LIB + "@v1.1.0");
                assertEquals(200, later.statusCode(), new String(later.body(), StandardCharsets.UTF_8));
                assertTrue(new String(later.body(), StandardCharsets.UTF_8).startsWith("1\n" + LIB + " v1.1.0 h1:"));
                assertTrue(new String(get(base + "latest").body(), StandardCharsets.UTF_8)
                        .startsWith("go.sum database tree\n2\n"));
            } finally {
                server.stop();
            }
        }
    }

    /** The service as the hosts build it, with the checksum database in PostgreSQL (the lead's wiring, to come). */
    private static ModuleService withChecksumDatabase(ModuleService git, ForgeChecksumDatabase sums) {
        return (ModuleService) java.lang.reflect.Proxy.newProxyInstance(ModuleService.class.getClassLoader(),
                new Class<?>[] {ModuleService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("checksumDatabase") && method.getParameterCount() == 0) {
                        return sums;
                    }
                    try {
                        return method.invoke(git, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Server serve(ModuleService modules, HostedRepository lib) throws Exception {
        ModuleHost host = new ModuleHost() {
            @Override
            public String moduleNamespace(HttpServletRequest request) {
                return NS;
            }

            @Override
            public Caller authenticate(HttpServletRequest request) {
                return Caller.ANONYMOUS;
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
                return modulePath.equals(LIB) ? lib : null;
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
        GoProxyServlet proxy = new GoProxyServlet(host, modules);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                proxy.handle(req.getPathInfo() == null ? "" : req.getPathInfo().substring(1), req, resp);
            }
        }), "/go/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
