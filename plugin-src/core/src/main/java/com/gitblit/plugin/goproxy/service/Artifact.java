package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A response body the proxy can describe before writing it: enough for HEAD and conditional GET. */
public interface Artifact extends Closeable {

    String contentType();

    /** Body length in bytes, or -1 when it is only known once written (a zip built while streaming). */
    long length();

    /** A strong validator (the recorded {@code h1:} for .mod and .zip), or {@code null}. */
    String etag();

    /** Milliseconds since the epoch (the commit time for versions), or -1. */
    long lastModified();

    /** Writes the body; called at most once, never for HEAD or 304. */
    void writeTo(OutputStream out) throws IOException;

    /**
     * The body when it is complete already (a stored file, checked as it is read, or bytes in memory), so that
     * it can be handed out at whatever pace the client reads without waiting for anything else; {@code null}
     * when the body only comes into being as it is written (a zip being built). A read fails, before the last
     * bytes, when they differ from what was recorded. The caller closes it; at most one of this and
     * {@link #writeTo} is called.
     */
    default InputStream completeBody() throws IOException {
        return null;
    }

    /**
     * Releases what the artifact holds (a build slot, a reader of a build in progress); called once the
     * response is done, whether or not {@link #writeTo} ran (HEAD, 304, a failed request).
     */
    @Override
    default void close() throws IOException {
    }
}
