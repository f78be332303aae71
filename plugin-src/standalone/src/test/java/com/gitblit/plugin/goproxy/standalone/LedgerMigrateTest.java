package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/**
 * {@code ledger migrate}: a stopped server's file ledger copied into a real PostgreSQL database, first writer wins,
 * re-runnable; a conflicting entry is reported, left as the database has it, and the command exits 1.
 */
@Tag("jgit")
@Tag("postgres")
class LedgerMigrateTest {
    private static final String MODULE = "example.test/team/lib";

    @TempDir
    Path tmp;
    private final PostgresServer server = PostgresServer.shared();
    private Path repos;
    private Path data;
    private JGitRepo work;
    private RevCommit first;
    private RevCommit second;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void pinTwoVersions() throws Exception {
        java.nio.file.Files.createDirectories(tmp.resolve("data"));
        java.nio.file.Files.writeString(tmp.resolve("data/audit.log"),
                "2026-12-01T10:00:00Z\tadmin\tforget\texample.test/team/old@v0.1.0\tdone\n");
        repos = tmp.resolve("repos");
        data = tmp.resolve("data");
        work = JGitRepo.init(tmp.resolve("work"));
        first = work.commit("go.mod", "module " + MODULE + "\n\ngo 1.19\n", "lib.go", "package lib\n");
        work.tag("v1.0.0", first);
        second = work.commit("lib.go", "package lib\n\nconst Two = 2\n");
        work.tag("v1.1.0", second);
        work.cloneBare(repos.resolve("team/lib.git"));
        try (StandaloneServer s = start(data, null)) {
            for (String v : List.of("v1.0.0", "v1.1.0")) {
                assertEquals(200, get(s, MODULE + "/@v/" + v + ".mod"));
                assertEquals(200, get(s, MODULE + "/@v/" + v + ".zip"));
            }
        }
    }

    @AfterEach
    void close() {
        work.close();
    }

    @Test
    void copiesOnceThenCountsWhatIsThere() throws Exception {
        String url = server.newDatabase();
        Run r = migrate(url);
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains(": 2 copied, 0 already there, 0 conflicting"), r.out);
        assertTrue(java.nio.file.Files.readString(data.resolve("version-ledger-migrated")).startsWith("copied into "),
                "a node on this folder no longer warns of unmigrated entries");
        // The folder's checksum database (key and both records) and its audit lines come along.
        assertTrue(r.out.contains("checksum database: key and 2 records copied"), r.out);
        assertTrue(r.out.contains("audit log: 1 lines copied"), r.out);
        String db = database(url);
        assertEquals(first.name() + "|team/lib.git|t|t", server.sql(db, "SELECT commit_hex, repository_key,"
                + " zip_h1 LIKE 'h1:%', mod_h1 LIKE 'h1:%' FROM goproxy_ledger WHERE version = 'v1.0.0'"));
        assertEquals("request", server.sql(db, "SELECT origin FROM goproxy_ledger WHERE version = 'v1.0.0'"));

        Run again = migrate(url);
        assertEquals(0, again.code, again.out + again.err);
        assertTrue(again.out.contains(": 0 copied, 2 already there, 0 conflicting"), again.out);
        assertTrue(again.out.contains("checksum database: key and 0 records copied"), again.out);
        assertTrue(again.out.contains("audit log: 0 lines copied"), again.out);
        assertEquals("1", server.sql(db, "SELECT count(*) FROM goproxy_audit"));

        // verify with the server's --ledger checks the database's pins against git.
        Run verify = run("ledger", "verify", "--data", data.toString(), "--repos", repos.toString(), "--prefix",
                "example.test", "--ledger", url, "--ledger-password-file", server.passwordFile().toString());
        assertEquals(0, verify.code, verify.out + verify.err);
        assertTrue(verify.out.contains("OK " + MODULE + "@v1.1.0"), verify.out);
        assertTrue(verify.out.contains("2 pinned versions, 2 ok"), verify.out);

        // list and forget with the server's --ledger act on the database (forget also on that node's copy and cache).
        Run list = run("ledger", "list", "--data", data.toString(), "--ledger", url, "--ledger-password-file",
                server.passwordFile().toString());
        assertEquals(0, list.code, list.err);
        assertEquals(3, list.out.split("\n").length, list.out);
        assertTrue(list.out.contains(MODULE + "\tv1.1.0\t" + second.name()), list.out);
        Path other = tmp.resolve("other-node");
        // v1.1.0 is in the shared checksum database (migrated with the folder's log): no node may unpin it.
        Run refused = run("ledger", "forget", "--data", other.toString(), "--ledger", url, "--ledger-password-file",
                server.passwordFile().toString(), MODULE, "v1.1.0");
        assertEquals(1, refused.code, refused.out + refused.err);
        assertTrue(refused.err.contains("is in the checksum database"), refused.err);
        assertEquals("1", server.sql(db, "SELECT count(*) FROM goproxy_ledger WHERE version = 'v1.1.0'"));
        // A pin no client verified yet (not in the log) goes, in the database.
        server.sql(db, "INSERT INTO goproxy_ledger (module_path, version, commit_hex, recorded_at) VALUES ('" + MODULE
                + "', 'v1.2.0', '" + second.name() + "', 1)");
        Run forget = run("ledger", "forget", "--data", other.toString(), "--ledger", url, "--ledger-password-file",
                server.passwordFile().toString(), MODULE, "v1.2.0");
        assertEquals(0, forget.code, forget.out + forget.err);
        assertEquals("0", server.sql(db, "SELECT count(*) FROM goproxy_ledger WHERE version = 'v1.2.0'"));
        Run copiedAgain = migrate(url);
        assertEquals(0, copiedAgain.code, copiedAgain.err);
        assertTrue(copiedAgain.out.contains(": 0 copied, 2 already there, 0 conflicting"), copiedAgain.out);

