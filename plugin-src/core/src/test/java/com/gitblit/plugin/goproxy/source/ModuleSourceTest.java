package com.gitblit.plugin.goproxy.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * Direct-mode answers of {@link ModuleSource} on repositories built here: tags, subdirectory and major-version
 * modules, +incompatible, pseudo-versions (valid and forged), moved tags, foreign go.mod, many tags.
 * Expected values follow cmd/go 1.19's coderepo.go rules.
 */
@Tag("jgit")
class ModuleSourceTest {
    private static final String M = "example.com/m";
    @TempDir
    Path tmp;
    private RevCommit commit(JGitRepo git, String... pathAndContent) throws Exception {
        return git.commit(pathAndContent);
    }

    private static void tag(JGitRepo git, String name, RevCommit c) throws Exception {
        git.moveTag(name, c);
    }

    private ModuleSource source(JGitRepo git) {
        return source(git, SourceSettings.builder().build());
    }

    private ModuleSource source(JGitRepo git, SourceSettings settings) {
        return new ModuleSource(git.repository(), "r", M, settings, new RepositoryIndexCache(4));
    }

    /** Commits an hour apart from 2020-09-13T13:26:40Z, at a UTC+2 offset. */
    private JGitRepo init() throws Exception {
        return JGitRepo.init(tmp.resolve("w")).clock(Instant.ofEpochSecond(1_600_003_600L), Duration.ofHours(1),
                TimeZone.getTimeZone("GMT+2"));
    }

