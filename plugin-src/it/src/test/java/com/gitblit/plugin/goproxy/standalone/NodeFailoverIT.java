package com.gitblit.plugin.goproxy.standalone;

import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.BIG;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.HELLO;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.get;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.header;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.NginxServer;
import com.gitblit.plugin.goproxy.testing.StandaloneNode;

/**
 * A node killed ({@code kill -9}) behind nginx configured with {@code test-fixtures/scale/nginx.conf}: requests it
 * had received but not answered yet are sent again to the other node by nginx, and their clients get 200; a
 * download it was streaming is cut for that client (an error, never a short body taken for a whole one), nginx
 * does not keep the cut answer, and the client's retry gets the right bytes from the other node.
 *
 * <p>Two lines are added to the template for the test: the node that answers is named in a response header, and
 * nginx reads a node's answer at 2 MB/s, standing for a slow link, so that a zip of 20 MB (more than the kernel's
 * socket buffers hold) is still streaming when its node dies (nginx otherwise takes a whole answer from a node in
 * an instant, whatever the client's speed).
 */
class NodeFailoverIT {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static ScaleFixture fixture;
    private final List<StandaloneNode> nodes = new ArrayList<>();
    private NginxServer nginx;

    @BeforeAll
    static void repositories() throws Exception {
        fixture = ScaleFixture.create(shared, 20_000_000);
    }

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("node-a", "node-b")) {
            nodes.add(StandaloneNode.start(name, StandaloneNode.currentJdk(), tmp.resolve("nodes"),
                    fixture.nodeFlags(tmp.resolve("data-" + name)).toArray(String[]::new)));
        }
        nginx = NginxServer.start(tmp.resolve("nginx"), (port, dir) -> ScaleFixture.nginxConfig(
                nodes.stream().map(StandaloneNode::address).toList(), port, tmp.resolve("nginx-cache"),
                "add_header X-Upstream $upstream_addr always;", "proxy_limit_rate 2m;"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (StandaloneNode node : nodes) {
            node.close();
        }
    }

    @Test
    void requestsAKilledNodeHadNotAnsweredAreRetriedOnTheOther() throws Exception {
        StandaloneNode a = nodes.get(0);
        StandaloneNode b = nodes.get(1);
        // Frozen, node A still accepts connections (the kernel does) but answers none: requests pile up there.
        a.freeze();
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
        for (String module : List.of(HELLO, BIG)) {
            for (String file : List.of("v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip", "list")) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(nginx.url("/go/" + module + "/@v/" + file)))
                        .timeout(Duration.ofSeconds(120)).build();
                pending.add(ScaleFixture.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
            }
        }
        Thread.sleep(2_000);
        for (CompletableFuture<HttpResponse<byte[]>> f : pending) {
            if (f.isDone()) {
                assertEquals(b.address(), header(f.get(), "X-Upstream"), "answered before the kill, by node B only");
            }
        }
        a.kill();
        int retried = 0;
        for (CompletableFuture<HttpResponse<byte[]>> f : pending) {
            HttpResponse<byte[]> r = f.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.uri() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            String upstreams = header(r, "X-Upstream");
            if (upstreams.equals(a.address() + ", " + b.address())) {
                retried++;
            } else {
                assertEquals(b.address(), upstreams, r.uri().toString());
            }
        }
        assertTrue(retried > 0, "no request was waiting on node A when it was killed: " + nginx.accessLog());
        HttpResponse<byte[]> after = get(nginx.url("/go/" + HELLO + "/@v/v1.0.0.info"));
        assertEquals(200, after.statusCode());
    }

    @Test
    void aDownloadCutMidBodyFailsForItsClientAndItsRetryGetsTheRightBytes() throws Exception {
        String url = nginx.url("/go/" + BIG + "/@v/v1.0.0.zip");
        HttpResponse<InputStream> streaming = ScaleFixture.HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, streaming.statusCode());
        String serving = header(streaming, "X-Upstream");
        StandaloneNode dying = nodes.stream().filter(n -> n.address().equals(serving)).findFirst()
                .orElseThrow(() -> new AssertionError("X-Upstream: " + serving));
        StandaloneNode survivor = nodes.get(nodes.indexOf(dying) == 0 ? 1 : 0);
        long[] received = {0};
        IOException cut = assertThrows(IOException.class, () -> {
            try (InputStream in = streaming.body()) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                boolean killed = false;
                while ((n = in.read(buffer)) >= 0) {
                    received[0] += n;
                    if (!killed && received[0] >= 256 * 1024) {
                        dying.kill();
                        killed = true;
                    }
                }
            }
        }, "the client read the cut download to a clean end");
        HttpResponse<byte[]> whole = survivor.get("/go/" + BIG + "/@v/v1.0.0.zip");
        assertEquals(200, whole.statusCode());
        assertTrue(received[0] < whole.body().length, received[0] + " of " + whole.body().length + " bytes: " + cut);

        HttpResponse<byte[]> retry = get(url);
        assertEquals(200, retry.statusCode());
        assertEquals(survivor.address(), header(retry, "X-Upstream"));
        assertNotEquals("HIT", header(retry, "X-Cache-Status"), "nginx kept the cut answer");
        assertEquals(sha256(whole.body()), sha256(retry.body()));
    }
}
