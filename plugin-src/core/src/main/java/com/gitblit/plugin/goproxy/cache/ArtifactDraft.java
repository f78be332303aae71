package com.gitblit.plugin.goproxy.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * An artifact being written. Readers may follow {@link #file()} while it grows (a zip streams to its first
 * clients while it is built); it becomes visible under its key only through {@link #publish}.
 */
public interface ArtifactDraft extends AutoCloseable {

    /** The file being written, readable while it grows. */
    Path file();

    /** Where the bytes go; counts them and digests them for the check on every later read. */
    OutputStream output();

    /** Makes the finished, flushed draft the stored artifact of its key. */
    StoredArtifact publish(String h1) throws IOException;

    /** Drops an unpublished draft; harmless after {@link #publish}. */
    @Override
    void close();
}
