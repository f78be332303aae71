package com.gitblit.plugin.goproxy.module.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * x/mod's own zip test vectors, read from Debian's golang-golang-x-mod-dev where it installs them (never a
 * copy that could drift): every include/omit/invalid decision and every h1 must be x/mod's.
 */
@RequiresGo
class ZipVectorsTest {
    static final Path TESTDATA = Paths.get(GoOracle.GOPATH, "src/golang.org/x/mod/zip/testdata");

    @TempDir
    Path tmp;

    static Stream<Path> vectors(String dir) throws IOException {
        Path d = TESTDATA.resolve(dir);
        if (!Files.isDirectory(d)) {
            fail("x/mod's zip test vectors are missing at " + d
                    + ": install Debian's golang-golang-x-mod-dev (.ci/run does)");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            s.filter(p -> p.toString().endsWith(".txt")).sorted().forEach(files::add);
        }
        assertTrue(files.size() > 0, "no vectors in " + d);
        return files.stream();
    }

    static Stream<Path> create() throws IOException {
        return vectors("create");
    }

    static Stream<Path> createFromDir() throws IOException {
        return vectors("create_from_dir");
    }

    static Stream<Path> checkFiles() throws IOException {
        return vectors("check_files");
    }

    static Stream<Path> checkDir() throws IOException {
        return vectors("check_dir");
    }

    @ParameterizedTest
    @MethodSource("create")
    void create(Path vector) throws Exception {
        Txtar t = Txtar.read(vector);
        List<ModuleFile> files = new ArrayList<>();
        for (int i = 0; i < t.names.size(); i++) {
            files.add(new MemoryFile(t.names.get(i), t.contents.get(i)));
        }
        expect(t, files);
    }

    @ParameterizedTest
    @MethodSource("createFromDir")
    void createFromDir(Path vector) throws Exception {
        Txtar t = Txtar.read(vector);
        Path root = extract(t);
        expect(t, DirectoryFiles.list(root).files);
    }

    @ParameterizedTest
    @MethodSource("checkFiles")
    void checkFiles(Path vector) throws Exception {
        Txtar t = Txtar.read(vector);
        List<ModuleFile> files = new ArrayList<>();
        for (int i = 0; i < t.names.size(); i++) {
            if (!t.names.get(i).equals("want")) {
                files.add(new MemoryFile(t.names.get(i), t.contents.get(i)));
            }
        }
        CheckedFiles cf = ModuleZip.check(files);
        assertEquals(new String(t.file("want"), StandardCharsets.UTF_8).trim(), format(cf, "", List.of()).trim());
    }

    @ParameterizedTest
    @MethodSource("checkDir")
    void checkDir(Path vector) throws Exception {
        Txtar t = Txtar.read(vector);
        Path root = extract(t);
        DirectoryFiles listed = DirectoryFiles.list(root);
        CheckedFiles cf = ModuleZip.check(listed.files);
        assertEquals(new String(t.file("want"), StandardCharsets.UTF_8).trim(),
                format(cf, "$work/", listed.omitted).trim());
    }

    private Path extract(Txtar t) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("work"));
        for (int i = 0; i < t.names.size(); i++) {
            if (t.names.get(i).equals("want")) {
                continue;
            }
            Path f = root.resolve(t.names.get(i));
            Files.createDirectories(f.getParent());
            Files.write(f, t.contents.get(i));
        }
        return root;
    }

    private static void expect(Txtar t, List<ModuleFile> files) throws IOException {
        String path = t.headerString("path");
        String version = t.headerString("version");
        String wantErr = t.headerString("wantErr");
        String hash = t.headerString("hash");
        PreparedZip zip;
        try {
            zip = ModuleZip.prepare(path, version, files);
        } catch (ModuleRuleException e) {
            assertNotNull(wantErr, "unexpected error: " + e.getMessage());
            if (path.contains("\uFFFD")) {
                // The header holds invalid UTF-8; Java sees U+FFFD where Go sees the raw byte.
                assertTrue(e.getMessage().startsWith("malformed module path"), e.getMessage());
            } else {
                assertTrue(e.getMessage().contains(wantErr), "got \"" + e.getMessage() + "\", want \"" + wantErr + "\"");
            }
            return;
        }
        if (wantErr != null) {
            fail("unexpected success; wanted an error containing " + wantErr);
        }
        String h1 = zip.writeTo(OutputStream.nullOutputStream());
        assertEquals(hash, h1);
    }

    /** x/mod's zip_test formatCheckedFiles, with CheckDir's path prefix and directory-level omissions. */
    static String format(CheckedFiles cf, String prefix, List<FileProblem> dirOmitted) {
        StringBuilder b = new StringBuilder("valid:\n");
        for (ModuleFile f : cf.valid()) {
            b.append(prefix).append(f.path()).append('\n');
        }
        b.append("\nomitted:\n");
        List<FileProblem> omitted = new ArrayList<>(cf.omitted());
        omitted.addAll(dirOmitted);
        for (FileProblem p : omitted) {
            b.append(prefix).append(p.path()).append(": ").append(p.reason()).append('\n');
        }
        b.append("\ninvalid:\n");
        for (FileProblem p : cf.invalid()) {
            b.append(prefix).append(p.path()).append(": ").append(p.reason()).append('\n');
        }
        return b.toString();
    }
}
