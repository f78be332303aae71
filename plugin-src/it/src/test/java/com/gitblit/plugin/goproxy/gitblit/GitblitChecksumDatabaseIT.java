package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.sumdb.NoteSigner;
import com.gitblit.plugin.goproxy.sumdb.NoteVerifier;
import com.gitblit.plugin.goproxy.sumdb.SignedNote;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The forge's checksum database in a real Gitblit: the key made at first start in the plugin's data folder, the
 * go command verifying a module with GOSUMDB = that key and no GONOSUMDB, lookups answering exactly as downloads
 * do for private and absent modules, and the index feed listing only what the caller may download.
 */
@RequiresGo
class GitblitChecksumDatabaseIT {
    private static final String NS = "git.example.test";
    private static final String LIB = NS + "/team/lib";
    private static final String SECRET = NS + "/team/secret";

    private static GitblitInstance gitblit;
    private static Path work;
    private static String vkey;

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("checksum-database-it").goProxyPlugin().user("alice", "alice-secret")
                .pluginSetting("moduleHost", NS).pluginSetting("accessLog", "${baseFolder}/logs/goproxy-access.log")
                .start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("team/lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("team/secret.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.setUserPermission("team/secret.git", "alice", Permission.CLONE);
        LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0").pushTo(gitblit.repositoriesFolder().resolve("team/lib.git"));
        LocalRepo.module(work.resolve("src/secret"), SECRET, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("team/secret.git"));
        Path key = gitblit.baseFolder().resolve("goproxy/sumdb/signer-key");
        vkey = NoteSigner.parse(new String(Files.readAllBytes(key), StandardCharsets.UTF_8)).verifierKey();
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    private static GoCommand go(String name) {
        return GoCommand.in(work.resolve(name)).proxy(gitblit.httpsUrl().resolve("go/").toString())
                .with("GOSUMDB", vkey).with("GONOSUMDB", "").with("GOPRIVATE", "")
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    @Test
    void theGoCommandVerifiesTheForgesModulesWithItsKeyAlone() throws Exception {
        String first = null;
        for (String client : new String[] {"go-a", "go-b"}) {
            GoCommand go = go(client);
            Path app = go.newModule("app");
            go.ok(app, "get", LIB + "@v1.0.0");
            String sums = Files.readString(app.resolve("go.sum"));
            assertTrue(sums.contains(LIB + " v1.0.0 h1:") && sums.contains(LIB + " v1.0.0/go.mod h1:"), sums);
            if (first != null) {
                assertEquals(first, sums, "an empty cache verifies the same lines");
            }
            first = sums;
        }
        GoCommand alice = go("go-alice").withNetrc(gitblit.httpsUrl().getHost(), "alice", "alice-secret");
        Path app = alice.newModule("app");
        alice.ok(app, "get", SECRET + "@v1.0.0");
        assertTrue(Files.readString(app.resolve("go.sum")).contains(SECRET + " v1.0.0 h1:"));
    }

    @Test
    void aLookupAnswersExactlyAsTheDownloadWouldAndTheHeadIsSigned() throws Exception {
        URI base = gitblit.httpsUrl();
        String db = "go/sumdb/" + NS + "/";
        for (String module : new String[] {SECRET, NS + "/team/absent"}) {
            HttpResponse<String> download = gitblit.get(base, "go/" + module + "/@v/v1.0.0.info");
            HttpResponse<String> lookup = gitblit.get(base, db + "lookup/" + module + "@v1.0.0");
            assertEquals(download.statusCode(), lookup.statusCode(), module);
            assertFalse(lookup.body().contains("h1:"), lookup.body());
        }
        HttpResponse<String> alice = gitblit.get(base, db + "lookup/" + SECRET + "@v1.0.0", "alice", "alice-secret");
        assertEquals(200, alice.statusCode(), alice.body());
        assertTrue(alice.body().contains(SECRET + " v1.0.0/go.mod h1:"), alice.body());
        HttpResponse<String> latest = gitblit.get(base, db + "latest");
        assertEquals(200, latest.statusCode());
        TreeHead head = TreeHead.parse(SignedNote.open(latest.body().getBytes(StandardCharsets.UTF_8),
                NoteVerifier.parse(vkey)));
        assertTrue(head.size() >= 1, latest.body());
        assertEquals(404, gitblit.get(base, db + "tile/8/data/000.p/1").statusCode(), "data tiles name modules");
    }

    @Test
    void theIndexListsOnlyWhatTheCallerMayDownload() throws Exception {
        URI base = gitblit.httpsUrl();
        go("go-index").ok(go("go-index").newModule("app"), "mod", "download", LIB + "@v1.0.0");
        GoCommand alice = go("go-index-alice").withNetrc(gitblit.httpsUrl().getHost(), "alice", "alice-secret");
        alice.ok(alice.newModule("app"), "mod", "download", SECRET + "@v1.0.0");
        HttpResponse<String> anonymous = gitblit.get(base, "go/index");
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().contains("\"Path\":\"" + LIB + "\""), anonymous.body());
        assertFalse(anonymous.body().contains("secret"), anonymous.body());
        HttpResponse<String> withRights = gitblit.get(base, "go/index", "alice", "alice-secret");
        assertTrue(withRights.body().contains("\"Path\":\"" + SECRET + "\""), withRights.body());
        // goproxy.accessLog: every proxy request, in the combined format, with the user Gitblit authenticated.
        // A line is written as its request ends, which may be just after the client has read the whole answer.
        Path accessLog = gitblit.baseFolder().resolve("logs/goproxy-access.log");
        com.gitblit.plugin.goproxy.testing.Eventually.within(java.time.Duration.ofSeconds(10))
                .until("alice's index request in the access log", () -> Files.readAllLines(accessLog).stream()
                        .anyMatch(l -> l.startsWith("127.0.0.1 - alice [") && l.contains("\"GET /go/index ")));
        java.util.List<String> log = Files.readAllLines(accessLog);
        assertTrue(log.stream().anyMatch(l -> l.matches("127\\.0\\.0\\.1 - alice \\[[^]]+\\] \"GET /go/index HTTP/1\\.1\" 200 \\d+ \"-\" \"[^\"]*\"")),
                String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains(" - - [") && l.contains("\"GET /go/index HTTP/1.1\" 200")),
                "the anonymous request too");
    }
}
