package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.Eventually;

/** One build per key, streaming while it builds, nothing stored from a failed or contradicted build, the cap. */
class BuildCoordinatorTest {
    @TempDir
    Path tmp;

    private static ArtifactKey key(String version) {
        return new ArtifactKey("team/lib.git", "example.com/lib", version, "0123456789012345678901234567890123456789",
                ArtifactKey.Kind.ZIP);
    }

    /** Writes {@code chunks} chunks of deterministic bytes, pausing between them so readers really tail. */
    private static ArtifactBuilder slowBuilder(AtomicInteger builds, int chunks, long pauseMillis) {
        return out -> {
            builds.incrementAndGet();
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = new byte[8192];
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) (i * 31 + j);
                }
                out.write(chunk);
                sleep(pauseMillis);
            }
            return "h1:test";
        };
    }

    @Test
    void sixtyFourConcurrentColdRequestsShareOneBuild() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        BuildCoordinator coordinator = new BuildCoordinator(store, new BuildSlots(4, 5000));
        AtomicInteger builds = new AtomicInteger();
        ArtifactBuilder builder = slowBuilder(builds, 40, 5);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> bodies = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            bodies.add(pool.submit(() -> {
                go.await();
                try (ArtifactStream s = coordinator.open(key("v1.0.0"), null, 0, builder)) {
                    return readAll(s.stream());
                }
            }));
        }
        go.countDown();
        byte[] first = bodies.get(0).get(60, TimeUnit.SECONDS);
        assertEquals(40 * 8192, first.length);
        for (Future<byte[]> f : bodies) {
            assertArrayEquals(first, f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, builds.get());
        assertEquals(1, coordinator.buildsStarted());
        assertNotNull(store.get(key("v1.0.0")));
        assertEquals("h1:test", store.get(key("v1.0.0")).h1());
    }

    @Test
    void firstBytesLeaveBeforeTheBuildEnds() throws Exception {
        BuildCoordinator coordinator = new BuildCoordinator(new FileArtifactStore(tmp, 1L << 30), new BuildSlots(2, 1000));
        CountDownLatch release = new CountDownLatch(1);
        ArtifactBuilder builder = out -> {
            out.write(new byte[] {1, 2, 3});
            await(release);
            out.write(new byte[] {4});
            return "h1:x";
        };
        try (ArtifactStream s = coordinator.open(key("v1.0.0"), null, 0, builder)) {
            assertTrue(s.isLive());
            InputStream in = s.stream();
            byte[] b = new byte[3];
            assertEquals(3, in.read(b));
            assertArrayEquals(new byte[] {1, 2, 3}, b);
            release.countDown();
            assertEquals(4, in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void failedBuildFailsItsReadersStoresNothingAndIsRetried() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        BuildCoordinator coordinator = new BuildCoordinator(store, new BuildSlots(2, 1000));
        ArtifactBuilder failing = out -> {
            out.write(new byte[1000]);
            sleep(50);
            throw new IOException("disk on fire");
        };
        try (ArtifactStream s = coordinator.open(key("v1.0.0"), null, 0, failing)) {
            assertThrows(IOException.class, () -> readAll(s.stream()));
        }
        waitForNoTempFiles();
        assertNull(store.get(key("v1.0.0")));
        AtomicInteger builds = new AtomicInteger();
        try (ArtifactStream s = coordinator.open(key("v1.0.0"), null, 0, slowBuilder(builds, 2, 0))) {
            assertEquals(2 * 8192, readAll(s.stream()).length);
        }
        assertEquals(1, builds.get());
    }

    @Test
    void rebuildThatContradictsTheLedgerIsNeitherServedNorStored() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        BuildCoordinator coordinator = new BuildCoordinator(store, new BuildSlots(2, 1000));
        AtomicInteger builds = new AtomicInteger();
        assertThrows(BuildMismatchException.class,
                () -> coordinator.open(key("v1.0.0"), "h1:recorded", 0, slowBuilder(builds, 3, 0)));
        assertNull(store.get(key("v1.0.0")));
        try (ArtifactStream s = coordinator.open(key("v1.0.0"), "h1:test", 0, slowBuilder(builds, 3, 0))) {
            assertFalse(s.isLive(), "a verified rebuild is served only once stored");
            assertEquals(3 * 8192, readAll(s.stream()).length);
        }
    }

    @Test
    void buildCapAnswersSaturatedAfterTheBoundedWait() throws Exception {
        BuildCoordinator coordinator = new BuildCoordinator(new FileArtifactStore(tmp, 1L << 30), new BuildSlots(1, 200));
        CountDownLatch release = new CountDownLatch(1);
        ArtifactBuilder blocked = out -> {
            await(release);
            return "h1:a";
        };
        try (ArtifactStream held = coordinator.open(key("v1.0.0"), null, 0, blocked)) {
            long start = System.nanoTime();
            BuildsSaturatedException e = assertThrows(BuildsSaturatedException.class,
                    () -> coordinator.open(key("v2.0.0"), null, 0, blocked));
            assertTrue(e.retryAfterSeconds() >= 1);
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
            release.countDown();
            readAll(held.stream());
        }
    }

    @Test
    void evictsLeastRecentlyUsedBeyondTheLimit() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 3 * 8192 + 100);
        BuildCoordinator coordinator = new BuildCoordinator(store, new BuildSlots(2, 1000));
        AtomicInteger builds = new AtomicInteger();
        for (String v : new String[] {"v1.0.0", "v1.1.0"}) {
            try (ArtifactStream s = coordinator.open(key(v), null, 0, slowBuilder(builds, 2, 0))) {
                readAll(s.stream());
            }
        }
        assertNull(store.get(key("v1.0.0")), "the older artifact is evicted");
        assertNotNull(store.get(key("v1.1.0")));
        assertTrue(store.size() <= 3 * 8192 + 100);
    }

    @Test
    void purgeRemovesOnlyThatRepository() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        BuildCoordinator coordinator = new BuildCoordinator(store, new BuildSlots(2, 1000));
        AtomicInteger builds = new AtomicInteger();
        ArtifactKey other = new ArtifactKey("other.git", "example.com/other", "v1.0.0", "ab", ArtifactKey.Kind.ZIP);
        for (ArtifactKey k : new ArtifactKey[] {key("v1.0.0"), other}) {
            try (ArtifactStream s = coordinator.open(k, null, 0, slowBuilder(builds, 1, 0))) {
                readAll(s.stream());
            }
        }
        store.purgeRepository("team/lib.git");
        assertNull(store.get(key("v1.0.0")));
        assertNotNull(store.get(other));
    }

    @Test
    void staleTempFilesFromACrashAreNeverServedAndAreCleaned() throws Exception {
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        ArtifactDraft draft = store.create(key("v1.0.0"), 3);
        Path half = draft.file();
        draft.output().write(new byte[] {9, 9, 9});
        ArtifactStore reopened = new FileArtifactStore(tmp, 1L << 30);
        assertNull(reopened.get(key("v1.0.0")));
        assertFalse(Files.exists(half));
    }

    /** A build killed with SIGKILL mid-way (a child JVM) leaves nothing that is served; the next one rebuilds. */
    @Test
    void killedBuildLeavesNothingServed() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EndlessBuild.class.getName(), tmp.toString()).redirectErrorStream(true).start();
        InputStream out = child.getInputStream();
        StringBuilder seen = new StringBuilder();
        int c;
        while ((c = out.read()) >= 0 && !seen.toString().contains("building")) {
            seen.append((char) c);
        }
        // Killed once its temp file holds bytes: the crash this test is about is one in the middle of a write.
        Eventually.within(Duration.ofSeconds(30)).describing(() -> tempFiles().toString())
                .until("the child's build to write into its temp file",
                        () -> tempFiles().stream().anyMatch(BuildCoordinatorTest::nonEmpty));
        assertTrue(child.destroyForcibly().waitFor(30, TimeUnit.SECONDS), "the child JVM ended after SIGKILL");
        try (Stream<Path> files = Files.walk(tmp)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".tmp")), "the killed build left its temp file");
        }
        ArtifactStore store = new FileArtifactStore(tmp, 1L << 30);
        assertNull(store.get(key("v1.0.0")));
        AtomicInteger builds = new AtomicInteger();
        try (ArtifactStream s = new BuildCoordinator(store, new BuildSlots(1, 1000)).open(key("v1.0.0"), null, 0, slowBuilder(builds, 1, 0))) {
            assertEquals(8192, readAll(s.stream()).length);
        }
        assertEquals(1, builds.get());
    }

    /** Child-JVM main: starts a build that never ends. */
    public static final class EndlessBuild {
        public static void main(String[] args) throws Exception {
            ArtifactStore store = new FileArtifactStore(Path.of(args[0]), 1L << 30);
            ArtifactStream s = new BuildCoordinator(store, new BuildSlots(1, 1000)).open(key("v1.0.0"), null, 0, out -> {
                System.out.println("building");
                System.out.flush();
                while (true) {
                    out.write(new byte[4096]);
                    sleep(10);
                }
            });
            readAll(s.stream());
        }
    }

    /** A failed build's temp file is deleted by its builder thread, a moment after its readers saw the failure. */
    private void waitForNoTempFiles() {
        Eventually.within(Duration.ofSeconds(10)).describing(() -> tempFiles().toString())
                .until("no temp files under " + tmp, () -> tempFiles().isEmpty());
    }

    private List<Path> tempFiles() {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(p -> p.toString().endsWith(".tmp")).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false; // renamed or deleted meanwhile
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) > 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

}
