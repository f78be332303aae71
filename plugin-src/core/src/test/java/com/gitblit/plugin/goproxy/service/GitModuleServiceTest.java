package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.GitCli;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The service's promises over a real repository: a version once served never changes (moved tags, emptied
 * caches, evictions), contradictions with the ledger are refused, a deleted repository's artifacts go, and the
 * build cap answers 503.
 */
@Tag("jgit")
public class GitModuleServiceTest {
    private static final String MODULE = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    private Path work;
    private JGitRepo repo;
    private Git git;
    private GitDirRepository hosted;

    @BeforeEach
    void createRepository() throws Exception {
        work = tmp.resolve("work");
        repo = JGitRepo.init(work);
        git = repo.git();
        hosted = new GitDirRepository("team/lib.git", MODULE, work.resolve(".git").toFile());
    }

    @Test
    void movedTagWithEmptiedCacheServesTheRecordedCommit() throws Exception {
        RevCommit first = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n// one\n");
        tag("v1.0.0", first);
        ModuleService service = service(settings());
        byte[] firstZip = body(service.zip(hosted, MODULE, "v1.0.0"));
        RevisionInfo firstInfo = service.info(hosted, MODULE, "v1.0.0");

        RevCommit second = commit("lib.go", "package lib\n// two\n");
        git.tag().setName("v1.0.0").setObjectId(second).setForceUpdate(true).setAnnotated(false).call();
        deleteRecursively(tmp.resolve("data/artifacts"));

        ModuleService restarted = service(settings());
        assertArrayEquals(firstZip, body(restarted.zip(hosted, MODULE, "v1.0.0")));
        assertEquals(firstInfo.toJson(), restarted.info(hosted, MODULE, "v1.0.0").toJson());
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), restarted.info(hosted, MODULE, "v1.0.0").time());
    }

    @Test
    void zipContradictingTheLedgerIsRefusedAndNotStored() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        VersionLedger ledger = new com.gitblit.plugin.goproxy.cache.FileVersionLedger(tmp.resolve("data/version-ledger"));
        ledger.recordCommit(MODULE, "v1.0.0", c.name(), hosted.name());
        ledger.recordZipHash(MODULE, "v1.0.0", "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        ModuleService service = service(settings());
        ServiceFailure refused = assertThrows(ServiceFailure.class, () -> body(service.zip(hosted, MODULE, "v1.0.0")));
        assertEquals(ServiceFailure.Kind.NOT_FOUND, refused.kind());
        assertTrue(refused.getMessage().contains("differs from the one first served"), refused.getMessage());
        assertEquals(0, regularFiles(tmp.resolve("data/artifacts")).stream()
                .filter(p -> p.toString().endsWith(".zip")).count());
    }

    @Test
    void evictedZipIsRebuiltIdentically() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "big.bin", randomText(300_000, 1));
        tag("v1.0.0", c);
        RevCommit d = commit("big.bin", randomText(300_000, 2));
        tag("v1.1.0", d);
        // Room for one zip only: serving the second evicts the first.
        ModuleService service = service(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile())
                .cacheMaxBytes(400_000).build());
        byte[] one = body(service.zip(hosted, MODULE, "v1.0.0"));
        body(service.zip(hosted, MODULE, "v1.1.0"));
        byte[] again = body(service.zip(hosted, MODULE, "v1.0.0"));
        assertEquals(sha256(one), sha256(again));
    }

    @Test
    void deletedRepositoryLosesItsArtifacts() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        ModuleService service = service(settings());
        body(service.zip(hosted, MODULE, "v1.0.0"));
        assertFalse(regularFiles(tmp.resolve("data/artifacts")).isEmpty());
        long before = regularFiles(tmp.resolve("data/artifacts")).size();

        service.forgetRepository(hosted.name());
        assertTrue(regularFiles(tmp.resolve("data/artifacts")).size() < before);
        // The ledger is not a cache: the version keeps its commit.
        assertEquals(c.name(), new com.gitblit.plugin.goproxy.cache.FileVersionLedger(tmp.resolve("data/version-ledger")).find(MODULE, "v1.0.0").commit());
    }

    @Test
    void modHashIsTheGoSumHashOfTheRawGoMod() throws Exception {
        String goMod = "module " + MODULE + "\n\ngo 1.19\n";
        RevCommit c = commit("go.mod", goMod, "lib.go", "package lib\n");
        tag("v1.0.0", c);
        try (Artifact mod = service(settings()).mod(hosted, MODULE, "v1.0.0")) {
            assertArrayEquals(goMod.getBytes(StandardCharsets.UTF_8), body(mod));
            assertEquals(com.gitblit.plugin.goproxy.module.zip.DirHash.hashGoMod(goMod.getBytes(StandardCharsets.UTF_8)),
                    mod.etag());
        }
    }

    @Test
    void buildCapAnswers503WithRetryAfter() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        tag("v1.0.1", c);
        ModuleService service = service(ProxySettings.builder().maxConcurrentBuilds(1).buildQueueTimeoutMillis(100).build());
        try (Artifact held = service.zip(hosted, MODULE, "v1.0.0")) {
            ServiceFailure busy = assertThrows(ServiceFailure.class, () -> service.zip(hosted, MODULE, "v1.0.1"));
            assertEquals(ServiceFailure.Kind.OVERLOADED, busy.kind());
            assertTrue(busy.retryAfterSeconds() > 0);
        }
        body(service.zip(hosted, MODULE, "v1.0.1"));
    }

    @Test
    void unknownVersionIsNotFoundWithReason() throws Exception {
        commit("go.mod", "module " + MODULE + "\n");
        ServiceFailure e = assertThrows(ServiceFailure.class, () -> service(settings()).zip(hosted, MODULE, "v9.9.9"));
        assertEquals(ServiceFailure.Kind.NOT_FOUND, e.kind());
        assertNotEquals("", e.getMessage());
        assertTrue(regularFiles(tmp.resolve("data/artifacts")).stream().noneMatch(p -> p.toString().endsWith(".zip")));
    }

    @Test
    void forgettingAVersionTakesEffectWithoutARestart() throws Exception {
        RevCommit first = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n// one\n");
        tag("v1.0.0", first);
        ModuleService service = service(settings());
        byte[] firstZip = body(service.zip(hosted, MODULE, "v1.0.0"));
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), service.info(hosted, MODULE, "v1.0.0").time());

        RevCommit second = commit("lib.go", "package lib\n// two\n");
        git.tag().setName("v1.0.0").setObjectId(second).setForceUpdate(true).setAnnotated(false).call();
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), service.info(hosted, MODULE, "v1.0.0").time(),
                "pinned until forgotten");
        assertTrue(service.forgetVersion(MODULE, "v1.0.0"));
        assertEquals(Instant.ofEpochSecond(second.getCommitTime()), service.info(hosted, MODULE, "v1.0.0").time());
        assertNotEquals(sha256(firstZip), sha256(body(service.zip(hosted, MODULE, "v1.0.0"))));
        assertFalse(service.forgetVersion(MODULE, "v9.0.0"));
    }

    @Test
    void aMajorVersionWithoutItsSuffixAnswersInfoAsIncompatible() throws Exception {
        RevCommit c = commit("lib.go", "package lib\n");
        tag("v3.2.0", c);
        ModuleService service = service(settings());
        RevisionInfo info = service.info(hosted, MODULE, "v3.2.0");
        assertEquals("v3.2.0+incompatible", info.version());
        assertEquals("v3.2.0+incompatible", service.info(hosted, MODULE, "v3.2.0+incompatible").version());
        assertThrows(ServiceFailure.class, () -> service.zip(hosted, MODULE, "v3.2.0"),
                ".mod and .zip are only asked for the version the query resolved to");
    }

    @Test
    @RequiresGitCli
    void pinnedArtifactsOutliveTheirCommitUntilTheyAreGone() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        ModuleService service = service(settings());
        String info = service.info(hosted, MODULE, "v1.0.0").toJson();
        byte[] mod = body(service.mod(hosted, MODULE, "v1.0.0"));
        byte[] zip = body(service.zip(hosted, MODULE, "v1.0.0"));

        // History rewritten and collected: the pinned commit is gone from the repository.
        git.tagDelete().setTags("v1.0.0").call();
        git.checkout().setOrphan(true).setName("fresh").call();
        commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n// rewritten\n");
        git.branchDelete().setBranchNames("master").setForce(true).call();
        GitCli.isolated().run(work, "reflog", "expire", "--expire=now", "--all");
        GitCli.isolated().run(work, "gc", "--prune=now", "-q");

        ModuleService restarted = service(settings());
        assertEquals(info, restarted.info(hosted, MODULE, "v1.0.0").toJson());
        assertArrayEquals(mod, body(restarted.mod(hosted, MODULE, "v1.0.0")));
        assertArrayEquals(zip, body(restarted.zip(hosted, MODULE, "v1.0.0")));

        deleteRecursively(tmp.resolve("data/artifacts"));
        ServiceFailure gone = assertThrows(ServiceFailure.class,
                () -> service(settings()).zip(hosted, MODULE, "v1.0.0"));
        assertEquals(ServiceFailure.Kind.NOT_FOUND, gone.kind());
        assertTrue(gone.getMessage().contains("no longer in the repository"), gone.getMessage());
        assertTrue(gone.getMessage().contains("no cached copy"), gone.getMessage());
    }

    @Test
    void anUnwritableDataFolderRefusesNewPinsAndStillServesPinnedVersions() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        tag("v1.1.0", c);
        ModuleService service = service(settings());
        service.info(hosted, MODULE, "v1.0.0");
        // Break both folders the way a failing disk would: every write under them fails.
        String shard = com.gitblit.plugin.goproxy.cache.FileVersionLedgerTestAccess.moduleShard(MODULE);
        Path ledgerShard = tmp.resolve("data/version-ledger").resolve(shard);
        deleteRecursively(ledgerShard);
        Files.write(ledgerShard, new byte[] {1});
        deleteRecursively(tmp.resolve("data/artifacts"));
        Files.write(tmp.resolve("data/artifacts"), new byte[] {1});

        ServiceFailure refused = assertThrows(ServiceFailure.class, () -> service.zip(hosted, MODULE, "v1.1.0"));
        assertEquals(ServiceFailure.Kind.STORAGE_FAULT, refused.kind());
        assertTrue(refused.retryAfterSeconds() > 0);
        byte[] served = body(service.zip(hosted, MODULE, "v1.0.0"));
        assertTrue(served.length > 0, "a pinned version is served from git without caching");
    }

    @Test
    void aClosedServiceLeavesNoBuildThreadAndAnswersStopped() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        long before = buildThreads();
        ModuleService service = service(settings());
        body(service.zip(hosted, MODULE, "v1.0.0"));
        assertTrue(buildThreads() > before);
        service.close();
        // A pool's worker thread ends a moment after the pool reports it terminated.
        Eventually.within(Duration.ofSeconds(5)).describing(() -> buildThreads() + " goproxy-build threads, " + before + " before")
                .until("the service's build threads to be gone after close", () -> buildThreads() <= before);
        ServiceFailure stopped = assertThrows(ServiceFailure.class, () -> service.info(hosted, MODULE, "v1.0.0"));
        assertEquals(ServiceFailure.Kind.STOPPED, stopped.kind());
    }

    private static long buildThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("goproxy-build") && t.isAlive()).count();
    }

    private ProxySettings settings() {
        return ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build();
    }

    private static ModuleService service(ProxySettings settings) throws java.io.IOException {
        return ModuleServices.create(settings);
    }

    private RevCommit commit(String... pathsAndContents) throws Exception {
        return repo.commit(pathsAndContents);
    }

    private void tag(String name, RevCommit at) throws Exception {
        repo.tag(name, at);
    }

    private static String randomText(int size, long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static byte[] body(Artifact artifact) throws IOException {
        try (Artifact a = artifact) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            a.writeTo(out);
            return out.toByteArray();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
