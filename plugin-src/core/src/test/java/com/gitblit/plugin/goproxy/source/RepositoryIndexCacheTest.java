package com.gitblit.plugin.goproxy.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.GitCli;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/** Ref listings are reused while the refs stand still and recomputed after any change, however it was made. */
@RequiresGitCli
@Tag("jgit")
class RepositoryIndexCacheTest {
    @TempDir
    Path tmp;

    @Test
    void changesByAnyMeansAreSeen() throws Exception {
        Path work = tmp.resolve("w");
        try (JGitRepo source = JGitRepo.init(work)) {
            Git git = source.git();
            RevCommit c = source.tag("v1.0.0", source.commit("go.mod", "module example.com/m\n"));
            Repository repo = source.repository();
            RepositoryIndexCache cache = new RepositoryIndexCache(10);
            SourceSettings settings = SourceSettings.builder().build();

            assertEquals(List.of("v1.0.0"), versions(repo, cache, settings));
            ageEverything(repo.getDirectory().toPath());
            RefIndex first = cache.index("m", repo);
            RefIndex second = cache.index("m", repo);
            assertSame(first, second, "an unchanged, settled repository reuses its index");

            // A new loose tag (JGit), a moved tag (git CLI), then pack-refs: each must show at once.
            git.tag().setName("v1.1.0").setObjectId(c).setAnnotated(false).call();
            assertEquals(List.of("v1.0.0", "v1.1.0"), versions(repo, cache, settings));
            ageEverything(repo.getDirectory().toPath());
            cache.index("m", repo);
            GitCli.isolated().run(work, "tag", "-d", "v1.0.0");
            assertEquals(List.of("v1.1.0"), versions(repo, cache, settings));
            ageEverything(repo.getDirectory().toPath());
            cache.index("m", repo);
            GitCli.isolated().run(work, "tag", "v1.2.0");
            GitCli.isolated().run(work, "pack-refs", "--all");
            assertEquals(List.of("v1.1.0", "v1.2.0"), versions(repo, cache, settings));
            assertTrue(cache.index("m", repo).tags.containsKey("v1.2.0"));
        }
    }

    private static List<String> versions(Repository repo, RepositoryIndexCache cache, SourceSettings settings)
            throws Exception {
        try (ModuleSource s = new ModuleSource(repo, "m", "example.com/m", settings, cache)) {
            return s.versions("example.com/m");
        }
    }

    /** Makes every file and directory of the git directory look an hour old, so stamps are trusted. */
    private static void ageEverything(Path gitDir) throws Exception {
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        try (Stream<Path> s = Files.walk(gitDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }
}