    @Test
    void tagsSubdirectoriesAndMajorVersions() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "go.mod", "module example.com/m\n", "a.go", "package m\n",
                    "sub/go.mod", "module example.com/m/sub\n", "sub/s.go", "package sub\n");
            tag(git, "v1.0.0", c1);
            tag(git, "v1.1.0-rc.1", c1);
            tag(git, "sub/v0.1.0", c1);
            tag(git, "1.2.0", c1);                                 // no leading v: ignored
            tag(git, "v1.3", c1);                                  // not canonical: ignored
            tag(git, "v1.4.0-0.20200101000000-abcdefabcdef", c1);  // pseudo-version shaped: ignored
            RevCommit c2 = commit(git, "go.mod", "module example.com/m/v2\n");
            tag(git, "v2.0.0", c2);
            RevCommit c3 = commit(git, "v3/go.mod", "module example.com/m/v3\n", "v3/x.go", "package x\n");
            tag(git, "v3.0.1", c3);
            try (ModuleSource s = source(git)) {
                assertEquals(List.of("v1.0.0", "v1.1.0-rc.1"), sorted(s.versions(M)));
                assertEquals(List.of("v0.1.0"), s.versions(M + "/sub"));
                assertEquals(List.of("v2.0.0"), s.versions(M + "/v2"));
                assertEquals(List.of("v3.0.1"), s.versions(M + "/v3"));

                Revision r = s.stat(M, "v1.0.0");
                assertEquals("v1.0.0", r.version());
                assertEquals(c1.getName(), r.commit());
                assertEquals(Instant.ofEpochSecond(c1.getCommitTime()), r.time());
                assertEquals("v0.1.0", s.stat(M + "/sub", "sub/v0.1.0").version());
                assertEquals("v3.0.1", s.stat(M + "/v3", "v3.0.1").version());
                assertArrayEquals("module example.com/m/v3\n".getBytes(StandardCharsets.UTF_8),
                        s.goMod(M + "/v3", s.stat(M + "/v3", "v3.0.1")));
                SourceException e = assertThrows(SourceException.class, () -> s.stat(M, "v1.9.9"));
                assertTrue(e.getMessage().startsWith(M + "@v1.9.9"), e.getMessage());
                assertEquals("v1.0.0", s.latest(M).version());
            }
        }
    }

    @Test
    void pseudoVersionsFromBranchesAndHashes() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "go.mod", "module example.com/m\n");
            RevCommit c2 = commit(git, "a.go", "package m\n");
            String untagged = "v0.0.0-" + stamp(c2) + "-" + c2.getName().substring(0, 12);
            try (ModuleSource s = source(git)) {
                assertEquals(untagged, s.stat(M, "master").version());
                assertEquals(untagged, s.stat(M, c2.getName().substring(0, 8)).version());
                assertEquals(untagged, s.latest(M).version(), "no tags: latest is HEAD's pseudo-version");
                assertEquals(List.of(), s.versions(M));
            }
            tag(git, "v1.2.3", c1);
            tag(git, "v1.3.0-beta", c1);
            RevCommit c3 = commit(git, "b.go", "package m\n");
            try (ModuleSource s = source(git)) {
                String pseudo = "v1.3.0-beta.0." + stamp(c3) + "-" + c3.getName().substring(0, 12);
                assertEquals(pseudo, s.stat(M, "master").version());
                assertEquals(pseudo, s.stat(M, pseudo).version(), "a valid pseudo-version resolves to itself");
                assertEquals("v1.3.0-beta", s.stat(M, c1.getName()).version(), "a commit with tags is its highest tag");
                // Forged: wrong time, unknown commit, base tag that is not an ancestor.
                String wrongTime = "v1.3.0-beta.0.20000101000000-" + c3.getName().substring(0, 12);
                assertThrows(SourceException.class, () -> s.stat(M, wrongTime));
                assertThrows(SourceException.class,
                        () -> s.stat(M, "v1.3.0-beta.0." + stamp(c3) + "-000000000000"));
                assertThrows(SourceException.class,
                        () -> s.stat(M, "v1.9.10-0." + stamp(c3) + "-" + c3.getName().substring(0, 12)));
                assertThrows(SourceException.class, () -> s.stat(M, "no-such-branch"));
            }
        }
    }

    @Test
    void incompatibleAndLegacyVersions() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "a.go", "package m\n");
            tag(git, "v1.0.0", c1);
            tag(git, "v2.0.0", c1);
            try (ModuleSource s = source(git)) {
                assertEquals(List.of("v1.0.0", "v2.0.0+incompatible"), sorted(s.versions(M)));
                assertEquals("v2.0.0+incompatible", s.stat(M, "v2.0.0+incompatible").version());
                assertArrayEquals("module example.com/m\n".getBytes(StandardCharsets.UTF_8),
                        s.goMod(M, s.stat(M, "v1.0.0")), "legacy: go.mod synthesized");
                assertEquals(List.of(), s.versions(M + "/v2"), "a /v2 module needs a go.mod");
            }
        }
    }

    @Test
    void foreignGoModIsOmittedAndRetractionsHonoured() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "go.mod", "module example.com/m\n");
            tag(git, "v1.0.0", c1);
            RevCommit c2 = commit(git, "go.mod", "module example.com/other\n");
            tag(git, "v1.1.0", c2);
            RevCommit c3 = commit(git, "go.mod", "module example.com/m\n\nretract v1.2.0 // broken\n");
            tag(git, "v1.2.0", c3);
            try (ModuleSource s = source(git)) {
                assertEquals(List.of("v1.0.0", "v1.2.0"), sorted(s.versions(M)));
                SourceException e = assertThrows(SourceException.class, () -> s.stat(M, "v1.1.0"));
                assertTrue(e.getMessage().contains("example.com/other"), e.getMessage());
                assertEquals("v1.0.0", s.latest(M).version(), "v1.2.0 retracts itself");
            }
        }
    }

    @Test
    void pinnedServesTheRecordedCommitAfterATagMoves() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "go.mod", "module example.com/m\n");
            tag(git, "v1.0.0", c1);
            RevCommit c2 = commit(git, "a.go", "package m\n");
            tag(git, "v1.0.0", c2);
            try (ModuleSource s = source(git)) {
                assertEquals(c2.getName(), s.stat(M, "v1.0.0").commit());
                Revision pinned = s.pinned(M, "v1.0.0", c1.getName());
                assertEquals(c1.getName(), pinned.commit());
                assertEquals(Instant.ofEpochSecond(c1.getCommitTime()), pinned.time());
                assertThrows(SourceException.class,
                        () -> s.pinned(M, "v1.0.0", "0123456789012345678901234567890123456789"));
                assertTrue(s.zip(M, pinned) != null);
            }
        }
    }

    @Test
    void tenThousandTags() throws Exception {
        try (JGitRepo git = init()) {
            RevCommit c1 = commit(git, "go.mod", "module example.com/m\n");
            // Written as packed-refs directly: 10,000 loose tags through JGit take minutes.
            StringBuilder packed = new StringBuilder("# pack-refs with: peeled fully-peeled \n");
            for (int i = 0; i < 10_000; i++) {
                packed.append(c1.getName()).append(" refs/tags/v1.0.").append(i).append('\n');
            }
            Files.writeString(git.repository().getDirectory().toPath().resolve("packed-refs"), packed);
            git.repository().getRefDatabase().refresh();
            try (ModuleSource s = source(git)) {
                assertEquals(10_000, s.versions(M).size());
                assertEquals("v1.0.9999", s.latest(M).version());
            }
        }
    }

    private static String stamp(RevCommit c) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochSecond(c.getCommitTime()));
    }

    private static List<String> sorted(List<String> versions) {
        List<String> copy = new ArrayList<>(versions);
        copy.sort(null);
        return copy;
    }
}
