package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.module.zip.ModuleFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.junit.TestRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/** The reader on a DFS in-memory repository: nothing may depend on a file-based repository. */
@RequiresGitCli
@Tag("jgit")
class GitArchiveReaderTest {

    private static InMemoryRepository memory() {
        return new InMemoryRepository(new DfsRepositoryDescription("mem"));
    }

    private static RevCommit commit(InMemoryRepository repo, TreeSpec spec) throws Exception {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId tree = spec.write(ins);
            ins.flush();
            TestRepository<InMemoryRepository> tr = new TestRepository<>(repo);
            return tr.commit(tr.getRevWalk().parseTree(tree));
        }
    }

    private static String text(ArchiveFile f) throws IOException {
        try (InputStream in = f.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sameBytesFromAnInMemoryRepositoryAsFromGitArchive(@TempDir Path tmp) throws Exception {
        TreeSpec spec = new TreeSpec()
                .file(".gitattributes", "[attr]m eol=crlf ident\n*.c m\n*.u working-tree-encoding=UTF-16\n")
                .file("sub/x.c", "a\n$Id$\n$Id: " + "z".repeat(100_000) + " $\n").file("sub/y.u", "h\u00e9\r\nx\n")
                .symlink("sub/ln", "x.c").file("sub/plain", "raw\r\n").file("LICENSE", "root\n");
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, spec);
        try (ArchiveLab lab = new ArchiveLab(tmp)) {
            ObjectId fileCommit = lab.commit(spec);
            ArchiveLab.Outcome want = lab.oracle(fileCommit, "sub");
            ArchiveLab.Outcome got;
            try (GitArchiveReader reader = new GitArchiveReader(mem)) {
                got = ArchiveLab.read(reader, c, "sub");
            }
            assertEquals(ArchiveLab.Status.OK, got.status());
            assertEquals(want.files().size(), got.files().size());
            for (int i = 0; i < want.files().size(); i++) {
                assertArrayEquals(want.files().get(i).path(), got.files().get(i).path());
                assertEquals(want.files().get(i).kind(), got.files().get(i).kind());
                assertArrayEquals(want.files().get(i).sha256(), got.files().get(i).sha256(), want.files().get(i).name());
            }
        }
    }

    @Test
    void rootLicenseIsAppendedLastAsTheRawBlob() throws Exception {
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, new TreeSpec().file(".gitattributes", "* eol=crlf ident\n")
                .file("LICENSE", "MIT\n$Id$\n").file("m/b", "b\n").file("m/a", "a\n").file("m/v2/c", "c\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            List<ArchiveFile> files = reader.list(c, "m");
            assertEquals(List.of("a", "b", "v2/c", "LICENSE"), files.stream().map(ArchiveFile::path).toList());
            ArchiveFile license = files.get(3);
            assertTrue(license.isRootLicense());
            assertFalse(license.isConverted());
            assertEquals("MIT\n$Id$\n", text(license));
            assertEquals(ModuleFile.Kind.REGULAR, license.kind());
            assertEquals("a\r\n", text(files.get(0)), "module files are converted");
            assertTrue(files.get(0).isConverted());

            assertEquals(List.of("c", "LICENSE"), reader.list(c, "m/v2").stream().map(ArchiveFile::path).toList());
            assertFalse(reader.list(c, "").stream().anyMatch(ArchiveFile::isRootLicense), "root module: never added");
        }
    }

    @Test
    void licenseOfTheModuleWinsEvenAsASymlink() throws Exception {
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, new TreeSpec().file("LICENSE", "root\n").symlink("m/LICENSE", "../LICENSE")
                .file("n/LICENSE/x", "dir\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            List<ArchiveFile> m = reader.list(c, "m");
            assertEquals(1, m.size());
            assertEquals(ModuleFile.Kind.SYMLINK, m.get(0).kind());
            assertEquals("../LICENSE", text(m.get(0)));
            List<ArchiveFile> n = reader.list(c, "n");
            assertEquals(List.of("LICENSE/x", "LICENSE"), n.stream().map(ArchiveFile::path).toList(),
                    "a LICENSE directory does not count: the root one is added (the zip rules then reject the clash)");
        }
    }

    @Test
    void largeRootLicenseIsListedAndLeftToTheZipRules() throws Exception {
        InMemoryRepository mem = memory();
        byte[] big = new byte[(16 << 20) + 1];
        RevCommit c = commit(mem, new TreeSpec().file("LICENSE", big).file("m/a", "a\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            ArchiveFile license = reader.list(c, "m").get(1);
            assertEquals(big.length, license.size());
        }
    }

    @Test
    void failuresAreGits() throws Exception {
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, new TreeSpec().file("m/a", "a\n").file("f", "x\n")
                .file(".gitattributes", "*.w working-tree-encoding\n*.s working-tree-encoding=SHIFT-JIS\n")
                .file("w/x.w", "x\n").file("s/x.s", "x\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            assertThrows(ModuleDirectoryNotFoundException.class, () -> reader.list(c, "nope"));
            assertThrows(ModuleDirectoryNotFoundException.class, () -> reader.list(c, "M"));
            assertEquals(List.of(), reader.list(c, "f"), "a file at the module path: nothing in it");
            assertThrows(GitArchiveFailureException.class, () -> reader.list(c, "w"));
            UnreproducibleContentException e = assertThrows(UnreproducibleContentException.class, () -> reader.list(c, "s"));
            assertTrue(e.getMessage().contains("SHIFT-JIS"), e.getMessage());
            assertEquals(1, reader.list(c, "m").size(), "problems elsewhere in the tree do not matter");
        }
        RevCommit bad = commit(mem, new TreeSpec().file("m/a", "a\n").file("other/.git/config", "x\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            assertThrows(GitArchiveFailureException.class, () -> reader.list(bad, "m"));
        }
    }

    @Test
    void malformedModuleDirectoriesAreRejected() throws Exception {
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, new TreeSpec().file("m/a", "a\n"));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            for (String d : new String[] {"/m", "m/", "m//a", "./m", "m/..", "m*", "m?", "[m]", ":(glob)m", "m\\a"}) {
                assertThrows(IllegalArgumentException.class, () -> reader.list(c, d), d);
            }
        }
    }

    @Test
    void namesThatAreNotUtf8KeepTheirBytes() throws Exception {
        InMemoryRepository mem = memory();
        byte[] name = {'m', '/', 'x', (byte) 0xff, '.', 'g', 'o'};
        RevCommit c = commit(mem, new TreeSpec().put(name, TreeSpec.FILE, "package x\n".getBytes()));
        try (GitArchiveReader reader = new GitArchiveReader(mem)) {
            ArchiveFile f = reader.list(c, "m").get(0);
            assertEquals("x\ufffd.go", f.path());
            assertArrayEquals(new byte[] {'x', (byte) 0xff, '.', 'g', 'o'}, f.rawPath());
        }
    }

    @Test
    void sizesAreKnownBeforeReadingAndFilesReopen() throws Exception {
        InMemoryRepository mem = memory();
        RevCommit c = commit(mem, new TreeSpec().file(".gitattributes", "*.t eol=crlf ident working-tree-encoding=UTF-32BE\n")
                .file("a.t", "1\n2\n$Id$\n").file("b", "raw\n"));
        try (ObjectReader or = mem.newObjectReader()) {
            ObjectId blob;
            try (GitArchiveReader reader = new GitArchiveReader(or)) {
                List<ArchiveFile> files = reader.list(c, "");
                ArchiveFile a = files.get(1);
                long expected = 4L * ("1\r\n2\r\n$Id: ".length() + 40 + " $\r\n".length());
                assertEquals(expected, a.size());
                String first = text(a);
                assertEquals(first, text(a), "a second read gives the same bytes");
                assertEquals(4, files.get(2).size());
                blob = a.blobId();
            }
            assertTrue(or.has(blob), "a caller-owned reader stays open");
        }
    }
}
