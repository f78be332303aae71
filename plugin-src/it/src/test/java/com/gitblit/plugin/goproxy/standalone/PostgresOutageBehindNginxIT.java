package com.gitblit.plugin.goproxy.standalone;

import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.SECRET;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.basicAlice;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.get;
import static com.gitblit.plugin.goproxy.standalone.ScaleFixture.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.NginxServer;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.StandaloneNode;

/**
 * PostgreSQL stopped under two nodes behind nginx ({@code test-fixtures/scale/nginx.conf}), with a private module so
 * that nginx's cache answers nothing: a version node A pinned and served keeps being served by A from its own copy
 * of the ledger, and through nginx; node B, which never saw it, cannot tell it is pinned and answers "try again"
 * (nginx then asks A); a version nobody pinned yet answers 503 with Retry-After through nginx, from every node.
 * When the database is back, the new version is pinned and both nodes serve the first one with A's bytes.
 */
class PostgresOutageBehindNginxIT {
    private static final String BASE = "/go/" + SECRET + "/@v/";

    @TempDir
    static Path tmp;

    private static PostgresServer postgres;
    private static Path postgresDir;
    private static final List<StandaloneNode> nodes = new ArrayList<>();
    private static NginxServer nginx;
    private static ScaleFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ScaleFixture.create(tmp, 100_000);
        // Its own server, not the shared one: this test stops it. Outside the test's folder, which nobody (the
        // server's user under root) cannot enter.
        postgresDir = Files.createTempDirectory("goproxy-pg-outage-");
        postgres = PostgresServer.start(postgresDir);
        String ledger = postgres.newDatabase();
        for (String name : List.of("a", "b")) {
            List<String> flags = new ArrayList<>(fixture.nodeFlags(tmp.resolve("data-" + name)));
            flags.addAll(List.of("--ledger", ledger, "--ledger-password-file", postgres.passwordFile().toString()));
            nodes.add(StandaloneNode.start("node-" + name, StandaloneNode.currentJdk(), tmp.resolve("nodes"),
                    flags.toArray(String[]::new)));
        }
        nginx = NginxServer.start(tmp.resolve("nginx"), (port, dir) -> ScaleFixture.nginxConfig(
                nodes.stream().map(StandaloneNode::address).toList(), port, tmp.resolve("nginx-cache")));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ScaleFixture.stopAll(nginx, nodes);
        if (postgres != null) {
            postgres.close();
        }
        if (postgresDir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(postgresDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                // a leftover temporary folder is no failure of the product
            }
        }
    }

    @Test
    void pinnedVersionsAreServedWhileTheDatabaseIsDownAndNewOnesWaitForIt() throws Exception {
        StandaloneNode a = nodes.get(0);
        StandaloneNode b = nodes.get(1);
        String alice = basicAlice();
        List<String> files = List.of("v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip");
        List<byte[]> fromA = new ArrayList<>();
        for (String file : files) {
            HttpResponse<byte[]> r = a.get(BASE + file, "Authorization", alice);
            assertEquals(200, r.statusCode(), file + ": " + text(r));
            fromA.add(r.body());
        }
        // A new version tag, never asked for before the database goes away.
        Path secret = fixture.repos.resolve("secret.git");
        try (Git git = Git.open(secret.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repo = git.getRepository();
            git.tag().setName("v1.1.0").setAnnotated(false)
                    .setObjectId(walk.parseCommit(repo.resolve("refs/tags/v1.0.0"))).call();
        }

        postgres.stop();
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<byte[]> direct = a.get(BASE + files.get(i), "Authorization", alice);
            assertEquals(200, direct.statusCode(), "node A, database down, " + files.get(i) + ": " + text(direct));
            assertArrayEquals(fromA.get(i), direct.body());
            HttpResponse<byte[]> front = get(nginx.url(BASE + files.get(i)), "Authorization", alice);
            assertEquals(200, front.statusCode(), "through nginx, database down, " + files.get(i) + ": " + text(front));
            assertArrayEquals(fromA.get(i), front.body());
        }
        HttpResponse<byte[]> unseen = b.get(BASE + "v1.0.0.zip", "Authorization", alice);
        assertEquals(503, unseen.statusCode(), "node B cannot know v1.0.0 is pinned: " + text(unseen));
        assertTrue(Integer.parseInt(header(unseen, "Retry-After")) > 0);
        HttpResponse<byte[]> fresh = get(nginx.url(BASE + "v1.1.0.info"), "Authorization", alice);
        assertEquals(503, fresh.statusCode(), "a new pin while the database is down: " + text(fresh));
        assertTrue(Integer.parseInt(header(fresh, "Retry-After")) > 0);
        assertEquals("no-store", header(fresh, "Cache-Control"));

        postgres.startAgain();
        Eventually.within(Duration.ofSeconds(60)).until("the new version once the database is back",
                () -> get(nginx.url(BASE + "v1.1.0.info"), "Authorization", alice).statusCode() == 200);
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<byte[]> r = b.get(BASE + files.get(i), "Authorization", alice);
            assertEquals(200, r.statusCode(), "node B, database back, " + files.get(i) + ": " + text(r));
            assertArrayEquals(fromA.get(i), r.body(), files.get(i));
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
