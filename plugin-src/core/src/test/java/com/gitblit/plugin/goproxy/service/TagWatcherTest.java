package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * One look at a time ({@link TagWatcher#look}) on a real repository: the first look records, later looks queue
 * exactly the version tags that are new or moved and would be served, never a version pinned to another commit,
 * and a repository that appears later has its tags queued.
 */
@Tag("jgit")
class TagWatcherTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;
    private JGitRepo repo;
    private GitDirRepository hosted;
    private GitModuleService service;
    private final List<HostedRepository> watched = new ArrayList<>();
    private TagWatcher watcher;

    @BeforeEach
    void create() throws Exception {
        repo = JGitRepo.init(tmp.resolve("work"));
        hosted = new GitDirRepository("team/lib.git", ROOT, repo.gitDir().toFile());
        service = (GitModuleService) ModuleServices.create(ProxySettings.builder()
                .dataDirectory(tmp.resolve("data").toFile()).build());
        watcher = new TagWatcher(service, () -> new ArrayList<>(watched), 1000);
    }

    @AfterEach
    void close() {
        watcher.close();
        service.close();
        repo.close();
    }

    @Test
    void theFirstLookRecordsThenNewAndMovedVersionTagsAreQueued() throws Exception {
        watched.add(hosted);
        repo.tag("v1.0.0", repo.commit("go.mod", "module " + ROOT + "\n", "a.go", "package lib\n"));
        assertEquals(0, watcher.look(), "the first look builds nothing");

        RevCommit c = repo.commit("a.go", "package lib\n// 2\n");
        repo.tag("v1.1.0", c);
        repo.tag("release-1", c);
        repo.tag("v1.2", c);
        repo.tag("v1.3.0", repo.commit("go.mod", "module example.com/fork\n"));
        assertEquals(1, watcher.look(), "only v1.1.0 is a new version that will be served");
        awaitIdle();
        assertEquals(1, zips().size());
        assertNull(service.pinnedCommit(ROOT, "v1.1.0"), "a pre-build must not pin");
        assertEquals(0, watcher.look(), "nothing new");

        repo.moveTag("v1.1.0", repo.commit("go.mod", "module " + ROOT + "\n", "a.go", "package lib\n// 3\n"));
        assertEquals(1, watcher.look(), "a moved tag is built at its new commit");
        awaitIdle();
        assertEquals(2, zips().size());
    }

    @Test
    void aVersionTagBesideAnOtherTagInASubdirectoryIsNoticedThroughTheStamp() throws Exception {
        watched.add(hosted);
        RevCommit c = repo.commit("go.mod", "module " + ROOT + "\n", "sub/go.mod", "module " + ROOT + "/sub\n");
        repo.tag("sub/notes", c);
        assertEquals(0, watcher.look());
        Thread.sleep(3500); // past the racy window: from now on the stamp alone says whether refs changed
        assertEquals(0, watcher.look());
        assertEquals(0, watcher.look());
        repo.tag("sub/v0.1.0", c); // changes refs/tags/sub only
        assertEquals(1, watcher.look());
    }

    @Test
    void aVersionPinnedToAnotherCommitIsNotQueued() throws Exception {
        watched.add(hosted);
        RevCommit first = repo.tag("v1.0.0", repo.commit("go.mod", "module " + ROOT + "\n"));
        body(service.zip(hosted, ROOT, "v1.0.0"));
        assertEquals(0, watcher.look());
        repo.moveTag("v1.0.0", repo.commit("a.go", "package lib\n"));
        assertEquals(0, watcher.look());
        assertEquals(first.name(), service.pinnedCommit(ROOT, "v1.0.0"));
    }

    @Test
    void aRepositoryThatAppearsLaterHasItsVersionTagsQueued() throws Exception {
        repo.tag("v1.0.0", repo.commit("go.mod", "module " + ROOT + "\n"));
        assertEquals(0, watcher.look());
        watched.add(hosted);
        assertEquals(1, watcher.look());
        awaitIdle();
        assertEquals(1, zips().size());
    }

    @Test
    void theThreadLooksUntilClosed() throws Exception {
        watcher.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (watcher.looks() < 2) {
            assertTrue(System.nanoTime() < deadline, "the watcher did not look twice");
            Thread.sleep(20);
        }
        watcher.close();
        int looks = watcher.looks();
        Thread.sleep(1500);
        assertEquals(looks, watcher.looks(), "a closed watcher looks no more");
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (service.prebuildsPending() > 0) {
            assertTrue(System.nanoTime() < deadline, "pre-builds did not finish");
            Thread.sleep(20);
        }
    }

    private List<Path> zips() throws IOException {
        Path artifacts = tmp.resolve("data/artifacts");
        if (!Files.exists(artifacts)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(artifacts)) {
            return s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".zip")).toList();
        }
    }

    private static void body(Artifact artifact) throws IOException {
        try (Artifact a = artifact) {
            a.writeTo(new ByteArrayOutputStream());
        }
    }
}
