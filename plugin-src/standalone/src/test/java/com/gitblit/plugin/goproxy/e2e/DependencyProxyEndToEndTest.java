package com.gitblit.plugin.goproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.StandaloneServer;
import com.gitblit.plugin.goproxy.testing.StaticGoProxy;
import com.gitblit.plugin.goproxy.testing.SumdbServer;
import com.gitblit.plugin.goproxy.upstream.ModulePatterns;
import com.gitblit.plugin.goproxy.upstream.SumdbSetting;
import com.gitblit.plugin.goproxy.upstream.UpstreamList;
import com.gitblit.plugin.goproxy.upstream.UpstreamSettings;

/**
 * The dependency proxy end to end, without internet: the upstream is a static GOPROXY tree on Jetty that records
 * every request, the checksum database is x/mod's own server with a key made for the test, the forge is the
 * standalone server, and the client is the real go command with GOPROXY = the forge only and GOSUMDB = the test
 * database's key without a URL (so it reaches the database through the forge's /sumdb/).
 */
@RequiresGo
class DependencyProxyEndToEndTest {
    private static final String PREFIX = "git.example.test";

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static SumdbServer sumdb;
    private static StaticGoProxy upstream;
    private static final StaticGoProxy.Version LIB1 = new StaticGoProxy.Version("example.org/lib", "v1.0.0",
            "module example.org/lib\n\ngo 1.18\n", Collections.singletonMap("lib.go",
                    "package lib\n\nfunc Answer() int { return 42 }\n"));
    private static final StaticGoProxy.Version LIB2 = new StaticGoProxy.Version("example.org/lib", "v1.1.0",
            "module example.org/lib\n\ngo 1.18\n", Collections.singletonMap("lib.go",
                    "package lib\n\nfunc Answer() int { return 43 }\n"));
    private static final StaticGoProxy.Version FORK = new StaticGoProxy.Version("example.org/fork", "v1.0.0",
            "module example.org/original\n\ngo 1.18\n", Collections.singletonMap("orig.go",
                    "package original\n\nfunc Name() string { return \"fork\" }\n"));
    private static final StaticGoProxy.Version EVIL = new StaticGoProxy.Version("example.org/evil", "v1.0.0",
            "module example.org/evil\n\ngo 1.18\n", Collections.singletonMap("evil.go", "package evil\n"));
    private static final StaticGoProxy.Version EVIL_TAMPERED = new StaticGoProxy.Version("example.org/evil", "v1.0.0",
            "module example.org/evil\n\ngo 1.18\n", Collections.singletonMap("evil.go",
                    "package evil\n\nfunc init() { panic(\"owned\") }\n"));
    private static final StaticGoProxy.Version DENIED = new StaticGoProxy.Version("example.org/denied", "v1.0.0",
            "module example.org/denied\n", Collections.singletonMap("d.go", "package denied\n"));
    private static final StaticGoProxy.Version BUSY = new StaticGoProxy.Version("example.org/busy", "v1.0.0",
            "module example.org/busy\n", Collections.singletonMap("b.go", "package busy\n"));

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startUpstreamAndDatabase() throws Exception {
        sumdb = SumdbServer.start("sum.test.example", shared.resolve("sumdb"));
        upstream = StaticGoProxy.start();
        for (StaticGoProxy.Version v : new StaticGoProxy.Version[] {LIB1, LIB2, FORK, EVIL, DENIED, BUSY}) {
            sumdb.add(v.goSumLines());
        }
        LIB1.publish(upstream, "v1.0.0", "v1.1.0");
        LIB2.publish(upstream, "v1.0.0", "v1.1.0");
        FORK.publish(upstream, "v1.0.0");
        EVIL_TAMPERED.publish(upstream, "v1.0.0");
        DENIED.publish(upstream, "v1.0.0");
        BUSY.publish(upstream, "v1.0.0");
    }

    @AfterAll
    static void stopUpstreamAndDatabase() throws Exception {
        upstream.close();
        sumdb.close();
    }

