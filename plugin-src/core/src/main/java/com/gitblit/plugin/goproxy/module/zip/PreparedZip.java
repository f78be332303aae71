package com.gitblit.plugin.goproxy.module.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A module zip whose file list passed every rule: writing it can only fail on I/O. Entries are named
 * {@code module@version/path}, with no directory entries, streamed one at a time in constant memory.
 */
public interface PreparedZip {

    /** The files that will be written, in order. */
    List<ModuleFile> files();

    /**
     * Streams the zip to {@code out} (not closed) and returns the {@code h1:} hash of its contents, computed
     * on the way (the same value {@code go mod download} records in go.sum).
     */
    String writeTo(OutputStream out) throws IOException;
}
