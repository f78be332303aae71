package com.gitblit.plugin.goproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.sumdb.NoteSigner;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.StandaloneServer;
import com.gitblit.plugin.goproxy.testing.StaticGoProxy;
import com.gitblit.plugin.goproxy.testing.SumdbServer;
import com.gitblit.plugin.goproxy.upstream.ModulePatterns;
import com.gitblit.plugin.goproxy.upstream.SumdbSetting;
import com.gitblit.plugin.goproxy.upstream.UpstreamList;
import com.gitblit.plugin.goproxy.upstream.UpstreamSettings;

/**
 * Two nodes on one PostgreSQL database, with the real go command: the forge's checksum database is one tree whichever
 * node a client asks (a client that verified through one node goes on verifying through the other, which a fork
 * would make a SECURITY ERROR), and a third-party version pinned through one node by its h1 is fetched again by the
 * other and checked against that pin, so a changed upstream can never make the nodes disagree.
 */
@RequiresGo
@Tag("e2e")
@Tag("jgit")
@Tag("postgres")
class SharedDatabaseEndToEndTest {
    private static final String NS = "git.example.com";
    private static final String LIB = NS + "/team/lib";
    private static final String OTHER = NS + "/team/other";

    @TempDir
    Path tmp;
    private final PostgresServer postgres = PostgresServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void goVerifiesThroughEitherNodeAgainstOneTree() throws Exception {
        Path repos = tmp.resolve("repos");
        JGitRepo.bareModule(repos.resolve("team/lib.git"), LIB, tmp.resolve("work-lib"));
        try (JGitRepo other = JGitRepo.init(tmp.resolve("work-other"))) {
            other.tag("v1.0.0", other.commit("go.mod", "module " + OTHER + "\n\ngo 1.19\n", "o.go", "package other\n"));
            other.cloneBare(repos.resolve("team/other.git"));
        }
        String url = postgres.newDatabase();
        StandaloneServer a = node(repos, "a", url, null);
        StandaloneServer b = node(repos, "b", url, null);
        assertEquals(200, status(a, "sumdb/" + NS + "/latest"));
        String db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        String vkey = NoteSigner.parse(postgres.sql(db, "SELECT signer_key FROM goproxy_sumdb_key")).verifierKey();

        // One client verifies through node A and keeps the tree head it saw.
        GoCommand keeper = GoCommand.in(tmp.resolve("keeper")).proxy(a.httpBase())
                .with("GOSUMDB", vkey + " " + a.httpBase() + "sumdb/" + NS);
        String sums = get(keeper, "keeper-1", LIB + "@v1.0.0");
        // A second client, empty cache, through node B: the same lines, signed with the same key.
        GoCommand fresh = GoCommand.in(tmp.resolve("fresh")).proxy(b.httpBase())
                .with("GOSUMDB", vkey + " " + b.httpBase() + "sumdb/" + NS);
        assertEquals(sums, get(fresh, "fresh-1", LIB + "@v1.0.0"));
        // The first client now asks node B for a version node B logged: B's tree must extend the one it saw on A.
        GoCommand keeperViaB = keeper.proxy(b.httpBase()).with("GOSUMDB", vkey + " " + b.httpBase() + "sumdb/" + NS);
        String both = get(keeperViaB, "keeper-2", LIB + "@v1.0.0", OTHER + "@v1.0.0");
        assertTrue(both.contains(OTHER + " v1.0.0 h1:"), both);

        // Both nodes sign the same head, byte for byte, and list the same index in the same order.
        assertArrayEquals(bytes(a, "sumdb/" + NS + "/latest"), bytes(b, "sumdb/" + NS + "/latest"));
        String index = new String(bytes(a, "index?since=2020-01-01T00:00:00Z"), StandardCharsets.UTF_8);
        assertEquals(index, new String(bytes(b, "index?since=2020-01-01T00:00:00Z"), StandardCharsets.UTF_8));
        assertEquals(2, index.split("\n").length, index);
        assertEquals("2", postgres.sql(db, "SELECT size FROM goproxy_sumdb_tree"));
    }

    @Test
    void aThirdPartyPinOnOneNodeIsWhatTheOtherNodeServes() throws Exception {
        StaticGoProxy.Version kept = new StaticGoProxy.Version("example.org/unchecked", "v1.0.0",
                "module example.org/unchecked\n\ngo 1.18\n", Collections.singletonMap("u.go", "package unchecked\n"));
        StaticGoProxy.Version changed = new StaticGoProxy.Version("example.org/unchecked", "v1.0.0",
                "module example.org/unchecked\n\ngo 1.18\n", Collections.singletonMap("u.go",
                        "package unchecked\n\nfunc init() { panic(\"changed\") }\n"));
        try (SumdbServer sumdb = SumdbServer.start("sum.test.example", tmp.resolve("sumdb"));
                StaticGoProxy upstream = StaticGoProxy.start()) {
            kept.publish(upstream, "v1.0.0");
            String url = postgres.newDatabase();
            Path repos = Files.createDirectories(tmp.resolve("repos"));
            // No checksum database vouches for this module (goproxy.upstreamNoSumCheck): the ledger's pin is all
            // that keeps the nodes honest.
            UpstreamSettings up = UpstreamSettings.builder(UpstreamList.parse(upstream.url())).anonymousAccess(true)
                    .sumdbs(SumdbSetting.parseList(sumdb.verifierKey() + " " + sumdb.url()))
                    .noSumCheck(ModulePatterns.parse("example.org/unchecked")).timeouts(2000, 5000).build();
            StandaloneServer a = node(repos, "a", url, up);
            byte[] zipOnA = bytes(a, "example.org/unchecked/@v/v1.0.0.zip");
            assertArrayEquals(kept.zip, zipOnA);

            // The upstream now serves other bytes under the same version. Node B never fetched it: it fetches it
            // now, and refuses what does not match the pin node A made.
            changed.publish(upstream, "v1.0.0");
            StandaloneServer b = node(repos, "b", url, up);
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(b.httpBase()
                    + "example.org/unchecked/@v/v1.0.0.zip")).build(), HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, refused.statusCode(), "node B served bytes other than node A's pin");
            assertTrue(refused.body().contains("than were first served"), refused.body());

            // With the upstream right again, node B fetches, checks against the pin and serves A's bytes.
            kept.publish(upstream, "v1.0.0");
            assertArrayEquals(zipOnA, bytes(b, "example.org/unchecked/@v/v1.0.0.zip"));
        }
    }

    private StandaloneServer node(Path repos, String name, String url, UpstreamSettings upstream) throws Exception {
        ProxySettings.Builder settings = ProxySettings.builder().dataDirectory(tmp.resolve(name + "/data").toFile())
                .ledger(url, postgres.passwordFile().toFile());
        if (upstream != null) {
            settings.upstream(upstream);
        }
        StandaloneServer s = StandaloneServer.builder(repos, tmp.resolve(name)).prefix(NS).settings(settings.build())
                .start();
        open.add(s);
        return s;
    }

    private String get(GoCommand go, String app, String... modules) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("apps/" + app));
        Files.writeString(dir.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        Files.writeString(dir.resolve("main.go"), "package main\n\nfunc main() {}\n");
        List<String> args = new ArrayList<>(List.of("get"));
        args.addAll(List.of(modules));
        go.ok(dir, args.toArray(new String[0]));
        return Files.readString(dir.resolve("go.sum"));
    }

    private int status(StandaloneServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.httpBase() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private byte[] bytes(StandaloneServer s, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(s.httpBase() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }
}