    @AfterEach
    void closeServers() throws Exception {
        upstream.failWith(0);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void oneGosumdbTheForgesOwnVerifiesItsModulesAndThirdPartyOnes() throws Exception {
        String own = PREFIX + "/team/own";
        com.gitblit.plugin.goproxy.testing.JGitRepo.bareModule(tmp.resolve("one/repos/team/own.git"), own,
                tmp.resolve("one-work"));
        StandaloneServer forge = forge(tmp.resolve("one"), b -> { });
        String vkey = com.gitblit.plugin.goproxy.sumdb.NoteSigner.parse(new String(Files.readAllBytes(
                tmp.resolve("one/data/sumdb/signer-key")), StandardCharsets.UTF_8)).verifierKey();
        String goSum = null;
        for (String client : new String[] {"one-a", "one-b"}) {
            // GOSUMDB is the forge's key alone: the go command reaches the database through GOPROXY.
            GoCommand go = GoCommand.in(tmp.resolve(client)).proxy(forge.httpBase()).with("GOSUMDB", vkey);
            Path app = app(tmp.resolve(client + "-app"), "module example.com/app\n\ngo 1.18\n",
                    "package main\n\nfunc main() {}\n");
            go.ok(app, "get", "example.org/lib@v1.0.0", own + "@v1.0.0");
            String sums = Files.readString(app.resolve("go.sum"));
            assertTrue(sums.contains(LIB1.goSumLines().split("\n")[0]), sums);
            assertTrue(sums.contains(own + " v1.0.0 h1:"), sums);
            if (goSum != null) {
                assertEquals(goSum, sums, "a second client with an empty cache verifies the same lines");
            }
            goSum = sums;
        }
        // Both versions are in the forge's log; a module the upstream database never proved is not.
        assertEquals(200, get(forge, "sumdb/" + PREFIX + "/lookup/example.org/lib@v1.0.0", null).status);
        assertEquals(404, get(forge, "sumdb/" + PREFIX + "/lookup/example.org/evil@v1.0.0", null).status);
    }

    @Test
    void firstFetchIsVerifiedAndKeptAndServedWhileTheUpstreamIsDown() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        GoCommand go = go(forge, tmp.resolve("go1"));
        GoCommand.Result first = go.run(tmp, "mod", "download", "-json", "example.org/lib@v1.0.0");
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.stdout().contains("\"Sum\": \"" + LIB1.goSumLines().split("\\s+")[2]), first.toString());
        assertEquals(1, upstream.count("/example.org/lib/@v/v1.0.0.zip"));

