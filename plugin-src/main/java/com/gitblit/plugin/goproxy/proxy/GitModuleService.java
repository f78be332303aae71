package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStream;
import com.gitblit.plugin.goproxy.cache.BuildCoordinator;
import com.gitblit.plugin.goproxy.cache.BuildMismatchException;
import com.gitblit.plugin.goproxy.cache.BuildsSaturatedException;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.module.zip.DirHash;
import com.gitblit.plugin.goproxy.module.zip.PreparedZip;
import com.gitblit.plugin.goproxy.source.ModuleSource;
import com.gitblit.plugin.goproxy.source.Revision;
import com.gitblit.plugin.goproxy.source.SourceException;

/**
 * The {@link ModuleService} over git, the version ledger and the artifact cache.
 *
 * <p>Rules it enforces, in the order a request meets them:
 * <ul>
 * <li>A version once served is pinned: the ledger's commit is what every later request for that version gets,
 * whatever happened to the tag since. A recorded commit that left the repository is a 404 with the reason,
 * never a build from wherever the tag points now.</li>
 * <li>An artifact whose h1 differs from the recorded one is never served (the ledger refuses it; the cache
 * verifies a rebuild before its first byte leaves).</li>
 * <li>A zip is validated against every rule before the response starts, so a bad version is a 404 with the
 * reason, never a truncated 200.</li>
 * <li>Cold zips are built once per key however many clients ask, under a cap on concurrent builds.</li>
 * </ul>
 * Without a data directory there is no ledger and no cache: every answer comes straight from git, still under
 * the build cap.
 */
final class GitModuleService implements ModuleService {
    private static final Logger LOG = LoggerFactory.getLogger(GitModuleService.class);
    private static final String ZIP_TYPE = "application/zip";
    private static final String MOD_TYPE = "text/plain; charset=utf-8";

    private final ModuleSources sources;
    private final ServiceStorage storage;
    private final Semaphore uncachedBuilds;
    private final long buildQueueTimeoutMillis;
    private final BoundedMap<String, RevisionInfo> pinnedInfos = new BoundedMap<>(100_000);

    GitModuleService(ModuleSources sources, ServiceStorage storage, ProxySettings settings) {
        this.sources = sources;
        this.storage = storage;
        this.uncachedBuilds = new Semaphore(Math.max(1, settings.maxConcurrentBuilds()), true);
        this.buildQueueTimeoutMillis = settings.buildQueueTimeoutMillis();
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }

