package com.gitblit.plugin.goproxy.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ArtifactDraft;
import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStream;
import com.gitblit.plugin.goproxy.cache.BuildMismatchException;
import com.gitblit.plugin.goproxy.cache.BuildsSaturatedException;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.PinOrigin;
import com.gitblit.plugin.goproxy.cache.StorageException;
import com.gitblit.plugin.goproxy.cache.postgres.DatabaseUnavailableException;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import com.gitblit.plugin.goproxy.module.Retraction;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.module.zip.DirHash;
import com.gitblit.plugin.goproxy.module.zip.ModuleFile;
import com.gitblit.plugin.goproxy.module.zip.PreparedZip;
import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;
import com.gitblit.plugin.goproxy.source.CommitGoneException;
import com.gitblit.plugin.goproxy.source.ModuleSource;
import com.gitblit.plugin.goproxy.source.RepositoryFaultException;
import com.gitblit.plugin.goproxy.source.Revision;
import com.gitblit.plugin.goproxy.source.SourceException;
import com.gitblit.plugin.goproxy.source.TagListing;

/**
 * The {@link ModuleService} over git, the version ledger and the artifact store.
 *
 * <p>Rules it enforces, in the order a request meets them:
 * <ul>
 * <li>A version once served is pinned: the ledger's commit is what every later request for that version gets,
 * whatever happened to the tag since. When that commit left the repository, what is stored of the version
 * (its .info, .mod, .zip) is still served; when nothing is, a 404 says why — never a build from wherever the tag
 * points now.</li>
 * <li>A version that would need a new pin while the ledger cannot be written is a 503: serving it unpinned
 * would break the promise. A pinned version whose artifact cannot be stored is served straight from git,
 * checked against the recorded h1 as it streams.</li>
 * <li>An artifact whose h1 differs from the recorded one is never served.</li>
 * <li>A zip is validated against every rule before the response starts, so a bad version is a 404 with the
 * reason, never a truncated 200.</li>
 * <li>Cold zips are built once per key however many clients ask, under one cap on concurrent builds.</li>
 * <li>A zip built ahead of its first download (a {@link #prebuild}) pins nothing; the download that pins its commit
 * serves it and records its h1, as if it had built it.</li>
 * </ul>
 * What is held in memory (pinned .info answers, ref indexes, the ledger's read cache) is dropped through
 * {@link #forgetVersion} and {@link #forgetRepository}, the only two ways to unsay an answer.
 */
final class GitModuleService implements ModuleService {
    private static final Logger LOG = LoggerFactory.getLogger(GitModuleService.class);
    private static final String ZIP_TYPE = "application/zip";
    private static final String MOD_TYPE = "text/plain; charset=utf-8";
    private static final String INFO_TYPE = "application/json";
    /** A mirror is typically synced within seconds of a push; a load balancer retries another node at once. */
    private static final int LAGGING_RETRY_SECONDS = 5;

    private final ModuleSources sources;
    private final ServiceStorage storage;
    private final BoundedMap<String, PinnedInfo> pinnedInfos = new BoundedMap<>(100_000);
    /**
     * Module versions found servable at a commit, by everything the verdict depends on but the version's minor and
     * patch (repository, commit, module path, major, +incompatible): a push of many tags on one commit lists its
     * tree once. Only "served" is kept; a refusal is worked out again, so that its sentence names its own version.
     */
    private final BoundedMap<String, Boolean> servedAt = new BoundedMap<>(10_000);
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final Prebuilder prebuilder;

    GitModuleService(ModuleSources sources, ServiceStorage storage, int prebuildQueueLength) {
        this.sources = sources;
        this.storage = storage;
        this.prebuilder = storage.coordinator == null || prebuildQueueLength <= 0 ? null
                : new Prebuilder(sources, storage, prebuildQueueLength);
    }

    GitModuleService(ModuleSources sources, ServiceStorage storage) {
        this(sources, storage, 0);
    }

    /** The dependency proxy beside the forge's modules, when it is on; set once, before the service is used. */
    private volatile ThirdPartyModules thirdParty;
    private volatile ForgeChecksumDatabase checksumDatabase;

    void attachChecksumDatabase(ForgeChecksumDatabase database) {
        this.checksumDatabase = database;
    }

    @Override
    public ForgeChecksumDatabase checksumDatabase() {
        return checksumDatabase;
    }

    void attachThirdParty(ThirdPartyModules modules) {
        this.thirdParty = modules;
    }

