package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * 100 MiB files, converted and not, read by the reader in a JVM whose heap (48 MiB) is smaller than one
 * file, and compared with the real git archive: proves the bytes and the constant-memory streaming,
 * including an {@code $Id:} keyword whose closing {@code $} is megabytes away.
 */
@RequiresGitCli
@Tag("jgit")
class GitArchiveLargeFileTest {
    private static final long SIZE = 100L << 20;

    /** Deterministic text: numbered lines, mostly LF, a few CRLF; a far-reaching $Id: near the middle. */
    private static InputStream content(boolean keyword) {
        return new InputStream() {
            private long pos;
            private byte[] line = new byte[0];
            private int linePos;
            private long lineNo;

            @Override
            public int read() {
                if (pos >= SIZE) {
                    return -1;
                }
                if (linePos == line.length) {
                    String l;
                    if (keyword && lineNo == 500_000) {
                        l = "$Id: " + "k".repeat(3 << 20) + " $\n"; // replaced: one line, no space inside
                    } else if (keyword && lineNo == 700_000) {
                        l = "$Id$ line\n";
                    } else {
                        l = "line " + lineNo + (lineNo % 5 == 0 ? " crlf\r\n" : " lf\n");
                    }
                    lineNo++;
                    line = l.getBytes(StandardCharsets.US_ASCII);
                    linePos = 0;
                }
                pos++;
                return line[linePos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= SIZE) {
                    return -1;
                }
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        break;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
    }

    @Test
    void hundredMegabyteFilesStreamInASmallHeap(@TempDir Path tmp) throws Exception {
        try (ArchiveLab lab = new ArchiveLab(tmp)) {
            ObjectId converted;
            ObjectId raw;
            try (ObjectInserter ins = lab.repository().newObjectInserter()) {
                converted = ins.insert(Constants.OBJ_BLOB, SIZE, content(true));
                raw = ins.insert(Constants.OBJ_BLOB, SIZE, content(false));
                ins.flush();
            }
            ObjectId commit = lab.commit(new TreeSpec().file(".gitattributes", "*.c text eol=crlf ident\n")
                    .putId("m/big.c".getBytes(), TreeSpec.FILE, converted).putId("m/big.raw".getBytes(), TreeSpec.FILE, raw)
                    .file("LICENSE", "L\n"));

            ArchiveLab.Outcome want = lab.oracle(commit, "m");
            List<String> wantLines = new ArrayList<>();
            for (ArchiveLab.FileView f : want.files()) {
                wantLines.add(f.name() + "\t" + f.size() + "\t" + HexFormat.of().formatHex(f.sha256()) + "\t" + f.size());
            }
            assertTrue(want.files().get(0).size() > SIZE, "the converted file grew (CRs added)");

            List<String> got = probe(tmp, commit, "m");
            assertEquals(wantLines, got);
        }
    }

    private static List<String> probe(Path tmp, ObjectId commit, String dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                StreamingProbe.class.getName(), tmp.resolve("server.git").toString(), commit.name(), dir)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return List.of(out.strip().split("\n"));
    }
}
