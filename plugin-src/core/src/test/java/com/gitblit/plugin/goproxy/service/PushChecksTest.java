package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;

/**
 * The push-time verdict is the download's verdict: for each kind of tag, {@link ModuleService#checkTag} at a commit
 * that is not tagged yet (a push being received) says "served" exactly when the version downloads once tagged, and
 * otherwise gives the very sentence the download's 404 gives. Pre-built zips: keyed by commit, never pinning, served
 * at the first download with the bytes a cold build gives, bounded.
 */
@Tag("jgit")
class PushChecksTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;
    private Path work;
    private Git git;
    private GitDirRepository hosted;
    private int commits;
    private ModuleService service;

    @BeforeEach
    void createRepository() throws Exception {
        work = tmp.resolve("work");
        git = Git.init().setDirectory(work.toFile()).call();
        hosted = new GitDirRepository("team/lib.git", ROOT, work.resolve(".git").toFile());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        git.close();
    }

    /** tag, files (path, content, ...), the module version it is served as, or null when it is not. */
    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of("v1.4.2", new String[] {"go.mod", "module " + ROOT + "\n", "a.go", "package lib\n"},
                        ROOT + "@v1.4.2"),
                Arguments.of("v1.0.0", new String[] {"a.go", "package lib\n"}, ROOT + "@v1.0.0"),
                Arguments.of("sub/v0.1.0", new String[] {"sub/go.mod", "module " + ROOT + "/sub\n", "sub/s.go",
                        "package sub\n"}, ROOT + "/sub@v0.1.0"),
                Arguments.of("v2.0.0", new String[] {"go.mod", "module " + ROOT + "/v2\n"}, ROOT + "/v2@v2.0.0"),
                Arguments.of("v3.0.0", new String[] {"v3/go.mod", "module " + ROOT + "/v3\n"}, ROOT + "/v3@v3.0.0"),
                Arguments.of("v2.1.0", new String[] {"a.go", "package lib\n"}, ROOT + "@v2.1.0+incompatible"),
                Arguments.of("v2.2.0", new String[] {"go.mod", "module " + ROOT + "\n"}, null),
                Arguments.of("v1.1.0", new String[] {"go.mod", "module example.com/fork\n"}, null),
                Arguments.of("v1.2.0", new String[] {"go.mod", "module " + ROOT + "\nrequire (\n"}, null),
                Arguments.of("v1.3.0", new String[] {"go.mod", "go 1.19\n"}, null),
                Arguments.of("v1.5.0", new String[] {"go.mod", "module " + ROOT + "\n", "bad:name.go", "package lib\n"},
                        null),
                Arguments.of("v1.6.0", new String[] {"go.mod", "module " + ROOT + "\n", "A.go", "package lib\n",
                        "a.go", "package lib\n"}, null),
                Arguments.of("sub/v1.0.0", new String[] {"go.mod", "module " + ROOT + "\n"}, null));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theVerdictAtPushIsTheDownloadsVerdict(String tagName, String[] files, String servedAs) throws Exception {
        RevCommit c = commit(files);
        service = ModuleServices.create(settings(0));
        VersionTag tag = VersionTag.parse(tagName);
        TagVerdict verdict = service.checkTag(hosted, tag, c.name());   // not tagged yet: as in a pre-receive hook

        git.tag().setName(tagName).setObjectId(c).setAnnotated(false).call();
        if (servedAs != null) {
            assertTrue(verdict.served(), verdict.problem());
            assertEquals(servedAs, verdict.modulePath() + "@" + verdict.version());
            body(service.zip(hosted, verdict.modulePath(), verdict.version()));
        } else {
            assertFalse(verdict.served(), tagName + " was said to be served as " + verdict.modulePath());
            ServiceFailure download = assertThrows(ServiceFailure.class,
                    () -> body(service.zip(hosted, verdict.modulePath(), verdict.version())));
            assertEquals(download.getMessage(), verdict.problem());
        }
    }

    @Test
    void aTagOnATreeOrOnAnotherCommitIsJudgedAtTheGivenCommit() throws Exception {
        RevCommit good = commit("go.mod", "module " + ROOT + "\n");
        RevCommit bad = commit("go.mod", "module example.com/other\n");
        git.tag().setName("v1.0.0").setObjectId(good).setAnnotated(false).call();
        service = ModuleServices.create(settings(0));
        // The push moves v1.0.0 to a commit whose go.mod names another module: judged there, not at the old tag.
        TagVerdict verdict = service.checkTag(hosted, VersionTag.parse("v1.0.0"), bad.name());
        assertFalse(verdict.served());
        assertTrue(verdict.problem().contains("example.com/other"), verdict.problem());
    }

    @Test
    void manyTagsOnOneCommitListItsTreeOnce() throws Exception {
        RevCommit c = commit("go.mod", "module " + ROOT + "\n", "a.go", "package lib\n");
        service = ModuleServices.create(settings(0));
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        HostedRepository counting = new HostedRepository() {
            public String name() { return hosted.name(); }
            public String rootModulePath() { return ROOT; }
            public boolean anonymousReadable() { return true; }
            public org.eclipse.jgit.lib.Repository open() throws IOException {
                opened.incrementAndGet();
                return hosted.open();
            }
        };
        for (int i = 0; i < 20; i++) {
            assertTrue(service.checkTag(counting, VersionTag.parse("v1.0." + i), c.name()).served());
        }
        assertEquals(1, opened.get());
        // Another major version is judged on its own: v2 needs a /v2 module path this commit does not have.
        assertFalse(service.checkTag(counting, VersionTag.parse("v2.0.0"), c.name()).served());
    }

    @Test
    void aPrebuiltZipIsServedAtTheFirstDownloadWithTheBytesOfAColdBuildAndPinsNothingBefore() throws Exception {
        RevCommit c = commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n// " + "x".repeat(5000) + "\n");
        git.tag().setName("v1.0.0").setObjectId(c).setAnnotated(false).call();
        GitModuleService prebuilding = (GitModuleService) ModuleServices.create(settings(10));
        service = prebuilding;
        assertTrue(service.prebuild(hosted, ROOT, "v1.0.0", c.name()));
        awaitIdle(prebuilding);
        assertNull(service.pinnedCommit(ROOT, "v1.0.0"), "a pre-build must not pin");
        assertTrue(zipFiles().size() == 1, "one zip pre-built: " + zipFiles());

        Artifact first = service.zip(hosted, ROOT, "v1.0.0");
        assertTrue(first.length() > 0, "the first download streams the stored pre-built zip, not a new build");
        byte[] served = body(first);
        assertEquals(c.name(), service.pinnedCommit(ROOT, "v1.0.0"));

        ModuleService cold = ModuleServices.create(ProxySettings.builder().build());
        try {
            assertArrayEquals(body(cold.zip(hosted, ROOT, "v1.0.0")), served);
        } finally {
            cold.close();
        }
        // The h1 of the pre-built zip became the record at that download: a restart with the cache emptied
        // rebuilds and checks against it.
        service.close();
        deleteZips();
        service = ModuleServices.create(settings(10));
        assertArrayEquals(served, body(service.zip(hosted, ROOT, "v1.0.0")));
    }

    @Test
    void aWrongTagFixedBeforeAnyDownloadLeavesNoTrace() throws Exception {
        RevCommit wrong = commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n// wrong\n");
        git.tag().setName("v1.0.0").setObjectId(wrong).setAnnotated(false).call();
        GitModuleService prebuilding = (GitModuleService) ModuleServices.create(settings(10));
        service = prebuilding;
        assertTrue(service.prebuild(hosted, ROOT, "v1.0.0", wrong.name()));
        awaitIdle(prebuilding);

        RevCommit right = commit("lib.go", "package lib\n// right\n");
        git.tag().setName("v1.0.0").setObjectId(right).setAnnotated(false).setForceUpdate(true).call();
        byte[] zip = body(service.zip(hosted, ROOT, "v1.0.0"));
        assertEquals("package lib\n// right\n", entry(zip, ROOT + "@v1.0.0/lib.go"));
        assertEquals(right.name(), service.pinnedCommit(ROOT, "v1.0.0"));
    }

    @Test
    void aPinnedVersionIsNotPrebuiltAtAnotherCommit() throws Exception {
        RevCommit first = commit("go.mod", "module " + ROOT + "\n");
        git.tag().setName("v1.0.0").setObjectId(first).setAnnotated(false).call();
        GitModuleService prebuilding = (GitModuleService) ModuleServices.create(settings(10));
        service = prebuilding;
        body(service.zip(hosted, ROOT, "v1.0.0"));
        RevCommit moved = commit("lib.go", "package lib\n");
        assertTrue(service.prebuild(hosted, ROOT, "v1.0.0", moved.name()));
        awaitIdle(prebuilding);
        assertEquals(1, zipFiles().size(), "only the pinned commit's zip: " + zipFiles());
        assertEquals(first.name(), service.pinnedCommit(ROOT, "v1.0.0"));
    }

    @Test
    void theQueueIsBounded() throws Exception {
        RevCommit c = commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n");
        GitModuleService prebuilding = (GitModuleService) ModuleServices.create(settings(2));
        service = prebuilding;
        int queued = 0;
        for (int i = 0; i < 50; i++) {
            git.tag().setName("v1.0." + i).setObjectId(c).setAnnotated(false).call();
        }
        for (int i = 0; i < 50; i++) {
            if (service.prebuild(hosted, ROOT, "v1.0." + i, c.name())) {
                queued++;
            }
        }
        assertTrue(queued >= 2 && queued < 50, "queued " + queued + " of 50 with a queue of 2");
        assertTrue(prebuilding.prebuildsPending() <= 3, "pending " + prebuilding.prebuildsPending());
        awaitIdle(prebuilding);
        assertEquals(queued, zipFiles().size());
    }

    @Test
    void withoutACacheNothingIsQueued() throws Exception {
        RevCommit c = commit("go.mod", "module " + ROOT + "\n");
        service = ModuleServices.create(ProxySettings.builder().build());
        assertFalse(service.prebuild(hosted, ROOT, "v1.0.0", c.name()));
    }

    /**
     * Releases on many commits share their paths (and most blobs), and the checks remember both: each commit is
     * still judged on its own sizes, as its download is.
     */
    @Test
    void tagsOnManyCommitsOfTheSameFilesAreEachJudgedOnTheirOwnSizes() throws Exception {
        RevCommit small = commit("go.mod", "module " + ROOT + "\n", "LICENSE", "MIT\n", "a.go", "package lib\n");
        RevCommit big = commit("LICENSE", "x".repeat((16 << 20) + 1));
        RevCommit smallAgain = commit("LICENSE", "MIT again\n");
        service = ModuleServices.create(settings(0));
        assertTrue(service.checkTag(hosted, VersionTag.parse("v1.0.0"), small.name()).served());
        TagVerdict tooBig = service.checkTag(hosted, VersionTag.parse("v1.0.1"), big.name());
        assertFalse(tooBig.served());
        assertTrue(service.checkTag(hosted, VersionTag.parse("v1.0.2"), smallAgain.name()).served());
        git.tag().setName("v1.0.1").setObjectId(big).setAnnotated(false).call();
        ServiceFailure download = assertThrows(ServiceFailure.class,
                () -> body(service.zip(hosted, tooBig.modulePath(), tooBig.version())));
        assertEquals(download.getMessage(), tooBig.problem());
        assertTrue(tooBig.problem().contains("LICENSE file too large"), tooBig.problem());
    }

    private static void awaitIdle(GitModuleService s) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (s.prebuildsPending() > 0) {
            assertTrue(System.nanoTime() < deadline, "pre-builds did not finish");
            Thread.sleep(20);
        }
    }

    private ProxySettings settings(int queue) {
        return ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).prebuildQueueLength(queue).build();
    }

    private java.util.List<Path> zipFiles() throws IOException {
        Path artifacts = tmp.resolve("data/artifacts");
        if (!Files.exists(artifacts)) {
            return java.util.List.of();
        }
        try (Stream<Path> s = Files.walk(artifacts)) {
            return s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".zip")).toList();
        }
    }

    private void deleteZips() throws IOException {
        try (Stream<Path> s = Files.walk(tmp.resolve("data/artifacts"))) {
            for (Path p : s.filter(p -> Files.isRegularFile(p) && p.toString().contains(".zip")).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String entry(byte[] zip, String name) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in the zip");
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

    private static byte[] body(Artifact artifact) throws IOException {
        if (artifact == null) {
            return new byte[0];
        }
        try (Artifact a = artifact) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            a.writeTo(out);
            return out.toByteArray();
        }
    }
}
