package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.gitblit.plugin.goproxy.testing.RequiresGlibcIconv;

/**
 * The encodings the reader re-encodes to must be byte-identical to glibc's iconv, which git uses on Linux.
 * For each one, every Unicode scalar value is converted on its own line by the real {@code iconv -c}
 * (glibc's, Debian package libc-bin), which leaves unconvertible characters out, and compared with this
 * reader's encoder: this proves both the mapping and which characters make git keep the file unconverted.
 */
@RequiresGlibcIconv
class WorkingTreeEncodingGlibcTest {
    @TempDir
    static Path tmp;
    static Path allCodePoints;

    @BeforeAll
    static void writeAllCodePoints() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int cp : scalars()) {
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        allCodePoints = tmp.resolve("all.txt");
        Files.write(allCodePoints, out.toByteArray());
    }

    private static int[] scalars() {
        List<Integer> l = new ArrayList<>();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp != '\n' && (cp < 0xD800 || cp > 0xDFFF)) {
                l.add(cp);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] iconv(String to, Path input, boolean skipInvalid) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("iconv", "-f", "UTF-8", "-t", to));
        if (skipInvalid) {
            cmd.add("-c");
        }
        cmd.add(input.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run glibc's iconv (Debian package libc-bin): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p.exitValue() == 0 || skipInvalid ? out : null;
    }

    static Stream<String> targets() {
        List<String> names = new ArrayList<>(List.of("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE"));
        names.addAll(WorkingTreeEncoding.singleByteSpellings());
        names.remove("LATIN-1"); // git's own fallback, checked below
        return names.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void everyCodePointEncodesAsGlibcDoes(String name) throws Exception {
        WorkingTreeEncoding enc = WorkingTreeEncoding.forName(name);
        assertNotNull(enc, name + " is not available in this JDK");
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        mine.writeBytes(enc.bom());
        byte[] buf = new byte[4];
        for (int cp : scalars()) {
            int n = enc.encoder().encode(cp, buf, 0);
            if (n > 0) {
                mine.write(buf, 0, n);
            }
            mine.write(buf, 0, enc.encoder().encode('\n', buf, 0));
        }
        byte[] glibc = iconv(name, allCodePoints, true);
        assertEquals(glibc.length, mine.size(), name + ": output length");
        assertArrayEquals(glibc, mine.toByteArray(), name);
    }

    @Test
    void latinDashOneIsUnknownToGlibcAndGitFallsBackToIso88591() throws Exception {
        Path sample = tmp.resolve("sample.txt");
        Files.writeString(sample, "caf\u00e9\n");
        assertNull(iconv("latin-1", sample, false), "glibc knows latin-1 after all: revisit the fallback entry");
        assertArrayEquals(iconv("ISO-8859-1", sample, false), encode(WorkingTreeEncoding.forName("latin-1"), "caf\u00e9\n"));
    }

    @Test
    void namesOutsideTheTablesAreNotGuessed() {
        for (String n : new String[] {"SHIFT-JIS", "EUC-JP", "GBK", "BIG5", "UTF-7", "UCS-2", "UTF_16", "UTF-16//IGNORE",
            "windows-1255", "windows-1258", "bogus", "UTF-16-LE-BOM"}) {
            assertNull(WorkingTreeEncoding.forName(n), n);
        }
        for (String n : new String[] {"utf8", "UTF-8", "Utf-8", "utf-8", "UTF8"}) {
            assertTrue(WorkingTreeEncoding.isUtf8(n), n);
        }
        assertEquals(2, WorkingTreeEncoding.forName("utf16le-BOM").bomLength());
        assertEquals(2, WorkingTreeEncoding.forName("UTF-16BE-BOM").bomLength());
    }

    private static byte[] encode(WorkingTreeEncoding enc, String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(enc.bom());
        byte[] buf = new byte[4];
        s.codePoints().forEach(cp -> out.write(buf, 0, enc.encoder().encode(cp, buf, 0)));
        return out.toByteArray();
    }
}
