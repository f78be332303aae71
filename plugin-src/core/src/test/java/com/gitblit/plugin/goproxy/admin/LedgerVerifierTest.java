package com.gitblit.plugin.goproxy.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.service.Artifact;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.service.LedgerVerifier;
import com.gitblit.plugin.goproxy.service.LedgerVerifier.Finding;
import com.gitblit.plugin.goproxy.service.LedgerVerifier.Outcome;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.GitCli;

/**
 * {@link LedgerVerifier} over versions the real module service pinned from a real repository: all OK at first; a
 * zip h1 edited in the ledger file is a MISMATCH; a tag deleted and its commit collected is COMMIT_GONE; a
 * repository the host no longer has is REPOSITORY_GONE; and nothing in the ledger changes. Then
 * {@link LedgerVerification}: the run in the background, one at a time, its audit lines and its last result.
 */
@Tag("jgit")
class LedgerVerifierTest {
    private static final String ROOT = "git.example.com/team/lib";
    private static final String PLANTED = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @TempDir
    Path tmp;

    private Path work;
    private Path data;
    private Git git;
    private GitDirRepository hosted;
    private ModuleService service;
    private int commits;
    private RevCommit c1;
    private RevCommit c2;

    @BeforeEach
    void pinTwoVersions() throws Exception {
        work = tmp.resolve("work");
        data = tmp.resolve("data");
        git = Git.init().setDirectory(work.toFile()).call();
        hosted = new GitDirRepository("team/lib.git", ROOT, work.resolve(".git").toFile());
        service = ModuleServices.create(ProxySettings.builder().dataDirectory(data.toFile()).build());
        c1 = commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n");
        git.tag().setName("v1.0.0").setObjectId(c1).setAnnotated(false).call();
        c2 = commit("lib.go", "package lib\n\nconst V = 11\n");
        git.tag().setName("v1.1.0").setObjectId(c2).setAnnotated(false).call();
        download("v1.0.0");
        download("v1.1.0");
        Eventually.within(Duration.ofSeconds(10)).value("both zip hashes recorded", () -> {
            FileVersionLedger l = ledger();
            return l.list(ROOT).size() == 2 && l.list(ROOT).stream().allMatch(e -> e.zipH1() != null) ? l : null;
        });
    }

    @AfterEach
    void close() {
        service.close();
        git.close();
    }

    @Test
    void findsEveryPinOkThenAPlantedMismatchAndAGoneCommitAndChangesNothing() throws Exception {
        List<Finding> clean = verifier().verify();
        assertEquals(List.of("OK " + ROOT + "@v1.0.0: commit " + c1.name(), "OK " + ROOT + "@v1.1.0: commit " + c2.name()),
                clean.stream().map(Finding::toString).collect(Collectors.toList()));

        plantZipHash("v1.0.0");
        // v1.1.0 as a repository restored from an older backup has it: no tag, and its commit collected.
        GitCli cli = GitCli.isolated();
        cli.ok(work, "tag", "-d", "v1.1.0");
        cli.ok(work, "reset", "--hard", "--quiet", c1.name());
        cli.ok(work, "reflog", "expire", "--expire=now", "--all");
        cli.ok(work, "gc", "--prune=now", "--quiet");
        assertTrue(!cli.exec(work, "cat-file", "-e", c2.name()).ok(), "the commit is collected");
        org.eclipse.jgit.lib.RepositoryCache.clear();

        Map<Path, byte[]> before = ledgerBytes();
        List<Finding> found = verifier().verify();
        assertEquals(2, found.size(), found.toString());
        assertEquals(Outcome.MISMATCH, found.get(0).outcome(), found.get(0).toString());
        assertTrue(found.get(0).detail().startsWith("at commit " + c1.name() + ": zip recorded " + PLANTED
                + ", git gives h1:"), found.get(0).detail());
        assertTrue(!found.get(0).detail().contains("go.mod"), "go.mod still matches: " + found.get(0).detail());
        assertEquals(Outcome.COMMIT_GONE, found.get(1).outcome(), found.get(1).toString());
        assertEquals("commit " + c2.name() + " is not in team/lib.git", found.get(1).detail());
        assertEquals(before.keySet(), ledgerBytes().keySet(), "no ledger file added or removed");
        for (Map.Entry<Path, byte[]> e : before.entrySet()) {
            assertArrayEquals(e.getValue(), ledgerBytes().get(e.getKey()), "unchanged: " + e.getKey());
        }
    }

