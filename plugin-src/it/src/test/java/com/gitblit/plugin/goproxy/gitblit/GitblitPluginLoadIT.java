package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.TestPki;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The built plugin zip in a real Gitblit (1.9.3, and 1.10.0 in the second failsafe run): Gitblit starts (no
 * 503), the plugin's filter answers {@code /go/...}, and everything else behaves as Gitblit does without the
 * plugin: {@code /} answers 200, anonymous clones of a public repository work, a VIEW-restricted repository
 * challenges with Gitblit's own 401 and serves a permitted user, and HTTPS serves the test CA's certificate.
 */
@Tag(GitblitInstance.EVERY_VERSION)
class GitblitPluginLoadIT {
    private static final String PUBLIC_REPO = "public/lib.git";
    private static final String PRIVATE_REPO = "private/lib.git";
    private static final String ALICE = "alice";
    private static final String ALICE_PASSWORD = "alice-secret";
    private static final String BOB = "bob";
    private static final String BOB_PASSWORD = "bob-secret";

    private static GitblitInstance gitblit;
    private static Path work;

    @BeforeAll
    static void startGitblitWithThePlugin() throws IOException {
        gitblit = GitblitInstance.builder("plugin-load-it").goProxyPlugin().user(ALICE, ALICE_PASSWORD).start();
        System.out.println("Gitblit " + GitblitInstance.hostVersion() + " with the plugin started in " + gitblit.startupTime().toMillis() + " ms");
        work = Files.createDirectories(gitblit.home().resolve("work"));

        gitblit.createRepository(PUBLIC_REPO, Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository(PRIVATE_REPO, Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createUser(BOB, BOB_PASSWORD);
        gitblit.setUserPermission(PRIVATE_REPO, ALICE, Permission.CLONE);

        Path local = LocalRepo.init(work.resolve("source")).write("go.mod", "module example.com/lib\n\ngo 1.19\n")
                .commit("first").tag("v1.0.0").dir();
        // In parallel: Gitblit 1.9.3 (JGit 4.5) answers each push only ~2.5 s after it wrote the pack.
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> gitblit.push(local, PUBLIC_REPO, GitblitInstance.ADMIN,
                        GitblitInstance.ADMIN_PASSWORD)),
                CompletableFuture.runAsync(() -> gitblit.push(local, PRIVATE_REPO, GitblitInstance.ADMIN,
                        GitblitInstance.ADMIN_PASSWORD)))
                .join();
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    @Test
    void gitblitServesItsPagesOverHttpAndHttps() {
        assertEquals(200, gitblit.get(gitblit.httpUrl(), "/").statusCode());
        assertEquals(200, gitblit.get(gitblit.httpsUrl(), "/").statusCode());
    }

    @Test
    void thePluginIsStartedAndItsFilterAnswersGoPaths() throws IOException {
        for (URI base : List.of(gitblit.httpUrl(), gitblit.httpsUrl())) {
            // A module path outside this Gitblit's namespace (127.0.0.1): the proxy's plain 404.
            HttpResponse<String> rsp = gitblit.get(base, "/go/example.com/lib/@v/list");
            assertEquals(404, rsp.statusCode(), base.toString());
            assertEquals("text/plain;charset=utf-8", GitblitAccessMatrixIT.contentType(rsp));
            assertEquals("not found: example.com/lib is not served here\n", rsp.body());
        }
        String log = Files.readString(gitblit.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("Start plugin 'goproxy"), "pf4j did not report starting the plugin; log tail:\n"
                + gitblit.logTail());
    }

    @Test
    void pathsOutsideGoStillReachGitblit() {
        // Not ours: Gitblit's own page renderer answers its HTML 404, not the plugin's text/plain one.
        HttpResponse<String> rsp = gitblit.get(gitblit.httpUrl(), "/gone/example.com/lib/@v/list");
        assertEquals(404, rsp.statusCode());
        assertFalse(rsp.body().startsWith("not found"), rsp.body());
        assertTrue(rsp.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), rsp.headers().toString());
    }

