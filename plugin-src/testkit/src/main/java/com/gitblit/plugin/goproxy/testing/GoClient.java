package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
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
 * The real {@code go} command as a user runs it against a Gitblit, isolated from this machine: a fresh HOME,
 * GOPATH, module cache and build cache under {@code home}, no go env file, and only the variables a test sets
 * ({@code GOPROXY}, {@code GONOSUMDB}, {@code NETRC}, {@code SSL_CERT_FILE}, ...). A missing {@code go} is a
 * failure with a clear message, never a skip.
 */
public final class GoClient {
    private static final long TIMEOUT_SECONDS = 180;

    private final Path home;
    private final Map<String, String> env;

    private GoClient(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** A client whose caches live in {@code home} (created if missing). */
    public static GoClient in(Path home) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
        // Nothing may reach the internet: every lookup goes where the test points it.
        env.put("GOPROXY", "off");
        env.put("GOSUMDB", "sum.golang.org");
        return new GoClient(home, env);
    }

    /** The same client with more (or changed) environment variables. */
    public GoClient with(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new GoClient(home, e);
    }

    /** Writes a .netrc for {@code machine} in this client's home and points NETRC at it. */
    public GoClient withNetrc(String machine, String login, String password) {
        Path netrc = home.resolve("netrc-" + login);
        try {
            Files.writeString(netrc, "machine " + machine + " login " + login + " password " + password + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return with("NETRC", netrc.toString());
    }

    public Path home() {
        return home;
    }

    /** A fresh main module {@code example.com/try} in {@code home/<name>}, as a user's project. */
    public Path newModule(String name) {
        Path dir = home.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("go.mod"), "module example.com/try\n\ngo 1.19\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
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

    /** Puts this client's environment into {@code environment} (a process's), clearing the machine's Go settings. */
    public void applyTo(Map<String, String> environment) {
        environment.keySet().removeIf(k -> k.startsWith("GO") || k.equals("NETRC") || k.equals("SSL_CERT_FILE")
                || k.equals("SSL_CERT_DIR") || k.equals("HTTPS_PROXY") || k.equals("HTTP_PROXY")
                || k.equals("https_proxy") || k.equals("http_proxy"));
        environment.putAll(env);
    }

    public Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("go");
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        applyTo(pb.environment());
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

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }
}
