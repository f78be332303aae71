package com.gitblit.plugin.goproxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code go} command, isolated: its own HOME, GOPATH, module cache and build cache under a directory,
 * nothing inherited from the machine's Go or git configuration. A missing {@code go} is a failure naming
 * Debian's golang-go, never a skip.
 */
public final class GoCommand {
    private final Path home;
    private final Map<String, String> env = new LinkedHashMap<>();

    public GoCommand(Path home) {
        this.home = home;
        if (!new File("/usr/bin/go").canExecute()) {
            throw new AssertionError("the go command is missing: install Debian's golang-go (.ci/run does)");
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("GOPATH", home.resolve("gopath").toString());
        env.put("GOCACHE", home.resolve("gocache").toString());
        env.put("GOFLAGS", "-modcacherw");
        env.put("GOSUMDB", "off");
        env.put("GOTOOLCHAIN", "local");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        writeGitConfig("");
    }

    public GoCommand env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public GoCommand proxy(String url) {
        return env("GOPROXY", url);
    }

    /** The global git config the go command's git sees (direct mode rewrites URLs with it). */
    public GoCommand writeGitConfig(String content) {
        try {
            Files.write(home.resolve("gitconfig"), content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Path home() {
        return home;
    }

    /** The module cache's download directory, where .info/.mod/.zip land. */
    public Path downloadCache() {
        return home.resolve("gopath/pkg/mod/cache/download");
    }

    public Result run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/go");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Path err = Files.createTempFile(home, "stderr", ".txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("go " + String.join(" ", args) + " timed out");
            }
            String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
            Files.delete(err);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), stderr, cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What one go invocation printed. */
    public static final class Result {
        private final int exit;
        private final String stdout;
        private final String stderr;
        private final List<String> command;

        Result(int exit, String stdout, String stderr, List<String> command) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
            this.command = command;
        }

        public int exit() {
            return exit;
        }

        public String stdout() {
            return stdout;
        }

        public String stderr() {
            return stderr;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
