package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * {@code /go/-/health} and {@code /go/-/metrics} of the standalone server over real HTTP: health is open and says
 * {@code ok}, or {@code degraded} while the cache folder cannot be written (and {@code ok} once it can again);
 * metrics exist only with a token, answer only that token, and carry the requests made, with no module path.
 */
@Tag("jgit")
class OperatorRoutesTest {
    private static final String MODULE = "example.test/team/lib";
    private static final String TOKEN = "metrics-token-0123456789abcdef";

    @TempDir
    Path tmp;
    private Path repos;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void repository() throws Exception {
        repos = tmp.resolve("repos");
        JGitRepo.bareModule(repos.resolve("team/lib.git"), MODULE, tmp.resolve("work"));
    }

    private StandaloneServer start(String token) throws Exception {
        return StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix("example.test")
                .http("127.0.0.1", 0).metricsToken(token)
                .settings(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build()));
    }

    @Test
    void healthIsOkThenDegradedWhileTheCacheCannotBeWritten() throws Exception {
        try (StandaloneServer server = start(null)) {
            HttpResponse<String> ok = get(server, "-/health", null);
            assertEquals(200, ok.statusCode());
            assertEquals("ok\n", ok.body());
            assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(""));

            Path artifacts = DataFolderFormat.artifacts(tmp.resolve("data"));
            Path aside = artifacts.resolveSibling("artifacts.aside");
            Files.move(artifacts, aside);
            Files.writeString(artifacts, "not a folder");
            HttpResponse<String> degraded = get(server, "-/health", null);
            assertEquals(200, degraded.statusCode());
            assertEquals("degraded: cache folder not writable\n", degraded.body());
            assertEquals(200, get(server, MODULE + "/@v/list", null).statusCode(), "a degraded proxy still serves");

            Files.delete(artifacts);
            Files.move(aside, artifacts);
            assertEquals("ok\n", get(server, "-/health", null).body());
        }
    }

    @Test
    void metricsAnswerTheTokenOnly() throws Exception {
        try (StandaloneServer server = start(TOKEN)) {
            assertEquals(200, get(server, MODULE + "/@v/list", null).statusCode());
            assertEquals(200, get(server, MODULE + "/@v/v1.0.0.zip", null).statusCode());
            HttpResponse<String> metrics = get(server, "-/metrics", TOKEN);
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            assertTrue(text.contains("goproxy_requests_total{route=\"list\",status=\"200\"} 1"), text);
            assertTrue(text.contains("goproxy_requests_total{route=\"zip\",status=\"200\"} 1"), text);
            assertTrue(text.contains("goproxy_builds_total{result=\"ok\"} 1"), text);
            assertTrue(text.contains("goproxy_ledger_versions 1"), text);
            assertTrue(text.contains("goproxy_cache_size_bytes "), text);
            assertFalse(text.contains("example.test") || text.contains("team/lib"), "a module path in the metrics");

            assertEquals(401, get(server, "-/metrics", null).statusCode());
            assertEquals(401, get(server, "-/metrics", "wrong-token-0123456789abcdef").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base(server) + "-/metrics"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void withoutATokenThereIsNoMetricsRoute() throws Exception {
        try (StandaloneServer server = start(null)) {
            HttpResponse<String> r = get(server, "-/metrics", TOKEN);
            assertEquals(404, r.statusCode());
            assertFalse(r.body().contains("goproxy_"));
        }
    }

    private HttpResponse<String> get(StandaloneServer server, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(server) + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(StandaloneServer server) {
        return "http://127.0.0.1:" + server.httpPort() + StandaloneServer.BASE;
    }
}
