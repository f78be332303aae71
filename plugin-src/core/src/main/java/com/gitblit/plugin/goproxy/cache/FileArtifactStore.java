package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.metrics.ProxyMetrics;

/**
 * The {@link ArtifactStore} in a folder, one directory per repository. A file is only ever made visible by
 * renaming a complete, flushed temp file into place, its sidecar ({@code .meta}: key, size, CRC-32, h1) written
 * first, so a crash or {@code kill -9} at any moment leaves nothing half-written under a served name; leftover
 * temp files, and files without a sidecar, are deleted at start.
 *
 * <p>The sidecar holds a CRC-32, not a cryptographic digest, on purpose: it guards against damage (a truncated,
 * emptied or replaced file), and whoever can write this folder can rewrite a sidecar too; a CRC-32 keeps up with
 * the disk when a large zip streams, where SHA-256 would halve warm throughput.
 */
public final class FileArtifactStore implements ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileArtifactStore.class);
    static final String META_SUFFIX = ".meta";
    /** Kept free on the disk beyond what a build is expected to write. */
    private static final long DISK_RESERVE = 16L * 1024 * 1024;

    private final Path directory;
    private final long maxBytes;
    private final Map<Path, Usage> usage = new ConcurrentHashMap<>();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong draftBytes = new AtomicLong();
    private final Object room = new Object();
    private volatile ProxyMetrics metrics = ProxyMetrics.NONE;
    private final StoreActivity activity = new StoreActivity();

    /** What the store knows of a stored file without touching the disk. */
    private static final class Usage {
        final ArtifactKey key;
        final long size;
        final long crc32;
        final String h1;
        volatile long lastUsed;
        /** Wall-clock twin of {@code lastUsed} (which orders evictions and is not a date), for the admin view. */
        volatile long lastUsedMillis = System.currentTimeMillis();

        Usage(ArtifactKey key, long size, long crc32, String h1, long lastUsed) {
            this.key = key;
            this.size = size;
            this.crc32 = crc32;
            this.h1 = h1;
            this.lastUsed = lastUsed;
        }
    }

    public FileArtifactStore(Path directory, long maxBytes) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.maxBytes = maxBytes;
        scan();
    }

    /** Where evictions are reported. */
    public void evictions(ProxyMetrics value) {
        this.metrics = value == null ? ProxyMetrics.NONE : value;
    }

    @Override
    public StoredArtifact get(ArtifactKey key) throws IOException {
        Path file = fileOf(key);
        Usage u = usage.get(file);
        if (u == null) {
            activity.miss();
            return null;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            drop(file);
            activity.miss();
            return null;
        }
        StoredArtifact stored = new StoredArtifact(u.key, file, u.size, u.crc32, u.h1, this::damaged);
        if (size != u.size) {
            damaged(stored, "is " + size + " bytes long, " + u.size + " were written");
            activity.miss();
            return null;
        }
        if (!stored.verifiedUpFront()) {
            activity.miss();
            return null;
        }
        u.lastUsed = System.nanoTime();
        u.lastUsedMillis = System.currentTimeMillis();
        activity.hit();
        return stored;
    }

    @Override
    public ArtifactDraft create(ArtifactKey key, long expectedBytes) throws IOException {
        long expected = Math.max(0, expectedBytes);
        if (expected > maxBytes) {
            throw new StorageException("the artifact " + key + " (about " + expected
                    + " bytes) is larger than the whole cache (" + maxBytes + " bytes)", null);
        }
        Path tmp;
        try {
            Path dir = Files.createDirectories(directory.resolve(key.repositoryDirectory()));
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable < expected + DISK_RESERVE) {
                throw new StorageException("the cache disk has " + usable + " bytes free; " + key + " needs about "
                        + expected, null);
            }
            tmp = Files.createTempFile(dir, "." + key.fileName(), AtomicFiles.TEMP_SUFFIX);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot write the artifact cache at " + directory + ": " + e, e);
        }
        synchronized (room) {
            draftBytes.addAndGet(expected);
            evictBeyond(maxBytes, null);
        }
        return new FileDraft(key, tmp, expected);
    }

    @Override
    public List<StoredArtifact> list(String repositoryKey) {
        List<StoredArtifact> out = new ArrayList<>();
        for (Map.Entry<Path, Usage> e : usage.entrySet()) {
            Usage u = e.getValue();
            if (u.key.repositoryKey().equals(repositoryKey)) {
                out.add(new StoredArtifact(u.key, e.getKey(), u.size, u.crc32, u.h1, this::damaged));
            }
        }
        return out;
    }

    @Override
    public boolean forget(ArtifactKey key) throws IOException {
        Path file = fileOf(key);
        boolean known = drop(file) != null;
        boolean deleted = Files.deleteIfExists(file);
        Files.deleteIfExists(meta(file));
        return known || deleted;
    }

    @Override
    public void purgeRepository(String repositoryKey) throws IOException {
        Path dir = directory.resolve(FileVersionLedger.sha256Hex(repositoryKey));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                drop(f);
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Override
    public long size() {
        return storedBytes.get() + draftBytes.get();
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public StoreActivity activity() {
        return activity;
    }

    @Override
    public long lastUsedMillis(ArtifactKey key) {
        Usage u = usage.get(fileOf(key));
        return u == null ? -1 : u.lastUsedMillis;
    }

    private void damaged(StoredArtifact artifact, String why) {
        LOG.error("goproxy: the cached artifact {} {}; discarding it, the next request rebuilds it", artifact.key(), why);
        Path file = artifact.file();
        drop(file);
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(meta(file));
        } catch (IOException e) {
            LOG.warn("goproxy: could not delete the damaged {}: {}", file, e.toString());
        }
    }

    private Usage drop(Path file) {
        Usage u = usage.remove(file);
        if (u != null) {
            storedBytes.addAndGet(-u.size);
        }
        return u;
    }

    /** Evicts least recently used artifacts until stored and draft bytes fit {@code limit}. */
    private void evictBeyond(long limit, Path keep) {
        if (size() <= limit) {
            return;
        }
        List<Map.Entry<Path, Usage>> entries = new ArrayList<>(usage.entrySet());
        entries.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        for (Map.Entry<Path, Usage> e : entries) {
            if (size() <= limit) {
                break;
            }
            if (e.getKey().equals(keep)) {
                continue;
            }
            try {
                drop(e.getKey());
                Files.deleteIfExists(e.getKey());
                Files.deleteIfExists(meta(e.getKey()));
                metrics.cacheEvicted(e.getValue().size);
                activity.evicted();
            } catch (IOException ex) {
                LOG.warn("goproxy: could not evict {}: {}", e.getKey(), ex.toString());
            }
        }
    }

    private StoredArtifact publish(FileDraft draft, String h1) throws IOException {
        Path file = fileOf(draft.key);
        try {
            AtomicFiles.write(meta(file), metaOf(draft.key, draft.written, draft.crc.getValue(), h1));
            AtomicFiles.publish(draft.tmp, file);
        } catch (IOException e) {
            throw new StorageException("cannot store " + draft.key + ": " + e, e);
        }
        synchronized (room) {
            draftBytes.addAndGet(-draft.expected);
            Usage previous = usage.put(file, new Usage(draft.key, draft.written, draft.crc.getValue(), h1,
                    System.nanoTime()));
            storedBytes.addAndGet(draft.written - (previous == null ? 0 : previous.size));
            evictBeyond(maxBytes, file);
        }
        return new StoredArtifact(draft.key, file, draft.written, draft.crc.getValue(), h1, this::damaged);
    }

    private void abandon(FileDraft draft) {
        synchronized (room) {
            draftBytes.addAndGet(-draft.expected);
        }
        try {
            Files.deleteIfExists(draft.tmp);
        } catch (IOException e) {
            LOG.warn("goproxy: could not delete {}: {}", draft.tmp, e.toString());
        }
    }

    /** A temp file being written; counted against the limit from its creation on. */
    private final class FileDraft implements ArtifactDraft {
        final ArtifactKey key;
        final Path tmp;
        final long expected;
        final CRC32 crc = new CRC32();
        final FileChannel channel;
        long written;
        boolean finished;

        FileDraft(ArtifactKey key, Path tmp, long expected) throws IOException {
            this.key = key;
            this.tmp = tmp;
            this.expected = expected;
            try {
                this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
            } catch (IOException e) {
                abandon(this);
                throw new StorageException("cannot write the artifact cache: " + e, e);
            }
        }

        @Override
        public Path file() {
            return tmp;
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    try {
                        while (buf.hasRemaining()) {
                            channel.write(buf);
                        }
                    } catch (IOException e) {
                        throw new StorageException("cannot write the artifact cache: " + e, e);
                    }
                    crc.update(b, off, len);
                    written += len;
                }
            };
        }

        @Override
        public synchronized StoredArtifact publish(String h1) throws IOException {
            try {
                channel.force(true);
                channel.close();
            } catch (IOException e) {
                throw new StorageException("cannot write the artifact cache: " + e, e);
            }
            StoredArtifact stored = FileArtifactStore.this.publish(this, h1);
            finished = true;
            return stored;
        }

        @Override
        public synchronized void close() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("goproxy: could not close {}: {}", tmp, e.toString());
            }
            abandon(this);
        }
    }

    private static byte[] metaOf(ArtifactKey key, long size, long crc32, String h1) throws IOException {
        Properties p = new Properties();
        p.setProperty("repository", key.repositoryKey());
        p.setProperty("module", key.modulePath());
        p.setProperty("version", key.version());
        p.setProperty("commit", key.commit());
        p.setProperty("kind", key.kind().name());
        p.setProperty("size", Long.toString(size));
        p.setProperty("crc32", Long.toString(crc32));
        if (h1 != null) {
            p.setProperty("h1", h1);
        }
        StringWriter out = new StringWriter();
        p.store(out, null);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The usage entry a sidecar describes, or null if it does not describe {@code file} (then both go). */
    private Usage readMeta(Path file) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(Files.readAllBytes(meta(file)), StandardCharsets.UTF_8)));
            ArtifactKey key = new ArtifactKey(p.getProperty("repository"), p.getProperty("module"),
                    p.getProperty("version"), p.getProperty("commit"),
                    ArtifactKey.Kind.valueOf(p.getProperty("kind").toUpperCase(Locale.ROOT)));
            if (!fileOf(key).equals(file)) {
                return null;
            }
            long written = Files.getLastModifiedTime(file).toMillis();
            long lastUsed = written * 1_000_000L - Long.MAX_VALUE / 2;
            Usage u = new Usage(key, Long.parseLong(p.getProperty("size")), Long.parseLong(p.getProperty("crc32")),
                    p.getProperty("h1"), lastUsed);
            u.lastUsedMillis = written;
            return u;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Rebuilds the usage index from disk; deletes what a crash or an older format left behind. */
    private void scan() throws IOException {
        try (DirectoryStream<Path> repos = Files.newDirectoryStream(directory)) {
            for (Path repo : repos) {
                if (!Files.isDirectory(repo)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(repo)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(META_SUFFIX)) {
                            Path artifact = f.resolveSibling(name.substring(0, name.length() - META_SUFFIX.length()));
                            if (!Files.exists(artifact)) {
                                Files.deleteIfExists(f);
                            }
                            continue;
                        }
                        Usage u = name.endsWith(AtomicFiles.TEMP_SUFFIX) || !Files.exists(meta(f)) ? null : readMeta(f);
                        if (u == null) {
                            Files.deleteIfExists(f);
                            Files.deleteIfExists(meta(f));
                        } else {
                            usage.put(f, u);
                            storedBytes.addAndGet(u.size);
                        }
                    }
                }
            }
        }
    }

    private Path fileOf(ArtifactKey key) {
        return directory.resolve(key.repositoryDirectory()).resolve(key.fileName());
    }

    private static Path meta(Path file) {
        return file.resolveSibling(file.getFileName() + META_SUFFIX);
    }
}
