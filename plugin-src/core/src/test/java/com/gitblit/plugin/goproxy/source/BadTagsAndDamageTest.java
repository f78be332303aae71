package com.gitblit.plugin.goproxy.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.DamagedRepository;
import com.gitblit.plugin.goproxy.testing.GitCli;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * One bad tag stays that tag's problem, and a damaged repository is a fault, never an empty or smaller module
 * that a client would believe. Repositories are built on disk and broken for real: a go.mod over 16 MiB, tags on
 * a tree or a blob, a symbolic tag cycle, loose objects deleted or overwritten, a pack cut short after gc.
 */
@RequiresGitCli
@Tag("jgit")
class BadTagsAndDamageTest {
    private static final String M = "example.com/m";
    private static final int MAX_GO_MOD = 16 << 20;

    @TempDir
    Path tmp;

    private DamagedRepository repo() throws Exception {
        return DamagedRepository.createBare(tmp.resolve("m.git"));
    }

    private static ModuleSource source(FileRepository repository, RepositoryIndexCache indexes) {
        return new ModuleSource(repository, "m", M, SourceSettings.builder().build(), indexes);
    }

    private static FileRepository reopen(DamagedRepository r) throws Exception {
        return new FileRepository(r.gitDir().toFile());
    }

    /** v1.0.0, v1.1.0 fine; returns the commit of v1.1.0. */
    private static RevCommit twoGoodVersions(DamagedRepository r) throws Exception {
        RevCommit c1 = r.commit("go.mod", "module example.com/m\n", "a.go", "package m\n");
        r.tag("v1.0.0", c1);
        RevCommit c2 = r.commit("b.go", "package m\n");
        r.tag("v1.1.0", c2);
        return c2;
    }

