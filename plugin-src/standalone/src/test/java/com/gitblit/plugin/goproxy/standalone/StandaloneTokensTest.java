package com.gitblit.plugin.goproxy.standalone;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.TestPki;
import com.gitblit.plugin.goproxy.token.TokenStore;

/**
 * Go access tokens on the standalone server, made with the {@code token} command while the server runs: the go
 * command downloads a private module over HTTPS with a token in .netrc; revoked and expired tokens are refused with
 * a fresh module cache; Bearer works; the token is refused under another user name; a renamed user keeps the
 * tokens and a removed one loses them; last-used times reach the file; no token text is logged.
 */
@RequiresGo
@Tag("jgit")
class StandaloneTokensTest {
    private static final String NS = "forge.test";

    @TempDir
    Path tmp;

    private Path users;
    private Path accessLog;
    private TestPki pki;
    private StandaloneServer server;
    private HttpClient http;
    private int goHomes;

    @BeforeEach
    void start() throws Exception {
        Path repos = tmp.resolve("repos");
        StandaloneAccessTest.repositoryIn(tmp, repos.resolve("private/lib.git"), NS + "/private/lib");
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        users = etc.resolve("users");
        Files.write(users, List.of(UsersFile.line("alice", "wonderland".toCharArray()),
                UsersFile.line("bob", "builder".toCharArray())));
        Path access = etc.resolve("access");
        Files.write(access, List.of("private/* alice"));
        accessLog = tmp.resolve("access.log");
        pki = TestPki.create();
        startServer(repos, access);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    private void startServer(Path repos, Path access) throws Exception {
        TlsMaterial tls = TlsMaterial.pem(pki.writeServerCertPem(tmp.resolve("cert.pem")),
                pki.writeServerKeyPem(tmp.resolve("key.pem")));
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix(NS)
                .http("127.0.0.1", 0).https("127.0.0.1", 0, tls).users(users, access).accessLog(accessLog));
    }

    private void restart() throws Exception {
        server.close();
        startServer(tmp.resolve("repos"), users.resolveSibling("access"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void goDownloadsWithATokenUntilItIsRevoked() throws Exception {
        Run created = run("token", "create", "--users", users.toString(), "--name", "ci", "alice");
        assertEquals(0, created.code, created.err);
        String token = created.out.trim();
        assertTrue(token.matches("gbgo_[0-9a-f]{12}_[0-9a-f]{48}"), created.out);
        assertTrue(created.err.contains("login alice password"), created.err);
        assertTrue(Files.readString(users.resolveSibling(TokenStore.FILE_NAME)).contains("\talice\t"));

        GoCommand.Result ok = go("alice", token);
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.stdout().contains("\"Sum\": \"h1:"), ok.toString());
        GoCommand.Result otherUser = go("bob", token);
        assertNotEquals(0, otherUser.exit(), otherUser.toString());
        assertTrue(otherUser.stdout().contains("401 Unauthorized"), otherUser.toString());

        assertEquals(200, get("Bearer " + token).statusCode());
        assertEquals(401, get("Bearer " + token.substring(0, 18) + "0".repeat(48)).statusCode(), "a forged secret");

        Run list = run("token", "list", "--users", users.toString(), "alice");
        assertEquals(0, list.code, list.err);
        assertTrue(list.out.contains("\tci\t"), list.out);
        assertFalse(list.out.contains(token), "list never shows the token");

        String id = token.substring(5, 17);
        Run revoked = run("token", "revoke", "--users", users.toString(), "alice", id);
        assertEquals(0, revoked.code, revoked.err);
        Thread.sleep(TimeUnit.SECONDS.toMillis(1) + 200);
        GoCommand.Result refused = go("alice", token);
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());
        assertEquals(401, get("Bearer " + token).statusCode());

        server.close();
        for (String line : Files.readAllLines(accessLog)) {
            assertFalse(line.contains(token.substring(18)), "the access log shows no token: " + line);
        }
    }

    @Test
    void expiredTokensAreRefused() throws Exception {
        long now = System.currentTimeMillis();
        TokenStore past = TokenStore.open(users.getParent(), () -> now - TimeUnit.DAYS.toMillis(2));
        String token = past.create("alice", new UsersFileAnchor(users).of("alice"), "old", now - 1000).token.text();
        Thread.sleep(TimeUnit.SECONDS.toMillis(1) + 200);
        GoCommand.Result refused = go("alice", token);
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());
        assertTrue(run("token", "list", "--users", users.toString(), "alice").out.contains("(expired)"));
    }

