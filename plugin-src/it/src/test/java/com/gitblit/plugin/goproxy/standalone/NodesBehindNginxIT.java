package com.gitblit.plugin.goproxy.standalone;

import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.BIG;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.HELLO;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.PREFIX;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.SECRET;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.get;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.header;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.NginxServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.StandaloneNode;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Two standalone nodes over the same repositories, one on the JDK running the build and one on another JDK, each
 * with its own data folder, behind Debian's nginx configured with {@code test-fixtures/scale/nginx.conf}. Module
 * files are byte-identical whichever node (and JDK) built them, with the same ETag (the zip's h1, which the go
 * command also computes). nginx's cache keeps what the proxy marks public and immutable, and answers conditional
 * requests from it; it never keeps a private module's answer, a 404 or a 401.
 */
@RequiresGo
class NodesBehindNginxIT {
    @TempDir
    static Path tmp;

    private static ScaleFixture fixture;
    private static final List<StandaloneNode> nodes = new ArrayList<>();
    private static NginxServer nginx;
    private static Path cache;

    @BeforeAll
    static void start() throws Exception {
        fixture = ScaleFixture.create(tmp, 3_000_000);
        Path otherJdk = StandaloneNode.otherJdk();
        nodes.add(StandaloneNode.start("node-current-jdk", StandaloneNode.currentJdk(), tmp.resolve("nodes"),
                fixture.nodeFlags(tmp.resolve("data-a")).toArray(String[]::new)));
        nodes.add(StandaloneNode.start("node-other-jdk", otherJdk, tmp.resolve("nodes"),
                fixture.nodeFlags(tmp.resolve("data-b")).toArray(String[]::new)));
        cache = tmp.resolve("nginx-cache");
        nginx = NginxServer.start(tmp.resolve("nginx"),
                (port, dir) -> ScaleFixture.nginxConfig(nodes.stream().map(StandaloneNode::address).toList(), port, cache));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ScaleFixture.stopAll(nginx, nodes);
    }

    @Test
    void moduleFilesAreByteIdenticalAcrossNodesOnTwoJdks() throws Exception {
        StandaloneNode a = nodes.get(0);
        StandaloneNode b = nodes.get(1);
        for (String module : List.of(HELLO, BIG)) {
            for (String file : List.of("v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip")) {
                String path = "/go/" + module + "/@v/" + file;
                // Cold on each node (built there), then warm (from each node's own cache).
                HttpResponse<byte[]> coldA = a.get(path);
                HttpResponse<byte[]> coldB = b.get(path);
                HttpResponse<byte[]> warmA = a.get(path);
                HttpResponse<byte[]> warmB = b.get(path);
                for (HttpResponse<byte[]> r : List.of(coldA, coldB, warmA, warmB)) {
                    assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
                    assertArrayEquals(coldA.body(), r.body(), path + " differs between nodes or between cold and warm");
                }
                assertEquals(header(warmA, "ETag"), header(warmB, "ETag"), path);
                assertEquals(header(warmA, "Last-Modified"), header(warmB, "Last-Modified"), path);
                assertEquals(header(warmA, "Cache-Control"), header(warmB, "Cache-Control"), path);
                if (!file.endsWith(".info")) {
                    assertTrue(header(warmA, "ETag").startsWith("\"h1:"), path + " ETag " + header(warmA, "ETag"));
                }
            }
        }
        assertTrue(a.logTail().length() > 0 && b.logTail().length() > 0);
    }

    @Test
    void theGoCommandThroughNginxComputesTheZipsETag() throws Exception {
        GoCommand go = GoCommand.in(tmp.resolve("go")).with("GOPROXY", nginx.url("/go/")).with("GONOSUMDB", PREFIX)
                .with("GOFLAGS", "-mod=mod");
        GoCommand.Result download = go.ok(go.newModule("app"), "mod", "download", "-json", BIG + "@v1.0.0");
        JsonObject json = new JsonParser().parse(download.stdout()).getAsJsonObject();
        String sum = json.get("Sum").getAsString();
        for (StandaloneNode node : nodes) {
            HttpResponse<byte[]> zip = node.get("/go/" + BIG + "/@v/v1.0.0.zip");
            assertEquals(200, zip.statusCode());
            assertEquals('"' + sum + '"', header(zip, "ETag"), node.name());
            assertEquals(sha256(Files.readAllBytes(Path.of(json.get("Zip").getAsString()))), sha256(zip.body()));
        }
    }

