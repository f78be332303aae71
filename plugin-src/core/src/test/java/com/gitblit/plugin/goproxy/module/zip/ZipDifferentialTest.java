package com.gitblit.plugin.goproxy.module.zip;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * Random module trees (fixed seed) zipped by x/mod's CreateFromDir and by the Java rules: the same files
 * chosen, the same verdict, the same h1. Root go.mod files declare go versions below 1.24 only: Debian's x/mod
 * predates the newer vendor rule, which {@link ZipRulesTest} pins by hand.
 */
@RequiresGo
class ZipDifferentialTest {
    private static final String[] NAMES = {"a.go", "b.txt", "README.md", "LICENSE", "go.mod", "GO.MOD", "Go.Mod",
        "vendor", "modules.txt", "sub", "pkg", "x", "X", "k", "K", "\u212a", "é", "É", "ß", "中文.go", "data.bin",
        ".hidden", ".hg_archival.txt", ".git", ".hg", ".svn", ".bzr", "CON", "aux.go", "bad'q.go", "sp ace.go",
        "emoji😀.go", "tilde~1.go", "-dash.go", "internal", "v2", "testdata", "with#hash", "a.b.c", "x.", "ǅ"};

    @TempDir
    Path tmp;

    @Test
    void randomTreesAgreeWithXmod() throws Exception {
        GoOracle oracle = GoOracle.build("oracle-zip");
        Random r = new Random(20261125);
        List<String> requests = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            Path root = Files.createDirectories(tmp.resolve("t" + t));
            if (r.nextInt(4) != 0) {
                String go = r.nextBoolean() ? "\ngo 1." + (11 + r.nextInt(12)) + "\n" : "\n";
                Files.write(root.resolve("go.mod"), ("module example.com/m" + go).getBytes(StandardCharsets.UTF_8));
            }
            int files = 1 + r.nextInt(25);
            for (int f = 0; f < files; f++) {
                makeEntry(r, root);
            }
            roots.add(root);
            requests.add(root + "\texample.com/m\tv1.0.0");
        }
        List<String> answers = oracle.askLines(requests);
        List<String> failures = new ArrayList<>();
        int errors = 0;
        for (int t = 0; t < roots.size(); t++) {
            String[] go = answers.get(t).split("\t", -1);
            DirectoryFiles listed = DirectoryFiles.list(roots.get(t));
            CheckedFiles cf = ModuleZip.check(listed.files);
            String javaValid = cf.valid().stream().map(ModuleFile::path).collect(Collectors.joining("\u0000"));
            String verdict;
            String h1 = "";
            try {
                h1 = ModuleZip.prepare("example.com/m", "v1.0.0", listed.files).writeTo(OutputStream.nullOutputStream());
                verdict = "OK";
            } catch (ModuleRuleException e) {
                verdict = "ERR";
                errors++;
            }
            if (!go[0].equals(verdict) || !go[1].equals(h1) || !go[2].equals(javaValid)) {
                failures.add(roots.get(t).getFileName() + ": go " + go[0] + " " + go[1] + " [" + go[2].replace('\0', ',')
                        + "] java " + verdict + " " + h1 + " [" + javaValid.replace('\0', ',') + "]");
            }
        }
        // The generator must exercise both outcomes, or the comparison proves little.
        org.junit.jupiter.api.Assertions.assertTrue(errors > 30 && errors < 270, errors + " invalid trees of 300");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + roots.size() + " trees differ from x/mod:\n" + String.join("\n", failures));
        }
    }

    private static void makeEntry(Random r, Path root) throws IOException {
        int depth = r.nextInt(4);
        Path p = root;
        for (int d = 0; d < depth; d++) {
            p = p.resolve(NAMES[r.nextInt(NAMES.length)]);
        }
        p = p.resolve(NAMES[r.nextInt(NAMES.length)]);
        if (Files.exists(p) || !Files.isDirectory(p.getParent()) && Files.exists(p.getParent())) {
            return;
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            return; // a file is already where a directory would go
        }
        switch (r.nextInt(12)) {
            case 0:
                Files.createSymbolicLink(p, root.relativize(root.resolve("go.mod")));
                break;
            case 1:
                Files.createDirectories(p);
                break;
            case 2:
                byte[] big = new byte[200_000 + r.nextInt(100_000)];
                r.nextBytes(big);
                Files.write(p, big);
                break;
            default:
                String content = p.getFileName().toString().equalsIgnoreCase("go.mod")
                        ? "module example.com/nested\n" : "content " + r.nextInt(1000) + "\n";
                Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
