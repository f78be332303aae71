package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.GitCli;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * {@code ledger list|forget|verify} on the data folder of a real server: refused while the server holds it, then
 * run on the stopped folder. Verify re-derives the hashes from git and reports a planted mismatch (a ledger hash
 * that git does not give) and a commit gone (tag deleted and the commit pruned, as after a restore from an older
 * backup) without changing one byte of the ledger; forget unpins.
 */
@Tag("jgit")
@RequiresGitCli
class LedgerCommandTest {
    private static final String MODULE = "example.test/team/lib";

    @TempDir
    Path tmp;
    private Path repos;
    private Path bare;
    private Path data;
    private JGitRepo work;
    private RevCommit first;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void pinTwoVersions() throws Exception {
        repos = tmp.resolve("repos");
        bare = repos.resolve("team/lib.git");
        data = tmp.resolve("data");
        work = JGitRepo.init(tmp.resolve("work"));
        first = work.commit("go.mod", "module " + MODULE + "\n\ngo 1.19\n", "lib.go", "package lib\n");
        work.tag("v1.0.0", first);
        work.tag("v1.1.0", work.commit("lib.go", "package lib\n\nconst Two = 2\n"));
        work.cloneBare(bare);
        try (StandaloneServer server = start()) {
            for (String v : List.of("v1.0.0", "v1.1.0")) {
                assertEquals(200, get(server, MODULE + "/@v/" + v + ".mod"));
                assertEquals(200, get(server, MODULE + "/@v/" + v + ".zip"));
            }
        }
    }

    @AfterEach
    void close() {
        work.close();
    }

    @Test
    void refusedWhileAServerHoldsTheFolder() throws Exception {
        try (StandaloneServer server = start()) {
            for (String[] args : List.of(new String[] {"ledger", "list", "--data", data.toString()},
                    new String[] {"ledger", "forget", "--data", data.toString(), MODULE, "v1.0.0"},
                    verifyArgs())) {
                Run r = run(args);
                assertEquals(1, r.code, r.err);
                assertTrue(r.err.contains("is in use by goproxy server") && r.err.contains("stop it first"), r.err);
            }
            assertEquals(200, get(server, MODULE + "/@v/v1.0.0.info"), "the server serves on, untouched");
        }
        assertEquals(0, run("ledger", "list", "--data", data.toString()).code, "free again once stopped");
    }

    @Test
    void listShowsEveryPin() throws Exception {
        Run r = run("ledger", "list", "--data", data.toString());
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertEquals(3, lines.length, r.out);
        assertTrue(lines[1].startsWith(MODULE + "\tv1.0.0\t" + first.name() + "\tteam/lib.git\th1:"), lines[1]);
        assertTrue(lines[2].startsWith(MODULE + "\tv1.1.0\t"), lines[2]);
        assertEquals(2, run("ledger", "list").code, "no --data");
    }

    @Test
    void verifyFindsAPlantedMismatchAndAGoneCommitAndChangesNothing() throws Exception {
        Run clean = run(verifyArgs());
        assertEquals(0, clean.code, clean.out + clean.err);
        assertTrue(clean.out.contains("OK " + MODULE + "@v1.0.0"), clean.out);
        assertTrue(clean.out.contains("OK " + MODULE + "@v1.1.0"), clean.out);

        // v1.0.0: the ledger holds a zip hash git does not give at the recorded commit.
        Path entry = ledgerFile("v1.0.0");
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(entry)));
        p.setProperty("zip", "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        StringWriter planted = new StringWriter();
        p.store(planted, null);
        Files.writeString(entry, planted.toString());
        // v1.1.0: the repository as an older backup has it: no such tag, its commit gone.
        GitCli git = GitCli.isolated();
        git.ok(bare, "tag", "-d", "v1.1.0");
        git.ok(bare, "update-ref", "refs/heads/master", first.name());
        git.ok(bare, "reflog", "expire", "--expire=now", "--all");
        git.ok(bare, "gc", "--prune=now", "--quiet");
        // The command runs in a JVM of its own; this one still has the server's repositories open, old packs included.
        org.eclipse.jgit.lib.RepositoryCache.clear();

        Map<Path, byte[]> before = ledgerBytes();
        Run found = run(verifyArgs());
        assertEquals(1, found.code, found.out + found.err);
        assertTrue(found.out.contains("MISMATCH " + MODULE + "@v1.0.0: at commit " + first.name()
                + ": zip recorded h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, git gives h1:"), found.out);
        assertTrue(found.out.contains("COMMIT_GONE " + MODULE + "@v1.1.0"), found.out);
        assertTrue(found.out.contains("2 pinned versions, 1 mismatch, 1 commit_gone; nothing was changed"), found.out);
        assertEquals(toText(before), toText(ledgerBytes()), "verify changed the ledger");
    }

    @Test
    void forgetUnpinsOneVersionUnlessItIsInTheChecksumDatabase() throws Exception {
        // Served with a module prefix, both versions went into the checksum database: its log never changes.
        Run refused = run("ledger", "forget", "--data", data.toString(), MODULE, "v1.0.0");
        assertEquals(1, refused.code, refused.out + refused.err);
        assertTrue(refused.err.contains("is in the checksum database"), refused.err);
        assertTrue(run("ledger", "list", "--data", data.toString()).out.contains("\tv1.0.0\t"));
        // An operator who starts the database over (docs/checksum-database.md) may forget again.
        try (java.util.stream.Stream<Path> walk = Files.walk(data.resolve("sumdb"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Run r = run("ledger", "forget", "--data", data.toString(), MODULE, "v1.0.0");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("forgot " + MODULE + "@v1.0.0"), r.out);
        String list = run("ledger", "list", "--data", data.toString()).out;
        assertFalse(list.contains("\tv1.0.0\t"), list);
        assertTrue(list.contains("\tv1.1.0\t"), list);
        Run again = run("ledger", "forget", "--data", data.toString(), MODULE, "v1.0.0");
        assertEquals(1, again.code);
        assertTrue(again.err.contains("is not pinned"), again.err);
    }

    private String[] verifyArgs() {
        return new String[] {"ledger", "verify", "--data", data.toString(), "--repos", repos.toString(),
            "--prefix", "example.test"};
    }

    private Path ledgerFile(String version) throws IOException {
        try (Stream<Path> files = Files.walk(DataFolderFormat.ledger(data))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && Files.readString(f).contains("version=" + version + "\n")) {
                    return f;
                }
            }
        }
        throw new AssertionError("no ledger file for " + version);
    }

    private Map<Path, byte[]> ledgerBytes() throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(DataFolderFormat.ledger(data))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    out.put(f, Files.readAllBytes(f));
                }
            }
        }
        return out;
    }

    private static String toText(Map<Path, byte[]> files) {
        List<String> out = new ArrayList<>();
        files.forEach((f, b) -> out.add(f + "\n" + new String(b, StandardCharsets.UTF_8)));
        return String.join("\n", out);
    }

    private StandaloneServer start() throws Exception {
        return StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix("example.test")
                .http("127.0.0.1", 0).settings(ProxySettings.builder().dataDirectory(data.toFile()).build()));
    }

    private int get(StandaloneServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + StandaloneServer.BASE + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
