package com.gitblit.plugin.goproxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code git} command for tests, isolated from the machine: no system or global config, no system
 * gitattributes, no {@code GIT_*} variable of the caller's environment, no terminal prompts, the C locale, a fixed
 * identity, and (with {@link #isolatedIn}) an empty HOME and XDG_CONFIG_HOME so no user attributes file either:
 * the state cmd/go's clone is in on a clean machine. So a test sees the same git everywhere. A missing {@code git}
 * is a failure naming Debian's git, never a skip; a test using it is {@link RequiresGitCli}.
 */
public final class GitCli {
    private static final long TIMEOUT_SECONDS = 300;

    /** What one run printed; stdout as bytes (git archive, cat-file blob). */
    public record Result(int exit, byte[] stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final Path home;
    private final Map<String, String> extraEnv;

    private GitCli(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.extraEnv = extraEnv;
    }

    /** Plain git with an isolated configuration. */
    public static GitCli isolated() {
        return new GitCli(null, Map.of());
    }

    /** The same with HOME and XDG_CONFIG_HOME in {@code home} (created, left empty): no user files at all. */
    public static GitCli isolatedIn(Path home) {
        return new GitCli(home, Map.of());
    }

    /** The same, with extra environment variables (e.g. {@code GIT_COMMITTER_DATE}). */
    public GitCli withEnv(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(extraEnv);
        merged.putAll(env);
        return new GitCli(home, Map.copyOf(merged));
    }

    /** Runs {@code git args...} in {@code dir}; returns stdout and stderr as one text, or throws on a non-zero exit. */
    public String run(Path dir, String... args) {
        ProcessBuilder pb = processBuilder(dir, args).redirectErrorStream(true);
        Process process = start(pb, dir);
        try {
            byte[] out = process.getInputStream().readAllBytes();
            String text = new String(out, StandardCharsets.UTF_8);
            int exit = await(process, args);
            if (exit != 0) {
                throw new IllegalStateException("git " + redact(args) + " failed (exit " + exit + ") in " + dir + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("git " + redact(args) + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code git args...} in {@code dir} whatever its exit; stdout and stderr apart. */
    public Result exec(Path dir, String... args) {
        return exec(dir, null, args);
    }

    /** The same with stdout written to {@code stdoutFile} (then {@link Result#stdout()} is empty), e.g. a large archive. */
    public Result exec(Path dir, File stdoutFile, String... args) {
        ProcessBuilder pb = processBuilder(dir, args);
        if (stdoutFile != null) {
            pb.redirectOutput(stdoutFile);
        }
        Process process = start(pb, dir);
        try {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] out = stdoutFile == null ? process.getInputStream().readAllBytes() : new byte[0];
            int exit = await(process, args);
            return new Result(exit, out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("git " + redact(args) + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs and requires exit 0; returns stdout as bytes. */
    public byte[] ok(Path dir, String... args) {
        Result r = exec(dir, args);
        if (!r.ok()) {
            throw new IllegalStateException("git " + redact(args) + " failed (exit " + r.exit() + ") in " + dir + ": " + r.stderr());
        }
        return r.stdout();
    }

    private ProcessBuilder processBuilder(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.remove("SSH_ASKPASS");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_ATTR_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        if (home != null) {
            env.put("HOME", home.toString());
            env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        }
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.com");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.com");
        env.putAll(extraEnv);
        return pb;
    }

    private Process start(ProcessBuilder pb, Path dir) {
        try {
            Files.createDirectories(dir);
            if (home != null) {
                Files.createDirectories(home);
            }
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git (is it installed? Debian package: git): " + e.getMessage(), e);
        }
    }

    private static int await(Process process, String... args) {
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + redact(args) + " timed out");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Command lines may carry credentials in URLs; keep them out of failure messages. */
    private static String redact(String... args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.replaceAll("://[^/@]*@", "://***@"));
        }
        return sb.toString();
    }
}
