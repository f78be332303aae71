package com.gitblit.plugin.goproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.sumdb.NoteSigner;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.StandaloneServer;

/**
 * The forge's checksum database with the real go command as client: GOSUMDB names the forge's key (through
 * GOPROXY, or with the database's own URL), GONOSUMDB is unset, and go.sum is written and verified; a second
 * client with an empty cache verifies the same lines; a record changed on disk and a log rebuilt behind a
 * client's back are both caught.
 */
@RequiresGo
@Tag("e2e")
@Tag("jgit")
class ForgeChecksumDatabaseEndToEndTest {
    private static final String NS = "git.example.com";
    private static final String LIB = NS + "/team/lib";

    @TempDir
    Path tmp;

    @Test
    void goVerifiesTheForgesModulesAgainstItsDatabase() throws Exception {
        Path repos = tmp.resolve("repos");
        JGitRepo.bareModule(repos.resolve("team/lib.git"), LIB, tmp.resolve("work"));
        String vkey;
        String firstSum;
        try (StandaloneServer forge = forge()) {
            vkey = verifierKey();
            String dbUrl = forge.httpBase() + "sumdb/" + NS;
            // Through GOPROXY: the go command asks <proxy>/sumdb/<name>/supported, then reads the database there.
            GoCommand viaProxy = client("via-proxy", forge).with("GOSUMDB", vkey);
            firstSum = getLib(viaProxy);
            assertTrue(firstSum.contains(LIB + " v1.0.0 h1:") && firstSum.contains(LIB + " v1.0.0/go.mod h1:"),
                    firstSum);
            // With the database's own URL, and an empty cache: the same lines, verified again.
            GoCommand direct = client("direct", forge).with("GOSUMDB", vkey + " " + dbUrl);
            assertEquals(firstSum, getLib(direct));
            // The index feed lists the version once it is pinned (whether or not it was looked up).
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> index = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(forge.httpBase() + "index?since=2020-01-01T00:00:00Z")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode(), index.body());
            assertTrue(index.body().matches("\\{\"Path\":\"" + LIB.replace(".", "\\.")
                    + "\",\"Version\":\"v1\\.0\\.0\",\"Timestamp\":\"20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"}\n"),
                    index.body());
            assertEquals(400, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(forge.httpBase()
                    + "index?since=yesterday")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
            // The setup page gives the GOSUMDB line with the key (the dependency proxy is off: GONOSUMDB stays).
            String setup = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(forge.httpBase()
                    + "-/setup")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(setup.contains("class=\"go-gosumdb\"") && setup.contains(vkey + " " + dbUrl), setup);
            assertTrue(setup.contains("GONOSUMDB=" + NS), setup);
            // A key the database does not sign with is refused.
            String other = NoteSigner.generate(NS, new java.security.SecureRandom()).verifierKey();
            GoCommand.Result wrongKey = client("wrong-key", forge).with("GOSUMDB", other + " " + dbUrl)
                    .run(app("wrong-key"), "get", LIB + "@v1.0.0");
            assertFalse(wrongKey.ok(), wrongKey.toString());
            assertTrue(wrongKey.stderr().contains("verifying"), wrongKey.toString());
        }

        // A record changed on disk: the database refuses to open its log (one line in the log), so no client
        // verifies anything against it.
        Path records = tmp.resolve("server/data/sumdb/log/records");
        byte[] saved = Files.readAllBytes(records);
        String altered = new String(saved, StandardCharsets.ISO_8859_1).replaceFirst("h1:[A-Za-z0-9+/]", "h1:0");
        Files.write(records, altered.getBytes(StandardCharsets.ISO_8859_1));
        try (StandaloneServer forge = forge()) {
            GoCommand.Result r = client("altered", forge).with("GOSUMDB", vkey + " " + forge.httpBase() + "sumdb/" + NS)
                    .run(app("altered"), "get", LIB + "@v1.0.0");
            assertFalse(r.ok(), r.toString());
            assertTrue(r.stderr().contains("verifying module: " + LIB + "@v1.0.0"), r.toString());
        }
        Files.write(records, saved);

        // The log deleted and rebuilt with the same key (a fork): another version takes record 0, and a client
        // that kept the old tree head detects that the database contradicts it.
        GoCommand keeper;
        try (StandaloneServer forge = forge()) {
            keeper = client("keeper", forge).with("GOSUMDB", vkey + " " + forge.httpBase() + "sumdb/" + NS);
            assertEquals(firstSum, getLib(keeper));
        }
        try (Stream<Path> walk = Files.walk(tmp.resolve("server/data/sumdb/log"))) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (JGitRepo more = JGitRepo.init(tmp.resolve("work2"))) {
            more.tag("v1.0.0", more.commit("go.mod", "module " + NS + "/team/other\n\ngo 1.19\n", "o.go", "package o\n"));
            more.cloneBare(repos.resolve("team/other.git"));
        }
        try (StandaloneServer forge = forge()) {
            GoCommand fresh = client("fresh", forge).with("GOSUMDB", vkey + " " + forge.httpBase() + "sumdb/" + NS);
            assertTrue(fresh.run(app("fresh"), "get", NS + "/team/other@v1.0.0").ok());
            GoCommand old = keeper.proxy(forge.httpBase())
                    .with("GOSUMDB", vkey + " " + forge.httpBase() + "sumdb/" + NS);
            GoCommand.Result r = old.run(app("keeper-again"), "get", NS + "/team/other@v1.0.0");
            assertFalse(r.ok(), r.toString());
            assertTrue(r.stderr().contains("SECURITY ERROR"), r.toString());
        }
    }

    private StandaloneServer forge() throws Exception {
        return StandaloneServer.builder(tmp.resolve("repos"), tmp.resolve("server")).prefix(NS)
                .settings(ProxySettings.builder().dataDirectory(tmp.resolve("server/data").toFile()).build())
                .start();
    }

    private String verifierKey() throws Exception {
        String skey = new String(Files.readAllBytes(tmp.resolve("server/data/sumdb/signer-key")), StandardCharsets.UTF_8);
        return NoteSigner.parse(skey).verifierKey();
    }

    private GoCommand client(String name, StandaloneServer forge) {
        return GoCommand.in(tmp.resolve("clients").resolve(name)).proxy(forge.httpBase()).with("GONOSUMDB", "")
                .with("GOPRIVATE", "").with("GOINSECURE", "");
    }

    private Path app(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("apps").resolve(name));
        Files.writeString(dir.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        return dir;
    }

    /** {@code go get} of the library in a new main module; its go.sum. */
    private String getLib(GoCommand go) throws Exception {
        Path dir = app(go.home().getFileName().toString() + "-" + System.nanoTime());
        go.ok(dir, "get", LIB + "@v1.0.0");
        return Files.readString(dir.resolve("go.sum"));
    }
}
