package com.gitblit.plugin.goproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each state of {@link ProxyHealth} on real folders: ok; degraded with each fault and with several; down, which
 * wins over any fault. A folder that cannot be written is made so the way root cannot bypass either: it is a file.
 */
class ProxyHealthTest {
    @TempDir
    Path tmp;

    private final AtomicReference<String> down = new AtomicReference<>();
    private final AtomicReference<Boolean> upstream = new AtomicReference<>();

    private ProxyHealth health(Path ledger, Path cache, boolean withUpstream) {
        return new ProxyHealth(down::get, ledger, cache, withUpstream ? upstream::get : null);
    }

    @Test
    void okWithWritableFoldersAndNoUpstream() throws Exception {
        ProxyHealth.Report r = health(Files.createDirectories(tmp.resolve("ledger")),
                Files.createDirectories(tmp.resolve("artifacts")), false).check();
        assertEquals(ProxyHealth.Report.Status.OK, r.status());
        assertEquals(200, r.httpStatus());
        assertEquals("ok", r.line());
        try (var left = Files.list(tmp.resolve("artifacts"))) {
            assertEquals(0, left.count(), "the probe file stays behind");
        }
    }

    @Test
    void okWithoutADataFolder() {
        assertEquals("ok", health(null, null, false).check().line());
    }

    @Test
    void degradedWhileTheCacheFolderCannotBeWritten() throws Exception {
        Path ledger = Files.createDirectories(tmp.resolve("ledger"));
        Path cache = Files.writeString(tmp.resolve("artifacts"), "a file, not a folder");
        ProxyHealth.Report r = health(ledger, cache, false).check();
        assertEquals(ProxyHealth.Report.Status.DEGRADED, r.status());
        assertEquals(200, r.httpStatus());
        assertEquals("degraded: cache folder not writable", r.line());
    }

    @Test
    void degradedWithEveryFaultNamed() throws Exception {
        Path ledger = tmp.resolve("absent/ledger");
        Path cache = Files.writeString(tmp.resolve("artifacts"), "x");
        upstream.set(false);
        assertEquals("degraded: ledger folder not writable, cache folder not writable, upstream unreachable",
                health(ledger, cache, true).check().line());
    }

    @Test
    void upstreamCountsOnlyOnceAsked() throws Exception {
        ProxyHealth h = health(null, null, true);
        assertEquals("ok", h.check().line(), "no upstream request yet");
        upstream.set(false);
        assertEquals("degraded: upstream unreachable", h.check().line());
        upstream.set(true);
        assertEquals("ok", h.check().line(), "reached again");
    }

    @Test
    void downWinsOverFaults() throws Exception {
        Path cache = Files.writeString(tmp.resolve("artifacts"), "x");
        ProxyHealth h = health(null, cache, false);
        down.set("stopping");
        ProxyHealth.Report r = h.check();
        assertEquals(ProxyHealth.Report.Status.DOWN, r.status());
        assertEquals(503, r.httpStatus());
        assertEquals("down: stopping", r.line());
    }
}
