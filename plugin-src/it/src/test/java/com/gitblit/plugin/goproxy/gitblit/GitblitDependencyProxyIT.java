package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.StaticGoProxy;
import com.gitblit.plugin.goproxy.testing.SumdbServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dependency proxy in a real Gitblit (every supported version): {@code goproxy.upstream} pointing at a static
 * upstream on loopback, a real checksum database (x/mod's server) passed through at {@code /go/sumdb/}, and
 * {@code goproxy.upstreamAccess} at its default: Gitblit users may use it, anonymous callers get the plain 404
 * that lets a GOPROXY chain fall through, and project bases stay forge-only.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GitblitDependencyProxyIT {
    private static final StaticGoProxy.Version LIB = new StaticGoProxy.Version("example.org/lib", "v1.0.0",
            "module example.org/lib\n\ngo 1.18\n", Collections.singletonMap("lib.go", "package lib\n\nconst N = 7\n"));

    private static GitblitInstance gitblit;
    private static StaticGoProxy upstream;
    private static SumdbServer sumdb;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start();
        LIB.publish(upstream, "v1.0.0");
        work = Files.createTempDirectory("dependency-proxy-it");
        sumdb = SumdbServer.start("sum.test.example", work.resolve("sumdb"));
        sumdb.add(LIB.goSumLines());
        gitblit = GitblitInstance.builder("dependency-proxy-it").goProxyPlugin()
                .user("alice", "alice-secret")
                .pluginSetting("moduleHost", "git.example.test")
                .pluginSetting("upstream", upstream.url())
                .pluginSetting("upstreamSumdbs", sumdb.verifierKey() + " " + sumdb.url())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gitblit != null) {
            gitblit.close();
        }
        if (sumdb != null) {
            sumdb.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void anonymousCallersGetThePlainNotFoundAndUsersTheModule() {
        URI base = gitblit.httpsUrl();
        HttpResponse<String> anonymous = gitblit.get(base, "go/example.org/lib/@v/list");
        assertEquals(404, anonymous.statusCode());
        assertEquals("not found: example.org/lib is not served here\n", anonymous.body());
        assertEquals(404, gitblit.get(base, "go/sumdb/" + sumdb.name() + "/supported").statusCode());

        HttpResponse<String> alice = gitblit.get(base, "go/example.org/lib/@v/list", "alice", "alice-secret");
        assertEquals(200, alice.statusCode(), alice.body());
        assertEquals("v1.0.0\n", alice.body());
        assertEquals(200, gitblit.get(base, "go/sumdb/" + sumdb.name() + "/supported", "alice", "alice-secret")
                .statusCode());
        assertTrue(upstream.requests().stream().noneMatch(p -> p.contains("alice")));
    }

    @Test
    void projectBasesStayForgeOnly() {
        HttpResponse<String> r = gitblit.get(gitblit.httpsUrl(), "go/@project/team/example.org/lib/@v/list",
                "alice", "alice-secret");
        assertEquals(404, r.statusCode(), r.body());
    }

    @Test
    void theGoCommandOfAUserFetchesAThirdPartyModuleThroughGitblitAlone() {
        String host = gitblit.httpsUrl().getHost();
        GoCommand go = GoCommand.in(work.resolve("go-alice"))
                .withNetrc(host, "alice", "alice-secret")
                .with("GOPROXY", gitblit.httpsUrl().resolve("go/").toString())
                .with("GOSUMDB", sumdb.verifierKey())
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
        Path app = go.newModule("app");
        long before = upstream.count("/example.org/lib/@v/v1.0.0.zip");
        go.ok(app, "get", "example.org/lib@v1.0.0");
        go.with("GOMODCACHE", work.resolve("go-alice/second-cache").toString()).ok(app, "mod", "download", "-x");
        assertTrue(upstream.count("/example.org/lib/@v/v1.0.0.zip") <= before + 1, "fetched once, then kept");
    }

    @Test
    void oneGosumdbTheForgesOwnVerifiesAThirdPartyModuleFetchedThroughGitblit() throws Exception {
        // goproxy.moduleHost names the forge's checksum database; third-party versions proven by the upstream
        // database go into it, so a client needs no other GOSUMDB and no GONOSUMDB.
        String vkey = com.gitblit.plugin.goproxy.sumdb.NoteSigner.parse(Files.readString(
                gitblit.baseFolder().resolve("goproxy/sumdb/signer-key"))).verifierKey();
        String host = gitblit.httpsUrl().getHost();
        for (String client : new String[] {"go-forge-sumdb", "go-forge-sumdb-fresh"}) {
            GoCommand go = GoCommand.in(work.resolve(client))
                    .withNetrc(host, "alice", "alice-secret")
                    .with("GOPROXY", gitblit.httpsUrl().resolve("go/").toString())
                    .with("GOSUMDB", vkey).with("GONOSUMDB", "")
                    .with("SSL_CERT_FILE", gitblit.caPem().toString());
            Path app = go.newModule("app");
            go.ok(app, "get", "example.org/lib@v1.0.0");
            assertTrue(Files.readString(app.resolve("go.sum")).contains(LIB.goSumLines().split("\n")[0]),
                    Files.readString(app.resolve("go.sum")));
        }
    }

    @Test
    void anAnonymousChainFallsThroughToTheNextProxy() {
        GoCommand go = GoCommand.in(work.resolve("go-anonymous"))
                .with("GOPROXY", gitblit.httpsUrl().resolve("go/") + "," + upstream.url())
                .with("GOSUMDB", sumdb.verifierKey() + " " + sumdb.url())
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
        Path app = go.newModule("app");
        go.ok(app, "mod", "download", "example.org/lib@v1.0.0");
    }
}