    @Test
    void nginxKeepsAPublicPinnedZipAndAnswersConditionalRequestsFromIt() throws Exception {
        String url = nginx.url("/go/" + HELLO + "/@v/v1.0.0.zip");
        // The first build on each node streams before its h1 is known (no ETag): not stored. Then stored.
        HttpResponse<byte[]> first = get(url);
        for (int i = 0; i < 4 && !"HIT".equals(header(first, "X-Cache-Status")); i++) {
            assertEquals(200, first.statusCode());
            first = get(url);
        }
        assertEquals("HIT", header(first, "X-Cache-Status"), "a public pinned zip should come from nginx's cache");
        assertEquals("public, max-age=604800, immutable", header(first, "Cache-Control"));
        String etag = header(first, "ETag");
        assertTrue(etag.startsWith("\"h1:"), etag);
        assertArrayEquals(nodes.get(0).get("/go/" + HELLO + "/@v/v1.0.0.zip").body(), first.body());

        HttpResponse<byte[]> unchanged = get(url, "If-None-Match", etag);
        assertEquals(304, unchanged.statusCode());
        assertEquals("HIT", header(unchanged, "X-Cache-Status"));
        HttpResponse<byte[]> otherTag = get(url, "If-None-Match", "\"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"");
        assertEquals(200, otherTag.statusCode());
        assertArrayEquals(first.body(), otherTag.body());

        String line = lastLogLine("GET /go/" + HELLO + "/@v/v1.0.0.zip 304");
        assertTrue(line.contains("upstream=- ") && line.contains("cache=HIT"), "answered without a node: " + line);
        assertTrue(cachedKeys().stream().anyMatch(k -> k.endsWith("/go/" + HELLO + "/@v/v1.0.0.zip")), cachedKeys().toString());
        // An operator's reload (a node added or removed) keeps what the cache holds.
        nginx.reload(ScaleFixture.nginxConfig(nodes.stream().map(StandaloneNode::address).toList(), nginx.port(), cache));
        Eventually.within(Duration.ofSeconds(10)).until("the reloaded nginx to answer from its cache",
                () -> "HIT".equals(header(get(url), "X-Cache-Status")));

        // .mod and .info of a pinned version: the same; a list only for its 60 seconds (its Cache-Control).
        for (String file : List.of("v1.0.0.mod", "v1.0.0.info")) {
            get(nginx.url("/go/" + HELLO + "/@v/" + file));
            HttpResponse<byte[]> again = get(nginx.url("/go/" + HELLO + "/@v/" + file));
            assertEquals("HIT", header(again, "X-Cache-Status"), file);
        }
        HttpResponse<byte[]> list = get(nginx.url("/go/" + HELLO + "/@v/list"));
        assertEquals("public, max-age=60", header(list, "Cache-Control"));
    }

    @Test
    void nginxNeverKeepsAPrivateAnswerA404OrA401() throws Exception {
        String secret = nginx.url("/go/" + SECRET + "/@v/v1.0.0.zip");
        byte[] expected = null;
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> alice = get(secret, "Authorization", ScaleFixture.basicAlice());
            assertEquals(200, alice.statusCode(), new String(alice.body(), StandardCharsets.UTF_8));
            assertTrue(header(alice, "Cache-Control").startsWith("private"), header(alice, "Cache-Control"));
            assertNotEquals("HIT", header(alice, "X-Cache-Status"));
            expected = expected == null ? alice.body() : expected;
            assertArrayEquals(expected, alice.body());
            HttpResponse<byte[]> anonymous = get(secret);
            assertEquals(401, anonymous.statusCode(), "nginx handed a private answer to an anonymous caller");
            assertNotEquals("HIT", header(anonymous, "X-Cache-Status"));
            HttpResponse<byte[]> missing = get(nginx.url("/go/" + HELLO + "/@v/v9.9.9.zip"));
            assertEquals(404, missing.statusCode());
            assertEquals("no-store", header(missing, "Cache-Control"));
            assertNotEquals("HIT", header(missing, "X-Cache-Status"));
        }
        for (String key : cachedKeys()) {
            assertFalse(key.contains("/secret/") || key.contains("v9.9.9"), "nginx stored " + key);
        }
    }

    @Test
    void docsScaleShowsTheTemplateTheTestsRun() throws IOException {
        String doc = Files.readString(Path.of("docs/scale.md"));
        String template = Files.readString(ScaleFixture.NGINX_TEMPLATE);
        assertTrue(doc.contains("```nginx\n" + template + "```\n"),
                "docs/scale.md should show test-fixtures/scale/nginx.conf as it is, in an nginx block");
    }

    /** The KEY line of every file in nginx's cache folder. */
    private static List<String> cachedKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        if (!Files.exists(cache)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(cache)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] head = Files.readAllBytes(f);
                String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
                int at = text.indexOf("\nKEY: ");
                if (at >= 0) {
                    keys.add(text.substring(at + 6, text.indexOf('\n', at + 6)));
                }
            }
        }
        return keys;
    }

    /** nginx writes a request's line as it ends, possibly just after the client has read the answer. */
    private static String lastLogLine(String prefix) {
        return Eventually.within(Duration.ofSeconds(10)).value("an access-log line " + prefix, () -> {
            List<String> log = nginx.accessLog();
            for (int i = log.size() - 1; i >= 0; i--) {
                if (log.get(i).startsWith(prefix)) {
                    return log.get(i);
                }
            }
            return null;
        });
    }
}