    @Override
    public ThirdPartyModules thirdParty() {
        return thirdParty;
    }

    @Override
    public List<String> list(HostedRepository repository, String modulePath) throws ServiceFailure, IOException {
        return read(repository, "module " + modulePath, source -> {
                return source.versions(modulePath);
        });
    }

    @Override
    public RevisionInfo info(HostedRepository repository, String modulePath, String query)
            throws ServiceFailure, IOException {
        checkOpen();
        boolean canonical = isCanonical(query);
        String pinnedKey = repository.name() + '\u0000' + modulePath + '\u0000' + query;
        if (canonical && storage.enabled()) {
            // A version's .info never changes once the ledger pinned its commit: no need to open git again.
            PinnedInfo known = pinnedInfos.get(pinnedKey);
            if (known != null && stillPinned(modulePath, query, known)) {
                return known.info;
            }
        }
        return read(repository, "module " + modulePath, source -> {
                if (!canonical) {
                    Revision r = source.stat(modulePath, query);
                    return new RevisionInfo(r.version(), r.time());
                }
                Revision revision;
                try {
                    revision = pinnedRevision(source, repository, modulePath, query, true);
                } catch (CommitGoneException e) {
                    return storedInfo(repository, modulePath, query, e);
                }
                RevisionInfo info = new RevisionInfo(revision.version(), revision.time());
                if (storage.enabled() && info.version().equals(query)) {
                    keepInfo(repository, modulePath, revision, info);
                    pinnedInfos.put(pinnedKey, new PinnedInfo(info, revision.commit()));
                }
                return info;
        });
    }

    /** A pinned version's .info held in memory, with the commit it was pinned to. */
    private static final class PinnedInfo {
        final RevisionInfo info;
        final String commit;

        PinnedInfo(RevisionInfo info, String commit) {
            this.info = info;
            this.commit = commit;
        }
    }

    /**
     * Whether an .info held in memory still answers for the version. A ledger of this node's own changes only
     * through this service, which drops what it forgets; a shared one can be changed by an administrator on another
     * node, so the pin is read again (one indexed query, still no git): a node must never answer for a commit the
     * ledger no longer holds.
     */
    private boolean stillPinned(String modulePath, String version, PinnedInfo known) {
        if (!storage.ledger.shared()) {
            return true;
        }
        try {
            LedgerEntry entry = storage.ledger.find(modulePath, version);
            return entry != null && entry.commit().equals(known.commit);
        } catch (IOException e) {
            // The ordinary path reports the fault (and answers from the node's copy where it can).
            return false;
        }
    }

    @Override
    public RevisionInfo latest(HostedRepository repository, String modulePath) throws ServiceFailure, IOException {
        return read(repository, "module " + modulePath, source -> {
                Revision revision = source.latest(modulePath);
                return new RevisionInfo(revision.version(), revision.time());
        });
    }

    @Override
    public Artifact mod(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        return read(repository, "module " + modulePath, source -> {
                Revision revision;
                try {
                    revision = pinnedRevision(source, repository, modulePath, version, false);
                } catch (CommitGoneException e) {
                    return storedOrGone(repository, modulePath, version, ArtifactKey.Kind.MOD, MOD_TYPE, e);
                }
                ArtifactKey key = key(repository, modulePath, version, revision.commit(), ArtifactKey.Kind.MOD);
                StoredArtifact stored = storage.stored(key);
                if (stored != null) {
                    return new StoredFile(stored, MOD_TYPE, revision.time().toEpochMilli());
                }
                byte[] goMod = source.goMod(modulePath, revision);
                String h1 = DirHash.hashGoMod(goMod);
                recordModHash(modulePath, version, h1);
                keep(key, goMod, h1);
                return new BytesArtifact(MOD_TYPE, goMod, h1, revision.time().toEpochMilli());
        });
    }

