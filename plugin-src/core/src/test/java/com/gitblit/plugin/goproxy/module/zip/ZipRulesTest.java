package com.gitblit.plugin.goproxy.module.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.module.ModuleRuleException;

/** The rules x/mod 0.7.0's vectors cannot show: the Go 1.24 vendor rule, size limits, streaming memory. */
class ZipRulesTest {

    private static MemoryFile file(String path, String content) {
        return new MemoryFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest's reproduction of x/mod's exclude_vendor_go124.txt (newer x/mod than Debian ships). */
    @Test
    void go124VendorRuleVector() throws Exception {
        List<ModuleFile> files = List.of(
                file("go.mod", "module example.com/m\n\ngo 1.24\nmodules.txt is excluded in 1.24+. See golang.org/issue/63395\n"),
                file("vendor/modules.txt", "excluded\nsee comment in isVendoredPackage and golang.org/issue/31562.\n"),
                file("vendor/example.com/x/x.go", "excluded\n"),
                file("sub/vendor/sub.txt", "excluded\n"),
                file("pkg/vendor/vendor.go", "included\nsee comment in isVendoredPackage and golang.org/issue/37397\n"));
        PreparedZip zip = ModuleZip.prepare("example.com/m", "v1.0.0", files);
        assertEquals(List.of("go.mod", "sub/vendor/sub.txt", "pkg/vendor/vendor.go"),
                zip.files().stream().map(ModuleFile::path).collect(Collectors.toList()));
        assertEquals("h1:mJR1q75yiMK6+CDw6DuhMS4v4hNoLXqkyk2Cph4VS8Q=", zip.writeTo(OutputStream.nullOutputStream()));
    }

    @Test
    void vendorRuleTableFromTheDigest() {
        String[][] rows = {
            {"vendor/modules.txt", "kept", "omitted"},
            {"vendor/foo.go", "kept", "kept"},
            {"vendor/example.com/x/x.go", "omitted", "omitted"},
            {"pkg/vendor/vendor.go", "omitted", "kept"},
            {"sub/vendor/sub.txt", "omitted", "kept"},
            {"a/vendor/x.go", "omitted", "kept"},
            {"internal/vendor/a.go", "omitted", "kept"},
            {"pkg/vendor/foo/foo.go", "omitted", "omitted"},
            {"a/vendor/b/vendor/c.go", "omitted", "omitted"},
        };
        for (String[] r : rows) {
            assertEquals(r[1], VendorRule.ORIGINAL.isVendored(r[0]) ? "omitted" : "kept", "old rule, " + r[0]);
            assertEquals(r[2], VendorRule.GO_1_24.isVendored(r[0]) ? "omitted" : "kept", "new rule, " + r[0]);
        }
    }

    @Test
    void goVersionSelectsTheVendorRule() {
        assertEquals(VendorRule.ORIGINAL, VendorRule.forGoVersion(null));
        assertEquals(VendorRule.ORIGINAL, VendorRule.forGoVersion("1.23"));
        assertEquals(VendorRule.ORIGINAL, VendorRule.forGoVersion("1.3"));
        assertEquals(VendorRule.GO_1_24, VendorRule.forGoVersion("1.24"));
        assertEquals(VendorRule.GO_1_24, VendorRule.forGoVersion("1.100"));
        assertEquals(VendorRule.GO_1_24, VendorRule.forGoVersion("2.0"));
        // go 1.24rc1 and go 1.24.0 read as 1.24 under the lax parse.
        assertEquals(VendorRule.GO_1_24, ModuleZip.vendorRuleOf(List.of(file("go.mod", "module m.com/x\ngo 1.24rc1\n"))));
        assertEquals(VendorRule.GO_1_24, ModuleZip.vendorRuleOf(List.of(file("go.mod", "module m.com/x\ngo 1.24.0\n"))));
        assertEquals(VendorRule.ORIGINAL, ModuleZip.vendorRuleOf(List.of(file("go.mod", "module m.com/x\ngo 1.24 /* x\n"))));
        assertEquals(VendorRule.ORIGINAL, ModuleZip.vendorRuleOf(List.of(file("x.go", "package x\n"))));
    }

    /** Declared sizes alone decide: a module over 500 MiB is refused without opening any file but go.mod. */
    @Test
    void oversizedModuleIsRejectedWithoutReadingContents() {
        List<ModuleFile> files = new ArrayList<>();
        files.add(file("go.mod", "module example.com/big\n"));
        for (int i = 0; i < 600; i++) {
            files.add(new SizedFile("data/blob" + i + ".bin", 1L << 20));
        }
        CheckedFiles cf = ModuleZip.check(files);
        assertFalse(cf.isValid());
        assertTrue(cf.sizeError().startsWith("module source tree too large"), cf.sizeError());
        ModuleRuleException e = assertThrows(ModuleRuleException.class,
                () -> ModuleZip.prepare("example.com/big", "v1.0.0", files));
        assertTrue(e.getMessage().contains("too large"));
    }

    @Test
    void oversizedGoModAndLicenseAreInvalid() {
        CheckedFiles cf = ModuleZip.check(List.of(new SizedFile("go.mod", (16L << 20) + 1),
                new SizedFile("LICENSE", (16L << 20) + 1), new SizedFile("sub/LICENSE", (16L << 20) + 1)));
        assertEquals(List.of("go.mod", "LICENSE"), cf.invalid().stream().map(FileProblem::path).collect(Collectors.toList()));
    }

    /** The path checks are remembered per file list (PathChecks): what depends on sizes or kinds is not. */
    @Test
    void theSameFileListWithOtherSizesOrKindsGetsItsOwnVerdict() {
        String[] paths = {"go.mod", "LICENSE", "a.go", "A.go", "vendor/x/x.go", "sub/go.mod", "sub/s.go"};
        List<ModuleFile> small = new ArrayList<>();
        List<ModuleFile> big = new ArrayList<>();
        List<ModuleFile> links = new ArrayList<>();
        ModuleFile goMod = file("go.mod", "module example.com/m\n");
        for (String p : paths) {
            small.add(p.equals("go.mod") ? goMod : new SizedFile(p, 10));
            big.add(p.equals("go.mod") ? goMod : new SizedFile(p, p.equals("LICENSE") ? (16L << 20) + 1 : 10));
            links.add(p.equals("go.mod") ? goMod
                    : p.equals("A.go") ? new MemoryFile(p, ModuleFile.Kind.SYMLINK, new byte[] {'a'}) : new SizedFile(p, 10));
        }
        for (int round = 0; round < 2; round++) {
            CheckedFiles s = ModuleZip.check(small);
            assertEquals(List.of("A.go"), s.invalid().stream().map(FileProblem::path).collect(Collectors.toList()));
            assertTrue(s.invalid().get(0).reason().contains("collision"), s.invalid().get(0).reason());
            assertEquals(List.of("vendor/x/x.go", "sub/go.mod", "sub/s.go"),
                    s.omitted().stream().map(FileProblem::path).collect(Collectors.toList()));
            assertEquals(List.of("go.mod", "LICENSE", "a.go"), s.valid().stream().map(ModuleFile::path)
                    .collect(Collectors.toList()));

            CheckedFiles b = ModuleZip.check(big);
            assertEquals(List.of("LICENSE", "A.go"), b.invalid().stream().map(FileProblem::path).collect(Collectors.toList()));
            assertTrue(b.invalid().get(0).reason().startsWith("LICENSE file too large"), b.invalid().get(0).reason());

            // A symlink's path is still checked for collisions (x/mod checks before it omits symlinks).
            CheckedFiles l = ModuleZip.check(links);
            assertEquals(List.of("A.go"), l.invalid().stream().map(FileProblem::path).collect(Collectors.toList()));
            List<ModuleFile> noCollision = new ArrayList<>(links);
            noCollision.remove(2);
            CheckedFiles n = ModuleZip.check(noCollision);
            assertEquals(List.of(), n.invalid());
            assertTrue(n.omitted().stream().anyMatch(f -> f.path().equals("A.go") && f.reason().contains("symbolic link")),
                    n.omitted().toString());
        }
    }

    @Test
    void fileLongerThanDeclaredFailsTheWrite() throws Exception {
        ModuleFile liar = new MemoryFile("a.go", "package a\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public long size() {
                return 3;
            }
        };
        PreparedZip zip = ModuleZip.prepare("example.com/m", "v1.0.0", List.of(liar));
        assertThrows(IOException.class, () -> zip.writeTo(OutputStream.nullOutputStream()));
    }

