package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStream;
import com.gitblit.plugin.goproxy.cache.BuildsSaturatedException;
import com.gitblit.plugin.goproxy.module.zip.PreparedZip;
import com.gitblit.plugin.goproxy.source.ModuleSource;
import com.gitblit.plugin.goproxy.source.Revision;
import com.gitblit.plugin.goproxy.source.SourceException;

/**
 * Builds zips of freshly pushed versions before anyone asks, so that the first download is a cache hit. Rules:
 * <ul>
 *   <li>Nothing is pinned (rules digest, section 19 point 9): the zip is stored under its commit, and the ledger
 *       learns its h1 only when a download pins that same commit. A tag moved before any download leaves an
 *       unused artifact, which eviction removes like any other.</li>
 *   <li>Bounded: a queue of fixed length; what does not fit is built on demand. One build at a time, on one
 *       low-priority thread, and only while a build slot stays free for requests: a pre-build never makes a
 *       request wait for a slot.</li>
 *   <li>It goes through the same {@code BuildCoordinator} as requests, so a request for the same zip joins the
 *       running pre-build (or the pre-build joins the request's) instead of building it twice.</li>
 *   <li>It never evicts: a zip that does not fit in the cache's free room is left to be built on demand.</li>
 * </ul>
 */
final class Prebuilder {
    private static final Logger LOG = LoggerFactory.getLogger(Prebuilder.class);
    private static final long SLOT_POLL_MILLIS = 100;

    private final ModuleSources sources;
    private final ServiceStorage storage;
    private final BlockingQueue<Job> queue;
    private final AtomicInteger running = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    private static final class Job {
        final HostedRepository repository;
        final String modulePath;
        final String version;
        final String commit;

        Job(HostedRepository repository, String modulePath, String version, String commit) {
            this.repository = repository;
            this.modulePath = modulePath;
            this.version = version;
            this.commit = commit;
        }

        @Override
        public String toString() {
            return modulePath + "@" + version + " at " + commit;
        }
    }

    Prebuilder(ModuleSources sources, ServiceStorage storage, int queueLength) {
        this.sources = sources;
        this.storage = storage;
        this.queue = new ArrayBlockingQueue<>(queueLength);
        this.worker = new Thread(this::work, "goproxy-prebuild");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
        worker.start();
    }

    boolean offer(HostedRepository repository, String modulePath, String version, String commit) {
        return !closed && queue.offer(new Job(repository, modulePath, version, commit));
    }

    int pending() {
        return queue.size() + running.get();
    }

    void close() {
        closed = true;
        queue.clear();
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (!closed) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            running.incrementAndGet();
            try {
                build(job);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | SourceException | RuntimeException e) {
                // The version is simply built at its first download, where a real failure gets its real answer.
                LOG.info("goproxy: not pre-building {}: {}", job, e.getMessage());
                storage.failures.record("pre-build of " + job, e.getMessage());
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private void build(final Job job) throws IOException, SourceException, InterruptedException {
        com.gitblit.plugin.goproxy.cache.LedgerEntry pinned = storage.ledger.find(job.modulePath, job.version);
        if (pinned != null && !pinned.commit().equals(job.commit)) {
            return; // downloads get the pinned commit; a zip of this one would never be served
        }
        final ArtifactKey key = new ArtifactKey(job.repository.name(), job.modulePath, job.version, job.commit,
                ArtifactKey.Kind.ZIP);
        if (storage.stored(key) != null) {
            return;
        }
        final Revision revision;
        long estimate;
        try (Repository git = job.repository.open(); ModuleSource source = sources.of(git, job.repository)) {
            revision = source.revisionAt(job.modulePath, job.version, ObjectId.fromString(job.commit));
            PreparedZip prepared = source.zip(job.modulePath, revision);
            estimate = GitModuleService.estimate(prepared);
        }
        if (storage.store.size() + estimate > storage.store.maxBytes()) {
            LOG.info("goproxy: not pre-building {}: it would evict cached artifacts; built at its first download",
                    job);
            return;
        }
        awaitSpareSlot();
        ArtifactStream stream;
        try {
            stream = storage.coordinator.open(key, null, estimate, out -> {
                try (Repository git = job.repository.open(); ModuleSource source = sources.of(git, job.repository)) {
                    return source.zip(job.modulePath, revision).writeTo(out);
                } catch (SourceException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (BuildsSaturatedException e) {
            LOG.info("goproxy: not pre-building {}: build slots are busy; built at its first download", job);
            return;
        } catch (com.gitblit.plugin.goproxy.cache.BuildMismatchException e) {
            return; // cannot happen without an expected h1
        }
        try {
            stream.awaitEnd();
        } finally {
            stream.close();
        }
        LOG.info("goproxy: pre-built {}", job);
    }

    /** Waits until taking a slot still leaves one for requests (with a cap of 1: until the slot is free). */
    private void awaitSpareSlot() throws InterruptedException {
        int needed = storage.slots.capacity() > 1 ? 2 : 1;
        while (storage.slots.available() < needed) {
            if (closed) {
                throw new InterruptedException("stopped");
            }
            TimeUnit.MILLISECONDS.sleep(SLOT_POLL_MILLIS);
        }
    }
}
