package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Gitblit JVM: started in its own folder with everything it prints appended to one log, ready when every
 * readiness URL answers 200, stopped with SIGTERM (Jetty stops cleanly) and killed if it hangs. A test JVM that
 * exits without closing still stops it (shutdown hook), so no orphan keeps ports or files.
 */
public final class GitblitProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 60;

    /** Thrown when Gitblit could not bind a port that was free a moment before. */
    static final class PortClash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortClash(String message) {
            super(message);
        }
    }

    private final List<String> command;
    private final Path home;
    private final Path logFile;
    private Process process;
    private Duration startupTime;
    private Thread shutdownHook;

    GitblitProcess(List<String> command, Path home, Path logFile) {
        this.command = List.copyOf(command);
        this.home = home;
        this.logFile = logFile;
    }

    /** Starts the JVM and waits until each of {@code ready} answers 200 through {@code client}. */
    void start(HttpClient client, List<URI> ready) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().remove("GITBLIT_HOME"); // it would win over --baseFolder
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::close, "stop Gitblit in " + home);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
            for (URI uri : ready) {
                awaitReady(client, uri);
            }
        } catch (RuntimeException | AssertionError e) {
            stopQuietly();
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Until {@code uri} answers 200; a 503 (the web app failed, e.g. a plugin without {@code extensions.idx}) or a
     * dead JVM fails at once with the log tail.
     */
    private void awaitReady(HttpClient client, URI uri) {
        HttpRequest probe = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        Optional<RuntimeException> failure = Eventually.within(START_TIMEOUT)
                .describing(() -> "log " + logFile + ":\n" + logTail())
                .value("Gitblit to answer 200 on " + uri, () -> probe(client, probe));
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    /** Empty once ready, a failure that ends the wait, or null: not yet (not listening, TLS not ready). */
    private Optional<RuntimeException> probe(HttpClient client, HttpRequest probe) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            String tail = logTail();
            String message = "Gitblit exited with " + process.exitValue() + " before serving " + probe.uri()
                    + "; log " + logFile + ":\n" + tail;
            return Optional.of(tail.contains("Address already in use") ? new PortClash(message)
                    : new IllegalStateException(message));
        }
        int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
            return Optional.empty();
        }
        if (status == 503) {
            return Optional.of(new IllegalStateException("Gitblit answered 503 on " + probe.uri()
                    + ": its web application failed to start (a plugin without META-INF/extensions.idx does this); log "
                    + logFile + ":\n" + logTail()));
        }
        return null;
    }

    /** SIGTERM, wait, then kill if it hangs. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stopQuietly();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or has run
            }
            shutdownHook = null;
        }
    }

    private void stopQuietly() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** From {@code java} start to the first 200 on every readiness URL (of the latest start). */
    public Duration startupTime() {
        return startupTime;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        try {
            // Lenient decoding: a log is for reading, a stray byte must not hide it.
            List<String> all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
