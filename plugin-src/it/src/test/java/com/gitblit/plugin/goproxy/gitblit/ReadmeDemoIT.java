package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The README's one command, {@code test-fixtures/demo/run-gitblit-demo.sh}, from a clean state, with the Gitblit
 * version of this test run: it starts a real Gitblit with the plugin and the demo repositories, prints the
 * commands to try, and every one of them works as printed, in order, in one shell, as a user pastes them: HTTP,
 * HTTPS with the demo's certificate ({@code SSL_CERT_FILE}), a branch query, and the private module with a
 * {@code .netrc}. A SIGTERM (what Ctrl-C leads to) stops Gitblit and frees its port.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class ReadmeDemoIT {
    private static final Path SCRIPT = Paths.get(System.getProperty("goproxy.demo.script",
            "test-fixtures/demo/run-gitblit-demo.sh"));
    private static final String MODULE = "127.0.0.1/demo/hello";
    private static final String PRIVATE = "127.0.0.1/demo/private";

    @Test
    void theDemoScriptStartsGitblitAndEveryCommandItPrintsWorks() throws Exception {
        Path buildDir = Paths.get(System.getProperty("goproxy.build.directory", "target")).toAbsolutePath().normalize();
        Path work = buildDir.resolve("readme-demo-it");
        deleteTree(work);
        Files.createDirectories(work);
        int[] ports = freePorts();
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("DEMO_HTTP_PORT", Integer.toString(ports[0]));
        pb.environment().put("DEMO_HTTPS_PORT", Integer.toString(ports[1]));
        pb.environment().put("DEMO_GITBLIT_VERSION", GitblitInstance.hostVersion());
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
        Path gitblitLog = buildDir.resolve("gitblit-demo/gitblit.log");
        try {
            waitFor(lines, output, "DEMO READY", 240);
            assertTrue(output.contains("Gitblit " + GitblitInstance.hostVersion()
                    + " with the Go module proxy plugin is running."), String.join("\n", output));
            List<String> commands = printedCommands(output);
            assertEquals(List.of("cd", "go", "go", "go", "go", "go", "curl", "go", "printf", "go"),
                    commands.stream().map(ReadmeDemoIT::program).toList(), String.join("\n", commands));
            assertTrue(commands.stream().anyMatch(c -> c.contains("SSL_CERT_FILE=") && c.contains("GOPROXY=https://")
                    && c.contains("NETRC=") && c.endsWith("go get " + PRIVATE + "@v0.1.0")), String.join("\n", commands));

            // Exactly as printed, in order, in one shell, with the go command isolated from this machine.
            GoCommand go = GoCommand.in(work.resolve("go"));
            List<Ran> ran = runInOneShell(go, work, commands);
            for (Ran r : ran) {
                assertEquals(0, r.exit(), "a printed command failed: " + r + "\nGitblit log: " + gitblitLog);
            }
            assertEquals(MODULE + " v1.0.0 v1.1.0\n", ran.get(5).output(), ran.get(5).toString());
            assertEquals("v1.0.0\nv1.1.0\n", ran.get(6).output(), ran.get(6).toString());
            Path app = Paths.get(commands.get(0).substring("cd ".length(), commands.get(0).indexOf(" && ")));
            String goMod = Files.readString(app.resolve("go.mod"));
            for (String required : List.of(MODULE + " v1.0.0", MODULE + "/sub v0.1.0", MODULE + "/v2 v2.0.1-0.20240103030405-",
                    PRIVATE + " v0.1.0")) {
                assertTrue(goMod.contains(required), required + " missing from\n" + goMod);
            }

            // Without alice's .netrc the private module is refused with the proxy's 401.
            String httpsEnv = commands.get(7).substring(0, commands.get(7).indexOf(" go get "));
            Ran anonymous = runInOneShell(go, work, List.of("cd " + app + " && " + httpsEnv + " go get " + PRIVATE + "@v0.1.1"))
                    .get(0);
            assertTrue(anonymous.exit() != 0 && anonymous.output().contains("401 Unauthorized"), anonymous.toString());

            // A branch whose go.mod names /v2, asked as the v1 path: the go command must report the module's own
            // error, not a 401 for the parent path 127.0.0.1/demo it also asks (go-proxy rules 19.8).
            String httpEnv = commands.get(1).substring(0, commands.get(1).indexOf(" go get "));
            Ran main = runInOneShell(go, work, List.of("cd " + app + " && " + httpEnv + " go get " + MODULE + "@main")).get(0);
            assertTrue(main.exit() != 0, main.toString());
            assertTrue(main.output().contains("go.mod has post-v1 module path \"" + MODULE + "/v2\""), main.toString());
            assertFalse(main.output().contains("401 Unauthorized"), main.toString());
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

    /** The indented lines between "Try it" and "Press Ctrl-C": what a user copies into a terminal. */
    static List<String> printedCommands(List<String> output) {
        int from = indexOfPrefix(output, "Try it");
        int to = indexOfPrefix(output, "Press Ctrl-C");
        assertTrue(from >= 0 && to > from, String.join("\n", output));
        return output.subList(from + 1, to).stream()
                .filter(l -> l.startsWith("  ") && !l.isBlank())
                .map(String::trim)
                .toList();
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The program a command line runs, after its leading VAR=value assignments. */
    private static String program(String command) {
        for (String word : command.split(" ")) {
            if (!word.matches("[A-Z_]+=.*")) {
                return word;
            }
        }
        return "";
    }

    /** What one command printed (stdout and stderr together) and its exit status. */
    record Ran(String command, int exit, String output) {
        @Override
        public String toString() {
            return command + "\n-> exit " + exit + "\n" + output;
        }
    }

    /** Runs the commands one after the other in one bash, so that a {@code cd} carries over, and splits the output. */
    private static List<Ran> runInOneShell(GoCommand go, Path work, List<String> commands) throws Exception {
        String marker = "@@ran-" + System.nanoTime() + "@@";
        StringBuilder script = new StringBuilder();
        for (String command : commands) {
            script.append(command).append('\n').append("echo \"").append(marker).append(" $?\"\n");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString()).directory(work.toFile())
                .redirectErrorStream(true);
        go.applyTo(pb.environment());
        Process shell = pb.start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(300, TimeUnit.SECONDS));
        List<Ran> ran = new ArrayList<>();
        String rest = out;
        for (String command : commands) {
            int at = rest.indexOf(marker + " ");
            assertTrue(at >= 0, "the shell stopped before: " + command + "\n" + out);
            int eol = rest.indexOf('\n', at);
            int exit = Integer.parseInt(rest.substring(at + marker.length() + 1, eol).trim());
            ran.add(new Ran(command, exit, rest.substring(0, at)));
            rest = rest.substring(eol + 1);
        }
        return ran;
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

    /** Reads the rest of the demo's output until it ends; fails if it does not end in time. */
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
        throw new AssertionError("the demo's output did not end within " + seconds + " s:\n" + String.join("\n", output));
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
