package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.TestPki;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The standalone server's access rules over real HTTP and HTTPS: the seed's 401/404 rule with identical bodies
 * for private and absent modules, plain 404s outside the namespace, and the go command getting a private module
 * with .netrc credentials over HTTPS (and refused without them).
 */
@Tag("jgit")
class StandaloneAccessTest {
    private static final String NS = "forge.test";

    @TempDir
    static Path tmp;

    private static StandaloneServer server;
    private static TestPki pki;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path repos = tmp.resolve("repos");
        repository(repos.resolve("public/lib.git"), NS + "/public/lib");
        repository(repos.resolve("private/lib.git"), NS + "/private/lib");
        Path users = tmp.resolve("users");
        Files.write(users, List.of("# test users", UsersFile.line("alice", "wonderland".toCharArray()),
                UsersFile.line("bob", "builder".toCharArray())));
        Path access = tmp.resolve("access");
        Files.write(access, List.of("public/* anonymous", "private/* alice"));
        pki = TestPki.create();
        TlsMaterial tls = TlsMaterial.pem(pki.writeServerCertPem(tmp.resolve("cert.pem")),
                pki.writeServerKeyPem(tmp.resolve("key.pem")));
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix(NS)
                .http("127.0.0.1", 0).https("127.0.0.1", 0, tls).users(users, access));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + "/go/" + path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void accessMatrix() throws Exception {
        String[][] cells = {
            // caller, password, module, status
            {null, null, "public/lib", "200"},
            {null, null, "private/lib", "401"},
            {null, null, "absent/lib", "401"},
            {"alice", "wonderland", "public/lib", "200"},
            {"alice", "wonderland", "private/lib", "200"},
            {"alice", "wonderland", "absent/lib", "404"},
            {"bob", "builder", "private/lib", "404"},
            {"bob", "builder", "absent/lib", "404"},
            {"alice", "wrong", "private/lib", "401"},
        };
        for (String[] c : cells) {
            HttpResponse<String> r = get(NS + "/" + c[2] + "/@v/list", c[0], c[1]);
            assertEquals(Integer.parseInt(c[3]), r.statusCode(), c[0] + " on " + c[2] + ": " + r.body());
            if (r.statusCode() == 200) {
                assertEquals("v1.0.0\n", r.body());
            } else {
                assertEquals("not found: module " + NS + "/" + c[2] + ": no such module, or access denied\n", r.body());
            }
            assertEquals(r.statusCode() == 401, r.headers().firstValue("WWW-Authenticate").isPresent());
        }
        assertEquals(get(NS + "/private/lib/@v/list", "bob", "builder").body().replace("private", "X"),
                get(NS + "/absent/lib/@v/list", "bob", "builder").body().replace("absent", "X"));
    }

    @Test
    void pathsOutsideTheNamespaceArePlain404s() throws Exception {
        HttpResponse<String> r = get("github.com/someone/else/@v/list", null, null);
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty());
        // Jetty refuses a path that climbs out of the root before any servlet sees it: 400, one plain line.
        HttpResponse<String> climb = get("../../etc/passwd", null, null);
        assertTrue(climb.statusCode() == 400 || climb.statusCode() == 404, climb.toString());
        assertTrue(climb.body().length() < 40 && !climb.body().contains("Exception"), climb.body());
    }

    @Test
    void privateResponsesAreNotSharedCacheable() throws Exception {
        HttpResponse<String> r = get(NS + "/private/lib/@v/v1.0.0.info", "alice", "wonderland");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").startsWith("private"));
        assertTrue(get(NS + "/public/lib/@v/v1.0.0.info", null, null).headers().firstValue("Cache-Control")
                .orElse("").startsWith("public"));
    }

    @RequiresGo
    @Test
    void goDownloadsAPrivateModuleWithNetrcOverHttps() throws Exception {
        Path ca = pki.writeCaPem(tmp.resolve("ca.pem"));
        String proxy = "https://127.0.0.1:" + server.httpsPort() + "/go/";
        GoCommand anonymous = GoCommand.in(tmp.resolve("go-anon")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                .proxy(proxy).with("SSL_CERT_FILE", ca.toString());
        GoCommand.Result refused = anonymous.run(tmp, "mod", "download", "-json", NS + "/private/lib@v1.0.0");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());

        Path netrc = tmp.resolve("netrc");
        Files.writeString(netrc, "machine 127.0.0.1 login alice password wonderland\n");
        GoCommand alice = GoCommand.in(tmp.resolve("go-alice")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                .proxy(proxy).with("SSL_CERT_FILE", ca.toString())
                .with("NETRC", netrc.toString());
        GoCommand.Result ok = alice.run(tmp, "mod", "download", "-json", NS + "/private/lib@v1.0.0");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.stdout().contains("\"Sum\": \"h1:"), ok.toString());
    }

    @Test
    void commandLine() throws Exception {
        assertEquals(0, run("--help").code);
        assertTrue(run("--help").out.contains("--repos DIR"));
        assertEquals(2, run().code);
        assertTrue(run().err.contains("--repos is required"));
        assertEquals(2, run("--repos", tmp.toString(), "--listen", "127.0.0.1:notaport").code);
        assertEquals(2, run("--repos", tmp.toString(), "--frobnicate", "1").code);
        assertEquals(2, run("--repos", tmp.resolve("missing").toString()).code);
        assertEquals(2, run("--repos", tmp.toString(), "--https-listen", "127.0.0.1:0").code);
        assertEquals(2, run("--repos", tmp.toString(), "--max-builds", "0").code);
        assertEquals(2, run("hash-password").code);
    }

    private static final class Run {
        int code;
        String out;
        String err;
    }

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run r = new Run();
        r.code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    static void repository(Path bare, String modulePath) throws Exception {
        repositoryIn(tmp, bare, modulePath);
    }

    /** A bare repository at {@code bare} with one module tagged v1.0.0, its work tree below {@code tmp}. */
    static void repositoryIn(Path tmp, Path bare, String modulePath) throws Exception {
        JGitRepo.bareModule(bare, modulePath, tmp.resolve("work").resolve(modulePath));
    }
}
