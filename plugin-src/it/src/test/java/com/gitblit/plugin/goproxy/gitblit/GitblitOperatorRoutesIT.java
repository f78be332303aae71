package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GitblitSsh;
import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * {@code /go/-/metrics} and {@code /go/-/health} in a real Gitblit. The metrics answer Gitblit's administrators
 * and the bearer token of {@code goproxy.metricsToken}; anyone else (anonymous, a signed-in user, a wrong token)
 * gets exactly what a path naming no module gets, so the route is not even seen to exist. Health: {@code ok};
 * {@code degraded} while the cache folder cannot be written; {@code down} (503) while the plugin is stopped and
 * after a start that failed (its data folder unusable); {@code ok} again once repaired and started.
 */
@RequiresGitCli
@Tag(GitblitInstance.EVERY_VERSION)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitblitOperatorRoutesIT {
    private static final String NS = "127.0.0.1";
    private static final String MODULE = NS + "/ops/lib";
    private static final String TOKEN = "scrape-token-0123456789abcdef";

    private static GitblitInstance gitblit;

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("operator-routes-it").goProxyPlugin().ssh()
                .user("alice", "alice-secret").pluginSetting("metricsToken", TOKEN).start();
        Path work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("ops/lib.git", Restriction.NONE, Authorization.AUTHENTICATED, Map.of("goProxy", "true"));
        LocalRepo.module(work.resolve("src/lib"), MODULE, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("ops/lib.git"));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    @Test
    @Order(1)
    void metricsAnswerAdministratorsAndTheToken() {
        assertEquals(200, gitblit.get(gitblit.httpUrl(), "/go/" + MODULE + "/@v/list").statusCode());
        HttpResponse<String> admin = gitblit.get(gitblit.httpUrl(), "/go/-/metrics", GitblitInstance.ADMIN,
                GitblitInstance.ADMIN_PASSWORD);
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("goproxy_requests_total{route=\"list\",status=\"200\"}"), admin.body());
        assertFalse(admin.body().contains("ops/lib"), "a module path in the metrics");
        assertEquals("no-store", admin.headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> token = bearer("/go/-/metrics", TOKEN);
        assertEquals(200, token.statusCode(), token.body());
        assertTrue(token.body().contains("# TYPE goproxy_request_duration_seconds histogram"), token.body());
    }

    @Test
    @Order(2)
    void everyoneElseGetsWhatAMissingPageGives() {
        HttpResponse<String> missing = gitblit.get(gitblit.httpUrl(), "/go/-/metricz");
        assertEquals(404, missing.statusCode());
        assertSameAsMissing(missing, gitblit.get(gitblit.httpUrl(), "/go/-/metrics"), "anonymous");
        assertSameAsMissing(gitblit.get(gitblit.httpUrl(), "/go/-/metricz", "alice", "alice-secret"),
                gitblit.get(gitblit.httpUrl(), "/go/-/metrics", "alice", "alice-secret"), "alice (no administrator)");
        assertSameAsMissing(bearer("/go/-/metricz", "wrong-token-0123456789abcdef"),
                bearer("/go/-/metrics", "wrong-token-0123456789abcdef"), "a wrong token");
    }

    @Test
    @Order(3)
    void healthIsOkThenDegradedWhileTheCacheCannotBeWritten() throws IOException {
        HttpResponse<String> ok = gitblit.get(gitblit.httpUrl(), "/go/-/health");
        assertEquals(200, ok.statusCode());
        assertEquals("ok\n", ok.body());

        // The artifact folder replaced by a file: nothing can be cached, but git still answers.
        Path artifacts = gitblit.baseFolder().resolve("goproxy/artifacts");
        Path aside = artifacts.resolveSibling("artifacts.aside");
        Files.move(artifacts, aside);
        Files.writeString(artifacts, "not a folder");
        try {
            HttpResponse<String> degraded = gitblit.get(gitblit.httpUrl(), "/go/-/health");
            assertEquals(200, degraded.statusCode());
            assertEquals("degraded: cache folder not writable\n", degraded.body());
        } finally {
            Files.delete(artifacts);
            Files.move(aside, artifacts);
        }
        assertEquals("ok\n", gitblit.get(gitblit.httpUrl(), "/go/-/health").body());
    }

    @Test
    @Order(4)
    void healthIsDownWhileStoppedAndAfterAFailedStart() throws IOException {
        GitblitSsh ssh = GitblitSsh.admin(gitblit);
        assertEquals("Stopped goproxy", ssh.ok("plugin", "stop", "goproxy").trim());
        HttpResponse<String> stopped = gitblit.get(gitblit.httpUrl(), "/go/-/health");
        assertEquals(503, stopped.statusCode());
        assertEquals("down: the Go module proxy is stopped\n", stopped.body());

        // A data folder that is a file: the start fails, and the proxy says so until it is repaired.
        Path data = gitblit.baseFolder().resolve("goproxy");
        Path aside = data.resolveSibling("goproxy.aside");
        Files.move(data, aside);
        Files.writeString(data, "not a folder");
        try {
            assertEquals("Started goproxy", ssh.ok("plugin", "start", "goproxy").trim());
            HttpResponse<String> failed = gitblit.get(gitblit.httpUrl(), "/go/-/health");
            assertEquals(503, failed.statusCode());
            assertEquals("down: the Go module proxy failed to start (see the Gitblit log)\n", failed.body());
            assertEquals("Stopped goproxy", ssh.ok("plugin", "stop", "goproxy").trim());
        } finally {
            Files.delete(data);
            Files.move(aside, data);
        }
        assertEquals("Started goproxy", ssh.ok("plugin", "start", "goproxy").trim());
        HttpResponse<String> again = gitblit.get(gitblit.httpUrl(), "/go/-/health");
        assertEquals(200, again.statusCode());
        assertEquals("ok\n", again.body());
    }

    private static void assertSameAsMissing(HttpResponse<String> missing, HttpResponse<String> metrics, String who) {
        assertEquals(missing.statusCode(), metrics.statusCode(), who);
        assertEquals(missing.body().replace("metricz", "metrics"), metrics.body(), who);
        assertEquals(missing.headers().firstValue("Content-Type"), metrics.headers().firstValue("Content-Type"), who);
        assertFalse(metrics.body().contains("goproxy_"), who + " sees metrics");
    }

    private static HttpResponse<String> bearer(String path, String token) {
        return gitblit.send(HttpRequest.newBuilder(URI.create(gitblit.httpUrl() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build());
    }
}
