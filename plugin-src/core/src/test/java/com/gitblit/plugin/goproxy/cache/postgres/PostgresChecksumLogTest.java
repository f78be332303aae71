package com.gitblit.plugin.goproxy.cache.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.ChecksumLog;
import com.gitblit.plugin.goproxy.cache.FileChecksumLog;
import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/**
 * The checksum database's log in a real PostgreSQL server: the same tree, stored hashes and records as the file log
 * (whose layout x/mod's own tlog checks in ChecksumLogXmodTest) for the same appends, and one consistent tree when
 * two nodes append at once.
 */
class PostgresChecksumLogTest {
    private final PostgresServer server = PostgresServer.shared();

    @TempDir
    Path tmp;

    private PostgresDatabase open(String url) throws Exception {
        return PostgresDatabase.open(url, server.passwordFile().toFile(), 4);
    }

    private static String record(String path, String version, Random random) {
        return path + " " + version + " h1:" + Long.toHexString(random.nextLong()) + "=\n" + path + " " + version
                + "/go.mod h1:" + Long.toHexString(random.nextLong()) + "=\n";
    }

    @Test
    void theSameAppendsGiveTheFileLogsTreeHashesAndRecords() throws Exception {
        Random random = new Random(7);
        try (PostgresDatabase db = open(server.newDatabase());
                FileChecksumLog file = FileChecksumLog.open(tmp.resolve("log"))) {
            PostgresChecksumLog shared = new PostgresChecksumLog(db);
            assertEquals(file.tree().noteText(), shared.tree().noteText(), "the empty tree");
            List<String> all = new ArrayList<>();
            int id = 0;
            while (id < 3000) {
                List<String> batch = new ArrayList<>();
                for (int k = 1 + random.nextInt(300); k > 0 && id < 3000; k--, id++) {
                    batch.add(record("git.example.com/p" + random.nextInt(50) + "/m" + id, "v1.0." + id, random));
                    if (!all.isEmpty() && random.nextInt(20) == 0) {
                        // A version logged already (earlier, or earlier in this batch) keeps its record.
                        batch.add(all.get(random.nextInt(all.size())));
                    }
                    all.add(batch.get(batch.size() - 1));
                }
                if (random.nextBoolean()) {
                    assertArrayEquals(file.append(batch), shared.append(batch));
                } else {
                    for (String text : batch) {
                        ChecksumLog.Added a = file.add(text);
                        file.commit();
                        ChecksumLog.Added b = shared.add(text);
                        assertEquals(a.id, b.id);
                        assertEquals(a.appended, b.appended, text);
                    }
                }
                assertEquals(file.tree().noteText(), shared.tree().noteText());
            }
            long n = file.tree().size();
            assertEquals(3000, n);
            int count = (int) StoredHashes.count(n);
            assertArrayEquals(file.hashes(0, count), shared.hashes(0, count), "every stored hash");
            List<ChecksumLog.Entry> a = file.entries(0, (int) n);
            List<ChecksumLog.Entry> b = shared.entries(0, (int) n);
            long last = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(a.get(i).text, b.get(i).text);
                assertEquals(i, b.get(i).id);
                assertTrue(b.get(i).micros > last, "times increase along the log");
                last = b.get(i).micros;
                assertEquals(a.get(i).text, shared.record(i));
            }
            assertEquals(1234, shared.find(a.get(1234).text.split(" ")[0], "v1.0.1234"));
            assertEquals(-1, shared.find("git.example.com/nope", "v1.0.0"));
            assertEquals(0, shared.firstAtOrAfter(0));
            assertEquals(1500, shared.firstAtOrAfter(b.get(1500).micros));
            assertEquals(1501, shared.firstAtOrAfter(b.get(1500).micros + 1));
            assertEquals(n, shared.firstAtOrAfter(last + 1));
            assertThrows(IllegalArgumentException.class, () -> shared.record(n));
        }
    }

    @Test
    void twoNodesAppendingAtOnceBuildOneTreeWithEachVersionOnce() throws Exception {
        String url = server.newDatabase();
        int versions = 600;
        try (PostgresDatabase nodeA = open(url); PostgresDatabase nodeB = open(url)) {
            List<String> texts = new ArrayList<>();
            Random random = new Random(11);
            for (int i = 0; i < versions; i++) {
                texts.add(record("git.example.com/team/m" + (i % 17), "v1." + i + ".0", random));
            }
            PostgresChecksumLog[] nodes = {new PostgresChecksumLog(nodeA), new PostgresChecksumLog(nodeB)};
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                PostgresChecksumLog log = nodes[t % 2];
                List<String> mine = new ArrayList<>(texts);
                Collections.shuffle(mine, new Random(t));
                boolean batches = t >= 4;
                threads.add(pool.submit((Callable<Integer>) () -> {
                    int appended = 0;
                    if (batches) {
                        for (int i = 0; i < mine.size(); i += 25) {
                            log.append(mine.subList(i, Math.min(mine.size(), i + 25)));
                        }
                        return 0;
                    }
                    for (String text : mine) {
                        appended += log.add(text).appended ? 1 : 0;
                    }
                    return appended;
                }));
            }
            for (Future<Integer> f : threads) {
                f.get();
            }
            pool.shutdown();
            TreeHead tree = nodes[0].tree();
            assertEquals(versions, tree.size(), "each version once");
            assertEquals(tree.noteText(), nodes[1].tree().noteText());
            // Every stored hash and the root, recomputed from the records alone in their log order.
            List<ChecksumLog.Entry> entries = nodes[1].entries(0, versions);
            Set<String> seen = new HashSet<>();
            try (FileChecksumLog check = FileChecksumLog.open(tmp.resolve("check"))) {
                long last = 0;
                for (ChecksumLog.Entry e : entries) {
                    assertTrue(seen.add(e.text), "logged twice: " + e.text);
                    assertTrue(e.micros > last, "times increase along the log");
                    last = e.micros;
                    check.append(Collections.singletonList(e.text));
                }
                assertEquals(check.tree().noteText(), tree.noteText());
                int count = (int) StoredHashes.count(versions);
                assertArrayEquals(check.hashes(0, count), nodes[0].hashes(0, count));
            }
            assertEquals(new HashSet<>(texts), seen);
        }
    }

    @Test
    void recordTimesKeepIncreasingAfterANodeWithAClockAhead() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase db = open(url)) {
            PostgresChecksumLog log = new PostgresChecksumLog(db);
            Random random = new Random(3);
            log.add(record("git.example.com/a", "v1.0.0", random));
            // A node whose clock runs an hour ahead appended last.
            long ahead = System.currentTimeMillis() * 1000 + 3_600_000_000L;
            String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            server.sql(name, "UPDATE goproxy_sumdb_tree SET last_micros = " + ahead);
            log.add(record("git.example.com/b", "v1.0.0", random));
            log.add(record("git.example.com/c", "v1.0.0", random));
            List<ChecksumLog.Entry> e = log.entries(0, 3);
            assertEquals(ahead + 1, e.get(1).micros);
            assertEquals(ahead + 2, e.get(2).micros);
        }
    }
}