        // A node on the database serves the migrated pins, as the file ledger did.
        try (StandaloneServer node = start(tmp.resolve("node-data"), url)) {
            String info = http.send(HttpRequest.newBuilder(URI.create(base(node) + MODULE + "/@v/v1.0.0.info")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(info.contains("\"Version\":\"v1.0.0\""), info);
            // The shared checksum database answers with the folder's records, signed by the folder's key: clients
            // keep the key they trust.
            String lookup = http.send(HttpRequest.newBuilder(URI.create(base(node) + "sumdb/example.test/lookup/"
                    + MODULE + "@v1.0.0")).build(), HttpResponse.BodyHandlers.ofString()).body();
            com.gitblit.plugin.goproxy.sumdb.NoteSigner key = com.gitblit.plugin.goproxy.sumdb.NoteSigner.parse(
                    java.nio.file.Files.readString(data.resolve("sumdb/signer-key")).trim());
            String note = lookup.substring(lookup.indexOf("go.sum database tree\n"));
            String signed = note.substring(0, note.indexOf("\n\n") + 1);
            assertEquals(new String(key.sign(signed), StandardCharsets.UTF_8), note, lookup);
            assertTrue(lookup.contains(MODULE + " v1.0.0 h1:"), lookup);
        }
    }

    @Test
    void aConflictIsReportedAndNotOverwritten() throws Exception {
        String url = server.newDatabase();
        String db = database(url);
        // Schema first (a node started on it), then another node's pin of v1.1.0 at another commit.
        com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase.open(url, server.passwordFile().toFile(), 2).close();
        server.sql(db, "INSERT INTO goproxy_ledger (module_path, version, commit_hex, recorded_at) VALUES ('"
                + MODULE + "', 'v1.1.0', '" + first.name() + "', 1)");
        Run r = migrate(url);
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains(": 1 copied, 0 already there, 1 conflicting"), r.out);
        assertTrue(r.err.contains("conflict: " + MODULE + "@v1.1.0: this folder has commit " + second.name()), r.err);
        assertEquals(first.name(), server.sql(db, "SELECT commit_hex FROM goproxy_ledger WHERE version = 'v1.1.0'"));
        assertTrue(!java.nio.file.Files.exists(data.resolve("version-ledger-migrated")));
    }

    @Test
    void refusedWhileAServerHoldsTheFolderOrWithoutItsFlags() throws Exception {
        String url = server.newDatabase();
        try (StandaloneServer s = start(data, null)) {
            Run r = migrate(url);
            assertEquals(1, r.code, r.err);
            assertTrue(r.err.contains("stop it first"), r.err);
        }
        assertEquals(2, run("ledger", "migrate", "--data", data.toString()).code);
        Run bad = run("ledger", "migrate", "--data", data.toString(), "--to", "mysql://x");
        assertEquals(1, bad.code);
        assertTrue(bad.err.startsWith("goproxy: the ledger URL must be jdbc:postgresql://"), bad.err);
    }

    @Test
    void aServerWithABadLedgerSettingStopsWithOneLine() throws Exception {
        String url = server.newDatabase();
        Run missing = run("--repos", repos.toString(), "--data", tmp.resolve("d1").toString(), "--listen", "127.0.0.1:0",
                "--ledger", url, "--ledger-password-file", tmp.resolve("no-such-file").toString());
        assertEquals(1, missing.code, missing.out + missing.err);
        assertTrue(missing.err.startsWith("goproxy: cannot start: cannot read the ledger password file"), missing.err);
        assertEquals(1, missing.err.trim().split("\n").length, missing.err);
        java.nio.file.Files.writeString(tmp.resolve("wrong"), "wrong\n");
        Run refused = run("--repos", repos.toString(), "--data", tmp.resolve("d2").toString(), "--listen", "127.0.0.1:0",
                "--ledger", url, "--ledger-password-file", tmp.resolve("wrong").toString());
        assertEquals(1, refused.code, refused.out + refused.err);
        assertTrue(refused.err.startsWith("goproxy: cannot start: the ledger database")
                && refused.err.contains("password authentication failed"), refused.err);
    }

    private Run migrate(String url) throws Exception {
        return run("ledger", "migrate", "--data", data.toString(), "--to", url, "--password-file",
                server.passwordFile().toString());
    }

    private static String database(String url) {
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    private StandaloneServer start(Path dataFolder, String ledger) throws Exception {
        return StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix("example.test")
                .http("127.0.0.1", 0).settings(ProxySettings.builder().dataDirectory(dataFolder.toFile())
                        .ledger(ledger, ledger == null ? null : server.passwordFile().toFile()).build()));
    }

    private static String base(StandaloneServer s) {
        return "http://127.0.0.1:" + s.httpPort() + StandaloneServer.BASE;
    }

    private int get(StandaloneServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(s) + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
