package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * {@code goproxy.ledger} in a real Gitblit pointing at a real PostgreSQL: the bundled, relocated JDBC driver and
 * pool load under pf4j (on every Gitblit version), the go command downloads a module, and its pin is a row of the
 * database, not a file of the data folder (which holds only the node's copy).
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GitblitPostgresLedgerIT {
    private static final String NS = "git.example.test";
    private static final String LIB = NS + "/team/lib";

    private static final PostgresServer POSTGRES = PostgresServer.shared();
    private static GitblitInstance gitblit;
    private static String database;
    private static Path work;
    private static Path password;

    @BeforeAll
    static void start() throws Exception {
        String url = POSTGRES.newDatabase();
        password = Files.createTempFile("goproxy-ledger-", ".password");
        Files.write(password, Files.readAllBytes(POSTGRES.passwordFile()));
        database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        gitblit = GitblitInstance.builder("postgres-ledger-it").goProxyPlugin().pluginSetting("moduleHost", NS)
                .pluginSetting("ledger", url).pluginSetting("ledgerPasswordFile", password.toString())
                .start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("team/lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0").pushTo(gitblit.repositoriesFolder().resolve("team/lib.git"));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
        try {
            Files.deleteIfExists(password);
        } catch (java.io.IOException e) {
            // a temp file
        }
    }

    @Test
    void aDownloadIsPinnedInTheDatabase() throws Exception {
        GoCommand go = GoCommand.in(work.resolve("go")).proxy(gitblit.httpsUrl().resolve("go/").toString())
                .with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw").with("SSL_CERT_FILE", gitblit.caPem().toString());
        GoCommand.Result r = go.ok(work, "mod", "download", "-json", LIB + "@v1.0.0");
        Matcher sum = Pattern.compile("\"Sum\": \"(h1:[^\"]+)\"").matcher(r.stdout());
        assertTrue(sum.find(), r.toString());

        String row = POSTGRES.sql(database, "SELECT commit_hex, repository_key, zip_h1, mod_h1 IS NOT NULL"
                + " FROM goproxy_ledger WHERE module_path = '" + LIB + "' AND version = 'v1.0.0'");
        String[] f = row.split("\\|");
        assertEquals(4, f.length, row);
        assertTrue(f[0].matches("[0-9a-f]{40}"), row);
        assertEquals("team/lib.git", f[1]);
        assertEquals(sum.group(1), f[2], "the zip's h1 is recorded in the database");
        assertEquals("t", f[3]);

        Path data = gitblit.baseFolder().resolve("goproxy");
        assertTrue(Files.isDirectory(data.resolve("ledger-copy")), "this node keeps its copy of the ledger");
        try (java.util.stream.Stream<Path> files = Files.walk(data.resolve("version-ledger"))) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing was pinned in the file ledger");
        }
        assertTrue(gitblit.logTail().contains("version ledger in the database"), gitblit.logTail());
    }

    @Test
    void aPasswordTheDatabaseRefusesKeepsTheProxyOffWithOneLogLine() throws Exception {
        byte[] right = Files.readAllBytes(password);
        Files.write(password, "not-the-password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            gitblit.restart();
            assertEquals(503, gitblit.get(gitblit.httpsUrl(), "go/" + LIB + "/@v/list").statusCode());
            String log = gitblit.logTail();
            assertTrue(log.contains("goproxy: the Go module proxy could not start: the ledger database")
                    && log.contains("password authentication failed"), log);
        } finally {
            Files.write(password, right);
            gitblit.restart();
        }
        assertEquals(200, gitblit.get(gitblit.httpsUrl(), "go/" + LIB + "/@v/list").statusCode());
    }
}
