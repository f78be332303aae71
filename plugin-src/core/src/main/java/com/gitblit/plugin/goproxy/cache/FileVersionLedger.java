package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;

/**
 * The {@link VersionLedger} in a folder: one small properties file per version, written atomically, at
 * {@code <sha256(module)[0:2]>/<sha256(module)>/<escaped version>.properties}. Hashing the module path keeps any
 * path safe on any file system; the directory per module makes its versions listable; the escaped version
 * ({@code !} before upper case, as module zips name them) keeps {@code v1.0.0-RC} and {@code v1.0.0-rc} apart on
 * case-insensitive file systems. Entries read once stay in memory: the ledger only grows, and {@link #forget}
 * removes both copies.
 */
public final class FileVersionLedger implements VersionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(FileVersionLedger.class);
    static final String SUFFIX = ".properties";

    private final Path directory;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LedgerEntry> memory = new ConcurrentHashMap<>();

    public FileVersionLedger(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    @Override
    public LedgerEntry find(String modulePath, String version) throws IOException {
        Path file = file(modulePath, version);
        String key = file.toString();
        LedgerEntry e = memory.get(key);
        if (e != null) {
            return e;
        }
        e = read(file);
        if (e != null) {
            memory.put(key, e);
        }
        return e;
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
            throws IOException {
        return recordCommit(modulePath, version, commitHex, repositoryKey, null);
    }

    @Override
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey,
            PinOrigin origin) throws IOException {
        Path file = file(modulePath, version);
        synchronized (lock(file)) {
            LedgerEntry existing = find(modulePath, version);
            if (existing != null) {
                return existing;
            }
            LedgerEntry e = new LedgerEntry(modulePath, version, commitHex, repositoryKey, null, null,
                    System.currentTimeMillis(), origin);
            write(file, e);
            return e;
        }
    }

    @Override
    public LedgerEntry recordModHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, true);
    }

    @Override
    public LedgerEntry recordZipHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, false);
    }

    private LedgerEntry recordHash(String modulePath, String version, String h1, boolean mod)
            throws IOException, LedgerConflictException {
        Path file = file(modulePath, version);
        synchronized (lock(file)) {
            LedgerEntry e = find(modulePath, version);
            if (e == null) {
                throw new IOException(modulePath + "@" + version + " has no recorded commit");
            }
            String recorded = mod ? e.modH1() : e.zipH1();
            if (recorded != null) {
                if (!recorded.equals(h1)) {
                    String what = mod ? "go.mod" : "zip";
                    LOG.error("goproxy: {}@{}: the {} built now has {}, but {} was first served; refusing it",
                            modulePath, version, what, h1, recorded);
                    throw new LedgerConflictException(modulePath + "@" + version + ": " + what + " hash " + h1
                            + " differs from the recorded " + recorded);
                }
                return e;
            }
            LedgerEntry updated = mod ? e.withModH1(h1) : e.withZipH1(h1);
            write(file, updated);
            return updated;
        }
    }

    @Override
    public List<LedgerEntry> list(String modulePath) throws IOException {
        List<LedgerEntry> out = new ArrayList<>();
        Path dir = moduleDirectory(modulePath);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                LedgerEntry e = read(f);
                if (e != null && modulePath.equals(e.modulePath())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Override
    public List<String> modules() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(directory)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> modules = Files.newDirectoryStream(shard)) {
                    for (Path module : modules) {
                        String path = firstModulePath(module);
                        if (path != null) {
                            out.add(path);
                        }
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Versions recorded, counted on disk; -1 when the folder cannot be read. */
    @Override
    public long count() {
        long n = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(directory)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> modules = Files.newDirectoryStream(shard)) {
                    for (Path module : modules) {
                        if (!Files.isDirectory(module)) {
                            continue;
                        }
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(module, "*" + SUFFIX)) {
                            for (Path f : files) {
                                n++;
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }

    /**
     * Writes {@code e} as it is, replacing what this folder holds for its version: for a node's copy of a ledger
     * kept elsewhere, which alone decides what is pinned. Pinning is {@link #recordCommit}, never this.
     */
    public void replace(LedgerEntry e) throws IOException {
        Path file = file(e.modulePath(), e.version());
        synchronized (lock(file)) {
            write(file, e);
        }
    }

    @Override
    public boolean forget(String modulePath, String version) throws IOException {
        Path file = file(modulePath, version);
        synchronized (lock(file)) {
            memory.remove(file.toString());
            return Files.deleteIfExists(file);
        }
    }

    private static String firstModulePath(Path moduleDirectory) throws IOException {
        if (!Files.isDirectory(moduleDirectory)) {
            return null;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(moduleDirectory, "*" + SUFFIX)) {
            for (Path f : files) {
                LedgerEntry e = read(f);
                if (e != null) {
                    return e.modulePath();
                }
            }
        }
        return null;
    }

    private Object lock(Path file) {
        return locks.computeIfAbsent(file.toString(), k -> new Object());
    }

    private void write(Path file, LedgerEntry e) throws IOException {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, serialize(e));
        } catch (IOException ex) {
            throw new StorageException("cannot write the version ledger at " + directory + ": " + ex, ex);
        }
        memory.put(file.toString(), e);
    }

    static byte[] serialize(LedgerEntry e) throws IOException {
        Properties p = new Properties();
        p.setProperty("module", e.modulePath());
        p.setProperty("version", e.version());
        p.setProperty("commit", e.commit());
        p.setProperty("repository", e.repositoryKey() == null ? "" : e.repositoryKey());
        p.setProperty("recordedAt", Long.toString(e.recordedAt()));
        if (e.modH1() != null) {
            p.setProperty("mod", e.modH1());
        }
        if (e.zipH1() != null) {
            p.setProperty("zip", e.zipH1());
        }
        // Optional, so that entries written before it existed read as they always did, and older readers ignore it.
        if (e.origin() != null) {
            p.setProperty("pinnedBy", e.origin().word());
        }
        StringWriter out = new StringWriter();
        p.store(out, null);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static LedgerEntry read(Path f) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException("cannot read the version ledger file " + f + ": " + e, e);
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(data, StandardCharsets.UTF_8)));
        if (p.getProperty("module") == null || p.getProperty("version") == null || p.getProperty("commit") == null) {
            throw new IOException("version ledger file " + f + " is damaged (module, version or commit missing)");
        }
        return new LedgerEntry(p.getProperty("module"), p.getProperty("version"), p.getProperty("commit"),
                p.getProperty("repository"), p.getProperty("mod"), p.getProperty("zip"),
                Long.parseLong(p.getProperty("recordedAt", "0")), PinOrigin.parse(p.getProperty("pinnedBy")));
    }

    private Path moduleDirectory(String modulePath) {
        String h = sha256Hex(modulePath);
        return directory.resolve(h.substring(0, 2)).resolve(h);
    }

    private Path file(String modulePath, String version) throws IOException {
        String name;
        try {
            name = ModuleEscaping.escapeVersion(version);
        } catch (ModuleRuleException e) {
            throw new IOException("not a version the ledger can hold: " + version, e);
        }
        return moduleDirectory(modulePath).resolve(name + SUFFIX);
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Hex.of(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
