package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The standalone jar's {@code /go/-/metrics} scraped by Debian's real Prometheus server: Prometheus runs on
 * loopback with a scrape job that presents the bearer token of {@code --metrics-token-file}; after a few proxy
 * requests its query API ({@code /api/v1/query}) returns the request counter for them. The exposition is also
 * read directly: no module path appears in it, and without the token the route answers 401. While that server runs,
 * the jar's {@code ledger} command, another process, is refused its data folder (the server's lock).
 */
class PrometheusScrapeIT {
    private static final Path PROMETHEUS = Paths.get("/usr/bin/prometheus");
    private static final String MODULE = "example.test/hello";
    private static final String TOKEN = "metrics-token-0123456789abcdef";

    @TempDir
    static Path tmp;

    private static final List<Process> processes = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path jar;
    private static Path data;
    private static URI proxy;
    private static URI prometheus;
    private static Path prometheusLog;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), "prometheus is missing: install Debian's prometheus (.ci/run does)");
        jar = Paths.get(System.getProperty("goproxy.standalone.jar", "target/goproxy-standalone.jar"))
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no standalone jar at " + jar + " (mvn package builds it)");
        Path repos = Files.createDirectories(tmp.resolve("repos"));
        JGitRepo.bareModule(repos.resolve("hello.git"), MODULE, tmp.resolve("work"));
        Path tokenFile = Files.writeString(tmp.resolve("metrics.token"), TOKEN + "\n");

        int proxyPort = freePort();
        Path proxyLog = tmp.resolve("goproxy.log");
        processes.add(new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString(), "--repos", repos.toString(), "--prefix", "example.test",
                "--data", (data = tmp.resolve("data")).toString(), "--listen", "127.0.0.1:" + proxyPort,
                "--metrics-token-file", tokenFile.toString())
                .redirectErrorStream(true).redirectOutput(proxyLog.toFile()).start());
        proxy = URI.create("http://127.0.0.1:" + proxyPort + "/go/");
        Eventually.within(Duration.ofSeconds(60)).describing(() -> tail(proxyLog))
                .until("the standalone server answers its health route",
                        () -> get(proxy.resolve("-/health"), null).statusCode() == 200);

        int promPort = freePort();
        Path config = Files.writeString(tmp.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: goproxy",
                "    metrics_path: /go/-/metrics",
                "    authorization:",
                "      type: Bearer",
                "      credentials_file: " + tokenFile,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + proxyPort + "']",
                ""));
        prometheusLog = tmp.resolve("prometheus.log");
        processes.add(new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(tmp.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start());
        prometheus = URI.create("http://127.0.0.1:" + promPort + "/");
        Eventually.within(Duration.ofSeconds(60)).describing(() -> tail(prometheusLog))
                .until("Prometheus is ready", () -> get(prometheus.resolve("-/ready"), null).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void prometheusScrapesTheRequestCounter() throws Exception {
        String base = MODULE + "/@v/";
        for (String path : List.of(base + "list", base + "v1.0.0.info", base + "v1.0.0.mod", base + "v1.0.0.zip",
                base + "v1.0.0.zip")) {
            assertEquals(200, get(proxy.resolve(path), null).statusCode(), path);
        }
        assertEquals(404, get(proxy.resolve(base + "v9.9.9.info"), null).statusCode());

        Eventually wait = Eventually.within(Duration.ofSeconds(60)).describing(() -> tail(prometheusLog));
        wait.until("Prometheus scraped the proxy (up == 1)", () -> value("up{job=\"goproxy\"}") == 1);
        wait.until("Prometheus has the two zip downloads",
                () -> value("sum(goproxy_requests_total{route=\"zip\",status=\"200\"})") == 2);
        assertEquals(1, value("sum(goproxy_requests_total{route=\"info\",status=\"404\"})"));
        assertEquals(1, value("sum(goproxy_requests_total{route=\"list\"})"));
        // The first zip was built, the second came from the cache.
        assertEquals(1, value("sum(goproxy_builds_total{result=\"ok\"})"));
        assertTrue(value("sum(goproxy_cache_lookups_total{kind=\"zip\",result=\"hit\"})") >= 1);
        assertTrue(value("goproxy_request_duration_seconds_count{route=\"zip\"}") == 2);
        assertTrue(value("goproxy_response_bytes_total{route=\"zip\"}") > 0);
        assertTrue(value("goproxy_ledger_versions") >= 1);
    }

    @Test
    void theExpositionNamesNoModuleAndWantsTheToken() throws Exception {
        // @latest: a route the other test leaves alone, so that its counts stay exact.
        assertEquals(200, get(proxy.resolve(MODULE + "/@latest"), null).statusCode());
        HttpResponse<String> metrics = get(proxy.resolve("-/metrics"), TOKEN);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                metrics.headers().toString());
        assertTrue(metrics.body().contains("goproxy_requests_total{route=\"latest\",status=\"200\"}"), metrics.body());
        assertFalse(metrics.body().contains("example.test"), "a module path in the metrics");
        assertFalse(metrics.body().contains("hello"), "a repository name in the metrics");
        assertEquals(401, get(proxy.resolve("-/metrics"), null).statusCode());
        assertEquals(401, get(proxy.resolve("-/metrics"), "not-the-token-0123456789").statusCode());
    }

    @Test
    void anotherProcessIsRefusedTheServersDataFolder() throws Exception {
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", jar.toString(), "ledger", "list", "--data", data.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ledger list did not finish");
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.contains("is in use by goproxy server (") && text.contains("stop it first"), text);
    }

    /** The single value of an instant query; NaN when it has no result yet. */
    private static double value(String query) throws Exception {
        HttpResponse<String> r = get(prometheus.resolve("api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject json = new JsonParser().parse(r.body()).getAsJsonObject();
        assertEquals("success", json.get("status").getAsString(), r.body());
        JsonArray result = json.getAsJsonObject("data").getAsJsonArray("result");
        if (result.size() == 0) {
            return Double.NaN;
        }
        assertEquals(1, result.size(), r.body());
        return Double.parseDouble(result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }

    private static HttpResponse<String> get(URI uri, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
