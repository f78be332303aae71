package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * Each field of the one settings model changes what the service does (the plugin settings and the standalone
 * flags that set them are mapped onto these fields in DocumentedSettingsTest and DocumentedFlagsTest). A setting
 * read but never applied, as {@code serveForeignModulePaths} once was, fails here.
 */
class ProxySettingsBehaviourTest {
    private static final String MODULE = "git.example.com/team/lib";

    @TempDir
    Path tmp;
    private Path work;
    private JGitRepo repo;
    private Git git;
    private HostedRepository hosted;

    @BeforeEach
    void repository() throws Exception {
        work = tmp.resolve("work");
        repo = JGitRepo.init(work);
        git = repo.git();
        hosted = new GitDirRepository("team/lib.git", MODULE, work.resolve(".git").toFile());
    }

    @Test
    void serveLegacyVersions() throws Exception {
        tag("v1.0.0", commit("lib.go", "package lib\n"));
        tag("v1.1.0", commit("go.mod", "module " + MODULE + "\n"));
        assertEquals(2, service(base()).list(hosted, MODULE).size());
        ModuleService off = service(base().serveLegacyVersions(false));
        assertEquals(java.util.Arrays.asList("v1.1.0"), off.list(hosted, MODULE));
        assertThrows(ServiceFailure.class, () -> off.mod(hosted, MODULE, "v1.0.0"));
    }

    @Test
    void serveForeignModulePaths() throws Exception {
        tag("v1.0.0", commit("go.mod", "module example.com/upstream\n", "lib.go", "package lib\n"));
        ServiceFailure refused = assertThrows(ServiceFailure.class, () -> service(base()).zip(hosted, MODULE, "v1.0.0"));
        assertTrue(refused.getMessage().contains("go.mod declares module"), refused.getMessage());
        ModuleService on = service(base().serveForeignModulePaths(true));
        assertTrue(body(on.zip(hosted, MODULE, "v1.0.0")).length > 0);
        assertTrue(on.list(hosted, MODULE).isEmpty(), "never listed either way");
    }

    @Test
    void dataDirectory() throws Exception {
        RevCommit first = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n// one\n");
        tag("v1.0.0", first);
        ModuleService pinned = service(base());
        ModuleService unpinned = service(ProxySettings.builder());
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), pinned.info(hosted, MODULE, "v1.0.0").time());
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), unpinned.info(hosted, MODULE, "v1.0.0").time());
        RevCommit second = commit("lib.go", "package lib\n// two\n");
        git.tag().setName("v1.0.0").setObjectId(second).setForceUpdate(true).setAnnotated(false).call();
        assertEquals(Instant.ofEpochSecond(first.getCommitTime()), service(base()).info(hosted, MODULE, "v1.0.0").time(),
                "with a data folder the first commit stays pinned");
        assertEquals(Instant.ofEpochSecond(second.getCommitTime()), unpinned.info(hosted, MODULE, "v1.0.0").time(),
                "without one nothing is pinned");
        assertTrue(Files.isDirectory(tmp.resolve("data/version-ledger")));
    }

    @Test
    void cacheMaxBytes() throws Exception {
        tag("v1.0.0", commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n"));
        byte[] cached = body(service(base()).zip(hosted, MODULE, "v1.0.0"));
        assertEquals(1, zipsIn(tmp.resolve("data/artifacts")));
        deleteTree(tmp.resolve("data/artifacts"));
        byte[] tooSmall = body(service(base().cacheMaxBytes(16)).zip(hosted, MODULE, "v1.0.0"));
        assertArrayEquals(cached, tooSmall, "served from git, the same bytes");
        assertEquals(0, zipsIn(tmp.resolve("data/artifacts")), "nothing beyond the limit is kept");
    }

    @Test
    void maxConcurrentBuildsAndBuildQueueTimeout() throws Exception {
        RevCommit c = commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        tag("v1.0.0", c);
        tag("v1.0.1", c);
        ModuleService one = service(ProxySettings.builder().maxConcurrentBuilds(1).buildQueueTimeoutMillis(200));
        try (Artifact held = one.zip(hosted, MODULE, "v1.0.0")) {
            long start = System.nanoTime();
            ServiceFailure busy = assertThrows(ServiceFailure.class, () -> one.zip(hosted, MODULE, "v1.0.1"));
            assertEquals(ServiceFailure.Kind.OVERLOADED, busy.kind());
            assertTrue(System.nanoTime() - start >= 150_000_000L, "it waited for the queue timeout first");
        }
        ModuleService two = service(ProxySettings.builder().maxConcurrentBuilds(2).buildQueueTimeoutMillis(200));
        try (Artifact held = two.zip(hosted, MODULE, "v1.0.0")) {
            assertTrue(body(two.zip(hosted, MODULE, "v1.0.1")).length > 0);
        }
    }

    private ProxySettings.Builder base() {
        return ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile());
    }

    private static ModuleService service(ProxySettings.Builder settings) throws IOException {
        return ModuleServices.create(settings.build());
    }

    private RevCommit commit(String... pathsAndContents) throws Exception {
        return repo.commit(pathsAndContents);
    }

    private void tag(String name, RevCommit at) throws Exception {
        repo.tag(name, at);
    }

    private static byte[] body(Artifact artifact) throws IOException {
        try (Artifact a = artifact) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            a.writeTo(out);
            return out.toByteArray();
        }
    }

    private static long zipsIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".zip")).count();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
