package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's one command, {@code test-fixtures/demo/run-gitblit-demo.sh}, from a clean state: it starts a real
 * Gitblit with the plugin and the demo repository, prints the go commands to try, and those commands work as
 * printed; a SIGTERM (what Ctrl-C leads to) stops Gitblit and frees its port.
 */
class ReadmeDemoIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("goproxy.demo.script",
            "test-fixtures/demo/run-gitblit-demo.sh"));

    @Test
    void theDemoScriptStartsGitblitAndItsPrintedCommandsWork() throws Exception {
        Path buildDir = Paths.get(System.getProperty("goproxy.build.directory", "target")).toAbsolutePath();
        Path work = buildDir.resolve("readme-demo-it");
        deleteTree(work);
        Files.createDirectories(work);
        int[] ports = freePorts();
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("DEMO_HTTP_PORT", Integer.toString(ports[0]));
        pb.environment().put("DEMO_HTTPS_PORT", Integer.toString(ports[1]));
        Process demo = pb.start();
        List<String> output = new ArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output broke off: " + e + ")");
            }
            lines.add("\u0000EOF");
        });
        reader.setDaemon(true);
        reader.start();
        try {
            waitFor(lines, output, "DEMO READY", 240);
            String getLine = output.stream().map(String::trim)
                    .filter(l -> l.startsWith("GOPROXY=") && l.contains(" go get 127.0.0.1/demo/hello@v1.1.0"))
                    .findFirst().orElseThrow(() -> new AssertionError("no go get line printed:\n" + String.join("\n", output)));
            assertTrue(getLine.contains("GONOSUMDB=127.0.0.1") && getLine.contains("GOFLAGS=-mod=mod"), getLine);

            // Exactly as printed, in a new module, with the go command isolated from this machine.
            GoClient go = GoClient.in(work.resolve("go"));
            Path app = go.newModule("try");
            ProcessBuilder line = new ProcessBuilder("bash", "-c", getLine).directory(app.toFile()).redirectErrorStream(true);
            go.applyTo(line.environment());
            Process shell = line.start();
            String shellOut = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(shell.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, shell.exitValue(), getLine + "\n" + shellOut + "\nGitblit log: "
                    + buildDir.resolve("gitblit-demo/gitblit.log"));
            assertTrue(Files.readString(app.resolve("go.mod")).contains("127.0.0.1/demo/hello v1.1.0"));
        } finally {
            // SIGTERM, as the shell's Ctrl-C handling turns into. Not Process.destroy(): it also closes the
            // output pipe, and the script's last words ("Gitblit stopped.") would be lost.
            new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor(10, TimeUnit.SECONDS);
            boolean exited = demo.waitFor(30, TimeUnit.SECONDS);
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            if (!exited) {
                demo.destroyForcibly();
            }
        }
        drain(lines, output, 10);
        assertTrue(output.contains("Gitblit stopped."), String.join("\n", output));
        assertEquals(0, demo.exitValue());
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", ports[0]), 1000);
            throw new AssertionError("Gitblit still listens on " + ports[0]);
        } catch (IOException expected) {
            // stopped
        }
        assertFalse(output.stream().anyMatch(l -> l.contains("Connection refused")), String.join("\n", output));
    }

    private static void waitFor(BlockingQueue<String> lines, List<String> output, String marker, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("\u0000EOF")) {
                throw new AssertionError("the demo script ended before it was ready:\n" + String.join("\n", output));
            }
            output.add(line);
            System.out.println("demo> " + line);
            if (line.startsWith(marker)) {
                return;
            }
        }
        throw new AssertionError("the demo was not ready within " + seconds + " s:\n" + String.join("\n", output));
    }

    private static void drain(BlockingQueue<String> lines, List<String> output, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("\u0000EOF")) {
                return;
            }
            output.add(line);
            System.out.println("demo> " + line);
        }
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        // The go command leaves its module cache read-only.
        try (var walk = Files.walk(dir)) {
            walk.forEach(p -> p.toFile().setWritable(true));
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
