package com.gitblit.plugin.goproxy.standalone;

import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.get;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.NginxServer;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.StandaloneNode;

/**
 * Two nodes sharing one ledger in a real PostgreSQL server, each over its own copy of the repositories: node A's is
 * the primary, node B's a mirror that has not received the latest push, and still has {@code v1.1.0} where the
 * primary had it before the tag was moved. A pins {@code v1.1.0} to the primary's commit; B then answers it 503 with
 * Retry-After, naming the pinned commit, never its own idea of the version; through nginx
 * ({@code test-fixtures/scale/nginx.conf}) every client gets A's bytes; once B's mirror is synced, B serves them.
 */
class LaggingMirrorNodesIT {
    private static final String MODULE = ScaleFixture.PREFIX + "/lib";

    @TempDir
    static Path tmp;

    private static final List<StandaloneNode> nodes = new ArrayList<>();
    private static NginxServer nginx;
    private static RevCommit pinned;
    private static Path primary;
    private static Path mirror;

    @BeforeAll
    static void start() throws Exception {
        primary = tmp.resolve("primary/lib.git");
        mirror = tmp.resolve("mirror/lib.git");
        try (JGitRepo src = JGitRepo.init(tmp.resolve("work"))) {
            RevCommit first = src.commit("go.mod", "module " + MODULE + "\n\ngo 1.19\n", "lib.go", "package lib\n");
            src.tag("v1.1.0", first);
            src.cloneBare(primary);
            src.cloneBare(mirror);
            // On the primary only: new work, and v1.1.0 moved onto it before anyone downloaded it.
            pinned = src.commit("lib.go", "package lib\n\n// One.\nfunc One() int { return 1 }\n");
            src.moveTag("v1.1.0", pinned);
            try (Git git = Git.open(primary.toFile())) {
                git.fetch().setRemote(src.gitDir().toUri().toString())
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                        .call();
            }
        }
        PostgresServer postgres = PostgresServer.shared();
        String ledger = postgres.newDatabase();
        for (String name : List.of("a", "b")) {
            Path repos = (name.equals("a") ? primary : mirror).getParent();
            nodes.add(StandaloneNode.start("node-" + name, StandaloneNode.currentJdk(), tmp.resolve("nodes"), "--repos",
                    repos.toString(), "--prefix", ScaleFixture.PREFIX, "--data", tmp.resolve("data-" + name).toString(),
                    "--trusted-proxies", "127.0.0.1", "--ledger", ledger, "--ledger-password-file",
                    postgres.passwordFile().toString()));
        }
        nginx = NginxServer.start(tmp.resolve("nginx"), (port, dir) -> ScaleFixture.nginxConfig(
                nodes.stream().map(StandaloneNode::address).toList(), port, tmp.resolve("nginx-cache"),
                "add_header X-Upstream $upstream_addr always;"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ScaleFixture.stopAll(nginx, nodes);
    }

    @Test
    void aVersionPinnedOnAWhoseCommitBsMirrorLacksIsTryAgainOnBAndAsBytesThroughNginx() throws Exception {
        StandaloneNode a = nodes.get(0);
        StandaloneNode b = nodes.get(1);
        List<String> files = List.of("v1.1.0.info", "v1.1.0.mod", "v1.1.0.zip");
        List<byte[]> fromA = new ArrayList<>();
        for (String file : files) {
            HttpResponse<byte[]> r = a.get("/go/" + MODULE + "/@v/" + file);
            assertEquals(200, r.statusCode(), file + ": " + new String(r.body(), StandardCharsets.UTF_8));
            fromA.add(r.body());
        }

        for (String file : files) {
            HttpResponse<byte[]> r = b.get("/go/" + MODULE + "/@v/" + file);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(503, r.statusCode(), file + ": " + body);
            assertTrue(Integer.parseInt(header(r, "Retry-After")) > 0, file);
            assertEquals("no-store", header(r, "Cache-Control"));
            assertEquals(MODULE + "@v1.1.0: pinned to commit " + pinned.name()
                    + ", which this node's copy of the repository does not have yet; try again", body.trim());
        }

        boolean bTriedFirst = false;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < files.size(); i++) {
                HttpResponse<byte[]> r = get(nginx.url("/go/" + MODULE + "/@v/" + files.get(i)));
                assertEquals(200, r.statusCode(), files.get(i));
                assertArrayEquals(fromA.get(i), r.body(), files.get(i) + " through nginx differs from node A's");
                bTriedFirst |= header(r, "X-Upstream").equals(b.address() + ", " + a.address());
                assertFalse(header(r, "X-Upstream").equals(b.address()), "node B answered " + files.get(i));
            }
        }
        assertTrue(bTriedFirst, "nginx never asked node B first: " + nginx.accessLog());

        // The mirror catches up: B serves the pinned commit's bytes itself.
        try (Git git = Git.open(mirror.toFile())) {
            git.fetch().setRemote(primary.toUri().toString())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*")).call();
        }
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<byte[]> r = b.get("/go/" + MODULE + "/@v/" + files.get(i));
            assertEquals(200, r.statusCode(), files.get(i) + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertArrayEquals(fromA.get(i), r.body(), files.get(i) + " from B after the sync");
        }
    }
}
