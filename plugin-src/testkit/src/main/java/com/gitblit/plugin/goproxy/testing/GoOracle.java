package com.gitblit.plugin.goproxy.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Go side of the differential tests: a program under {@code test-fixtures/<name>/} built once per JVM
 * against Debian's golang.org/x/mod (GOPATH mode, offline) and asked questions in batches through one process.
 * A missing {@code go} or x/mod is a test failure that names the Debian package, never a skip.
 */
public final class GoOracle {
    public static final String GOPATH = "/usr/share/gocode";
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder UNB64 = Base64.getDecoder();

    private final Path binary;

    /** The built program. */
    public Path binary() {
        return binary;
    }

    private GoOracle(Path binary) {
        this.binary = binary;
    }

    /** Builds (once) {@code test-fixtures/<program>/main.go}. */
    public static synchronized GoOracle build(String program) {
        Path source = Paths.get("test-fixtures", program).toAbsolutePath();
        Path out = Paths.get("target", "oracles", program).toAbsolutePath();
        try {
            requireTools();
            Files.createDirectories(out.getParent());
            // GOPATH mode over Debian's sources: offline, and x/mod exactly as installed.
            GoCommand go = GoCommand.in(Paths.get("target", "oracles", "go-home").toAbsolutePath())
                    .with("GO111MODULE", "off").with("GOPATH", GOPATH).with("GOFLAGS", "")
                    .with("GOCACHE", Paths.get("target", "go-cache").toAbsolutePath().toString());
            GoCommand.Result built = go.run(source, "build", "-o", out.toString(), ".");
            if (!built.ok()) {
                throw new AssertionError("building the Go oracle " + program + " failed:\n" + built);
            }
            return new GoOracle(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireTools() {
        if (!new File("/usr/bin/go").canExecute() && !onPath("go")) {
            throw new AssertionError("the go command is missing: install Debian's golang-go (.ci/run does)");
        }
        if (!new File(GOPATH, "src/golang.org/x/mod/module/module.go").isFile()) {
            throw new AssertionError("golang.org/x/mod is missing under " + GOPATH
                    + ": install Debian's golang-golang-x-mod-dev (.ci/run does)");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs the program once with arguments and returns its standard output (for one-shot extractors). */
    public String run(String... args) {
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(binary.toString());
            for (String a : args) {
                cmd.add(a);
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError(binary + " exited " + p.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends plain text lines (for programs with a text protocol) and returns one answer line per request. */
    public List<String> askLines(List<String> lines) {
        try {
            Process p = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread writer = new Thread(() -> {
                try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
                    for (String l : lines) {
                        w.write(l);
                        w.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            List<String> answers = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    answers.add(line);
                }
            }
            writer.join();
            if (p.waitFor() != 0 || answers.size() != lines.size()) {
                throw new AssertionError(binary + " exited " + p.exitValue() + " after " + answers.size() + " answers");
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One request: an op and its arguments (arbitrary strings; invalid UTF-8 needs {@link #askBytes}). */
    public static List<byte[]> request(String op, String... args) {
        List<byte[]> r = new ArrayList<>();
        r.add(op.getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            r.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    /** Asks every request through one process; answer i has the fields of request i's reply. */
    public List<List<String>> ask(List<List<byte[]>> requests) {
        List<List<byte[]>> raw = askBytes(requests);
        List<List<String>> answers = new ArrayList<>(raw.size());
        for (List<byte[]> fields : raw) {
            List<String> a = new ArrayList<>(fields.size());
            for (byte[] f : fields) {
                a.add(new String(f, StandardCharsets.UTF_8));
            }
            answers.add(a);
        }
        return answers;
    }

    public List<List<byte[]>> askBytes(List<List<byte[]>> requests) {
        try {
            Process p = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread writer = new Thread(() -> {
                try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII))) {
                    for (List<byte[]> req : requests) {
                        w.write(new String(req.get(0), StandardCharsets.US_ASCII));
                        for (int i = 1; i < req.size(); i++) {
                            w.write('\t');
                            w.write(B64.encodeToString(req.get(i)));
                        }
                        w.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            List<List<byte[]>> answers = new ArrayList<>(requests.size());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    List<byte[]> fields = new ArrayList<>();
                    for (String f : line.split("\t", -1)) {
                        fields.add(UNB64.decode(f));
                    }
                    answers.add(fields);
                }
            }
            writer.join();
            if (p.waitFor() != 0 || answers.size() != requests.size()) {
                throw new AssertionError("oracle " + binary + " exited " + p.exitValue() + " after "
                        + answers.size() + " of " + requests.size() + " answers");
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
