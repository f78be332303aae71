package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/** The checksum log on disk: append-only, its root RFC 6962's, and a crash never leaves it torn. */
class ChecksumLogTest {
    @TempDir
    Path dir;

    @Test
    void rootsAreRfc6962sOverTheRecordsAtEverySize() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertArrayEquals(new byte[32], log.tree().root(), "the empty tree, as x/mod's tlog has it");
            for (int i = 0; i < 70; i++) {
                String text = record(i);
                assertEquals(i, log.append(List.of(text))[0]);
                leaves.add(Tlog.recordHash(text.getBytes(StandardCharsets.UTF_8)));
                assertArrayEquals(naiveRoot(leaves, 0, leaves.size()), log.tree().root(), "tree of " + (i + 1));
                assertEquals(StoredHashes.count(i + 1) * 32, Files.size(dir.resolve("hashes")));
            }
            assertEquals(17, log.find("example.com/m17", "v1.0.17"));
            assertEquals(-1, log.find("example.com/m17", "v1.0.18"));
            assertEquals(record(17), log.record(17));
            assertArrayEquals(new long[] {17, 70, 70}, log.append(List.of(record(17), record(70), record(70))),
                    "a version already in the log keeps its record, within one batch too");
        }
    }

    @Test
    void reopeningKeepsTheTreeAndDropsWhatWasNeverCommitted() throws Exception {
        TreeHead before;
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(record(i));
            }
            log.append(batch);
            before = log.tree();
        }
        // A crash after the data files grew but before the tree file was replaced: torn tails in all three.
        for (String f : List.of("records", "offsets", "hashes")) {
            try (FileChannel ch = FileChannel.open(dir.resolve(f), StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
            }
        }
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertEquals(10, log.tree().size());
            assertArrayEquals(before.root(), log.tree().root());
            assertEquals(10, log.append(List.of(record(10)))[0], "appending goes on where the commit ended");
            assertEquals(record(10), log.record(10));
        }
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertEquals(11, log.tree().size());
            assertEquals(3, log.find("example.com/m3", "v1.0.3"));
        }
    }

    @Test
    void addedRecordsEnterTheTreeAtTheNextCommitAndAreLostHarmlesslyWithoutOne() throws Exception {
        byte[] crashedTree;
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            log.append(List.of(record(0)));
            assertArrayEquals(new long[] {1, 2}, log.add(List.of(record(1), record(2))));
            assertEquals(2, log.find("example.com/m2", "v1.0.2"), "found at once");
            assertEquals(1, log.tree().size(), "but not in the tree (nor a signed head) yet");
            assertEquals(3, log.size());
            assertEquals(2, log.entries(0, 3).get(2).id);
            assertEquals(record(2), log.entries(1, 2).get(1).text);
            crashedTree = Files.readAllBytes(dir.resolve("tree"));
        }
        // A clean stop commits them; a crash before the commit leaves the old tree file (put back here).
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertEquals(3, log.tree().size(), "a clean stop commits what was written");
        }
        Files.write(dir.resolve("tree"), crashedTree);
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertEquals(1, log.tree().size(), "never committed: gone, as if never appended");
            assertEquals(-1, log.find("example.com/m1", "v1.0.1"));
            log.add(List.of(record(1), record(2)));
            log.commit();
            assertEquals(3, log.tree().size());
        }
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            assertEquals(3, log.tree().size());
        }
    }

    @Test
    void aLogWhoseHashesContradictItsRootOrThatLostDataIsRefused() throws Exception {
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            log.append(List.of(record(0), record(1), record(2)));
        }
        byte[] hashes = Files.readAllBytes(dir.resolve("hashes"));
        byte[] bad = hashes.clone();
        bad[5] ^= 1;
        Files.write(dir.resolve("hashes"), bad);
        SumdbException e = assertThrows(SumdbException.class, () -> ChecksumLog.open(dir).close());
        assertTrue(e.getMessage().contains("record 0 does not match its stored hashes"), e.getMessage());
        Files.write(dir.resolve("hashes"), hashes);
        byte[] records = Files.readAllBytes(dir.resolve("records"));
        byte[] altered = new String(records, StandardCharsets.ISO_8859_1).replace("h1:1=", "h1:9=")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("records"), altered);
        e = assertThrows(SumdbException.class, () -> ChecksumLog.open(dir).close());
        assertTrue(e.getMessage().contains("record 1 does not match"), e.getMessage());
        Files.write(dir.resolve("records"), records);
        ChecksumLog.open(dir).close();
        Files.write(dir.resolve("hashes"), Arrays.copyOf(hashes, 32));
        e = assertThrows(SumdbException.class, () -> ChecksumLog.open(dir).close());
        assertTrue(e.getMessage().contains("restore it from a backup"), e.getMessage());
    }

    private static String record(int i) {
        return "example.com/m" + i + " v1.0." + i + " h1:" + i + "=\nexample.com/m" + i + " v1.0." + i
                + "/go.mod h1:g" + i + "=\n";
    }

    /** RFC 6962 section 2.1, straight from the definition. */
    private static byte[] naiveRoot(List<byte[]> leaves, int lo, int hi) {
        if (hi - lo == 1) {
            return leaves.get(lo);
        }
        int k = Integer.highestOneBit(hi - lo - 1);
        return Tlog.nodeHash(naiveRoot(leaves, lo, lo + k), naiveRoot(leaves, lo + k, hi));
    }
}
