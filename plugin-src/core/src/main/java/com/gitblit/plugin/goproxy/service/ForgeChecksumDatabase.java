package com.gitblit.plugin.goproxy.service;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.ChecksumLog;
import com.gitblit.plugin.goproxy.cache.StorageException;
import com.gitblit.plugin.goproxy.cache.postgres.DatabaseUnavailableException;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresChecksumLog;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresSumdbKey;
import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;
import com.gitblit.plugin.goproxy.sumdb.NoteSigner;
import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.TilePath;
import com.gitblit.plugin.goproxy.sumdb.Tlog;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/**
 * The forge's own checksum database: every module version it serves, in a log it signs. A record is appended the
 * first time a version is looked up (pinning the version first, as a download would), so a client with
 * {@code GOSUMDB} pointing here verifies the forge's modules without {@code GONOSUMDB}; once in the log a
 * version's hashes can never change. The signing key is generated at first start, in the data folder or, for
 * nodes sharing a PostgreSQL database, in that database with the log (one tree and one key for every node).
 */
public final class ForgeChecksumDatabase implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ForgeChecksumDatabase.class);
    /** Tile height of the go command's checksum-database protocol. */
    public static final int TILE_HEIGHT = 8;
    private static final String KEY_FILE = "signer-key";

    private final String name;
    /** Null until the key could be read: a node may start while the shared database is down. */
    private volatile NoteSigner signer;
    private final KeySource keys;
    private final ChecksumLog log;
    private final ModuleService modules;
    private final ProxyMetrics metrics;
    private volatile SignedHead signed;
    /** Full tiles never change: the most recently read ones (8 KiB each) are kept. */
    private final Map<String, byte[]> fullTiles = Collections.synchronizedMap(
            new LinkedHashMap<String, byte[]>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > 1024;
                }
            });

    private static final class SignedHead {
        final long size;
        final byte[] note;

        SignedHead(long size, byte[] note) {
            this.size = size;
            this.note = note;
        }
    }

    /** Reads (or creates) the signing key. */
    private interface KeySource {
        NoteSigner load() throws IOException, SumdbException;
    }

    private ForgeChecksumDatabase(String name, NoteSigner signer, KeySource keys, ChecksumLog log,
            ModuleService modules, ProxyMetrics metrics) {
        this.name = name;
        this.signer = signer;
        this.keys = keys;
        this.log = log;
        this.modules = modules;
        this.metrics = metrics;
    }

    /**
     * Opens the database {@code name} in {@code <dataDir>/sumdb}, creating its key and log at first start. A key
     * made for another name is refused: clients trust a name and key together, so renaming needs a new key.
     */
    public static ForgeChecksumDatabase open(File dataDir, String name, ModuleService modules)
            throws IOException, SumdbException {
        return open(dataDir, name, modules, ProxyMetrics.NONE);
    }

    /** {@link #open(File, String, ModuleService)}, counting each appended record in {@code metrics}. */
    public static ForgeChecksumDatabase open(File dataDir, String name, ModuleService modules, ProxyMetrics metrics)
            throws IOException, SumdbException {
        Path dir = dataDir.toPath().resolve("sumdb");
        Files.createDirectories(dir);
        NoteSigner signer = signerIn(dir.resolve(KEY_FILE), name);
        ChecksumLog log = ChecksumLog.open(dir.resolve("log"));
        LOG.info("goproxy: checksum database {} ({} records); clients set GOSUMDB=\"{} <proxy URL>/sumdb/{}\"",
                name, log.tree().size(), signer.verifierKey(), name);
        return new ForgeChecksumDatabase(name, signer, () -> signer, log, modules, metrics);
    }

    /**
     * Opens the database {@code name} whose log and key live in the shared PostgreSQL database: one tree for every
     * node, signed with one key (created by the first node). A key made for another name is refused.
     *
     * @throws com.gitblit.plugin.goproxy.cache.postgres.DatabaseUnavailableException the database cannot be
     *         reached now (the key cannot be read)
     */
    public static ForgeChecksumDatabase open(PostgresDatabase database, String name, ModuleService modules,
            ProxyMetrics metrics) throws IOException, SumdbException {
        ChecksumLog log = new PostgresChecksumLog(database);
        NoteSigner signer = null;
        try {
            signer = PostgresSumdbKey.signer(database, name);
            LOG.info("goproxy: checksum database {} in {} ({} records); clients set GOSUMDB=\"{} <proxy URL>/sumdb/{}\"",
                    name, database.description(), log.tree().size(), signer.verifierKey(), name);
        } catch (DatabaseUnavailableException e) {
            // Start anyway: its answers are "try again" until the database is back, then the key is read.
            LOG.warn("goproxy: checksum database {}: {}; it answers when the database is back", name, e.getMessage());
        }
        return new ForgeChecksumDatabase(name, signer, () -> PostgresSumdbKey.signer(database, name), log, modules,
                metrics == null ? ProxyMetrics.NONE : metrics);
    }

    /**
     * Copies this node's checksum database ({@code <dataDir>/sumdb}: its key and committed log) into the shared
     * database, so that nodes sharing it go on with the same key and tree clients already trust. Run while the node
     * is stopped. Copying again changes nothing; a shared database holding another key or log is refused.
     *
     * @return the records copied, or -1 when the data folder has no checksum database
     */
    public static long copyToDatabase(File dataDir, PostgresDatabase database) throws IOException, SumdbException {
        Path dir = dataDir.toPath().resolve("sumdb");
        Path keyFile = dir.resolve(KEY_FILE);
        if (!Files.exists(keyFile)) {
            return -1;
        }
        PostgresSumdbKey.copy(NoteSigner.parse(new String(Files.readAllBytes(keyFile), StandardCharsets.UTF_8)),
                database);
        try (ChecksumLog log = ChecksumLog.open(dir.resolve("log"))) {
            return PostgresChecksumLog.copy(log, database);
        }
    }

    private static NoteSigner signerIn(Path file, String name) throws IOException, SumdbException {
        if (Files.exists(file)) {
            NoteSigner signer = NoteSigner.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            if (!signer.name().equals(name)) {
                throw new SumdbException("the checksum database key in " + file + " is for " + signer.name()
                        + ", but the module namespace is now " + name + ": move the sumdb folder away to start a new"
                        + " database (clients must then trust its new key)");
            }
            return signer;
        }
        NoteSigner signer = NoteSigner.generate(name, new SecureRandom());
        Path tmp = file.resolveSibling(KEY_FILE + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, (signer.signerKey() + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
        Files.move(tmp, file);
        LOG.info("goproxy: generated the checksum database key {} (back up {})", signer.verifierKey(), file);
        return signer;
    }

    public String name() {
        return name;
    }

    /**
     * What clients put before the URL in GOSUMDB; null while the key cannot be read (the shared database is down
     * since this node started), which the setup pages show as no database.
     */
    public String verifierKey() {
        try {
            return signer().verifierKey();
        } catch (IOException e) {
            return null;
        }
    }

    private NoteSigner signer() throws IOException {
        NoteSigner s = signer;
        if (s != null) {
            return s;
        }
        synchronized (keys) {
            if (signer == null) {
                try {
                    signer = keys.load();
                } catch (SumdbException e) {
                    LOG.error("goproxy: the checksum database cannot sign: {}", e.getMessage());
                    throw new StorageException("the checksum database cannot sign: " + e.getMessage(), e);
                }
            }
            return signer;
        }
    }

    /**
     * The signed head of the tree ({@code latest}): records appended since the last commit (pins) are committed
     * first, so the head covers everything pinned so far; many pins cost one commit.
     */
    public byte[] latest() throws IOException {
        log.commit();
        TreeHead tree = log.tree();
        SignedHead head = signed;
        if (head == null || head.size != tree.size()) {
            head = new SignedHead(tree.size(), signer().sign(tree.noteText()));
            signed = head;
        }
        return head.note.clone();
    }

    /** True when the version's hashes are in the log (and so can never be forgotten). */
    public boolean contains(String modulePath, String version) throws IOException {
        return log.find(modulePath, version) >= 0;
    }

    /**
     * A {@code lookup} answer: the record's id, its go.sum lines, a blank line and the signed head of a tree that
     * holds it. A version not yet in the log is pinned first, exactly as its first download would pin it.
     */
    public byte[] lookup(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        long id = log.find(modulePath, version);
        if (id < 0) {
            VersionView pinned = pin(repository, modulePath, version);
            id = add(modulePath, version, pinned.zipH1(), pinned.modH1());
        }
        log.commit();
        return answer(id);
    }

    /**
     * Appends a version's go.sum lines (once: a version already in the log keeps its record) and returns its
     * record id. For versions whose hashes are settled: pinned by the ledger, or proven by an upstream database.
     */
    public long add(String modulePath, String version, String zipH1, String modH1) throws IOException {
        ChecksumLog.Added added = log.add(modulePath + " " + version + " " + zipH1 + "\n"
                + modulePath + " " + version + "/go.mod " + modH1 + "\n");
        if (added.appended) {
            metrics.checksumRecordAppended();
        }
        return added.id;
    }

    /**
     * A {@code lookup} answer for a module outside the forge's namespace, fetched through the dependency proxy
     * (which verifies it against its upstream database) when it is not in the log yet. Null when it cannot be in
     * the log: goproxy.upstreamNoSumCheck exempts it from verification, so the forge cannot vouch for it.
     */
    public byte[] lookupThirdParty(ThirdPartyModules thirdParty, String modulePath, String version)
            throws ServiceFailure, IOException {
        if (log.find(modulePath, version) < 0) {
            thirdParty.mod(modulePath, version).close();
            GitModuleService.drain(thirdParty.zip(modulePath, version));
        }
        long id = log.find(modulePath, version);
        if (id < 0) {
            return null;
        }
        log.commit();
        return answer(id);
    }

    /** A record as {@code lookup} answers it: id, text, blank line, the signed head of a tree that holds it. */
    private byte[] answer(long id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((id + "\n" + log.record(id) + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(latest());
        return out.toByteArray();
    }

    /** The version as pinned, building its zip and go.mod when it was never served. */
    private VersionView pin(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        VersionView view = modules.view(repository, modulePath, version);
        if (view.modH1() == null) {
            modules.mod(repository, modulePath, version).close();
        }
        if (view.zipH1() == null) {
            GitModuleService.drain(modules.zip(repository, modulePath, version));
        }
        VersionView pinned = modules.view(repository, modulePath, version);
        if (pinned.modH1() == null || pinned.zipH1() == null) {
            throw ServiceFailure.storageFault(modulePath + "@" + version
                    + ": cannot add it to the checksum database: its hashes were not recorded (data folder)", null);
        }
        return pinned;
    }

    /** One entry of the index feed. */
    public static final class IndexEntry {
        public final String path;
        public final String version;
        /** Microseconds since the epoch; unique and increasing along the log. */
        public final long micros;

        IndexEntry(String path, String version, long micros) {
            this.path = path;
            this.version = version;
            this.micros = micros;
        }
    }

    /**
     * The index feed: up to {@code limit} versions logged at or after {@code sinceMicros}, in log (pin) order, that
     * {@code visible} admits; at most {@code scanLimit} records are looked at, so that a caller who may see little
     * cannot make one request read the whole log.
     */
    public java.util.List<IndexEntry> index(long sinceMicros, int limit, int scanLimit,
            java.util.function.Predicate<String> visible) throws IOException {
        log.commit();
        java.util.List<IndexEntry> out = new java.util.ArrayList<>();
        long size = log.tree().size();
        long from = log.firstAtOrAfter(sinceMicros);
        long end = Math.min(size, from + scanLimit);
        while (from < end && out.size() < limit) {
            int chunk = (int) Math.min(end - from, Math.max(limit, 256));
            for (ChecksumLog.Entry e : log.entries(from, chunk)) {
                int sp1 = e.text.indexOf(' ');
                int sp2 = e.text.indexOf(' ', sp1 + 1);
                String path = e.text.substring(0, sp1);
                if (out.size() < limit && visible.test(path)) {
                    out.add(new IndexEntry(path, e.text.substring(sp1 + 1, sp2), e.micros));
                }
            }
            from += chunk;
        }
        return out;
    }

    /**
     * A hash tile of the committed tree, or null when the tree does not reach it (or it is a data tile: those
     * hold module paths, which the database shows only through lookups that check the caller's rights).
     */
    public byte[] tile(TilePath tile) throws IOException {
        if (tile.level() == TilePath.DATA || tile.height() != TILE_HEIGHT) {
            return null;
        }
        int shift = tile.height() * tile.level();
        long first = tile.index() << tile.height();
        long size = log.tree().size();
        if (shift >= 63 || first > (size >> shift) || first + tile.width() > (size >> shift)) {
            return null;
        }
        String key = tile.toString();
        byte[] cached = fullTiles.get(key);
        if (cached != null) {
            return cached.clone();
        }
        // The tile's hashes are every few stored hashes in one short run: one read, then pick.
        long from = StoredHashes.index(shift, first);
        long to = StoredHashes.index(shift, first + tile.width() - 1);
        byte[] run = log.hashes(from, (int) (to - from + 1));
        byte[] data = new byte[tile.width() * Tlog.HASH_SIZE];
        for (int i = 0; i < tile.width(); i++) {
            long at = StoredHashes.index(shift, first + i) - from;
            System.arraycopy(run, (int) at * Tlog.HASH_SIZE, data, i * Tlog.HASH_SIZE, Tlog.HASH_SIZE);
        }
        if (tile.width() == 1 << tile.height()) {
            fullTiles.put(key, data.clone());
        }
        return data;
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
