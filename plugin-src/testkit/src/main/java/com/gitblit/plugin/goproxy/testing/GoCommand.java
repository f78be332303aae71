package com.gitblit.plugin.goproxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code go} command as a user runs it, isolated from this machine: a fresh HOME, GOPATH, module cache
 * and build cache under {@code home}, no go env file, a git that reads only {@code home/gitconfig}, nothing of the
 * caller's environment but a plain PATH, and only the variables a test sets ({@code GOPROXY}, {@code GONOSUMDB},
 * {@code NETRC}, {@code SSL_CERT_FILE}, ...). Nothing may reach the internet: GOPROXY is {@code off} until a test
 * points it somewhere. A missing {@code go} is a failure naming Debian's golang-go, never a skip; a test using it
 * is {@link RequiresGo}.
 */
public final class GoCommand {
    private static final long TIMEOUT_SECONDS = 300;
    private static final String GO = "/usr/bin/go";
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    private final Path home;
    private final Map<String, String> env;

    private GoCommand(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** A go whose caches live in {@code home} (created if missing). */
    public static GoCommand in(Path home) {
        if (!new File(GO).canExecute()) {
            throw new AssertionError("the go command is missing: install Debian's golang-go (.ci/run does)");
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("GOPATH", home.resolve("gopath").toString());
        env.put("GOMODCACHE", home.resolve("gopath/pkg/mod").toString());
        env.put("GOCACHE", home.resolve("gocache").toString());
        env.put("GOENV", "off");
        env.put("GO111MODULE", "on");
        env.put("GOFLAGS", "-mod=mod -modcacherw");
        env.put("CGO_ENABLED", "0");
        env.put("GOTOOLCHAIN", "local");
        env.put("GOTELEMETRY", "off");
        env.put("GOPROXY", "off");
        env.put("GOSUMDB", "sum.golang.org");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        GoCommand go = new GoCommand(home, env);
        go.writeGitConfig("");
        return go;
    }

    /** The same go with one more (or a changed) environment variable. */
    public GoCommand with(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new GoCommand(home, e);
    }

    /** {@code GOPROXY}. */
    public GoCommand proxy(String url) {
        return with("GOPROXY", url);
    }

    /** Writes a .netrc for {@code machine} in this go's home and points NETRC at it. */
    public GoCommand withNetrc(String machine, String login, String password) {
        Path netrc = home.resolve("netrc-" + login);
        try {
            Files.writeString(netrc, "machine " + machine + " login " + login + " password " + password + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return with("NETRC", netrc.toString());
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

    /** A fresh main module {@code example.com/try} in {@code home/<name>}, as a user's project. */
    public Path newModule(String name) {
        Path dir = home.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("go.mod"), "module example.com/try\n\ngo 1.19\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Puts this go's settings into {@code environment} (e.g. a shell's that runs go among other commands), clearing
     * the machine's Go, proxy and certificate settings; PATH and the rest stay.
     */
    public void applyTo(Map<String, String> environment) {
        environment.keySet().removeIf(k -> k.startsWith("GO") || k.startsWith("GIT_") || k.equals("NETRC")
                || k.equals("SSL_CERT_FILE") || k.equals("SSL_CERT_DIR") || k.equals("HTTPS_PROXY")
                || k.equals("HTTP_PROXY") || k.equals("https_proxy") || k.equals("http_proxy"));
        environment.putAll(env);
    }

    /** What one run printed. */
    public record Result(int exit, String stdout, String stderr, List<String> command) {
        public boolean ok() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Runs {@code go args...} in {@code dir} whatever its exit. */
    public Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(GO);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            throw new AssertionError("cannot run the go command (Debian package golang-go): " + ex.getMessage(), ex);
        }
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out; stderr so far:\n" + err.getNow(""));
            }
            return new Result(p.exitValue(), out.join(), err.join(), command);
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Runs and fails the test unless go exits 0. */
    public Result ok(Path dir, String... args) {
        Result r = run(dir, args);
        if (!r.ok()) {
            throw new AssertionError("go failed: " + r + "\nenv: " + env);
        }
        return r;
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }
}
