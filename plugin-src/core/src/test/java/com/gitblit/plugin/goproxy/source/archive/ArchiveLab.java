package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.gitblit.plugin.goproxy.module.zip.ModuleFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import com.gitblit.plugin.goproxy.testing.GitCli;

/**
 * A differential test bench: a bare "server" repository that the reader reads (its own
 * {@code info/attributes} set to something hostile, which the reader must ignore), and an "oracle"
 * repository sharing its objects (alternates) set up exactly as cmd/go's clone
 * ({@code info/attributes} = {@code \n* -export-subst -export-ignore\n}), where the real
 * {@code git archive} runs with cmd/go's command line. The oracle's zip is then post-processed as cmd/go's
 * {@code codeRepo.Zip} does (prefix and subdirectory stripped, directory entries dropped, root LICENSE via
 * {@code git cat-file blob} when the module directory has none).
 */
final class ArchiveLab implements AutoCloseable {
    static final String CMD_GO_INFO_ATTRIBUTES = "\n* -export-subst -export-ignore\n";
    /** What the server's own info/attributes says; if the reader honoured it, most comparisons would fail. */
    static final String HOSTILE_INFO_ATTRIBUTES = "* text eol=crlf ident\n*.txt working-tree-encoding=UTF-16\n";

    enum Status { OK, NOT_FOUND, FAILED, REFUSED }

    record FileView(byte[] path, ModuleFile.Kind kind, long size, byte[] sha256, byte[] content) {
        String name() {
            return new String(path, StandardCharsets.UTF_8);
        }
    }

    record Outcome(Status status, List<FileView> files, String message) {
    }

    private final Path dir;
    private final Path server;
    private final Path oracle;
    private final Repository repo;
    private final GitCli git;
    private int commits;
    private int convertedFiles;

    ArchiveLab(Path tmp) throws IOException {
        this.dir = tmp;
        this.server = tmp.resolve("server.git");
        this.oracle = tmp.resolve("oracle.git");
        this.git = GitCli.isolatedIn(tmp.resolve("home"));
        repo = new FileRepositoryBuilder().setGitDir(server.toFile()).setBare().build();
        repo.create(true);
        Files.createDirectories(server.resolve("info"));
        Files.writeString(server.resolve("info/attributes"), HOSTILE_INFO_ATTRIBUTES);
        git.ok(tmp, "init", "-q", "--bare", oracle.toString());
        Files.createDirectories(oracle.resolve("objects/info"));
        Files.writeString(oracle.resolve("objects/info/alternates"), server.resolve("objects").toAbsolutePath() + "\n");
        Files.createDirectories(oracle.resolve("info"));
        Files.writeString(oracle.resolve("info/attributes"), CMD_GO_INFO_ATTRIBUTES);
    }

    /** How many listed files had content differing from their blob, over all reader runs. */
    int convertedFilesSeen() {
        return convertedFiles;
    }

    Repository repository() {
        return repo;
    }