    @Test
    void goModOverSixteenMebibytesLeavesOnlyThatVersionOut() throws Exception {
        try (DamagedRepository r = repo()) {
            twoGoodVersions(r);
            byte[] huge = new byte[MAX_GO_MOD + 1];
            Arrays.fill(huge, (byte) '/');
            byte[] head = "module example.com/m\n".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, huge, 0, head.length);
            huge[huge.length - 1] = '\n';
            RevCommit big = r.commitBytes("go.mod", huge);
            r.tag("v1.2.0", big);
            RevCommit after = r.commit("go.mod", "module example.com/m\n", "c.go", "package m\n");
            try (ModuleSource s = source(r.repository(), new RepositoryIndexCache(4))) {
                assertEquals(List.of("v1.0.0", "v1.1.0"), s.versions(M));
                assertEquals("v1.1.0", s.latest(M).version());
                SourceException e = assertThrows(SourceException.class, () -> s.stat(M, "v1.2.0"));
                assertTrue(e.getMessage().startsWith(M + "@v1.2.0: invalid version: ")
                        && e.getMessage().contains("larger than 16777216 bytes"), e.getMessage());
                assertEquals("v1.0.0", s.stat(M, "v1.0.0").version());
                // The huge tag still counts as the base of a later commit's pseudo-version, as in direct mode.
                assertTrue(s.stat(M, after.name()).version().startsWith("v1.2.1-0."), s.stat(M, after.name()).version());
            }
        }
    }

    @Test
    void tagsOnTreesBlobsAndSymbolicCyclesAreNoVersions() throws Exception {
        try (DamagedRepository r = repo()) {
            RevCommit c2 = twoGoodVersions(r);
            RevObject tree = r.treeOf(c2);
            r.tag("v1.3.0", tree);
            r.tag("v1.4.0", r.objectAt(c2, "go.mod"));
            r.annotatedTag("v1.5.0", tree);
            r.symbolicTag("v1.6.0", "v1.7.0");
            r.symbolicTag("v1.7.0", "v1.6.0");
            try (FileRepository git = reopen(r); ModuleSource s = source(git, new RepositoryIndexCache(4))) {
                assertEquals(List.of("v1.0.0", "v1.1.0"), s.versions(M));
                assertEquals("v1.1.0", s.latest(M).version());
                assertEquals("v1.1.0", s.stat(M, "master").version());
                assertTrue(message(s, "v1.3.0").contains("points to a tree, not to a commit"), message(s, "v1.3.0"));
                assertTrue(message(s, "v1.4.0").contains("points to a blob, not to a commit"), message(s, "v1.4.0"));
                assertTrue(message(s, "v1.5.0").contains("points to a tree"), message(s, "v1.5.0"));
                assertTrue(message(s, "v1.6.0").startsWith(M + "@v1.6.0: invalid version: "), message(s, "v1.6.0"));
            }
        }
    }

    private static String message(ModuleSource s, String version) {
        return assertThrows(SourceException.class, () -> s.stat(M, version)).getMessage();
    }

    /**
     * The go.mod blob of one tag is gone: that version answers a fault (not "not found"), the others and the list
     * keep working, nothing of it is cached, and putting the object back brings the version back at once.
     */
    @Test
    void oneTagsMissingObjectIsAFaultOfThatVersionOnly() throws Exception {
        try (DamagedRepository r = repo()) {
            twoGoodVersions(r);
            RevCommit c3 = r.commit("go.mod", "module example.com/m\n\n// v1.2.0\n");
            r.tag("v1.2.0", c3);
            ObjectId goMod = r.objectAt(c3, "go.mod");
            byte[] saved = DamagedRepository.read(r.looseFile(goMod));
            r.deleteObject(goMod);
            RepositoryIndexCache indexes = new RepositoryIndexCache(4);
            try (FileRepository git = reopen(r); ModuleSource s = source(git, indexes)) {
                assertEquals(List.of("v1.0.0", "v1.1.0"), s.versions(M));
                assertEquals("v1.1.0", s.latest(M).version());
                RepositoryFaultException f = assertThrows(RepositoryFaultException.class, () -> s.stat(M, "v1.2.0"));
                assertEquals(RepositoryFaultException.Kind.MISSING_OBJECT, f.kind());
                assertTrue(f.getMessage().contains(goMod.name()), f.getMessage());
                assertEquals("v1.0.0", s.stat(M, "v1.0.0").version());
            }
            r.restore(goMod, saved);
            try (FileRepository git = reopen(r); ModuleSource s = source(git, indexes)) {
                assertEquals(List.of("v1.0.0", "v1.1.0", "v1.2.0"), s.versions(M));
                assertEquals("v1.2.0", s.latest(M).version());
            }
        }
    }

    /**
     * A tag whose commit is gone: the tag is left out of the list; asked for by name it is a fault; answers that
     * depend on every tag (a branch's pseudo-version, which could take it as base) are faults too, while a version
     * asked for by name is not touched.
     */
    @Test
    void tagWhoseCommitIsGone() throws Exception {
        try (DamagedRepository r = repo()) {
            RevCommit c2 = twoGoodVersions(r);
            RevCommit c3 = r.commit("c.go", "package m\n");
            r.annotatedTag("v1.2.0", c3);
            RevCommit c4 = r.commit("d.go", "package m\n");
            r.deleteObject(c3);
            RepositoryIndexCache indexes = new RepositoryIndexCache(4);
            try (FileRepository git = reopen(r); ModuleSource s = source(git, indexes)) {
                assertEquals(List.of("v1.0.0", "v1.1.0"), s.versions(M));
                assertEquals("v1.1.0", s.latest(M).version());
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "v1.2.0"));
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "master"));
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, c4.name().substring(0, 12)));
                assertEquals("v1.1.0", s.stat(M, "v1.1.0").version());
                assertEquals(c2.name(), s.pinned(M, "v1.1.0", c2.name()).commit());
            }
        }
    }

    /** After gc, the pack cut short: everything lived in it, so every answer is a fault, never an empty list. */
    @Test
    void truncatedPackIsAFaultNotAnEmptyRepository() throws Exception {
        try (DamagedRepository r = repo()) {
            RevCommit c2 = twoGoodVersions(r);
            r.gcAndTruncatePack();
            try (FileRepository git = reopen(r); ModuleSource s = source(git, new RepositoryIndexCache(4))) {
                assertThrows(RepositoryFaultException.class, () -> s.versions(M));
                assertThrows(RepositoryFaultException.class, () -> s.latest(M));
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "v1.0.0"));
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "master"));
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, c2.name()));
                assertThrows(RepositoryFaultException.class, () -> s.pinned(M, "v1.1.0", c2.name()));
            }
        }
    }

    /**
     * The pack restored from a backup while the same Repository instance stays open, as a host's repository cache
     * keeps it: the answers come back without a restart. JGit dropped the broken pack from its list and looks at
     * the pack directory again only when the directory changes, so the restore must change it (copy to a temporary
     * name and rename, or touch the directory), as docs/how-it-works.md says.
     */
    @Test
    void restoredPackIsSeenWithoutReopening() throws Exception {
        try (DamagedRepository r = repo()) {
            twoGoodVersions(r);
            GitCli.isolated().run(r.gitDir(), "gc", "--quiet", "--prune=now");
            Path pack;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(r.gitDir().resolve("objects/pack"))) {
                pack = files.filter(f -> f.toString().endsWith(".pack")).findFirst().get();
            }
            byte[] saved = DamagedRepository.read(pack);
            RepositoryIndexCache indexes = new RepositoryIndexCache(4);
            try (FileRepository git = reopen(r)) {
                pack.toFile().setWritable(true);
                java.nio.file.Files.write(pack, Arrays.copyOf(saved, saved.length / 3));
                try (ModuleSource s = source(git, indexes)) {
                    assertThrows(RepositoryFaultException.class, () -> s.versions(M));
                }
                java.nio.file.Files.write(pack, saved);
                java.nio.file.Files.setLastModifiedTime(pack.getParent(),
                        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
                try (ModuleSource s = source(git, indexes)) {
                    assertEquals(List.of("v1.0.0", "v1.1.0"), s.versions(M));
                }
            }
        }
    }

    /** Bytes of a loose object overwritten: the zip and the go.mod of that version are faults, not 404s or 500s. */
    @Test
    void corruptObjectIsAFault() throws Exception {
        try (DamagedRepository r = repo()) {
            RevCommit c1 = r.commit("go.mod", "module example.com/m\n", "a.go", "package m\n\nfunc A() {}\n");
            r.tag("v1.0.0", c1);
            RevCommit c2 = r.commit("go.mod", "module example.com/m\n\n// v1.1.0\n");
            r.tag("v1.1.0", c2);
            r.corruptObject(r.objectAt(c1, "a.go"));
            r.corruptObject(r.objectAt(c2, "go.mod"));
            try (FileRepository git = reopen(r); ModuleSource s = source(git, new RepositoryIndexCache(4))) {
                Revision v1 = s.stat(M, "v1.0.0");
                RepositoryFaultException zip = assertThrows(RepositoryFaultException.class, () -> {
                    s.zip(M, v1).writeTo(new ByteArrayOutputStream());
                });
                assertFalse(zip.getMessage().contains(tmp.toString()), "no server paths in a client's answer: " + zip.getMessage());
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "v1.1.0"));
                assertEquals(List.of("v1.0.0"), s.versions(M));
            }
        }
    }

    /**
     * A pinned version's commit gone after a history rewrite and gc is an honest "no longer here"; a pinned commit
     * missing while a live branch still needs it is damage.
     */
    @Test
    void pinnedCommitGoneIsNotFoundButMissingFromLiveHistoryIsAFault() throws Exception {
        try (DamagedRepository r = repo()) {
            RevCommit c1 = r.commit("go.mod", "module example.com/m\n", "a.go", "package m\n");
            RevCommit middle = r.commit("b.go", "package m\n");
            r.commit("c.go", "package m\n");
            r.tag("v1.0.0", c1);
            try (FileRepository git = reopen(r); ModuleSource s = source(git, new RepositoryIndexCache(4))) {
                assertEquals(middle.name(), s.pinned(M, "v0.0.0-x", middle.name()).commit());
            }
            // Rewrite: master restarts from c1, the old commits become garbage and gc drops them.
            GitCli git = GitCli.isolated();
            git.run(r.gitDir(), "update-ref", "refs/heads/master", c1.name());
            git.run(r.gitDir(), "reflog", "expire", "--expire=now", "--all");
            git.run(r.gitDir(), "gc", "--quiet", "--prune=now");
            try (FileRepository g = reopen(r); ModuleSource s = source(g, new RepositoryIndexCache(4))) {
                SourceException e = assertThrows(SourceException.class, () -> s.pinned(M, "v1.0.1", middle.name()));
                assertTrue(e.getMessage().contains("no longer in the repository"), e.getMessage());
            }
        }
        try (DamagedRepository r = DamagedRepository.createBare(tmp.resolve("n.git"))) {
            RevCommit c1 = r.commit("go.mod", "module example.com/m\n", "a.go", "package m\n");
            RevCommit middle = r.commit("b.go", "package m\n");
            r.commit("c.go", "package m\n");
            r.tag("v1.0.0", c1);
            r.deleteObject(middle);
            try (FileRepository g = reopen(r); ModuleSource s = source(g, new RepositoryIndexCache(4))) {
                assertThrows(RepositoryFaultException.class, () -> s.pinned(M, "v1.0.1", middle.name()));
                assertEquals(List.of("v1.0.0"), s.versions(M));
            }
        }
    }

    /** A packed-refs file overwritten with garbage: the refs cannot be read, which is no reason to look empty. */
    @Test
    void unreadableRefsAreAFault() throws Exception {
        try (DamagedRepository r = repo()) {
            twoGoodVersions(r);
            GitCli.isolated().run(r.gitDir(), "pack-refs", "--all", "--prune");
            java.nio.file.Files.writeString(r.gitDir().resolve("packed-refs"), "# pack-refs with: peeled\nnot a ref line\n");
            try (FileRepository git = reopen(r); ModuleSource s = source(git, new RepositoryIndexCache(4))) {
                RepositoryFaultException f = assertThrows(RepositoryFaultException.class, () -> s.versions(M));
                assertEquals(RepositoryFaultException.Kind.UNREADABLE, f.kind());
                assertThrows(RepositoryFaultException.class, () -> s.stat(M, "v1.0.0"));
            }
        }
    }

    @Test
    void faultsAreLoggedOncePerRepositoryAndKindPerHour() {
        RepositoryFaultLog log = new RepositoryFaultLog();
        RepositoryFaultException missing = RepositoryFaultException.missing("refs/tags/v1.0.0", ObjectId.zeroId().name());
        RepositoryFaultException corrupt = RepositoryFaultException.of(
                new org.eclipse.jgit.errors.CorruptObjectException("bad"), "x");
        assertTrue(log.report("a", missing, 0));
        assertFalse(log.report("a", missing, 1000));
        assertFalse(log.report("a", RepositoryFaultException.missing("other", ObjectId.zeroId().name()), 2000));
        assertTrue(log.report("a", corrupt, 3000));
        assertTrue(log.report("b", missing, 4000));
        assertTrue(log.report("a", missing, RepositoryFaultLog.REPEAT_MILLIS + 1));
    }
}
