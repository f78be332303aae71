package com.gitblit.plugin.goproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.DamagedRepository;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.StandaloneServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * Issue 13 end to end, through the standalone server and the real go command: one tag with a go.mod over 16 MiB
 * leaves the module usable ({@code go get @latest} takes the version below it), and a damaged repository answers
 * 503 with Retry-After and no-store, never a 404 or an empty list a client or cache would believe.
 */
@RequiresGitCli
@RequiresGo
@Tag("e2e")
@Tag("jgit")
class BadTagsAndDamageEndToEndTest {
    @TempDir
    static Path tmp;

    private static StandaloneServer server;
    private static GoCommand go;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path folder = tmp.resolve("repos");
        try (DamagedRepository bad = DamagedRepository.createBare(folder.resolve("example.com/bad.git"))) {
            goodVersions(bad, "example.com/bad");
            byte[] huge = new byte[(16 << 20) + 10];
            Arrays.fill(huge, (byte) '/');
            byte[] head = "module example.com/bad\n".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, huge, 0, head.length);
            huge[huge.length - 1] = '\n';
            bad.tag("v1.2.0", bad.commitBytes("go.mod", huge));
        }
        try (DamagedRepository hurt = DamagedRepository.createBare(folder.resolve("example.com/hurt.git"))) {
            RevCommit c1 = hurt.commit("go.mod", "module example.com/hurt\n", "old.go", "package hurt\n\n// old\n");
            hurt.tag("v1.0.0", c1);
            RevCommit c2 = hurt.commit("go.mod", "module example.com/hurt\n\n// v1.1.0\n", "old.go", "package hurt\n");
            hurt.tag("v1.1.0", c2);
            RevCommit c3 = hurt.commit("go.mod", "module example.com/hurt\n\n// v1.2.0\n");
            hurt.tag("v1.2.0", c3);
            hurt.deleteObject(hurt.objectAt(c3, "go.mod"));
            hurt.corruptObject(hurt.objectAt(c1, "old.go"));
        }
        try (DamagedRepository broken = DamagedRepository.createBare(folder.resolve("example.com/broken.git"))) {
            goodVersions(broken, "example.com/broken");
            broken.gcAndTruncatePack();
        }
        server = StandaloneServer.builder(folder, tmp.resolve("server")).start();
        go = GoCommand.in(tmp.resolve("go")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                .proxy(server.httpBase());
    }

    private static void goodVersions(DamagedRepository r, String module) throws Exception {
        r.tag("v1.0.0", r.commit("go.mod", "module " + module + "\n", "a.go", "package m\n"));
        r.tag("v1.1.0", r.commit("b.go", "package m\n"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.httpBase() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void goModOverTheLimitIsOneVersionNotServedWhileTheModuleWorks() throws Exception {
        assertEquals("v1.0.0\nv1.1.0\n", get("example.com/bad/@v/list").body());
        assertTrue(get("example.com/bad/@latest").body().contains("\"Version\":\"v1.1.0\""));
        for (String file : new String[] {"info", "mod", "zip"}) {
            HttpResponse<String> r = get("example.com/bad/@v/v1.2.0." + file);
            assertEquals(404, r.statusCode(), file);
            assertTrue(r.body().contains("larger than 16777216 bytes") && r.body().indexOf('\n') == r.body().length() - 1,
                    r.body());
        }
        GoCommand.Result list = go.run(tmp, "list", "-m", "-versions", "example.com/bad");
        assertEquals("example.com/bad v1.0.0 v1.1.0\n", list.stdout(), list.toString());
        Path app = Files.createDirectories(tmp.resolve("app-bad"));
        Files.writeString(app.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        GoCommand.Result get = go.run(app, "get", "example.com/bad@latest");
        assertEquals(0, get.exit(), get.toString());
        assertTrue(Files.readString(app.resolve("go.mod")).contains("example.com/bad v1.1.0"),
                Files.readString(app.resolve("go.mod")));
    }

    /** One tag's go.mod blob deleted, another version's file corrupt: those answers are 503, the rest works. */
    @Test
    void damageUnderOneTagIsA503ForThatTagOnly() throws Exception {
        assertEquals("v1.0.0\nv1.1.0\n", get("example.com/hurt/@v/list").body());
        assertFault(get("example.com/hurt/@v/v1.2.0.info"));
        assertFault(get("example.com/hurt/@v/v1.2.0.mod"));
        assertEquals(200, get("example.com/hurt/@v/v1.0.0.info").statusCode());
        assertFault(get("example.com/hurt/@v/v1.0.0.zip"));
        Path app = Files.createDirectories(tmp.resolve("app-hurt"));
        Files.writeString(app.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        GoCommand.Result get = go.run(app, "get", "example.com/hurt@latest");
        assertEquals(0, get.exit(), get.toString());
        assertTrue(Files.readString(app.resolve("go.mod")).contains("example.com/hurt v1.1.0"));
        GoCommand.Result pinned = go.run(app, "mod", "download", "-json", "example.com/hurt@v1.2.0");
        assertNotEquals(0, pinned.exit());
        assertTrue(pinned.stdout().contains("503 Service Unavailable") && pinned.stdout().contains("repository damaged"),
                pinned.toString());
    }

    /** After gc the pack is cut short: no empty list, no "unknown revision", but 503 everywhere. */
    @Test
    void truncatedPackAnswers503NotAnEmptyModule() throws Exception {
        for (String path : new String[] {"@v/list", "@latest", "@v/v1.0.0.info", "@v/v1.0.0.mod", "@v/v1.0.0.zip",
                "@v/master.info"}) {
            assertFault(get("example.com/broken/" + path));
        }
        GoCommand.Result list = go.run(tmp, "list", "-m", "-versions", "example.com/broken");
        assertNotEquals(0, list.exit(), list.toString());
        assertTrue(list.stderr().contains("503") && list.stderr().contains("repository damaged"), list.toString());
        // Asked again: still a fault, nothing was cached from the first answers.
        assertFault(get("example.com/broken/@v/list"));
    }

    private static void assertFault(HttpResponse<String> r) {
        String where = r.uri() + ": " + r.statusCode() + " " + r.body();
        assertEquals(503, r.statusCode(), where);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), where);
        assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) > 0, where);
        assertTrue(r.body().startsWith("repository damaged: ") && r.body().indexOf('\n') == r.body().length() - 1, where);
        assertFalse(r.body().contains(tmp.toString()), "server paths stay in the log: " + where);
    }
}