    /** A 450 MiB module streamed in a child JVM limited to 64 MiB of heap. */
    @Test
    void writingALargeModuleKeepsHeapFlat() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LargeModuleWriter.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("wrote 450 files"), out);
    }

    /** A file of a given size whose content must never be needed. */
    static final class SizedFile implements ModuleFile {
        private final String path;
        private final long size;

        SizedFile(String path, long size) {
            this.path = path;
            this.size = size;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Kind kind() {
            return Kind.REGULAR;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open() {
            throw new AssertionError("validation must not read " + path);
        }
    }

    /** Child-JVM main: writes 450 files of 1 MiB each (just under the limit) and reports the heap used. */
    public static final class LargeModuleWriter {
        public static void main(String[] args) throws Exception {
            List<ModuleFile> files = new ArrayList<>();
            files.add(file("go.mod", "module example.com/large\n"));
            for (int i = 0; i < 450; i++) {
                final int seed = i;
                files.add(new ModuleFile() {
                    @Override
                    public String path() {
                        return "blobs/" + seed + ".bin";
                    }

                    @Override
                    public Kind kind() {
                        return Kind.REGULAR;
                    }

                    @Override
                    public long size() {
                        return 1L << 20;
                    }

                    @Override
                    public InputStream open() {
                        return new InputStream() {
                            long left = 1L << 20;
                            long x = seed * 0x9E3779B97F4A7C15L + 1;

                            @Override
                            public int read() {
                                if (left-- <= 0) {
                                    return -1;
                                }
                                x ^= x << 13;
                                x ^= x >>> 7;
                                x ^= x << 17;
                                return (int) (x & 0xff);
                            }
                        };
                    }
                });
            }
            long[] bytes = {0};
            String h1 = ModuleZip.prepare("example.com/large", "v1.0.0", files).writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            });
            Runtime rt = Runtime.getRuntime();
            System.out.println("wrote " + (files.size() - 1) + " files, " + bytes[0] + " zip bytes, " + h1
                    + ", heap used " + ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MiB of max " + (rt.maxMemory() >> 20));
        }
    }
}