        upstream.stop();
        try {
            GoCommand.Result cached = go(forge, tmp.resolve("go2")).run(tmp, "mod", "download", "-json",
                    "example.org/lib@v1.0.0");
            assertEquals(0, cached.exit(), cached.toString());
            // With nothing cached for it, a list while the upstream is down is made of the kept versions.
            assertEquals("v1.0.0\n", get(forge, "example.org/lib/@v/list", null).body);
        } finally {
            upstream.restart();
        }
    }

    @Test
    void aBuildThroughTheForgeAloneUsesThirdPartyModulesAndAForkThroughReplace() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        Path app = app(tmp.resolve("app"), "module example.test/app\n\ngo 1.18\n\n"
                + "require (\n\texample.org/lib v1.1.0\n\texample.org/original v1.0.0\n)\n\n"
                + "replace example.org/original => example.org/fork v1.0.0\n",
                "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.org/lib\"\n\t\"example.org/original\"\n)\n\n"
                + "func main() { fmt.Println(lib.Answer(), original.Name()) }\n");
        GoCommand go = go(forge, tmp.resolve("go"));
        GoCommand.Result tidy = go.run(app, "mod", "download");
        assertEquals(0, tidy.exit(), tidy.toString());
        GoCommand.Result run = go.with("GOFLAGS", "-modcacherw -mod=mod").run(app, "run", ".");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("43 fork\n", run.stdout());
    }

    @Test
    void upstreamBytesChangedAfterTheFirstFetchAreNeverServed() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        Response before = get(forge, "example.org/lib/@v/v1.1.0.zip", null);
        assertEquals(200, before.status);
        StaticGoProxy.Version changed = new StaticGoProxy.Version("example.org/lib", "v1.1.0",
                "module example.org/lib\n\ngo 1.18\n", Collections.singletonMap("lib.go", "package lib\n// changed\n"));
        upstream.put("/example.org/lib/@v/v1.1.0.zip", changed.zip);
        try {
            Response after = get(forge, "example.org/lib/@v/v1.1.0.zip", null);
            assertEquals(200, after.status);
            assertEquals(before.body, after.body);
            GoCommand.Result dl = go(forge, tmp.resolve("go")).run(tmp, "mod", "download", "example.org/lib@v1.1.0");
            assertEquals(0, dl.exit(), dl.toString());
        } finally {
            LIB2.publish(upstream, "v1.0.0", "v1.1.0");
        }
    }

    @Test
    void bytesTheChecksumDatabaseDisagreesWithAreRefusedAndNeverKept() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        long before = upstream.count("/example.org/evil/@v/v1.0.0.zip");
        Response refused = get(forge, "example.org/evil/@v/v1.0.0.zip", null);
        assertEquals(404, refused.status);
        assertTrue(refused.body.startsWith("not found: example.org/evil@v1.0.0: checksum mismatch: the upstream has h1:"),
                refused.body);
        assertEquals(1, refused.body.split("\n").length);
        assertEquals(404, get(forge, "example.org/evil/@v/v1.0.0.zip", null).status);
        assertEquals(before + 2, upstream.count("/example.org/evil/@v/v1.0.0.zip"), "nothing was kept");
        GoCommand.Result dl = go(forge, tmp.resolve("go")).run(tmp, "mod", "download", "example.org/evil@v1.0.0");
        assertNotEquals(0, dl.exit(), dl.toString());
        assertTrue(dl.stderr().contains("checksum mismatch"), dl.toString());
    }

    @Test
    void allowAndDenyListsAnswer404WithTheReasonAndAskNothingUpstream() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> b.deny(ModulePatterns.parse("example.org/denied"))
                .allow(ModulePatterns.parse("example.org")));
        Response denied = get(forge, "example.org/denied/@v/list", null);
        assertEquals(404, denied.status);
        assertEquals("not found: example.org/denied: matches goproxy.upstreamDeny pattern example.org/denied\n",
                denied.body);
        Response notAllowed = get(forge, "example.net/other/@v/list", null);
        assertEquals(404, notAllowed.status);
        assertEquals("not found: example.net/other: not matched by goproxy.upstreamAllow\n", notAllowed.body);
        assertEquals(200, get(forge, "example.org/lib/@v/list", null).status);
        assertEquals(0, upstream.count("/example.org/denied/@v/list"));
        assertEquals(0, upstream.count("/example.net/other/@v/list"));
    }

    @Test
    void authenticatedAccessHidesItFromAnonymousCallersWhoseChainFallsThrough() throws Exception {
        StandaloneServer forge = forgeWithUsers(tmp.resolve("forge"), false);
        Response anonymous = get(forge, "example.org/lib/@v/list", null);
        assertEquals(404, anonymous.status);
        assertEquals("not found: example.org/lib is not served here\n", anonymous.body);
        assertEquals(404, get(forge, "sumdb/" + sumdb.name() + "/supported", null).status);
        assertEquals(200, get(forge, "example.org/lib/@v/list", "alice:secret").status);
        assertEquals(200, get(forge, "sumdb/" + sumdb.name() + "/supported", "alice:secret").status);

        // An anonymous go command with the forge first in a chain goes on to the next proxy.
        GoCommand go = GoCommand.in(tmp.resolve("go")).proxy(forge.httpBase() + "," + upstream.url())
                .with("GOSUMDB", sumdb.verifierKey() + " " + sumdb.url());
        long before = upstream.count("/example.org/lib/@v/v1.0.0.zip");
        GoCommand.Result dl = go.run(tmp, "mod", "download", "example.org/lib@v1.0.0");
        assertEquals(0, dl.exit(), dl.toString());
        assertEquals(before + 1, upstream.count("/example.org/lib/@v/v1.0.0.zip"), "fetched by the client itself");
    }

    @Test
    void anonymousAccessOpensItToEveryone() throws Exception {
        StandaloneServer forge = forgeWithUsers(tmp.resolve("forge"), true);
        assertEquals(200, get(forge, "example.org/lib/@v/list", null).status);
        assertEquals(200, get(forge, "sumdb/" + sumdb.name() + "/supported", null).status);
        assertEquals(404, get(forge, "sumdb/sum.other.example/supported", null).status);
    }

    @Test
    void commaFallsThroughOnlyOn404AndBarOnAnyError() throws Exception {
        try (StaticGoProxy broken = StaticGoProxy.start()) {
            broken.failWith(500);
            StandaloneServer comma = forge(tmp.resolve("comma"), UpstreamList.parse(broken.url() + "," + upstream.url()),
                    b -> { });
            Response stopped = get(comma, "example.org/lib/@v/list", null);
            assertEquals(503, stopped.status, stopped.body);
            assertEquals("upstream unavailable: try again later\n", stopped.body, "no upstream address in the answer");
            StandaloneServer bar = forge(tmp.resolve("bar"), UpstreamList.parse(broken.url() + "|" + upstream.url()),
                    b -> { });
            assertEquals(200, get(bar, "example.org/lib/@v/list", null).status);
            broken.failWith(404);
            assertEquals(200, get(forge(tmp.resolve("comma404"),
                    UpstreamList.parse(broken.url() + "," + upstream.url()), b -> { }), "example.org/lib/@v/list",
                    null).status);
            StandaloneServer off = forge(tmp.resolve("off"), UpstreamList.parse(broken.url() + ",off," + upstream.url()),
                    b -> { });
            Response offAnswer = get(off, "example.org/lib/@v/list", null);
            assertEquals(404, offAnswer.status);
            assertTrue(offAnswer.body.contains("disabled"), offAnswer.body);
        }
    }

    @Test
    void sixtyFourConcurrentColdRequestsMakeOneUpstreamFetch() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Callable<Response> call = () -> get(forge, "example.org/busy/@v/v1.0.0.zip", null);
                answers.add(pool.submit(call));
            }
            String first = null;
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertEquals(200, r.status, r.body);
                first = first == null ? r.body : first;
                assertEquals(first, r.body);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, upstream.count("/example.org/busy/@v/v1.0.0.zip"));
    }

    @Test
    void forgePathsNeverReachTheUpstream() throws Exception {
        StandaloneServer forge = forge(tmp.resolve("forge"), b -> { });
        int before = upstream.requests().size();
        assertEquals(404, get(forge, PREFIX + "/secret/@v/list", null).status);
        assertEquals(404, get(forge, PREFIX + "/secret/@v/v1.0.0.zip", null).status);
        for (String path : upstream.requests().subList(before, upstream.requests().size())) {
            assertTrue(!path.contains("secret"), path);
        }
    }

    @Test
    void aForgeBehindAForgeReadsTheChecksumDatabaseThroughItsUpstream() throws Exception {
        StandaloneServer inner = forge(tmp.resolve("inner"), b -> { });
        String innerBase = inner.httpBase().substring(0, inner.httpBase().length() - 1);
        // The outer forge knows the database's key but not a reachable URL: it must use the inner forge's /sumdb/.
        StandaloneServer outer = forge(tmp.resolve("outer"), UpstreamList.parse(innerBase),
                b -> b.sumdbs(SumdbSetting.parseList(sumdb.verifierKey() + " http://127.0.0.1:1")));
        assertEquals(200, get(outer, "example.org/lib/@v/v1.1.0.zip", null).status);
        GoCommand.Result dl = go(outer, tmp.resolve("go")).run(tmp, "mod", "download", "example.org/lib@v1.1.0");
        assertEquals(0, dl.exit(), dl.toString());
    }

    // --- helpers

    private StandaloneServer forge(Path work, Consumer<UpstreamSettings.Builder> more) throws Exception {
        return forge(work, UpstreamList.parse(upstream.url()), more);
    }

    private StandaloneServer forge(Path work, UpstreamList list, Consumer<UpstreamSettings.Builder> more)
            throws Exception {
        UpstreamSettings.Builder b = UpstreamSettings.builder(list).anonymousAccess(true)
                .sumdbs(SumdbSetting.parseList(sumdb.verifierKey() + " " + sumdb.url())).timeouts(2000, 5000);
        more.accept(b);
        Files.createDirectories(work.resolve("repos"));
        StandaloneServer s = StandaloneServer.builder(work.resolve("repos"), work).prefix(PREFIX).maxDownloads(128, 128)
                .settings(ProxySettings.builder().dataDirectory(work.resolve("data").toFile()).upstream(b.build()).build())
                .start();
        open.add(s);
        return s;
    }

    private StandaloneServer forgeWithUsers(Path work, boolean anonymous) throws Exception {
        UpstreamSettings up = UpstreamSettings.builder(UpstreamList.parse(upstream.url())).anonymousAccess(anonymous)
                .sumdbs(SumdbSetting.parseList(sumdb.verifierKey() + " " + sumdb.url())).build();
        Files.createDirectories(work.resolve("repos"));
        StandaloneServer s = StandaloneServer.builder(work.resolve("repos"), work).prefix(PREFIX).user("alice", "secret")
                .settings(ProxySettings.builder().dataDirectory(work.resolve("data").toFile()).upstream(up).build())
                .start();
        open.add(s);
        return s;
    }

    private static GoCommand go(StandaloneServer forge, Path home) {
        return GoCommand.in(home).proxy(forge.httpBase()).with("GOSUMDB", sumdb.verifierKey());
    }

    private static Path app(Path dir, String goMod, String main) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("go.mod"), goMod.getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("main.go"), main.getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    private static final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private static Response get(StandaloneServer forge, String path, String userPassword) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(forge.httpBase() + path).openConnection();
        if (userPassword != null) {
            c.setRequestProperty("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (in != null) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0;) {
                        out.write(buf, 0, n);
                    }
                }
                return new Response(status, new String(out.toByteArray(), StandardCharsets.ISO_8859_1));
            }
        } finally {
            c.disconnect();
        }
    }
}
