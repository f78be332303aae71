package com.gitblit.plugin.goproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.testing.StaticGoProxy;

/**
 * The dependency proxy's source over a real upstream (a static GOPROXY tree on Jetty), a real ledger and store,
 * without a checksum database: what is cached for how long, what stands in when the upstream is down, and what a
 * kept version does when the upstream changes.
 */
class UpstreamModulesTest {
    private static final StaticGoProxy.Version V1 = new StaticGoProxy.Version("example.org/m", "v1.0.0",
            "module example.org/m\n", Collections.singletonMap("m.go", "package m\n"));

    @TempDir
    Path tmp;
    private StaticGoProxy upstream;
    private FileVersionLedger ledger;
    private FileArtifactStore store;

    @BeforeEach
    void start() throws Exception {
        upstream = StaticGoProxy.start();
        V1.publish(upstream, "v1.0.0");
        ledger = new FileVersionLedger(tmp.resolve("ledger"));
        store = new FileArtifactStore(tmp.resolve("kept"), Long.MAX_VALUE);
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
    }

    private UpstreamModules modules(long ttlMillis) throws Exception {
        UpstreamSettings s = UpstreamSettings.builder(UpstreamList.parse(upstream.url()))
                .sumdbs(Collections.<SumdbSetting>emptyList()).metadataTtlMillis(ttlMillis).timeouts(1000, 2000).build();
        return new UpstreamModules(s, ledger, store, tmp.resolve("spool"));
    }

    @Test
    void listsAreReusedForTheTtlAndStaleOnesStandInWhenTheUpstreamFails() throws Exception {
        UpstreamModules m = modules(60_000);
        assertEquals("v1.0.0\n", text(m.list("example.org/m")));
        assertEquals("v1.0.0\n", text(m.list("example.org/m")));
        assertEquals(1, upstream.count("/example.org/m/@v/list"));

        UpstreamModules expired = modules(0);
        expired.list("example.org/m");
        upstream.failWith(502);
        assertEquals("v1.0.0\n", text(expired.list("example.org/m")), "stale answer while the upstream fails");
    }

    @Test
    void notFoundIsCachedToo() throws Exception {
        UpstreamModules m = modules(60_000);
        UpstreamException e = assertThrows(UpstreamException.class, () -> m.list("example.org/none"));
        assertEquals(UpstreamException.Kind.NOT_FOUND, e.kind());
        assertThrows(UpstreamException.class, () -> m.list("example.org/none"));
        assertEquals(1, upstream.count("/example.org/none/@v/list"));
    }

    @Test
    void withNothingCachedTheKeptVersionsAreTheList() throws Exception {
        UpstreamModules m = modules(0);
        m.zip("example.org/m", "v1.0.0");
        upstream.failWith(503);
        assertEquals("v1.0.0\n", text(modules(0).list("example.org/m")));
        UpstreamException e = assertThrows(UpstreamException.class, () -> modules(0).list("example.org/other"));
        assertEquals(UpstreamException.Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void aKeptVersionIsServedAndNeverReplaced() throws Exception {
        UpstreamModules m = modules(0);
        StoredArtifact first = m.zip("example.org/m", "v1.0.0");
        assertArrayEquals(V1.zip, bytes(first));
        assertTrue(m.info("example.org/m", "v1.0.0").length > 0);
        upstream.stop();
        try {
            assertArrayEquals(V1.zip, bytes(modules(0).zip("example.org/m", "v1.0.0")));
            assertTrue(text(modules(0).info("example.org/m", "v1.0.0")).contains("\"v1.0.0\""));
        } finally {
            upstream.restart();
        }
        // The kept file is lost and the upstream now has other bytes: they are refused, not served, not kept.
        store.forget(new ArtifactKey(UpstreamModules.REPOSITORY_KEY, "example.org/m", "v1.0.0", "upstream",
                ArtifactKey.Kind.ZIP));
        StaticGoProxy.Version changed = new StaticGoProxy.Version("example.org/m", "v1.0.0", "module example.org/m\n",
                Collections.singletonMap("m.go", "package m // changed\n"));
        upstream.put("/example.org/m/@v/v1.0.0.zip", changed.zip);
        UpstreamException e = assertThrows(UpstreamException.class, () -> modules(0).zip("example.org/m", "v1.0.0"));
        assertEquals(UpstreamException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("than were first served"), e.getMessage());
    }

    @Test
    void aZipTheGoCommandCouldNotExtractIsRefused() throws Exception {
        upstream.put("/example.org/m/@v/v1.0.0.zip", StaticGoProxy.Version.class.getSimpleName()
                .getBytes(StandardCharsets.UTF_8));
        UpstreamException e = assertThrows(UpstreamException.class, () -> modules(0).zip("example.org/m", "v1.0.0"));
        assertEquals(UpstreamException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().startsWith("not found: example.org/m@v1.0.0: the upstream zip is refused: "),
                e.getMessage());
        assertEquals(0, store.size(), "the refused zip's draft is gone");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(tmp.resolve("kept"))) {
            assertEquals(0, files.filter(java.nio.file.Files::isRegularFile).count());
        }
    }

    @Test
    void aGoModOverTheLimitIsRefusedWithoutBeingKept() throws Exception {
        byte[] huge = new byte[(16 << 20) + 1];
        java.util.Arrays.fill(huge, (byte) '/');
        upstream.put("/example.org/m/@v/v1.0.0.mod", huge);
        UpstreamException e = assertThrows(UpstreamException.class, () -> modules(0).mod("example.org/m", "v1.0.0"));
        assertEquals(UpstreamException.Kind.REFUSED, e.kind());
        assertEquals("not found: the upstream's answer is too large (16777217 bytes; limit is 16777216)", e.getMessage());
        assertEquals(null, ledger.find("example.org/m", "v1.0.0"));
        try (java.util.stream.Stream<Path> spool = java.nio.file.Files.list(tmp.resolve("spool"))) {
            assertEquals(0, spool.count(), "the spooled file is gone");
        }
    }

    @Test
    void denyWinsOverAllow() throws Exception {
        UpstreamSettings s = UpstreamSettings.builder(UpstreamList.parse(upstream.url()))
                .allow(ModulePatterns.parse("example.org")).deny(ModulePatterns.parse("example.org/m/internal"))
                .sumdbs(Collections.<SumdbSetting>emptyList()).build();
        UpstreamModules m = new UpstreamModules(s, ledger, store, tmp.resolve("spool"));
        assertEquals(null, m.refusal("example.org/m"));
        assertEquals("not found: example.org/m/internal/x: matches goproxy.upstreamDeny pattern example.org/m/internal",
                m.refusal("example.org/m/internal/x"));
        assertEquals("not found: example.com/m: not matched by goproxy.upstreamAllow", m.refusal("example.com/m"));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(StoredArtifact a) throws Exception {
        try (InputStream in = a.open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
