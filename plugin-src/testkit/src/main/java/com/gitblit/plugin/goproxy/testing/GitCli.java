package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code git} command for tests, isolated from the machine's configuration (no system or
 * global config, no terminal prompts, fixed identity and dates when asked), so a test sees the same git
 * everywhere. A missing {@code git} is a failure with a clear message, never a skip.
 */
public final class GitCli {
    private static final long TIMEOUT_SECONDS = 120;

    private final Map<String, String> extraEnv;

    private GitCli(Map<String, String> extraEnv) {
        this.extraEnv = extraEnv;
    }

    /** Plain git with an isolated configuration. */
    public static GitCli isolated() {
        return new GitCli(Map.of());
    }

    /** The same, with extra environment variables (e.g. {@code GIT_COMMITTER_DATE}). */
    public GitCli withEnv(Map<String, String> env) {
        Map<String, String> merged = new java.util.HashMap<>(extraEnv);
        merged.putAll(env);
        return new GitCli(Map.copyOf(merged));
    }

    /** Runs {@code git args...} in {@code dir}; returns stdout, or throws with the output on a non-zero exit. */
    public String run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.remove("GIT_ASKPASS");
        env.remove("SSH_ASKPASS");
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.com");
        env.put("GIT_COMMITTER_NAME", "Test Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@example.com");
        env.putAll(extraEnv);
        Process process;
        try {
            Files.createDirectories(dir);
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git (is it installed? Debian package: git): " + e.getMessage(), e);
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("git " + redact(args) + " failed (exit " + process.exitValue()
                        + ") in " + dir + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("git " + redact(args) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", e);
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