    @Test
    void renamedUsersKeepTheirTokensAndRemovedUsersLoseThem() throws Exception {
        String aliceToken = run("token", "create", "--users", users.toString(), "alice").out.trim();
        String bobToken = run("token", "create", "--users", users.toString(), "--expires-days", "30", "bob").out.trim();
        assertEquals(200, get(basic("alice", aliceToken)).statusCode());
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(users)) {
            if (line.startsWith("alice:")) {
                lines.add("alicia:" + line.substring("alice:".length()));
            } else if (!line.startsWith("bob:")) {
                lines.add(line);
            }
        }
        Files.write(users, lines);
        Files.write(users.resolveSibling("access"), List.of("private/* alicia"));
        restart();
        String file = Files.readString(users.resolveSibling(TokenStore.FILE_NAME));
        assertFalse(file.contains("\tbob\t"), "bob's tokens went with bob: " + file);
        assertEquals(401, get("Bearer " + bobToken).statusCode());
        assertEquals(401, get(basic("alice", aliceToken)).statusCode());
        assertEquals(200, get(basic("alicia", aliceToken)).statusCode());
        assertTrue(run("token", "list", "--users", users.toString(), "alicia").out.contains("\talicia\t"));
    }

    @Test
    void lastUseIsRecordedWithoutAWritePerRequest() throws Exception {
        String token = run("token", "create", "--users", users.toString(), "alice").out.trim();
        Path file = users.resolveSibling(TokenStore.FILE_NAME);
        assertTrue(run("token", "list", "--users", users.toString(), "alice").out.contains("\tnever\tnever"));
        assertEquals(200, get("Bearer " + token).statusCode());
        String afterFirstUse = Files.readString(file);
        assertFalse(run("token", "list", "--users", users.toString(), "alice").out.contains("\tnever\tnever"),
                "the first use is recorded: " + afterFirstUse);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("Bearer " + token).statusCode());
        }
        assertEquals(afterFirstUse, Files.readString(file), "uses within a minute are not written again");
    }

    @Test
    void commandLineErrors() throws Exception {
        assertEquals(2, run("token").code);
        assertEquals(2, run("token", "create", "alice").code, "needs --users");
        assertEquals(1, run("token", "create", "--users", users.toString(), "carol").code);
        assertEquals(2, run("token", "create", "--users", users.toString(), "--name", "bad\tname", "alice").code);
        assertEquals(2, run("token", "create", "--users", users.toString(), "--expires-days", "0", "alice").code);
        assertEquals(1, run("token", "revoke", "--users", users.toString(), "alice", "nosuch").code);
        assertEquals(2, run("token", "frobnicate", "--users", users.toString(), "alice").code);
        assertTrue(run("--help").out.contains("token create"));
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + "/go/" + NS
                + "/private/lib/@v/list")).header("Authorization", authorization).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The go command with a fresh module cache and a .netrc for this user and token. */
    private GoCommand.Result go(String user, String token) throws Exception {
        Path home = tmp.resolve("go-" + (goHomes++));
        Path netrc = tmp.resolve("netrc-" + goHomes);
        Files.writeString(netrc, "machine 127.0.0.1 login " + user + " password " + token + "\n");
        GoCommand go = GoCommand.in(home).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw").proxy("https://127.0.0.1:" + server.httpsPort() + "/go/")
                .with("SSL_CERT_FILE", pki.writeCaPem(tmp.resolve("ca.pem")).toString()).with("NETRC", netrc.toString());
        return go.run(tmp, "mod", "download", "-json", NS + "/private/lib@v1.0.0");
    }

    /** The anchor the command line records, read through the same users file. */
    private static final class UsersFileAnchor {
        private final UsersFile file;

        UsersFileAnchor(Path users) throws Exception {
            this.file = UsersFile.load(users);
        }

        String of(String user) {
            return file.anchorOf(user);
        }
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
        r.code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }
}
