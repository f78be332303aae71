package com.gitblit.plugin.goproxy.module.zip;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.testing.GoOracle;

/**
 * A zip made elsewhere, checked as x/mod's Unzip checks it: every vector of x/mod's {@code testdata/unzip}
 * (Debian's golang-golang-x-mod-dev), read as it is: the error it wants (the reason, as x/mod words it, appears in
 * ours), or the hash.
 */
@RequiresGo
class ZipFileCheckTest {
    private static final Path VECTORS = Paths.get(GoOracle.GOPATH, "src/golang.org/x/mod/zip/testdata/unzip");

    @TempDir
    Path tmp;

    static Stream<Path> vectors() throws IOException {
        if (!Files.isDirectory(VECTORS)) {
            throw new AssertionError("x/mod's zip vectors are missing at " + VECTORS
                    + ": install Debian's golang-golang-x-mod-dev (.ci/run does)");
        }
        return Files.list(VECTORS).filter(p -> p.toString().endsWith(".txt")).sorted();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void unzipVector(Path vector) throws Exception {
        Txtar t = Txtar.read(vector);
        String path = t.headerString("path");
        String version = t.headerString("version");
        String wantErr = t.headerString("wantErr");
        String hash = t.headerString("hash");
        Path zip = tmp.resolve("m.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < t.names.size(); i++) {
                z.putNextEntry(new ZipEntry(t.names.get(i)));
                z.write(t.contents.get(i));
                z.closeEntry();
            }
        } catch (java.util.zip.ZipException duplicate) {
            // Java's writer refuses duplicate names, which x/mod's vectors need: write them with a unique twin.
            writeWithDuplicates(t, zip);
        }
        try {
            String h1 = ZipFileCheck.hash(zip.toFile(), path, version);
            if (wantErr != null) {
                fail(vector.getFileName() + ": accepted, want error " + wantErr);
            }
            if (hash != null) {
                assertEquals(hash, h1, vector.getFileName().toString());
            }
        } catch (ModuleRuleException e) {
            if (wantErr == null) {
                throw new AssertionError(vector.getFileName() + ": refused: " + e.getMessage(), e);
            }
            // A Java string cannot hold the vector's invalid UTF-8 path; it arrives as U+FFFD, refused the same way.
            String want = wantErr.endsWith(": invalid UTF-8") ? "malformed module path" : wantErr;
            assertTrue(e.getMessage().contains(want),
                    vector.getFileName() + ": " + e.getMessage() + " does not say " + wantErr);
        }
    }

    /** Zip entries with equal names: written under a placeholder of the same length, then renamed in the bytes. */
    private static void writeWithDuplicates(Txtar t, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < t.names.size(); i++) {
                String name = t.names.get(i);
                if (!seen.add(name)) {
                    name = name.substring(0, name.length() - 1) + "\u0001";
                }
                z.putNextEntry(new ZipEntry(name));
                z.write(t.contents.get(i));
                z.closeEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(zip);
        for (String name : t.names) {
            byte[] twin = (name.substring(0, name.length() - 1) + "\u0001").getBytes(StandardCharsets.UTF_8);
            byte[] real = name.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i + twin.length <= bytes.length; i++) {
                if (java.util.Arrays.equals(java.util.Arrays.copyOfRange(bytes, i, i + twin.length), twin)) {
                    System.arraycopy(real, 0, bytes, i, real.length);
                }
            }
        }
        Files.write(zip, bytes);
    }
}
