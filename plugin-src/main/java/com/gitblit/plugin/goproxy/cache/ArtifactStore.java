package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished artifacts on disk, one directory per repository. A file is only ever made visible by renaming a
 * complete, flushed temp file into place, its h1 written beside it first, so a crash or {@code kill -9} at any
 * moment leaves nothing half-written under a served name; leftover temp files are deleted at start. Beyond the
 * size limit the least recently used artifacts are evicted (a reader that already opened one keeps reading it).
 */
public final class ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final String H1_SUFFIX = ".h1";

    private final Path directory;
    private final long maxBytes;
    private final Map<Path, Usage> usage = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    private static final class Usage {
        final long size;
        volatile long lastUsed;

        Usage(long size, long lastUsed) {
            this.size = size;
            this.lastUsed = lastUsed;
        }
    }

    public ArtifactStore(Path directory, long maxBytes) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.maxBytes = maxBytes;
        scan();
    }

    /** The stored artifact, or null; counts as a use for eviction. */
    public StoredArtifact get(ArtifactKey key) throws IOException {
        Path file = fileOf(key);
        Usage u = usage.get(file);
        if (u == null) {
            return null;
        }
        String h1;
        BasicFileAttributes attrs;
        try {
            h1 = new String(Files.readAllBytes(sidecar(file)), StandardCharsets.UTF_8).trim();
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            forget(file);
            return null;
        }
        u.lastUsed = System.nanoTime();
        return new StoredArtifact(file, attrs.size(), attrs.lastModifiedTime().toMillis(), h1.isEmpty() ? null : h1);
    }

    /** A temp file in the repository's directory for a build of {@code key}. */
    Path newTempFile(ArtifactKey key) throws IOException {
        Path dir = Files.createDirectories(directory.resolve(key.repositoryDirectory()));
        return Files.createTempFile(dir, "." + key.fileName(), AtomicFiles.TEMP_SUFFIX);
    }

    /** Makes a finished, flushed temp file the stored artifact of {@code key}. */
    StoredArtifact publish(ArtifactKey key, Path tmp, String h1) throws IOException {
        Path file = fileOf(key);
        AtomicFiles.write(sidecar(file), (h1 == null ? "" : h1).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.publish(tmp, file);
        long size = Files.size(file);
        Usage previous = usage.put(file, new Usage(size, System.nanoTime()));
        totalBytes.addAndGet(size - (previous == null ? 0 : previous.size));
        evictBeyondLimit(file);
        return get(key);
    }

    /** Removes every artifact of a repository (deleted or renamed: its name no longer names it). */
    public void purgeRepository(String repositoryKey) throws IOException {
        Path dir = directory.resolve(VersionLedger.sha256Hex(repositoryKey));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!f.toString().endsWith(H1_SUFFIX) && !f.toString().endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    forget(f);
                }
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Bytes held by stored artifacts. */
    public long size() {
        return totalBytes.get();
    }

    private void evictBeyondLimit(Path keep) {
        if (totalBytes.get() <= maxBytes) {
            return;
        }
        List<Map.Entry<Path, Usage>> entries = new ArrayList<>(usage.entrySet());
        entries.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        for (Map.Entry<Path, Usage> e : entries) {
            if (totalBytes.get() <= maxBytes) {
                break;
            }
            if (e.getKey().equals(keep)) {
                continue;
            }
            try {
                forget(e.getKey());
                Files.deleteIfExists(e.getKey());
                Files.deleteIfExists(sidecar(e.getKey()));
            } catch (IOException ex) {
                LOG.warn("goproxy: could not evict {}: {}", e.getKey(), ex.toString());
            }
        }
    }

    private void forget(Path file) {
        Usage u = usage.remove(file);
        if (u != null) {
            totalBytes.addAndGet(-u.size);
        }
    }

    /** Rebuilds the usage index from disk; deletes what a crash left behind. */
    private void scan() throws IOException {
        try (DirectoryStream<Path> repos = Files.newDirectoryStream(directory)) {
            for (Path repo : repos) {
                if (!Files.isDirectory(repo)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(repo)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                            Files.deleteIfExists(f);
                        } else if (name.endsWith(H1_SUFFIX)) {
                            Path artifact = f.resolveSibling(name.substring(0, name.length() - H1_SUFFIX.length()));
                            if (!Files.exists(artifact)) {
                                Files.deleteIfExists(f);
                            }
                        } else if (Files.exists(sidecar(f))) {
                            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                            usage.put(f, new Usage(a.size(), a.lastAccessTime().toMillis() * 1_000_000L - Long.MAX_VALUE / 2));
                            totalBytes.addAndGet(a.size());
                        } else {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        }
    }

    private Path fileOf(ArtifactKey key) {
        return directory.resolve(key.repositoryDirectory()).resolve(key.fileName());
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + H1_SUFFIX);
    }
}
