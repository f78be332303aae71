package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One proxy node: the built standalone jar ({@code goproxy.standalone.jar}) run with {@code java -jar} as a
 * process of its own, on a JDK the test chooses, listening on a free loopback port. It can be stopped as an
 * operator would (SIGTERM), killed as a crash would ({@code kill -9}) or frozen ({@code kill -STOP}).
 */
public final class StandaloneNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Path log;
    private final int port;
    private final Process process;

    private StandaloneNode(String name, Path log, int port, Process process) {
        this.name = name;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** The standalone jar the build made (failsafe passes its path); fails with the reason when it is missing. */
    public static Path jar() {
        Path jar = Paths.get(System.getProperty("goproxy.standalone.jar", "target/goproxy-standalone.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no standalone jar at " + jar + " (mvn package builds it)");
        }
        return jar;
    }

    /** The JDK running this test. */
    public static Path currentJdk() {
        return Paths.get(System.getProperty("java.home"));
    }

    /**
     * A JDK of another major version than the one running this test, from {@code /usr/lib/jvm} (or the folder
     * {@code goproxy.other.jdk} names): the newest one found. Fails with the reason when there is none.
     */
    public static Path otherJdk() throws IOException {
        String named = System.getProperty("goproxy.other.jdk");
        if (named != null) {
            return Paths.get(named);
        }
        int mine = Runtime.version().feature();
        Path best = null;
        int bestVersion = 0;
        try (Stream<Path> jdks = Files.list(Paths.get("/usr/lib/jvm"))) {
            for (Path jdk : (Iterable<Path>) jdks.sorted()::iterator) {
                int v = majorVersion(jdk);
                if (v > 0 && v != mine && v > bestVersion && Files.isExecutable(jdk.resolve("bin/java"))) {
                    best = jdk;
                    bestVersion = v;
                }
            }
        }
        if (best == null) {
            throw new AssertionError("no JDK other than " + mine + " in /usr/lib/jvm: the byte-identity test runs nodes"
                    + " on two JDKs (set goproxy.other.jdk to one)");
        }
        return best;
    }

    private static int majorVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Starts {@code java -jar <jar> --listen 127.0.0.1:<port> <args>} on {@code jdk} and returns once its health
     * route answers; its output goes to {@code <dir>/<name>.log}.
     */
    public static StandaloneNode start(String name, Path jdk, Path dir, String... args)
            throws IOException, InterruptedException {
        return start(name, jdk, dir, NginxServer.freePort(), args);
    }

    /** The same on a given port (a node restarted where the load balancer expects it). */
    public static StandaloneNode start(String name, Path jdk, Path dir, int port, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "--listen", "127.0.0.1:" + port));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        StandaloneNode node = new StandaloneNode(name, log, port, p);
        try {
            Eventually.within(Duration.ofSeconds(90)).describing(node::logTail).until(name + " to answer its health route",
                    () -> {
                        if (!p.isAlive()) {
                            throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + node.logTail());
                        }
                        return node.get("/go/-/health").statusCode() == 200;
                    });
        } catch (AssertionError e) {
            node.kill();
            throw e;
        }
        return node;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as an nginx upstream {@code server} line names it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create("http://" + address() + path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What the node wrote so far (its last lines). */
    public String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A crash: SIGKILL, no shutdown of any kind; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Freezes the process (SIGSTOP): connections are still accepted by the kernel, never answered. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** A shutdown (SIGTERM), waited for; a node that does not end in 30 s is killed. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