    @Test
    void anonymousCloneOfAPublicRepositoryWorks() throws IOException {
        Path clone = work.resolve("anonymous-clone");
        gitblit.git().run(work, "clone", "-q", gitblit.httpUrl() + "/r/" + PUBLIC_REPO, clone.toString());
        assertEquals("module example.com/lib\n\ngo 1.19\n", Files.readString(clone.resolve("go.mod")));
        String tags = gitblit.git().run(work, "ls-remote", "--tags", gitblit.cloneUrl(PUBLIC_REPO));
        assertTrue(tags.contains("refs/tags/v1.0.0"), tags);
    }

    @Test
    void aViewRestrictedRepositoryAsksAnonymousCallersToAuthenticate() {
        HttpResponse<String> rsp = gitblit.get(gitblit.httpUrl(), "/r/" + PRIVATE_REPO + "/info/refs?service=git-upload-pack");
        assertEquals(401, rsp.statusCode());
        assertEquals("Basic realm=\"Gitblit\"", rsp.headers().firstValue("WWW-Authenticate").orElse(null));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gitblit.git().run(work, "ls-remote", gitblit.cloneUrl(PRIVATE_REPO)));
        assertTrue(e.getMessage().contains("Authentication failed") || e.getMessage().contains("could not read Username"),
                e.getMessage());
    }

    @Test
    void aViewRestrictedRepositoryServesPermittedUsersOnly() {
        String path = "/r/" + PRIVATE_REPO + "/info/refs?service=git-upload-pack";
        assertEquals(200, gitblit.get(gitblit.httpsUrl(), path, ALICE, ALICE_PASSWORD).statusCode());
        assertEquals(403, gitblit.get(gitblit.httpsUrl(), path, BOB, BOB_PASSWORD).statusCode());
        assertEquals(401, gitblit.get(gitblit.httpsUrl(), path, ALICE, "wrong").statusCode());
    }

    @Test
    void aRestartKeepsThePluginRepositoriesAndUsers() {
        gitblit.restart();
        System.out.println("Gitblit " + GitblitInstance.hostVersion() + " restarted in " + gitblit.startupTime().toMillis() + " ms");
        assertEquals("not found: example.com/lib is not served here\n",
                gitblit.get(gitblit.httpUrl(), "/go/example.com/lib/@latest").body());
        assertEquals(200, gitblit.get(gitblit.httpsUrl(), "/r/" + PRIVATE_REPO + "/info/refs?service=git-upload-pack",
                ALICE, ALICE_PASSWORD).statusCode());
    }

    @Test
    void repositoriesCarryTheirCustomFields() {
        JsonObject repos = gitblit.listRepositories();
        JsonObject model = repos.get(gitblit.httpUrl() + "/r/" + PRIVATE_REPO).getAsJsonObject();
        assertEquals("VIEW", model.get("accessRestriction").getAsString());
        assertEquals("true", model.getAsJsonObject("customFields").get("goProxy").getAsString());
    }

    @Test
    void httpsServesTheTestCertificateWhichCurlTrustsThroughTheCaPem() throws Exception {
        try (SSLSocket socket = (SSLSocket) sslContextSocket()) {
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            assertEquals(gitblit.pki().serverCertificate(), chain[0]);
        }
        assertEquals("200", curl(0, "--cacert", gitblit.caPem().toString(), gitblit.httpsUrl() + "/"));
        assertEquals("404", curl(0, "--cacert", gitblit.caPem().toString(), gitblit.httpsUrl() + "/go/x"));
        // With another CA curl must refuse (exit 60): the trust really comes from this test CA.
        Path otherCa = TestPki.create().writeCaPem(work.resolve("other-ca.pem"));
        curl(60, "--cacert", otherCa.toString(), gitblit.httpsUrl() + "/");
    }

    private static java.net.Socket sslContextSocket() throws Exception {
        javax.net.ssl.SSLContext ssl = gitblit.httpClient().sslContext();
        return ssl.getSocketFactory().createSocket("127.0.0.1", gitblit.httpsUrl().getPort());
    }

    /** Runs curl and returns the HTTP status it saw; a missing curl is a failure, not a skip. */
    private static String curl(int expectedExit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("curl is needed for this test (Debian package curl): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), "curl " + String.join(" ", args) + ": " + out);
        assertNotNull(out);
        return out;
    }
}
