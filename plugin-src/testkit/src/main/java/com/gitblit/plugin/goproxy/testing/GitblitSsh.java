package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gitblit's SSH commands ({@code plugin install|upgrade|...}) as the administrator, through the OpenSSH
 * {@code ssh} command. The key: an RSA key made with {@code ssh-keygen} in the instance's folder, registered the
 * way Gitblit's {@code FileKeyManager} stores keys ({@code <baseFolder>/ssh/<user>.keys}, one public key a line;
 * the file is read again when it changes, so this works on a running Gitblit).
 *
 * <p>Gitblit 1.9.3 and 1.10.0 run Apache MINA sshd 1.2 / 1.7, which offer only {@code ssh-rsa} (SHA-1) host keys
 * and signatures; OpenSSH 8.8+ turned those off by default, so they are allowed again here, for this host only.
 */
public final class GitblitSsh {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path key;
    private final int port;

    private GitblitSsh(Path key, int port) {
        this.key = key;
        this.port = port;
    }

    /** A client for {@code admin}, its key registered in the instance's data folder. */
    public static GitblitSsh admin(GitblitInstance gitblit) {
        if (gitblit.sshPort() <= 0) {
            throw new IllegalStateException("this Gitblit has no SSH port: start it with Builder.ssh()");
        }
        Path dir = gitblit.home().resolve("ssh-client");
        Path key = dir.resolve("id_rsa");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir.resolve("id_rsa.pub"));
            run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "goproxy-it", "-f",
                    key.toString()), "ssh-keygen");
            Path keys = Files.createDirectories(gitblit.baseFolder().resolve("ssh")).resolve(GitblitInstance.ADMIN + ".keys");
            Files.write(keys, Files.readAllBytes(dir.resolve("id_rsa.pub")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GitblitSsh(key, gitblit.sshPort());
    }

    /** What one command printed. */
    public record Result(int exit, String stdout, String stderr, String command) {
        public boolean ok() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return command + " -> exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Runs a Gitblit SSH command line, e.g. {@code run("plugin", "ls")}. */
    public Result run(String... command) {
        List<String> argv = new ArrayList<>(Arrays.asList("ssh", "-i", key.toString(), "-p", Integer.toString(port),
                "-F", "/dev/null",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "HostKeyAlgorithms=+ssh-rsa", "-o", "PubkeyAcceptedAlgorithms=+ssh-rsa",
                "-o", "ConnectTimeout=20",
                GitblitInstance.ADMIN + "@127.0.0.1"));
        argv.addAll(Arrays.asList(command));
        return run(argv, String.join(" ", command));
    }

    /** Runs and fails unless the command exits 0; returns its standard output. */
    public String ok(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError("Gitblit SSH command failed: " + r);
        }
        return r.stdout();
    }

    private static Result run(List<String> argv, String what) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv.get(0) + " (Debian package openssh-client): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nothing to send
        }
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Result r = new Result(p.exitValue(), out.join(), err.join(), what);
        if (argv.get(0).equals("ssh-keygen") && !r.ok()) {
            throw new AssertionError(r.toString());
        }
        return r;
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = in) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
