package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * {@code test-fixtures/scale/run.sh} as a person runs it: it starts PostgreSQL, three nodes and nginx and prints the
 * lines to try; the printed {@code go get} works, the printed {@code curl} line's claim holds (a second download is
 * nginx's), and Ctrl-C (SIGINT to the script) stops everything and frees every port.
 */
@RequiresGo
class ScaleRecipeIT {
    private static final Path SCRIPT = Paths.get("test-fixtures/scale/run.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theRecipeStartsEverythingItsLinesWorkAndCtrlCStopsEverything() throws Exception {
        int base = freeBase();
        Path output = tmp.resolve("run.out");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("SCALE_PORT", Integer.toString(base));
        pb.environment().put("SCALE_DIR", tmp.resolve("scale").toString());
        if (System.getProperty("goproxy.standalone.jar") != null) {
            pb.environment().put("SCALE_JAR", Paths.get(System.getProperty("goproxy.standalone.jar")).toAbsolutePath().toString());
        }
        Process script = pb.start();
        try {
            Eventually.within(Duration.ofMinutes(3)).describing(() -> read(output)).until("the lines to try", () -> {
                assertTrue(script.isAlive(), "run.sh ended:\n" + read(output));
                return read(output).contains("Ctrl-C stops everything.");
            });
            String printed = read(output);
            String goGet = Arrays.stream(printed.split("\n")).map(String::trim)
                    .filter(l -> l.startsWith("GOPROXY=") && l.contains(" go get ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no go get line in:\n" + printed));
            assertTrue(goGet.contains("GOSUMDB=example.test+"), "the recipe's nodes share one checksum database: " + goGet);
            GoCommand go = GoCommand.in(tmp.resolve("go"));
            List<String> args = new ArrayList<>();
            for (String word : goGet.split(" +")) {
                int eq = word.indexOf('=');
                if (args.isEmpty() && eq > 0 && !word.equals("go")) {
                    String value = word.substring(eq + 1);
                    // -modcacherw: the test's temporary folder must stay deletable.
                    go = go.with(word.substring(0, eq), word.startsWith("GOFLAGS=") ? value + " -modcacherw" : value);
                } else {
                    args.add(word);
                }
            }
            assertEquals("go", args.remove(0), goGet);
            Path app = go.newModule("try");
            GoCommand.Result got = go.run(app, args.toArray(String[]::new));
            assertTrue(got.ok(), got + "\n" + logs(tmp.resolve("scale")));
            assertTrue(Files.readString(app.resolve("go.mod")).contains("example.test/hello v1.1.0"));
            String zip = "http://127.0.0.1:" + base + "/go/example.test/hello/@v/v1.1.0.zip";
            Eventually.within(Duration.ofSeconds(20)).until("a zip answered from nginx's cache",
                    () -> "HIT".equals(ScaleFixture.header(ScaleFixture.get(zip), "X-Cache-Status")));
        } finally {
            new ProcessBuilder("kill", "-INT", Long.toString(script.pid())).inheritIO().start().waitFor();
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "run.sh did not end after SIGINT:\n" + read(output));
        }
        String all = read(output);
        assertTrue(all.contains("Stopped."), all);
        for (int port : new int[] {base, base + 1, base + 2, base + 3, base + 9}) {
            assertFalse(listening(port), "127.0.0.1:" + port + " still answers after Ctrl-C:\n" + all);
        }
        try (Stream<ProcessHandle> all2 = ProcessHandle.allProcesses()) {
            assertFalse(all2.anyMatch(p -> p.info().commandLine().orElse("").contains(tmp.resolve("scale").toString())),
                    "a process of the recipe outlived it");
        }
    }

    /** A port such that it and the nine after it are free. */
    private static int freeBase() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(20_000);
            boolean free = true;
            for (int p = base; p <= base + 9 && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    free = true;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new AssertionError("no ten free ports in a row");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The ends of the recipe's logs, for a failure's message. */
    private static String logs(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = read(f);
                out.append("== ").append(f).append('\n').append(text.substring(Math.max(0, text.length() - 3000)));
            }
        }
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