    @Override
    public List<String> list(HostedRepository repository, String modulePath) throws ProxyError, IOException {
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            return source.versions(modulePath);
        } catch (SourceException e) {
            throw ProxyError.notFound(e.getMessage());
        }
    }

    @Override
    public RevisionInfo info(HostedRepository repository, String modulePath, String query)
            throws ProxyError, IOException {
        boolean canonical = storage.isCanonicalRequest(query);
        String pinnedKey = repository.name() + '\u0000' + modulePath + '\u0000' + query;
        if (canonical && storage.enabled()) {
            // A version's .info never changes once the ledger pinned its commit: no need to open git again.
            RevisionInfo known = pinnedInfos.get(pinnedKey);
            if (known != null) {
                return known;
            }
        }
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            Revision revision = canonical
                    ? pinnedRevision(source, repository, modulePath, query)
                    : source.stat(modulePath, query);
            RevisionInfo info = new RevisionInfo(revision.version(), revision.time());
            if (canonical && storage.enabled()) {
                pinnedInfos.put(pinnedKey, info);
            }
            return info;
        } catch (SourceException e) {
            throw ProxyError.notFound(e.getMessage());
        }
    }

    @Override
    public RevisionInfo latest(HostedRepository repository, String modulePath) throws ProxyError, IOException {
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            Revision revision = source.latest(modulePath);
            return new RevisionInfo(revision.version(), revision.time());
        } catch (SourceException e) {
            throw ProxyError.notFound(e.getMessage());
        }
    }

    @Override
    public Artifact mod(HostedRepository repository, String modulePath, String version)
            throws ProxyError, IOException {
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            Revision revision = pinnedRevision(source, repository, modulePath, version);
            byte[] goMod = source.goMod(modulePath, revision);
            String h1 = DirHash.hashGoMod(goMod);
            storage.recordModHash(modulePath, version, h1);
            return new BytesArtifact(MOD_TYPE, goMod, h1, revision.time().toEpochMilli());
        } catch (SourceException e) {
            throw ProxyError.notFound(e.getMessage());
        }
    }

    @Override
    public Artifact zip(HostedRepository repository, String modulePath, String version)
            throws ProxyError, IOException {
        Revision revision;
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            revision = pinnedRevision(source, repository, modulePath, version);
            if (!storage.enabled()) {
                source.zip(modulePath, revision);
                return uncachedZip(repository, modulePath, revision);
            }
            ArtifactKey key = storage.zipKey(repository, modulePath, revision);
            StoredArtifact stored = storage.stored(key);
            if (stored != null) {
                return new StoredZip(stored, revision);
            }
            // Validates the whole file list now, while a 404 can still be answered; the build itself
            // re-reads the tree from its own repository handle because it may outlive this request.
            source.zip(modulePath, revision);
            return cachedZip(repository, modulePath, revision, key);
        } catch (SourceException e) {
            throw ProxyError.notFound(e.getMessage());
        }
    }

    @Override
    public void forgetRepository(String repositoryName) throws IOException {
        sources.forget(repositoryName);
        pinnedInfos.removeKeysStartingWith(repositoryName + '\u0000');
        storage.purgeRepository(repositoryName);
    }

    /**
     * The revision a canonical version names for this proxy: the ledger's commit if the version was served
     * before, else what git resolves it to now, which is then recorded.
     */
    private Revision pinnedRevision(ModuleSource source, HostedRepository repository, String modulePath,
            String version) throws SourceException, IOException, ProxyError {
        LedgerEntry recorded = storage.recorded(modulePath, version);
        if (recorded != null) {
            return source.pinned(modulePath, version, recorded.commit());
        }
        Revision resolved = source.stat(modulePath, version);
        if (!resolved.version().equals(version)) {
            // A canonical request must name itself; anything else (a tag that resolves elsewhere) is not this version.
            throw ProxyError.notFound(modulePath + "@" + version + ": invalid version: resolves to " + resolved.version());
        }
        LedgerEntry entry = storage.recordCommit(modulePath, version, resolved.commit(), repository.name());
        if (entry != null && !entry.commit().equals(resolved.commit())) {
            return source.pinned(modulePath, version, entry.commit());
        }
        return resolved;
    }

    private Artifact cachedZip(final HostedRepository repository, final String modulePath, final Revision revision,
            ArtifactKey key) throws ProxyError, IOException {
        LedgerEntry recorded = storage.recorded(modulePath, revision.version());
        String expected = recorded == null ? null : recorded.zipH1();
        ArtifactStream stream;
        try {
            stream = storage.coordinator().open(key, expected, out -> {
                try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
                    PreparedZip zip = source.zip(modulePath, revision);
                    String h1 = zip.writeTo(out);
                    if (expected == null) {
                        // First build: its h1 becomes the record. A rebuild is verified by the coordinator instead.
                        storage.recordZipHashOrFail(modulePath, revision.version(), h1);
                    }
                    return h1;
                } catch (SourceException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (BuildsSaturatedException e) {
            throw ProxyError.unavailable("too many module zips are being built; retry shortly",
                    (int) Math.max(1, e.retryAfterSeconds()));
        } catch (BuildMismatchException e) {
            LOG.error("goproxy: refusing to serve {}@{}: a rebuild differs from the zip first served ({})",
                    modulePath, revision.version(), e.getMessage());
            throw ProxyError.notFound(modulePath + "@" + revision.version()
                    + ": the zip built now differs from the one first served; refusing to serve it");
        }
        return new StreamedZip(stream, expected, revision);
    }

    private Artifact uncachedZip(final HostedRepository repository, final String modulePath,
            final Revision revision) throws ProxyError {
        acquireBuildSlot();
        return new Artifact() {
            private boolean released;

            @Override
            public String contentType() {
                return ZIP_TYPE;
            }

            @Override
            public long length() {
                return -1;
            }

            @Override
            public String etag() {
                return null;
            }

            @Override
            public long lastModified() {
                return revision.time().toEpochMilli();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
                    source.zip(modulePath, revision).writeTo(out);
                } catch (SourceException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    uncachedBuilds.release();
                }
            }
        };
    }

    private void acquireBuildSlot() throws ProxyError {
        try {
            if (!uncachedBuilds.tryAcquire(buildQueueTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw ProxyError.unavailable("too many module zips are being built; retry shortly", 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProxyError.unavailable("interrupted while waiting to build a module zip", 5);
        }
    }

    /** A go.mod: small by rule (16 MiB at most), so held in memory. */
    private static final class BytesArtifact implements Artifact {
        private final String type;
        private final byte[] body;
        private final String h1;
        private final long lastModified;

        BytesArtifact(String type, byte[] body, String h1, long lastModified) {
            this.type = type;
            this.body = body;
            this.h1 = h1;
            this.lastModified = lastModified;
        }

        @Override
        public String contentType() {
            return type;
        }

        @Override
        public long length() {
            return body.length;
        }

        @Override
        public String etag() {
            return h1;
        }

        @Override
        public long lastModified() {
            return lastModified;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(body);
        }
    }

    /** A finished zip from the artifact store. */
    private static final class StoredZip implements Artifact {
        private final StoredArtifact stored;
        private final Revision revision;

        StoredZip(StoredArtifact stored, Revision revision) {
            this.stored = stored;
            this.revision = revision;
        }

        @Override
        public String contentType() {
            return ZIP_TYPE;
        }

        @Override
        public long length() {
            return stored.length();
        }

        @Override
        public String etag() {
            return stored.h1();
        }

        @Override
        public long lastModified() {
            return revision.time().toEpochMilli();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = stored.open()) {
                copy(in, out);
            }
        }
    }

    /** A zip being built (or just joined): streamed as its bytes appear. */
    private static final class StreamedZip implements Artifact {
        private final ArtifactStream stream;
        private final String etag;
        private final Revision revision;

        StreamedZip(ArtifactStream stream, String etag, Revision revision) {
            this.stream = stream;
            this.etag = etag;
            this.revision = revision;
        }

        @Override
        public String contentType() {
            return ZIP_TYPE;
        }

        @Override
        public long length() {
            return stream.lengthOrMinusOne();
        }

        @Override
        public String etag() {
            return etag != null ? etag : stream.h1OrNull();
        }

        @Override
        public long lastModified() {
            return revision.time().toEpochMilli();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = stream.stream()) {
                copy(in, out);
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
    }

}
