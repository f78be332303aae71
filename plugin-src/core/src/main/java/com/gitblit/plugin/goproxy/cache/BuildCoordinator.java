package com.gitblit.plugin.goproxy.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;

/**
 * One build per artifact key, however many requests ask at once, under the one {@link BuildSlots} cap.
 *
 * <p>A build writes a draft on a build thread (so it finishes, and is stored, even if the client that started
 * it goes away); every request for the same key reads that draft as it grows, so the first byte leaves before
 * the build ends and all readers get the same bytes. A failed build stores nothing and fails its readers; the
 * next request starts over. A rebuild of something the ledger knows ({@code verifyAgainst}) is checked before
 * any byte of it is served. {@link #close()} stops the build threads; a closed coordinator starts no build.
 */
public final class BuildCoordinator implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BuildCoordinator.class);

    private final ArtifactStore store;
    private final BuildSlots slots;
    private final Map<ArtifactKey, Build> inflight = new HashMap<>();
    private final AtomicInteger buildsStarted = new AtomicInteger();
    private final ExecutorService builders;
    private final ProxyMetrics metrics;
    private volatile boolean closed;

    public BuildCoordinator(ArtifactStore store, BuildSlots slots) {
        this(store, slots, ProxyMetrics.NONE);
    }

    public BuildCoordinator(ArtifactStore store, BuildSlots slots, ProxyMetrics metrics) {
        this.store = store;
        this.slots = slots;
        this.metrics = metrics;
        this.builders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "goproxy-build");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many builds this coordinator started (for tests and benchmarks). */
    public int buildsStarted() {
        return buildsStarted.get();
    }

    /**
     * The artifact of {@code key}: stored, or being built (started now if nobody else did).
     *
     * @param expectedBytes about how large it will be, so that the store makes room before the build starts
     * @throws StorageException when the store cannot take a new artifact: the caller may serve without caching
     */
    public ArtifactStream open(ArtifactKey key, String verifyAgainst, long expectedBytes, ArtifactBuilder builder)
            throws IOException, BuildsSaturatedException, BuildMismatchException {
        StoredArtifact stored = store.get(key);
        if (stored != null) {
            return ArtifactStream.ofStored(stored);
        }
        Build build;
        synchronized (inflight) {
            build = inflight.get(key);
        }
        if (build == null) {
            build = start(key, verifyAgainst, expectedBytes, builder);
            if (build == null) {
                stored = store.get(key);
                if (stored != null) {
                    return ArtifactStream.ofStored(stored);
                }
                throw new IOException("the build of " + key + " vanished");
            }
        }
        if (verifyAgainst != null) {
            // Nothing of a rebuild may be served before it is known to equal what was served before.
            StoredArtifact done = build.awaitStored();
            if (done == null) {
                if (build.mismatch != null) {
                    throw new BuildMismatchException(build.mismatch);
                }
                throw new IOException("building " + key + " failed", build.failure);
            }
            return ArtifactStream.ofStored(done);
        }
        return build.reader();
    }

    /** Starts a build of {@code key}, or joins one another caller started meanwhile; null if it already finished. */
    private Build start(ArtifactKey key, String verifyAgainst, long expectedBytes, ArtifactBuilder builder)
            throws IOException, BuildsSaturatedException {
        if (closed) {
            throw new IOException("the module service is stopped");
        }
        long queued = System.nanoTime();
        try {
            slots.acquire();
        } catch (BuildsSaturatedException e) {
            metrics.buildSlotWait(System.nanoTime() - queued, false);
            throw e;
        }
        metrics.buildSlotWait(System.nanoTime() - queued, true);
        final Build build;
        try {
            synchronized (inflight) {
                Build other = inflight.get(key);
                if (other != null) {
                    slots.release();
                    return other;
                }
                if (store.get(key) != null) {
                    slots.release();
                    return null;
                }
                build = new Build(key, store.create(key, expectedBytes));
                inflight.put(key, build);
            }
        } catch (IOException | RuntimeException e) {
            slots.release();
            throw e;
        }
        buildsStarted.incrementAndGet();
        LOG.info("goproxy: building {}", key);
        try {
            builders.execute(() -> run(build, verifyAgainst, builder));
        } catch (RuntimeException e) {
            finish(build, null, null, new IOException("the module service is stopped", e));
            throw new IOException("the module service is stopped", e);
        }
        return build;
    }

    private void run(Build build, String verifyAgainst, ArtifactBuilder builder) {
        StoredArtifact stored = null;
        String h1 = null;
        Exception failure = null;
        long started = System.nanoTime();
        try {
            h1 = builder.build(new GrowingOutput(build));
            if (verifyAgainst != null && !verifyAgainst.equals(h1)) {
                build.mismatch = build.key + ": rebuilt with " + h1 + ", first served as " + verifyAgainst;
                LOG.error("goproxy: refusing {}", build.mismatch);
                throw new IOException(build.mismatch);
            }
            stored = build.draft.publish(h1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("goproxy: building {} failed: {}", build.key, e.toString());
            failure = e;
        } finally {
            metrics.buildFinished(System.nanoTime() - started, stored != null);
            finish(build, stored, h1, failure);
        }
    }

    private void finish(Build build, StoredArtifact stored, String h1, Exception failure) {
        // Leave the in-flight table before waking anyone: a caller that saw this build end must find the
        // stored artifact or start afresh, never join a build that is over.
        synchronized (inflight) {
            inflight.remove(build.key);
        }
        slots.release();
        build.draft.close();
        if (stored != null) {
            build.succeed(stored, h1);
        } else {
            build.fail(failure != null ? failure : new IOException("build of " + build.key + " ended without a result"));
        }
    }

    /** Stops the build threads (builds in progress fail their readers); nothing starts afterwards. */
    @Override
    public void close() {
        closed = true;
        builders.shutdownNow();
        try {
            if (!builders.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("goproxy: build threads still running 10 s after the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes to the draft and wakes the readers. */
    private static final class GrowingOutput extends java.io.OutputStream {
        private final Build build;
        private final java.io.OutputStream out;

        GrowingOutput(Build build) {
            this.build = build;
            this.out = build.draft.output();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("the build of " + build.key + " was stopped");
            }
            out.write(b, off, len);
            build.grew(len);
        }
    }

    /** One build in progress: its draft, how far it got, how it ended. */
    static final class Build {
        final ArtifactKey key;
        final ArtifactDraft draft;
        private long written;
        private boolean done;
        private StoredArtifact stored;
        private String h1;
        volatile IOException failure;
        volatile String mismatch;

        Build(ArtifactKey key, ArtifactDraft draft) {
            this.key = key;
            this.draft = draft;
        }

        synchronized void grew(long n) {
            written += n;
            notifyAll();
        }

        synchronized void succeed(StoredArtifact s, String hash) {
            stored = s;
            h1 = hash;
            done = true;
            notifyAll();
        }

        synchronized void fail(Exception e) {
            failure = e instanceof IOException ? (IOException) e : new IOException(e);
            done = true;
            notifyAll();
        }

        synchronized StoredArtifact awaitStored() throws IOException {
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + key);
                }
            }
            return stored;
        }

        /** A reader of the growing draft, opened now so the bytes stay readable after the rename or a failure. */
        synchronized ArtifactStream reader() throws IOException {
            if (done) {
                if (stored == null) {
                    throw new IOException("building " + key + " failed", failure);
                }
                return ArtifactStream.ofStored(stored);
            }
            try {
                return ArtifactStream.ofBuild(this, FileChannel.open(draft.file(), StandardOpenOption.READ));
            } catch (java.nio.file.NoSuchFileException e) {
                // Published (renamed) or failed a moment ago: its outcome is the answer.
                StoredArtifact s = awaitStored();
                if (s == null) {
                    throw new IOException("building " + key + " failed", failure);
                }
                return ArtifactStream.ofStored(s);
            }
        }

        /** Blocks until more than {@code position} bytes exist or the build ended; returns the bytes available. */
        synchronized long awaitBeyond(long position) throws IOException {
            while (written <= position && !done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading " + key);
                }
            }
            if (done && stored == null) {
                throw new IOException("building " + key + " failed", failure);
            }
            return written;
        }

        synchronized boolean finished() {
            return done && stored != null;
        }

        synchronized String h1() {
            return h1;
        }
    }
}
