package com.gitblit.plugin.goproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log: one line per act, appended, never rewritten, and no field can forge a line. */
class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T21:00:00.123456Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    @Test
    void writesOneTabSeparatedLinePerActWithTheTime() throws Exception {
        AuditLog log = new AuditLog(data, CLOCK);
        log.append("admin", "forget", "example.com/m@v1.0.0", "forgotten (it was pinned to commit abc)");
        assertEquals("2026-12-04T21:00:00Z\tadmin\tforget\texample.com/m@v1.0.0\tforgotten (it was pinned to commit abc)\n",
                new String(Files.readAllBytes(data.resolve("audit.log")), StandardCharsets.UTF_8));
    }

    @Test
    void appendsAfterWhatIsThereAndNeverRewritesIt() throws Exception {
        Files.write(data.resolve("audit.log"), "an older line, kept as written\n".getBytes(StandardCharsets.UTF_8));
        new AuditLog(data, CLOCK).append("alice", "purge", "example.com/m in team/m.git", "2 artifact(s) removed");
        // A new instance (a restart) appends too.
        new AuditLog(data, CLOCK).append("bob", "build", "example.com/m@v1.1.0", "built");
        List<String> lines = Files.readAllLines(data.resolve("audit.log"));
        assertEquals(3, lines.size());
        assertEquals("an older line, kept as written", lines.get(0));
        assertTrue(lines.get(1).contains("\talice\tpurge\t"), lines.get(1));
        assertTrue(lines.get(2).contains("\tbob\tbuild\t"), lines.get(2));
    }

    @Test
    void controlCharactersInAFieldCannotForgeASecondLine() throws Exception {
        AuditLog log = new AuditLog(data, CLOCK);
        log.append("mallory\n2026-01-01T00:00:00Z\tadmin\tforget", "build", "x\ty", "ok\r\nmore");
        List<String> lines = Files.readAllLines(data.resolve("audit.log"));
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(5, lines.get(0).split("\t", -1).length, lines.get(0));
        assertEquals("mallory 2026-01-01T00:00:00Z admin forget", log.recent(1).get(0).who());
        assertEquals("x y", log.recent(1).get(0).target());
    }

    @Test
    void emptyFieldsAreADash() throws Exception {
        AuditLog log = new AuditLog(data, CLOCK);
        log.append(null, "purge", "", "done");
        assertEquals("-", log.recent(1).get(0).who());
        assertEquals("-", log.recent(1).get(0).target());
    }

    @Test
    void recentReadsTheNewestLinesFirstAndSkipsDamagedOnes() throws Exception {
        AuditLog log = new AuditLog(data, CLOCK);
        assertTrue(log.recent(10).isEmpty(), "no file yet");
        for (int i = 0; i < 5; i++) {
            log.append("admin", "build", "example.com/m@v1.0." + i, "built");
        }
        Files.write(data.resolve("audit.log"), "edited by hand\n".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        List<AuditLog.Line> recent = log.recent(3);
        assertEquals(3, recent.size());
        assertEquals("example.com/m@v1.0.4", recent.get(0).target());
        assertEquals("example.com/m@v1.0.2", recent.get(2).target());
        assertEquals("2026-12-04T21:00:00Z", recent.get(0).time());
    }

    @Test
    void recentReadsOnlyTheEndOfALongLog() throws Exception {
        AuditLog log = new AuditLog(data, CLOCK);
        for (int i = 0; i < 1500; i++) {
            log.append("admin", "build", "example.com/m@v1.0." + i, "built");
        }
        List<AuditLog.Line> recent = log.recent(10_000);
        assertTrue(recent.size() < 1500 && recent.size() > 100, "read " + recent.size());
        assertEquals("example.com/m@v1.0.1499", recent.get(0).target());
        // The cut line at the start of the tail is dropped, not shown half.
        String oldest = recent.get(recent.size() - 1).target();
        assertTrue(oldest.matches("example\\.com/m@v1\\.0\\.\\d+"), oldest);
    }
}