    @Override
    public Artifact zip(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        return read(repository, "module " + modulePath, source -> {
                Revision revision;
                try {
                    revision = pinnedRevision(source, repository, modulePath, version, false);
                } catch (CommitGoneException e) {
                    return storedOrGone(repository, modulePath, version, ArtifactKey.Kind.ZIP, ZIP_TYPE, e);
                }
                LedgerEntry recorded = recorded(modulePath, version);
                String expectedH1 = recorded == null ? null : recorded.zipH1();
                if (!storage.enabled()) {
                    source.zip(modulePath, revision);
                    return uncachedZip(repository, modulePath, revision, null);
                }
                ArtifactKey key = key(repository, modulePath, version, revision.commit(), ArtifactKey.Kind.ZIP);
                StoredArtifact stored = usableStoredZip(key, modulePath, version, recorded);
                if (stored != null) {
                    return new StoredFile(stored, ZIP_TYPE, revision.time().toEpochMilli());
                }
                // Validates the whole file list now, while a 404 can still be answered; the build itself
                // re-reads the tree from its own repository handle because it may outlive this request.
                PreparedZip prepared = source.zip(modulePath, revision);
                try {
                    return cachedZip(repository, modulePath, revision, key, expectedH1, estimate(prepared));
                } catch (StorageException e) {
                    logOnce("store:" + e.getMessage(), "goproxy: serving {}@{} from git without caching it: {}",
                            modulePath, version, e.getMessage());
                    return uncachedZip(repository, modulePath, revision, expectedH1);
                }
        });
    }

    /**
     * One read of a repository's module source, with the failure mapping every operation shares; {@code what}
     * names the module in the 404 of a repository deleted since the host last listed its repositories (as absent
     * as it will be on the next listing).
     */
    private interface SourceRead<T> {
        T run(ModuleSource source) throws SourceException, IOException, ServiceFailure;
    }