    ObjectId commit(TreeSpec spec) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId tree = spec.write(ins);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(tree);
            PersonIdent who = new PersonIdent("Lab", "lab@example.com", 1_600_000_000_000L + 1000L * commits++, 0);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("case " + commits + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /** The real git archive, as cmd/go runs and post-processes it. */
    Outcome oracle(ObjectId commit, String moduleDir) throws IOException {
        File zip = dir.resolve("oracle.zip").toFile();
        List<String> args = new ArrayList<>(List.of("-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive",
                "--format=zip", "--prefix=prefix/", commit.name()));
        if (!moduleDir.isEmpty()) {
            args.add("--");
            args.add(moduleDir);
        }
        GitCli.Result r = git.exec(oracle, zip, args.toArray(new String[0]));
        if (r.exit() != 0) {
            return new Outcome(r.stderr().contains("did not match any files") ? Status.NOT_FOUND : Status.FAILED,
                    List.of(), r.stderr());
        }
        List<FileView> files = new ArrayList<>();
        String sub = moduleDir.isEmpty() ? "" : moduleDir + "/";
        byte[] prefix = ("prefix/" + sub).getBytes(StandardCharsets.UTF_8);
        boolean haveLicense = false;
        try (RandomAccessFile raf = new RandomAccessFile(zip, "r")) {
            ZipCentralDirectory cd = new ZipCentralDirectory(raf);
            for (ZipCentralDirectory.Entry e : cd.entries()) {
                byte[] n = e.name();
                if (!startsWith(n, prefix)) {
                    continue;
                }
                byte[] rel = java.util.Arrays.copyOfRange(n, prefix.length, n.length);
                if (rel.length == 0 || rel[rel.length - 1] == '/') {
                    continue;
                }
                if (new String(rel, StandardCharsets.ISO_8859_1).equals("LICENSE")) {
                    haveLicense = true;
                }
                byte[] content = e.size() <= 1 << 20 ? cd.content(e) : null;
                files.add(new FileView(rel, e.isSymlink() ? ModuleFile.Kind.SYMLINK : ModuleFile.Kind.REGULAR,
                        e.size(), cd.sha256(e), content));
            }
        }
        if (!haveLicense && !moduleDir.isEmpty()) {
            GitCli.Result lic = git.exec(oracle, "cat-file", "blob", commit.name() + ":LICENSE");
            if (lic.exit() == 0) {
                byte[] c = lic.stdout();
                files.add(new FileView("LICENSE".getBytes(StandardCharsets.UTF_8), ModuleFile.Kind.REGULAR, c.length,
                        sha256(c), c));
            }
        }
        return new Outcome(Status.OK, files, r.stderr());
    }

    /** The reader under test, on the server repository. */
    Outcome reader(ObjectId commit, String moduleDir) throws IOException {
        try (GitArchiveReader reader = new GitArchiveReader(repo)) {
            try {
                for (ArchiveFile f : reader.list(commit, moduleDir)) {
                    if (f.isConverted()) {
                        convertedFiles++;
                    }
                }
            } catch (GitArchiveException e) {
                // reported by read() below
            }
            return read(reader, commit, moduleDir);
        }
    }

    static Outcome read(GitArchiveReader reader, ObjectId commit, String moduleDir) throws IOException {
        List<ArchiveFile> listed;
        try {
            listed = reader.list(commit, moduleDir);
        } catch (ModuleDirectoryNotFoundException e) {
            return new Outcome(Status.NOT_FOUND, List.of(), e.getMessage());
        } catch (GitArchiveFailureException e) {
            return new Outcome(Status.FAILED, List.of(), e.getMessage());
        } catch (UnreproducibleContentException e) {
            return new Outcome(Status.REFUSED, List.of(), e.getMessage());
        } catch (GitArchiveException e) {
            throw new AssertionError("unexpected kind of GitArchiveException", e);
        }
        List<FileView> files = new ArrayList<>();
        for (ArchiveFile f : listed) {
            MessageDigest md = sha256Digest();
            long n = 0;
            java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
            try (InputStream in = f.open()) {
                byte[] buf = new byte[65536];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    md.update(buf, 0, r);
                    if (n + r <= 1 << 20) {
                        small.write(buf, 0, r);
                    }
                    n += r;
                }
            }
            assertEquals(f.size(), n, () -> "size() of " + f + " differs from its content length");
            files.add(new FileView(f.rawPath(), f.kind(), n, md.digest(), n <= 1 << 20 ? small.toByteArray() : null));
        }
        return new Outcome(Status.OK, files, null);
    }

    /** Runs both and asserts the same outcome; returns the oracle's (REFUSED only if {@code mayRefuse}). */
    Outcome assertSame(ObjectId commit, String moduleDir, boolean mayRefuse, String description) throws IOException {
        Outcome want = oracle(commit, moduleDir);
        Outcome got = reader(commit, moduleDir);
        String where = description + " [module dir '" + moduleDir + "', commit " + commit.name() + ", lab " + dir + "]";
        if (got.status() == Status.REFUSED && mayRefuse) {
            return got;
        }
        assertEquals(want.status(), got.status(), () -> where + ": git says " + want.message() + " / reader says "
                + got.message());
        List<String> wantNames = want.files().stream().map(f -> f.name() + " " + f.kind()).toList();
        List<String> gotNames = got.files().stream().map(f -> f.name() + " " + f.kind()).toList();
        assertEquals(wantNames, gotNames, () -> where + ": file lists differ");
        for (int i = 0; i < want.files().size(); i++) {
            FileView w = want.files().get(i);
            FileView g = got.files().get(i);
            assertArrayEquals(w.path(), g.path(), where + ": raw path bytes");
            if (!java.util.Arrays.equals(w.sha256(), g.sha256())) {
                fail(where + ": content of " + w.name() + " differs: git " + render(w) + " reader " + render(g));
            }
        }
        return want;
    }

    private static String render(FileView f) {
        if (f.content() == null) {
            return "(" + f.size() + " bytes)";
        }
        byte[] c = f.content();
        return "(" + c.length + " bytes) " + HexFormat.of().formatHex(c, 0, Math.min(c.length, 400));
    }

    static byte[] sha256(byte[] b) {
        return sha256Digest().digest(b);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean startsWith(byte[] a, byte[] p) {
        if (a.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (a[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        repo.close();
    }
}
