package com.gitblit.plugin.goproxy.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.Artifact;
import com.gitblit.plugin.goproxy.service.GitDirRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.testing.Eventually;

/**
 * The admin read model and actions over a real repository and the real module service: what a download pins and
 * caches, how each pin came about, the instance's counters, and each act (purge, forget, build now) with its
 * effect on the next download and its audit line.
 */
@Tag("jgit")
class AdminReadModelTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    private Path work;
    private Git git;
    private GitDirRepository hosted;
    private ModuleService service;
    private AdminReadModel model;
    private AdminActions actions;
    private int commits;
    private RevCommit c1;

    @BeforeEach
    void build() throws Exception {
        work = tmp.resolve("work");
        git = Git.init().setDirectory(work.toFile()).call();
        hosted = new GitDirRepository("team/lib.git", ROOT, work.resolve(".git").toFile());
        service = ModuleServices.create(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile())
                .prebuildQueueLength(4).build());
        model = new AdminReadModel(service.state());
        actions = new AdminActions(service, new AuditLog(tmp.resolve("data")));
        c1 = commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c1);
        tag("v1.1.0", commit("lib.go", "package lib\n\nconst V = 11\n"));
    }

    @AfterEach
    void close() {
        service.close();
        git.close();
    }

    @Test
    void aDownloadShowsItsPinWithHashesOriginAndCachedArtifacts() throws Exception {
        long before = System.currentTimeMillis();
        download("v1.0.0");
        AdminOverview overview = Eventually.within(Duration.ofSeconds(10)).value("the zip's h1 recorded", () -> {
            AdminOverview o = model.overview();
            return o.modules().size() == 1 && o.modules().get(0).versions().get(0).zipH1() != null ? o : null;
        });
        ModuleInventory lib = overview.modules().get(0);
        assertEquals("team/lib.git", lib.repositoryKey());
        assertEquals(ROOT, lib.modulePath());
        PinnedVersion v = lib.versions().get(0);
        assertEquals("v1.0.0", v.version());
        assertEquals(c1.name(), v.commit());
        assertTrue(v.modH1().startsWith("h1:"), v.modH1());
        assertTrue(v.zipH1().startsWith("h1:"), v.zipH1());
        assertEquals("request", v.origin());
        assertTrue(v.pinnedAtMillis() >= before, "pinned at " + v.pinnedAtMillis());
        assertEquals(List.of("info", "mod", "zip"), v.artifacts().stream().map(CachedArtifact::kind)
                .collect(Collectors.toList()));
        for (CachedArtifact a : v.artifacts()) {
            assertTrue(a.bytes() > 0, a.kind());
            assertTrue(a.lastUsedMillis() >= before, a.kind() + " last used " + a.lastUsedMillis());
            assertEquals(c1.name(), a.commit());
        }
        assertEquals(v.cachedBytes(), lib.cachedBytes());
        assertTrue(lib.unpinnedArtifacts().isEmpty());

        InstanceTotals t = overview.totals();
        assertEquals(1, t.modules());
        assertEquals(1, t.pinnedVersions());
        assertEquals(lib.cachedBytes(), t.cacheBytes());
        assertTrue(t.cacheLimit() > t.cacheBytes());
        assertTrue(t.misses() > 0, "the first download missed the cache");
        assertEquals(0, t.evictions());
        assertEquals(0, t.buildsRunning());
        assertTrue(t.buildCapacity() > 0);
        assertFalse(t.thirdPartyOn());
        assertTrue(overview.thirdParty().isEmpty());

        long hitsBefore = t.hits();
        download("v1.0.0");
        InstanceTotals after = model.totals();
        assertTrue(after.hits() > hitsBefore, "a second download is served from the cache");
        assertTrue(after.hitRatio() > 0 && after.hitRatio() < 1, "ratio " + after.hitRatio());
    }

    @Test
    void purgeRemovesTheModulesArtifactsAndTheNextDownloadRebuildsTheSameBytes() throws Exception {
        byte[] first = download("v1.0.0");
        String zipH1 = Eventually.within(Duration.ofSeconds(10)).value("zip h1",
                () -> model.module("team/lib.git", ROOT).version("v1.0.0").zipH1());
        assertFalse(model.module("team/lib.git", ROOT).version("v1.0.0").artifacts().isEmpty());

        String said = actions.purge("admin", hosted, ROOT);
        assertTrue(said.contains("3 artifact(s) removed"), said);
        ModuleInventory purged = model.module("team/lib.git", ROOT);
        assertTrue(purged.version("v1.0.0").artifacts().isEmpty(), "artifacts left after the purge");
        assertEquals(zipH1, purged.version("v1.0.0").zipH1(), "a purge unpins nothing");
        assertEquals(0, model.totals().cacheBytes());

        assertArrayEquals(first, download("v1.0.0"), "the rebuilt zip differs");
        assertEquals(3, model.module("team/lib.git", ROOT).version("v1.0.0").artifacts().size(),
                "the next download caches the module again");
        AuditLog.Line line = actions.audit().recent(1).get(0);
        assertEquals("admin", line.who());
        assertEquals("purge", line.action());
        assertEquals(ROOT + " in team/lib.git", line.target());
    }

    @Test
    void forgetAfterAMovedTagLetsTheNextDownloadPinTheNewCommit() throws Exception {
        download("v1.0.0");
        RevCommit moved = commit("lib.go", "package lib\n\nconst Fixed = true\n");
        git.tag().setName("v1.0.0").setObjectId(moved).setForceUpdate(true).call();
        download("v1.0.0");
        assertEquals(c1.name(), model.module("team/lib.git", ROOT).version("v1.0.0").commit(),
                "before forgetting, the first pin holds");

        String said = actions.forget("admin", ROOT, "v1.0.0");
        assertTrue(said.contains("forgotten") && said.contains(c1.name()), said);
        assertNull(model.module("team/lib.git", ROOT).version("v1.0.0"));
        download("v1.0.0");
        PinnedVersion again = model.module("team/lib.git", ROOT).version("v1.0.0");
        assertEquals(moved.name(), again.commit());
        assertEquals("request", again.origin());

        AuditLog.Line line = actions.audit().recent(1).get(0);
        assertEquals("forget", line.action());
        assertEquals(ROOT + "@v1.0.0", line.target());
        assertTrue(line.outcome().contains(c1.name()), line.outcome());
        assertTrue(actions.forget("admin", ROOT, "v9.9.9").endsWith("was not pinned"));
        assertEquals("was not pinned", actions.audit().recent(1).get(0).outcome());
    }

    @Test
    void buildNowPinsAndBuildsAsAnAdministratorsAct() throws Exception {
        String said = actions.build("root", hosted, ROOT, "v1.1.0");
        PinnedVersion v = model.module("team/lib.git", ROOT).version("v1.1.0");
        assertEquals("admin", v.origin());
        assertNotNull(v.zipH1(), "the zip's h1 is recorded when build now returns");
        assertNotNull(v.modH1());
        assertTrue(said.contains(v.zipH1()), said);
        assertEquals(List.of("mod", "zip"), v.artifacts().stream().map(CachedArtifact::kind)
                .collect(Collectors.toList()));
        assertEquals("build", actions.audit().recent(1).get(0).action());

        ServiceFailure refused = org.junit.jupiter.api.Assertions.assertThrows(ServiceFailure.class,
                () -> actions.build("root", hosted, ROOT, "v7.0.0"));
        AuditLog.Line line = actions.audit().recent(1).get(0);
        assertTrue(line.outcome().startsWith("refused: ") && line.outcome().contains(refused.getMessage()),
                line.outcome());
    }

    @Test
    void aVersionPreBuiltAtPushIsPinnedAsThePushsAndAnUnpinnedArtifactIsListedApart() throws Exception {
        RevCommit c3 = commit("lib.go", "package lib\n\nconst V = 12\n");
        tag("v1.2.0", c3);
        assertTrue(service.prebuild(hosted, ROOT, "v1.2.0", c3.name()));
        ModuleInventory before = Eventually.within(Duration.ofSeconds(20)).value("the pre-build stored", () -> {
            ModuleInventory m = model.module("team/lib.git", ROOT);
            return m.unpinnedArtifacts().size() == 1 ? m : null;
        });
        assertTrue(before.versions().isEmpty(), "a pre-build pins nothing");
        assertEquals("v1.2.0", before.unpinnedArtifacts().get(0).version());
        assertEquals("zip", before.unpinnedArtifacts().get(0).kind());

        download("v1.2.0");
        ModuleInventory after = model.module("team/lib.git", ROOT);
        assertEquals("push", after.version("v1.2.0").origin());
        assertTrue(after.unpinnedArtifacts().isEmpty(), "the pre-built zip now belongs to the pin");
        assertTrue(after.version("v1.2.0").artifacts().stream().anyMatch(a -> a.kind().equals("zip")));
    }

    @Test
    void versionsAreNewestFirstAndOtherRepositoriesAreNotMixedIn() throws Exception {
        download("v1.0.0");
        download("v1.1.0");
        assertEquals(List.of("v1.1.0", "v1.0.0"), model.module("team/lib.git", ROOT).versions().stream()
                .map(PinnedVersion::version).collect(Collectors.toList()));
        ModuleInventory elsewhere = model.module("team/other.git", ROOT);
        assertTrue(elsewhere.versions().isEmpty() && elsewhere.unpinnedArtifacts().isEmpty());
    }

    @Test
    void withoutADataFolderThereIsNothingToShowAndNoFailure() throws Exception {
        try (ModuleService bare = ModuleServices.create(ProxySettings.builder().build())) {
            AdminReadModel empty = new AdminReadModel(bare.state());
            AdminOverview o = empty.overview();
            assertTrue(o.modules().isEmpty());
            assertEquals(0, o.totals().cacheBytes());
            assertEquals(-1, o.totals().hitRatio());
            assertTrue(empty.module("team/lib.git", ROOT).versions().isEmpty());
        }
    }

    @Test
    void aFailedBuildIsARecentFailureWithItsReason() throws Exception {
        tag("v1.3.0", commit("big.bin", "x".repeat(1000)));
        try (ModuleService tiny = ModuleServices.create(ProxySettings.builder()
                .dataDirectory(tmp.resolve("tiny").toFile()).cacheMaxBytes(10).build())) {
            // A zip larger than the whole cache is served from git, uncached: not a failure.
            try (Artifact zip = tiny.zip(hosted, ROOT, "v1.3.0")) {
                zip.writeTo(new ByteArrayOutputStream());
            }
            assertTrue(new AdminReadModel(tiny.state()).totals().failures().isEmpty());
        }
        Path data = tmp.resolve("unwritable");
        Files.createDirectories(data);
        try (ModuleService broken = ModuleServices.create(ProxySettings.builder().dataDirectory(data.toFile())
                .build())) {
            // The ledger folder replaced by a file: pins cannot be written.
            Path ledger = data.resolve("version-ledger");
            deleteTree(ledger);
            Files.write(ledger, new byte[0]);
            assertNotEquals(null, org.junit.jupiter.api.Assertions.assertThrows(ServiceFailure.class,
                    () -> broken.info(hosted, ROOT, "v1.3.0")));
            List<com.gitblit.plugin.goproxy.service.RecentFailures.Failure> failures =
                    new AdminReadModel(broken.state()).totals().failures();
            assertEquals(1, failures.size(), "recorded once");
            assertTrue(failures.get(0).reason().contains("version ledger"), failures.get(0).reason());
            assertTrue(failures.get(0).at() > 0);
        }
    }

    @Test
    void thirdPartyModulesKeptByTheDependencyProxyAreListedApart() throws Exception {
        download("v1.0.0");
        // What UpstreamModules records for a fetched version: its fixed repository key and no commit of ours.
        service.state().ledger().recordCommit("golang.org/x/text", "v0.3.0", "-", "upstream:",
                com.gitblit.plugin.goproxy.cache.PinOrigin.UPSTREAM);
        service.state().ledger().recordZipHash("golang.org/x/text", "v0.3.0", "h1:upstream-zip");
        AdminOverview o = model.overview();
        assertEquals(List.of(ROOT), o.modules().stream().map(ModuleInventory::modulePath).collect(Collectors.toList()));
        assertEquals(1, o.totals().pinnedVersions(), "third-party versions are not counted as the forge's");
        assertEquals(1, o.thirdParty().size());
        PinnedVersion kept = o.thirdParty().get(0).version("v0.3.0");
        assertEquals("upstream", kept.origin());
        assertEquals("h1:upstream-zip", kept.zipH1());
        assertTrue(kept.artifacts().isEmpty(), "kept outside the cache, not listed as cached");
    }

    @Test
    void aDamagedRepositoryIsOneRecentFailureCountedWithItsReason() throws Exception {
        try (com.gitblit.plugin.goproxy.testing.DamagedRepository r = com.gitblit.plugin.goproxy.testing.DamagedRepository
                .createBare(tmp.resolve("damaged.git"))) {
            RevCommit c = r.commit("go.mod", "module example.com/m\n", "m.go", "package m\n");
            r.tag("v1.0.0", c);
            org.eclipse.jgit.lib.ObjectId goMod = r.objectAt(c, "go.mod");
            r.deleteObject(goMod);
            GitDirRepository damaged = new GitDirRepository("team/damaged.git", "example.com/m",
                    tmp.resolve("damaged.git").toFile());
            for (int i = 0; i < 2; i++) {
                ServiceFailure f = org.junit.jupiter.api.Assertions.assertThrows(ServiceFailure.class,
                        () -> service.info(damaged, "example.com/m", "v1.0.0"));
                assertEquals(ServiceFailure.Kind.REPOSITORY_FAULT, f.kind());
            }
            List<com.gitblit.plugin.goproxy.service.RecentFailures.Failure> failures = model.totals().failures();
            assertEquals(1, failures.size(), "one row for a fault that came back");
            assertEquals("repository", failures.get(0).subject());
            assertEquals(2, failures.get(0).times());
            assertTrue(failures.get(0).reason().contains(goMod.name()), failures.get(0).reason());
        }
    }

    private byte[] download(String version) throws Exception {
        service.info(hosted, ROOT, version);
        service.mod(hosted, ROOT, version).close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Artifact zip = service.zip(hosted, ROOT, version)) {
            zip.writeTo(out);
        }
        return out.toByteArray();
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.isDirectory(p)) {
            try (java.util.stream.Stream<Path> s = Files.list(p)) {
                for (Path c : s.collect(Collectors.toList())) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
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

    private void tag(String name, RevCommit at) throws Exception {
        git.tag().setName(name).setObjectId(at).setAnnotated(false).call();
    }
}
