package com.gitblit.plugin.goproxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A real checksum database: {@code test-fixtures/sumdb-server} (golang.org/x/mod/sumdb's server over its test
 * storage) with a key generated at start, serving the go.sum lines this object is given. A lookup adds the
 * module version to the log the first time it is asked, as sum.golang.org does.
 */
public final class SumdbServer implements AutoCloseable {
    private final Process process;
    private final Path goSum;
    private final String verifierKey;
    private final String url;
    private final String signerKey;

    private SumdbServer(Process process, Path goSum, String verifierKey, String url, String signerKey) {
        this.process = process;
        this.goSum = goSum;
        this.verifierKey = verifierKey;
        this.url = url;
        this.signerKey = signerKey;
    }

    /** Starts a database named {@code name} (e.g. {@code sum.test.example}). */
    public static SumdbServer start(String name, Path workDir) {
        return start(name, workDir, null);
    }

    /** A second database signing with {@code other}'s key: the same name and key, another history. */
    public static SumdbServer withKeyOf(SumdbServer other, Path workDir) {
        return start(other.name(), workDir, other.signerKey);
    }

    private static SumdbServer start(String name, Path workDir, String signerKey) {
        GoOracle oracle = GoOracle.build("sumdb-server");
        try {
            Path goSum = Files.createTempFile(Files.createDirectories(workDir), "gosum", ".txt");
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.Arrays.asList(
                    oracle.binary().toString(), name, goSum.toString()));
            if (signerKey != null) {
                cmd.add(signerKey);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String key = out.readLine();
            String url = out.readLine();
            String signer = out.readLine();
            if (key == null || url == null || signer == null) {
                p.destroyForcibly();
                throw new AssertionError("sumdb-server did not start");
            }
            return new SumdbServer(p, goSum, key, url, signer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds go.sum lines ({@code "path version h1:..."}) the database will answer for. */
    public synchronized void add(String goSumLines) {
        try {
            Files.write(goSum, (goSumLines.endsWith("\n") ? goSumLines : goSumLines + "\n")
                    .getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The GOSUMDB verifier key, {@code name+hash+key}. */
    public String verifierKey() {
        return verifierKey;
    }

    /** The signer key ({@code PRIVATE+KEY+...}): a second implementation signing as this one signs the same bytes. */
    public String signerKey() {
        return signerKey;
    }

    public String name() {
        return verifierKey.substring(0, verifierKey.indexOf('+'));
    }

    /** The base URL, {@code http://127.0.0.1:port}, without a trailing slash. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
