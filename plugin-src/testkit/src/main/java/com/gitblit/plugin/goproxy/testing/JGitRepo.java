package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A repository with a work tree, built with JGit in the test JVM (no git command needed), with deterministic
 * commits: author and committer {@code T <t@example.com>}, the first at 2024-01-01T00:00:00Z UTC and each next one
 * a minute later, message {@code c}. So the same calls make the same commit ids, tag times and {@code .info} times
 * on every run. {@link #cloneBare} makes the bare repository a host serves.
 *
 * <pre>{@code
 * try (JGitRepo repo = JGitRepo.init(tmp.resolve("work"))) {
 *     repo.tag("v1.0.0", repo.commit("go.mod", "module example.com/m\n", "m.go", "package m\n"));
 *     repo.cloneBare(repos.resolve("m.git"));
 * }
 * }</pre>
 *
 * <p>For a working copy pushed with the git command (to Gitblit) see {@link LocalRepo}; for a bare repository that
 * is then broken on disk, {@link DamagedRepository}; for trees in memory, JGit's own {@code TestRepository}.
 */
public final class JGitRepo implements AutoCloseable {
    private static final Instant FIRST_COMMIT = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration BETWEEN_COMMITS = Duration.ofMinutes(1);

    private final Path workTree;
    private final Git git;
    private Instant nextCommit = FIRST_COMMIT;
    private Duration betweenCommits = BETWEEN_COMMITS;
    private TimeZone zone = TimeZone.getTimeZone("UTC");

    private JGitRepo(Path workTree, Git git) {
        this.workTree = workTree;
        this.git = git;
    }

    /** A new repository with its work tree at {@code workTree} (created), HEAD on master. */
    public static JGitRepo init(Path workTree) throws Exception {
        Files.createDirectories(workTree);
        return new JGitRepo(workTree, Git.init().setDirectory(workTree.toFile()).call());
    }

    /**
     * The bare repository {@code bare} holding one module {@code modulePath} (go.mod with {@code go 1.19}, one
     * {@code lib.go}) tagged v1.0.0, built in {@code work}; {@code more} adds or replaces files (path, content, ...).
     */
    public static void bareModule(Path bare, String modulePath, Path work, String... more) throws Exception {
        try (JGitRepo repo = init(work)) {
            String[] files = new String[4 + more.length];
            files[0] = "go.mod";
            files[1] = "module " + modulePath + "\n\ngo 1.19\n";
            files[2] = "lib.go";
            files[3] = "package lib\n";
            System.arraycopy(more, 0, files, 4, more.length);
            repo.tag("v1.0.0", repo.commit(files));
            repo.cloneBare(bare);
        }
    }

    /** Commits from now on at {@code first}, then every {@code step}, in {@code zone} (e.g. a non-UTC offset). */
    public JGitRepo clock(Instant first, Duration step, TimeZone zone) {
        this.nextCommit = first;
        this.betweenCommits = step;
        this.zone = zone;
        return this;
    }

    public Git git() {
        return git;
    }

    public Repository repository() {
        return git.getRepository();
    }

    public Path workTree() {
        return workTree;
    }

    /** The {@code .git} directory. */
    public Path gitDir() {
        return repository().getDirectory().toPath();
    }

    /** Writes {@code content} to {@code path} in the work tree (not committed yet). */
    public JGitRepo write(String path, byte[] content) throws IOException {
        Path file = workTree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return this;
    }

    /**
     * Commits these files, added or replaced (path, content, path, content...; a null content removes the path),
     * with everything already written; a commit that changes nothing is made all the same.
     */
    public RevCommit commit(String... pathsAndContents) throws Exception {
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            if (pathsAndContents[i + 1] == null) {
                git.rm().addFilepattern(pathsAndContents[i]).call();
            } else {
                write(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
            }
        }
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("T", "t@example.com", Date.from(nextCommit), zone);
        nextCommit = nextCommit.plus(betweenCommits);
        return git.commit().setMessage("c").setAuthor(who).setCommitter(who).setAllowEmpty(true).call();
    }

    /** A lightweight tag {@code name} on {@code at} (fails if it exists; see {@link #moveTag}). */
    public RevCommit tag(String name, RevCommit at) throws Exception {
        git.tag().setName(name).setObjectId(at).setAnnotated(false).call();
        return at;
    }

    /** Moves (or creates) the lightweight tag {@code name} to {@code at}, as a force-push of a tag would. */
    public RevCommit moveTag(String name, RevCommit at) throws Exception {
        git.tag().setName(name).setObjectId(at).setForceUpdate(true).setAnnotated(false).call();
        return at;
    }

    /** A bare clone at {@code bare}, with every branch and tag. */
    public Path cloneBare(Path bare) throws Exception {
        Git.cloneRepository().setBare(true).setURI(workTree.toUri().toString()).setDirectory(bare.toFile()).call().close();
        return bare;
    }

    @Override
    public void close() {
        git.close();
    }
}
