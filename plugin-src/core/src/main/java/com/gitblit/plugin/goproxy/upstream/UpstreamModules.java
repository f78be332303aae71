package com.gitblit.plugin.goproxy.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ArtifactDraft;
import com.gitblit.plugin.goproxy.cache.ArtifactKey;
import com.gitblit.plugin.goproxy.cache.ArtifactStore;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;
import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.module.zip.DirHash;
import com.gitblit.plugin.goproxy.module.zip.ModuleZip;
import com.gitblit.plugin.goproxy.module.zip.ZipFileCheck;
import com.gitblit.plugin.goproxy.sumdb.ChecksumDatabase;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;

/**
 * Third-party modules from the upstream list: the second kind of module source (see the package comment for
 * the rules). Version files are fetched once per version however many callers wait, verified, pinned in the
 * shared version ledger under {@link #REPOSITORY_KEY} and kept in their own store, which no cache limit evicts.
 */
public final class UpstreamModules {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamModules.class);
    /** The ledger's and the store's name for "came from upstream", where forge modules name a repository. */
    public static final String REPOSITORY_KEY = "upstream:";
    private static final String COMMIT = "upstream";
    private static final int MAX_METADATA = 4 << 20;
    private static final int MAX_INFO = 64 << 10;
    private static final Pattern INFO_VERSION = Pattern.compile("\"Version\"\\s*:\\s*\"([^\"\\\\]*)\"");

    private final UpstreamSettings settings;
    private final ProxyChain chain;
    private final SumdbRelay sumdb;
    private final ChecksumDatabase verifier;
    /** Told of each module version once a hash is recorded after checksum-database verification. */
    private volatile java.util.function.BiConsumer<String, String> verifiedPins = (m, v) -> { };
    private final VersionLedger ledger;
    private final ArtifactStore store;
    private final Path spool;
    private final MetadataCache metadata;
    private final SingleFlight<StoredArtifact> fetches = new SingleFlight<>();

    public UpstreamModules(UpstreamSettings settings, VersionLedger ledger, ArtifactStore store, Path spool)
            throws IOException {
        this(settings, ledger, store, spool, ProxyMetrics.NONE);
    }

    public UpstreamModules(UpstreamSettings settings, VersionLedger ledger, ArtifactStore store, Path spool,
            ProxyMetrics metrics) throws IOException {
        this.settings = settings;
        this.chain = new ProxyChain(settings.proxies(),
                new UpstreamHttp(settings.connectTimeoutMillis(), settings.readTimeoutMillis(), metrics));
        this.sumdb = new SumdbRelay(settings.sumdbs(), chain, settings.metadataTtlMillis());
        this.ledger = ledger;
        this.store = store;
        this.spool = Files.createDirectories(spool);
        this.verifier = settings.sumdbs().isEmpty() ? null : verifier(settings.sumdbs().get(0).name(),
                spool.resolveSibling("sumdb"));
        this.metadata = new MetadataCache(settings.metadataTtlMillis());
    }

    /**
     * The verifying client, its newest proven tree kept in {@code folder}, so that a database that shows
     * another history after a restart is still refused.
     */
    private ChecksumDatabase verifier(String name, Path folder) throws IOException {
        Path latest = Files.createDirectories(folder).resolve(name + ".latest");
        try {
            return sumdb.client(name, new ChecksumDatabase.TreeMemory() {
                @Override
                public byte[] load() throws IOException {
                    return Files.exists(latest) ? Files.readAllBytes(latest) : null;
                }

                @Override
                public void save(byte[] signedNote) throws IOException {
                    Path tmp = Files.createTempFile(folder, name, ".tmp");
                    Files.write(tmp, signedNote);
                    Files.move(tmp, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            });
        } catch (SumdbException e) {
            throw new IOException("the saved tree of checksum database " + name + " in " + latest
                    + " does not verify with the configured key: " + e.getMessage());
        }
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /** The checksum database pass-through. */
    /**
     * Who is told when a version's hash was recorded after its upstream checksum database proved it (never for
     * modules goproxy.upstreamNoSumCheck exempts): the forge's own database appends such versions.
     */
    public void onVerifiedPin(java.util.function.BiConsumer<String, String> listener) {
        this.verifiedPins = listener;
    }

    public SumdbRelay sumdb() {
        return sumdb;
    }

    /** Bytes held by kept third-party versions (never evicted). */
    public long storedBytes() {
        return store.size();
    }

    /** Why {@code modulePath} is not fetched ({@code goproxy.upstreamAllow}/{@code upstreamDeny}), or null. */
    public String refusal(String modulePath) {
        String denied = settings.deny().match(modulePath);
        if (denied != null) {
            return "not found: " + modulePath + ": matches goproxy.upstreamDeny pattern " + denied;
        }
        if (!settings.allow().isEmpty() && settings.allow().match(modulePath) == null) {
            return "not found: " + modulePath + ": not matched by goproxy.upstreamAllow";
        }
        return null;
    }

    /** {@code @v/list} as the upstream has it; when it is down, the last answer, or the kept versions. */
    public byte[] list(String modulePath) throws UpstreamException {
        allowed(modulePath);
        return metadata.get(escape(modulePath) + "/@v/list", chain, MAX_METADATA, () -> keptVersions(modulePath));
    }

    public byte[] latest(String modulePath) throws UpstreamException {
        allowed(modulePath);
        return metadata.get(escape(modulePath) + "/@latest", chain, MAX_INFO, null);
    }

    /** True when {@link #info} for this query is kept for ever (a canonical version that names itself). */
    public static boolean isVersion(String query) {
        return query.equals(ModuleVersion.canonical(query));
    }

    /** {@code .info}: for a canonical version kept for ever once fetched, for any other query cached for the TTL. */
    public byte[] info(String modulePath, String query) throws UpstreamException {
        allowed(modulePath);
        String path = escape(modulePath) + "/@v/" + escapeVersion(query) + ".info";
        if (!isVersion(query)) {
            return metadata.get(path, chain, MAX_INFO, null);
        }
        ArtifactKey key = new ArtifactKey(REPOSITORY_KEY, modulePath, query, COMMIT, ArtifactKey.Kind.INFO);
        StoredArtifact kept = kept(key);
        if (kept != null) {
            return read(kept);
        }
        byte[] body = metadata.get(path, chain, MAX_INFO, null);
        Matcher m = INFO_VERSION.matcher(new String(body, StandardCharsets.UTF_8));
        if (m.find() && m.group(1).equals(query)) {
            fetches.run(key.toString(), () -> {
                StoredArtifact again = kept(key);
                return again != null ? again : keep(key, body, null);
            });
        }
        return body;
    }

    public StoredArtifact mod(String modulePath, String version) throws UpstreamException {
        return versionFile(modulePath, version, ArtifactKey.Kind.MOD);
    }

    public StoredArtifact zip(String modulePath, String version) throws UpstreamException {
        return versionFile(modulePath, version, ArtifactKey.Kind.ZIP);
    }

    private StoredArtifact versionFile(String modulePath, String version, ArtifactKey.Kind kind)
            throws UpstreamException {
        allowed(modulePath);
        if (!isVersion(version)) {
            throw UpstreamException.notFound("not found: " + modulePath + "@" + version + ": not a canonical version");
        }
        ArtifactKey key = new ArtifactKey(REPOSITORY_KEY, modulePath, version, COMMIT, kind);
        String pinned = pinned(modulePath, version, kind);
        if (pinned != null) {
            StoredArtifact a = kept(key);
            if (a != null && pinned.equals(a.h1())) {
                return a;
            }
        }
        return fetches.run(key.toString(), () -> {
            String pin = pinned(modulePath, version, kind);
            StoredArtifact a = kept(key);
            if (pin != null && a != null && pin.equals(a.h1())) {
                return a;
            }
            return fetchVerified(key, pin);
        });
    }

    /**
     * Spools the file straight into an unpublished draft of the store (one write of a large zip, not two),
     * checks it there, and publishes it only once it is verified and pinned; anything else drops the draft.
     */
    private StoredArtifact fetchVerified(ArtifactKey key, String pinned) throws UpstreamException, IOException {
        boolean mod = key.kind() == ArtifactKey.Kind.MOD;
        String module = key.modulePath();
        String version = key.version();
        String what = module + "@" + version;
        String path = escape(module) + "/@v/" + escapeVersion(version) + (mod ? ".mod" : ".zip");
        long limit = mod ? ModuleZip.MAX_GO_MOD : ModuleZip.MAX_ZIP_FILE;
        ArtifactDraft[] draft = new ArtifactDraft[1];
        try {
            String from = chain.walk(base -> {
                try {
                    if (draft[0] != null) {
                        draft[0].close();
                    }
                    draft[0] = store.create(key, 0);
                } catch (IOException e) {
                    throw UpstreamException.unavailable("cannot keep " + what + ": " + e.getMessage());
                }
                chain.http().get(base + "/" + path, limit, draft[0].output());
                return base;
            });
            Path file = draft[0].file();
            String h1;
            try {
                h1 = mod ? DirHash.hashGoMod(Files.readAllBytes(file)) : ZipFileCheck.hash(file.toFile(), module, version);
            } catch (ModuleRuleException e) {
                LOG.warn("goproxy: {} from {}: refused: {}", what, from, e.getMessage());
                throw UpstreamException.refused("not found: " + what + ": the upstream zip is refused: " + e.getMessage());
            }
            if (pinned != null && !pinned.equals(h1)) {
                LOG.error("goproxy: conflict: {} {} from {} now has {}, but {} was first served; refusing it",
                        what, mod ? "go.mod" : "zip", from, h1, pinned);
                throw UpstreamException.refused("not found: " + what + ": the upstream now serves other bytes ("
                        + h1 + ") than were first served (" + pinned + ")");
            }
            verify(module, version, mod, h1, from);
            try {
                ledger.recordCommit(module, version, COMMIT, REPOSITORY_KEY,
                        com.gitblit.plugin.goproxy.cache.PinOrigin.UPSTREAM);
                if (mod) {
                    ledger.recordModHash(module, version, h1);
                } else {
                    ledger.recordZipHash(module, version, h1);
                }
            } catch (LedgerConflictException e) {
                throw UpstreamException.refused("not found: " + e.getMessage());
            }
            if (verifier != null && settings.noSumCheck().match(module) == null) {
                verifiedPins.accept(module, version);
            }
            return draft[0].publish(h1);
        } finally {
            if (draft[0] != null) {
                draft[0].close();
            }
        }
    }

    /** Checks the h1 against the checksum database's proven record, unless goproxy.upstreamNoSumCheck names the module. */
    private void verify(String module, String version, boolean mod, String h1, String from) throws UpstreamException {
        if (verifier == null || settings.noSumCheck().match(module) != null) {
            return;
        }
        String line = version + (mod ? "/go.mod" : "");
        String want;
        try {
            String records = verifier.lookup(module, version);
            if (records == null) {
                throw UpstreamException.refused("not found: " + module + "@" + line + ": verifying module: not found in checksum database " + verifier.name());
            }
            want = ChecksumDatabase.hashIn(records, module, line);
        } catch (SumdbException e) {
            LOG.error("goproxy: checksum database {}: {}", verifier.name(), e.getMessage());
            throw UpstreamException.refused("not found: " + module + "@" + line + ": verifying module: " + e.getMessage());
        } catch (IOException e) {
            throw UpstreamException.unavailable(module + "@" + line + ": checksum database " + verifier.name()
                    + " unreachable: " + e.getMessage());
        }
        if (!h1.equals(want)) {
            LOG.error("goproxy: SECURITY: {}@{} from {} has {}, checksum database {} has {}; refused, not stored",
                    module, line, from, h1, verifier.name(), want);
            throw UpstreamException.refused("not found: " + module + "@" + line + ": checksum mismatch: the upstream has "
                    + h1 + ", checksum database " + verifier.name() + " has " + want + "; refused");
        }
    }

    private StoredArtifact keep(ArtifactKey key, byte[] bytes, String h1) throws IOException {
        try (ArtifactDraft draft = store.create(key, bytes.length)) {
            OutputStream out = draft.output();
            out.write(bytes);
            out.flush();
            return draft.publish(h1);
        }
    }

    private StoredArtifact kept(ArtifactKey key) throws UpstreamException {
        try {
            return store.get(key);
        } catch (IOException e) {
            LOG.warn("goproxy: kept third-party file {} unreadable: {}", key, e.toString());
            return null;
        }
    }

    private String pinned(String module, String version, ArtifactKey.Kind kind) throws UpstreamException {
        try {
            LedgerEntry e = ledger.find(module, version);
            return e == null ? null : kind == ArtifactKey.Kind.MOD ? e.modH1() : e.zipH1();
        } catch (IOException e) {
            throw UpstreamException.unavailable("the version ledger cannot be read: " + e.getMessage());
        }
    }

    private byte[] keptVersions(String modulePath) throws IOException {
        List<String> versions = new ArrayList<>();
        for (LedgerEntry e : ledger.list(modulePath)) {
            if (REPOSITORY_KEY.equals(e.repositoryKey()) && (e.modH1() != null || e.zipH1() != null)) {
                versions.add(e.version());
            }
        }
        if (versions.isEmpty()) {
            return null;
        }
        versions.sort(SemVer::compare);
        StringBuilder body = new StringBuilder();
        for (String v : versions) {
            body.append(v).append('\n');
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(StoredArtifact a) throws UpstreamException {
        try (java.io.InputStream in = a.open()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw UpstreamException.unavailable("kept file " + a.key() + " unreadable: " + e.getMessage());
        }
    }

    private void allowed(String modulePath) throws UpstreamException {
        String why = refusal(modulePath);
        if (why != null) {
            throw UpstreamException.refused(why);
        }
    }

    private static String escape(String modulePath) throws UpstreamException {
        try {
            return ModuleEscaping.escapePath(modulePath);
        } catch (ModuleRuleException e) {
            throw UpstreamException.notFound("not found: " + e.getMessage());
        }
    }

    private static String escapeVersion(String version) throws UpstreamException {
        try {
            return ModuleEscaping.escapeVersion(version);
        } catch (ModuleRuleException e) {
            throw UpstreamException.notFound("not found: " + e.getMessage());
        }
    }
}
