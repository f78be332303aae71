package com.gitblit.plugin.goproxy.source.archive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real git with binary stdout (to a file or memory), isolated from every configuration and
 * attributes file of the machine: no system or global config, no system gitattributes, an empty HOME and
 * XDG_CONFIG_HOME (so no user attributes file either) — the state cmd/go's clone is in on a clean machine.
 * A missing git is a failure with a clear message.
 */
final class GitRun {
    record Result(int exit, byte[] stdout, String stderr) {
    }

    private final Path home;

    GitRun(Path home) {
        this.home = home;
    }

    Result run(Path dir, File stdoutFile, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_ATTR_NOSYSTEM", "1");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        if (stdoutFile != null) {
            pb.redirectOutput(stdoutFile);
        }
        Process p;
        try {
            Files.createDirectories(home);
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git (Debian package: git): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = stdoutFile == null ? p.getInputStream().readAllBytes() : new byte[0];
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), out, new String(err.join()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result run(Path dir, String... args) {
        return run(dir, null, args);
    }

    /** Runs and requires exit 0. */
    byte[] ok(Path dir, String... args) {
        Result r = run(dir, args);
        if (r.exit() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + r.stderr());
        }
        return r.stdout();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
