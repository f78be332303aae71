package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.junit.TestRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * A bare repository on disk, built with JGit (every object a loose file) and then damaged the ways disks and
 * operators damage them: a loose object deleted or overwritten, a pack file cut short after {@code git gc}.
 * Deterministic times (JGit's test clock, one minute per commit).
 */
public final class DamagedRepository implements AutoCloseable {
    private final Path gitDir;
    private final FileRepository repository;
    private final TestRepository<FileRepository> builder;

    private DamagedRepository(Path gitDir, FileRepository repository) throws IOException {
        this.gitDir = gitDir;
        this.repository = repository;
        this.builder = new TestRepository<>(repository);
    }

    /** A new bare repository at {@code gitDir} (e.g. {@code <folder>/example.com/m.git}), HEAD on master. */
    public static DamagedRepository createBare(Path gitDir) throws IOException {
        Files.createDirectories(gitDir.getParent());
        FileRepository repository = new FileRepository(gitDir.toFile());
        repository.create(true);
        return new DamagedRepository(gitDir, repository);
    }

    public Path gitDir() {
        return gitDir;
    }

    public FileRepository repository() {
        return repository;
    }

    /** A commit on master with these files added or replaced (path, content, path, content...). */
    public RevCommit commit(String... pathAndContent) throws Exception {
        builder.tick(60);
        TestRepository<FileRepository>.CommitBuilder c = builder.branch("refs/heads/master").commit();
        for (int i = 0; i < pathAndContent.length; i += 2) {
            c.add(pathAndContent[i], pathAndContent[i + 1]);
        }
        return c.message("commit " + pathAndContent.length).create();
    }

    /** A commit on master whose file {@code path} has exactly these bytes. */
    public RevCommit commitBytes(String path, byte[] content) throws Exception {
        builder.tick(60);
        return builder.branch("refs/heads/master").commit().add(path, builder.blob(content)).message("bytes").create();
    }

    public void tag(String name, ObjectId target) throws Exception {
        builder.lightweightTag(name, target);
    }

    /** An annotated tag object named {@code name} on {@code target}, and the ref to it. */
    public void annotatedTag(String name, RevObject target) throws Exception {
        builder.update("refs/tags/" + name, builder.tag(name, target));
    }

    /** {@code refs/tags/<name>} written as a symbolic ref to {@code refs/tags/<target>}, as git symbolic-ref does. */
    public void symbolicTag(String name, String target) throws IOException {
        Path file = gitDir.resolve("refs/tags/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ref: refs/tags/" + target + "\n");
    }

    /** The object's id in the tree of {@code commit} at {@code path}. */
    public ObjectId objectAt(RevCommit commit, String path) throws Exception {
        return builder.get(builder.getRevWalk().parseCommit(commit).getTree(), path).copy();
    }

    public org.eclipse.jgit.revwalk.RevTree treeOf(RevCommit commit) throws Exception {
        return builder.getRevWalk().parseCommit(commit).getTree();
    }

    public Path looseFile(ObjectId id) {
        return gitDir.resolve("objects").resolve(id.name().substring(0, 2)).resolve(id.name().substring(2));
    }

    /** Removes a loose object as a failing disk or a careless cleanup would. */
    public void deleteObject(ObjectId id) throws IOException {
        Files.delete(looseFile(id));
    }

    /** Keeps the loose object's first bytes (its zlib header) and overwrites the rest with garbage. */
    public void corruptObject(ObjectId id) throws IOException {
        Path file = looseFile(id);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 2; i < bytes.length; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5a);
        }
        file.toFile().setWritable(true);
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Restores a loose file's bytes saved earlier (the repair). */
    public void restore(ObjectId id, byte[] bytes) throws IOException {
        Path file = looseFile(id);
        Files.createDirectories(file.getParent());
        file.toFile().setWritable(true);
        Files.write(file, bytes);
    }

    /** {@code git gc} (every object into one pack, refs packed), then the pack cut to a third of its size. */
    public Path gcAndTruncatePack() throws IOException {
        GitCli.isolated().run(gitDir, "gc", "--quiet", "--prune=now");
        List<Path> packs = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(gitDir.resolve("objects/pack"), "*.pack")) {
            dir.forEach(packs::add);
        }
        if (packs.size() != 1) {
            throw new IllegalStateException("expected one pack after gc, found " + packs);
        }
        Path pack = packs.get(0);
        long size = Files.size(pack);
        pack.toFile().setWritable(true);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(pack, StandardOpenOption.WRITE)) {
            ch.truncate(size / 3);
        }
        return pack;
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
