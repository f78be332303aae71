package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
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
     * Releases what the artifact holds (a build slot, a reader of a build in progress); called once the
     * response is done, whether or not {@link #writeTo} ran (HEAD, 304, a failed request).
     */
    @Override
    default void close() throws IOException {
    }
}
