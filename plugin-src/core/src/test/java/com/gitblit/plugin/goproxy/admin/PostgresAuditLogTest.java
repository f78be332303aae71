package com.gitblit.plugin.goproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/** The audit log of several nodes in their shared PostgreSQL database: the file log's lines, in append order. */
class PostgresAuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T21:00:00.123456Z"), ZoneOffset.UTC);
    private final PostgresServer server = PostgresServer.shared();

    @TempDir
    Path data;

    private static String text(AuditLog.Line l) {
        return l.time() + "|" + l.who() + "|" + l.action() + "|" + l.target() + "|" + l.outcome();
    }

    @Test
    void twoNodesWriteOneLogWithTheFileLogsLines() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase a = PostgresDatabase.open(url, server.passwordFile().toFile(), 2);
                PostgresDatabase b = PostgresDatabase.open(url, server.passwordFile().toFile(), 2)) {
            AuditLog nodeA = new AuditLog(new PostgresAuditStore(a), CLOCK);
            AuditLog nodeB = new AuditLog(new PostgresAuditStore(b), CLOCK);
            AuditLog file = new AuditLog(data, CLOCK);
            String[][] acts = {
                {"admin", "forget", "example.com/m@v1.0.0", "forgotten (it was pinned to commit abc)"},
                {"bob (ssh)", "purge", "example.com/m in team/m.git", "2 artifact(s) removed"},
                {"mallory\n2026-01-01T00:00:00Z\tadmin\tforget", "build", "x\ty", "ok\r\nmore"},
                {null, "verify", "", "started"},
            };
            for (int i = 0; i < acts.length; i++) {
                (i % 2 == 0 ? nodeA : nodeB).append(acts[i][0], acts[i][1], acts[i][2], acts[i][3]);
                file.append(acts[i][0], acts[i][1], acts[i][2], acts[i][3]);
            }
            List<AuditLog.Line> expected = file.recent(10);
            for (AuditLog node : new AuditLog[] {nodeA, nodeB}) {
                List<AuditLog.Line> lines = node.recent(10);
                assertEquals(expected.size(), lines.size());
                for (int i = 0; i < lines.size(); i++) {
                    assertEquals(text(expected.get(i)), text(lines.get(i)));
                }
                assertEquals(2, node.recent(2).size());
                assertEquals("-", node.recent(1).get(0).who());
            }
            assertNull(AuditLog.inDatabase(a).file());
            assertEquals(text(expected.get(0)), text(AuditLog.inDatabase(b).recent(1).get(0)));
        }
    }

    @Test
    void linesAppendedAtOnceOnTwoNodesAreAllKeptInOneOrder() throws Exception {
        String url = server.newDatabase();
        try (PostgresDatabase a = PostgresDatabase.open(url, server.passwordFile().toFile(), 2);
                PostgresDatabase b = PostgresDatabase.open(url, server.passwordFile().toFile(), 2)) {
            AuditLog[] nodes = {AuditLog.inDatabase(a), AuditLog.inDatabase(b)};
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                AuditLog log = nodes[t % 2];
                int writer = t;
                writers.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 50; i++) {
                        log.append("admin" + writer, "build", "example.com/m@v1.0." + i, "built");
                    }
                    return null;
                }));
            }
            for (Future<Void> f : writers) {
                f.get();
            }
            pool.shutdown();
            List<AuditLog.Line> fromA = nodes[0].recent(1000);
            List<AuditLog.Line> fromB = nodes[1].recent(1000);
            assertEquals(200, fromA.size());
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                assertEquals(text(fromA.get(i)), text(fromB.get(i)), "one order for every node");
                distinct.add(fromA.get(i).who() + fromA.get(i).target());
            }
            assertEquals(200, distinct.size());
            // Each writer's own lines keep their order (newest first).
            for (int t = 0; t < 4; t++) {
                int expect = 49;
                for (AuditLog.Line l : fromA) {
                    if (l.who().equals("admin" + t)) {
                        assertTrue(l.target().endsWith("." + expect), l.target());
                        expect--;
                    }
                }
                assertEquals(-1, expect);
            }
        }
    }
}