    private <T> T read(HostedRepository repository, String what, SourceRead<T> body)
            throws ServiceFailure, IOException {
        checkOpen();
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            return body.run(source);
        } catch (SourceException e) {
            throw ServiceFailure.notFound(e.getMessage());
        } catch (StorageException e) {
            throw storageFault(e);
        } catch (RepositoryFaultException e) {
            throw repositoryFault(e);
        } catch (org.eclipse.jgit.errors.RepositoryNotFoundException e) {
            throw ServiceFailure.notFound("not found: " + what + ": no such module, or access denied");
        }
    }

    @Override
    public List<TagListing> tagVerdicts(HostedRepository repository) throws ServiceFailure, IOException {
        return read(repository, repository.rootModulePath(), ModuleSource::tagVerdicts);
    }

    @Override
    public List<Retraction> retractions(HostedRepository repository, String modulePath)
            throws ServiceFailure, IOException {
        return read(repository, modulePath, source -> source.retractions(modulePath));
    }

    @Override
    public VersionView view(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        if (!isCanonical(version)) {
            throw ServiceFailure.notFound(modulePath + "@" + version + ": not a canonical version");
        }
        return read(repository, modulePath, source -> {
            LedgerEntry recorded = recorded(modulePath, version);
            Revision revision;
            if (recorded != null) {
                revision = source.pinned(modulePath, version, recorded.commit());
            } else {
                revision = source.stat(modulePath, version);
                if (!revision.version().equals(version)) {
                    throw ServiceFailure.notFound(modulePath + "@" + version + ": invalid version: resolves to "
                            + revision.version());
                }
            }
            return new VersionView(revision.version(), revision.time(), revision.commit(),
                    source.contents(modulePath, revision), recorded == null ? null : recorded.modH1(),
                    recorded == null ? null : recorded.zipH1());
        });
    }

    @Override
    public TagVerdict checkTag(HostedRepository repository, VersionTag tag, String commit)
            throws ServiceFailure, IOException {
        checkOpen();
        List<VersionTag.Candidate> candidates = tag.candidates(repository.rootModulePath());
        String[] memo = new String[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            VersionTag.Candidate c = candidates.get(i);
            memo[i] = repository.name() + '\u0000' + commit + '\u0000' + c.modulePath + '\u0000'
                    + SemVer.major(c.version) + (c.version.endsWith("+incompatible") ? "+incompatible" : "");
            if (servedAt.get(memo[i]) != null) {
                return TagVerdict.served(tag, c.modulePath, c.version);
            }
        }
        String[] reasons = new String[candidates.size()];
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            org.eclipse.jgit.lib.ObjectId id = org.eclipse.jgit.lib.ObjectId.fromString(commit);
            for (int i = 0; i < candidates.size(); i++) {
                VersionTag.Candidate c = candidates.get(i);
                reasons[i] = source.unservedReason(c.modulePath, c.version, id);
                if (reasons[i] == null) {
                    servedAt.put(memo[i], Boolean.TRUE);
                    return TagVerdict.served(tag, c.modulePath, c.version);
                }
            }
        } catch (RepositoryFaultException e) {
            throw repositoryFault(e);
        }
        // A v2+ tag without any go.mod is best explained as the +incompatible version it fails to be.
        int pick = candidates.size() > 1 && reasons[0].contains(": missing ") ? 1 : 0;
        VersionTag.Candidate c = candidates.get(pick);
        return TagVerdict.notServed(tag, c.modulePath, c.version, reasons[pick]);
    }

    @Override
    public String pinnedCommit(String modulePath, String version) throws IOException {
        LedgerEntry entry = recorded(modulePath, version);
        return entry == null ? null : entry.commit();
    }

    @Override
    public boolean prebuild(HostedRepository repository, String modulePath, String version, String commit) {
        return !closed && prebuilder != null && prebuilder.offer(repository, modulePath, version, commit);
    }

    /** Pre-builds waiting or running (for tests, metrics and the benchmark's queue row). */
    int prebuildsPending() {
        return prebuilder == null ? 0 : prebuilder.pending();
    }

    /**
     * A stored zip that may be served for a pinned version. One built ahead of the first download (pre-built at a
     * push) carries no ledger record yet: its h1 becomes the record now, as a first build's would. One that
     * contradicts the record is dropped and rebuilt (the rebuild is then checked against the record).
     */
    private StoredArtifact usableStoredZip(ArtifactKey key, String modulePath, String version, LedgerEntry recorded)
            throws IOException, ServiceFailure {
        StoredArtifact stored = storage.stored(key);
        if (stored == null || recorded == null) {
            return stored;
        }
        if (recorded.zipH1() == null) {
            try {
                recordZipHashOrFail(modulePath, version, stored.h1());
            } catch (StorageException e) {
                logOnce("storage:" + e.getMessage(), "goproxy: {}", e.getMessage());
            } catch (IOException e) {
                storage.store.forget(key);
                throw ServiceFailure.notFound(modulePath + "@" + version
                        + ": the zip built now differs from the one first served; refusing to serve it");
            }
        } else if (!recorded.zipH1().equals(stored.h1())) {
            LOG.error("goproxy: {}@{}: stored zip has {}, {} was first served; dropping it", modulePath, version,
                    stored.h1(), recorded.zipH1());
            storage.store.forget(key);
            return null;
        }
        return stored;
    }

    @Override
    public void forgetRepository(String repositoryName) throws IOException {
        sources.forget(repositoryName);
        pinnedInfos.removeKeysStartingWith(repositoryName + '\u0000');
        if (storage.store != null) {
            storage.store.purgeRepository(repositoryName);
        }
    }

    @Override
    public boolean forgetVersion(String modulePath, String version) throws IOException {
        if (!storage.enabled()) {
            return false;
        }
        ForgeChecksumDatabase database = checksumDatabase;
        if (database != null && database.contains(modulePath, version)) {
            throw new IOException(modulePath + "@" + version + " is in the checksum database " + database.name()
                    + ", whose log never changes: it stays pinned (its cached files can still be purged)");
        }
        LedgerEntry entry = storage.ledger.find(modulePath, version);
        boolean forgotten = storage.ledger.forget(modulePath, version);
        pinnedInfos.removeKeysEndingWith('\u0000' + modulePath + '\u0000' + version);
        if (entry != null && entry.repositoryKey() != null) {
            for (StoredArtifact a : storage.store.list(entry.repositoryKey())) {
                if (a.key().modulePath().equals(modulePath) && a.key().version().equals(version)) {
                    storage.store.forget(a.key());
                }
            }
            sources.forget(entry.repositoryKey());
        }
        LOG.info("goproxy: {}@{} forgotten{}", modulePath, version, forgotten ? "" : " (it was not pinned)");
        return forgotten;
    }

    @Override
    public PurgeOutcome purgeModule(HostedRepository repository, String modulePath) throws IOException {
        if (storage.store == null) {
            return new PurgeOutcome(0, 0, 0);
        }
        int removed = 0;
        int kept = 0;
        long bytes = 0;
        try (Repository git = repository.open()) {
            for (StoredArtifact a : storage.store.list(repository.name())) {
                if (!a.key().modulePath().equals(modulePath)) {
                    continue;
                }
                if (!hasCommit(git, a.key().commit())) {
                    kept++;
                    continue;
                }
                if (storage.store.forget(a.key())) {
                    removed++;
                    bytes += a.length();
                }
            }
        }
        // The .info answers held in memory would otherwise keep the stored .info from being written again.
        pinnedInfos.removeKeysStartingWith(repository.name() + '\u0000' + modulePath + '\u0000');
        LOG.info("goproxy: {} in {}: purged {}", modulePath, repository.name(), removed);
        return new PurgeOutcome(removed, bytes, kept);
    }

    private static boolean hasCommit(Repository git, String commit) throws IOException {
        try {
            return git.getObjectDatabase().has(org.eclipse.jgit.lib.ObjectId.fromString(commit));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public LedgerEntry buildNow(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        if (!isCanonical(version)) {
            throw ServiceFailure.notFound(modulePath + "@" + version + ": not a canonical version");
        }
        if (storage.enabled()) {
            read(repository, modulePath,
                    source -> pinnedRevision(source, repository, modulePath, version, false, PinOrigin.ADMIN));
        }
        drain(mod(repository, modulePath, version));
        drain(zip(repository, modulePath, version));
        return recorded(modulePath, version);
    }

    /**
     * Reads an artifact to its end and discards it: what pins a version without a client (build now, a checksum
     * lookup). Returns once a streamed zip's build has ended, so that its h1 is in the ledger.
     */
    static void drain(Artifact artifact) throws IOException {
        try (Artifact a = artifact) {
            a.writeTo(DISCARD);
            if (a instanceof StreamedZip) {
                // The zip's h1 is recorded as its build ends, which may come just after its last byte was read.
                ((StreamedZip) a).stream.awaitEnd();
            }
        }
    }

    private static final OutputStream DISCARD = new OutputStream() {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    };

    @Override
    public ServiceState state() {
        return new ServiceState(storage, prebuilder, thirdParty);
    }

    @Override
    public void close() {
        closed = true;
        if (prebuilder != null) {
            prebuilder.close();
        }
        ForgeChecksumDatabase database = checksumDatabase;
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                LOG.warn("goproxy: closing the checksum database: {}", e.toString());
            }
        }
        storage.close();
    }

    private void checkOpen() throws ServiceFailure {
        if (closed) {
            throw ServiceFailure.stopped();
        }
    }

    /** A request names a version (not a branch or hash query) when it is already canonical. */
    private static boolean isCanonical(String query) {
        return SemVer.isValid(query) && query.equals(ModuleVersion.canonical(query));
    }

    /**
     * The revision a canonical version names for this proxy: the ledger's commit if the version was served
     * before, else what git resolves it to now, which is then pinned. With {@code incompatibleQuery}, a
     * {@code vN.x.y} that direct mode resolves to {@code vN.x.y+incompatible} is answered as that version.
     */
    private Revision pinnedRevision(ModuleSource source, HostedRepository repository, String modulePath,
            String version, boolean incompatibleQuery) throws SourceException, IOException, ServiceFailure {
        return pinnedRevision(source, repository, modulePath, version, incompatibleQuery, null);
    }

    /** With {@code origin} null, a new pin is a request's, or a push's when its zip was pre-built at that commit. */
    private Revision pinnedRevision(ModuleSource source, HostedRepository repository, String modulePath,
            String version, boolean incompatibleQuery, PinOrigin origin)
            throws SourceException, IOException, ServiceFailure {
        LedgerEntry recorded = recorded(modulePath, version);
        if (recorded != null) {
            return source.pinned(modulePath, version, recorded.commit());
        }
        Revision resolved = source.stat(modulePath, version);
        if (!resolved.version().equals(version)) {
            if (incompatibleQuery && resolved.version().equals(version + "+incompatible")) {
                return pinnedRevision(source, repository, modulePath, resolved.version(), false, origin);
            }
            // A canonical request must name itself; anything else (a tag that resolves elsewhere) is not this version.
            throw ServiceFailure.notFound(modulePath + "@" + version + ": invalid version: resolves to " + resolved.version());
        }
        if (!storage.enabled()) {
            return resolved;
        }
        LedgerEntry entry;
        try {
            PinOrigin how = origin != null ? origin
                    : prebuilt(repository, modulePath, version, resolved.commit()) ? PinOrigin.PUSH : PinOrigin.REQUEST;
            entry = storage.ledger.recordCommit(modulePath, version, resolved.commit(), repository.name(), how);
        } catch (StorageException e) {
            logOnce("ledger", "goproxy: cannot pin new versions: {}", e.getMessage());
            storage.failures.record(modulePath + "@" + version, "cannot pin: " + e.getMessage());
            String why = e instanceof DatabaseUnavailableException
                    ? "the ledger database cannot be reached" : "the proxy's data folder is not writable";
            throw ServiceFailure.storageFault(modulePath + "@" + version
                    + ": this version cannot be pinned now (" + why + "); retry later", e);
        }
        if (!entry.commit().equals(resolved.commit())) {
            return source.pinned(modulePath, version, entry.commit());
        }
        return resolved;
    }

    /** A zip of this version at this commit is stored before any download pinned it: a pre-build's. */
    private boolean prebuilt(HostedRepository repository, String modulePath, String version, String commit) {
        return storage.store != null
                && storage.store.lastUsedMillis(key(repository, modulePath, version, commit, ArtifactKey.Kind.ZIP)) >= 0;
    }

    private LedgerEntry recorded(String modulePath, String version) throws IOException {
        return storage.enabled() ? storage.ledger.find(modulePath, version) : null;
    }

    private void recordModHash(String modulePath, String version, String h1) throws IOException, ServiceFailure {
        if (!storage.enabled()) {
            return;
        }
        try {
            storage.ledger.recordModHash(modulePath, version, h1);
            logInChecksumDatabase(modulePath, version);
        } catch (LedgerConflictException e) {
            LOG.error("goproxy: refusing to serve {}@{} go.mod: {}", modulePath, version, e.getMessage());
            throw ServiceFailure.notFound(modulePath + "@" + version
                    + ": go.mod differs from the one first served; refusing to serve it");
        } catch (StorageException e) {
            logOnce("ledger", "goproxy: cannot record hashes: {}", e.getMessage());
            if (e instanceof DatabaseUnavailableException) {
                throw firstHashesUnrecordable(modulePath, version, e);
            }
        }
    }

    /**
     * A shared ledger away (this node answers from its copy) cannot take a version's first hashes: other nodes
     * serve the version too, so its first bytes must be on record before they are served anywhere. "Try again",
     * never bytes without a record.
     */
    private void checkFirstHashesRecordable(String modulePath, String version) throws ServiceFailure {
        if (!ledgerReachable()) {
            throw firstHashesUnrecordable(modulePath, version, null);
        }
    }

    /** True without a ledger (no data folder) and for a ledger of this node's own. */
    private boolean ledgerReachable() {
        return storage.ledger == null || storage.ledger.reachable();
    }

    private static ServiceFailure firstHashesUnrecordable(String modulePath, String version, Throwable cause) {
        return ServiceFailure.storageFault(modulePath + "@" + version + ": its first hashes cannot be recorded now"
                + " (the ledger database cannot be reached); retry later", cause);
    }

    /**
     * Once both of a version's hashes are pinned, its record goes into the forge's checksum database: the log
     * then holds versions in pin order, whether or not a client ever looked them up. A failure here is only
     * logged: the next lookup of the version appends it.
     */
    void logInChecksumDatabase(String modulePath, String version) {
        ForgeChecksumDatabase database = checksumDatabase;
        if (database == null) {
            return;
        }
        if (!ledgerReachable()) {
            // The log lives in the same database: asking would only hold this download for the pool's timeout.
            return;
        }
        try {
            if (database.contains(modulePath, version)) {
                return;
            }
            LedgerEntry entry = storage.ledger.find(modulePath, version);
            if (entry != null && entry.zipH1() != null && entry.modH1() != null) {
                database.add(modulePath, version, entry.zipH1(), entry.modH1());
            }
        } catch (IOException | RuntimeException e) {
            logOnce("sumdb:" + e.getMessage(), "goproxy: adding {}@{} to the checksum database: {}", modulePath,
                    version, e.toString());
        }
    }

    private static ArtifactKey key(HostedRepository repository, String modulePath, String version, String commit,
            ArtifactKey.Kind kind) {
        return new ArtifactKey(repository.name(), modulePath, version, commit, kind);
    }

    /** Keeps a small artifact (a go.mod, an .info) so that it outlives its commit; best effort. */
    private void keep(ArtifactKey key, byte[] body, String h1) {
        if (storage.store == null) {
            return;
        }
        try (ArtifactDraft draft = storage.store.create(key, body.length)) {
            draft.output().write(body);
            draft.publish(h1);
        } catch (IOException e) {
            logOnce("keep:" + e.getClass().getName(), "goproxy: not caching {}: {}", key, e.getMessage());
        }
    }

    private void keepInfo(HostedRepository repository, String modulePath, Revision revision, RevisionInfo info)
            throws IOException {
        ArtifactKey key = key(repository, modulePath, info.version(), revision.commit(), ArtifactKey.Kind.INFO);
        if (storage.stored(key) == null) {
            keep(key, info.toJson().getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private RevisionInfo storedInfo(HostedRepository repository, String modulePath, String version,
            CommitGoneException gone) throws IOException, ServiceFailure {
        StoredArtifact stored = storedOf(repository, modulePath, version, ArtifactKey.Kind.INFO);
        if (stored != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = stored.open()) {
                copy(in, out);
            }
            RevisionInfo info = RevisionInfo.fromJson(new String(out.toByteArray(), StandardCharsets.UTF_8));
            if (info != null) {
                return info;
            }
        }
        throw gone(modulePath, version, gone);
    }

    private Artifact storedOrGone(HostedRepository repository, String modulePath, String version,
            ArtifactKey.Kind kind, String type, CommitGoneException gone) throws IOException, ServiceFailure {
        StoredArtifact stored = storedOf(repository, modulePath, version, kind);
        if (stored == null) {
            throw gone(modulePath, version, gone);
        }
        return new StoredFile(stored, type, -1);
    }

    /**
     * A pinned commit missing from the repository, with nothing cached to serve instead. With a ledger of its own
     * a node knows the commit was served from this very repository, so its loss is for good: a 404. With a ledger
     * other nodes pin into, the commit may have been pinned by a node whose copy of the repository is ahead of
     * this one's (a mirror not yet synced): "try again" lets a load balancer ask another node, and this node
     * serves it once its copy catches up; never a different commit.
     */
    private ServiceFailure gone(String modulePath, String version, CommitGoneException gone) throws IOException {
        if (!storage.ledger.shared()) {
            return ServiceFailure.notFound(gone.getMessage() + ", and no cached copy of it remains");
        }
        LedgerEntry entry = recorded(modulePath, version);
        String commit = entry == null ? "recorded in the shared ledger" : entry.commit();
        if (loggedOnce.add("lagging:" + modulePath + '@' + version + ':' + commit)) {
            LOG.warn("goproxy: {}@{} is pinned to commit {}, missing from this node's copy of the repository",
                    modulePath, version, commit);
        }
        return ServiceFailure.laggingRepository(modulePath + "@" + version + ": pinned to commit " + commit
                + ", which this node's copy of the repository does not have yet; try again", LAGGING_RETRY_SECONDS);
    }

    /** The stored artifact of a pinned version at its pinned commit, or null. */
    private StoredArtifact storedOf(HostedRepository repository, String modulePath, String version,
            ArtifactKey.Kind kind) throws IOException {
        LedgerEntry entry = recorded(modulePath, version);
        if (entry == null) {
            return null;
        }
        StoredArtifact stored = storage.stored(key(repository, modulePath, version, entry.commit(), kind));
        String expected = kind == ArtifactKey.Kind.ZIP ? entry.zipH1() : kind == ArtifactKey.Kind.MOD ? entry.modH1() : null;
        if (stored != null && expected != null && !expected.equals(stored.h1())) {
            return null;
        }
        return stored;
    }

    /** An upper bound of the zip's size, for the store to make room: stored entries plus their headers. */
    static long estimate(PreparedZip zip) {
        long total = 22;
        for (ModuleFile f : zip.files()) {
            total += Math.max(0, f.size()) + f.size() / 16_000 * 5 + 2L * (f.path().length() + 200);
        }
        return total;
    }

    private Artifact cachedZip(final HostedRepository repository, final String modulePath, final Revision revision,
            ArtifactKey key, final String expected, long expectedBytes) throws ServiceFailure, IOException {
        if (expected == null) {
            checkFirstHashesRecordable(modulePath, revision.version());
        }
        ArtifactStream stream;
        try {
            stream = storage.coordinator.open(key, expected, expectedBytes, out -> {
                try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
                    PreparedZip zip = source.zip(modulePath, revision);
                    String h1 = zip.writeTo(out);
                    if (expected == null) {
                        // First build: its h1 becomes the record. A rebuild is verified by the coordinator instead.
                        recordZipHashOrFail(modulePath, revision.version(), h1);
                    }
                    return h1;
                } catch (SourceException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (BuildsSaturatedException e) {
            storage.failures.record(modulePath + "@" + revision.version(), "no build slot: " + e.getMessage());
            throw ServiceFailure.overloaded("too many module zips are being built; retry shortly",
                    (int) e.retryAfterSeconds());
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            storage.failures.record(modulePath + "@" + revision.version(), "zip build failed: " + e.getMessage());
            RepositoryFaultException fault = RepositoryFaults.causeOf(e);
            if (fault != null) {
                throw repositoryFault(fault);
            }
            throw e;
        } catch (BuildMismatchException e) {
            storage.failures.record(modulePath + "@" + revision.version(),
                    "a rebuild differs from the zip first served: " + e.getMessage());
            LOG.error("goproxy: refusing to serve {}@{}: a rebuild differs from the zip first served ({})",
                    modulePath, revision.version(), e.getMessage());
            throw ServiceFailure.notFound(modulePath + "@" + revision.version()
                    + ": the zip built now differs from the one first served; refusing to serve it");
        }
        return new StreamedZip(stream, expected, revision);
    }

    /** Inside a build: a zip whose h1 contradicts the ledger must fail the build, so nothing is stored. */
    private void recordZipHashOrFail(String modulePath, String version, String h1) throws IOException {
        if (!storage.enabled()) {
            return;
        }
        try {
            storage.ledger.recordZipHash(modulePath, version, h1);
            logInChecksumDatabase(modulePath, version);
        } catch (LedgerConflictException e) {
            LOG.error("goproxy: refusing to serve {}@{} zip: {}", modulePath, version, e.getMessage());
            throw new IOException(modulePath + "@" + version + ": zip differs from the one first served", e);
        }
    }

    /**
     * A zip streamed from git as it is built, under the build cap: without a data folder, or when the store
     * cannot take it. With {@code expectedH1}, a body whose h1 turns out different is broken off at its end,
     * so a client never completes a download of other bytes than those first served.
     */
    private Artifact uncachedZip(final HostedRepository repository, final String modulePath,
            final Revision revision, final String expectedH1) throws ServiceFailure {
        if (expectedH1 == null) {
            checkFirstHashesRecordable(modulePath, revision.version());
        }
        try {
            storage.slots.acquire();
        } catch (BuildsSaturatedException e) {
            throw ServiceFailure.overloaded("too many module zips are being built; retry shortly",
                    (int) e.retryAfterSeconds());
        }
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
                return expectedH1;
            }

            @Override
            public long lastModified() {
                return revision.time().toEpochMilli();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
                    String h1 = source.zip(modulePath, revision).writeTo(out);
                    if (expectedH1 != null && !expectedH1.equals(h1)) {
                        LOG.error("goproxy: {}@{}: zip from git has {}, {} was first served; broke the response off",
                                modulePath, revision.version(), h1, expectedH1);
                        throw new IOException("the zip differs from the one first served");
                    }
                    if (expectedH1 == null) {
                        try {
                            recordZipHashOrFail(modulePath, revision.version(), h1);
                        } catch (StorageException e) {
                            // The bytes came from the pinned commit; the hash is recorded by a later download.
                            logOnce("storage:" + e.getMessage(), "goproxy: {}", e.getMessage());
                        }
                    }
                } catch (SourceException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    storage.slots.release();
                }
            }
        };
    }

    /** A damaged repository: the same 503 as ever, and a recent failure for the admin view. */
    private ServiceFailure repositoryFault(RepositoryFaultException fault) {
        storage.failures.record("repository", fault.getMessage());
        return RepositoryFaults.unavailable(fault);
    }

    private ServiceFailure storageFault(StorageException e) {
        logOnce("storage:" + e.getMessage(), "goproxy: {}", e.getMessage());
        storage.failures.record("data folder", e.getMessage());
        return ServiceFailure.storageFault("the proxy's data folder cannot be used right now; retry later", e);
    }

    private void logOnce(String key, String format, Object... args) {
        if (loggedOnce.add(key)) {
            LOG.error(format, args);
        }
    }

    /** A finished artifact from the store, checked as it is read. */
    private static final class StoredFile implements Artifact {
        private final StoredArtifact stored;
        private final String type;
        private final long lastModified;

        StoredFile(StoredArtifact stored, String type, long lastModified) {
            this.stored = stored;
            this.type = type;
            this.lastModified = lastModified;
        }

        @Override
        public String contentType() {
            return type;
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
            return lastModified;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = stored.open()) {
                copy(in, out);
            }
        }

        @Override
        public InputStream completeBody() throws IOException {
            return stored.open();
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

        /** A build that finished before this request joined it is a stored file; one still running is not. */
        @Override
        public InputStream completeBody() throws IOException {
            return stream.isLive() ? null : stream.stream();
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