    @Test
    void aRepositoryTheHostNoLongerHasIsReported() throws Exception {
        List<Finding> found = new LedgerVerifier(ProxySettings.builder().build(), ledger(),
                Collections.emptyMap()).verify();
        assertEquals(2, found.size());
        for (Finding f : found) {
            assertEquals(Outcome.REPOSITORY_GONE, f.outcome());
            assertEquals("repository team/lib.git not found", f.detail());
        }
    }

    @Test
    void theBackgroundRunKeepsTheLastResultWritesItsAuditLinesAndRunsOneAtATime() throws Exception {
        plantZipHash("v1.1.0");
        AuditLog audit = new AuditLog(data);
        CountDownLatch release = new CountDownLatch(1);
        LedgerVerifier verifier = verifier();
        try (LedgerVerification verification = new LedgerVerification()) {
            assertNull(verification.last());
            String started = verification.start("admin", audit, () -> {
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return verifier.verify();
            });
            assertTrue(started.startsWith("Verification started"), started);
            assertEquals("admin", verification.runningFor());
            assertNull(verification.last(), "no result before the run ends");
            assertTrue(!Thread.currentThread().getName().equals("goproxy-ledger-verify"));

            String second = verification.start("other", audit, verifier::verify);
            assertTrue(second.startsWith("A verification started by admin is still running"), second);

            release.countDown();
            LedgerVerification.Report report = Eventually.within(Duration.ofSeconds(20))
                    .value("the result", verification::last);
            assertNull(verification.runningFor());
            assertEquals("admin", report.who());
            assertNull(report.failure());
            assertEquals(1, report.count(Outcome.OK));
            assertEquals(1, report.count(Outcome.MISMATCH));
            assertEquals(0, report.count(Outcome.COMMIT_GONE));
            assertEquals(1, report.problems().size());
            assertEquals(ROOT + "@v1.1.0", report.problems().get(0).entry().modulePath() + "@"
                    + report.problems().get(0).entry().version());
            assertEquals("2 pinned versions, 1 ok, 1 mismatch", report.summary());

            List<AuditLog.Line> lines = Eventually.within(Duration.ofSeconds(10)).value("the closing audit line",
                    () -> audit.recent(10).size() == 3 ? audit.recent(10) : null);
            assertEquals(List.of("admin\tverify\tthe ledger\t2 pinned versions, 1 ok, 1 mismatch",
                    "other\tverify\tthe ledger\trefused: a verification started by admin is running",
                    "admin\tverify\tthe ledger\tstarted"),
                    lines.stream().map(l -> l.who() + "\t" + l.action() + "\t" + l.target() + "\t" + l.outcome())
                            .collect(Collectors.toList()));

            // A run that cannot list the ledger ends with its reason, and the next may start.
            verification.start("admin", audit, () -> {
                throw new IOException("ledger unreadable");
            });
            LedgerVerification.Report failed = Eventually.within(Duration.ofSeconds(20)).value("the failure",
                    () -> verification.last() != report ? verification.last() : null);
            assertEquals("failed: ledger unreadable", failed.summary());
        }
    }

    private LedgerVerifier verifier() throws IOException {
        return new LedgerVerifier(ProxySettings.builder().build(), ledger(),
                Collections.singletonMap(hosted.name(), hosted));
    }

    /** A fresh reader of the ledger files, as a verification after a restore would find them. */
    private FileVersionLedger ledger() throws IOException {
        return new FileVersionLedger(DataFolderFormat.ledger(data));
    }

    private void plantZipHash(String version) throws IOException {
        Path entry = ledgerFile(version);
        Properties p = new Properties();
        p.load(new StringReader(new String(Files.readAllBytes(entry), StandardCharsets.UTF_8)));
        p.setProperty("zip", PLANTED);
        StringWriter planted = new StringWriter();
        p.store(planted, null);
        Files.write(entry, planted.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Path ledgerFile(String version) throws IOException {
        try (Stream<Path> files = Files.walk(DataFolderFormat.ledger(data))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && new String(Files.readAllBytes(f), StandardCharsets.UTF_8)
                        .contains("version=" + version + "\n")) {
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

    private void download(String version) throws Exception {
        service.info(hosted, ROOT, version);
        service.mod(hosted, ROOT, version).close();
        try (Artifact zip = service.zip(hosted, ROOT, version)) {
            zip.writeTo(new java.io.ByteArrayOutputStream());
        }
    }

    private RevCommit commit(String... pathsAndContents) throws Exception {
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = work.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.write(file, pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("T", "t@example.com", java.util.Date.from(
                Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * commits++)), java.util.TimeZone.getTimeZone("UTC"));
        return git.commit().setMessage("c").setAuthor(who).setCommitter(who).call();
    }
}
