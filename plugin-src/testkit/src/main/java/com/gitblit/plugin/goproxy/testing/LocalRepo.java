package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A working repository built with the git CLI for the Gitblit tests, with fixed dates so that every run makes the
 * same commits. Pushing to a Gitblit repository's folder directly is how an administrator would import one; it
 * spares the 2.5 s each HTTP push costs on Gitblit 1.9.3 (see {@code GitblitInstance#push}).
 */
public final class LocalRepo {
    private static final String DATE = "2024-01-02T03:04:05Z";

    private final Path dir;
    private final GitCli git = GitCli.isolated().withEnv(Map.of("GIT_AUTHOR_DATE", DATE, "GIT_COMMITTER_DATE", DATE));

    private LocalRepo(Path dir) {
        this.dir = dir;
    }

    public static LocalRepo init(Path dir) {
        LocalRepo repo = new LocalRepo(dir);
        repo.git.run(dir, "init", "-q", "-b", "master");
        return repo;
    }

    /** A repository whose root is the module {@code modulePath} with one package, committed and tagged. */
    public static LocalRepo module(Path dir, String modulePath, String... tags) {
        LocalRepo repo = init(dir);
        repo.write("go.mod", "module " + modulePath + "\n\ngo 1.19\n")
                .write("hello.go", "package " + packageName(modulePath) + "\n\n// Hello greets.\nfunc Hello() string {\n"
                        + "\treturn \"hello from " + modulePath + "\"\n}\n")
                .commit("first");
        for (String tag : tags) {
            repo.tag(tag);
        }
        return repo;
    }

    public static String packageName(String modulePath) {
        String last = modulePath.substring(modulePath.lastIndexOf('/') + 1);
        if (last.matches("v[0-9]+")) {
            String rest = modulePath.substring(0, modulePath.lastIndexOf('/'));
            last = rest.substring(rest.lastIndexOf('/') + 1);
        }
        return last.replaceAll("[^a-z0-9]", "");
    }

    public Path dir() {
        return dir;
    }

    public LocalRepo write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public LocalRepo commit(String message) {
        git.run(dir, "add", "-A");
        git.run(dir, "commit", "-q", "-m", message);
        return this;
    }

    public LocalRepo tag(String name) {
        git.run(dir, "tag", name);
        return this;
    }

    /** Pushes every branch and tag into the bare repository at {@code bare} (a Gitblit repository folder). */
    public LocalRepo pushTo(Path bare) {
        git.run(dir, "push", "-q", bare.toUri().toString(), "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        return this;
    }
}
