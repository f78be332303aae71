package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (Debian's, {@code /usr/lib/postgresql/15/bin}; {@code GOPROXY_PG_BIN} overrides) in its
 * own data directory on a loopback port, with password authentication (scram) for the user {@code goproxy} whose
 * password is in {@link #passwordFile()}. As root (CI) it runs as {@code nobody} through {@code runuser}, since
 * initdb refuses root. It can be stopped and started again on the same port, to test a database that goes away.
 *
 * <p>{@link #shared()} is one server per test JVM; {@link #newDatabase()} gives each test an empty database.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "goproxy";
    private static final String PASSWORD = "pg-" + Long.toHexString(System.nanoTime());
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asNobody;

    private PostgresServer(Path dir, Path bin, int port, boolean asNobody) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asNobody = asNobody;
    }

    /** The server all tests of this JVM share (started once, stopped when the JVM exits). */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                shared = start(Files.createTempDirectory("goproxy-pg-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** Initialises a cluster in {@code dir} (which must be empty or absent) and starts it. */
    public static PostgresServer start(Path dir) throws IOException {
        String override = System.getenv("GOPROXY_PG_BIN");
        Path bin = Paths.get(override != null ? override : "/usr/lib/postgresql/15/bin");
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL server not found in " + bin
                    + ": install Debian's postgresql package (.ci/run does)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir);
        Path pw = dir.resolve("password");
        Files.write(pw, PASSWORD.getBytes(StandardCharsets.UTF_8));
        PostgresServer server = new PostgresServer(dir, bin, freePort(), root);
        if (root) {
            // Every folder up to the data directory must be reachable by nobody; the temp folder is.
            server.run("chown", "-R", "nobody:nogroup", dir.toString());
            dir.toFile().setExecutable(true, false);
        }
        server.runAsOwner(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", USER,
                "--pwfile=" + pw, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        server.startAgain();
        return server;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** A file holding the password (no newline), as the proxy's {@code ledgerPasswordFile} setting reads it. */
    public Path passwordFile() {
        return dir.resolve("password");
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database}, user included (the password is not). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** Creates a new empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "t" + DATABASES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        sql("postgres", "CREATE DATABASE " + name);
        return jdbcUrl(name);
    }

    /** Runs one SQL statement with psql and returns its unaligned output. */
    public String sql(String database, String statement) {
        try {
            return runAsOwner(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-U", USER, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", statement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again) on its port and waits until it accepts connections. */
    public void startAgain() throws IOException {
        runAsOwner(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -c port=" + port
                        + " -c unix_socket_directories=" + dir + " -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off -c max_connections=200",
                "start");
    }

    /** Stops the server (fast: open connections are cut, as when a database host goes away). */
    public void stop() {
        try {
            runAsOwner(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's own log, for a failing test's message. */
    public String log() {
        try {
            return new String(Files.readAllBytes(dir.resolve("server.log")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            runAsOwner(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | RuntimeException e) {
            // already stopped
        }
    }

    private String runAsOwner(String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(Arrays.asList("runuser", "-u", "nobody", "--"));
        }
        full.addAll(Arrays.asList(command));
        return run(full.toArray(new String[0]));
    }

    private String run(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PASSWORD);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.directory(dir.toFile());
        Process p = pb.start();
        byte[] out = readAll(p);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text.trim();
    }

    private static byte[] readAll(Process p) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = p.getInputStream().read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
