package com.gitblit.plugin.goproxy.source.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * Randomized (fixed seed) trees, attribute files and contents, each compared with the real git archive for
 * every module directory. A failure names its case number; the same seed reproduces it.
 */
@RequiresGitCli
@Tag("jgit")
class GitArchiveRandomizedTest {
    private static final long SEED = 0x60_A7C_1EFL;
    private static final int CASES = 300;

    @TempDir
    static Path tmp;
    static ArchiveLab lab;

    @BeforeAll
    static void setUp() throws IOException {
        lab = new ArchiveLab(tmp);
    }

    private static final java.util.Map<ArchiveLab.Status, Integer> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterAll
    static void tearDown() {
        lab.close();
        // the generator must exercise what it is for: conversions, and directories that do not exist
        org.junit.jupiter.api.Assertions.assertTrue(lab.convertedFilesSeen() > 500,
                "only " + lab.convertedFilesSeen() + " converted files");
        org.junit.jupiter.api.Assertions.assertTrue(outcomes.getOrDefault(ArchiveLab.Status.NOT_FOUND, 0) > 20,
                outcomes.toString());
        System.out.println("randomized outcomes " + outcomes + ", converted files " + lab.convertedFilesSeen());
    }

    private static final String[] DIRS = {"", "", "m", "m", "m/sub", "m/sub/v2", "m/sub/deep", "x", "m/a b", "m/vendor/p"};
    private static final String[] MODULES = {"", "m", "m/sub", "m/sub/v2", "x"};
    private static final String[] NAMES = {"a.txt", "b.TXT", "c.go", "Makefile", "d.crlf", "e.bin", "f.u16", ".hidden",
        "g h.txt", "#h", "!i", "j.x", "LICENSE", "k.md", "l.txt.bak", "mm.sh", "n.lat", "o.id", "README", "p.auto"};
    private static final String[] PATTERNS = {"*", "*.txt", "*.TXT", "*.crlf", "a.txt", "/a.txt", "m/*", "m/**",
        "**/a.txt", "sub/", "*.[tb]*", "?.txt", "m/sub/*.go", "/m/sub/**/*.txt", "deep/*", "\"g h.txt\"", "!neg",
        "*.go", "Makefile", "*.u16", "*.lat", "*.id", "*.auto", "*.bin", "sub/*", "v2/**", "**", "*.*", "\\#h", "[!a]*"};
    private static final String[] ATTRS = {"text", "-text", "!text", "text=auto", "text=input", "eol=crlf", "eol=lf",
        "crlf", "-crlf", "crlf=input", "ident", "-ident", "binary", "working-tree-encoding=UTF-16LE",
        "working-tree-encoding=UTF-16", "working-tree-encoding=ISO-8859-1", "working-tree-encoding=windows-1252",
        "working-tree-encoding=UTF-32BE", "working-tree-encoding=utf8", "working-tree-encoding=UTF-16BE-BOM",
        "filter=lfs", "export-ignore", "export-subst", "diff", "-diff", "mac1", "mac2", "-mac1", "text=auto eol=crlf",
        "eol=crlf ident", "!eol", "crlf=auto"};
    private static final String[] SEGMENTS = {"word", " ", "\t", "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\0", "$Id$",
        "$Id: abc $", "$Id:", "$", "\u00e9", "\u20ac", "\ud83d\ude00", "\u044f", "\u0001", "\u007f", "x y", "Id$",
        "$Format:%H$", "\u001a"};

    @TestFactory
    Stream<DynamicTest> randomCases() {
        return IntStream.range(0, CASES).mapToObj(i -> DynamicTest.dynamicTest("case " + i, () -> runCase(i)));
    }

    private static void runCase(int n) throws IOException {
        Random r = new Random(SEED + n);
        TreeSpec spec = new TreeSpec();
        List<String> used = new ArrayList<>();
        int files = 2 + r.nextInt(12);
        for (int i = 0; i < files; i++) {
            String dir = pick(r, DIRS);
            String path = (dir.isEmpty() ? "" : dir + "/") + pick(r, NAMES);
            if (used.contains(path)) {
                continue;
            }
            used.add(path);
            int kind = r.nextInt(20);
            if (kind == 0) {
                spec.symlink(path, pick(r, NAMES));
            } else if (kind == 1) {
                spec.gitlink(path, "0123456789abcdef0123456789abcdef01234567");
            } else if (kind == 2) {
                spec.put(path.getBytes(StandardCharsets.UTF_8), TreeSpec.EXEC, content(r));
            } else {
                spec.file(path, content(r));
            }
        }
        for (String dir : new String[] {"", "m", "m/sub", "m/sub/v2", "x"}) {
            if (r.nextInt(3) == 0 || (dir.isEmpty() && r.nextBoolean())) {
                StringBuilder a = new StringBuilder();
                int lines = 1 + r.nextInt(6);
                for (int l = 0; l < lines; l++) {
                    if (r.nextInt(8) == 0) {
                        a.append("[attr]").append(r.nextBoolean() ? "mac1" : "mac2").append(' ')
                                .append(pick(r, ATTRS)).append(' ').append(pick(r, ATTRS));
                    } else {
                        a.append(pick(r, PATTERNS));
                        int k = 1 + r.nextInt(3);
                        for (int j = 0; j < k; j++) {
                            a.append(' ').append(pick(r, ATTRS));
                        }
                    }
                    a.append(r.nextInt(10) == 0 ? "\r\n" : "\n");
                }
                String p = (dir.isEmpty() ? "" : dir + "/") + ".gitattributes";
                if (!used.contains(p)) {
                    used.add(p);
                    spec.file(p, a.toString());
                }
            }
        }
        ObjectId c = lab.commit(spec);
        for (String m : MODULES) {
            ArchiveLab.Outcome o = lab.assertSame(c, m, false, "random case " + n);
            outcomes.merge(o.status(), 1, Integer::sum);
        }
    }

    private static byte[] content(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int segments = r.nextInt(10) == 0 ? 0 : r.nextInt(60);
        for (int i = 0; i < segments; i++) {
            if (r.nextInt(40) == 0) {
                out.write(0x80 + r.nextInt(128)); // invalid UTF-8
            } else {
                out.writeBytes(pick(r, SEGMENTS).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
