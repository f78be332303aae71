package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A finished artifact on disk. Reading it while it is evicted is safe: an open file outlives its unlinking. */
public final class StoredArtifact {
    private final Path file;
    private final long length;
    private final long lastModified;
    private final String h1;

    StoredArtifact(Path file, long length, long lastModified, String h1) {
        this.file = file;
        this.length = length;
        this.lastModified = lastModified;
        this.h1 = h1;
    }

    public Path file() {
        return file;
    }

    public long length() {
        return length;
    }

    public long lastModified() {
        return lastModified;
    }

    /** The h1 of the contents, as recorded when it was built. */
    public String h1() {
        return h1;
    }

    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }
}
