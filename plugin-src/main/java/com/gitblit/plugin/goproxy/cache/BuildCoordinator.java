package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build per artifact key, however many requests ask at once, and at most N builds at a time.
 *
 * <p>A build writes a temp file on a build thread (so it finishes, and is stored, even if the client that
 * started it goes away); every request for the same key reads that file as it grows, so the first byte leaves
 * before the build ends and all readers get the same bytes. A failed build stores nothing and fails its readers;
 * the next request starts over. A rebuild of something the ledger knows ({@code verifyAgainst}) is checked
 * before any byte of it is served. Callers beyond the cap wait, bounded, then get {@link BuildsSaturatedException}.
 */
public final class BuildCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(BuildCoordinator.class);

    private final ArtifactStore store;
    private final Semaphore slots;
    private final long queueTimeoutMillis;
    private final Map<ArtifactKey, Build> inflight = new HashMap<>();
    private final AtomicInteger buildsStarted = new AtomicInteger();
    private final ExecutorService builders;

    public BuildCoordinator(ArtifactStore store, int maxConcurrentBuilds, long queueTimeoutMillis) {
        this.store = store;
        this.slots = new Semaphore(Math.max(1, maxConcurrentBuilds), true);
        this.queueTimeoutMillis = queueTimeoutMillis;
        this.builders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "goproxy-build");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Stops the build threads. Builds still running are interrupted and store nothing; their readers fail. Waits a
     * little for the threads to end, so that a host that stops the proxy finds no thread of it left.
     */
    public void close() {
        builders.shutdownNow();
        try {
            if (!builders.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("goproxy: module builds still running 10 s after the proxy stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many builds this coordinator started (for tests and benchmarks). */
    public int buildsStarted() {
        return buildsStarted.get();
    }

    public ArtifactStream open(ArtifactKey key, String verifyAgainst, ArtifactBuilder builder)
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
            build = start(key, verifyAgainst, builder);
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
    private Build start(ArtifactKey key, String verifyAgainst, ArtifactBuilder builder)
            throws IOException, BuildsSaturatedException {
        try {
            if (!slots.tryAcquire(queueTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new BuildsSaturatedException("all build slots are busy",
                        Math.max(1, TimeUnit.MILLISECONDS.toSeconds(queueTimeoutMillis)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildsSaturatedException("interrupted while waiting for a build slot", 1);
        }
        final Build build;
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
            build = new Build(key, store.newTempFile(key));
            inflight.put(key, build);
        }
        buildsStarted.incrementAndGet();
        LOG.info("goproxy: building {}", key);
        builders.execute(() -> run(build, verifyAgainst, builder));
        return build;
    }

    private void run(Build build, String verifyAgainst, ArtifactBuilder builder) {
        StoredArtifact stored = null;
        String h1 = null;
        Exception failure = null;
        try {
            try (FileChannel ch = FileChannel.open(build.tmp, StandardOpenOption.WRITE)) {
                h1 = builder.build(new GrowingFileOutput(ch, build));
                ch.force(true);
            }
            if (verifyAgainst != null && !verifyAgainst.equals(h1)) {
                build.mismatch = build.key + ": rebuilt with " + h1 + ", first served as " + verifyAgainst;
                LOG.error("goproxy: refusing {}", build.mismatch);
                throw new IOException(build.mismatch);
            }
            stored = store.publish(build.key, build.tmp, h1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("goproxy: building {} failed: {}", build.key, e.toString());
            failure = e;
        } finally {
            // Leave the in-flight table before waking anyone: a caller that saw this build end must find the
            // stored artifact or start afresh, never join a build that is over.
            synchronized (inflight) {
                inflight.remove(build.key);
            }
            slots.release();
            try {
                Files.deleteIfExists(build.tmp);
            } catch (IOException e) {
                LOG.warn("goproxy: could not delete {}: {}", build.tmp, e.toString());
            }
            if (stored != null) {
                build.succeed(stored, h1);
            } else {
                build.fail(failure != null ? failure : new IOException("build of " + build.key + " ended without a result"));
            }
        }
    }

    /** Counts bytes as they reach the temp file and wakes the readers. */
    private static final class GrowingFileOutput extends OutputStream {
        private final FileChannel ch;
        private final Build build;

        GrowingFileOutput(FileChannel ch, Build build) {
            this.ch = ch;
            this.build = build;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            build.grew(len);
        }
    }

    /** One build in progress: its temp file, how far it got, how it ended. */
    static final class Build {
        final ArtifactKey key;
        final Path tmp;
        private long written;
        private boolean done;
        private StoredArtifact stored;
        private String h1;
        volatile IOException failure;
        volatile String mismatch;

        Build(ArtifactKey key, Path tmp) {
            this.key = key;
            this.tmp = tmp;
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

        /** A reader of the growing file, opened now so the bytes stay readable after the rename or a failure. */
        synchronized ArtifactStream reader() throws IOException {
            if (done) {
                if (stored == null) {
                    throw new IOException("building " + key + " failed", failure);
                }
                return ArtifactStream.ofStored(stored);
            }
            return ArtifactStream.ofBuild(this, FileChannel.open(tmp, StandardOpenOption.READ));
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
