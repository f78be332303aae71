package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permanent record of what was first served for each module version: the commit, and the h1 of the go.mod
 * and of the zip. It is not a cache: nothing evicts it, and a later build that disagrees with it is refused,
 * because go.sum files everywhere already hold the first answer. Forgetting a version is an administrator's act.
 *
 * <p>One small properties file per version, named by the SHA-256 of {@code module@version} (safe on every file
 * system, whatever the case or characters of the path), written atomically; the first writer wins.
 */
public final class VersionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(VersionLedger.class);

    private final Path directory;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LedgerEntry> memory = new ConcurrentHashMap<>();

    public VersionLedger(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** The entry for a version, or null if it was never served. */
    public LedgerEntry find(String modulePath, String version) throws IOException {
        String key = key(modulePath, version);
        LedgerEntry e = memory.get(key);
        if (e != null) {
            return e;
        }
        e = read(file(key));
        if (e != null) {
            memory.put(key, e);
        }
        return e;
    }

    /** Records the commit a version is first served from; an existing entry wins and is returned. */
    public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
            throws IOException {
        String key = key(modulePath, version);
        synchronized (lock(key)) {
            LedgerEntry existing = find(modulePath, version);
            if (existing != null) {
                return existing;
            }
            LedgerEntry e = new LedgerEntry(modulePath, version, commitHex, repositoryKey, null, null,
                    System.currentTimeMillis());
            write(key, e);
            return e;
        }
    }

    public LedgerEntry recordModHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, true);
    }

    public LedgerEntry recordZipHash(String modulePath, String version, String h1)
            throws IOException, LedgerConflictException {
        return recordHash(modulePath, version, h1, false);
    }

    private LedgerEntry recordHash(String modulePath, String version, String h1, boolean mod)
            throws IOException, LedgerConflictException {
        String key = key(modulePath, version);
        synchronized (lock(key)) {
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
            write(key, updated);
            return updated;
        }
    }

    /** Administrator's act: the next request for this version resolves it afresh. */
    public boolean forget(String modulePath, String version) throws IOException {
        String key = key(modulePath, version);
        synchronized (lock(key)) {
            memory.remove(key);
            return Files.deleteIfExists(file(key));
        }
    }

    private Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private void write(String key, LedgerEntry e) throws IOException {
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
        StringWriter out = new StringWriter();
        p.store(out, null);
        Path f = file(key);
        Files.createDirectories(f.getParent());
        AtomicFiles.write(f, out.toString().getBytes(StandardCharsets.UTF_8));
        memory.put(key, e);
    }

    private static LedgerEntry read(Path f) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(data, StandardCharsets.UTF_8)));
        return new LedgerEntry(p.getProperty("module"), p.getProperty("version"), p.getProperty("commit"),
                p.getProperty("repository"), p.getProperty("mod"), p.getProperty("zip"),
                Long.parseLong(p.getProperty("recordedAt", "0")));
    }

    private Path file(String key) {
        return directory.resolve(key.substring(0, 2)).resolve(key + ".properties");
    }

    static String key(String modulePath, String version) {
        return sha256Hex(modulePath + "@" + version);
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder(64);
            for (byte b : d) {
                out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
